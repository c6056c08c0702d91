#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Curation warnings on the article graph: it passes `--deny-warnings`, each of its silences hides a
//! warning that would otherwise be listed at its fact, and a reader of the built-in graph is not
//! shown warnings.

mod common;

use common::factgraph;
use std::process::Output;

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
    let (article, article_text) = factgraph::bundled::BUNDLED_ARTICLE;
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
        stderr.contains("warning: 2 curation warnings in the loaded files")
            && stderr.contains("run `factgraph check tests/bad/warn-hedged.ron` to read them"),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&output.stdout).is_empty());
    // The check it names shows them.
    let check = factgraph(&["check", "tests/bad/warn-hedged.ron"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        stderr.contains("warning: hedged wording `could`"),
        "{stderr}"
    );
}

/// The shell (read from a pipe, as scripts are) run on the built-in graph, with `stdin`.
fn shell(stdin: &str) -> Output {
    common::factgraph_in(&common::root(), &[], stdin)
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

/// A fictional file of seven places and actors the article graph knows under other spellings, in
/// a fresh folder, with a space in its name.
fn many_duplicates(dir: &std::path::Path) -> std::path::PathBuf {
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
    file
}

/// Asserts that `stderr` shows five of the `total` warnings that `check` lists, then the count and
/// the `check` command that lists them all.
fn shows_a_handful(stderr: &str, total: usize, file: &std::path::Path) {
    let listed = stderr.matches("warning: entity `").count();
    assert_eq!(listed, 5, "{stderr}");
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

#[test]
fn a_load_with_many_warnings_shows_a_handful_and_names_the_check_that_shows_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let file = many_duplicates(dir.path());
    let output = shell(&format!("load \"{}\"\n", file.display()));
    let check = factgraph(&["check", "graphs/al-sukhna.ron", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let all = String::from_utf8_lossy(&check.stderr);
    let total = all.matches("warning: entity `").count();
    assert!(total > 5, "{all}");
    shows_a_handful(&String::from_utf8_lossy(&output.stderr), total, &file);
}

#[test]
fn files_named_at_startup_warn_as_load_does() {
    let dir = tempfile::tempdir().unwrap();
    // Seven facts whose quotes name neither end: seven curation warnings.
    let facts: String = (1..=7)
        .map(|i| format!("(subject: \"a\", relation: \"r\", object: \"b\", when: \"2017-07-0{i}\", source: \"s\", quote: \"q{i}\"),\n"))
        .collect();
    let file = dir.path().join("fictional-seven quotes.ron");
    std::fs::write(
        &file,
        format!(
            "(sources: [(id: \"s\", title: \"T (fictional)\", publisher: \"P\", published: \"2017-08-06\")],\n\
             relations: [(name: \"r\")],\n\
             entities: [(id: \"a\", name: \"Alpha\", kind: \"actor\"), (id: \"b\", name: \"Beta\", kind: \"actor\")],\n\
             facts: [\n{facts}])\n"
        ),
    )
    .unwrap();
    let script = dir.path().join("stats.kgq");
    std::fs::write(&script, "stats\n").unwrap();
    let check = factgraph(&["check", file.to_str().unwrap()]);
    let check = String::from_utf8_lossy(&check.stderr);
    assert_eq!(
        check.matches("warning: quote names neither").count(),
        7,
        "{check}"
    );
    let shown = format!(
        "warning: 7 curation warnings in the loaded files\n = help: 2 more: run `factgraph check '{}'`\n",
        file.display()
    );
    let counted = format!(
        "warning: 7 curation warnings in the loaded files\n = help: run `factgraph check '{}'` to read them\n",
        file.display()
    );
    let opened = |command: &[&str]| {
        let output = factgraph(&[&["-g", file.to_str().unwrap()][..], command].concat());
        assert_eq!(output.status.code(), Some(0), "{command:?}: {output:?}");
        assert!(!output.stdout.is_empty(), "{command:?} still answers");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    // A script run, read once as a report, shows the first five, as the shell does.
    let stderr = opened(&["run", script.to_str().unwrap()]);
    assert_eq!(
        stderr.matches("warning: quote names neither").count(),
        5,
        "{stderr}"
    );
    assert!(stderr.contains(&shown), "{stderr}");
    // A one-shot command, run again and again on the same files, says only how many there are
    // and how to read them, so that its answer is not buried under them every time.
    for command in [vec!["query", "stats"], vec!["export", "--format", "json"]] {
        let stderr = opened(&command);
        assert_eq!(stderr, format!("{counted}\n"), "{command:?}");
    }
    // The shell's `load` of the same file says the same.
    let output = shell(&format!("load \"{}\"\n", file.display()));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.matches("warning: quote names neither").count(),
        5,
        "{stderr}"
    );
    assert!(
        stderr.contains(&shown.replace("check '", "check graphs/al-sukhna.ron '")),
        "{stderr}"
    );
    // A graph with fewer warnings shows them all, and how to make them errors.
    let output = factgraph(&[
        "-g",
        "tests/bad/warn-hedged.ron",
        "run",
        script.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.ends_with(
        "warning: 2 curation warnings in the loaded files\n = help: `check --deny-warnings` makes them errors\n\n"
    ), "{stderr}");
}
