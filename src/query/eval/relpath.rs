//! Relation paths in `match` patterns (`located_in+`, `(a|b){1,3}`, `a|^b`), as an automaton the
//! join walks breadth first over (entity, state) pairs.
//!
//! Semantics are SPARQL 1.1's property paths: a path pattern matches the set of distinct
//! (start, end) pairs joined by some walk whose relations spell a word of the path; `*` and `{0,m}`
//! match every entity with itself (a named entity too, even one with no facts). `{n,m}` (not in
//! SPARQL 1.1) is the union of the fixed-length sequences of n to m hops. Every hop is a fact in the
//! query's time scope, read like `via` reads it (symmetric relations either way). The evidence of
//! a pair is the facts of one shortest witness walk, the first found breadth first.
//!
//! Cost: one search from a bound end is O((V + E) * Q) for Q automaton states (capped at
//! [`MAX_STATES`]); with both ends unbound, one search per entity, each started only when the join
//! asks for more rows, so memory holds one search at a time. The states a search visits are
//! charged to the query's memory budget and the cancel token is polled per edge.

use super::distinct::Budget;
use super::{EvalError, Evaluator, Reach};
use crate::graph::RelationMatch;
use crate::model::{EntityId, FactId};
use crate::query::ast::Direction;
use hashbrown::HashMap;

/// States an automaton may have: `(a{1,100}){1,100}` would need ten thousand.
pub const MAX_STATES: usize = 2_000;

/// A relation path with its relations looked up, before it is compiled.
#[derive(Debug, Clone)]
pub enum RExpr {
    Rel(RelationMatch),
    Alt(Vec<RExpr>),
    Repeat(Box<RExpr>, u32, Option<u32>),
    Inverse(Box<RExpr>),
}

/// What a path compiles to: one hop by any of several relations read the same way, which the
/// join matches fact by fact like a plain relation, or an automaton.
pub enum Compiled {
    OneHop(RelationMatch),
    Path(PathAutomaton),
}

/// A path without empty moves: `moves[q]` are the (relation, next state) pairs out of state `q`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathAutomaton {
    labels: Vec<RelationMatch>,
    moves: Vec<Vec<(u32, u32)>>,
    /// The same moves, reversed: what a search from the end follows.
    back: Vec<Vec<(u32, u32)>>,
    accepting: Vec<bool>,
}

const START: u32 = 0;

/// The relations of one hop when the path is alternatives read the same way round, merged.
fn one_hop(expr: &RExpr, flip: bool, out: &mut Vec<RelationMatch>) -> bool {
    match expr {
        RExpr::Rel(m) => {
            out.push(RelationMatch {
                relations: m.relations.clone(),
                backwards: m.backwards ^ flip,
            });
            true
        }
        RExpr::Alt(items) => items.iter().all(|i| one_hop(i, flip, out)),
        RExpr::Inverse(inner) => one_hop(inner, !flip, out),
        RExpr::Repeat(..) => false,
    }
}

/// Compiles a path; `Err` with the reason when its automaton would pass [`MAX_STATES`].
pub fn compile(expr: &RExpr) -> Result<Compiled, String> {
    let mut hops = Vec::new();
    if one_hop(expr, false, &mut hops) {
        let backwards = hops.first().is_some_and(|m| m.backwards);
        if hops.iter().all(|m| m.backwards == backwards) {
            let mut relations: Vec<_> = hops.into_iter().flat_map(|m| m.relations).collect();
            relations.sort_unstable();
            relations.dedup();
            return Ok(Compiled::OneHop(RelationMatch {
                relations,
                backwards,
            }));
        }
    }
    let mut b = Builder::default();
    let (start, accept) = (b.state()?, b.state()?);
    b.build(expr, start, accept, false)?;
    Ok(Compiled::Path(b.finish(accept)))
}

#[derive(Default)]
struct Builder {
    labels: Vec<RelationMatch>,
    /// Moves by a relation (label index) or empty (`None`).
    moves: Vec<Vec<(Option<u32>, u32)>>,
}

fn too_large() -> String {
    format!("this relation path needs more than {MAX_STATES} states; repeat fewer times")
}

impl Builder {
    fn state(&mut self) -> Result<u32, String> {
        if self.moves.len() >= MAX_STATES {
            return Err(too_large());
        }
        self.moves.push(Vec::new());
        Ok(self.moves.len() as u32 - 1)
    }

    fn empty(&mut self, from: u32, to: u32) {
        self.moves[from as usize].push((None, to));
    }

    /// Moves from `from` to `to` spelling exactly the words of `expr`; the construction adds no
    /// move into `from` unless `from == to`, which only a repetition asks for.
    fn build(&mut self, expr: &RExpr, from: u32, to: u32, flip: bool) -> Result<(), String> {
        match expr {
            RExpr::Rel(m) => {
                let label = self.labels.len() as u32;
                self.labels.push(RelationMatch {
                    relations: m.relations.clone(),
                    backwards: m.backwards ^ flip,
                });
                self.moves[from as usize].push((Some(label), to));
            }
            RExpr::Alt(items) => {
                for item in items {
                    self.build(item, from, to, flip)?;
                }
            }
            // Without sequences a path reads the same reversed, so flipping each hop inverts it.
            RExpr::Inverse(inner) => self.build(inner, from, to, !flip)?,
            RExpr::Repeat(inner, min, max) => {
                let mut at = from;
                for _ in 0..*min {
                    let next = self.state()?;
                    self.build(inner, at, next, flip)?;
                    at = next;
                }
                match max {
                    None => {
                        let pivot = self.state()?;
                        self.empty(at, pivot);
                        self.build(inner, pivot, pivot, flip)?;
                        self.empty(pivot, to);
                    }
                    Some(max) => {
                        for _ in *min..*max {
                            self.empty(at, to);
                            let next = self.state()?;
                            self.build(inner, at, next, flip)?;
                            at = next;
                        }
                        self.empty(at, to);
                    }
                }
            }
        }
        Ok(())
    }

    /// Drops the empty moves: each state takes the relation moves of every state it reaches by
    /// empty ones, and accepts if one of those is the accepting state.
    fn finish(self, accept: u32) -> PathAutomaton {
        let n = self.moves.len();
        let mut moves = vec![Vec::new(); n];
        let mut accepting = vec![false; n];
        for q in 0..n {
            let mut seen = vec![false; n];
            let mut stack = vec![q as u32];
            seen[q] = true;
            while let Some(s) = stack.pop() {
                accepting[q] |= s == accept;
                for &(label, to) in &self.moves[s as usize] {
                    match label {
                        Some(l) => moves[q].push((l, to)),
                        None if !seen[to as usize] => {
                            seen[to as usize] = true;
                            stack.push(to);
                        }
                        None => {}
                    }
                }
            }
            moves[q].sort_unstable();
            moves[q].dedup();
        }
        let mut back = vec![Vec::new(); n];
        for (q, out) in moves.iter().enumerate() {
            for &(label, to) in out {
                back[to as usize].push((label, q as u32));
            }
        }
        PathAutomaton {
            labels: self.labels,
            moves,
            back,
            accepting,
        }
    }
}

/// Bytes one visited (entity, state) costs: its key and parent in a hash map, with slack.
const STATE_BYTES: usize = 48;

/// A visited (entity, state): how it was reached (previous entity and state, and the fact).
type Parent = (u32, u32, FactId);

/// The pairs of a path pattern for the join: the other end and the facts of its witness walk.
pub(super) struct PathCursor {
    /// The end searched from, and whether that is the object (the search runs backwards).
    from: Option<EntityId>,
    backwards: bool,
    /// The other end, when bound: the search stops there.
    target: Option<EntityId>,
    /// With both ends unbound, the next entity to search from.
    next_start: u32,
    found: Vec<(EntityId, EntityId, Vec<FactId>)>,
    at: usize,
    /// What the current search's results hold of the budget.
    held: usize,
}

/// What a path level gives the join next.
pub(super) enum Next<'a> {
    /// Subject, object, and the facts of the witness walk.
    Pair(EntityId, EntityId, &'a [FactId]),
    Done,
    /// The memory budget ran out.
    OutOfMemory,
}

impl PathCursor {
    pub(super) fn new(subject: Option<EntityId>, object: Option<EntityId>) -> PathCursor {
        let (from, backwards, target) = match (subject, object) {
            (Some(s), o) => (Some(s), false, o),
            (None, Some(o)) => (Some(o), true, None),
            (None, None) => (None, false, None),
        };
        PathCursor {
            from,
            backwards,
            target,
            next_start: 0,
            found: Vec::new(),
            at: 0,
            held: 0,
        }
    }

    /// Gives back what the cursor holds of the budget.
    pub(super) fn release(&mut self, budget: &mut Budget) {
        budget.give(self.held);
        self.held = 0;
    }

    /// The next (subject, object, witness) pair, or `None` when there are no more.
    pub(super) fn next(
        &mut self,
        ev: &mut Evaluator<'_>,
        path: &PathAutomaton,
        budget: &mut Budget,
    ) -> Result<Next<'_>, EvalError> {
        while self.at >= self.found.len() {
            let start = match self.from {
                Some(from) if self.next_start == 0 => from,
                Some(_) => return Ok(Next::Done),
                None => {
                    let entities = ev.graph.model.entities.len() as u32;
                    if self.next_start >= entities {
                        return Ok(Next::Done);
                    }
                    EntityId(self.next_start)
                }
            };
            self.next_start += 1;
            self.release(budget);
            self.found.clear();
            self.at = 0;
            if !self.search(ev, path, start, budget)? {
                return Ok(Next::OutOfMemory);
            }
        }
        let (s, o, facts) = &self.found[self.at];
        self.at += 1;
        Ok(Next::Pair(*s, *o, facts))
    }

    /// Breadth-first search from `start` over (entity, state) pairs, forwards from a subject or
    /// backwards from an object; fills `found` with each other end once, with its witness. False
    /// when the budget ran out.
    fn search(
        &mut self,
        ev: &mut Evaluator<'_>,
        path: &PathAutomaton,
        start: EntityId,
        budget: &mut Budget,
    ) -> Result<bool, EvalError> {
        let mut parents: HashMap<(u32, u32), Option<Parent>> = HashMap::new();
        let mut reached: HashMap<u32, (u32, u32)> = HashMap::new();
        let origins: Vec<u32> = match self.backwards {
            false => vec![START],
            true => (0..path.accepting.len() as u32)
                .filter(|&q| path.accepting[q as usize])
                .collect(),
        };
        let mut queue = std::collections::VecDeque::new();
        for q in origins {
            parents.insert((start.0, q), None);
            queue.push_back((start.0, q));
        }
        let mut taken = parents.len() * STATE_BYTES;
        if !budget.take(taken) {
            return Ok(false);
        }
        let mut steps = Vec::new();
        let mut order = Vec::new();
        while let Some((node, q)) = queue.pop_front() {
            let done = match self.backwards {
                false => path.accepting[q as usize],
                true => q == START,
            };
            if done && !reached.contains_key(&node) {
                reached.insert(node, (node, q));
                order.push(node);
                if self.target == Some(EntityId(node)) {
                    break;
                }
            }
            let moves = match self.backwards {
                false => &path.moves[q as usize],
                true => &path.back[q as usize],
            };
            for &(label, next) in moves {
                let via = std::slice::from_ref(&path.labels[label as usize]);
                match self.backwards {
                    false => ev.steps(EntityId(node), Direction::Out, via, &mut steps),
                    true => ev.steps_into(EntityId(node), Direction::Out, via, &mut steps),
                }
                for &Reach { step, other, .. } in &steps {
                    ev.tick()?;
                    let key = (other.0, next);
                    if parents.contains_key(&key) {
                        continue;
                    }
                    if !budget.take(STATE_BYTES) {
                        budget.give(taken);
                        return Ok(false);
                    }
                    taken += STATE_BYTES;
                    parents.insert(key, Some((node, q, step.fact)));
                    queue.push_back(key);
                }
            }
        }
        for node in order {
            let Some(&state) = reached.get(&node) else {
                continue;
            };
            let mut facts = witness(&parents, state);
            if !self.backwards {
                facts.reverse();
            }
            let bytes = 64 + facts.len() * size_of::<FactId>();
            if !budget.take(bytes) {
                budget.give(taken);
                return Ok(false);
            }
            self.held += bytes;
            let (s, o) = match self.backwards {
                false => (start, EntityId(node)),
                true => (EntityId(node), start),
            };
            self.found.push((s, o, facts));
        }
        budget.give(taken);
        Ok(true)
    }
}

/// The facts from `state` back to the search's origin: the walk reversed for a forward search;
/// a backward search's parents point towards the end, which is the order of the walk.
fn witness(parents: &HashMap<(u32, u32), Option<Parent>>, state: (u32, u32)) -> Vec<FactId> {
    let mut facts = Vec::new();
    let mut at = state;
    while let Some(Some((node, q, fact))) = parents.get(&at) {
        facts.push(*fact);
        at = (*node, *q);
    }
    facts
}

impl PathAutomaton {
    /// Whether the path matches every entity with itself (`*`, `{0,m}`).
    pub fn nullable(&self) -> bool {
        self.accepting[START as usize]
    }
}
