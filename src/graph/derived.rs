//! States as relations: each state that relations start or end (`controls`) becomes a derived
//! relation, and each spell of it, replayed from the whole history, a derived fact (`ISIL controls
//! Tadmor 2015-05..2017-03`), so `match`, `neighbors ... via` and `why` can ask about it.
//!
//! Derived at graph build, not stored: the cache and exports keep only what was loaded, and the
//! spells are recomputed from it with the same replay `show` and `changes` use. A spell's date says
//! what the facts say: from its start to the fact that ended it, or, while open, the starting
//! fact's own date (an `as of` spell is then carried forward as last reported). Cost: O(state
//! facts · log), and O(relations) on a graph without states.

use super::spells::{changes_state, replay, replay_key, start_point, StateSpell};
use super::versions::{attach, rivals};
use crate::date::{DatePoint, When};
use crate::model::{Derived, Fact, FactId, Model, Origin, Relation};

pub fn derive(model: &Model) -> Derived {
    let mut derived = Derived::default();
    let taken = |name: &str| {
        model
            .relations
            .iter()
            .any(|r| r.name == name || r.inverse.as_deref() == Some(name))
    };
    for r in &model.relations {
        for state in [&r.starts_state, &r.ends_state].into_iter().flatten() {
            if taken(state) || derived.relations.iter().any(|d| &d.name == state) {
                continue;
            }
            derived.relations.push(state_relation(state, r.origin));
        }
    }
    if derived.relations.is_empty() {
        return derived;
    }
    let mut facts: Vec<FactId> = (0..model.facts().len() as u32)
        .map(FactId)
        .filter(|&f| changes_state(model, model.fact(f).relation))
        .collect();
    facts.sort_by_key(|&f| (model.fact(f).object, replay_key(model, f)));
    for place in facts.chunk_by(|&a, &b| model.fact(a).object == model.fact(b).object) {
        let mut spells = replay(model, place);
        let rivals = rivals(model, place, &spells);
        attach(&mut spells, &rivals);
        // Another holder's version stands beside the replay's, so a `match` at a date in
        // dispute finds both holders.
        let versions = rivals
            .iter()
            .filter(|r| {
                spells
                    .iter()
                    .all(|s| s.holder != r.version.holder || !s.rivals.contains(r))
            })
            .map(|r| StateSpell {
                rivals: vec![r.clone()],
                ..r.version.clone()
            });
        for spell in spells.clone().into_iter().chain(versions) {
            let Some(i) = derived.relations.iter().position(|r| r.name == spell.state) else {
                continue;
            };
            let start = model.fact(spell.started_by);
            derived.facts.push(Fact {
                subject: spell.holder,
                relation: model.derived_relation_id(i),
                object: start.object,
                source: start.source,
                when: spell_date(model, &spell),
                origin: start.origin,
            });
            let evidence = std::iter::once(spell.started_by)
                .chain(spell.ended_by)
                .chain(spell.corroborated_by.iter().copied())
                .collect();
            derived.evidence.push(evidence);
            derived
                .contested
                .push(!spell.rivals.is_empty() || spell.end_contested);
        }
    }
    derived
}

fn state_relation(state: &str, origin: Origin) -> Relation {
    Relation {
        name: state.to_string(),
        inverse: None,
        symmetric: false,
        domain: Vec::new(),
        range: Vec::new(),
        broader: None,
        description: Some(format!(
            "who held `{state}` over what, replayed from the relations that start and end it"
        )),
        starts_state: None,
        ends_state: None,
        self_loops: true,
        hedged: false,
        contradicts: Vec::new(),
        origin,
    }
}

/// The days a spell lasted as a date: its start to the fact that ended it, or while open the
/// starting fact's own date.
fn spell_date(model: &Model, spell: &StateSpell) -> Option<When> {
    let started = model.fact(spell.started_by).when;
    let Some(end) = spell.ended_by else {
        // An open spell begun by an event lasts from it on.
        return match started {
            Some(When::At(p)) => Some(When::Since(p)),
            other => other,
        };
    };
    let Some(to) = model.fact(end).when.map(end_point) else {
        return started;
    };
    match started.and_then(start_point) {
        Some(from) if from.first_day() <= to.last_day() => Some(When::Range { from, to }),
        Some(_) => started,
        None => Some(When::Until(to)),
    }
}

/// The latest point an ending fact's date names.
fn end_point(when: When) -> DatePoint {
    match when {
        When::Range { to, .. } => to,
        When::At(p) | When::Since(p) | When::Until(p) | When::AsOf(p) | When::By(p) => p,
    }
}
