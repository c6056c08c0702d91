//! The time a query looks at: as things stood on a date (`at`), what fell in a period (`during`),
//! and what the press had said by a date (`reported`). One value, so that every query, the
//! session's settings and exports filter facts the same way.

use crate::date::{Certainty, Day, Interval, When};
use crate::model::{FactId, Model};
use std::fmt;

/// The three time settings of a query; `None` leaves that dimension open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeScope {
    /// `at DATE`: the facts standing on DATE (see [`When::at`]); undated facts always stand.
    pub at: Option<When>,
    /// `during PERIOD`: the dated facts that may fall in PERIOD (see [`When::during`]); an
    /// undated fact is not known to fall in any period and is left out.
    pub during: Option<When>,
    /// `reported DATE`: hides facts whose source was published after DATE, so that answers show
    /// what had been reported by then.
    pub reported: Option<When>,
}

impl TimeScope {
    /// A scope that only sets `at`.
    pub fn at(at: Option<When>) -> TimeScope {
        TimeScope {
            at,
            ..TimeScope::default()
        }
    }

    /// Whether no setting narrows anything.
    pub fn is_open(&self) -> bool {
        self.at.is_none() && self.during.is_none() && self.reported.is_none()
    }

    /// These settings, each falling back on `fallback`'s where not set: a query's own clauses
    /// override the session's, one by one.
    pub fn or(self, fallback: TimeScope) -> TimeScope {
        TimeScope {
            at: self.at.or(fallback.at),
            during: self.during.or(fallback.during),
            reported: self.reported.or(fallback.reported),
        }
    }

    /// Whether, and how surely, a fact dated `when` from a source published `published` is in
    /// scope. Of `at` and `during` the less sure answer wins; `reported` only includes or not.
    pub fn fact(&self, when: Option<When>, published: When) -> Option<Certainty> {
        if let Some(reported) = self.reported {
            if published.interval().first > reported.interval().last {
                return None;
            }
        }
        let at = match (self.at, when) {
            (None, _) | (Some(_), None) => Certainty::Certain,
            (Some(at), Some(when)) => when.at(at.interval())?,
        };
        let during = match (self.during, when) {
            (None, _) => Certainty::Certain,
            (Some(_), None) => return None,
            (Some(period), Some(when)) => when.during(period.interval())?,
        };
        Some(weaker(at, during))
    }

    /// [`TimeScope::fact`] for fact `id` of `model`, dated by it and published by its source.
    pub fn model_fact(&self, model: &Model, id: FactId) -> Option<Certainty> {
        let fact = model.fact(id);
        let published = model.source(fact.source).published;
        // An open spell of state known from `as of` reports stands as its surest report says: on a
        // report's date it is reported, after the latest one before the slice it is carried from
        // that one, and before the first it is not assumed.
        if let (Some(When::AsOf(_)), Some(evidence)) = (fact.when, model.derived_from(id)) {
            let reports = evidence.iter().filter_map(|&f| match model.fact(f).when {
                Some(when @ When::AsOf(_)) => Some(when),
                _ => None,
            });
            return reports
                .filter_map(|when| self.fact(Some(when), published))
                .max_by_key(|c| match c {
                    Certainty::Certain => (2, Day::MAX),
                    Certainty::LastReported(p) => (1, p.last_day()),
                    Certainty::Possible => (0, 0),
                });
        }
        self.fact(fact.when, published)
    }

    /// The days of the `at` slice, if one is set.
    pub fn at_days(&self) -> Option<Interval> {
        self.at.map(When::interval)
    }
}

/// The less sure of two certainties; "last reported" says more than a bare "possibly".
fn weaker(a: Certainty, b: Certainty) -> Certainty {
    match (a, b) {
        (Certainty::Certain, other) | (other, Certainty::Certain) => other,
        (last @ Certainty::LastReported(_), _) | (_, last @ Certainty::LastReported(_)) => last,
        _ => Certainty::Possible,
    }
}

/// As a query writes it: ` at 2016 during 2015..2017 reported 2017-08-06`, each clause with a
/// leading space, or nothing.
impl fmt::Display for TimeScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(at) = self.at {
            write!(f, " at {at}")?;
        }
        if let Some(during) = self.during {
            write!(f, " during {during}")?;
        }
        if let Some(reported) = self.reported {
            write!(f, " reported {reported}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_when;

    fn when(text: &str) -> When {
        parse_when(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn undated_facts_stand_at_any_date_but_fall_in_no_period() {
        let published = when("2017-08-06");
        let at = TimeScope::at(Some(when("2016")));
        assert_eq!(at.fact(None, published), Some(Certainty::Certain));
        let during = TimeScope {
            during: Some(when("2016")),
            ..TimeScope::default()
        };
        assert_eq!(during.fact(None, published), None);
    }

    #[test]
    fn facts_reported_after_the_date_are_hidden() {
        let scope = TimeScope {
            reported: Some(when("2017-08-05")),
            ..TimeScope::default()
        };
        let event = Some(when("2017-03"));
        assert_eq!(scope.fact(event, when("2017-08-06")), None);
        assert_eq!(
            scope.fact(event, when("2017-08-05")),
            Some(Certainty::Certain)
        );
    }

    #[test]
    fn the_less_sure_of_at_and_during_wins() {
        let scope = TimeScope {
            at: Some(when("2017-08-10")),
            during: Some(when("2017-08")),
            reported: None,
        };
        let published = when("2017-08-20");
        assert_eq!(
            scope.fact(Some(when("2017-08-05")), published),
            Some(Certainty::Certain)
        );
        // Certainly in August, but perhaps not yet on the 10th.
        assert_eq!(
            scope.fact(Some(when("2017-08")), published),
            Some(Certainty::Possible)
        );
    }
}
