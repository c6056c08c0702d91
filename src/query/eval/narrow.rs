//! Periods pushed into the search: the facts a pattern or a timeline may read when the query's
//! `during`, or a `where ?f.when during/before/after` on the pattern's fact, confines them to a
//! period, taken from the graph's time index instead of a scan of the relation or the graph.
//!
//! The index only chooses which facts are read. Every fact it yields still passes the same checks
//! as a scanned one (`Evaluator::holds`, the `where` conditions), and it yields them in the order
//! the scan would, so answers are the same with and without it; a property test compares them.

use super::filter::RCond;
use super::join::Filter;
use super::Evaluator;
use crate::date::{Day, Interval};
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, FactId, RelationId};
use crate::query::ast::{DateOp, Prop};
use crate::query::eval::filter::ROperand;

/// The periods a pattern's facts must meet: the query's `during`, and each date condition of the
/// `where` conjuncts on the pattern's fact variable.
pub(super) fn periods(
    during: Option<Interval>,
    filters: &[Filter<'_>],
    fact_var: Option<usize>,
) -> Vec<Interval> {
    let conditions = filters.iter().filter_map(|f| match f.cond {
        RCond::Date {
            left: ROperand::Prop(v, Prop::When),
            op,
            period,
            ..
        } if Some(*v) == fact_var => Some(must_meet(*op, *period)),
        _ => None,
    });
    during.into_iter().chain(conditions).collect()
}

/// The days a fact's own days must meet for a date condition to hold (see
/// [`super::filter::date_holds`]): the period for `during`; the days before its first for
/// `before`, whose earliest day must come before it; the days after its last for `after`. The
/// `certainly` forms ask more, so they meet these days too.
fn must_meet(op: DateOp, period: Interval) -> Interval {
    // No day before `Day::MIN` or after `Day::MAX`: an empty interval, which no fact meets.
    let empty = Interval {
        first: Day::MAX,
        last: Day::MIN,
    };
    match op {
        DateOp::During => period,
        DateOp::Before => period.first.checked_sub(1).map_or(empty, |last| Interval {
            first: Day::MIN,
            last,
        }),
        DateOp::After => period.last.checked_add(1).map_or(empty, |first| Interval {
            first,
            last: Day::MAX,
        }),
    }
}

/// The facts of `relations` (every loaded fact when `None`) that meet the most selective of
/// `periods`, in the order a scan reads them: relation by relation, each in fact order, or all in
/// fact order. `None` when no period is set, a relation is derived (not indexed), or the index
/// would read more than half of the `scanned` facts, where a scan is as quick.
pub(super) fn indexed(
    graph: &KnowledgeGraph,
    relations: Option<&[RelationId]>,
    periods: &[Interval],
    scanned: usize,
) -> Option<Vec<FactId>> {
    if periods.is_empty() {
        return None;
    }
    let model = &graph.model;
    let every = relations.is_none();
    let all: Vec<RelationId>;
    let relations = match relations {
        Some(rs) if rs.iter().any(|&r| model.is_derived_relation(r)) => return None,
        Some(rs) => rs,
        None => {
            all = (0..model.relations.len() as u32).map(RelationId).collect();
            &all
        }
    };
    let index = graph.time_index();
    let (estimate, period) = periods
        .iter()
        .map(|&p| (relations.iter().map(|&r| index.estimate(r, p)).sum(), p))
        .min_by_key(|&(estimate, _): &(usize, Interval)| estimate)?;
    if estimate.saturating_mul(2) > scanned {
        return None;
    }
    let mut facts = Vec::with_capacity(estimate);
    for &r in relations {
        index.overlapping(r, period, &mut facts);
    }
    if every {
        facts.sort_unstable();
    }
    Some(facts)
}

/// The facts `timeline` reads under a `during` period (and its own `from`/`to` window): those of
/// `entity`, or every loaded fact, that meet the period, in fact order. `None` when the query sets
/// no `during` (undated facts are then counted, which the index does not hold) or the index is no
/// quicker than reading the `scanned` candidates.
pub(super) fn timeline(
    ev: &Evaluator<'_>,
    entity: Option<EntityId>,
    window: Interval,
    scanned: usize,
) -> Option<Vec<FactId>> {
    if !ev.uses_time_index() {
        return None;
    }
    let during = ev.scope.during?.interval();
    let graph = ev.graph;
    let mut facts = indexed(graph, None, &[during, window], scanned)?;
    if let Some(e) = entity {
        let model = &graph.model;
        facts.retain(|&f| {
            let fact = model.fact(f);
            fact.subject == e || fact.object == e
        });
    }
    Some(facts)
}
