//! The dot writer: whatever the ids, names, aliases, tags, relation names and quotes (quotes,
//! backslashes, `&#...;`, newlines, control and non-ASCII characters), the dot it writes is ASCII,
//! parses, and keeps one node per entity (distinct ids stay distinct) and one edge per fact, with
//! clusters on or off, highlighted or not, whole or sliced in time.
#![no_main]

use arbitrary::Arbitrary;
use factgraph::date::{parse_when, When};
use factgraph::export::{dot, ExportOptions, Subgraph};
use factgraph::graph::KnowledgeGraph;
use factgraph::model::{
    Entity, EntityId, Fact, FactId, FactWords, Kind, Model, Origin, Relation, RelationId, Source,
    SourceId,
};
use factgraph_fuzz::check_dot;
use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;

const ORIGIN: Origin = Origin { file: 0, line: 1 };
const DATES: [&str; 6] = [
    "2015",
    "since 2014-03",
    "until late 2016",
    "2015..2017-03",
    "mid 2016",
    "2017-08-06",
];

#[derive(Arbitrary, Debug)]
struct EntityIn {
    id: String,
    name: String,
    kind: u8,
    aliases: Vec<String>,
    tags: Vec<String>,
}

#[derive(Arbitrary, Debug)]
struct FactIn {
    subject: u8,
    relation: u8,
    object: u8,
    when: Option<u8>,
    quote: String,
    highlight: bool,
}

#[derive(Arbitrary, Debug)]
struct Input {
    entities: Vec<EntityIn>,
    /// `located_in` is always relation 0, so that clusters form.
    relations: Vec<(String, bool)>,
    facts: Vec<FactIn>,
    publisher: String,
    cluster: bool,
    at: Option<u8>,
}

fn when(i: u8) -> Option<When> {
    parse_when(DATES[usize::from(i) % DATES.len()]).ok()
}

fuzz_target!(|input: Input| {
    let mut seen = HashSet::new();
    let entities: Vec<Entity> = input
        .entities
        .into_iter()
        .filter(|e| seen.insert(e.id.clone()))
        .take(24)
        .map(|e| {
            let kind = Kind::ALL[usize::from(e.kind) % 4];
            Entity::new(e.id, e.name, kind, ORIGIN).with_details(
                e.aliases,
                e.tags,
                Default::default(),
            )
        })
        .collect();
    if entities.is_empty() {
        return;
    }
    let relation = |name: String, symmetric: bool| Relation {
        name,
        inverse: None,
        symmetric,
        domain: vec![],
        range: vec![],
        broader: None,
        description: None,
        starts_state: None,
        ends_state: None,
        self_loops: true,
        hedged: false,
        contradicts: vec![],
        origin: ORIGIN,
    };
    let mut relations = vec![relation(dot::LOCATED_IN.to_string(), false)];
    relations.extend(
        input
            .relations
            .into_iter()
            .take(4)
            .map(|(n, s)| relation(n, s)),
    );
    let (n, r) = (entities.len(), relations.len());
    let mut highlight = Vec::new();
    let facts: Vec<(Fact, String)> = input
        .facts
        .into_iter()
        .take(48)
        .enumerate()
        .map(|(i, f)| {
            if f.highlight {
                highlight.push(FactId(i as u32));
            }
            let fact = Fact {
                subject: EntityId((usize::from(f.subject) % n) as u32),
                relation: RelationId((usize::from(f.relation) % r) as u32),
                object: EntityId((usize::from(f.object) % n) as u32),
                when: f.when.and_then(when),
                source: SourceId(0),
                origin: ORIGIN,
            };
            (fact, f.quote)
        })
        .collect();
    let Some(published) = when(0) else {
        return;
    };
    let source = Source {
        id: "s".to_string(),
        title: input.publisher.clone(),
        publisher: input.publisher,
        published,
        url: None,
        reliability: None,
        text: None,
        origin: ORIGIN,
    };
    let mut model = Model::new(vec!["fuzz.ron".to_string()], vec![source], relations, entities);
    for (fact, quote) in &facts {
        let words = FactWords {
            quote,
            ..FactWords::default()
        };
        model.push_fact(*fact, words);
    }
    let graph = KnowledgeGraph::new(model);
    let mut sub = Subgraph::whole(&graph);
    sub.highlight = highlight;
    if let Some(at) = input.at.and_then(when) {
        sub = sub.within(&graph, factgraph::query::TimeScope::at(Some(at)));
    }
    let options = ExportOptions {
        cluster: input.cluster,
        ..ExportOptions::default()
    };
    let mut out = Vec::new();
    if let Err(e) = dot::write(&graph, &sub, &options, &mut out) {
        panic!("dot export failed: {e}");
    }
    let text = String::from_utf8_lossy(&out);
    let written = sub.normalized(&graph);
    let (nodes, edges) = check_dot(&text);
    assert_eq!(
        nodes,
        written.entities.len(),
        "one node per entity:\n{text}"
    );
    assert_eq!(edges, written.facts.len(), "one edge per fact:\n{text}");
});
