//! Who held what: the facts of relations that start or end a state (`controls`) replayed into
//! spells, on the model alone, for the graph's derived facts and for the answers of `show`,
//! `changes`, `match` and `conflicts` alike.
//!
//! A relation declared with `starts_state` makes its subject hold that state over its object from the
//! fact's date, ending anyone else's hold; `ends_state` ends the subject's own hold. Facts are
//! replayed in the order of the days they may denote (earliest day, then latest day, reports
//! first, then file order). A fact by the side already holding the place corroborates its spell
//! rather than starting another. An `as of` fact starts a spell on its date, not before, and the
//! spell is carried forward until a later fact changes it: answers label it "last reported". An
//! `as of` report beside a capture is read by dates alone (`read_report`): one that may fall
//! before the capture tells of the hold before it; one that has the displaced side still holding
//! after is a second version of the spell, not a change back.

use super::conflict_kind::ConflictKind;
use crate::date::{DatePoint, Interval, When};
use crate::model::{EntityId, FactId, Model, RelationId, SourceId};

/// Another source's version of a spell the replay disputes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rival {
    pub kind: ConflictKind,
    /// The fact of the replay that the rival contradicts: the capture it dates otherwise.
    pub disputed: FactId,
    pub source: SourceId,
    /// The spell the source's own facts about the place replay to.
    pub version: StateSpell,
}

/// Who held a state (e.g. `controls`) over an entity, and from when, as replayed from facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateSpell {
    pub state: String,
    pub holder: EntityId,
    /// The fact that started the spell.
    pub started_by: FactId,
    /// The fact that ended it, if one did (within the time slice).
    pub ended_by: Option<FactId>,
    /// Later facts by which the holder was again reported holding it, in replay order.
    pub corroborated_by: Vec<FactId>,
    /// Reports (`as of`) of another holder that dispute the capture this spell rests on: a
    /// second version of who held the place, not a change back (`read_report`).
    pub reported_otherwise: Vec<FactId>,
    /// Other sources' versions of this spell, where they disagree with the replay.
    pub rivals: Vec<Rival>,
    /// Whether another source has the holder holding on past the fact that ended the spell.
    pub end_contested: bool,
}

pub(crate) fn changes_state(model: &Model, relation: RelationId) -> bool {
    let r = model.relation(relation);
    r.starts_state.is_some() || r.ends_state.is_some()
}

/// The point a date starts from, if it names one (`by` and `until` name none).
pub(crate) fn start_point(when: When) -> Option<DatePoint> {
    match when {
        When::At(p) | When::Since(p) | When::AsOf(p) | When::Range { from: p, .. } => Some(p),
        When::By(_) | When::Until(_) => None,
    }
}

/// When a change stated by a fact of this date happened: the start of a span, the day of an
/// event; for a report of a state (`as of`, `until`), no later than its date.
pub(crate) fn began(when: When) -> When {
    match when {
        When::Range { from, .. } | When::Since(from) => When::At(from),
        When::AsOf(p) | When::Until(p) => When::By(p),
        other => other,
    }
}

/// The order of replay: earliest day, then latest day, then reports (`as of`) before other facts
/// of the same days (a place is held, then taken, that day), then file order; undated facts first.
pub(crate) fn replay_key(model: &Model, fact: FactId) -> (i32, i32, bool, FactId) {
    let when = model.fact(fact).when;
    let days = when.map_or(
        Interval {
            first: i32::MIN,
            last: i32::MIN,
        },
        When::interval,
    );
    let report = matches!(when, Some(When::AsOf(_)));
    (days.first, days.last, !report, fact)
}

/// `facts`, in replay order, with each report of a day that another source has another side
/// taking the place that same day (and its own source tells of no capture that day) moved after
/// that day's other facts, so that whichever file came first the capture is replayed first and
/// the report disputes it.
fn with_same_day_rivals_last(model: &Model, facts: &[FactId]) -> Vec<FactId> {
    let capture_day = |f: FactId| {
        let fact = model.fact(f);
        let state = model.relation(fact.relation).starts_state.as_ref()?;
        let when = fact.when.filter(|w| w.is_event())?;
        let days = began(when).interval();
        (days.first == days.last).then_some((state, days.first, fact.subject, fact.source))
    };
    let captures: Vec<_> = facts.iter().filter_map(|&f| capture_day(f)).collect();
    let rival = |f: FactId| {
        let fact = model.fact(f);
        let (Some(state), Some(When::AsOf(p))) = (
            model.relation(fact.relation).starts_state.as_ref(),
            fact.when,
        ) else {
            return false;
        };
        let day = p.first_day();
        let that_day = || {
            captures
                .iter()
                .filter(|&&(s, d, ..)| s == state && d == day)
        };
        p.first_day() == p.last_day()
            && that_day().any(|&(.., subject, source)| {
                subject != fact.subject && source != fact.source
            })
            // A source telling of a capture that day has its report come first: held, then taken.
            && !that_day().any(|&(.., source)| source == fact.source)
    };
    let mut ordered = facts.to_vec();
    // Stable: only rivals move, and only past facts of their own days. Each key is computed once:
    // telling a rival reads the day's captures.
    ordered.sort_by_cached_key(|&f| {
        let days = model.fact(f).when.map(When::interval);
        (days.map(|d| (d.first, d.last)), rival(f))
    });
    ordered
}

/// Replays facts about one object, already in replay order, into spells.
pub(crate) fn replay(model: &Model, facts: &[FactId]) -> Vec<StateSpell> {
    let mut spells: Vec<StateSpell> = Vec::new();
    for f in with_same_day_rivals_last(model, facts) {
        let fact = model.fact(f);
        let relation = model.relation(fact.relation);
        if let Some(state) = &relation.starts_state {
            let current = spells
                .iter()
                .position(|s| &s.state == state && s.ended_by.is_none());
            if let Some(i) = current {
                if spells[i].holder == fact.subject {
                    spells[i].corroborated_by.push(f);
                    continue;
                }
                match read_report(model, &spells, i, f) {
                    Report::Disputes => {
                        spells[i].reported_otherwise.push(f);
                        continue;
                    }
                    Report::Before(Some(displaced)) => {
                        spells[displaced].corroborated_by.push(f);
                        continue;
                    }
                    Report::Before(None) => {
                        let mut before = spell(model, state, f);
                        before.ended_by = Some(spells[i].started_by);
                        spells.insert(i, before);
                        continue;
                    }
                    Report::Change => spells[i].ended_by = Some(f),
                }
            }
            spells.push(spell(model, state, f));
        }
        if let Some(state) = &relation.ends_state {
            if let Some(s) = spells
                .iter_mut()
                .find(|s| &s.state == state && s.ended_by.is_none() && s.holder == fact.subject)
            {
                s.ended_by = Some(f);
            }
        }
    }
    spells
}

/// A spell that `fact` starts.
fn spell(model: &Model, state: &str, fact: FactId) -> StateSpell {
    StateSpell {
        state: state.to_string(),
        holder: model.fact(fact).subject,
        started_by: fact,
        ended_by: None,
        corroborated_by: Vec::new(),
        reported_otherwise: Vec::new(),
        rivals: Vec::new(),
        end_contested: false,
    }
}

/// What a fact of another holder than the current spell's says about that spell.
enum Report {
    /// A second version of who held the place: set beside the spell (`reported_otherwise`).
    Disputes,
    /// A report that may fall before the capture the spell starts with: it tells of the hold
    /// that capture ended (the index of that spell), or, if it ended none, of one before it.
    Before(Option<usize>),
    /// The place changed hands.
    Change,
}

/// How `fact`, of another holder than `spells[current]`'s, bears on that spell. A report of a
/// state (`as of`) says how things stood, not that they changed, so when the spell rests on a
/// capture (a fact dated as an event) it cannot undo it:
/// - from a source that did not report the capture, it disputes it when it has the side the
///   capture displaced still holding the place on or after the capture's last possible day, or
///   has another side holding it on the capture's very day (both dated to the day): both can be
///   right only through a change no source reports;
/// - from such a source, if it may fall on or before every capture of the spell, it tells of
///   the time before them: of the displaced side's hold, or of a hold the first capture ended;
/// - otherwise (after a spell only reported, a third side later, the capture's own source) the
///   place changed hands by the report's date, at a time no source gives. docs/time.md has the
///   rule.
///
/// The decision reads only dates and sources, never which fact came first in the files.
fn read_report(model: &Model, spells: &[StateSpell], current: usize, report: FactId) -> Report {
    let fact = model.fact(report);
    let Some(When::AsOf(reported)) = fact.when else {
        return Report::Change;
    };
    let spell = &spells[current];
    let evidence =
        || std::iter::once(spell.started_by).chain(spell.corroborated_by.iter().copied());
    let captures: Vec<Interval> = evidence()
        .filter_map(|f| model.fact(f).when.filter(|w| w.is_event()))
        .map(|w| began(w).interval())
        .collect();
    if captures.is_empty() {
        return Report::Change;
    }
    let displaced = spells[..current]
        .iter()
        .position(|s| s.ended_by == Some(spell.started_by));
    let displaced_side = displaced.is_some_and(|d| spells[d].holder == fact.subject);
    let (first, last) = (reported.first_day(), reported.last_day());
    let own_source = evidence().any(|f| model.fact(f).source == fact.source);
    let after = captures.iter().any(|c| first >= c.last);
    let same_day = captures
        .iter()
        .any(|c| first == last && c.first == first && c.last == last);
    if !own_source && ((displaced_side && after) || same_day) {
        return Report::Disputes;
    }
    if !own_source && captures.iter().all(|c| first <= c.last) {
        if let Some(d) = displaced {
            if displaced_side {
                return Report::Before(Some(d));
            }
        } else if model
            .fact(spell.started_by)
            .when
            .is_some_and(When::is_event)
        {
            return Report::Before(None);
        }
    }
    Report::Change
}

/// The days a spell may cover: from the first day its start may denote to the last day its end
/// may denote; open spells (and `as of` ones, carried forward) run on without end.
pub(crate) fn spell_days(model: &Model, spell: &StateSpell) -> Interval {
    let first = model
        .fact(spell.started_by)
        .when
        .map_or(i32::MIN, |w| w.interval().first);
    let last = spell.ended_by.map_or(i32::MAX, |f| {
        model.fact(f).when.map_or(i32::MAX, |w| w.interval().last)
    });
    Interval { first, last }
}

/// For an open spell whose evidence includes `as of` statements, the latest of their dates: from
/// then on the spell is carried forward, not reported.
pub fn last_reported(model: &Model, spell: &StateSpell) -> Option<DatePoint> {
    if spell.ended_by.is_some() {
        return None;
    }
    std::iter::once(spell.started_by)
        .chain(spell.corroborated_by.iter().copied())
        .filter_map(|f| match model.fact(f).when {
            Some(When::AsOf(p)) => Some(p),
            _ => None,
        })
        .max_by_key(|p| (p.last_day(), p.first_day()))
}
