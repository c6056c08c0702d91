//! `match`: a conjunctive query over triple patterns, evaluated as a backtracking join.
//!
//! At each level the pattern with the fewest candidate facts given the bindings so far goes next
//! (a bound subject costs its out-degree, a bound object its in-degree, otherwise the relation's
//! fact count), so joins start from their most selective pattern. Rows are distinct and sorted by
//! their printed values. Results stop at `MAX_ROWS`, and at `MAX_CELLS` values and facts in all,
//! with a note, so a cross product of unbounded patterns cannot eat all memory, however wide.

use super::answer::{Answer, Binding, MatchRow};
use super::resolve::{RPattern, RRel, RTerm};
use super::{EvalError, Evaluator};
use crate::model::{EntityId, FactId, RelationId};
use hashbrown::HashSet;

pub const MAX_ROWS: usize = 10_000;
/// Values and facts all rows may hold together: a row of 200 patterns holds 800 of them, and
/// 10,000 such rows were 1 GB of memory and 350 MB of text.
pub const MAX_CELLS: usize = 1_000_000;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Value {
    Entity(EntityId),
    Relation(RelationId),
}

impl Value {
    fn key(self) -> u64 {
        match self {
            Value::Entity(e) => u64::from(e.0),
            Value::Relation(r) => 1 << 32 | u64::from(r.0),
        }
    }
}

/// The distinct rows seen so far. Rows of up to four values are kept as fixed arrays, so a count
/// over millions of rows allocates nothing per row; wider rows fall back to vectors.
#[derive(Default)]
struct Seen {
    narrow: HashSet<[u64; 4]>,
    wide: HashSet<Vec<u64>>,
}

impl Seen {
    /// Whether the row is new.
    fn insert(&mut self, values: &[Value]) -> bool {
        if values.len() <= 4 {
            let mut key = [u64::MAX; 4];
            for (k, v) in key.iter_mut().zip(values) {
                *k = v.key();
            }
            self.narrow.insert(key)
        } else {
            self.wide.insert(values.iter().map(|v| v.key()).collect())
        }
    }

    fn len(&self) -> usize {
        self.narrow.len() + self.wide.len()
    }
}

/// Distinct rows `count` may tally before it stops: the set that keeps them distinct is the
/// memory a count costs (32 bytes a row of up to four values, so at most about 320 MB), and a
/// larger set would also take longer than a user waits for a cancelled query to stop growing.
pub const MAX_COUNTED: usize = 10_000_000;

pub fn matches(
    ev: &mut Evaluator<'_>,
    patterns: &[RPattern],
    vars: &[String],
    select: &[usize],
    count: bool,
) -> Result<Answer, EvalError> {
    let mut join = Join {
        patterns,
        select,
        count,
        bindings: vec![None; vars.len()],
        done: vec![false; patterns.len()],
        facts: vec![FactId(0); patterns.len()],
        buffers: vec![Vec::new(); patterns.len()],
        rows: Vec::new(),
        row: Vec::with_capacity(select.len()),
        seen: Seen::default(),
        truncated: None,
    };
    join.search(ev, 0)?;
    let columns: Vec<String> = select.iter().map(|&i| vars[i].clone()).collect();
    if count {
        return Ok(Answer::Count {
            columns,
            count: join.seen.len(),
            truncated: join.truncated,
        });
    }
    let model = &ev.graph.model;
    let mut rows = join.rows;
    rows.sort_by_cached_key(|r| {
        r.values
            .iter()
            .map(|v| match v {
                Binding::Entity(e) => model.entity(*e).name.to_lowercase(),
                Binding::Relation(rel) => model.relation(*rel).name.clone(),
            })
            .collect::<Vec<_>>()
    });
    Ok(Answer::Match {
        columns,
        rows,
        truncated: join.truncated,
    })
}

struct Join<'p> {
    patterns: &'p [RPattern],
    select: &'p [usize],
    count: bool,
    bindings: Vec<Option<Value>>,
    done: Vec<bool>,
    facts: Vec<FactId>,
    buffers: Vec<Vec<FactId>>,
    rows: Vec<MatchRow>,
    /// The selected values of the row being emitted, reused so a count allocates nothing per row.
    row: Vec<Value>,
    seen: Seen,
    truncated: Option<String>,
}

impl Join<'_> {
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
    fn orientations(&self, ev: &Evaluator<'_>, p: &RPattern) -> (bool, bool) {
        let model = &ev.graph.model;
        match &p.relation {
            RRel::Rel(m) => {
                let symmetric = m.relations.iter().any(|&r| model.relation(r).symmetric);
                (!m.backwards || symmetric, m.backwards || symmetric)
            }
            RRel::Var(_) => (true, model.relations.iter().any(|r| r.symmetric)),
        }
    }

    /// Candidate facts for a pattern under the current bindings, by the cheapest access path: the
    /// out-edges or in-edges of a bound end, else the facts of the relation, else every fact.
    fn candidates(&self, ev: &Evaluator<'_>, p: &RPattern, out: &mut Vec<FactId>) {
        let graph = ev.graph;
        out.clear();
        let (s, o) = (self.entity_of(&p.subject), self.entity_of(&p.object));
        let (forward, swapped) = self.orientations(ev, p);
        let incoming = |e: EntityId, out: &mut Vec<FactId>| {
            out.extend_from_slice(graph.adjacency().incoming(e));
        };
        let outgoing = |e: EntityId, out: &mut Vec<FactId>| {
            out.extend(graph.adjacency().out(e).iter().map(|edge| edge.fact));
        };
        if s.is_some() || o.is_some() {
            // As stated, a bound subject is the fact's subject; swapped, it is the fact's object.
            if forward {
                match (s, o) {
                    (Some(s), _) => outgoing(s, out),
                    (None, Some(o)) => incoming(o, out),
                    (None, None) => {}
                }
            }
            if swapped {
                match (s, o) {
                    (Some(s), _) => incoming(s, out),
                    (None, Some(o)) => outgoing(o, out),
                    (None, None) => {}
                }
            }
            if forward && swapped {
                out.sort_unstable();
                out.dedup();
            }
            return;
        }
        match &p.relation {
            RRel::Rel(m) => {
                for &r in &m.relations {
                    out.extend_from_slice(graph.facts_of(r));
                }
            }
            RRel::Var(_) => out.extend((0..graph.model.facts().len() as u32).map(FactId)),
        }
    }

    /// Estimated candidates: a bound end's degree (O(1)), else the relation's fact count.
    fn cost(&self, ev: &Evaluator<'_>, p: &RPattern) -> usize {
        let graph = ev.graph;
        let degree = |e: EntityId| graph.adjacency().undirected(e).len();
        let s = self.entity_of(&p.subject).map(degree);
        let o = self.entity_of(&p.object).map(degree);
        match (s, o) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => match &p.relation {
                RRel::Rel(m) => m.relations.iter().map(|&r| graph.facts_of(r).len()).sum(),
                RRel::Var(_) => graph.model.facts().len(),
            },
        }
    }

    /// The variables a pattern may bind, for undoing the bindings after each candidate.
    fn vars_of(p: &RPattern) -> [Option<usize>; 3] {
        let term = |t: &RTerm| match t {
            RTerm::Var(v) => Some(*v),
            RTerm::Entity(_) => None,
        };
        let relation = match &p.relation {
            RRel::Var(v) => Some(*v),
            RRel::Rel(_) => None,
        };
        [term(&p.subject), relation, term(&p.object)]
    }

    fn search(&mut self, ev: &mut Evaluator<'_>, level: usize) -> Result<(), EvalError> {
        if self.truncated.is_some() {
            return Ok(());
        }
        if level == self.patterns.len() {
            return self.emit();
        }
        let Some(next) = (0..self.patterns.len())
            .filter(|&i| !self.done[i])
            .min_by_key(|&i| self.cost(ev, &self.patterns[i]))
        else {
            return Ok(());
        };
        let pattern = &self.patterns[next];
        self.done[next] = true;
        // One candidate buffer per level, reused, so the join allocates nothing per binding.
        let mut candidates = std::mem::take(&mut self.buffers[level]);
        self.candidates(ev, pattern, &mut candidates);
        let vars = Self::vars_of(pattern);
        let unbound = vars.map(|v| v.is_some_and(|v| self.bindings[v].is_none()));
        for &fact_id in &candidates {
            ev.tick()?;
            if !ev.holds(fact_id) {
                continue;
            }
            let fact = ev.graph.model.fact(fact_id);
            let relation = ev.graph.model.relation(fact.relation);
            let orientations: &[bool] = match &pattern.relation {
                RRel::Rel(m) if !m.relations.contains(&fact.relation) => &[],
                _ if relation.symmetric => &[false, true],
                RRel::Rel(m) if m.backwards => &[true],
                _ => &[false],
            };
            for &swapped in orientations {
                let (subject, object) = if swapped {
                    (fact.object, fact.subject)
                } else {
                    (fact.subject, fact.object)
                };
                if self.bind(&pattern.subject, Value::Entity(subject))
                    && self.bind(&pattern.object, Value::Entity(object))
                    && self.bind_relation(&pattern.relation, fact.relation)
                {
                    self.facts[next] = fact_id;
                    self.search(ev, level + 1)?;
                }
                for (v, was_unbound) in vars.iter().zip(unbound) {
                    if let (Some(v), true) = (v, was_unbound) {
                        self.bindings[*v] = None;
                    }
                }
            }
        }
        self.buffers[level] = candidates;
        self.done[next] = false;
        Ok(())
    }

    fn bind(&mut self, term: &RTerm, value: Value) -> bool {
        match term {
            RTerm::Entity(e) => Value::Entity(*e) == value,
            RTerm::Var(v) => match self.bindings[*v] {
                Some(bound) => bound == value,
                None => {
                    self.bindings[*v] = Some(value);
                    true
                }
            },
        }
    }

    fn bind_relation(&mut self, rel: &RRel, relation: RelationId) -> bool {
        match rel {
            RRel::Rel(_) => true,
            RRel::Var(v) => match self.bindings[*v] {
                Some(bound) => bound == Value::Relation(relation),
                None => {
                    self.bindings[*v] = Some(Value::Relation(relation));
                    true
                }
            },
        }
    }

    fn emit(&mut self) -> Result<(), EvalError> {
        let mut values = std::mem::take(&mut self.row);
        values.clear();
        values.extend(self.select.iter().filter_map(|&i| self.bindings[i]));
        let new = self.seen.insert(&values);
        let cells = values.len();
        let row = (new && !self.count).then(|| {
            values
                .iter()
                .map(|v| match v {
                    Value::Entity(e) => Binding::Entity(*e),
                    Value::Relation(r) => Binding::Relation(*r),
                })
                .collect()
        });
        self.row = values;
        if self.count {
            if self.seen.len() >= MAX_COUNTED {
                self.truncated = Some(format!(
                    "stopped counting at {MAX_COUNTED} distinct rows; narrow the match"
                ));
            }
            return Ok(());
        }
        let Some(values) = row else {
            return Ok(());
        };
        let max_rows = MAX_ROWS.min(MAX_CELLS / (cells + self.facts.len()).max(1));
        if self.rows.len() >= max_rows {
            self.truncated = Some(format!(
                "stopped at {max_rows} rows; add a pattern or name an entity to narrow the match"
            ));
            return Ok(());
        }
        self.rows.push(MatchRow {
            values,
            facts: self.facts.clone(),
        });
        Ok(())
    }
}
