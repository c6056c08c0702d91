//! Errors as data: a message, where it happened and how to fix it, rendered as text only at the edge.
//!
//! A location is resolved from a byte span when the diagnostic is made, so a diagnostic carries its own
//! line text and needs no source map to be printed. Lines and columns count characters from 1, so a
//! caret lands under the right letter in "Ḥims" as in "Homs".

use std::fmt;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a named text: `file:line:col`, the line itself, and how many characters to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub line_text: String,
    pub width: usize,
}

impl Location {
    /// Resolves a byte span of `text` (clamped to the text and to char boundaries) to a location.
    /// A span that runs past the end of its line is underlined to the end of that line.
    pub fn from_span(file: &str, text: &str, span: Range<usize>) -> Location {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[..start].matches('\n').count() + 1;
        let column = text[line_start..start].chars().count() + 1;
        let line_text = text[line_start..line_end]
            .trim_end_matches('\r')
            .to_string();
        let width = text[start..end.min(line_end)].chars().count().max(1);
        Location {
            file: file.to_string(),
            line,
            column,
            line_text,
            width,
        }
    }

    /// A location for a whole file, when there is no useful line to show (a missing file).
    pub fn file_only(file: &str) -> Location {
        Location {
            file: file.to_string(),
            line: 0,
            column: 0,
            line_text: String::new(),
            width: 0,
        }
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
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
        }
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
        writeln!(f, "{kind}: {}", visible(&self.message).0)?;
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
                let (shown, columns) = visible(&loc.line_text);
                let column = |c: usize| columns.get(c).copied().unwrap_or(shown.chars().count());
                let start = column(loc.column - 1);
                let end = column(loc.column - 1 + loc.width).max(start + 1);
                // A very long line (minified or generated input) is shown as a window around the spot.
                let (shown, start, end) = window(&shown, start, end);
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
            writeln!(f, "{pad}= help: {}", visible(help).0)?;
        }
        for note in &self.notes {
            writeln!(f, "{pad}= note: {}", visible(note).0)?;
        }
        Ok(())
    }
}

/// The line as it is safe to print: tabs become a space, and control and bidirectional-override
/// characters (which could hide or reorder text on a terminal) become `<U+202E>`. Also returns the
/// display column where each character of the original starts, so carets stay under the right text.
fn visible(line: &str) -> (String, Vec<usize>) {
    let mut shown = String::with_capacity(line.len());
    let mut columns = Vec::with_capacity(line.len() + 1);
    let mut column = 0;
    for c in line.chars() {
        columns.push(column);
        let hidden = c.is_control()
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if c == '\t' {
            shown.push(' ');
            column += 1;
        } else if hidden {
            let escaped = format!("<U+{:04X}>", c as u32);
            column += escaped.chars().count();
            shown.push_str(&escaped);
        } else {
            shown.push(c);
            column += 1;
        }
    }
    columns.push(column);
    (shown, columns)
}

/// At most `WINDOW` characters of a long line, around `start..end`, marked with `…` where cut;
/// returns the text and the caret columns within it.
fn window(shown: &str, start: usize, end: usize) -> (String, usize, usize) {
    const WINDOW: usize = 240;
    const BEFORE: usize = 100;
    let total = shown.chars().count();
    if total <= WINDOW {
        return (shown.to_string(), start, end);
    }
    let from = start.saturating_sub(BEFORE);
    let to = (from + WINDOW).min(total);
    let mut text: String = shown.chars().skip(from).take(to - from).collect();
    let mut shift = from;
    if from > 0 {
        text.insert(0, '…');
        shift -= 1;
    }
    if to < total {
        text.push('…');
    }
    let caret_end = end.min(to).max(start + 1);
    (text, start - shift, caret_end - shift)
}

/// Renders a list of diagnostics separated by blank lines, as `check` and `run` print them.
pub fn render_all(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Closest candidates to a misspelled name by edit distance, for "did you mean" help.
/// Case is ignored; at most three suggestions, closest first, ties in candidate order.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
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

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
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
