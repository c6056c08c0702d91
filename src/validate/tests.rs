use super::*;

fn errors(text: &str) -> Vec<Diagnostic> {
    load(&[SourceText::new("t.ron", text)], &[]).unwrap_err()
}

#[test]
fn each_repeat_of_a_fact_cites_the_one_before() {
    let fact = r#"(subject: "a", relation: "r", object: "b", source: "s", quote: "q"),"#;
    let text = format!(
        "(sources: [(id: \"s\", title: \"t\", publisher: \"p\", published: \"2017\")],\n\
         relations: [(name: \"r\")],\n\
         entities: [(id: \"a\", name: \"A\", kind: \"actor\"), (id: \"b\", name: \"B\", kind: \"place\")],\n\
         facts: [\n{fact}\n{fact}\n(subject: \"a\", relation: \"r\", object: \"b\", source: \"s\", quote: \"q\", reported_by: [\"zz\"]),\n{fact}\n])"
    );
    let errors = errors(&text);
    let notes: Vec<(usize, &str)> = errors
        .iter()
        .map(|d| {
            (
                d.location.as_ref().unwrap().line,
                d.notes.first().map_or(d.message.as_str(), String::as_str),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            (6, "first stated at t.ron:5"),
            (7, "first stated at t.ron:6"),
            (7, "unknown entity `zz`"),
            (8, "first stated at t.ron:7"),
        ]
    );
}

#[test]
fn an_alias_clashes_with_entities_declared_before_the_first_alias() {
    let text = r#"(entities: [
        (id: "a", name: "Alpha", kind: "actor"),
        (id: "b", name: "Beta", kind: "actor", aliases: ["ALPHA", "Gamma"]),
        (id: "c", name: "C", kind: "actor", aliases: ["gamma", "b"]),
    ])"#;
    let messages: Vec<String> = errors(text).into_iter().map(|d| d.message).collect();
    assert_eq!(
        messages,
        [
            "alias `ALPHA` is already claimed by entity `a`",
            "alias `gamma` is already claimed by entity `b`",
            "alias `b` is already claimed by entity `b`",
        ]
    );
}

#[test]
fn a_fact_the_fast_reader_cannot_read_sends_the_whole_load_to_ron() {
    let text = r#"(sources: [(id: "s", title: "t", publisher: "p", published: "2017")],
        relations: [(name: "r")],
        entities: [(id: "a", name: "A", kind: "actor"), (id: "b", name: "B", kind: "place")],
        facts: [
            (subject: "a", relation: "r", object: "b", source: "s", quote: "q"),
            (subject: "b", /* block comments are left to ron */ relation: "r", object: "a",
             source: "s", quote: "q ( ) \" //"),
        ])"#;
    let model = load(&[SourceText::new("t.ron", text)], &[]).unwrap();
    assert_eq!(model.facts().len(), 2);
    assert_eq!(model.facts()[1].origin.line, 6);
    assert_eq!(model.quote(FactId(1)), "q ( ) \" //");
    let bad = text.replace(
        "relation: \"r\", object: \"a\"",
        "relation: \"rr\", object: \"a\"",
    );
    let errors = errors(&bad);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message, "unknown relation `rr`");
    assert_eq!(errors[0].position().unwrap(), "t.ron:6:75");
}

/// Enough facts for several chunks on each thread of the parallel path.
const FACTS: usize = 40_000;

/// A file for the parallel path, optionally with one bad line at `bad`.
fn big(bad: Option<(usize, &str)>) -> String {
    let mut text = String::from(
        "(sources: [(id: \"s\", title: \"t\", publisher: \"p\", published: \"2017\")],\n\
         relations: [(name: \"r\", domain: [\"actor\"]), (name: \"q\")],\n\
         entities: [(id: \"p0\", name: \"P\", kind: \"place\"),",
    );
    for e in 0..1000 {
        text += &format!("(id: \"e{e}\", name: \"E{e}\", kind: \"actor\"),");
    }
    text += "],\nfacts: [\n";
    for i in 0..FACTS {
        match bad {
            Some((at, line)) if at == i => text += line,
            _ => {
                text += &format!(
                    "(subject: \"e{}\", relation: \"r\", object: \"e{}\", when: \"{}\", source: \"s\", quote: \"q\"),\n",
                    i % 1000,
                    (i % 1000 + 1 + i / 1000 % 999) % 1000,
                    ["2017", "2018-03", "since 2016"][i % 3]
                )
            }
        }
    }
    text + "])"
}

#[test]
fn the_parallel_path_gives_the_same_model_and_the_same_diagnostics() {
    let clean = [SourceText::new("t.ron", big(None))];
    let parallel = load_with(&clean, &[], FactDriver::Parallel).unwrap();
    let sequential = load_with(&clean, &[], FactDriver::Sequential).unwrap();
    assert_eq!(format!("{parallel:?}"), format!("{sequential:?}"));
    let late = FACTS - 5;
    for (at, line) in [
        (late, "(subject: \"e1\", relation: \"r\", object: \"zz\", source: \"s\", quote: \"q\"),\n"),
        (7, "(subject: \"p0\", relation: \"r\", object: \"e1\", source: \"s\", quote: \"q\"),\n"),
        (late, "(subject: \"e0\", relation: \"r\", object: \"e0\", when: \"2017\", source: \"s\", quote: \"q\"),\n"),
        (late, "(subject: \"e0\", relation: \"r\", object: \"e1\", when: \"2017\", source: \"s\", quote: \"q\"),\n"),
        (late, "(subject: \"e1\", relation: \"q\", object: \"e0\", when: \"2018-13\", source: \"s\", quote: \"q\"),\n"),
    ] {
        let files = [SourceText::new("t.ron", big(Some((at, line))))];
        let sequential = load_with(&files, &[], FactDriver::Sequential).unwrap_err();
        // The parallel path hands over to the sequential one at the first fact with a problem.
        let result = load_with(&files, &[], FactDriver::Parallel);
        assert_eq!(result.unwrap_err(), sequential, "{line}");
        let parallel = load(&files, &[]).unwrap_err();
        assert!(!parallel.is_empty());
        assert_eq!(parallel, sequential, "{line}");
    }
}
