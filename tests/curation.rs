#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Curation warnings on the article graph as it stands: each is listed at a fact of the file, the
//! count agrees with the list, `--deny-warnings` fails exactly when there are any, and a reader of
//! the built-in graph is not shown them.

use std::process::{Command, Output};

fn factgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn the_article_graphs_warnings_are_listed_each_at_a_fact() {
    let output = factgraph(&["check", "graphs/al-sukhna.ron"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("ok: "));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs/al-sukhna.ron"),
    )
    .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let facts_start = lines.iter().position(|l| l.trim() == "facts: [").unwrap();
    let mut listed = 0;
    let mut shown = stderr.lines().peekable();
    while let Some(line) = shown.next() {
        if !line.starts_with("warning: ") || line.contains(" curation warning") {
            continue;
        }
        listed += 1;
        let at = shown.next().unwrap().trim_start();
        let place = at.strip_prefix("--> graphs/al-sukhna.ron:").unwrap();
        let number: usize = place.split(':').next().unwrap().parse().unwrap();
        assert!(number > facts_start, "{line} at {place} is not in a fact");
    }
    let summary = stderr.lines().find(|l| l.contains(" curation warning"));
    match listed {
        0 => assert!(summary.is_none(), "{stderr}"),
        n => assert!(
            summary
                .unwrap()
                .starts_with(&format!("warning: {n} curation warning")),
            "{stderr}"
        ),
    }
    let denied = factgraph(&["check", "--deny-warnings", "graphs/al-sukhna.ron"]);
    let expected = if listed == 0 { 0 } else { 1 };
    assert_eq!(denied.status.code(), Some(expected));
}

#[test]
fn a_reader_of_the_built_in_graph_is_not_shown_its_warnings() {
    let output = factgraph(&["query", "stats"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn a_named_file_warns_on_every_load_and_still_answers() {
    let output = factgraph(&["-g", "tests/bad/warn-hedged.ron", "query", "stats"]);
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning: hedged wording `could`"),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&output.stdout).is_empty());
}
