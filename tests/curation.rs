#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Curation warnings on the article graph: it passes `--deny-warnings`, each of its silences hides a
//! warning that would otherwise be listed at its fact, and a reader of the built-in graph is not
//! shown warnings.

mod common;

use common::factgraph;
use std::process::{Command, Output};

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

/// The shell (read from a pipe, as scripts are) run on the built-in graph, with `stdin`.
fn shell(stdin: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

#[test]
fn load_and_reload_show_the_loaded_files_warnings_but_not_the_built_in_graphs() {
    let report = "tests/fixtures/corpus/dupes/fictional-palmyra-report.ron";
    let output = shell(&format!("load {report}\nreload\n"));
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Both loads warn of the duplicates the report declares, as `check` does.
    for warning in [
        "warning: entity `islamic_state_fighters` is probably `isil`",
        "warning: entity `dayr_az_zawr` is probably `deir_ezzor`",
        "warning: 2 curation warnings in the loaded files",
    ] {
        assert_eq!(stderr.matches(warning).count(), 2, "{warning}\n{stderr}");
    }
    // Nothing located in the built-in graph, whose warnings are for its own curators.
    assert!(!stderr.contains("--> graphs/al-sukhna.ron"), "{stderr}");
    assert!(!stderr.contains("more: run"), "{stderr}");
}

#[test]
fn a_load_with_many_warnings_shows_a_handful_and_names_the_check_that_shows_them_all() {
    let dir = std::env::temp_dir().join(format!("factgraph-load-warnings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Seven places and actors the article graph knows under other spellings.
    let names = [
        ("tadmor_town", "tadmur", "place"),
        ("homs_city", "Hims", "place"),
        ("sukhna_town", "As-Sukhnah", "place"),
        ("deir", "Dayr az-Zawr", "place"),
        ("is_fighters", "Islamic State fighters", "actor"),
        ("raqqa_city", "Ar-Raqqah", "place"),
        ("hezbollah_men", "Hizballah", "actor"),
    ];
    let entities: String = names
        .iter()
        .map(|(id, name, kind)| format!("(id: \"{id}\", name: \"{name}\", kind: \"{kind}\"),\n"))
        .collect();
    let file = dir.join("fictional-many names.ron");
    std::fs::write(&file, format!("(entities: [\n{entities}])\n")).unwrap();
    let output = shell(&format!("load \"{}\"\n", file.display()));
    let check = factgraph(&["check", "graphs/al-sukhna.ron", file.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let all = String::from_utf8_lossy(&check.stderr);
    let listed = |text: &str| text.matches("warning: entity `").count();
    let total = listed(&all);
    assert!(total > 5, "{all}");
    assert_eq!(listed(&stderr), 5, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "warning: {total} curation warnings in the loaded files\n = help: {} more: run \
             `factgraph check graphs/al-sukhna.ron '{}'`",
            total - 5,
            file.display()
        )),
        "{stderr}"
    );
}
