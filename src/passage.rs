//! Where a quote sits in its source's text: the closest passage to a quote that is not verbatim
//! (so a curator can fix a paraphrase in one step), and the sentence around one that is.

use crate::model::{FactId, Model};
use hashbrown::HashMap;
use std::ops::Range;

/// A source's text split into words once, for many quotes to be searched in it.
pub struct Passages<'a> {
    text: &'a str,
    /// Byte range of every whitespace-separated word, in order.
    words: Vec<Range<usize>>,
    /// Each word's index into `distinct`.
    ids: Vec<u32>,
    /// The distinct words (quote marks normalised), with their folded forms.
    distinct: Vec<(String, String)>,
}

/// Cost of a quote word missing from the passage, or a passage word missing from the quote.
const GAP: u32 = 3;
/// Cost of one word standing for another that does not resemble it. Less than two gaps, so an
/// exchanged word aligns as one substitution.
const OTHER_WORD: u32 = 4;
/// How many stretches of the text a quote is aligned with: those sharing the most words with it.
const REGIONS: usize = 6;

impl<'a> Passages<'a> {
    pub fn new(text: &'a str) -> Passages<'a> {
        let mut words = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            match (c.is_whitespace(), start) {
                (true, Some(s)) => {
                    words.push(s..i);
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            words.push(s..text.len());
        }
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut distinct = Vec::new();
        let ids = words
            .iter()
            .map(|w| {
                let word = normalise_quote(&text[w.clone()]);
                *index.entry(word.clone()).or_insert_with(|| {
                    distinct.push((fold(&word), word));
                    (distinct.len() - 1) as u32
                })
            })
            .collect();
        Passages {
            text,
            words,
            ids,
            distinct,
        }
    }

    /// The passage of the text closest to `quote`, word for word, with its whitespace made single
    /// spaces (as quotes are compared); `None` when nothing is close enough to be the same
    /// statement (on average at most a word in two differs).
    ///
    /// Cost: O(words of the text × log of that) to find the few stretches of the text that share
    /// the most words with the quote, then O(words of a stretch × words of the quote) for each:
    /// an alignment that lets the passage start and end anywhere in it (Sellers' approximate
    /// matching), over words instead of characters.
    pub fn closest(&self, quote: &str) -> Option<String> {
        let quote: Vec<String> = quote.split_whitespace().map(normalise_quote).collect();
        if quote.is_empty() || self.words.is_empty() {
            return None;
        }
        let costs = self.substitution_costs(&quote);
        let mut best: Option<(u32, Range<usize>)> = None;
        for region in self.regions(&costs) {
            let Some((cost, span)) = self.align(&costs, region) else {
                continue;
            };
            let better = best
                .as_ref()
                .is_none_or(|(b, s)| cost < *b || (cost == *b && span.start < s.start));
            if better {
                best = Some((cost, span));
            }
        }
        let (cost, span) = best?;
        if cost > 2 * quote.len() as u32 {
            return None;
        }
        let mut words: Vec<&str> = span.map(|w| &self.text[self.words[w].clone()]).collect();
        // "in Homs," for a quote ending "in Homs": the comma belongs to the sentence, not the claim.
        let ends_bare = quote
            .last()
            .and_then(|w| w.chars().last())
            .is_some_and(char::is_alphanumeric);
        if let Some(last) = words.last_mut() {
            if ends_bare {
                *last = last.trim_end_matches([',', ';', ':', '.']);
            }
        }
        Some(words.join(" "))
    }

    /// Stretches of the text worth aligning a quote with: around the windows of the quote's
    /// length that hold the most words like the quote's, at most [`REGIONS`] apart from each other.
    fn regions(&self, costs: &[Vec<u32>]) -> Vec<Range<usize>> {
        let n = costs.len();
        let near: Vec<u32> = (0..self.distinct.len())
            .map(|id| u32::from(costs.iter().any(|c| c[id] <= 2)))
            .collect();
        let hits: Vec<u32> = self.ids.iter().map(|&id| near[id as usize]).collect();
        let m = hits.len();
        let w = n.min(m);
        let mut sum: u32 = hits[..w].iter().sum();
        let mut scores = vec![sum];
        for j in 1..=m - w {
            sum = sum + hits[j + w - 1] - hits[j - 1];
            scores.push(sum);
        }
        // The best window apart from those chosen, again and again: a few scans, no sort.
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < REGIONS {
            let next = (0..scores.len())
                .filter(|&j| scores[j] > 0 && chosen.iter().all(|&c| c.abs_diff(j) >= w))
                .max_by_key(|&j| (scores[j], std::cmp::Reverse(j)));
            match next {
                Some(j) => chosen.push(j),
                None => break,
            }
        }
        chosen
            .into_iter()
            .map(|j| j.saturating_sub(n)..(j + w + n).min(m))
            .collect()
    }

    /// The best alignment of the quote with a passage inside `region` (word indices): its cost and
    /// the passage's words.
    fn align(&self, costs: &[Vec<u32>], region: Range<usize>) -> Option<(u32, Range<usize>)> {
        let n = costs.len();
        // Column j of the alignment: cost and first text word of the best alignment of the first
        // i quote words ending just before text word j.
        let mut prev: Vec<(u32, usize)> = (0..=n).map(|i| (i as u32 * GAP, region.start)).collect();
        let mut cur = prev.clone();
        let mut best: Option<(u32, Range<usize>)> = None;
        for j in region.start + 1..=region.end {
            let id = self.ids[j - 1] as usize;
            cur[0] = (0, j);
            for i in 1..=n {
                let (diag, diag_start) = prev[i - 1];
                let mut cell = (diag + costs[i - 1][id], diag_start);
                if prev[i].0 + GAP < cell.0 {
                    cell = (prev[i].0 + GAP, prev[i].1);
                }
                if cur[i - 1].0 + GAP < cell.0 {
                    cell = (cur[i - 1].0 + GAP, cur[i - 1].1);
                }
                cur[i] = cell;
            }
            let (cost, start) = cur[n];
            if start < j && best.as_ref().is_none_or(|(b, _)| cost < *b) {
                best = Some((cost, start..j));
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        best
    }

    /// For each quote word, the cost of aligning it with each distinct word of the text.
    fn substitution_costs(&self, quote: &[String]) -> Vec<Vec<u32>> {
        quote
            .iter()
            .map(|q| {
                let folded = fold(q);
                self.distinct
                    .iter()
                    .map(|(f, word)| {
                        if word == q {
                            0
                        } else if *f == folded {
                            1
                        } else if resembles(f, &folded) {
                            2
                        } else {
                            OTHER_WORD
                        }
                    })
                    .collect()
            })
            .collect()
    }
}

/// A word as compared loosely: lowercase, without the punctuation around it.
fn fold(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// Whether two folded words are one misspelling or inflection apart ("beseiged", "besieged";
/// "fighter", "fighters"): an edit distance of at most a quarter of their length, and at least 1.
fn resembles(a: &str, b: &str) -> bool {
    // Misspellings keep the first letter and about the length: most pairs end here, cheaply.
    if a.chars().next() != b.chars().next()
        || a.len().abs_diff(b.len()) > 1 + a.len().max(b.len()) / 4
    {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let longest = a.len().max(b.len());
    let limit = (longest / 4).max(1);
    if longest < 3 || a.len().abs_diff(b.len()) > limit {
        return false;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()] <= limit
}

/// A quote inside its sentence, each part with its whitespace made single spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InSentence {
    pub before: String,
    pub quote: String,
    pub after: String,
}

impl InSentence {
    /// `before »quote« after`: the quote marked inside its sentence.
    pub fn marked(&self) -> String {
        let mut out = String::new();
        if !self.before.is_empty() {
            out.push_str(&self.before);
            out.push(' ');
        }
        out.push('»');
        out.push_str(&self.quote);
        out.push('«');
        if !self.after.is_empty() {
            if !self.after.starts_with(|c: char| c.is_ascii_punctuation()) {
                out.push(' ');
            }
            out.push_str(&self.after);
        }
        out
    }
}

/// The sentence of `text` that holds `quote` (compared as quotes are checked), or `None` when the
/// quote is not in the text. A sentence ends at `.`, `!` or `?` before a space, or at a blank line
/// (a paragraph's end; a single line break may only be wrapping).
///
/// Cost: O(length of the text).
pub fn sentence_around(text: &str, quote: &str) -> Option<InSentence> {
    let (normal, origin) = normalised_with_origin(text);
    let wanted = normalise_quote(quote);
    if wanted.is_empty() {
        return None;
    }
    let at = normal.find(&wanted)?;
    let start = origin[at];
    let last = origin[at + wanted.len() - 1];
    let end = last + text[last..].chars().next().map_or(0, char::len_utf8);
    let from = sentence_start(text, start);
    let to = sentence_end(text, end).max(end);
    let spaced = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(InSentence {
        before: spaced(&text[from..start]),
        quote: spaced(&text[start..end]),
        after: spaced(&text[end..to]),
    })
}

/// The sentence of its source's text that holds the quote of `fact`, when the source has a text.
pub fn quote_in_sentence(model: &Model, fact: FactId) -> Option<InSentence> {
    let text = model.source(model.fact(fact).source).text.as_deref()?;
    sentence_around(text, model.words(fact).quote)
}

/// `text` normalised as quotes are, and for each byte of that the byte of `text` it came from.
fn normalised_with_origin(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    let mut space: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            space = space.or(Some(i));
            continue;
        }
        if let Some(s) = space.take() {
            if !out.is_empty() {
                out.push(' ');
                origin.push(s);
            }
        }
        let normal = normalise_quote(c.encode_utf8(&mut [0; 4]));
        origin.extend(std::iter::repeat_n(i, normal.len()));
        out.push_str(&normal);
    }
    (out, origin)
}

/// Where the sentence holding byte `at` starts: after the last sentence end or line end before it.
fn sentence_start(text: &str, at: usize) -> usize {
    let before = &text[..at];
    let mut start = 0;
    let mut chars = before.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_space = chars.peek().is_some_and(|&(_, n)| n.is_whitespace());
        if (c == '\n' && blank_line_after(text, i))
            || (matches!(c, '.' | '!' | '?') && next_is_space)
        {
            start = i + c.len_utf8();
        }
    }
    start + (before[start..].len() - before[start..].trim_start().len())
}

/// Where the sentence holding the byte before `from` ends: just after its `.`, `!` or `?`, or at
/// the end of its paragraph.
fn sentence_end(text: &str, from: usize) -> usize {
    let rest = &text[from..];
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\n' && blank_line_after(text, from + i) {
            return from + i;
        }
        let next_is_space = chars.peek().is_none_or(|&(_, n)| n.is_whitespace());
        if matches!(c, '.' | '!' | '?') && next_is_space {
            return from + i + 1;
        }
    }
    text.len()
}

/// Whether the line break at byte `at` is followed by a blank line, or ends the text.
fn blank_line_after(text: &str, at: usize) -> bool {
    let rest = &text[at + 1..];
    match rest.find('\n') {
        Some(n) => rest[..n].trim().is_empty(),
        None => rest.trim().is_empty(),
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

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Capture of the town.\n\nThe Courier said rebels withdrew from the \
                        northern hills on Sunday, clearing the road. Later, talks resumed.\n";

    #[test]
    fn a_paraphrase_finds_the_passage_it_came_from() {
        let p = Passages::new(TEXT);
        assert_eq!(
            p.closest("rebels withdrew from northern hills on Sunday")
                .as_deref(),
            Some("rebels withdrew from the northern hills on Sunday")
        );
        assert_eq!(p.closest("Talks resumed").as_deref(), Some("talks resumed"));
    }

    #[test]
    fn a_quote_about_something_else_gets_no_passage() {
        let p = Passages::new(TEXT);
        assert_eq!(p.closest("a ministry banned every export of grain"), None);
    }

    #[test]
    fn misspellings_count_as_near_words() {
        assert!(resembles("beseiged", "besieged"));
        assert!(resembles("fighter", "fighters"));
        assert!(!resembles("rebels", "troops"));
    }

    #[test]
    fn the_sentence_around_a_quote_ignores_line_breaks_and_curly_quotes() {
        let text =
            "Headline\n\nThe group \u{201C}withdrew\u{201D}\nfrom the hills, it said\n\nNext.";
        let s = sentence_around(text, "\"withdrew\" from the hills").unwrap();
        assert_eq!(s.before, "The group");
        assert_eq!(s.quote, "\u{201C}withdrew\u{201D} from the hills");
        assert_eq!(s.after, ", it said");
        assert_eq!(
            s.marked(),
            "The group »\u{201C}withdrew\u{201D} from the hills«, it said"
        );
        assert_eq!(sentence_around(text, "not there"), None);
    }
}
