//! What a query returns: rows of entities and the facts behind them, not yet rendered.
//!
//! Answers hold ids into the graph, never copies of text, so rendering to any format reads the same
//! evidence (date, source, quote, file:line) from the model.

use crate::date::When;
use crate::graph::spells::Rival;
use crate::graph::spells::StateSpell;
use crate::model::{EntityId, FactId, RelationId, SourceId};

/// One edge as a traversal read it: forwards (subject to object) or backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Step {
    pub fact: FactId,
    pub backwards: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighborRow {
    pub entity: EntityId,
    pub depth: u32,
    /// The fact that reached `entity` from the previous layer, read from that layer towards it.
    pub via: Step,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Binding {
    Entity(EntityId),
    Relation(RelationId),
    /// A fact variable (`... as ?f`).
    Fact(FactId),
    /// A property (`?f.source`) or a kind, as text.
    Text(String),
    /// A count of `group by`.
    Number(usize),
    /// A date: `?f.when`, `min(?f.when)`.
    Date(When),
    /// A variable of an `optional` block that did not match.
    Unbound,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchRow {
    pub values: Vec<Binding>,
    /// Every fact that supports the row (all the matches it stands for), without repeats, in the
    /// order they were found.
    pub facts: Vec<FactId>,
}

/// Who held a state before or after a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holder {
    Entity(EntityId),
    /// The last holder withdrew or lost it and no one took it.
    Nobody,
    /// Nothing earlier about the place is known.
    Unknown,
}

/// One change of who held a state over a place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub place: EntityId,
    pub state: String,
    pub from: Holder,
    pub to: Holder,
    /// The fact by which it changed.
    pub fact: FactId,
    /// When it changed: the fact's date, or for a fact stating a spell (`2015..2017`, `since`)
    /// where the spell began; `by DATE` when the fact only reports the new holder (`as of`).
    pub when: Option<When>,
    /// The latest fact showing the state this transition ended (the old holder's taking or last
    /// report), if it ended one.
    pub previous: Option<FactId>,
    /// Other sources' versions, where they dispute the fact of this change.
    pub rivals: Vec<Rival>,
}

impl Transition {
    /// The facts behind the transition: the change, then the last sign of what it ended.
    pub fn evidence(&self) -> impl Iterator<Item = FactId> {
        std::iter::once(self.fact).chain(self.previous)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationRow {
    pub relation: RelationId,
    pub facts: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub source: SourceId,
    pub facts: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Every entity of the graph, by kind, whatever the time scope.
    pub entities_by_kind: Vec<(String, usize)>,
    /// The entities that some fact in the time scope touches.
    pub entities_in_scope: usize,
    /// The facts in the time scope, and in the whole graph.
    pub facts: usize,
    pub graph_facts: usize,
    pub dated_facts: usize,
    pub relations: usize,
    pub sources: usize,
    pub files: Vec<String>,
    pub earliest: Option<When>,
    pub latest: Option<When>,
    /// The best-connected entities, most facts first.
    pub hubs: Vec<(EntityId, usize)>,
    /// Weakly connected components (an entity without facts is one on its own), and the number
    /// of entities in the largest.
    pub components: usize,
    pub largest_component: usize,
}

/// The answer to one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Neighbors {
        entity: EntityId,
        rows: Vec<NeighborRow>,
        /// Rows `limit` left out after the page shown.
        more: usize,
    },
    Paths {
        from: EntityId,
        to: EntityId,
        paths: Vec<Vec<Step>>,
        /// Set when a limit cut the enumeration short; says which limit.
        truncated: Option<String>,
    },
    Match {
        columns: Vec<String>,
        rows: Vec<MatchRow>,
        truncated: Option<String>,
    },
    /// `match ... count`: how many distinct rows there are, without listing them.
    Count {
        columns: Vec<String>,
        count: usize,
        truncated: Option<String>,
    },
    Why {
        subject: EntityId,
        relation: String,
        object: EntityId,
        /// Facts that state the claim (relation or a narrower one, read as asked).
        facts: Vec<Step>,
        /// When nothing states it: the facts that do connect the two, directly.
        other_links: Vec<Step>,
        /// When nothing states it and no fact links the two directly: a shortest path between
        /// them, in either direction (empty if none within the default hop limit).
        path: Vec<Step>,
    },
    Show {
        entity: EntityId,
        outgoing: Vec<FactId>,
        incoming: Vec<FactId>,
        /// State spells over this entity (who controlled it, when).
        held_by: Vec<StateSpell>,
        /// State spells this entity held over others.
        holds: Vec<StateSpell>,
    },
    Timeline {
        entity: Option<EntityId>,
        facts: Vec<FactId>,
        undated: usize,
        /// Dated facts `limit` left out after the page shown.
        more: usize,
    },
    Entities {
        entities: Vec<EntityId>,
    },
    Relations {
        rows: Vec<RelationRow>,
    },
    Sources {
        rows: Vec<SourceRow>,
    },
    Stats(Box<Stats>),
    /// `search`: the best texts holding the words, best first.
    Search {
        /// The words as asked.
        text: String,
        /// The words as the index reads them (lowercase, stemmed), to mark them in the texts.
        terms: Vec<String>,
        hits: Vec<super::search::SearchHit>,
        /// Texts that hold any of the words, of which `hits` are the best.
        total: usize,
        truncated: Option<String>,
    },
    /// `changes`: transitions of state in date order, of every place or about one entity.
    Changes {
        entity: Option<EntityId>,
        transitions: Vec<Transition>,
    },
    /// `conflicts`: facts that cannot all be true, of the whole graph or about one entity.
    Conflicts {
        entity: Option<EntityId>,
        conflicts: Vec<super::conflicts::Conflict>,
    },
}

impl Answer {
    pub fn command(&self) -> &'static str {
        match self {
            Answer::Neighbors { .. } => "neighbors",
            Answer::Paths { .. } => "path",
            Answer::Match { .. } | Answer::Count { .. } => "match",
            Answer::Why { .. } => "why",
            Answer::Show { .. } => "show",
            Answer::Timeline { .. } => "timeline",
            Answer::Entities { .. } => "entities",
            Answer::Relations { .. } => "relations",
            Answer::Sources { .. } => "sources",
            Answer::Stats(_) => "stats",
            Answer::Search { .. } => "search",
            Answer::Changes { .. } => "changes",
            Answer::Conflicts { .. } => "conflicts",
        }
    }

    /// The facts this answer rests on, in answer order without repeats: what an export draws.
    pub fn facts(&self) -> Vec<FactId> {
        let mut out: Vec<FactId> = match self {
            Answer::Neighbors { rows, .. } => rows.iter().map(|r| r.via.fact).collect(),
            Answer::Paths { paths, .. } => paths.iter().flatten().map(|s| s.fact).collect(),
            Answer::Match { rows, .. } => {
                rows.iter().flat_map(|r| r.facts.iter().copied()).collect()
            }
            Answer::Why {
                facts,
                other_links,
                path,
                ..
            } => facts
                .iter()
                .chain(other_links)
                .chain(path)
                .map(|s| s.fact)
                .collect(),
            Answer::Show {
                outgoing, incoming, ..
            } => outgoing.iter().chain(incoming).copied().collect(),
            Answer::Timeline { facts, .. } => facts.clone(),
            Answer::Search { hits, .. } => hits.iter().filter_map(|h| h.text.fact()).collect(),
            Answer::Changes { transitions, .. } => {
                transitions.iter().flat_map(Transition::evidence).collect()
            }
            Answer::Conflicts { conflicts, .. } => {
                conflicts.iter().flat_map(|c| c.facts()).collect()
            }
            _ => Vec::new(),
        };
        let mut seen = std::collections::HashSet::new();
        out.retain(|f| seen.insert(*f));
        out
    }

    /// Entities the answer names even when no fact touches them (a lone `show`, `entities`).
    pub fn entities(&self) -> Vec<EntityId> {
        match self {
            Answer::Neighbors { entity, .. } | Answer::Show { entity, .. } => vec![*entity],
            Answer::Paths { from, to, .. } => vec![*from, *to],
            Answer::Why {
                subject, object, ..
            } => vec![*subject, *object],
            Answer::Entities { entities } => entities.clone(),
            Answer::Search { hits, .. } => hits.iter().filter_map(|h| h.text.entity()).collect(),
            Answer::Changes {
                entity: Some(e), ..
            }
            | Answer::Conflicts {
                entity: Some(e), ..
            } => vec![*e],
            _ => Vec::new(),
        }
    }

    /// Facts to draw highlighted: the path of a path answer, or of a `why` that found no fact.
    pub fn highlighted(&self) -> Vec<FactId> {
        match self {
            Answer::Paths { paths, .. } => paths.iter().flatten().map(|s| s.fact).collect(),
            Answer::Why { path, .. } => path.iter().map(|s| s.fact).collect(),
            _ => Vec::new(),
        }
    }
}
