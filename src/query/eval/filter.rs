//! `where` conditions with their names resolved and their types checked, and their evaluation
//! over one row of bindings; also the cells a row's variables and properties read as.
//!
//! A condition over an unbound variable (of an `optional` block that did not match) is neither
//! true nor false: `not` keeps it so, and a row whose condition is not true is dropped.

use super::answer::Binding;
use super::join::Value;
use crate::date::{Day, Interval, When};
use crate::graph::{KnowledgeGraph, RelationMatch};
use crate::model::{EntityId, FactId, Kind};
use crate::query::ast::{CmpOp, DateOp, Prop};
use regex::Regex;
use std::cmp::Ordering;

/// What a variable stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    Entity,
    Relation,
    Fact,
}

/// A side of a comparison, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ROperand {
    Var(usize),
    Prop(usize, Prop),
    Entity(EntityId),
    Relation(RelationMatch),
    Kind(Kind),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RCond {
    And(Vec<RCond>),
    Or(Vec<RCond>),
    Not(Box<RCond>),
    Compare(ROperand, CmpOp, ROperand),
    In(ROperand, Vec<ROperand>),
    Contains(ROperand, String),
    Matches(ROperand, Pattern),
    Date {
        left: ROperand,
        certainly: bool,
        op: DateOp,
        period: Interval,
    },
}

impl RCond {
    /// The variables the condition reads, each once.
    pub fn vars(&self, out: &mut Vec<usize>) {
        let operand = |o: &ROperand, out: &mut Vec<usize>| {
            if let ROperand::Var(v) | ROperand::Prop(v, _) = o {
                if !out.contains(v) {
                    out.push(*v);
                }
            }
        };
        match self {
            RCond::And(items) | RCond::Or(items) => items.iter().for_each(|c| c.vars(out)),
            RCond::Not(c) => c.vars(out),
            RCond::Compare(a, _, b) => {
                operand(a, out);
                operand(b, out);
            }
            RCond::In(a, items) => {
                operand(a, out);
                items.iter().for_each(|i| operand(i, out));
            }
            RCond::Contains(a, _) | RCond::Matches(a, _) | RCond::Date { left: a, .. } => {
                operand(a, out)
            }
        }
    }
}

/// A compiled `matches` pattern; two are equal when written alike.
#[derive(Debug, Clone)]
pub struct Pattern(pub Box<Regex>);

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

impl Eq for Pattern {}

/// A condition's value: `None` when it reads an unbound variable.
pub fn holds(graph: &KnowledgeGraph, cond: &RCond, row: &[Option<Value>]) -> Option<bool> {
    match cond {
        RCond::And(items) => {
            let mut unknown = false;
            for c in items {
                match holds(graph, c, row) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            (!unknown).then_some(true)
        }
        RCond::Or(items) => {
            let mut unknown = false;
            for c in items {
                match holds(graph, c, row) {
                    Some(true) => return Some(true),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            (!unknown).then_some(false)
        }
        RCond::Not(c) => holds(graph, c, row).map(|b| !b),
        RCond::Compare(a, op, b) => {
            let (a, b) = (cell(graph, a, row)?, cell(graph, b, row)?);
            let ordering = compare(graph, &a, &b)?;
            Some(match op {
                CmpOp::Eq => ordering == Ordering::Equal,
                CmpOp::Ne => ordering != Ordering::Equal,
                CmpOp::Lt => ordering == Ordering::Less,
                CmpOp::Le => ordering != Ordering::Greater,
                CmpOp::Gt => ordering == Ordering::Greater,
                CmpOp::Ge => ordering != Ordering::Less,
            })
        }
        RCond::In(a, items) => {
            let a = cell(graph, a, row)?;
            let mut unknown = false;
            for item in items {
                match cell(graph, item, row).and_then(|b| compare(graph, &a, &b)) {
                    Some(Ordering::Equal) => return Some(true),
                    None => unknown = true,
                    Some(_) => {}
                }
            }
            (!unknown).then_some(false)
        }
        RCond::Contains(a, text) => {
            let needle = text.to_lowercase();
            Some(match cell(graph, a, row)? {
                Cell::List(items) => items.iter().any(|i| i.to_lowercase() == needle),
                Cell::Text(t) => t.to_lowercase().contains(&needle),
                _ => false,
            })
        }
        RCond::Matches(a, regex) => Some(match cell(graph, a, row)? {
            Cell::List(items) => items.iter().any(|i| regex.0.is_match(i)),
            Cell::Text(t) => regex.0.is_match(&t),
            _ => false,
        }),
        RCond::Date {
            left,
            certainly,
            op,
            period,
        } => {
            let Cell::Date(when) = cell(graph, left, row)? else {
                // A fact without a date is never during, before or after anything.
                return Some(false);
            };
            Some(date_holds(when.interval(), *certainly, *op, *period))
        }
    }
}

/// `during`: the intervals overlap (certainly: the fact's lies inside the period); `before`: the
/// fact's earliest day is before the period's first (certainly: its latest day is); `after`: its
/// latest day is after the period's last (certainly: its earliest day is).
pub fn date_holds(fact: Interval, certainly: bool, op: DateOp, period: Interval) -> bool {
    match (op, certainly) {
        (DateOp::During, false) => fact.first <= period.last && fact.last >= period.first,
        (DateOp::During, true) => fact.first >= period.first && fact.last <= period.last,
        (DateOp::Before, false) => fact.first < period.first,
        (DateOp::Before, true) => fact.last < period.first,
        (DateOp::After, false) => fact.last > period.last,
        (DateOp::After, true) => fact.first > period.last,
    }
}

/// What an operand reads in a row.
#[derive(Debug, Clone)]
pub enum Cell {
    Entity(EntityId),
    Relation(crate::model::RelationId),
    RelationMatch(RelationMatch),
    Fact(FactId),
    Kind(Kind),
    Text(String),
    List(Vec<String>),
    Date(When),
    /// A fact without a date, a missing note or attribute.
    Missing,
}

/// The cell an operand reads, `None` when its variable is unbound.
pub fn cell(graph: &KnowledgeGraph, operand: &ROperand, row: &[Option<Value>]) -> Option<Cell> {
    let model = &graph.model;
    Some(match operand {
        ROperand::Entity(e) => Cell::Entity(*e),
        ROperand::Relation(m) => Cell::RelationMatch(m.clone()),
        ROperand::Kind(k) => Cell::Kind(*k),
        ROperand::Text(t) => Cell::Text(t.clone()),
        ROperand::Var(v) => match (*row.get(*v)?)? {
            Value::Entity(e) => Cell::Entity(e),
            Value::Relation(r) => Cell::Relation(r),
            Value::Fact(f) => Cell::Fact(f),
        },
        ROperand::Prop(v, prop) => match (*row.get(*v)?)? {
            Value::Fact(f) => fact_prop(graph, f, prop),
            Value::Entity(e) => {
                let entity = model.entity(e);
                match prop {
                    Prop::Kind => Cell::Kind(entity.kind),
                    Prop::Name => Cell::Text(entity.name.clone()),
                    Prop::Id => Cell::Text(entity.id.clone()),
                    Prop::Tags => Cell::List(entity.tags().to_vec()),
                    Prop::Aliases => Cell::List(entity.aliases().to_vec()),
                    Prop::Attr(key) => entity
                        .attributes()
                        .get(key)
                        .map_or(Cell::Missing, |v| Cell::Text(v.clone())),
                    _ => Cell::Missing,
                }
            }
            Value::Relation(_) => Cell::Missing,
        },
    })
}

fn fact_prop(graph: &KnowledgeGraph, f: FactId, prop: &Prop) -> Cell {
    let model = &graph.model;
    let fact = model.fact(f);
    let words = model.words(f);
    match prop {
        Prop::When => fact.when.map_or(Cell::Missing, Cell::Date),
        Prop::Source => Cell::Text(model.sources[fact.source.0 as usize].id.clone()),
        Prop::Quote => Cell::Text(words.quote.to_string()),
        Prop::Note => words
            .note
            .map_or(Cell::Missing, |n| Cell::Text(n.to_string())),
        Prop::ReportedBy => Cell::List(
            words
                .reported_by
                .iter()
                .map(|&e| model.entity(e).name.clone())
                .collect(),
        ),
        Prop::Relation => Cell::Relation(fact.relation),
        // Grades compare as text: `A` < `B` and `1` < `2` both put the better grade first.
        Prop::Reliability => model
            .source(fact.source)
            .reliability
            .map_or(Cell::Missing, |r| Cell::Text(r.to_string())),
        Prop::Credibility => words
            .credibility
            .map_or(Cell::Missing, |c| Cell::Text(c.to_string())),
        _ => Cell::Missing,
    }
}

/// Dates by their earliest day, then their latest.
fn date_order(a: When, b: When) -> Ordering {
    let (a, b) = (a.interval(), b.interval());
    (a.first, a.last).cmp(&(b.first, b.last))
}

/// Numbers compare as numbers when both texts are numbers.
fn text_order(a: &str, b: &str) -> Ordering {
    match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => a.cmp(b),
    }
}

/// How two cells compare, `None` when they cannot (a missing value, or types resolution let
/// through only for equality).
pub fn compare(graph: &KnowledgeGraph, a: &Cell, b: &Cell) -> Option<Ordering> {
    let model = &graph.model;
    Some(match (a, b) {
        (Cell::Missing, _) | (_, Cell::Missing) => return None,
        (Cell::Entity(x), Cell::Entity(y)) => x.0.cmp(&y.0),
        (Cell::Relation(x), Cell::Relation(y)) => x.0.cmp(&y.0),
        (Cell::Relation(r), Cell::RelationMatch(m))
        | (Cell::RelationMatch(m), Cell::Relation(r)) => {
            if m.relations.contains(r) {
                Ordering::Equal
            } else {
                Ordering::Less
            }
        }
        (Cell::Fact(x), Cell::Fact(y)) => x.0.cmp(&y.0),
        (Cell::Kind(x), Cell::Kind(y)) => (*x as u8).cmp(&(*y as u8)),
        (Cell::Text(x), Cell::Text(y)) => text_order(x, y),
        (Cell::Date(x), Cell::Date(y)) => date_order(*x, *y),
        _ => {
            let _ = model;
            return None;
        }
    })
}

/// The binding a cell shows as in an answer.
pub fn binding_of(graph: &KnowledgeGraph, cell: Cell) -> Binding {
    match cell {
        Cell::Entity(e) => Binding::Entity(e),
        Cell::Relation(r) => Binding::Relation(r),
        Cell::RelationMatch(m) => m
            .relations
            .first()
            .map_or(Binding::Unbound, |&r| Binding::Relation(r)),
        Cell::Fact(f) => Binding::Fact(f),
        Cell::Kind(k) => Binding::Text(k.name().to_string()),
        Cell::Text(t) => Binding::Text(t),
        Cell::List(items) => Binding::Text(items.join(", ")),
        Cell::Date(interval) => Binding::Date(interval),
        Cell::Missing => {
            let _ = graph;
            Binding::Unbound
        }
    }
}

/// The order answers list bindings in: unbound first, then by kind, entities by name, facts by
/// date, numbers and texts by value.
pub fn binding_order(graph: &KnowledgeGraph, a: &Binding, b: &Binding) -> Ordering {
    let model = &graph.model;
    let rank = |b: &Binding| match b {
        Binding::Unbound => 0,
        Binding::Number(_) => 1,
        Binding::Date(_) => 2,
        Binding::Text(_) => 3,
        Binding::Entity(_) => 4,
        Binding::Relation(_) => 5,
        Binding::Fact(_) => 6,
    };
    let fact_key = |f: FactId| {
        let when = model.fact(f).when.map(|w| w.interval());
        (when.map_or(Day::MAX, |i| i.first), f.0)
    };
    match (a, b) {
        (Binding::Entity(x), Binding::Entity(y)) => {
            let (x, y) = (model.entity(*x), model.entity(*y));
            (x.name.to_lowercase(), &x.id).cmp(&(y.name.to_lowercase(), &y.id))
        }
        (Binding::Relation(x), Binding::Relation(y)) => {
            model.relation(*x).name.cmp(&model.relation(*y).name)
        }
        (Binding::Fact(x), Binding::Fact(y)) => fact_key(*x).cmp(&fact_key(*y)),
        (Binding::Number(x), Binding::Number(y)) => x.cmp(y),
        (Binding::Text(x), Binding::Text(y)) => text_order(x, y),
        (Binding::Date(x), Binding::Date(y)) => date_order(*x, *y),
        _ => rank(a).cmp(&rank(b)),
    }
}
