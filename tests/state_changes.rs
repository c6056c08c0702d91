#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! State replay and `changes`: `as of` spells, corroboration, periods, and a property test that
//! `changes` agrees with a brute-force day-by-day simulation of who holds what.
//!
//! The semantics both sides implement:
//! - every state fact's date denotes the days it may fall on, `first..last` (`until`, `by` and
//!   undated facts start before any day);
//! - facts are applied in order of first day, then last day, then file order;
//! - each place's holder starts `unknown`; a fact of a `starts_state` relation by S makes S the
//!   holder (a change from the old holder), unless S already holds it (corroboration, no change);
//!   a fact of an `ends_state` relation by the holder leaves the place to nobody;
//! - a first report that states no start (`as of`, `until`) while the holder is unknown names a
//!   holder but is no change;
//! - a change dates from where the spell began: the start of a range or `since`, the day of an
//!   event; an `as of` or `until` report dates it `FROM..DATE`, FROM being where the latest fact
//!   showing the old state starts (`by DATE` when that fact names no start; `DATE` when it
//!   starts on DATE itself);
//! - `changes during P` lists the changes whose date may fall in P out of a replay of every fact,
//!   so the old holder is known even when it took the place before P.

use factgraph::date::{parse_when, When};
use factgraph::fact_file::SourceText;
use factgraph::graph::KnowledgeGraph;
use factgraph::load::GraphSpec;
use factgraph::query::answer::{Answer, Holder};
use factgraph::query::eval::{CancelToken, Evaluator, Scratch};
use factgraph::query::parse_statement;
use factgraph::query::resolve::resolve;
use factgraph::query::Statement;
use factgraph::session::{Input, Outcome, Session};
use factgraph::validate::load;
use proptest::prelude::*;
use std::collections::HashMap;
use std::fmt::Write;

const ACTORS: [&str; 3] = ["a", "b", "c"];
const PLACES: [&str; 2] = ["p", "q"];

/// (subject, relation, object, when); relations `captured` and `held` start `controls`, `lost`
/// ends it.
type StateFact = (&'static str, &'static str, &'static str, String);

/// The facts without repeats (a fact file refuses a fact stated twice).
fn distinct(mut facts: Vec<StateFact>) -> Vec<StateFact> {
    let mut seen = std::collections::HashSet::new();
    facts.retain(|f| seen.insert(f.clone()));
    facts
}

fn graph(facts: &[StateFact]) -> KnowledgeGraph {
    let mut text = String::from(
        "(\n sources: [(id: \"s\", title: \"t\", publisher: \"p\", published: \"2030\")],\n \
         relations: [(name: \"captured\", starts_state: \"controls\"), \
         (name: \"held\", starts_state: \"controls\"), (name: \"lost\", ends_state: \"controls\")],\n \
         entities: [(id: \"a\", name: \"A\", kind: \"actor\"), (id: \"b\", name: \"B\", kind: \"actor\"), \
         (id: \"c\", name: \"C\", kind: \"actor\"), (id: \"p\", name: \"P\", kind: \"place\"), \
         (id: \"q\", name: \"Q\", kind: \"place\")],\n facts: [\n",
    );
    for (s, r, o, when) in facts {
        let when = if when.is_empty() {
            String::new()
        } else {
            format!("when: \"{when}\", ")
        };
        let _ = writeln!(
            text,
            "  (subject: \"{s}\", relation: \"{r}\", object: \"{o}\", {when}source: \"s\", quote: \"q\"),"
        );
    }
    text.push_str(" ],\n)\n");
    KnowledgeGraph::new(load(&[SourceText::new("state.ron", text)], &[]).unwrap())
}

fn answer(graph: &KnowledgeGraph, text: &str) -> Answer {
    let Statement::Query(query) = parse_statement(text).unwrap() else {
        panic!("{text}")
    };
    let (resolved, scope) = resolve(graph, &query).unwrap();
    let cancel = CancelToken::new();
    Evaluator::new(graph, scope, &cancel)
        .eval(&resolved, &mut Scratch::default())
        .unwrap()
}

fn text(graph: KnowledgeGraph, query: &str) -> String {
    let mut session = Session::with_graph(GraphSpec::new(Vec::new()), graph);
    match session.execute(Input::line("t", query)) {
        Ok(Outcome::Output(out)) => out,
        other => panic!("{query}: {other:?}"),
    }
}

fn fact(s: &'static str, r: &'static str, o: &'static str, when: &str) -> StateFact {
    (s, r, o, when.to_string())
}

#[test]
fn an_as_of_hold_starts_on_its_date_and_is_carried_forward_as_last_reported() {
    let facts = [fact("a", "held", "p", "as of 2012-06-01")];
    let before = text(graph(&facts), "show P at 2012-05");
    assert!(!before.contains("controlled by"), "{before}");
    let after = text(graph(&facts), "show P at 2013");
    assert!(
        after.contains("controlled by A as of 2012-06-01 (held), last reported 2012-06-01"),
        "{after}"
    );
    assert!(!after.contains("until"), "{after}");
}

#[test]
fn a_recapture_by_the_holder_corroborates_its_spell() {
    let facts = [
        fact("a", "captured", "p", "2011-03"),
        fact("a", "held", "p", "as of 2012-06-01"),
    ];
    let shown = text(graph(&facts), "show P");
    assert!(
        shown.contains("controlled by A since 2011-03 (captured), again as of 2012-06-01 (held), last reported 2012-06-01"),
        "{shown}"
    );
    let Answer::Show { held_by, .. } = answer(&graph(&facts), "show P") else {
        panic!()
    };
    assert_eq!(held_by.len(), 1);
    assert_eq!(held_by[0].corroborated_by.len(), 1);
}

#[test]
fn a_period_still_knows_who_took_the_place_before_it() {
    let facts = [
        fact("a", "captured", "p", "2011-03"),
        fact("b", "captured", "p", "2013-05"),
    ];
    let shown = text(graph(&facts), "show P during 2012");
    assert!(shown.contains("controlled by A since 2011-03"), "{shown}");
    assert!(!shown.contains("B"), "{shown}");
    let Answer::Changes { transitions, .. } = answer(&graph(&facts), "changes during 2013") else {
        panic!()
    };
    assert_eq!(transitions.len(), 1);
    assert_eq!(
        transitions[0].from,
        Holder::Entity(factgraph::model::EntityId(0))
    );
}

#[test]
fn a_graph_without_state_relations_says_so() {
    let text = "(sources: [(id: \"s\", title: \"t\", publisher: \"p\", published: \"2017\")],\n \
                relations: [(name: \"r\", self_loops: true)], entities: [(id: \"x\", name: \"X\", kind: \"actor\")],\n \
                facts: [(subject: \"x\", relation: \"r\", object: \"x\", source: \"s\", quote: \"q\")])";
    let graph = KnowledgeGraph::new(load(&[SourceText::new("plain.ron", text)], &[]).unwrap());
    let mut session = Session::with_graph(GraphSpec::new(Vec::new()), graph);
    let errors = session
        .execute(Input::line("t", "changes during 2017"))
        .unwrap_err();
    let shown: String = errors.iter().map(|d| format!("{d:?}")).collect();
    assert!(shown.contains("no state relations"), "{shown}");
}

#[test]
fn a_state_is_a_relation_whose_facts_are_its_spells() {
    let facts = [
        fact("a", "captured", "p", "2011-03"),
        fact("b", "captured", "p", "2012-05"),
        fact("a", "held", "q", "as of 2012-06-01"),
    ];
    let g = graph(&facts);
    let at = |query: &str| {
        let Answer::Match { rows, .. } = answer(&g, query) else {
            panic!("{query}")
        };
        let mut pairs: Vec<String> = rows
            .iter()
            .map(|r| {
                let f = g.model.fact(r.facts[0]);
                format!(
                    "{} {}",
                    g.model.entity(f.subject).id,
                    g.model.entity(f.object).id
                )
            })
            .collect();
        pairs.sort();
        pairs
    };
    assert_eq!(at("match ?who controls ?place at 2011-06"), ["a p"]);
    assert_eq!(at("match ?who controls ?place at 2013"), ["a q", "b p"]);
    assert_eq!(at("match ?who controls P"), ["a p", "b p"]);
    // A spell's evidence is the fact that started it and the one that ended it.
    let Answer::Why { facts: found, .. } = answer(&g, "why A controls P") else {
        panic!()
    };
    assert_eq!(found.len(), 1);
    let evidence = g.model.derived_from(found[0].fact).unwrap();
    assert_eq!(
        evidence,
        [factgraph::model::FactId(0), factgraph::model::FactId(1)]
    );
    let shown = text(graph(&facts), "neighbors A via controls at 2013");
    assert!(
        shown.contains("controls  Q (place)  last reported 2012-06-01"),
        "{shown}"
    );
    // Nothing asks about derived facts unless it names their relation.
    let plain = text(graph(&facts), "neighbors A");
    assert!(!plain.contains("controls"), "{plain}");
    let listed = text(graph(&facts), "relations");
    assert!(
        listed.contains("controls") && listed.contains("derived"),
        "{listed}"
    );
}

/// One change as the simulation sees it: (place, old, new, fact index, date).
type Change = (String, String, String, usize, Option<When>);

/// The brute-force replay: walks every day, applying the facts that begin on it.
fn simulate(facts: &[StateFact]) -> Vec<Change> {
    let dates: Vec<Option<When>> = facts
        .iter()
        .map(|f| (!f.3.is_empty()).then(|| parse_when(&f.3).unwrap()))
        .collect();
    let first = |i: usize| dates[i].map_or(i32::MIN, |w| w.interval().first);
    let last = |i: usize| dates[i].map_or(i32::MIN, |w| w.interval().last);
    let mut holder: HashMap<&str, String> = HashMap::new();
    // The latest fact that showed each place's present state: its taking, a report of the same
    // holder, or its loss.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut out = Vec::new();
    let mut apply = |i: usize, out: &mut Vec<Change>| {
        let (s, r, o, _) = &facts[i];
        let old = holder.get(o).cloned().unwrap_or_else(|| "unknown".into());
        if *r == "lost" {
            if old == *s {
                out.push((o.to_string(), old, "nobody".into(), i, dates[i]));
                holder.insert(o, "nobody".into());
                seen.insert(o, i);
            }
            return;
        }
        if old == *s {
            seen.insert(o, i);
            return;
        }
        let start = |w: When| match w {
            When::At(p) | When::Since(p) | When::AsOf(p) | When::Range { from: p, .. } => Some(p),
            _ => None,
        };
        let from = seen.get(o).and_then(|&j| dates[j]).and_then(start);
        let began = dates[i].map(|w| match (w, from) {
            (When::Range { from, .. } | When::Since(from), _) => When::At(from),
            (When::AsOf(to) | When::Until(to), Some(from)) if from == to => When::At(to),
            (When::AsOf(to) | When::Until(to), Some(from)) if from.first_day() <= to.last_day() => {
                When::Range { from, to }
            }
            (When::AsOf(p) | When::Until(p), _) => When::By(p),
            (other, _) => other,
        });
        let report = matches!(dates[i], Some(When::AsOf(_) | When::Until(_)));
        if old != "unknown" || !report {
            out.push((o.to_string(), old, s.to_string(), i, began));
        }
        holder.insert(o, s.to_string());
        seen.insert(o, i);
    };
    // Reports (`as of`) before other facts of the same days: held, then taken, that day.
    let report = |i: usize| matches!(dates[i], Some(When::AsOf(_)));
    let by_day = |i: usize| (last(i), !report(i), i);
    let mut before: Vec<usize> = (0..facts.len()).filter(|&i| first(i) == i32::MIN).collect();
    before.sort_by_key(|&i| by_day(i));
    for i in before {
        apply(i, &mut out);
    }
    let days: Vec<i32> = (0..facts.len())
        .map(first)
        .filter(|&d| d != i32::MIN)
        .collect();
    if let (Some(&lo), Some(&hi)) = (days.iter().min(), days.iter().max()) {
        for day in lo..=hi {
            let mut today: Vec<usize> = (0..facts.len()).filter(|&i| first(i) == day).collect();
            today.sort_by_key(|&i| by_day(i));
            for i in today {
                apply(i, &mut out);
            }
        }
    }
    out
}

fn name_of(graph: &KnowledgeGraph, h: Holder) -> String {
    match h {
        Holder::Entity(e) => graph.model.entity(e).id.clone(),
        Holder::Nobody => "nobody".into(),
        Holder::Unknown => "unknown".into(),
    }
}

fn changes(graph: &KnowledgeGraph, query: &str) -> Vec<Change> {
    let Answer::Changes { transitions, .. } = answer(graph, query) else {
        panic!("{query}")
    };
    transitions
        .iter()
        .map(|t| {
            (
                graph.model.entity(t.place).id.clone(),
                name_of(graph, t.from),
                name_of(graph, t.to),
                t.fact.index(),
                t.when,
            )
        })
        .collect()
}

fn point() -> impl Strategy<Value = String> {
    prop_oneof![
        (2010..2013i32).prop_map(|y| y.to_string()),
        (2010..2013i32, 1..13u32).prop_map(|(y, m)| format!("{y}-{m:02}")),
        (2010..2013i32, 1..13u32, 1..29u32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        (2010..2013i32).prop_map(|y| format!("late {y}")),
    ]
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        point(),
        point().prop_map(|p| format!("as of {p}")),
        point().prop_map(|p| format!("by {p}")),
        point().prop_map(|p| format!("since {p}")),
        point().prop_map(|p| format!("until {p}")),
        (point(), point()).prop_filter_map("a range that ends before it starts", |(a, b)| {
            let (x, y) = (parse_when(&a).unwrap(), parse_when(&b).unwrap());
            (x.interval().first <= y.interval().last).then(|| format!("{a}..{b}"))
        }),
    ]
}

fn state_fact() -> impl Strategy<Value = StateFact> {
    (
        prop::sample::select(&ACTORS[..]),
        prop::sample::select(&["captured", "held", "lost"][..]),
        prop::sample::select(&PLACES[..]),
        date(),
    )
}

/// In the order both sides agree on for listing: place, then the fact that changed it.
fn sorted(mut changes: Vec<Change>) -> Vec<Change> {
    changes.sort_by(|x, y| (&x.0, x.3).cmp(&(&y.0, y.3)));
    changes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn changes_equal_a_day_by_day_replay(
        facts in prop::collection::vec(state_fact(), 0..9).prop_map(distinct)
    ) {
        let graph = graph(&facts);
        let expected = simulate(&facts);
        prop_assert_eq!(sorted(changes(&graph, "changes")), sorted(expected.clone()));
        // A period lists the changes that may fall in it, each with the holder it replaced.
        for period in ["2011", "2012-03", "late 2010..2011-06"] {
            let days = parse_when(period).unwrap().interval();
            let inside: Vec<Change> = expected
                .iter()
                .filter(|c| c.4.is_some_and(|w| w.during(days).is_some()))
                .cloned()
                .collect();
            let query = format!("changes during {period}");
            prop_assert_eq!(sorted(changes(&graph, &query)), sorted(inside));
        }
        // An entity's changes are those of the place, or that it took part in.
        let of_a: Vec<Change> = expected
            .iter()
            .filter(|c| c.1 == "a" || c.2 == "a")
            .cloned()
            .collect();
        prop_assert_eq!(sorted(changes(&graph, "changes A")), sorted(of_a));
    }
}
