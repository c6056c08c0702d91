#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! The two fact drivers agree: facts validated on two threads (large files) give the same verdict
//! and the same diagnostics as facts validated one by one, on every bad input of the catalogue and
//! on random mistakes planted in a generated file above the parallel threshold.

use factgraph::diagnostic::Diagnostic;
use factgraph::fact_file::{fast, SourceText};
use factgraph::model::Model;
use factgraph::validate::{load_with, FactDriver};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

/// The verdict and everything it says: the model, or the diagnostics as a user reads them.
fn outcome(result: Result<Model, Vec<Diagnostic>>) -> Result<String, Vec<Diagnostic>> {
    result.map(|model| format!("{model:?}"))
}

fn assert_drivers_agree(files: &[SourceText], drivers: &[FactDriver], what: &str) {
    let sequential = outcome(load_with(files, &[], FactDriver::Sequential));
    for &driver in drivers {
        let other = outcome(load_with(files, &[], driver));
        // Compared whole first, so that a failure does not print a 10 MB model.
        if other != sequential {
            let shown = |o: &Result<String, Vec<Diagnostic>>| match o {
                Ok(model) => format!("a model of {} bytes of Debug", model.len()),
                Err(d) => factgraph::diagnostic::render_all(d),
            };
            panic!(
                "{what}: {driver:?} differs from sequential\n--- sequential\n{}\n--- {driver:?}\n{}",
                shown(&sequential),
                shown(&other)
            );
        }
    }
}

#[test]
fn both_drivers_agree_on_every_bad_fact_file_of_the_catalogue() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let mut fact_level = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        // Unreadable files (not UTF-8, say) never reach the drivers.
        let Ok(source) = SourceText::read(&path) else {
            continue;
        };
        let files = [source];
        assert_drivers_agree(&files, &[FactDriver::Parallel], &path.display().to_string());
        // Only files the fast reader scans, with facts, reach the parallel driver.
        let scanned = fast::scan(&files[0].text).is_some_and(|s| !s.facts.is_empty());
        if scanned && load_with(&files, &[], FactDriver::Sequential).is_err() {
            fact_level += 1;
        }
    }
    assert!(
        fact_level >= 10,
        "only {fact_level} bad cases reach the parallel driver"
    );
}

/// A generated file of 60,000 facts (above the 50,000 from which `Auto` validates on two
/// threads), one fact a line, and where its fact lines are.
struct Generated {
    lines: Vec<String>,
    facts: Vec<usize>,
}

fn generated() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.ron");
        factgraph::generate::generate(60_000, 11, &path, false).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let facts: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].trim_start().starts_with("(subject:"))
            .collect();
        assert_eq!(facts.len(), 60_000);
        assert!(
            FactDriver::Auto.parallel(facts.len()),
            "the file is below the threshold"
        );
        Generated { lines, facts }
    })
}

/// The text of a quoted field's value in a fact line.
fn value<'a>(line: &'a str, field: &str) -> Option<&'a str> {
    let start = line.find(&format!("{field}: \""))? + field.len() + 3;
    let end = line[start..].find('"')? + start;
    Some(&line[start..end])
}

fn set(line: &str, field: &str, to: &str) -> String {
    match value(line, field) {
        Some(old) => line.replacen(
            &format!("{field}: \"{old}\""),
            &format!("{field}: \"{to}\""),
            1,
        ),
        None => line.replacen(" source: ", &format!(" {field}: \"{to}\", source: "), 1),
    }
}

/// A mistake a curator could make in a fact line; `other` is another fact line of the file.
fn mutate(line: &str, kind: u8, other: &str) -> String {
    let subject = value(line, "subject").unwrap_or("a0").to_string();
    let object = value(line, "object").unwrap_or("a0").to_string();
    match kind {
        0 => set(line, "relation", "besieged"),
        1 => set(line, "subject", &format!("{subject}x")),
        2 => set(line, "object", "Place 3"),
        3 => set(line, "source", "src99"),
        4 => set(line, "when", "2017-13"),
        5 => set(line, "when", ""),
        // Kinds outside the relation's domain and range, unless it relates equal kinds.
        6 => set(&set(line, "subject", &object), "object", &subject),
        7 => set(line, "object", &subject),
        // A duplicate of another fact.
        8 => other.to_string(),
        9 => line.replacen(
            " source: ",
            " reported_by: [\"a0\", \"nobody\"], source: ",
            1,
        ),
        // Curation warnings: a quote that names neither end and hedges, a date after the source.
        12 => set(line, "quote", "it could happen"),
        13 => set(line, "when", "2026-01"),
        // Beyond the fast reader: the load starts again with ron.
        10 => line.replacen(" source: ", " /* checked */ source: ", 1),
        // A syntax error.
        _ => line.replacen("quote: \"", "quote: ", 1),
    }
}

proptest! {
    // A load of this file takes seconds in a debug build: few cases, several mistakes in each.
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn both_drivers_agree_on_random_mistakes_in_a_large_file(
        mistakes in prop::collection::vec((0usize..60_000, 0u8..14, 0usize..60_000), 0..8)
    ) {
        let g = generated();
        let mut lines = g.lines.clone();
        for &(at, kind, other) in &mistakes {
            let line = g.facts[at];
            lines[line] = mutate(&lines[line], kind, &g.lines[g.facts[other]]);
        }
        let files = [SourceText::new("big.ron", lines.join("\n"))];
        let what = format!("mistakes {mistakes:?}");
        assert_drivers_agree(&files, &[FactDriver::Auto], &what);
    }
}

#[test]
fn both_drivers_give_the_same_warnings_on_a_large_file() {
    let g = generated();
    let mut lines = g.lines.clone();
    // Spread over several chunks of the parallel driver, and accepted once.
    for (k, &at) in [3usize, 9_000, 20_000, 41_000, 59_999].iter().enumerate() {
        let line = g.facts[at];
        lines[line] = mutate(&lines[line], 12 + (k % 2) as u8, "");
    }
    let accepted = g.facts[30_000];
    lines[accepted] = set(&lines[accepted], "quote", "it could happen").replacen(
        " source: ",
        " accept: [(\"hedged\", \"kept\"), (\"names_neither\", \"kept\")], source: ",
        1,
    );
    let files = [SourceText::new("big.ron", lines.join("\n"))];
    assert_drivers_agree(
        &files,
        &[FactDriver::Auto, FactDriver::Parallel],
        "warnings",
    );
    let model = load_with(&files, &[], FactDriver::Auto).unwrap();
    // Three quotes that name neither end and hedge, two dates after their source; the accepted
    // fact none.
    assert_eq!(
        model.warnings.len(),
        8,
        "{}",
        factgraph::diagnostic::render_all(&model.warnings)
    );
}
