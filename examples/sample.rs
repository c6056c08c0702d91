//! Runs a peer-benchmark query sample (see shared/data/README.md) through factgraph's kernels,
//! checks every answer against the agreed one, and prints the medians that benches/compare.sh
//! puts beside networkx, igraph and Kuzu:
//!
//!     cargo run --release --example sample -- FACTS.ron QUERIES.tsv [--rounds N] [--no-cache]
//!
//! Output: one line `load_s=.. neighbor_us=.. path_ms=.. join_ms=.. answers=ok`. Exits 1 on any
//! wrong answer, before printing a time.

use factgraph::algo::{sample, Scratch};
use factgraph::load::GraphSpec;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

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
    let queries = sample::parse(&graph, &text)?;
    let mut scratch = Scratch::for_graph(&graph);
    let mut per_round: [Vec<f64>; 3] = Default::default();
    for _ in 0..rounds.max(1) {
        let mut spent = [0.0f64; 3];
        for q in &queries {
            let t = Instant::now();
            q.check(&graph, &mut scratch)
                .map_err(|e| format!("wrong answer: {e}"))?;
            spent[q.kind()] += t.elapsed().as_secs_f64();
        }
        for (all, one) in per_round.iter_mut().zip(spent) {
            all.push(one);
        }
    }
    let mut counts = [0usize; 3];
    for q in &queries {
        counts[q.kind()] += 1;
    }
    let mut per_query = |k: usize| median(&mut per_round[k]) / counts[k].max(1) as f64;
    let line = format!(
        "load_s={load_s:.4} neighbor_us={:.3} path_ms={:.4} join_ms={:.3} answers=ok",
        per_query(0) * 1e6,
        per_query(1) * 1e3,
        per_query(2) * 1e3,
    );
    // Keep the graph to the end, as a user's process would, and skip freeing it.
    std::mem::forget(graph);
    Ok(line)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
