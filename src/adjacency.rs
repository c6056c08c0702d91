//! Compact adjacency arrays (CSR): the graph's edges as the traversals and petgraph's algorithms
//! (through `graph::visit`) read them.
//!
//! petgraph's own `Graph` keeps each entity's edges as a linked list threaded through the edge
//! array, so walking a neighbourhood is one cache miss per edge; here every entity's edges are
//! contiguous, its out-degree is a subtraction, and a breadth-first search reads memory in order.
//! Built once per load in O(entities + facts) by counting sort (or read back from the cache), at 12
//! bytes per fact for the out-edges and 12 for the in-edges; quotes and dates stay in the model.
//! Both carry the fact's relation and far end, so a search in either direction never reads a fact
//! row just to learn where an edge goes or whether its relation may be followed.

use crate::model::{EntityId, FactId, Model, RelationId};

/// One out-edge: the fact, its relation (so joins need not touch the fact) and its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutEdge {
    pub fact: FactId,
    pub relation: RelationId,
    pub object: EntityId,
}

/// One in-edge: the fact, its relation and its subject, the mirror of [`OutEdge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InEdge {
    pub fact: FactId,
    pub relation: RelationId,
    pub subject: EntityId,
}

#[derive(Debug, Clone, Default)]
pub struct Adjacency(AdjacencyParts);

/// The arrays: for out-edges and in-edges, where each entity's start (one more start than
/// entities, the last being the length), then the edges themselves.
#[derive(Debug, Clone, Default)]
pub struct AdjacencyParts {
    pub out_start: Vec<u32>,
    pub out: Vec<OutEdge>,
    /// Facts by object, in fact order: what joins that bind an object, and in-edges, read.
    pub in_start: Vec<u32>,
    pub incoming: Vec<InEdge>,
}

impl Adjacency {
    /// Out-edges ordered by fact (file order) within each entity.
    pub fn new(model: &Model) -> Adjacency {
        Adjacency::of(model.entities.len(), model.facts(), 0)
    }

    /// The arrays of `facts` among `n` entities, the first of them numbered `first` (derived
    /// facts are numbered after the loaded ones).
    pub fn of(n: usize, facts: &[crate::model::Fact], first: u32) -> Adjacency {
        let mut out_start = vec![0u32; n + 1];
        let mut in_start = vec![0u32; n + 1];
        for f in facts {
            out_start[f.subject.index() + 1] += 1;
            in_start[f.object.index() + 1] += 1;
        }
        for i in 0..n {
            out_start[i + 1] += out_start[i];
            in_start[i + 1] += in_start[i];
        }
        let placeholder = OutEdge {
            fact: FactId(0),
            relation: RelationId(0),
            object: EntityId(0),
        };
        let mut out = vec![placeholder; facts.len()];
        let in_placeholder = InEdge {
            fact: FactId(0),
            relation: RelationId(0),
            subject: EntityId(0),
        };
        let mut incoming = vec![in_placeholder; facts.len()];
        let mut in_next = in_start.clone();
        let mut out_next = out_start.clone();
        for (i, f) in facts.iter().enumerate() {
            let id = FactId(first + i as u32);
            let (s, o) = (f.subject.index(), f.object.index());
            out[out_next[s] as usize] = OutEdge {
                fact: id,
                relation: f.relation,
                object: f.object,
            };
            out_next[s] += 1;
            incoming[in_next[o] as usize] = InEdge {
                fact: id,
                relation: f.relation,
                subject: f.subject,
            };
            in_next[o] += 1;
        }
        Adjacency(AdjacencyParts {
            out_start,
            out,
            in_start,
            incoming,
        })
    }

    /// The arrays as they are laid out, for the cache to store.
    pub fn parts(&self) -> &AdjacencyParts {
        &self.0
    }

    /// Takes over arrays a cache stored, for a model of `entities` entities, `facts` facts and
    /// `relations` relations; `None` unless every start and index is in bounds, so that no lookup
    /// can fail. (That the arrays describe the model's very facts is the cache checksum's job:
    /// checking it here would cost what building them costs.) O(entities + facts), sequential.
    pub fn from_parts(
        parts: AdjacencyParts,
        entities: usize,
        facts: usize,
        relations: usize,
    ) -> Option<Adjacency> {
        let starts_ok = |starts: &[u32], len: usize| {
            starts.len() == entities + 1
                && starts.first() == Some(&0)
                && starts.last().map(|&l| l as usize) == Some(len)
                && starts.windows(2).all(|w| w[0] <= w[1])
        };
        let p = &parts;
        let ok = starts_ok(&p.out_start, facts)
            && p.out.len() == facts
            && starts_ok(&p.in_start, facts)
            && p.incoming.len() == facts
            && p.out.iter().all(|e| {
                e.fact.index() < facts
                    && e.relation.index() < relations
                    && e.object.index() < entities
            })
            && p.incoming.iter().all(|e| {
                e.fact.index() < facts
                    && e.relation.index() < relations
                    && e.subject.index() < entities
            });
        ok.then_some(Adjacency(parts))
    }

    /// The facts with `entity` as subject, in fact order. O(1).
    pub fn out(&self, entity: EntityId) -> &[OutEdge] {
        run_of(&self.0.out_start, &self.0.out, entity)
    }

    /// The facts with `entity` as object, in fact order. O(1).
    pub fn incoming(&self, entity: EntityId) -> &[InEdge] {
        run_of(&self.0.in_start, &self.0.incoming, entity)
    }

    /// How many facts have `entity` as subject or object (a self-loop counts twice). O(1).
    pub fn degree(&self, entity: EntityId) -> usize {
        self.out(entity).len() + self.incoming(entity).len()
    }
}

/// An entity's run of `items`, between its start and the next; empty for an unknown entity.
fn run_of<'a, T>(starts: &[u32], items: &'a [T], entity: EntityId) -> &'a [T] {
    let i = entity.index();
    match (starts.get(i), starts.get(i + 1)) {
        (Some(&a), Some(&b)) => items.get(a as usize..b as usize).unwrap_or(&[]),
        _ => &[],
    }
}
