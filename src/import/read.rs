//! Readers for the triple syntaxes: every line becomes interned (head, relation, tail) indices, and
//! every malformed line is reported with its position.

use super::TripleFormat;
use crate::diagnostic::{Diagnostic, Location};
use std::collections::{HashMap, HashSet};

/// At most this many malformed lines are reported; past that the input is clearly not in the format.
const MAX_ERRORS: usize = 20;

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
/// Every malformed line is reported, up to `MAX_ERRORS`.
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
    let mut offset = 0;
    let mut skip_header = header && format != TripleFormat::Ntriples;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        if std::mem::take(&mut skip_header) {
            continue;
        }
        let parsed = match format {
            TripleFormat::Tsv => tsv_line(body),
            TripleFormat::Csv => csv_line(body),
            TripleFormat::Ntriples => ntriples_line(body),
        };
        let fields = match parsed {
            Ok(Some(fields)) => fields,
            Ok(None) => continue,
            Err((at, message)) => {
                if errors.len() < MAX_ERRORS {
                    let location = Location::from_span(file, text, start + at..start + at + 1);
                    errors.push(Diagnostic::error(message).at(location));
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

fn csv_line(line: &str) -> LineResult {
    if line.trim().is_empty() {
        return Ok(None);
    }
    let bytes = line.as_bytes();
    let mut fields = Vec::new();
    let mut i = 0;
    loop {
        let start = i;
        let mut field = String::new();
        if bytes.get(i) == Some(&b'"') {
            i += 1;
            loop {
                match line[i..].find('"') {
                    None => return Err((start, "unclosed quote in CSV field".to_string())),
                    Some(n) => {
                        field.push_str(&line[i..i + n]);
                        i += n + 1;
                        if bytes.get(i) == Some(&b'"') {
                            field.push('"');
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            if i < bytes.len() && bytes[i] != b',' {
                return Err((i, "expected `,` after a quoted CSV field".to_string()));
            }
        } else {
            let end = line[i..].find(',').map_or(line.len(), |n| i + n);
            field.push_str(&line[i..end]);
            i = end;
        }
        fields.push((start, field));
        if i >= bytes.len() {
            break;
        }
        i += 1; // the comma
    }
    three(fields, "a CSV")
}

fn ntriples_line(line: &str) -> LineResult {
    let mut p = NtParser { line, at: 0 };
    p.skip_ws();
    if p.at == line.len() || p.rest().starts_with('#') {
        return Ok(None);
    }
    let subject = p.term(false)?;
    p.skip_ws();
    let predicate = match p.rest().starts_with('<') {
        true => p.term(false)?,
        false => return Err((p.at, "expected a predicate IRI `<...>`".to_string())),
    };
    p.skip_ws();
    let object = p.term(true)?;
    p.skip_ws();
    if !p.rest().starts_with('.') {
        return Err((p.at, "expected `.` at the end of the triple".to_string()));
    }
    p.at += 1;
    p.skip_ws();
    if !(p.rest().is_empty() || p.rest().starts_with('#')) {
        return Err((p.at, "unexpected text after the triple".to_string()));
    }
    Ok(Some([subject, predicate, object]))
}

struct NtParser<'a> {
    line: &'a str,
    at: usize,
}

impl<'a> NtParser<'a> {
    fn rest(&self) -> &'a str {
        &self.line[self.at..]
    }

    fn skip_ws(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    }

    /// An IRI (returned without brackets, escapes decoded), a blank node (`_:b0`) or, where
    /// `literal` allows, a literal returned exactly as written so it never equals an IRI.
    fn term(&mut self, literal: bool) -> Result<String, (usize, String)> {
        let start = self.at;
        let rest = self.rest();
        if let Some(body) = rest.strip_prefix('<') {
            let end = body
                .find('>')
                .ok_or((start, "unclosed IRI `<...`".to_string()))?;
            self.at += end + 2;
            return unescape(&body[..end]).map_err(|m| (start, m));
        }
        if rest.starts_with("_:") {
            let end = rest.find([' ', '\t']).unwrap_or(rest.len());
            let label = rest[..end].trim_end_matches('.');
            self.at += label.len();
            return Ok(label.to_string());
        }
        if literal && rest.starts_with('"') {
            let bytes = rest.as_bytes();
            let mut i = 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            if i >= bytes.len() {
                return Err((start, "unclosed literal `\"...`".to_string()));
            }
            i += 1;
            let suffix = &rest[i..];
            if suffix.starts_with("^^<") {
                i += suffix
                    .find('>')
                    .ok_or((start + i, "unclosed datatype IRI".to_string()))?
                    + 1;
            } else if let Some(lang) = suffix.strip_prefix('@') {
                i += 1 + lang
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                    .unwrap_or(lang.len());
            }
            self.at += i;
            return Ok(rest[..i].to_string());
        }
        Err((
            start,
            if literal {
                "expected an IRI `<...>`, a blank node `_:x` or a literal `\"...\"`".to_string()
            } else {
                "expected an IRI `<...>` or a blank node `_:x`".to_string()
            },
        ))
    }
}

/// Decodes N-Triples `\uXXXX` and `\UXXXXXXXX` escapes in an IRI.
fn unescape(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let digits = match rest.as_bytes().get(i + 1) {
            Some(b'u') => 4,
            Some(b'U') => 8,
            _ => return Err("unknown escape in IRI; only \\uXXXX and \\UXXXXXXXX".to_string()),
        };
        let hex = rest.get(i + 2..i + 2 + digits).unwrap_or("");
        let c = u32::from_str_radix(hex, 16)
            .ok()
            .filter(|_| hex.len() == digits)
            .and_then(char::from_u32)
            .ok_or_else(|| format!("bad escape `\\{}` in IRI", &rest[i + 1..]))?;
        out.push(c);
        rest = &rest[i + 2 + digits..];
    }
    out.push_str(rest);
    Ok(out)
}
