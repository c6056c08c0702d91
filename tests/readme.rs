//! The README's examples are run, so they cannot rot. Three kinds of fenced block take part:
//!
//! - ```` ```ron NAME ```` is a fact file: it is written as NAME in a scratch folder and must pass
//!   `factgraph check`, unless the info string also says `fails` (a file shown for its errors).
//! - ```` ```console ```` holds `$ COMMAND` lines, each followed by what it prints (standard output
//!   and error together, as a terminal shows them) and, when it is not 0, `[exit status: N]`.
//! - ```` ```repl ```` holds `factgraph> LINE` inputs, each followed by its answer; the lines are
//!   fed to one session through standard input, as a script.
//!
//! - ```` ```sh ```` lines that start with `factgraph` must run and exit 0 (their output is not
//!   shown, so it is not compared); other lines (`cargo ...`) are not run.
//!
//! Commands run in a scratch folder holding copies of `graphs/`, `queries/`, `tests/fixtures/` and the README's
//! fact files, with the built `factgraph` first on the PATH. A line `...` in an expected output
//! stands for any number of lines the README leaves out.
//! `BLESS=1 cargo test --test readme` writes the real output of every console block into the
//! README, for review in the diff.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_factgraph");

struct Block {
    info: String,
    body: String,
    /// 1-based line of the opening fence, for messages; the body is the lines after it.
    line: usize,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in markdown.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block {
                    info: info.trim().to_string(),
                    body: String::new(),
                    line: i + 1,
                })
            }
            (Some(_), Some(rest)) if rest.trim().is_empty() => out.extend(open.take()),
            (Some(block), _) => {
                block.body.push_str(line);
                block.body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!("factgraph-readme-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        // tests/fixtures holds the small real files the import examples read.
        for folder in ["graphs", "queries", "tests/fixtures"] {
            copy_dir(&root.join(folder), &dir.join(folder));
        }
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `sh -c COMMAND` in the scratch folder, standard error merged into standard output.
fn run_shell(dir: &Path, command: &str, stdin: Option<&str>) -> (String, i32) {
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("exec 2>&1; {command}"))
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("FACTGRAPH_HISTORY", "")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    let output = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        output.status.code().unwrap_or(-1),
    )
}

/// Whether `actual` matches `expected`, where a line `...` in `expected` stands for any lines.
fn matches(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((&"...", rest)) => (0..=actual.len()).any(|skip| matches(rest, &actual[skip..])),
        Some((line, rest)) => actual
            .split_first()
            .is_some_and(|(a, more)| a.trim_end() == line.trim_end() && matches(rest, more)),
    }
}

fn trimmed_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines
}

/// The commands of a console block, each with its expected output and exit status.
fn console_steps(body: &str) -> Vec<(String, String, i32)> {
    let mut steps: Vec<(String, String, i32)> = Vec::new();
    for line in body.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push((command.to_string(), String::new(), 0));
        } else if let Some(step) = steps.last_mut() {
            match line
                .strip_prefix("[exit status: ")
                .and_then(|s| s.strip_suffix(']'))
            {
                Some(code) => step.2 = code.parse().unwrap(),
                None => {
                    step.1.push_str(line);
                    step.1.push('\n');
                }
            }
        }
    }
    steps
}

/// Checks a console block; returns the body it should have, with every command's real output.
fn check_console(dir: &Path, block: &Block, failures: &mut Vec<String>) -> String {
    let mut real = String::new();
    for (command, expected, status) in console_steps(&block.body) {
        let (actual, code) = run_shell(dir, &command, None);
        real.push_str(&format!("$ {command}\n"));
        for line in trimmed_lines(&actual) {
            real.push_str(line.trim_end());
            real.push('\n');
        }
        if code != 0 {
            real.push_str(&format!("[exit status: {code}]\n"));
        }
        if code != status || !matches(&trimmed_lines(&expected), &trimmed_lines(&actual)) {
            failures.push(format!(
                "README.md:{}: `{command}` exited {code} (README says {status}) and printed:\n{actual}\n--- README shows:\n{expected}",
                block.line
            ));
        }
    }
    real
}

/// The README with the bodies of the blocks opening at `lines` replaced.
fn rewrite(markdown: &str, bodies: &[(usize, String)]) -> String {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        out.push_str(lines[i]);
        out.push('\n');
        i += 1;
        if let Some((_, body)) = bodies.iter().find(|(line, _)| *line == i) {
            out.push_str(body);
            while i < lines.len() && !lines[i].starts_with("```") {
                i += 1;
            }
        }
    }
    out
}

fn check_repl(dir: &Path, block: &Block, failures: &mut Vec<String>) {
    let mut input = String::new();
    let mut expected = String::new();
    for line in block.body.lines() {
        match line.strip_prefix("factgraph> ") {
            Some(statement) => {
                input.push_str(statement);
                input.push('\n');
            }
            None => {
                expected.push_str(line);
                expected.push('\n');
            }
        }
    }
    let (actual, _) = run_shell(dir, "factgraph", Some(&input));
    // Answers are separated by blank lines in a script; a transcript may show them or not.
    let non_blank = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect()
    };
    let (want, got) = (non_blank(&expected), non_blank(&actual));
    let want: Vec<&str> = want.iter().map(String::as_str).collect();
    let got: Vec<&str> = got.iter().map(String::as_str).collect();
    if !matches(&want, &got) {
        failures.push(format!(
            "README.md:{}: the session printed:\n{actual}\n--- README shows:\n{expected}",
            block.line
        ));
    }
}

/// Runs the `factgraph` lines of a shell block; each must succeed.
fn check_sh(dir: &Path, block: &Block, failures: &mut Vec<String>) {
    for line in block.body.lines() {
        let command = line.split("  #").next().unwrap_or("").trim();
        if !command.starts_with("factgraph ") {
            continue;
        }
        let (output, code) = run_shell(dir, command, None);
        if code != 0 {
            failures.push(format!(
                "README.md:{}: `{command}` exited {code}:\n{output}",
                block.line
            ));
        }
    }
}

#[test]
fn every_example_in_the_readme_runs_as_shown() {
    let readme_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = fs::read_to_string(&readme_path).unwrap();
    let blocks = blocks(&readme);
    let scratch = Scratch::new();
    let mut failures = Vec::new();
    let mut ran = 0;
    // Fact files first: console blocks may refer to any of them.
    for block in &blocks {
        let mut words = block.info.split_whitespace();
        if words.next() != Some("ron") {
            continue;
        }
        let name = words.next().unwrap_or_else(|| {
            panic!(
                "README.md:{}: a ron block needs a file name (```ron NAME.ron)",
                block.line
            )
        });
        let fails = block.info.split_whitespace().any(|w| w == "fails");
        let path = scratch.0.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, &block.body).unwrap();
        let (output, code) = run_shell(&scratch.0, &format!("factgraph check '{name}'"), None);
        if (code == 0) == fails {
            failures.push(format!(
                "README.md:{}: `factgraph check {name}` exited {code}{}:\n{output}",
                block.line,
                if fails {
                    " but the README says it fails"
                } else {
                    ""
                }
            ));
        }
        ran += 1;
    }
    let mut blessed = Vec::new();
    for block in &blocks {
        match block.info.split_whitespace().next() {
            Some("console") => {
                let before = failures.len();
                let real = check_console(&scratch.0, block, &mut failures);
                // BLESS rewrites only what fails, and never a block that elides lines with `...`:
                // those are fixed by hand, so that the elision survives.
                let elides = block.body.lines().any(|l| l.trim() == "...");
                if failures.len() > before && !elides {
                    blessed.push((block.line, real));
                }
            }
            Some("repl") => check_repl(&scratch.0, block, &mut failures),
            Some("sh") => check_sh(&scratch.0, block, &mut failures),
            _ => continue,
        }
        ran += 1;
    }
    assert!(
        ran >= 3,
        "the README should show fact files, commands and a session"
    );
    if std::env::var_os("BLESS").is_some() {
        fs::write(&readme_path, rewrite(&readme, &blessed)).unwrap();
        return;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_matcher_needs_every_line_and_skips_only_at_an_ellipsis() {
    assert!(matches(&["a", "...", "d"], &["a", "b", "c", "d"]));
    assert!(matches(&["a", "..."], &["a"]));
    assert!(!matches(&["a", "d"], &["a", "b", "d"]));
    assert!(!matches(&["a"], &["a", "b"]));
}
