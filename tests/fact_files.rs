#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Loading fact files: several files merge into one graph whatever their order, clashes across
//! files name both places, and the bundled article graph holds the facts a reader relies on.

use factgraph::bundled::{BUNDLED_NAME, BUNDLED_TEXT};
use factgraph::date::parse_when;
use factgraph::fact_file::SourceText;
use factgraph::graph::KnowledgeGraph;
use factgraph::load::GraphSpec;
use factgraph::validate::{load, QuoteText};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/merge")
        .join(name)
}

#[test]
fn files_merge_whatever_the_declaration_order() {
    let graph = GraphSpec::new(vec![fixture("facts.ron"), fixture("vocabulary.ron")])
        .load(&[])
        .unwrap();
    let model = &graph.model;
    assert_eq!(
        (
            model.entities.len(),
            model.relations.len(),
            model.facts().len(),
            model.files.len()
        ),
        (3, 3, 2, 2)
    );
    let fact = model.facts()[0];
    assert_eq!(model.entity(fact.subject).id, "isil");
    assert!(
        model.origin_text(fact.origin).ends_with("facts.ron:4"),
        "{}",
        model.origin_text(fact.origin)
    );
    assert_eq!(
        graph.lookup("isis").map(|e| model.entity(e).id.as_str()),
        Ok("isil")
    );
}

#[test]
fn a_clash_across_files_points_at_the_second_and_names_the_first() {
    let errors = GraphSpec::new(vec![fixture("vocabulary.ron"), fixture("clash.ron")])
        .load(&[])
        .err()
        .unwrap();
    assert_eq!(errors.len(), 1);
    let text = errors[0].to_string();
    assert!(
        text.contains("entity id `tadmor` is declared twice"),
        "{text}"
    );
    assert!(text.contains("clash.ron:2:"), "{text}");
    assert!(
        text.contains("first declared at") && text.contains("vocabulary.ron:"),
        "{text}"
    );
}

fn article() -> KnowledgeGraph {
    // The article's text is kept beside its graph: every quote must be verbatim.
    let article = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("graphs/sources/the-national-2017-08-06-al-sukhna.txt");
    let quotes = vec![QuoteText {
        source_id: "national".into(),
        text: SourceText::read(&article).unwrap(),
    }];
    let model = load(&[SourceText::new(BUNDLED_NAME, BUNDLED_TEXT)], &quotes).unwrap();
    KnowledgeGraph::new(model)
}

/// Whether the graph states `subject relation object` (the relation or a narrower one) at `when`.
fn states(
    graph: &KnowledgeGraph,
    subject: &str,
    relation: &str,
    object: &str,
    when: Option<&str>,
) -> bool {
    let model = &graph.model;
    let (s, o) = (
        graph.lookup(subject).unwrap(),
        graph.lookup(object).unwrap(),
    );
    let family = graph.lookup_relation(relation).unwrap().relations;
    let when = when.map(|w| parse_when(w).unwrap());
    model.facts().iter().any(|f| {
        f.subject == s
            && f.object == o
            && family.contains(&f.relation)
            && (when.is_none() || f.when == when)
    })
}

#[test]
fn the_article_graph_holds_the_key_facts() {
    let graph = article();
    let model = &graph.model;
    assert!(
        model.entities.len() > 40 && model.facts().len() > 60,
        "{}",
        model.summary()
    );
    assert!(states(
        &graph,
        "ISIS",
        "besieges",
        "Deir Ezzor",
        Some("since 2015")
    ));
    assert!(states(
        &graph,
        "Syrian government",
        "recaptured",
        "Tadmor",
        Some("2017-03")
    ));
    assert!(states(&graph, "ISIL", "overran", "Tadmor", Some("2015-05")));
    assert!(states(
        &graph,
        "Syrian government",
        "recaptured",
        "Al Sukhna",
        Some("2017-08-06")
    ));
    assert!(states(
        &graph,
        "ISIL",
        "withdrew_from",
        "Al Sukhna",
        Some("2017-08-06")
    ));
    assert!(states(
        &graph,
        "Russia",
        "brokered",
        "northern Homs ceasefire",
        None
    ));
    assert!(states(
        &graph,
        "Shuhada Al Qaryatayn",
        "broke_ties_with",
        "US",
        Some("2017-07")
    ));
    assert!(states(
        &graph,
        "Shuhada Al Qaryatayn",
        "based_at",
        "Al Tanf",
        None
    ));
    assert!(states(&graph, "Lebanese military", "shelled", "ISIL", None));
    assert!(states(
        &graph,
        "Hizbollah",
        "fights_for",
        "Syrian government",
        None
    ));
    // Every entity is used by some fact, and every fact cites a declared source with a quote.
    assert!(factgraph::validate::unused_entities(model).is_empty());
    assert!((0..model.facts().len() as u32)
        .all(|i| !model.quote(factgraph::model::FactId(i)).trim().is_empty()));
}
