//! Runs a peer-benchmark query sample (see shared/data/README.md) through factgraph's kernels,
//! checks every answer against the agreed one, and prints the medians that benches/compare.sh
//! puts beside networkx, igraph and Kuzu:
//!
//!     cargo run --release --example sample -- FACTS.ron QUERIES.tsv [--rounds N] [--no-cache]
//!
//! Output: one line `load_s=.. neighbor_us=.. path_ms=.. join_ms=.. answers=ok`. Exits 1 on any
//! wrong answer, before printing a time.

use factgraph::algo::{join_count, out_degree, shortest_path_len_undirected, Scratch};
use factgraph::graph::KnowledgeGraph;
use factgraph::load::GraphSpec;
use factgraph::model::{EntityId, RelationId};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

enum Query {
    Neighbor(EntityId, usize),
    Path(EntityId, EntityId, Option<usize>),
    Join(RelationId, RelationId, usize),
}

fn main() -> ExitCode {
    match run() {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("sample: {message}");
            ExitCode::from(1)
        }
    }
}

fn run() -> Result<String, String> {
    let mut args = std::env::args().skip(1);
    let (mut facts, mut queries, mut rounds, mut cache) = (None, None, 5usize, true);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--rounds needs a number")?
            }
            "--no-cache" => cache = false,
            _ if facts.is_none() => facts = Some(PathBuf::from(arg)),
            _ if queries.is_none() => queries = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument `{arg}`")),
        }
    }
    let (Some(facts), Some(queries)) = (facts, queries) else {
        return Err("usage: sample FACTS.ron QUERIES.tsv [--rounds N] [--no-cache]".into());
    };
    let started = Instant::now();
    let spec = GraphSpec::new(vec![facts]);
    let spec = if cache { spec } else { spec.without_cache() };
    let graph = spec
        .load(&[])
        .map_err(|d| factgraph::diagnostic::render_all(&d))?;
    let load_s = started.elapsed().as_secs_f64();

    let text = std::fs::read_to_string(&queries).map_err(|e| e.to_string())?;
    let sample = parse_queries(&graph, &text)?;
    let mut scratch = Scratch::for_graph(&graph);
    let (mut neighbor, mut path, mut join) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds.max(1) {
        let (n, p, j) = run_once(&graph, &sample, &mut scratch)?;
        neighbor.push(n);
        path.push(p);
        join.push(j);
    }
    let count = |f: fn(&Query) -> bool| sample.iter().filter(|q| f(q)).count().max(1) as f64;
    let neighbors = count(|q| matches!(q, Query::Neighbor(..)));
    let paths = count(|q| matches!(q, Query::Path(..)));
    let joins = count(|q| matches!(q, Query::Join(..)));
    // Keep the graph alive to the end, as a user's process would, and skip freeing it.
    std::mem::forget(graph);
    Ok(format!(
        "load_s={load_s:.4} neighbor_us={:.3} path_ms={:.4} join_ms={:.3} answers=ok",
        median(neighbor) * 1e6 / neighbors,
        median(path) * 1e3 / paths,
        median(join) * 1e3 / joins,
    ))
}

/// Resolves names as a user would type them: the original strings are the entities' names.
fn parse_queries(graph: &KnowledgeGraph, text: &str) -> Result<Vec<Query>, String> {
    let entity = |name: &str| {
        graph
            .lookup(name)
            .map_err(|e| format!("entity `{name}`: {e:?}"))
    };
    let relation = |name: &str| match graph.lookup_relation(name) {
        Ok(m) if !m.backwards => m
            .relations
            .first()
            .copied()
            .ok_or_else(|| format!("relation `{name}` is empty")),
        _ => Err(format!("unknown relation `{name}`")),
    };
    let mut out = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let [kind, a, b, expected] = fields[..] else {
            return Err(format!("bad query line `{line}`"));
        };
        let number = |s: &str| s.parse::<i64>().map_err(|_| format!("bad answer `{s}`"));
        out.push(match kind {
            "neighbor" => Query::Neighbor(entity(a)?, number(expected)? as usize),
            "path" => Query::Path(
                entity(a)?,
                entity(b)?,
                usize::try_from(number(expected)?).ok(),
            ),
            "join" => Query::Join(relation(a)?, relation(b)?, number(expected)? as usize),
            _ => return Err(format!("unknown query kind `{kind}`")),
        });
    }
    Ok(out)
}

/// Seconds spent on each kind of query in one pass over the sample; errors on a wrong answer.
fn run_once(
    graph: &KnowledgeGraph,
    sample: &[Query],
    scratch: &mut Scratch,
) -> Result<(f64, f64, f64), String> {
    let mut times = [0.0f64; 3];
    for q in sample {
        let t = Instant::now();
        let (slot, got, want) = match *q {
            Query::Neighbor(e, want) => (0, Some(out_degree(graph, e)), Some(want)),
            Query::Path(a, b, want) => {
                (1, shortest_path_len_undirected(graph, a, b, scratch), want)
            }
            Query::Join(r1, r2, want) => (2, Some(join_count(graph, r1, r2, scratch)), Some(want)),
        };
        times[slot] += t.elapsed().as_secs_f64();
        if got != want {
            return Err(format!(
                "wrong answer: got {got:?}, the sample says {want:?}"
            ));
        }
    }
    Ok((times[0], times[1], times[2]))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
