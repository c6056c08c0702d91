//! Answers in a time scope, through the command line: what `during` selects in every query, how
//! timelines order dates, the marks on facts that only possibly stand or are carried forward, and
//! `reported` beside `at` on two fictional papers published on different days.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use factgraph::date::{parse_when, When};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Two fictional papers: on 2 March one says ISIL still holds Tadmor (as of 1 March); on 6 March
/// the other says the government had retaken it by 1 March.
const PRESS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/fictional-tadmor-press.ron"
);

fn factgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap()
}

fn answer(args: &[&str]) -> String {
    let out = factgraph(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(args: &[&str]) -> Value {
    let text = answer(&[args, &["--format", "json"]].concat());
    serde_json::from_str(&text).unwrap()
}

fn when(text: &str) -> When {
    parse_when(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Every fact object (one with `when` and `quote`) anywhere in an answer.
fn facts(value: &Value) -> Vec<&serde_json::Map<String, Value>> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if map.contains_key("when") && map.contains_key("quote") {
                    out.push(map);
                }
                // A card's spells of state rest on every fact up to the period, not only those
                // in it: they are replayed history, checked by the state tests.
                stack.extend(
                    map.iter()
                        .filter(|(key, _)| !matches!(key.as_str(), "held_by" | "holds"))
                        .map(|(_, v)| v),
                );
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}

#[test]
fn timelines_sort_open_starts_by_where_they_can_lie() {
    let timeline = json(&["query", "timeline"]);
    let keys: Vec<(i32, i32)> = facts(&timeline["events"])
        .iter()
        .rev() // `facts` walks the array from its end.
        .map(|f| when(f["when"].as_str().unwrap()).timeline_key())
        .collect();
    assert!(keys.len() > 10, "{timeline}");
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
    // Membership `until 2017-07` sorts where it can end, after the group's July 2017 defection,
    // not before everything.
    let group = answer(&[
        "query",
        "timeline \"Shuhada Al Qaryatayn\"",
        "--evidence",
        "off",
    ]);
    let line = |needle: &str| group.lines().position(|l| l.contains(needle));
    assert!(line("until 2017-07").is_some(), "{group}");
    assert!(line("until 2017-07") > line("-defected_from->"), "{group}");
}

#[test]
fn during_selects_what_may_fall_in_the_period_in_every_query() {
    let period = when("2017-07..2017-08-06").interval();
    let queries = [
        "neighbors ISIL",
        "path Russia to Talbiseh",
        "match ?a held ?b",
        "timeline",
        "show Tadmor",
        "why \"Syrian government\" recaptured Tadmor",
    ];
    for query in queries {
        let mut scoped = json(&["query", query, "--during", "2017-07..2017-08-06"]);
        let mut inline = json(&["query", &format!("{query} during 2017-07..2017-08-06")]);
        // Each answer repeats its own query text; the rest must be the same.
        for answer in [&mut scoped, &mut inline] {
            if let Some(map) = answer.as_object_mut() {
                map.remove("query");
            }
        }
        assert_eq!(scoped, inline, "{query}");
        assert_eq!(scoped["during"], "2017-07..2017-08-06", "{query}");
        for fact in facts(&scoped) {
            let date = fact["when"]
                .as_str()
                .expect("an undated fact is in no period");
            let certainty = when(date).during(period);
            assert!(certainty.is_some(), "{query}: {date} is not in the period");
            let word = if certainty.unwrap().is_certain() {
                "certain"
            } else {
                "possible"
            };
            assert_eq!(fact["certainty"], word, "{query}: {date}");
        }
    }
    // What `stats` and an export count is what the period selects, not the whole graph.
    let export: Value = serde_json::from_str(&answer(&["export", "--format", "json"])).unwrap();
    let in_period = facts(&export)
        .iter()
        .filter(|f| {
            f["when"]
                .as_str()
                .is_some_and(|w| when(w).during(period).is_some())
        })
        .count();
    let scoped_export: Value = serde_json::from_str(&answer(&[
        "export",
        "--format",
        "json",
        "--during",
        "2017-07..2017-08-06",
    ]))
    .unwrap();
    assert_eq!(facts(&scoped_export).len(), in_period);
    let stats = json(&["query", "stats during 2017-07..2017-08-06"]);
    assert_eq!(stats["facts"], in_period);
    let whole = json(&["query", "stats"])["facts"].as_u64().unwrap();
    assert!(whole > in_period as u64);
    assert_eq!(stats["graph_facts"], whole);
    let text = answer(&["query", "stats during 2017-07..2017-08-06"]);
    assert!(
        text.contains(&format!("{in_period} of {whole} in scope")),
        "{text}"
    );
}

#[test]
fn facts_that_only_possibly_stand_are_marked() {
    // On 20 February the February offensive may or may not have begun, and the recapture "by
    // 1 March" may already have happened.
    let text = answer(&["-g", PRESS, "query", "neighbors Tadmor at 2017-02-20"]);
    assert!(text.contains("2017-02 (possibly)"), "{text}");
    assert!(text.contains("by 2017-03-01 (possibly)"), "{text}");
    // Once every day they may denote is past, they certainly happened: no marks.
    let later = answer(&["-g", PRESS, "query", "neighbors Tadmor at 2017-03-01"]);
    assert!(!later.contains("possibly"), "{later}");
    let scoped = json(&["-g", PRESS, "query", "neighbors Tadmor at 2017-02-20"]);
    let certainties: Vec<&Value> = facts(&scoped).iter().map(|f| &f["certainty"]).collect();
    assert_eq!(certainties, ["possible", "possible"], "{scoped}");
    // Without a scope there is nothing to be sure of, and no field says so.
    let open = json(&["-g", PRESS, "query", "neighbors Tadmor"]);
    assert!(facts(&open).iter().all(|f| !f.contains_key("certainty")));
}

#[test]
fn as_of_statements_carried_forward_say_last_reported() {
    let args = [
        "-g",
        PRESS,
        "query",
        "show Tadmor at 2017-03-10 reported 2017-03-05",
    ];
    let text = answer(&args);
    assert!(
        text.contains("last reported 2017-03-01  ISIL -held-> Tadmor"),
        "{text}"
    );
    let scoped = json(&args);
    let held: Vec<_> = facts(&scoped)
        .into_iter()
        .filter(|f| f["when"] == "as of 2017-03-01")
        .collect();
    assert!(!held.is_empty(), "{scoped}");
    for fact in held {
        assert_eq!(fact["certainty"], "last-reported");
        assert_eq!(fact["last_reported"], "2017-03-01");
    }
    // On its own date it is a report, not a carried state.
    let on_the_day = answer(&["-g", PRESS, "query", "show Tadmor at 2017-03-01"]);
    assert!(
        on_the_day.contains("as of 2017-03-01  ISIL -held-> Tadmor"),
        "{on_the_day}"
    );
}

#[test]
fn reported_and_at_answer_what_the_press_said_then_about_a_date() {
    // On 5 March, what did the press say about who held Tadmor on 1 March?
    let query = "neighbors Tadmor at 2017-03-01";
    let then = answer(&["-g", PRESS, "query", query, "--reported", "2017-03-05"]);
    assert!(then.contains("held_by  ISIL"), "{then}");
    assert!(!then.contains("recaptured_by"), "{then}");
    assert!(!then.contains("Fictional Evening Post"), "{then}");
    let inline = answer(&[
        "-g",
        PRESS,
        "query",
        &format!("{query} reported 2017-03-05"),
    ]);
    assert_eq!(then, inline);
    // A week later the other paper had said the government had retaken it.
    let now = answer(&["-g", PRESS, "query", query, "--reported", "2017-03-12"]);
    assert!(now.contains("recaptured_by"), "{now}");
    assert!(now.contains("held_by"), "{now}");
}

#[test]
fn set_reported_in_a_piped_session_scopes_the_queries_that_follow() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(["-g", PRESS, "repl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let script = "set reported 2017-03-05\n\
                  neighbors Tadmor at 2017-03-01\n\
                  set reported none\n\
                  neighbors Tadmor at 2017-03-01\n";
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (then, now) = stdout
        .split_once("answers now show the whole graph")
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        then.contains("only what was reported by 2017-03-05"),
        "{then}"
    );
    assert!(
        then.contains("1 neighbour") && !then.contains("recaptured_by"),
        "{then}"
    );
    assert!(
        now.contains("3 neighbours") && now.contains("recaptured_by"),
        "{now}"
    );
}
