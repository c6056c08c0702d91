//! `group by`: the matches gathered by the values of their keys, one row per group with its
//! aggregates, and every fact of the group as its evidence.

use super::answer::{Binding, MatchRow};
use super::filter::{binding_of, binding_order, cell, ROperand};
use super::join::{merge_facts, Solution};
use super::resolve::{RAggregate, RGroup};
use crate::graph::KnowledgeGraph;
use hashbrown::{HashMap, HashSet};

/// The value an operand reads in a match, as an answer shows it.
fn value(graph: &KnowledgeGraph, operand: &ROperand, s: &Solution) -> Binding {
    cell(graph, operand, &s.values).map_or(Binding::Unbound, |c| binding_of(graph, c))
}

/// One row per group (keys, then aggregates, as `select` picks them), in the order groups were
/// first met, and the number of matches in each.
pub fn group_rows(
    graph: &KnowledgeGraph,
    group: &RGroup,
    select: &[usize],
    solutions: &[Solution],
) -> (Vec<MatchRow>, Vec<usize>) {
    let mut index: HashMap<Vec<Binding>, usize> = HashMap::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut keys: Vec<Vec<Binding>> = Vec::new();
    for (i, s) in solutions.iter().enumerate() {
        let key: Vec<Binding> = group.keys.iter().map(|k| value(graph, k, s)).collect();
        match index.get(&key) {
            Some(&g) => members[g].push(i),
            None => {
                index.insert(key.clone(), members.len());
                members.push(vec![i]);
                keys.push(key);
            }
        }
    }
    let mut rows = Vec::with_capacity(keys.len());
    let mut counts = Vec::with_capacity(keys.len());
    for (key, members) in keys.into_iter().zip(&members) {
        let mut full = key;
        for a in &group.aggregates {
            full.push(aggregate(graph, a, members, solutions));
        }
        let mut facts = Vec::new();
        for &m in members {
            merge_facts(&mut facts, &solutions[m].facts);
        }
        let values = select
            .iter()
            .map(|&i| full.get(i).cloned().unwrap_or(Binding::Unbound))
            .collect();
        rows.push(MatchRow { values, facts });
        counts.push(members.len());
    }
    (rows, counts)
}

fn aggregate(
    graph: &KnowledgeGraph,
    a: &RAggregate,
    members: &[usize],
    solutions: &[Solution],
) -> Binding {
    let values = |o: &ROperand| {
        members
            .iter()
            .map(|&m| value(graph, o, &solutions[m]))
            .filter(|b| *b != Binding::Unbound)
            .collect::<Vec<_>>()
    };
    let least = |vs: Vec<Binding>, most: bool| {
        let pick = if most {
            vs.into_iter().max_by(|a, b| binding_order(graph, a, b))
        } else {
            vs.into_iter().min_by(|a, b| binding_order(graph, a, b))
        };
        pick.unwrap_or(Binding::Unbound)
    };
    match a {
        RAggregate::Count => Binding::Number(members.len()),
        RAggregate::CountDistinct(o) => {
            Binding::Number(values(o).into_iter().collect::<HashSet<_>>().len())
        }
        RAggregate::Min(o) | RAggregate::Sample(o) => least(values(o), false),
        RAggregate::Max(o) => least(values(o), true),
    }
}
