#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! What answers give programs and spreadsheets: tables with names, dates as intervals and the
//! place of each fact in its fact file.

mod common;

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// factgraph on the bundled graph, from the repository root, with `stdin` piped in if given.
fn factgraph(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(args)
        .current_dir(common::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Rows of a tab-separated answer as maps from column name to field.
fn tsv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text
        .lines()
        .map(|l| l.split('\t').map(String::from).collect());
    let headers: Vec<String> = lines.next().unwrap();
    (headers, lines.collect())
}

fn column(headers: &[String], name: &str) -> usize {
    headers.iter().position(|h| h == name).unwrap()
}

#[test]
fn match_tables_give_names_and_the_evidence_of_each_fact() {
    let query = "match Russia brokered ?truce, ?truce covers ?area";
    let output = factgraph(&["query", "--format", "tsv", query], None);
    let (headers, rows) = tsv(&stdout(&output));
    assert_eq!(
        headers,
        [
            "truce",
            "truce_name",
            "area",
            "area_name",
            "fact",
            "source",
            "when",
            "earliest",
            "latest",
            "precision",
            "quote",
            "file",
            "line"
        ]
    );
    // Names as `entities` gives them.
    let entities = factgraph(&["query", "--format", "json", "entities"], None);
    let entities: Value = serde_json::from_str(&stdout(&entities)).unwrap();
    let name_of = |id: &str| {
        entities["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .map(|e| e["name"].as_str().unwrap().to_string())
            .unwrap()
    };
    // A row stands on two facts, one per pattern, so it takes two lines in pattern order.
    let count = factgraph(&["query", &format!("{query} count")], None);
    let matches: usize = stdout(&count)
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap();
    assert_eq!(rows.len(), 2 * matches, "{}", stdout(&count));
    let root = common::root();
    for (n, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), headers.len());
        assert_eq!(row[column(&headers, "fact")], (n % 2 + 1).to_string());
        for var in ["truce", "area"] {
            let id = &row[column(&headers, var)];
            assert_eq!(row[column(&headers, &format!("{var}_name"))], name_of(id));
        }
        // `file` and `line` lead to the fact as written.
        let file = root.join(Path::new(&row[column(&headers, "file")]));
        let line: usize = row[column(&headers, "line")].parse().unwrap();
        let fact_file = std::fs::read_to_string(file).unwrap();
        let stated = fact_file.lines().nth(line - 1).unwrap();
        let when = &row[column(&headers, "when")];
        match when.as_str() {
            "" => assert!(!stated.contains("when:"), "{stated}"),
            when => assert!(stated.contains(&format!("when: \"{when}\"")), "{stated}"),
        }
        let (subject, object) = match n % 2 {
            0 => ("russia".to_string(), row[column(&headers, "truce")].clone()),
            _ => (
                row[column(&headers, "truce")].clone(),
                row[column(&headers, "area")].clone(),
            ),
        };
        assert!(
            stated.contains(&format!("subject: \"{subject}\"")),
            "{stated}"
        );
        assert!(
            stated.contains(&format!("object: \"{object}\"")),
            "{stated}"
        );
    }
}

#[test]
fn every_table_format_has_the_same_columns() {
    let query = "neighbors Russia";
    let tsv_out = stdout(&factgraph(&["query", "--format", "tsv", query], None));
    let csv_out = stdout(&factgraph(&["query", "--format", "csv", query], None));
    let md_out = stdout(&factgraph(&["query", "--format", "markdown", query], None));
    let tsv_head: Vec<&str> = tsv_out.lines().next().unwrap().split('\t').collect();
    let csv_head: Vec<&str> = csv_out.lines().next().unwrap().split(',').collect();
    let md_head: Vec<&str> = md_out
        .lines()
        .next()
        .unwrap()
        .trim_matches(['|', ' '])
        .split(" | ")
        .collect();
    assert_eq!(tsv_head, csv_head);
    assert_eq!(tsv_head, md_head);
    for evidence in [
        "source",
        "when",
        "earliest",
        "latest",
        "precision",
        "quote",
        "file",
        "line",
    ] {
        assert!(tsv_head.contains(&evidence), "{evidence}: {tsv_head:?}");
    }
}
