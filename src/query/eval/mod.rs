//! Evaluates resolved queries against the graph, honouring the time slice and the cancel token.
//!
//! `resolve` looks the AST's names up in the graph; traversals live in `traverse`, joins in `join`
//! (their counts in `count`, the memory budget they share in `distinct`), state replay in `state`,
//! and `answer` is what every evaluation returns. This module holds what they share (the time
//! slice, which edges a step may read, scratch space) and the simple commands.

use crate::date::{Certainty, When};
use crate::graph::{KnowledgeGraph, RelationMatch};
use crate::model::{EntityId, FactId, Kind};
use crate::query::ast::Direction;
use crate::query::scope::TimeScope;
use answer::{Answer, RelationRow, SourceRow, Stats, Step};
use petgraph::unionfind::UnionFind;
use resolve::Resolved;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub mod answer;
pub mod asked;
pub mod changes;
pub mod conflicts;
mod count;
mod distinct;
mod filter;
mod group;
mod join;
mod narrow;
pub mod notes;
mod order;
pub mod relpath;
pub mod resolve;
mod rows;
pub mod search;
mod split;
pub mod state;
mod traverse;

/// Set from another thread (a Ctrl-C handler) to stop the running query; loops poll it.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> CancelToken {
        CancelToken::default()
    }
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn reset(&self) {
        self.0.store(false, Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// One edge a traversal may take from a node: how it is read, the entity at its far end, and its
/// relation (carried from the adjacency arrays, so that filtering and sorting read no fact row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reach {
    pub step: Step,
    pub other: EntityId,
    pub relation: crate::model::RelationId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    Cancelled,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::Cancelled => f.write_str("query cancelled"),
        }
    }
}

/// Per-node scratch arrays reused across queries: a generation counter marks which entries are
/// current, so a query on a huge graph allocates nothing proportional to the graph after the first.
#[derive(Debug, Default)]
pub struct Scratch {
    generation: u32,
    stamp: Vec<u32>,
    pub(crate) value: Vec<u32>,
    pub(crate) step: Vec<Step>,
    /// The same three for the second frontier of a bidirectional search.
    back_stamp: Vec<u32>,
    pub(crate) back_value: Vec<u32>,
    pub(crate) back_step: Vec<Step>,
    /// A search's frontiers and the steps of the node it expands, kept between queries so that
    /// a search allocates only when it outgrows every earlier one.
    pub(crate) frontiers: Frontiers,
}

/// The growable lists of a breadth-first search (see [`Scratch::frontiers`]).
#[derive(Debug, Default)]
pub(crate) struct Frontiers {
    pub forward: Vec<EntityId>,
    pub backward: Vec<EntityId>,
    pub next: Vec<EntityId>,
    pub steps: Vec<Reach>,
}

impl Scratch {
    /// Starts a new traversal over `nodes` nodes: every node reads as unvisited.
    pub(crate) fn begin(&mut self, nodes: usize) {
        let blank = Step {
            fact: FactId(0),
            backwards: false,
        };
        if self.stamp.len() < nodes {
            self.stamp.resize(nodes, 0);
            self.value.resize(nodes, 0);
            self.step.resize(nodes, blank);
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.back_stamp.iter_mut().for_each(|s| *s = 0);
            self.generation = 1;
        }
    }

    /// Like [`Scratch::begin`], and readies the second frontier too.
    pub(crate) fn begin_both(&mut self, nodes: usize) {
        if self.back_stamp.len() < nodes {
            self.back_stamp.resize(nodes, 0);
            self.back_value.resize(nodes, 0);
            self.back_step.resize(
                nodes,
                Step {
                    fact: FactId(0),
                    backwards: false,
                },
            );
        }
        self.begin(nodes);
    }
    pub(crate) fn back_visited(&self, node: EntityId) -> bool {
        self.back_stamp[node.index()] == self.generation
    }
    pub(crate) fn back_visit(&mut self, node: EntityId) {
        self.back_stamp[node.index()] = self.generation;
    }
    pub(crate) fn visited(&self, node: EntityId) -> bool {
        self.stamp[node.index()] == self.generation
    }
    pub(crate) fn visit(&mut self, node: EntityId) {
        self.stamp[node.index()] = self.generation;
    }
    pub(crate) fn unvisit(&mut self, node: EntityId) {
        self.stamp[node.index()] = 0;
    }
}

/// How often loops poll the cancel token: often enough to stop within milliseconds.
pub(crate) const POLL_EVERY: u32 = 4096;

/// Bytes a query may hold beyond the loaded graph unless `set limit memory` says otherwise: room
/// for tens of millions of distinct rows of a few values, on any machine that holds a graph.
pub const DEFAULT_MEMORY_LIMIT: u64 = 512 << 20;

pub struct Evaluator<'a> {
    pub graph: &'a KnowledgeGraph,
    /// The time the query looks at; `open` caches `scope.is_open()` for the hot path.
    pub scope: TimeScope,
    open: bool,
    pub cancel: &'a CancelToken,
    polls: u32,
    memory_limit: usize,
    /// Whether periods are read from the graph's time index (see `narrow`); off only to check
    /// that it changes no answer.
    time_index: bool,
}

impl<'a> Evaluator<'a> {
    pub fn new(
        graph: &'a KnowledgeGraph,
        scope: TimeScope,
        cancel: &'a CancelToken,
    ) -> Evaluator<'a> {
        Evaluator {
            graph,
            scope,
            open: scope.is_open(),
            cancel,
            polls: 0,
            memory_limit: usize::try_from(DEFAULT_MEMORY_LIMIT).unwrap_or(usize::MAX),
            time_index: true,
        }
    }

    /// Evaluation that scans instead of reading periods from the time index: the same answers,
    /// more slowly, for tests and benchmarks that compare the two.
    pub fn without_time_index(mut self) -> Evaluator<'a> {
        self.time_index = false;
        self
    }

    pub(crate) fn uses_time_index(&self) -> bool {
        self.time_index
    }

    /// The memory budget of what a query builds (see [`DEFAULT_MEMORY_LIMIT`]), in bytes.
    pub fn with_memory_limit(mut self, bytes: u64) -> Evaluator<'a> {
        self.memory_limit = usize::try_from(bytes).unwrap_or(usize::MAX);
        self
    }

    pub fn memory_limit(&self) -> usize {
        self.memory_limit
    }

    /// Counts one unit of work; every `POLL_EVERY` units checks for cancellation.
    #[inline]
    pub(crate) fn tick(&mut self) -> Result<(), EvalError> {
        self.polls = self.polls.wrapping_add(1);
        if self.polls % POLL_EVERY == 0 && self.cancel.is_cancelled() {
            return Err(EvalError::Cancelled);
        }
        Ok(())
    }

    /// Whether a fact is in the query's time scope (see [`TimeScope::fact`]).
    #[inline]
    pub fn holds(&self, fact: FactId) -> bool {
        self.open || self.certainty(fact).is_some()
    }

    /// How surely a fact is in the query's time scope; `None` when it is not.
    pub fn certainty(&self, fact: FactId) -> Option<Certainty> {
        if self.open {
            return Some(Certainty::Certain);
        }
        self.scope.model_fact(&self.graph.model, fact)
    }

    /// The edges a traversal may read from `node`: forwards along outgoing facts, backwards along
    /// incoming ones, filtered by direction, relation filters and the time slice. Fact order.
    pub(crate) fn steps(
        &self,
        node: EntityId,
        direction: Direction,
        via: &[RelationMatch],
        out: &mut Vec<Reach>,
    ) {
        self.collect_steps(node, direction, via, false, out);
    }

    /// The edges by which `node` may be reached: each step is an edge a forward traversal could
    /// read from `other` to `node`, given as read from `node` (so the forward reading is the step
    /// with `backwards` flipped). What a search from the target expands.
    pub(crate) fn steps_into(
        &self,
        node: EntityId,
        direction: Direction,
        via: &[RelationMatch],
        out: &mut Vec<Reach>,
    ) {
        self.collect_steps(node, direction, via, true, out);
    }

    fn collect_steps(
        &self,
        node: EntityId,
        direction: Direction,
        via: &[RelationMatch],
        reversed: bool,
        out: &mut Vec<Reach>,
    ) {
        out.clear();
        self.steps_in(self.graph.adjacency(), node, direction, via, reversed, out);
        // Derived facts (a state as a relation) are read only when a relation filter names one.
        let model = &self.graph.model;
        if via
            .iter()
            .any(|m| m.relations.iter().any(|&r| model.is_derived_relation(r)))
        {
            let derived = self.graph.derived_adjacency();
            self.steps_in(derived, node, direction, via, reversed, out);
        }
    }

    fn steps_in(
        &self,
        adjacency: &crate::adjacency::Adjacency,
        node: EntityId,
        direction: Direction,
        via: &[RelationMatch],
        reversed: bool,
        out: &mut Vec<Reach>,
    ) {
        let model = &self.graph.model;
        // The compact adjacency arrays hold each entity's out-edges and in-edges (with relation
        // and far end) contiguously and in fact order, which is the order users expect; an edge
        // is read without touching its fact unless a time slice needs the fact's date.
        let allowed = |relation: crate::model::RelationId, read_forward_as: bool| {
            step_allowed(
                model.relation(relation).symmetric,
                relation,
                read_forward_as,
                direction,
                via,
            )
        };
        // Without a filter, an edge read against its word may be followed only if its relation is
        // symmetric: in a graph without one, such a list (a hub's thousands) is skipped at once.
        let skip = |backwards: bool| {
            via.is_empty() && !self.graph.has_symmetric() && against_the_word(direction, backwards)
        };
        let out_edges = match skip(reversed) {
            true => &[][..],
            false => adjacency.out(node),
        };
        for edge in out_edges {
            if !allowed(edge.relation, reversed) || !self.holds(edge.fact) {
                continue;
            }
            out.push(Reach {
                step: Step {
                    fact: edge.fact,
                    backwards: false,
                },
                other: edge.object,
                relation: edge.relation,
            });
        }
        let in_edges = match skip(!reversed) {
            true => &[][..],
            false => adjacency.incoming(node),
        };
        for edge in in_edges {
            if !allowed(edge.relation, !reversed) || !self.holds(edge.fact) {
                continue;
            }
            out.push(Reach {
                step: Step {
                    fact: edge.fact,
                    backwards: true,
                },
                other: edge.subject,
                relation: edge.relation,
            });
        }
    }

    pub fn eval(&mut self, query: &Resolved, scratch: &mut Scratch) -> Result<Answer, EvalError> {
        match query {
            Resolved::Neighbors {
                entity,
                direction,
                via,
                depth,
                kind,
                page,
            } => {
                let mut answer =
                    traverse::neighbors(self, scratch, *entity, *direction, via, *depth, *kind)?;
                if let Answer::Neighbors { rows, more, .. } = &mut answer {
                    *more = page.apply(rows);
                }
                Ok(answer)
            }
            Resolved::Path(path) => traverse::paths(self, scratch, path),
            Resolved::Match {
                patterns,
                vars,
                select,
                count,
                clauses,
            } if !clauses.is_plain() => {
                rows::rich_match(self, patterns, vars, select, *count, clauses)
            }
            Resolved::Match {
                patterns,
                vars,
                select,
                count: true,
                ..
            } => count::count(self, patterns, vars, select),
            Resolved::Match {
                patterns,
                vars,
                select,
                count: false,
                ..
            } => join::matches(self, patterns, vars, select),
            Resolved::Why {
                subject,
                relation,
                label,
                object,
            } => self.why(scratch, *subject, relation, label, *object),
            Resolved::Show { entity } => Ok(state::show(self, *entity)),
            Resolved::Timeline {
                entity,
                from,
                to,
                page,
            } => {
                let mut answer = self.timeline(*entity, *from, *to);
                if let Answer::Timeline { facts, more, .. } = &mut answer {
                    *more = page.apply(facts);
                }
                Ok(answer)
            }
            Resolved::Entities { kind, matching } => Ok(self.entities(*kind, matching.as_deref())),
            Resolved::Relations => Ok(self.relations()),
            Resolved::Sources => Ok(self.sources()),
            Resolved::Stats => Ok(self.stats()),
            Resolved::Search(search) => search::search(self, search),
            Resolved::Changes { entity } => Ok(changes::changes(self, *entity)),
            Resolved::Conflicts { entity } => Ok(conflicts::answer(self, *entity)),
        }
    }

    fn why(
        &mut self,
        scratch: &mut Scratch,
        subject: EntityId,
        relation: &RelationMatch,
        label: &str,
        object: EntityId,
    ) -> Result<Answer, EvalError> {
        let mut facts = Vec::new();
        let mut other_links = Vec::new();
        let model = &self.graph.model;
        let mut buffer = Vec::new();
        self.steps(subject, Direction::Both, &[], &mut buffer);
        if relation
            .relations
            .iter()
            .any(|&r| model.is_derived_relation(r))
        {
            let mut derived = Vec::new();
            self.steps(
                subject,
                Direction::Both,
                std::slice::from_ref(relation),
                &mut derived,
            );
            buffer.extend(derived);
        }
        for &Reach { step, other, .. } in &buffer {
            if other != object {
                continue;
            }
            let fact = model.fact(step.fact);
            let symmetric = model.relation(fact.relation).symmetric;
            let reads_as_asked = symmetric || step.backwards == relation.backwards;
            if relation.relations.contains(&fact.relation) && reads_as_asked {
                facts.push(step);
            } else {
                other_links.push(step);
            }
        }
        if !facts.is_empty() {
            other_links.clear();
        }
        // Nothing links the two directly: show how they do connect, as `path` would.
        let path = match facts.is_empty() && other_links.is_empty() {
            true => traverse::shortest_between(self, scratch, subject, object)?,
            false => Vec::new(),
        };
        Ok(Answer::Why {
            subject,
            relation: label.to_string(),
            object,
            facts,
            other_links,
            path,
        })
    }

    fn timeline(
        &self,
        entity: Option<EntityId>,
        from: Option<crate::date::DatePoint>,
        to: Option<crate::date::DatePoint>,
    ) -> Answer {
        let model = &self.graph.model;
        let window_first = from.map_or(i32::MIN, |f| f.first_day());
        let window_last = to.map_or(i32::MAX, |t| t.last_day());
        let mut undated = 0;
        let mut facts: Vec<FactId> = Vec::new();
        let candidates: Box<dyn Iterator<Item = FactId>> = match entity {
            Some(e) => {
                let mut ids: Vec<FactId> = self
                    .graph
                    .edges(e, petgraph::Direction::Outgoing)
                    .chain(self.graph.edges(e, petgraph::Direction::Incoming))
                    .collect();
                ids.sort();
                ids.dedup();
                Box::new(ids.into_iter())
            }
            None => Box::new((0..model.facts().len() as u32).map(FactId)),
        };
        let window = crate::date::Interval {
            first: window_first,
            last: window_last,
        };
        let (scanned, _) = candidates.size_hint();
        let candidates = match narrow::timeline(self, entity, window, scanned) {
            Some(facts) => Box::new(facts.into_iter()),
            None => candidates,
        };
        for id in candidates {
            if !self.holds(id) {
                continue;
            }
            match model.fact(id).when {
                None => undated += 1,
                Some(w) => {
                    let span = w.interval();
                    if span.first <= window_last && span.last >= window_first {
                        facts.push(id);
                    }
                }
            }
        }
        // Fact ids follow file order, so they break the ties of dates.
        facts.sort_by_key(|&f| (model.fact(f).when.map(When::timeline_key), f));
        Answer::Timeline {
            entity,
            facts,
            undated,
            more: 0,
        }
    }

    fn entities(&self, kind: Option<Kind>, matching: Option<&str>) -> Answer {
        let model = &self.graph.model;
        let needle = matching.map(str::to_lowercase);
        let mut entities: Vec<EntityId> = (0..model.entities.len() as u32)
            .map(EntityId)
            .filter(|&id| {
                let e = model.entity(id);
                kind.is_none_or(|k| e.kind == k)
                    && needle.as_ref().is_none_or(|n| {
                        std::iter::once(&e.id)
                            .chain(std::iter::once(&e.name))
                            .chain(e.aliases())
                            .chain(e.tags())
                            .any(|t| t.to_lowercase().contains(n.as_str()))
                    })
            })
            .collect();
        entities.sort_by_cached_key(|&id| (model.entity(id).name.to_lowercase(), id));
        Answer::Entities { entities }
    }

    fn relations(&self) -> Answer {
        let model = &self.graph.model;
        let mut counts = vec![0usize; model.relations.len()];
        for (i, f) in model.facts().iter().enumerate() {
            if self.holds(FactId(i as u32)) {
                counts[f.relation.index()] += 1;
            }
        }
        let rows = counts
            .into_iter()
            .enumerate()
            .map(|(i, facts)| RelationRow {
                relation: crate::model::RelationId(i as u32),
                facts,
            })
            .collect();
        let mut rows: Vec<RelationRow> = rows;
        // Each state is a relation too; its facts are the spells standing in the scope.
        for i in 0..model.derived().relations.len() {
            let relation = model.derived_relation_id(i);
            let facts = self
                .graph
                .facts_of(relation)
                .iter()
                .filter(|&&f| self.holds(f))
                .count();
            rows.push(RelationRow { relation, facts });
        }
        Answer::Relations { rows }
    }

    fn sources(&self) -> Answer {
        let model = &self.graph.model;
        let mut counts = vec![0usize; model.sources.len()];
        for (i, f) in model.facts().iter().enumerate() {
            if self.holds(FactId(i as u32)) {
                counts[f.source.index()] += 1;
            }
        }
        let rows = counts
            .into_iter()
            .enumerate()
            .map(|(i, facts)| SourceRow {
                source: crate::model::SourceId(i as u32),
                facts,
            })
            .collect();
        Answer::Sources { rows }
    }

    fn stats(&self) -> Answer {
        let model = &self.graph.model;
        let counts = model.kind_counts();
        let entities_by_kind = Kind::ALL
            .iter()
            .zip(counts)
            .map(|(k, n)| (k.name().to_string(), n))
            .collect();
        let n = model.entities.len();
        let mut degree = vec![0usize; n];
        // Weakly connected components of the standing facts, by petgraph's union-find.
        let mut components = UnionFind::<u32>::new(n);
        let (mut facts, mut dated) = (0, 0);
        // (the day that decides, the date as written)
        let mut earliest: Option<(i32, When)> = None;
        let mut latest: Option<(i32, When)> = None;
        for (i, f) in model.facts().iter().enumerate() {
            if !self.holds(FactId(i as u32)) {
                continue;
            }
            facts += 1;
            degree[f.subject.index()] += 1;
            degree[f.object.index()] += 1;
            components.union(f.subject.0, f.object.0);
            if let Some(w) = f.when {
                dated += 1;
                // Open ends (`since`, `until`) say nothing about how early or late the record runs.
                let span = w.interval();
                let (first, last) = (
                    span.first,
                    if span.last == i32::MAX {
                        span.first
                    } else {
                        span.last
                    },
                );
                if first != i32::MIN && earliest.is_none_or(|(day, _)| first < day) {
                    earliest = Some((first, w));
                }
                if last != i32::MIN && latest.is_none_or(|(day, _)| last > day) {
                    latest = Some((last, w));
                }
            }
        }
        let entities_in_scope = degree.iter().filter(|&&d| d > 0).count();
        let mut hubs: Vec<(EntityId, usize)> = degree
            .into_iter()
            .enumerate()
            .filter(|&(_, d)| d > 0)
            .map(|(e, d)| (EntityId(e as u32), d))
            .collect();
        hubs.sort_by_key(|&(e, n)| (std::cmp::Reverse(n), e));
        hubs.truncate(5);
        let mut sizes = vec![0usize; n];
        for label in components.into_labeling() {
            sizes[label as usize] += 1;
        }
        Answer::Stats(Box::new(Stats {
            entities_by_kind,
            entities_in_scope,
            facts,
            graph_facts: model.facts().len(),
            dated_facts: dated,
            relations: model.relations.len(),
            sources: model.sources.len(),
            files: model.files.clone(),
            earliest: earliest.map(|(_, w)| w),
            latest: latest.map(|(_, w)| w),
            hubs,
            components: sizes.iter().filter(|&&s| s > 0).count(),
            largest_component: sizes.into_iter().max().unwrap_or(0),
        }))
    }
}

/// Whether reading an edge `backwards` (or forwards) under `direction` goes against its word, so
/// that without a relation filter only a symmetric relation may be followed that way: what
/// [`step_allowed`] says for an empty filter.
fn against_the_word(direction: Direction, backwards: bool) -> bool {
    match direction {
        Direction::Out => backwards,
        Direction::In => !backwards,
        Direction::Both => false,
    }
}

/// Whether an edge may be read `backwards` (object to subject) or forwards under a direction and
/// relation filters. Relations are directional words: `out` reads along the word as written
/// (`besieges` forwards, `besieged_by` backwards), `in` against it; with `both`, a relation name
/// reads either way but an inverse label only along itself. Symmetric relations read either way.
pub(crate) fn step_allowed(
    symmetric: bool,
    relation: crate::model::RelationId,
    backwards: bool,
    direction: Direction,
    via: &[RelationMatch],
) -> bool {
    let direction_ok = |along: bool, explicit_inverse: bool| {
        symmetric
            || match direction {
                Direction::Out => along,
                Direction::In => !along,
                Direction::Both => along || !explicit_inverse,
            }
    };
    if via.is_empty() {
        return direction_ok(!backwards, false);
    }
    via.iter().any(|m| {
        m.relations.contains(&relation) && direction_ok(backwards == m.backwards, m.backwards)
    })
}
