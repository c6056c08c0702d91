#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Reporting problems costs memory and time bounded by what is shown, not by the size of the file
//! or the number of problems: a diagnostic keeps an excerpt of its line and cuts the names it
//! echoes, and a load keeps its first problems in file order and counts the rest.

use factgraph::diagnostic::{problem_count, render_all, EXCERPT, NAME_SHOWN};
use factgraph::fact_file::SourceText;
use factgraph::validate::{load, MAX_PROBLEMS};
use std::fmt::Write;
use std::process::Command;

const HEAD: &str = r#"(sources: [(id: "s", title: "t", publisher: "p", published: "2017")], relations: [(name: "holds", domain: ["actor"], range: ["place"])], entities: [(id: "a", name: "A", kind: "actor"), (id: "p", name: "P", kind: "place")], facts: ["#;

/// A fact file of `facts` facts; fact `i` is written by `fact(i)`, all on one line or one a line.
fn fact_file(facts: usize, one_line: bool, fact: impl Fn(usize) -> String) -> String {
    let mut text = String::from(HEAD);
    for i in 0..facts {
        text.push_str(if one_line { " " } else { "\n" });
        text.push_str(&fact(i));
    }
    text + "])"
}

/// Fact `i` of a file, dated so that no two are duplicates.
fn fact(relation: &str, i: usize) -> String {
    let (year, month, day) = (1000 + i % 2000, 1 + i / 2000 % 12, 1 + i / 24_000 % 28);
    format!(
        r#"(subject: "a", relation: "{relation}", object: "p", when: "{year}-{month:02}-{day:02}", source: "s", quote: "q"),"#
    )
}

#[test]
fn a_diagnostic_holds_an_excerpt_of_a_long_line_not_the_line() {
    // About 8 MB on one line, with a mistake every 5,000 facts.
    let text = fact_file(100_000, true, |i| {
        fact(if i % 5000 == 2500 { "hold" } else { "holds" }, i)
    });
    assert!(text.len() > 8_000_000 && !text.contains('\n'));
    let errors = load(&[SourceText::new("long.ron", text)], &[]).unwrap_err();
    assert_eq!(errors.len(), 20);
    for e in &errors {
        let location = e.location.as_ref().unwrap();
        assert_eq!(location.line, 1);
        assert!(location.line_text.chars().count() <= EXCERPT, "{e:?}");
        assert!(location.line_text.contains("relation: \"hold\""));
    }
    let shown = render_all(&errors);
    assert!(shown.len() < 20 * 1000, "{} bytes shown", shown.len());
    // Columns are still those of the whole line.
    let columns: Vec<usize> = errors
        .iter()
        .map(|e| e.location.as_ref().unwrap().column)
        .collect();
    assert!(
        columns.windows(2).all(|w| w[0] < w[1]) && columns[19] > 7_000_000,
        "{columns:?}"
    );
}

#[test]
fn a_huge_name_is_cut_where_a_message_echoes_it() {
    let huge = "x".repeat(1_000_000);
    let text = fact_file(2, false, |i| {
        let subject = if i == 1 { huge.as_str() } else { "a" };
        format!(
            r#"(subject: "{subject}", relation: "holds", object: "p", source: "s", quote: "q"),"#
        )
    });
    let errors = load(&[SourceText::new("huge.ron", text)], &[]).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.starts_with("unknown entity `xxx"));
    assert!(
        errors[0].message.chars().count() < NAME_SHOWN + 40,
        "{}",
        errors[0].message.len()
    );
    assert!(render_all(&errors).len() < 2000);
}

#[test]
fn a_load_keeps_its_first_problems_in_file_order_and_counts_the_rest() {
    // A misspelt declaration breaks every fact that uses it.
    let facts = 5000;
    let text = fact_file(facts, false, |i| fact("holds", i)).replacen(
        "(name: \"holds\"",
        "(name: \"hodls\"",
        1,
    );
    let errors = load(&[SourceText::new("misspelt.ron", text)], &[]).unwrap_err();
    assert_eq!(errors.len(), MAX_PROBLEMS + 1);
    assert_eq!(problem_count(&errors), facts);
    let lines: Vec<usize> = errors[..MAX_PROBLEMS]
        .iter()
        .map(|e| e.location.as_ref().unwrap().line)
        .collect();
    assert_eq!(lines, (2..2 + MAX_PROBLEMS).collect::<Vec<_>>());
    let last = errors.last().unwrap();
    assert_eq!(
        last.message,
        format!("and {} more problems not shown", facts - MAX_PROBLEMS)
    );
    assert!(last.location.is_none());
}

#[test]
fn check_says_how_many_problems_it_did_not_show() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("misspelt.ron");
    let mut text = fact_file(300, false, |i| fact("holds", i));
    text = text.replacen("(name: \"holds\"", "(name: \"hodls\"", 1);
    std::fs::write(&path, text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(["--no-cache", "check"])
        .arg(&path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr.matches("error: unknown relation `holds`").count(),
        MAX_PROBLEMS
    );
    let mut tail = String::new();
    writeln!(
        tail,
        "error: and {} more problems not shown",
        300 - MAX_PROBLEMS
    )
    .unwrap();
    assert!(stderr.contains(&tail), "{stderr}");
    assert!(stderr.ends_with("error: 300 problems found\n"), "{stderr}");
}
