//! Errors as data: a message, where it happened and how to fix it, rendered as text only at the edge.
//!
//! A problem is found at a byte span; its location (line, column and an excerpt of the line, never
//! the whole of a long one) is looked up once it is known to be shown, so a diagnostic needs no
//! source map to be printed. Lines and columns count characters from 1, so a caret lands under the
//! right letter in "Ḥims" as in "Homs".

mod location;
mod problems;

use crate::visible::{visible, visible_columns};
pub use location::{Location, Locator, EXCERPT};
pub use problems::{Place, Problems};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a fact file, a query or a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Option<Box<Location>>,
    /// Said under the caret: what is wrong at that exact spot.
    pub label: Option<String>,
    /// `= help:` lines: suggestions ("did you mean `besieges`?").
    pub help: Vec<String>,
    /// `= note:` lines: context, such as where a clashing name was first declared.
    pub notes: Vec<String>,
    /// How many problems past a cap this diagnostic stands for ("and 120 more problems"); zero for
    /// a diagnostic about one problem.
    pub omitted: usize,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            label: None,
            help: Vec::new(),
            notes: Vec::new(),
            omitted: 0,
        }
    }

    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// The line that ends a list cut at `shown` problems: "and `omitted` more".
    pub fn omitted(omitted: usize, shown: usize) -> Diagnostic {
        let s = if omitted == 1 { "" } else { "s" };
        Diagnostic {
            omitted,
            ..Diagnostic::error(format!("and {omitted} more problem{s} not shown"))
        }
        .note(format!(
            "only the first {shown} problems are shown, in file order; fix them and run again"
        ))
    }

    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(Box::new(location));
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help.push(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// `file:line:col` or the bare file name, for one-line summaries.
    pub fn position(&self) -> Option<String> {
        self.location.as_ref().map(|l| {
            if l.line == 0 {
                l.file.clone()
            } else {
                format!("{}:{}:{}", l.file, l.line, l.column)
            }
        })
    }
}

/// Renders like rustc: headline, `-->` position, the line with a caret, then help and notes.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{kind}: {}", visible(&self.message))?;
        let mut gutter = 1;
        if let Some(loc) = &self.location {
            if loc.line == 0 {
                writeln!(f, " --> {}", loc.file)?;
            } else {
                let number = loc.line.to_string();
                gutter = number.len() + 1;
                let pad = " ".repeat(gutter);
                writeln!(
                    f,
                    "{}--> {}:{}:{}",
                    " ".repeat(gutter - 1),
                    loc.file,
                    loc.line,
                    loc.column
                )?;
                writeln!(f, "{pad}|")?;
                let (shown, columns) = visible_columns(&loc.line_text);
                let column = |c: usize| columns.get(c).copied().unwrap_or(shown.chars().count());
                let at = loc.column.saturating_sub(loc.text_column);
                let start = column(at);
                let end = column(at + loc.width).max(start + 1);
                // A very long line (minified or generated input) is shown as a window around the spot.
                let cut = (loc.text_column > 1, loc.cut_after);
                let (shown, start, end) = window(&shown, start, end, cut);
                writeln!(f, "{number} | {shown}")?;
                let indent = " ".repeat(start);
                let carets = "^".repeat(end - start);
                match &self.label {
                    Some(label) => writeln!(f, "{pad}| {indent}{carets} {label}")?,
                    None => writeln!(f, "{pad}| {indent}{carets}")?,
                }
            }
        }
        let pad = " ".repeat(gutter);
        for help in &self.help {
            writeln!(f, "{pad}= help: {}", visible(help))?;
        }
        for note in &self.notes {
            writeln!(f, "{pad}= note: {}", visible(note))?;
        }
        Ok(())
    }
}

/// At most `EXCERPT` characters of a shown line, around `start..end`, marked with `…` where cut,
/// here or already in the location (`cut`: before, after); returns the text and the caret columns
/// within it.
fn window(shown: &str, start: usize, end: usize, cut: (bool, bool)) -> (String, usize, usize) {
    const BEFORE: usize = 100;
    let total = shown.chars().count();
    let (from, to) = if total <= EXCERPT {
        (0, total)
    } else {
        let from = start.saturating_sub(BEFORE);
        (from, (from + EXCERPT).min(total))
    };
    let mut text: String = shown.chars().skip(from).take(to - from).collect();
    let lead = usize::from(from > 0 || cut.0);
    if lead == 1 {
        text.insert(0, '…');
    }
    if to < total || cut.1 {
        text.push('…');
    }
    let caret_end = end.min(to).max(start + 1);
    (text, start - from + lead, caret_end - from + lead)
}

/// How many problems a list of diagnostics reports, counting those a capped list left out.
pub fn problem_count(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().map(|d| d.omitted.max(1)).sum()
}

/// Renders a list of diagnostics separated by blank lines, as `check` and `run` print them.
pub fn render_all(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Characters of a name from the input that a message echoes; a longer name is cut with `…`, so
/// that a 100 MB string in a file cannot make a 100 MB message.
pub const NAME_SHOWN: usize = 80;

/// `text` as a message echoes it: whole up to [`NAME_SHOWN`] characters, cut with `…` past that.
pub fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    clip_to(text, NAME_SHOWN)
}

/// `text` whole up to `max` characters, cut with `…` past that.
pub fn clip_to(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text.into(),
        Some((cut, _)) => format!("{}…", &text[..cut]).into(),
    }
}

/// Names longer than this get no suggestions: they are not misspellings of a declared name, and
/// comparing them would cost their length for every candidate.
const SUGGEST_UP_TO: usize = 1000;

/// Closest candidates to a misspelled name by edit distance, for "did you mean" help.
/// Case is ignored; at most three suggestions, closest first, ties in candidate order.
/// Candidates whose length alone puts them too far are skipped without comparing.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    if wanted.chars().nth(SUGGEST_UP_TO).is_some() {
        return Vec::new();
    }
    let wanted = wanted.to_lowercase();
    let length = wanted.chars().count();
    let limit = (length / 3).clamp(1, 3);
    // Lengths further apart than the limit are further apart in edit distance too: skipping them
    // first keeps a long text (a whole line read as one name) linear, not quadratic. Lowercasing
    // may lengthen a candidate (`İ` becomes two characters), never shorten it, nor more than twice.
    let close = |c: &str| {
        let n = c.chars().take(length + limit + 1).count();
        n <= length + limit && 2 * n + limit >= length
    };
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter(|c| close(c))
        .filter_map(|c| {
            let d = edit_distance(&wanted, &c.to_lowercase());
            (d <= limit).then_some((d, c))
        })
        .collect();
    scored.sort_by_key(|(d, _)| *d);
    let mut out: Vec<&str> = Vec::new();
    for (_, c) in scored {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(c)) {
            out.push(c);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// Edit distance over characters, where swapping two neighbouring characters is one edit, as
/// deleting, inserting or changing one is: `shwo` and `dpeth` are the commonest slips of typing,
/// and plain Levenshtein puts them two edits away, too far to suggest for a short word.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows: the one before the previous is where a transposition comes from.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 0..a.len() {
        row[0] = i + 1;
        for j in 0..b.len() {
            let cost = usize::from(a[i] != b[j]);
            let mut d = (previous[j] + cost)
                .min(previous[j + 1] + 1)
                .min(row[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                d = d.min(before[j - 1] + 1);
            }
            row[j + 1] = d;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut row);
    }
    previous[b.len()]
}

/// "did you mean `a`, `b` or `c`?"
pub fn suggestion_text(suggestions: &[&str]) -> Option<String> {
    let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "first\nḤims → \"besiges\"\n";
        let start = text.find("\"besiges").unwrap();
        let loc = Location::from_span("f.ron", text, start..start + 9);
        assert_eq!((loc.line, loc.column, loc.width), (2, 8, 9));
        let shown = Diagnostic::error("unknown relation")
            .at(loc)
            .label("here")
            .to_string();
        assert!(
            shown.contains("2 | Ḥims → \"besiges\"\n  |        ^^^^^^^^^ here"),
            "{shown}"
        );
    }

    #[test]
    fn suggestions_skip_names_of_a_far_length_and_keep_lowercasing_in_mind() {
        let names = ["ISIL", "Islamic State", "İİİİ"];
        assert_eq!(did_you_mean("isl", names), vec!["ISIL"]);
        assert_eq!(did_you_mean("islamic stat", names), vec!["Islamic State"]);
        // Four characters that lowercase to eight.
        assert_eq!(did_you_mean(&"İİİİ".to_lowercase(), names), vec!["İİİİ"]);
        // A name as long as a line is compared with nothing, not with every name at its length.
        assert!(did_you_mean(&"isil ".repeat(100_000), names).is_empty());
    }

    #[test]
    fn two_letters_typed_the_wrong_way_round_are_one_slip() {
        assert_eq!(edit_distance("shwo", "show"), 1);
        assert_eq!(edit_distance("dpeth", "depth"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(did_you_mean("shwo", ["show", "path", "why"]), vec!["show"]);
    }

    #[test]
    fn suggestions_rank_by_distance() {
        let names = ["besieges", "besieged_by", "brokered"];
        assert_eq!(did_you_mean("besiges", names), vec!["besieges"]);
        assert!(did_you_mean("xyz", names).is_empty());
        assert_eq!(
            suggestion_text(&["a", "b", "c"]).unwrap(),
            "did you mean `a`, `b` or `c`?"
        );
    }
}
