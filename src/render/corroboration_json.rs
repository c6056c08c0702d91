//! Corroboration in JSON: the sources of a claim, which of them are independent, and how their
//! dates agree; and every fact behind each hop of a path.

use super::json::{fact_json, step_json};
use crate::date::{iso_day, Interval, When};
use crate::graph::corroboration::{corroborate, same_claim, Dates};
use crate::graph::KnowledgeGraph;
use crate::model::FactId;
use crate::query::answer::Step;
use crate::query::TimeScope;
use serde_json::{json, Map, Value};

/// `{"sources": [...], "independent": [[...], ...], "shared_origins": [...], "dates": ...}` for
/// the facts of one claim; `dates` is null when none is dated.
pub fn corroboration_json(graph: &KnowledgeGraph, facts: &[FactId]) -> Value {
    let model = &graph.model;
    let c = corroborate(model, facts);
    let source_id = |s| model.source(s).id.clone();
    let dates = match &c.dates {
        Dates::Undated => Value::Null,
        Dates::Agree { stated, narrowed } => {
            let mut v = days_json(stated, *narrowed);
            v.insert("agree".into(), Value::Bool(true));
            Value::Object(v)
        }
        Dates::Disagree { groups, on } => {
            let groups: Vec<Value> = groups
                .iter()
                .map(|g| {
                    let mut v = days_json(&g.stated, g.narrowed);
                    let sources: Vec<String> = g.sources.iter().map(|&s| source_id(s)).collect();
                    v.insert("sources".into(), json!(sources));
                    Value::Object(v)
                })
                .collect();
            json!({"agree": false, "on": on.name(), "groups": groups})
        }
    };
    let independent: Vec<Vec<String>> = c
        .independent
        .iter()
        .map(|g| g.iter().map(|&s| source_id(s)).collect())
        .collect();
    let sources: Vec<String> = c.sources.iter().map(|&s| source_id(s)).collect();
    let origins: Vec<&str> = c
        .shared_origins
        .iter()
        .map(|&e| model.entity(e).id.as_str())
        .collect();
    json!({
        "sources": sources,
        "independent_sources": independent.len(),
        "independent": independent,
        "shared_origins": origins,
        "dates": dates,
    })
}

/// The stated dates and the days they narrow to.
fn days_json(stated: &[When], narrowed: Interval) -> Map<String, Value> {
    let stated: Vec<String> = stated.iter().map(ToString::to_string).collect();
    let mut v = Map::new();
    v.insert("stated".into(), json!(stated));
    v.insert("earliest".into(), json!(iso_day(narrowed.first)));
    v.insert("latest".into(), json!(iso_day(narrowed.last)));
    v
}

/// A hop of a path: the step walked, and under `also` the facts of other sources stating it.
pub fn hop_json(graph: &KnowledgeGraph, step: Step, time: TimeScope) -> Value {
    let mut hop = step_json(graph, step, time);
    let also: Vec<Value> = same_claim(graph, step.fact)
        .into_iter()
        .filter(|&f| f != step.fact)
        .map(|f| fact_json(graph, f, time))
        .collect();
    if let (Value::Object(map), false) = (&mut hop, also.is_empty()) {
        map.insert("also".into(), Value::Array(also));
    }
    hop
}
