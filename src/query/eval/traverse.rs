//! Neighbourhoods and paths: breadth-first expansion, shortest paths, and bounded enumeration.
//!
//! Costs: `neighbors` and the default `path` are one breadth-first search, O(V + E) at worst.
//! `shortest K` and `all` enumerate simple paths, which is exponential in the worst case; they prune
//! with exact distances to the target (no branch is entered that cannot reach it within the hop
//! budget), stop at `limit` paths, at `WORK_LIMIT` examined edges and once the paths found hold
//! `STEP_LIMIT` steps, and poll the cancel token.

use super::answer::{Answer, NeighborRow, Step};
use super::resolve::{PathMode, ResolvedPath};
use super::{EvalError, Evaluator, Frontiers, Reach, Scratch};
use crate::graph::{KnowledgeGraph, RelationMatch};
use crate::model::{EntityId, Kind, RelationId};
use crate::query::ast::Direction;
use std::collections::VecDeque;

/// Edges an enumeration may examine before it stops and says so.
pub const WORK_LIMIT: u64 = 20_000_000;
/// Steps the paths of one answer may hold in all. Every step is shown with its evidence (about 200
/// bytes of text), so this bounds the answer, as `limit` alone does not: a million paths of the
/// article graph were 2 GB of text and 5 GB of memory.
pub const STEP_LIMIT: usize = 250_000;
const UNREACHED: u32 = u32::MAX;

pub fn neighbors(
    ev: &mut Evaluator<'_>,
    scratch: &mut Scratch,
    start: EntityId,
    direction: Direction,
    via: &[RelationMatch],
    depth: u32,
    kind: Option<Kind>,
) -> Result<Answer, EvalError> {
    let model = &ev.graph.model;
    if depth == 1 {
        return one_hop(ev, start, direction, via, kind);
    }
    scratch.begin(model.entities.len());
    scratch.visit(start);
    scratch.value[start.index()] = 0;
    let mut rows = Vec::new();
    let mut frontier = vec![start];
    let mut steps = Vec::new();
    for level in 1..=depth {
        let mut next = Vec::new();
        for &node in &frontier {
            ev.steps(node, direction, via, &mut steps);
            for &Reach {
                step,
                other,
                relation,
            } in &steps
            {
                ev.tick()?;
                let listed = if other == start {
                    // A self-loop is a fact about the entity itself: listed once, at depth 1 (it
                    // is met both ways round when the direction is `both`).
                    level == 1 && node == start && (!step.backwards || direction == Direction::In)
                } else if scratch.visited(other) {
                    // An entity first reached at this level is listed with every fact that
                    // reaches it from the previous level (its visit level says so in O(1));
                    // anything seen at an earlier level is not listed again.
                    scratch.value[other.index()] == level
                } else {
                    scratch.visit(other);
                    scratch.value[other.index()] = level;
                    next.push(other);
                    true
                };
                if listed {
                    rows.push((
                        relation,
                        NeighborRow {
                            entity: other,
                            depth: level,
                            via: step,
                        },
                    ));
                }
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    rows.retain(|(_, r)| kind.is_none_or(|k| model.entity(r.entity).kind == k));
    Ok(Answer::Neighbors {
        entity: start,
        rows: sort_rows(ev.graph, rows),
        more: 0,
    })
}

/// `neighbors` one step out: every step is a row (an entity met twice is listed with both facts,
/// as at any level), and a self-loop is listed once. It needs no visit marks, so the first query
/// of a session does not size the scratch arrays to the graph. O(degree log degree).
fn one_hop(
    ev: &mut Evaluator<'_>,
    start: EntityId,
    direction: Direction,
    via: &[RelationMatch],
    kind: Option<Kind>,
) -> Result<Answer, EvalError> {
    let mut steps = Vec::new();
    ev.steps(start, direction, via, &mut steps);
    let mut rows = Vec::with_capacity(steps.len());
    for &Reach {
        step,
        other,
        relation,
    } in &steps
    {
        ev.tick()?;
        // The same self-loop rule as `neighbors`: met both ways round with `both`, listed once.
        if other == start && step.backwards && direction != Direction::In {
            continue;
        }
        rows.push((
            relation,
            NeighborRow {
                entity: other,
                depth: 1,
                via: step,
            },
        ));
    }
    let model = &ev.graph.model;
    rows.retain(|(_, r)| kind.is_none_or(|k| model.entity(r.entity).kind == k));
    Ok(Answer::Neighbors {
        entity: start,
        rows: sort_rows(ev.graph, rows),
        more: 0,
    })
}

/// Neighbour rows, each beside its fact's relation, in the order users read them: by depth,
/// relation label, name ignoring case, then fact (which no two rows share, so the order is total).
/// Labels compare as ranks, and names are read only within a run of rows that tie on depth and
/// label, once a row, so most rows are placed without touching a string or a fact, and ASCII
/// names compare without allocating. O(n log n) for n rows.
fn sort_rows(graph: &KnowledgeGraph, rows: Vec<(RelationId, NeighborRow)>) -> Vec<NeighborRow> {
    let model = &graph.model;
    let order = graph.label_order();
    let mut keyed: Vec<(u32, u32, NeighborRow)> = rows
        .into_iter()
        .map(|(relation, r)| (r.depth, order.rank(relation, r.via.backwards), r))
        .collect();
    keyed.sort_unstable_by_key(|(depth, rank, row)| (*depth, *rank, row.via.fact));
    let mut named = Vec::new();
    for run in keyed.chunk_by_mut(|a, b| (a.0, a.1) == (b.0, b.1)) {
        if run.len() < 2 {
            continue;
        }
        named.clear();
        named.extend(
            run.iter()
                .map(|(_, _, row)| (model.entity(row.entity).name.as_str(), row.clone())),
        );
        named.sort_by(|(a_name, a), (b_name, b)| {
            caseless_cmp(a_name, b_name).then(a.via.fact.cmp(&b.via.fact))
        });
        for (slot, (_, row)) in run.iter_mut().zip(named.drain(..)) {
            slot.2 = row;
        }
    }
    keyed.into_iter().map(|(_, _, row)| row).collect()
}

/// `a.to_lowercase().cmp(&b.to_lowercase())`, without allocating when both are ASCII.
fn caseless_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        let lower = |c: u8| c.to_ascii_lowercase();
        a.bytes().map(lower).cmp(b.bytes().map(lower))
    } else {
        a.to_lowercase().cmp(&b.to_lowercase())
    }
}

pub fn paths(
    ev: &mut Evaluator<'_>,
    scratch: &mut Scratch,
    query: &ResolvedPath,
) -> Result<Answer, EvalError> {
    let direction = if query.directed {
        Direction::Out
    } else {
        Direction::Both
    };
    let search = PathSearch {
        direction,
        via: &query.via,
        avoid: &query.avoid,
        avoid_relations: &query.avoid_relations,
        avoid_kinds: &query.avoid_kinds,
        chronological: query.chronological,
        to: query.to,
    };
    let (from, min, max) = (query.from, query.min, query.max);
    let (paths, truncated) = match query.mode {
        // A breadth-first search keeps one way to each entity, which a time order may rule out.
        PathMode::Shortest(1) if min <= 1 && !query.chronological => (
            search
                .shortest(ev, scratch, from, max)?
                .into_iter()
                .collect(),
            None,
        ),
        PathMode::Shortest(k) => search.enumerate(ev, scratch, from, min, max, k, true)?,
        PathMode::All => search.enumerate(ev, scratch, from, min, max, query.limit, false)?,
    };
    Ok(Answer::Paths {
        from,
        to: query.to,
        paths,
        truncated,
    })
}

/// One shortest path between two entities in either direction, within the default hop limit;
/// empty if there is none. What `why` shows when no fact states a claim. O(V + E).
pub fn shortest_between(
    ev: &mut Evaluator<'_>,
    scratch: &mut Scratch,
    from: EntityId,
    to: EntityId,
) -> Result<Vec<Step>, EvalError> {
    let search = PathSearch {
        direction: Direction::Both,
        via: &[],
        avoid: &[],
        avoid_relations: &[],
        avoid_kinds: &[],
        chronological: false,
        to,
    };
    let path = search.shortest(ev, scratch, from, super::resolve::DEFAULT_MAX_HOPS)?;
    Ok(path.unwrap_or_default())
}

struct PathSearch<'q> {
    direction: Direction,
    via: &'q [RelationMatch],
    avoid: &'q [EntityId],
    avoid_relations: &'q [RelationId],
    avoid_kinds: &'q [Kind],
    /// Each hop dated, and none earlier than the one before (see [`follows`]).
    chronological: bool,
    to: EntityId,
}

/// Whether hop `next` may follow hop `prev` in a chronological path: it may not be earlier, so
/// its latest day is on or after `prev`'s earliest day (two hops of the same month follow each
/// other either way). Undated hops are never taken: nothing places them in time.
fn follows(ev: &Evaluator<'_>, prev: Option<Step>, next: Step) -> bool {
    let model = &ev.graph.model;
    let Some(when) = model.fact(next.fact).when else {
        return false;
    };
    let Some(prev) = prev else {
        return true;
    };
    match model.fact(prev.fact).when {
        Some(before) => when.interval().last >= before.interval().first,
        None => false,
    }
}

impl PathSearch<'_> {
    /// Drops the steps the constraints rule out: an avoided relation, an undated hop in a
    /// chronological path.
    fn keep_steps(&self, ev: &Evaluator<'_>, steps: &mut Vec<Reach>) {
        if self.avoid_relations.is_empty() && !self.chronological {
            return;
        }
        let model = &ev.graph.model;
        steps.retain(|reach| {
            !self.avoid_relations.contains(&reach.relation)
                && (!self.chronological || model.fact(reach.step.fact).when.is_some())
        });
    }

    /// Whether a path may not pass through `node` (its ends excepted, which callers check).
    fn avoids(&self, ev: &Evaluator<'_>, node: EntityId) -> bool {
        self.avoid.contains(&node)
            || (!self.avoid_kinds.is_empty()
                && self.avoid_kinds.contains(&ev.graph.model.entity(node).kind))
    }

    /// One shortest path by bidirectional breadth-first search: levels are expanded from
    /// whichever end has the smaller frontier, so on a dense graph each side explores about the
    /// square root of what one search would. Within a level, the first fact (in fact order) to
    /// reach a node is its parent, and the first meeting ends the search, so the answer is
    /// deterministic. O(V + E) at worst.
    ///
    /// The first meeting is a shortest path: every meeting found while expanding a level has the
    /// same length, `depth + 1 +` the other side's depth. A node seen from the other side at a
    /// shallower level was expanded from there, and `steps_into` is the mirror of `steps`, so that
    /// expansion would have met (or reached first) the node being expanded now, and the search
    /// would have ended at that level.
    fn shortest(
        &self,
        ev: &mut Evaluator<'_>,
        scratch: &mut Scratch,
        from: EntityId,
        max: u32,
    ) -> Result<Option<Vec<Step>>, EvalError> {
        if from == self.to {
            return Ok(Some(Vec::new()));
        }
        let mut lists = std::mem::take(&mut scratch.frontiers);
        let found = self.meet(ev, scratch, &mut lists, from, max);
        scratch.frontiers = lists;
        found
    }

    /// The levels of [`PathSearch::shortest`], on lists the caller lends (and keeps).
    fn meet(
        &self,
        ev: &mut Evaluator<'_>,
        scratch: &mut Scratch,
        lists: &mut Frontiers,
        from: EntityId,
        max: u32,
    ) -> Result<Option<Vec<Step>>, EvalError> {
        let nodes = ev.graph.model.entities.len();
        scratch.begin_both(nodes);
        scratch.visit(from);
        scratch.value[from.index()] = 0;
        scratch.back_visit(self.to);
        scratch.back_value[self.to.index()] = 0;
        let Frontiers {
            forward,
            backward,
            next,
            steps,
        } = lists;
        forward.clear();
        forward.push(from);
        backward.clear();
        backward.push(self.to);
        let (mut forward_depth, mut backward_depth) = (0u32, 0u32);
        while !forward.is_empty() && !backward.is_empty() && forward_depth + backward_depth < max {
            let from_start = forward.len() <= backward.len();
            let (frontier, depth) = if from_start {
                (&mut *forward, forward_depth)
            } else {
                (&mut *backward, backward_depth)
            };
            next.clear();
            for &node in frontier.iter() {
                if from_start {
                    ev.steps(node, self.direction, self.via, steps);
                } else {
                    ev.steps_into(node, self.direction, self.via, steps);
                }
                self.keep_steps(ev, steps);
                for &Reach { step, other, .. } in steps.iter() {
                    ev.tick()?;
                    let endpoint = other == from || other == self.to;
                    if !endpoint && self.avoids(ev, other) {
                        continue;
                    }
                    let (seen_here, seen_there) = if from_start {
                        (scratch.visited(other), scratch.back_visited(other))
                    } else {
                        (scratch.back_visited(other), scratch.visited(other))
                    };
                    if seen_here {
                        continue;
                    }
                    if from_start {
                        scratch.visit(other);
                        scratch.value[other.index()] = depth + 1;
                        scratch.step[other.index()] = step;
                    } else {
                        scratch.back_visit(other);
                        scratch.back_value[other.index()] = depth + 1;
                        scratch.back_step[other.index()] = step;
                    }
                    if seen_there {
                        let there = if from_start {
                            scratch.back_value[other.index()]
                        } else {
                            scratch.value[other.index()]
                        };
                        debug_assert_eq!(
                            there,
                            if from_start {
                                backward_depth
                            } else {
                                forward_depth
                            },
                            "a meeting at a shallower level would have ended the search there"
                        );
                        if depth + 1 + there <= max {
                            return Ok(Some(self.join_halves(ev, scratch, from, other)));
                        }
                    }
                    next.push(other);
                }
            }
            // The expanded frontier's list becomes the next level's spare.
            std::mem::swap(frontier, next);
            if from_start {
                forward_depth += 1;
            } else {
                backward_depth += 1;
            }
        }
        Ok(None)
    }

    /// The path through `meet`: the forward half walked back to `from`, then the backward half
    /// walked on to the target with each step read forwards.
    fn join_halves(
        &self,
        ev: &Evaluator<'_>,
        scratch: &Scratch,
        from: EntityId,
        meet: EntityId,
    ) -> Vec<Step> {
        let model = &ev.graph.model;
        let mut path = Vec::new();
        let mut node = meet;
        while node != from {
            let step = scratch.step[node.index()];
            path.push(step);
            let fact = model.fact(step.fact);
            node = if step.backwards {
                fact.object
            } else {
                fact.subject
            };
        }
        path.reverse();
        let mut node = meet;
        while node != self.to {
            let seen_from_target = scratch.back_step[node.index()];
            let step = Step {
                fact: seen_from_target.fact,
                backwards: !seen_from_target.backwards,
            };
            path.push(step);
            let fact = model.fact(step.fact);
            node = if step.backwards {
                fact.subject
            } else {
                fact.object
            };
        }
        path
    }

    /// Hop distances to the target over reversed edges, up to `max`; `UNREACHED` beyond.
    fn distances_to_target(&self, ev: &mut Evaluator<'_>, max: u32) -> Result<Vec<u32>, EvalError> {
        let mut dist = vec![UNREACHED; ev.graph.model.entities.len()];
        dist[self.to.index()] = 0;
        let mut queue = VecDeque::from([self.to]);
        let mut steps = Vec::new();
        while let Some(node) = queue.pop_front() {
            let d = dist[node.index()];
            if d >= max {
                continue;
            }
            ev.steps_into(node, self.direction, self.via, &mut steps);
            self.keep_steps(ev, &mut steps);
            for &Reach { other, .. } in &steps {
                ev.tick()?;
                if dist[other.index()] == UNREACHED && !self.avoids(ev, other) {
                    dist[other.index()] = d + 1;
                    queue.push_back(other);
                }
            }
        }
        Ok(dist)
    }

    /// Simple paths of `min..=max` hops, shortest first. With `shortest_only`, stops once `limit`
    /// paths of the shortest lengths are found; otherwise lists up to `limit` paths of any length.
    #[allow(clippy::too_many_arguments)]
    fn enumerate(
        &self,
        ev: &mut Evaluator<'_>,
        scratch: &mut Scratch,
        from: EntityId,
        min: u32,
        max: u32,
        limit: u32,
        shortest_only: bool,
    ) -> Result<(Vec<Vec<Step>>, Option<String>), EvalError> {
        let dist = self.distances_to_target(ev, max)?;
        let mut found: Vec<Vec<Step>> = Vec::new();
        let mut truncated = None;
        if dist[from.index()] == UNREACHED || from == self.to {
            return Ok((found, None));
        }
        let mut work = 0u64;
        let mut kept = 0usize;
        let first_length = dist[from.index()].max(min.max(1));
        for length in first_length..=max {
            scratch.begin(ev.graph.model.entities.len());
            scratch.visit(from);
            let mut path = Vec::new();
            let mut dfs = Dfs {
                search: self,
                dist: &dist,
                length,
                limit: limit as usize,
                work: &mut work,
                kept: &mut kept,
            };
            let outcome = dfs.run(ev, scratch, from, &mut path, &mut found)?;
            let enough = shortest_only && found.len() >= limit as usize;
            match outcome {
                // Finding the K asked for is success, not truncation.
                Some(reason) if !enough => {
                    truncated = Some(reason);
                    break;
                }
                _ if enough => break,
                _ => {}
            }
        }
        found.truncate(limit as usize);
        Ok((found, truncated))
    }
}

struct Dfs<'s, 'q> {
    search: &'s PathSearch<'q>,
    dist: &'s [u32],
    length: u32,
    limit: usize,
    work: &'s mut u64,
    /// Steps in the paths found so far.
    kept: &'s mut usize,
}

impl Dfs<'_, '_> {
    /// Depth-first search for paths of exactly `self.length` hops; returns why it stopped early.
    fn run(
        &mut self,
        ev: &mut Evaluator<'_>,
        scratch: &mut Scratch,
        node: EntityId,
        path: &mut Vec<Step>,
        found: &mut Vec<Vec<Step>>,
    ) -> Result<Option<String>, EvalError> {
        // Iterative deepening keeps the recursion depth at most `max` hops (bounded by the parser).
        let depth = path.len() as u32;
        let mut steps = Vec::new();
        ev.steps(node, self.search.direction, self.search.via, &mut steps);
        self.search.keep_steps(ev, &mut steps);
        for Reach { step, other, .. } in steps {
            ev.tick()?;
            *self.work += 1;
            if *self.work > WORK_LIMIT {
                return Ok(Some(format!("stopped after examining {WORK_LIMIT} edges; narrow the search with `via`, `avoid` or `max`")));
            }
            let remaining = self.length - depth - 1;
            if self.dist[other.index()] > remaining || scratch.visited(other) {
                continue;
            }
            if self.search.chronological && !follows(ev, path.last().copied(), step) {
                continue;
            }
            path.push(step);
            if other == self.search.to {
                if remaining == 0 {
                    found.push(path.clone());
                    *self.kept += path.len();
                    if found.len() >= self.limit {
                        path.pop();
                        return Ok(Some(format!(
                            "stopped at the limit of {} paths; raise it with `limit K`",
                            self.limit
                        )));
                    }
                    if *self.kept >= STEP_LIMIT {
                        path.pop();
                        return Ok(Some(format!(
                            "stopped at {} paths, {STEP_LIMIT} steps in all; narrow the search with `max`, `via` or `avoid`",
                            found.len()
                        )));
                    }
                }
            } else if remaining > 0 && !self.search.avoids(ev, other) {
                scratch.visit(other);
                let outcome = self.run(ev, scratch, other, path, found)?;
                scratch.unvisit(other);
                if outcome.is_some() {
                    path.pop();
                    return Ok(outcome);
                }
            }
            path.pop();
        }
        Ok(None)
    }
}
