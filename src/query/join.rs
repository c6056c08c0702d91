//! `match`: a conjunctive query over triple patterns, evaluated as a backtracking join.
//!
//! At each level the pattern with the fewest candidate facts given the bindings so far goes next
//! (a bound subject costs its out-degree, a bound object its in-degree, otherwise the relation's
//! fact count), so joins start from their most selective pattern. Rows are distinct and sorted by
//! their printed values. Results stop at `MAX_ROWS`, and at `MAX_CELLS` values and facts in all,
//! with a note, so a cross product of unbounded patterns cannot eat all memory, however wide.

use crate::model::{EntityId, FactId, RelationId};
use crate::query::answer::{Answer, Binding, MatchRow};
use crate::query::eval::{EvalError, Evaluator};
use crate::query::resolve::{RPattern, RRel, RTerm};
use petgraph::Direction;
use std::collections::HashSet;

pub const MAX_ROWS: usize = 10_000;
/// Values and facts all rows may hold together: a row of 200 patterns holds 800 of them, and
/// 10,000 such rows were 1 GB of memory and 350 MB of text.
pub const MAX_CELLS: usize = 1_000_000;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Value {
    Entity(EntityId),
    Relation(RelationId),
}

/// Distinct rows `count` may tally before it stops: the set that keeps them distinct is the
/// memory a count costs (about 40 bytes a row of two values).
pub const MAX_COUNTED: usize = 50_000_000;

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
        rows: Vec::new(),
        seen: HashSet::new(),
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
    rows: Vec<MatchRow>,
    seen: HashSet<Vec<Value>>,
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

    /// Candidate facts for a pattern under the current bindings, cheapest access path first.
    fn candidates(&self, ev: &Evaluator<'_>, p: &RPattern) -> Vec<FactId> {
        let graph = ev.graph;
        let (s, o) = (self.entity_of(&p.subject), self.entity_of(&p.object));
        let mut out: Vec<FactId> = Vec::new();
        // A pattern naming an inverse label or a symmetric relation may match a fact either way
        // round, so both ends are tried as the fact's subject.
        if let Some(end) = s.or(o) {
            out.extend(graph.edges(end, Direction::Outgoing));
            out.extend(graph.edges(end, Direction::Incoming));
            out.sort();
            out.dedup();
            return out;
        }
        match &p.relation {
            RRel::Rel(m) => m
                .relations
                .iter()
                .flat_map(|&r| graph.facts_of(r).iter().copied())
                .collect(),
            RRel::Var(_) => (0..graph.model.facts.len() as u32).map(FactId).collect(),
        }
    }

    fn cost(&self, ev: &Evaluator<'_>, p: &RPattern) -> usize {
        let graph = ev.graph;
        let degree = |e: EntityId| {
            graph
                .graph
                .edges_directed(crate::graph::KnowledgeGraph::node(e), Direction::Outgoing)
                .count()
                + graph
                    .graph
                    .edges_directed(crate::graph::KnowledgeGraph::node(e), Direction::Incoming)
                    .count()
        };
        let s = self.entity_of(&p.subject).map(degree);
        let o = self.entity_of(&p.object).map(degree);
        match (s, o) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => match &p.relation {
                RRel::Rel(m) => m.relations.iter().map(|&r| graph.facts_of(r).len()).sum(),
                RRel::Var(_) => graph.model.facts.len(),
            },
        }
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
        for fact_id in self.candidates(ev, pattern) {
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
                let saved = self.bindings.clone();
                if self.bind(&pattern.subject, Value::Entity(subject))
                    && self.bind(&pattern.object, Value::Entity(object))
                    && self.bind_relation(&pattern.relation, fact.relation)
                {
                    self.facts[next] = fact_id;
                    self.search(ev, level + 1)?;
                }
                self.bindings = saved;
            }
        }
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
        let values: Vec<Value> = self
            .select
            .iter()
            .filter_map(|&i| self.bindings[i])
            .collect();
        if self.count {
            self.seen.insert(values);
            if self.seen.len() >= MAX_COUNTED {
                self.truncated = Some(format!(
                    "stopped counting at {MAX_COUNTED} distinct rows; narrow the match"
                ));
            }
            return Ok(());
        }
        if !self.seen.insert(values.clone()) {
            return Ok(());
        }
        let max_rows = MAX_ROWS.min(MAX_CELLS / (values.len() + self.facts.len()).max(1));
        if self.rows.len() >= max_rows {
            self.truncated = Some(format!(
                "stopped at {max_rows} rows; add a pattern or name an entity to narrow the match"
            ));
            return Ok(());
        }
        self.rows.push(MatchRow {
            values: values
                .into_iter()
                .map(|v| match v {
                    Value::Entity(e) => Binding::Entity(e),
                    Value::Relation(r) => Binding::Relation(r),
                })
                .collect(),
            facts: self.facts.clone(),
        });
        Ok(())
    }
}
