//! Who held what: the facts of relations that start or end a state (`controls`) replayed into
//! spells, on the model alone, for the graph's derived facts and for the answers of `show`,
//! `changes`, `match` and `conflicts` alike.
//!
//! A relation declared with `starts_state` makes its subject hold that state over its object from the
//! fact's date, ending anyone else's hold; `ends_state` ends the subject's own hold. Facts are
//! replayed in the order of the days they may denote (earliest day, then latest day, then file
//! order). A fact by the side already holding the place corroborates its spell rather than
//! starting another. An `as of` fact starts a spell on its date, not before, and the spell is
//! carried forward until a later fact changes it: answers label it "last reported". An `as of`
//! report that the side a capture displaced still holds the place is a second version of the
//! spell, not a change back (`reports_otherwise`).

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

/// Why two facts (or a fact and its source) cannot both be right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConflictKind {
    /// A capture by the side already holding the place: `first` started its hold.
    HeldAlready,
    /// Two sides reported holding the same place on the same days, or the side another
    /// source's capture displaced reported still holding it after.
    TwoHolders,
    /// A capture (`second`) ending a hold that another source has lasting past it (`first`
    /// started the hold in that source's own replay).
    EndedEarly,
    /// Relations declared contradictory, on the same subject and object at the same time.
    Contradictory,
    /// The same claim from two sources, on days that cannot meet.
    DisjointDates,
    /// A fact dated after its source was published; `second` is `None`.
    AfterPublication,
}

impl ConflictKind {
    /// The name JSON and tables use.
    pub fn name(self) -> &'static str {
        match self {
            ConflictKind::HeldAlready => "held_already",
            ConflictKind::TwoHolders => "two_holders",
            ConflictKind::EndedEarly => "ended_early",
            ConflictKind::Contradictory => "contradictory",
            ConflictKind::DisjointDates => "disjoint_dates",
            ConflictKind::AfterPublication => "after_publication",
        }
    }
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
    /// second version of who held the place, not a change back (`reports_otherwise`).
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

/// The order of replay: earliest day, then latest day, then file order; undated facts first.
pub(crate) fn replay_key(model: &Model, fact: FactId) -> (i32, i32, FactId) {
    let days = model.fact(fact).when.map_or(
        Interval {
            first: i32::MIN,
            last: i32::MIN,
        },
        When::interval,
    );
    (days.first, days.last, fact)
}

/// Replays facts about one object, already in replay order, into spells.
pub(crate) fn replay(model: &Model, facts: &[FactId]) -> Vec<StateSpell> {
    let mut spells: Vec<StateSpell> = Vec::new();
    for &f in facts {
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
                if reports_otherwise(model, &spells, i, f) {
                    spells[i].reported_otherwise.push(f);
                    continue;
                }
                spells[i].ended_by = Some(f);
            }
            spells.push(StateSpell {
                state: state.clone(),
                holder: fact.subject,
                started_by: f,
                ended_by: None,
                corroborated_by: Vec::new(),
                reported_otherwise: Vec::new(),
                rivals: Vec::new(),
                end_contested: false,
            });
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

/// Whether `report`, of another holder than `spells[current]`'s, disputes that spell rather than
/// ending it. A report of a state (`as of`) says how things stood, not that they changed, so it
/// cannot undo a capture (a fact dated as an event) that another source reports when it has the
/// side the capture displaced still holding the place, or the place held on a day the capture may
/// fall on: both can be right only through a change no source reports. Otherwise (after a spell
/// only reported, a third side later, or the capture's own source telling of a change) the place
/// changed hands by the report's date, at a time no source gives. docs/time.md has the rule.
fn reports_otherwise(model: &Model, spells: &[StateSpell], current: usize, report: FactId) -> bool {
    let fact = model.fact(report);
    let Some(When::AsOf(_)) = fact.when else {
        return false;
    };
    let spell = &spells[current];
    let evidence =
        || std::iter::once(spell.started_by).chain(spell.corroborated_by.iter().copied());
    if evidence().any(|f| model.fact(f).source == fact.source) {
        return false;
    }
    let days = |f: FactId| model.fact(f).when.map(|w| began(w).interval());
    let reported = fact.when.map(When::interval);
    let captures = || evidence().filter(|&f| model.fact(f).when.is_some_and(When::is_event));
    let displaced = spells[..current]
        .iter()
        .any(|s| s.ended_by == Some(spell.started_by) && s.holder == fact.subject);
    let same_days = captures().any(|f| match (days(f), reported) {
        (Some(a), Some(b)) => a.first <= b.last && b.first <= a.last,
        _ => false,
    });
    captures().next().is_some() && (displaced || same_days)
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
