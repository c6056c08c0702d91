//! Folding a subgraph too large to draw: the least connected entities are taken out of the
//! picture, each counted on a drawn neighbour, until few enough are left to read on one screen.
//!
//! The rule, so that a reader can predict it: repeatedly take the drawn entity with the fewest
//! drawn neighbours (then the fewest facts with them, then the first by id) out of the picture.
//! Leaves go first, then chains and fringes, so what stays is the most interconnected part: the
//! core of the story. Each entity taken out is counted on the drawn neighbour it shares the most
//! facts with, preferring one of its own kind (then the one with the most neighbours, then the
//! first by id), or, when none of its neighbours is still drawn, where the last of them went.
//! Its facts are not drawn: every line left is a fact between the two entities it joins, never a
//! guess through an entity no longer shown. Entities to `keep` (a path, the focus) stay drawn.
//! When only unconnected entities are left to take out, the smallest of them are left out of the
//! picture entirely.

use super::Subgraph;
use crate::model::{EntityId, Model};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

/// Which drawn entity each entity of a subgraph is counted on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Folding {
    /// For every entity in the picture, the drawn entity it is counted on (itself if drawn).
    /// Entities left out are absent.
    pub drawn_as: BTreeMap<EntityId, EntityId>,
    /// How many entities were left out: unconnected ones, when folding alone could not reach `max`.
    pub left_out: usize,
}

/// Folds `sub` (normalized) until at most `max` entities are drawn, or only kept ones are left.
/// O(f log f) for f facts in `sub`: one sort of their ends, then every entity taken out updates
/// each of its neighbours once, with an O(log f) heap push.
pub fn fold(model: &Model, sub: &Subgraph, keep: &BTreeSet<EntityId>, max: usize) -> Folding {
    let mut state = State::new(model, sub);
    let kept: Vec<bool> = sub.entities.iter().map(|e| keep.contains(e)).collect();
    let mut queue: BinaryHeap<Reverse<Key>> = (0..sub.entities.len())
        .filter(|&i| !kept[i])
        .map(|i| Reverse(state.key(i)))
        .collect();
    let mut drawn = sub.entities.len();
    while drawn > max {
        let Some(Reverse(key)) = queue.pop() else {
            break;
        };
        let i = key.3;
        // Entries are pushed again when an entity changes; only its latest one counts.
        if !state.drawn[i] || key != state.key(i) {
            continue;
        }
        let Some(target) = state.target(model, i) else {
            continue;
        };
        for changed in state.take_out(i, target) {
            if !kept[changed] {
                queue.push(Reverse(state.key(changed)));
            }
        }
        drawn -= 1;
    }
    state.finish(&kept, drawn, max)
}

/// (drawn neighbours, facts with them, entity, its index): the least is taken out first.
type Key = (usize, u32, EntityId, usize);

/// Entities by their index in the subgraph's sorted list.
struct State<'s> {
    entities: &'s [EntityId],
    /// Each entity's distinct neighbours with the facts shared, at `start[i]..start[i + 1]`.
    start: Vec<usize>,
    adjacent: Vec<(usize, u32)>,
    drawn: Vec<bool>,
    /// Drawn neighbours, and the facts shared with them.
    degree: Vec<usize>,
    facts: Vec<u32>,
    /// For an entity whose neighbours have all been taken out: the last of them, whose place it
    /// is counted in when its own turn comes.
    last_lost: Vec<Option<usize>>,
    counted_on: Vec<Option<usize>>,
}

impl<'s> State<'s> {
    fn new(model: &Model, sub: &'s Subgraph) -> State<'s> {
        let entities = sub.entities.as_slice();
        let index = |e: EntityId| entities.binary_search(&e).ok();
        let mut ends: Vec<(usize, usize)> = Vec::with_capacity(sub.facts.len() * 2);
        for &f in &sub.facts {
            let fact = model.fact(f);
            if let (Some(s), Some(o)) = (index(fact.subject), index(fact.object)) {
                if s != o {
                    ends.extend([(s, o), (o, s)]);
                }
            }
        }
        ends.sort_unstable();
        let n = entities.len();
        let mut start = vec![0; n + 1];
        let mut adjacent: Vec<(usize, u32)> = Vec::new();
        let (mut degree, mut facts) = (vec![0; n], vec![0u32; n]);
        for &(a, b) in &ends {
            match adjacent.last_mut() {
                Some((last, count)) if start[a + 1] > 0 && *last == b => *count += 1,
                _ => {
                    adjacent.push((b, 1));
                    degree[a] += 1;
                }
            }
            facts[a] += 1;
            start[a + 1] = adjacent.len();
        }
        // Entities without neighbours end where the one before them ended.
        for i in 1..=n {
            start[i] = start[i].max(start[i - 1]);
        }
        State {
            entities,
            start,
            adjacent,
            drawn: vec![true; n],
            degree,
            facts,
            last_lost: vec![None; n],
            counted_on: vec![None; n],
        }
    }

    fn key(&self, i: usize) -> Key {
        (self.degree[i], self.facts[i], self.entities[i], i)
    }

    fn neighbours(&self, i: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        self.adjacent[self.start[i]..self.start[i + 1]]
            .iter()
            .copied()
            .filter(|&(n, _)| self.drawn[n])
    }

    /// The entity `i` is counted on when taken out: see the module's rule. `None` when it has
    /// never had a neighbour, and so can only be left out.
    fn target(&self, model: &Model, i: usize) -> Option<usize> {
        let kind = model.entity(self.entities[i]).kind;
        let best = self
            .neighbours(i)
            .max_by_key(|&(n, shared)| {
                let same = model.entity(self.entities[n]).kind == kind;
                (same, shared, self.degree[n], Reverse(n))
            })
            .map(|(n, _)| n);
        best.or_else(|| self.last_lost[i].map(|n| self.resolve(n)))
            .filter(|&t| t != i)
    }

    /// The drawn entity `i` is counted on, following the chain of those taken out.
    fn resolve(&self, mut i: usize) -> usize {
        while let Some(up) = self.counted_on[i] {
            i = up;
        }
        i
    }

    /// Takes `i` out of the picture, counted on `target`; returns the entities whose keys changed.
    fn take_out(&mut self, i: usize, target: usize) -> Vec<usize> {
        self.drawn[i] = false;
        self.counted_on[i] = Some(target);
        let changed: Vec<(usize, u32)> = self.neighbours(i).collect();
        for &(n, shared) in &changed {
            self.degree[n] -= 1;
            self.facts[n] -= shared;
            if self.degree[n] == 0 {
                self.last_lost[n] = Some(i);
            }
        }
        changed.into_iter().map(|(n, _)| n).collect()
    }

    /// Resolves chains of entities taken out, and leaves out the smallest unconnected groups
    /// beyond `max`.
    fn finish(self, kept: &[bool], mut drawn: usize, max: usize) -> Folding {
        let n = self.entities.len();
        let home: Vec<usize> = (0..n).map(|i| self.resolve(i)).collect();
        let mut out = vec![false; n];
        if drawn > max {
            let mut members = vec![0usize; n];
            for &h in &home {
                members[h] += 1;
            }
            let mut alone: Vec<(usize, usize)> = (0..n)
                .filter(|&i| self.drawn[i] && self.degree[i] == 0 && !kept[i])
                .map(|i| (members[i], i))
                .collect();
            alone.sort_unstable();
            for (_, i) in alone {
                if drawn <= max {
                    break;
                }
                out[i] = true;
                drawn -= 1;
            }
        }
        let mut folding = Folding::default();
        for (i, &h) in home.iter().enumerate() {
            if out[h] {
                folding.left_out += 1;
            } else {
                folding.drawn_as.insert(self.entities[i], self.entities[h]);
            }
        }
        folding
    }
}
