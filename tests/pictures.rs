#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Pictures a reader can follow: ego pictures (`--focus`, `--depth`), summaries of graphs too
//! large to draw whole, the layout engine chosen by size, and tooltips on what a reader hovers.
//! Golden dot files live under tests/golden/ (`BLESS=1` rewrites them); `.ci/run` renders each
//! with Graphviz.

mod common;

use common::golden;
use factgraph::export::drawing::{Drawing, Layout};
use factgraph::export::{self, ExportFormat, ExportOptions, Subgraph};
use factgraph::graph::KnowledgeGraph;
use factgraph::load::GraphSpec;
use factgraph::model::{EntityId, FactId};
use factgraph::query::TimeScope;
use factgraph::session::{Input, Session};
use std::collections::{BTreeMap, BTreeSet};

fn fixture() -> KnowledgeGraph {
    common::small_graph()
}

fn bundled() -> KnowledgeGraph {
    common::article_graph()
}

fn dot(graph: &KnowledgeGraph, sub: &Subgraph, options: &ExportOptions) -> String {
    let mut out = Vec::new();
    export::write_text(graph, sub, ExportFormat::Dot, options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn entity(graph: &KnowledgeGraph, name: &str) -> EntityId {
    graph.lookup(name).unwrap()
}

fn ids(graph: &KnowledgeGraph, entities: &[EntityId]) -> BTreeSet<String> {
    entities
        .iter()
        .map(|&e| graph.model.entity(e).id.clone())
        .collect()
}

/// The entity each drawn node stands for, and the entities folded into it.
fn groups(drawing: &Drawing) -> BTreeMap<EntityId, BTreeSet<EntityId>> {
    drawing
        .nodes
        .iter()
        .map(|n| {
            let mut group: BTreeSet<EntityId> = n.folded.iter().copied().collect();
            group.insert(n.entity);
            (n.entity, group)
        })
        .collect()
}

#[test]
fn focus_and_depth_select_the_ego_subgraph() {
    let graph = fixture();
    let government = entity(&graph, "Syrian government");

    let alone = Subgraph::around(&graph, government, 0, TimeScope::default());
    assert_eq!(alone.entities, vec![government]);
    assert!(alone.facts.is_empty());

    // One step: the government and what it is directly linked to, by its own facts only.
    let one = Subgraph::around(&graph, government, 1, TimeScope::default());
    assert_eq!(
        ids(&graph, &one.entities),
        BTreeSet::from(
            [
                "government",
                "hizbollah",
                "al_sukhna",
                "tadmor",
                "offensive"
            ]
            .map(String::from)
        )
    );
    assert_eq!(one.facts, vec![FactId(6), FactId(7), FactId(8), FactId(9)]);

    // Two steps reach ISIL (which overran Tadmor) and Homs (which holds Tadmor and Al Sukhna);
    // the facts among the first ring (Hizbollah took part in the offensive) come in, but not
    // those of the outer ring itself: ISIL's siege of Deir Ezzor, Homs in Syria.
    let two = Subgraph::around(&graph, government, 2, TimeScope::default());
    let two_ids = ids(&graph, &two.entities);
    assert!(
        two_ids.contains("isil") && two_ids.contains("homs"),
        "{two_ids:?}"
    );
    assert!(
        !two_ids.contains("deir_ezzor") && !two_ids.contains("syria"),
        "{two_ids:?}"
    );
    assert!(two.facts.contains(&FactId(10)));
    assert!(!two.facts.contains(&FactId(5)) && !two.facts.contains(&FactId(0)));

    // A time slice walks only the facts that hold then: in 2016 the government had recaptured
    // nothing yet, so Tadmor and Al Sukhna are not one step away.
    let then = Subgraph::around(
        &graph,
        government,
        1,
        TimeScope::at(Some(export::parse_date("--at", "2016").unwrap())),
    );
    assert_eq!(
        ids(&graph, &then.entities),
        BTreeSet::from(["government", "hizbollah"].map(String::from))
    );

    let options = ExportOptions {
        focus: Some(government),
        ..ExportOptions::default()
    };
    let text = dot(&graph, &two, &options);
    golden("focus.dot", &text);
    // The centre stands out.
    assert!(text.contains("\"government\" [label=\"Syrian government\", shape=box, fillcolor=\"#cfe2f3\", tooltip=\"Syrian government (actor)\\nalso: regime\", color=\"#c0392b\", penwidth=2];"));
}

#[test]
fn a_small_subgraph_is_drawn_whole_and_a_large_one_is_summarised() {
    let graph = fixture();
    let whole = Subgraph::whole(&graph);
    let detail = Drawing::plan(&graph, &whole, &ExportOptions::default());
    assert!(!detail.summary);
    assert_eq!(detail.nodes.len(), graph.model.entities.len());
    assert_eq!(detail.lines.len(), graph.model.facts().len());
    assert_eq!(detail.layout, Layout::Dot);

    let four = ExportOptions {
        max_entities: 4,
        ..ExportOptions::default()
    };
    let summary = Drawing::plan(&graph, &whole, &four);
    assert!(summary.summary);
    assert_eq!(summary.nodes.len(), 4);
    // Every entity is drawn or folded into exactly one drawn entity.
    let mut seen = BTreeSet::new();
    for group in groups(&summary).values() {
        for &e in group {
            assert!(seen.insert(e), "{e:?} is in two groups");
        }
    }
    assert_eq!(seen.len(), graph.model.entities.len());
    golden("small-summary.dot", &dot(&graph, &whole, &four));

    // 0 draws everything, whatever the size.
    let all = ExportOptions {
        max_entities: 0,
        ..ExportOptions::default()
    };
    assert!(!Drawing::plan(&graph, &whole, &all).summary);
}

#[test]
fn the_whole_article_graph_fits_one_screen_and_every_line_is_true() {
    let graph = bundled();
    let whole = Subgraph::whole(&graph);
    let drawing = Drawing::plan(&graph, &whole, &ExportOptions::default());
    assert!(drawing.summary);
    assert_eq!(drawing.nodes.len(), export::DEFAULT_MAX_ENTITIES);
    assert_eq!(drawing.layout, Layout::Neato);
    assert_eq!(drawing.left_out, 0);

    // Every entity is drawn or counted on exactly one drawn entity.
    let group_of: BTreeMap<EntityId, EntityId> = groups(&drawing)
        .into_iter()
        .flat_map(|(drawn, group)| group.into_iter().map(move |e| (e, drawn)))
        .collect();
    assert_eq!(group_of.len(), graph.model.entities.len());

    // A line joins the very subject and object of each of its facts, and every fact between two
    // drawn entities is on one line; facts of entities not drawn are not guessed onto others.
    let drawn: BTreeSet<EntityId> = drawing.nodes.iter().map(|n| n.entity).collect();
    let mut on_lines = BTreeSet::new();
    for line in &drawing.lines {
        for &f in &line.facts {
            assert!(on_lines.insert(f), "{f:?} is on two lines");
            let fact = graph.model.fact(f);
            assert_eq!((fact.subject, fact.object), (line.from, line.to));
        }
    }
    for (i, fact) in graph.model.facts().iter().enumerate() {
        let both = drawn.contains(&fact.subject) && drawn.contains(&fact.object);
        assert_eq!(on_lines.contains(&FactId(i as u32)), both, "fact {i}");
    }

    // Leaves go first: London, known only as where Al Sharq Al Awsat is based, is counted where
    // the paper is.
    let london = entity(&graph, "London");
    let paper = entity(&graph, "Al Sharq Al Awsat");
    assert_eq!(group_of[&london], group_of[&paper]);
    // The core of the story stays drawn.
    for hub in ["ISIL", "Syrian government", "Russia", "Al Sukhna", "Tadmor"] {
        let e = entity(&graph, hub);
        assert_eq!(group_of[&e], e, "{hub} was folded away");
    }
}

#[test]
fn a_path_is_never_folded_away() {
    let mut session = Session::open(GraphSpec::default()).unwrap();
    let (sub, _) = session
        .subgraph_of(&Input::line("query", "path Russia to Talbiseh"))
        .unwrap();
    assert!(!sub.highlight.is_empty());
    let graph = session.graph();
    // Far fewer than the path and its neighbourhood hold.
    let options = ExportOptions {
        max_entities: 5,
        ..ExportOptions::default()
    };
    let drawing = Drawing::plan(graph, &sub.normalized(graph), &options);
    assert!(drawing.summary);
    let drawn: BTreeSet<EntityId> = drawing.nodes.iter().map(|n| n.entity).collect();
    for &f in &sub.highlight {
        let fact = graph.model.fact(f);
        assert!(drawn.contains(&fact.subject) && drawn.contains(&fact.object));
    }
    let highlighted: BTreeSet<FactId> = drawing
        .lines
        .iter()
        .filter(|l| l.highlighted)
        .flat_map(|l| l.facts.iter().copied())
        .collect();
    assert!(sub.highlight.iter().all(|f| highlighted.contains(f)));
}

#[test]
fn the_engine_follows_the_size_unless_chosen() {
    let graph = bundled();
    let whole = Subgraph::whole(&graph);
    let everything = ExportOptions {
        max_entities: 0,
        ..ExportOptions::default()
    };
    // 192 facts are too many lines for ranks; 89 entities are few enough for neato, and fdp
    // is there for clusters.
    assert_eq!(
        Drawing::plan(&graph, &whole, &everything).layout,
        Layout::Neato
    );
    let clusters = ExportOptions {
        cluster: true,
        ..everything.clone()
    };
    assert_eq!(Drawing::plan(&graph, &whole, &clusters).layout, Layout::Fdp);
    let chosen = ExportOptions {
        layout: Layout::Sfdp,
        ..everything.clone()
    };
    let text = dot(&graph, &whole, &chosen);
    assert!(text.contains("graph [layout=sfdp,"), "{}", &text[..300]);
    // sfdp draws no clusters: the legend is a row under the picture, not nodes among the rest.
    assert!(text.contains("<td bgcolor=\"#cfe2f3\" border=\"1\" color=\"#555555\">actor</td>"));
    assert!(!text.contains("&legend:"));

    // An ego picture beyond a fan of a few lines is laid out around its centre.
    let russia = entity(&graph, "Russia");
    let around = Subgraph::around(&graph, russia, 2, TimeScope::default());
    let ego = ExportOptions {
        focus: Some(russia),
        ..ExportOptions::default()
    };
    assert_eq!(Drawing::plan(&graph, &around, &ego).layout, Layout::Neato);
    let twopi = ExportOptions {
        layout: Layout::Twopi,
        ..ego
    };
    assert!(dot(&graph, &around, &twopi).contains("layout=twopi, root=\"russia\""));
    // A path of a few facts stays in ranks, read left to right.
    let small = Subgraph::around(&graph, russia, 1, TimeScope::default());
    assert_eq!(
        Drawing::plan(&graph, &small, &ExportOptions::default()).layout,
        Layout::Dot
    );
}

/// Graphviz puts an edge's label outside the link that carries the edge's tooltip; without
/// `labeltooltip` an SVG viewer shows the edge's ids (`a->b`) over the label instead of the quote.
#[test]
fn every_line_and_label_carries_the_quote() {
    let graph = fixture();
    for options in [
        ExportOptions::default(),
        ExportOptions {
            max_entities: 3,
            ..ExportOptions::default()
        },
    ] {
        let text = dot(&graph, &Subgraph::whole(&graph), &options);
        let edges: Vec<&str> = text
            .lines()
            .filter(|l| l.contains(" -> ") && !l.contains("&legend:"))
            .collect();
        assert!(!edges.is_empty());
        for line in edges {
            let tooltip = attribute(line, "tooltip").unwrap();
            assert!(tooltip.contains("&#8220;"), "no quote in {line}");
            assert_eq!(attribute(line, "labeltooltip"), Some(tooltip), "{line}");
        }
    }
}

/// The value of `name="..."` in a dot statement (values never hold a raw quote; see dot.rs).
fn attribute<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = line.find(&key)? + key.len();
    let end = line[start..].find('"')?;
    Some(&line[start..start + end])
}

#[test]
fn summaries_are_deterministic_whatever_the_order_asked() {
    let graph = bundled();
    let whole = Subgraph::whole(&graph);
    let mut reversed = whole.clone();
    reversed.facts.reverse();
    reversed.entities.reverse();
    let options = ExportOptions::default();
    assert_eq!(
        dot(&graph, &whole, &options),
        dot(&graph, &reversed, &options)
    );
    assert_eq!(
        dot(&graph, &whole, &options),
        dot(&bundled(), &whole, &options)
    );
}
