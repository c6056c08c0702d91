#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Properties of traversals on small random graphs: every returned path exists and respects its
//! filters, and the shortest path is as short as a plain breadth-first search says.

use factgraph::date::When;
use factgraph::graph::KnowledgeGraph;
use factgraph::model::{
    Entity, EntityId, Fact, FactId, FactWords, Kind, Model, Origin, Relation, RelationId, Source,
    SourceId,
};
use factgraph::query::answer::Answer;
use factgraph::query::eval::{CancelToken, Evaluator, Scratch};
use factgraph::query::parse_statement;
use factgraph::query::resolve::resolve;
use factgraph::query::Statement;
use petgraph::algo::dijkstra;
use petgraph::graph::NodeIndex;
use petgraph::visit::UndirectedAdaptor;
use proptest::prelude::*;
use std::collections::VecDeque;

const ORIGIN: Origin = Origin { file: 0, line: 1 };

fn model(nodes: usize, edges: &[(usize, usize, usize)]) -> Model {
    let relation = |name: &str| Relation {
        name: name.to_string(),
        inverse: Some(format!("{name}_by")),
        symmetric: false,
        domain: Vec::new(),
        range: Vec::new(),
        broader: None,
        description: None,
        starts_state: None,
        ends_state: None,
        self_loops: true,
        hedged: false,
        contradicts: Vec::new(),
        origin: ORIGIN,
    };
    let mut model = Model::new(
        vec!["random.ron".to_string()],
        vec![Source {
            id: "s".into(),
            title: "t".into(),
            publisher: "p".into(),
            published: When::At(factgraph::date::DatePoint::Year { year: 2017 }),
            url: None,
            reliability: None,
            text: None,
            origin: ORIGIN,
        }],
        vec![relation("r0"), relation("r1")],
        (0..nodes)
            .map(|i| Entity::new(format!("n{i}"), format!("node {i}"), Kind::Place, ORIGIN))
            .collect(),
    );
    for &(s, o, r) in edges {
        let fact = Fact {
            subject: EntityId(s as u32),
            relation: RelationId(r as u32),
            object: EntityId(o as u32),
            when: None,
            source: SourceId(0),
            origin: ORIGIN,
        };
        let words = FactWords {
            quote: "q",
            ..FactWords::default()
        };
        model.push_fact(fact, words);
    }
    model
}

fn ask(graph: &KnowledgeGraph, text: &str) -> Answer {
    let Statement::Query(query) = parse_statement(text).unwrap() else {
        panic!("not a query: {text}")
    };
    let (resolved, at) = resolve(graph, &query).unwrap();
    let cancel = CancelToken::new();
    Evaluator::new(graph, at, &cancel)
        .eval(&resolved, &mut Scratch::default())
        .unwrap()
}

/// Hop distance by the textbook BFS, over edges of the allowed relations, in both directions unless
/// `directed`.
fn bfs(
    nodes: usize,
    edges: &[(usize, usize, usize)],
    from: usize,
    to: usize,
    directed: bool,
    rels: &[usize],
    avoid: &[usize],
) -> Option<usize> {
    let mut dist = vec![usize::MAX; nodes];
    dist[from] = 0;
    let mut queue = VecDeque::from([from]);
    while let Some(u) = queue.pop_front() {
        for &(s, o, r) in edges {
            if !rels.contains(&r) {
                continue;
            }
            let next = if s == u {
                Some(o)
            } else if !directed && o == u {
                Some(s)
            } else {
                None
            };
            if let Some(v) = next {
                if dist[v] == usize::MAX && (v == to || !avoid.contains(&v)) {
                    dist[v] = dist[u] + 1;
                    queue.push_back(v);
                }
            }
        }
    }
    (dist[to] != usize::MAX).then_some(dist[to])
}

fn graph_strategy() -> impl Strategy<Value = (usize, Vec<(usize, usize, usize)>)> {
    (2usize..12).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec((0..n, 0..n, 0..2usize), 0..30),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn shortest_path_length_equals_bfs((n, edges) in graph_strategy(), a in 0usize..12, b in 0usize..12, directed: bool, only_r0: bool, avoid in 0usize..12) {
        let (a, b, avoid) = (a % n, b % n, avoid % n);
        prop_assume!(a != b && avoid != a && avoid != b);
        let graph = KnowledgeGraph::new(model(n, &edges));
        let via = if only_r0 { " via r0" } else { "" };
        let dir = if directed { " directed" } else { "" };
        let text = format!("path n{a} to n{b}{dir}{via} avoid n{avoid} max 20");
        let rels: &[usize] = if only_r0 { &[0] } else { &[0, 1] };
        let expected = bfs(n, &edges, a, b, directed, rels, &[avoid]);
        let Answer::Paths { paths, .. } = ask(&graph, &text) else { panic!() };
        prop_assert_eq!(paths.first().map(Vec::len), expected, "{}", text);
    }

    /// petgraph's Dijkstra, run on the knowledge graph itself through petgraph's graph traits,
    /// agrees with the path query: checks both the traits and the query's own search.
    #[test]
    fn shortest_path_length_equals_petgraph_dijkstra_on_the_same_graph((n, edges) in graph_strategy(), a in 0usize..12, b in 0usize..12, directed: bool) {
        let (a, b) = (a % n, b % n);
        prop_assume!(a != b);
        let graph = KnowledgeGraph::new(model(n, &edges));
        let (from, to) = (NodeIndex::new(a), NodeIndex::new(b));
        let distances = if directed {
            dijkstra(&graph, from, Some(to), |_| 1usize)
        } else {
            dijkstra(UndirectedAdaptor(&graph), from, Some(to), |_| 1usize)
        };
        let dir = if directed { " directed" } else { "" };
        let Answer::Paths { paths, .. } = ask(&graph, &format!("path n{a} to n{b}{dir} max 20")) else { panic!() };
        prop_assert_eq!(paths.first().map(Vec::len), distances.get(&to).copied());
    }

    #[test]
    fn an_inverse_label_reads_its_edges_backwards_only((n, edges) in graph_strategy(), a in 0usize..12, b in 0usize..12) {
        let (a, b) = (a % n, b % n);
        prop_assume!(a != b);
        let graph = KnowledgeGraph::new(model(n, &edges));
        // `r0_by` names r0 read backwards: a path along it is a directed path over reversed r0 edges.
        let reversed: Vec<(usize, usize, usize)> = edges.iter().map(|&(s, o, r)| (o, s, r)).collect();
        let expected = bfs(n, &reversed, a, b, true, &[0], &[]);
        let Answer::Paths { paths, .. } = ask(&graph, &format!("path n{a} to n{b} via r0_by max 20")) else { panic!() };
        prop_assert_eq!(paths.first().map(Vec::len), expected);
    }

    #[test]
    fn every_returned_path_exists_and_respects_its_filters((n, edges) in graph_strategy(), a in 0usize..12, b in 0usize..12, avoid in 0usize..12, all: bool) {
        let (a, b, avoid) = (a % n, b % n, avoid % n);
        prop_assume!(a != b && avoid != a && avoid != b);
        let graph = KnowledgeGraph::new(model(n, &edges));
        let mode = if all { "all max 5" } else { "shortest 4 max 8" };
        let text = format!("path n{a} to n{b} directed via r1 avoid n{avoid} {mode}");
        let Answer::Paths { paths, .. } = ask(&graph, &text) else { panic!() };
        for path in &paths {
            let mut at = EntityId(a as u32);
            let mut seen = vec![at];
            for step in path {
                let fact = graph.model.fact(step.fact);
                prop_assert!(!step.backwards, "a directed path read an edge backwards");
                prop_assert_eq!(fact.relation, RelationId(1));
                prop_assert_eq!(fact.subject, at);
                at = fact.object;
                prop_assert!(at.index() != avoid, "the path went through the avoided node");
                prop_assert!(!seen.contains(&at), "the path is not simple");
                seen.push(at);
                prop_assert!(step.fact.index() < edges.len() && step.fact == FactId(step.fact.0));
            }
            prop_assert_eq!(at, EntityId(b as u32));
        }
        let lengths: Vec<usize> = paths.iter().map(Vec::len).collect();
        let mut sorted = lengths.clone();
        sorted.sort();
        prop_assert_eq!(lengths, sorted, "paths come shortest first");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn stats_count_the_components_a_textbook_search_finds((n, edges) in graph_strategy()) {
        let graph = KnowledgeGraph::new(model(n, &edges));
        let Answer::Stats(stats) = ask(&graph, "stats") else { panic!() };
        let mut component = vec![usize::MAX; n];
        let mut sizes = Vec::new();
        for start in 0..n {
            if component[start] != usize::MAX {
                continue;
            }
            let mut todo = vec![start];
            component[start] = sizes.len();
            let mut size = 0;
            while let Some(x) = todo.pop() {
                size += 1;
                for &(s, o, _) in &edges {
                    for (p, q) in [(s, o), (o, s)] {
                        if p == x && component[q] == usize::MAX {
                            component[q] = sizes.len();
                            todo.push(q);
                        }
                    }
                }
            }
            sizes.push(size);
        }
        prop_assert_eq!(stats.components, sizes.len());
        prop_assert_eq!(stats.largest_component, sizes.iter().copied().max().unwrap_or(0));
    }

    #[test]
    fn a_two_relation_join_count_equals_brute_force((n, edges) in graph_strategy()) {
        let graph = KnowledgeGraph::new(model(n, &edges));
        let Answer::Count { count, truncated, .. } = ask(&graph, "match ?x r0 ?z, ?z r1 ?y select ?x, ?y count") else { panic!() };
        let mut pairs = std::collections::HashSet::new();
        for &(x, z, r) in &edges {
            for &(z2, y, r2) in &edges {
                if r == 0 && r2 == 1 && z == z2 {
                    pairs.insert((x, y));
                }
            }
        }
        prop_assert_eq!(count, pairs.len());
        prop_assert!(truncated.is_none());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn depth_one_neighbours_are_exactly_the_edges_of_their_direction((n, edges) in graph_strategy(), a in 0usize..12, direction in 0usize..3) {
        let a = a % n;
        let graph = KnowledgeGraph::new(model(n, &edges));
        let word = ["out", "in", "both"][direction];
        let Answer::Neighbors { rows, .. } = ask(&graph, &format!("neighbors n{a} {word}")) else { panic!() };
        let mut got: Vec<usize> = rows.iter().map(|r| r.via.fact.index()).collect();
        got.sort();
        // No relation here is symmetric, so a direction reads only the edges along it.
        let touches = |&(s, o, _): &(usize, usize, usize)| match word {
            "out" => s == a,
            "in" => o == a,
            _ => s == a || o == a,
        };
        let expected: Vec<usize> = (0..edges.len()).filter(|&i| touches(&edges[i])).collect();
        prop_assert_eq!(got, expected, "self-loops included, each fact once");
    }
}
