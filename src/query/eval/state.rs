//! Entity cards and the states facts establish: who controlled a place, from when, until what.
//!
//! A relation declared with `starts_state` makes its subject hold that state over its object from the
//! fact's date, ending anyone else's hold; `ends_state` ends the subject's own hold. Facts are
//! replayed in the order of the days they may denote (earliest day, then latest day, then file
//! order). A fact by the side already holding the place corroborates its spell rather than
//! starting another. An `as of` fact starts a spell on its date, not before, and the spell is
//! carried forward until a later fact changes it: answers label it "last reported". An `as of`
//! report that the side a capture displaced still holds the place is a second version of the
//! spell, not a change back (`reports_otherwise`).
//!
//! In a time slice (`at`, `reported`) only the facts standing in it are replayed. In a period
//! (`during P`), every fact up to P's last day is replayed, so that a place taken before P is still
//! known to be held in it, and the spells that meet P are kept.

use super::answer::{Answer, StateSpell};
use super::Evaluator;
use crate::date::{DatePoint, Interval, When};
use crate::model::{EntityId, FactId, Model, RelationId};
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

pub(crate) fn changes_state(model: &Model, relation: RelationId) -> bool {
    let r = model.relation(relation);
    r.starts_state.is_some() || r.ends_state.is_some()
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
    super::versions::attach(&mut spells, &place_rivals(ev, object));
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
pub(crate) fn place_rivals(ev: &Evaluator<'_>, object: EntityId) -> Vec<super::versions::Rival> {
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
    super::versions::rivals(model, &facts, &spells)
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
    let captures = || evidence().filter(|&f| super::versions::is_event(model.fact(f).when));
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
