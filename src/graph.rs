//! The model as a petgraph graph, with a case-insensitive index of ids, names and aliases.
//!
//! Index stability: the graph is a plain append-only `Graph` built once per load. Node `i` is entity
//! `i` and edge `i` is fact `i`, so indices never need translating; nothing is ever removed (a reload
//! builds a new graph), which is what keeps that identity true.

use crate::adjacency::Adjacency;
use crate::diagnostic::{did_you_mean, suggestion_text};
use crate::model::{EntityId, FactId, Model, RelationId};
use hashbrown::HashMap;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::Direction;

pub struct KnowledgeGraph {
    pub model: Model,
    pub graph: DiGraph<EntityId, FactId, u32>,
    /// Lowercased id, name or alias -> entities, ids first. Several entities may share a name.
    names: HashMap<String, Ids>,
    /// Lowercased relation name or inverse label -> (relation, read backwards).
    relation_labels: HashMap<String, (RelationId, bool)>,
    /// Facts of each relation in fact order: the access path of joins that start unbound.
    facts_by_relation: Vec<Vec<FactId>>,
    /// Contiguous neighbour arrays for the traversal kernels in `algo`.
    adjacency: Adjacency,
}

/// The entities behind one lowercased name: almost always one, so no list is allocated for it.
#[derive(Debug, Clone)]
enum Ids {
    One(EntityId),
    Many(Vec<EntityId>),
}

impl Ids {
    fn as_slice(&self) -> &[EntityId] {
        match self {
            Ids::One(id) => std::slice::from_ref(id),
            Ids::Many(ids) => ids,
        }
    }

    fn push_unique(&mut self, id: EntityId) {
        match self {
            Ids::One(first) if *first != id => *self = Ids::Many(vec![*first, id]),
            Ids::Many(ids) if !ids.contains(&id) => ids.push(id),
            _ => {}
        }
    }
}

/// Above this many facts and entities the graph and the name index are built on two threads.
const PARALLEL_BUILD: usize = 100_000;

/// Why a name did not lead to exactly one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    Unknown { suggestions: Vec<String> },
    Ambiguous { candidates: Vec<EntityId> },
}

/// A relation as named in a query: the relations it covers (a family name covers its narrower
/// relations) and whether the name was the inverse label, so edges are read backwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationMatch {
    pub relations: Vec<RelationId>,
    pub backwards: bool,
}

impl KnowledgeGraph {
    /// Builds the graph and indexes; O(entities + facts).
    pub fn new(model: Model) -> KnowledgeGraph {
        let (graph, names, adjacency) = if model.facts.len() + model.entities.len() < PARALLEL_BUILD
        {
            (
                build_graph(&model),
                index_names(&model),
                Adjacency::new(&model),
            )
        } else {
            std::thread::scope(|s| {
                let names = s.spawn(|| index_names(&model));
                let graph = build_graph(&model);
                let adjacency = Adjacency::new(&model);
                let names = names
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (graph, names, adjacency)
            })
        };
        let mut relation_labels = HashMap::new();
        for (i, r) in model.relations.iter().enumerate() {
            let id = RelationId(i as u32);
            relation_labels.insert(r.name.to_lowercase(), (id, false));
            if let Some(inverse) = r.inverse.as_ref().filter(|_| !r.symmetric) {
                relation_labels
                    .entry(inverse.to_lowercase())
                    .or_insert((id, true));
            }
        }
        let mut facts_by_relation = vec![Vec::new(); model.relations.len()];
        for (i, f) in model.facts.iter().enumerate() {
            facts_by_relation[f.relation.index()].push(FactId(i as u32));
        }
        KnowledgeGraph {
            model,
            graph,
            names,
            relation_labels,
            facts_by_relation,
            adjacency,
        }
    }

    /// The contiguous neighbour arrays the traversal kernels use.
    pub fn adjacency(&self) -> &Adjacency {
        &self.adjacency
    }

    pub fn node(entity: EntityId) -> NodeIndex<u32> {
        NodeIndex::new(entity.index())
    }

    /// Finds the entity a user means by an id, name or alias, ignoring case. An exact id wins over
    /// names; otherwise a name shared by several entities is ambiguous.
    pub fn lookup(&self, text: &str) -> Result<EntityId, LookupError> {
        let key = text.trim().to_lowercase();
        if let Some(ids) = self.names.get(&key).map(Ids::as_slice) {
            if let Some(&exact) = ids
                .iter()
                .find(|&&i| self.model.entity(i).id.to_lowercase() == key)
            {
                return Ok(exact);
            }
            return match ids {
                [one] => Ok(*one),
                many => Err(LookupError::Ambiguous {
                    candidates: many.to_vec(),
                }),
            };
        }
        Err(LookupError::Unknown {
            suggestions: self.suggest_entities(&key),
        })
    }

    /// "Did you mean": names close by edit distance, then names containing the text as a word prefix.
    pub fn suggest_entities(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = did_you_mean(text, self.names.keys().map(String::as_str))
            .into_iter()
            .map(|k| self.display_key(k))
            .collect();
        if out.is_empty() && text.chars().count() >= 3 {
            let mut prefixed: Vec<String> = self
                .names
                .keys()
                .filter(|k| {
                    k.split(|c: char| !c.is_alphanumeric())
                        .any(|w| w.starts_with(text))
                })
                .map(|k| self.display_key(k))
                .collect();
            prefixed.sort();
            prefixed.dedup();
            prefixed.truncate(3);
            out = prefixed;
        }
        out
    }

    /// The spelling a user wrote in the file for a lowercased key.
    fn display_key(&self, key: &str) -> String {
        let Some(&id) = self.names.get(key).and_then(|ids| ids.as_slice().first()) else {
            return key.to_string();
        };
        let e = self.model.entity(id);
        // Names read better than ids in a suggestion, when both match.
        std::iter::once(&e.name)
            .chain(&e.aliases)
            .chain(std::iter::once(&e.id))
            .find(|n| n.to_lowercase() == key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// Resolves a relation name, inverse label or family name (`captured` covers `recaptured`).
    pub fn lookup_relation(&self, name: &str) -> Result<RelationMatch, Vec<String>> {
        match self.relation_labels.get(&name.to_lowercase()) {
            Some(&(id, backwards)) => Ok(RelationMatch {
                relations: self.model.family(id),
                backwards,
            }),
            None => Err(
                did_you_mean(name, self.relation_labels.keys().map(String::as_str))
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
            ),
        }
    }

    /// Every relation label a user can type: names and inverse labels, sorted.
    pub fn relation_labels(&self) -> Vec<String> {
        let mut labels: Vec<String> = self
            .model
            .relations
            .iter()
            .flat_map(|r| {
                std::iter::once(r.name.clone()).chain(r.inverse.clone().filter(|_| !r.symmetric))
            })
            .collect();
        labels.sort();
        labels
    }

    /// Every id, name and alias, for completion.
    pub fn entity_names(&self) -> impl Iterator<Item = &str> {
        self.model.entities.iter().flat_map(|e| {
            std::iter::once(e.id.as_str())
                .chain(std::iter::once(e.name.as_str()))
                .chain(e.aliases.iter().map(String::as_str))
        })
    }

    /// Facts touching an entity in one direction, in fact order: O(degree).
    pub fn edges(
        &self,
        entity: EntityId,
        direction: Direction,
    ) -> impl Iterator<Item = FactId> + '_ {
        let mut facts: Vec<FactId> = self
            .graph
            .edges_directed(Self::node(entity), direction)
            .map(|e| *e.weight())
            .collect();
        // petgraph walks its adjacency lists newest first; fact order is what users expect.
        facts.reverse();
        facts.into_iter()
    }

    /// Facts of one relation (not its family), in fact order.
    pub fn facts_of(&self, relation: RelationId) -> &[FactId] {
        self.facts_by_relation
            .get(relation.index())
            .map_or(&[], Vec::as_slice)
    }

    pub fn edge(fact: FactId) -> EdgeIndex<u32> {
        EdgeIndex::new(fact.index())
    }
}

fn build_graph(model: &Model) -> DiGraph<EntityId, FactId, u32> {
    let mut graph = DiGraph::with_capacity(model.entities.len(), model.facts.len());
    for i in 0..model.entities.len() {
        graph.add_node(EntityId(i as u32));
    }
    for (i, f) in model.facts.iter().enumerate() {
        graph.add_edge(
            NodeIndex::new(f.subject.index()),
            NodeIndex::new(f.object.index()),
            FactId(i as u32),
        );
    }
    graph
}

/// Lowercased ids, then names and aliases -> entities, ids first.
fn index_names(model: &Model) -> HashMap<String, Ids> {
    let mut names: HashMap<String, Ids> = HashMap::with_capacity(model.entities.len() * 2);
    let mut add = |key: &String, id: EntityId| {
        names
            .entry(key.to_lowercase())
            .and_modify(|ids| ids.push_unique(id))
            .or_insert(Ids::One(id));
    };
    for (i, e) in model.entities.iter().enumerate() {
        add(&e.id, EntityId(i as u32));
    }
    for (i, e) in model.entities.iter().enumerate() {
        for name in std::iter::once(&e.name).chain(&e.aliases) {
            add(name, EntityId(i as u32));
        }
    }
    names
}

/// A one-line explanation of a failed lookup, for "unknown entity" errors.
pub fn lookup_help(graph: &KnowledgeGraph, error: &LookupError) -> Option<String> {
    match error {
        LookupError::Unknown { suggestions } => {
            let refs: Vec<&str> = suggestions.iter().map(String::as_str).collect();
            suggestion_text(&refs)
        }
        LookupError::Ambiguous { candidates } => {
            let names: Vec<String> = candidates
                .iter()
                .map(|&c| {
                    let e = graph.model.entity(c);
                    format!("`{}` ({}, {})", e.id, e.name, e.kind)
                })
                .collect();
            Some(format!(
                "it could be {}; use the id to choose",
                names.join(" or ")
            ))
        }
    }
}
