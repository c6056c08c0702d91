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

use crate::adjacency::{Adjacency, InEdge, OutEdge};
use crate::diagnostic::{did_you_mean, suggestion_text, Diagnostic, Severity};
use crate::model::{EntityId, FactId, Model, RelationId};
use crate::names::{AlikeIndex, NameIndex};
use hashbrown::HashMap;
use petgraph::Direction;

pub mod conflict_kind;
pub mod corroboration;
mod derived;
mod label_order;
pub mod spells;
mod time_index;
pub mod versions;
mod visit;

pub use label_order::LabelOrder;
pub use time_index::TimeIndex;

pub struct KnowledgeGraph {
    pub model: Model,
    /// Ids, names and aliases, ignoring case. Several entities may share a name.
    names: NameIndex,
    /// Names as `check` compares them for duplicates, built by the first name a query writes
    /// that is not found as written: most sessions never miss, and it normalises every name.
    alike: std::sync::OnceLock<AlikeIndex>,
    /// Lowercased relation name or inverse label -> the (relation, read backwards) pairs it names:
    /// several where labels differ only by case. Names come before inverse labels.
    relation_labels: HashMap<String, Vec<(RelationId, bool)>>,
    /// Facts of each relation in fact order: the access path of joins that start unbound. Built on
    /// first use: a warm start's first answer rarely needs it, and it is 4 bytes a fact.
    by_relation: std::sync::OnceLock<FactsByRelation>,
    /// Contiguous neighbour arrays: what the evaluator's searches and petgraph's algorithms read.
    adjacency: Adjacency,
    /// The same for derived facts (see [`crate::model::Derived`]), read only where a query names
    /// a derived relation, so that nothing else ever meets them; built on first use, as its
    /// starts take 12 bytes an entity even on a graph without derived facts.
    derived_adjacency: std::sync::OnceLock<Adjacency>,
    /// Derived facts of each derived relation.
    derived_by_relation: Vec<Vec<FactId>>,
    /// Lowercased shared names -> the entities that go by them; built on first use, as most
    /// graphs have none and a load should not walk every entity to find that out.
    shared_names: std::sync::OnceLock<HashMap<String, Vec<EntityId>>>,
    /// The word index of `search`: built by the first search, which may be cancelled or refused
    /// for memory, so it is set from outside rather than built here.
    search_index: std::sync::OnceLock<crate::search_index::SearchIndex>,
    /// Dated facts by period, built by the first period question (see [`TimeIndex`]).
    time_index: std::sync::OnceLock<TimeIndex>,
    /// Relation labels in sort order, built by the first answer sorted by label.
    label_order: std::sync::OnceLock<LabelOrder>,
    /// Whether any relation (loaded or derived) is symmetric: if none is, a search along the
    /// word never needs the edges against it.
    symmetric: bool,
}

/// Above this many facts and entities the adjacency arrays and the name index are built on two
/// threads.
const PARALLEL_BUILD: usize = 100_000;

/// How a name was found: as written (ignoring case), or only spelt otherwise ("Dayr az-Zawr" for
/// "Deir Ezzor"), which an answer has to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    AsWritten,
    Otherwise,
}

/// Why a name did not lead to exactly one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    Unknown { suggestions: Vec<String> },
    Ambiguous { candidates: Vec<EntityId> },
}

/// Why a relation label did not lead to exactly one relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelationLookupError {
    Unknown {
        suggestions: Vec<String>,
    },
    /// Labels equal to the name ignoring case, none of them spelt as given.
    Ambiguous {
        labels: Vec<String>,
    },
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

    fn build(mut model: Model, built: Option<(Adjacency, NameIndex)>) -> KnowledgeGraph {
        model.set_derived(derived::derive(&model));
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
        let mut relation_labels: HashMap<String, Vec<(RelationId, bool)>> = HashMap::new();
        for (i, r) in model.relations.iter().enumerate() {
            let id = RelationId(i as u32);
            relation_labels
                .entry(r.name.to_lowercase())
                .or_default()
                .push((id, false));
        }
        for (i, r) in model.relations.iter().enumerate() {
            if let Some(inverse) = r.inverse.as_ref().filter(|_| !r.symmetric) {
                let id = RelationId(i as u32);
                relation_labels
                    .entry(inverse.to_lowercase())
                    .or_default()
                    .push((id, true));
            }
        }
        for (i, r) in model.derived().relations.iter().enumerate() {
            relation_labels
                .entry(r.name.to_lowercase())
                .or_default()
                .push((model.derived_relation_id(i), false));
        }
        let symmetric = (0..model.relations.len() + model.derived().relations.len())
            .any(|r| model.relation(RelationId(r as u32)).symmetric);
        let mut derived_by_relation = vec![Vec::new(); model.derived().relations.len()];
        for (i, f) in model.derived().facts.iter().enumerate() {
            let r = f.relation.index() - model.relations.len();
            derived_by_relation[r].push(model.derived_fact_id(i));
        }
        KnowledgeGraph {
            model,
            names,
            alike: std::sync::OnceLock::new(),
            relation_labels,
            by_relation: std::sync::OnceLock::new(),
            adjacency,
            derived_adjacency: std::sync::OnceLock::new(),
            derived_by_relation,
            shared_names: std::sync::OnceLock::new(),
            search_index: std::sync::OnceLock::new(),
            time_index: std::sync::OnceLock::new(),
            label_order: std::sync::OnceLock::new(),
            symmetric,
        }
    }

    /// The word index of `search`, once a search has built it.
    pub fn search_index(&self) -> Option<&crate::search_index::SearchIndex> {
        self.search_index.get()
    }

    /// Keeps a built word index for the searches to come; a graph holds one at most.
    pub fn keep_search_index(
        &self,
        index: crate::search_index::SearchIndex,
    ) -> &crate::search_index::SearchIndex {
        self.search_index.get_or_init(|| index)
    }

    /// The loaded facts by date, built on first use: O(dated facts · log) once, then O(1).
    pub fn time_index(&self) -> &TimeIndex {
        self.time_index
            .get_or_init(|| TimeIndex::new(&self.model, |r| self.facts_of(r)))
    }

    /// Where each relation label sorts, built on first use: O(R log R) once, then O(1).
    pub fn label_order(&self) -> &LabelOrder {
        self.label_order
            .get_or_init(|| LabelOrder::new(&self.model))
    }

    /// Whether any relation, loaded or derived, reads the same both ways.
    pub fn has_symmetric(&self) -> bool {
        self.symmetric
    }

    /// The contiguous neighbour arrays every traversal reads.
    pub fn adjacency(&self) -> &Adjacency {
        &self.adjacency
    }

    /// The neighbour arrays of derived facts, numbered after the loaded ones.
    pub fn derived_adjacency(&self) -> &Adjacency {
        self.derived_adjacency.get_or_init(|| {
            let m = &self.model;
            Adjacency::of(m.entities.len(), &m.derived().facts, m.facts().len() as u32)
        })
    }

    /// The arrays holding the facts of these relations: the derived ones' if any is derived.
    pub fn adjacency_for(&self, relations: &[RelationId]) -> &Adjacency {
        match relations.iter().any(|&r| self.model.is_derived_relation(r)) {
            true => self.derived_adjacency(),
            false => &self.adjacency,
        }
    }

    /// Finds the entity a user means by an id, name or alias, ignoring case. An id written
    /// exactly wins over everything; then an id ignoring case, over names; a text that fits several
    /// entities equally (ids `Apple` and `apple` for `APPLE`, or a shared name) is ambiguous.
    /// O(log names).
    pub fn lookup(&self, text: &str) -> Result<EntityId, LookupError> {
        let mut found = self.lookup_exact(text);
        if let Err(LookupError::Unknown { suggestions }) = &mut found {
            *suggestions = self.suggest_entities(&text.trim().to_lowercase());
        }
        found
    }

    /// [`KnowledgeGraph::lookup`] without suggestions for an unknown name: O(log names + the
    /// name's length), for probing many candidate names.
    pub fn lookup_exact(&self, text: &str) -> Result<EntityId, LookupError> {
        let text = text.trim();
        let found = self.names.find(&self.model.entities, text);
        if let Some(id) = found.exact_id {
            return Ok(id);
        }
        if let [one] = found.ids.as_slice() {
            return Ok(*one);
        }
        // The id of a record merged by `same_as` names its target, as in the facts citing it.
        let merged = || {
            let mut m = self.model.merged().iter();
            m.find(|m| m.id.eq_ignore_ascii_case(text)).map(|m| m.into)
        };
        match found.all.as_slice() {
            [one] => Ok(*one),
            [] => merged().ok_or(LookupError::Unknown {
                suggestions: Vec::new(),
            }),
            many => Err(LookupError::Ambiguous {
                candidates: many.to_vec(),
            }),
        }
    }

    /// The entity a query means by `text`: as [`KnowledgeGraph::lookup_exact`] finds it, else,
    /// for a name not found as written, the one entity [`KnowledgeGraph::lookup_alike`] finds.
    /// Says whether the name was found as written or spelt otherwise, also of an ambiguity (several
    /// names spelt alike). An unknown name comes without suggestions, which cost O(names) and are
    /// sought only when shown. O(log names), and O(names) once for the first miss.
    pub fn lookup_spelt(
        &self,
        text: &str,
    ) -> Result<(EntityId, Spelling), (LookupError, Spelling)> {
        match self.lookup_exact(text) {
            Ok(id) => Ok((id, Spelling::AsWritten)),
            // Only a miss pays for the spellings `check` would take for this one.
            Err(LookupError::Unknown { .. }) => match self.lookup_alike(text)[..] {
                [one] => Ok((one, Spelling::Otherwise)),
                [] => Err((
                    LookupError::Unknown {
                        suggestions: Vec::new(),
                    },
                    Spelling::AsWritten,
                )),
                ref many => Err((
                    LookupError::Ambiguous {
                        candidates: many.to_vec(),
                    },
                    Spelling::Otherwise,
                )),
            },
            Err(error) => Err((error, Spelling::AsWritten)),
        }
    }

    /// The entities with a name that `check` would take for `text` spelt otherwise ("Dayr az-Zawr"
    /// for "Deir Ezzor"), for a name not found as written: those of the same key (case,
    /// diacritics, punctuation, spaces and a leading article aside), else of the same
    /// transliteration skeleton. O(names) on the first call, O(log names) after. A text with
    /// characters a terminal hides (a bidi override) is read as no name: what its reader sees is
    /// not what it says.
    pub fn lookup_alike(&self, text: &str) -> Vec<EntityId> {
        if crate::visible::needs_escaping(text) {
            return Vec::new();
        }
        let entities = &self.model.entities;
        let index = self.alike.get_or_init(|| AlikeIndex::new(entities));
        index.find(entities, text)
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
        // Most graphs share no name: no lowercased copy of the text to look up.
        if index.is_empty() {
            return &[];
        }
        index
            .get(&name.trim().to_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    /// Groups of entities whose ids differ only by case, which `check` warns about: each is found
    /// by its exact id, and any other spelling of it is ambiguous.
    pub fn entity_case_twins(&self) -> Vec<Vec<EntityId>> {
        self.names.case_twins(&self.model.entities)
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
    /// prefix. O(names), whatever the text's length (see [`did_you_mean`]): only ever on the way
    /// to an error.
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

    /// Resolves a relation name, inverse label or family name (`captured` covers `recaptured`),
    /// ignoring case unless labels differ only by case: then the exact spelling is needed (a name
    /// wins over an inverse label spelt the same).
    pub fn lookup_relation(&self, name: &str) -> Result<RelationMatch, RelationLookupError> {
        let (id, backwards) = self.relation_named(name)?;
        Ok(RelationMatch {
            relations: self.model.family(id),
            backwards,
        })
    }

    /// The relation a name or inverse label names (not its family), and whether the label reads
    /// its edges backwards; case as [`KnowledgeGraph::lookup_relation`] treats it.
    pub fn relation_named(&self, name: &str) -> Result<(RelationId, bool), RelationLookupError> {
        let Some(labels) = self.relation_labels.get(&name.to_lowercase()) else {
            let known = self.relation_labels();
            return Err(RelationLookupError::Unknown {
                suggestions: did_you_mean(name, known.iter().map(String::as_str))
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
            });
        };
        let label = |l: &(RelationId, bool)| self.relation_label(*l);
        let pick = labels.iter().find(|l| label(l) == name).or_else(|| {
            let first = labels.first()?;
            labels
                .iter()
                .all(|l| label(l) == label(first))
                .then_some(first)
        });
        let Some(&(id, backwards)) = pick else {
            let mut spellings: Vec<String> = labels.iter().map(|l| label(l).to_string()).collect();
            spellings.dedup();
            return Err(RelationLookupError::Ambiguous { labels: spellings });
        };
        Ok((id, backwards))
    }

    /// The label a (relation, backwards) pair is typed as: its name, or its inverse label.
    fn relation_label(&self, (id, backwards): (RelationId, bool)) -> &str {
        let r = self.model.relation(id);
        match (backwards, &r.inverse) {
            (true, Some(inverse)) => inverse,
            _ => &r.name,
        }
    }

    /// Groups of relation labels (names and inverse labels) that differ only by case, for
    /// `check`'s warning: each is found by its exact spelling only.
    pub fn relation_case_twins(&self) -> Vec<Vec<String>> {
        let mut groups: Vec<Vec<String>> = self
            .relation_labels
            .values()
            .map(|labels| {
                let mut spellings: Vec<String> = labels
                    .iter()
                    .map(|&l| self.relation_label(l).to_string())
                    .collect();
                spellings.sort();
                spellings.dedup();
                spellings
            })
            .filter(|spellings| spellings.len() > 1)
            .collect();
        groups.sort();
        groups
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
            .chain(
                self.model
                    .derived()
                    .relations
                    .iter()
                    .map(|r| r.name.clone()),
            )
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
        out.iter()
            .map(|e| e.fact)
            .chain(incoming.iter().map(|e| e.fact))
    }

    /// An entity's out-edges or in-edges, the other list empty: what `edges` and petgraph's
    /// traits (`visit`) walk.
    fn edge_lists(&self, entity: EntityId, direction: Direction) -> (&[OutEdge], &[InEdge]) {
        match direction {
            Direction::Outgoing => (self.adjacency.out(entity), &[]),
            Direction::Incoming => (&[], self.adjacency.incoming(entity)),
        }
    }

    /// Facts of one relation (not its family), in fact order.
    pub fn facts_of(&self, relation: RelationId) -> &[FactId] {
        if let Some(derived) = relation.index().checked_sub(self.model.relations.len()) {
            return self
                .derived_by_relation
                .get(derived)
                .map_or(&[], Vec::as_slice);
        }
        let r = relation.index();
        let b = self
            .by_relation
            .get_or_init(|| FactsByRelation::new(&self.model));
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

/// At most this many groups of case twins are listed in `check`'s warning; the rest are counted.
const TWINS_SHOWN: usize = 10;

/// `check`'s warning about ids and relation labels that differ only by case (`Apple`, `apple`):
/// valid, and each is found by its exact spelling, but any other spelling is ambiguous, and tools
/// that ignore case (file systems, some databases) would merge them. `None` when there are none.
pub fn case_warning(graph: &KnowledgeGraph) -> Option<Diagnostic> {
    let model = &graph.model;
    let place = |e: &crate::model::Entity| {
        let file = model
            .files
            .get(e.origin.file as usize)
            .map_or("?", String::as_str);
        format!("`{}` ({file}:{})", e.id, e.origin.line)
    };
    let mut notes: Vec<String> = graph
        .entity_case_twins()
        .iter()
        .map(|group| {
            let ids: Vec<String> = group.iter().map(|&e| place(model.entity(e))).collect();
            format!("ids {}", ids.join(", "))
        })
        .collect();
    let entity_groups = notes.len();
    notes.extend(graph.relation_case_twins().iter().map(|group| {
        let labels: Vec<String> = group.iter().map(|l| format!("`{l}`")).collect();
        format!("relation labels {}", labels.join(", "))
    }));
    if notes.is_empty() {
        return None;
    }
    let total = notes.len();
    let what = match (entity_groups, total - entity_groups) {
        (_, 0) => "ids",
        (0, _) => "relation labels",
        _ => "ids and relation labels",
    };
    let mut warning = Diagnostic::error(format!(
        "{what} that differ only by case: {total} group{}",
        if total == 1 { "" } else { "s" }
    ))
    .help("each is found by its exact spelling; any other spelling is ambiguous between them");
    warning.severity = Severity::Warning;
    for note in notes.into_iter().take(TWINS_SHOWN) {
        warning = warning.note(note);
    }
    if total > TWINS_SHOWN {
        warning = warning.note(format!("and {} more", total - TWINS_SHOWN));
    }
    Some(warning)
}
