//! The JSON schema of answers: stable field names and order, documented in README.md.

use super::corroboration_json::{corroboration_json, hop_json};
use super::{certainty, ends, label, Context};
use crate::date::Certainty;
use crate::graph::spells::StateSpell;
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, FactId};
use crate::query::answer::{
    Answer, Binding, Holder, MatchRow, NeighborRow, RelationRow, SourceRow, Stats, Step, Transition,
};
use crate::query::eval::notes::Note;
use crate::query::TimeScope;
use serde_json::{json, Map, Value};

pub fn entity_json(graph: &KnowledgeGraph, id: EntityId) -> Value {
    let e = graph.model.entity(id);
    json!({"id": e.id, "name": e.name, "kind": e.kind.name()})
}

/// The evidence behind one edge: date, source, quote, and where in which fact file it was stated;
/// in a time scope, how surely the fact is in it.
pub fn fact_json(graph: &KnowledgeGraph, id: FactId, time: TimeScope) -> Value {
    let model = &graph.model;
    let f = model.fact(id);
    let mut fact = Map::new();
    let dates = super::dates(graph, id);
    fact.insert("when".into(), json!(dates.when));
    fact.insert("earliest".into(), json!(dates.earliest));
    fact.insert("latest".into(), json!(dates.latest));
    fact.insert("precision".into(), json!(dates.precision));
    fact.insert(
        "source".into(),
        Value::String(model.source(f.source).id.clone()),
    );
    let words = model.words(id);
    // Admiralty grades, only where the curator gave them: most graphs have none.
    if let Some(r) = model.source(f.source).reliability {
        fact.insert("reliability".into(), Value::String(r.to_string()));
    }
    if let Some(c) = words.credibility {
        fact.insert("credibility".into(), Value::from(c.grade()));
    }
    // No quote (an imported triple states none) is null, as no date is, rather than "".
    let quote = Some(words.quote).filter(|q| !q.is_empty());
    fact.insert(
        "quote".into(),
        quote.map_or(Value::Null, |q| Value::String(q.to_string())),
    );
    fact.insert(
        "file".into(),
        Value::String(model.files[f.origin.file as usize].clone()),
    );
    fact.insert("line".into(), Value::from(f.origin.line));
    if !words.reported_by.is_empty() {
        let reporters: Vec<&str> = words
            .reported_by
            .iter()
            .map(|&r| model.entity(r).id.as_str())
            .collect();
        fact.insert("reported_by".into(), json!(reporters));
    }
    if let Some(note) = words.note {
        fact.insert("note".into(), Value::String(note.to_string()));
    }
    if let Some(s) = crate::passage::quote_in_sentence(model, id) {
        let parts = json!({"before": s.before, "quote": s.quote, "after": s.after});
        fact.insert("context".into(), parts);
    }
    certainty_json(&mut fact, certainty(graph, time, id));
    if model.is_contested(id) {
        fact.insert("contested".into(), Value::Bool(true));
    }
    // A derived fact (a spell of a state) rests on the facts that started, ended and corroborated
    // it; the quote and origin above are those of the first.
    if let Some(evidence) = model.derived_from(id) {
        let list: Vec<Value> = evidence
            .iter()
            .map(|&f| fact_json(graph, f, time))
            .collect();
        fact.insert("derived_from".into(), Value::Array(list));
    }
    Value::Object(fact)
}

/// `"certainty": "certain" | "possible" | "last-reported"`, the last with `"last_reported"`, the
/// date the `as of` statement carried forward was made for; nothing outside a time scope.
fn certainty_json(fact: &mut Map<String, Value>, certainty: Option<Certainty>) {
    let Some((word, last)) = certainty.map(super::certainty_word) else {
        return;
    };
    fact.insert("certainty".into(), Value::String(word.into()));
    if let Some(day) = last {
        fact.insert("last_reported".into(), Value::String(day.to_string()));
    }
}

pub(super) fn step_json(graph: &KnowledgeGraph, step: Step, time: TimeScope) -> Value {
    let f = graph.model.fact(step.fact);
    let (from, to) = ends(f, step);
    json!({
        "from": graph.model.entity(from).id,
        "relation": label(graph, step),
        "to": graph.model.entity(to).id,
        "direction": if step.backwards { "backward" } else { "forward" },
        "fact": fact_json(graph, step.fact, time),
    })
}

/// A fact seen from one of its ends: the other end, the relation as read from here, the evidence.
fn edge_json(graph: &KnowledgeGraph, fact: FactId, from_subject: bool, time: TimeScope) -> Value {
    let f = graph.model.fact(fact);
    let other = if from_subject { f.object } else { f.subject };
    let mut v = entity_json(graph, other);
    if let Value::Object(map) = &mut v {
        map.insert(
            "relation".into(),
            Value::String(graph.model.relation(f.relation).label(!from_subject)),
        );
        map.insert(
            "direction".into(),
            Value::String(if from_subject { "out" } else { "in" }.into()),
        );
        map.insert("fact".into(), fact_json(graph, fact, time));
    }
    v
}

fn spell_json(
    graph: &KnowledgeGraph,
    spell: &StateSpell,
    subject: EntityId,
    time: TimeScope,
) -> Value {
    let model = &graph.model;
    let started = model.fact(spell.started_by);
    let ended = spell.ended_by.map(|f| model.fact(f));
    let mut out = json!({
        "state": spell.state,
        "holder": entity_json(graph, spell.holder),
        "over": entity_json(graph, subject),
        "since": started.when.map(|w| w.to_string()),
        "started_by": fact_json(graph, spell.started_by, time),
        "until": ended.and_then(|f| f.when.map(|w| w.to_string())),
        "ended_by": spell.ended_by.map(|f| fact_json(graph, f, time)),
        "corroborated_by": spell
            .corroborated_by
            .iter()
            .map(|&f| fact_json(graph, f, time))
            .collect::<Vec<_>>(),
        "last_reported": crate::graph::spells::last_reported(model, spell)
            .map(|p| p.to_string()),
    });
    // Only a disputed spell carries these, so answers from one source read as before.
    if let Value::Object(map) = &mut out {
        if !spell.rivals.is_empty() {
            map.insert("contested".into(), rivals_json(graph, &spell.rivals, time));
        }
        if spell.end_contested {
            map.insert("end_contested".into(), Value::Bool(true));
        }
    }
    out
}

/// Other sources' versions: each its kind, source and the spell its facts replay to.
fn rivals_json(
    graph: &KnowledgeGraph,
    rivals: &[crate::graph::spells::Rival],
    time: TimeScope,
) -> Value {
    rivals
        .iter()
        .map(|r| {
            let source = graph.model.source(r.source);
            let over = graph.model.fact(r.version.started_by).object;
            json!({
                "kind": r.kind.name(),
                "source": source.id,
                "publisher": source.publisher,
                "version": spell_json(graph, &r.version, over, time),
            })
        })
        .collect()
}

pub fn answer_json(graph: &KnowledgeGraph, answer: &Answer, context: Context<'_>) -> Value {
    let time = context.time;
    let fields = match answer {
        Answer::Neighbors { entity, rows, more } => {
            let mut out = neighbors_json(graph, *entity, rows, time);
            more_json(&mut out, *more);
            out
        }
        Answer::Paths {
            from,
            to,
            paths,
            truncated,
        } => paths_json(graph, *from, *to, paths, truncated.as_deref(), time),
        Answer::Match {
            columns,
            rows,
            truncated,
        } => match_json(graph, columns, rows, truncated.as_deref(), time),
        Answer::Count {
            columns,
            count,
            truncated,
        } => count_json(columns, *count, truncated.as_deref()),
        Answer::Why {
            subject,
            relation,
            object,
            facts,
            other_links,
            path,
        } => {
            let mut out = why_json(graph, *subject, relation, *object, facts, other_links, time);
            let path: Vec<Value> = path.iter().map(|&s| hop_json(graph, s, time)).collect();
            out.insert("path".into(), Value::Array(path));
            out
        }
        Answer::Show {
            entity,
            outgoing,
            incoming,
            held_by,
            holds,
        } => show_json(graph, *entity, outgoing, incoming, held_by, holds, time),
        Answer::Timeline {
            entity,
            facts,
            undated,
            more,
        } => {
            let mut out = timeline_json(graph, *entity, facts, *undated, time);
            more_json(&mut out, *more);
            out
        }
        Answer::Entities { entities } => entities_json(graph, entities),
        Answer::Relations { rows } => relations_json(graph, rows),
        Answer::Sources { rows } => sources_json(graph, rows),
        Answer::Stats(stats) => stats_json(graph, stats),
        Answer::Search {
            text,
            terms,
            hits,
            total,
            truncated,
        } => {
            let mut out = super::search::search_json(graph, text, terms, hits, *total, time);
            truncation(&mut out, truncated.as_deref());
            out
        }
        Answer::Changes {
            entity,
            transitions,
        } => changes_json(graph, *entity, transitions, time),
        Answer::Conflicts { entity, conflicts } => {
            super::conflicts::conflicts_json(graph, *entity, conflicts, time)
        }
    };
    let mut out = Map::new();
    out.insert("command".into(), Value::String(answer.command().into()));
    if let Some(query) = context.query {
        out.insert("query".into(), Value::String(query.to_string()));
    }
    if let Some(line) = context.line {
        out.insert("line".into(), Value::from(line));
    }
    out.extend(fields);
    for (key, when) in [
        ("at", time.at),
        ("during", time.during),
        ("reported", time.reported),
    ] {
        if let Some(when) = when {
            out.insert(key.into(), Value::String(when.to_string()));
        }
    }
    if let Some(elapsed) = context.elapsed {
        // To the nanosecond: many queries take a few microseconds, and whole ones would hide it.
        let micros = elapsed.as_nanos() as f64 / 1000.0;
        out.insert("elapsed_us".into(), Value::from(micros));
    }
    Value::Object(out)
}

/// `notes`, when there are any: each with its `kind`, its data (ids, not names) and its `text`.
pub fn add_notes(value: &mut Value, graph: &KnowledgeGraph, answer: &Answer, notes: &[Note]) {
    let Value::Object(out) = value else { return };
    if notes.is_empty() {
        return;
    }
    let notes = notes
        .iter()
        .map(|note| {
            let text = super::note_text(graph, answer, note);
            match note {
                Note::OtherWay {
                    asked,
                    other,
                    answers,
                    query,
                    ..
                } => json!({"kind": "other_way", "asked": asked, "other": other,
                            "answers": answers, "query": query, "text": text}),
                Note::ReadAs { query } => {
                    json!({"kind": "read_as", "query": query, "text": text})
                }
                Note::SpeltAs { written, chosen } => {
                    let chosen = &graph.model.entity(*chosen).id;
                    json!({"kind": "spelt_as", "name": written, "chosen": chosen, "text": text})
                }
                Note::SharedName {
                    written,
                    chosen,
                    others,
                } => {
                    let id = |e: &EntityId| graph.model.entity(*e).id.clone();
                    let others: Vec<String> = others.iter().map(id).collect();
                    json!({"kind": "shared_name", "name": written, "chosen": id(chosen),
                           "others": others, "text": text})
                }
            }
        })
        .collect();
    out.insert("notes".into(), Value::Array(notes));
}

/// `truncated`, and the `note` saying which limit cut the answer short.
fn truncation(out: &mut Map<String, Value>, truncated: Option<&str>) {
    out.insert("truncated".into(), Value::Bool(truncated.is_some()));
    if let Some(reason) = truncated {
        out.insert("note".into(), Value::String(reason.to_string()));
    }
}

/// `"more"`: the rows `limit` left out after the page, when it left any out.
fn more_json(out: &mut Map<String, Value>, more: usize) {
    if more > 0 {
        out.insert("more".into(), Value::from(more));
    }
}

fn neighbors_json(
    graph: &KnowledgeGraph,
    entity: EntityId,
    rows: &[NeighborRow],
    time: TimeScope,
) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("entity".into(), entity_json(graph, entity));
    let results: Vec<Value> = rows
        .iter()
        .map(|r| {
            let mut v = entity_json(graph, r.entity);
            if let Value::Object(map) = &mut v {
                map.insert("relation".into(), Value::String(label(graph, r.via)));
                map.insert(
                    "direction".into(),
                    Value::String(if r.via.backwards { "in" } else { "out" }.into()),
                );
                map.insert("depth".into(), Value::from(r.depth));
                map.insert("fact".into(), fact_json(graph, r.via.fact, time));
            }
            v
        })
        .collect();
    out.insert("results".into(), Value::Array(results));
    out
}

fn paths_json(
    graph: &KnowledgeGraph,
    from: EntityId,
    to: EntityId,
    paths: &[Vec<Step>],
    truncated: Option<&str>,
    time: TimeScope,
) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("from".into(), entity_json(graph, from));
    out.insert("to".into(), entity_json(graph, to));
    let paths: Vec<Value> = paths
        .iter()
        .map(|p| json!({"length": p.len(), "steps": p.iter().map(|&s| hop_json(graph, s, time)).collect::<Vec<_>>()}))
        .collect();
    out.insert("paths".into(), Value::Array(paths));
    truncation(&mut out, truncated);
    out
}

fn match_json(
    graph: &KnowledgeGraph,
    columns: &[String],
    rows: &[MatchRow],
    truncated: Option<&str>,
    time: TimeScope,
) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("columns".into(), json!(columns));
    let (values, evidence): (Vec<Value>, Vec<Value>) = rows
        .iter()
        .map(|r| {
            let row: Map<String, Value> = columns
                .iter()
                .zip(&r.values)
                .map(|(c, v)| {
                    let value = match v {
                        Binding::Number(n) => Value::from(*n),
                        _ => super::binding_text(graph, v, true).map_or(Value::Null, Value::String),
                    };
                    (c.clone(), value)
                })
                .collect();
            let facts: Vec<Value> = r.facts.iter().map(|&f| fact_json(graph, f, time)).collect();
            (Value::Object(row), Value::Array(facts))
        })
        .unzip();
    out.insert("rows".into(), Value::Array(values));
    out.insert("evidence".into(), Value::Array(evidence));
    truncation(&mut out, truncated);
    out
}

fn count_json(columns: &[String], count: usize, truncated: Option<&str>) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("columns".into(), json!(columns));
    out.insert("count".into(), Value::from(count));
    truncation(&mut out, truncated);
    out
}

fn why_json(
    graph: &KnowledgeGraph,
    subject: EntityId,
    relation: &str,
    object: EntityId,
    facts: &[Step],
    other_links: &[Step],
    time: TimeScope,
) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("subject".into(), entity_json(graph, subject));
    out.insert("relation".into(), Value::String(relation.to_string()));
    out.insert("object".into(), entity_json(graph, object));
    out.insert("stated".into(), Value::Bool(!facts.is_empty()));
    if !facts.is_empty() {
        let ids: Vec<FactId> = facts.iter().map(|s| s.fact).collect();
        out.insert("corroboration".into(), corroboration_json(graph, &ids));
    }
    out.insert(
        "facts".into(),
        facts.iter().map(|&s| step_json(graph, s, time)).collect(),
    );
    out.insert(
        "other_links".into(),
        other_links
            .iter()
            .map(|&s| step_json(graph, s, time))
            .collect(),
    );
    out
}

fn show_json(
    graph: &KnowledgeGraph,
    entity: EntityId,
    outgoing: &[FactId],
    incoming: &[FactId],
    held_by: &[StateSpell],
    holds: &[StateSpell],
    time: TimeScope,
) -> Map<String, Value> {
    let model = &graph.model;
    let e = model.entity(entity);
    let mut out = Map::new();
    out.insert("entity".into(), entity_json(graph, entity));
    out.insert("aliases".into(), json!(e.aliases()));
    out.insert("tags".into(), json!(e.tags()));
    out.insert("attributes".into(), json!(e.attributes()));
    let merged: Vec<Value> = model
        .merged_into(entity)
        .map(|m| json!({"id": m.id, "name": m.name, "declared_at": model.origin_text(m.origin)}))
        .collect();
    if !merged.is_empty() {
        out.insert("merged".into(), json!(merged));
    }
    out.insert(
        "held_by".into(),
        held_by
            .iter()
            .map(|s| spell_json(graph, s, entity, time))
            .collect(),
    );
    out.insert(
        "holds".into(),
        holds
            .iter()
            .map(|s| {
                let over = model.fact(s.started_by).object;
                spell_json(graph, s, over, time)
            })
            .collect(),
    );
    out.insert(
        "outgoing".into(),
        outgoing
            .iter()
            .map(|&f| edge_json(graph, f, true, time))
            .collect(),
    );
    out.insert(
        "incoming".into(),
        incoming
            .iter()
            .map(|&f| edge_json(graph, f, false, time))
            .collect(),
    );
    out
}

/// A holder as an entity, or the string `nobody` / `unknown`.
fn holder_json(graph: &KnowledgeGraph, holder: Holder) -> Value {
    match holder {
        Holder::Entity(e) => entity_json(graph, e),
        Holder::Nobody => Value::String("nobody".into()),
        Holder::Unknown => Value::String("unknown".into()),
    }
}

fn changes_json(
    graph: &KnowledgeGraph,
    entity: Option<EntityId>,
    transitions: &[Transition],
    time: TimeScope,
) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(e) = entity {
        out.insert("entity".into(), entity_json(graph, e));
    }
    let rows = transitions.iter().map(|t| {
        let mut row = json!({
            "place": entity_json(graph, t.place),
            "state": t.state,
            "from": holder_json(graph, t.from),
            "to": holder_json(graph, t.to),
            "when": t.when.map(|w| w.to_string()),
            "relation": graph.model.relation(graph.model.fact(t.fact).relation).name,
            "evidence": t.evidence().map(|f| fact_json(graph, f, time)).collect::<Vec<_>>(),
        });
        if let (Value::Object(map), false) = (&mut row, t.rivals.is_empty()) {
            map.insert("contested".into(), rivals_json(graph, &t.rivals, time));
        }
        row
    });
    out.insert("transitions".into(), rows.collect());
    out
}

fn timeline_json(
    graph: &KnowledgeGraph,
    entity: Option<EntityId>,
    facts: &[FactId],
    undated: usize,
    time: TimeScope,
) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert(
        "entity".into(),
        entity.map_or(Value::Null, |e| entity_json(graph, e)),
    );
    let events: Vec<Value> = facts
        .iter()
        .map(|&f| {
            step_json(
                graph,
                Step {
                    fact: f,
                    backwards: false,
                },
                time,
            )
        })
        .collect();
    out.insert("events".into(), Value::Array(events));
    out.insert("undated".into(), Value::from(undated));
    out
}

fn entities_json(graph: &KnowledgeGraph, entities: &[EntityId]) -> Map<String, Value> {
    let list: Vec<Value> = entities
        .iter()
        .map(|&id| {
            let e = graph.model.entity(id);
            json!({"id": e.id, "name": e.name, "kind": e.kind.name(), "aliases": e.aliases(), "tags": e.tags()})
        })
        .collect();
    Map::from_iter([("entities".into(), Value::Array(list))])
}

fn relations_json(graph: &KnowledgeGraph, rows: &[RelationRow]) -> Map<String, Value> {
    let model = &graph.model;
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            let rel = model.relation(r.relation);
            json!({
                "name": rel.name,
                "inverse": rel.inverse_label(),
                "symmetric": rel.symmetric,
                "broader": rel.broader.map(|b| model.relation(b).name.clone()),
                "domain": rel.domain.iter().map(|k| k.name()).collect::<Vec<_>>(),
                "range": rel.range.iter().map(|k| k.name()).collect::<Vec<_>>(),
                "starts_state": rel.starts_state,
                "ends_state": rel.ends_state,
                "description": rel.description,
                "derived": model.is_derived_relation(r.relation),
                "facts": r.facts,
            })
        })
        .collect();
    Map::from_iter([("relations".into(), Value::Array(list))])
}

fn sources_json(graph: &KnowledgeGraph, rows: &[SourceRow]) -> Map<String, Value> {
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            let s = graph.model.source(r.source);
            let mut source = json!({"id": s.id, "title": s.title, "publisher": s.publisher,
                   "published": s.published.to_string(), "url": s.url, "facts": r.facts});
            if let (Some(r), Some(fields)) = (s.reliability, source.as_object_mut()) {
                fields.insert("reliability".into(), Value::String(r.to_string()));
            }
            source
        })
        .collect();
    Map::from_iter([("sources".into(), Value::Array(list))])
}

fn stats_json(graph: &KnowledgeGraph, stats: &Stats) -> Map<String, Value> {
    let mut out = Map::new();
    let kinds: Map<String, Value> = stats
        .entities_by_kind
        .iter()
        .map(|(k, n)| (k.clone(), Value::from(*n)))
        .collect();
    out.insert("entities".into(), Value::Object(kinds));
    out.insert(
        "entities_in_scope".into(),
        Value::from(stats.entities_in_scope),
    );
    out.insert("facts".into(), Value::from(stats.facts));
    out.insert("graph_facts".into(), Value::from(stats.graph_facts));
    out.insert("dated_facts".into(), Value::from(stats.dated_facts));
    out.insert("relations".into(), Value::from(stats.relations));
    out.insert("sources".into(), Value::from(stats.sources));
    out.insert("files".into(), json!(stats.files));
    out.insert(
        "earliest".into(),
        json!(stats.earliest.map(|w| w.to_string())),
    );
    out.insert("latest".into(), json!(stats.latest.map(|w| w.to_string())));
    let hubs: Vec<Value> = stats
        .hubs
        .iter()
        .map(|&(e, n)| {
            let mut v = entity_json(graph, e);
            if let Value::Object(map) = &mut v {
                map.insert("facts".into(), Value::from(n));
            }
            v
        })
        .collect();
    out.insert("hubs".into(), Value::Array(hubs));
    out.insert("components".into(), Value::from(stats.components));
    out.insert(
        "largest_component".into(),
        Value::from(stats.largest_component),
    );
    out
}
