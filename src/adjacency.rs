//! Compact adjacency arrays (CSR) beside the petgraph graph, for the traversal kernels.
//!
//! petgraph keeps each entity's edges as a linked list threaded through the edge array, so walking
//! a neighbourhood is one cache miss per edge; here every entity's edges are contiguous, its
//! out-degree is a subtraction, and a breadth-first search reads memory in order. Built once per
//! load in O(entities + facts) by counting sort, at 12 bytes per fact for the out-edges, 4 for the
//! in-edges (facts by object, for joins) and 8 for the undirected neighbour lists (4 in each
//! direction); quotes and dates stay in the model.

use crate::model::{EntityId, FactId, Model, RelationId};

/// One out-edge: the fact, its relation (so joins need not touch the fact) and its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutEdge {
    pub fact: FactId,
    pub relation: RelationId,
    pub object: EntityId,
}

#[derive(Debug, Clone, Default)]
pub struct Adjacency {
    out_start: Vec<u32>,
    out: Vec<OutEdge>,
    /// Facts by object, in fact order: joins that bind an object read these instead of walking
    /// petgraph's linked lists.
    in_start: Vec<u32>,
    incoming: Vec<FactId>,
    both_start: Vec<u32>,
    both: Vec<u32>,
}

impl Adjacency {
    /// Out-edges ordered by fact (file order) within each entity.
    pub fn new(model: &Model) -> Adjacency {
        let n = model.entities.len();
        let mut out_start = vec![0u32; n + 1];
        let mut in_start = vec![0u32; n + 1];
        let mut both_start = vec![0u32; n + 1];
        for f in &model.facts {
            out_start[f.subject.index() + 1] += 1;
            in_start[f.object.index() + 1] += 1;
            both_start[f.subject.index() + 1] += 1;
            both_start[f.object.index() + 1] += 1;
        }
        for i in 0..n {
            out_start[i + 1] += out_start[i];
            in_start[i + 1] += in_start[i];
            both_start[i + 1] += both_start[i];
        }
        let placeholder = OutEdge {
            fact: FactId(0),
            relation: RelationId(0),
            object: EntityId(0),
        };
        let mut out = vec![placeholder; model.facts.len()];
        let mut both = vec![0u32; model.facts.len() * 2];
        let mut incoming = vec![FactId(0); model.facts.len()];
        let mut in_next = in_start.clone();
        let mut out_next = out_start.clone();
        let mut both_next = both_start.clone();
        for (i, f) in model.facts.iter().enumerate() {
            let (s, o) = (f.subject.index(), f.object.index());
            out[out_next[s] as usize] = OutEdge {
                fact: FactId(i as u32),
                relation: f.relation,
                object: f.object,
            };
            out_next[s] += 1;
            incoming[in_next[o] as usize] = FactId(i as u32);
            in_next[o] += 1;
            both[both_next[s] as usize] = f.object.0;
            both_next[s] += 1;
            both[both_next[o] as usize] = f.subject.0;
            both_next[o] += 1;
        }
        Adjacency {
            out_start,
            out,
            in_start,
            incoming,
            both_start,
            both,
        }
    }

    /// The facts with `entity` as subject, in fact order. O(1).
    pub fn out(&self, entity: EntityId) -> &[OutEdge] {
        let i = entity.index();
        match (self.out_start.get(i), self.out_start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.out[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The facts with `entity` as object, in fact order. O(1).
    pub fn incoming(&self, entity: EntityId) -> &[FactId] {
        let i = entity.index();
        match (self.in_start.get(i), self.in_start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.incoming[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The entities joined to `entity` by a fact in either direction, once per fact. O(1).
    pub fn undirected(&self, entity: EntityId) -> &[u32] {
        let i = entity.index();
        match (self.both_start.get(i), self.both_start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.both[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Bytes held, for reports of memory per fact.
    pub fn heap_bytes(&self) -> usize {
        (self.out_start.capacity()
            + self.in_start.capacity()
            + self.incoming.capacity()
            + self.both_start.capacity()
            + self.both.capacity())
            * 4
            + self.out.capacity() * std::mem::size_of::<OutEdge>()
    }
}
