//! Entity cards and the states facts establish: who controlled a place, from when, until what.
//!
//! A relation declared with `starts_state` makes its subject hold that state over its object from the
//! fact's date, ending anyone else's hold; `ends_state` ends the subject's own hold. Facts are
//! replayed in date order (earliest possible day first, then file order), within the time slice.

use super::answer::{Answer, StateSpell};
use super::Evaluator;
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
    let mut objects: Vec<EntityId> = outgoing
        .iter()
        .map(|&f| graph.model.fact(f))
        .filter(|f| changes_state(ev, f.relation))
        .map(|f| f.object)
        .collect();
    objects.sort();
    objects.dedup();
    let holds = objects
        .into_iter()
        .flat_map(|o| spells_over(ev, o))
        .filter(|s| s.holder == entity)
        .collect();
    Answer::Show {
        entity,
        outgoing,
        incoming,
        held_by,
        holds,
    }
}

fn changes_state(ev: &Evaluator<'_>, relation: crate::model::RelationId) -> bool {
    let r = ev.graph.model.relation(relation);
    r.starts_state.is_some() || r.ends_state.is_some()
}

/// Replays the state-changing facts about `object` into spells, oldest first.
pub fn spells_over(ev: &Evaluator<'_>, object: EntityId) -> Vec<StateSpell> {
    let model = &ev.graph.model;
    let mut facts: Vec<FactId> = ev
        .graph
        .edges(object, Direction::Incoming)
        .filter(|&f| ev.holds(f) && changes_state(ev, model.fact(f).relation))
        .collect();
    facts.sort_by_key(|&f| (model.fact(f).when.map_or(i32::MIN, |w| w.sort_key()), f));
    let mut spells: Vec<StateSpell> = Vec::new();
    for f in facts {
        let fact = model.fact(f);
        let relation = model.relation(fact.relation);
        if let Some(state) = &relation.starts_state {
            let current = spells
                .iter_mut()
                .find(|s| &s.state == state && s.ended_by.is_none());
            match current {
                Some(s) if s.holder == fact.subject => continue,
                Some(s) => s.ended_by = Some(f),
                None => {}
            }
            spells.push(StateSpell {
                state: state.clone(),
                holder: fact.subject,
                started_by: f,
                ended_by: None,
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
