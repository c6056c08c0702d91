//! Answers to text: one format per file, all deterministic, all reading evidence from the model.

mod json;
mod table;
mod text;

use crate::date::When;
use crate::format::{AnswerFormat, Evidence};
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, Fact, FactId};
use crate::query::answer::{Answer, Step};
use std::time::Duration;

pub use json::{answer_json, fact_json};
pub use table::{answer_table, Table};
pub use text::fit;

/// What a rendering needs besides the answer: the time slice it was taken at, with timing on how
/// long it took, and how the reader wants text laid out. The caller finds out about the terminal;
/// rendering never asks it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    pub at: Option<When>,
    pub elapsed: Option<Duration>,
    /// Columns to wrap text at: a terminal's width; `None` (a pipe, a file) leaves lines whole.
    pub width: Option<usize>,
    pub evidence: Evidence,
    /// Each loaded file as the reader names it, by file number (relative to where they stand);
    /// where missing, the name the file was loaded by.
    pub files: &'a [String],
}

/// Renders one answer in a format. Text and tables end with a newline; JSON is one line.
pub fn render(
    graph: &KnowledgeGraph,
    answer: &Answer,
    format: AnswerFormat,
    context: Context<'_>,
) -> String {
    match format {
        AnswerFormat::Text => text::render(graph, answer, context),
        AnswerFormat::Json | AnswerFormat::Jsonl => {
            let value = answer_json(graph, answer, context);
            // Pretty for people; jsonl stays one object per line for programs.
            let text = if format == AnswerFormat::Json {
                serde_json::to_string_pretty(&value)
            } else {
                serde_json::to_string(&value)
            };
            text.map(|s| s + "\n").unwrap_or_default()
        }
        AnswerFormat::Tsv => answer_table(graph, answer).to_tsv(),
        AnswerFormat::Csv => answer_table(graph, answer).to_csv(),
        AnswerFormat::Markdown => answer_table(graph, answer).to_markdown(),
    }
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

/// `2017-08-06` or an empty string for undated facts.
pub(crate) fn when(graph: &KnowledgeGraph, fact: FactId) -> String {
    graph
        .model
        .fact(fact)
        .when
        .map(|w| w.to_string())
        .unwrap_or_default()
}
