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
use crate::model::{Entity, EntityId, Fact, Kind, Origin, Relation, RelationId, SourceId};
use hashbrown::HashMap;

/// Below this many facts the second thread's allocator arena (a few MB) costs more than the
/// time it saves.
pub(super) const MIN_FACTS: usize = 200_000;

/// What resolving facts reads: the declarations, shared by both threads.
struct Resolver<'v> {
    text: &'v str,
    file: usize,
    entity_ids: &'v HashMap<Key, EntityId>,
    relation_names: &'v HashMap<String, RelationId>,
    source_ids: &'v HashMap<String, SourceId>,
    entities: &'v [Entity],
    relations: &'v [Relation],
}

impl Resolver<'_> {
    /// Resolves every fact at `offsets` into facts, or `None` at the first problem. Lines are
    /// counted from the first fact (line 0) so chunks need not scan the text before them; also
    /// returns the number of newlines from the first fact to `end`, where the next chunk starts.
    fn resolve(&self, offsets: &[usize], end: usize) -> Option<(Vec<Fact>, u32)> {
        let (text, file) = (self.text, self.file);
        let (mut at, mut line) = (*offsets.first()?, 0u32);
        let mut dates: HashMap<&str, When> = HashMap::new();
        let mut out = Vec::with_capacity(offsets.len());
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
                allowed.is_empty() || allowed.contains(&self.entities[e.index()].kind)
            };
            if !kind_ok(&rel.domain, subject)
                || !kind_ok(&rel.range, object)
                || (subject == object && !rel.self_loops)
            {
                return None;
            }
            line += memchr::memchr_iter(b'\n', &text.as_bytes()[at..start]).count() as u32;
            at = start;
            out.push(Fact {
                subject,
                relation,
                object,
                when,
                source,
                quote: r.quote.as_ref().into(),
                reported_by: reported_by.into(),
                note: r.note.as_deref().map(Into::into),
                origin: Origin {
                    file: file as u32,
                    line,
                },
            });
        }
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[at..end.max(at)]).count() as u32;
        Some((out, line))
    }
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
            entities: &self.model.entities,
            relations: &self.model.relations,
        };
        let (model, seen) = (&mut self.model.facts, &mut self.seen_facts);
        std::thread::scope(|s| {
            let (send, receive) = std::sync::mpsc::sync_channel::<Option<(Vec<Fact>, u32)>>(2);
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
            let before = model.len();
            let failed = |model: &Vec<Fact>| {
                if model.len() == before {
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
                let Some((facts, lines)) = resolved else {
                    return Err(failed(model));
                };
                for mut fact in facts {
                    fact.origin.line += base;
                    let key = (
                        fact.subject,
                        fact.relation,
                        fact.object,
                        fact.when,
                        fact.source,
                    );
                    if seen.insert(key, fact.origin, model, true).is_some() {
                        return Err(ParallelFailed::Changed);
                    }
                    model.push(fact);
                }
                base += lines;
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
