//! States replayed on both sides (the replay `changes` and `show` use) and compared place by place:
//! the transitions only one side has, and the periods in which the sides name different holders.
//!
//! A holder is counted from the first day of the date its change is given (a change in `2017-03`
//! from 1 March), so a change dated more precisely on one side shows as a short period of
//! difference: that is what the two sides say, not noise. A first report (`as of`), which
//! `changes` leaves out because it names no change, still names a holder here.

use super::{
    entity_ref, facts::fact_ref, through, EntityRef, HeldDifferently, HolderRef, MergeMap,
    StateChange, TransitionRef,
};
use crate::date::{Day, When};
use crate::graph::KnowledgeGraph;
use crate::model::Model;
use crate::query::answer::{Answer, Holder, Transition};
use crate::query::eval::{changes::changes, CancelToken, Evaluator};
use crate::query::TimeScope;
use std::collections::{BTreeMap, BTreeSet};

/// A place and a state, by ids as NEW knows them.
type Key = (String, String);

/// One side's history of a state over a place.
#[derive(Default)]
struct History {
    place: Option<EntityRef>,
    transitions: Vec<(TransitionKey, TransitionRef)>,
    /// Who holds the state from which day, in replay order.
    steps: Vec<Step>,
}

/// What makes two transitions the same change: when, from whom, to whom, by which relation.
type TransitionKey = (Option<String>, String, String, String);

struct Step {
    day: Day,
    date: Option<String>,
    holder: HolderRef,
    /// The holder's id as NEW knows it, or `nobody` / `unknown`: what is compared.
    key: String,
}

pub fn compare(old: &KnowledgeGraph, new: &KnowledgeGraph, merges: &MergeMap) -> Vec<StateChange> {
    let old_histories = histories(old, merges);
    let new_histories = histories(new, &MergeMap::new());
    let keys: BTreeSet<&Key> = old_histories.keys().chain(new_histories.keys()).collect();
    let empty = History::default();
    let mut out = Vec::new();
    for key in keys {
        let was = old_histories.get(key).unwrap_or(&empty);
        let is = new_histories.get(key).unwrap_or(&empty);
        let (removed, added) = transitions_apart(&was.transitions, &is.transitions);
        let held = held_differently(&was.steps, &is.steps);
        if removed.is_empty() && added.is_empty() && held.is_empty() {
            continue;
        }
        let Some(place) = is.place.clone().or_else(|| was.place.clone()) else {
            continue;
        };
        out.push(StateChange {
            place,
            state: key.1.clone(),
            held,
            removed,
            added,
        });
    }
    out
}

/// Every place's history of every state, replayed over all of time.
fn histories(graph: &KnowledgeGraph, merges: &MergeMap) -> BTreeMap<Key, History> {
    let model = &graph.model;
    let cancel = CancelToken::new();
    let ev = Evaluator::new(graph, TimeScope::default(), &cancel);
    let Answer::Changes { transitions, .. } = changes(&ev, None) else {
        return BTreeMap::new();
    };
    let mut out: BTreeMap<Key, History> = BTreeMap::new();
    let mut changing = BTreeSet::new();
    for t in &transitions {
        let place_id = through(merges, &model.entity(t.place).id).to_string();
        let h = out.entry((place_id, t.state.clone())).or_default();
        h.place = Some(entity_ref(model, t.place));
        let (from, to) = (holder(model, t.from, merges), holder(model, t.to, merges));
        let relation = model.relation(model.fact(t.fact).relation).name.clone();
        let key = (
            t.when.map(|w| w.to_string()),
            from.1,
            to.1.clone(),
            relation,
        );
        h.transitions
            .push((key, transition_ref(model, t, from.0, to.0.clone())));
        if let Holder::Entity(_) = t.to {
            changing.insert(t.fact);
        }
        h.steps.push(step(t.when, to.0, to.1));
    }
    // First reports: a holder named without a change. Only a place's first spell can be one;
    // the derived facts after it are later spells or other sources' versions, which stand beside
    // the replay rather than in its history.
    let derived = model.derived();
    let mut first = BTreeSet::new();
    for (fact, evidence) in derived.facts.iter().zip(&derived.evidence) {
        let Some(&started_by) = evidence.first() else {
            continue;
        };
        if !first.insert((fact.object, fact.relation)) || changing.contains(&started_by) {
            continue;
        }
        let place_id = through(merges, &model.entity(fact.object).id).to_string();
        let state = model.relation(fact.relation).name.clone();
        let h = out.entry((place_id, state)).or_default();
        h.place = Some(entity_ref(model, fact.object));
        let (shown, key) = holder(model, Holder::Entity(fact.subject), merges);
        h.steps.push(step(model.fact(started_by).when, shown, key));
    }
    for h in out.values_mut() {
        // Stable: same-day changes keep their replay order.
        h.steps.sort_by_key(|s| s.day);
    }
    out
}

fn step(when: Option<When>, holder: HolderRef, key: String) -> Step {
    let point = when.map(|w| match w {
        When::Range { from, .. } => from,
        When::At(p) | When::Since(p) | When::Until(p) | When::AsOf(p) | When::By(p) => p,
    });
    Step {
        day: point.map_or(Day::MIN, |p| p.first_day()),
        date: point.map(|p| p.to_string()),
        holder,
        key,
    }
}

/// A holder as shown, and as compared.
fn holder(model: &Model, holder: Holder, merges: &MergeMap) -> (HolderRef, String) {
    match holder {
        Holder::Entity(e) => {
            let r = entity_ref(model, e);
            let key = through(merges, &r.id).to_string();
            (
                HolderRef {
                    id: Some(r.id),
                    name: r.name,
                },
                key,
            )
        }
        Holder::Nobody => (nobody("nobody"), "nobody".to_string()),
        Holder::Unknown => (nobody("unknown"), "unknown".to_string()),
    }
}

fn nobody(name: &str) -> HolderRef {
    HolderRef {
        id: None,
        name: name.to_string(),
    }
}

fn transition_ref(model: &Model, t: &Transition, from: HolderRef, to: HolderRef) -> TransitionRef {
    let fact = fact_ref(model, t.fact);
    TransitionRef {
        when: t.when.map(|w| w.to_string()),
        from,
        to,
        relation: fact.relation,
        source: fact.source,
        quote: fact.quote,
        at: fact.at,
    }
}

/// The transitions only OLD has, and only NEW has (a multiset difference by key, in each side's
/// order). O(n log n).
fn transitions_apart(
    old: &[(TransitionKey, TransitionRef)],
    new: &[(TransitionKey, TransitionRef)],
) -> (Vec<TransitionRef>, Vec<TransitionRef>) {
    let only = |these: &[(TransitionKey, TransitionRef)],
                others: &[(TransitionKey, TransitionRef)]| {
        let mut counts: BTreeMap<&TransitionKey, usize> = BTreeMap::new();
        for (key, _) in others {
            *counts.entry(key).or_default() += 1;
        }
        let mut out = Vec::new();
        for (key, t) in these {
            match counts.get_mut(key) {
                Some(n) if *n > 0 => *n -= 1,
                _ => out.push(t.clone()),
            }
        }
        out
    };
    (only(old, new), only(new, old))
}

/// The periods, between consecutive changes on either side, in which the sides' holders differ;
/// neighbouring periods with the same two holders are one. Steps are in day order; one pass over
/// both, O(steps · log).
fn held_differently(old: &[Step], new: &[Step]) -> Vec<HeldDifferently> {
    let mut bounds: Vec<(Day, Option<String>)> = old
        .iter()
        .chain(new)
        .map(|s| (s.day, s.date.clone()))
        .collect();
    bounds.sort_by_key(|b| b.0);
    bounds.dedup_by_key(|b| b.0);
    let mut cursors = [Cursor::new(old), Cursor::new(new)];
    let mut out: Vec<HeldDifferently> = Vec::new();
    let mut last_pair: Option<(String, String)> = None;
    for (i, (day, date)) in bounds.iter().enumerate() {
        let [o, n] = cursors.each_mut().map(|c| c.holder_at(*day));
        let to = bounds.get(i + 1).and_then(|b| b.1.clone());
        if o.key == n.key {
            last_pair = None;
            continue;
        }
        let pair = (o.key.clone(), n.key.clone());
        match out.last_mut() {
            Some(previous) if last_pair.as_ref() == Some(&pair) => previous.to = to,
            _ => out.push(HeldDifferently {
                from: date.clone(),
                to,
                old: o.holder.clone(),
                new: n.holder.clone(),
            }),
        }
        last_pair = Some(pair);
    }
    out
}

/// Walks one side's steps forwards as the days asked for grow.
struct Cursor<'a> {
    steps: &'a [Step],
    next: usize,
    unknown: Step,
}

impl<'a> Cursor<'a> {
    fn new(steps: &'a [Step]) -> Cursor<'a> {
        Cursor {
            steps,
            next: 0,
            unknown: Step {
                day: Day::MIN,
                date: None,
                holder: nobody("unknown"),
                key: "unknown".to_string(),
            },
        }
    }

    /// The holder on `day` (the last step by then; the last of a day's steps), for days asked in
    /// ascending order.
    fn holder_at(&mut self, day: Day) -> &Step {
        while self.steps.get(self.next).is_some_and(|s| s.day <= day) {
            self.next += 1;
        }
        match self.next {
            0 => &self.unknown,
            i => &self.steps[i - 1],
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn s(day: Day, key: &str) -> Step {
        Step {
            day,
            date: Some(format!("d{day}")),
            holder: nobody(key),
            key: key.to_string(),
        }
    }

    #[test]
    fn periods_of_difference_run_from_one_change_to_the_next_on_either_side() {
        let old = [s(1, "isil"), s(5, "gov"), s(9, "isil"), s(12, "gov")];
        let new = [s(1, "isil"), s(5, "gov")];
        let held = held_differently(&old, &new);
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].from.as_deref(), Some("d9"));
        assert_eq!(held[0].to.as_deref(), Some("d12"));
        assert_eq!(
            (held[0].old.name.as_str(), held[0].new.name.as_str()),
            ("isil", "gov")
        );
        // Adjacent periods with the same pair of holders are one; an open end stays open.
        let held = held_differently(&[s(1, "a"), s(3, "a")], &[s(1, "b"), s(2, "b")]);
        assert_eq!(held.len(), 1);
        assert_eq!(
            (held[0].from.as_deref(), held[0].to.as_deref()),
            (Some("d1"), None)
        );
        assert!(held_differently(&old, &old).is_empty());
    }
}
