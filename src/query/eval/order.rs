//! `order by`: answer rows sorted by their printed values first, so that ties keep one order on
//! every run, then stably by the keys written.

use super::answer::{Binding, MatchRow};
use super::filter::{binding_of, binding_order, cell, ROperand};
use super::join::Value;
use super::resolve::ROrder;
use crate::graph::KnowledgeGraph;
use crate::query::ast::Prop;
use std::cmp::Ordering;

/// A property of the value in a column (`?f.when` of a fact column).
fn prop_of(graph: &KnowledgeGraph, binding: &Binding, prop: &Prop) -> Binding {
    let value = match binding {
        Binding::Entity(e) => Value::Entity(*e),
        Binding::Fact(f) => Value::Fact(*f),
        _ => return Binding::Unbound,
    };
    let operand = ROperand::Prop(0, prop.clone());
    cell(graph, &operand, &[Some(value)]).map_or(Binding::Unbound, |c| binding_of(graph, c))
}

/// `rows` in answer order; `counts` holds each row's matches when the rows are groups.
pub fn order_rows(
    graph: &KnowledgeGraph,
    rows: Vec<MatchRow>,
    counts: Vec<usize>,
    order: &[ROrder],
) -> Vec<MatchRow> {
    let mut keyed: Vec<(MatchRow, usize)> = rows
        .into_iter()
        .zip(counts.into_iter().chain(std::iter::repeat(0)))
        .collect();
    let by_values = |a: &MatchRow, b: &MatchRow| {
        a.values
            .iter()
            .zip(&b.values)
            .map(|(x, y)| binding_order(graph, x, y))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    };
    keyed.sort_by(|a, b| by_values(&a.0, &b.0));
    if order.is_empty() {
        return keyed.into_iter().map(|(r, _)| r).collect();
    }
    let keys = |row: &MatchRow, count: usize| -> Vec<Binding> {
        order
            .iter()
            .map(|k| match k {
                ROrder::Count { .. } => Binding::Number(count),
                ROrder::Column { column, prop, .. } => {
                    let value = row.values.get(*column).cloned().unwrap_or(Binding::Unbound);
                    match prop {
                        Some(p) => prop_of(graph, &value, p),
                        None => value,
                    }
                }
            })
            .collect()
    };
    let mut with_keys: Vec<(Vec<Binding>, MatchRow)> = keyed
        .into_iter()
        .map(|(row, count)| (keys(&row, count), row))
        .collect();
    with_keys.sort_by(|(a, _), (b, _)| {
        for ((x, y), k) in a.iter().zip(b).zip(order) {
            let descending = match k {
                ROrder::Count { descending } | ROrder::Column { descending, .. } => *descending,
            };
            let o = binding_order(graph, x, y);
            let o = if descending { o.reverse() } else { o };
            if o.is_ne() {
                return o;
            }
        }
        Ordering::Equal
    });
    with_keys.into_iter().map(|(_, r)| r).collect()
}
