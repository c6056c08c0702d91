#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! `factgraph export` and `factgraph import` as a user runs them: files, refusals and exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.ron")
}

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_factgraph"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn export_writes_files_safely() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    let g = g.to_str().unwrap();
    let ok = run(
        dir.path(),
        &["-g", g, "export", "--format", "dot", "-o", "out.dot"],
        &[],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    let first = std::fs::read(dir.path().join("out.dot")).unwrap();
    assert!(first.starts_with(b"// factgraph export"));

    let again = run(
        dir.path(),
        &["-g", g, "export", "--format", "dot", "-o", "out.dot"],
        &[],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert!(stderr(&again).contains("--force"));

    let forced = run(
        dir.path(),
        &[
            "-g", g, "export", "--format", "json", "-o", "out.dot", "--force",
        ],
        &[],
    );
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(std::fs::read(dir.path().join("out.dot"))
        .unwrap()
        .starts_with(b"{"));

    // The fact file being read is never a target, whatever the flags.
    std::fs::copy(fixture(), dir.path().join("in.ron")).unwrap();
    let input = run(
        dir.path(),
        &[
            "-g", "in.ron", "export", "--format", "dot", "-o", "./in.ron", "--force",
        ],
        &[],
    );
    assert_eq!(input.status.code(), Some(1));
    assert!(
        stderr(&input).contains("fact file being read"),
        "{}",
        stderr(&input)
    );
    assert_eq!(
        std::fs::read(dir.path().join("in.ron")).unwrap(),
        std::fs::read(fixture()).unwrap()
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn csv_needs_a_directory_and_writes_two_files() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    let g = g.to_str().unwrap();
    let bare = run(dir.path(), &["-g", g, "export", "--format", "csv"], &[]);
    assert_eq!(bare.status.code(), Some(2));
    assert!(stderr(&bare).contains("-o DIR"), "{}", stderr(&bare));
    let ok = run(
        dir.path(),
        &["-g", g, "export", "--format", "csv", "-o", "neo4j"],
        &[],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    for file in ["nodes.csv", "edges.csv"] {
        assert!(dir.path().join("neo4j").join(file).exists());
    }
}

#[test]
fn images_without_graphviz_name_the_package_and_leave_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    let out = run(
        dir.path(),
        &[
            "-g",
            g.to_str().unwrap(),
            "export",
            "--format",
            "svg",
            "-o",
            "graph.svg",
        ],
        &[("FACTGRAPH_DOT", "/nonexistent/dot")],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(text.contains("`graphviz` package"), "{text}");
    assert!(!dir.path().join("graph.svg").exists());
}

#[test]
fn usage_mistakes_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    let g = g.to_str().unwrap();
    for args in [
        vec!["-g", g, "export", "--format", "dot", "--at", "2017-02-30"],
        vec![
            "-g",
            g,
            "export",
            "--format",
            "ntriples",
            "--base",
            "no scheme",
        ],
        vec!["-g", g, "export", "--format", "gif"],
    ] {
        let out = run(dir.path(), &args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"));
    }
}

#[test]
fn json_export_imports_back_to_a_fact_file_check_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    let g = g.to_str().unwrap();
    let json = run(
        dir.path(),
        &["-g", g, "export", "--format", "json", "-o", "graph.json"],
        &[],
    );
    assert!(json.status.success(), "{}", stderr(&json));
    let import = run(
        dir.path(),
        &["import", "--from", "json", "graph.json", "-o", "graph.ron"],
        &[],
    );
    assert!(import.status.success(), "{}", stderr(&import));
    let check = run(dir.path(), &["check", "graph.ron"], &[]);
    assert!(check.status.success(), "{}", stderr(&check));
    let original = run(dir.path(), &["check", g], &[]);
    assert_eq!(check.stdout, original.stdout);
    // Exporting the imported file gives the same JSON.
    let again = run(
        dir.path(),
        &["-g", "graph.ron", "export", "--format", "json"],
        &[],
    );
    assert_eq!(
        again.stdout,
        std::fs::read(dir.path().join("graph.json")).unwrap()
    );
    let refused = run(
        dir.path(),
        &["import", "--from", "json", "graph.json", "-o", "graph.ron"],
        &[],
    );
    assert_eq!(refused.status.code(), Some(1));
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// `import` and `generate` keep what is at `-o` as `export` does, and an import never writes over
/// its own input, whatever the flags or the name it is given by.
#[test]
fn import_and_generate_refuse_to_clobber() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name);
    std::fs::write(at("in.tsv"), "a\tr\tb\n").unwrap();
    std::fs::write(at("taken.ron"), "keep me").unwrap();
    #[cfg(unix)]
    std::fs::hard_link(at("in.tsv"), at("also-in.tsv")).unwrap();
    let import = |out: &str, force: bool| {
        let mut args = vec!["import", "--from", "tsv", "in.tsv", "-o", out];
        if force {
            args.push("--force");
        }
        run(dir.path(), &args, &[])
    };
    let refused = import("taken.ron", false);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("already exists"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(read(&at("taken.ron")), b"keep me");
    for own_input in ["in.tsv", "./in.tsv", "also-in.tsv"] {
        if own_input == "also-in.tsv" && !cfg!(unix) {
            continue;
        }
        let refused = import(own_input, true);
        assert_eq!(refused.status.code(), Some(1), "{own_input}");
        assert!(
            stderr(&refused).contains("the file being imported"),
            "{own_input}: {}",
            stderr(&refused)
        );
        assert_eq!(read(&at("in.tsv")), b"a\tr\tb\n");
    }
    assert!(import("taken.ron", true).status.success());
    assert!(read(&at("taken.ron")).starts_with(b"// Imported"));

    let json = run(
        dir.path(),
        &[
            "import",
            "--from",
            "json",
            "taken.ron",
            "-o",
            "taken.ron",
            "--force",
        ],
        &[],
    );
    assert_eq!(json.status.code(), Some(1));
    assert!(
        stderr(&json).contains("the file being imported"),
        "{}",
        stderr(&json)
    );

    let generate = |force: bool| {
        let mut args = vec!["generate", "--facts", "50", "-o", "taken.ron"];
        if force {
            args.push("--force");
        }
        run(dir.path(), &args, &[])
    };
    std::fs::write(at("taken.ron"), "keep me").unwrap();
    let refused = generate(false);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("already exists"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(read(&at("taken.ron")), b"keep me");
    assert!(generate(true).status.success());
    assert!(read(&at("taken.ron")).starts_with(b"// Generated"));

    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    names.sort();
    assert!(names.is_empty(), "temporary files left: {names:?}");
}

/// A device, a pipe or a link to one is never replaced, even with `--force`, and the message says
/// what is there.
#[cfg(unix)]
#[test]
fn forced_writes_replace_only_regular_files() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    let g = g.to_str().unwrap();
    std::os::unix::fs::symlink("/proc/self/fd/1", dir.path().join("stdout.dot")).unwrap();
    std::fs::create_dir(dir.path().join("folder")).unwrap();
    for (target, says) in [
        ("/dev/null", "`/dev/null` is a character device"),
        (
            "stdout.dot",
            "`stdout.dot` is a symbolic link to `/proc/self/fd/1`",
        ),
        ("folder", "`folder` is a directory"),
    ] {
        for args in [
            vec![
                "-g", g, "export", "--format", "dot", "-o", target, "--force",
            ],
            vec!["generate", "--facts", "10", "-o", target, "--force"],
        ] {
            let out = run(dir.path(), &args, &[]);
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
            assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
        }
    }
    use std::os::unix::fs::FileTypeExt;
    let link = std::fs::symlink_metadata(dir.path().join("stdout.dot")).unwrap();
    assert!(link.is_symlink());
    // As root, a rename would have replaced the device itself.
    let null = std::fs::metadata("/dev/null").unwrap().file_type();
    assert!(null.is_char_device());
}

/// A script's `export` follows the rules of `-o`: it keeps what it did not write unless told
/// `force`, replaces what the same run wrote, and never touches the fact files or itself.
#[test]
fn script_export_keeps_files_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name);
    std::fs::copy(fixture(), at("in.ron")).unwrap();
    std::fs::write(at("theirs.dot"), "keep me").unwrap();
    let script = |name: &str, text: &str| {
        std::fs::write(at(name), text).unwrap();
        run(dir.path(), &["-g", "in.ron", "run", name], &[])
    };

    let refused = script("a.kgq", "export dot theirs.dot\n");
    assert_eq!(refused.status.code(), Some(1));
    let text = stderr(&refused);
    assert!(
        text.contains("`theirs.dot` already exists")
            && text.contains("`export dot theirs.dot force`"),
        "{text}"
    );
    assert_eq!(read(&at("theirs.dot")), b"keep me");

    let forced = script("b.kgq", "export dot theirs.dot force\n");
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(read(&at("theirs.dot")).starts_with(b"// factgraph export"));

    // What this run wrote, it may write again; a new run did not write it.
    let twice = script("c.kgq", "export dot mine.dot\nexport json mine.dot\n");
    assert!(twice.status.success(), "{}", stderr(&twice));
    assert!(read(&at("mine.dot")).starts_with(b"{"));
    let again = script("c.kgq", "export dot mine.dot\nexport json mine.dot\n");
    assert_eq!(again.status.code(), Some(1));
    assert!(read(&at("mine.dot")).starts_with(b"{"));

    for (name, line, says) in [
        (
            "d.kgq",
            "export dot in.ron force\n",
            "`in.ron` is a fact file being read",
        ),
        (
            "e.kgq",
            "export dot e.kgq force\n",
            "`e.kgq` is the script being run",
        ),
        (
            "f.kgq",
            "export dot ./f.kgq force\n",
            "the script being run",
        ),
    ] {
        let before = std::fs::read(fixture()).unwrap();
        let out = script(name, line);
        assert_eq!(out.status.code(), Some(1), "{line}");
        assert!(stderr(&out).contains(says), "{line}: {}", stderr(&out));
        assert_eq!(read(&at(name)), line.as_bytes());
        assert_eq!(read(&at("in.ron")), before);
    }
}

/// Without `--format`, the ending of `-o` names the format, in any case; a given format wins.
#[test]
fn the_output_name_tells_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    let g = g.to_str().unwrap();
    for (file, starts) in [
        ("graph.gv", &b"// factgraph export"[..]),
        ("graph.DOT", b"// factgraph export"),
        ("graph.json", b"{"),
        ("graph.graphml", b"<?xml"),
        ("graph.nt", b"<https://example.org/"),
    ] {
        let out = run(dir.path(), &["-g", g, "export", "-o", file], &[]);
        assert!(out.status.success(), "{file}: {}", stderr(&out));
        let written = read(&dir.path().join(file));
        assert!(written.starts_with(starts), "{file}: {:?}", &written[..20]);
    }
    let given = run(
        dir.path(),
        &["-g", g, "export", "--format", "json", "-o", "given.dot"],
        &[],
    );
    assert!(given.status.success(), "{}", stderr(&given));
    assert!(read(&dir.path().join("given.dot")).starts_with(b"{"));
}

/// An ending that names no format, or none at all, is a usage error that lists what would do,
/// and writes nothing; CSV, a directory, always needs `--format csv`.
#[test]
fn a_name_that_names_no_format_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    let g = g.to_str().unwrap();
    for args in [
        vec!["-g", g, "export", "-o", "graph.docx"],
        vec!["-g", g, "export", "-o", "tables"],
    ] {
        let out = run(dir.path(), &args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let text = stderr(&out);
        assert!(
            text.contains("cannot tell the export format from the name")
                && text.contains(".svg .png .pdf")
                && text.contains("--format csv"),
            "{text}"
        );
    }
    let neither = run(dir.path(), &["-g", g, "export"], &[]);
    assert_eq!(neither.status.code(), Some(2));
    assert!(stderr(&neither).contains("export needs a format"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Standard output that is a pipe or a file is no terminal: a binary picture goes there as asked.
/// (tests/repl_pty.rs checks the refusal on a real terminal.)
#[cfg(unix)]
#[test]
fn a_png_flows_down_a_pipe() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // Stands in for Graphviz, which the test machine may lack: reads the dot, writes "PNG".
    let fake = dir.path().join("fake-dot");
    std::fs::write(&fake, "#!/bin/sh\ncat >/dev/null\nprintf '\\211PNG'\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let g = fixture();
    let out = run(
        dir.path(),
        &["-g", g.to_str().unwrap(), "export", "--format", "png"],
        &[("FACTGRAPH_DOT", fake.to_str().unwrap())],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(out.stdout, b"\x89PNG");
}

/// In a script, `export FILE` names the format by the file too; a name that names none is an
/// error pointing at it.
#[test]
fn a_script_export_takes_its_format_from_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    std::fs::write(
        dir.path().join("draw.kgq"),
        "export tadmor.gv neighbors Tadmor\nexport tadmor.docx\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["-g", g.to_str().unwrap(), "run", "draw.kgq"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(read(&dir.path().join("tadmor.gv")).starts_with(b"// factgraph export"));
    let text = stderr(&out);
    assert!(
        text.contains("cannot tell the export format from the name `tadmor.docx`")
            && text.contains("draw.kgq:2:8")
            && text.contains("export dot|graphml|json|ntriples|cypher|csv|svg|png|pdf tadmor.docx"),
        "{text}"
    );
    assert!(!dir.path().join("tadmor.docx").exists());
}

/// `--focus` takes any name a query would, and says what it may have meant; `--depth` without
/// it is a usage error.
#[test]
fn focus_takes_a_name_and_depth_needs_it() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    let g = g.to_str().unwrap();
    let ok = run(
        dir.path(),
        &[
            "-g", g, "export", "--focus", "regime", "--depth", "2", "-o", "ego.dot",
        ],
        &[],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    let dot = String::from_utf8(read(&dir.path().join("ego.dot"))).unwrap();
    assert!(
        dot.starts_with("// factgraph export: 7 entities, 8 facts"),
        "{dot}"
    );

    let unknown = run(
        dir.path(),
        &["-g", g, "export", "-f", "dot", "--focus", "Tadnor"],
        &[],
    );
    assert_eq!(unknown.status.code(), Some(1));
    let text = stderr(&unknown);
    assert!(
        text.contains("unknown entity `Tadnor` for --focus")
            && text.contains("did you mean `tadmor`?"),
        "{text}"
    );
    // A name spelt otherwise is read as a query reads it, and says so.
    let spelt = run(
        dir.path(),
        &["-g", g, "export", "-f", "dot", "--focus", "Tadmr"],
        &[],
    );
    assert!(spelt.status.success(), "{}", stderr(&spelt));
    let text = stderr(&spelt);
    assert!(text.contains("note: `Tadmr` read as "), "{text}");
    let depth = run(
        dir.path(),
        &["-g", g, "export", "-f", "dot", "--depth", "2"],
        &[],
    );
    assert_eq!(depth.status.code(), Some(2), "{}", stderr(&depth));
}

/// In a script, `export FILE focus ENTITY [depth N]` draws the same ego picture as `--focus`, and
/// an unknown name is reported where it stands, as in a query.
#[test]
fn a_script_draws_an_ego_picture_with_focus() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    std::fs::write(
        dir.path().join("ego.kgq"),
        "export ego.dot focus regime depth 2\nexport bad.dot focus Tadnor\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["-g", g.to_str().unwrap(), "run", "ego.kgq"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let script = read(&dir.path().join("ego.dot"));
    let cli = run(
        dir.path(),
        &[
            "-g",
            g.to_str().unwrap(),
            "export",
            "--focus",
            "Syrian government",
            "--depth",
            "2",
            "--format",
            "dot",
        ],
        &[],
    );
    assert_eq!(script, cli.stdout);
    assert!(script.starts_with(b"// factgraph export: 7 entities, 8 facts"));
    let text = stderr(&out);
    assert!(
        text.contains("unknown entity `Tadnor`")
            && text.contains("ego.kgq:2:22")
            && text.contains("did you mean `tadmor`?"),
        "{text}"
    );
    assert!(!dir.path().join("bad.dot").exists());
}

#[test]
fn a_written_export_says_where_and_how_much() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture();
    let g = g.to_str().unwrap();
    let stats = run(dir.path(), &["-g", g, "stats"], &[]);
    let stats = String::from_utf8_lossy(&stats.stdout).into_owned();
    let whole = run(dir.path(), &["-g", g, "export", "-o", "whole.json"], &[]);
    assert!(whole.status.success(), "{}", stderr(&whole));
    let said = String::from_utf8_lossy(&whole.stdout).into_owned();
    let counts = said
        .strip_prefix("wrote whole.json (")
        .and_then(|rest| rest.strip_suffix(" facts)\n"))
        .unwrap_or_else(|| panic!("{said}"));
    let (entities, facts) = counts.split_once(" entities, ").unwrap();
    // The counts are the graph's own, as `stats` gives them.
    let stat = |name: &str| {
        let line = stats.lines().find(|l| l.trim_start().starts_with(name));
        line.and_then(|l| l.split_whitespace().nth(1))
            .map(str::to_string)
    };
    assert_eq!(stat("entities").as_deref(), Some(entities), "{stats}");
    assert_eq!(stat("facts").as_deref(), Some(facts), "{stats}");

    // A query's part is counted as what was written, not as the whole graph.
    let part = run(
        dir.path(),
        &[
            "-g",
            g,
            "export",
            "--query",
            "neighbors ISIL",
            "-o",
            "part.dot",
        ],
        &[],
    );
    let said = String::from_utf8_lossy(&part.stdout).into_owned();
    assert!(
        said.starts_with("wrote part.dot ("),
        "{said}{}",
        stderr(&part)
    );
    assert_ne!(
        said.replace("part.dot", "whole.json"),
        String::from_utf8_lossy(&whole.stdout)
    );

    // Without -o the export is the standard output and nothing else.
    let streamed = run(dir.path(), &["-g", g, "export", "-f", "json"], &[]);
    assert!(!String::from_utf8_lossy(&streamed.stdout).contains("wrote"));
}
