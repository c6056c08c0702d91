use super::*;
use std::sync::atomic::{AtomicBool, Ordering};

fn write(dest: &Destination, text: &str) -> Result<Option<Written>, WriteError> {
    dest.write_with(|out| out.write_all(text.as_bytes()))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// Every file in `dir`, sorted: what a user would see there.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_existing_file_is_replaced_only_when_forced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.txt");
    write(&Destination::new(&out), "first").unwrap();
    let refused = write(&Destination::new(&out), "second").unwrap_err();
    assert!(matches!(refused, WriteError::Exists { .. }), "{refused:?}");
    assert_eq!(read(&out), "first");
    write(&Destination::new(&out).force(true), "third").unwrap();
    assert_eq!(read(&out), "third");
    assert_eq!(
        listing(dir.path()),
        ["out.txt"],
        "no temporary file is left"
    );
}

#[test]
fn a_file_that_appears_while_writing_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.txt");
    let refused = Destination::new(&out)
        .write_with(|w| {
            std::fs::write(&out, "someone else's").unwrap();
            w.write_all(b"ours")
        })
        .unwrap_err();
    assert!(matches!(refused, WriteError::Exists { .. }), "{refused:?}");
    assert_eq!(read(&out), "someone else's");
    assert_eq!(listing(dir.path()), ["out.txt"]);
}

#[cfg(unix)]
#[test]
fn inputs_are_refused_through_links_even_when_forced() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.ron");
    std::fs::write(&input, "facts").unwrap();
    let hard = dir.path().join("hard.ron");
    std::fs::hard_link(&input, &hard).unwrap();
    let soft = dir.path().join("soft.ron");
    std::os::unix::fs::symlink("in.ron", &soft).unwrap();
    for target in [&input, &hard, &soft, &dir.path().join(".").join("in.ron")] {
        let dest = Destination::new(target)
            .force(true)
            .protect([&input], Role::FactFile);
        let refused = write(&dest, "clobbered").unwrap_err();
        assert!(
            matches!(
                refused,
                WriteError::IsInput {
                    role: Role::FactFile,
                    ..
                }
            ),
            "{}: {refused:?}",
            target.display()
        );
    }
    assert_eq!(read(&input), "facts");
    // The message names the input when the target is another name for it.
    let message = Destination::new(&hard)
        .protect([&input], Role::Script)
        .check()
        .unwrap_err()
        .to_diagnostic()
        .message;
    assert!(
        message.contains("in.ron`, the script being run"),
        "{message}"
    );
}

#[cfg(unix)]
#[test]
fn only_regular_files_are_replaced_even_when_forced() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let to_null = dir.path().join("null-link");
    std::os::unix::fs::symlink("/dev/null", &to_null).unwrap();
    let to_fifo = dir.path().join("fifo-link");
    std::os::unix::fs::symlink(&fifo, &to_fifo).unwrap();
    let mut cases = vec![
        (dir.path().to_path_buf(), "is a directory"),
        (fifo.clone(), "is a named pipe, not a regular file"),
        (PathBuf::from("/dev/null"), "is a character device"),
        (
            to_null,
            "symbolic link to `/dev/null`, which is a character device",
        ),
        (to_fifo, "which is a named pipe"),
    ];
    // The red team's case: a link to the process's own stdout, which is a pipe or a terminal
    // unless the tests' output goes to a file (then it is a regular file, and may be replaced).
    let stdout_is_file = std::fs::metadata("/proc/self/fd/1").is_ok_and(|m| m.is_file());
    let link = dir.path().join("stdout-link");
    if !stdout_is_file && std::os::unix::fs::symlink("/proc/self/fd/1", &link).is_ok() {
        cases.push((link, "symbolic link to `/proc/self/fd/1`"));
    }
    for (target, says) in cases {
        for force in [false, true] {
            let refused = write(&Destination::new(&target).force(force), "x").unwrap_err();
            let message = refused.to_diagnostic().message;
            assert!(
                matches!(refused, WriteError::NotRegular { .. }) && message.contains(says),
                "{} (force {force}): {message}",
                target.display()
            );
        }
    }
    use std::os::unix::fs::FileTypeExt;
    let still = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(still.is_fifo(), "the pipe is still a pipe");
}

#[cfg(unix)]
#[test]
fn a_link_to_a_regular_file_is_followed_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.dot");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.dot");
    std::os::unix::fs::symlink("real.dot", &link).unwrap();
    write(&Destination::new(&link).force(true), "new").unwrap();
    assert_eq!(read(&real), "new");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let dangling = dir.path().join("dangling");
    std::os::unix::fs::symlink("missing", &dangling).unwrap();
    let refused = write(&Destination::new(&dangling).force(true), "x").unwrap_err();
    assert!(
        matches!(refused, WriteError::DanglingLink { .. }),
        "{refused:?}"
    );
    assert!(!dir.path().join("missing").exists());
}

#[cfg(unix)]
#[test]
fn a_file_this_session_wrote_is_replaced_but_not_one_put_in_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.dot");
    let ours = write(&Destination::new(&out), "one").unwrap().unwrap();
    let again = write(&Destination::new(&out).ours(&[ours]), "two").unwrap();
    assert_eq!(read(&out), "two");
    std::fs::remove_file(&out).unwrap();
    std::fs::write(&out, "theirs").unwrap();
    let refused = write(
        &Destination::new(&out).ours(&[ours, again.unwrap()]),
        "three",
    );
    assert!(matches!(refused, Err(WriteError::Exists { .. })));
    assert_eq!(read(&out), "theirs");
}

#[test]
fn a_cancelled_write_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big.nt");
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let dest = Destination::new(&out).cancelled_by(move || flag.load(Ordering::SeqCst));
    let refused = dest
        .write_with(|w| {
            for i in 0.. {
                if i == 1000 {
                    stop.store(true, Ordering::SeqCst);
                }
                writeln!(w, "line {i} of an endless export")?;
            }
            Ok(())
        })
        .unwrap_err();
    assert!(
        matches!(refused, WriteError::Cancelled { .. }),
        "{refused:?}"
    );
    assert!(listing(dir.path()).is_empty());
}

/// What the interrupt handler would remove: checked here without removing anything, because tests
/// in this process write files side by side.
#[test]
fn unfinished_files_are_registered_until_moved() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.txt");
    let mut seen = None;
    write_with_check(&Destination::new(&out), |temp| seen = Some(temp));
    let temp = seen.unwrap();
    assert!(
        !temp::is_unfinished(&temp),
        "moved into place, no longer listed"
    );
    assert_eq!(read(&out), "x");
}

/// Writes `x`, handing `during` the temporary file, which must be listed as unfinished meanwhile.
fn write_with_check(dest: &Destination, during: impl FnOnce(PathBuf)) {
    let dir = dest.path().parent().unwrap().to_path_buf();
    dest.write_with(|w| {
        let names = listing(&dir);
        assert_eq!(names.len(), 1, "{names:?}");
        let temp = std::path::absolute(dir.join(&names[0])).unwrap();
        assert!(temp::is_unfinished(&temp), "{}", temp.display());
        during(temp);
        w.write_all(b"x")
    })
    .unwrap();
}

#[test]
fn temporary_names_carry_their_process() {
    assert_eq!(temp::owner(".out.nt.factgraph-4242-aB3xY9.tmp"), Some(4242));
    assert_eq!(
        temp::owner(".a.factgraph-b.factgraph-7-000000.tmp"),
        Some(7)
    );
    for name in [
        "out.nt",
        ".out.nt.factgraph-42.tmp",
        ".out.nt.factgraph--aB3xY9.tmp",
        ".out.nt.factgraph-+42-aB3xY9.tmp",
        ".out.nt.factgraph-42-aB3xY.tmp",
        ".out.nt.factgraph-42-aB3xY9.tmp~",
    ] {
        assert_eq!(temp::owner(name), None, "{name}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn stale_temporary_files_of_dead_processes_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let stale = format!(".out.nt.factgraph-{dead}-abc123.tmp");
    let live = format!(".out.nt.factgraph-{}-abc123.tmp", std::process::id());
    let theirs = format!(".out.nt.other-{dead}-abc123.tmp");
    for name in [&stale, &live, &theirs] {
        std::fs::write(dir.path().join(name), "partial").unwrap();
    }
    write(&Destination::new(dir.path().join("other.dot")), "x").unwrap();
    let mut expected = vec![live, theirs, "other.dot".to_string()];
    expected.sort();
    assert_eq!(listing(dir.path()), expected);
}
