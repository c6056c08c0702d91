#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.
// Signals, `kill` and `sh` are Unix's.
#![cfg(unix)]

//! Writes that are cut short: by SIGINT or SIGTERM, by SIGKILL, by a reader that goes away. None
//! may leave a temporary file behind for long, or end in a panic.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_factgraph");

/// Generous: the machine may be busy; a passing test never waits this long.
const PATIENCE: Duration = Duration::from_secs(60);

fn factgraph(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn temporary_files(dir: &Path) -> Vec<String> {
    listing(dir)
        .into_iter()
        .filter(|n| n.contains(".factgraph-") && n.ends_with(".tmp"))
        .collect()
}

/// Waits until `child` has a temporary file in `dir` with some bytes in it: the moment a signal
/// must clean up after it.
fn wait_for_temporary_file(child: &mut Child, dir: &Path) -> PathBuf {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(name) = temporary_files(dir).first() {
            let path = dir.join(name);
            if std::fs::metadata(&path).is_ok_and(|m| m.len() > 0) {
                return path;
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("finished ({status}) before it was interrupted: make its work larger");
        }
        assert!(Instant::now() < deadline, "no temporary file appeared");
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn signal(child: &Child, name: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

fn finished(child: Child) -> Output {
    child.wait_with_output().unwrap()
}

fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("factgraph-{name}-"))
        .tempdir()
        .unwrap()
}

/// A generated fact file big enough that exporting it takes a while, even in a release build.
fn big_graph(dir: &Path) -> PathBuf {
    let made = factgraph(dir, &["generate", "--facts", "100000", "-o", "big.ron"])
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    dir.join("big.ron")
}

#[test]
fn sigterm_and_sigint_during_generate_leave_no_file() {
    for name in ["TERM", "INT"] {
        let dir = scratch("generate");
        let mut child = factgraph(
            dir.path(),
            &["generate", "--facts", "50000000", "-o", "huge.ron"],
        )
        .spawn()
        .unwrap();
        wait_for_temporary_file(&mut child, dir.path());
        signal(&child, name);
        let output = finished(child);
        assert_eq!(output.status.code(), Some(130), "SIG{name}: {output:?}");
        assert!(output.stderr.is_empty(), "SIG{name}: {output:?}");
        assert_eq!(listing(dir.path()), Vec::<String>::new(), "SIG{name}");
    }
}

#[test]
fn sigterm_during_a_file_export_leaves_no_file() {
    let dir = scratch("export");
    big_graph(dir.path());
    let mut child = factgraph(
        dir.path(),
        &[
            "--no-cache",
            "-g",
            "big.ron",
            "export",
            "--format",
            "ntriples",
            "-o",
            "big.nt",
        ],
    )
    .spawn()
    .unwrap();
    wait_for_temporary_file(&mut child, dir.path());
    signal(&child, "TERM");
    let output = finished(child);
    assert_eq!(output.status.code(), Some(130), "{output:?}");
    assert_eq!(listing(dir.path()), ["big.ron"]);
}

/// In a script the interrupt stops the statement, the export's write with it, and then the run.
#[test]
fn sigint_during_a_script_export_stops_it_and_leaves_no_file() {
    let dir = scratch("script");
    big_graph(dir.path());
    std::fs::write(
        dir.path().join("draw.kgq"),
        "export ntriples big.nt\nstats\n",
    )
    .unwrap();
    let mut child = factgraph(
        dir.path(),
        &["--no-cache", "-g", "big.ron", "run", "draw.kgq"],
    )
    .spawn()
    .unwrap();
    wait_for_temporary_file(&mut child, dir.path());
    signal(&child, "INT");
    let output = finished(child);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("writing `big.nt` was interrupted"),
        "{stderr}"
    );
    assert!(
        output.stdout.is_empty(),
        "the run went on after the interrupt"
    );
    assert_eq!(listing(dir.path()), ["big.ron", "draw.kgq"]);
}

/// SIGKILL leaves the temporary file: no process can clean up after it. The next write in that
/// directory sees that its process is gone and removes it.
#[test]
fn the_next_run_removes_what_a_killed_run_left() {
    let dir = scratch("killed");
    let mut child = factgraph(
        dir.path(),
        &["generate", "--facts", "50000000", "-o", "huge.ron"],
    )
    .spawn()
    .unwrap();
    let left = wait_for_temporary_file(&mut child, dir.path());
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(left.exists(), "SIGKILL cannot have removed it");
    let small = factgraph(
        dir.path(),
        &["generate", "--facts", "100", "-o", "small.ron"],
    )
    .output()
    .unwrap();
    assert!(small.status.success(), "{small:?}");
    assert_eq!(listing(dir.path()), ["small.ron"]);
}

/// Runs factgraph with `args` in `dir` writing into a pipe whose reader has already gone, as
/// `factgraph ... | head -0` does when head is quicker; returns the exit status and stderr. With
/// `both`, stderr goes into the pipe too (`2>&1 | head -0`) and only the status is seen.
fn with_reader_gone(dir: &Path, args: &[&str], both: bool) -> (i32, String) {
    // The reader (`true`) exits at once; factgraph starts later, so every write meets a closed
    // pipe and fails with EPIPE.
    let redirect = if both { "2>&1" } else { "2>err" };
    let script = format!(r#"(sleep 0.3; "$0" "$@" {redirect} </dev/null; echo $? >status) | true"#);
    let ran = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .status()
        .unwrap();
    assert!(ran.success());
    let status = std::fs::read_to_string(dir.join("status")).unwrap();
    let stderr = std::fs::read_to_string(dir.join("err")).unwrap_or_default();
    let _ = std::fs::remove_file(dir.join("err"));
    (status.trim().parse().unwrap(), stderr)
}

#[test]
fn a_reader_that_goes_away_ends_every_command_quietly() {
    let dir = scratch("pipe");
    let small = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.ron");
    let small = small.to_str().unwrap();
    std::fs::write(dir.path().join("in.tsv"), "a\tr\tb\n").unwrap();
    std::fs::write(dir.path().join("two.kgq"), "stats\nentities\n").unwrap();
    let commands: [&[&str]; 10] = [
        &["query", "stats"],
        &["query", "--format", "json", "stats"],
        &["stats"],
        &["check", small],
        &["-g", small, "run", "two.kgq"],
        &["-g", small],
        &["-g", small, "export", "--format", "dot"],
        &["import", "--from", "tsv", "in.tsv", "-o", "out.ron"],
        &["generate", "--facts", "100", "-o", "gen.ron"],
        &["--help"],
    ];
    for args in commands {
        let (status, stderr) = with_reader_gone(dir.path(), args, false);
        assert_eq!((status, stderr.as_str()), (0, ""), "{args:?}");
    }
    // The files were written all the same; only the report of it had no reader.
    assert!(dir.path().join("out.ron").exists());
    assert!(dir.path().join("gen.ron").exists());
    // An error with nowhere to go is still an error, and still no panic (which exits 101).
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad/five-mistakes.ron");
    let (status, _) = with_reader_gone(dir.path(), &["check", bad.to_str().unwrap()], true);
    assert_eq!(status, 1);
}
