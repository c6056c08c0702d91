#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Curation warnings on the article graph: it passes `--deny-warnings`, each of its silences hides a
//! warning that would otherwise be listed at its fact, and a reader of the built-in graph is not
//! shown warnings.

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
fn the_article_graph_passes_deny_warnings_and_each_silence_hides_a_real_warning() {
    let output = factgraph(&["check", "--deny-warnings", "graphs/al-sukhna.ron"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    // Without its `accept` lines, the file warns once for each, each at a fact.
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs/al-sukhna.ron"),
    )
    .unwrap();
    let accepts = text.matches("\n         accept: [").count();
    assert!(accepts > 0);
    let unsilenced = text.replace(",\n         accept: [", ", unused: [");
    let unsilenced: String = unsilenced
        .lines()
        .map(|l| match l.find(", unused: [") {
            Some(at) => format!("{}),\n", &l[..at].trim_end_matches(')')),
            None => format!("{l}\n"),
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("factgraph-curation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // The copy names its article's text as the original does: beside it, in sources/.
    let (article, article_text) = factgraph::load::BUNDLED_ARTICLE;
    let article = dir.join(article.trim_start_matches("graphs/"));
    std::fs::create_dir_all(article.parent().unwrap()).unwrap();
    std::fs::write(article, article_text).unwrap();
    let copy = dir.join("unsilenced.ron");
    std::fs::write(&copy, unsilenced).unwrap();
    let output = factgraph(&["check", copy.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let facts_start = text.lines().position(|l| l.trim() == "facts: [").unwrap();
    let mut listed = 0;
    let mut shown = stderr.lines();
    while let Some(line) = shown.next() {
        if !line.starts_with("warning: ") || line.contains(" curation warning") {
            continue;
        }
        listed += 1;
        let at = shown.next().unwrap().trim_start();
        let place = at.rsplit("unsilenced.ron:").next().unwrap();
        let number: usize = place.split(':').next().unwrap().parse().unwrap();
        assert!(number > facts_start, "{line} at {place} is not in a fact");
    }
    assert_eq!(listed, accepts, "{stderr}");
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
