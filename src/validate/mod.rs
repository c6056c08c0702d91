//! Turns parsed fact files into a [`Model`], collecting every problem with the span that causes it.
//!
//! Declarations from all files are gathered before any reference is checked, so ids are global and
//! declaration order does not matter.

use crate::date::{parse_when, When};
use crate::diagnostic::{did_you_mean, suggestion_text, Diagnostic, Location};
use crate::fact_file::fast::{self, FactRef};
use crate::fact_file::{self, field_span, FactFile, SourceText, Spanned};
use crate::model::{Entity, EntityId, FactId, Kind, Model, Origin, RelationId, Source, SourceId};
use hashbrown::{HashMap, HashSet};
use std::cell::{Cell, OnceCell};
use std::ops::Range;

mod facts;
mod key;
mod parallel;
mod shared;
mod vocabulary;

/// The text of a source, against which every quote citing it must check out.
pub struct QuoteText {
    pub source_id: String,
    pub text: SourceText,
}

/// Loads and validates fact files into one model; on failure returns every problem found.
pub fn load(files: &[SourceText], quote_texts: &[QuoteText]) -> Result<Model, Vec<Diagnostic>> {
    load_with(files, quote_texts, true, Some(parallel::MIN_FACTS))
        .or_else(|| load_with(files, quote_texts, true, None))
        .or_else(|| load_with(files, quote_texts, false, None))
        .unwrap_or_else(|| Ok(Model::default()))
}

/// `None` if the fast reader gave up on a fact it had only delimited while scanning (then the
/// whole load runs again with ron, exactly as if the fast reader did not exist), or if the
/// parallel path met a duplicate (then it runs again on one thread, which reports it).
fn load_with(
    files: &[SourceText],
    quote_texts: &[QuoteText],
    fast_reader: bool,
    parallel_from: Option<usize>,
) -> Option<Result<Model, Vec<Diagnostic>>> {
    let mut errors = Vec::new();
    let mut parsed = Vec::with_capacity(files.len());
    let mut only_fact_records_failed = true;
    for file in files {
        if let Some(scan) = fast::scan(&file.text).filter(|_| fast_reader) {
            parsed.push(Parsed::Fast(scan));
            continue;
        }
        match fact_file::parse_with_ron(file) {
            Ok(p) => parsed.push(Parsed::Ron(p)),
            Err(mut e) => {
                only_fact_records_failed &=
                    e.iter().all(|d| d.message.starts_with("in this fact:"));
                errors.append(&mut e);
                parsed.push(Parsed::Ron(FactFile::default()));
            }
        }
    }
    // Without every declaration, reference checks would report names that are merely unreadable.
    if !only_fact_records_failed {
        return Some(Err(errors));
    }
    let mut v = Validator::new(files);
    v.errors = errors;
    for (file, p) in parsed.iter().enumerate() {
        v.sources(file, p.sources());
    }
    let relation_records: Vec<_> = parsed
        .iter()
        .enumerate()
        .flat_map(|(f, p)| p.relations().iter().map(move |r| (f, r)))
        .collect();
    v.relations(&relation_records);
    for (file, p) in parsed.iter_mut().enumerate() {
        v.entities(file, p.entities(&files[file].text))?;
    }
    v.check_shared_names();
    let fact_count = parsed.iter().map(Parsed::fact_count).sum();
    v.model.reserve_facts(fact_count);
    v.seen_facts = facts::SeenFacts::with_capacity(fact_count);
    for (file, p) in parsed.iter().enumerate() {
        if let Parsed::Fast(scan) = p {
            if parallel_from.is_some_and(|min| scan.facts.len() >= min) {
                match v.facts_in_parallel(file, &scan.facts) {
                    Ok(()) => continue,
                    Err(parallel::ParallelFailed::Changed) => return None,
                    Err(parallel::ParallelFailed::Unchanged) => {}
                }
            }
        }
        v.facts(file, p.facts(&files[file].text))?;
    }
    for quote_text in quote_texts {
        v.check_quotes(&parsed, quote_text)?;
    }
    if v.errors.is_empty() {
        return Some(Ok(v.model));
    }
    // Checks run by record type; users read a file top to bottom.
    let file_order = |d: &Diagnostic| {
        d.location.as_ref().map_or((usize::MAX, 0, 0), |l| {
            (
                files
                    .iter()
                    .position(|f| f.name == l.file)
                    .unwrap_or(usize::MAX),
                l.line,
                l.column,
            )
        })
    };
    v.errors.sort_by_key(file_order);
    Some(Err(v.errors))
}

/// A file as read: by the fast path (facts kept as offsets into the text) or by ron.
enum Parsed {
    Fast(fast::Scan),
    Ron(FactFile),
}

impl Parsed {
    fn sources(&self) -> &[Spanned<fact_file::SourceRecord>] {
        match self {
            Parsed::Fast(s) => &s.sources,
            Parsed::Ron(f) => &f.sources,
        }
    }

    fn relations(&self) -> &[Spanned<fact_file::RelationRecord>] {
        match self {
            Parsed::Fast(s) => &s.relations,
            Parsed::Ron(f) => &f.relations,
        }
    }

    /// The entity records in file order, moved out of a file read by ron (on large graphs they
    /// are most of what a file declares), read one at a time from the text by the fast path.
    /// `None` where that reading gives up: the caller then starts again with ron.
    fn entities<'a>(
        &'a mut self,
        text: &'a str,
    ) -> Box<dyn Iterator<Item = Option<Spanned<fact_file::EntityRecord>>> + 'a> {
        match self {
            Parsed::Fast(s) => Box::new(
                std::mem::take(&mut s.entities)
                    .into_iter()
                    .map(move |start| fast::entity_at(text, start)),
            ),
            Parsed::Ron(f) => Box::new(std::mem::take(&mut f.entities).into_iter().map(Some)),
        }
    }

    fn fact_count(&self) -> usize {
        match self {
            Parsed::Fast(s) => s.facts.len(),
            Parsed::Ron(f) => f.facts.len(),
        }
    }

    /// The fact records in file order; `text` is the file's text, from which the fast path reads
    /// each fact in full for the first time. `None` where that reading gives up: the caller then
    /// starts again with ron.
    fn facts<'a>(
        &'a self,
        text: &'a str,
    ) -> Box<dyn Iterator<Item = Option<Spanned<FactRef<'a>>>> + 'a> {
        match self {
            Parsed::Fast(s) => {
                Box::new(s.facts.iter().map(move |&start| fast::fact_at(text, start)))
            }
            Parsed::Ron(f) => Box::new(f.facts.iter().map(|r| {
                Some(Spanned {
                    value: FactRef::from_record(&r.value),
                    span: r.span.clone(),
                })
            })),
        }
    }
}

struct Validator<'a> {
    files: &'a [SourceText],
    /// Per file, the last (byte offset, line) resolved: records are visited in file order, so
    /// each line is found by counting newlines since the previous record, not by an index of
    /// every line.
    line_cursor: Vec<Cell<(usize, u32)>>,
    model: Model,
    errors: Vec<Diagnostic>,
    source_ids: HashMap<String, SourceId>,
    relation_names: HashMap<String, RelationId>,
    entity_ids: HashMap<key::Key, EntityId>,
    /// Lowercased names and aliases -> the entities that claim them, for suggestions. Built on
    /// the first unknown entity: a file without mistakes never needs it.
    names: OnceCell<HashMap<String, Vec<EntityId>>>,
    /// Lowercased ids, names and aliases -> the first entity claiming each, for alias clashes.
    /// Built when the first alias appears: imported graphs have none.
    claims: Option<HashMap<String, EntityId>>,
    seen_facts: facts::SeenFacts,
    /// Parsed `when` texts of facts.
    dates: HashMap<String, When>,
    /// Entities with shared names, where they are declared: checked once all entities are known.
    shared: Vec<(usize, Spanned<()>, EntityId)>,
}

impl<'a> Validator<'a> {
    fn new(files: &'a [SourceText]) -> Validator<'a> {
        let line_cursor = files.iter().map(|_| Cell::new((0, 1))).collect();
        let files_named = files.iter().map(|f| f.name.clone()).collect();
        let model = Model::new(files_named, Vec::new(), Vec::new(), Vec::new());
        Validator {
            files,
            line_cursor,
            model,
            errors: Vec::new(),
            source_ids: HashMap::new(),
            relation_names: HashMap::new(),
            entity_ids: HashMap::new(),
            names: OnceCell::new(),
            claims: None,
            seen_facts: facts::SeenFacts::with_capacity(0),
            dates: HashMap::new(),
            shared: Vec::new(),
        }
    }

    fn origin(&self, file: usize, offset: usize) -> Origin {
        let text = self.files[file].text.as_bytes();
        let offset = offset.min(text.len());
        let (mut at, mut line) = self.line_cursor[file].get();
        if offset < at {
            (at, line) = (0, 1);
        }
        line += memchr::memchr_iter(b'\n', &text[at..offset]).count() as u32;
        self.line_cursor[file].set((offset, line));
        Origin {
            file: file as u32,
            line,
        }
    }

    /// The location of a field's value inside a record, or of the record when the field is absent.
    fn field<T>(&self, file: usize, record: &Spanned<T>, field: &str) -> Location {
        let text = &self.files[file].text;
        let span = field_span(&text[record.span.clone()], field)
            .map_or(record.span.start..record.span.start + 1, |s| {
                record.span.start + s.start..record.span.start + s.end
            });
        Location::from_span(&self.files[file].name, text, span)
    }

    /// The location of one string inside a field's list value (`aliases: ["ISIS", "Daesh"]`).
    fn item_in_field<T>(
        &self,
        file: usize,
        record: &Spanned<T>,
        field: &str,
        item: &str,
    ) -> Location {
        let text = &self.files[file].text;
        if let Some(s) = field_span(&text[record.span.clone()], field) {
            let value = record.span.start + s.start..record.span.start + s.end;
            let quoted = format!("\"{item}\"");
            if let Some(i) = text[value.clone()].find(&quoted) {
                let start = value.start + i;
                return Location::from_span(
                    &self.files[file].name,
                    text,
                    start..start + quoted.len(),
                );
            }
        }
        self.field(file, record, field)
    }

    fn date_error(
        &self,
        file: usize,
        record_span: &Range<usize>,
        field: &str,
        text: &str,
    ) -> Option<Diagnostic> {
        let error = parse_when(text).err()?;
        let source = &self.files[file];
        let record = &source.text[record_span.clone()];
        let span =
            field_span(record, field).map_or(record_span.start..record_span.start + 1, |s| {
                // Step over the opening quote, then `char_offset` characters into the date.
                let inner = record_span.start + s.start + 1;
                let skip: usize = text
                    .chars()
                    .take(error.char_offset)
                    .map(char::len_utf8)
                    .sum();
                inner + skip..inner + skip + 1
            });
        Some(
            Diagnostic::error(format!("invalid date `{text}`"))
                .at(Location::from_span(&source.name, &source.text, span))
                .label(error.message),
        )
    }

    fn first_declared(&self, origin: Origin) -> String {
        format!("first declared at {}", self.model.origin_text(origin))
    }

    fn sources(&mut self, file: usize, records: &[Spanned<fact_file::SourceRecord>]) {
        for record in records {
            let r = &record.value;
            let origin = self.origin(file, record.span.start);
            if let Some(&first) = self.source_ids.get(&r.id) {
                let note = self.first_declared(self.model.source(first).origin);
                let d = Diagnostic::error(format!("source `{}` is declared twice", r.id));
                self.errors
                    .push(d.at(self.field(file, record, "id")).note(note));
                continue;
            }
            let published = match parse_when(&r.published) {
                Ok(w) => w,
                Err(_) => {
                    let e = self.date_error(file, &record.span, "published", &r.published);
                    self.errors.extend(e);
                    continue;
                }
            };
            self.source_ids
                .insert(r.id.clone(), SourceId(self.model.sources.len() as u32));
            self.model.sources.push(Source {
                id: r.id.clone(),
                title: r.title.clone(),
                publisher: r.publisher.clone(),
                published,
                url: r.url.clone(),
                origin,
            });
        }
    }

    fn kinds(
        &mut self,
        file: usize,
        record: &Spanned<fact_file::RelationRecord>,
        field: &str,
    ) -> Vec<Kind> {
        let names = if field == "domain" {
            &record.value.domain
        } else {
            &record.value.range
        };
        let mut kinds = Vec::new();
        for name in names {
            match Kind::parse(name) {
                Some(k) => kinds.push(k),
                None => self
                    .errors
                    .push(self.unknown_kind(name, self.item_in_field(file, record, field, name))),
            }
        }
        kinds
    }

    fn unknown_kind(&self, name: &str, at: Location) -> Diagnostic {
        let d = Diagnostic::error(format!("unknown kind `{name}`"))
            .at(at)
            .label("not a kind");
        let d = match suggestion_text(&did_you_mean(name, Kind::NAMES)) {
            Some(s) => d.help(s),
            None => d,
        };
        d.note("kinds are actor, place, event and thing; finer types (town, airbase, armed group) go in `tags`")
    }

    /// Validates a file's entities; `None` if the fast reader gave up on one of them.
    fn entities(
        &mut self,
        file: usize,
        records: impl Iterator<Item = Option<Spanned<fact_file::EntityRecord>>>,
    ) -> Option<()> {
        let (known, _) = records.size_hint();
        self.model.entities.reserve_exact(known);
        self.entity_ids.reserve(known);
        for record in records {
            let Spanned { value: r, span } = record?;
            // Diagnostics need only where the record is.
            let record = &Spanned { value: (), span };
            let origin = self.origin(file, record.span.start);
            if let Some(&first) = self.entity_ids.get(r.id.as_str()) {
                let note = self.first_declared(self.model.entity(first).origin);
                let d = Diagnostic::error(format!("entity id `{}` is declared twice", r.id));
                self.errors
                    .push(d.at(self.field(file, record, "id")).note(note));
                continue;
            }
            let kind = match Kind::parse(&r.kind) {
                Some(k) => k,
                None => {
                    self.errors
                        .push(self.unknown_kind(&r.kind, self.field(file, record, "kind")));
                    Kind::Thing
                }
            };
            let id = EntityId(self.model.entities.len() as u32);
            self.entity_ids.insert(key::Key::new(&r.id), id);
            let entity = Entity::new(r.id, r.name, kind, origin);
            let entity = entity
                .with_details(r.aliases, r.tags, r.attributes)
                .with_shared_names(r.shared_names);
            if !entity.shared_names().is_empty() {
                self.shared.push((file, record.clone(), id));
            }
            self.model.entities.push(entity);
            self.check_aliases(file, record, id);
        }
        Some(())
    }

    /// An alias must lead to one entity only: it may not repeat an earlier entity's id, name or
    /// alias. O(aliases) per entity through `claims`, which holds the entities before this one.
    fn check_aliases(&mut self, file: usize, record: &Spanned<()>, id: EntityId) {
        let aliases = self.model.entity(id).aliases();
        if aliases.is_empty() && self.claims.is_none() {
            return;
        }
        if self.claims.is_none() {
            let mut claims = HashMap::new();
            for (i, e) in self.model.entities[..id.index()].iter().enumerate() {
                claim(&mut claims, e, EntityId(i as u32));
            }
            self.claims = Some(claims);
        }
        let Some(claims) = &self.claims else {
            return;
        };
        for alias in aliases.iter() {
            let Some(&other) = claims.get(&alias.to_lowercase()) else {
                continue;
            };
            let other = self.model.entity(other);
            let d = Diagnostic::error(format!(
                "alias `{alias}` is already claimed by entity `{}`",
                other.id
            ))
            .at(self.item_in_field(file, record, "aliases", alias))
            .label("claimed twice")
            .note(format!(
                "`{}` is declared at {}",
                other.id,
                self.model.origin_text(other.origin)
            ))
            .help("an alias must lead to one entity; remove it from one of them");
            self.errors.push(d);
        }
        if let Some(claims) = &mut self.claims {
            claim(claims, self.model.entity(id), id);
        }
    }

    /// Lowercased names and aliases -> entities, built on first use.
    fn names(&self) -> &HashMap<String, Vec<EntityId>> {
        self.names.get_or_init(|| {
            let mut names: HashMap<String, Vec<EntityId>> = HashMap::new();
            for (i, e) in self.model.entities.iter().enumerate() {
                for name in std::iter::once(&e.name).chain(e.aliases()) {
                    let ids = names.entry(name.to_lowercase()).or_default();
                    if !ids.contains(&EntityId(i as u32)) {
                        ids.push(EntityId(i as u32));
                    }
                }
            }
            names
        })
    }
}

fn a_kind(kind: Kind) -> String {
    match kind {
        Kind::Actor | Kind::Event => format!("an {kind}"),
        Kind::Place | Kind::Thing => format!("a {kind}"),
    }
}

/// Whitespace runs become one space and typographic quote marks become plain ones, so that line
/// wrapping and a word processor's quotes do not count as paraphrase.
pub fn normalise_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
            c => c,
        }));
    }
    out
}

/// Records an entity's id, name and aliases as claimed, unless an earlier entity claimed them.
fn claim(claims: &mut HashMap<String, EntityId>, e: &Entity, id: EntityId) {
    for key in [&e.id, &e.name].into_iter().chain(e.aliases()) {
        claims.entry(key.to_lowercase()).or_insert(id);
    }
}

/// Entities no fact mentions: not an error (a file may declare them for another), but worth a note.
pub fn unused_entities(model: &Model) -> Vec<EntityId> {
    let mut used = HashSet::new();
    for (i, f) in model.facts().iter().enumerate() {
        used.insert(f.subject);
        used.insert(f.object);
        let words = model.words(FactId(i as u32));
        used.extend(words.reported_by.iter().copied());
    }
    (0..model.entities.len() as u32)
        .map(EntityId)
        .filter(|e| !used.contains(e))
        .collect()
}

#[cfg(test)]
mod tests;
