//! Readers for the triple syntaxes: every record (a line; in CSV, a quoted field may span lines)
//! becomes interned (head, relation, tail) indices and an optional date, and every malformed
//! record is reported with its position.

use super::TripleFormat;
use crate::date::{parse_when, When};
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
    /// Beside each triple, its date as an index into `dates`; `None` for an undated one.
    pub when: Vec<Option<u32>>,
    /// The distinct dates, in order of appearance.
    pub dates: Vec<When>,
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

/// Reads triples from `text` (named `file` in messages; a leading byte-order mark is skipped),
/// dated by an optional fourth column.
pub fn read_triples(
    file: &str,
    text: &str,
    format: TripleFormat,
    header: bool,
) -> Result<Triples, Vec<Diagnostic>> {
    read_dated_triples(file, text, format, header, None)
}

/// Reads triples as [`read_triples`] does, the date of each taken from column `date_column`
/// (1-based; columns past the fourth are only read with it). Every malformed record is counted;
/// the first [`MAX_ERRORS`] are reported, then "and M more".
pub fn read_dated_triples(
    file: &str,
    text: &str,
    format: TripleFormat,
    header: bool,
    date_column: Option<usize>,
) -> Result<Triples, Vec<Diagnostic>> {
    // A byte-order mark would become part of the first entity's name.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut entities = Interner::default();
    let mut relations = Interner::default();
    let mut dates: HashMap<When, u32> = HashMap::new();
    let mut seen = HashSet::new();
    let mut out = Triples::default();
    let mut errors = Vec::new();
    let mut omitted = 0;
    let records = Records {
        text,
        format,
        date_column,
        at: 0,
        line: 1,
    };
    let skip = usize::from(header && format != TripleFormat::Ntriples);
    for (start, line, parsed) in records.skip(skip) {
        let parsed = parsed.and_then(|record| match record {
            Some(Record { fields, date }) => {
                let when = date_of(text, start, date)?;
                Ok(Some((fields, when)))
            }
            None => Ok(None),
        });
        let (fields, when) = match parsed {
            Ok(Some(record)) => record,
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
        let when = when.map(|w| {
            let next = dates.len() as u32;
            *dates.entry(w).or_insert_with(|| {
                out.dates.push(w);
                next
            })
        });
        // The same triple on another day is another event; the same day, written otherwise
        // (`2015-5` and `2015-05`), is the same fact, as `check` would say.
        if !seen.insert((head, relation, tail, when)) {
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
        out.when.push(when);
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

/// The date cell of a record at `start` of `text`, parsed: `None` when the cell is empty or the
/// record has none, or (byte offset in the record, message) pointing into the cell.
fn date_of(
    text: &str,
    start: usize,
    date: Option<(usize, String)>,
) -> Result<Option<When>, (usize, String)> {
    let Some((offset, cell)) = date.filter(|(_, cell)| !cell.trim().is_empty()) else {
        return Ok(None);
    };
    parse_when(&cell).map(Some).map_err(|e| {
        // A quoted CSV cell starts after its `"`; a date holds no doubled quotes worth counting.
        let opening = usize::from(text.as_bytes().get(start + offset) == Some(&b'"'));
        let within = cell
            .char_indices()
            .nth(e.char_offset)
            .map_or(cell.len(), |(i, _)| i);
        (
            offset + opening + within,
            format!("invalid date `{}`: {}", cell.trim(), e.message),
        )
    })
}

/// The records of a text, each parsed: where it starts, the line it starts on, what it holds.
struct Records<'t> {
    text: &'t str,
    format: TripleFormat,
    date_column: Option<usize>,
    at: usize,
    line: usize,
}

impl Iterator for Records<'_> {
    type Item = (usize, usize, RecordResult);

    fn next(&mut self) -> Option<Self::Item> {
        let (text, start, line) = (self.text, self.at, self.line);
        if start >= text.len() {
            return None;
        }
        let columns = |fields: Vec<(usize, String)>, what| pick(fields, what, self.date_column);
        let (parsed, end) = match self.format {
            TripleFormat::Csv => {
                let (fields, end) = csv_record(text, start);
                (
                    fields.and_then(|f| f.map_or(Ok(None), |f| columns(f, "a CSV"))),
                    end,
                )
            }
            TripleFormat::Tsv | TripleFormat::Ntriples => {
                let end = memchr::memchr(b'\n', &text.as_bytes()[start..])
                    .map_or(text.len(), |i| start + i + 1);
                let body = text[start..end].trim_end_matches(['\n', '\r']);
                let parsed = match self.format {
                    TripleFormat::Tsv => {
                        tsv_line(body).and_then(|f| f.map_or(Ok(None), |f| columns(f, "a TSV")))
                    }
                    _ => ntriples_line(body).map(|t| t.map(|fields| Record { fields, date: None })),
                };
                (parsed, end)
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

/// A record's fields, each with its byte offset in the record; `None` for a blank line.
type FieldsResult = Result<Option<Vec<(usize, String)>>, (usize, String)>;

/// What a record holds: head, relation and tail, and its date cell with the cell's byte offset.
struct Record {
    fields: [String; 3],
    date: Option<(usize, String)>,
}

type RecordResult = Result<Option<Record>, (usize, String)>;

/// Head, relation and tail from the first three fields and the date from `date_column` (1-based;
/// by default an optional fourth field). Only the first three may not be empty: an empty date
/// cell is an undated fact.
fn pick(fields: Vec<(usize, String)>, what: &str, date_column: Option<usize>) -> RecordResult {
    let (least, most) = match date_column {
        Some(column) => (column.max(3), usize::MAX),
        None => (3, 4),
    };
    if !(least..=most).contains(&fields.len()) {
        let expected = match date_column {
            Some(column) => format!("at least {least} fields (the date is in column {column})"),
            None => "3 or 4 fields (head, relation, tail, and a date if any; \
                     `--date-column N` reads a wider file)"
                .to_string(),
        };
        let at = fields.get(most).map_or(0, |f| f.0);
        return Err((at, format!("expected {expected}, found {}", fields.len())));
    }
    if let Some((at, _)) = fields.iter().take(3).find(|(_, f)| f.is_empty()) {
        return Err((*at, format!("empty field in {what} line")));
    }
    let date = (date_column.unwrap_or(4).checked_sub(1)).and_then(|i| fields.get(i).cloned());
    let mut fields = fields.into_iter().map(|(_, f)| f);
    let mut next = || fields.next().unwrap_or_default();
    Ok(Some(Record {
        fields: [next(), next(), next()],
        date,
    }))
}

fn tsv_line(line: &str) -> FieldsResult {
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
    Ok(Some(fields))
}

/// The CSV record that starts at byte `at` of `text` (RFC 4180: a quoted field may hold commas,
/// doubled quotes and line breaks), and where the next record starts. A malformed record ends at
/// the end of its line, except an unclosed quote, which runs to the end of the text.
fn csv_record(text: &str, at: usize) -> (FieldsResult, usize) {
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
            Some(_) => return (Ok(Some(fields)), i + 1),
            None => return (Ok(Some(fields)), i),
        }
    }
}
