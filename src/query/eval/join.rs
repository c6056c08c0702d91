//! `match`: a conjunctive query over triple patterns, evaluated as a backtracking join.
//!
//! At each level the pattern with the fewest candidate facts given the bindings so far goes next
//! (a bound subject costs its out-degree, a bound object its in-degree, otherwise the relation's
//! fact count), so joins start from their most selective pattern. Rows are distinct and sorted by
//! their printed values.
//!
//! The levels are frames on a heap stack, one per pattern, and each reads its candidate facts in
//! place from the graph's arrays: no width of match can overflow the thread's stack, and a level
//! costs a few words however many candidates it has. What the join grows (frames and bindings, the
//! distinct rows, the rows listed) is counted against the evaluator's memory budget. Listed rows
//! also stop at `MAX_ROWS`, and at `MAX_CELLS` values and facts in all. Every stop leaves a note.
//! `count` (in `count.rs`) runs the same join, keeping only the distinct rows.

use super::answer::{Answer, Binding, MatchRow};
use super::distinct::{Budget, BudgetSpent, DistinctRows};
use super::filter::{holds, RCond};
use super::relpath::{Next, PathCursor};
use super::resolve::{RPattern, RRel, RTerm};
use super::{EvalError, Evaluator};
use crate::adjacency::{InEdge, OutEdge};
use crate::date::{Interval, When};
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, FactId, RelationId};
use crate::query::syntax::size_text;
use std::iter::Peekable;
use std::rc::Rc;
use std::slice::Iter;

pub const MAX_ROWS: usize = 10_000;
/// Values and facts all rows may hold together: a row of 200 patterns holds 800 of them, and
/// 10,000 such rows were 1 GB of memory and 350 MB of text.
pub const MAX_CELLS: usize = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Value {
    Entity(EntityId),
    Relation(RelationId),
    Fact(FactId),
}

impl Value {
    /// A variable stands for one kind of thing, so its id tells values apart.
    pub(super) fn id(self) -> u32 {
        match self {
            Value::Entity(e) => e.0,
            Value::Relation(r) => r.0,
            Value::Fact(f) => f.0,
        }
    }

    pub(super) fn binding(self) -> Binding {
        match self {
            Value::Entity(e) => Binding::Entity(e),
            Value::Relation(r) => Binding::Relation(r),
            Value::Fact(f) => Binding::Fact(f),
        }
    }
}

/// Facts a row lists as its evidence at most: every match behind a row of a broad `select` may
/// be thousands of facts.
pub const MAX_EVIDENCE: usize = 1000;

/// One match of all the patterns: every variable's value (unbound: of an `optional` block that
/// did not match) and the facts behind it.
#[derive(Debug, Clone)]
pub(super) struct Solution {
    pub values: Vec<Option<Value>>,
    pub facts: Vec<FactId>,
}

/// Adds the facts of `more` not in `facts` yet, up to [`MAX_EVIDENCE`].
pub(super) fn merge_facts(facts: &mut Vec<FactId>, more: &[FactId]) {
    for &f in more {
        if facts.len() >= MAX_EVIDENCE {
            return;
        }
        if !facts.contains(&f) {
            facts.push(f);
        }
    }
}

/// The facts behind the current row: one per pattern, or a relation path's witness walk.
fn evidence<'f>(
    facts: &'f [FactId],
    witness: &[Vec<FactId>],
    patterns: &[RPattern],
) -> std::borrow::Cow<'f, [FactId]> {
    if witness.is_empty() {
        return std::borrow::Cow::Borrowed(facts);
    }
    let mut all = Vec::new();
    for (i, p) in patterns.iter().enumerate() {
        match p.relation {
            RRel::Path(_) => all.extend_from_slice(&witness[i]),
            _ => all.push(facts[i]),
        }
    }
    std::borrow::Cow::Owned(all)
}

/// A `where` conjunct the join checks as soon as the variables it reads are bound.
pub(super) struct Filter<'a> {
    pub vars: Vec<usize>,
    pub cond: &'a RCond,
}

/// What `match`'s clauses add to a join: fact variables, conditions, and values bound before it
/// starts (those of the rows a block is checked against).
#[derive(Default)]
pub(super) struct Extras<'a> {
    pub fact_vars: &'a [Option<usize>],
    pub filters: Vec<Filter<'a>>,
    pub seed: Option<&'a [Option<Value>]>,
}

/// The distinct rows of a match over the variables `select`, sorted, with the facts behind each.
pub fn matches(
    ev: &mut Evaluator<'_>,
    patterns: &[RPattern],
    vars: &[String],
    select: &[usize],
) -> Result<Answer, EvalError> {
    let columns: Vec<String> = select.iter().map(|&i| vars[i].clone()).collect();
    let mut budget = Budget::new(ev.memory_limit());
    let mut join = Join::new(ev.graph, patterns, select, vars.len(), Mode::List);
    join.run(ev, &mut budget)?;
    let truncated = match join.stop {
        Some(Stop::Rows(max_rows)) => Some(format!(
            "stopped at {max_rows} rows; add a pattern or name an entity to narrow the match"
        )),
        Some(Stop::Memory) => Some(format!(
            "stopped at {} rows: {}; add a pattern or name an entity to narrow the match, or \
             {RAISE}",
            join.rows.len(),
            spent(&budget)
        )),
        Some(Stop::Found) | None => None,
    };
    let model = &ev.graph.model;
    let mut rows = join.rows;
    rows.sort_by_cached_key(|r| {
        r.values
            .iter()
            .map(|v| match v {
                Binding::Entity(e) => model.entity(*e).name.to_lowercase(),
                Binding::Relation(rel) => model.relation(*rel).name.clone(),
                _ => String::new(),
            })
            .collect::<Vec<_>>()
    });
    Ok(Answer::Match {
        columns,
        rows,
        truncated,
    })
}

/// What a note says of a query that reached its memory limit.
pub(super) fn spent(budget: &Budget) -> String {
    format!(
        "the query reached its memory limit of {}",
        size_text(budget.limit() as u64)
    )
}

pub(super) const RAISE: &str = "raise the limit with `set limit memory` or `--memory-limit`";

/// The variables a pattern may bind: subject, relation, object.
pub(super) fn vars_of(p: &RPattern) -> [Option<usize>; 3] {
    let term = |t: &RTerm| match t {
        RTerm::Var(v) => Some(*v),
        RTerm::Entity(_) => None,
    };
    let relation = match &p.relation {
        RRel::Var(v) => Some(*v),
        RRel::Rel(_) | RRel::Path(_) => None,
    };
    [term(&p.subject), relation, term(&p.object)]
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Keep the rows, for listing.
    List,
    /// Only tell rows apart.
    Count,
    /// Stop at the first row.
    Exists,
    /// Keep every distinct match of all variables, with its facts.
    Solutions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    /// The row or cell cap, in rows.
    Rows(usize),
    Memory,
    /// `Mode::Exists` found its row.
    Found,
}

/// The candidate facts of one level, read in place from the graph's arrays.
enum Cursor<'a> {
    Facts(Iter<'a, FactId>),
    Out(Iter<'a, OutEdge>),
    In(Iter<'a, InEdge>),
    /// An entity's out-edges and in-edges merged in fact order, a self-loop (in both) once.
    Both(Peekable<Iter<'a, OutEdge>>, Peekable<Iter<'a, InEdge>>),
    /// The facts of each relation in turn.
    Relations {
        graph: &'a KnowledgeGraph,
        relations: Iter<'a, RelationId>,
        facts: Iter<'a, FactId>,
    },
    All(std::ops::Range<u32>),
    /// The facts the time index yields for a period (see `narrow`), in the order a scan reads them.
    Listed(Rc<[FactId]>, usize),
}

impl Iterator for Cursor<'_> {
    type Item = FactId;

    #[inline]
    fn next(&mut self) -> Option<FactId> {
        match self {
            Cursor::Facts(facts) => facts.next().copied(),
            Cursor::Out(edges) => edges.next().map(|e| e.fact),
            Cursor::In(edges) => edges.next().map(|e| e.fact),
            Cursor::Both(out, incoming) => match (out.peek(), incoming.peek()) {
                (Some(o), Some(i)) if o.fact > i.fact => incoming.next().map(|e| e.fact),
                (Some(o), Some(i)) if o.fact == i.fact => {
                    incoming.next();
                    out.next().map(|e| e.fact)
                }
                (Some(_), _) => out.next().map(|e| e.fact),
                (None, _) => incoming.next().map(|e| e.fact),
            },
            Cursor::Relations {
                graph,
                relations,
                facts,
            } => loop {
                if let Some(&f) = facts.next() {
                    return Some(f);
                }
                *facts = graph.facts_of(*relations.next()?).iter();
            },
            Cursor::All(ids) => ids.next().map(FactId),
            Cursor::Listed(facts, next) => {
                let fact = facts.get(*next).copied();
                *next += 1;
                fact
            }
        }
    }
}

/// One level of the search: the pattern it matches and how far through its candidates it is.
struct Frame<'a> {
    pattern: usize,
    cursor: Cursor<'a>,
    /// The current candidate fact, and the ways round it may still be read (`true`: swapped).
    fact: FactId,
    pending: &'static [bool],
    /// Variables unbound when the level began: undone before each candidate is tried.
    binds: [Option<usize>; 3],
    /// The pairs of a relation path's pattern, which has no single fact per candidate.
    path: Option<Box<PathCursor>>,
}

pub(super) struct Join<'a> {
    graph: &'a KnowledgeGraph,
    patterns: &'a [RPattern],
    /// The variables a row holds, in column order.
    select: &'a [usize],
    mode: Mode,
    /// How many variables the whole match has (a group's patterns use some of them).
    vars: usize,
    /// Whether any relation is symmetric: a relation variable may then match facts either way.
    any_symmetric: bool,
    bindings: Vec<Option<Value>>,
    done: Vec<bool>,
    facts: Vec<FactId>,
    /// The facts of each relation path's witness walk (empty for other patterns).
    witness: Vec<Vec<FactId>>,
    /// Whether any pattern is a relation path: only then are row facts gathered from `witness`.
    has_paths: bool,
    stack: Vec<Frame<'a>>,
    pub(super) seen: DistinctRows,
    /// The row being emitted, reused so that counting allocates nothing per row.
    key: Vec<u32>,
    rows: Vec<MatchRow>,
    pub(super) solutions: Vec<Solution>,
    extras: Extras<'a>,
    pub(super) stop: Option<Stop>,
    /// What the fixed structures hold of the budget.
    fixed: usize,
    /// The periods each pattern's facts must meet, and the facts the time index gave for them
    /// (computed on the pattern's first unbound level: `None` inside when a scan is as quick).
    periods: Vec<Vec<Interval>>,
    listed: Vec<Option<Option<Rc<[FactId]>>>>,
}

impl<'a> Join<'a> {
    pub(super) fn new(
        graph: &'a KnowledgeGraph,
        patterns: &'a [RPattern],
        select: &'a [usize],
        vars: usize,
        mode: Mode,
    ) -> Join<'a> {
        Join {
            graph,
            patterns,
            select,
            mode,
            vars,
            any_symmetric: graph.model.relations.iter().any(|r| r.symmetric),
            bindings: Vec::new(),
            done: Vec::new(),
            facts: Vec::new(),
            witness: Vec::new(),
            has_paths: patterns.iter().any(|p| matches!(p.relation, RRel::Path(_))),
            stack: Vec::new(),
            seen: DistinctRows::new(select.len()),
            key: Vec::new(),
            rows: Vec::new(),
            solutions: Vec::new(),
            extras: Extras::default(),
            stop: None,
            fixed: vars * size_of::<Option<Value>>()
                + patterns.len() * (size_of::<Frame<'_>>() + size_of::<FactId>() + 1)
                + select.len() * size_of::<u32>(),
            periods: Vec::new(),
            listed: Vec::new(),
        }
    }

    /// The join with fact variables, conditions and values bound beforehand. In
    /// [`Mode::Solutions`] rows are told apart by all the variables.
    pub(super) fn with_extras(mut self, extras: Extras<'a>) -> Join<'a> {
        self.extras = extras;
        self
    }

    /// The matches found in [`Mode::Solutions`].
    pub(super) fn take_solutions(&mut self) -> Vec<Solution> {
        std::mem::take(&mut self.solutions)
    }

    /// Whether every condition whose variables are all bound, and one of them at `level` (any
    /// condition, when `level` is `None`), holds.
    fn filters_hold(&self, level: Option<usize>) -> bool {
        let newly = level.map(|l| {
            let frame = &self.stack[l];
            let fact = self.extras.fact_vars.get(frame.pattern).copied().flatten();
            (frame.binds, fact)
        });
        self.extras.filters.iter().all(|f| {
            if f.vars.iter().any(|&v| self.bindings[v].is_none()) {
                return true;
            }
            let fresh = match &newly {
                None => true,
                Some((binds, fact)) => f
                    .vars
                    .iter()
                    .any(|v| binds.contains(&Some(*v)) || *fact == Some(*v)),
            };
            !fresh || holds(self.graph, f.cond, &self.bindings) == Some(true)
        })
    }

    /// Whether the conditions still waiting at a full match hold: they read a variable no
    /// pattern bound (an `optional` block's that did not match), so they are unknown, not true.
    fn unbound_filters_hold(&self) -> bool {
        self.extras.filters.iter().all(|f| {
            f.vars.iter().all(|&v| self.bindings[v].is_some())
                || holds(self.graph, f.cond, &self.bindings) == Some(true)
        })
    }

    /// Gives back everything the join took of the budget.
    pub(super) fn release(&mut self, budget: &mut Budget) {
        self.seen.release(budget);
        budget.give(self.fixed);
    }

    pub(super) fn run(
        &mut self,
        ev: &mut Evaluator<'_>,
        budget: &mut Budget,
    ) -> Result<(), EvalError> {
        if !budget.take(self.fixed) {
            self.fixed = 0;
            self.stop = Some(Stop::Memory);
            return Ok(());
        }
        let patterns = self.patterns.len();
        self.bindings = match self.extras.seed {
            Some(seed) => seed.to_vec(),
            None => vec![None; self.vars],
        };
        if !self.extras.filters.is_empty() && !self.filters_hold(None) {
            return Ok(());
        }
        self.done = vec![false; patterns];
        self.facts = vec![FactId(0); patterns];
        if ev.uses_time_index() {
            let during = ev.scope.during.map(When::interval);
            let fact_vars = self.extras.fact_vars;
            self.periods = (0..patterns)
                .map(|i| {
                    let fact_var = fact_vars.get(i).copied().flatten();
                    super::narrow::periods(during, &self.extras.filters, fact_var)
                })
                .collect();
            self.listed = vec![None; patterns];
        }
        if self.has_paths {
            self.witness = vec![Vec::new(); patterns];
        }
        self.stack.reserve_exact(patterns);
        if patterns == 0 {
            if self.unbound_filters_hold() {
                self.emit(budget);
            }
            return Ok(());
        }
        self.push();
        while let Some(top) = self.stack.len().checked_sub(1) {
            if self.stop.is_some() {
                break;
            }
            self.unbind(top);
            let pattern = self.stack[top].pattern;
            let bound = match self.stack[top].path.is_some() {
                true => self.next_pair(ev, budget, top)?,
                false => self.next_candidate(ev, top)?.map(|(fact, swapped)| {
                    self.facts[pattern] = fact;
                    self.bind_fact(pattern, fact, swapped)
                }),
            };
            let Some(bound) = bound else {
                if let Some(mut frame) = self.stack.pop() {
                    self.done[frame.pattern] = false;
                    if let Some(path) = &mut frame.path {
                        path.release(budget);
                    }
                }
                continue;
            };
            if bound && (self.extras.filters.is_empty() || self.filters_hold(Some(top))) {
                if self.stack.len() == patterns {
                    if self.unbound_filters_hold() {
                        self.emit(budget);
                    }
                } else {
                    self.push();
                }
            }
        }
        Ok(())
    }

    /// Binds the next pair of a relation path's level: `Some(false)` when the pair does not fit the
    /// bindings, `None` when the level has no more (or the budget ran out, which stops the join).
    fn next_pair(
        &mut self,
        ev: &mut Evaluator<'_>,
        budget: &mut Budget,
        level: usize,
    ) -> Result<Option<bool>, EvalError> {
        let pattern = self.stack[level].pattern;
        let p = &self.patterns[pattern];
        let RRel::Path(automaton) = &p.relation else {
            return Ok(None);
        };
        let Some(cursor) = self.stack[level].path.as_mut() else {
            return Ok(None);
        };
        let (s, o) = match cursor.next(ev, automaton, budget)? {
            Next::OutOfMemory => {
                self.stop = Some(Stop::Memory);
                return Ok(None);
            }
            Next::Done => return Ok(None),
            Next::Pair(s, o, facts) => {
                let witness = &mut self.witness[pattern];
                witness.clear();
                witness.extend_from_slice(facts);
                (s, o)
            }
        };
        let (subject, object) = (&p.subject, &p.object);
        Ok(Some(
            self.bind(subject, Value::Entity(s)) && self.bind(object, Value::Entity(o)),
        ))
    }

    fn entity_of(&self, term: &RTerm) -> Option<EntityId> {
        match term {
            RTerm::Entity(e) => Some(*e),
            RTerm::Var(v) => match self.bindings[*v] {
                Some(Value::Entity(e)) => Some(e),
                _ => None,
            },
        }
    }

    /// Which ways round a fact may match the pattern: read as stated (`forward`) and with subject
    /// and object swapped (an inverse label, or a symmetric relation).
    fn orientations(&self, p: &RPattern) -> (bool, bool) {
        match &p.relation {
            RRel::Rel(m) => {
                let model = &self.graph.model;
                let symmetric = m.relations.iter().any(|&r| model.relation(r).symmetric);
                (!m.backwards || symmetric, m.backwards || symmetric)
            }
            RRel::Var(_) => (true, self.any_symmetric),
            RRel::Path(_) => (false, false),
        }
    }

    /// Candidate facts for a pattern under the current bindings, by the cheapest access path: the
    /// out-edges or in-edges of a bound end, else the facts of the relation, else every fact.
    fn cursor(&self, p: &'a RPattern) -> Cursor<'a> {
        let graph = self.graph;
        let adjacency = match &p.relation {
            RRel::Rel(m) => graph.adjacency_for(&m.relations),
            RRel::Var(_) | RRel::Path(_) => graph.adjacency(),
        };
        let (s, o) = (self.entity_of(&p.subject), self.entity_of(&p.object));
        let (forward, swapped) = self.orientations(p);
        // As stated, a bound subject is the fact's subject; swapped, it is the fact's object.
        match (s, o, forward, swapped) {
            (Some(e), _, true, true) | (None, Some(e), true, true) => Cursor::Both(
                adjacency.out(e).iter().peekable(),
                adjacency.incoming(e).iter().peekable(),
            ),
            (Some(e), _, true, false) | (None, Some(e), false, true) => {
                Cursor::Out(adjacency.out(e).iter())
            }
            (Some(e), _, false, true) | (None, Some(e), true, false) => {
                Cursor::In(adjacency.incoming(e).iter())
            }
            (Some(_), _, false, false) | (None, Some(_), false, false) => Cursor::Facts([].iter()),
            (None, None, _, _) => match &p.relation {
                RRel::Rel(m) => Cursor::Relations {
                    graph,
                    relations: m.relations.iter(),
                    facts: [].iter(),
                },
                RRel::Var(_) => Cursor::All(0..graph.model.facts().len() as u32),
                RRel::Path(_) => Cursor::Facts([].iter()),
            },
        }
    }

    /// Estimated candidates: a bound end's degree (O(1)), else the relation's fact count.
    fn cost(&self, p: &RPattern) -> usize {
        let graph = self.graph;
        let degree = |e: EntityId| graph.adjacency().degree(e);
        let s = self.entity_of(&p.subject).map(degree);
        let o = self.entity_of(&p.object).map(degree);
        if let RRel::Path(_) = &p.relation {
            // A search from a bound end reaches more than its degree; with no bound end, one
            // search per entity: last of all, when another pattern may have bound an end.
            return match (s, o) {
                (Some(_), Some(_)) => 1,
                (Some(d), None) | (None, Some(d)) => d.saturating_mul(8).saturating_add(8),
                (None, None) => usize::MAX,
            };
        }
        match (s, o) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => match &p.relation {
                RRel::Rel(m) => m.relations.iter().map(|&r| graph.facts_of(r).len()).sum(),
                RRel::Var(_) | RRel::Path(_) => graph.model.facts().len(),
            },
        }
    }

    /// Starts the next level with the cheapest pattern not matched yet.
    fn push(&mut self) {
        let patterns = self.patterns;
        let Some(next) = (0..patterns.len())
            .filter(|&i| !self.done[i])
            .min_by_key(|&i| self.cost(&patterns[i]))
        else {
            return;
        };
        let pattern = &patterns[next];
        self.done[next] = true;
        let binds = vars_of(pattern).map(|v| v.filter(|&v| self.bindings[v].is_none()));
        let cursor = match self.listed(next) {
            Some(facts) => Cursor::Listed(facts, 0),
            None => self.cursor(pattern),
        };
        let path = matches!(pattern.relation, RRel::Path(_)).then(|| {
            Box::new(PathCursor::new(
                self.entity_of(&pattern.subject),
                self.entity_of(&pattern.object),
            ))
        });
        self.stack.push(Frame {
            pattern: next,
            cursor,
            fact: FactId(0),
            pending: &[],
            binds,
            path,
        });
    }

    /// The facts the time index yields for pattern `i` when both its ends are unbound, where its
    /// facts must meet a period and the index reads fewer than a scan (see `narrow`).
    fn listed(&mut self, i: usize) -> Option<Rc<[FactId]>> {
        let p = &self.patterns[i];
        let periods = self.periods.get(i).filter(|ps| !ps.is_empty())?;
        if self.entity_of(&p.subject).is_some() || self.entity_of(&p.object).is_some() {
            return None;
        }
        if let Some(Some(known)) = self.listed.get(i) {
            return known.clone();
        }
        let relations = match &p.relation {
            RRel::Rel(m) => Some(m.relations.as_slice()),
            RRel::Var(_) => None,
            // A path's hops are searched, not listed.
            RRel::Path(_) => return None,
        };
        let found = super::narrow::indexed(self.graph, relations, periods, self.cost(p));
        let found: Option<Rc<[FactId]>> = found.map(Rc::from);
        if let Some(slot) = self.listed.get_mut(i) {
            *slot = Some(found.clone());
        }
        found
    }

    fn unbind(&mut self, level: usize) {
        let frame = &self.stack[level];
        for v in frame.binds.into_iter().flatten() {
            self.bindings[v] = None;
        }
        if let Some(&Some(v)) = self.extras.fact_vars.get(frame.pattern) {
            self.bindings[v] = None;
        }
    }

    /// The next fact and reading of it for the level to try, or `None` when it has no more.
    fn next_candidate(
        &mut self,
        ev: &mut Evaluator<'_>,
        level: usize,
    ) -> Result<Option<(FactId, bool)>, EvalError> {
        let model = &self.graph.model;
        let frame = &mut self.stack[level];
        loop {
            if let Some((&swapped, rest)) = frame.pending.split_first() {
                frame.pending = rest;
                return Ok(Some((frame.fact, swapped)));
            }
            let Some(fact_id) = frame.cursor.next() else {
                return Ok(None);
            };
            ev.tick()?;
            let fact = model.fact(fact_id);
            let pattern = &self.patterns[frame.pattern].relation;
            // The relation first: it rules out most candidates of a bound end, and costs no date.
            if matches!(pattern, RRel::Rel(m) if !m.relations.contains(&fact.relation))
                || !ev.holds(fact_id)
            {
                continue;
            }
            frame.fact = fact_id;
            frame.pending = match pattern {
                _ if model.relation(fact.relation).symmetric => &[false, true],
                RRel::Rel(m) if m.backwards => &[true],
                _ => &[false],
            };
        }
    }

    fn bind_fact(&mut self, pattern: usize, fact_id: FactId, swapped: bool) -> bool {
        let p = &self.patterns[pattern];
        let fact = self.graph.model.fact(fact_id);
        let (subject, object) = if swapped {
            (fact.object, fact.subject)
        } else {
            (fact.subject, fact.object)
        };
        let fact_var = self.extras.fact_vars.get(pattern).copied().flatten();
        self.bind(&p.subject, Value::Entity(subject))
            && self.bind(&p.object, Value::Entity(object))
            && self.bind_relation(&p.relation, fact.relation)
            && fact_var.is_none_or(|v| self.bind_var(v, Value::Fact(fact_id)))
    }

    fn bind(&mut self, term: &RTerm, value: Value) -> bool {
        match term {
            RTerm::Entity(e) => Value::Entity(*e) == value,
            RTerm::Var(v) => self.bind_var(*v, value),
        }
    }

    fn bind_relation(&mut self, rel: &RRel, relation: RelationId) -> bool {
        match rel {
            RRel::Rel(_) | RRel::Path(_) => true,
            RRel::Var(v) => self.bind_var(*v, Value::Relation(relation)),
        }
    }

    fn bind_var(&mut self, v: usize, value: Value) -> bool {
        match self.bindings[v] {
            Some(bound) => bound == value,
            None => {
                self.bindings[v] = Some(value);
                true
            }
        }
    }

    fn emit(&mut self, budget: &mut Budget) {
        self.key.clear();
        let bindings = &self.bindings;
        if self.mode == Mode::Solutions {
            self.key
                .extend(bindings.iter().map(|b| b.map_or(u32::MAX, Value::id)));
        } else {
            // A `not` block's join leaves other blocks' variables unbound: the key keeps its
            // width all the same, as the table of distinct rows requires.
            self.key.extend(
                self.select
                    .iter()
                    .map(|&i| bindings[i].map_or(u32::MAX, Value::id)),
            );
        }
        let number = match self.seen.insert_numbered(&self.key, budget) {
            Err(BudgetSpent) => {
                self.stop = Some(Stop::Memory);
                return;
            }
            Ok((number, false)) => {
                // The same row again: its facts are more evidence for it.
                let kept = match self.mode {
                    Mode::List => self.rows.get_mut(number).map(|r| &mut r.facts),
                    Mode::Solutions => self.solutions.get_mut(number).map(|s| &mut s.facts),
                    Mode::Count | Mode::Exists => None,
                };
                if let Some(facts) = kept {
                    merge_facts(facts, &evidence(&self.facts, &self.witness, self.patterns));
                }
                return;
            }
            Ok((number, true)) => number,
        };
        match self.mode {
            Mode::Count => {}
            Mode::Exists => self.stop = Some(Stop::Found),
            Mode::List => self.keep_row(budget),
            Mode::Solutions => self.keep_solution(number, budget),
        }
    }

    fn keep_solution(&mut self, number: usize, budget: &mut Budget) {
        let evidence = evidence(&self.facts, &self.witness, self.patterns);
        let bytes = size_of::<Solution>()
            + self.bindings.len() * size_of::<Option<Value>>()
            + evidence.len() * size_of::<FactId>()
            + self.rendered_bytes(&evidence);
        if number != self.solutions.len() || !budget.take(bytes) {
            self.stop = Some(Stop::Memory);
            return;
        }
        let mut facts = Vec::with_capacity(evidence.len());
        merge_facts(&mut facts, &evidence);
        self.solutions.push(Solution {
            values: self.bindings.clone(),
            facts,
        });
    }

    /// At most what the current row takes to render, in any format. The JSON renderer, the
    /// largest, builds a tree of values before its text: measured at about 600 bytes a value or
    /// fact beyond the names and quotes themselves, which it holds twice (tree and text), the
    /// text growing by doubling. A fact renders with its subject, object and quote.
    fn rendered_bytes(&self, evidence: &[FactId]) -> usize {
        const PER_CELL: usize = 640;
        let model = &self.graph.model;
        let name = |e: EntityId| model.entity(e).name.len();
        let values: usize = self
            .select
            .iter()
            .filter_map(|&i| self.bindings[i])
            .map(|v| match v {
                Value::Entity(e) => name(e),
                Value::Relation(r) => model.relation(r).name.len(),
                Value::Fact(f) => model.quote(f).len(),
            })
            .sum();
        let facts: usize = evidence
            .iter()
            .map(|&f| {
                let fact = model.fact(f);
                model.quote(f).len() + name(fact.subject) + name(fact.object)
            })
            .sum();
        (self.select.len() + evidence.len()) * PER_CELL + 3 * (values + facts)
    }

    fn keep_row(&mut self, budget: &mut Budget) {
        let cells = self.select.len();
        let evidence = evidence(&self.facts, &self.witness, self.patterns);
        let max_rows = MAX_ROWS.min(MAX_CELLS / (cells + evidence.len()).max(1));
        if self.rows.len() >= max_rows {
            self.stop = Some(Stop::Rows(max_rows));
            return;
        }
        // The row, its slot in the list (doubled: the list grows by doubling), the sort key of a
        // string per value that the answer is ordered by, and the row rendered.
        let bytes = 2 * size_of::<MatchRow>()
            + cells * (size_of::<Binding>() + size_of::<String>())
            + evidence.len() * size_of::<FactId>()
            + self.rendered_bytes(&evidence);
        if !budget.take(bytes) {
            self.stop = Some(Stop::Memory);
            return;
        }
        let values = self
            .select
            .iter()
            .filter_map(|&i| self.bindings[i])
            .map(Value::binding)
            .collect();
        let mut facts = Vec::with_capacity(evidence.len());
        merge_facts(&mut facts, &evidence);
        self.rows.push(MatchRow { values, facts });
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::load::GraphSpec;
    use crate::query::eval::resolve::{resolve, Resolved};
    use crate::query::eval::CancelToken;
    use crate::query::{parse_statement, Statement, TimeScope};

    pub(in crate::query::eval) fn bundled() -> KnowledgeGraph {
        GraphSpec::new(Vec::new()).load(&[]).unwrap()
    }

    /// (patterns, variables, selected) of a `match` on `graph`.
    pub(in crate::query::eval) fn resolved(
        graph: &KnowledgeGraph,
        text: &str,
    ) -> (Vec<RPattern>, usize, Vec<usize>) {
        let Ok(Statement::Query(query)) = parse_statement(text) else {
            panic!("{text} is not a query")
        };
        match resolve(graph, &query).unwrap().0 {
            Resolved::Match {
                patterns,
                vars,
                select,
                ..
            } => (patterns, vars.len(), select),
            other => panic!("{other:?}"),
        }
    }

    fn listed(graph: &KnowledgeGraph, text: &str, memory: u64) -> (usize, Option<String>) {
        let (patterns, vars, select) = resolved(graph, text);
        let names: Vec<String> = (0..vars).map(|i| format!("v{i}")).collect();
        let cancel = CancelToken::new();
        let mut ev = Evaluator::new(graph, TimeScope::default(), &cancel).with_memory_limit(memory);
        match matches(&mut ev, &patterns, &names, &select).unwrap() {
            Answer::Match {
                rows, truncated, ..
            } => (rows.len(), truncated),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn listed_rows_stop_at_the_memory_budget_with_a_note() {
        let graph = bundled();
        let star = "match ?a ?r ?b, ?a ?s ?c, ?a ?t ?d, ?a ?u ?e";
        let (rows, note) = listed(&graph, star, 1 << 20);
        let note = note.unwrap();
        assert!(
            note.starts_with(&format!(
                "stopped at {rows} rows: the query reached its memory limit of 1MB"
            )),
            "{note}"
        );
        // A row of 13 values and facts, rendered, is charged some kilobytes.
        assert!((50..1000).contains(&rows), "{rows}");
        let (more, _) = listed(&graph, star, 4 << 20);
        assert!(
            more > 3 * rows && more < MAX_ROWS,
            "{more} rows in 4MB, {rows} in 1MB"
        );
    }
}
