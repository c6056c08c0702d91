//! The escape for characters a format cannot carry (in XML most control characters, in a Cypher
//! name any that would break its line): `␛uXXXX`, U+241B SYMBOL FOR ESCAPE, `u`, four hex digits.
//! A `␛` of the text itself is escaped too, so every `␛` written starts an escape and the mapping
//! can be undone: distinct ids and names stay distinct (docs/escapes.md).

/// U+241B SYMBOL FOR ESCAPE: visible, and almost never part of a name or a quote.
pub const ESCAPE: char = '\u{241b}';

/// Whether `c` must be escaped whatever the format: the escape character itself.
pub fn is_escape(c: char) -> bool {
    c == ESCAPE
}

/// Appends `c` to `out` as `␛uXXXX`. Only characters of the Basic Multilingual Plane need it.
pub fn push(out: &mut String, c: char) {
    out.push(ESCAPE);
    out.push_str(&format!("u{:04X}", u32::from(c)));
}

/// The inverse: the text before escaping, or `None` if `text` holds a `␛` that starts no escape.
pub fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(ESCAPE) {
        out.push_str(&rest[..at]);
        let code = rest[at + ESCAPE.len_utf8()..]
            .strip_prefix('u')?
            .get(..4)
            .filter(|code| code.bytes().all(|b| b.is_ascii_hexdigit()))?;
        out.push(char::from_u32(u32::from_str_radix(code, 16).ok()?)?);
        rest = &rest[at + ESCAPE.len_utf8() + 5..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_reads_back_and_a_stray_escape_is_refused() {
        let mut out = String::from("a");
        push(&mut out, '\u{1}');
        push(&mut out, ESCAPE);
        assert_eq!(out, "a\u{241b}u0001\u{241b}u241B");
        assert_eq!(unescape(&out).as_deref(), Some("a\u{1}\u{241b}"));
        assert_eq!(unescape("a\u{241b}"), None);
        assert_eq!(unescape("a\u{241b}u+041"), None);
    }
}
