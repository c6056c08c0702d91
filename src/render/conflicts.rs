//! Conflicts in words, for every place that shows them: text answers, JSON, tables, and the
//! diagnostics of `check --conflicts`. One headline per kind, so all of them say the same.

use super::fact_json;
use crate::diagnostic::{Diagnostic, Location};
use crate::graph::conflict_kind::ConflictKind;
use crate::graph::KnowledgeGraph;
use crate::model::{grade_text, EntityId, FactId, Model};
use crate::query::eval::conflicts::Conflict;
use crate::query::TimeScope;
use serde_json::{json, Map, Value};

fn entity(model: &Model, e: EntityId) -> &str {
    &model.entity(e).name
}

fn relation(model: &Model, f: FactId) -> &str {
    &model.relation(model.fact(f).relation).name
}

/// What is wrong, in one line.
pub fn headline(model: &Model, c: &Conflict) -> String {
    let a = model.fact(c.first);
    let second = c.second.map(|f| (f, model.fact(f)));
    match (c.kind, second) {
        (ConflictKind::HeldAlready, Some((g, b))) => format!(
            "{} `{}` {}, which it already held",
            entity(model, b.subject),
            relation(model, g),
            entity(model, b.object)
        ),
        (ConflictKind::TwoHolders, Some((_, b))) => format!(
            "{} and {} both held {} on the same days",
            entity(model, a.subject),
            entity(model, b.subject),
            entity(model, a.object)
        ),
        (ConflictKind::EndedEarly, Some((g, b))) => format!(
            "{} `{}` {} while {} says {} still held it",
            entity(model, b.subject),
            relation(model, g),
            entity(model, b.object),
            model.source(a.source).publisher,
            entity(model, a.subject)
        ),
        (ConflictKind::Contradictory, Some((g, _))) => format!(
            "{} `{}` and `{}` {} at dates that meet",
            entity(model, a.subject),
            relation(model, c.first),
            relation(model, g),
            entity(model, a.object)
        ),
        (ConflictKind::DisjointDates, Some((g, b))) => {
            let relations = if a.relation == b.relation {
                format!("`{}`", relation(model, g))
            } else {
                format!("`{}` / `{}`", relation(model, c.first), relation(model, g))
            };
            format!(
                "{} {relations} {} is dated on days that cannot meet",
                entity(model, a.subject),
                entity(model, a.object)
            )
        }
        _ => format!(
            "{} `{}` {} is dated after its source was published ({})",
            entity(model, a.subject),
            relation(model, c.first),
            entity(model, a.object),
            model.source(a.source).published
        ),
    }
}

/// `ISIL -recaptured-> Tadmor 2016-12`.
pub fn statement(model: &Model, f: FactId) -> String {
    let fact = model.fact(f);
    let when = fact
        .when
        .map(|w| format!(" {}", w.shown()))
        .unwrap_or_default();
    format!(
        "{} -{}-> {}{when}",
        entity(model, fact.subject),
        relation(model, f),
        entity(model, fact.object)
    )
}

/// `fictional_courier: The Fictional Courier [D3], published 2017-01-10`: the source's id,
/// publisher, grades and date.
pub fn source_line(model: &Model, f: FactId) -> String {
    let fact = model.fact(f);
    let s = model.source(fact.source);
    let grade = grade_text(s.reliability, model.words(f).credibility)
        .map(|g| format!(" [{g}]"))
        .unwrap_or_default();
    format!(
        "{}: {}{grade}, published {}",
        s.id, s.publisher, s.published
    )
}

pub fn conflicts_json(
    graph: &KnowledgeGraph,
    entity: Option<EntityId>,
    conflicts: &[Conflict],
    time: TimeScope,
) -> Map<String, Value> {
    let model = &graph.model;
    let list: Vec<Value> = conflicts
        .iter()
        .map(|c| {
            let facts: Vec<Value> = c
                .facts()
                .map(|f| {
                    let fact = model.fact(f);
                    let source = model.source(fact.source);
                    json!({
                        "subject": super::json::entity_json(graph, fact.subject),
                        "relation": relation(model, f),
                        "object": super::json::entity_json(graph, fact.object),
                        "publisher": source.publisher,
                        "published": source.published.to_string(),
                        "evidence": fact_json(graph, f, time),
                    })
                })
                .collect();
            json!({"kind": c.kind.name(), "text": headline(model, c), "facts": facts})
        })
        .collect();
    let mut out = Map::new();
    out.insert(
        "entity".into(),
        entity.map_or(Value::Null, |e| super::json::entity_json(graph, e)),
    );
    out.insert("conflicts".into(), Value::Array(list));
    out
}

/// One row per fact of a conflict: the conflict's number and kind, the fact, its source.
pub fn conflicts_table(model: &Model, conflicts: &[Conflict]) -> super::Table {
    let headers = [
        "conflict",
        "kind",
        "subject",
        "relation",
        "object",
        "when",
        "source",
        "publisher",
        "published",
        "reliability",
        "credibility",
        "quote",
        "file",
        "line",
    ];
    let mut rows = Vec::new();
    for (n, c) in conflicts.iter().enumerate() {
        for f in c.facts() {
            let fact = model.fact(f);
            let s = model.source(fact.source);
            rows.push(vec![
                (n + 1).to_string(),
                c.kind.name().to_string(),
                model.entity(fact.subject).id.clone(),
                relation(model, f).to_string(),
                model.entity(fact.object).id.clone(),
                fact.when.map(|w| w.to_string()).unwrap_or_default(),
                s.id.clone(),
                s.publisher.clone(),
                s.published.to_string(),
                s.reliability.map(|r| r.to_string()).unwrap_or_default(),
                model
                    .words(f)
                    .credibility
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
                model.quote(f).to_string(),
                model
                    .files
                    .get(fact.origin.file as usize)
                    .cloned()
                    .unwrap_or_default(),
                fact.origin.line.to_string(),
            ]);
        }
    }
    super::Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}

/// Each conflict as an error at its later fact (the fact itself when its date is the problem),
/// with both facts, their sources and their quotes in notes. `texts` holds the loaded files' texts
/// by file number, to point at a fact's line and column; a file without one is only named. Cost:
/// one pass over each file to find its lines, then O(1) per conflict.
pub fn diagnostics(
    model: &Model,
    conflicts: &[Conflict],
    texts: &[Option<String>],
) -> Vec<Diagnostic> {
    let line_starts: Vec<Option<Vec<usize>>> = texts
        .iter()
        .map(|t| {
            t.as_ref().map(|text| {
                std::iter::once(0)
                    .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
                    .collect()
            })
        })
        .collect();
    conflicts
        .iter()
        .map(|c| {
            let at = c.second.unwrap_or(c.first);
            let mut d = Diagnostic::error(format!("conflict: {}", headline(model, c)))
                .at(location(model, at, texts, &line_starts))
                .label(format!(
                    "{}, stated by `{}`",
                    c.kind.name(),
                    model.source(model.fact(at).source).id
                ));
            for f in c.facts() {
                d = d.note(format!(
                    "{}: {}, from {}: \"{}\"",
                    model.origin_text(model.fact(f).origin),
                    statement(model, f),
                    source_line(model, f),
                    model.quote(f)
                ));
            }
            d
        })
        .collect()
}

/// Where a fact's record starts: its line, at its first non-blank character.
fn location(
    model: &Model,
    f: FactId,
    texts: &[Option<String>],
    line_starts: &[Option<Vec<usize>>],
) -> Location {
    let origin = model.fact(f).origin;
    let i = origin.file as usize;
    let file = model.files.get(i).map_or("?", String::as_str);
    let (Some(Some(text)), Some(Some(starts))) = (texts.get(i), line_starts.get(i)) else {
        return Location::file_only(file);
    };
    let Some(&line_start) = starts.get((origin.line as usize).saturating_sub(1)) else {
        return Location::file_only(file);
    };
    let line_end = memchr::memchr(b'\n', &text.as_bytes()[line_start..])
        .map_or(text.len(), |n| line_start + n);
    let line = &text[line_start..line_end];
    let start = line_start + (line.len() - line.trim_start_matches([' ', '\t']).len());
    // Located in its line alone, so that no line before it is counted again.
    let column = start - line_start;
    let mut location = Location::from_span(file, line, column..column + 1);
    location.line = origin.line as usize;
    location
}
