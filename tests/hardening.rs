#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Inputs that try to exhaust memory or time: they must end in an answer, a capped answer with a
//! note, or a clean error, never a panic or a hang.

use factgraph::fact_file::SourceText;
use factgraph::graph::KnowledgeGraph;
use factgraph::load::GraphSpec;
use factgraph::query::answer::Answer;
use factgraph::query::eval::{CancelToken, EvalError, Evaluator, Scratch};
use factgraph::query::resolve::resolve;
use factgraph::query::{parse_statement, Statement};
use factgraph::session::{Input, Outcome, Session};
use factgraph::validate::load;
use std::fmt::Write;

mod common;

fn resolved(graph: &KnowledgeGraph, text: &str) -> factgraph::query::resolve::Resolved {
    let Statement::Query(query) = parse_statement(text).unwrap() else {
        panic!("{text}")
    };
    resolve(graph, &query).unwrap().0
}

/// A dense graph where `path ... all` has astronomically many answers.
fn dense_graph(nodes: usize, facts_per_node: usize) -> KnowledgeGraph {
    let mut text = String::from(
        "(\n sources: [(id: \"s\", title: \"t\", publisher: \"p\", published: \"2017\")],\n",
    );
    text.push_str(
        " relations: [(name: \"r\", inverse: \"r_by\", self_loops: true)],\n entities: [\n",
    );
    for i in 0..nodes {
        let _ = writeln!(
            text,
            "  (id: \"n{i}\", name: \"node {i}\", kind: \"thing\"),"
        );
    }
    text.push_str(" ],\n facts: [\n");
    let mut seed = 7u64;
    for i in 0..nodes {
        for k in 0..facts_per_node {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let j = (seed >> 33) as usize % nodes;
            let _ = writeln!(text, "  (subject: \"n{i}\", relation: \"r\", object: \"n{j}\", when: \"{}\", source: \"s\", quote: \"q{k}\"),", 2000 + k);
        }
    }
    text.push_str(" ],\n)\n");
    KnowledgeGraph::new(load(&[SourceText::new("dense.ron", text)], &[]).unwrap())
}

#[test]
fn a_cancelled_enumeration_stops_and_the_evaluator_stays_usable() {
    // 200 nodes of 8 facts: the distances computed before the enumeration read 3,200 edges, fewer
    // than the 4,096 between two polls of the token, so the first poll falls in the enumeration.
    let graph = dense_graph(200, 8);
    let query = resolved(&graph, "path n0 to n1 all min 11 max 12 limit 1000000");
    let cancel = CancelToken::new();
    let stopper = cancel.clone();
    // Cancelled from another thread (as by SIGINT) before the search starts, not after a delay:
    // the search ends at its step limit in tens of milliseconds, so a 50 ms timer raced it.
    std::thread::spawn(move || stopper.cancel()).join().unwrap();
    let mut scratch = Scratch::default();
    let outcome = Evaluator::new(&graph, None, &cancel).eval(&query, &mut scratch);
    assert_eq!(outcome.err(), Some(EvalError::Cancelled));
    cancel.reset();
    let again = Evaluator::new(&graph, None, &cancel)
        .eval(&resolved(&graph, "path n0 to n1"), &mut scratch);
    assert!(matches!(again, Ok(Answer::Paths { .. })));
}

#[test]
fn path_enumeration_stops_at_its_limit_and_says_so() {
    let graph = dense_graph(60, 6);
    let cancel = CancelToken::new();
    let answer = Evaluator::new(&graph, None, &cancel)
        .eval(
            &resolved(&graph, "path n0 to n1 all max 8 limit 50"),
            &mut Scratch::default(),
        )
        .unwrap();
    let Answer::Paths {
        paths, truncated, ..
    } = answer
    else {
        panic!()
    };
    assert_eq!(paths.len(), 50);
    assert!(truncated.unwrap().contains("limit of 50 paths"));
}

#[test]
fn a_cross_product_match_is_capped_with_a_note() {
    let mut session = Session::open(GraphSpec::new(Vec::new())).unwrap();
    let Ok(Outcome::Output(text)) =
        session.execute(Input::line("query", "match ?a ?r ?b, ?c ?s ?d"))
    else {
        panic!("the match failed")
    };
    assert!(text.starts_with("10000 matches"), "{}", &text[..80]);
    assert!(text.contains("note: stopped at 10000 rows"));
}

#[test]
fn a_fifty_megabyte_quote_loads() {
    let quote = "x".repeat(50 * 1024 * 1024);
    let text = format!(
        "(sources: [(id: \"s\", title: \"t\", publisher: \"p\", published: \"2017\")],\n\
          relations: [(name: \"r\")],\n\
          entities: [(id: \"a\", name: \"A\", kind: \"thing\"), (id: \"b\", name: \"B\", kind: \"thing\")],\n\
          facts: [(subject: \"a\", relation: \"r\", object: \"b\", source: \"s\", quote: \"{quote}\")])"
    );
    let model = load(&[SourceText::new("big.ron", text)], &[]).unwrap();
    assert_eq!(model.quote(factgraph::model::FactId(0)).len(), quote.len());
}

/// A name that recolours the terminal (`ESC[31m`) and one that reverses it (U+202E), in every
/// field a text answer prints: the answer must show them escaped, as diagnostics do.
const HOSTILE: &str = "(
  sources: [(id: \"s\", title: \"T\u{1b}[31m\", publisher: \"P\u{202e}\", published: \"2017\",
             url: \"https://example.org/\u{1b}]8;;x\")],
  relations: [(name: \"r\", inverse: \"r_by\", starts_state: \"controls\",
               description: \"d\u{1b}[2J\")],
  entities: [
    (id: \"red\", name: \"Red\u{1b}[31m\u{202e}name\", kind: \"actor\", aliases: [\"a\u{7}\\t\"],
     tags: [\"t\u{202e}\"], attributes: {\"k\u{1b}\": \"v\u{202e}\"}),
    (id: \"b\", name: \"Blue\", kind: \"place\"),
  ],
  facts: [(subject: \"red\", relation: \"r\", object: \"b\", when: \"2017\", source: \"s\",
           quote: \"q\u{1b}[0m\u{202e}\", note: \"n\u{1b}\", reported_by: [\"red\"])],
)";

#[test]
fn control_and_bidi_characters_from_the_data_are_escaped_in_human_output() {
    let model = load(&[SourceText::new("hostile.ron", HOSTILE)], &[]).unwrap();
    let mut session = Session::with_graph(GraphSpec::new(Vec::new()), KnowledgeGraph::new(model));
    let queries = [
        "show red",
        "neighbors red",
        "path red to b",
        "match ?x r ?y",
        "why red r b",
        "timeline red",
        "entities",
        "relations",
        "sources",
        "stats",
    ];
    // Line breaks, and tabs between TSV fields, are the format's own.
    let raw = |c: char| {
        (c.is_control() && !matches!(c, '\n' | '\t'))
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    for format in ["text", "tsv", "markdown"] {
        let set = format!("set format {format}");
        session.execute(Input::line("t", &set)).unwrap();
        for query in queries {
            let Ok(Outcome::Output(out)) = session.execute(Input::line("t", query)) else {
                panic!("{query} did not answer");
            };
            let tabs = format == "tsv" || !out.contains('\t');
            let shown: String = out.chars().filter(|&c| raw(c)).collect();
            assert!(tabs, "{format} `{query}` printed a tab:\n{out}");
            assert!(
                shown.is_empty(),
                "{format} `{query}` printed {shown:?}:\n{out}"
            );
        }
    }
    session
        .execute(Input::line("t", "set format text"))
        .unwrap();
    let Ok(Outcome::Output(show)) = session.execute(Input::line("t", "show red")) else {
        panic!("show did not answer");
    };
    assert!(
        show.starts_with("Red<U+001B>[31m<U+202E>name [red] actor; t<U+202E>\n"),
        "{show}"
    );
    assert!(show.contains("\"q<U+001B>[0m<U+202E>\""), "{show}");
}

#[test]
fn sigint_stops_a_running_script_with_exit_130() {
    use std::process::{Command, Stdio};
    let dir = std::env::temp_dir().join(format!("factgraph-sigint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let graph = dir.join("bipartite.ron");
    common::endless_query_graph(&graph);
    let script = dir.join("endless.kgq");
    std::fs::write(
        &script,
        format!("stats\n{}\nstats\n", common::ENDLESS_QUERY),
    )
    .unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args([
            "-g",
            graph.to_str().unwrap(),
            "run",
            "--keep-going",
            script.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Give the script time to reach the endless query, then interrupt it as a terminal would.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("query cancelled") && stderr.ends_with("interrupted\n"),
        "{stderr}"
    );
    // The first `stats` ran; the one after the interrupted query did not, despite --keep-going.
    assert_eq!(
        String::from_utf8_lossy(&output.stdout)
            .matches("Graph:")
            .count(),
        1
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A scratch directory for one test, removed when it ends.
struct Scratchdir(std::path::PathBuf);

impl Scratchdir {
    fn new(name: &str) -> Scratchdir {
        let dir = std::env::temp_dir().join(format!("factgraph-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratchdir(dir)
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratchdir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs factgraph in `dir` with `stdin`, and gives up after a minute: an input that blocks the
/// process fails the test instead of hanging it.
fn factgraph_in(
    dir: &Scratchdir,
    args: &[&str],
    stdin: std::process::Stdio,
) -> std::process::Output {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(args)
        .current_dir(&dir.0)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("factgraph {args:?} still ran after a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_wherever_a_file_is_read_and_never_waited_on() {
    use std::process::Stdio;
    let dir = Scratchdir::new("fifo");
    mkfifo(&dir.path("pipe"));
    std::fs::write(dir.path("article.ron"), factgraph::load::BUNDLED_TEXT).unwrap();
    std::fs::write(dir.path("loads-pipe.kgq"), "load pipe\n").unwrap();
    let cases: [&[&str]; 7] = [
        &["-g", "pipe", "stats"],
        &["check", "pipe"],
        &["check", "article.ron", "--text", "national=pipe"],
        &["run", "pipe"],
        &["-g", "article.ron", "run", "loads-pipe.kgq"],
        &["import", "--from", "tsv", "pipe", "-o", "out.ron"],
        &["import", "--from", "json", "pipe", "-o", "out.ron"],
    ];
    for args in cases {
        let output = factgraph_in(&dir, args, Stdio::null());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("`pipe` is a FIFO (named pipe), not a"),
            "{args:?}: {stderr}"
        );
    }
    assert!(!dir.path("out.ron").exists());
}

#[cfg(unix)]
#[test]
fn a_fifo_where_the_cache_should_be_is_refused_and_no_cache_still_loads() {
    use std::process::Stdio;
    let dir = Scratchdir::new("fifo-cache");
    // Large enough to be cached (1 MiB and more).
    let made = factgraph_in(
        &dir,
        &["generate", "--facts", "10000", "-o", "big.ron"],
        Stdio::null(),
    );
    assert!(made.status.success());
    mkfifo(&dir.path("big.ron.fgcache"));
    let refused = factgraph_in(&dir, &["-g", "big.ron", "stats"], Stdio::null());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("`big.ron.fgcache` is a FIFO (named pipe), not a cache file"),
        "{stderr}"
    );
    let without = factgraph_in(
        &dir,
        &["--no-cache", "-g", "big.ron", "stats"],
        Stdio::null(),
    );
    assert!(without.status.success());
}

#[cfg(unix)]
#[test]
fn endless_standard_input_fails_at_the_line_limit() {
    let dir = Scratchdir::new("dev-zero");
    let zero = std::fs::File::open("/dev/zero").unwrap();
    let output = factgraph_in(&dir, &["run", "-"], zero.into());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("line 1 of `<stdin>` is longer than 1 MiB"),
        "{stderr}"
    );
}

#[test]
fn a_too_long_line_on_standard_input_is_skipped_with_keep_going() {
    let dir = Scratchdir::new("long-line");
    let mut input = "stats \\\n".to_string();
    input.push_str(&"x".repeat(factgraph::input::MAX_LINE_BYTES));
    input.push_str("\nshow ISIL\n");
    std::fs::write(dir.path("in.kgq"), &input).unwrap();
    let stdin = std::fs::File::open(dir.path("in.kgq")).unwrap();
    let output = factgraph_in(&dir, &["run", "--keep-going", "-"], stdin.into());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    // The statement began on line 1 and passed the limit on line 2; line 3 still ran.
    assert!(
        stderr.contains("line 2 of `<stdin>` is longer than 1 MiB"),
        "{stderr}"
    );
    assert!(stderr.contains("1 of 2 statements failed"), "{stderr}");
    assert!(stdout.starts_with("ISIL [isil]"), "{stdout}");
}

#[test]
fn piped_statements_are_answered_as_they_come() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Should the answer wait for the end of input, the watchdog ends the test instead of a hang.
    let pid = child.id().to_string();
    let watchdog = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(60));
        let _ = std::process::Command::new("kill").arg(&pid).status();
    });
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "show ISIL").unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("ISIL [isil]"), "{first}");
    drop(stdin);
    assert!(child.wait().unwrap().success());
    drop(watchdog);
}

#[test]
fn imported_names_that_differ_only_by_case_stay_apart() {
    use std::process::Stdio;
    let dir = Scratchdir::new("case");
    std::fs::write(
        dir.path("in.tsv"),
        "Apple\tmakes\tiPhone\napple\tis_a\tfruit\n",
    )
    .unwrap();
    let import = factgraph_in(
        &dir,
        &["import", "--from", "tsv", "in.tsv", "-o", "out.ron"],
        Stdio::null(),
    );
    assert!(import.status.success());
    let query = |q: &str| {
        let output = factgraph_in(&dir, &["-g", "out.ron", "query", q], Stdio::null());
        let text = String::from_utf8_lossy(&output.stdout).to_string()
            + &String::from_utf8_lossy(&output.stderr);
        (output.status.code(), text)
    };
    let (code, upper) = query("neighbors Apple");
    assert_eq!(code, Some(0));
    assert!(
        upper.contains("makes  iPhone") && !upper.contains("fruit"),
        "{upper}"
    );
    let (_, lower) = query("neighbors apple");
    assert!(
        lower.contains("is_a  fruit") && !lower.contains("iPhone"),
        "{lower}"
    );
    let (code, neither) = query("neighbors APPLE");
    assert_eq!(code, Some(1));
    assert!(
        neither.contains("`APPLE` is ambiguous")
            && neither.contains("`Apple` (Apple, thing) or `apple` (apple, thing)"),
        "{neither}"
    );
    let (code, path) = query("path Apple to apple");
    assert_eq!(code, Some(0));
    assert!(
        !path.contains("0 hops") && path.starts_with("No path from Apple to apple"),
        "{path}"
    );
}

#[test]
fn a_timeline_range_that_ends_before_it_starts_is_an_error() {
    for reversed in [
        "timeline from 9999-12-31 to 0000-01-01",
        "timeline ISIL from 2017-08-07 to 2017-08-06",
        "timeline to 2017 from 2018",
    ] {
        let error = parse_statement(reversed).unwrap_err();
        assert!(error.message.starts_with("this range ends"), "{reversed}");
    }
    // Ranges that share a day hold it, whatever the precision of either end.
    for touching in [
        "timeline from 2017-08 to 2017",
        "timeline from late 2017 to 2017",
        "timeline from 2017-08-06 to 2017-08-06",
    ] {
        assert!(parse_statement(touching).is_ok(), "{touching}");
    }
}

#[test]
fn errors_on_standard_input_point_at_their_line_of_the_stream() {
    let dir = Scratchdir::new("stdin-lines");
    std::fs::write(
        dir.path("in"),
        b"show ISIL\npath ISIL \\\n  to nowhere\n\xffbad\nnieghbors ISIL\n",
    )
    .unwrap();
    let stdin = std::fs::File::open(dir.path("in")).unwrap();
    let output = factgraph_in(&dir, &["run", "--keep-going", "-"], stdin.into());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    for at in ["<stdin>:3:6", "<stdin>:4:1", "<stdin>:5:1"] {
        assert!(stderr.contains(at), "{at}: {stderr}");
    }
    assert!(stderr.contains("this line is not valid UTF-8"), "{stderr}");
    assert!(stderr.contains("3 of 4 statements failed"), "{stderr}");
}
