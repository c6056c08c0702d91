//! The fast reader must agree with ron wherever it accepts a file, and give up wherever ron fails.

use super::*;
use crate::fact_file::{parse_with_ron, FactFile, SourceText};
use proptest::prelude::*;

/// The fast reader's reading of `text`, with lists from `split_bytes` before the end delimited on
/// two threads.
fn fast_parse_splitting(text: &str, split_bytes: usize) -> Option<FactFile> {
    let scan = scan_splitting(text, split_bytes)?;
    let facts = scan
        .facts
        .iter()
        .map(|&start| {
            fact_at(text, start).map(|f| Spanned {
                value: f.value.into_record(),
                span: f.span,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let entities = scan
        .entities
        .iter()
        .map(|&start| entity_at(text, start))
        .collect::<Option<Vec<_>>>()?;
    Some(FactFile {
        uses: scan.uses,
        sources: scan.sources,
        relations: scan.relations,
        entities,
        facts,
    })
}

/// Agreement: accepted by the fast path implies accepted by ron with equal records and spans.
fn agrees(text: &str) -> Result<bool, String> {
    agrees_splitting(text, split::SPLIT_BYTES)
}

fn agrees_splitting(text: &str, split_bytes: usize) -> Result<bool, String> {
    let Some(fast) = fast_parse_splitting(text, split_bytes) else {
        return Ok(false);
    };
    match parse_with_ron(&SourceText::new("t.ron", text)) {
        Ok(slow) if slow == fast => Ok(true),
        Ok(slow) => Err(format!("different records:\n{fast:?}\n{slow:?}")),
        Err(e) => Err(format!("fast path accepted what ron rejects: {e:?}")),
    }
}

const RICH: &str = "\u{feff}// a comment\n(\n  uses: [\"conflict\", ],\n  sources: [(id: \"s\", title: \"T \\\"q\\\"\", publisher: \"P\",\n    published: \"2017-08-07\", url: \"http://x\", reliability: \"B\",),],\n  relations: [\n    (name: \"r\", inverse: \"r_by\", symmetric: false, domain: [\"actor\", ], range: [],\n     broader: \"q\", description: \"d\\n\", starts_state: \"c\", ends_state: \"e\", self_loops: true, contradicts: [\"q\"]),\n    (name: \"q\"), // trailing\n  ],\n  entities: [(id: \"a\", name: \"\u{1e24}ims \\u{e9}\", kind: \"place\", aliases: [\"x\", \"y\"], tags: [],\n              attributes: {\"k\": \"v\", \"k2\": \"v\\\\2\"}, shared_names: [\"B\"], same_as: [\"c\"]), (id: \"b\", name: \"B\", kind: \"actor\")],\n  facts: [\n    (subject: \"a\", relation: \"r\", object: \"b\", when: \"since 2015\", source: \"s\",\n     quote: \"it\\'s \\t here\", reported_by: [\"b\"], note: \"n\", credibility: 2),\n    (quote: \"\", source: \"s\", object: \"a\", relation: \"q\", subject: \"b\",)\n  ],\n)\n";

#[test]
fn the_fast_path_reads_every_field_exactly_as_ron_does() {
    assert_eq!(agrees(RICH), Ok(true));
    // The bundled graph and the shipped vocabularies must take the fast path.
    assert_eq!(
        agrees(crate::bundled::BUNDLED_TEXT),
        Ok(true),
        "the bundled graph must take the fast path"
    );
    for v in crate::vocabulary::all() {
        assert_eq!(agrees(&v.text.text), Ok(true), "{}", v.name);
    }
}

#[test]
fn the_fast_path_gives_up_on_what_ron_rejects() {
    let base =
        "(facts: [(subject: \"a\", relation: \"r\", object: \"b\", source: \"s\", quote: \"q\")])";
    let variants = [
        base.replace("quote: \"q\"", "quote: \"q\", quote: \"q\""),
        base.replace("quote", "quot"),
        base.replace(", quote: \"q\"", ""),
        base.replace("\"q\"", "3"),
        base.replace("\"q\"", "\"q\\x\""),
        base.replace("\"q\"", "\"q\\u{d800}\""),
        base.replace("[(", "[,("),
        base.replace(")])", "),,])"),
        format!("{base} x"),
        format!("{base} // unclosed"),
        format!("{base} /* block */"),
        base.replace("(facts", "Lists(facts"),
        base.replace("(subject", "Fact(subject"),
        "()".to_string(),
        "(relations: [(name: \"r\", symmetric: truex)])".to_string(),
        "(relations: [(name: \"r\", self_loops: 1)])".to_string(),
        "(entities: [(id: \"a\", name: \"A\", kind: \"thing\", attributes: {\"k\": 1})])"
            .to_string(),
        base.replace("(facts", "(facts: [], facts"),
    ];
    for v in &variants {
        assert!(agrees(v).is_ok(), "{v}: {:?}", agrees(v));
    }
    assert_eq!(agrees(base), Ok(true));
}

#[test]
fn every_bad_input_is_left_to_ron_or_read_identically() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                assert!(
                    agrees(&text).is_ok(),
                    "{}: {:?}",
                    path.display(),
                    agrees(&text)
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    /// Random edits of a rich file: whatever the fast path accepts, ron accepts identically.
    #[test]
    fn random_edits_never_make_the_paths_disagree(
        edits in proptest::collection::vec((0usize..1000, 0usize..4, proptest::char::any()), 1..4)
    ) {
        let mut text: Vec<char> = RICH.chars().collect();
        for (at, op, c) in edits {
            let at = at % (text.len() + 1);
            match op {
                0 if at < text.len() => { text.remove(at); }
                1 => text.insert(at, c),
                2 => text.insert(at, ['"', '\\', ',', '(', ')', '[', ']', '/', ':', ' '][at % 10]),
                _ if at < text.len() => text[at] = c,
                _ => {}
            }
        }
        let text: String = text.into_iter().collect();
        prop_assert!(agrees(&text).is_ok(), "{:?}", agrees(&text));
    }
}

/// Pieces random strings are made of: what a reader could mistake for structure (quotes,
/// parentheses, `),`, comment starts, a line starting a record), escapes, and non-ASCII text.
const PIECES: &[&str] = &[
    "a",
    "Z",
    " ",
    "(",
    ")",
    "),",
    "\n  (",
    "//",
    "/",
    ":",
    ",",
    "[",
    "]",
    "{",
    "}",
    "\\\"",
    "\\\\",
    "\\n",
    "\\t",
    "\\r",
    "\\0",
    "\\'",
    "\\u{e9}",
    "\\u{1F600}",
    "\\u{000041}",
    "\n",
    "\t",
    "\u{e9}",
    "\u{8a9e}",
    "\u{1F600}",
    "\u{200b}",
    "\u{feff}",
];

/// What may stand between tokens, comments included.
const BLANKS: &[&str] = &[
    "",
    " ",
    "\n",
    "\n    ",
    "\t",
    "\r\n",
    " // note ( \" ),\n",
    "\n// [\n",
];

fn blank() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(BLANKS)
}

/// A string literal as a file writes it.
fn literal() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 0..6)
        .prop_map(|pieces| format!("\"{}\"", pieces.concat()))
}

/// The kinds of value a field holds.
#[derive(Clone, Copy)]
enum V {
    Text,
    Texts,
    Pairs,
    Map,
    Bool,
    /// A small integer as curators write grades, or a larger one.
    Int,
}

fn value(kind: V) -> BoxedStrategy<String> {
    let list = |items: Vec<String>, open: &str, close: &str, comma: bool| {
        let comma = if comma && !items.is_empty() { "," } else { "" };
        format!("{open}{}{comma}{close}", items.join(", "))
    };
    match kind {
        V::Text => literal().boxed(),
        V::Int => prop_oneof![0u64..10, 0u64..1_000_000_000_000_000_000]
            .prop_map(|n| n.to_string())
            .boxed(),
        V::Texts => (proptest::collection::vec(literal(), 0..3), any::<bool>())
            .prop_map(move |(v, comma)| list(v, "[", "]", comma))
            .boxed(),
        V::Pairs => (
            proptest::collection::vec((literal(), literal()), 0..3),
            any::<bool>(),
        )
            .prop_map(move |(v, comma)| {
                let pairs = v.iter().map(|(a, b)| format!("({a}, {b})")).collect();
                list(pairs, "[", "]", comma)
            })
            .boxed(),
        V::Map => (
            proptest::collection::vec((literal(), literal()), 0..3),
            any::<bool>(),
        )
            .prop_map(move |(v, comma)| {
                let pairs = v.iter().map(|(a, b)| format!("{a}: {b}")).collect();
                list(pairs, "{", "}", comma)
            })
            .boxed(),
        V::Bool => any::<bool>().prop_map(|b| b.to_string()).boxed(),
    }
}

/// A record with its required fields and some of the others, in random order, with random blanks
/// and an optional trailing comma.
fn record(fields: &'static [(&'static str, bool, V)]) -> impl Strategy<Value = String> {
    let fields: Vec<_> = fields
        .iter()
        .map(|&(name, required, kind)| {
            (value(kind), blank(), proptest::bool::weighted(0.6)).prop_map(
                move |(value, blank, keep)| {
                    (keep || required).then(|| format!("{name}:{blank}{value}"))
                },
            )
        })
        .collect();
    fields
        .prop_map(|fields| fields.into_iter().flatten().collect::<Vec<_>>())
        .prop_shuffle()
        .prop_flat_map(|fields| (Just(fields), blank(), any::<bool>()))
        .prop_map(|(fields, blank, comma)| {
            let comma = if comma && !fields.is_empty() { "," } else { "" };
            format!("({}{comma}{blank})", fields.join(&format!(",{blank}")))
        })
}

const SOURCE: &[(&str, bool, V)] = &[
    ("id", true, V::Text),
    ("title", true, V::Text),
    ("publisher", true, V::Text),
    ("published", true, V::Text),
    ("url", false, V::Text),
    ("text", false, V::Text),
    ("reliability", false, V::Text),
];
const RELATION: &[(&str, bool, V)] = &[
    ("name", true, V::Text),
    ("inverse", false, V::Text),
    ("symmetric", false, V::Bool),
    ("domain", false, V::Texts),
    ("range", false, V::Texts),
    ("broader", false, V::Text),
    ("description", false, V::Text),
    ("starts_state", false, V::Text),
    ("ends_state", false, V::Text),
    ("self_loops", false, V::Bool),
    ("hedged", false, V::Bool),
    ("contradicts", false, V::Texts),
];
const ENTITY: &[(&str, bool, V)] = &[
    ("id", true, V::Text),
    ("name", true, V::Text),
    ("kind", true, V::Text),
    ("aliases", false, V::Texts),
    ("tags", false, V::Texts),
    ("attributes", false, V::Map),
    ("shared_names", false, V::Texts),
    ("same_as", false, V::Texts),
    ("not_same_as", false, V::Texts),
];
const FACT: &[(&str, bool, V)] = &[
    ("subject", true, V::Text),
    ("relation", true, V::Text),
    ("object", true, V::Text),
    ("when", false, V::Text),
    ("source", true, V::Text),
    ("quote", true, V::Text),
    ("reported_by", false, V::Texts),
    ("note", false, V::Text),
    ("accept", false, V::Pairs),
    ("credibility", false, V::Int),
];

/// `name: [...]`, records one a line as generated files have them, or run together.
fn list_of(
    name: &'static str,
    fields: &'static [(&'static str, bool, V)],
    most: usize,
) -> impl Strategy<Value = String> {
    let item = (record(fields), blank(), any::<bool>());
    (proptest::collection::vec(item, 0..most), any::<bool>()).prop_map(move |(items, comma)| {
        let items: Vec<_> = items
            .iter()
            .map(|(r, b, line)| format!("{}{r}{b}", if *line { "\n    " } else { "" }))
            .collect();
        let comma = if comma && !items.is_empty() { "," } else { "" };
        format!("{name}: [{}{comma}\n  ]", items.join(","))
    })
}

/// A whole fact file: some of the four lists, in random order, maybe after a BOM.
fn fact_file() -> impl Strategy<Value = String> {
    let lists = (
        list_of("sources", SOURCE, 3),
        list_of("relations", RELATION, 3),
        list_of("entities", ENTITY, 4),
        list_of("facts", FACT, 12),
        value(V::Texts).prop_map(|names| format!("uses: {names}")),
    );
    let keep = proptest::collection::vec(proptest::bool::weighted(0.8), 5);
    (lists, keep, blank(), blank(), any::<bool>())
        .prop_map(|((s, r, e, f, u), keep, before, after, bom)| {
            let lists = [s, r, e, f, u];
            // `()` is left to ron: keep the facts when nothing else is kept.
            let all_dropped = !keep.contains(&true);
            let kept = lists.into_iter().zip(keep).enumerate();
            let kept: Vec<_> = kept
                .filter(|(k, (_, keep))| *keep || (all_dropped && *k == 3))
                .map(|(_, (list, _))| list)
                .collect();
            let bom = if bom { "\u{feff}" } else { "" };
            (kept, format!("{bom}{before}"), after)
        })
        .prop_flat_map(|(kept, before, after)| {
            (Just(kept).prop_shuffle(), Just(before), Just(after))
        })
        .prop_map(|(kept, before, after)| format!("{before}({}){after}", kept.join(",\n  ")))
}

/// Random edits of `text`: deletions, insertions of any character or of one that means
/// something to a reader, and replacements.
fn edit(text: &str, edits: &[(usize, usize, char)]) -> String {
    let mut text: Vec<char> = text.chars().collect();
    for &(at, op, c) in edits {
        let at = at % (text.len() + 1);
        match op {
            0 if at < text.len() => {
                text.remove(at);
            }
            1 => text.insert(at, c),
            2 => text.insert(at, ['"', '\\', ',', '(', ')', '\n', '/', ':', ' '][at % 9]),
            _ if at < text.len() => text[at] = c,
            _ => {}
        }
    }
    text.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]
    /// Random files, as written and randomly edited: whatever the fast reader accepts, ron reads
    /// to the same records and spans, whether or not its lists are delimited on two threads.
    #[test]
    fn the_fast_reader_and_ron_agree_on_random_files(
        file in fact_file(),
        edits in proptest::collection::vec((0usize..4000, 0usize..4, any::<char>()), 0..4),
    ) {
        let text = edit(&file, &edits);
        let one = agrees(&text);
        prop_assert!(one.is_ok(), "{:?}", one);
        // Split wherever possible, even at a line inside a string.
        let two = agrees_splitting(&text, 0);
        prop_assert!(two.is_ok(), "{:?}", two);
        prop_assert_eq!(one, two, "splitting changed whether the fast reader accepts");
    }

    /// Unedited random files are almost all read by the fast reader: it is not agreeing by
    /// giving up.
    #[test]
    fn the_fast_reader_takes_well_formed_files(file in fact_file()) {
        prop_assert_eq!(agrees(&file), Ok(true), "{}", file);
    }
}
