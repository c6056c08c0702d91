//! criterion benches of what users run, kept for catching regressions: loading a fact file (parse
//! and binary cache), and queries through `Session::execute`, the entry point of `query`, `run` and
//! the REPL (parse, resolve, evaluate, build the answer with its evidence, render it as JSON). On
//! the bundled article graph (its saved scripts in queries/) and, when the data is there, on WN18RR
//! and FB15k-237 imported to RON with their agreed query samples (shared/data/README.md).
//!
//!     cargo bench --bench queries            # DATA=/path/to/shared/data to point elsewhere
//!
//! Datasets are imported once into the target directory, by the `factgraph import` users run.
//! Every answer is checked before anything is timed: a saved script's statements must succeed, and
//! a sample's answers must equal the agreed ones. A wrong answer stops the bench.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A bench fails loudly by design.

use criterion::{criterion_group, criterion_main, Criterion};
use factgraph::continuation;
use factgraph::load::GraphSpec;
use factgraph::session::{Input, Outcome, Session};
use serde_json::Value;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// One statement to time, with what its answer must say (`None`: it need only succeed).
struct Statement {
    text: String,
    expected: Option<(Answer, i64)>,
}

/// Which number of a JSON answer the agreed answer is.
#[derive(Clone, Copy)]
enum Answer {
    /// Out-edges of the entity: depth-1 results of `neighbors X out`.
    Neighbours,
    /// Hops of the shortest undirected path, -1 for none.
    PathLength,
    /// Distinct rows of a `match ... count`.
    Count,
}

/// Statements timed together, as one criterion benchmark.
struct Workload {
    name: String,
    statements: Vec<Statement>,
}

struct Dataset {
    name: &'static str,
    /// `None`: the bundled article graph.
    file: Option<PathBuf>,
    workloads: Vec<Workload>,
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn data_dir() -> PathBuf {
    std::env::var_os("DATA").map_or_else(|| manifest_dir().join("../shared/data"), PathBuf::from)
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| manifest_dir().join("target"), PathBuf::from)
}

fn spec(file: &Option<PathBuf>) -> GraphSpec {
    GraphSpec::new(file.iter().cloned().collect())
}

/// The article graph's saved scripts, one workload of all their statements.
fn article() -> Dataset {
    let mut statements = Vec::new();
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(manifest_dir().join("queries"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "kgq"))
        .collect();
    scripts.sort();
    for path in &scripts {
        let text = std::fs::read_to_string(path).unwrap();
        for span in continuation::statements(&text) {
            let line = text[span].trim();
            if !line.is_empty() && !line.starts_with('#') {
                statements.push(Statement {
                    text: line.to_string(),
                    expected: None,
                });
            }
        }
    }
    Dataset {
        name: "article",
        file: None,
        workloads: vec![Workload {
            name: format!("saved scripts x{}", statements.len()),
            statements,
        }],
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A query sample as statements a user would type, grouped by kind: `neighbors "X" out`,
/// `path "A" to "B" max 20` (WN18RR has shortest paths of 11 hops; the default `max` is 12) and
/// `match ?x R1 ?z, ?z R2 ?y select ?x, ?y count`.
fn sample(text: &str) -> Vec<Workload> {
    let mut kinds: [Vec<Statement>; 3] = Default::default();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let [kind, a, b, expected] = fields[..] else {
            panic!("bad sample line `{line}`");
        };
        let (slot, text, answer) = match kind {
            "neighbor" => (0, format!("neighbors {} out", quote(a)), Answer::Neighbours),
            "path" => (
                1,
                format!("path {} to {} max 20", quote(a), quote(b)),
                Answer::PathLength,
            ),
            "join" => (
                2,
                format!("match ?x {a} ?z, ?z {b} ?y select ?x, ?y count"),
                Answer::Count,
            ),
            _ => panic!("unknown query kind `{kind}`"),
        };
        kinds[slot].push(Statement {
            text,
            expected: Some((answer, expected.parse().unwrap())),
        });
    }
    let [neighbours, paths, joins] = kinds;
    [("neighbors", neighbours), ("paths", paths), ("join", joins)]
        .into_iter()
        .filter(|(_, s)| !s.is_empty())
        .map(|(name, statements)| Workload {
            name: format!("{name} x{}", statements.len()),
            statements,
        })
        .collect()
}

/// The article graph plus whichever real datasets can be found and imported.
fn datasets() -> Vec<Dataset> {
    let mut out = vec![article()];
    let dir = target_dir().join("bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["wn18rr", "fb15k237"] {
        let tsv = data_dir().join(format!("{name}.tsv"));
        let queries = data_dir().join(format!("queries-{name}.tsv"));
        if !tsv.exists() || !queries.exists() {
            eprintln!("note: {} not found; skipping {name}", tsv.display());
            continue;
        }
        let ron = dir.join(format!("{name}.ron"));
        if !ron.exists() {
            let status = Command::new(env!("CARGO_BIN_EXE_factgraph"))
                .args(["import", "--from", "tsv", "--published", "2025-01-01", "-o"])
                .arg(&ron)
                .arg(&tsv)
                .status()
                .unwrap();
            assert!(status.success(), "importing {} failed", tsv.display());
        }
        out.push(Dataset {
            name,
            file: Some(ron),
            workloads: sample(&std::fs::read_to_string(&queries).unwrap()),
        });
    }
    out
}

/// Runs a statement as `query` and `run` do, returning its rendered output.
fn execute(session: &mut Session, text: &str) -> String {
    match session.execute(Input::line("bench", text)) {
        Ok(Outcome::Output(output)) => output,
        Ok(other) => panic!("`{text}`: {other:?}"),
        Err(diagnostics) => panic!(
            "`{text}`: {}",
            factgraph::diagnostic::render_all(&diagnostics)
        ),
    }
}

/// The number a JSON answer gives for `which`.
fn answer_number(answer: &Value, which: Answer) -> i64 {
    assert!(
        matches!(
            answer.get("truncated"),
            None | Some(Value::Null | Value::Bool(false))
        ),
        "a limit cut the answer: {answer}"
    );
    let n = match which {
        Answer::Neighbours => answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["depth"] == 1 && r["direction"] == "out")
            .count(),
        Answer::PathLength => match answer["paths"].as_array().unwrap().first() {
            Some(path) => path["length"].as_u64().unwrap() as usize,
            None => return -1,
        },
        Answer::Count => answer["count"].as_u64().unwrap() as usize,
    };
    n as i64
}

fn check(session: &mut Session, statement: &Statement) {
    let output = execute(session, &statement.text);
    if let Some((which, want)) = statement.expected {
        let got = answer_number(&serde_json::from_str(&output).unwrap(), which);
        assert_eq!(got, want, "`{}`", statement.text);
    }
}

fn benches(c: &mut Criterion) {
    for d in datasets() {
        let mut session = Session::open(spec(&d.file)).unwrap();
        execute(&mut session, "set format json");
        for w in &d.workloads {
            for s in &w.statements {
                check(&mut session, s);
            }
        }

        let mut load = c.benchmark_group(format!("load/{}", d.name));
        load.sample_size(10)
            .measurement_time(Duration::from_secs(5));
        load.bench_function("parse", |b| {
            b.iter(|| black_box(spec(&d.file).without_cache().load(&[]).unwrap()))
        });
        if d.file.is_some() {
            load.bench_function("cached", |b| {
                b.iter(|| black_box(spec(&d.file).cache_from(0).load(&[]).unwrap()))
            });
        }
        load.finish();

        let mut group = c.benchmark_group(format!("queries/{}", d.name));
        group.sample_size(20);
        for w in &d.workloads {
            group.bench_function(&w.name, |b| {
                b.iter(|| {
                    for s in &w.statements {
                        black_box(execute(&mut session, &s.text));
                    }
                })
            });
        }
        group.finish();
    }
}

criterion_group!(queries, benches);
criterion_main!(queries);
