//! The quote and source behind each row, laid out as the reader chose (`set evidence`): each quote
//! once as a numbered footnote, in full under every row, as one short line, or not at all.

use super::wrap::{columns, cut};
use super::{name, width, Page};
use crate::format::Evidence;
use crate::model::{grade_text, FactId};
use crate::passage::quote_in_sentence;
use crate::visible::visible;
use std::collections::HashMap;
use std::fmt::Write;

/// How wide a `short` line may be when the output is not a terminal: the width of a classic one,
/// so that scripts get one stable line per row.
const SHORT_WIDTH: usize = 80;

/// The columns of quote a `short` line keeps before its source label gives way: three or four
/// words, enough to tell one quote from another.
const SHORT_QUOTE: usize = 20;

/// The fewest columns of a publisher's name a `short` line cuts it to before it drops the date.
const SHORT_PUBLISHER: usize = 12;

/// The quotes an answer has cited so far, numbered in the order they were first cited.
#[derive(Default)]
pub(super) struct Footnotes {
    cited: Vec<Cited>,
    numbers: HashMap<Cited, usize>,
}

impl Footnotes {
    /// The number of `cited`; a quote not cited before gets the next one.
    fn number(&mut self, cited: Cited) -> usize {
        if let Some(&n) = self.numbers.get(&cited) {
            return n;
        }
        self.cited.push(cited.clone());
        self.numbers.insert(cited, self.cited.len());
        self.cited.len()
    }
}

/// What the evidence of a fact says: its quote (empty for imported triples), the source it is
/// from, and who that source says reported it.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Cited {
    quote: String,
    /// `The National, 2017-08-06`, and in full the fact's `file:line`.
    source: String,
    /// `reported by SOHR`, or empty.
    reported: String,
}

impl Cited {
    /// `"..." (The National, 2017-08-06; reported by SOHR)`; without `source` when the source
    /// was named once for all. A fact without a quote (an imported triple) says so once, after
    /// its source, rather than show an empty `""`.
    fn text(&self, source: bool) -> String {
        let about: Vec<&str> = [source.then_some(self.source.as_str()), Some(&self.reported)]
            .into_iter()
            .flatten()
            .filter(|a| !a.is_empty())
            .collect();
        let about = about.join("; ");
        match (self.quote.is_empty(), about.is_empty()) {
            (true, true) => "no quote".to_string(),
            (true, false) => format!("{about} (no quote)"),
            (false, true) => format!("\"{}\"", self.quote),
            (false, false) => format!("\"{}\" ({about})", self.quote),
        }
    }
}

impl Page<'_> {
    /// Writes `line`, a row that rests on `fact`, with the fact's evidence as the mode asks: a
    /// `[n]` at its end, or a line beneath it indented by `indent`. A line padded to a column
    /// keeps its padding, so that the marks of a table line up.
    pub(super) fn stated(&mut self, fact: FactId, line: &str, indent: &str) {
        match self.evidence {
            Evidence::Footnotes => {
                let n = self.footnotes.number(self.cited(fact, false));
                let mark = format!("  [{n}]");
                // Padding that would push the mark past the width goes first.
                let fits = |w: usize| width(line) + mark.len() <= w;
                let line = if self.out.width.is_none_or(fits) {
                    line
                } else {
                    line.trim_end()
                };
                self.out.glued(format_args!("{line}{mark}"), mark.len());
            }
            Evidence::Full | Evidence::Context => {
                self.out.line(format_args!("{line}"));
                let mut cited = self.cited(fact, true);
                if self.evidence == Evidence::Context {
                    if let Some(sentence) = quote_in_sentence(&self.graph.model, fact) {
                        cited.quote = sentence.marked();
                    }
                }
                let text = cited.text(true);
                // Wrapped lines start under the quote's first word, not under its `"`.
                self.out
                    .hanging(format_args!("{indent}{text}"), indent.len() + 1);
            }
            Evidence::Short => {
                self.out.line(format_args!("{line}"));
                let room = self
                    .out
                    .width
                    .unwrap_or(SHORT_WIDTH)
                    .saturating_sub(indent.len());
                let text = self.short(fact, room);
                self.out.line(format_args!("{indent}{text}"));
            }
            Evidence::Off => self.out.line(format_args!("{line}")),
        }
    }

    /// The quotes cited with `[n]`, each once, under the answer. A source they all share (as in
    /// a graph of one article) is named once, above them.
    pub(super) fn footnote_list(&mut self) {
        let cited = std::mem::take(&mut self.footnotes.cited);
        let Some(first) = cited.first() else {
            return;
        };
        let shared = cited
            .iter()
            .all(|c| c.source == first.source && !c.quote.is_empty());
        if shared {
            self.out.line(format_args!("Quotes ({}):", first.source));
        } else {
            self.out.line(format_args!("Quotes:"));
        }
        let mark_width = cited.len().to_string().len() + 2;
        for (i, c) in cited.iter().enumerate() {
            let text = c.text(!shared);
            let mark = format!("[{}]", i + 1);
            // Under the quote's first word: two spaces, the mark, a space and the `"`.
            let hang = 2 + mark_width + 1 + 1;
            self.out
                .hanging(format_args!("  {mark:>mark_width$} {text}"), hang);
        }
    }

    /// The evidence of `fact`; with `place`, its `file:line` after the source.
    fn cited(&self, fact: FactId, place: bool) -> Cited {
        let graph = self.graph;
        let model = &graph.model;
        let f = model.fact(fact);
        let mut source = self.source(fact);
        if place {
            let file = self
                .files
                .get(f.origin.file as usize)
                .or_else(|| model.files.get(f.origin.file as usize))
                .map_or("?", String::as_str);
            let _ = write!(source, ", {file}:{}", f.origin.line);
        }
        let words = model.words(fact);
        let reported = if words.reported_by.is_empty() {
            String::new()
        } else {
            let who: Vec<&str> = words.reported_by.iter().map(|&r| name(graph, r)).collect();
            format!("reported by {}", who.join(" and "))
        };
        Cited {
            quote: words.quote.to_string(),
            source,
            reported,
        }
    }

    /// `The National, 2017-08-08: "in May 2015 overran…"`, at most `room` columns wide. The
    /// quote keeps at least `SHORT_QUOTE` columns: a long source label gives way first (its
    /// publisher cut, then its date and grade), so a deep row never shows a quote of one letter.
    fn short(&self, fact: FactId, room: usize) -> String {
        let source = visible(&self.source(fact)).into_owned();
        let quote = visible(self.graph.model.words(fact).quote).into_owned();
        if quote.is_empty() {
            return cut(&source, room);
        }
        // Four columns for `: ` and the quotation marks.
        let wanted = columns(&quote).min(SHORT_QUOTE) + 4;
        let label = if columns(&source) + wanted <= room {
            source
        } else {
            self.short_label(fact, room.saturating_sub(wanted))
        };
        let left = room.saturating_sub(columns(&label) + 4);
        format!("{label}: \"{}\"", cut(&quote, left))
    }

    /// The source label in `room` columns: the publisher cut before its grade and date, while
    /// enough of its name is left to know it by; else the label cut from its end.
    fn short_label(&self, fact: FactId, room: usize) -> String {
        let model = &self.graph.model;
        let publisher = visible(&model.source(model.fact(fact).source).publisher).into_owned();
        let source = visible(&self.source(fact)).into_owned();
        let after = source.strip_prefix(publisher.as_str()).unwrap_or_default();
        let name = room
            .checked_sub(columns(after))
            .map(|left| cut(&publisher, left))
            .filter(|name| columns(name) >= SHORT_PUBLISHER);
        match name {
            Some(name) => format!("{name}{after}"),
            None => cut(&source, room.max(SHORT_PUBLISHER)).replace(",…", "…"),
        }
    }

    /// The publisher a reader knows the source by, its Admiralty grade with the fact's if the
    /// curator gave them, and when it published: `The National [B2], 2017-08-08`.
    fn source(&self, fact: FactId) -> String {
        let model = &self.graph.model;
        let s = model.source(model.fact(fact).source);
        match grade_text(s.reliability, model.words(fact).credibility) {
            Some(grade) => format!("{} [{grade}], {}", s.publisher, s.published),
            None => format!("{}, {}", s.publisher, s.published),
        }
    }
}
