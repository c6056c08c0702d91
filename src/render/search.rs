//! `search` answers as JSON and as tables: each hit with its score, the text it was found in
//! with the matched words marked, and the fact or entity it belongs to.

use super::json::{entity_json, fact_json};
use super::table::Table;
use super::{name, when};
use crate::graph::KnowledgeGraph;
use crate::query::eval::search::SearchHit;
use crate::query::TimeScope;
use crate::search_index::{marks, Text};
use serde_json::{json, Map, Value};

/// The text a hit was found in, as one string: a name and its aliases are joined by `; `.
pub(crate) fn hit_text(graph: &KnowledgeGraph, text: Text) -> String {
    text.pieces(&graph.model).join("; ")
}

/// `text` with each run of matched words in `[` `]`.
pub(crate) fn marked(text: &str, terms: &[String]) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut at = 0;
    for range in marks(text, terms) {
        out.push_str(&text[at..range.start]);
        out.push('[');
        out.push_str(&text[range.clone()]);
        out.push(']');
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

pub(super) fn search_json(
    graph: &KnowledgeGraph,
    text: &str,
    terms: &[String],
    hits: &[SearchHit],
    total: usize,
    time: TimeScope,
) -> Map<String, Value> {
    let model = &graph.model;
    let hits: Vec<Value> = hits
        .iter()
        .enumerate()
        .map(|(i, hit)| {
            let found = hit_text(graph, hit.text);
            let mut out = Map::new();
            out.insert("rank".into(), Value::from(i + 1));
            out.insert("score".into(), Value::from(hit.score_milli as f64 / 1000.0));
            out.insert("phrase".into(), Value::Bool(hit.phrase));
            out.insert(
                "field".into(),
                Value::String(hit.text.field().name().into()),
            );
            out.insert("marked".into(), Value::String(marked(&found, terms)));
            match hit.text {
                Text::Quote(f) | Text::Note(f) => {
                    let fact = model.fact(f);
                    out.insert("subject".into(), entity_json(graph, fact.subject));
                    out.insert(
                        "relation".into(),
                        Value::String(model.relation(fact.relation).name.clone()),
                    );
                    out.insert("object".into(), entity_json(graph, fact.object));
                    out.insert("fact".into(), fact_json(graph, f, time));
                }
                Text::Name(e) => {
                    let mut entity = entity_json(graph, e);
                    if let Value::Object(map) = &mut entity {
                        map.insert("aliases".into(), json!(model.entity(e).aliases()));
                    }
                    out.insert("entity".into(), entity);
                }
            }
            Value::Object(out)
        })
        .collect();
    let mut out = Map::new();
    out.insert("text".into(), Value::String(text.to_string()));
    out.insert("terms".into(), json!(terms));
    out.insert("total".into(), Value::from(total));
    out.insert("hits".into(), Value::Array(hits));
    out
}

pub(super) fn search_table(graph: &KnowledgeGraph, terms: &[String], hits: &[SearchHit]) -> Table {
    let model = &graph.model;
    let headers = [
        "rank", "score", "field", "subject", "relation", "object", "entity", "kind", "marked",
        "when", "source", "origin",
    ];
    let rows = hits
        .iter()
        .enumerate()
        .map(|(i, hit)| {
            let mut row = vec![
                (i + 1).to_string(),
                hit.score_text(),
                hit.text.field().name().to_string(),
            ];
            match hit.text {
                Text::Quote(f) | Text::Note(f) => {
                    let fact = model.fact(f);
                    row.extend([
                        name(graph, fact.subject).to_string(),
                        model.relation(fact.relation).name.clone(),
                        name(graph, fact.object).to_string(),
                        String::new(),
                        String::new(),
                    ]);
                }
                Text::Name(e) => row.extend([
                    String::new(),
                    String::new(),
                    String::new(),
                    model.entity(e).id.clone(),
                    model.entity(e).kind.to_string(),
                ]),
            }
            row.push(marked(&hit_text(graph, hit.text), terms));
            match hit.text.fact() {
                Some(f) => row.extend([
                    when(graph, f),
                    model.source(model.fact(f).source).id.clone(),
                    model.origin_text(model.fact(f).origin),
                ]),
                None => row.extend([String::new(), String::new(), String::new()]),
            }
            row
        })
        .collect();
    Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}
