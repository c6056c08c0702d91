#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Property test: whatever the names (quotes, backslashes, newlines, `<`, `>`, unicode), every export
//! still parses and keeps every node and edge.

use factgraph::date::parse_when;
use factgraph::export::{self, ExportFormat, ExportOptions, Subgraph};
use factgraph::graph::KnowledgeGraph;
use factgraph::model::{
    Entity, EntityId, Fact, FactWords, Kind, Model, Origin, Relation, RelationId, Source, SourceId,
};
use proptest::prelude::*;

const ORIGIN: Origin = Origin { file: 0, line: 1 };

fn graph(names: &[String], quote: &str) -> KnowledgeGraph {
    let entities = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            // Ids are as free as names; an index keeps them unique.
            let id = format!("{name}{i}");
            Entity::new(id, name.clone(), Kind::ALL[i % 4], ORIGIN).with_details(
                vec![format!("{name}\"alias\\")],
                vec![name.clone()],
                Default::default(),
            )
        })
        .collect::<Vec<_>>();
    let n = entities.len() as u32;
    let facts: Vec<(Fact, String)> = (0..n)
        .map(|i| {
            let fact = Fact {
                subject: EntityId(i),
                relation: RelationId(0),
                object: EntityId((i + 1) % n),
                when: Some(parse_when("since 2015").unwrap()),
                source: SourceId(0),
                origin: ORIGIN,
            };
            (fact, format!("{quote}{i}"))
        })
        .collect();
    let relation = Relation {
        name: format!("rel {quote}"),
        inverse: None,
        symmetric: false,
        domain: vec![],
        range: vec![],
        broader: None,
        description: None,
        starts_state: None,
        ends_state: None,
        self_loops: true,
        hedged: false,
        contradicts: Vec::new(),
        origin: ORIGIN,
    };
    let source = Source {
        id: format!("src{quote}"),
        title: quote.to_string(),
        publisher: quote.to_string(),
        published: parse_when("2017").unwrap(),
        url: None,
        reliability: None,
        text: None,
        origin: ORIGIN,
    };
    let mut model = Model::new(
        vec!["prop.ron".into()],
        vec![source],
        vec![relation],
        entities,
    );
    for (fact, fact_quote) in facts {
        let words = FactWords {
            quote: &fact_quote,
            reported_by: &[],
            note: Some(quote),
            credibility: None,
        };
        model.push_fact(fact, words);
    }
    KnowledgeGraph::new(model)
}

fn export(graph: &KnowledgeGraph, format: ExportFormat, cluster: bool) -> String {
    let mut out = Vec::new();
    let options = ExportOptions {
        cluster,
        ..ExportOptions::default()
    };
    export::write_text(graph, &Subgraph::whole(graph), format, &options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z\"\\\\<>&;,'`\n\r\t {}\\[\\]=#-]{0,12}",
        "\\PC{0,8}",
        any::<String>().prop_map(|s| s.chars().take(10).collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_export_survives_any_name(names in prop::collection::vec(name(), 1..5), quote in name()) {
        let graph = graph(&names, &quote);
        for cluster in [false, true] {
            let dot = export(&graph, ExportFormat::Dot, cluster);
            let ast = dot_parser::ast::Graph::try_from(dot.as_str());
            prop_assert!(ast.is_ok(), "dot does not parse: {:?}\n{}", ast.err(), dot);
            let canonical = dot_parser::canonical::Graph::from(ast.unwrap());
            let nodes = canonical.nodes.set.keys().filter(|k| !k.starts_with("\"&legend:")).count();
            prop_assert_eq!(nodes, names.len());
            prop_assert!(dot.is_ascii());
        }
        let nt = export(&graph, ExportFormat::Ntriples, false);
        let parsed: Result<Vec<_>, _> = oxttl::NTriplesParser::new().for_slice(nt.as_bytes()).collect();
        prop_assert!(parsed.is_ok(), "{:?}\n{}", parsed.err(), nt);
        prop_assert_eq!(parsed.unwrap().len(), nt.lines().count());
        let xml = export(&graph, ExportFormat::Graphml, false);
        let doc = roxmltree::Document::parse(&xml);
        prop_assert!(doc.is_ok(), "{:?}\n{}", doc.err(), xml);
        let doc = doc.unwrap();
        let ids: Vec<String> = doc.descendants().filter(|n| n.has_tag_name("node"))
            .filter_map(|n| n.attribute("id").map(str::to_string)).collect();
        let expected: Vec<String> = graph.model.entities.iter()
            .map(|e| e.id.chars().map(|c| if is_xml_char(c) { c } else { '\u{fffd}' }).collect::<String>())
            .collect();
        // XML parsers normalise line breaks in attribute values only when they are raw; ours are
        // character references, so ids come back exactly (less characters XML cannot hold).
        prop_assert_eq!(ids, expected);
        let cypher = export(&graph, ExportFormat::Cypher, false);
        prop_assert_eq!(cypher.lines().count(), 1 + 2 * names.len());
    }
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{a}' | '\u{d}' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}
