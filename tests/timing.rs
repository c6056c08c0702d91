#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! `--timing` as scripts and benches/compare.sh read it: the load time on stderr, and a time on
//! every JSON answer, in microseconds, only when asked for.

use serde_json::Value;
use std::process::Command;

fn run(args: &[&str], script: &str) -> (Vec<Value>, String) {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), script).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(["run", "--format", "jsonl"])
        .args(args)
        .arg(file.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let answers = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (answers, String::from_utf8(output.stderr).unwrap())
}

const SCRIPT: &str = "neighbors ISIL out\npath Russia to Talbiseh\nmatch ?x captured ?y count\n";

#[test]
fn timing_puts_a_time_on_every_answer_and_reports_the_load() {
    let (answers, stderr) = run(&["--timing"], SCRIPT);
    assert_eq!(answers.len(), 3);
    for answer in &answers {
        let us = answer["elapsed_us"].as_f64();
        assert!(us.is_some_and(|us| (0.0..60e6).contains(&us)), "{answer}");
    }
    assert!(
        stderr.starts_with("loaded ") && stderr.trim_end().ends_with(" ms"),
        "{stderr}"
    );
}

#[test]
fn without_timing_answers_carry_no_time() {
    let (answers, stderr) = run(&[], SCRIPT);
    assert_eq!(answers.len(), 3);
    assert!(answers.iter().all(|a| a.get("elapsed_us").is_none()));
    assert_eq!(stderr, "");
}
