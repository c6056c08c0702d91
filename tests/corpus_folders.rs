#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! A corpus of several fact files: the shipped vocabulary (`uses: ["conflict"]`), the same relation
//! declared in several files, and folders given to `-g`, `check` and the REPL's `load`.

mod common;

use common::factgraph_in;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const FICTIONAL: &str = "tests/fixtures/corpus/vocab/fictional-courier-qaryat.ron";

fn factgraph(args: &[&str]) -> Output {
    factgraph_in(Path::new(ROOT), args, "")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("factgraph-corpus-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn str(&self) -> &str {
        self.0.to_str().unwrap()
    }

    /// Copies a file of the repository into the folder under `name`.
    fn copy(&self, from: &str, name: &str) -> PathBuf {
        let to = self.path(name);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(Path::new(ROOT).join(from), &to).unwrap();
        to
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The article graph and the fictional report, in one folder.
fn corpus(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    dir.copy("graphs/al-sukhna.ron", "al-sukhna.ron");
    // The article's quotes are checked against its text, which travels beside it.
    let article = "sources/the-national-2017-08-06-al-sukhna.txt";
    dir.copy(&format!("graphs/{article}"), article);
    dir.copy(FICTIONAL, "more/fictional-courier-qaryat.ron");
    dir
}

#[test]
fn a_folder_with_the_article_and_a_file_declaring_the_same_relations_loads_and_answers_across_both()
{
    let dir = corpus("across");
    let check = factgraph(&["check", dir.str()]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    // `captured` and `near` are declared by the vocabulary and the report: one relation each.
    let out = text(&check.stdout);
    assert!(out.contains("71 relations"), "{out}");
    assert!(out.contains("2 sources in 2 files"), "{out}");

    // ISIL's captures come from both sources, and the report's village is near the article's town.
    let query = factgraph(&["-g", dir.str(), "query", "match ISIL captured ?p"]);
    let answer = text(&query.stdout);
    assert_eq!(query.status.code(), Some(0), "{}", text(&query.stderr));
    assert!(answer.contains("Qaryat al-Khayal"), "{answer}");
    assert!(answer.contains("Tadmor"), "{answer}");
    assert!(answer.contains("The Fictional Courier"), "{answer}");
    assert!(answer.contains("The National"), "{answer}");
    let near = factgraph(&["-g", dir.str(), "query", "neighbors Tadmor via near"]);
    assert!(
        text(&near.stdout).contains("Qaryat al-Khayal"),
        "{}",
        text(&near.stdout)
    );
}

#[test]
fn the_article_beside_a_file_declaring_all_its_relations_loads_cleanly() {
    // The report of issue 13: a second file with the article's whole vocabulary gave one problem
    // per relation ("relation name `captured` is already taken").
    let dir = TempDir::new("second");
    dir.copy("graphs/vocabularies/conflict.ron", "second.ron");
    let second = dir.path("second.ron");
    let check = factgraph(&["check", "graphs/al-sukhna.ron", second.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    assert!(text(&check.stdout).contains("70 relations"));
    // The repository's graphs folder holds the vocabulary too, and loads as cleanly.
    let graphs = factgraph(&["check", "graphs"]);
    assert_eq!(graphs.status.code(), Some(0), "{}", text(&graphs.stderr));
    assert_eq!(text(&graphs.stderr), "");
    // The vocabulary's own file is counted as the vocabulary, not as a second fact file.
    let summary = text(&graphs.stdout);
    assert!(
        summary.ends_with("1 source in 1 file, plus the conflict vocabulary\n"),
        "{summary}"
    );
    // A file that only looks like a vocabulary is a fact file like any other.
    let edited = fs::read_to_string(&second).unwrap() + "// edited by a curator\n";
    fs::write(&second, edited).unwrap();
    let check = factgraph(&["check", "graphs/al-sukhna.ron", second.to_str().unwrap()]);
    assert!(
        text(&check.stdout).contains("in 2 files\n"),
        "{}",
        text(&check.stdout)
    );
}

#[test]
fn a_relation_declared_differently_is_an_error_showing_both_declarations() {
    let dir = TempDir::new("differ");
    let report = fs::read_to_string(Path::new(ROOT).join(FICTIONAL)).unwrap();
    let changed = report.replace("description: \"lies close to\"", "description: \"is near\"");
    assert_ne!(changed, report);
    let file = dir.path("fictional-changed.ron");
    fs::write(&file, &changed).unwrap();
    let check = factgraph(&["check", "graphs/al-sukhna.ron", file.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(1));
    let err = text(&check.stderr);
    assert!(
        err.contains("error: relation `near` is declared twice, differently"),
        "{err}"
    );
    // Here, with a caret, and there: the vocabulary the article uses, each as file:line:col.
    let line = changed
        .lines()
        .position(|l| l.contains("(name: \"near\""))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("fictional-changed.ron:{line}:16")),
        "{err}"
    );
    let vocabulary =
        fs::read_to_string(Path::new(ROOT).join("graphs/vocabularies/conflict.ron")).unwrap();
    let first = vocabulary
        .lines()
        .position(|l| l.contains("(name: \"near\""))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!(
            "first declared at graphs/vocabularies/conflict.ron:{first}:16"
        )),
        "{err}"
    );
    assert!(
        err.contains("`description` is \"lies close to\" there, \"is near\" here"),
        "{err}"
    );
    assert!(err.contains("1 problem found"), "{err}");

    // Between two files the same: the first file's declaration is shown.
    let two = factgraph(&["check", FICTIONAL, file.to_str().unwrap()]);
    let err = text(&two.stderr);
    assert_eq!(two.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("first declared at {FICTIONAL}:{line}:16")),
        "{err}"
    );
}

#[test]
fn using_an_unknown_vocabulary_is_an_error_with_a_suggestion() {
    let dir = TempDir::new("unknown");
    let file = dir.path("typo.ron");
    fs::write(
        &file,
        "(\n    uses: [\"conflcit\"],\n    entities: [(id: \"x\", name: \"X\", kind: \"place\")],\n)\n",
    )
    .unwrap();
    let check = factgraph(&["check", file.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(1));
    let err = text(&check.stderr);
    assert!(
        err.contains("error: unknown vocabulary `conflcit`"),
        "{err}"
    );
    assert!(err.contains("typo.ron:2:12"), "{err}");
    assert!(err.contains("help: did you mean `conflict`?"), "{err}");
}

#[test]
fn a_file_using_the_vocabulary_cites_its_relations_and_adds_its_own() {
    let dir = TempDir::new("uses");
    let file = dir.path("own.ron");
    fs::write(
        &file,
        r#"(
    uses: ["conflict"],
    sources: [(id: "f", title: "A siege (fictional)", publisher: "The Fictional Courier", published: "2020-01-02")],
    relations: [(name: "renamed", inverse: "renamed_by", description: "gave a place a new name")],
    entities: [(id: "a", name: "Alpha Brigade", kind: "actor"), (id: "b", name: "Betaville", kind: "place")],
    facts: [
        (subject: "a", relation: "besieges", object: "b", when: "2020-01", source: "f", quote: "Alpha Brigade besieges Betaville"),
        (subject: "a", relation: "renamed", object: "b", when: "2020-01-01", source: "f", quote: "Alpha Brigade renamed Betaville"),
    ],
)
"#,
    )
    .unwrap();
    let query = factgraph(&["-g", file.to_str().unwrap(), "query", "neighbors Betaville"]);
    let answer = text(&query.stdout);
    assert_eq!(query.status.code(), Some(0), "{}", text(&query.stderr));
    assert!(answer.contains("besieged_by"), "{answer}");
    assert!(answer.contains("renamed_by"), "{answer}");
    // The whole vocabulary is declared, and the file's own relation beside it.
    let check = factgraph(&["check", file.to_str().unwrap()]);
    assert!(text(&check.stdout).contains("71 relations"), "{check:?}");
}

#[test]
fn folders_load_in_a_stable_order_without_hidden_files_and_mix_with_files() {
    let dir = corpus("order");
    // Neither hidden files nor caches nor other files are fact files.
    fs::write(dir.path(".hidden.ron"), "not RON at all").unwrap();
    fs::create_dir_all(dir.path(".git")).unwrap();
    fs::write(dir.path(".git/x.ron"), "not RON at all").unwrap();
    fs::write(dir.path("notes.txt"), "not RON at all").unwrap();
    fs::write(dir.path("al-sukhna.ron.fgcache"), "not a cache").unwrap();
    let stats = factgraph_in(&dir.0, &["-g", ".", "stats"], "");
    assert_eq!(stats.status.code(), Some(0), "{}", text(&stats.stderr));
    assert!(
        text(&stats.stdout)
            .contains("files      ./al-sukhna.ron, ./more/fictional-courier-qaryat.ron"),
        "{}",
        text(&stats.stdout)
    );

    // A folder and a file, in either order, and a file named twice loads once.
    let sub = dir.path("more");
    let article = dir.path("al-sukhna.ron");
    for args in [
        ["check", sub.to_str().unwrap(), article.to_str().unwrap()],
        ["check", article.to_str().unwrap(), dir.str()],
    ] {
        let check = factgraph(&args);
        assert_eq!(
            check.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&check.stderr)
        );
        assert!(text(&check.stdout).contains("in 2 files"));
    }
}

#[test]
fn an_empty_folder_is_an_error() {
    let dir = TempDir::new("empty");
    fs::create_dir_all(dir.path("sub")).unwrap();
    fs::write(dir.path("sub/readme.txt"), "no fact files here").unwrap();
    let check = factgraph(&["check", dir.str()]);
    assert_eq!(check.status.code(), Some(1));
    let err = text(&check.stderr);
    assert!(
        err.contains(&format!("error: `{}` holds no fact files", dir.str())),
        "{err}"
    );
}

#[test]
fn the_repl_loads_a_folder() {
    let dir = corpus("load");
    let script = "load more\nmatch ?who captured qaryat_al_khayal\n";
    let out = factgraph_in(&dir.0, &["-g", "al-sukhna.ron"], script);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(stdout.contains("loaded 91 entities"), "{stdout}");
    assert!(stdout.contains("ISIL"), "{stdout}");
}

#[test]
fn the_vocabulary_page_lists_every_relation_of_the_vocabulary() {
    let root = Path::new(ROOT);
    let page = fs::read_to_string(root.join("docs/vocabulary.md")).unwrap();
    let vocabulary = fs::read_to_string(root.join("graphs/vocabularies/conflict.ron")).unwrap();
    let names: Vec<&str> = vocabulary
        .split("(name: \"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(names.len(), 70);
    for name in names {
        assert!(page.contains(&format!("| `{name}` |")), "{name} is missing");
    }
}

/// `-g` loads a file beside those `check` names, as it does for every other command: a file that
/// cites the article's ids checks with `-g graphs/al-sukhna.ron`, not only when both are named.
#[test]
fn check_loads_the_graphs_given_with_g_beside_the_files_it_checks() {
    let named = factgraph(&["check", "graphs/al-sukhna.ron", FICTIONAL]);
    assert_eq!(named.status.code(), Some(0), "{}", text(&named.stderr));
    for args in [
        ["-g", "graphs/al-sukhna.ron", "check", FICTIONAL],
        ["check", "-g", "graphs/al-sukhna.ron", FICTIONAL],
    ] {
        let output = factgraph(&args);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        assert_eq!(text(&output.stdout), text(&named.stdout));
    }
}
