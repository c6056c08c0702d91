//! The validated model: every id resolved to an index, every date parsed, several files merged.
//!
//! Types here are what the rest of factgraph works with; `fact_file` mirrors the text and `validate`
//! turns one into the other, collecting every problem instead of stopping at the first.

use crate::date::When;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

mod grades;
mod words;
pub use grades::{grade_text, Credibility, Reliability};
pub use words::{Discarded, Extra, FactWords, QuotePages, Words, UNREADABLE_QUOTE};

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

index_type!(
    /// An entity's position in [`Model::entities`]; also its node index in the graph.
    EntityId
);
index_type!(
    /// A fact's position in [`Model::facts`]; also its edge index in the graph.
    FactId
);
index_type!(RelationId);
index_type!(SourceId);

/// The kinds an entity can have. Finer distinctions (town, airbase, armed group) are tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Actor,
    Place,
    Event,
    Thing,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Actor, Kind::Place, Kind::Event, Kind::Thing];
    pub const NAMES: [&'static str; 4] = ["actor", "place", "event", "thing"];

    pub fn name(self) -> &'static str {
        Kind::NAMES[self as usize]
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a record came from, for evidence ("graphs/al-sukhna.ron:212").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub file: u32,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub published: When,
    pub url: Option<String>,
    /// How reliable the curator judges the source (Admiralty A-F), if graded.
    pub reliability: Option<Reliability>,
    /// The source's text, when its record names a `text` file: quotes were checked against it,
    /// and answers show them inside their sentences.
    pub text: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Relation {
    pub name: String,
    pub inverse: Option<String>,
    pub symmetric: bool,
    pub domain: Vec<Kind>,
    pub range: Vec<Kind>,
    pub broader: Option<RelationId>,
    pub description: Option<String>,
    pub starts_state: Option<String>,
    pub ends_state: Option<String>,
    pub self_loops: bool,
    /// Its facts report plans, claims or possibilities: hedged quotes are expected.
    pub hedged: bool,
    /// Relations a fact of this one contradicts on the same subject and object (`claimed` and
    /// `denied`); the link goes both ways.
    pub contradicts: Vec<RelationId>,
    pub origin: Origin,
}

impl Relation {
    /// The label used when an edge of this relation is read backwards.
    pub fn inverse_label(&self) -> String {
        if self.symmetric {
            return self.name.clone();
        }
        match &self.inverse {
            Some(inverse) => inverse.clone(),
            None => format!("^{}", self.name),
        }
    }

    /// The label for reading an edge forwards (`false`) or backwards (`true`).
    pub fn label(&self, backwards: bool) -> String {
        if backwards {
            self.inverse_label()
        } else {
            self.name.clone()
        }
    }
}

/// An actor, place, event or thing. Aliases, tags and attributes are boxed together: curated
/// entities have them, but the millions of an imported graph have none, and an entity is 72 bytes
/// instead of 136 without three empty collections inline.
#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    pub origin: Origin,
    details: Option<Box<Details>>,
}

#[derive(Debug, Clone, Default)]
struct Details {
    aliases: Vec<String>,
    tags: Vec<String>,
    attributes: BTreeMap<String, String>,
    shared_names: Vec<String>,
    not_same_as: Vec<String>,
}

static NO_ATTRIBUTES: BTreeMap<String, String> = BTreeMap::new();

impl Entity {
    pub fn new(id: String, name: String, kind: Kind, origin: Origin) -> Entity {
        Entity {
            id,
            name,
            kind,
            origin,
            details: None,
        }
    }

    /// The entity with these aliases, tags and attributes (nothing is allocated when all are
    /// empty).
    pub fn with_details(
        mut self,
        aliases: Vec<String>,
        tags: Vec<String>,
        attributes: BTreeMap<String, String>,
    ) -> Entity {
        self.details =
            (!aliases.is_empty() || !tags.is_empty() || !attributes.is_empty()).then(|| {
                Box::new(Details {
                    aliases,
                    tags,
                    attributes,
                    shared_names: Vec::new(),
                    not_same_as: Vec::new(),
                })
            });
        self
    }

    /// The entity with these shared names (see [`Entity::shared_names`]).
    pub fn with_shared_names(mut self, shared_names: Vec<String>) -> Entity {
        if !shared_names.is_empty() {
            self.details.get_or_insert_with(Box::default).shared_names = shared_names;
        }
        self
    }

    /// The entity with these ids of entities it is not (see [`Entity::not_same_as`]).
    pub fn with_not_same_as(mut self, ids: Vec<String>) -> Entity {
        if !ids.is_empty() {
            self.details.get_or_insert_with(Box::default).not_same_as = ids;
        }
        self
    }

    /// Records that this entity is not the entity with id `other`.
    pub fn add_not_same_as(&mut self, other: &str) {
        let details = self.details.get_or_insert_with(Box::default);
        if !details.not_same_as.iter().any(|id| id == other) {
            details.not_same_as.push(other.to_string());
        }
    }

    /// Adds aliases and tags, as a record merged into this entity brings them.
    pub fn extend(&mut self, aliases: Vec<String>, tags: Vec<String>) {
        if aliases.is_empty() && tags.is_empty() {
            return;
        }
        let details = self.details.get_or_insert_with(Box::default);
        details.aliases.extend(aliases);
        details.tags.extend(tags);
    }

    /// Other names the entity is known by ("ISIS", "Daesh").
    pub fn aliases(&self) -> &[String] {
        self.details.as_ref().map_or(&[], |d| &d.aliases)
    }

    /// Finer types than the kind (town, airbase, armed group).
    pub fn tags(&self) -> &[String] {
        self.details.as_ref().map_or(&[], |d| &d.tags)
    }

    /// Names this entity goes by that lead to another entity: "Palmyra" for the modern town,
    /// where "Palmyra" is the ancient site. An answer that reads one says this entity exists.
    pub fn shared_names(&self) -> &[String] {
        self.details.as_ref().map_or(&[], |d| &d.shared_names)
    }

    /// Ids of entities a curator judged to be others, although their names look alike
    /// (`not_same_as`): no duplicate warning pairs them with this one.
    pub fn not_same_as(&self) -> &[String] {
        self.details.as_ref().map_or(&[], |d| &d.not_same_as)
    }

    pub fn attributes(&self) -> &BTreeMap<String, String> {
        self.details
            .as_ref()
            .map_or(&NO_ATTRIBUTES, |d| &d.attributes)
    }
}

/// One sourced statement: subject -relation-> object, with its date and where it was read.
/// The words behind it (quote, reporters, note) live beside the facts in [`Model`], so the facts
/// that joins and time slices read stay 40 bytes each on graphs of millions of facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    pub subject: EntityId,
    pub relation: RelationId,
    pub object: EntityId,
    pub source: SourceId,
    pub when: Option<When>,
    pub origin: Origin,
}

/// Everything loaded from one or more fact files, with cross-references resolved.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// The fact files, by the names the user gave them; `Origin::file` indexes this.
    pub files: Vec<String>,
    pub sources: Vec<Source>,
    pub relations: Vec<Relation>,
    pub entities: Vec<Entity>,
    /// Private so that facts and their words can only be added together.
    facts: Vec<Fact>,
    words: Words,
    /// Curation warnings found when the files were loaded, located, in file order (the first
    /// `validate::MAX_PROBLEMS`, then one counting the rest): the files are valid, but some facts
    /// may say more or other than their sources.
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
    /// Entities that are probably one, as warnings located like `warnings`. Kept apart because
    /// only `check` reports them: a reader of a corpus is not told on every query.
    pub duplicates: Vec<crate::diagnostic::Diagnostic>,
    /// Facts derived from the loaded ones (who held a state), numbered after them.
    derived: Derived,
    /// Entities declared with `same_as` and merged into another, in declaration order.
    merges: Vec<Merge>,
    /// Loaded files that are copies of a shipped vocabulary (index into `files`, and its name):
    /// the summary counts them as the vocabulary, not as fact files.
    pub vocabulary_files: Vec<(usize, &'static str)>,
}

/// An entity record merged into another by `same_as`: it is no entity of the model, its names
/// are the target's aliases and its facts are the target's, but where it was declared and as what
/// is kept for `show` and for diffs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    /// The merged record's id and name, as its file declares them.
    pub id: String,
    pub name: String,
    pub into: EntityId,
    pub origin: Origin,
}

/// Relations and facts derived from the loaded ones rather than stated: each state that relations
/// start or end (`controls`) is a relation, and each spell of it a fact. Their ids follow the
/// loaded ones (a derived fact's [`FactId`] is at least `facts().len()`), so answers, evidence and
/// rendering read them like any other; [`Model::facts`] and [`Model::relations`] stay what was
/// loaded, so counts, exports and the cache never see them.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    pub relations: Vec<Relation>,
    pub facts: Vec<Fact>,
    /// For each derived fact, the loaded facts it rests on: the one that started the spell, the
    /// one that ended it (if any), then those that corroborated it.
    pub evidence: Vec<Vec<FactId>>,
    /// For each derived fact, whether sources disagree about it (see `graph::versions`).
    pub contested: Vec<bool>,
}

impl Model {
    /// A model of these declarations and no facts yet; facts are added with [`Model::push_fact`].
    pub fn new(
        files: Vec<String>,
        sources: Vec<Source>,
        relations: Vec<Relation>,
        entities: Vec<Entity>,
    ) -> Model {
        Model {
            files,
            sources,
            relations,
            entities,
            ..Model::default()
        }
    }

    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.index()]
    }

    pub fn relation(&self, id: RelationId) -> &Relation {
        match self.relations.get(id.index()) {
            Some(r) => r,
            None => &self.derived.relations[id.index() - self.relations.len()],
        }
    }

    pub fn fact(&self, id: FactId) -> &Fact {
        match self.facts.get(id.index()) {
            Some(f) => f,
            None => &self.derived.facts[id.index() - self.facts.len()],
        }
    }

    /// Replaces the derived relations and facts (see [`Derived`]).
    pub fn set_derived(&mut self, derived: Derived) {
        self.derived = derived;
    }

    pub fn derived(&self) -> &Derived {
        &self.derived
    }

    /// The id the `i`th derived relation has.
    pub fn derived_relation_id(&self, i: usize) -> RelationId {
        RelationId((self.relations.len() + i) as u32)
    }

    /// The id the `i`th derived fact has.
    pub fn derived_fact_id(&self, i: usize) -> FactId {
        FactId((self.facts.len() + i) as u32)
    }

    pub fn is_derived_relation(&self, id: RelationId) -> bool {
        id.index() >= self.relations.len()
    }

    /// The loaded facts a derived fact rests on; `None` for a loaded fact.
    pub fn derived_from(&self, id: FactId) -> Option<&[FactId]> {
        let i = id.index().checked_sub(self.facts.len())?;
        self.derived.evidence.get(i).map(Vec::as_slice)
    }

    /// Whether `id` is a spell that sources disagree about; a loaded fact never is.
    pub fn is_contested(&self, id: FactId) -> bool {
        id.index()
            .checked_sub(self.facts.len())
            .and_then(|i| self.derived.contested.get(i))
            .is_some_and(|&c| c)
    }

    /// Loaded and derived relations together.
    pub fn relation_count(&self) -> usize {
        self.relations.len() + self.derived.relations.len()
    }

    /// Every fact, in file order; a fact's index is its [`FactId`].
    pub fn facts(&self) -> &[Fact] {
        &self.facts
    }

    /// The quote, reporters and note of a fact; a derived fact's are those of the fact that
    /// started it.
    pub fn words(&self, id: FactId) -> FactWords<'_> {
        let id = match self.derived_from(id) {
            Some([start, ..]) => *start,
            _ => id,
        };
        self.words.get(id)
    }

    pub fn quote(&self, id: FactId) -> &str {
        self.words(id).quote
    }

    /// Reads the quotes of `facts` ahead of a task that writes them all (an export, a diff), and
    /// names the cache they are paged from if any could not be read, so that the task can fail
    /// before any output holds [`UNREADABLE_QUOTE`] in a quote's place.
    pub fn damaged_quotes(&self, facts: impl IntoIterator<Item = FactId>) -> Option<&Path> {
        let (before, _) = self.words.unreadable()?;
        for f in facts {
            let _ = self.quote(f);
        }
        self.words
            .unreadable()
            .filter(|&(after, _)| after > before)
            .map(|(_, cache)| cache)
    }

    /// Removes the cache the quotes are paged from, once a read of it found damage, so that the
    /// error is not met again on the next start (a cache a later load wrote in its place is left).
    pub fn discard_damaged_cache(&self) -> Discarded {
        self.words.discard_cache()
    }

    /// Every fact's words together, for the cache to store.
    pub fn all_words(&self) -> &Words {
        &self.words
    }

    /// Appends a fact with its words; returns its id.
    pub fn push_fact(&mut self, fact: Fact, words: FactWords<'_>) -> FactId {
        let id = FactId(self.facts.len() as u32);
        self.facts.push(fact);
        self.words.push(id, words);
        id
    }

    /// Room for `n` more facts, so that loading a file of known size never regrows the array.
    pub fn reserve_facts(&mut self, n: usize) {
        self.facts.reserve_exact(n);
    }

    /// Replaces all facts at once, as the cache decodes them; `None` if `words` does not describe
    /// exactly these facts.
    pub fn with_facts(mut self, facts: Vec<Fact>, words: Words) -> Option<Model> {
        if !words.fits(facts.len()) {
            return None;
        }
        self.facts = facts;
        self.words = words;
        Some(self)
    }

    /// The entity records merged into others by `same_as`, in declaration order.
    pub fn merged(&self) -> &[Merge] {
        &self.merges
    }

    /// The records merged into `into`.
    pub fn merged_into(&self, into: EntityId) -> impl Iterator<Item = &Merge> {
        self.merges.iter().filter(move |m| m.into == into)
    }

    /// Replaces the merges, as validation or the cache finds them.
    pub fn set_merges(&mut self, merges: Vec<Merge>) {
        self.merges = merges;
    }

    pub fn source(&self, id: SourceId) -> &Source {
        &self.sources[id.index()]
    }

    /// `file:line` of a record, as shown in evidence.
    pub fn origin_text(&self, origin: Origin) -> String {
        let file = self
            .files
            .get(origin.file as usize)
            .map_or("?", String::as_str);
        format!("{file}:{}", origin.line)
    }

    /// The relation and all relations below it in its family (`captured` -> itself, `recaptured`,
    /// `overran`), in declaration order.
    pub fn family(&self, root: RelationId) -> Vec<RelationId> {
        if self.is_derived_relation(root) {
            return vec![root];
        }
        (0..self.relations.len() as u32)
            .map(RelationId)
            .filter(|&r| self.ancestors(r).any(|a| a == root))
            .collect()
    }

    /// The relation itself, then its broader relations up to the root. Validation forbids cycles.
    pub fn ancestors(&self, start: RelationId) -> impl Iterator<Item = RelationId> + '_ {
        let mut next = Some(start);
        let mut steps = 0;
        std::iter::from_fn(move || {
            let current = next?;
            steps += 1;
            next = if steps > self.relations.len() {
                None
            } else {
                self.relation(current).broader
            };
            Some(current)
        })
    }

    /// Counts of entities per kind, in `Kind::ALL` order.
    pub fn kind_counts(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for e in &self.entities {
            counts[e.kind as usize] += 1;
        }
        counts
    }

    /// The one-line summary `check` and `stats` print.
    pub fn summary(&self) -> String {
        let counts = self.kind_counts();
        let kinds: Vec<String> = Kind::ALL
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| format!("{n} {k}{}", if n == 1 { "" } else { "s" }))
            .collect();
        let names: std::collections::BTreeSet<&str> = self
            .vocabulary_files
            .iter()
            .map(|(_, name)| *name)
            .collect();
        let names: Vec<&str> = names.into_iter().collect();
        let plus = match names.len() {
            0 => String::new(),
            1 => format!(", plus the {} vocabulary", names[0]),
            _ => format!(", plus the {} vocabularies", names.join(", ")),
        };
        format!(
            "{} ({}), {}, {}, {} in {}{plus}",
            count(self.entities.len(), "entity", "entities"),
            if kinds.is_empty() {
                "none".to_string()
            } else {
                kinds.join(", ")
            },
            count(self.relations.len(), "relation", "relations"),
            count(self.facts.len(), "fact", "facts"),
            count(self.sources.len(), "source", "sources"),
            count(
                self.files.len() - self.vocabulary_files.len(),
                "file",
                "files"
            ),
        )
    }
}

/// `1 fact`, `2 facts`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's memory budget counts on these sizes (x86-64).
    #[test]
    fn facts_and_entities_stay_small() {
        assert_eq!(std::mem::size_of::<Fact>(), 40);
        assert_eq!(std::mem::size_of::<Entity>(), 72);
    }
}
