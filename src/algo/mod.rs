//! Traversal kernels on a [`KnowledgeGraph`]: neighbours, undirected shortest path lengths and
//! two-relation joins, written once so that the query evaluator and the benchmarks run the same
//! code.
//!
//! No kernel allocates anything the size of the graph per call: searches borrow a [`Scratch`]
//! whose visited marks are generation stamps, so starting a new search is O(1) instead of
//! clearing an array of every entity.

use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, FactId, RelationId};

pub mod sample;

/// The out-edges of `entity` as (fact, object), in fact order. O(out-degree), read from
/// contiguous memory.
pub fn neighbors_out(
    graph: &KnowledgeGraph,
    entity: EntityId,
) -> impl Iterator<Item = (FactId, EntityId)> + '_ {
    graph
        .adjacency()
        .out(entity)
        .iter()
        .map(|e| (e.fact, e.object))
}

/// The number of out-edges of `entity`. O(1).
pub fn out_degree(graph: &KnowledgeGraph, entity: EntityId) -> usize {
    graph.adjacency().out(entity).len()
}

/// Reusable state for searches: one stamp per entity and the frontiers. Allocated once per graph
/// (4 bytes an entity) and reused by every search.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    /// `2 * generation + side` marks an entity as reached in this search, from the start
    /// (side 0) or from the goal (side 1); any other value means unreached.
    marks: Vec<u32>,
    generation: u32,
    fronts: [Vec<u32>; 2],
    next: Vec<u32>,
}

impl Scratch {
    pub fn new(entities: usize) -> Scratch {
        Scratch {
            marks: vec![0; entities],
            generation: 0,
            fronts: [Vec::new(), Vec::new()],
            next: Vec::new(),
        }
    }

    pub fn for_graph(graph: &KnowledgeGraph) -> Scratch {
        Scratch::new(graph.model.entities.len())
    }

    /// Starts a new search: O(1), except once every 2^31 searches when the stamps wrap around.
    fn begin(&mut self, entities: usize) -> u32 {
        if self.marks.len() < entities {
            self.marks.resize(entities, 0);
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 || self.generation >= u32::MAX / 2 {
            self.marks.iter_mut().for_each(|m| *m = 0);
            self.generation = 1;
        }
        self.fronts[0].clear();
        self.fronts[1].clear();
        self.generation
    }
}

/// The number of edges on a shortest path between `a` and `b`, ignoring edge direction; `None`
/// if they are not connected.
///
/// Bidirectional breadth-first search that always grows the smaller frontier by one whole level,
/// as networkx does: on dense graphs it touches far fewer entities than a one-sided search.
/// The first entity reached from both sides proves the length: before that level every entity
/// within `d_a` of `a` and `d_b` of `b` was marked and none was shared, so the distance is at
/// least `d_a + d_b + 1`, and the meeting entity gives a path of exactly that length.
/// O(entities + facts) in the worst case; memory is the scratch only.
pub fn shortest_path_len_undirected(
    graph: &KnowledgeGraph,
    a: EntityId,
    b: EntityId,
    scratch: &mut Scratch,
) -> Option<usize> {
    if a == b {
        return Some(0);
    }
    let adjacency = graph.adjacency();
    let generation = scratch.begin(graph.model.entities.len());
    let mark = |side: usize| 2 * generation + side as u32;
    scratch.marks[a.index()] = mark(0);
    scratch.marks[b.index()] = mark(1);
    scratch.fronts[0].push(a.0);
    scratch.fronts[1].push(b.0);
    let mut depth = [0usize; 2];
    while !scratch.fronts[0].is_empty() && !scratch.fronts[1].is_empty() {
        let side = usize::from(scratch.fronts[1].len() < scratch.fronts[0].len());
        let (own, other) = (mark(side), mark(1 - side));
        scratch.next.clear();
        for &v in &scratch.fronts[side] {
            for &w in adjacency.undirected(EntityId(v)) {
                let w = w as usize;
                let m = scratch.marks[w];
                if m == other {
                    return Some(depth[0] + depth[1] + 1);
                }
                if m != own {
                    scratch.marks[w] = own;
                    scratch.next.push(w as u32);
                }
            }
        }
        depth[side] += 1;
        std::mem::swap(&mut scratch.fronts[side], &mut scratch.next);
    }
    None
}

/// The number of distinct pairs (x, y) with a fact `x r1 z` and a fact `z r2 y`.
///
/// Scans the facts once for `r1` (sequential memory), groups them by subject, then walks the
/// out-edges of each `z`; distinct `y` per `x` are counted with generation stamps, so no set of
/// pairs is built. O(facts + sum over r1-facts of out-degree(z)).
pub fn join_count(
    graph: &KnowledgeGraph,
    r1: RelationId,
    r2: RelationId,
    scratch: &mut Scratch,
) -> usize {
    let model = &graph.model;
    let mut firsts: Vec<(u32, u32)> = model
        .facts()
        .iter()
        .filter(|f| f.relation == r1)
        .map(|f| (f.subject.0, f.object.0))
        .collect();
    firsts.sort_unstable();
    let mut count = 0;
    for group in firsts.chunk_by(|p, q| p.0 == q.0) {
        let stamp = 2 * scratch.begin(model.entities.len());
        for &(_, z) in group {
            for e in graph.adjacency().out(EntityId(z)) {
                let y = e.object.index();
                if e.relation == r2 && scratch.marks[y] != stamp {
                    scratch.marks[y] = stamp;
                    count += 1;
                }
            }
        }
    }
    count
}

#[cfg(test)]
mod tests;
