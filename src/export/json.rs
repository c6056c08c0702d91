//! JSON in both directions: the model as a documented JSON document, and that document read back
//! into a fact file (`factgraph import --from json`).
//!
//! The schema is the fact file's own, so there is one format to learn: an object with `"factgraph": 1`
//! (the schema version) and the lists `sources`, `relations`, `entities`, `facts`, whose records have
//! exactly the RON format's fields (README.md, "Exports"). Optional fields are left out when empty.

use super::records::Records;
use super::{ExportError, ExportOptions, Subgraph};
use crate::diagnostic::{Diagnostic, Location};
use crate::fact_file::{EntityRecord, FactRecord, RelationRecord, SourceRecord, SourceText};
use crate::graph::KnowledgeGraph;
use serde::{Deserialize, Serialize};
use std::io::{self, Write};

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// The JSON document: the schema version and the fact file's four lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonModel {
    pub factgraph: u32,
    #[serde(default)]
    pub sources: Vec<SourceRecord>,
    #[serde(default)]
    pub relations: Vec<RelationRecord>,
    #[serde(default)]
    pub entities: Vec<EntityRecord>,
    #[serde(default)]
    pub facts: Vec<FactRecord>,
}

impl JsonModel {
    pub fn of(graph: &KnowledgeGraph, sub: &Subgraph) -> JsonModel {
        let r = Records::of(graph, sub);
        JsonModel {
            factgraph: SCHEMA_VERSION,
            sources: r.sources,
            relations: r.relations,
            entities: r.entities,
            facts: r.facts,
        }
    }

    pub fn into_records(self) -> Records {
        Records {
            sources: self.sources,
            relations: self.relations,
            entities: self.entities,
            facts: self.facts,
        }
    }
}

/// Writes `sub` as pretty-printed JSON. O(entities + facts).
pub fn write(
    graph: &KnowledgeGraph,
    sub: &Subgraph,
    _options: &ExportOptions,
    out: &mut impl Write,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &JsonModel::of(graph, sub)).map_err(io::Error::from)?;
    writeln!(out)
}

/// Reads a JSON document and returns the fact file it describes, checked by the same validator as
/// every fact file, so `factgraph check` accepts whatever this returns.
pub fn import(json: &SourceText, output_name: &str) -> Result<String, ExportError> {
    // A byte-order mark is no part of JSON (RFC 8259 lets a parser ignore it), but editors write one.
    let body = json.text.strip_prefix('\u{feff}').unwrap_or(&json.text);
    let model: JsonModel = serde_json::from_str(body).map_err(|e| {
        let offset = byte_at(body, e.line(), e.column());
        ExportError::Import(vec![Diagnostic::error(format!(
            "not a factgraph JSON document: {e}"
        ))
        .at(Location::from_span(&json.name, body, offset..offset + 1))
        .help("the schema is described in README.md, section Exports")])
    })?;
    if model.factgraph != SCHEMA_VERSION {
        return Err(ExportError::Import(vec![Diagnostic::error(format!(
            "`{}` uses JSON schema version {}; this factgraph reads version {SCHEMA_VERSION}",
            json.name, model.factgraph
        ))]));
    }
    let text = model.into_records().to_ron().map_err(|e| {
        ExportError::Import(vec![Diagnostic::error(format!(
            "cannot write the fact file: {e}"
        ))])
    })?;
    crate::validate::load(&[SourceText::new(output_name, text.clone())], &[]).map_err(|ds| {
        let note = format!(
            "in the fact file made from `{}`; nothing was written",
            json.name
        );
        ExportError::Import(ds.into_iter().map(|d| d.note(note.clone())).collect())
    })?;
    Ok(text)
}

/// serde_json's 1-based line and column (in bytes) as a byte offset.
fn byte_at(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let offset = (start + column.saturating_sub(1)).min(text.len());
    (0..=offset)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}
