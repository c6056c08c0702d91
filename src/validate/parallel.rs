//! The parallel driver of fact validation, for large files.
//!
//! Reading a fact and checking it against the declarations are independent per fact, so chunks of
//! facts are checked on two threads with the same rules as the sequential driver
//! ([`FactRules::check`]), while duplicates are checked and facts appended in file order on one.
//! This driver only ever accepts: it stops before the first fact with a problem (or a duplicate),
//! and the sequential driver goes on from that fact and reports.

use super::curation::{NameTable, Scratch, Warnings};
use super::facts::{key_of, SeenFacts};
use super::rules::{Dates, FactRules};
use super::Validator;
use crate::fact_file::fast;
use crate::model::{EntityId, Fact, FactId, FactWords, Model, Origin};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Below this many facts the second thread's allocator arena (about 2 MB) costs more than the time
/// it saves. At WN18RR's 93k facts it already pays: loading took 0.104 s instead of 0.189 s, for
/// 32.4 MB at peak instead of 30.5 MB.
pub(super) const MIN_FACTS: usize = 50_000;

/// Facts checked per hand-over between the threads: small enough that only a few chunks are
/// ever held besides the model, large enough that handing over costs nothing.
const CHUNK: usize = 8192;

/// What checking a chunk reads: the file and the rules, shared by both threads.
struct ChunkChecker<'v> {
    text: &'v str,
    file: usize,
    rules: FactRules<'v>,
}

/// A chunk's facts that meet every rule, with their words, up to the first that does not (then
/// `stopped`); `quote_ends` and the positions in `extras` count from the chunk's start, and
/// `lines` is the number of newlines from its first fact to the next chunk.
struct Checked {
    facts: Vec<Fact>,
    quote_ends: Vec<usize>,
    quotes: String,
    extras: Vec<(usize, Vec<EntityId>, Option<String>)>,
    /// The facts with curation warnings: index in the chunk, where the record starts, warnings.
    warned: Vec<(usize, usize, Warnings)>,
    lines: u32,
    stopped: bool,
}

impl Checked {
    /// Appends the facts to the model in order, their lines counted from `base`, up to the first
    /// that repeats an earlier fact; returns how many it appended.
    fn append(&self, model: &mut Model, seen: &mut SeenFacts, base: u32) -> usize {
        let mut extras = self.extras.iter().peekable();
        let mut quote_start = 0;
        for (i, &(mut fact)) in self.facts.iter().enumerate() {
            fact.origin.line += base;
            if !seen.insert_new(key_of(&fact), model.facts()) {
                return i;
            }
            let quote_end = self.quote_ends[i];
            let mut words = FactWords {
                quote: &self.quotes[quote_start..quote_end],
                ..FactWords::default()
            };
            quote_start = quote_end;
            if let Some((_, reported_by, note)) = extras.next_if(|x| x.0 == i) {
                words.reported_by = reported_by;
                words.note = note.as_deref();
            }
            model.push_fact(fact, words);
        }
        self.facts.len()
    }
}

impl ChunkChecker<'_> {
    /// Checks the facts at `offsets`. Lines are counted from the first fact (line 0) so chunks need
    /// not scan the text before them; `end` is where the next chunk starts.
    fn check(&self, offsets: &[usize], end: usize) -> Checked {
        let text = self.text;
        let mut at = offsets.first().copied().unwrap_or(end);
        let mut line = 0u32;
        let mut dates = Dates::default();
        let mut accepted = Vec::new();
        let mut out = Checked {
            facts: Vec::with_capacity(offsets.len()),
            quote_ends: Vec::with_capacity(offsets.len()),
            quotes: String::new(),
            extras: Vec::new(),
            warned: Vec::new(),
            lines: 0,
            stopped: false,
        };
        for &start in offsets {
            // A fact the fast reader cannot read stops here too: the sequential driver meets it
            // next and sends the load to ron.
            let Some(record) = fast::fact_at(text, start) else {
                out.stopped = true;
                break;
            };
            let r = &record.value;
            let Ok(fact) = self.rules.check(r, &mut dates) else {
                out.stopped = true;
                break;
            };
            line += memchr::memchr_iter(b'\n', &text.as_bytes()[at..start]).count() as u32;
            at = start;
            let file = self.file as u32;
            if !fact.accepted.is_empty() {
                accepted.push((out.facts.len(), fact.accepted));
            }
            out.facts.push(fact.at(Origin { file, line }));
            out.quotes.push_str(&r.quote);
            out.quote_ends.push(out.quotes.len());
            if !fact.reported_by.is_empty() || r.note.is_some() {
                let note = r.note.as_deref().map(str::to_string);
                out.extras
                    .push((out.facts.len() - 1, fact.reported_by, note));
            }
        }
        self.warn(&mut out, offsets, &accepted);
        if out.stopped {
            return out;
        }
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[at..end.max(at)]).count() as u32;
        out.lines = line;
        out
    }

    /// Finds the warnings of the chunk's facts, by the rule the sequential driver calls per fact,
    /// once the chunk's facts are read.
    fn warn(&self, out: &mut Checked, offsets: &[usize], accepted: &[(usize, Warnings)]) {
        let mut scratch = Scratch::default();
        let mut accepted = accepted.iter().peekable();
        let mut quote_start = 0;
        for (i, fact) in out.facts.iter().enumerate() {
            let quote = &out.quotes[quote_start..out.quote_ends[i]];
            quote_start = out.quote_ends[i];
            let silenced = accepted
                .next_if(|a| a.0 == i)
                .map_or(Warnings::default(), |a| a.1);
            let warnings = self.rules.warnings(fact, silenced, quote, &mut scratch);
            if !warnings.is_empty() {
                out.warned.push((i, offsets[i], warnings));
            }
        }
    }
}

impl Validator<'_> {
    /// Validates the facts of a file read by the fast reader on two threads: this thread and a
    /// helper each check the next unclaimed chunk, and this one appends them to the model in file
    /// order, checking a chunk itself whenever the next to append is not ready. Returns how
    /// many of the facts it took: all, or those before the first with a problem.
    pub(super) fn facts_in_parallel(&mut self, file: usize, offsets: &[usize]) -> usize {
        let text = &self.files[file].text;
        // Each chunk with where the next one starts (the end of the text for the last).
        let chunks: Vec<(&[usize], usize)> = offsets
            .chunks(CHUNK)
            .enumerate()
            .map(|(k, c)| {
                (
                    c,
                    offsets.get((k + 1) * CHUNK).copied().unwrap_or(text.len()),
                )
            })
            .collect();
        let first = offsets.first().copied().unwrap_or(0);
        let mut base = 1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..first]).count() as u32;
        // Copied, or moved out and back, so that facts can be appended to the model while both
        // threads read the rules; appending facts needs no declarations.
        let relations = self.model.relations.clone();
        let sources = self.model.sources.clone();
        let entities = std::mem::take(&mut self.model.entities);
        let names = NameTable::new(&entities);
        let checker = ChunkChecker {
            text,
            file,
            rules: FactRules {
                declared: &self.declared,
                relations: &relations,
                entities: &entities,
                sources: &sources,
                names: names.as_ref(),
            },
        };
        // Facts with warnings, by where their record starts: reported once the model holds them.
        let mut warned: Vec<(usize, FactId, Warnings)> = Vec::new();
        let (model, seen) = (&mut self.model, &mut self.seen_facts);
        let claims = Claims::new(chunks.len());
        let taken = std::thread::scope(|s| {
            let (send, receive) = std::sync::mpsc::sync_channel::<(usize, Checked)>(2);
            let (checker, chunks, claims) = (&checker, &chunks, &claims);
            s.spawn(move || {
                while let Some(k) = claims.next() {
                    let (chunk, end) = chunks[k];
                    let checked = checker.check(chunk, end);
                    let stopped = checked.stopped;
                    // A closed channel means this thread stopped: stop too.
                    if send.send((k, checked)).is_err() || stopped {
                        claims.stop();
                        return;
                    }
                }
            });
            // Chunks checked but not yet appended, by index: whichever thread is free checks the
            // next chunk, so this thread's appending does not leave the other idle.
            let mut ready: Vec<Option<Checked>> = Vec::new();
            ready.resize_with(chunks.len(), || None);
            let mut taken = 0;
            for k in 0..chunks.len() {
                let checked = loop {
                    if let Some(checked) = ready[k].take() {
                        break checked;
                    }
                    if let Ok((j, checked)) = receive.try_recv() {
                        ready[j] = Some(checked);
                    } else if let Some(j) = claims.next() {
                        let (chunk, end) = chunks[j];
                        ready[j] = Some(checker.check(chunk, end));
                    } else {
                        // The chunk is with the other thread.
                        match receive.recv() {
                            Ok((j, checked)) => ready[j] = Some(checked),
                            Err(_) => return taken,
                        }
                    }
                };
                let whole = checked.facts.len();
                let first = model.facts().len();
                let appended = checked.append(model, seen, base);
                taken += appended;
                warned.extend(
                    checked
                        .warned
                        .iter()
                        .filter(|w| w.0 < appended)
                        .map(|&(i, start, w)| (start, FactId((first + i) as u32), w)),
                );
                if appended < whole || checked.stopped {
                    claims.stop();
                    return taken;
                }
                base += checked.lines;
            }
            taken
        });
        self.model.entities = entities;
        for (start, id, warnings) in warned {
            // Read again, as the sequential driver has it: warnings are few, and this keeps the
            // chunks free of the records' text.
            if let Some(record) = fast::fact_at(text, start) {
                let fact = *self.model.fact(id);
                self.warn(file, &record, &fact, warnings);
            }
        }
        taken
    }
}

/// Which chunk is checked next, by whichever thread asks first, until a chunk stops the load.
struct Claims {
    next: AtomicUsize,
    len: usize,
    stopped: AtomicBool,
}

impl Claims {
    fn new(len: usize) -> Claims {
        Claims {
            next: AtomicUsize::new(0),
            len,
            stopped: AtomicBool::new(false),
        }
    }

    fn next(&self) -> Option<usize> {
        if self.stopped.load(Ordering::Relaxed) {
            return None;
        }
        let k = self.next.fetch_add(1, Ordering::Relaxed);
        (k < self.len).then_some(k)
    }

    /// No chunk after one that stopped is needed.
    fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }
}
