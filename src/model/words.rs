//! The words behind facts (quote, reporters, note), kept apart from the facts that traversals
//! and joins read, in one text arena instead of three allocations per fact.

use super::{Credibility, EntityId, FactId};

/// A fact's words as a caller hands them in, or reads them back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FactWords<'a> {
    pub quote: &'a str,
    pub reported_by: &'a [EntityId],
    pub note: Option<&'a str>,
    /// How credible the curator judges the fact (Admiralty 1-6), if graded.
    pub credibility: Option<Credibility>,
}

/// The words of every fact, in one allocation per kind instead of three per fact: quotes are
/// concatenated (fact `i`'s quote ends at `quote_ends[i]`), and reporters and notes, which few
/// facts have, are listed by fact.
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// Empty while every quote so far is empty, so that imported triples, which have none, cost
    /// nothing here; otherwise one end per fact.
    quote_ends: Vec<u64>,
    quotes: String,
    /// Sorted by fact: facts are only ever appended.
    extras: Vec<(FactId, Extra)>,
}

#[derive(Debug, Clone, Default)]
pub struct Extra {
    pub reported_by: Box<[EntityId]>,
    pub note: Option<Box<str>>,
    pub credibility: Option<Credibility>,
}

impl Words {
    /// Rebuilds the words of `facts` facts from their parts, as a cache stores them; `None` unless
    /// the parts are consistent (one end per fact, or none and no quote text; ends ascending,
    /// within the text and on character boundaries; extras sorted by fact and below `facts`).
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
        let sorted = extras.windows(2).all(|w| w[0].0 < w[1].0);
        let in_range = extras.last().is_none_or(|(f, _)| f.index() < facts);
        (sorted && in_range && previous == quotes.len()).then_some(Words {
            quote_ends,
            quotes,
            extras,
        })
    }

    pub fn quote_ends(&self) -> &[u64] {
        &self.quote_ends
    }

    pub fn quotes(&self) -> &str {
        &self.quotes
    }

    pub fn extras(&self) -> &[(FactId, Extra)] {
        &self.extras
    }

    pub(super) fn push(&mut self, fact: FactId, words: FactWords<'_>) {
        if !words.quote.is_empty() || !self.quote_ends.is_empty() {
            // The first quote: every fact before it had an empty one.
            self.quote_ends.resize(fact.index(), 0);
            self.quotes.push_str(words.quote);
            self.quote_ends.push(self.quotes.len() as u64);
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

    pub(super) fn get(&self, fact: FactId) -> FactWords<'_> {
        let i = fact.index();
        let start = if i == 0 {
            0
        } else {
            self.quote_ends.get(i - 1).map_or(0, |&e| e as usize)
        };
        let end = self.quote_ends.get(i).map_or(start, |&e| e as usize);
        let extra = self
            .extras
            .binary_search_by_key(&fact, |(f, _)| *f)
            .ok()
            .map(|k| &self.extras[k].1);
        FactWords {
            quote: self.quotes.get(start..end).unwrap_or(""),
            reported_by: extra.map_or(&[], |x| &x.reported_by),
            note: extra.and_then(|x| x.note.as_deref()),
            credibility: extra.and_then(|x| x.credibility),
        }
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
        let rebuilt = Words::from_parts(
            quotes.len(),
            words.quote_ends().to_vec(),
            words.quotes().to_string(),
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
        assert!(words.quote_ends().is_empty());
        assert_eq!(words.get(FactId(999)).quote, "");
        assert!(Words::from_parts(1000, Vec::new(), String::new(), Vec::new()).is_some());
        assert!(Words::from_parts(1000, vec![0; 999], String::new(), Vec::new()).is_none());
    }
}
