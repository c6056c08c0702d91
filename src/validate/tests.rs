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
    assert_eq!(model.facts.len(), 2);
    assert_eq!(model.facts[1].origin.line, 6);
    assert_eq!(&*model.facts[1].quote, "q ( ) \" //");
    let bad = text.replace(
        "relation: \"r\", object: \"a\"",
        "relation: \"rr\", object: \"a\"",
    );
    let errors = errors(&bad);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message, "unknown relation `rr`");
    assert_eq!(errors[0].position().unwrap(), "t.ron:6:75");
}
