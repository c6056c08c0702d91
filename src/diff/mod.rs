//! `factgraph diff OLD NEW`: what a change to a corpus changes, read off two loaded graphs, so that
//! a curator can review it like a code change.
//!
//! The comparison is pure data ([`CorpusDiff`], plain strings, sorted), so the text and JSON pages
//! (`text`, `json`) are a matter of printing and both always agree.
//!
//! Identities, decided once here:
//! - an entity, source or relation is its id (a relation its name);
//! - a fact is (subject id, relation, object id, source id, quote): the same words from the same
//!   source about the same ends. Its date, note and reporters are what may change about it;
//! - an entity whose id is gone from NEW while its id, name or an alias now names exactly one
//!   entity of NEW was merged into that entity. Facts and holders of OLD are read through the merge,
//!   so a merge is listed once and not again as every fact it rewired.
//!
//! Cost: O((facts + entities) · log) for each side, plus the state replay of each.

mod entities;
mod facts;
pub mod json;
mod side;
mod states;
pub mod text;

pub use side::side_files;

use crate::graph::KnowledgeGraph;
use serde::Serialize;
use std::collections::BTreeMap;

/// Everything that differs between two corpora, each list sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CorpusDiff {
    pub facts: FactChanges,
    pub entities: EntityChanges,
    pub sources: SourceChanges,
    pub relations: RelationChanges,
    /// Places whose states (`controls`) replay differently, by place then state.
    pub states: Vec<StateChange>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FactChanges {
    pub added: Vec<FactRef>,
    pub removed: Vec<FactRef>,
    /// The same fact (by identity) with another date, note or reporters.
    pub changed: Vec<FactChange>,
}

/// A fact as a reviewer reads it, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FactRef {
    pub subject: EntityRef,
    pub relation: String,
    pub object: EntityRef,
    pub source: String,
    pub quote: String,
    pub when: Option<String>,
    /// `file:line` of the record.
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FactChange {
    /// The fact as NEW has it.
    pub fact: FactRef,
    /// `file:line` of the record in OLD.
    pub old_at: String,
    pub fields: Vec<FieldChange>,
}

/// One field's value on each side; `None` where that side has none.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EntityRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EntityChanges {
    pub added: Vec<EntityRef>,
    /// Gone from NEW and merged into nothing.
    pub removed: Vec<EntityRef>,
    pub renamed: Vec<Renamed>,
    pub aliases: Vec<AliasChange>,
    pub merged: Vec<Merged>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Renamed {
    pub id: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct AliasChange {
    pub entity: EntityRef,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// An entity of OLD that NEW knows as another one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Merged {
    pub from: EntityRef,
    pub into: EntityRef,
    /// The id, name or alias of `from` by which NEW finds `into`; `None` when NEW says so itself.
    pub by: Option<String>,
    /// Where NEW declares the merge (`file:line` of a record with `from`'s id and `same_as`).
    pub same_as: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceChanges {
    pub added: Vec<SourceRef>,
    pub removed: Vec<SourceRef>,
    pub changed: Vec<SourceChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SourceRef {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub published: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SourceChange {
    pub id: String,
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RelationChanges {
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// How one state of one place replays differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateChange {
    pub place: EntityRef,
    pub state: String,
    /// The periods in which the two sides name different holders.
    pub held: Vec<HeldDifferently>,
    /// Transitions (as `changes` lists them) only OLD has, and only NEW has.
    pub removed: Vec<TransitionRef>,
    pub added: Vec<TransitionRef>,
}

/// A period from one change of holder to the next (on either side), and who held the state in it
/// on each side. `from: None` is before the earliest dated change; `to: None` is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldDifferently {
    pub from: Option<String>,
    pub to: Option<String>,
    pub old: HolderRef,
    pub new: HolderRef,
}

/// A holder: an entity, or nobody (left, lost), or unknown (nothing earlier known).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct HolderRef {
    pub id: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct TransitionRef {
    pub when: Option<String>,
    pub from: HolderRef,
    pub to: HolderRef,
    /// The relation of the fact that made the change.
    pub relation: String,
    pub source: String,
    pub quote: String,
    pub at: String,
}

impl CorpusDiff {
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }

    /// How many differences there are, each listed item counted once.
    pub fn count(&self) -> usize {
        let f = &self.facts;
        let e = &self.entities;
        let s = &self.sources;
        f.added.len()
            + f.removed.len()
            + f.changed.len()
            + e.added.len()
            + e.removed.len()
            + e.renamed.len()
            + e.aliases.len()
            + e.merged.len()
            + s.added.len()
            + s.removed.len()
            + s.changed.len()
            + self.relations.added.len()
            + self.relations.removed.len()
            + self.states.len()
    }
}

/// Old entity ids merged into new ones: how OLD's facts and holders are read.
pub(crate) type MergeMap = BTreeMap<String, String>;

/// Compares two loaded corpora.
pub fn compare(old: &KnowledgeGraph, new: &KnowledgeGraph) -> CorpusDiff {
    let entities = entities::compare(old, new);
    let merges: MergeMap = entities
        .merged
        .iter()
        .map(|m| (m.from.id.clone(), m.into.id.clone()))
        .collect();
    CorpusDiff {
        facts: facts::compare(old, new, &merges),
        sources: entities::sources(&old.model, &new.model),
        relations: entities::relations(&old.model, &new.model),
        states: states::compare(old, new, &merges),
        entities,
    }
}

/// An id as NEW knows it: through a merge, or itself.
pub(crate) fn through<'a>(merges: &'a MergeMap, id: &'a str) -> &'a str {
    merges.get(id).map_or(id, String::as_str)
}

/// `subject`'s id and name.
pub(crate) fn entity_ref(model: &crate::model::Model, id: crate::model::EntityId) -> EntityRef {
    let e = model.entity(id);
    EntityRef {
        id: e.id.clone(),
        name: e.name.clone(),
    }
}
