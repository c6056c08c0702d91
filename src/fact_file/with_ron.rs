//! The reference reader: slower than the fast one, but it accepts all of RON and explains every
//! mistake, each with the kind of record it is in.
//!
//! The four lists are first read as raw RON values (which borrow from the text and so know where they
//! are), then each record is deserialized on its own: one mistyped fact is reported and the rest are
//! still checked.

use super::{FactFile, SourceText, Spanned};
use crate::diagnostic::{clip, clip_to, Diagnostic, Location, Locator, EXCERPT};
use ron::extensions::Extensions;
use ron::value::RawValue;
use serde::Deserialize;
use std::ops::Range;

/// The whole file: four lists, each optional, so a file may hold only facts about entities that
/// another file declares.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLists<'a> {
    /// Shipped vocabularies whose relations the file takes in (see [`crate::vocabulary`]).
    #[serde(default, borrow)]
    uses: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    sources: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    relations: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    entities: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    facts: Vec<&'a RawValue>,
}

/// Nesting deeper than this is refused: no hand-written fact file needs it, and it keeps a hostile
/// file from exhausting the stack.
const RECURSION_LIMIT: usize = 64;

pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_NEWTYPES)
        .with_recursion_limit(RECURSION_LIMIT)
}

/// The reference reader: slower, but it accepts all of RON and explains every mistake.
pub fn parse_with_ron(source: &SourceText) -> Result<FactFile, Vec<Diagnostic>> {
    read_with_ron(source).map_err(|errors| {
        let mut locator = Locator::new(&source.name, &source.text);
        errors
            .into_iter()
            .map(|e| match e.at {
                Some(at) => e.diagnostic.at(locator.locate(at)),
                None => e.diagnostic.at(Location::file_only(&source.name)),
            })
            .collect()
    })
}

/// The kind of record a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Source,
    Relation,
    Entity,
    Fact,
}

/// A problem found while reading a file, with where it is rather than its location, so that a
/// caller finds the lines of many at once (and only of those it shows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The record the problem is in; `None` for the file as a whole.
    pub record: Option<RecordKind>,
    /// The bytes at fault; `None` when it is the whole file (an empty one).
    pub at: Option<Range<usize>>,
    pub diagnostic: Diagnostic,
}

/// [`parse_with_ron`] with problems as [`ReadError`]s.
pub fn read_with_ron(source: &SourceText) -> Result<FactFile, Vec<ReadError>> {
    let text = source.text.as_str();
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - body.len();
    if body.trim().is_empty() {
        let d = Diagnostic::error(format!("`{}` is empty", source.name)).help(
            "a fact file is a RON tuple such as `(entities: [...], facts: [...])`; see README.md",
        );
        return Err(vec![ReadError {
            record: None,
            at: None,
            diagnostic: d,
        }]);
    }
    let options = ron_options();
    let lists: RawLists = options
        .from_str(body)
        .map_err(|e| vec![ron_error(text, body, bom, &e, None)])?;

    let mut errors = Vec::new();
    let mut file = FactFile::default();
    let offset_of = |raw: &RawValue| raw.get_ron().as_ptr() as usize - body.as_ptr() as usize + bom;
    macro_rules! records {
        ($list:ident, $kind:expr) => {
            for raw in lists.$list {
                let raw = raw.trim();
                let start = offset_of(raw);
                match options.from_str(raw.get_ron()) {
                    Ok(value) => file.$list.push(Spanned {
                        value,
                        span: start..start + raw.get_ron().len(),
                    }),
                    Err(e) => errors.push(ron_error(text, raw.get_ron(), start, &e, Some($kind))),
                }
            }
        };
    }
    for raw in lists.uses {
        let raw = raw.trim();
        let start = offset_of(raw);
        match options.from_str::<String>(raw.get_ron()) {
            Ok(value) => file.uses.push(Spanned {
                value,
                span: start..start + raw.get_ron().len(),
            }),
            Err(e) => errors.push(ron_error(text, raw.get_ron(), start, &e, None)),
        }
    }
    records!(sources, RecordKind::Source);
    records!(relations, RecordKind::Relation);
    records!(entities, RecordKind::Entity);
    records!(facts, RecordKind::Fact);
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(errors)
    }
}

/// Turns a ron error inside `part` (which starts at byte `offset` of `file_text`, and is a record
/// of kind `record` or the whole file) into a problem.
fn ron_error(
    file_text: &str,
    part: &str,
    offset: usize,
    error: &ron::error::SpannedError,
    record: Option<RecordKind>,
) -> ReadError {
    // ron's span starts where its cursor stood, often on the blank before the culprit. A missing
    // field is noticed at the record's end; the record's start says better which one lacks it.
    let start = if let ron::Error::MissingStructField { .. } = error.code {
        offset
    } else {
        let at = byte_of_position(part, error.span.start.line, error.span.start.col);
        offset + at + (part[at..].len() - part[at..].trim_start().len())
    };
    let what = match record {
        None => "the fact file",
        Some(RecordKind::Source) => "this source",
        Some(RecordKind::Relation) => "this relation",
        Some(RecordKind::Entity) => "this entity",
        Some(RecordKind::Fact) => "this fact",
    };
    let mut d = Diagnostic::error(format!("in {what}: {}", describe_ron_error(&error.code)));
    if let ron::Error::MissingStructField { field, .. } = &error.code {
        d = d.label(format!("this record has no `{field}`"));
    }
    if let Some(help) = ron_help(&error.code) {
        d = d.help(help);
    }
    // Only where a value or field begins: a stray byte (a NUL) is no missing comma.
    let begins_value = file_text
        .get(start..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_alphanumeric() || matches!(c, '(' | '[' | '"' | '_'));
    if matches!(error.code, ron::Error::ExpectedComma) && begins_value {
        d = d.label("a `,` must come before this");
        if let Some(help) = missing_comma_help(file_text, start) {
            d = d.help(help);
        }
    }
    ReadError {
        record,
        at: Some(start..start + 1),
        diagnostic: d,
    }
}

fn describe_ron_error(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::MissingStructField { field, .. } => format!("missing field `{field}`"),
        E::NoSuchStructField { found, .. } => format!("unknown field `{}`", clip(found)),
        E::DuplicateStructField { field, .. } => format!("field `{field}` is given twice"),
        E::ExceededRecursionLimit => format!("nested more than {RECURSION_LIMIT} levels deep"),
        other => {
            // ron's messages can quote a whole value: a message is cut as a line is.
            let text = other.to_string();
            let text = clip_to(&text, EXCERPT);
            let mut chars = text.chars();
            chars.next().map_or(text.to_string(), |c| {
                c.to_lowercase().chain(chars).collect()
            })
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

/// Where the missing comma goes: after the last thing written before `at` (a byte offset into
/// the file), which is where a reader looks for it, not before the next record where ron noticed.
fn missing_comma_help(text: &str, at: usize) -> Option<String> {
    let before = text.get(..at)?.trim_end();
    let last = before.chars().next_back()?;
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count();
    Some(format!(
        "add `,` after the `{last}` at line {line}, column {column}: items in a list, and the fields of a record, are separated by commas"
    ))
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
