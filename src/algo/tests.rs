use super::*;
use crate::fact_file::SourceText;
use std::collections::{HashSet, VecDeque};

/// A graph of `n` entities and the given (subject, relation, object) triples, relations `r0`..
fn graph(n: usize, triples: &[(usize, usize, usize)]) -> KnowledgeGraph {
    let relations = triples.iter().map(|t| t.1).max().map_or(0, |m| m + 1);
    let mut text = String::from(
        "(sources: [(id: \"s\", title: \"t\", publisher: \"p\", published: \"2017\")],\nrelations: [",
    );
    for r in 0..relations {
        text += &format!("(name: \"r{r}\", self_loops: true),");
    }
    text += "],\nentities: [";
    for e in 0..n {
        text += &format!("(id: \"e{e}\", name: \"E{e}\", kind: \"thing\"),");
    }
    text += "],\nfacts: [";
    for (s, r, o) in triples {
        text += &format!(
            "(subject: \"e{s}\", relation: \"r{r}\", object: \"e{o}\", source: \"s\", quote: \"\"),\n"
        );
    }
    text += "])";
    let model = crate::validate::load(&[SourceText::new("t.ron", text)], &[]).unwrap();
    KnowledgeGraph::new(model)
}

fn reference_distance(
    n: usize,
    triples: &[(usize, usize, usize)],
    a: usize,
    b: usize,
) -> Option<usize> {
    let mut adj = vec![Vec::new(); n];
    for &(s, _, o) in triples {
        adj[s].push(o);
        adj[o].push(s);
    }
    let mut dist = vec![usize::MAX; n];
    dist[a] = 0;
    let mut queue = VecDeque::from([a]);
    while let Some(v) = queue.pop_front() {
        for &w in &adj[v] {
            if dist[w] == usize::MAX {
                dist[w] = dist[v] + 1;
                queue.push_back(w);
            }
        }
    }
    (dist[b] != usize::MAX).then_some(dist[b])
}

/// Deterministic pseudo-random triples without duplicates.
fn random_triples(n: usize, m: usize, relations: usize, seed: u64) -> Vec<(usize, usize, usize)> {
    let mut state = seed;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    while out.len() < m {
        let t = (next(n), next(relations), next(n));
        if seen.insert(t) {
            out.push(t);
        }
    }
    out
}

#[test]
fn bidirectional_search_finds_the_same_lengths_as_plain_bfs() {
    for (seed, n, m) in [(1, 40, 30), (2, 60, 80), (3, 30, 200), (4, 200, 190)] {
        let triples = random_triples(n, m, 3, seed);
        let g = graph(n, &triples);
        let mut scratch = Scratch::for_graph(&g);
        for a in 0..n {
            for b in (0..n).step_by(7) {
                assert_eq!(
                    shortest_path_len_undirected(
                        &g,
                        EntityId(a as u32),
                        EntityId(b as u32),
                        &mut scratch
                    ),
                    reference_distance(n, &triples, a, b),
                    "seed {seed}: {a} -> {b}"
                );
            }
        }
    }
}

#[test]
fn joins_count_distinct_pairs() {
    for seed in 1..6 {
        let triples = random_triples(30, 120, 3, seed);
        let g = graph(30, &triples);
        let mut scratch = Scratch::for_graph(&g);
        for (r1, r2) in [(0, 1), (1, 1), (2, 0)] {
            let mut pairs = HashSet::new();
            for &(x, ra, z) in &triples {
                for &(z2, rb, y) in &triples {
                    if ra == r1 && rb == r2 && z == z2 {
                        pairs.insert((x, y));
                    }
                }
            }
            let count = join_count(
                &g,
                RelationId(r1 as u32),
                RelationId(r2 as u32),
                &mut scratch,
            );
            assert_eq!(count, pairs.len(), "seed {seed} r{r1} r{r2}");
            // Searches and joins share the scratch without confusing each other's marks.
            let _ = shortest_path_len_undirected(&g, EntityId(0), EntityId(29), &mut scratch);
        }
    }
}

#[test]
fn neighbours_are_the_out_edges() {
    let g = graph(4, &[(0, 0, 1), (0, 1, 2), (2, 0, 0), (0, 0, 0)]);
    let mut out: Vec<(u32, u32)> = neighbors_out(&g, EntityId(0))
        .map(|(f, e)| (f.0, e.0))
        .collect();
    out.sort();
    assert_eq!(out, [(0, 1), (1, 2), (3, 0)]);
    assert_eq!(out_degree(&g, EntityId(0)), 3);
    assert_eq!(out_degree(&g, EntityId(3)), 0);
    let mut scratch = Scratch::default();
    assert_eq!(
        shortest_path_len_undirected(&g, EntityId(1), EntityId(2), &mut scratch),
        Some(2)
    );
    assert_eq!(
        shortest_path_len_undirected(&g, EntityId(1), EntityId(3), &mut scratch),
        None
    );
    assert_eq!(
        shortest_path_len_undirected(&g, EntityId(3), EntityId(3), &mut scratch),
        Some(0)
    );
}
