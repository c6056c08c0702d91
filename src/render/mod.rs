//! Answers to text: one format per file, all deterministic, all reading evidence from the model.

pub mod conflicts;
mod corroboration_json;
mod json;
mod search;
mod table;
mod text;

use crate::date::{Certainty, When};
use crate::format::{AnswerFormat, Evidence};
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, Fact, FactId};
use crate::query::answer::{Answer, Step};
use crate::query::eval::notes::Note;
use crate::query::TimeScope;
use std::time::Duration;

pub use json::{answer_json, fact_json};
pub use table::{answer_table, Table};
pub use text::fit;

/// What a rendering needs besides the answer: the time slice it was taken at, with timing on how
/// long it took, and how the reader wants text laid out. The caller finds out about the terminal;
/// rendering never asks it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    pub time: TimeScope,
    pub elapsed: Option<Duration>,
    /// Columns to wrap text at: a terminal's width; `None` (a pipe, a file) leaves lines whole.
    pub width: Option<usize>,
    pub evidence: Evidence,
    /// Each loaded file as the reader names it, by file number (relative to where they stand);
    /// where missing, the name the file was loaded by.
    pub files: &'a [String],
    /// The statement as written, which JSON answers repeat as `query`.
    pub query: Option<&'a str>,
    /// The statement's line in its script (JSON `line`); `None` outside scripts.
    pub line: Option<usize>,
}

/// Renders one answer and its notes in a format. Text and tables end with a newline; JSON is one
/// line. Text shows notes on how the query was read before the answer and the others after it, JSON
/// shows them as `notes`; tables have no place for them (see [`aside`]).
pub fn render(
    graph: &KnowledgeGraph,
    answer: &Answer,
    notes: &[Note],
    format: AnswerFormat,
    context: Context<'_>,
) -> String {
    match format {
        AnswerFormat::Text => {
            let (before, after): (Vec<Note>, Vec<Note>) =
                notes.iter().cloned().partition(Note::is_preface);
            let width = context.width;
            text::notes(graph, answer, &before, width)
                + &text::render(graph, answer, context)
                + &text::notes(graph, answer, &after, width)
        }
        AnswerFormat::Json | AnswerFormat::Jsonl => {
            let mut value = answer_json(graph, answer, context);
            json::add_notes(&mut value, graph, answer, notes);
            // Pretty for people; jsonl stays one object per line for programs.
            let text = if format == AnswerFormat::Json {
                serde_json::to_string_pretty(&value)
            } else {
                serde_json::to_string(&value)
            };
            text.map(|s| s + "\n").unwrap_or_default()
        }
        AnswerFormat::Tsv => answer_table(graph, context.time, answer).to_tsv(),
        AnswerFormat::Csv => answer_table(graph, context.time, answer).to_csv(),
        AnswerFormat::Markdown => answer_table(graph, context.time, answer).to_markdown(),
    }
}

/// The notes on how the query was read that `format` has no place for (a table's): said beside
/// the answer, on standard error, so that a script's data stays clean but another entity read for
/// a name is never taken silently. Empty for text and JSON, which carry their notes.
pub fn aside(
    graph: &KnowledgeGraph,
    answer: &Answer,
    notes: &[Note],
    format: AnswerFormat,
) -> String {
    match format {
        AnswerFormat::Text | AnswerFormat::Json | AnswerFormat::Jsonl => String::new(),
        AnswerFormat::Tsv | AnswerFormat::Csv | AnswerFormat::Markdown => {
            let preface: Vec<Note> = notes.iter().filter(|n| n.is_preface()).cloned().collect();
            text::notes(graph, answer, &preface, None)
        }
    }
}

/// A match cell as text: entities by name (`ids`: by id, as tables and JSON give them), a fact
/// as `subject relation object (date)`; `None` for an unbound variable.
pub(crate) fn binding_text(
    graph: &KnowledgeGraph,
    binding: &crate::query::answer::Binding,
    ids: bool,
) -> Option<String> {
    use crate::query::answer::Binding;
    let model = &graph.model;
    let entity = |e: EntityId| {
        let e = model.entity(e);
        if ids {
            e.id.clone()
        } else {
            e.name.clone()
        }
    };
    Some(match binding {
        Binding::Entity(e) => entity(*e),
        Binding::Relation(r) => model.relation(*r).name.clone(),
        Binding::Fact(f) => {
            let fact = model.fact(*f);
            let date = fact
                .when
                .map(|w| format!(" ({})", w.shown()))
                .unwrap_or_default();
            format!(
                "{} {} {}{date}",
                entity(fact.subject),
                model.relation(fact.relation).name,
                entity(fact.object)
            )
        }
        Binding::Text(t) => t.clone(),
        Binding::Number(n) => n.to_string(),
        Binding::Date(w) => w.shown(),
        Binding::Unbound => return None,
    })
}

/// `Name` for display.
pub(crate) fn name(graph: &KnowledgeGraph, entity: EntityId) -> &str {
    &graph.model.entity(entity).name
}

/// The ends of a step in the order it was read: (from, to).
pub(crate) fn ends(fact: &Fact, step: Step) -> (EntityId, EntityId) {
    if step.backwards {
        (fact.object, fact.subject)
    } else {
        (fact.subject, fact.object)
    }
}

/// The relation label a step was read with (`besieged_by` when read backwards).
pub(crate) fn label(graph: &KnowledgeGraph, step: Step) -> String {
    let fact = graph.model.fact(step.fact);
    graph.model.relation(fact.relation).label(step.backwards)
}

/// `2017-08-06` or an empty string for undated facts; a one-day range as its day.
pub(crate) fn when(graph: &KnowledgeGraph, fact: FactId) -> String {
    graph
        .model
        .fact(fact)
        .when
        .map(When::shown)
        .unwrap_or_default()
}

/// A fact's date for programs: `when` as written, the first and last ISO day it may denote (`None`
/// at an open end) and its precision; all `None` for an undated fact. JSON and the tables share it.
pub(crate) struct Dates {
    pub when: Option<String>,
    pub earliest: Option<String>,
    pub latest: Option<String>,
    pub precision: Option<&'static str>,
}

pub(crate) fn dates(graph: &KnowledgeGraph, fact: FactId) -> Dates {
    match graph.model.fact(fact).when {
        Some(w) => {
            let (earliest, latest) = w.iso_bounds();
            Dates {
                when: Some(w.to_string()),
                earliest,
                latest,
                precision: Some(w.precision()),
            }
        }
        None => Dates {
            when: None,
            earliest: None,
            latest: None,
            precision: None,
        },
    }
}

/// The word programs read for a certainty, and for "last reported" the day carried forward from:
/// JSON gives them as two fields, tables as one cell.
pub(crate) fn certainty_word(
    certainty: Certainty,
) -> (&'static str, Option<crate::date::DatePoint>) {
    match certainty {
        Certainty::Certain => ("certain", None),
        Certainty::Possible => ("possible", None),
        Certainty::LastReported(day) => ("last-reported", Some(day)),
    }
}

/// How surely `fact` is in the answer's time scope, for the marks answers carry; `None` when no
/// scope narrows the answer, so that answers about the whole graph carry none.
pub(crate) fn certainty(
    graph: &KnowledgeGraph,
    time: TimeScope,
    fact: FactId,
) -> Option<Certainty> {
    if time.is_open() {
        return None;
    }
    time.model_fact(&graph.model, fact)
}

/// A date as text answers show it in a time scope: as written, with `(possibly)` after it when
/// the fact only possibly stands (or falls in the period); an `as of` statement carried past its
/// date reads `last reported 2017-08-06`, so that persistence never looks like a report.
pub(crate) fn marked_date(date: String, certainty: Option<Certainty>) -> String {
    match certainty {
        Some(Certainty::Possible) if date.is_empty() => "(possibly)".to_string(),
        Some(Certainty::Possible) => format!("{date} (possibly)"),
        Some(Certainty::LastReported(day)) => format!("last reported {day}"),
        Some(Certainty::Certain) | None => date,
    }
}

/// A note in words, the same in every format that shows notes.
pub(crate) fn note_text(graph: &KnowledgeGraph, answer: &Answer, note: &Note) -> String {
    match note {
        Note::OtherWay {
            asked,
            other,
            answers,
            query,
            ..
        } => {
            let found = other_way_text(graph, answer, &ticked(asked), &ticked(other), *answers);
            format!("{found}: did you mean `{query}`?")
        }
        Note::ReadAs { query } => format!("read as `{query}`"),
        Note::SpeltAs { written, chosen } => spelt_as_text(graph, written, *chosen),
        Note::SharedName {
            written,
            chosen,
            others,
        } => shared_name_text(graph, written, *chosen, others),
    }
}

/// "`Dayr az-Zawr` read as Deir Ezzor (deir_ezzor)": a name found only spelt otherwise.
pub fn spelt_as_text(graph: &KnowledgeGraph, written: &str, chosen: EntityId) -> String {
    let e = graph.model.entity(chosen);
    let written = crate::diagnostic::clip(written.trim());
    format!("`{written}` read as {} ({})", e.name, e.id)
}

/// "no `brokered_by` edges from Russia; `brokered` has 4", in the words of the answer's command.
fn other_way_text(
    graph: &KnowledgeGraph,
    answer: &Answer,
    asked: &str,
    other: &str,
    n: usize,
) -> String {
    match answer {
        Answer::Neighbors { entity, .. } => {
            let from = name(graph, *entity);
            format!("no {asked} edges from {from}; {other} has {n}")
        }
        Answer::Paths { .. } if n == 1 => format!("no path via {asked}; via {other} there is one"),
        Answer::Paths { .. } => format!("no path via {asked}; via {other} there are {n}"),
        _ => format!("nothing matches {asked}; {other} has {n}"),
    }
}

/// "Palmyra: the ancient city; for the city, Tadmor", or "Tadmur: Tadmor, the city; ..." when the
/// name written is not the chosen entity's own.
fn shared_name_text(
    graph: &KnowledgeGraph,
    written: &str,
    chosen: EntityId,
    others: &[EntityId],
) -> String {
    let chosen_name = name(graph, chosen);
    let head = match chosen_name.to_lowercase() == written.trim().to_lowercase() {
        true => format!("{chosen_name}:"),
        false => format!("{written}: {chosen_name},"),
    };
    let mut text = format!("{head} the {}", what(graph, chosen));
    for &other in others {
        text.push_str(&format!(
            "; for the {}, {}",
            what(graph, other),
            name(graph, other)
        ));
    }
    text
}

/// What an entity is, in a word or two: its first tag, or its kind.
fn what(graph: &KnowledgeGraph, entity: EntityId) -> String {
    let e = graph.model.entity(entity);
    e.tags()
        .first()
        .cloned()
        .unwrap_or_else(|| e.kind.name().to_string())
}

/// `` `a`, `b` ``
fn ticked(labels: &[String]) -> String {
    let ticked: Vec<String> = labels.iter().map(|l| format!("`{l}`")).collect();
    ticked.join(", ")
}
