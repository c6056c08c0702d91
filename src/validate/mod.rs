//! Turns parsed fact files into a [`Model`], finding every problem with the span that causes it
//! and reporting the first [`MAX_PROBLEMS`] in file order, with a count of the rest.
//!
//! Declarations from all files are gathered before any reference is checked, so ids are global and
//! declaration order does not matter.

use crate::diagnostic::{clip, Diagnostic, Place, Problems};
use crate::fact_file::fast::{self, FactRef};
use crate::fact_file::{self, field_span, FactFile, RecordKind, SourceText, Spanned};
use crate::model::{EntityId, FactId, Kind, Model, Origin};
use hashbrown::{HashMap, HashSet};
use std::cell::{Cell, OnceCell};
use std::convert::Infallible;
use std::ops::Range;

mod curation;
mod declarations;
mod duplicates;
mod facts;
mod key;
mod not_same_as;
mod parallel;
mod rules;
mod same_as;
mod shared;
mod source_texts;
mod uses;
mod vocabulary;
mod warnings;

pub(crate) use curation::after_publication;
pub use curation::Warning;
pub use source_texts::{text_path, FromDisk, ReadText};

/// Problems a load reports: the first this many in file order, then how many more there are. A
/// misspelt declaration in a file of a million facts breaks tens of thousands of them; the first
/// screenful says what to fix, and keeping more would cost memory and time for nothing.
pub const MAX_PROBLEMS: usize = 100;

/// The text of a source, against which every quote citing it must check out.
pub struct QuoteText {
    pub source_id: String,
    pub text: SourceText,
}

/// Loads and validates fact files into one model; on failure returns the problems found (the first
/// [`MAX_PROBLEMS`] in file order, then one diagnostic counting the rest).
pub fn load(files: &[SourceText], quote_texts: &[QuoteText]) -> Result<Model, Vec<Diagnostic>> {
    load_with(files, quote_texts, FactDriver::Auto)
}

/// Which driver validates the facts of a file the fast reader scanned. Both call the same rules
/// (`rules.rs`), so the choice changes speed only; public for the test that shows they agree.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FactDriver {
    /// On two threads from `MIN_FACTS` (50,000) facts in a file, else on one.
    #[default]
    Auto,
    Sequential,
    /// On two threads whatever the size.
    Parallel,
}

impl FactDriver {
    /// Whether this driver validates a scanned file of `facts` facts on two threads.
    pub fn parallel(self, facts: usize) -> bool {
        match self {
            FactDriver::Auto => facts >= parallel::MIN_FACTS,
            FactDriver::Sequential => false,
            FactDriver::Parallel => true,
        }
    }
}

/// [`load`] with the facts of scanned files validated by `driver`.
#[doc(hidden)]
pub fn load_with(
    files: &[SourceText],
    quote_texts: &[QuoteText],
    driver: FactDriver,
) -> Result<Model, Vec<Diagnostic>> {
    load_reading(files, quote_texts, driver, &FromDisk)
}

/// [`load_with`], reading the texts that sources name with `texts`.
pub fn load_reading(
    files: &[SourceText],
    quote_texts: &[QuoteText],
    driver: FactDriver,
    texts: &dyn ReadText,
) -> Result<Model, Vec<Diagnostic>> {
    match load_pass(files, quote_texts, Some(FastReaderGaveUp), driver, texts) {
        Ok(done) => done,
        // Without the fast reader nothing can give up: this pass's `G` has no values.
        Err(FastReaderGaveUp) => {
            match load_pass::<Infallible>(files, quote_texts, None, driver, texts) {
                Ok(done) => done,
                Err(never) => match never {},
            }
        }
    }
}

/// The fast reader met a record it had only delimited while scanning and cannot read: the load
/// starts again with ron for every file, exactly as if the fast reader did not exist.
#[derive(Debug, Clone, Copy)]
struct FastReaderGaveUp;

/// One pass over the files. `fast` is `Some` to read files with the fast reader where it can, and
/// is then what the pass returns when that reader gives up; a pass with `G = Infallible` reads
/// with ron only and cannot end that way.
fn load_pass<G: Copy + 'static>(
    files: &[SourceText],
    quote_texts: &[QuoteText],
    fast: Option<G>,
    driver: FactDriver,
    texts: &dyn ReadText,
) -> Result<Result<Model, Vec<Diagnostic>>, G> {
    let mut v = Validator::new(files);
    let (mut parsed, declarations_read) = v.read(fast);
    v.take_in_vocabularies(&mut parsed);
    // Without every declaration, reference checks would report names that are merely unreadable.
    if !declarations_read {
        return Ok(Err(v.finish()));
    }
    for (file, p) in parsed.iter().enumerate() {
        v.sources(file, p.sources());
    }
    let own_texts = v.source_texts(&parsed, texts);
    // A vocabulary's relations come first, so a file that declares one again meets it declared.
    let relation_records: Vec<_> = v
        .declaration_order()
        .flat_map(|f| parsed[f].relations().iter().map(move |r| (f, r)))
        .collect();
    v.relations(&relation_records);
    for (file, p) in parsed.iter_mut().enumerate() {
        v.entities(file, p.entities(&v.source(file).text))?;
    }
    v.merge_same_as();
    v.check_shared_names();
    v.check_not_same_as();
    let fact_count = parsed.iter().map(Parsed::fact_count).sum();
    v.model.reserve_facts(fact_count);
    v.seen_facts = facts::SeenFacts::with_capacity(fact_count);
    for (file, p) in parsed.iter().enumerate() {
        // The parallel driver takes the facts up to the first with a problem; the sequential one
        // takes the rest, and reports.
        let taken = match p {
            Parsed::Fast(scan, _) if driver.parallel(scan.facts.len()) => {
                v.facts_in_parallel(file, &scan.facts)
            }
            _ => 0,
        };
        v.facts(file, p.facts(&v.source(file).text, taken))?;
    }
    v.check_quotes(&parsed, own_texts, quote_texts)?;
    if v.problems.is_empty() {
        let duplicates = v.report_duplicates();
        v.model.duplicates = v.located(duplicates);
        let warnings = std::mem::replace(&mut v.warnings, Problems::new(0));
        v.model.warnings = v.located(warnings);
        v.model.vocabulary_files = crate::vocabulary::copies_among(files);
        return Ok(Ok(v.model));
    }
    Ok(Err(v.finish()))
}

/// A file as read: by the fast path (facts kept as offsets into the text) or by ron. A fast-read
/// file holds the value its records return when the fast reader gives up on one.
enum Parsed<G> {
    Fast(fast::Scan, G),
    Ron(FactFile),
}

impl<G: Copy + 'static> Parsed<G> {
    fn uses(&self) -> &[Spanned<String>] {
        match self {
            Parsed::Fast(s, _) => &s.uses,
            Parsed::Ron(f) => &f.uses,
        }
    }

    fn sources(&self) -> &[Spanned<fact_file::SourceRecord>] {
        match self {
            Parsed::Fast(s, _) => &s.sources,
            Parsed::Ron(f) => &f.sources,
        }
    }

    fn relations(&self) -> &[Spanned<fact_file::RelationRecord>] {
        match self {
            Parsed::Fast(s, _) => &s.relations,
            Parsed::Ron(f) => &f.relations,
        }
    }

    /// The entity records in file order, moved out of a file read by ron (on large graphs they
    /// are most of what a file declares), read one at a time from the text by the fast path.
    fn entities<'a>(
        &'a mut self,
        text: &'a str,
    ) -> Box<dyn Iterator<Item = Result<Spanned<fact_file::EntityRecord>, G>> + 'a> {
        match self {
            Parsed::Fast(s, gave_up) => {
                let gave_up = *gave_up;
                Box::new(
                    std::mem::take(&mut s.entities)
                        .into_iter()
                        .map(move |start| fast::entity_at(text, start).ok_or(gave_up)),
                )
            }
            Parsed::Ron(f) => Box::new(std::mem::take(&mut f.entities).into_iter().map(Ok)),
        }
    }

    fn fact_count(&self) -> usize {
        match self {
            Parsed::Fast(s, _) => s.facts.len(),
            Parsed::Ron(f) => f.facts.len(),
        }
    }

    /// The fact records in file order from the `skip`th; `text` is the file's text, from which the
    /// fast path reads each fact in full for the first time.
    fn facts<'a>(
        &'a self,
        text: &'a str,
        skip: usize,
    ) -> Box<dyn Iterator<Item = Result<Spanned<FactRef<'a>>, G>> + 'a> {
        match self {
            Parsed::Fast(s, gave_up) => {
                let gave_up = *gave_up;
                Box::new(
                    s.facts[skip.min(s.facts.len())..]
                        .iter()
                        .map(move |&start| fast::fact_at(text, start).ok_or(gave_up)),
                )
            }
            Parsed::Ron(f) => Box::new(f.facts.iter().skip(skip).map(|r| {
                Ok(Spanned {
                    value: FactRef::from_record(&r.value),
                    span: r.span.clone(),
                })
            })),
        }
    }
}

struct Validator<'a> {
    files: &'a [SourceText],
    /// The shipped vocabularies the files use, numbered after the files (see `uses`).
    vocabularies: Vec<uses::Used>,
    /// Per file, the last (byte offset, line) resolved for a record's origin: records are visited
    /// in file order, so each line is found by counting newlines since the previous record, not
    /// by an index of every line.
    line_cursor: Vec<Cell<(usize, u32)>>,
    model: Model,
    problems: Problems,
    /// Curation warnings, kept like problems; shown only when there are no problems.
    warnings: Problems,
    declared: rules::Declared,
    /// Lowercased names and aliases -> the entities that claim them, for suggestions. Built on
    /// the first unknown entity: a file without mistakes never needs it.
    names: OnceCell<HashMap<String, Vec<EntityId>>>,
    /// Lowercased ids, names and aliases -> the first entity claiming each, for alias clashes.
    /// Built when the first alias appears: imported graphs have none.
    claims: Option<HashMap<String, EntityId>>,
    seen_facts: facts::SeenFacts,
    /// Entities with shared names, where they are declared: checked once all entities are known.
    shared: Vec<(usize, Spanned<()>, EntityId)>,
    /// Each entity's file and record, for warnings that point at two entities.
    records: Vec<(usize, Range<usize>)>,
    /// Entity records with `same_as`, merged once all entities are known.
    merging: Vec<same_as::Pending>,
    /// Entity records with `not_same_as`, checked once all entities are known and merged.
    apart: Vec<not_same_as::Pending>,
}

impl<'a> Validator<'a> {
    fn new(files: &'a [SourceText]) -> Validator<'a> {
        let line_cursor = files.iter().map(|_| Cell::new((0, 1))).collect();
        let files_named = files.iter().map(|f| f.name.clone()).collect();
        let model = Model::new(files_named, Vec::new(), Vec::new(), Vec::new());
        Validator {
            files,
            vocabularies: Vec::new(),
            line_cursor,
            model,
            problems: Problems::new(MAX_PROBLEMS),
            warnings: Problems::new(MAX_PROBLEMS),
            declared: rules::Declared::default(),
            names: OnceCell::new(),
            claims: None,
            seen_facts: facts::SeenFacts::with_capacity(0),
            shared: Vec::new(),
            records: Vec::new(),
            merging: Vec::new(),
            apart: Vec::new(),
        }
    }

    /// Reads every file, with the fast reader if `fast` is given and the file is in its subset,
    /// else with ron, whose problems are recorded; also says whether every declaration was read
    /// (only facts, if any, were unreadable).
    fn read<G: Copy>(&mut self, fast: Option<G>) -> (Vec<Parsed<G>>, bool) {
        let mut parsed = Vec::with_capacity(self.files.len() + 1);
        let mut declarations_read = true;
        for (file, source) in self.files.iter().enumerate() {
            if let Some((scan, gave_up)) = fast.and_then(|g| Some((fast::scan(&source.text)?, g))) {
                parsed.push(Parsed::Fast(scan, gave_up));
                continue;
            }
            match fact_file::read_with_ron(source) {
                Ok(p) => parsed.push(Parsed::Ron(p)),
                Err(errors) => {
                    for e in errors {
                        declarations_read &= e.record == Some(RecordKind::Fact);
                        let place =
                            e.at.map_or(Place::File(file), |bytes| Place::Bytes { file, bytes });
                        self.problems.push(place, e.diagnostic);
                    }
                    parsed.push(Parsed::Ron(FactFile::default()));
                }
            }
        }
        (parsed, declarations_read)
    }

    /// The problems kept, located, in file order.
    fn finish(mut self) -> Vec<Diagnostic> {
        let problems = std::mem::replace(&mut self.problems, Problems::new(0));
        self.located(problems)
    }

    /// `problems` (or warnings) located in the files, in file order.
    fn located(&self, problems: Problems) -> Vec<Diagnostic> {
        let files: Vec<(&str, &str)> = (0..self.files.len() + self.vocabularies.len())
            .map(|f| self.source(f))
            .map(|f| (f.name.as_str(), f.text.as_str()))
            .collect();
        problems.into_diagnostics(&files)
    }

    /// Records a problem at `place`; `describe` runs only if it is kept, since suggestions can cost
    /// far more than finding the problem.
    fn report(&mut self, place: Place, describe: impl FnOnce(&Self) -> Diagnostic) {
        if self.problems.keeps(&place) {
            let d = describe(self);
            self.problems.push(place, d);
        } else {
            self.problems.pass_over();
        }
    }

    fn origin(&self, file: usize, offset: usize) -> Origin {
        let text = self.source(file).text.as_bytes();
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

    /// Where a field's value is inside a record, or the record's first byte when it is absent.
    fn field<T>(&self, file: usize, record: &Spanned<T>, field: &str) -> Place {
        let text = &self.source(file).text;
        let bytes = field_span(&text[record.span.clone()], field)
            .map_or(record.span.start..record.span.start + 1, |s| {
                record.span.start + s.start..record.span.start + s.end
            });
        Place::Bytes { file, bytes }
    }

    /// Where one string is inside a field's list value (`aliases: ["ISIS", "Daesh"]`).
    fn item_in_field<T>(&self, file: usize, record: &Spanned<T>, field: &str, item: &str) -> Place {
        let text = &self.source(file).text;
        if let Some(s) = field_span(&text[record.span.clone()], field) {
            let value = record.span.start + s.start..record.span.start + s.end;
            let quoted = format!("\"{item}\"");
            if let Some(i) = text[value.clone()].find(&quoted) {
                let start = value.start + i;
                let bytes = start..start + quoted.len();
                return Place::Bytes { file, bytes };
            }
        }
        self.field(file, record, field)
    }

    /// Where a date went wrong: the character `error` names inside the quoted value of `field`.
    fn date_place(
        &self,
        file: usize,
        record_span: &Range<usize>,
        field: &str,
        text: &str,
        error: &crate::date::DateError,
    ) -> Place {
        let record = &self.source(file).text[record_span.clone()];
        let bytes =
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
        Place::Bytes { file, bytes }
    }

    fn report_date(
        &mut self,
        file: usize,
        record_span: &Range<usize>,
        field: &str,
        text: &str,
        error: crate::date::DateError,
    ) {
        let place = self.date_place(file, record_span, field, text, &error);
        self.report(place, |_| invalid_date(text, &error, None));
    }

    fn first_declared(&self, origin: Origin) -> String {
        format!("first declared at {}", self.model.origin_text(origin))
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

/// A date that did not parse, with how it was probably meant to be written; `published`, the
/// publication date of the fact's source, dates a weekday or a day written without its year.
fn invalid_date(
    text: &str,
    error: &crate::date::DateError,
    published: Option<crate::date::When>,
) -> Diagnostic {
    let d =
        Diagnostic::error(format!("invalid date `{}`", clip(text))).label(error.message.clone());
    match crate::date_hint::hint(text, published) {
        Some(hint) => d.help(hint),
        None => d,
    }
}
