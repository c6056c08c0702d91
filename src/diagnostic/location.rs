//! From a byte span to `file:line:col` and an excerpt of the line, at a cost that does not grow with
//! the file: a diagnostic holds at most [`EXCERPT`] characters of its line, and a [`Locator`] finds
//! the lines of many spans of one text with one scan of it.

use memchr::{memchr, memchr_iter, memrchr};
use std::ops::Range;

/// Characters of a line that a location keeps: a line longer than this (minified or generated
/// input, a 100 MB fact file on one line) is kept as a window around the spot.
pub const EXCERPT: usize = 240;
/// Of the excerpt, how many characters come before the spot.
const BEFORE: usize = 100;

/// A place in a named text: `file:line:col`, the line (or an excerpt of it) and how many characters
/// to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The line, or for a line longer than [`EXCERPT`] characters that many of it around the spot.
    pub line_text: String,
    /// The column of `line_text`'s first character: 1 unless the line was cut before it.
    pub text_column: usize,
    /// Whether the line goes on after `line_text`.
    pub cut_after: bool,
    pub width: usize,
}

impl Location {
    /// Resolves a byte span of `text` (clamped to the text and to char boundaries) to a location.
    /// A span that runs past the end of its line is underlined to the end of that line. Finds the
    /// line by scanning the text before the span: for many spans of one text use a [`Locator`].
    pub fn from_span(file: &str, text: &str, span: Range<usize>) -> Location {
        let (start, end) = clamp(text, span);
        let bytes = text.as_bytes();
        let line_start = memrchr(b'\n', &bytes[..start]).map_or(0, |i| i + 1);
        let line_end = memchr(b'\n', &bytes[start..]).map_or(text.len(), |i| start + i);
        let line = memchr_iter(b'\n', &bytes[..line_start]).count() + 1;
        let column = text[line_start..start].chars().count() + 1;
        let at = Spot {
            line,
            line_bytes: line_start..line_end,
            column,
        };
        Location::in_line(file, text, at, start..end)
    }

    /// A location for a whole file, when there is no useful line to show (a missing file).
    pub fn file_only(file: &str) -> Location {
        Location {
            file: file.to_string(),
            line: 0,
            column: 0,
            line_text: String::new(),
            text_column: 1,
            cut_after: false,
            width: 0,
        }
    }

    /// The location of `start..end` (char boundaries) on the line `at`: keeps an excerpt of the
    /// line, and counts the underline's width only within it.
    fn in_line(file: &str, text: &str, at: Spot, span: Range<usize>) -> Location {
        let Range { start, end } = span;
        let line = &text[at.line_bytes.clone()];
        let line = line.trim_end_matches('\r');
        let line_end = at.line_bytes.start + line.len();
        let whole_line = line.len() <= EXCERPT || line.chars().nth(EXCERPT).is_none();
        let (from, to) = if whole_line {
            (at.line_bytes.start, line_end)
        } else {
            let before = &text[at.line_bytes.start..start];
            let from = before
                .char_indices()
                .rev()
                .take(BEFORE)
                .last()
                .map_or(start, |(i, _)| at.line_bytes.start + i);
            let to = text[from..line_end]
                .char_indices()
                .nth(EXCERPT)
                .map_or(line_end, |(i, _)| from + i);
            (from, to)
        };
        let text_column = at.column - text[from..start].chars().count();
        // Up to the end of the line as it was (a span may cover the `\r`), or of the excerpt.
        let limit = if to < line_end { to } else { at.line_bytes.end };
        let width = text[start..end.min(limit).max(start)]
            .chars()
            .count()
            .max(1);
        Location {
            file: file.to_string(),
            line: at.line,
            column: at.column,
            line_text: text[from..to].to_string(),
            text_column,
            cut_after: to < line_end,
            width,
        }
    }
}

/// A line and a column found for a span's start.
struct Spot {
    line: usize,
    /// The line's bytes, without its `\n`.
    line_bytes: Range<usize>,
    column: usize,
}

/// Locations of many spans of one text: the line starts are found once, each span's line is then a
/// binary search, and a column is counted from the previous span when that is earlier on the same
/// line, so that spans located in text order cost one pass over the text in all.
pub struct Locator<'t> {
    name: &'t str,
    text: &'t str,
    line_starts: Vec<usize>,
    /// The last span start located: its line's start, its offset and its column.
    last: Option<(usize, usize, usize)>,
}

impl<'t> Locator<'t> {
    pub fn new(name: &'t str, text: &'t str) -> Locator<'t> {
        let line_starts = std::iter::once(0)
            .chain(memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Locator {
            name,
            text,
            line_starts,
            last: None,
        }
    }

    pub fn locate(&mut self, span: Range<usize>) -> Location {
        let text = self.text;
        let (start, end) = clamp(text, span);
        // The first start is 0, so at least one start is at or before `start`.
        let index = self.line_starts.partition_point(|&s| s <= start).max(1) - 1;
        let line_start = self.line_starts[index];
        let line_end = self
            .line_starts
            .get(index + 1)
            .map_or(text.len(), |&next| next - 1);
        let column = match self.last {
            Some((same, offset, column)) if same == line_start && offset <= start => {
                column + text[offset..start].chars().count()
            }
            _ => text[line_start..start].chars().count() + 1,
        };
        self.last = Some((line_start, start, column));
        let at = Spot {
            line: index + 1,
            line_bytes: line_start..line_end,
            column,
        };
        Location::in_line(self.name, text, at, start..end)
    }
}

/// A span clamped to the text and moved back to char boundaries.
fn clamp(text: &str, span: Range<usize>) -> (usize, usize) {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
    (start, end)
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locator_agrees_with_a_lone_lookup() {
        let text = "first\r\nḤims → \"besiges\"\n\nlast line without newline";
        let mut locator = Locator::new("f.ron", text);
        let mut spans: Vec<Range<usize>> = (0..=text.len()).map(|i| i..i + 3).collect();
        // Out of order and out of range too.
        spans.extend([30..31, 2..4, 999..1000, 7..999]);
        for span in spans {
            assert_eq!(
                locator.locate(span.clone()),
                Location::from_span("f.ron", text, span.clone()),
                "{span:?}"
            );
        }
    }

    #[test]
    fn a_long_line_is_kept_as_an_excerpt_around_the_spot() {
        let line = format!("{}ÄXYZ{}", "é".repeat(5000), "b".repeat(5000));
        let text = format!("first\n{line}\nlast");
        let start = text.find('Ä').unwrap();
        let loc = Location::from_span("f.ron", &text, start..start + 3);
        assert_eq!((loc.line, loc.column, loc.width), (2, 5001, 2));
        assert_eq!(loc.line_text.chars().count(), EXCERPT);
        assert_eq!(loc.text_column, 5001 - BEFORE);
        assert!(loc.cut_after);
        let at = loc.column - loc.text_column;
        assert!(loc
            .line_text
            .chars()
            .skip(at)
            .collect::<String>()
            .starts_with("ÄX"));
    }
}
