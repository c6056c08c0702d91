//! criterion benches: load (cold parse and binary cache), neighbour lookup, undirected shortest
//! path and the two-relation join, on the bundled article graph and, when the data is there, on
//! WN18RR and FB15k-237 imported to RON (the same query samples the peers answer).
//!
//!     cargo bench --bench kernels            # DATA=/path/to/shared/data to point elsewhere
//!
//! Datasets are imported once into the target directory. Every sample answer is checked before
//! anything is timed; a wrong answer stops the bench.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A bench fails loudly by design.

use criterion::{criterion_group, criterion_main, Criterion};
use factgraph::algo::{join_count, out_degree, sample, shortest_path_len_undirected, Scratch};
use factgraph::graph::KnowledgeGraph;
use factgraph::import::{self, ImportOptions, TripleFormat};
use factgraph::load::GraphSpec;
use factgraph::model::{EntityId, Kind, RelationId};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

struct Dataset {
    name: &'static str,
    /// `None`: the bundled article graph.
    file: Option<PathBuf>,
    queries: Vec<sample::Query>,
}

fn data_dir() -> PathBuf {
    std::env::var_os("DATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
        PathBuf::from,
    )
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    )
}

fn spec(file: &Option<PathBuf>) -> GraphSpec {
    GraphSpec::new(file.iter().cloned().collect())
}

/// The article graph plus whichever real datasets can be found and imported.
fn datasets() -> Vec<Dataset> {
    let article = KnowledgeGraph::new(
        factgraph::validate::load(
            &[factgraph::fact_file::SourceText::new(
                "article",
                factgraph::load::BUNDLED_TEXT,
            )],
            &[],
        )
        .unwrap(),
    );
    let n = article.model.entities.len() as u32;
    let mut queries: Vec<sample::Query> = (0..n)
        .map(|e| sample::Query::Neighbor(EntityId(e), out_degree(&article, EntityId(e))))
        .collect();
    let mut scratch = Scratch::for_graph(&article);
    for a in 0..n {
        for b in 0..n {
            let (a, b) = (EntityId(a), EntityId(b));
            let d = shortest_path_len_undirected(&article, a, b, &mut scratch);
            queries.push(sample::Query::Path(a, b, d));
        }
    }
    let r = RelationId(0);
    queries.push(sample::Query::Join(
        r,
        r,
        join_count(&article, r, r, &mut scratch),
    ));
    let mut out = vec![Dataset {
        name: "article",
        file: None,
        queries,
    }];
    let dir = target_dir().join("bench-data");
    let _ = std::fs::create_dir_all(&dir);
    for name in ["wn18rr", "fb15k237"] {
        let tsv = data_dir().join(format!("{name}.tsv"));
        let queries = data_dir().join(format!("queries-{name}.tsv"));
        let ron = dir.join(format!("{name}.ron"));
        if !tsv.exists() || !queries.exists() {
            eprintln!("note: {} not found; skipping {name}", tsv.display());
            continue;
        }
        if !ron.exists() {
            let options = ImportOptions {
                format: TripleFormat::Tsv,
                kind: Kind::Thing,
                published: "2025-01-01".into(),
                header: false,
            };
            import::import_file(&tsv, &ron, &options, true).unwrap();
        }
        let file = Some(ron);
        let graph = spec(&file).load(&[]).unwrap();
        let text = std::fs::read_to_string(&queries).unwrap();
        let queries = sample::parse(&graph, &text).unwrap();
        out.push(Dataset {
            name,
            file,
            queries,
        });
    }
    out
}

fn benches(c: &mut Criterion) {
    for d in datasets() {
        let graph = spec(&d.file).load(&[]).unwrap();
        let mut scratch = Scratch::for_graph(&graph);
        for q in &d.queries {
            q.check(&graph, &mut scratch).unwrap();
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

        let mut group = c.benchmark_group(format!("kernels/{}", d.name));
        let of_kind = |k: usize| -> Vec<sample::Query> {
            d.queries
                .iter()
                .copied()
                .filter(|q| q.kind() == k)
                .collect()
        };
        let (neighbours, paths, joins) = (of_kind(0), of_kind(1), of_kind(2));
        group.bench_function(format!("neighbours x{}", neighbours.len()), |b| {
            b.iter(|| {
                for q in &neighbours {
                    if let sample::Query::Neighbor(e, _) = *q {
                        black_box(factgraph::algo::neighbors_out(&graph, e).count());
                    }
                }
            })
        });
        group.bench_function(format!("paths x{}", paths.len()), |b| {
            b.iter(|| {
                for q in &paths {
                    if let sample::Query::Path(a, z, _) = *q {
                        black_box(shortest_path_len_undirected(&graph, a, z, &mut scratch));
                    }
                }
            })
        });
        group.bench_function("join", |b| {
            b.iter(|| {
                for q in &joins {
                    if let sample::Query::Join(r1, r2, _) = *q {
                        black_box(join_count(&graph, r1, r2, &mut scratch));
                    }
                }
            })
        });
        group.finish();
    }
}

criterion_group!(kernels, benches);
criterion_main!(kernels);
