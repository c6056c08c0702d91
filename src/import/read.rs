//! Readers for the triple syntaxes: every record (a line; in CSV, a quoted field may span lines)
//! becomes interned (head, relation, tail) indices, and every malformed record is reported with its
//! position.

use super::TripleFormat;
use crate::diagnostic::{Diagnostic, Location};
use std::collections::{HashMap, HashSet};

mod ntriples;
use ntriples::ntriples_line;

/// At most this many malformed records are shown, in file order, then a count of the rest: as many
/// as `check` shows of a fact file's problems.
pub const MAX_ERRORS: usize = 100;

/// Triples with their strings interned: entities and relations numbered in order of appearance.
#[derive(Debug, Default)]
pub struct Triples {
    pub entities: Vec<String>,
    pub relations: Vec<String>,
    /// (head, relation, tail) as indices, duplicates removed, first occurrence kept.
    pub triples: Vec<[u32; 3]>,
    pub duplicates: usize,
    /// Relations with at least one triple whose head is its tail.
    pub self_loop_relations: Vec<bool>,
}

#[derive(Default)]
struct Interner {
    index: HashMap<String, u32>,
    strings: Vec<String>,
}

impl Interner {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.index.insert(s.to_string(), i);
        self.strings.push(s.to_string());
        i
    }
}

/// Reads triples from `text` (named `file` in messages; a leading byte-order mark is skipped).
/// Every malformed record is counted; the first [`MAX_ERRORS`] are reported, then "and M more".
pub fn read_triples(
    file: &str,
    text: &str,
    format: TripleFormat,
    header: bool,
) -> Result<Triples, Vec<Diagnostic>> {
    // A byte-order mark would become part of the first entity's name.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut entities = Interner::default();
    let mut relations = Interner::default();
    let mut seen = HashSet::new();
    let mut out = Triples::default();
    let mut errors = Vec::new();
    let mut omitted = 0;
    let records = Records {
        text,
        format,
        at: 0,
        line: 1,
    };
    let skip = usize::from(header && format != TripleFormat::Ntriples);
    for (start, line, parsed) in records.skip(skip) {
        let fields = match parsed {
            Ok(Some(fields)) => fields,
            Ok(None) => continue,
            Err((offset, message)) => {
                if errors.len() < MAX_ERRORS {
                    let location = locate(file, text, start, line, start + offset);
                    errors.push(Diagnostic::error(message).at(location));
                } else {
                    omitted += 1;
                }
                continue;
            }
        };
        let head = entities.intern(&fields[0]);
        let relation = relations.intern(&fields[1]);
        let tail = entities.intern(&fields[2]);
        if !seen.insert((head, relation, tail)) {
            out.duplicates += 1;
            continue;
        }
        if out.self_loop_relations.len() <= relation as usize {
            out.self_loop_relations.resize(relation as usize + 1, false);
        }
        if head == tail {
            out.self_loop_relations[relation as usize] = true;
        }
        out.triples.push([head, relation, tail]);
    }
    if !errors.is_empty() {
        if omitted > 0 {
            errors.push(Diagnostic::omitted(omitted, MAX_ERRORS));
        }
        return Err(errors);
    }
    if out.triples.is_empty() {
        return Err(vec![Diagnostic::error(format!(
            "`{file}` holds no triples"
        ))
        .at(Location::file_only(file))]);
    }
    out.entities = entities.strings;
    out.relations = relations.strings;
    Ok(out)
}

/// The records of a text, each parsed: where it starts, the line it starts on, what it holds.
struct Records<'t> {
    text: &'t str,
    format: TripleFormat,
    at: usize,
    line: usize,
}

impl Iterator for Records<'_> {
    type Item = (usize, usize, LineResult);

    fn next(&mut self) -> Option<Self::Item> {
        let (text, start, line) = (self.text, self.at, self.line);
        if start >= text.len() {
            return None;
        }
        let (parsed, end) = match self.format {
            TripleFormat::Csv => csv_record(text, start),
            TripleFormat::Tsv | TripleFormat::Ntriples => {
                let end = memchr::memchr(b'\n', &text.as_bytes()[start..])
                    .map_or(text.len(), |i| start + i + 1);
                let body = text[start..end].trim_end_matches(['\n', '\r']);
                match self.format {
                    TripleFormat::Tsv => (tsv_line(body), end),
                    _ => (ntriples_line(body), end),
                }
            }
        };
        self.at = end;
        self.line += memchr::memchr_iter(b'\n', &text.as_bytes()[start..end]).count();
        Some((start, line, parsed))
    }
}

/// Where byte `spot` of the record at `start`, on line `line`, is: found in the record alone, so
/// that reporting problems stays linear in the size of the file, wherever they are.
fn locate(file: &str, text: &str, start: usize, line: usize, spot: usize) -> Location {
    let spot = spot.min(text.len());
    let end = memchr::memchr(b'\n', &text.as_bytes()[spot..]).map_or(text.len(), |i| spot + i);
    let mut location = Location::from_span(file, &text[start..end], spot - start..spot - start + 1);
    location.line += line - 1;
    location
}

/// A line's three fields, `None` for a blank line, or (byte offset in the line, message).
type LineResult = Result<Option<[String; 3]>, (usize, String)>;

fn three(fields: Vec<(usize, String)>, what: &str) -> LineResult {
    if let Some((at, _)) = fields.iter().find(|(_, f)| f.is_empty()) {
        return Err((*at, format!("empty field in {what} line")));
    }
    match <[(usize, String); 3]>::try_from(fields) {
        Ok([a, b, c]) => Ok(Some([a.1, b.1, c.1])),
        Err(fields) => Err((
            fields.get(3).map_or(0, |f| f.0),
            format!(
                "expected 3 fields (head, relation, tail), found {}",
                fields.len()
            ),
        )),
    }
}

fn tsv_line(line: &str) -> LineResult {
    if line.trim().is_empty() {
        return Ok(None);
    }
    let mut at = 0;
    let fields = line
        .split('\t')
        .map(|f| {
            let field = (at, f.to_string());
            at += f.len() + 1;
            field
        })
        .collect();
    three(fields, "a TSV")
}

/// The CSV record that starts at byte `at` of `text` (RFC 4180: a quoted field may hold commas,
/// doubled quotes and line breaks), and where the next record starts. A malformed record ends at
/// the end of its line, except an unclosed quote, which runs to the end of the text.
fn csv_record(text: &str, at: usize) -> (LineResult, usize) {
    let bytes = text.as_bytes();
    let line_end =
        |from: usize| memchr::memchr(b'\n', &bytes[from..]).map_or(text.len(), |n| from + n + 1);
    let first_line = &text[at..line_end(at)];
    if first_line.trim().is_empty() {
        return (Ok(None), at + first_line.len());
    }
    let mut fields = Vec::new();
    let mut i = at;
    loop {
        let start = i;
        let mut field = String::new();
        if bytes.get(i) == Some(&b'"') {
            i += 1;
            loop {
                let Some(n) = memchr::memchr(b'"', &bytes[i..]) else {
                    let error = (start - at, "unclosed quote in CSV field".to_string());
                    return (Err(error), text.len());
                };
                field.push_str(&text[i..i + n]);
                i += n + 1;
                if bytes.get(i) != Some(&b'"') {
                    break;
                }
                field.push('"');
                i += 1;
            }
            if bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            if !matches!(bytes.get(i), None | Some(b',' | b'\n')) {
                let error = (i - at, "expected `,` after a quoted CSV field".to_string());
                return (Err(error), line_end(i));
            }
        } else {
            let end = memchr::memchr2(b',', b'\n', &bytes[i..]).map_or(text.len(), |n| i + n);
            let value = &text[i..end];
            let value = match bytes.get(end) {
                Some(b'\n') => value.strip_suffix('\r').unwrap_or(value),
                _ => value,
            };
            field.push_str(value);
            i = end;
        }
        fields.push((start - at, field));
        match bytes.get(i) {
            Some(b',') => i += 1,
            Some(_) => return (three(fields, "a CSV"), i + 1),
            None => return (three(fields, "a CSV"), i),
        }
    }
}
