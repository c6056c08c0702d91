//! Line continuation: a line that ends in a backslash goes on on the next. Scripts, the session and
//! the REPL all ask here, so they cannot disagree on where a statement ends.

use std::ops::Range;

/// Whether `line` (with or without its line break) goes on on the next line. Takes bytes as well
/// as text, so that a reader can ask before it knows the line is UTF-8.
pub fn continues(line: impl AsRef<[u8]>) -> bool {
    let last = line
        .as_ref()
        .iter()
        .rev()
        .find(|&&b| b != b'\n' && b != b'\r');
    last == Some(&b'\\')
}

/// The byte ranges of the statements in `text`: its lines, each continued line joined with the
/// next. A range leaves out its final line break but keeps the continued ones, so that a span in
/// the statement is a span in `text`.
pub fn statements(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let end = offset + line.len();
        if !continues(line) {
            out.push(start..offset + line.trim_end_matches(['\n', '\r']).len());
            start = end;
        }
        offset = end;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// One statement as the parser reads it: each backslash that continues a line, and the line break
/// after it, become spaces of the same length, so every span stays valid in the original text.
pub fn join(statement: &str) -> String {
    let mut out = String::with_capacity(statement.len());
    for line in statement.split_inclusive('\n') {
        if line.ends_with('\n') && continues(line) {
            let body = line.trim_end_matches(['\n', '\r']);
            let kept = &body[..body.len() - 1];
            out.push_str(kept);
            out.extend(std::iter::repeat_n(' ', line.len() - kept.len()));
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_backslash_continues_whatever_the_line_break() {
        assert!(continues("path ISIL \\"));
        assert!(continues("path ISIL \\\n"));
        assert!(continues("path ISIL \\\r\n"));
        assert!(!continues("path ISIL \\ to Homs"));
        assert!(!continues("stats\n"));
        assert!(!continues("\r\n"));
        assert!(continues(b"path \xff\\\n"));
    }

    #[test]
    fn joining_blanks_continuations_and_keeps_every_offset() {
        for text in ["path ISIL \\\n  to Homs", "path ISIL \\\r\n  to Homs"] {
            let joined = join(text);
            assert_eq!(joined.len(), text.len());
            assert_eq!(
                joined.split_whitespace().collect::<Vec<_>>(),
                ["path", "ISIL", "to", "Homs"]
            );
            assert_eq!(joined.find("Homs"), text.find("Homs"));
        }
        // A backslash that ends the text has no next line to join; the parser reports it.
        assert_eq!(join("path ISIL \\"), "path ISIL \\");
        assert_eq!(join("show Ḥomṣ"), "show Ḥomṣ");
    }

    #[test]
    fn statements_and_join_agree_on_crlf_scripts() {
        let text = "path ISIL \\\r\n  to Homs\r\nstats\r\n";
        let spans = statements(text);
        let words: Vec<Vec<String>> = spans
            .iter()
            .map(|s| {
                join(&text[s.clone()])
                    .split_whitespace()
                    .map(String::from)
                    .collect()
            })
            .collect();
        assert_eq!(words, [vec!["path", "ISIL", "to", "Homs"], vec!["stats"]]);
    }
}
