//! The small walls of a newcomer's first hour, each met the way they met it: one query through the
//! command line, on the bundled article graph, and what the answer or the error then says.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn factgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(args)
        .output()
        .unwrap()
}

/// Standard error of a query that must fail as a query error (exit code 1).
fn refusal(args: &[&str]) -> String {
    let out = factgraph(args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?} did not fail as a query"
    );
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn an_option_after_a_timeline_date_is_named_as_out_of_place() {
    let stderr = refusal(&["query", "timeline from 2017-01 to 2017-12 via captured"]);
    assert!(
        stderr.starts_with("error: expected `from`, `to`, `at` or end of query, found `via`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`via` is not an option of `timeline`"),
        "{stderr}"
    );
    assert!(!stderr.contains("expected a date"), "{stderr}");
}
