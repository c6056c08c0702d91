//! Answers for people: aligned, answers first, the evidence for each indented beneath it.
//!
//! Answers about connections (neighbours, paths, matches, why) are written here; one entity over
//! time in `history`, the graph's contents in `catalogue`.

mod catalogue;
mod changes;
mod conflicts;
mod corroboration;
mod evidence;
mod history;
mod search;
mod wrap;

use super::{certainty, ends, label, marked_date, name, when, Context};
use crate::format::Evidence;
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, FactId};
use crate::query::answer::{Answer, MatchRow, NeighborRow, Step};
use crate::query::eval::notes::Note;
use crate::query::TimeScope;
use crate::visible::{needs_escaping, visible};
use std::fmt::{self, Write};
use std::time::Duration;

/// How headings say which time an answer is from: ` as of 2016, during 2015, reported by 2017-08-05`.
fn slice_words(time: TimeScope) -> String {
    let mut words = String::new();
    if let Some(at) = time.at {
        words.push_str(&format!(" as of {at}"));
    }
    if let Some(during) = time.during {
        let comma = if words.is_empty() { "" } else { "," };
        words.push_str(&format!("{comma} during {during}"));
    }
    if let Some(reported) = time.reported {
        let comma = if words.is_empty() { "" } else { "," };
        words.push_str(&format!("{comma} reported by {reported}"));
    }
    words
}

/// Facts of evidence text shows under one match row; the rest are counted.
const MATCH_EVIDENCE_SHOWN: usize = 10;

pub fn render(graph: &KnowledgeGraph, answer: &Answer, context: Context<'_>) -> String {
    let mut page = Page {
        graph,
        slice: slice_words(context.time),
        time: context.time,
        evidence: context.evidence,
        files: context.files,
        footnotes: evidence::Footnotes::default(),
        out: Lines {
            text: String::new(),
            width: context.width,
        },
    };
    match answer {
        Answer::Neighbors { entity, rows, more } => {
            page.neighbors(*entity, rows);
            page.more(*more);
        }
        Answer::Paths {
            from,
            to,
            paths,
            truncated,
        } => page.paths(*from, *to, paths, truncated.as_deref()),
        Answer::Match {
            columns,
            rows,
            truncated,
        } => page.matches(columns, rows, truncated.as_deref()),
        Answer::Count {
            columns,
            count,
            truncated,
        } => page.count(columns, *count, truncated.as_deref()),
        Answer::Why {
            subject,
            relation,
            object,
            facts,
            other_links,
            path,
        } => {
            page.why(*subject, relation, *object, facts, other_links);
            page.connection(*subject, *object, facts, other_links, path);
        }
        Answer::Show {
            entity,
            outgoing,
            incoming,
            held_by,
            holds,
        } => page.show(*entity, outgoing, incoming, held_by, holds),
        Answer::Timeline {
            entity,
            facts,
            undated,
            more,
        } => {
            page.timeline(*entity, facts, *undated);
            page.more(*more);
        }
        Answer::Entities { entities } => page.entities(entities),
        Answer::Relations { rows } => page.relations(rows),
        Answer::Sources { rows } => page.sources(rows),
        Answer::Stats(stats) => page.stats(stats),
        Answer::Search {
            text,
            terms,
            hits,
            total,
            truncated,
        } => page.search(text, terms, hits, *total, truncated.as_deref()),
        Answer::Changes {
            entity,
            transitions,
        } => page.changes(*entity, transitions),
        Answer::Conflicts { entity, conflicts } => page.conflicts(*entity, conflicts),
    }
    page.finish(context.elapsed)
}

/// The notes on an answer, one each, fitted to `width` as answers are.
pub fn notes(
    graph: &KnowledgeGraph,
    answer: &Answer,
    notes: &[Note],
    width: Option<usize>,
) -> String {
    let mut out = Lines {
        text: String::new(),
        width,
    };
    for note in notes {
        let text = super::note_text(graph, answer, note);
        // Continuations line up under the note's first word.
        out.hanging(format_args!("note: {text}"), 6);
    }
    out.text
}

/// Text that is not an answer (help) fitted to `width` as answers are: escaped, and long lines
/// wrapped at spaces with continuations four deeper than their line.
pub fn fit(text: &str, width: Option<usize>) -> String {
    let mut out = Lines {
        text: String::with_capacity(text.len()),
        width,
    };
    for line in text.lines() {
        out.line(format_args!("{line}"));
    }
    out.text
}

/// A text answer being written: the graph it reads, the ` as of DATE` its headings carry, how its
/// evidence is laid out, and the lines so far.
struct Page<'g> {
    graph: &'g KnowledgeGraph,
    slice: String,
    /// The scope the answer was taken in, for the marks after dates.
    time: TimeScope,
    evidence: Evidence,
    /// The loaded files as the reader names them, by file number (see [`Context::files`]).
    files: &'g [String],
    footnotes: evidence::Footnotes,
    out: Lines,
}

/// Text written a line at a time, each line escaped on the way in, so that nothing from the data
/// (names, quotes, notes, titles) reaches the terminal raw: an imported name holding `ESC[31m` or a
/// right-to-left override must not recolour or reorder the user's screen. Shown as `<U+001B>`, as
/// diagnostics show them. With a width (a terminal's), long lines are wrapped at spaces, so the
/// terminal never breaks a word.
struct Lines {
    text: String,
    width: Option<usize>,
}

impl Lines {
    /// A line whose continuations, if it wraps, are indented four beyond its own indent.
    fn line(&mut self, text: fmt::Arguments<'_>) {
        self.write(text, None, 0);
    }

    /// A line whose continuations, if it wraps, start at column `hang`.
    fn hanging(&mut self, text: fmt::Arguments<'_>, hang: usize) {
        self.write(text, Some(hang), 0);
    }

    /// A line whose last `glued` bytes (ASCII) never wrap apart from the word before them.
    fn glued(&mut self, text: fmt::Arguments<'_>, glued: usize) {
        self.write(text, None, glued);
    }

    fn write(&mut self, text: fmt::Arguments<'_>, hang: Option<usize>, glued: usize) {
        let start = self.text.len();
        let _ = self.text.write_fmt(text);
        if needs_escaping(&self.text[start..]) {
            let raw = self.text.split_off(start);
            self.text.push_str(&visible(&raw));
        }
        // No character takes more columns than it has bytes, so a short line needs no measuring.
        if let Some(width) = self.width.filter(|&w| self.text.len() - start > w) {
            let line = self.text.split_off(start);
            let indent = line.len() - line.trim_start_matches(' ').len();
            let hang = hang.unwrap_or(indent + 4);
            wrap::wrap_into(&line, width, hang, glued, &mut self.text);
        }
        self.text.push('\n');
    }
}

impl Page<'_> {
    fn finish(mut self, elapsed: Option<Duration>) -> String {
        self.footnote_list();
        if let Some(elapsed) = elapsed {
            self.out
                .line(format_args!("({:.3} ms)", elapsed.as_secs_f64() * 1000.0));
        }
        // Undated facts leave blank date columns; trailing blanks only make diffs noisy.
        self.out
            .text
            .lines()
            .map(|l| format!("{}\n", l.trim_end()))
            .collect()
    }

    /// A fact's date, marked when the fact is not certainly in the answer's time scope (see
    /// [`marked_date`]).
    fn dated(&self, fact: FactId) -> String {
        let certainty = certainty(self.graph, self.time, fact);
        let date = marked_date(when(self.graph, fact), certainty);
        // A spell sources disagree about says so wherever it is cited, like a certainty.
        match self.graph.model.is_contested(fact) {
            true if date.is_empty() => "(contested)".to_string(),
            true => format!("{date} (contested)"),
            false => date,
        }
    }

    fn note(&mut self, fact: FactId, indent: &str) {
        if let Some(note) = self.graph.model.words(fact).note {
            self.out.line(format_args!("{indent}note: {note}"));
        }
    }

    /// `3 sources as of 2016:`, over a list.
    fn heading(&mut self, n: usize, one: &str, many: &str) {
        let (count, slice) = (plural(n, one, many), &self.slice);
        self.out.line(format_args!("{count}{slice}:"));
    }

    /// The line a cut-short answer ends with, saying which limit cut it.
    /// The rows `limit` left out, if any: an answer never looks whole when it was cut.
    fn more(&mut self, more: usize) {
        if more > 0 {
            let rows = if more == 1 { "row" } else { "rows" };
            self.out.line(format_args!(
                "note: {more} more {rows} after these; `offset` pages on"
            ));
        }
    }

    fn truncated(&mut self, reason: Option<&str>) {
        if let Some(reason) = reason {
            self.out.line(format_args!("note: {reason}"));
        }
    }

    fn neighbors(&mut self, entity: EntityId, rows: &[NeighborRow]) {
        let graph = self.graph;
        self.out.line(format_args!(
            "{}{}: {}",
            entity_label(graph, entity),
            self.slice,
            plural(rows.len(), "neighbour", "neighbours")
        ));
        // Aligned, so that the marks of footnotes line up, unless that would push them past the
        // width.
        let mut lines = self.neighbor_lines(rows, true);
        let widest = lines.iter().map(|l| width(l)).max().unwrap_or(0);
        let mark = 4 + rows.len().to_string().len();
        if self.out.width.is_some_and(|w| widest + mark > w) {
            lines = self.neighbor_lines(rows, false);
        }
        let deep = rows.iter().map(|r| r.depth).max().unwrap_or(1) > 1;
        let depth = rows.iter().map(|r| r.depth.to_string().len() + 2);
        let indent = " ".repeat(6 + if deep { depth.max().unwrap_or(0) } else { 0 });
        for (r, line) in rows.iter().zip(&lines) {
            self.stated(r.via.fact, line, &indent);
        }
    }

    /// One line per neighbour: its depth (when some are deeper than 1), the relation, the
    /// neighbour, the date and, deeper than 1, where it was reached from. `aligned` pads the
    /// dates too, so that what follows them lines up; otherwise a row without a date has no date
    /// column. "from" is last and never padded: one long name would push every mark far right.
    fn neighbor_lines(&self, rows: &[NeighborRow], aligned: bool) -> Vec<String> {
        let graph = self.graph;
        let deep = rows.iter().any(|r| r.depth > 1);
        let cells: Vec<[String; 5]> = rows
            .iter()
            .map(|r| {
                let from = if r.depth > 1 {
                    let (from, _) = ends(graph.model.fact(r.via.fact), r.via);
                    format!("(from {})", name(graph, from))
                } else {
                    String::new()
                };
                let depth = if deep {
                    r.depth.to_string()
                } else {
                    String::new()
                };
                let (via, entity) = (label(graph, r.via), entity_label(graph, r.entity));
                [depth, via, entity, self.dated(r.via.fact), from]
            })
            .collect();
        let widths: [usize; 5] =
            std::array::from_fn(|i| cells.iter().map(|c| width(&c[i])).max().unwrap_or(0));
        cells
            .iter()
            .map(|row| {
                let mut line = String::new();
                for (i, (cell, &w)) in row.iter().zip(&widths).enumerate() {
                    let padded = i < 3 || (aligned && i == 3);
                    if w == 0 || (!padded && cell.is_empty()) {
                        continue;
                    }
                    line.push_str("  ");
                    line.push_str(&if padded { pad(cell, w) } else { cell.clone() });
                }
                line
            })
            .collect()
    }

    fn paths(
        &mut self,
        from: EntityId,
        to: EntityId,
        paths: &[Vec<Step>],
        truncated: Option<&str>,
    ) {
        let graph = self.graph;
        let (from, to) = (name(graph, from), name(graph, to));
        let slice = &self.slice;
        if paths.is_empty() {
            self.out
                .line(format_args!("No path from {from} to {to}{slice}."));
        } else {
            self.out.line(format_args!(
                "{} from {from} to {to}{slice}:",
                plural(paths.len(), "path", "paths")
            ));
        }
        for (i, path) in paths.iter().enumerate() {
            self.out.line(format_args!(
                "{:>3}. ({}) {}",
                i + 1,
                plural(path.len(), "hop", "hops"),
                chain(graph, path)
            ));
            for &step in path {
                let line = format!(
                    "       {}  {}",
                    chain_step(graph, step),
                    self.dated(step.fact)
                );
                self.stated(step.fact, line.trim_end(), "         ");
                self.also_stated(step, "         ");
            }
        }
        self.truncated(truncated);
    }

    fn matches(&mut self, columns: &[String], rows: &[MatchRow], truncated: Option<&str>) {
        let graph = self.graph;
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                r.values
                    .iter()
                    .map(|v| super::binding_text(graph, v, false).unwrap_or_else(|| "-".into()))
                    .collect()
            })
            .collect();
        let headers: Vec<String> = columns.iter().map(|c| format!("?{c}")).collect();
        let widths: Vec<usize> = (0..columns.len())
            .map(|i| {
                cells
                    .iter()
                    .map(|r| width(&r[i]))
                    .chain([width(&headers[i])])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        self.heading(rows.len(), "match", "matches");
        let line = |cells: &[String]| {
            let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
            format!("  {}", padded.join("  ").trim_end())
        };
        self.out.line(format_args!("{}", line(&headers)));
        for (row, r) in cells.iter().zip(rows) {
            self.out.line(format_args!("{}", line(row)));
            // A group may rest on hundreds of facts: text shows the first few and counts the rest,
            // which JSON and the tables list in full.
            for &f in r.facts.iter().take(MATCH_EVIDENCE_SHOWN) {
                let line = format!(
                    "      {}  {}",
                    chain_step(graph, forwards(f)),
                    self.dated(f)
                );
                self.stated(f, line.trim_end(), "        ");
            }
            if let Some(more) = r
                .facts
                .len()
                .checked_sub(MATCH_EVIDENCE_SHOWN)
                .filter(|&n| n > 0)
            {
                let facts = if more == 1 { "fact" } else { "facts" };
                self.out.line(format_args!(
                    "      ... and {more} more {facts} (`set format json` lists them all)"
                ));
            }
        }
        self.truncated(truncated);
    }

    fn count(&mut self, columns: &[String], count: usize, truncated: Option<&str>) {
        let vars: Vec<String> = columns.iter().map(|c| format!("?{c}")).collect();
        let what = if vars.len() == 1 {
            vars.join("")
        } else {
            format!("({})", vars.join(", "))
        };
        self.out
            .line(format_args!("{count} distinct {what}{}", self.slice));
        self.truncated(truncated);
    }

    fn why(
        &mut self,
        subject: EntityId,
        relation: &str,
        object: EntityId,
        facts: &[Step],
        other_links: &[Step],
    ) {
        let graph = self.graph;
        let (s, o) = (name(graph, subject), name(graph, object));
        let slice = &self.slice;
        if facts.is_empty() {
            self.out.line(format_args!(
                "No fact states that {s} {relation} {o}{slice}."
            ));
            if !other_links.is_empty() {
                self.out.line(format_args!("What does connect them:"));
            }
        } else {
            self.out.line(format_args!(
                "{s} {relation} {o}{slice}: stated by {}",
                plural(facts.len(), "fact", "facts")
            ));
            self.corroboration(facts);
        }
        for &step in facts.iter().chain(other_links) {
            let line = format!("  {}  {}", chain_step(graph, step), self.dated(step.fact));
            self.stated(step.fact, line.trim_end(), "    ");
            self.note(step.fact, "    ");
        }
    }

    /// After a `why` that nothing states or links directly: the shortest path between the two,
    /// step by step with evidence, or that there is none.
    fn connection(
        &mut self,
        subject: EntityId,
        object: EntityId,
        facts: &[Step],
        other_links: &[Step],
        path: &[Step],
    ) {
        if !facts.is_empty() || !other_links.is_empty() || subject == object {
            return;
        }
        let graph = self.graph;
        if path.is_empty() {
            let hops = crate::query::resolve::DEFAULT_MAX_HOPS;
            let slice = &self.slice;
            self.out.line(format_args!(
                "Nor does any path of up to {hops} hops connect them{slice}."
            ));
            return;
        }
        self.out.line(format_args!(
            "How they connect ({}): {}",
            plural(path.len(), "hop", "hops"),
            chain(graph, path)
        ));
        for &step in path {
            let line = format!("  {}  {}", chain_step(graph, step), self.dated(step.fact));
            self.stated(step.fact, line.trim_end(), "    ");
            self.also_stated(step, "    ");
        }
    }

    /// Facts as `date  subject -relation-> object`, dates aligned, each with its evidence beneath.
    fn dated_facts(&mut self, facts: &[FactId], indent: &str) {
        let graph = self.graph;
        let width = facts
            .iter()
            .map(|&f| width(&self.dated(f)))
            .max()
            .unwrap_or(0);
        let evidence_indent = format!("{indent}{}    ", " ".repeat(width));
        for &f in facts {
            let line = format!(
                "{indent}{}  {}",
                pad(&self.dated(f), width),
                chain_step(graph, forwards(f))
            );
            self.stated(f, &line, &evidence_indent);
        }
    }

    fn table<const N: usize>(&mut self, rows: &[[String; N]]) {
        let widths: Vec<usize> = (0..N)
            .map(|i| rows.iter().map(|r| width(&r[i])).max().unwrap_or(0))
            .collect();
        for row in rows {
            let cells: Vec<String> = row.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
            self.out
                .line(format_args!("  {}", cells.join("  ").trim_end()));
        }
    }
}

/// How many columns `text` takes once printed: not bytes, so non-ASCII names align, and escapes at
/// their printed length, so a name with one still does.
fn width(text: &str) -> usize {
    wrap::columns(&visible(text))
}

fn pad(text: &str, width: usize) -> String {
    let len = self::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn entity_label(graph: &KnowledgeGraph, id: EntityId) -> String {
    let e = graph.model.entity(id);
    format!("{} ({})", e.name, e.kind)
}

/// `Russia -brokered-> northern Homs ceasefire`, as the step was read.
fn chain_step(graph: &KnowledgeGraph, step: Step) -> String {
    let (from, to) = ends(graph.model.fact(step.fact), step);
    format!(
        "{} -{}-> {}",
        name(graph, from),
        label(graph, step),
        name(graph, to)
    )
}

/// A fact read from subject to object.
fn forwards(fact: FactId) -> Step {
    Step {
        fact,
        backwards: false,
    }
}

/// A path on one line, `A -r-> B -s-> C`: after the first hop the repeated "from" name is dropped.
fn chain(graph: &KnowledgeGraph, path: &[Step]) -> String {
    let steps: Vec<String> = path
        .iter()
        .enumerate()
        .map(|(h, &s)| {
            let step = chain_step(graph, s);
            if h == 0 {
                step
            } else {
                step.split_once(" -")
                    .map_or(step.clone(), |(_, rest)| format!("-{rest}"))
            }
        })
        .collect();
    steps.join(" ")
}
