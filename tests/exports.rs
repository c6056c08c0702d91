#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Exports checked by real consumers: golden files compared byte for byte (`BLESS=1` rewrites them
//! under tests/golden/), a dot parser, an N-Triples parser, an XML parser, and the JSON round trip.
//! `.ci/run` also renders every golden dot with Graphviz and loads GraphML and N-Triples in Python.

mod common;

use common::{golden, root};
use factgraph::export::records::Records;
use factgraph::export::{self, ExportFormat, ExportOptions, Subgraph};
use factgraph::graph::KnowledgeGraph;
use factgraph::model::{EntityId, FactId};
use factgraph::query::TimeScope;
use std::collections::BTreeSet;
use std::path::Path;

fn fixture() -> KnowledgeGraph {
    common::small_graph()
}

fn bundled() -> KnowledgeGraph {
    common::article_graph()
}

fn text(
    graph: &KnowledgeGraph,
    sub: &Subgraph,
    format: ExportFormat,
    options: &ExportOptions,
) -> String {
    let mut out = Vec::new();
    export::write_text(graph, sub, format, options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn entity(graph: &KnowledgeGraph, id: &str) -> EntityId {
    graph.lookup(id).unwrap()
}

/// Every fact touching `e`, as a neighbourhood answer would.
fn neighbourhood(graph: &KnowledgeGraph, e: EntityId) -> Vec<FactId> {
    (0..graph.model.facts().len() as u32)
        .map(FactId)
        .filter(|&f| {
            let fact = graph.model.fact(f);
            fact.subject == e || fact.object == e
        })
        .collect()
}

/// Parses dot with a strict parser and returns (entity node ids, edge count without the legend).
fn parse_dot(dot: &str) -> (BTreeSet<String>, usize) {
    let ast = dot_parser::ast::Graph::try_from(dot)
        .unwrap_or_else(|e| panic!("dot does not parse: {e}\n{dot}"));
    let graph = dot_parser::canonical::Graph::from(ast);
    let nodes = graph
        .nodes
        .set
        .keys()
        .filter(|k| !k.starts_with("\"&legend:"))
        .cloned()
        .collect();
    let edges = graph
        .edges
        .set
        .iter()
        .filter(|e| !e.from.starts_with("\"&legend:"))
        .count();
    (nodes, edges)
}

#[test]
fn dot_goldens_for_the_whole_graph_a_path_and_a_neighbourhood() {
    let graph = fixture();
    let plain = ExportOptions::default();
    let whole = Subgraph::whole(&graph);
    golden(
        "small.dot",
        &text(&graph, &whole, ExportFormat::Dot, &plain),
    );
    let clustered = ExportOptions {
        cluster: true,
        ..ExportOptions::default()
    };
    golden(
        "small-cluster.dot",
        &text(&graph, &whole, ExportFormat::Dot, &clustered),
    );

    // ISIL -overran-> Tadmor <-recaptured- government -recaptured-> Al Sukhna, over the
    // neighbourhood of the entities on it.
    let path = [FactId(4), FactId(6), FactId(7)];
    let around: Vec<FactId> = ["isil", "tadmor", "government", "al_sukhna"]
        .iter()
        .flat_map(|id| neighbourhood(&graph, entity(&graph, id)))
        .collect();
    let path_sub = Subgraph::from_facts(&graph, around, path);
    golden(
        "path.dot",
        &text(&graph, &path_sub, ExportFormat::Dot, &plain),
    );

    let around_government = neighbourhood(&graph, entity(&graph, "government"));
    let hood = Subgraph::from_facts(&graph, around_government, []);
    golden(
        "neighbourhood.dot",
        &text(&graph, &hood, ExportFormat::Dot, &plain),
    );
    assert_eq!(hood.entities.len(), 5);
}

#[test]
fn other_format_goldens() {
    let graph = fixture();
    let whole = Subgraph::whole(&graph);
    let options = ExportOptions::default();
    for (format, name) in [
        (ExportFormat::Graphml, "small.graphml"),
        (ExportFormat::Json, "small.json"),
        (ExportFormat::Ntriples, "small.nt"),
        (ExportFormat::Cypher, "small.cypher"),
    ] {
        golden(name, &text(&graph, &whole, format, &options));
    }
    let dir = tempfile::tempdir().unwrap();
    let dest = factgraph::output::Destination::new(dir.path().join("csv"));
    export::export(
        &graph,
        &whole,
        ExportFormat::Csv,
        &options,
        export::Target::File(dest),
    )
    .unwrap();
    for file in ["nodes.csv", "edges.csv"] {
        let actual = std::fs::read_to_string(dir.path().join("csv").join(file)).unwrap();
        golden(&format!("small-{file}"), &actual);
    }
}

#[test]
fn every_golden_dot_parses_with_every_node_and_edge() {
    let graph = fixture();
    let dot = text(
        &graph,
        &Subgraph::whole(&graph),
        ExportFormat::Dot,
        &ExportOptions {
            cluster: true,
            ..ExportOptions::default()
        },
    );
    let (nodes, edges) = parse_dot(&dot);
    assert_eq!(nodes.len(), graph.model.entities.len());
    assert_eq!(edges, graph.model.facts().len());
    for entry in std::fs::read_dir(root().join("tests/golden")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "dot") {
            parse_dot(&std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn exports_are_deterministic_on_the_bundled_graph() {
    let graph = bundled();
    let whole = Subgraph::whole(&graph);
    for cluster in [false, true] {
        let options = ExportOptions {
            cluster,
            ..ExportOptions::default()
        };
        for format in [
            ExportFormat::Dot,
            ExportFormat::Graphml,
            ExportFormat::Json,
            ExportFormat::Ntriples,
            ExportFormat::Cypher,
        ] {
            let first = text(&graph, &whole, format, &options);
            let again = text(&bundled(), &Subgraph::whole(&bundled()), format, &options);
            assert_eq!(first, again, "{format} differs between two runs");
        }
    }
    // In detail (no summary), every entity and every fact is drawn. (In ranks: the legend of the
    // force-directed engines is an HTML-like label, which the strict parser does not read.)
    let (nodes, edges) = parse_dot(&text(
        &graph,
        &whole,
        ExportFormat::Dot,
        &ExportOptions {
            max_entities: 0,
            layout: export::Layout::Dot,
            ..ExportOptions::default()
        },
    ));
    assert_eq!(nodes.len(), graph.model.entities.len());
    assert_eq!(edges, graph.model.facts().len());
    // Order of the request does not matter: a shuffled subgraph exports the same bytes.
    let mut reversed = whole.clone();
    reversed.facts.reverse();
    reversed.entities.reverse();
    assert_eq!(
        text(&graph, &whole, ExportFormat::Dot, &ExportOptions::default()),
        text(
            &graph,
            &reversed,
            ExportFormat::Dot,
            &ExportOptions::default()
        )
    );
}

#[test]
fn ntriples_parse_and_give_the_same_neighbours() {
    let graph = fixture();
    let nt = text(
        &graph,
        &Subgraph::whole(&graph),
        ExportFormat::Ntriples,
        &ExportOptions::default(),
    );
    let triples: Vec<_> = oxttl::NTriplesParser::new()
        .for_slice(nt.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(triples.len(), nt.lines().count());
    let base = export::DEFAULT_BASE_IRI;
    let relation = format!("{base}relation/");
    let government = format!("{base}entity/government");
    let mut rdf_neighbours = BTreeSet::new();
    for t in &triples {
        if !t.predicate.as_str().starts_with(&relation) {
            continue;
        }
        let subject = t.subject.to_string();
        let object = t.object.to_string();
        if subject == format!("<{government}>") {
            rdf_neighbours.insert(object);
        } else if object == format!("<{government}>") {
            rdf_neighbours.insert(subject);
        }
    }
    let ours: BTreeSet<String> = neighbourhood(&graph, entity(&graph, "government"))
        .iter()
        .map(|&f| {
            let fact = graph.model.fact(f);
            let other = if graph.model.entity(fact.subject).id == "government" {
                fact.object
            } else {
                fact.subject
            };
            format!("<{base}entity/{}>", graph.model.entity(other).id)
        })
        .collect();
    assert_eq!(rdf_neighbours, ours);
    assert!(export::ntriples::base_iri("not an iri").is_err());
    assert_eq!(
        export::ntriples::base_iri("urn:x:").unwrap(),
        "urn:x:/".to_string()
    );
}

#[test]
fn graphml_is_xml_with_every_node_and_edge() {
    let graph = fixture();
    let xml = text(
        &graph,
        &Subgraph::whole(&graph),
        ExportFormat::Graphml,
        &ExportOptions::default(),
    );
    check_graphml(&graph, &xml);
}

fn check_graphml(graph: &KnowledgeGraph, xml: &str) {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let nodes: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("node"))
        .filter_map(|n| n.attribute("id"))
        .collect();
    let ids: Vec<&str> = graph.model.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(nodes, ids);
    let edges: Vec<(&str, &str)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("edge"))
        .map(|n| {
            (
                n.attribute("source").unwrap(),
                n.attribute("target").unwrap(),
            )
        })
        .collect();
    assert_eq!(edges.len(), graph.model.facts().len());
    for (fact, (s, t)) in graph.model.facts().iter().zip(&edges) {
        assert_eq!(graph.model.entity(fact.subject).id, *s);
        assert_eq!(graph.model.entity(fact.object).id, *t);
    }
}

#[test]
fn json_round_trip_gives_the_same_model() {
    for graph in [fixture(), bundled()] {
        let whole = Subgraph::whole(&graph);
        let json = text(
            &graph,
            &whole,
            ExportFormat::Json,
            &ExportOptions::default(),
        );
        let source = factgraph::fact_file::SourceText::new("in.json", json);
        let ron = export::json::import(&source, "out.ron").unwrap();
        let back = KnowledgeGraph::new(
            factgraph::validate::load(
                &[factgraph::fact_file::SourceText::new(
                    "out.ron",
                    ron.clone(),
                )],
                &[],
            )
            .unwrap(),
        );
        assert_eq!(Records::of(&graph, &whole), Records::of(&back, &whole));
        // And once more: the RON written is a fixed point.
        let json2 = text(&back, &whole, ExportFormat::Json, &ExportOptions::default());
        let ron2 = export::json::import(
            &factgraph::fact_file::SourceText::new("in.json", json2),
            "out.ron",
        )
        .unwrap();
        assert_eq!(ron, ron2);
    }
}

#[test]
fn import_reports_bad_json_where_it_is() {
    let source =
        factgraph::fact_file::SourceText::new("bad.json", "{\"factgraph\": 1,\n \"entites\": []}");
    let error = export::json::import(&source, "out.ron").unwrap_err();
    let diagnostics = error.to_diagnostics();
    assert_eq!(diagnostics[0].position().unwrap(), "bad.json:2:10");
    let dangling = factgraph::fact_file::SourceText::new(
        "dangling.json",
        r#"{"factgraph": 1, "facts": [{"subject": "a", "relation": "r", "object": "b", "source": "s", "quote": "q"}]}"#,
    );
    assert!(export::json::import(&dangling, "out.ron").is_err());
}

#[test]
fn at_keeps_what_holds_at_a_date() {
    let graph = fixture();
    let at = TimeScope::at(Some(export::parse_date("--at", "2016").unwrap()));
    let sub = Subgraph::whole(&graph).within(&graph, at);
    let kept: Vec<u32> = sub.facts.iter().map(|f| f.0).collect();
    // Undated located_in facts, the 2015 overrun, the siege since 2015, the alliance 2015..2017-08;
    // not the 2017 recaptures or the mid-2017 offensive; `until 2017-08` has not ended by 2016.
    assert_eq!(kept, vec![0, 1, 2, 3, 4, 5, 8, 10]);
    let later = Subgraph::whole(&graph).within(
        &graph,
        TimeScope::at(Some(export::parse_date("--at", "2018").unwrap())),
    );
    assert!(!later.facts.contains(&FactId(8)) && !later.facts.contains(&FactId(10)));
    assert_eq!(later.entities.len(), graph.model.entities.len());
    assert!(export::parse_date("--at", "2017-02-30").is_err());
}

#[test]
fn goldens_exist_for_every_dot_case() {
    let dir = root().join("tests/golden");
    for name in [
        "small.dot",
        "small-cluster.dot",
        "path.dot",
        "neighbourhood.dot",
    ] {
        assert!(
            Path::new(&dir.join(name)).exists() || std::env::var_os("BLESS").is_some(),
            "{name} is missing; run BLESS=1 cargo test"
        );
    }
}
