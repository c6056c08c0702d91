//! `conflicts`: where the loaded facts cannot all be true, found on data so that a curator can
//! fix a fact file or weigh one source against another.
//!
//! Four kinds, each a pair of facts (or one fact and its source):
//! - disjoint dates: the same claim (subject, relation family, object) from two sources, dated
//!   on days that cannot meet; only event dates count (`2017-03`, `by 2017-03`, `2017-03..05`),
//!   since two `as of` reports of a lasting state on different days agree;
//! - held already: a capture, dated as an event, by the side the `controls` replay says already
//!   holds the place since an earlier start (the replay of `show` and `changes`, so the three
//!   never disagree); the same capture from a second source is corroboration;
//! - two holders: two sides reported holding one place `as of` the same days, or the side
//!   another source's capture displaced reported still holding it after;
//! - ended early: a capture ending a hold that another source has lasting past it (these three
//!   are found in `graph::versions`, which `show`, `match` and `changes` read too);
//! - contradictory relations (`contradicts`), such as `claimed` and `denied`, on the same subject
//!   and object at dates that may meet (an undated fact meets any);
//! - after publication: a fact dated after its source appeared, the curation rule of the same
//!   name; a hedged relation (a plan, a possibility) may look ahead and is left out.
//!
//! A pair is reported once, as its most specific kind. Cost: O(n log n) to group n facts, then
//! O(k²) within each group of facts about the same ends (a handful in curated graphs).

use crate::date::When;
use crate::graph::conflict_kind::ConflictKind;
use crate::graph::spells::{changes_state, replay, replay_key};
use crate::graph::versions;
use crate::model::{FactId, Model, RelationId};
use hashbrown::HashSet;

/// One conflict: its kind and the facts in it, the earlier-stated (or first in replay) first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Conflict {
    pub kind: ConflictKind,
    pub first: FactId,
    pub second: Option<FactId>,
}

impl Conflict {
    pub fn facts(&self) -> impl Iterator<Item = FactId> {
        std::iter::once(self.first).chain(self.second)
    }
}

/// Every conflict among the loaded facts that `keep` keeps (a query's time scope), ordered by
/// the first fact, then the second.
pub fn find(model: &Model, keep: impl Fn(FactId) -> bool) -> Vec<Conflict> {
    let facts: Vec<FactId> = (0..model.facts().len() as u32)
        .map(FactId)
        .filter(|&f| keep(f))
        .collect();
    let mut found = Vec::new();
    held_already(model, &facts, &mut found);
    two_holders(model, &facts, &mut found);
    by_ends(model, &facts, &mut found);
    after_publication(model, &facts, &mut found);
    // One report per pair, as its most specific kind (kinds are declared most specific first).
    found.sort_by_key(|c| (c.kind, c.first, c.second));
    let mut seen = HashSet::new();
    found.retain(|c| seen.insert((c.first, c.second)));
    found.sort_by_key(|c| (c.first, c.second, c.kind));
    found
}

/// The first of two facts in file order, then the other.
fn pair(kind: ConflictKind, a: FactId, b: FactId) -> Conflict {
    Conflict {
        kind,
        first: a.min(b),
        second: Some(a.max(b)),
    }
}

/// The facts that change states, grouped by place, each group in replay order.
fn state_groups(model: &Model, facts: &[FactId]) -> Vec<Vec<FactId>> {
    let mut state: Vec<FactId> = facts
        .iter()
        .copied()
        .filter(|&f| changes_state(model, model.fact(f).relation))
        .collect();
    state.sort_by_key(|&f| (model.fact(f).object, replay_key(model, f)));
    state
        .chunk_by(|&a, &b| model.fact(a).object == model.fact(b).object)
        .map(<[FactId]>::to_vec)
        .collect()
}

fn held_already(model: &Model, facts: &[FactId], found: &mut Vec<Conflict>) {
    for place in state_groups(model, facts) {
        let spells = replay(model, &place);
        for (started, again) in versions::held_again(model, &spells) {
            found.push(Conflict {
                kind: ConflictKind::HeldAlready,
                first: started,
                second: Some(again),
            });
        }
        for rival in versions::rivals(model, &place, &spells) {
            if rival.kind == ConflictKind::EndedEarly {
                found.push(Conflict {
                    kind: ConflictKind::EndedEarly,
                    first: rival.version.started_by,
                    second: Some(rival.disputed),
                });
            }
        }
    }
}

fn two_holders(model: &Model, facts: &[FactId], found: &mut Vec<Conflict>) {
    for place in state_groups(model, facts) {
        let spells = replay(model, &place);
        // The capture, then the report disputing it, whichever file came first.
        for (change, report) in versions::reported_otherwise(model, &spells) {
            found.push(Conflict {
                kind: ConflictKind::TwoHolders,
                first: change,
                second: Some(report),
            });
        }
        for (a, b) in versions::two_holders(model, &place) {
            found.push(pair(ConflictKind::TwoHolders, a, b));
        }
    }
}

/// The root of a relation's family: `recaptured` and `overran` state a `captured`.
fn root(model: &Model, relation: RelationId) -> RelationId {
    model.ancestors(relation).last().unwrap_or(relation)
}

/// Whether facts of `a` and `b` deny each other, through their families' `contradicts`.
fn contradict(model: &Model, a: RelationId, b: RelationId) -> bool {
    model.ancestors(a).any(|x| {
        model
            .ancestors(b)
            .any(|y| model.relation(x).contradicts.contains(&y))
    })
}

/// Disjoint dates and contradictory relations: both compare facts about the same two ends.
fn by_ends(model: &Model, facts: &[FactId], found: &mut Vec<Conflict>) {
    let mut sorted = facts.to_vec();
    sorted.sort_by_key(|&f| {
        let fact = model.fact(f);
        (fact.subject, fact.object, f)
    });
    let same_ends = |&a: &FactId, &b: &FactId| {
        let (fa, fb) = (model.fact(a), model.fact(b));
        (fa.subject, fa.object) == (fb.subject, fb.object)
    };
    for group in sorted.chunk_by(same_ends) {
        for (i, &a) in group.iter().enumerate() {
            for &b in &group[i + 1..] {
                let (fa, fb) = (model.fact(a), model.fact(b));
                let days = |w: Option<When>| w.map(When::interval);
                let overlap = match (days(fa.when), days(fb.when)) {
                    (Some(x), Some(y)) => x.meets(y),
                    _ => true,
                };
                if overlap && contradict(model, fa.relation, fb.relation) {
                    found.push(pair(ConflictKind::Contradictory, a, b));
                } else if !overlap
                    && fa.source != fb.source
                    && fa.when.is_some_and(When::is_event)
                    && fb.when.is_some_and(When::is_event)
                    && root(model, fa.relation) == root(model, fb.relation)
                {
                    found.push(pair(ConflictKind::DisjointDates, a, b));
                }
            }
        }
    }
}

fn after_publication(model: &Model, facts: &[FactId], found: &mut Vec<Conflict>) {
    for &f in facts {
        let fact = model.fact(f);
        let published = model.source(fact.source).published;
        let late = fact
            .when
            .is_some_and(|w| crate::validate::after_publication(w, published));
        if late && !model.relation(fact.relation).hedged {
            found.push(Conflict {
                kind: ConflictKind::AfterPublication,
                first: f,
                second: None,
            });
        }
    }
}

/// The conflicts with a fact in the query's time scope, all or those with a fact about `entity`.
/// State facts are replayed as `show` replays them in the scope (in a period, from before it),
/// so that a hold begun earlier is still known.
pub fn answer(ev: &super::Evaluator<'_>, entity: Option<crate::model::EntityId>) -> super::Answer {
    let model = &ev.graph.model;
    let read = |f| match changes_state(model, model.fact(f).relation) {
        true => super::state::replayed(ev, f),
        false => ev.holds(f),
    };
    let mut conflicts = find(model, read);
    conflicts.retain(|c| c.facts().any(|f| ev.holds(f)));
    if let Some(e) = entity {
        conflicts.retain(|c| {
            c.facts().any(|f| {
                let fact = model.fact(f);
                fact.subject == e || fact.object == e
            })
        });
    }
    super::Answer::Conflicts { entity, conflicts }
}
