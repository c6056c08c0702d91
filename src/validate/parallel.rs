//! Validation of a large file's facts on two threads.
//!
//! Reading a fact and resolving its names are independent per fact, so chunks of facts are resolved
//! on two threads against the (by then complete) declarations, while duplicates are checked and
//! facts appended in file order on one. This path only ever accepts: the first fact with any
//! problem makes it give up, and the facts are validated again one by one by the sequential path,
//! which produces the diagnostics.

use super::key::Key;
use super::Validator;
use crate::date::{parse_when, When};
use crate::fact_file::fast;
use crate::model::{
    EntityId, Fact, FactWords, Kind, Model, Origin, Relation, RelationId, SourceId,
};
use hashbrown::HashMap;

/// Below this many facts the second thread's allocator arena (about 2 MB) costs more than the time
/// it saves. At WN18RR's 93k facts it already pays: loading took 0.104 s instead of 0.189 s, for
/// 32.4 MB at peak instead of 30.5 MB.
pub(super) const MIN_FACTS: usize = 50_000;

/// What resolving facts reads: the declarations, shared by both threads.
struct Resolver<'v> {
    text: &'v str,
    file: usize,
    entity_ids: &'v HashMap<Key, EntityId>,
    relation_names: &'v HashMap<String, RelationId>,
    source_ids: &'v HashMap<String, SourceId>,
    /// Entity kinds and relations are copied (a byte an entity) so that facts can be appended to
    /// the model while both threads read these.
    kinds: Vec<Kind>,
    relations: Vec<Relation>,
}

impl Resolver<'_> {
    /// Resolves every fact at `offsets` into facts, or `None` at the first problem. Lines are
    /// counted from the first fact (line 0) so chunks need not scan the text before them; also
    /// returns the number of newlines from the first fact to `end`, where the next chunk starts.
    fn resolve(&self, offsets: &[usize], end: usize) -> Option<Resolved> {
        let (text, file) = (self.text, self.file);
        let (mut at, mut line) = (*offsets.first()?, 0u32);
        let mut dates: HashMap<&str, When> = HashMap::new();
        let mut out = Resolved {
            facts: Vec::with_capacity(offsets.len()),
            quote_ends: Vec::with_capacity(offsets.len()),
            quotes: String::new(),
            extras: Vec::new(),
            lines: 0,
        };
        for &start in offsets {
            let record = fast::fact_at(text, start)?;
            let r = &record.value;
            let subject = *self.entity_ids.get(&*r.subject)?;
            let object = *self.entity_ids.get(&*r.object)?;
            let relation = *self.relation_names.get(&*r.relation)?;
            let source = *self.source_ids.get(&*r.source)?;
            let reported_by = r
                .reported_by
                .iter()
                .map(|e| self.entity_ids.get(&**e).copied())
                .collect::<Option<Vec<_>>>()?;
            let when = match &r.when {
                None => None,
                Some(w) => Some(match dates.get(&**w) {
                    Some(&d) => d,
                    None => {
                        let d = parse_when(w).ok()?;
                        if let std::borrow::Cow::Borrowed(key) = w {
                            dates.insert(key, d);
                        }
                        d
                    }
                }),
            };
            let rel = &self.relations[relation.index()];
            let kind_ok = |allowed: &[Kind], e: EntityId| {
                allowed.is_empty() || allowed.contains(&self.kinds[e.index()])
            };
            if !kind_ok(&rel.domain, subject)
                || !kind_ok(&rel.range, object)
                || (subject == object && !rel.self_loops)
            {
                return None;
            }
            line += memchr::memchr_iter(b'\n', &text.as_bytes()[at..start]).count() as u32;
            at = start;
            out.facts.push(Fact {
                subject,
                relation,
                object,
                source,
                when,
                origin: Origin {
                    file: file as u32,
                    line,
                },
            });
            out.quotes.push_str(&r.quote);
            out.quote_ends.push(out.quotes.len());
            if !reported_by.is_empty() || r.note.is_some() {
                let note = r.note.as_deref().map(str::to_string);
                out.extras.push((out.facts.len() - 1, reported_by, note));
            }
        }
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[at..end.max(at)]).count() as u32;
        out.lines = line;
        Some(out)
    }
}

/// A chunk of resolved facts with their words; `quote_ends` and the positions in `extras` count
/// from the chunk's start, and `lines` is the number of newlines from its first fact to the next
/// chunk.
struct Resolved {
    facts: Vec<Fact>,
    quote_ends: Vec<usize>,
    quotes: String,
    extras: Vec<(usize, Vec<EntityId>, Option<String>)>,
    lines: u32,
}

/// Facts resolved per hand-over between the threads: small enough that only a few chunks are
/// ever held besides the model, large enough that handing over costs nothing.
const CHUNK: usize = 8192;

impl Validator<'_> {
    /// Validates the facts of a file read by the fast reader on two threads: chunks alternate
    /// between this thread and a helper, and are appended to the model in file order.
    pub(super) fn facts_in_parallel(
        &mut self,
        file: usize,
        offsets: &[usize],
    ) -> Result<(), ParallelFailed> {
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
        let resolver = Resolver {
            text,
            file,
            entity_ids: &self.entity_ids,
            relation_names: &self.relation_names,
            source_ids: &self.source_ids,
            kinds: self.model.entities.iter().map(|e| e.kind).collect(),
            relations: self.model.relations.clone(),
        };
        let (model, seen) = (&mut self.model, &mut self.seen_facts);
        std::thread::scope(|s| {
            let (send, receive) = std::sync::mpsc::sync_channel::<Option<Resolved>>(2);
            let helper_chunks = chunks.iter().skip(1).step_by(2);
            let resolver = &resolver;
            s.spawn(move || {
                for &(chunk, end) in helper_chunks {
                    let resolved = resolver.resolve(chunk, end);
                    let failed = resolved.is_none();
                    // A closed channel means this thread gave up: stop too.
                    if send.send(resolved).is_err() || failed {
                        return;
                    }
                }
            });
            let before = model.facts().len();
            let failed = |model: &Model| {
                if model.facts().len() == before {
                    ParallelFailed::Unchanged
                } else {
                    ParallelFailed::Changed
                }
            };
            for (k, &(chunk, end)) in chunks.iter().enumerate() {
                let resolved = if k % 2 == 0 {
                    resolver.resolve(chunk, end)
                } else {
                    receive.recv().ok().flatten()
                };
                let Some(resolved) = resolved else {
                    return Err(failed(model));
                };
                let mut extras = resolved.extras.iter().peekable();
                let mut quote_start = 0;
                for (i, mut fact) in resolved.facts.into_iter().enumerate() {
                    fact.origin.line += base;
                    let key = (
                        fact.subject,
                        fact.relation,
                        fact.object,
                        fact.when,
                        fact.source,
                    );
                    if seen.insert(key, fact.origin, model.facts(), true).is_some() {
                        return Err(ParallelFailed::Changed);
                    }
                    let quote_end = resolved.quote_ends[i];
                    let mut words = FactWords {
                        quote: &resolved.quotes[quote_start..quote_end],
                        ..FactWords::default()
                    };
                    quote_start = quote_end;
                    if let Some((_, reported_by, note)) = extras.next_if(|x| x.0 == i) {
                        words.reported_by = reported_by;
                        words.note = note.as_deref();
                    }
                    model.push_fact(fact, words);
                }
                base += resolved.lines;
            }
            Ok(())
        })
    }
}

/// Why the parallel path gave up.
pub(super) enum ParallelFailed {
    /// A fact has a problem and nothing was added yet: the sequential path can take over.
    Unchanged,
    /// Facts were already added: the load must start again without this path.
    Changed,
}
