#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! How `why` reconciles the dates several sources give one claim: dates that can all be right
//! narrow to what they share; spans whose stated starts cannot be the same day disagree on when
//! the claim began, even though their days overlap.

mod common;

use common::factgraph;
use serde_json::Value;

const ARTICLE: &str = "graphs/al-sukhna.ron";
const GAZETTE: &str = "tests/fixtures/corpus/siege-start/fictional-river-gazette.ron";
const HERALD: &str = "tests/fixtures/corpus/siege-start/fictional-plain-herald.ron";
const WHY: &str = "why ISIL besieges \"Syrian army\"";

/// The answer to `args` with `graphs` loaded.
fn query(graphs: &[&str], args: &[&str]) -> String {
    let mut all: Vec<&str> = graphs.iter().flat_map(|g| ["-g", g]).collect();
    all.push("query");
    all.extend(args);
    let output = factgraph(&all);
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn starts_in_different_years_are_a_disagreement_on_when_it_began() {
    let out = query(&[ARTICLE, GAZETTE], &[WHY]);
    assert!(
        out.contains(
            "2 sources agree on it but not on when it began: since 2014 (The Fictional River Gazette) vs since 2015 (The National)"
        ),
        "{out}"
    );
    assert!(!out.contains("narrow"), "{out}");
    let v: Value =
        serde_json::from_str(&query(&[ARTICLE, GAZETTE], &["--format", "json", WHY])).unwrap();
    let dates = &v["corroboration"]["dates"];
    assert_eq!(dates["agree"], false, "{dates}");
    assert_eq!(dates["on"], "start", "{dates}");
    assert_eq!(dates["groups"].as_array().unwrap().len(), 2, "{dates}");
}

#[test]
fn a_start_within_another_narrows_it() {
    let out = query(&[ARTICLE, HERALD], &[WHY]);
    assert!(
        out.contains("2 sources agree: since 2015 and since 2015-06 narrow to since 2015-06"),
        "{out}"
    );
}

#[test]
fn three_sources_group_the_starts_that_agree() {
    let out = query(&[ARTICLE, GAZETTE, HERALD], &[WHY]);
    assert!(
        out.contains(
            "3 sources agree on it but not on when it began: since 2014 (The Fictional River Gazette) vs since 2015-06 (The National, The Fictional Plain Herald)"
        ),
        "{out}"
    );
}
