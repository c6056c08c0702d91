//! petgraph's graph traits on the knowledge graph, so that petgraph's algorithms (components,
//! Dijkstra, breadth-first search, strongly connected components, ...) run on the very adjacency
//! arrays the queries read, with nothing copied.
//!
//! Node `i` is entity `i` and edge `i` is fact `i`, as `NodeIndex<u32>` and `EdgeIndex<u32>`;
//! an edge's weight is its relation. Edges are directed, subject to object, in fact order.

use super::KnowledgeGraph;
use crate::adjacency::{InEdge, OutEdge};
use crate::model::{EntityId, Fact, FactId, RelationId};
use fixedbitset::FixedBitSet;
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::{
    Data, EdgeCount, EdgeIndexable, EdgeRef, GraphBase, GraphProp, IntoEdgeReferences, IntoEdges,
    IntoEdgesDirected, IntoNeighbors, IntoNeighborsDirected, IntoNodeIdentifiers,
    NodeCompactIndexable, NodeCount, NodeIndexable, Visitable,
};
use petgraph::{Directed, Direction};
use std::iter::Map;
use std::ops::Range;
use std::slice::Iter;

/// One fact seen as a petgraph edge.
#[derive(Debug, Clone, Copy)]
pub struct FactEdge<'a> {
    id: FactId,
    fact: &'a Fact,
}

impl EdgeRef for FactEdge<'_> {
    type NodeId = NodeIndex<u32>;
    type EdgeId = EdgeIndex<u32>;
    type Weight = RelationId;

    fn source(&self) -> NodeIndex<u32> {
        node(self.fact.subject)
    }

    fn target(&self) -> NodeIndex<u32> {
        node(self.fact.object)
    }

    fn weight(&self) -> &RelationId {
        &self.fact.relation
    }

    fn id(&self) -> EdgeIndex<u32> {
        EdgeIndex::new(self.id.index())
    }
}

fn node(e: EntityId) -> NodeIndex<u32> {
    NodeIndex::new(e.index())
}

fn entity(n: NodeIndex<u32>) -> EntityId {
    EntityId(n.index() as u32)
}

impl GraphBase for KnowledgeGraph {
    type NodeId = NodeIndex<u32>;
    type EdgeId = EdgeIndex<u32>;
}

impl Data for KnowledgeGraph {
    type NodeWeight = ();
    type EdgeWeight = RelationId;
}

impl GraphProp for KnowledgeGraph {
    type EdgeType = Directed;
}

impl NodeCount for KnowledgeGraph {
    fn node_count(&self) -> usize {
        self.model.entities.len()
    }
}

impl NodeIndexable for KnowledgeGraph {
    fn node_bound(&self) -> usize {
        self.model.entities.len()
    }

    fn to_index(&self, a: NodeIndex<u32>) -> usize {
        a.index()
    }

    fn from_index(&self, i: usize) -> NodeIndex<u32> {
        NodeIndex::new(i)
    }
}

impl NodeCompactIndexable for KnowledgeGraph {}

impl EdgeCount for KnowledgeGraph {
    fn edge_count(&self) -> usize {
        self.model.facts().len()
    }
}

impl EdgeIndexable for KnowledgeGraph {
    fn edge_bound(&self) -> usize {
        self.model.facts().len()
    }

    fn to_index(&self, a: EdgeIndex<u32>) -> usize {
        a.index()
    }

    fn from_index(&self, i: usize) -> EdgeIndex<u32> {
        EdgeIndex::new(i)
    }
}

impl Visitable for KnowledgeGraph {
    type Map = FixedBitSet;

    fn visit_map(&self) -> FixedBitSet {
        FixedBitSet::with_capacity(self.model.entities.len())
    }

    fn reset_map(&self, map: &mut FixedBitSet) {
        map.clear();
        map.grow(self.model.entities.len());
    }
}

/// Edges of one entity, out-edges then in-edges (one of the two lists is empty for a direction).
#[derive(Clone)]
pub struct Edges<'a> {
    out: Iter<'a, OutEdge>,
    incoming: Iter<'a, InEdge>,
    graph: &'a KnowledgeGraph,
}

impl<'a> Iterator for Edges<'a> {
    type Item = FactEdge<'a>;

    fn next(&mut self) -> Option<FactEdge<'a>> {
        let id = match self.out.next() {
            Some(e) => e.fact,
            None => self.incoming.next()?.fact,
        };
        Some(FactEdge {
            id,
            fact: self.graph.model.fact(id),
        })
    }
}

impl<'a> KnowledgeGraph {
    fn edges_of(&'a self, e: NodeIndex<u32>, direction: Direction) -> Edges<'a> {
        let (out, incoming) = self.edge_lists(entity(e), direction);
        Edges {
            out: out.iter(),
            incoming: incoming.iter(),
            graph: self,
        }
    }
}

/// The entity at the other end of each edge, as seen from the entity the edges belong to.
pub type Neighbors<'a> = Map<Edges<'a>, fn(FactEdge<'a>) -> NodeIndex<u32>>;
/// Every fact, in fact order.
pub type AllEdges<'a> =
    Map<std::iter::Zip<Range<u32>, Iter<'a, Fact>>, fn((u32, &'a Fact)) -> FactEdge<'a>>;

fn far_end_out(e: FactEdge<'_>) -> NodeIndex<u32> {
    e.target()
}

fn far_end_in(e: FactEdge<'_>) -> NodeIndex<u32> {
    e.source()
}

impl<'a> IntoNeighbors for &'a KnowledgeGraph {
    type Neighbors = Neighbors<'a>;

    fn neighbors(self, a: NodeIndex<u32>) -> Neighbors<'a> {
        self.edges_of(a, Direction::Outgoing).map(far_end_out)
    }
}

impl<'a> IntoNeighborsDirected for &'a KnowledgeGraph {
    type NeighborsDirected = Neighbors<'a>;

    fn neighbors_directed(self, a: NodeIndex<u32>, d: Direction) -> Neighbors<'a> {
        let far_end = match d {
            Direction::Outgoing => far_end_out,
            Direction::Incoming => far_end_in,
        };
        self.edges_of(a, d).map(far_end)
    }
}

impl<'a> IntoEdgeReferences for &'a KnowledgeGraph {
    type EdgeRef = FactEdge<'a>;
    type EdgeReferences = AllEdges<'a>;

    fn edge_references(self) -> AllEdges<'a> {
        let facts = self.model.facts();
        (0..facts.len() as u32)
            .zip(facts.iter())
            .map(|(i, fact)| FactEdge {
                id: FactId(i),
                fact,
            })
    }
}

impl<'a> IntoEdges for &'a KnowledgeGraph {
    type Edges = Edges<'a>;

    fn edges(self, a: NodeIndex<u32>) -> Edges<'a> {
        self.edges_of(a, Direction::Outgoing)
    }
}

impl<'a> IntoEdgesDirected for &'a KnowledgeGraph {
    type EdgesDirected = Edges<'a>;

    fn edges_directed(self, a: NodeIndex<u32>, d: Direction) -> Edges<'a> {
        self.edges_of(a, d)
    }
}

impl IntoNodeIdentifiers for &KnowledgeGraph {
    type NodeIdentifiers = Map<Range<usize>, fn(usize) -> NodeIndex<u32>>;

    fn node_identifiers(self) -> Self::NodeIdentifiers {
        (0..self.model.entities.len()).map(NodeIndex::new)
    }
}
