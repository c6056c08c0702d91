//! A fast reader for the common, well-formed shape of fact files, so that imported graphs of
//! millions of facts load in a fraction of ron's time.
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
//! then be read sends the whole load back to ron.

use super::{EntityRecord, FactRecord, RelationRecord, SourceRecord, Spanned};
use memchr::{memchr, memchr2};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A fact record whose strings borrow from the file text where they contain no escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
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
        }
    }
}

/// A file read by the fast path: sources and relations in full, entities and facts as start
/// offsets.
#[derive(Debug, Default)]
pub struct Scan {
    pub sources: Vec<Spanned<SourceRecord>>,
    pub relations: Vec<Spanned<RelationRecord>>,
    pub entities: Vec<usize>,
    pub facts: Vec<usize>,
}

/// Reads a whole fact file (`text` is the full text; a BOM is skipped), or `None` if the file is
/// outside the subset this reader handles.
pub fn scan(text: &str) -> Option<Scan> {
    let mut p = P::new(text, if text.starts_with('\u{feff}') { 3 } else { 0 });
    let mut out = Scan::default();
    p.ws()?;
    p.expect(b'(')?;
    let mut seen = 0u8;
    loop {
        p.ws()?;
        if p.eat(b')') {
            break;
        }
        let name = p.ident()?;
        let bit = match name {
            "sources" => 1,
            "relations" => 2,
            "entities" => 4,
            "facts" => 8,
            _ => return None,
        };
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        p.ws()?;
        p.expect(b':')?;
        p.ws()?;
        p.expect(b'[')?;
        loop {
            p.ws()?;
            if p.eat(b']') {
                break;
            }
            let start = p.i;
            match bit {
                1 => {
                    let value = p.source()?;
                    out.sources.push(Spanned {
                        value,
                        span: start..p.i,
                    });
                }
                2 => {
                    let value = p.relation()?;
                    out.relations.push(Spanned {
                        value,
                        span: start..p.i,
                    });
                }
                4 => {
                    p.skip_record()?;
                    out.entities.push(start);
                }
                _ => {
                    p.skip_record()?;
                    out.facts.push(start);
                }
            }
            p.ws()?;
            if !p.eat(b',') {
                p.ws()?;
                p.expect(b']')?;
                break;
            }
        }
        p.ws()?;
        if !p.eat(b',') {
            p.ws()?;
            p.expect(b')')?;
            break;
        }
    }
    // ron's reading of an empty tuple as a struct is not worth mirroring.
    if seen == 0 {
        return None;
    }
    p.ws()?;
    (p.i == p.s.len()).then_some(out)
}

/// Reads the fact record starting at byte `start` of `text`, with its span; `None` if it is outside
/// the subset this reader handles (ron must then read the file).
pub fn fact_at(text: &str, start: usize) -> Option<Spanned<FactRef<'_>>> {
    let mut p = P::new(text, start);
    let value = p.fact()?;
    Some(Spanned {
        value,
        span: start..p.i,
    })
}

/// Reads the entity record starting at byte `start` of `text`, with its span; `None` if it is
/// outside the subset this reader handles (ron must then read the file).
pub fn entity_at(text: &str, start: usize) -> Option<Spanned<EntityRecord>> {
    let mut p = P::new(text, start);
    let value = p.entity()?;
    Some(Spanned {
        value,
        span: start..p.i,
    })
}

struct P<'a> {
    text: &'a str,
    s: &'a [u8],
    i: usize,
}

/// Field sets are tracked as bits; a repeated field makes ron fail, so it makes us give up.
fn mark(seen: &mut u16, bit: u16) -> Option<()> {
    if *seen & bit != 0 {
        return None;
    }
    *seen |= bit;
    Some(())
}

impl<'a> P<'a> {
    fn new(text: &'a str, i: usize) -> P<'a> {
        P {
            text,
            s: text.as_bytes(),
            i,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        self.eat(b).then_some(())
    }

    /// ASCII whitespace and `//` comments; block comments and a comment without a final newline
    /// are left to ron.
    fn ws(&mut self) -> Option<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C) => self.i += 1,
                Some(b'/') => {
                    if self.s.get(self.i + 1) != Some(&b'/') {
                        return None;
                    }
                    let nl = memchr(b'\n', &self.s[self.i..])?;
                    self.i += nl + 1;
                }
                _ => return Some(()),
            }
        }
    }

    /// Steps over a parenthesised record without reading its fields: strings and `//` comments
    /// are skipped so that parentheses inside them do not count.
    fn skip_record(&mut self) -> Option<()> {
        self.expect(b'(')?;
        let mut depth = 1usize;
        loop {
            let n = memchr::memchr3(b'"', b'(', b')', &self.s[self.i..])?;
            // A `//` comment before the next delimiter may hide parentheses or quotes.
            if let Some(c) = memchr::memmem::find(&self.s[self.i..self.i + n], b"//") {
                self.i += c;
                self.ws()?;
                continue;
            }
            self.i += n;
            match self.s[self.i] {
                b'"' => {
                    self.string()?;
                    continue;
                }
                b'(' => depth += 1,
                _ => depth -= 1,
            }
            self.i += 1;
            if depth == 0 {
                return Some(());
            }
        }
    }

    fn ident(&mut self) -> Option<&'a str> {
        let start = self.i;
        while let Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') = self.peek() {
            self.i += 1;
        }
        (self.i > start).then(|| &self.text[start..self.i])
    }

    /// `name:` inside a record, or `None` at its closing parenthesis.
    fn field(&mut self) -> Option<Option<&'a str>> {
        self.ws()?;
        if self.eat(b')') {
            return Some(None);
        }
        let name = self.ident()?;
        self.ws()?;
        self.expect(b':')?;
        self.ws()?;
        Some(Some(name))
    }

    /// After a field's value: `,` or the closing parenthesis. Returns whether the record ended.
    fn after_field(&mut self) -> Option<bool> {
        self.ws()?;
        if self.eat(b',') {
            return Some(false);
        }
        self.expect(b')')?;
        Some(true)
    }

    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.expect(b'"')?;
        let start = self.i;
        let n = memchr2(b'"', b'\\', &self.s[start..])?;
        if self.s[start + n] == b'"' {
            self.i = start + n + 1;
            return Some(Cow::Borrowed(&self.text[start..start + n]));
        }
        let mut out = String::with_capacity(n + 16);
        let mut i = start;
        loop {
            let n = memchr2(b'"', b'\\', &self.s[i..])?;
            out.push_str(&self.text[i..i + n]);
            i += n;
            if self.s[i] == b'"' {
                self.i = i + 1;
                return Some(Cow::Owned(out));
            }
            let c = match self.s.get(i + 1)? {
                b'"' => '"',
                b'\'' => '\'',
                b'\\' => '\\',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'0' => '\0',
                b'u' => {
                    if self.s.get(i + 2) != Some(&b'{') {
                        return None;
                    }
                    let close = memchr(b'}', &self.s[i + 3..(i + 10).min(self.s.len())])?;
                    let hex = &self.text[i + 3..i + 3 + close];
                    if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return None;
                    }
                    let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                    out.push(c);
                    i += 3 + close + 1;
                    continue;
                }
                _ => return None, // `\x..` and line continuations: rare, left to ron
            };
            out.push(c);
            i += 2;
        }
    }

    fn opt_string(&mut self) -> Option<Option<Cow<'a, str>>> {
        self.string().map(Some)
    }

    fn owned(&mut self) -> Option<String> {
        self.string().map(Cow::into_owned)
    }

    fn boolean(&mut self) -> Option<bool> {
        let value = match self.ident()? {
            "true" => true,
            "false" => false,
            _ => return None,
        };
        Some(value)
    }

    fn strings(&mut self) -> Option<Vec<Cow<'a, str>>> {
        self.expect(b'[')?;
        let mut out = Vec::new();
        loop {
            self.ws()?;
            if self.eat(b']') {
                return Some(out);
            }
            out.push(self.string()?);
            self.ws()?;
            if !self.eat(b',') {
                self.ws()?;
                self.expect(b']')?;
                return Some(out);
            }
        }
    }

    fn owned_strings(&mut self) -> Option<Vec<String>> {
        Some(self.strings()?.into_iter().map(Cow::into_owned).collect())
    }

    fn map(&mut self) -> Option<BTreeMap<String, String>> {
        self.expect(b'{')?;
        let mut out = BTreeMap::new();
        loop {
            self.ws()?;
            if self.eat(b'}') {
                return Some(out);
            }
            let key = self.owned()?;
            self.ws()?;
            self.expect(b':')?;
            self.ws()?;
            let value = self.owned()?;
            out.insert(key, value);
            self.ws()?;
            if !self.eat(b',') {
                self.ws()?;
                self.expect(b'}')?;
                return Some(out);
            }
        }
    }

    fn source(&mut self) -> Option<SourceRecord> {
        self.expect(b'(')?;
        let (mut id, mut title, mut publisher, mut published, mut url, mut text) =
            (None, None, None, None, None, None);
        let mut seen = 0u16;
        while let Some(name) = self.field()? {
            match name {
                "id" => (mark(&mut seen, 1)?, id = Some(self.owned()?)),
                "title" => (mark(&mut seen, 2)?, title = Some(self.owned()?)),
                "publisher" => (mark(&mut seen, 4)?, publisher = Some(self.owned()?)),
                "published" => (mark(&mut seen, 8)?, published = Some(self.owned()?)),
                "url" => (mark(&mut seen, 16)?, url = Some(self.owned()?)),
                "text" => (mark(&mut seen, 32)?, text = Some(self.owned()?)),
                _ => return None,
            };
            if self.after_field()? {
                break;
            }
        }
        Some(SourceRecord {
            id: id?,
            title: title?,
            publisher: publisher?,
            published: published?,
            url,
            text,
        })
    }

    fn relation(&mut self) -> Option<RelationRecord> {
        self.expect(b'(')?;
        let mut r = RelationRecord {
            name: String::new(),
            inverse: None,
            symmetric: false,
            domain: Vec::new(),
            range: Vec::new(),
            broader: None,
            description: None,
            starts_state: None,
            ends_state: None,
            self_loops: false,
            hedged: false,
        };
        let mut seen = 0u16;
        while let Some(name) = self.field()? {
            match name {
                "name" => (mark(&mut seen, 1)?, r.name = self.owned()?),
                "inverse" => (mark(&mut seen, 2)?, r.inverse = Some(self.owned()?)),
                "symmetric" => (mark(&mut seen, 4)?, r.symmetric = self.boolean()?),
                "domain" => (mark(&mut seen, 8)?, r.domain = self.owned_strings()?),
                "range" => (mark(&mut seen, 16)?, r.range = self.owned_strings()?),
                "broader" => (mark(&mut seen, 32)?, r.broader = Some(self.owned()?)),
                "description" => (mark(&mut seen, 64)?, r.description = Some(self.owned()?)),
                "starts_state" => (mark(&mut seen, 128)?, r.starts_state = Some(self.owned()?)),
                "ends_state" => (mark(&mut seen, 256)?, r.ends_state = Some(self.owned()?)),
                "self_loops" => (mark(&mut seen, 512)?, r.self_loops = self.boolean()?),
                "hedged" => (mark(&mut seen, 1024)?, r.hedged = self.boolean()?),
                _ => return None,
            };
            if self.after_field()? {
                break;
            }
        }
        (seen & 1 != 0).then_some(r)
    }

    fn entity(&mut self) -> Option<EntityRecord> {
        self.expect(b'(')?;
        let (mut id, mut name, mut kind) = (None, None, None);
        let (mut aliases, mut tags, mut attributes) = (Vec::new(), Vec::new(), BTreeMap::new());
        let mut shared_names = Vec::new();
        let mut seen = 0u16;
        while let Some(field) = self.field()? {
            match field {
                "id" => (mark(&mut seen, 1)?, id = Some(self.owned()?)),
                "name" => (mark(&mut seen, 2)?, name = Some(self.owned()?)),
                "kind" => (mark(&mut seen, 4)?, kind = Some(self.owned()?)),
                "aliases" => (mark(&mut seen, 8)?, aliases = self.owned_strings()?),
                "tags" => (mark(&mut seen, 16)?, tags = self.owned_strings()?),
                "attributes" => (mark(&mut seen, 32)?, attributes = self.map()?),
                "shared_names" => (mark(&mut seen, 64)?, shared_names = self.owned_strings()?),
                _ => return None,
            };
            if self.after_field()? {
                break;
            }
        }
        Some(EntityRecord {
            id: id?,
            name: name?,
            kind: kind?,
            aliases,
            tags,
            attributes,
            shared_names,
        })
    }

    fn fact(&mut self) -> Option<FactRef<'a>> {
        self.expect(b'(')?;
        let (mut subject, mut relation, mut object, mut source, mut quote) =
            (None, None, None, None, None);
        let (mut when, mut note, mut reported_by) = (None, None, Vec::new());
        let mut accept = Vec::new();
        let mut seen = 0u16;
        while let Some(name) = self.field()? {
            match name {
                "subject" => (mark(&mut seen, 1)?, subject = Some(self.string()?)),
                "relation" => (mark(&mut seen, 2)?, relation = Some(self.string()?)),
                "object" => (mark(&mut seen, 4)?, object = Some(self.string()?)),
                "when" => (mark(&mut seen, 8)?, when = self.opt_string()?),
                "source" => (mark(&mut seen, 16)?, source = Some(self.string()?)),
                "quote" => (mark(&mut seen, 32)?, quote = Some(self.string()?)),
                "reported_by" => (mark(&mut seen, 64)?, reported_by = self.strings()?),
                "note" => (mark(&mut seen, 128)?, note = self.opt_string()?),
                "accept" => (mark(&mut seen, 256)?, accept = self.pairs()?),
                _ => return None,
            };
            if self.after_field()? {
                break;
            }
        }
        Some(FactRef {
            subject: subject?,
            relation: relation?,
            object: object?,
            when,
            source: source?,
            quote: quote?,
            reported_by,
            note,
            accept,
        })
    }

    /// `[("a", "b"), ...]`: a list of pairs of strings.
    fn pairs(&mut self) -> Option<Vec<(Cow<'a, str>, Cow<'a, str>)>> {
        self.expect(b'[')?;
        let mut out = Vec::new();
        loop {
            self.ws()?;
            if self.eat(b']') {
                return Some(out);
            }
            self.expect(b'(')?;
            self.ws()?;
            let first = self.string()?;
            self.ws()?;
            self.expect(b',')?;
            self.ws()?;
            let second = self.string()?;
            self.ws()?;
            self.eat(b',');
            self.ws()?;
            self.expect(b')')?;
            out.push((first, second));
            self.ws()?;
            if !self.eat(b',') {
                self.ws()?;
                self.expect(b']')?;
                return Some(out);
            }
        }
    }
}

#[cfg(test)]
#[path = "fast_tests.rs"]
mod tests;
