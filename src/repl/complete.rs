//! Tab completion: the parser says which slot the cursor is in (keyword, entity, relation, kind or
//! file name), the graph and the file system say what fits there.

use crate::graph::{KnowledgeGraph, LookupError};
use crate::model::Kind;
use crate::query::{expected_after, keywords_after, needs_quotes, quoted_string, Expected, Slot};
use rustyline::completion::Pair;
use std::path::Path;

/// How many words back a bare multi-word entity name may start (`neighbors al suk<TAB>`).
const MAX_NAME_WORDS: usize = 6;

/// The lexical situation at the cursor, found without the parser so that unfinished text (an open
/// quote) is understood too.
#[derive(Debug, Default, PartialEq, Eq)]
struct Scan {
    /// Byte offsets where each token starts, in order; an open quote is the last.
    starts: Vec<(usize, Token)>,
    /// The cursor is inside `"...` that is not closed yet.
    open_quote: bool,
    /// The cursor is in a `#` comment.
    comment: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Word,
    Quoted,
    Comma,
}

fn scan(text: &str) -> Scan {
    let mut out = Scan::default();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' => {
                out.comment = true;
                return out;
            }
            ',' => out.starts.push((i, Token::Comma)),
            '"' => {
                out.starts.push((i, Token::Quoted));
                out.open_quote = true;
                while let Some((_, q)) = chars.next() {
                    match q {
                        '\\' => {
                            chars.next();
                        }
                        '"' => {
                            out.open_quote = false;
                            break;
                        }
                        _ => {}
                    }
                }
            }
            c if c.is_whitespace() => {}
            _ => {
                out.starts.push((i, Token::Word));
                while chars
                    .peek()
                    .is_some_and(|&(_, w)| !(w.is_whitespace() || matches!(w, ',' | '"' | '#')))
                {
                    chars.next();
                }
            }
        }
    }
    out
}

/// Whether an unfinished line ends inside a quote, so that Enter should continue it.
pub fn open_quote(text: &str) -> bool {
    scan(text).open_quote
}

/// Candidates for the text before `pos`, all replacing `line[start..pos]`.
pub fn complete(graph: &KnowledgeGraph, line: &str, pos: usize) -> (usize, Vec<Pair>) {
    let before = line.get(..pos).unwrap_or(line);
    let scanned = scan(before);
    if scanned.comment {
        return (pos, Vec::new());
    }
    let ends_in_gap = before.ends_with(|c: char| c.is_whitespace() || c == ',');
    // The token under the cursor: none after a gap, a word, or an open quote (a closed quote right
    // before the cursor is finished and offers nothing).
    let partial_start = match scanned.starts.last() {
        _ if ends_in_gap || before.is_empty() => pos,
        Some(&(start, Token::Word)) => start,
        Some(&(start, Token::Quoted)) if scanned.open_quote => start,
        _ => return (pos, Vec::new()),
    };
    let partial = &before[partial_start..];
    let mut groups: Vec<(usize, Vec<Pair>)> = Vec::new();

    let keywords = keywords_after(before);
    groups.push((
        partial_start,
        keywords
            .into_iter()
            .map(|k| Pair {
                display: k.to_string(),
                replacement: format!("{k} "),
            })
            .collect(),
    ));
    let expected = expected_after(&before[..partial_start]);
    let (typed, quoted) = match partial.strip_prefix('"') {
        Some(rest) => (unescape(rest), true),
        None => (partial.to_string(), false),
    };
    if expected.contains(&Expected::Entity) {
        groups.push((partial_start, entities(graph, &typed)));
    }
    if !quoted && expected.contains(&Expected::Relation) {
        groups.push((partial_start, relations(graph, &typed)));
    }
    if !quoted && expected.contains(&Expected::Kind) {
        groups.push((partial_start, kinds(&typed)));
    }
    if expected.contains(&Expected::File) {
        groups.push((partial_start, files(&typed)));
    }
    // A bare name of several words: `neighbors al suk` completes "al suk" as one name.
    if !quoted {
        let words: Vec<usize> = scanned
            .starts
            .iter()
            .rev()
            .take_while(|(_, t)| *t == Token::Word)
            .map(|(s, _)| *s)
            .filter(|&s| s < partial_start)
            .take(MAX_NAME_WORDS)
            .collect();
        for start in words {
            if expected_after(&before[..start]).contains(&Expected::Entity) {
                groups.push((start, entities(graph, &before[start..])));
            }
        }
    }

    let start = groups
        .iter()
        .filter(|(_, c)| !c.is_empty())
        .map(|(s, _)| *s)
        .min()
        .unwrap_or(pos);
    let mut out: Vec<Pair> = Vec::new();
    for (group_start, candidates) in groups {
        // Every candidate replaces from the same place: later groups keep the text before theirs.
        let kept = before.get(start..group_start).unwrap_or("");
        for c in candidates {
            let replacement = format!("{kept}{}", c.replacement);
            if !out.iter().any(|o| o.replacement == replacement) {
                out.push(Pair {
                    display: c.display,
                    replacement,
                });
            }
        }
    }
    (start, out)
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// Whether `name` starts, or has a word starting, with `typed` (both lowercased already).
fn matches_word(name: &str, typed: &str) -> bool {
    name.starts_with(typed)
        || name
            .char_indices()
            .filter(|&(i, _)| {
                name[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|p| !p.is_alphanumeric())
            })
            .any(|(i, _)| name[i..].starts_with(typed))
}

/// Entity names, aliases and ids for `typed`, ignoring case and matching any word of a name. Each
/// entity offers one text: its name if that matches, else the first matching alias, else its id; a
/// name shared by several entities is offered as the id, since only that resolves. Names that
/// start with `typed` come first.
fn entities(graph: &KnowledgeGraph, typed: &str) -> Vec<Pair> {
    let typed = typed.trim_start().to_lowercase();
    let mut out: Vec<(bool, Pair)> = Vec::new();
    for e in &graph.model.entities {
        let Some(name) = std::iter::once(&e.name)
            .chain(e.aliases())
            .chain(std::iter::once(&e.id))
            .find(|n| matches_word(&n.to_lowercase(), &typed))
        else {
            continue;
        };
        let text = match graph.lookup(name) {
            Err(LookupError::Ambiguous { .. }) => e.id.as_str(),
            _ => name.as_str(),
        };
        out.push((
            text.to_lowercase().starts_with(&typed),
            Pair {
                display: text.to_string(),
                replacement: format!("{} ", name_text(text)),
            },
        ));
    }
    out.sort_by_cached_key(|(prefix, p)| (!prefix, p.display.to_lowercase()));
    out.into_iter().map(|(_, p)| p).collect()
}

/// A name as query text: quoted unless it is one plain word, so it parses in every slot.
fn name_text(name: &str) -> String {
    if needs_quotes(name, Slot::OneWord) {
        quoted_string(name)
    } else {
        name.to_string()
    }
}

/// Relation names and inverse labels; `^` asks for a relation read backwards.
fn relations(graph: &KnowledgeGraph, typed: &str) -> Vec<Pair> {
    let (caret, typed) = match typed.strip_prefix('^') {
        Some(rest) => ("^", rest),
        None => ("", typed),
    };
    let typed = typed.to_lowercase();
    graph
        .relation_labels()
        .into_iter()
        .filter(|l| l.to_lowercase().starts_with(&typed))
        .map(|l| Pair {
            display: format!("{caret}{l}"),
            replacement: format!("{caret}{l} "),
        })
        .collect()
}

fn kinds(typed: &str) -> Vec<Pair> {
    let typed = typed.to_lowercase();
    Kind::NAMES
        .iter()
        .filter(|k| k.starts_with(&typed))
        .map(|k| Pair {
            display: k.to_string(),
            replacement: format!("{k} "),
        })
        .collect()
}

/// Files and directories starting with `typed`, relative to the working directory. Directories end
/// in `/` and stay open (an unclosed quote, if quoted) so the next Tab goes on inside them.
fn files(typed: &str) -> Vec<Pair> {
    let (dir, prefix) = match typed.rfind('/') {
        Some(i) => typed.split_at(i + 1),
        None => ("", typed),
    };
    let Ok(entries) = std::fs::read_dir(if dir.is_empty() { "." } else { dir }) else {
        return Vec::new();
    };
    let mut out: Vec<Pair> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.')) {
                return None;
            }
            let is_dir = Path::new(dir).join(&name).is_dir();
            let path = format!("{dir}{name}{}", if is_dir { "/" } else { "" });
            let text = name_text(&path);
            let replacement = match (is_dir, text.strip_suffix('"')) {
                (true, Some(open)) => open.to_string(),
                (true, None) => text,
                (false, _) => format!("{text} "),
            };
            Some(Pair {
                display: format!("{name}{}", if is_dir { "/" } else { "" }),
                replacement,
            })
        })
        .collect();
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::GraphSpec;

    fn graph() -> KnowledgeGraph {
        GraphSpec::new(Vec::new()).load(&[]).unwrap()
    }

    /// The line after accepting the only candidate, or the candidates' replacements.
    fn after_tab(graph: &KnowledgeGraph, line: &str) -> Result<String, Vec<String>> {
        let (start, candidates) = complete(graph, line, line.len());
        match candidates.as_slice() {
            [one] => Ok(format!("{}{}", &line[..start], one.replacement)),
            many => Err(many.iter().map(|c| c.replacement.clone()).collect()),
        }
    }

    #[test]
    fn a_word_of_a_name_completes_the_whole_name_quoted() {
        let g = graph();
        let offered = after_tab(&g, "neighbors SUK").unwrap_err();
        assert!(
            offered.contains(&"\"Al Sukhna\" ".to_string()),
            "{offered:?}"
        );
        // One text per entity: the town's aliases (Sukhna, As Sukhnah) stay out of the list.
        assert!(!offered.contains(&"Sukhna ".to_string()), "{offered:?}");
        assert_eq!(
            after_tab(&g, "neighbors sharq"),
            Ok("neighbors \"Al Sharq Al Awsat\" ".to_string())
        );
        assert_eq!(
            after_tab(&g, "path \"al sha"),
            Ok("path \"Al Sharq Al Awsat\" ".to_string())
        );
    }

    #[test]
    fn aliases_and_ids_when_the_name_does_not_match() {
        let g = graph();
        assert_eq!(after_tab(&g, "show daes"), Ok("show Daesh ".to_string()));
        assert_eq!(
            after_tab(&g, "show bashar_al"),
            Ok("show bashar_al_assad ".to_string())
        );
    }

    #[test]
    fn several_bare_words_complete_as_one_name() {
        let g = graph();
        assert_eq!(
            after_tab(&g, "neighbors al sha"),
            Ok("neighbors \"Al Sharq Al Awsat\" ".to_string())
        );
        let offered = after_tab(&g, "neighbors al sukh").unwrap_err();
        assert_eq!(offered.first().map(String::as_str), Some("\"Al Sukhna\" "));
    }

    #[test]
    fn keywords_come_from_the_parser() {
        let g = graph();
        assert_eq!(
            after_tab(&g, "nei"),
            Err(vec!["neighbors ".into(), "neighbours ".into()])
        );
        assert_eq!(
            after_tab(&g, "path ISIL t"),
            Ok("path ISIL to ".to_string())
        );
        assert_eq!(
            after_tab(&g, "set format tsv"),
            Ok("set format tsv ".to_string())
        );
    }

    #[test]
    fn relations_after_via_and_in_patterns_kinds_after_kind() {
        let g = graph();
        let (_, via) = complete(&g, "neighbors ISIL via ", 19);
        assert!(via.iter().any(|c| c.display == "besieges"));
        assert!(via.iter().any(|c| c.display == "besieged_by"));
        assert_eq!(
            after_tab(&g, "match ?x besi"),
            Err(vec!["besieged_by ".into(), "besieges ".into()])
        );
        assert_eq!(
            after_tab(&g, "match ?x ^besieg"),
            Err(vec!["^besieged_by ".into(), "^besieges ".into()])
        );
        assert_eq!(
            after_tab(&g, "entities kind pl"),
            Ok("entities kind place ".to_string())
        );
    }

    #[test]
    fn files_after_load() {
        let g = graph();
        let dir = env!("CARGO_MANIFEST_DIR");
        let line = format!("load {dir}/graphs/al-suk");
        assert_eq!(
            after_tab(&g, &line),
            Ok(format!("load {dir}/graphs/al-sukhna.ron "))
        );
        let line = format!("load {dir}/gra");
        assert_eq!(after_tab(&g, &line), Ok(format!("load {dir}/graphs/")));
    }

    #[test]
    fn nothing_in_comments_or_after_a_closed_quote() {
        let g = graph();
        assert!(complete(&g, "stats # ne", 10).1.is_empty());
        assert!(complete(&g, "show \"ISIL\"", 11).1.is_empty());
    }

    #[test]
    fn open_quotes_are_found_past_escapes() {
        assert!(open_quote("show \"Al"));
        assert!(!open_quote("show \"Al \\\" x\""));
        assert!(open_quote("show \"a\\\""));
        assert!(!open_quote("stats # \"comment"));
    }
}
