//! `changes`: the transitions of state (who held a place before, who after, by which fact), read
//! off the same replay that `show` draws its spells from, so the two can never disagree.
//!
//! A spell's start is a transition from whoever it ended ("nobody" after a withdrawal, "unknown"
//! when nothing earlier is known); a fact that ends a spell without starting another is a
//! transition to nobody. A first report that states no start (`as of`, `until`) names a holder but
//! not a change, and is left out. In a period, every fact is replayed and the transitions that may
//! fall in it are listed. Cost: O(state facts · log) per query.

use super::answer::{Answer, Holder, Transition};
use super::Evaluator;
use crate::date::When;
use crate::graph::spells::{began, changes_state, replay, replay_key, start_point, StateSpell};
use crate::model::{EntityId, FactId, Model};
use petgraph::Direction;

/// Whether a fact is replayed: in the slice and reported in time, but over all of time even in a
/// period, since a later report can date a change better (`as of` after the last sign of the old
/// holder) and an earlier fact says whom a change in the period replaced.
fn in_scope(ev: &Evaluator<'_>, fact: FactId) -> bool {
    let scope = crate::query::TimeScope {
        during: None,
        ..ev.scope
    };
    let model = &ev.graph.model;
    let f = model.fact(fact);
    scope
        .fact(f.when, model.source(f.source).published)
        .is_some()
}

/// The transitions of every place (or of `entity`, as place or as holder), in date order.
pub fn changes(ev: &Evaluator<'_>, entity: Option<EntityId>) -> Answer {
    let model = &ev.graph.model;
    let mut places: Vec<EntityId> = match entity {
        Some(e) => std::iter::once(e)
            .chain(
                ev.graph
                    .edges(e, Direction::Outgoing)
                    .map(|f| model.fact(f))
                    .filter(|f| changes_state(model, f.relation))
                    .map(|f| f.object),
            )
            .collect(),
        None => model
            .facts()
            .iter()
            .filter(|f| changes_state(model, f.relation))
            .map(|f| f.object)
            .collect(),
    };
    places.sort();
    places.dedup();
    let period = ev.scope.during.map(When::interval);
    let mut transitions: Vec<Transition> = places
        .into_iter()
        .flat_map(|place| transitions_of(ev, place))
        .filter(|t| period.is_none_or(|p| t.when.is_some_and(|w| w.during(p).is_some())))
        .filter(|t| {
            entity.is_none_or(|e| {
                t.place == e || t.from == Holder::Entity(e) || t.to == Holder::Entity(e)
            })
        })
        .collect();
    // Date order by the days each date may denote, then replay order within a place.
    transitions.sort_by_key(|t| {
        let days = t.when.map(When::interval);
        (
            days.map_or(i32::MIN, |d| d.first),
            days.map_or(i32::MIN, |d| d.last),
            replay_key(model, t.fact),
            t.place,
        )
    });
    Answer::Changes {
        entity,
        transitions,
    }
}

/// Replays one place and reads its transitions off the spells.
fn transitions_of(ev: &Evaluator<'_>, place: EntityId) -> Vec<Transition> {
    let model = &ev.graph.model;
    let mut facts: Vec<FactId> = ev
        .graph
        .edges(place, Direction::Incoming)
        .filter(|&f| changes_state(model, model.fact(f).relation) && in_scope(ev, f))
        .collect();
    facts.sort_by_key(|&f| replay_key(model, f));
    let spells = replay(model, &facts);
    let rivals = super::state::place_rivals(ev, place);
    let disputing = |fact: FactId| -> Vec<_> {
        rivals
            .iter()
            .filter(|r| r.disputed == fact)
            .cloned()
            .collect()
    };
    let mut out = Vec::new();
    for (i, spell) in spells.iter().enumerate() {
        let earlier = spells[..i].iter().filter(|s| s.state == spell.state);
        let before = earlier
            .clone()
            .find(|s| s.ended_by == Some(spell.started_by));
        let from = match before {
            Some(s) => Holder::Entity(s.holder),
            None if earlier.count() > 0 => Holder::Nobody,
            None => Holder::Unknown,
        };
        let started = model.fact(spell.started_by).when;
        let first_report = matches!(started, Some(When::AsOf(_) | When::Until(_)));
        // What last showed the old state: the old holder's latest report, or the fact that left
        // the place to nobody.
        let last_seen = match before {
            Some(s) => s.corroborated_by.last().copied().or(Some(s.started_by)),
            None => spells[..i]
                .iter()
                .rfind(|s| s.state == spell.state)
                .and_then(|s| s.ended_by),
        };
        if from != Holder::Unknown || !first_report {
            out.push(Transition {
                place,
                state: spell.state.clone(),
                from,
                to: Holder::Entity(spell.holder),
                fact: spell.started_by,
                when: started.map(|w| change_date(model, w, last_seen)),
                previous: before.and(last_seen),
                rivals: disputing(spell.started_by),
            });
        }
        if let Some(end) = spell.ended_by.filter(|&e| !starts_a_spell(&spells, e)) {
            out.push(Transition {
                place,
                state: spell.state.clone(),
                from: Holder::Entity(spell.holder),
                to: Holder::Nobody,
                fact: end,
                when: model.fact(end).when,
                previous: spell
                    .corroborated_by
                    .last()
                    .copied()
                    .or(Some(spell.started_by)),
                rivals: disputing(end),
            });
        }
    }
    out
}

/// When a change to a new holder happened. A report (`as of`, `until`) only says the change came
/// by its date; after the last sign of the old state, if that has a date to start from.
fn change_date(model: &Model, when: When, last_seen: Option<FactId>) -> When {
    let (When::AsOf(to) | When::Until(to)) = when else {
        return began(when);
    };
    match last_seen
        .and_then(|f| model.fact(f).when)
        .and_then(start_point)
    {
        // The old holder last seen on the report's own date: the change came that day.
        Some(from) if from == to => When::At(to),
        Some(from) if from.first_day() <= to.last_day() => When::Range { from, to },
        _ => When::By(to),
    }
}

fn starts_a_spell(spells: &[StateSpell], fact: FactId) -> bool {
    spells.iter().any(|s| s.started_by == fact)
}

/// Whether any relation of the model starts a state: without one, `changes` has nothing to read.
pub fn has_states(model: &Model) -> bool {
    model.relations.iter().any(|r| r.starts_state.is_some())
}
