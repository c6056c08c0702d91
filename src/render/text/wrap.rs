//! Lines fitted to a terminal: broken at spaces with a hanging indent, or cut short with `…`, so
//! that the terminal never breaks a word where its columns happen to end.

use unicode_width::UnicodeWidthChar;

/// How many columns `text` takes on a terminal: wide (CJK) characters take two, combining marks
/// none.
pub(super) fn columns(text: &str) -> usize {
    text.chars().map(char_columns).sum()
}

fn char_columns(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Writes `line` to `out` in lines of at most `width` columns, broken at spaces; every line after
/// the first starts with `hang` spaces. A word wider than a whole line is cut where it must be.
/// The line's own indent is kept, and no break falls inside it, nor in its last `glued` bytes (a
/// `  [3]` stays with the word before it).
pub(super) fn wrap_into(line: &str, width: usize, hang: usize, glued: usize, out: &mut String) {
    // Too deep a hang would leave no room for words: keep at least half the width for them.
    let hang = hang.min(width / 2);
    let glue_from = line.len().saturating_sub(glued);
    let mut rest = line;
    let mut room = width;
    // `rest` is always a suffix of `line`, so its glue starts where the line's does, less the
    // bytes already written.
    while let Some((end, next)) = break_point(
        rest,
        room,
        glue_from.saturating_sub(line.len() - rest.len()),
    ) {
        out.push_str(rest[..end].trim_end());
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', hang));
        rest = rest[next..].trim_start();
        room = width - hang;
    }
    out.push_str(rest);
}

/// Where a line of at most `room` columns ends in `text`: the end of this line and the start of the
/// rest (bytes), or `None` when all of `text` fits. No space from byte `glue_from` on is a break.
fn break_point(text: &str, room: usize, glue_from: usize) -> Option<(usize, usize)> {
    let mut used = 0;
    let mut last_space = None;
    let mut in_indent = true;
    for (i, c) in text.char_indices() {
        if c == ' ' {
            if !in_indent && i < glue_from {
                last_space = Some(i);
            }
        } else {
            in_indent = false;
        }
        used += char_columns(c);
        if used > room && c != ' ' {
            return Some(match last_space {
                Some(space) => (space, space + 1),
                // One word fills the line: cut it, but always keep one character so that the
                // rest gets shorter.
                None if i == 0 => (c.len_utf8(), c.len_utf8()),
                None => (i, i),
            });
        }
    }
    None
}

/// `text` cut to at most `room` columns at a space, ending in `…` when anything was cut.
pub(super) fn cut(text: &str, room: usize) -> String {
    if columns(text) <= room {
        return text.to_string();
    }
    // One column for the ellipsis.
    let room = room.saturating_sub(1);
    let end = match break_point(text, room, text.len()) {
        Some((end, _)) => end,
        None => text.len(),
    };
    format!("{}…", text[..end].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(line: &str, width: usize, hang: usize) -> String {
        let mut out = String::new();
        wrap_into(line, width, hang, 0, &mut out);
        out
    }

    #[test]
    fn long_lines_break_between_words_with_a_hanging_indent() {
        let wrapped = wrap("    \"one two three four five six\" (The National)", 20, 5);
        assert_eq!(
            wrapped,
            "    \"one two three\n     four five six\"\n     (The National)"
        );
        for line in wrapped.lines() {
            assert!(columns(line) <= 20, "{line:?}");
        }
    }

    #[test]
    fn a_line_that_fits_is_left_alone() {
        let line = "  located_in  Homs province  2015";
        assert_eq!(wrap(line, line.len(), 4), line);
    }

    #[test]
    fn a_word_longer_than_a_line_is_cut_and_nothing_is_lost() {
        let url = "https://example.org/a/very/long/path/that/never/ends";
        let wrapped = wrap(&format!("see {url}"), 16, 2);
        assert!(wrapped.lines().all(|l| columns(l) <= 16), "{wrapped}");
        let joined: String = wrapped.split_whitespace().collect();
        assert_eq!(joined, format!("see{url}"));
    }

    #[test]
    fn wide_characters_count_two_columns() {
        assert_eq!(columns("東京"), 4);
        assert_eq!(columns("e\u{301}"), 1);
        let wrapped = wrap("東京 東京 東京", 10, 0);
        assert_eq!(wrapped, "東京 東京\n東京");
    }

    #[test]
    fn a_glued_tail_stays_with_the_word_before_it() {
        let line = "  shelled_by  Lebanese military  2017-08-05  [10]";
        let mut out = String::new();
        wrap_into(line, 46, 6, "  [10]".len(), &mut out);
        assert_eq!(
            out,
            "  shelled_by  Lebanese military\n      2017-08-05  [10]"
        );
    }

    #[test]
    fn cut_ends_at_a_word_with_an_ellipsis() {
        assert_eq!(cut("in May 2015 overran Tadmor", 14), "in May 2015…");
        assert_eq!(cut("short", 14), "short");
        assert!(columns(&cut("in May 2015 overran Tadmor", 14)) <= 14);
    }

    #[test]
    fn a_tiny_width_still_ends() {
        let wrapped = wrap("abc def", 1, 8);
        assert_eq!(wrapped.split_whitespace().collect::<String>(), "abcdef");
    }
}
