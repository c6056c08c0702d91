#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! The time index changes no answer: period queries (`during`, `where ?f.when during/before/
//! after`, `timeline ... during`) on random graphs with every form of date answer the same with
//! the index as with a scan of every candidate fact.

use factgraph::date::{DatePoint, Part, When};
use factgraph::graph::KnowledgeGraph;
use factgraph::model::{
    Entity, EntityId, Fact, FactWords, Kind, Model, Origin, Relation, RelationId, Source, SourceId,
};
use factgraph::query::answer::Answer;
use factgraph::query::eval::{CancelToken, Evaluator, Scratch};
use factgraph::query::parse_statement;
use factgraph::query::resolve::resolve;
use factgraph::query::Statement;
use proptest::prelude::*;

const ORIGIN: Origin = Origin { file: 0, line: 1 };
const ENTITIES: usize = 6;

fn relation(name: &str, symmetric: bool, broader: Option<u32>) -> Relation {
    Relation {
        name: name.to_string(),
        inverse: (!symmetric).then(|| format!("{name}_by")),
        symmetric,
        domain: Vec::new(),
        range: Vec::new(),
        broader: broader.map(RelationId),
        description: None,
        starts_state: None,
        ends_state: None,
        self_loops: true,
        hedged: false,
        contradicts: Vec::new(),
        origin: ORIGIN,
    }
}

/// Relations `r0` (with `r2` narrower, so `r0` names a family), symmetric `r1`, and `r2`.
fn model(facts: &[(usize, usize, usize, Option<When>)]) -> Model {
    let mut model = Model::new(
        vec!["random.ron".to_string()],
        vec![Source {
            id: "s".into(),
            title: "t".into(),
            publisher: "p".into(),
            published: When::At(DatePoint::Year { year: 2019 }),
            url: None,
            reliability: None,
            text: None,
            origin: ORIGIN,
        }],
        vec![
            relation("r0", false, None),
            relation("r1", true, None),
            relation("r2", false, Some(0)),
        ],
        (0..ENTITIES)
            .map(|i| Entity::new(format!("n{i}"), format!("node {i}"), Kind::Place, ORIGIN))
            .collect(),
    );
    for &(s, o, r, when) in facts {
        let fact = Fact {
            subject: EntityId(s as u32),
            relation: RelationId(r as u32),
            object: EntityId(o as u32),
            when,
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

/// Dates crowd into two years and a few days of the month, so that facts and periods often
/// share their first or last day, where an index is most easily wrong by one.
fn point() -> BoxedStrategy<DatePoint> {
    let year = 2016..=2017i32;
    let month = prop_oneof![Just(1u8), Just(2), Just(6), Just(12)];
    let day = prop_oneof![Just(1u8), Just(2), Just(14), Just(15), Just(28)];
    prop_oneof![
        3 => (year.clone(), month.clone(), day)
            .prop_map(|(year, month, day)| DatePoint::Day { year, month, day }),
        2 => (year.clone(), month).prop_map(|(year, month)| DatePoint::Month { year, month }),
        1 => (year.clone(), 0..3usize).prop_map(|(year, p)| DatePoint::Part {
            year,
            part: [Part::Early, Part::Mid, Part::Late][p]
        }),
        1 => year.prop_map(|year| DatePoint::Year { year }),
    ]
    .boxed()
}

/// Every date form, ranges only where they can be written.
fn when() -> BoxedStrategy<When> {
    prop_oneof![
        4 => point().prop_map(When::At),
        2 => (point(), point())
            .prop_filter("a range ends after it starts", |(a, b)| {
                b.last_day() >= a.first_day()
            })
            .prop_map(|(from, to)| When::Range { from, to }),
        1 => point().prop_map(When::Since),
        1 => point().prop_map(When::Until),
        1 => point().prop_map(When::AsOf),
        1 => point().prop_map(When::By),
    ]
    .boxed()
}

/// A period as a query writes it: a point or a closed range.
fn period() -> BoxedStrategy<When> {
    when()
        .prop_filter("a period", |w| {
            matches!(w, When::At(_) | When::Range { .. })
        })
        .boxed()
}

fn facts() -> impl Strategy<Value = Vec<(usize, usize, usize, Option<When>)>> {
    prop::collection::vec(
        (
            0..ENTITIES,
            0..ENTITIES,
            0..3usize,
            prop::option::weighted(0.85, when()),
        ),
        0..40,
    )
}

/// A query with a period somewhere: the query's `during` (with `at` or `reported` beside it
/// sometimes), a `where` date condition on a fact variable, or a timeline.
fn query() -> impl Strategy<Value = String> {
    let shape = prop_oneof![
        Just("match ?a ?r ?b count"),
        Just("match ?a ?r ?b"),
        Just("match ?a r0 ?b"),
        Just("match ?a r0_by ?b count"),
        Just("match ?a r1 ?b"),
        Just("match ?a r2 ?b, ?b ?r ?c count"),
        Just("match ?a ?r ?b, ?c r1 ?d count"),
        Just("match ?a ?r ?b as ?f where ?f.when {op} {p}"),
        Just("match ?a r0 ?b as ?f, ?b ?r ?c as ?g where ?g.when {op} {p} count"),
        Just("match ?a ?r ?b as ?f where ?f.when {op} {p} and ?a.kind = place group by ?r count"),
        Just("match ?a ?r ?b as ?f, not { ?b r1 ?c as ?g where ?g.when {op} {p} }"),
        Just("match ?a ?r n1 as ?f, optional { ?b r0 ?a as ?g where ?g.when {op} {p} }"),
        Just("timeline"),
        Just("timeline n0"),
        Just("timeline n2 from {q}"),
        Just("timeline to {q}"),
    ];
    let op = prop_oneof![
        Just("during"),
        Just("certainly during"),
        Just("before"),
        Just("certainly before"),
        Just("after"),
        Just("certainly after"),
    ];
    let scope = prop_oneof![
        Just(""),
        Just(" during {d}"),
        Just(" during {d}"),
        Just(" at {q} during {d}"),
        Just(" during {d} reported {q}"),
    ];
    (shape, op, scope, period(), period(), point()).prop_map(|(shape, op, scope, p, d, q)| {
        let q = When::At(q).to_string();
        let text = shape
            .replace("{op}", op)
            .replace("{p}", &p.to_string())
            .replace("{q}", &q);
        format!(
            "{text}{}",
            scope.replace("{d}", &d.to_string()).replace("{q}", &q)
        )
    })
}

fn ask(graph: &KnowledgeGraph, text: &str, indexed: bool) -> Answer {
    let Statement::Query(query) = parse_statement(text).unwrap() else {
        panic!("not a query: {text}")
    };
    let (resolved, scope) = resolve(graph, &query).unwrap_or_else(|e| panic!("{text}: {e:?}"));
    let cancel = CancelToken::new();
    let ev = Evaluator::new(graph, scope, &cancel);
    let mut ev = if indexed { ev } else { ev.without_time_index() };
    ev.eval(&resolved, &mut Scratch::default()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn period_queries_answer_the_same_with_and_without_the_index(
        facts in facts(),
        queries in prop::collection::vec(query(), 1..6),
    ) {
        let graph = KnowledgeGraph::new(model(&facts));
        for text in &queries {
            let scanned = ask(&graph, text, false);
            let indexed = ask(&graph, text, true);
            prop_assert_eq!(indexed, scanned, "{}", text);
        }
    }
}
