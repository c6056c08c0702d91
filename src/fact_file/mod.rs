//! The RON fact file as written by hand: serde structs that mirror the file exactly, plus the byte
//! span of every record so that later stages can point at the fact that caused a problem. Files are
//! read by the fast reader ([`fast`]) where it can, and by ron otherwise.

pub mod fast;
mod with_ron;

pub(crate) use with_ron::ron_options;
pub use with_ron::{parse_with_ron, read_with_ron, ReadError, RecordKind};

use crate::diagnostic::{Diagnostic, Location};
use crate::input::{self, FileType, OpenError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

/// A fact file's name (as the user gave it) and its text.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub name: String,
    pub text: String,
}

impl SourceText {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceText {
        SourceText {
            name: name.into(),
            text: text.into(),
        }
    }

    /// Reads a fact file, turning every way that can fail into a message a user can act on.
    pub fn read(path: &Path) -> Result<SourceText, Diagnostic> {
        SourceText::read_kind(path, FileKind::FactFile)
    }

    /// Reads any text file factgraph takes (fact file, script, article text, import input) with
    /// messages that name what was expected. Only regular files are read (see [`crate::input`]).
    pub fn read_kind(path: &Path, kind: FileKind) -> Result<SourceText, Diagnostic> {
        let name = path.display().to_string();
        let here = || Location::file_only(&name);
        let (what, help) = match kind {
            FileKind::FactFile => ("a fact file", "fact files usually live in graphs/"),
            FileKind::Script => ("a query script", "saved scripts usually live in queries/"),
            FileKind::Text => ("a text file", "give the path of the source's text"),
            FileKind::Import => ("a file to import", "give the path of the file to convert"),
        };
        let bytes = input::read(path).map_err(|e| match e {
            OpenError::NotRegular(FileType::Directory) => {
                Diagnostic::error(format!("`{name}` is a directory, not {what}"))
                    .at(here())
                    .help("name a file inside it")
            }
            OpenError::NotRegular(t) => {
                Diagnostic::error(format!("`{name}` is {}, not {what}", t.describe()))
                    .at(here())
                    .help("factgraph reads only regular files; save the contents to a file and name that file")
            }
            OpenError::NotFound => {
                Diagnostic::error(format!("cannot read `{name}`: {e}"))
                    .at(here())
                    .help(format!("check the path; {help}"))
            }
            e => Diagnostic::error(format!("cannot read `{name}`: {e}")).at(here()),
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            let location = Location::from_span(&name, &valid, offset..offset);
            Diagnostic::error(format!("`{name}` is not valid UTF-8 (byte {offset})"))
                .at(location)
                .label("invalid byte after this point")
                .help("save the file as UTF-8")
        })?;
        Ok(SourceText { name, text })
    }
}

/// What a file is expected to be, for the wording of errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    FactFile,
    Script,
    Text,
    /// The input of `import`.
    Import,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRecord {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub published: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Admiralty reliability, `A` (completely reliable) to `E` (unreliable), `F` (cannot be judged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<String>,
    /// The source's text (`sources/article.txt`), relative to the fact file's folder: every quote
    /// citing the source is checked against it on each load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RelationRecord {
    pub name: String,
    /// The label when the edge is read backwards (`besieged_by`); `^name` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inverse: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub symmetric: bool,
    /// Kinds allowed as subject; empty means any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domain: Vec<String>,
    /// Kinds allowed as object; empty means any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub range: Vec<String>,
    /// The family this relation belongs to: `recaptured` is a kind of `captured`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broader: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A fact of this relation makes its subject hold this state over its object from its date on,
    /// ending any other subject's hold (`overran` and `recaptured` start `controls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_state: Option<String>,
    /// A fact of this relation ends its subject's hold of this state (`withdrew_from` ends `controls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_state: Option<String>,
    /// Whether an entity may stand in this relation to itself.
    #[serde(default, skip_serializing_if = "is_false")]
    pub self_loops: bool,
    /// Facts of this relation report plans, claims or possibilities (`planned_meeting_in`), so
    /// hedged wording in their quotes ("could", "plans to") is expected rather than warned about.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hedged: bool,
    /// Relations whose facts contradict this one's on the same subject and object (`denied`
    /// against `claimed`); declared on either side.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contradicts: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EntityRecord {
    pub id: String,
    pub name: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// Names this entity goes by that are another entity's id, name or alias in the graph (a name
    /// leads to one entity): "Palmyra" for the modern town, where "Palmyra" is the ancient site. A
    /// query naming one gets the other entity, and the answer says that this one goes by it too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_names: Vec<String>,
    /// The id of the entity this record is, declared in another file: `same_as: ["isil"]` merges
    /// this record into it without editing that file (its names become the other's aliases).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub same_as: Vec<String>,
    /// Ids of entities this record is not, although their names look alike: `not_same_as:
    /// ["deir_ezzor"]` on an airport named after the city silences the duplicate warnings between
    /// the two (the negative of `same_as`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_same_as: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FactRecord {
    pub subject: String,
    pub relation: String,
    pub object: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    pub source: String,
    pub quote: String,
    /// Who the source says reported the claim, kept apart from the claim itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reported_by: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Curation warnings read and accepted for this fact, each with the curator's reason:
    /// `accept: [("hedged", "the article reports the meeting as planned")]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accept: Vec<(String, String)>,
    /// Admiralty credibility, 1 (confirmed) to 5 (improbable), 6 (cannot be judged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credibility: Option<i64>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// One record and where its text sits in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// A parsed fact file, records in file order.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FactFile {
    /// The shipped vocabularies the file names in `uses: ["conflict"]`, with where each name is.
    pub uses: Vec<Spanned<String>>,
    pub sources: Vec<Spanned<SourceRecord>>,
    pub relations: Vec<Spanned<RelationRecord>>,
    pub entities: Vec<Spanned<EntityRecord>>,
    pub facts: Vec<Spanned<FactRecord>>,
}

/// Parses one file. Syntax errors in the outer structure stop the file; a record with wrong or
/// missing fields is reported and skipped, so every such record is reported at once.
pub fn parse(source: &SourceText) -> Result<FactFile, Vec<Diagnostic>> {
    if let Some(scan) = fast::scan(&source.text) {
        let facts: Option<Vec<_>> = scan
            .facts
            .iter()
            .map(|&start| fast::fact_at(&source.text, start))
            .collect();
        let entities: Option<Vec<_>> = scan
            .entities
            .iter()
            .map(|&start| fast::entity_at(&source.text, start))
            .collect();
        if let (Some(facts), Some(entities)) = (facts, entities) {
            return Ok(FactFile {
                uses: scan.uses,
                sources: scan.sources,
                relations: scan.relations,
                entities,
                facts: facts
                    .into_iter()
                    .map(|f| Spanned {
                        value: f.value.into_record(),
                        span: f.span,
                    })
                    .collect(),
            });
        }
    }
    parse_with_ron(source)
}

/// The span of a field's value inside a record's text (`relation: "besiges"` -> `"besiges"`), found by
/// scanning at the record's top nesting level and skipping string contents. `None` if absent.
pub fn field_span(record_text: &str, field: &str) -> Option<Range<usize>> {
    let bytes = record_text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = skip_string(bytes, i),
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = record_text[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            c if depth == 1 && (c.is_ascii_alphabetic() || c == b'_') => {
                let end = record_text[i..]
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                    .map_or(bytes.len(), |n| i + n);
                let after = record_text[end..].trim_start();
                if &record_text[i..end] == field && after.starts_with(':') {
                    let value_start = record_text.len() - after[1..].trim_start().len();
                    return Some(value_start..value_end(record_text, value_start));
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The end of the RON value that starts at `start`: a string, a bracketed value or a bare word.
fn value_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = skip_string(bytes, i);
                if depth == 0 {
                    return (i + 1).min(bytes.len());
                }
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => return i,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b',' if depth == 0 => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Index of the closing quote of the string opening at `open`.
fn skip_string(bytes: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_their_spans_and_optional_fields_need_no_some() {
        let text = r#"(
    entities: [
        (id: "isil", name: "ISIL", kind: "actor", aliases: ["ISIS"]),
    ],
    facts: [(subject: "isil", relation: "besieges", object: "deir", when: "since 2015",
             source: "s", quote: "q")],
)"#;
        let file = parse(&SourceText::new("t.ron", text)).unwrap();
        let fact = &file.facts[0];
        assert_eq!(fact.value.when.as_deref(), Some("since 2015"));
        assert!(text[fact.span.clone()].starts_with("(subject"));
        let rel = field_span(&text[fact.span.clone()], "relation").unwrap();
        assert_eq!(&text[fact.span.clone()][rel], "\"besieges\"");
    }

    #[test]
    fn every_bad_record_is_reported() {
        let text = r#"(facts: [
  (subject: "a", relation: "r", object: "b", source: "s", quote: 3),
  (subject: "a", relaton: "r", object: "b", source: "s", quote: "q"),
])"#;
        let errors = parse(&SourceText::new("t.ron", text)).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].position().unwrap(), "t.ron:2:66");
        assert!(
            errors[1].help.iter().any(|h| h.contains("`relation`")),
            "{:?}",
            errors[1]
        );
    }

    #[test]
    fn field_span_ignores_look_alikes_inside_strings() {
        let rec = r#"(quote: "relation: no", relation: "yes")"#;
        assert_eq!(&rec[field_span(rec, "relation").unwrap()], "\"yes\"");
        assert_eq!(field_span(rec, "object"), None);
    }
}
