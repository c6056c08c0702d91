//! `match ... count`: the number of distinct rows, from the join of `join.rs` keeping only the set
//! that tells rows apart (about 14 bytes a row of two values) and no row itself.
//!
//! Patterns that share no variable form independent groups, and the rows of their cross product
//! are every combination of the groups' rows: each group is counted alone, within the whole
//! memory limit, and the counts multiplied, so no cross product is ever walked.

use super::answer::Answer;
use super::distinct::Budget;
use super::join::{spent, vars_of, Join, Mode, Stop, RAISE};
use super::resolve::RPattern;
use super::{EvalError, Evaluator};
use petgraph::unionfind::UnionFind;

/// The number of distinct rows of a match over the variables `select`, with a note when it is
/// only a lower bound.
pub fn count(
    ev: &mut Evaluator<'_>,
    patterns: &[RPattern],
    vars: &[String],
    select: &[usize],
) -> Result<Answer, EvalError> {
    let (count, truncated) = count_rows(ev, patterns, vars.len(), select)?;
    Ok(Answer::Count {
        columns: select.iter().map(|&i| vars[i].clone()).collect(),
        count,
        truncated,
    })
}

/// Distinct rows over `select`, and a note when the number is a lower bound. Groups of patterns
/// that share no variable are counted one at a time, each in the whole budget, and multiplied: the
/// rows of a cross product are every combination of its groups' rows.
fn count_rows(
    ev: &mut Evaluator<'_>,
    patterns: &[RPattern],
    vars: usize,
    select: &[usize],
) -> Result<(usize, Option<String>), EvalError> {
    let mut budget = Budget::new(ev.memory_limit());
    let groups = independent_groups(patterns, vars);
    if groups.len() == 1 {
        let mut join = Join::new(ev.graph, patterns, select, vars, Mode::Count);
        join.run(ev, &mut budget)?;
        let note = (join.stop == Some(Stop::Memory)).then(|| {
            format!(
                "stopped counting at {} distinct rows: {}; narrow the match, or {RAISE}",
                join.seen.len(),
                spent(&budget)
            )
        });
        return Ok((join.seen.len(), note));
    }
    let mut product = Some(1usize);
    let mut log10 = 0.0f64;
    let mut stopped = false;
    for group in &groups {
        let members: Vec<RPattern> = group.iter().map(|&i| patterns[i].clone()).collect();
        let used: Vec<usize> = members.iter().flat_map(vars_of).flatten().collect();
        let columns: Vec<usize> = select
            .iter()
            .copied()
            .filter(|v| used.contains(v))
            .collect();
        // A group with no selected variable adds no column: all it decides is whether any row
        // exists at all.
        let mode = if columns.is_empty() {
            Mode::Exists
        } else {
            Mode::Count
        };
        let mut join = Join::new(ev.graph, &members, &columns, vars, mode);
        join.run(ev, &mut budget)?;
        let n = join.seen.len();
        let cut = join.stop == Some(Stop::Memory);
        stopped |= cut;
        join.release(&mut budget);
        if n == 0 && !cut {
            // One empty group empties the product, however far the others were counted.
            return Ok((0, None));
        }
        product = product.and_then(|p| p.checked_mul(n));
        log10 += (n as f64).log10();
    }
    let note = match (stopped, product) {
        (true, _) => Some(format!(
            "a count of one group of patterns stopped: {}, so the count is at least this; narrow \
             the match, or {RAISE}",
            spent(&budget)
        )),
        (false, None) => Some(format!(
            "the count is about {}, more than a count can hold: {} groups of patterns share no \
             variable, and their counts multiply",
            scientific(log10),
            groups.len()
        )),
        (false, Some(_)) => None,
    };
    Ok((product.unwrap_or(usize::MAX), note))
}

/// `10^log10` as `4.6e45`.
fn scientific(log10: f64) -> String {
    let exponent = log10.floor();
    format!("{:.1}e{exponent}", 10f64.powf(log10 - exponent))
}

/// The patterns in groups that share no variable, each group in pattern order, groups in order of
/// their first pattern.
fn independent_groups(patterns: &[RPattern], vars: usize) -> Vec<Vec<usize>> {
    let mut sets = UnionFind::<usize>::new(patterns.len());
    let mut first_use: Vec<Option<usize>> = vec![None; vars];
    for (i, p) in patterns.iter().enumerate() {
        for v in vars_of(p).into_iter().flatten() {
            match first_use.get_mut(v) {
                Some(Some(first)) => {
                    sets.union(*first, i);
                }
                Some(slot) => *slot = Some(i),
                None => {}
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of_root: Vec<Option<usize>> = vec![None; patterns.len()];
    for i in 0..patterns.len() {
        let root = sets.find(i);
        let g = *group_of_root[root].get_or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::KnowledgeGraph;
    use crate::query::eval::join::tests::{bundled, resolved};
    use crate::query::eval::CancelToken;
    use crate::query::TimeScope;

    /// Counts by walking every row of the whole match, however many groups it has.
    fn walked(graph: &KnowledgeGraph, text: &str, memory: u64) -> (usize, Option<Stop>) {
        let (patterns, vars, select) = resolved(graph, text);
        let cancel = CancelToken::new();
        let mut ev = Evaluator::new(graph, TimeScope::default(), &cancel).with_memory_limit(memory);
        let mut budget = Budget::new(ev.memory_limit());
        let mut join = Join::new(graph, &patterns, &select, vars, Mode::Count);
        join.run(&mut ev, &mut budget).unwrap();
        (join.seen.len(), join.stop)
    }

    fn counted(graph: &KnowledgeGraph, text: &str, memory: u64) -> (usize, Option<String>) {
        let (patterns, vars, select) = resolved(graph, text);
        let cancel = CancelToken::new();
        let mut ev = Evaluator::new(graph, TimeScope::default(), &cancel).with_memory_limit(memory);
        count_rows(&mut ev, &patterns, vars, &select).unwrap()
    }

    #[test]
    fn counts_of_groups_that_share_no_variable_multiply() {
        let graph = bundled();
        for text in [
            "match ?a besieges ?b, ?c ?r ?d count",
            "match ?a besieges ?b, ?c ?r ?d select ?a, ?d count",
            "match ?a ?r ?b, ISIL ?s ?c, ?c located_in ?d select ?r, ?d count",
            "match ?x held ?y, ?z located_in ?w select ?x count",
            "match ?x held ?y, ISIL besieges ?w, Russia ?r ?v select ?v, ?y count",
        ] {
            let (product, note) = counted(&graph, text, 1 << 30);
            let (rows, stop) = walked(&graph, text, 1 << 30);
            assert_eq!((product, note, stop), (rows, None, None), "{text}");
            assert!(rows > 0, "{text}");
        }
        // One empty group empties the product.
        let text = "match ?a ?r ?b, Homs besieges ?x count";
        assert_eq!(counted(&graph, text, 1 << 30), (0, None));
        assert_eq!(walked(&graph, text, 1 << 30).0, 0);
    }

    #[test]
    fn a_cross_product_too_large_to_count_says_so() {
        let graph = bundled();
        let patterns: Vec<String> = (0..20).map(|i| format!("?a{i} ?r{i} ?b{i}")).collect();
        let (count, note) = counted(
            &graph,
            &format!("match {} count", patterns.join(", ")),
            1 << 20,
        );
        assert_eq!(count, usize::MAX);
        let note = note.unwrap();
        assert!(
            note.contains("more than a count can hold") && note.contains("20 groups"),
            "{note}"
        );
        let (one, _) = counted(&graph, "match ?a ?r ?b count", 1 << 20);
        let exponent = (one as f64).powi(20).log10().floor();
        assert!(note.contains(&format!("e{exponent}")), "{note} ({one}^20)");
    }

    #[test]
    fn a_count_stops_at_the_memory_budget_with_a_note() {
        let graph = bundled();
        // A star of six patterns around one variable: every hub's degree to the sixth power.
        let star = "match ?a ?r ?b, ?a ?s ?c, ?a ?t ?d, ?a ?u ?e, ?a ?v ?f, ?a ?w ?g count";
        let (count, note) = counted(&graph, star, 1 << 20);
        let note = note.unwrap();
        assert!(
            note.starts_with(&format!(
                "stopped counting at {count} distinct rows: the query reached its memory limit of 1MB"
            )),
            "{note}"
        );
        // A row holds 13 values: a megabyte holds some thousands, minus what doubling leaves unused.
        assert!((5_000..20_000).contains(&count), "{count}");
        let (more, _) = counted(&graph, star, 4 << 20);
        assert!(more > 2 * count, "{more} rows in 4MB, {count} in 1MB");
    }
}
