#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! `factgraph export` and `factgraph import` as a user runs them: files, refusals and exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.ron")
}

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_factgraph"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn export_writes_files_safely() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    let g = g.to_str().unwrap();
    let ok = run(
        dir.path(),
        &["-g", g, "export", "--format", "dot", "-o", "out.dot"],
        &[],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    let first = std::fs::read(dir.path().join("out.dot")).unwrap();
    assert!(first.starts_with(b"// factgraph export"));

    let again = run(
        dir.path(),
        &["-g", g, "export", "--format", "dot", "-o", "out.dot"],
        &[],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert!(stderr(&again).contains("--force"));

    let forced = run(
        dir.path(),
        &[
            "-g", g, "export", "--format", "json", "-o", "out.dot", "--force",
        ],
        &[],
    );
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(std::fs::read(dir.path().join("out.dot"))
        .unwrap()
        .starts_with(b"{"));

    // The fact file being read is never a target, whatever the flags.
    std::fs::copy(fixture(), dir.path().join("in.ron")).unwrap();
    let input = run(
        dir.path(),
        &[
            "-g", "in.ron", "export", "--format", "dot", "-o", "./in.ron", "--force",
        ],
        &[],
    );
    assert_eq!(input.status.code(), Some(1));
    assert!(
        stderr(&input).contains("fact file being read"),
        "{}",
        stderr(&input)
    );
    assert_eq!(
        std::fs::read(dir.path().join("in.ron")).unwrap(),
        std::fs::read(fixture()).unwrap()
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn csv_needs_a_directory_and_writes_two_files() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    let g = g.to_str().unwrap();
    let bare = run(dir.path(), &["-g", g, "export", "--format", "csv"], &[]);
    assert_eq!(bare.status.code(), Some(2));
    assert!(stderr(&bare).contains("-o DIR"), "{}", stderr(&bare));
    let ok = run(
        dir.path(),
        &["-g", g, "export", "--format", "csv", "-o", "neo4j"],
        &[],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    for file in ["nodes.csv", "edges.csv"] {
        assert!(dir.path().join("neo4j").join(file).exists());
    }
}

#[test]
fn images_without_graphviz_name_the_package_and_leave_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    let out = run(
        dir.path(),
        &[
            "-g",
            g.to_str().unwrap(),
            "export",
            "--format",
            "svg",
            "-o",
            "graph.svg",
        ],
        &[("FACTGRAPH_DOT", "/nonexistent/dot")],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(text.contains("`graphviz` package"), "{text}");
    assert!(!dir.path().join("graph.svg").exists());
}

#[test]
fn usage_mistakes_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    let g = g.to_str().unwrap();
    for args in [
        vec!["-g", g, "export", "--format", "dot", "--at", "2017-02-30"],
        vec![
            "-g",
            g,
            "export",
            "--format",
            "ntriples",
            "--base",
            "no scheme",
        ],
        vec!["-g", g, "export", "--format", "gif"],
    ] {
        let out = run(dir.path(), &args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"));
    }
}

#[test]
fn json_export_imports_back_to_a_fact_file_check_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    let g = g.to_str().unwrap();
    let json = run(
        dir.path(),
        &["-g", g, "export", "--format", "json", "-o", "graph.json"],
        &[],
    );
    assert!(json.status.success(), "{}", stderr(&json));
    let import = run(
        dir.path(),
        &["import", "--from", "json", "graph.json", "-o", "graph.ron"],
        &[],
    );
    assert!(import.status.success(), "{}", stderr(&import));
    let check = run(dir.path(), &["check", "graph.ron"], &[]);
    assert!(check.status.success(), "{}", stderr(&check));
    let original = run(dir.path(), &["check", g], &[]);
    assert_eq!(check.stdout, original.stdout);
    // Exporting the imported file gives the same JSON.
    let again = run(
        dir.path(),
        &["-g", "graph.ron", "export", "--format", "json"],
        &[],
    );
    assert_eq!(
        again.stdout,
        std::fs::read(dir.path().join("graph.json")).unwrap()
    );
    let refused = run(
        dir.path(),
        &["import", "--from", "json", "graph.json", "-o", "graph.ron"],
        &[],
    );
    assert_eq!(refused.status.code(), Some(1));
}
