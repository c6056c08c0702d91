#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Every bad input under tests/bad/ beside the exact message it must produce.
//!
//! `NAME.ron` is run as `factgraph check NAME.ron`; `NAME.cmd` holds the arguments of one command line,
//! one per line, and takes precedence over a `.ron` of the same name. The expected stderr,
//! then any stdout after `--- stdout`, then `exit status: N`, is in `NAME.stderr`. `BLESS=1 cargo test` rewrites the expectations.

use std::path::{Path, PathBuf};
use std::process::Command;

fn cases(dir: &Path) -> Vec<(String, Vec<String>)> {
    let mut cases = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return cases;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in &paths {
        let (Some(stem), Some(ext)) = (path.file_stem(), path.extension()) else {
            continue;
        };
        let stem = stem.to_string_lossy().to_string();
        match ext.to_str() {
            Some("cmd") => {
                let line = std::fs::read_to_string(path).unwrap();
                cases.push((stem, line.lines().map(str::to_string).collect()));
            }
            Some("ron") if !dir.join(format!("{stem}.cmd")).exists() => {
                cases.push((
                    stem.clone(),
                    vec!["check".to_string(), format!("{stem}.ron")],
                ));
            }
            _ => {}
        }
    }
    cases
}

#[test]
fn bad_inputs_give_their_expected_messages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    let cases = cases(&dir);
    assert!(
        cases.len() >= 20,
        "the catalogue shrank to {} cases",
        cases.len()
    );
    for (name, args) in cases {
        let output = Command::new(env!("CARGO_BIN_EXE_factgraph"))
            .args(&args)
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .env_remove("RUST_BACKTRACE")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{name} panicked:\n{stderr}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        // Answers printed before a failure (a script's good lines) are part of the expectation.
        let shown_stdout = if stdout.is_empty() {
            String::new()
        } else {
            format!("--- stdout\n{stdout}")
        };
        let actual = format!(
            "{stderr}{shown_stdout}exit status: {}\n",
            output.status.code().unwrap_or(-1)
        );
        let expected_path = dir.join(format!("{name}.stderr"));
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!("--- {name}: expected\n{expected}--- got\n{actual}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ (BLESS=1 rewrites):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
