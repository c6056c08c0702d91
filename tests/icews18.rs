#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! A real, dated event graph (ICEWS18) imported and questioned as a user would: a checked-in
//! excerpt for exact answers, and the whole file, which lives beside the repository in
//! `../shared/data/`, for answers at scale. Expected figures are counted from the TSV itself.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Output;

const USE_FORCE: &str = "Use conventional military force";

fn factgraph(dir: &Path, args: &[&str]) -> Output {
    common::factgraph_in(dir, args, "")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("factgraph-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The TSV's events as (head, relation, tail, ISO day).
fn events(tsv: &Path) -> Vec<[String; 4]> {
    std::fs::read_to_string(tsv)
        .unwrap()
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            [f[0], f[1], f[2], f[3]].map(String::from)
        })
        .collect()
}

/// Imports `tsv` into `dir/graph.ron`, returning the import's report line.
fn import(dir: &Path, tsv: &Path) -> String {
    let tsv = tsv.to_str().unwrap();
    let args = ["import", "--from", "tsv", tsv, "-o", "graph.ron"];
    let args = [&args[..], &["--published", "2018-11-01"]].concat();
    stdout(&factgraph(dir, &args))
}

fn query(dir: &Path, q: &str) -> String {
    stdout(&factgraph(dir, &["-g", "graph.ron", "query", q]))
}

/// The number an answer's first line starts with (`94 distinct (?a, ?b) ...`) or holds after
/// `: ` (`Timeline of North Korea: 169 dated facts:`).
fn leading_number(answer: &str) -> usize {
    let first = answer.lines().next().unwrap();
    let text = first.rsplit_once(": ").map_or(first, |(_, t)| t);
    text.split(' ').next().unwrap().parse().expect(first)
}

/// What `at DAY` keeps of an event graph: every event that has happened by then.
fn distinct_pairs_by(events: &[[String; 4]], relation: &str, last_day: &str) -> usize {
    let pairs: HashSet<(&str, &str)> = events
        .iter()
        .filter(|e| e[1] == relation && e[3].as_str() <= last_day)
        .map(|e| (e[0].as_str(), e[2].as_str()))
        .collect();
    pairs.len()
}

fn week_of_north_korea(events: &[[String; 4]]) -> usize {
    let week = "2018-10-01".to_string()..="2018-10-07".to_string();
    events
        .iter()
        .filter(|e| (e[0] == "North Korea" || e[2] == "North Korea") && week.contains(&e[3]))
        .count()
}

/// Every `quote` field anywhere in a JSON answer.
fn json_quotes(value: &serde_json::Value) -> Vec<&serde_json::Value> {
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| {
                if k == "quote" {
                    vec![v]
                } else {
                    json_quotes(v)
                }
            })
            .collect(),
        serde_json::Value::Array(items) => items.iter().flat_map(json_quotes).collect(),
        _ => Vec::new(),
    }
}

fn check_answers(dir: &Path, events: &[[String; 4]]) {
    let timeline = query(
        dir,
        "timeline \"North Korea\" from 2018-10-01 to 2018-10-07",
    );
    assert_eq!(leading_number(&timeline), week_of_north_korea(events));
    for (at, last_day) in [("2018-09", "2018-09-30"), ("2018-09-01", "2018-09-01")] {
        let q = format!("match ?a \"{USE_FORCE}\" ?b count at {at}");
        assert_eq!(
            leading_number(&query(dir, &q)),
            distinct_pairs_by(events, USE_FORCE, last_day),
            "{q}"
        );
    }
    let triples: HashSet<[&str; 3]> = events
        .iter()
        .map(|e| [e[0].as_str(), e[1].as_str(), e[2].as_str()])
        .collect();
    assert_eq!(
        leading_number(&query(dir, "match ?a ?r ?b count")),
        triples.len()
    );
}

#[test]
fn the_excerpt_imports_with_its_dates_and_answers_as_its_lines_say() {
    let dir = scratch("icews18-excerpt");
    let tsv = common::root().join("tests/fixtures/icews18-excerpt.tsv");
    let events = events(&tsv);
    let report = import(&dir, &tsv);
    assert!(
        report.contains(&format!(": {} facts (all dated), ", events.len())),
        "{report}"
    );
    check_answers(&dir, &events);
    // Every row of a day's timeline carries its day, and imported facts print no empty quote.
    let day = query(
        &dir,
        "timeline \"North Korea\" from 2018-10-02 to 2018-10-02",
    );
    common::golden("icews18-north-korea-2018-10-02.txt", &day);
    assert!(!day.contains("\"\""), "{day}");
    assert!(
        day.ends_with("[1] factgraph import, 2018-11-01 (no quote)\n"),
        "{day}"
    );
    // JSON says null, as it does for no date, not an empty string.
    let json = stdout(&factgraph(
        &dir,
        &[
            "-g",
            "graph.ron",
            "query",
            "--format",
            "json",
            "why \"Mike Pompeo\" \"Make a visit\" \"North Korea\"",
        ],
    ));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let quotes: Vec<&serde_json::Value> = json_quotes(&value);
    assert!(
        !quotes.is_empty() && quotes.iter().all(|q| q.is_null()),
        "{json}"
    );
    // A quoted relation name works in every position, and a misspelt one is suggested quoted.
    let why = query(&dir, "why \"Mike Pompeo\" \"Make a visit\" \"North Korea\"");
    assert!(why.contains("-Make a visit->"), "{why}");
    let near = factgraph(
        &dir,
        &["-g", "graph.ron", "query", "match ?a \"Make visit\" ?b"],
    );
    let stderr = String::from_utf8_lossy(&near.stderr);
    assert!(
        stderr.contains("did you mean `\"Make a visit\"`"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The whole ICEWS18 file: 95,540 events. It is kept outside the repository, beside it, where
/// the benchmarks read it too; a clone without it still tests dated imports on the checked-in
/// excerpt above, and this test says it was skipped.
#[test]
fn the_whole_icews18_graph_imports_and_answers_at_scale() {
    let tsv = common::root().join("../shared/data/icews18-news.tsv");
    if !tsv.exists() {
        eprintln!(
            "skipped: {} is not beside the repository; the excerpt tests cover dated imports",
            tsv.display()
        );
        return;
    }
    let dir = scratch("icews18-full");
    let events = events(&tsv);
    assert_eq!(events.len(), 95_540);
    let report = import(&dir, &tsv);
    assert!(
        report.contains(": 95540 facts (all dated), 11384 entities, 226 relations"),
        "{report}"
    );
    let days: HashSet<&str> = events.iter().map(|e| e[3].as_str()).collect();
    let stats = query(&dir, "stats");
    assert!(stats.contains("95540 (95540 dated)"), "{stats}");
    assert_eq!(days.iter().min(), Some(&"2018-08-29"));
    assert_eq!(days.iter().max(), Some(&"2018-10-31"));
    check_answers(&dir, &events);
    std::fs::remove_dir_all(&dir).unwrap();
}
