//! The small walls a newcomer hits in the first hour, each checked the way they met it: through the
//! command line, on the bundled article graph.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn factgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(args)
        .output()
        .unwrap()
}

fn answer(args: &[&str]) -> String {
    let out = factgraph(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn dates_as_people_write_them_answer_like_iso_dates() {
    let iso = answer(&["query", "--at", "2017-08-06", "show Tadmor"]);
    assert_eq!(
        answer(&["query", "--at", "6 August 2017", "show Tadmor"]),
        iso
    );
    assert_eq!(answer(&["query", "show Tadmor at 2017-8-6"]), iso);
    let month = answer(&["query", "show Tadmor at 2017-08"]);
    assert_eq!(answer(&["query", "show Tadmor at Aug 2017"]), month);
    assert_eq!(answer(&["query", "show Tadmor at august 2017"]), month);
    // A misspelt month is still an error that says what is accepted.
    let out = factgraph(&["query", "show Tadmor at Agust 2017"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("6 August 2017"), "{stderr}");
}

#[test]
fn query_words_may_be_given_unquoted() {
    let quoted = answer(&["query", "path Russia to Talbiseh"]);
    assert_eq!(
        answer(&["query", "path", "Russia", "to", "Talbiseh"]),
        quoted
    );
    // A word the shell kept together stays one name, flags may follow the words.
    assert_eq!(
        answer(&["query", "why", "Syrian government", "recaptured", "Tadmor"]),
        answer(&["query", "why \"Syrian government\" recaptured Tadmor"])
    );
    assert_eq!(
        answer(&[
            "query",
            "why",
            "\"Syrian government\"",
            "recaptured",
            "Tadmor"
        ]),
        answer(&["query", "why \"Syrian government\" recaptured Tadmor"])
    );
    assert_eq!(
        answer(&["query", "show", "Tadmor", "--at", "2016"]),
        answer(&["query", "--at", "2016", "show Tadmor"])
    );
}
