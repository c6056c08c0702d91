//! Turns triple files (TSV, CSV, N-Triples) into a fact file, so real knowledge graphs can be loaded
//! and checked like curated ones.
//!
//! Every distinct head or tail string becomes an entity whose `name` is that string, unchanged, and
//! whose `id` is an escaped form of it that any query can type: ASCII letters, digits and `_` stay as
//! they are, every other byte (UTF-8) is written `-xx` in lowercase hex (`/m/027rn` ->
//! `-2fm-2f027rn`, `-` -> `-2d`). The escape is injective, so distinct strings keep distinct ids.
//! Relation names are kept verbatim (their inverse label is the default `^name`). A fourth column
//! (or the one `--date-column` names) dates each fact in any form the date grammar reads; it is
//! written back in its ISO form. One synthetic source, `import`, stands for the input file;
//! imported facts carry an empty quote, because a triple file states no sentence to quote.

use crate::date::{parse_when, When};
use crate::diagnostic::Diagnostic;
use crate::model::Kind;
use crate::output::{Destination, Role};
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

mod read;
pub use read::{read_dated_triples, read_triples, Triples};

/// The triple syntaxes `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TripleFormat {
    /// `head<TAB>relation<TAB>tail`, one triple a line, no quoting.
    Tsv,
    /// `head,relation,tail` with RFC 4180 quoting (`"a ""b"", c"`).
    Csv,
    /// W3C N-Triples: `<s> <p> <o> .`, objects may be blank nodes or literals.
    Ntriples,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub format: TripleFormat,
    /// The kind given to every entity.
    pub kind: Kind,
    /// The `published` date of the synthetic source, as written in a fact file.
    pub published: String,
    /// Skip the first line (a column header) of a TSV or CSV file.
    pub header: bool,
    /// The 1-based column of a TSV or CSV file that holds each fact's date (4 or more); `None`
    /// reads an optional fourth column.
    pub date_column: Option<usize>,
}

/// What an import produced, for the one-line report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportSummary {
    pub facts: usize,
    /// Facts with a date.
    pub dated: usize,
    pub duplicates: usize,
    pub entities: usize,
    pub relations: usize,
}

/// The id for an entity string: letters, digits and `_` kept, every other byte as `-xx`.
pub fn escape_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' {
            out.push(b as char);
        } else {
            let _ = write!(out, "-{b:02x}");
        }
    }
    out
}

/// The inverse of [`escape_id`]; `None` if `id` is not an escaped id.
pub fn unescape_id(id: &str) -> Option<String> {
    let bytes = id.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'-' {
            let hex = id.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Writes `text` as a RON string literal.
pub fn write_ron_string(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    out.write_all(b"\"")?;
    let mut plain = 0;
    for (i, c) in text.char_indices() {
        let escaped: Option<String> = match c {
            '"' => Some("\\\"".into()),
            '\\' => Some("\\\\".into()),
            '\n' => Some("\\n".into()),
            '\r' => Some("\\r".into()),
            '\t' => Some("\\t".into()),
            c if c.is_control() => Some(format!("\\u{{{:x}}}", c as u32)),
            _ => None,
        };
        if let Some(e) = escaped {
            out.write_all(&text.as_bytes()[plain..i])?;
            out.write_all(e.as_bytes())?;
            plain = i + c.len_utf8();
        }
    }
    out.write_all(&text.as_bytes()[plain..])?;
    out.write_all(b"\"")
}

/// Writes the fact file for `triples`: one source, the relation vocabulary, entities and facts.
pub fn write_fact_file(
    out: &mut impl Write,
    triples: &Triples,
    title: &str,
    kind: Kind,
    published: &str,
) -> std::io::Result<()> {
    writeln!(
        out,
        "// Imported by `factgraph import` from {title}: {} facts, {} entities, {} relations.",
        triples.triples.len(),
        triples.entities.len(),
        triples.relations.len()
    )?;
    writeln!(
        out,
        "// Entity names are the original strings; ids escape every byte outside [A-Za-z0-9_] as -xx."
    )?;
    writeln!(
        out,
        "// Imported facts carry an empty quote: a triple file states no sentence. Entities and\n\
         // facts are not indented, to keep files of millions of facts small."
    )?;
    out.write_all(b"(\n  sources: [\n    (id: \"import\", title: ")?;
    write_ron_string(out, title)?;
    out.write_all(b", publisher: \"factgraph import\", published: ")?;
    write_ron_string(out, published)?;
    out.write_all(b"),\n  ],\n  relations: [\n")?;
    for (i, name) in triples.relations.iter().enumerate() {
        out.write_all(b"    (name: ")?;
        write_ron_string(out, name)?;
        if triples.self_loop_relations.get(i) == Some(&true) {
            out.write_all(b", self_loops: true")?;
        }
        out.write_all(b"),\n")?;
    }
    out.write_all(b"  ],\n  entities: [\n")?;
    let ids: Vec<String> = triples.entities.iter().map(|e| escape_id(e)).collect();
    for (name, id) in triples.entities.iter().zip(&ids) {
        out.write_all(b"(id: ")?;
        write_ron_string(out, id)?;
        out.write_all(b", name: ")?;
        write_ron_string(out, name)?;
        writeln!(out, ", kind: \"{kind}\"),")?;
    }
    out.write_all(b"  ],\n  facts: [\n")?;
    let relations: Vec<Vec<u8>> = triples
        .relations
        .iter()
        .map(|r| {
            let mut v = Vec::new();
            write_ron_string(&mut v, r).map(|_| v)
        })
        .collect::<Result<_, _>>()?;
    let dates: Vec<String> = triples.dates.iter().map(When::to_string).collect();
    for (i, &[h, r, t]) in triples.triples.iter().enumerate() {
        out.write_all(b"(subject: \"")?;
        out.write_all(ids[h as usize].as_bytes())?;
        out.write_all(b"\", relation: ")?;
        out.write_all(&relations[r as usize])?;
        out.write_all(b", object: \"")?;
        out.write_all(ids[t as usize].as_bytes())?;
        if let Some(&Some(d)) = triples.when.get(i) {
            out.write_all(b"\", when: ")?;
            write_ron_string(out, &dates[d as usize])?;
            out.write_all(b", source: \"import\", quote: \"\"),\n")?;
        } else {
            out.write_all(b"\", source: \"import\", quote: \"\"),\n")?;
        }
    }
    out.write_all(b"  ],\n)\n")
}

/// Today's date (UTC) as `YYYY-MM-DD`, the default `published` of the synthetic source.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Howard Hinnant's days-to-civil algorithm: (year, month, day) of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Reads `input`, converts it and writes `output` by the rules of [`crate::output`]: atomically,
/// an existing `output` only if `force`, and never over `input` itself.
pub fn import_file(
    input: &Path,
    output: &Path,
    options: &ImportOptions,
    force: bool,
) -> Result<ImportSummary, Vec<Diagnostic>> {
    let destination = Destination::new(output)
        .force(force)
        .protect([input], Role::ImportInput);
    // Refused before the input is read: a large import should not be redone for nothing.
    destination.check().map_err(|e| vec![e.to_diagnostic()])?;
    if let Err(e) = parse_when(&options.published).map(|_: When| ()) {
        return Err(vec![Diagnostic::error(format!(
            "invalid --published date `{}`: {e}",
            options.published
        ))]);
    }
    if let Some(column) = options.date_column.filter(|&c| c < 4) {
        return Err(vec![Diagnostic::error(format!(
            "--date-column {column} would read the date from the head, relation or tail; \
             the date column is the fourth or a later one"
        ))]);
    }
    let source = crate::fact_file::SourceText::read_kind(input, crate::fact_file::FileKind::Import)
        .map_err(|d| vec![d])?;
    let triples = read_dated_triples(
        &source.name,
        &source.text,
        options.format,
        options.header,
        options.date_column,
    )?;
    drop(source);
    let title = input.file_name().map_or_else(
        || input.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    destination
        .write_with(|mut w| {
            write_fact_file(&mut w, &triples, &title, options.kind, &options.published)
        })
        .map_err(|e| vec![e.to_diagnostic()])?;
    Ok(ImportSummary {
        facts: triples.triples.len(),
        dated: triples.when.iter().filter(|w| w.is_some()).count(),
        duplicates: triples.duplicates,
        entities: triples.entities.len(),
        relations: triples.relations.len(),
    })
}

#[cfg(test)]
mod tests;
