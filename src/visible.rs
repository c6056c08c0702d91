//! Text from fact files and queries made safe to print, by one rule for diagnostics and answers:
//! a control or bidirectional-override character (which could recolour, hide or reorder what a
//! terminal shows) becomes `<U+202E>`, and a tab becomes a space.

use std::borrow::Cow;

/// Characters a terminal would act on rather than show.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Appends `c` as it is shown; returns how many characters that took.
fn push_shown(c: char, out: &mut String) -> usize {
    if c == '\t' {
        out.push(' ');
        1
    } else if hidden(c) {
        let escaped = format!("<U+{:04X}>", c as u32);
        out.push_str(&escaped);
        escaped.len()
    } else {
        out.push(c);
        1
    }
}

/// Whether `text` holds anything [`visible`] would change. A first pass over bytes rules out
/// almost all text quickly: every such character is ASCII below 0x20 or 0x7F, or starts with byte
/// 0xC2 (U+0080 to U+009F) or 0xE2 (the bidi controls, U+200E to U+2069).
pub fn needs_escaping(text: &str) -> bool {
    // A fold without early exit compiles to a vector loop; clean text is read to its end anyway.
    let suspect = text.bytes().fold(false, |seen, b| {
        seen | (b < 0x20) | (b == 0x7F) | (b == 0xC2) | (b == 0xE2)
    });
    suspect && text.chars().any(|c| c == '\t' || hidden(c))
}

/// `text` as it is safe to print; borrowed when nothing needed escaping, as is almost always so.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !needs_escaping(text) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_shown(c, &mut shown);
    }
    Cow::Owned(shown)
}

/// A line as it is safe to print, with the display column where each character of the original
/// starts (and one past the end), so carets stay under the right text.
pub fn visible_columns(line: &str) -> (String, Vec<usize>) {
    let mut shown = String::with_capacity(line.len());
    let mut columns = Vec::with_capacity(line.len() + 1);
    let mut column = 0;
    for c in line.chars() {
        columns.push(column);
        column += push_shown(c, &mut shown);
    }
    columns.push(column);
    (shown, columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_bidi_overrides_are_named_and_plain_text_is_borrowed() {
        assert!(matches!(visible("Ḥomṣ → Tadmor"), Cow::Borrowed(_)));
        assert_eq!(
            visible("\u{1b}[31mISIL\u{202E}\tx"),
            "<U+001B>[31mISIL<U+202E> x"
        );
        let (shown, columns) = visible_columns("a\u{1b}b");
        assert_eq!(shown, "a<U+001B>b");
        assert_eq!(columns, [0, 1, 9, 10]);
    }
}
