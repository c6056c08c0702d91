//! `match` with clauses: the join's matches, then blocks, late conditions, groups or the `select`
//! projection, order and page, in that order (see `group.rs` and `order.rs` for two of the steps).
//!
//! Conditions on the patterns' own variables are checked inside the join as soon as their
//! variables are bound; only those that read a variable of an `optional` block wait for the
//! blocks. Each `not` or `optional` block is a join per match, seeded with the match's values:
//! its cost is the matches times the block's own join.

use super::answer::{Answer, Binding, MatchRow};
use super::distinct::Budget;
use super::group::group_rows;
use super::join::{merge_facts, spent, Extras, Filter, Join, Mode, Solution, Stop, RAISE};
use super::order::order_rows;
use super::resolve::{RBlock, RClauses, RPattern};
use super::{filter, EvalError, Evaluator};
use hashbrown::HashMap;

/// The answer of a `match` with clauses.
pub fn rich_match(
    ev: &mut Evaluator<'_>,
    patterns: &[RPattern],
    vars: &[String],
    select: &[usize],
    count: bool,
    clauses: &RClauses,
) -> Result<Answer, EvalError> {
    let all: Vec<usize> = (0..vars.len()).collect();
    let mut budget = Budget::new(ev.memory_limit());
    let bound_by_patterns = bound_vars(patterns, &clauses.facts, vars.len());
    let (pushed, late): (Vec<_>, Vec<_>) = clauses
        .filters
        .iter()
        .map(|cond| {
            let mut vs = Vec::new();
            cond.vars(&mut vs);
            Filter { vars: vs, cond }
        })
        .partition(|f| f.vars.iter().all(|&v| bound_by_patterns[v]));
    let extras = Extras {
        fact_vars: &clauses.facts,
        filters: pushed,
        seed: None,
    };
    let mut join =
        Join::new(ev.graph, patterns, &all, vars.len(), Mode::Solutions).with_extras(extras);
    join.run(ev, &mut budget)?;
    let mut note = stop_note(join.stop, &budget);
    let mut solutions = join.take_solutions();
    for block in &clauses.blocks {
        solutions = apply_block(ev, &mut budget, block, solutions, &all, &mut note)?;
    }
    let graph = ev.graph;
    if !late.is_empty() {
        solutions.retain(|s| {
            late.iter()
                .all(|f| filter::holds(graph, f.cond, &s.values) == Some(true))
        });
    }
    let (columns, mut rows, counts) = match &clauses.group {
        Some(group) => {
            let (rows, counts) = group_rows(graph, group, select, &solutions);
            let columns = select.iter().map(|&i| group.columns[i].clone()).collect();
            (columns, rows, counts)
        }
        None => {
            let columns = select.iter().map(|&i| vars[i].clone()).collect();
            (columns, project(select, &solutions), Vec::new())
        }
    };
    rows = order_rows(graph, rows, counts, &clauses.order);
    let rows: Vec<MatchRow> = rows
        .into_iter()
        .skip(clauses.offset)
        .take(clauses.limit.unwrap_or(usize::MAX))
        .collect();
    if count {
        return Ok(Answer::Count {
            columns,
            count: rows.len(),
            truncated: note.take(),
        });
    }
    Ok(Answer::Match {
        columns,
        rows,
        truncated: note,
    })
}

/// Which variables the main patterns bind (the others belong to blocks).
fn bound_vars(patterns: &[RPattern], facts: &[Option<usize>], vars: usize) -> Vec<bool> {
    let mut bound = vec![false; vars];
    for p in patterns {
        for v in super::join::vars_of(p).into_iter().flatten() {
            bound[v] = true;
        }
    }
    for v in facts.iter().flatten() {
        bound[*v] = true;
    }
    bound
}

fn stop_note(stop: Option<Stop>, budget: &Budget) -> Option<String> {
    match stop {
        Some(Stop::Memory) | Some(Stop::Rows(_)) => Some(format!(
            "stopped early: {}; add a pattern or name an entity to narrow the match, or {RAISE}",
            spent(budget)
        )),
        Some(Stop::Found) | None => None,
    }
}

/// Keeps the matches a `not` block finds nothing for, or extends each match by an `optional`
/// block's matches (keeping it as it is when there are none).
fn apply_block(
    ev: &mut Evaluator<'_>,
    budget: &mut Budget,
    block: &RBlock,
    solutions: Vec<Solution>,
    all: &[usize],
    note: &mut Option<String>,
) -> Result<Vec<Solution>, EvalError> {
    let mut out = Vec::with_capacity(solutions.len());
    for solution in solutions {
        let filters = block
            .filters
            .iter()
            .map(|cond| {
                let mut vs = Vec::new();
                cond.vars(&mut vs);
                Filter { vars: vs, cond }
            })
            .collect();
        let extras = Extras {
            fact_vars: &block.facts,
            filters,
            seed: Some(&solution.values),
        };
        let mode = if block.negated {
            Mode::Exists
        } else {
            Mode::Solutions
        };
        let mut join =
            Join::new(ev.graph, &block.patterns, all, all.len(), mode).with_extras(extras);
        join.run(ev, budget)?;
        if join.stop == Some(Stop::Memory) {
            note.get_or_insert_with(|| stop_note(Some(Stop::Memory), budget).unwrap_or_default());
        }
        let found = join.take_solutions();
        let exists = join.stop == Some(Stop::Found);
        join.release(budget);
        match (block.negated, found.is_empty()) {
            (true, _) if exists => {}
            (true, _) | (false, true) => out.push(solution),
            (false, false) => {
                for mut more in found {
                    let mut facts = solution.facts.clone();
                    merge_facts(&mut facts, &more.facts);
                    more.facts = facts;
                    out.push(more);
                }
            }
        }
    }
    Ok(out)
}

/// The distinct rows over `select`, each with the facts of every match behind it.
fn project(select: &[usize], solutions: &[Solution]) -> Vec<MatchRow> {
    let mut index: HashMap<Vec<Option<u32>>, usize> = HashMap::new();
    let mut rows: Vec<MatchRow> = Vec::new();
    for s in solutions {
        let key: Vec<Option<u32>> = select
            .iter()
            .map(|&i| s.values[i].map(|v| v.id()))
            .collect();
        match index.get(&key) {
            Some(&i) => merge_facts(&mut rows[i].facts, &s.facts),
            None => {
                index.insert(key, rows.len());
                rows.push(MatchRow {
                    values: select
                        .iter()
                        .map(|&i| s.values[i].map_or(Binding::Unbound, |v| v.binding()))
                        .collect(),
                    facts: s.facts.clone(),
                });
            }
        }
    }
    rows
}
