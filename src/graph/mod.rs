//! The model as a graph: compact adjacency arrays that petgraph's algorithms run on (`visit`), a
//! case-insensitive index of ids, names and aliases, and the facts of each relation.
//!
//! Index stability: the graph is built once per load and never changed. Node `i` is entity `i` and
//! edge `i` is fact `i`, so indices never need translating; nothing is ever removed (a reload builds
//! a new graph), which is what keeps that identity true.
//!
//! Why not a petgraph `Graph`: it keeps each fact as a 20-byte node of two linked lists, built by
//! writes all over memory. On 10 million facts that was 200 MB and about a second of every load,
//! for a structure no query read once the traversals moved to the adjacency arrays. Implementing
//! petgraph's graph traits on those arrays keeps its algorithms at hand with nothing copied.

use crate::adjacency::{Adjacency, OutEdge};
use crate::diagnostic::{did_you_mean, suggestion_text};
use crate::model::{EntityId, FactId, Model, RelationId};
use crate::names::NameIndex;
use hashbrown::HashMap;
use petgraph::Direction;

mod visit;

pub struct KnowledgeGraph {
    pub model: Model,
    /// Ids, names and aliases, ignoring case. Several entities may share a name.
    names: NameIndex,
    /// Lowercased relation name or inverse label -> (relation, read backwards).
    relation_labels: HashMap<String, (RelationId, bool)>,
    /// Facts of each relation in fact order: the access path of joins that start unbound.
    by_relation: FactsByRelation,
    /// Contiguous neighbour arrays: what the evaluator's searches and petgraph's algorithms read.
    adjacency: Adjacency,
    /// Lowercased shared names -> the entities that go by them; built on first use, as most
    /// graphs have none and a load should not walk every entity to find that out.
    shared_names: std::sync::OnceLock<HashMap<String, Vec<EntityId>>>,
}

/// Above this many facts and entities the adjacency arrays and the name index are built on two
/// threads.
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
        KnowledgeGraph::build(model, None)
    }

    /// Like [`KnowledgeGraph::new`], with adjacency arrays and name index already built for this
    /// model (a cache stores the arrays: building them scatters writes over the whole arrays,
    /// which on millions of facts costs more than reading them back in order).
    pub fn from_parts(model: Model, adjacency: Adjacency, names: NameIndex) -> KnowledgeGraph {
        KnowledgeGraph::build(model, Some((adjacency, names)))
    }

    fn build(model: Model, built: Option<(Adjacency, NameIndex)>) -> KnowledgeGraph {
        let (names, adjacency) = match built {
            Some((adjacency, names)) => (names, adjacency),
            None if model.facts().len() + model.entities.len() < PARALLEL_BUILD => {
                (NameIndex::new(&model.entities), Adjacency::new(&model))
            }
            None => std::thread::scope(|s| {
                let adjacency = s.spawn(|| Adjacency::new(&model));
                let names = NameIndex::new(&model.entities);
                let adjacency = adjacency
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (names, adjacency)
            }),
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
        let by_relation = FactsByRelation::new(&model);
        KnowledgeGraph {
            model,
            names,
            relation_labels,
            by_relation,
            adjacency,
            shared_names: std::sync::OnceLock::new(),
        }
    }

    /// The contiguous neighbour arrays every traversal reads.
    pub fn adjacency(&self) -> &Adjacency {
        &self.adjacency
    }

    /// Finds the entity a user means by an id, name or alias, ignoring case. An exact id wins over
    /// names; otherwise a name shared by several entities is ambiguous. O(log names).
    pub fn lookup(&self, text: &str) -> Result<EntityId, LookupError> {
        let text = text.trim();
        let (found, by_id) = self.names.find(&self.model.entities, text);
        if let Some(id) = by_id {
            return Ok(id);
        }
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(LookupError::Unknown {
                suggestions: self.suggest_entities(&text.to_lowercase()),
            }),
            many => Err(LookupError::Ambiguous {
                candidates: many.to_vec(),
            }),
        }
    }

    /// The entities that go by `name` although it leads to another (their `shared_names`),
    /// ignoring case. O(entities) on the first call, O(1) after.
    pub fn sharing(&self, name: &str) -> &[EntityId] {
        let index = self.shared_names.get_or_init(|| {
            let mut index: HashMap<String, Vec<EntityId>> = HashMap::new();
            for (i, e) in self.model.entities.iter().enumerate() {
                for name in e.shared_names() {
                    index
                        .entry(name.to_lowercase())
                        .or_default()
                        .push(EntityId(i as u32));
                }
            }
            index
        });
        index
            .get(&name.trim().to_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    /// Every name, alias and id, names first, as suggestions should spell them.
    fn spellings(&self) -> impl Iterator<Item = &str> {
        self.model.entities.iter().flat_map(|e| {
            std::iter::once(e.name.as_str())
                .chain(e.aliases().iter().map(String::as_str))
                .chain(std::iter::once(e.id.as_str()))
        })
    }

    /// "Did you mean": names close by edit distance, then names containing the text as a word
    /// prefix. O(names): only ever on the way to an error.
    pub fn suggest_entities(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = did_you_mean(text, self.spellings())
            .into_iter()
            .map(str::to_string)
            .collect();
        if out.is_empty() && text.chars().count() >= 3 {
            let mut seen = hashbrown::HashSet::new();
            let mut prefixed: Vec<String> = self
                .spellings()
                .filter(|k| {
                    k.to_lowercase()
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| w.starts_with(text))
                })
                .filter(|k| seen.insert(k.to_lowercase()))
                .map(str::to_string)
                .collect();
            prefixed.sort();
            prefixed.truncate(3);
            out = prefixed;
        }
        out
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

    /// The relation a name or inverse label names (not its family), and whether the label reads
    /// its edges backwards.
    pub fn relation_label(&self, label: &str) -> Option<(RelationId, bool)> {
        self.relation_labels.get(&label.to_lowercase()).copied()
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

    /// Facts touching an entity in one direction, in fact order: O(1), then O(1) a fact.
    pub fn edges(
        &self,
        entity: EntityId,
        direction: Direction,
    ) -> impl Iterator<Item = FactId> + '_ {
        let (out, incoming) = self.edge_lists(entity, direction);
        out.iter().map(|e| e.fact).chain(incoming.iter().copied())
    }

    /// An entity's out-edges or in-edges, the other list empty: what `edges` and petgraph's
    /// traits (`visit`) walk.
    fn edge_lists(&self, entity: EntityId, direction: Direction) -> (&[OutEdge], &[FactId]) {
        match direction {
            Direction::Outgoing => (self.adjacency.out(entity), &[]),
            Direction::Incoming => (&[], self.adjacency.incoming(entity)),
        }
    }

    /// Facts of one relation (not its family), in fact order.
    pub fn facts_of(&self, relation: RelationId) -> &[FactId] {
        let r = relation.index();
        let b = &self.by_relation;
        match (b.start.get(r), b.start.get(r + 1)) {
            (Some(&from), Some(&to)) => &b.facts[from as usize..to as usize],
            _ => &[],
        }
    }
}

/// Facts grouped by relation, in one array: relation `r`'s facts are `facts[start[r]..start[r + 1]]`.
struct FactsByRelation {
    start: Vec<u32>,
    facts: Vec<FactId>,
}

impl FactsByRelation {
    /// A counting sort by relation: two sequential passes, no array regrown.
    fn new(model: &Model) -> FactsByRelation {
        let mut start = vec![0u32; model.relations.len() + 1];
        for f in model.facts() {
            start[f.relation.index() + 1] += 1;
        }
        for r in 0..model.relations.len() {
            start[r + 1] += start[r];
        }
        let mut next = start.clone();
        let mut facts = vec![FactId(0); model.facts().len()];
        for (i, f) in model.facts().iter().enumerate() {
            let slot = &mut next[f.relation.index()];
            facts[*slot as usize] = FactId(i as u32);
            *slot += 1;
        }
        FactsByRelation { start, facts }
    }
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
