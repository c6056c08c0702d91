//! Which entities and facts an export holds: the whole graph, what an answer touches, or the
//! neighbourhood of one entity; always in the one sorted form every writer reads.

use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, FactId};
use crate::query::answer::Answer;
use crate::query::TimeScope;
use petgraph::Direction;
use std::collections::HashSet;

/// What an answer touches, to draw: its facts and the entities it names. A path is drawn
/// highlighted over its neighbourhood (every fact touching a node of the path, within the slice).
pub fn answer_subgraph(graph: &KnowledgeGraph, answer: &Answer, time: TimeScope) -> Subgraph {
    let mut facts = answer.facts();
    let highlight = answer.highlighted();
    if let Answer::Paths {
        paths, from, to, ..
    } = answer
    {
        let mut nodes = vec![*from, *to];
        for step in paths.iter().flatten() {
            let f = graph.model.fact(step.fact);
            nodes.extend([f.subject, f.object]);
        }
        nodes.sort_unstable();
        nodes.dedup();
        for node in nodes {
            facts.extend(graph.edges(node, Direction::Outgoing));
            facts.extend(graph.edges(node, Direction::Incoming));
        }
    }
    let sub = Subgraph {
        entities: answer.entities(),
        facts,
        highlight,
    }
    .normalized(graph);
    sub.within(graph, time)
}

/// What to export: a set of entities and facts, plus the facts to highlight (a path).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subgraph {
    pub entities: Vec<EntityId>,
    pub facts: Vec<FactId>,
    pub highlight: Vec<FactId>,
}

impl Subgraph {
    /// Every entity and every fact.
    pub fn whole(graph: &KnowledgeGraph) -> Subgraph {
        Subgraph {
            entities: (0..graph.model.entities.len() as u32)
                .map(EntityId)
                .collect(),
            facts: (0..graph.model.facts().len() as u32).map(FactId).collect(),
            highlight: Vec::new(),
        }
    }

    /// The given facts and their endpoints (sorted, without duplicates); `highlight` marks a path.
    pub fn from_facts(
        graph: &KnowledgeGraph,
        facts: impl IntoIterator<Item = FactId>,
        highlight: impl IntoIterator<Item = FactId>,
    ) -> Subgraph {
        Subgraph {
            entities: Vec::new(),
            facts: facts.into_iter().collect(),
            highlight: highlight.into_iter().collect(),
        }
        .normalized(graph)
    }

    /// An ego picture's content: `focus`, every entity within `depth` steps of it (either
    /// direction, any relation), and every fact of the entities closer than `depth`. The outermost
    /// ring shows where it attaches, without the facts among its own members, which belong to other
    /// pictures. With `at`, only facts that hold then are walked. O(facts of the entities walked).
    pub fn around(
        graph: &KnowledgeGraph,
        focus: EntityId,
        depth: u32,
        time: TimeScope,
    ) -> Subgraph {
        let holds = |f: FactId| in_scope(graph, time, f);
        let mut seen = HashSet::from([focus]);
        let mut ring = vec![focus];
        let mut facts = Vec::new();
        for _ in 0..depth {
            let mut next = Vec::new();
            for &e in &ring {
                let touching = graph
                    .edges(e, Direction::Outgoing)
                    .chain(graph.edges(e, Direction::Incoming));
                for f in touching.filter(|&f| holds(f)) {
                    facts.push(f);
                    let fact = graph.model.fact(f);
                    let other = if fact.subject == e {
                        fact.object
                    } else {
                        fact.subject
                    };
                    if seen.insert(other) {
                        next.push(other);
                    }
                }
            }
            ring = next;
        }
        Subgraph {
            entities: vec![focus],
            facts,
            highlight: Vec::new(),
        }
        .normalized(graph)
    }

    /// The form every writer works from: ids that exist in `graph`, sorted and without duplicates;
    /// the endpoints of every fact among the entities; highlighted facts among the facts. Sorting
    /// by id is what makes output independent of the order a query found things in.
    pub fn normalized(&self, graph: &KnowledgeGraph) -> Subgraph {
        let model = &graph.model;
        let mut facts: Vec<FactId> = self
            .facts
            .iter()
            .chain(&self.highlight)
            .copied()
            .filter(|f| f.index() < model.facts().len())
            .collect();
        facts.sort_unstable();
        facts.dedup();
        let mut entities: Vec<EntityId> = self
            .entities
            .iter()
            .copied()
            .chain(facts.iter().flat_map(|&f| {
                let fact = model.fact(f);
                [fact.subject, fact.object]
            }))
            .filter(|e| e.index() < model.entities.len())
            .collect();
        entities.sort_unstable();
        entities.dedup();
        let mut highlight: Vec<FactId> = self
            .highlight
            .iter()
            .copied()
            .filter(|f| f.index() < model.facts().len())
            .collect();
        highlight.sort_unstable();
        highlight.dedup();
        Subgraph {
            entities,
            facts,
            highlight,
        }
    }

    /// Keeps the facts in the time scope, as queries read it (see [`TimeScope::fact`]). Entities
    /// stay.
    pub fn within(&self, graph: &KnowledgeGraph, time: TimeScope) -> Subgraph {
        if time.is_open() {
            return self.clone();
        }
        let holds = |f: &FactId| in_scope(graph, time, *f);
        Subgraph {
            entities: self.entities.clone(),
            facts: self.facts.iter().copied().filter(holds).collect(),
            highlight: self.highlight.iter().copied().filter(holds).collect(),
        }
    }
}

/// Whether fact `f` is in the time scope; a fact id out of range is not.
fn in_scope(graph: &KnowledgeGraph, time: TimeScope, f: FactId) -> bool {
    let model = &graph.model;
    let Some(fact) = model.facts().get(f.index()) else {
        return false;
    };
    let Some(source) = model.sources.get(fact.source.index()) else {
        return false;
    };
    time.fact(fact.when, source.published).is_some()
}
