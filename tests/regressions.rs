#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! What fuzzing found (see README, "Fuzzing"), one test each, named after what it caught.

use factgraph::load::GraphSpec;
use factgraph::query::answer::Answer;
use factgraph::query::{parse_statement, Statement};
use factgraph::session::{Input, Session};

/// The session target ran out of memory on `path ... all` with a huge `limit`: a million paths of
/// the article graph were 2 GB of text and 5 GB of memory. The paths an answer holds are now
/// bounded in steps, with a note saying so.
#[test]
fn all_paths_with_a_huge_limit_stop_at_a_step_budget() {
    let mut session = Session::open(GraphSpec::new(vec![])).unwrap();
    let line = "path ISIL to Homs all max 1000 limit 1000000";
    let Ok(Statement::Query(query)) = parse_statement(line) else {
        panic!("{line} does not parse as a query");
    };
    let (answer, _) = session.answer(&query, &Input::line("q", line)).unwrap();
    let Answer::Paths {
        paths, truncated, ..
    } = answer
    else {
        panic!("not a path answer");
    };
    let steps: usize = paths.iter().map(Vec::len).sum();
    let longest = paths.iter().map(Vec::len).max().unwrap_or(0);
    assert!(
        steps < 250_000 + longest,
        "{steps} steps in {} paths",
        paths.len()
    );
    let note = truncated.expect("a note says the answer was cut");
    assert!(note.contains("250000 steps in all"), "{note}");
}

/// Probing what the session target could not reach (its inputs stop at 256 bytes): a `match` of
/// 200 unbounded patterns kept 10,000 rows of 800 values and facts, 1 GB of memory. Rows are now
/// bounded by their width too.
#[test]
fn wide_matches_stop_at_a_cell_budget() {
    let mut session = Session::open(GraphSpec::new(vec![])).unwrap();
    // Rows this wide, rendered, reach the default memory limit before the cell cap; with room
    // to spare it is the cap that stops them.
    session.memory_limit = 4 << 30;
    let patterns: Vec<String> = (0..60).map(|i| format!("?a{i} ?r{i} ?b{i}")).collect();
    let line = format!("match {}", patterns.join(", "));
    let Ok(Statement::Query(query)) = parse_statement(&line) else {
        panic!("{line} does not parse as a query");
    };
    let (answer, _) = session.answer(&query, &Input::line("q", &line)).unwrap();
    let Answer::Match {
        rows, truncated, ..
    } = answer
    else {
        panic!("not a match answer");
    };
    let cells: usize = rows.iter().map(|r| r.values.len() + r.facts.len()).sum();
    assert!(cells <= 1_000_000, "{cells} cells in {} rows", rows.len());
    assert_eq!(rows.len(), 1_000_000 / 240);
    let note = truncated.expect("a note says the answer was cut");
    assert!(note.starts_with("stopped at 4166 rows"), "{note}");
}
