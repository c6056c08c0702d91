#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Saved query scripts beside their expected answers: every `queries/NAME.kgq` is run on the bundled
//! graph in text and in JSON, and compared exactly with `tests/golden/NAME.txt` and `NAME.json`, so
//! a change in answers shows up in review. A script whose leading comments hold a line
//! `# graphs: FILE FILE ...` runs on those fact files instead (a corpus beside the article). `BLESS=1 cargo test` rewrites the expectations.

use std::path::Path;
use std::process::Command;

/// The fact files a script names in a leading `# graphs: FILE FILE ...` comment, relative to the
/// repository; none means the bundled article graph.
fn graphs_of(script: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(script).unwrap();
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("# graphs:"))
        .flat_map(|files| files.split_whitespace().map(str::to_string))
        .collect()
}

fn run(script: &Path, format: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let graphs: Vec<String> = graphs_of(script)
        .into_iter()
        .flat_map(|g| ["-g".to_string(), g])
        .collect();
    let output = Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(&graphs)
        .args(["run", "--format", format])
        .arg(script.strip_prefix(root).unwrap())
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{} failed:\n{}",
        script.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn saved_scripts_give_their_golden_answers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bless = std::env::var_os("BLESS").is_some();
    let mut scripts: Vec<_> = std::fs::read_dir(root.join("queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "kgq"))
        .collect();
    scripts.sort();
    assert!(
        scripts.len() >= 4,
        "queries/ should hold the article's saved scripts"
    );
    let mut failures = Vec::new();
    for script in &scripts {
        let stem = script.file_stem().unwrap().to_string_lossy().to_string();
        for (format, ext) in [("text", "txt"), ("json", "json")] {
            let actual = run(script, format);
            if format == "json" {
                // However many queries a script holds, `json` is one document: an array of answers.
                let document: serde_json::Value = serde_json::from_str(&actual)
                    .unwrap_or_else(|e| panic!("{}: not one JSON document: {e}", script.display()));
                assert!(document.as_array().is_some_and(|a| a.len() > 1));
            }
            let golden = root.join("tests/golden").join(format!("{stem}.{ext}"));
            if bless {
                std::fs::write(&golden, &actual).unwrap();
            } else if std::fs::read_to_string(&golden).unwrap_or_default() != actual {
                failures.push(format!(
                    "{} ({format}) differs from {}",
                    script.display(),
                    golden.display()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "BLESS=1 cargo test rewrites goldens:\n{}",
        failures.join("\n")
    );
}
