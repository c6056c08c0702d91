//! The word index behind `search`: which quotes, notes and names hold which words, ranked by BM25.
//!
//! A plain inverted index in compressed-sparse-row form (term -> ascending text numbers, with
//! counts) rather than a search engine crate: the texts are short, live in memory already, and are
//! only ever searched by word, so a few flat arrays answer a query in the time it takes to read
//! the postings of its words, and build in one pass over the texts. It is built on the first
//! `search` of a loaded graph and kept with it (see [`crate::graph::KnowledgeGraph::search_index`]),
//! so a load that never searches pays nothing.
//!
//! Texts are numbered by field: fact `i`'s quote is text `i`, its note text `F + i`, and entity
//! `j`'s name with its aliases text `2F + j`, for `F` facts.

pub mod words;

use crate::model::{EntityId, FactId, Model};
use foldhash::fast::FixedState;
use hashbrown::HashMap;
use std::ops::Range;

/// Where a word was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Quote,
    Note,
    /// An entity's name or one of its aliases.
    Name,
}

impl Field {
    pub const ALL: [Field; 3] = [Field::Quote, Field::Note, Field::Name];

    pub fn name(self) -> &'static str {
        match self {
            Field::Quote => "quote",
            Field::Note => "note",
            Field::Name => "name",
        }
    }
}

/// A text of the index: what it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Text {
    Quote(FactId),
    Note(FactId),
    Name(EntityId),
}

impl Text {
    pub fn field(self) -> Field {
        match self {
            Text::Quote(_) => Field::Quote,
            Text::Note(_) => Field::Note,
            Text::Name(_) => Field::Name,
        }
    }

    pub fn fact(self) -> Option<FactId> {
        match self {
            Text::Quote(f) | Text::Note(f) => Some(f),
            Text::Name(_) => None,
        }
    }

    pub fn entity(self) -> Option<EntityId> {
        match self {
            Text::Name(e) => Some(e),
            Text::Quote(_) | Text::Note(_) => None,
        }
    }

    /// The pieces of the text, searched apart so that a phrase never runs from a name into an
    /// alias: the quote, the note, or the name and then each alias.
    pub fn pieces(self, model: &Model) -> Vec<&str> {
        match self {
            Text::Quote(f) => vec![model.quote(f)],
            Text::Note(f) => model.words(f).note.into_iter().collect(),
            Text::Name(e) => {
                let e = model.entity(e);
                std::iter::once(e.name.as_str())
                    .chain(e.aliases().iter().map(String::as_str))
                    .collect()
            }
        }
    }
}

/// Why no index was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildError {
    Cancelled,
    /// The index would need at least `needed` bytes, more than the `limit` a query may use.
    OverBudget {
        needed: usize,
        limit: usize,
    },
    /// Quotes paged from a damaged cache could not be read: such an index would miss them, so it
    /// is not kept.
    Unreadable,
}

/// How often the build looks at the cancel token and the budget, in texts.
const CHECK_EVERY: usize = 4096;
/// What a distinct term costs in the term table beyond its characters: the key's box, the id,
/// and the table's slack.
const TERM_OVERHEAD: usize = 40;

#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    facts: usize,
    terms: HashMap<Box<str>, u32, FixedState>,
    /// Term `t`'s postings are `texts[starts[t]..starts[t + 1]]`, ascending, with `counts` beside.
    starts: Vec<u32>,
    texts: Vec<u32>,
    counts: Vec<u16>,
    /// Words in each text, for BM25's length normalisation.
    lengths: Vec<u16>,
    /// Texts that hold a word, and words in all of them, per field: the average length.
    field_texts: [u64; 3],
    field_words: [u64; 3],
}

/// One text that holds some of the words asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub text: Text,
    pub score: f64,
    /// Distinct words of the query the text holds.
    pub words: usize,
    /// Whether the text holds the query's words in the query's order, side by side.
    pub phrase: bool,
}

impl SearchIndex {
    /// Indexes every quote, note, name and alias of `model`: O(characters) time; memory about 12
    /// bytes per distinct word of each text while building, 6 once built. Stops when `stop()` says
    /// so (polled every few thousand texts) or when it would need more than `limit` bytes.
    pub fn build(
        model: &Model,
        limit: usize,
        stop: &mut dyn FnMut() -> bool,
    ) -> Result<SearchIndex, BuildError> {
        let facts = model.facts().len();
        let total = 2 * facts + model.entities.len();
        if u32::try_from(total).is_err() {
            return Err(BuildError::OverBudget {
                needed: usize::MAX,
                limit,
            });
        }
        let mut index = SearchIndex {
            facts,
            lengths: Vec::with_capacity(total),
            ..SearchIndex::default()
        };
        // Each text's distinct terms and their counts, texts one after another.
        let mut flat: Vec<(u32, u16)> = Vec::new();
        let mut ends: Vec<u32> = Vec::with_capacity(total);
        let mut mine: Vec<u32> = Vec::new();
        for n in 0..total {
            if n % CHECK_EVERY == 0 {
                if stop() {
                    return Err(BuildError::Cancelled);
                }
                index.within(limit, flat.capacity() * 2 * 8 + ends.capacity() * 6)?;
            }
            mine.clear();
            for piece in index.text(n).pieces(model) {
                words::each_word(piece, |_, term| mine.push(index.term_id(term)));
            }
            mine.sort_unstable();
            for run in mine.chunk_by(|a, b| a == b) {
                flat.push((run[0], u16::try_from(run.len()).unwrap_or(u16::MAX)));
            }
            ends.push(flat.len() as u32);
            index
                .lengths
                .push(u16::try_from(mine.len()).unwrap_or(u16::MAX));
            if !mine.is_empty() {
                let field = index.text(n).field() as usize;
                index.field_texts[field] += 1;
                index.field_words[field] += mine.len() as u64;
            }
        }
        index.within(limit, flat.len() * 8 + flat.len() * 6 + ends.len() * 6)?;
        index.invert(&flat, &ends);
        Ok(index)
    }

    /// Fails when the index so far plus `building` bytes would pass `limit`.
    fn within(&self, limit: usize, building: usize) -> Result<(), BuildError> {
        let terms: usize = self.terms.len() * TERM_OVERHEAD;
        let needed = building + terms + self.lengths.capacity() * 2;
        if needed > limit {
            return Err(BuildError::OverBudget { needed, limit });
        }
        Ok(())
    }

    fn term_id(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.terms.get(term) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.insert(term.into(), id);
        id
    }

    /// Turns texts' terms into terms' texts: a counting sort, so postings come out ascending.
    fn invert(&mut self, flat: &[(u32, u16)], ends: &[u32]) {
        let mut starts = vec![0u32; self.terms.len() + 1];
        for &(term, _) in flat {
            starts[term as usize + 1] += 1;
        }
        for t in 1..starts.len() {
            starts[t] += starts[t - 1];
        }
        let mut next = starts.clone();
        self.texts = vec![0; flat.len()];
        self.counts = vec![0; flat.len()];
        let mut begin = 0;
        for (n, &end) in ends.iter().enumerate() {
            for &(term, count) in &flat[begin..end as usize] {
                let at = next[term as usize] as usize;
                self.texts[at] = n as u32;
                self.counts[at] = count;
                next[term as usize] += 1;
            }
            begin = end as usize;
        }
        self.starts = starts;
    }

    fn text(&self, n: usize) -> Text {
        let f = self.facts;
        if n < f {
            Text::Quote(FactId(n as u32))
        } else if n < 2 * f {
            Text::Note(FactId((n - f) as u32))
        } else {
            Text::Name(EntityId((n - 2 * f) as u32))
        }
    }

    /// The text numbers of a field.
    fn range(&self, field: Field) -> Range<u32> {
        let f = self.facts as u32;
        match field {
            Field::Quote => 0..f,
            Field::Note => f..2 * f,
            Field::Name => 2 * f..self.lengths.len() as u32,
        }
    }

    /// Bytes the index holds, roughly.
    pub fn bytes(&self) -> usize {
        self.terms.len() * TERM_OVERHEAD
            + self.starts.len() * 4
            + self.texts.len() * 6
            + self.lengths.len() * 2
    }

    /// Texts in `fields` holding any of `terms` (normalised, see [`words::terms`]) that `keep`
    /// accepts, scored by BM25 per field. O(postings of the terms) time, and memory for each text
    /// that holds one of them; a phrase is checked only in texts holding all of its words.
    pub fn search(
        &self,
        model: &Model,
        terms: &[String],
        fields: &[Field],
        keep: &mut dyn FnMut(Text) -> bool,
        stop: &mut dyn FnMut() -> bool,
    ) -> Option<Vec<Scored>> {
        let mut distinct: Vec<&str> = terms.iter().map(String::as_str).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let mut found: HashMap<u32, (f64, usize), FixedState> = HashMap::default();
        let mut polls = 0usize;
        for term in &distinct {
            let Some(&id) = self.terms.get(*term) else {
                continue;
            };
            let (lo, hi) = (self.starts[id as usize], self.starts[id as usize + 1]);
            let postings = &self.texts[lo as usize..hi as usize];
            for &field in fields {
                let range = self.range(field);
                let from = postings.partition_point(|&n| n < range.start);
                let to = postings.partition_point(|&n| n < range.end);
                let weight = self.idf(field, to - from);
                let average = self.average(field);
                let counts = &self.counts[lo as usize..hi as usize];
                for (&n, &count) in postings[from..to].iter().zip(&counts[from..to]) {
                    polls += 1;
                    if polls % CHECK_EVERY == 0 && stop() {
                        return None;
                    }
                    let count = f64::from(count);
                    let length = f64::from(self.lengths[n as usize]);
                    let tf = count * (K1 + 1.0) / (count + K1 * (1.0 - B + B * length / average));
                    let entry = found.entry(n).or_insert((0.0, 0));
                    entry.0 += weight * tf;
                    entry.1 += 1;
                }
            }
        }
        let mut out = Vec::with_capacity(found.len());
        for (n, (score, words)) in found {
            let text = self.text(n as usize);
            if !keep(text) {
                continue;
            }
            let phrase = terms.len() > 1
                && words == distinct.len()
                && text.pieces(model).iter().any(|p| holds_phrase(p, terms));
            out.push(Scored {
                text,
                score,
                words,
                phrase,
            });
        }
        Some(out)
    }

    fn idf(&self, field: Field, holding: usize) -> f64 {
        let all = self.field_texts[field as usize] as f64;
        let n = holding as f64;
        (1.0 + (all - n + 0.5) / (n + 0.5)).ln()
    }

    fn average(&self, field: Field) -> f64 {
        let texts = self.field_texts[field as usize].max(1) as f64;
        (self.field_words[field as usize] as f64 / texts).max(1.0)
    }
}

/// BM25's usual constants: how fast repeats of a word stop counting, and how much a long text's
/// length discounts it.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Best first: exact phrases, then texts holding more of the words, then by score; ties in text
/// order so answers are stable. Keeps the first `limit`.
pub fn rank(hits: &mut Vec<Scored>, limit: usize) {
    let order = |a: &Scored, b: &Scored| {
        b.phrase
            .cmp(&a.phrase)
            .then(b.words.cmp(&a.words))
            .then(b.score.total_cmp(&a.score))
            .then(a.text.cmp(&b.text))
    };
    if hits.len() > limit && limit > 0 {
        hits.select_nth_unstable_by(limit - 1, order);
        hits.truncate(limit);
    }
    hits.sort_unstable_by(order);
}

/// Whether `text` holds `terms` as consecutive words.
fn holds_phrase(text: &str, terms: &[String]) -> bool {
    let mut seen: Vec<String> = Vec::new();
    let mut found = false;
    words::each_word(text, |_, term| {
        if found {
            return;
        }
        seen.push(term.to_string());
        if seen.len() > terms.len() {
            seen.remove(0);
        }
        found = seen == terms;
    });
    found
}

/// The byte ranges of `text` to mark for a reader: its words that are among `terms`, with
/// neighbours joined across the spaces between them, so a phrase reads as one mark.
pub fn marks(text: &str, terms: &[String]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    words::each_word(text, |range, term| {
        if !terms.iter().any(|t| t == term) {
            return;
        }
        match out.last_mut() {
            Some(last) if text[last.end..range.start].chars().all(char::is_whitespace) => {
                last.end = range.end;
            }
            _ => out.push(range),
        }
    });
    out
}

#[cfg(test)]
mod tests;
