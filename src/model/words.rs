//! The words behind facts (quote, reporters, note), kept apart from the facts that traversals
//! and joins read, in one text arena instead of three allocations per fact.

use super::{Credibility, EntityId, FactId};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// What a quote reads as when the cache it is paged from is damaged: marked so that no reader
/// takes it for the source's words. A session turns the query that met it into an error (see
/// [`Words::unreadable`]); other readers (`check`, exports outside a session) show it as is.
pub const UNREADABLE_QUOTE: &str = "«quote unavailable: the cache is damaged; run with --no-cache»";

/// A fact's words as a caller hands them in, or reads them back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FactWords<'a> {
    pub quote: &'a str,
    pub reported_by: &'a [EntityId],
    pub note: Option<&'a str>,
    /// How credible the curator judges the fact (Admiralty 1-6), if graded.
    pub credibility: Option<Credibility>,
}

/// Quotes kept outside memory until they are asked for (a cache file read by blocks, see
/// `cache::quotes`); each is read, checked and kept on first use.
pub trait QuotePages: Send + Sync + std::panic::RefUnwindSafe {
    /// How many facts the pages hold quotes for.
    fn facts(&self) -> usize;
    /// Fact `fact`'s quote; `None` if the part of the file that holds it is damaged or cannot be
    /// read. A fact beyond [`QuotePages::facts`] has none.
    fn quote(&self, fact: FactId) -> Option<&str>;
    /// How many quotes could not be read so far.
    fn failures(&self) -> u64;
    /// The file the quotes are read from, to name in an error.
    fn file(&self) -> &Path;
    /// Removes that file if its path still names the file the quotes are read from, so that the
    /// next load writes it again.
    fn discard(&self) -> Discarded;
}

/// What became of a damaged cache once its damage was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discarded {
    /// Removed (or already gone): the next load reads the fact files and writes it again.
    Removed,
    /// Another file stands at its path now, written by a later load: the next load reads that.
    Replaced,
    /// Still there: it could not be removed.
    Kept,
}

/// The words of every fact, in one allocation per kind instead of three per fact: quotes are
/// concatenated (fact `i`'s quote ends at `quote_ends[i]`) or paged from a cache, and reporters
/// and notes, which few facts have, are listed by fact.
#[derive(Clone, Default)]
pub struct Words {
    quotes: Quotes,
    /// Sorted by fact: facts are only ever appended.
    extras: Vec<(FactId, Extra)>,
}

#[derive(Clone)]
enum Quotes {
    /// As validation builds them. `ends` is empty while every quote so far is empty, so that
    /// imported triples, which have none, cost nothing here; otherwise one end per fact.
    Owned { ends: Vec<u64>, text: String },
    /// As a warm start finds them: in the cache file, read on first use.
    Paged(Arc<dyn QuotePages>),
}

impl Default for Quotes {
    fn default() -> Self {
        Quotes::Owned {
            ends: Vec::new(),
            text: String::new(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Extra {
    pub reported_by: Box<[EntityId]>,
    pub note: Option<Box<str>>,
    pub credibility: Option<Credibility>,
}

/// Extras sorted by fact and below `facts`, as [`Words`] keeps them.
fn extras_fit(extras: &[(FactId, Extra)], facts: usize) -> bool {
    let sorted = extras.windows(2).all(|w| w[0].0 < w[1].0);
    sorted && extras.last().is_none_or(|(f, _)| f.index() < facts)
}

impl Words {
    /// Rebuilds the words of `facts` facts from their parts; `None` unless the parts are
    /// consistent (one end per fact, or none and no quote text; ends ascending, within the text
    /// and on character boundaries; extras sorted by fact and below `facts`).
    pub fn from_parts(
        facts: usize,
        quote_ends: Vec<u64>,
        quotes: String,
        extras: Vec<(FactId, Extra)>,
    ) -> Option<Words> {
        if quote_ends.len() != facts && !quote_ends.is_empty() {
            return None;
        }
        let mut previous = 0;
        for &end in &quote_ends {
            let end = usize::try_from(end).ok()?;
            if end < previous || !quotes.is_char_boundary(end) {
                return None;
            }
            previous = end;
        }
        (extras_fit(&extras, facts) && previous == quotes.len()).then_some(Words {
            quotes: Quotes::Owned {
                ends: quote_ends,
                text: quotes,
            },
            extras,
        })
    }

    /// The words of `facts` facts whose quotes `pages` reads on first use; `None` unless the
    /// pages hold `facts` facts and the extras fit as in [`Words::from_parts`].
    pub fn paged(
        facts: usize,
        pages: Arc<dyn QuotePages>,
        extras: Vec<(FactId, Extra)>,
    ) -> Option<Words> {
        (pages.facts() == facts && extras_fit(&extras, facts)).then_some(Words {
            quotes: Quotes::Paged(pages),
            extras,
        })
    }

    /// Whether these are the words of `facts` facts.
    pub fn fits(&self, facts: usize) -> bool {
        match &self.quotes {
            Quotes::Owned { ends, .. } => ends.is_empty() || ends.len() == facts,
            Quotes::Paged(pages) => pages.facts() == facts,
        }
    }

    /// Whether any fact may have a quote: false only when none has, as for imported triples.
    pub fn has_quotes(&self) -> bool {
        match &self.quotes {
            Quotes::Owned { ends, .. } => !ends.is_empty(),
            Quotes::Paged(_) => true,
        }
    }

    /// Fact `fact`'s quote, `None` if it is paged from a damaged cache.
    pub fn try_quote(&self, fact: FactId) -> Option<&str> {
        match &self.quotes {
            Quotes::Owned { ends, text } => {
                let i = fact.index();
                let start = match i {
                    0 => 0,
                    _ => ends.get(i - 1).map_or(0, |&e| e as usize),
                };
                let end = ends.get(i).map_or(start, |&e| e as usize);
                Some(text.get(start..end).unwrap_or(""))
            }
            Quotes::Paged(pages) => pages.quote(fact),
        }
    }

    /// How many quotes could not be read so far, and from which file; `None` while every quote
    /// is in memory. A caller compares the count before and after a task to learn whether the
    /// task met [`UNREADABLE_QUOTE`].
    pub fn unreadable(&self) -> Option<(u64, &Path)> {
        match &self.quotes {
            Quotes::Owned { .. } => None,
            Quotes::Paged(pages) => Some((pages.failures(), pages.file())),
        }
    }

    /// Removes the damaged cache the quotes are paged from (see [`QuotePages::discard`]).
    pub fn discard_cache(&self) -> Discarded {
        match &self.quotes {
            Quotes::Owned { .. } => Discarded::Kept,
            Quotes::Paged(pages) => pages.discard(),
        }
    }

    pub fn extras(&self) -> &[(FactId, Extra)] {
        &self.extras
    }

    pub(super) fn push(&mut self, fact: FactId, words: FactWords<'_>) {
        if let Quotes::Paged(_) = self.quotes {
            // Facts are appended only while validating, to words built in memory; should that
            // change, the paged quotes come into memory first, so that the arena stays one.
            let (ends, text) = self.owned_quotes(fact.index());
            self.quotes = Quotes::Owned { ends, text };
        }
        if let Quotes::Owned { ends, text } = &mut self.quotes {
            if !words.quote.is_empty() || !ends.is_empty() {
                // The first quote: every fact before it had an empty one.
                ends.resize(fact.index(), 0);
                text.push_str(words.quote);
                ends.push(text.len() as u64);
            }
        }
        if !words.reported_by.is_empty() || words.note.is_some() || words.credibility.is_some() {
            self.extras.push((
                fact,
                Extra {
                    reported_by: words.reported_by.into(),
                    note: words.note.map(Into::into),
                    credibility: words.credibility,
                },
            ));
        }
    }

    /// The quotes of the first `facts` facts, in memory.
    fn owned_quotes(&self, facts: usize) -> (Vec<u64>, String) {
        let mut ends = Vec::with_capacity(facts);
        let mut text = String::new();
        for i in 0..facts {
            text.push_str(self.get(FactId(i as u32)).quote);
            ends.push(text.len() as u64);
        }
        (ends, text)
    }

    pub(super) fn get(&self, fact: FactId) -> FactWords<'_> {
        let extra = self
            .extras
            .binary_search_by_key(&fact, |(f, _)| *f)
            .ok()
            .map(|k| &self.extras[k].1);
        FactWords {
            quote: self.try_quote(fact).unwrap_or(UNREADABLE_QUOTE),
            reported_by: extra.map_or(&[], |x| &x.reported_by),
            note: extra.and_then(|x| x.note.as_deref()),
            credibility: extra.and_then(|x| x.credibility),
        }
    }
}

/// The same for words in memory and paged ones: every quote (paging them all in), then the
/// extras. Meant for tests and debugging, which compare models.
impl fmt::Debug for Words {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let facts = match &self.quotes {
            Quotes::Owned { ends, .. } => ends.len(),
            Quotes::Paged(pages) => pages.facts(),
        };
        let quotes: Vec<_> = (0..facts as u32)
            .map(|i| self.get(FactId(i)).quote)
            .collect();
        f.debug_struct("Words")
            .field("quotes", &quotes)
            .field("extras", &self.extras)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_read_back_whether_or_not_earlier_facts_had_one() {
        let mut words = Words::default();
        let quotes = ["", "", "besieged since 2015", "", "Ḥims"];
        for (i, q) in quotes.iter().enumerate() {
            let note = (i == 3).then_some("n");
            let w = FactWords {
                quote: q,
                reported_by: &[],
                note,
                credibility: None,
            };
            words.push(FactId(i as u32), w);
        }
        for (i, q) in quotes.iter().enumerate() {
            let w = words.get(FactId(i as u32));
            assert_eq!(w.quote, *q);
            assert_eq!(w.note, (i == 3).then_some("n"));
        }
        let ends = quotes.iter().scan(0, |end, q| {
            *end += q.len() as u64;
            Some(*end)
        });
        let rebuilt = Words::from_parts(
            quotes.len(),
            ends.collect(),
            quotes.concat(),
            words.extras().to_vec(),
        )
        .unwrap();
        assert_eq!(rebuilt.get(FactId(4)).quote, "Ḥims");
    }

    #[test]
    fn facts_without_quotes_hold_no_quote_ends() {
        let mut words = Words::default();
        for i in 0..1000 {
            words.push(FactId(i), FactWords::default());
        }
        assert!(!words.has_quotes());
        assert_eq!(words.get(FactId(999)).quote, "");
        assert!(Words::from_parts(1000, Vec::new(), String::new(), Vec::new()).is_some());
        assert!(Words::from_parts(1000, vec![0; 999], String::new(), Vec::new()).is_none());
    }
}
