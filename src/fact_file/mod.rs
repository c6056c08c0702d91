//! The RON fact file as written by hand: serde structs that mirror the file exactly, plus the byte
//! span of every record so that later stages can point at the fact that caused a problem.
//!
//! The four lists are first read as raw RON values (which borrow from the text and so know where they
//! are), then each record is deserialized on its own: one mistyped fact is reported and the rest are
//! still checked.

pub mod fast;

use crate::diagnostic::{Diagnostic, Location};
use ron::extensions::Extensions;
use ron::value::RawValue;
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

    /// Reads any text file factgraph takes (fact file, script, article text) with messages that
    /// name what was expected.
    pub fn read_kind(path: &Path, kind: FileKind) -> Result<SourceText, Diagnostic> {
        let name = path.display().to_string();
        let here = || Location::file_only(&name);
        let (what, help) = match kind {
            FileKind::FactFile => ("a fact file", "fact files usually live in graphs/"),
            FileKind::Script => ("a query script", "saved scripts usually live in queries/"),
            FileKind::Text => ("a text file", "give the path of the source's text"),
        };
        if path.is_dir() {
            return Err(
                Diagnostic::error(format!("`{name}` is a directory, not {what}"))
                    .at(here())
                    .help("name a file inside it"),
            );
        }
        let bytes = std::fs::read(path).map_err(|e| {
            let d =
                Diagnostic::error(format!("cannot read `{name}`: {}", io_reason(&e))).at(here());
            if e.kind() == std::io::ErrorKind::NotFound {
                d.help(format!("check the path; {help}"))
            } else {
                d
            }
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

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// What a file is expected to be, for the wording of errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    FactFile,
    Script,
    Text,
}

/// The whole file: four lists, each optional, so a file may hold only facts about entities that
/// another file declares.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLists<'a> {
    #[serde(default, borrow)]
    sources: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    relations: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    entities: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    facts: Vec<&'a RawValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRecord {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub published: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
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
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
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
    pub sources: Vec<Spanned<SourceRecord>>,
    pub relations: Vec<Spanned<RelationRecord>>,
    pub entities: Vec<Spanned<EntityRecord>>,
    pub facts: Vec<Spanned<FactRecord>>,
}

/// Nesting deeper than this is refused: no hand-written fact file needs it, and it keeps a hostile
/// file from exhausting the stack.
const RECURSION_LIMIT: usize = 64;

pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_NEWTYPES)
        .with_recursion_limit(RECURSION_LIMIT)
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

/// The reference reader: slower, but it accepts all of RON and explains every mistake.
pub fn parse_with_ron(source: &SourceText) -> Result<FactFile, Vec<Diagnostic>> {
    let text = source.text.as_str();
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - body.len();
    if body.trim().is_empty() {
        return Err(vec![Diagnostic::error(format!(
            "`{}` is empty",
            source.name
        ))
        .at(Location::file_only(&source.name))
        .help(
            "a fact file is a RON tuple such as `(entities: [...], facts: [...])`; see README.md",
        )]);
    }
    let options = ron_options();
    let lists: RawLists = options
        .from_str(body)
        .map_err(|e| vec![ron_error(source, body, bom, &e, "the fact file")])?;

    let mut errors = Vec::new();
    let mut file = FactFile::default();
    let offset_of = |raw: &RawValue| raw.get_ron().as_ptr() as usize - body.as_ptr() as usize + bom;
    macro_rules! records {
        ($list:ident, $what:literal) => {
            for raw in lists.$list {
                let raw = raw.trim();
                let start = offset_of(raw);
                match options.from_str(raw.get_ron()) {
                    Ok(value) => file.$list.push(Spanned {
                        value,
                        span: start..start + raw.get_ron().len(),
                    }),
                    Err(e) => errors.push(ron_error(source, raw.get_ron(), start, &e, $what)),
                }
            }
        };
    }
    records!(sources, "this source");
    records!(relations, "this relation");
    records!(entities, "this entity");
    records!(facts, "this fact");
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(errors)
    }
}

/// Turns a ron error inside `part` (which starts at byte `offset` of the file) into a diagnostic.
fn ron_error(
    source: &SourceText,
    part: &str,
    offset: usize,
    error: &ron::error::SpannedError,
    what: &str,
) -> Diagnostic {
    // ron's span starts where its cursor stood, often on the blank before the culprit. A missing
    // field is noticed at the record's end; the record's start says better which one lacks it.
    let start = if let ron::Error::MissingStructField { .. } = error.code {
        offset
    } else {
        let at = byte_of_position(part, error.span.start.line, error.span.start.col);
        offset + at + (part[at..].len() - part[at..].trim_start().len())
    };
    let location = Location::from_span(&source.name, &source.text, start..start + 1);
    let mut d =
        Diagnostic::error(format!("in {what}: {}", describe_ron_error(&error.code))).at(location);
    if let ron::Error::MissingStructField { field, .. } = &error.code {
        d = d.label(format!("this record has no `{field}`"));
    }
    if let Some(help) = ron_help(&error.code) {
        d = d.help(help);
    }
    d
}

fn describe_ron_error(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::MissingStructField { field, .. } => format!("missing field `{field}`"),
        E::NoSuchStructField { found, .. } => format!("unknown field `{found}`"),
        E::DuplicateStructField { field, .. } => format!("field `{field}` is given twice"),
        E::ExceededRecursionLimit => format!("nested more than {RECURSION_LIMIT} levels deep"),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            chars
                .next()
                .map_or(text.clone(), |c| c.to_lowercase().chain(chars).collect())
        }
    }
}

fn ron_help(code: &ron::Error) -> Option<String> {
    use ron::Error as E;
    match code {
        E::NoSuchStructField {
            expected, found, ..
        } => {
            let suggestions = crate::diagnostic::did_you_mean(found, expected.iter().copied());
            crate::diagnostic::suggestion_text(&suggestions)
                .or_else(|| Some(format!("the fields here are: {}", expected.join(", "))))
        }
        E::MissingStructField { field, .. } => Some(format!("add `{field}: ...` to this record")),
        E::ExpectedString | E::ExpectedStringEnd => {
            Some("text values are written in double quotes".to_string())
        }
        E::TrailingCharacters => {
            Some("the file should end after the closing `)` of the fact file".to_string())
        }
        _ => None,
    }
}

/// The byte offset of a 1-based line and character column within `text`.
fn byte_of_position(text: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset
                + l.char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
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
