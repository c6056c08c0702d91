//! Tab completion: the parser says which slot the cursor is in (keyword, entity, relation, kind or
//! file name), the graph and the file system say what fits there.

use crate::graph::{KnowledgeGraph, LookupError};
use crate::model::Kind;
use crate::query::{
    expected_after, keywords_after, needs_quotes, quoted_string, relation_as_typed,
    relation_needs_quotes, Expected, Slot,
};
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

/// The text after a quote that `text` leaves open (`show "Selva` gives `Selva`), if it does.
pub fn open_quoted_text(text: &str) -> Option<String> {
    let scanned = scan(text);
    let &(start, _) = scanned.starts.last().filter(|_| scanned.open_quote)?;
    Some(unescape(text.get(start + 1..)?))
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
    // Entity names may start where the cursor's word starts or, bare, a few words earlier
    // (`neighbors al suk` completes "al suk" as one name); longest first.
    let mut entity_starts: Vec<(usize, String)> = Vec::new();
    if !quoted {
        let words = scanned
            .starts
            .iter()
            .rev()
            .take_while(|(_, t)| *t == Token::Word)
            .map(|(s, _)| *s)
            .filter(|&s| s < partial_start)
            .take(MAX_NAME_WORDS);
        for start in words {
            if expected_after(&before[..start]).contains(&Expected::Entity) {
                entity_starts.push((start, before[start..].to_string()));
            }
        }
        entity_starts.reverse();
    }
    if expected.contains(&Expected::Entity) {
        entity_starts.push((partial_start, typed.clone()));
    }
    groups.extend(entity_groups(graph, &entity_starts));
    if expected.contains(&Expected::Relation) {
        groups.push((partial_start, relations(graph, &typed, quoted)));
        // `located_in|sh`, `(located_in|pa`: the relation after the path's last `|` or `(`.
        if let Some(i) = partial.rfind(['|', '(']).filter(|_| !quoted) {
            groups.push((
                partial_start + i + 1,
                relations(graph, &partial[i + 1..], false),
            ));
        }
    }
    // `^"Make s`: a quoted relation read backwards, completed from its `^`.
    let caret = partial_start.checked_sub(1).filter(|&c| {
        quoted
            && before.get(c..partial_start) == Some("^")
            && scanned.starts.contains(&(c, Token::Word))
    });
    if let Some(c) = caret {
        if expected_after(&before[..c]).contains(&Expected::Relation) {
            groups.push((c, relations(graph, &format!("^{typed}"), false)));
        }
    }
    if !quoted && expected.contains(&Expected::Kind) {
        groups.push((partial_start, kinds(&typed)));
    }
    if expected.contains(&Expected::File) {
        groups.push((partial_start, files(&typed)));
    }
    if !quoted && partial.starts_with('?') {
        groups.push((partial_start, variables(before, partial_start, partial)));
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

/// `?x` variables written earlier in the line, and after `?f.` the names of properties.
fn variables(line: &str, partial_start: usize, partial: &str) -> Vec<Pair> {
    if let Some((var, prop)) = partial.split_once('.') {
        return crate::query::Prop::NAMES
            .iter()
            .filter(|p| p.starts_with(&prop.to_ascii_lowercase()))
            .map(|p| {
                let text = if *p == "attr" {
                    format!("{var}.attr(\"")
                } else {
                    format!("{var}.{p} ")
                };
                Pair {
                    display: format!("{var}.{p}"),
                    replacement: text,
                }
            })
            .collect();
    }
    let mut seen: Vec<&str> = Vec::new();
    let earlier = line.get(..partial_start).unwrap_or("");
    for word in earlier.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '?')) {
        let name = word.strip_prefix('?').filter(|n| !n.is_empty());
        if let Some(name) = name.filter(|_| word.starts_with(partial)) {
            if !seen.contains(&name) {
                seen.push(name);
            }
        }
    }
    seen.into_iter()
        .map(|n| Pair {
            display: format!("?{n}"),
            replacement: format!("?{n} "),
        })
        .collect()
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

/// Entities for the typed text, in ranks: [0] those whose name starts with it (after a leading
/// article: "suk" finds "Al Sukhna"), [1] those with an alias or id that does, and [2] those that
/// merely have a word starting with it. Each entity offers one text: its name if that matches,
/// else the first matching alias, else its id; a name shared by several entities is offered as the
/// id, since only that resolves.
type EntityMatches = [Vec<String>; 3];

fn entities(graph: &KnowledgeGraph, typed: &str) -> EntityMatches {
    let typed = typed.trim_start().to_lowercase();
    let starts = |k: &str| without_article(&k.to_lowercase()).starts_with(&typed);
    let mut out = EntityMatches::default();
    for e in &graph.model.entities {
        let mut keys = std::iter::once(&e.name)
            .chain(e.aliases())
            .chain(std::iter::once(&e.id));
        let Some(name) = keys.find(|n| matches_word(&n.to_lowercase(), &typed)) else {
            continue;
        };
        let text = match graph.lookup(name) {
            Err(LookupError::Ambiguous { .. }) => e.id.clone(),
            _ => name.clone(),
        };
        let rank = if starts(&e.name) {
            0
        } else if e.aliases().iter().chain([&e.id]).any(|k| starts(k)) {
            1
        } else {
            2
        };
        out[rank].push(text);
    }
    for texts in &mut out {
        texts.sort_by_cached_key(|t| t.to_lowercase());
        texts.dedup();
    }
    out
}

/// A lowercased name without a leading "al ", "al-", "el ", "the " and the like, which readers skip
/// when they think of a name.
fn without_article(name: &str) -> &str {
    [
        "al-", "al ", "el-", "el ", "the ", "as-", "ash-", "ad-", "ar-",
    ]
    .iter()
    .find_map(|a| name.strip_prefix(a))
    .filter(|rest| !rest.is_empty())
    .map_or(name, |rest| rest)
}

/// Candidates for entity names typed from each of `starts` (longest first): only the best rank
/// found from any start (the longest text on a tie), so that one Tab completes a unique name or
/// inserts the common beginning of several. Entities that merely contain a word are offered, from
/// every start, when no name, alias or id begins with the text.
fn entity_groups(graph: &KnowledgeGraph, starts: &[(usize, String)]) -> Vec<(usize, Vec<Pair>)> {
    let found: Vec<(usize, EntityMatches)> = starts
        .iter()
        .map(|(start, typed)| (*start, entities(graph, typed)))
        .collect();
    for rank in 0..2 {
        if let Some((start, m)) = found.iter().find(|(_, m)| !m[rank].is_empty()) {
            return vec![(*start, name_pairs(&m[rank]))];
        }
    }
    found
        .iter()
        .map(|(start, m)| (*start, name_pairs(&m[2])))
        .collect()
}

/// Names as candidates. Where several are offered and one needs quotes, all are quoted, so that
/// the common beginning the editor inserts (`"Hezbollah`) is the start of a valid name.
fn name_pairs(texts: &[String]) -> Vec<Pair> {
    let quote_all = texts.len() > 1 && texts.iter().any(|t| needs_quotes(t, Slot::OneWord));
    texts
        .iter()
        .map(|t| Pair {
            display: t.clone(),
            replacement: format!(
                "{} ",
                if quote_all {
                    quoted_string(t)
                } else {
                    name_text(t)
                }
            ),
        })
        .collect()
}

/// A name as query text: quoted unless it is one plain word, so it parses in every slot.
fn name_text(name: &str) -> String {
    if needs_quotes(name, Slot::OneWord) {
        quoted_string(name)
    } else {
        name.to_string()
    }
}

/// Relation names and inverse labels; `^` asks for a relation read backwards. Names with spaces
/// (imported ones) are quoted, and where one offered is, all are, as [`name_pairs`] does;
/// `quoted` says the user has opened the quote already.
fn relations(graph: &KnowledgeGraph, typed: &str, quoted: bool) -> Vec<Pair> {
    let (caret, typed) = match typed.strip_prefix('^').filter(|_| !quoted) {
        Some(rest) => ("^", rest),
        None => ("", typed),
    };
    let typed = typed.to_lowercase();
    let labels: Vec<String> = graph
        .relation_labels()
        .into_iter()
        .filter(|l| l.to_lowercase().starts_with(&typed))
        .map(|l| format!("{caret}{l}"))
        .collect();
    let quote_all = quoted
        || labels.len() > 1
            && labels
                .iter()
                .any(|l| relation_needs_quotes(l.strip_prefix('^').unwrap_or(l)));
    labels
        .into_iter()
        .map(|l| {
            let text = match (quote_all, l.strip_prefix('^')) {
                (true, Some(name)) if !quoted => format!("^{}", quoted_string(name)),
                (true, _) => quoted_string(&l),
                (false, _) => relation_as_typed(&l),
            };
            Pair {
                replacement: format!("{text} "),
                display: l,
            }
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
        assert_eq!(
            after_tab(&g, "neighbors sharq"),
            Ok("neighbors \"Al Sharq Al Awsat\" ".to_string())
        );
        assert_eq!(
            after_tab(&g, "path \"al sha"),
            Ok("path \"Al Sharq Al Awsat\" ".to_string())
        );
        // No name starts with `border`: every entity with such a word is offered.
        let offered = after_tab(&g, "neighbors BORDER").unwrap_err();
        assert!(
            offered.contains(&"\"Lebanese-Syrian border\" ".to_string()),
            "{offered:?}"
        );
        assert!(offered.len() > 1, "{offered:?}");
    }

    #[test]
    fn a_name_that_starts_with_the_text_completes_alone() {
        let g = graph();
        // "AFP photo of the Talbiseh roadsign" has a word starting with `talb`, but only the town
        // starts with it.
        assert_eq!(
            after_tab(&g, "neighbors talb"),
            Ok("neighbors Talbiseh ".to_string())
        );
        assert_eq!(
            after_tab(&g, "neighbors Tadm"),
            Ok("neighbors Tadmor ".to_string())
        );
        // An alias starting with the text counts, and so does a name after its article.
        assert_eq!(
            after_tab(&g, "neighbors SUK"),
            Ok("neighbors \"Al Sukhna\" ".to_string())
        );
    }

    #[test]
    fn several_names_starting_with_the_text_share_their_quoted_beginning() {
        let g = graph();
        let offered = after_tab(&g, "neighbors hez").unwrap_err();
        assert_eq!(
            offered,
            ["\"Hezbollah\" ", "\"Hezbollah media outlet\" "],
            "quoted alike, so the editor can insert `\"Hezbollah`"
        );
        // Inside the open quote, the next word narrows to one.
        assert_eq!(
            after_tab(&g, "neighbors \"Hezbollah m"),
            Ok("neighbors \"Hezbollah media outlet\" ".to_string())
        );
    }

    #[test]
    fn time_clauses_and_their_settings_are_offered() {
        let g = graph();
        assert_eq!(
            after_tab(&g, "show Tadmor du"),
            Ok("show Tadmor during ".to_string())
        );
        assert_eq!(
            after_tab(&g, "show Tadmor at 2016 rep"),
            Ok("show Tadmor at 2016 reported ".to_string())
        );
        assert_eq!(after_tab(&g, "set du"), Ok("set during ".to_string()));
        assert_eq!(after_tab(&g, "set rep"), Ok("set reported ".to_string()));
        // A clause already given is not offered again.
        let offered = after_tab(&g, "show Tadmor during 2017 ").unwrap_err();
        assert!(offered.contains(&"reported ".to_string()), "{offered:?}");
        assert!(!offered.contains(&"during ".to_string()), "{offered:?}");
    }

    #[test]
    fn changes_completes_its_word_its_entity_and_its_time_clauses() {
        let g = graph();
        assert_eq!(after_tab(&g, "chang"), Ok("changes ".to_string()));
        assert_eq!(
            after_tab(&g, "changes tadm"),
            Ok("changes Tadmor ".to_string())
        );
        assert_eq!(
            after_tab(&g, "changes Tadmor dur"),
            Ok("changes Tadmor during ".to_string())
        );
        assert_eq!(
            after_tab(&g, "changes dur"),
            Ok("changes during ".to_string())
        );
    }

    #[test]
    fn conflicts_completes_its_word_its_entity_and_its_time_clauses() {
        let g = graph();
        assert_eq!(after_tab(&g, "confl"), Ok("conflicts ".to_string()));
        assert_eq!(
            after_tab(&g, "conflicts tadm"),
            Ok("conflicts Tadmor ".to_string())
        );
        assert_eq!(
            after_tab(&g, "conflicts Tadmor dur"),
            Ok("conflicts Tadmor during ".to_string())
        );
        assert_eq!(
            after_tab(&g, "conflicts dur"),
            Ok("conflicts during ".to_string())
        );
    }

    #[test]
    fn a_state_completes_as_a_relation() {
        let g = graph();
        assert_eq!(
            after_tab(&g, "match ?who contro"),
            Ok("match ?who controls ".to_string())
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
    fn variables_and_their_properties_complete() {
        let g = graph();
        assert_eq!(
            after_tab(&g, "match ?who captured ?place as ?f where ?pl"),
            Ok("match ?who captured ?place as ?f where ?place ".to_string())
        );
        assert_eq!(
            after_tab(&g, "match ?who captured ?place as ?f where ?f.wh"),
            Ok("match ?who captured ?place as ?f where ?f.when ".to_string())
        );
        assert_eq!(
            after_tab(&g, "match ?a ?r ?b where ?a.kind = actor gr"),
            Ok("match ?a ?r ?b where ?a.kind = actor group ".to_string())
        );
        assert_eq!(
            after_tab(&g, "match ?a ?r ?b group by ?a count as ?n or"),
            Ok("match ?a ?r ?b group by ?a count as ?n order ".to_string())
        );
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
    fn relations_inside_paths_and_path_constraints() {
        let g = graph();
        assert_eq!(
            after_tab(&g, "match ?x located_in|besi"),
            Err(vec!["besieged_by ".into(), "besieges ".into()])
        );
        assert_eq!(
            after_tab(&g, "match ?x (located_in|part_o"),
            Ok("match ?x (located_in|part_of ".to_string())
        );
        assert_eq!(
            after_tab(&g, "neighbors ISIL via attacked|shelled_"),
            Ok("neighbors ISIL via attacked|shelled_by ".to_string())
        );
        assert_eq!(
            after_tab(&g, "path ISIL to Homs chrono"),
            Ok("path ISIL to Homs chronological ".to_string())
        );
        let (_, avoid) = complete(&g, "path ISIL to Homs avoid ", 24);
        assert!(avoid.iter().any(|c| c.display == "via"));
        assert!(avoid.iter().any(|c| c.display == "kind"));
        assert_eq!(
            after_tab(&g, "path ISIL to Homs avoid kind pl"),
            Ok("path ISIL to Homs avoid kind place ".to_string())
        );
    }

    #[test]
    fn relation_names_with_spaces_are_offered_quoted() {
        let text = r#"(sources: [(id: "s", title: "t", publisher: "p", published: "2018")],
            relations: [(name: "Make statement"), (name: "Make a visit"), (name: "Accuse")],
            entities: [(id: "a", name: "A", kind: "actor"), (id: "b", name: "B", kind: "actor")],
            facts: [(subject: "a", relation: "Accuse", object: "b", source: "s", quote: "")])"#;
        let model = crate::validate::load(&[crate::fact_file::SourceText::new("g.ron", text)], &[])
            .unwrap();
        let g = KnowledgeGraph::new(model);
        assert_eq!(
            after_tab(&g, "match ?x Make"),
            Err(vec![
                "\"Make a visit\" ".into(),
                "\"Make statement\" ".into()
            ])
        );
        assert_eq!(
            after_tab(&g, "match ?x \"Make s"),
            Ok("match ?x \"Make statement\" ".to_string())
        );
        assert_eq!(
            after_tab(&g, "neighbors A via ^Make"),
            Err(vec![
                "^\"Make a visit\" ".into(),
                "^\"Make statement\" ".into()
            ])
        );
        assert_eq!(
            after_tab(&g, "neighbors A via ^\"Make s"),
            Ok("neighbors A via ^\"Make statement\" ".to_string())
        );
        assert_eq!(
            after_tab(&g, "neighbors A via Acc"),
            Ok("neighbors A via Accuse ".to_string())
        );
        // What completion writes parses as the relation it names.
        let line = "match ?x \"Make statement\" ?y";
        assert!(crate::query::parse_statement(line).is_ok());
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
