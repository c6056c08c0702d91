//! The fast reader must agree with ron wherever it accepts a file, and give up wherever ron fails.

use super::*;
use crate::fact_file::{parse_with_ron, FactFile, SourceText};
use proptest::prelude::*;

fn fast_parse(text: &str) -> Option<FactFile> {
    let scan = scan(text)?;
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
        uses: Vec::new(),
        sources: scan.sources,
        relations: scan.relations,
        entities,
        facts,
    })
}

/// Agreement: accepted by the fast path implies accepted by ron with equal records and spans.
fn agrees(text: &str) -> Result<bool, String> {
    let Some(fast) = fast_parse(text) else {
        return Ok(false);
    };
    match parse_with_ron(&SourceText::new("t.ron", text)) {
        Ok(slow) if slow == fast => Ok(true),
        Ok(slow) => Err(format!("different records:\n{fast:?}\n{slow:?}")),
        Err(e) => Err(format!("fast path accepted what ron rejects: {e:?}")),
    }
}

const RICH: &str = "\u{feff}// a comment\n(\n  sources: [(id: \"s\", title: \"T \\\"q\\\"\", publisher: \"P\",\n    published: \"2017-08-07\", url: \"http://x\",),],\n  relations: [\n    (name: \"r\", inverse: \"r_by\", symmetric: false, domain: [\"actor\", ], range: [],\n     broader: \"q\", description: \"d\\n\", starts_state: \"c\", ends_state: \"e\", self_loops: true),\n    (name: \"q\"), // trailing\n  ],\n  entities: [(id: \"a\", name: \"\u{1e24}ims \\u{e9}\", kind: \"place\", aliases: [\"x\", \"y\"], tags: [],\n              attributes: {\"k\": \"v\", \"k2\": \"v\\\\2\"}, shared_names: [\"B\"]), (id: \"b\", name: \"B\", kind: \"actor\")],\n  facts: [\n    (subject: \"a\", relation: \"r\", object: \"b\", when: \"since 2015\", source: \"s\",\n     quote: \"it\\'s \\t here\", reported_by: [\"b\"], note: \"n\"),\n    (quote: \"\", source: \"s\", object: \"a\", relation: \"q\", subject: \"b\",)\n  ],\n)\n";

#[test]
fn the_fast_path_reads_every_field_exactly_as_ron_does() {
    assert_eq!(agrees(RICH), Ok(true));
    // The bundled graph names its vocabulary, which the fast path leaves to ron; the rest of it
    // and the vocabulary itself must take the fast path.
    let bundled = crate::load::BUNDLED_TEXT.replacen("uses: [\"conflict\"],", "", 1);
    assert_eq!(
        agrees(&bundled),
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
