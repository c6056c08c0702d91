//! A fast reader for the common, well-formed shape of fact files, so that imported graphs of
//! millions of facts load in a fraction of ron's time. It is a nom parser over the file's bytes;
//! strings and record bounds are found with memchr.
//!
//! It accepts a strict subset of what ron accepts (plain `(field: value)` records, `"..."` strings
//! with the usual escapes, `//` comments, trailing commas) and produces the same records and spans.
//! Anything else, including every malformed input, makes it give up (`None`), and the caller falls
//! back to ron, which produces the diagnostics. So it never needs error messages of its own and can
//! never accept a file that ron would reject.
//!
//! Entities and facts are only delimited here: the caller keeps their start offsets (8 bytes a
//! record) and reads each in full with [`entity_at`] or [`fact_at`] when it validates it, so each
//! record is parsed once and no parsed records are held beside the model (a list of entity
//! records was the largest allocation of a load after the text itself). A record that cannot
//! then be read sends the whole load back to ron. Long lists are delimited on two threads
//! (`fast_split.rs`).
//!
//! The fields each record may have are listed once, in the `record!` call of its reader
//! ([`Reader::file`], [`Reader::source`], [`Reader::relation`], [`Reader::entity`],
//! [`Reader::fact`]): a new field is one line there.

use super::{EntityRecord, FactRecord, RelationRecord, SourceRecord, Spanned};
use memchr::{memchr, memchr2, memchr3};
use nom::bytes::complete::{take_until, take_while, take_while1, take_while_m_n};
use nom::character::complete::char;
use nom::combinator::opt;
use nom::sequence::delimited;
use nom::{IResult, Parser};
use std::borrow::Cow;
use std::collections::BTreeMap;

#[path = "fast_split.rs"]
mod split;

/// A fact record whose strings borrow from the file text where they contain no escapes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactRef<'a> {
    pub subject: Cow<'a, str>,
    pub relation: Cow<'a, str>,
    pub object: Cow<'a, str>,
    pub when: Option<Cow<'a, str>>,
    pub source: Cow<'a, str>,
    pub quote: Cow<'a, str>,
    pub reported_by: Vec<Cow<'a, str>>,
    pub note: Option<Cow<'a, str>>,
    /// Accepted warnings: (name, reason).
    pub accept: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// The Admiralty credibility as written; its range is checked by validation.
    pub credibility: Option<i64>,
}

impl<'a> FactRef<'a> {
    /// Borrows an owned record, so facts read by ron go through the same validation.
    pub fn from_record(r: &'a FactRecord) -> FactRef<'a> {
        FactRef {
            subject: Cow::Borrowed(&r.subject),
            relation: Cow::Borrowed(&r.relation),
            object: Cow::Borrowed(&r.object),
            when: r.when.as_deref().map(Cow::Borrowed),
            source: Cow::Borrowed(&r.source),
            quote: Cow::Borrowed(&r.quote),
            reported_by: r
                .reported_by
                .iter()
                .map(|s| Cow::Borrowed(s.as_str()))
                .collect(),
            note: r.note.as_deref().map(Cow::Borrowed),
            accept: r
                .accept
                .iter()
                .map(|(name, why)| (Cow::Borrowed(name.as_str()), Cow::Borrowed(why.as_str())))
                .collect(),
            credibility: r.credibility,
        }
    }

    pub fn into_record(self) -> FactRecord {
        FactRecord {
            subject: self.subject.into_owned(),
            relation: self.relation.into_owned(),
            object: self.object.into_owned(),
            when: self.when.map(Cow::into_owned),
            source: self.source.into_owned(),
            quote: self.quote.into_owned(),
            reported_by: self.reported_by.into_iter().map(Cow::into_owned).collect(),
            note: self.note.map(Cow::into_owned),
            accept: self
                .accept
                .into_iter()
                .map(|(name, why)| (name.into_owned(), why.into_owned()))
                .collect(),
            credibility: self.credibility,
        }
    }
}

/// A file read by the fast path: sources and relations in full, entities and facts as start
/// offsets.
#[derive(Debug, Default)]
pub struct Scan {
    /// The shipped vocabularies named in `uses`, each spanning its string literal.
    pub uses: Vec<Spanned<String>>,
    pub sources: Vec<Spanned<SourceRecord>>,
    pub relations: Vec<Spanned<RelationRecord>>,
    pub entities: Vec<usize>,
    pub facts: Vec<usize>,
}

/// Reads a whole fact file (`text` is the full text; a BOM is skipped), or `None` if the file is
/// outside the subset this reader handles.
pub fn scan(text: &str) -> Option<Scan> {
    scan_splitting(text, split::SPLIT_BYTES)
}

/// [`scan`], delimiting lists on two threads from `split_bytes` to the end of the file (tests
/// split small files).
fn scan_splitting(text: &str, split_bytes: usize) -> Option<Scan> {
    let bytes = text.as_bytes();
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let reader = Reader { text, split_bytes };
    reader.file(body).ok().map(|(_, scan)| scan)
}

/// Reads the fact record starting at byte `start` of `text`, with its span; `None` if it is outside
/// the subset this reader handles (ron must then read the file).
pub fn fact_at(text: &str, start: usize) -> Option<Spanned<FactRef<'_>>> {
    let reader = Reader::new(text);
    let (rest, value) = reader.fact(text.as_bytes().get(start..)?).ok()?;
    Some(Spanned {
        value,
        span: start..reader.at(rest),
    })
}

/// Reads the entity record starting at byte `start` of `text`, with its span; `None` if it is
/// outside the subset this reader handles (ron must then read the file).
pub fn entity_at(text: &str, start: usize) -> Option<Spanned<EntityRecord>> {
    let reader = Reader::new(text);
    let (rest, value) = reader.entity(text.as_bytes().get(start..)?).ok()?;
    Some(Spanned {
        value,
        span: start..reader.at(rest),
    })
}

/// What the parsers read: the bytes of the file from some point to its end.
type In<'a> = &'a [u8];

/// A parser's result. Failing carries no detail: any failure means "leave this file to ron".
type Res<'a, O> = IResult<In<'a>, O, ()>;

fn give_up<'a, O>() -> Res<'a, O> {
    Err(nom::Err::Error(()))
}

/// `Some` value, or a failure for the parser that needed it.
fn need<T>(value: Option<T>) -> Result<T, nom::Err<()>> {
    value.ok_or(nom::Err::Error(()))
}

/// Stores a parsed value in a record's field.
fn store<'a, T>(parsed: Res<'a, T>, slot: &mut T) -> Res<'a, ()> {
    let (rest, value) = parsed?;
    *slot = value;
    Ok((rest, ()))
}

fn some<'a, T>(parsed: Res<'a, T>) -> Res<'a, Option<T>> {
    parsed.map(|(rest, value)| (rest, Some(value)))
}

/// The bit of `field` in the set of a record's fields read so far: its place in `fields`.
const fn bit_of(fields: &[&str], field: &str) -> u64 {
    let mut k = 0;
    while k < fields.len() {
        let (a, b) = (fields[k].as_bytes(), field.as_bytes());
        let mut same = a.len() == b.len();
        let mut i = 0;
        while same && i < a.len() {
            same = a[i] == b[i];
            i += 1;
        }
        if same {
            return 1 << k;
        }
        k += 1;
    }
    panic!("a required field that the record does not list")
}

fn has_all(seen: u64, required: u64) -> bool {
    seen & required == required
}

/// Reads a `(field: value, ...)` record at `$input` whose fields are the arms: each arm reads
/// the value at `$i` and stores it. A field given twice, one not listed or a required one missing
/// makes the reader give up, as ron's `deny_unknown_fields` and missing fields make it fail.
/// Evaluates to the set of fields read, as bits.
macro_rules! record {
    ($reader:expr, $input:expr, $i:ident, required [$($required:literal),*], {
        $($field:literal => $read:expr,)*
    }) => {{
        const FIELDS: &[&str] = &[$($field),*];
        const REQUIRED: u64 = 0 $(| bit_of(FIELDS, $required))*;
        let mut seen = 0u64;
        let (rest, ()) = $reader.fields($input, |name, $i| match name {
            $($field => {
                const BIT: u64 = bit_of(FIELDS, $field);
                if seen & BIT != 0 {
                    return give_up();
                }
                seen |= BIT;
                $read
            })*
            _ => give_up(),
        })?;
        if !has_all(seen, REQUIRED) {
            return give_up();
        }
        (rest, seen)
    }};
}

/// Whitespace and `//` comments; block comments and a comment without a final newline are left
/// to ron.
fn ws(mut i: In<'_>) -> Res<'_, ()> {
    // Most calls stand before a token: answer those without a parser.
    if !matches!(
        i.first(),
        Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C | b'/')
    ) {
        return Ok((i, ()));
    }
    loop {
        let (rest, _) = take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C))(i)?;
        if rest.first() != Some(&b'/') {
            return Ok((rest, ()));
        }
        (i, _) = (char('/'), char('/'), take_until("\n"), char('\n')).parse(rest)?;
    }
}

/// `open item, item, ... close`, with whitespace anywhere and an optional trailing comma; `item`
/// reads (and keeps) one item.
fn list<'a>(
    i: In<'a>,
    open: char,
    close: char,
    mut item: impl FnMut(In<'a>) -> Res<'a, ()>,
) -> Res<'a, ()> {
    let (mut i, _) = char(open).parse(i)?;
    loop {
        let (rest, ()) = ws(i)?;
        if let Ok((rest, _)) = char::<_, ()>(close).parse(rest) {
            return Ok((rest, ()));
        }
        let (rest, ()) = item(rest)?;
        let (rest, ()) = ws(rest)?;
        match char::<_, ()>(',').parse(rest) {
            Ok((rest, _)) => i = rest,
            Err(_) => return char(close).map(|_| ()).parse(rest),
        }
    }
}

/// A field name or a bare word (`true`).
fn word(i: In<'_>) -> Res<'_, In<'_>> {
    take_while1(|b: u8| b.is_ascii_alphanumeric() || b == b'_')(i)
}

fn boolean(i: In<'_>) -> Res<'_, bool> {
    match word(i)? {
        (rest, b"true") => Ok((rest, true)),
        (rest, b"false") => Ok((rest, false)),
        _ => give_up(),
    }
}

/// A small unsigned integer (`2`); signs, exponents and overlong numbers are left to ron.
fn integer(i: In<'_>) -> Res<'_, i64> {
    let (rest, digits) = take_while_m_n(1, 18, |b: u8| b.is_ascii_digit()).parse(i)?;
    if rest
        .first()
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_'))
    {
        return give_up();
    }
    let value = digits
        .iter()
        .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
    Ok((rest, value))
}

/// Steps over a parenthesised record without reading its fields: strings and `//` comments
/// are skipped so that parentheses inside them do not count. Escapes are checked only when the
/// record is read in full.
fn skip_record(i: In<'_>) -> Res<'_, ()> {
    let (mut i, _) = char('(').parse(i)?;
    let mut depth = 1usize;
    loop {
        let n = need(memchr3(b'"', b'(', b')', i))?;
        // Outside strings a `/` can only start a comment, which may hide the delimiters.
        if let Some(slash) = memchr(b'/', &i[..n]) {
            (i, ()) = ws(&i[slash..])?;
            continue;
        }
        match i[n] {
            b'"' => {
                (i, ()) = skip_string(&i[n + 1..])?;
                continue;
            }
            b'(' => depth += 1,
            _ => depth -= 1,
        }
        i = &i[n + 1..];
        if depth == 0 {
            return Ok((i, ()));
        }
    }
}

/// After a string's opening quote: steps past its closing one.
fn skip_string(mut i: In<'_>) -> Res<'_, ()> {
    loop {
        let n = need(memchr2(b'"', b'\\', i))?;
        if i[n] == b'"' {
            return Ok((&i[n + 1..], ()));
        }
        i = need(i.get(n + 2..))?;
    }
}

/// The escape after a backslash, as the character it stands for: those of Rust and ron, except
/// `\x..` and line continuations (rare, left to ron).
fn escape(i: In<'_>) -> Res<'_, char> {
    let (&b, rest) = need(i.split_first())?;
    let c = match b {
        b'"' => '"',
        b'\'' => '\'',
        b'\\' => '\\',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'0' => '\0',
        b'u' => {
            let hex = take_while_m_n(1, 6, |b: u8| b.is_ascii_hexdigit());
            let (rest, digits) = delimited(char('{'), hex, char('}')).parse(rest)?;
            let digits = need(std::str::from_utf8(digits).ok())?;
            let code = need(u32::from_str_radix(digits, 16).ok())?;
            return Ok((rest, need(char::from_u32(code))?));
        }
        _ => return give_up(),
    };
    Ok((rest, c))
}

/// Reads records out of one file's text, which string values borrow from.
struct Reader<'a> {
    text: &'a str,
    /// Lists from this many bytes before the end of the file are delimited on two threads.
    split_bytes: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            split_bytes: split::SPLIT_BYTES,
        }
    }

    /// The offset in the file of what is left to read.
    fn at(&self, rest: In<'a>) -> usize {
        self.text.len() - rest.len()
    }

    /// The text of `part`, a slice of the file cut at ASCII delimiters.
    fn str_of(&self, part: In<'a>) -> Result<&'a str, nom::Err<()>> {
        let start = part.as_ptr() as usize - self.text.as_ptr() as usize;
        need(self.text.get(start..start + part.len()))
    }

    /// The fields of a record: `field` reads the value of the named one.
    fn fields(
        &self,
        i: In<'a>,
        mut field: impl FnMut(&'a str, In<'a>) -> Res<'a, ()>,
    ) -> Res<'a, ()> {
        list(i, '(', ')', |i| {
            let (i, name) = word(i)?;
            let (i, _) = (ws, char(':'), ws).parse(i)?;
            field(self.str_of(name)?, i)
        })
    }

    /// The whole file: `(sources: [...], relations: [...], entities: [...], facts: [...])`,
    /// each list optional.
    fn file(&self, i: In<'a>) -> Res<'a, Scan> {
        let mut out = Scan::default();
        let (i, ()) = ws(i)?;
        let (i, seen) = record!(self, i, i, required [], {
            "uses" => list(i, '[', ']', |i| {
                let (rest, value) = self.owned(i)?;
                let span = self.at(i)..self.at(rest);
                out.uses.push(Spanned { value, span });
                Ok((rest, ()))
            }),
            "sources" => list(i, '[', ']', |i| {
                let (rest, value) = self.source(i)?;
                let span = self.at(i)..self.at(rest);
                out.sources.push(Spanned { value, span });
                Ok((rest, ()))
            }),
            "relations" => list(i, '[', ']', |i| {
                let (rest, value) = self.relation(i)?;
                let span = self.at(i)..self.at(rest);
                out.relations.push(Spanned { value, span });
                Ok((rest, ()))
            }),
            "entities" => self.delimit(i, &mut out.entities),
            "facts" => self.delimit(i, &mut out.facts),
        });
        // ron's reading of an empty tuple as a struct is not worth mirroring.
        if seen == 0 {
            return give_up();
        }
        let (i, ()) = ws(i)?;
        if !i.is_empty() {
            return give_up();
        }
        Ok((i, out))
    }

    fn string(&self, i: In<'a>) -> Res<'a, Cow<'a, str>> {
        let (i, _) = char('"').parse(i)?;
        let n = need(memchr2(b'"', b'\\', i))?;
        if i[n] == b'"' {
            return Ok((&i[n + 1..], Cow::Borrowed(self.str_of(&i[..n])?)));
        }
        let mut out = String::with_capacity(n + 16);
        let mut i = i;
        loop {
            let n = need(memchr2(b'"', b'\\', i))?;
            out.push_str(self.str_of(&i[..n])?);
            if i[n] == b'"' {
                return Ok((&i[n + 1..], Cow::Owned(out)));
            }
            let (rest, c) = escape(&i[n + 1..])?;
            out.push(c);
            i = rest;
        }
    }

    fn owned(&self, i: In<'a>) -> Res<'a, String> {
        self.string(i).map(|(rest, s)| (rest, s.into_owned()))
    }

    fn strings(&self, i: In<'a>) -> Res<'a, Vec<Cow<'a, str>>> {
        let mut out = Vec::new();
        let (rest, ()) = list(i, '[', ']', |i| {
            let (rest, s) = self.string(i)?;
            out.push(s);
            Ok((rest, ()))
        })?;
        Ok((rest, out))
    }

    fn owned_strings(&self, i: In<'a>) -> Res<'a, Vec<String>> {
        let (rest, strings) = self.strings(i)?;
        Ok((rest, strings.into_iter().map(Cow::into_owned).collect()))
    }

    /// `{"key": "value", ...}`; a repeated key keeps its last value, as with ron.
    fn map(&self, i: In<'a>) -> Res<'a, BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        let (rest, ()) = list(i, '{', '}', |i| {
            let (i, key) = self.owned(i)?;
            let (i, _) = (ws, char(':'), ws).parse(i)?;
            let (i, value) = self.owned(i)?;
            out.insert(key, value);
            Ok((i, ()))
        })?;
        Ok((rest, out))
    }

    /// `[("a", "b"), ...]`: a list of pairs of strings.
    fn pairs(&self, i: In<'a>) -> Res<'a, Vec<(Cow<'a, str>, Cow<'a, str>)>> {
        let mut out = Vec::new();
        let string = |i| self.string(i);
        let (rest, ()) = list(i, '[', ']', |i| {
            let (i, (_, _, first, _, _, _, second, _, _, _, _)) = (
                char('('),
                ws,
                string,
                ws,
                char(','),
                ws,
                string,
                ws,
                opt(char(',')),
                ws,
                char(')'),
            )
                .parse(i)?;
            out.push((first, second));
            Ok((i, ()))
        })?;
        Ok((rest, out))
    }

    fn source(&self, i: In<'a>) -> Res<'a, SourceRecord> {
        let mut s = SourceRecord::default();
        let (rest, _) = record!(self, i, i, required ["id", "title", "publisher", "published"], {
            "id" => store(self.owned(i), &mut s.id),
            "title" => store(self.owned(i), &mut s.title),
            "publisher" => store(self.owned(i), &mut s.publisher),
            "published" => store(self.owned(i), &mut s.published),
            "url" => store(some(self.owned(i)), &mut s.url),
            "text" => store(some(self.owned(i)), &mut s.text),
            "reliability" => store(some(self.owned(i)), &mut s.reliability),
        });
        Ok((rest, s))
    }

    fn relation(&self, i: In<'a>) -> Res<'a, RelationRecord> {
        let mut r = RelationRecord::default();
        let (rest, _) = record!(self, i, i, required ["name"], {
            "name" => store(self.owned(i), &mut r.name),
            "inverse" => store(some(self.owned(i)), &mut r.inverse),
            "symmetric" => store(boolean(i), &mut r.symmetric),
            "domain" => store(self.owned_strings(i), &mut r.domain),
            "range" => store(self.owned_strings(i), &mut r.range),
            "broader" => store(some(self.owned(i)), &mut r.broader),
            "description" => store(some(self.owned(i)), &mut r.description),
            "starts_state" => store(some(self.owned(i)), &mut r.starts_state),
            "ends_state" => store(some(self.owned(i)), &mut r.ends_state),
            "self_loops" => store(boolean(i), &mut r.self_loops),
            "hedged" => store(boolean(i), &mut r.hedged),
            "contradicts" => store(self.owned_strings(i), &mut r.contradicts),
        });
        Ok((rest, r))
    }

    fn entity(&self, i: In<'a>) -> Res<'a, EntityRecord> {
        let mut e = EntityRecord::default();
        let (rest, _) = record!(self, i, i, required ["id", "name", "kind"], {
            "id" => store(self.owned(i), &mut e.id),
            "name" => store(self.owned(i), &mut e.name),
            "kind" => store(self.owned(i), &mut e.kind),
            "aliases" => store(self.owned_strings(i), &mut e.aliases),
            "tags" => store(self.owned_strings(i), &mut e.tags),
            "attributes" => store(self.map(i), &mut e.attributes),
            "shared_names" => store(self.owned_strings(i), &mut e.shared_names),
            "same_as" => store(self.owned_strings(i), &mut e.same_as),
            "not_same_as" => store(self.owned_strings(i), &mut e.not_same_as),
        });
        Ok((rest, e))
    }

    fn fact(&self, i: In<'a>) -> Res<'a, FactRef<'a>> {
        let mut f = FactRef::default();
        let (rest, _) = record!(self, i, i, required ["subject", "relation", "object", "source", "quote"], {
            "subject" => store(self.string(i), &mut f.subject),
            "relation" => store(self.string(i), &mut f.relation),
            "object" => store(self.string(i), &mut f.object),
            "when" => store(some(self.string(i)), &mut f.when),
            "source" => store(self.string(i), &mut f.source),
            "quote" => store(self.string(i), &mut f.quote),
            "reported_by" => store(self.strings(i), &mut f.reported_by),
            "note" => store(some(self.string(i)), &mut f.note),
            "accept" => store(self.pairs(i), &mut f.accept),
            "credibility" => store(some(integer(i)), &mut f.credibility),
        });
        Ok((rest, f))
    }
}

#[cfg(test)]
#[path = "fast_tests.rs"]
mod tests;
