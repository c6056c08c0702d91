//! Entity cards and the states facts establish: who controlled a place, from when, until what,
//! in the evaluator's time slice (the replay itself is [`crate::graph::spells`]).
//!
//! In a time slice (`at`, `reported`) only the facts standing in it are replayed. In a period
//! (`during P`), every fact up to P's last day is replayed, so that a place taken before P is still
//! known to be held in it, and the spells that meet P are kept.

use super::answer::Answer;
use super::Evaluator;
use crate::graph::spells::Rival;
use crate::graph::spells::{began, changes_state, replay, replay_key, spell_days, StateSpell};
use crate::graph::versions;
use crate::model::{EntityId, FactId};
use petgraph::Direction;

pub fn show(ev: &Evaluator<'_>, entity: EntityId) -> Answer {
    let graph = ev.graph;
    let dated = |facts: Vec<FactId>| {
        let mut facts: Vec<FactId> = facts.into_iter().filter(|&f| ev.holds(f)).collect();
        facts.sort_by_key(|&f| {
            (
                graph.model.fact(f).when.map_or(i32::MAX, |w| w.sort_key()),
                f,
            )
        });
        facts
    };
    let outgoing = dated(graph.edges(entity, Direction::Outgoing).collect());
    let incoming = dated(graph.edges(entity, Direction::Incoming).collect());
    let held_by = spells_over(ev, entity);
    let holds = spells_held_by(ev, entity);
    Answer::Show {
        entity,
        outgoing,
        incoming,
        held_by,
        holds,
    }
}

/// The spells `holder` held over any place, place by place.
pub fn spells_held_by(ev: &Evaluator<'_>, holder: EntityId) -> Vec<StateSpell> {
    let model = &ev.graph.model;
    let mut objects: Vec<EntityId> = ev
        .graph
        .edges(holder, Direction::Outgoing)
        .map(|f| model.fact(f))
        .filter(|f| changes_state(model, f.relation))
        .map(|f| f.object)
        .collect();
    objects.sort();
    objects.dedup();
    objects
        .into_iter()
        .flat_map(|o| spells_over(ev, o))
        .filter(|s| s.holder == holder)
        .collect()
}

/// Whether a state fact is read by the replay under the query's scope: in a slice, the facts
/// standing in it; in a period, every fact whose change may have happened by its last day (and in
/// the slice, if one is set). An `as of` report after the period still counts: the change it
/// reports may have come within the period.
pub(crate) fn replayed(ev: &Evaluator<'_>, fact: FactId) -> bool {
    let Some(period) = ev.scope.during else {
        return ev.holds(fact);
    };
    let model = &ev.graph.model;
    let f = model.fact(fact);
    let scope = crate::query::TimeScope {
        during: None,
        ..ev.scope
    };
    let published = model.source(f.source).published;
    scope.fact(f.when, published).is_some()
        && f.when
            .is_none_or(|w| began(w).interval().first <= period.interval().last)
}

/// Replays the state-changing facts about `object` into spells, oldest first; in a period, only
/// the spells that meet it.
pub fn spells_over(ev: &Evaluator<'_>, object: EntityId) -> Vec<StateSpell> {
    let model = &ev.graph.model;
    let mut facts: Vec<FactId> = ev
        .graph
        .edges(object, Direction::Incoming)
        .filter(|&f| changes_state(model, model.fact(f).relation) && replayed(ev, f))
        .collect();
    facts.sort_by_key(|&f| replay_key(model, f));
    let mut spells = replay(model, &facts);
    versions::attach(&mut spells, &place_rivals(ev, object));
    if let Some(period) = ev.scope.during {
        let period = period.interval();
        spells.retain(|s| {
            let days = spell_days(model, s);
            days.first <= period.last && days.last >= period.first
        });
    }
    spells
}

/// Where sources disagree about who held `object`: read off the replay of its whole history (as
/// reported by the query's `reported` date), so that a slice still shows a version that only a
/// fact outside it completes.
pub(crate) fn place_rivals(ev: &Evaluator<'_>, object: EntityId) -> Vec<Rival> {
    let model = &ev.graph.model;
    let scope = crate::query::TimeScope {
        at: None,
        during: None,
        ..ev.scope
    };
    let mut facts: Vec<FactId> = ev
        .graph
        .edges(object, Direction::Incoming)
        .filter(|&f| {
            let fact = model.fact(f);
            changes_state(model, fact.relation)
                && scope
                    .fact(fact.when, model.source(fact.source).published)
                    .is_some()
        })
        .collect();
    facts.sort_by_key(|&f| replay_key(model, f));
    let spells = replay(model, &facts);
    versions::rivals(model, &facts, &spells)
}
