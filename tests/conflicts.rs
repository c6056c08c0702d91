#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Conflicts across sources and the Admiralty grades: `check --conflicts` fails on the article
//! beside a fictional paper that contradicts it and passes on the article alone; grades are
//! validated where they are written, shown in evidence and filterable.

mod common;

use std::path::PathBuf;

use common::factgraph;
use std::process::Output;

const ARTICLE: &str = "graphs/al-sukhna.ron";
const COURIER: &str = "tests/fixtures/corpus/conflicts/fictional-desert-courier.ron";

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn check_conflicts_fails_on_a_contradicting_source_and_names_both_sides() {
    let output = factgraph(&["check", "--conflicts", ARTICLE, COURIER]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let err = stderr(&output);
    for kind in [
        "held_already",
        "two_holders",
        "disjoint_dates",
        "contradictory",
        "after_publication",
    ] {
        assert!(err.contains(kind), "no {kind} in:\n{err}");
    }
    assert!(err.contains("error: 5 conflicts found"), "{err}");
    // Each pair names both sources with publisher and date, and points at the fixture's fact.
    assert!(err.contains("national: The National, published 2017-08-06"));
    assert!(
        err.contains("fictional_courier: The Fictional Desert Courier [D5], published 2017-08-10")
    );
    assert!(err.contains(&format!("--> {COURIER}:22:9")), "{err}");
    assert!(err.contains("\"ISIL fighters recaptured Tadmor in December\""));
    assert!(err.contains("in May 2015 overran Tadmor"));
}

#[test]
fn the_article_alone_has_no_conflicts() {
    let output = factgraph(&["check", "--conflicts", ARTICLE]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("ok: "));
    let output = factgraph(&["query", "conflicts"]);
    assert_eq!(stdout(&output), "Conflicts: none\n");
}

#[test]
fn without_the_flag_check_accepts_conflicting_sources() {
    let output = factgraph(&["check", ARTICLE, COURIER]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// Papers that repeat the article's recapture of Al Sukhna, on its day, agree with it: neither
/// `check --conflicts` nor `show` may call them rivals of the spell they confirm.
#[test]
fn sources_repeating_a_capture_on_its_day_are_not_in_conflict() {
    const AGREES: &str = "tests/fixtures/corpus/conflicts/fictional-sukhna-agrees.ron";
    let output = factgraph(&["check", "--conflicts", ARTICLE, AGREES]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = factgraph(&["-g", ARTICLE, "-g", AGREES, "query", "show \"Al Sukhna\""]);
    let text = stdout(&output);
    assert!(
        text.contains("again 2017-08-06 (captured), again 2017-08-06..2017-08-19 (held)"),
        "{text}"
    );
    assert!(!text.contains("contested"), "{text}");
    // A capture by the holder long after its spell began is still one.
    let output = factgraph(&["check", "--conflicts", ARTICLE, COURIER, AGREES]);
    assert!(
        stderr(&output).contains("error: 5 conflicts found"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn conflicts_follow_the_time_clauses_and_the_entity() {
    let graphs = ["-g", ARTICLE, "-g", COURIER, "query", "--format", "json"];
    let count = |query: &str| {
        let output = factgraph(&[&graphs[..], &[query]].concat());
        let answer: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        answer["conflicts"].as_array().unwrap().len()
    };
    assert_eq!(count("conflicts"), 5);
    assert_eq!(count("conflicts Talbiseh"), 1);
    assert_eq!(count("conflicts Homs"), 0);
    // ISIL's hold began before 2016 and is still replayed within it.
    assert_eq!(count("conflicts during 2016"), 1);
    // Before the fictional paper appeared, nothing contradicted the article.
    assert_eq!(count("conflicts reported 2017-08-08"), 0);
}

#[test]
fn grades_show_in_evidence_and_filter_matches() {
    let args = ["-g", ARTICLE, "-g", COURIER, "query"];
    let output = factgraph(
        &[
            &args[..],
            &["match ?a brokered ?t as ?f where ?f.credibility <= 3"],
        ]
        .concat(),
    );
    let text = stdout(&output);
    assert!(text.contains("1 match:"), "{text}");
    assert!(
        text.contains("The Fictional Desert Courier [D3], 2017-08-10"),
        "{text}"
    );
    let output = factgraph(
        &[
            &args[..],
            &["match ?a held ?p as ?f where ?f.reliability = D"],
        ]
        .concat(),
    );
    assert!(stdout(&output).contains("Talbiseh"), "{}", stdout(&output));
    let output = factgraph(
        &[
            &args[..],
            &[
                "--format",
                "tsv",
                "match ?a held Talbiseh as ?f where ?f.reliability in [A, D]",
            ],
        ]
        .concat(),
    );
    let text = stdout(&output);
    let mut lines = text.lines();
    let headers: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let row: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let column = |name: &str| headers.iter().position(|h| *h == name).unwrap();
    assert_eq!(row[column("reliability")], "D");
    assert_eq!(row[column("credibility")], "4");
}

/// A scratch fact file beside the article, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn scratch(name: &str, text: &str) -> Scratch {
    let path = std::env::temp_dir().join(format!("factgraph-{name}-{}.ron", std::process::id()));
    std::fs::write(&path, text).unwrap();
    Scratch(path)
}

#[test]
fn bad_grades_and_contradicts_are_reported_where_they_are_written() {
    let file = scratch(
        "bad-grades",
        r#"(
    sources: [(id: "s", title: "T (fictional)", publisher: "P", published: "2017", reliability: "G")],
    relations: [(name: "said", contradicts: ["unsaid", "said"]), (name: "denied2", contradicts: ["sayd"])],
    entities: [(id: "a", name: "A", kind: "actor"), (id: "b", name: "B", kind: "actor")],
    facts: [(subject: "a", relation: "said", object: "b", source: "s", quote: "A", credibility: 7)],
)"#,
    );
    let path = file.0.to_str().unwrap();
    let output = factgraph(&["check", path]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("unknown reliability `G`"), "{err}");
    assert!(err.contains(&format!("{path}:2:97")), "{err}");
    assert!(err.contains("A completely reliable"), "{err}");
    assert!(err.contains("unknown relation `unsaid`"), "{err}");
    assert!(
        err.contains("relation `said` cannot contradict `said`"),
        "{err}"
    );
    assert!(err.contains("did you mean `said`?"), "{err}");
    assert!(err.contains("unknown credibility `7`"), "{err}");
    assert!(err.contains(&format!("{path}:5:97")), "{err}");
    assert!(err.contains("1 confirmed"), "{err}");
}
