//! Corroboration: the facts of every source that state one claim, how many independent sources
//! they come from, and whether their dates agree.
//!
//! Computed when an answer is rendered, for the claims it shows, never during a search: a query
//! on a large graph pays nothing for it, and each claim costs O(degree of its subject).

use super::KnowledgeGraph;
use crate::date::{iso_day, Day, Interval, When};
use crate::model::{EntityId, FactId, Model, SourceId};
use petgraph::Direction;

/// Every loaded fact that states the same claim as `fact` (same subject, relation and object),
/// `fact` among them, in fact order. A derived fact stands alone. O(degree of its subject).
pub fn same_claim(graph: &KnowledgeGraph, fact: FactId) -> Vec<FactId> {
    let model = &graph.model;
    if model.derived_from(fact).is_some() {
        return vec![fact];
    }
    let f = model.fact(fact);
    graph
        .edges(f.subject, Direction::Outgoing)
        .filter(|&g| {
            let other = model.fact(g);
            other.relation == f.relation && other.object == f.object
        })
        .collect()
}

/// What the sources of one claim say together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corroboration {
    /// The sources stating it, in the order their first fact was given.
    pub sources: Vec<SourceId>,
    /// Independent groups of `sources`: sources whose facts cite the same origin (`reported_by`)
    /// are one group, as they repeat one report.
    pub independent: Vec<Vec<SourceId>>,
    /// The origins that joined sources into one group, by name of entity id.
    pub shared_origins: Vec<EntityId>,
    pub dates: Dates,
}

/// Whether the dated facts of a claim can all be true at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dates {
    /// No fact gives a date.
    Undated,
    /// The dates can all be right: every one of them admits the days of `narrowed`, and spans
    /// that state a start (or an end) state one that may be the same day.
    Agree {
        stated: Vec<When>,
        narrowed: Interval,
    },
    /// The dates cannot all be right: they fall into groups that agree among themselves, each
    /// with the days they narrow to and the sources that give them, earliest group first. `on`
    /// says what the groups disagree about.
    Disagree {
        groups: Vec<DateGroup>,
        on: DateSide,
    },
}

/// What dates that cannot all be right disagree about. Spans that overlap still disagree when
/// they state different starts (`since 2014`, `since 2015`: when did it begin?) or ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSide {
    /// No day fits every date.
    Days,
    /// The days meet, but the stated starts cannot be the same day.
    Start,
    /// The days meet, but the stated ends cannot be the same day.
    End,
    /// The days meet, but neither the starts nor the ends can be the same.
    StartAndEnd,
}

impl DateSide {
    /// The name JSON uses.
    pub fn name(self) -> &'static str {
        match self {
            DateSide::Days => "date",
            DateSide::Start => "start",
            DateSide::End => "end",
            DateSide::StartAndEnd => "start_and_end",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateGroup {
    pub stated: Vec<When>,
    pub narrowed: Interval,
    pub sources: Vec<SourceId>,
}

/// The days a date may denote, and the days its stated start and end may fall on: a span
/// (`since`, a range, `until`) states when it began or ended, which other dates of the same claim
/// must then allow; an event or a report states neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bounds {
    days: Interval,
    start: Option<Interval>,
    end: Option<Interval>,
}

impl Bounds {
    fn of(when: When) -> Bounds {
        let (start, end) = match when {
            When::Since(p) => (Some(When::At(p).interval()), None),
            When::Until(p) => (None, Some(When::At(p).interval())),
            When::Range { from, to } => (
                Some(When::At(from).interval()),
                Some(When::At(to).interval()),
            ),
            When::At(_) | When::AsOf(_) | When::By(_) => (None, None),
        };
        Bounds {
            days: when.interval(),
            start,
            end,
        }
    }

    /// What both allow, if both can be right: their days meet, and so do their stated starts
    /// and their stated ends.
    fn meet(self, other: Bounds) -> Option<Bounds> {
        Some(Bounds {
            days: overlap(self.days, other.days)?,
            start: side(self.start, other.start)?,
            end: side(self.end, other.end)?,
        })
    }
}

/// Two stated starts (or ends) narrowed to the days both allow; `None` when they cannot meet.
fn side(a: Option<Interval>, b: Option<Interval>) -> Option<Option<Interval>> {
    match (a, b) {
        (Some(a), Some(b)) => overlap(a, b).map(Some),
        (a, b) => Some(a.or(b)),
    }
}

/// The sources and dates behind `facts`, the facts of one claim. O(facts · sources).
pub fn corroborate(model: &Model, facts: &[FactId]) -> Corroboration {
    let mut sources: Vec<SourceId> = Vec::new();
    for &f in facts {
        let s = model.fact(f).source;
        if !sources.contains(&s) {
            sources.push(s);
        }
    }
    let (independent, shared_origins) = independent_groups(model, facts, &sources);
    Corroboration {
        sources,
        independent,
        shared_origins,
        dates: reconcile(model, facts),
    }
}

/// Groups sources that cite a common origin; also returns those origins.
fn independent_groups(
    model: &Model,
    facts: &[FactId],
    sources: &[SourceId],
) -> (Vec<Vec<SourceId>>, Vec<EntityId>) {
    let origins_of = |s: SourceId| -> Vec<EntityId> {
        let mut o: Vec<EntityId> = facts
            .iter()
            .filter(|&&f| model.fact(f).source == s)
            .flat_map(|&f| model.words(f).reported_by.to_vec())
            .collect();
        o.sort();
        o.dedup();
        o
    };
    let mut groups: Vec<(Vec<SourceId>, Vec<EntityId>)> = Vec::new();
    let mut shared = Vec::new();
    for &s in sources {
        let origins = origins_of(s);
        // A source joins every group it shares an origin with; those groups become one.
        let (joined, mut rest): (Vec<_>, Vec<_>) = groups
            .into_iter()
            .partition(|(_, o)| o.iter().any(|e| origins.contains(e)));
        let mut group = (Vec::new(), origins.clone());
        for (members, o) in joined {
            for e in o.iter().filter(|e| origins.contains(e)) {
                if !shared.contains(e) {
                    shared.push(*e);
                }
            }
            group.0.extend(members);
            group.1.extend(o);
        }
        group.0.push(s);
        group.1.sort();
        group.1.dedup();
        rest.push(group);
        groups = rest;
    }
    groups.sort_by_key(|(members, _)| sources.iter().position(|s| members.contains(s)));
    (groups.into_iter().map(|(m, _)| m).collect(), shared)
}

/// Intersects the dates of the facts; where they cannot all be right, groups them by what agrees.
fn reconcile(model: &Model, facts: &[FactId]) -> Dates {
    let mut dated: Vec<(When, SourceId)> = facts
        .iter()
        .filter_map(|&f| {
            let fact = model.fact(f);
            fact.when.map(|w| (w, fact.source))
        })
        .collect();
    if dated.is_empty() {
        return Dates::Undated;
    }
    dated.sort_by_key(|(w, _)| (w.interval().first, w.interval().last));
    let mut groups: Vec<(DateGroup, Bounds)> = Vec::new();
    for (when, source) in dated {
        let bounds = Bounds::of(when);
        match groups.last_mut() {
            Some((g, b)) if b.meet(bounds).is_some() => {
                *b = b.meet(bounds).unwrap_or(*b);
                g.narrowed = b.days;
                if !g.stated.contains(&when) {
                    g.stated.push(when);
                }
                if !g.sources.contains(&source) {
                    g.sources.push(source);
                }
            }
            _ => groups.push((
                DateGroup {
                    stated: vec![when],
                    narrowed: bounds.days,
                    sources: vec![source],
                },
                bounds,
            )),
        }
    }
    // Within a group, sources in the order the claim's facts give them.
    let order = |s: &SourceId| facts.iter().position(|&f| model.fact(f).source == *s);
    for (g, _) in &mut groups {
        g.sources.sort_by_key(order);
    }
    let on = disagreement(groups.iter().map(|(_, b)| *b));
    let mut groups: Vec<DateGroup> = groups.into_iter().map(|(g, _)| g).collect();
    match (groups.len(), groups.pop()) {
        (1, Some(one)) => Dates::Agree {
            stated: one.stated,
            narrowed: one.narrowed,
        },
        (_, last) => {
            groups.extend(last);
            Dates::Disagree { groups, on }
        }
    }
}

/// What the groups' dates disagree about: their days if no day fits them all, else their stated
/// starts, ends or both.
fn disagreement(mut groups: impl Iterator<Item = Bounds>) -> DateSide {
    let Some(first) = groups.next() else {
        return DateSide::Days;
    };
    let mut all = Some(first);
    let (mut starts, mut ends) = (true, true);
    for b in groups {
        let Some(a) = all else { break };
        let Some(days) = overlap(a.days, b.days) else {
            return DateSide::Days;
        };
        let start = side(a.start, b.start);
        let end = side(a.end, b.end);
        starts &= start.is_some();
        ends &= end.is_some();
        all = Some(Bounds {
            days,
            start: start.unwrap_or(a.start),
            end: end.unwrap_or(a.end),
        });
    }
    match (starts, ends) {
        (false, true) => DateSide::Start,
        (true, false) => DateSide::End,
        (false, false) => DateSide::StartAndEnd,
        (true, true) => DateSide::Days,
    }
}

fn overlap(a: Interval, b: Interval) -> Option<Interval> {
    a.meets(b).then_some(Interval {
        first: a.first.max(b.first),
        last: a.last.min(b.last),
    })
}

/// The days of `narrowed` as a reader writes them: one of the stated dates if it covers exactly
/// those days (`2017-03-02`), else the days themselves (`2017-03-02..2017-03-05`, `by 2017-03`).
pub fn narrowed_text(stated: &[When], narrowed: Interval) -> String {
    if let Some(w) = stated.iter().find(|w| w.interval() == narrowed) {
        return w.to_string();
    }
    let day = |d: Day| iso_day(d).unwrap_or_default();
    match (narrowed.first, narrowed.last) {
        (Day::MIN, Day::MAX) => "any date".to_string(),
        (Day::MIN, last) => format!("by {}", day(last)),
        (first, Day::MAX) => format!("since {}", day(first)),
        (first, last) if first == last => day(first),
        (first, last) => format!("{}..{}", day(first), day(last)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::date::parse_when;

    fn days(text: &str) -> Interval {
        parse_when(text).unwrap().interval()
    }

    #[test]
    fn a_precise_date_inside_a_vague_one_is_what_both_allow() {
        let stated = [
            parse_when("2017-03").unwrap(),
            parse_when("2017-03-02").unwrap(),
        ];
        let narrowed = overlap(days("2017-03"), days("2017-03-02")).unwrap();
        assert_eq!(narrowed_text(&stated, narrowed), "2017-03-02");
    }

    #[test]
    fn overlapping_spans_narrow_to_their_common_days() {
        let stated = [
            parse_when("2017-03-01..2017-03-10").unwrap(),
            parse_when("2017-03-05..2017-03-20").unwrap(),
        ];
        let narrowed = overlap(stated[0].interval(), stated[1].interval()).unwrap();
        assert_eq!(narrowed_text(&stated, narrowed), "2017-03-05..2017-03-10");
    }

    #[test]
    fn spans_with_starts_that_cannot_meet_disagree_on_the_start() {
        let a = Bounds::of(parse_when("since 2014").unwrap());
        let b = Bounds::of(parse_when("since 2015").unwrap());
        assert_eq!(a.meet(b), None);
        assert_eq!(disagreement([a, b].into_iter()), DateSide::Start);
        let c = Bounds::of(parse_when("since 2014-06").unwrap());
        assert_eq!(a.meet(c).map(|m| m.start), Some(Some(days("2014-06"))));
        let d = Bounds::of(parse_when("2012..2014").unwrap());
        let e = Bounds::of(parse_when("2012..2015").unwrap());
        assert_eq!(disagreement([d, e].into_iter()), DateSide::End);
    }

    #[test]
    fn months_apart_do_not_overlap() {
        assert_eq!(overlap(days("2016-12"), days("2017-03")), None);
    }
}
