//! W3C N-Triples, one triple a line, checked as its grammar says: IRIs (`<a b>` is no IRI), blank
//! node labels, literals with their escapes, language tags and datatypes.

use super::LineResult;

pub(super) fn ntriples_line(line: &str) -> LineResult {
    let mut p = NtParser { line, at: 0 };
    p.skip_ws();
    if p.at == line.len() || p.rest().starts_with('#') {
        return Ok(None);
    }
    let subject = p.term(false)?;
    p.skip_ws();
    let predicate = match p.rest().starts_with('<') {
        true => p.term(false)?,
        false => return Err((p.at, "expected a predicate IRI `<...>`".to_string())),
    };
    p.skip_ws();
    let object = p.term(true)?;
    p.skip_ws();
    if !p.rest().starts_with('.') {
        return Err((p.at, "expected `.` at the end of the triple".to_string()));
    }
    p.at += 1;
    p.skip_ws();
    if !(p.rest().is_empty() || p.rest().starts_with('#')) {
        return Err((p.at, "unexpected text after the triple".to_string()));
    }
    Ok(Some([subject, predicate, object]))
}

struct NtParser<'a> {
    line: &'a str,
    at: usize,
}

impl<'a> NtParser<'a> {
    fn rest(&self) -> &'a str {
        &self.line[self.at..]
    }

    fn skip_ws(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    }

    /// An IRI (returned without brackets, escapes decoded), a blank node (`_:b0`) or, where
    /// `literal` allows, a literal returned exactly as written so it never equals an IRI.
    fn term(&mut self, literal: bool) -> Result<String, (usize, String)> {
        let rest = self.rest();
        if rest.starts_with('<') {
            return self.iri();
        }
        if rest.starts_with("_:") {
            return self.blank_node();
        }
        if literal && rest.starts_with('"') {
            return self.literal();
        }
        Err((
            self.at,
            if literal {
                "expected an IRI `<...>`, a blank node `_:x` or a literal `\"...\"`".to_string()
            } else {
                "expected an IRI `<...>` or a blank node `_:x`".to_string()
            },
        ))
    }

    /// `<...>` with escapes decoded. As N-Triples says (IRIREF), spaces, control characters and
    /// `<>"{}|^\`` may not appear in it unescaped: `<a b>` is two words, not an IRI.
    fn iri(&mut self) -> Result<String, (usize, String)> {
        let start = self.at;
        let body = &self.rest()[1..];
        let end = body
            .find(['>', '<', '"', '{', '}', '|', '^', '`', ' ', '\t'])
            .filter(|&end| body[end..].starts_with('>'));
        let Some(end) = end else {
            let bad = body.find(['<', '"', '{', '}', '|', '^', '`', ' ', '\t']);
            return Err(match bad {
                Some(i) if body[i..].contains('>') => {
                    let c = body[i..].chars().next().unwrap_or(' ');
                    let what = match c {
                        ' ' => "a space".to_string(),
                        '\t' => "a tab".to_string(),
                        c => format!("`{c}`"),
                    };
                    let help = match c {
                        ' ' => "; write it as %20",
                        _ => "",
                    };
                    (
                        start + 1 + i,
                        format!("{what} is not allowed in an IRI{help}"),
                    )
                }
                _ => (start, "unclosed IRI `<...`".to_string()),
            });
        };
        let text = &body[..end];
        if let Some(i) = text.find(|c: char| c.is_control()) {
            return Err((
                start + 1 + i,
                "a control character is not allowed in an IRI".to_string(),
            ));
        }
        self.at += end + 2;
        unescape(text).map_err(|(i, m)| (start + 1 + i, m))
    }

    /// `_:label`, where a label is letters, digits, `_`, `-`, `.` (not last) and a few marks, as
    /// N-Triples' BLANK_NODE_LABEL says.
    fn blank_node(&mut self) -> Result<String, (usize, String)> {
        let start = self.at;
        let rest = self.rest();
        let label = &rest[2..];
        let end = label
            .find(|c: char| !(is_label_char(c) || c == '.'))
            .unwrap_or(label.len());
        let label = label[..end].trim_end_matches('.');
        match label.chars().next() {
            Some(c) if is_label_char(c) && c != '-' && c != '.' && !is_combining(c) => {}
            _ => {
                return Err((
                    start,
                    "expected a blank node label after `_:`, such as `_:b0`".to_string(),
                ))
            }
        }
        self.at += 2 + label.len();
        Ok(rest[..2 + label.len()].to_string())
    }

    /// `"..."` with an optional `@lang` or `^^<datatype>`, checked, returned as written.
    fn literal(&mut self) -> Result<String, (usize, String)> {
        let start = self.at;
        let rest = self.rest();
        let bytes = rest.as_bytes();
        let mut i = 1;
        while i < bytes.len() && bytes[i] != b'"' {
            if bytes[i] == b'\\' {
                let len = escape_len(&rest[i..]).ok_or_else(|| {
                    let shown = escape_shown(&rest[i..]);
                    (start + i, format!("bad escape `{shown}` in a literal; N-Triples has \\t \\b \\n \\r \\f \\\" \\' \\\\ \\uXXXX \\UXXXXXXXX"))
                })?;
                i += len;
            } else {
                i += 1;
            }
        }
        if i >= bytes.len() {
            return Err((start, "unclosed literal `\"...`".to_string()));
        }
        i += 1;
        self.at += i;
        if self.rest().starts_with("^^") {
            self.at += 2;
            if !self.rest().starts_with('<') {
                return Err((
                    self.at,
                    "expected a datatype IRI `<...>` after `^^`".to_string(),
                ));
            }
            self.iri()?;
        } else if let Some(lang) = self.rest().strip_prefix('@') {
            let tag = lang
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(lang.len());
            let tag = &lang[..tag];
            let well_formed = tag.split('-').enumerate().all(|(n, part)| {
                !part.is_empty() && (n > 0 || part.bytes().all(|b| b.is_ascii_alphabetic()))
            });
            if !well_formed {
                return Err((
                    self.at,
                    "expected a language tag such as `@en` or `@pt-BR`".to_string(),
                ));
            }
            self.at += 1 + tag.len();
        }
        Ok(rest[..self.at - start].to_string())
    }
}

/// Characters of a blank node label (N-Triples' PN_CHARS).
fn is_label_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '_' | ':' | '-' | '\u{b7}' | '\u{203f}'..='\u{2040}')
        || is_combining(c)
        || matches!(c,
            '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{2ff}' | '\u{370}'..='\u{37d}'
            | '\u{37f}'..='\u{1fff}' | '\u{200c}'..='\u{200d}' | '\u{2070}'..='\u{218f}'
            | '\u{2c00}'..='\u{2fef}' | '\u{3001}'..='\u{d7ff}' | '\u{f900}'..='\u{fdcf}'
            | '\u{fdf0}'..='\u{fffd}' | '\u{10000}'..='\u{effff}')
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}')
}

/// The length of the escape `text` starts with (`\n`, `\u00e9`, ...), if it is one N-Triples has.
fn escape_len(text: &str) -> Option<usize> {
    let digits = match text.as_bytes().get(1)? {
        b't' | b'b' | b'n' | b'r' | b'f' | b'"' | b'\'' | b'\\' => return Some(2),
        b'u' => 4,
        b'U' => 8,
        _ => return None,
    };
    let hex = text.get(2..2 + digits)?;
    let c = u32::from_str_radix(hex, 16)
        .ok()
        .filter(|_| hex.bytes().all(|b| b.is_ascii_hexdigit()));
    c.and_then(char::from_u32).map(|_| 2 + digits)
}

/// The escape `text` starts with, as far as it goes, for messages: `\q`, `\u00zz`.
fn escape_shown(text: &str) -> String {
    let len = match text.as_bytes().get(1) {
        Some(b'u') => 6,
        Some(b'U') => 10,
        _ => 2,
    };
    text.chars().take(len).collect()
}

/// Decodes N-Triples `\uXXXX` and `\UXXXXXXXX` escapes in an IRI; an error gives the byte offset
/// of the bad escape.
fn unescape(text: &str) -> Result<String, (usize, String)> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let at = text.len() - rest.len() + i;
        let len = match rest.as_bytes().get(i + 1) {
            Some(b'u' | b'U') => escape_len(&rest[i..]),
            _ => None,
        };
        let Some(len) = len else {
            let shown = escape_shown(&rest[i..]);
            return Err((
                at,
                format!("bad escape `{shown}` in an IRI; only \\uXXXX and \\UXXXXXXXX"),
            ));
        };
        let hex = &rest[i + 2..i + len];
        out.extend(u32::from_str_radix(hex, 16).ok().and_then(char::from_u32));
        rest = &rest[i + len..];
    }
    out.push_str(rest);
    Ok(out)
}
