//! `factgraph new`: a starting fact file for an article, so that a curator begins from its source
//! record, the entities the corpus already knows that it mentions, and candidates for new ones.

use crate::diagnostic::Diagnostic;
use crate::fact_file::{FileKind, SourceText};
use crate::graph::KnowledgeGraph;
use crate::model::Model;
use crate::output::{Destination, Role};
use hashbrown::HashMap;
use std::fmt::Write;
use std::ops::Range;
use std::path::Path;

/// What an article's text says about itself: `Key: value` lines at its top, else its first line
/// as the title; the date and publisher may also come from a file name such as
/// `the-national-2017-08-06-al-sukhna.txt`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header {
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    /// Where the article's own text starts: after the `Key: value` lines.
    pub body_start: usize,
}

/// Reads the header of `text`, taking what it lacks from `file_name`.
pub fn header(text: &str, file_name: &str) -> Header {
    let mut h = Header::default();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let Some((key, value)) = line.split_once(':') else {
            break;
        };
        let value = value.trim().to_string();
        match key.trim().to_ascii_lowercase().as_str() {
            "title" => h.title = Some(value),
            "publisher" | "source" => h.publisher = Some(value),
            "published" | "date" => h.published = Some(value),
            "url" => h.url = Some(value),
            _ => break,
        }
        offset += line.len();
    }
    h.body_start = offset;
    if h.title.is_none() {
        h.title = text[offset..]
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_string);
    }
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    if let Some((before, date)) = date_in(stem) {
        h.published.get_or_insert_with(|| date.to_string());
        if h.publisher.is_none() && !before.is_empty() {
            h.publisher = Some(title_case(before));
        }
    }
    h
}

/// The first `YYYY-MM-DD` in a file stem, with what comes before it (`the-national`).
fn date_in(stem: &str) -> Option<(&str, &str)> {
    let bytes = stem.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let candidate = stem.get(i..i + 10)?;
        let shape = candidate.bytes().enumerate().all(|(k, b)| match k {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
        shape.then(|| (stem[..i].trim_end_matches(['-', '_']), candidate))
    })
}

/// `the-national` -> `The National`.
fn title_case(slug: &str) -> String {
    slug.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A source id from publisher and date: `The Fictional Courier`, `2031-03-02` ->
/// `fictional-courier-2031-03-02`.
pub fn source_id(publisher: Option<&str>, published: Option<&str>) -> String {
    let mut words: Vec<String> = publisher
        .unwrap_or("")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    words.extend(published.map(str::to_string));
    if words.is_empty() {
        return "source".to_string();
    }
    words.join("-")
}

/// An entity the corpus knows that the text names, and how often by which of its names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    /// Names (as declared) found in the text, with their counts, in declaration order.
    pub found: Vec<(String, usize)>,
    first: usize,
}

/// The entities of `model` that `text` names by name or alias, in order of first mention. A name
/// is found whole (not inside a longer word) and in any case, except a short all-capital one
/// ("US", "SDF"), which is found only in capitals, so that "us" is not the United States.
///
/// Cost: O(names × length of the text).
pub fn known_entities(model: &Model, text: &str) -> Vec<Known> {
    mentions(model, text).0
}

/// [`known_entities`], and the byte ranges of `text` where they are named.
fn mentions(model: &Model, text: &str) -> (Vec<Known>, Vec<Range<usize>>) {
    let mut spans = Vec::new();
    let lower = text.to_lowercase();
    // Lowercasing can change byte lengths; without that, offsets of both texts agree.
    let lower = if lower.len() == text.len() {
        lower
    } else {
        text.to_string()
    };
    let mut known = Vec::new();
    for e in &model.entities {
        let mut found = Vec::new();
        let mut first = usize::MAX;
        // Longest names first, so that "Sukhna" inside "Al Sukhna" is not a second mention.
        let mut names: Vec<&String> = std::iter::once(&e.name).chain(e.aliases()).collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let mut own: Vec<Range<usize>> = Vec::new();
        for name in names {
            let acronym = name.chars().count() <= 4
                && name.chars().all(|c| c.is_uppercase() || !c.is_alphabetic());
            let (hay, needle) = if acronym {
                (text, name.clone())
            } else {
                (lower.as_str(), name.to_lowercase())
            };
            let mut at = whole_word_matches(hay, &needle);
            // `own` is sorted by start, with `reach[i]` the furthest end of its first i + 1
            // spans: a match lies inside a longer name's mention when the spans starting at or
            // before it reach past its end. A binary search each, not a scan of all mentions.
            let reach: Vec<usize> = own
                .iter()
                .scan(0, |far, s| {
                    *far = s.end.max(*far);
                    Some(*far)
                })
                .collect();
            at.retain(|&a| {
                let before = own.partition_point(|s| s.start <= a);
                before == 0 || reach[before - 1] < a + needle.len()
            });
            own.extend(at.iter().map(|&a| a..a + needle.len()));
            own.sort_by_key(|s| s.start);
            spans.extend(at.iter().map(|&a| a..a + needle.len()));
            if let Some(&a) = at.first() {
                first = first.min(a);
                found.push((name.clone(), at.len()));
            }
        }
        if !found.is_empty() {
            known.push(Known {
                id: e.id.clone(),
                name: e.name.clone(),
                kind: e.kind.name(),
                found,
                first,
            });
        }
    }
    known.sort_by_key(|k| (k.first, k.id.clone()));
    (known, spans)
}

/// `text` with the `spans` where known entities are named cut out, each replaced by a `|` that
/// ends any capitalised run around it.
fn without(text: &str, mut spans: Vec<Range<usize>>) -> String {
    spans.sort_by_key(|s| s.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in spans {
        if s.start >= at {
            out.push_str(&text[at..s.start]);
            out.push_str(" | ");
        }
        at = at.max(s.end);
    }
    out.push_str(&text[at..]);
    out
}

/// Byte offsets where `needle` stands in `hay` as whole words.
fn whole_word_matches(hay: &str, needle: &str) -> Vec<usize> {
    if needle.is_empty() {
        return Vec::new();
    }
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    hay.match_indices(needle)
        .map(|(at, _)| at)
        .filter(|&at| {
            !word(hay[..at].chars().next_back()) && !word(hay[at + needle.len()..].chars().next())
        })
        .collect()
}

/// Words that open sentences, name days and months, or title people: capitalised without being
/// names.
const NOT_NAMES: &[&str] = &[
    "A",
    "After",
    "Also",
    "An",
    "And",
    "As",
    "At",
    "But",
    "By",
    "During",
    "For",
    "From",
    "He",
    "Her",
    "His",
    "However",
    "If",
    "In",
    "It",
    "Its",
    "Meanwhile",
    "No",
    "On",
    "One",
    "Since",
    "She",
    "So",
    "That",
    "The",
    "Their",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "To",
    "We",
    "When",
    "While",
    "With",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Col",
    "Gen",
    "Lt",
    "Maj",
    "Capt",
    "Sgt",
];

/// Lowercase words that may stand inside a name: "Syrian Observatory for Human Rights".
const JOINERS: &[&str] = &["of", "for", "al", "el", "de", "ez", "az", "bin"];

/// Capitalised phrases of `text` (runs of capitalised words, with joiners between them) that name
/// nothing in `known_names` (lowercased), with how often each occurs, most frequent first. A word
/// that opens a sentence is dropped when it is a common opener; a lone word seen only there is
/// not counted.
pub fn candidates(text: &str, known_names: &[String]) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, (usize, bool, usize)> = HashMap::new();
    let mut order = 0;
    let mut run: Vec<&str> = Vec::new();
    let mut run_opens_sentence = false;
    let mut sentence_start = true;
    // A line break ends a run: headlines and captions have no full stops.
    let words: Vec<(&str, bool)> = text
        .lines()
        .flat_map(|line| {
            let n = line.split_whitespace().count();
            line.split_whitespace()
                .enumerate()
                .map(move |(i, w)| (w, i + 1 == n))
        })
        .collect();
    for (i, &(raw, line_end)) in words.iter().enumerate() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'');
        let word = word.trim_end_matches(['\'', '’']);
        let word = word
            .strip_suffix("'s")
            .or_else(|| word.strip_suffix("’s"))
            .unwrap_or(word);
        // A word hyphened to a known name cut out beside it ("Al-" of "Al-Sukhna") is that name.
        if word.ends_with('-') {
            if !run.is_empty() {
                flush(&mut run, run_opens_sentence, &mut counts, &mut order);
            }
            sentence_start = false;
            continue;
        }
        let capital = word.chars().next().is_some_and(char::is_uppercase);
        // A particle hyphened to a capitalised word continues a name: "Dayr az-Zawr".
        let particle = word.split_once('-').is_some_and(|(p, rest)| {
            JOINERS.contains(&p) && rest.chars().next().is_some_and(char::is_uppercase)
        });
        let joins = (particle && !run.is_empty())
            || JOINERS.contains(&word)
                && !run.is_empty()
                && words
                    .get(i + 1)
                    .and_then(|(w, _)| w.chars().find(|c| c.is_alphanumeric()))
                    .is_some_and(char::is_uppercase);
        let leading_punct = raw.starts_with(|c: char| !c.is_alphanumeric());
        if !run.is_empty() && (leading_punct || !(capital || joins)) {
            flush(&mut run, run_opens_sentence, &mut counts, &mut order);
        }
        if capital || (joins && !run.is_empty()) {
            if run.is_empty() {
                run_opens_sentence = sentence_start;
            }
            run.push(word);
        }
        let ends_clause = line_end || raw.ends_with(|c: char| ",;:.!?\"”)".contains(c));
        if ends_clause && !run.is_empty() {
            flush(&mut run, run_opens_sentence, &mut counts, &mut order);
        }
        // A token of punctuation alone ("*", "-") leaves the sentence where it was.
        if line_end {
            sentence_start = true;
        } else if raw.contains(char::is_alphanumeric) {
            sentence_start = raw.ends_with(['.', '!', '?', ':']) || raw.ends_with(".\"");
        }
    }
    flush(&mut run, run_opens_sentence, &mut counts, &mut order);
    let mut out: Vec<(String, usize, usize)> = counts
        .into_iter()
        .filter(|(phrase, (_, inside, _))| *inside || phrase.contains(' '))
        .filter(|(phrase, _)| !known_names.contains(&phrase.to_lowercase()))
        .map(|(phrase, (n, _, first))| (phrase, n, first))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    out.into_iter().map(|(p, n, _)| (p, n)).collect()
}

/// Counts the phrase in `run` (dropping openers and trailing joiners) and empties `run`. Each
/// count keeps whether the phrase was seen inside a sentence, and when it was first seen.
fn flush(
    run: &mut Vec<&str>,
    opens_sentence: bool,
    counts: &mut HashMap<String, (usize, bool, usize)>,
    order: &mut usize,
) {
    let mut words: &[&str] = run;
    while let Some((first, rest)) = words.split_first() {
        if NOT_NAMES.contains(first)
            || crate::date::MONTH_NAMES.contains(first)
            || crate::date::WEEKDAY_NAMES.contains(first)
        {
            words = rest;
        } else {
            break;
        }
    }
    while let Some((last, rest)) = words.split_last() {
        if JOINERS.contains(last) {
            words = rest;
        } else {
            break;
        }
    }
    let inside = !opens_sentence || words.len() < run.len();
    if !words.is_empty() {
        let entry = counts.entry(words.join(" ")).or_insert((0, false, *order));
        entry.0 += 1;
        entry.1 |= inside;
        *order += 1;
    }
    run.clear();
}

/// A starting fact file, and how many entities it lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub text: String,
    /// Entities the corpus knows that the article names.
    pub known: usize,
    /// Capitalised phrases that name nothing known.
    pub candidates: usize,
}

/// The starting fact file `output_name` for the article `article_name`, whose text is `text`;
/// `text_field` is the article's path as the new file names it (relative to its folder).
pub fn draft(
    model: &Model,
    text: &str,
    article_name: &str,
    text_field: &str,
    output_name: &str,
) -> Draft {
    let h = header(text, article_name);
    let body = &text[h.body_start..];
    let id = source_id(h.publisher.as_deref(), h.published.as_deref());
    let (known, spans) = mentions(model, body);
    let mut known_names: Vec<String> = Vec::new();
    for e in &model.entities {
        known_names.push(e.name.to_lowercase());
        known_names.extend(e.aliases().iter().map(|a| a.to_lowercase()));
    }
    let new = candidates(&without(body, spans), &known_names);

    let mut out = String::new();
    let title = h.title.clone().unwrap_or_default();
    let _ = writeln!(
        out,
        "// {output_name}: facts from \"{}\".",
        one_line(&title)
    );
    let _ = writeln!(
        out,
        "// Started by `factgraph new`: check the source record, add entities and facts, then run\n// `factgraph check` on this file. Every quote is copied verbatim from the text (`…` where words of one\n// sentence are left out)."
    );
    out.push_str("(\n    uses: [\"conflict\"],\n\n    sources: [\n        (\n");
    let field = |out: &mut String, name: &str, value: Option<&str>, missing: &str| match value {
        Some(v) => {
            let _ = writeln!(out, "            {name}: \"{}\",", escape(v));
        }
        None => {
            let _ = writeln!(out, "            {name}: \"\", // {missing}");
        }
    };
    field(&mut out, "id", Some(&id), "");
    field(
        &mut out,
        "title",
        h.title.as_deref(),
        "the text names no title",
    );
    field(
        &mut out,
        "publisher",
        h.publisher.as_deref(),
        "the text names no publisher",
    );
    field(
        &mut out,
        "published",
        h.published.as_deref(),
        "the text gives no date: YYYY-MM-DD",
    );
    if let Some(url) = &h.url {
        field(&mut out, "url", Some(url), "");
    }
    field(&mut out, "text", Some(text_field), "");
    out.push_str("        ),\n    ],\n\n");
    known_list(&mut out, &known);
    candidate_list(&mut out, &new);
    out.push_str("    entities: [\n");
    match new.first() {
        Some((phrase, _)) => {
            let _ = writeln!(
                out,
                "        // (id: \"{}\", name: \"{}\", kind: \"place\"), // actor, place, event or thing",
                slug(phrase),
                escape(phrase)
            );
        }
        None => out.push_str(
            "        // (id: \"new_entity\", name: \"New Entity\", kind: \"place\"), // actor, place, event or thing\n",
        ),
    }
    out.push_str("    ],\n\n    facts: [\n");
    // An actor taking a place reads as the example it is meant to be.
    let of_kind = |kind: &str, or: &'static str| {
        known
            .iter()
            .find(|k| k.kind == kind)
            .map_or(or, |k| k.id.as_str())
    };
    let (subject, object) = (
        of_kind("actor", "subject_id"),
        of_kind("place", "object_id"),
    );
    let _ = writeln!(
        out,
        "        // (subject: \"{subject}\", relation: \"captured\", object: \"{object}\", when: \"{}\",\n        //  source: \"{id}\", quote: \"the shortest passage of the text that states the fact\"),",
        h.published.as_deref().unwrap_or("YYYY-MM-DD")
    );
    out.push_str("    ],\n)\n");
    Draft {
        text: out,
        known: known.len(),
        candidates: new.len(),
    }
}

fn known_list(out: &mut String, known: &[Known]) {
    if known.is_empty() {
        out.push_str("    // The corpus knows no entity that the text names.\n\n");
        return;
    }
    let _ = writeln!(
        out,
        "    // Entities the corpus already knows that the text names ({}), by id, ready to cite:",
        known.len()
    );
    let width = known
        .iter()
        .map(|k| k.id.chars().count())
        .max()
        .unwrap_or(0);
    for k in known {
        let found: Vec<String> = k
            .found
            .iter()
            .map(|(name, n)| format!("\"{}\" {n}×", one_line(name)))
            .collect();
        let _ = writeln!(
            out,
            "    //   {:<width$}  {} ({}): {}",
            k.id,
            one_line(&k.name),
            k.kind,
            found.join(", ")
        );
    }
    out.push('\n');
}

fn candidate_list(out: &mut String, new: &[(String, usize)]) {
    if new.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "    // Capitalised phrases that name nothing known: candidate new entities ({}), with their counts:",
        new.len()
    );
    for (phrase, n) in new {
        let _ = writeln!(out, "    //   {} ×{n}", one_line(phrase));
    }
    out.push('\n');
}

/// `Northern Front` -> `northern_front`.
fn slug(phrase: &str) -> String {
    phrase
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("_")
}

/// A value inside a RON string.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Text for a `//` comment: one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes the starting fact file for the article at `article` to `output` (never over an existing
/// file unless `force`, never over the article), citing the entities `graph` knows.
pub fn write(
    graph: &KnowledgeGraph,
    article: &Path,
    output: &Path,
    force: bool,
) -> Result<Draft, Diagnostic> {
    let destination = Destination::new(output)
        .force(force)
        .protect([article], Role::Text);
    destination.check().map_err(|e| e.to_diagnostic())?;
    let text = SourceText::read_kind(article, FileKind::Text)?;
    let text_field = text_field(article, output);
    let article_name = article
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let output_name = output
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let draft = draft(
        &graph.model,
        &text.text,
        &article_name,
        &text_field,
        &output_name,
    );
    destination
        .write_with(|w| w.write_all(draft.text.as_bytes()))
        .map_err(|e| e.to_diagnostic())?;
    Ok(draft)
}

/// The article's path as the new file's `text` field: relative to the new file's folder.
fn text_field(article: &Path, output: &Path) -> String {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let folder = absolute(output)
        .parent()
        .map_or_else(|| Path::new("/").to_path_buf(), Path::to_path_buf);
    crate::load::shown_path(&absolute(article), &folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_gives_the_source_and_the_file_name_fills_gaps() {
        let h = header(
            "Title: Town falls\nPublisher: The Courier\n\nText.",
            "x.txt",
        );
        assert_eq!(h.title.as_deref(), Some("Town falls"));
        assert_eq!(h.publisher.as_deref(), Some("The Courier"));
        assert_eq!(h.published, None);
        let h = header(
            "Syrian government takes town\n\nText.",
            "the-national-2017-08-06-al-sukhna.txt",
        );
        assert_eq!(h.title.as_deref(), Some("Syrian government takes town"));
        assert_eq!(h.publisher.as_deref(), Some("The National"));
        assert_eq!(h.published.as_deref(), Some("2017-08-06"));
        assert_eq!(
            source_id(Some("The National"), Some("2017-08-06")),
            "national-2017-08-06"
        );
    }

    #[test]
    fn capitalised_phrases_skip_openers_and_keep_joined_names() {
        let text =
            "The Northern Front met the Syrian Observatory for Human Rights. Fighters left. \
                    However, the Northern Front stayed.";
        let found = candidates(text, &[]);
        assert_eq!(
            found,
            [
                ("Northern Front".to_string(), 2),
                ("Syrian Observatory for Human Rights".to_string(), 1)
            ]
        );
    }

    #[test]
    fn transliterated_names_keep_their_hyphened_particles() {
        let text =
            "Troops reached the outskirts of Dayr az-Zawr on Friday, then Dayr az-Zawr airport.";
        let found = candidates(text, &[]);
        assert_eq!(found, [("Dayr az-Zawr".to_string(), 2)]);
        // What is left of "Al-Sukhna" once the known "Sukhna" is cut out is not a new name.
        let found = candidates("Fighters recaptured Al- | on Monday.", &[]);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn names_are_found_whole_and_short_capitals_only_in_capitals() {
        assert_eq!(whole_word_matches("isil, isils and isil", "isil"), [0, 16]);
        assert!(whole_word_matches("tell us more", "US").is_empty());
    }
}
