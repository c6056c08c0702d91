#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Relation paths (`located_in+`, `a|b`, `^(...)`, `{n,m}`) and path constraints as a user meets
//! them on the command line, on the bundled article graph.

use std::process::Command;

fn query(text: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(["query", text])
        .output()
        .unwrap();
    let mut all = String::from_utf8(out.stdout).unwrap();
    all.push_str(&String::from_utf8(out.stderr).unwrap());
    (out.status.code().unwrap(), all)
}

fn ok(text: &str) -> String {
    let (code, out) = query(text);
    assert_eq!(code, 0, "{text}:\n{out}");
    out
}

/// The number a `count` answer starts with.
fn count(text: &str) -> usize {
    let out = ok(text);
    out.split_whitespace().next().unwrap().parse().unwrap()
}

fn caret_under(output: &str, line: &str, spot: &str) {
    let at = line.rfind(spot).unwrap();
    let carets = format!("| {}{}", " ".repeat(at), "^".repeat(spot.chars().count()));
    assert!(output.contains(&carets), "no `{carets}` in:\n{output}");
}

#[test]
fn one_or_more_hops_reach_what_one_hop_does_not() {
    let direct = ok("match ?x located_in homs_province select ?x");
    let closure = ok("match ?x located_in+ homs_province select ?x");
    // The recapture happened in Tadmor, which lies in Homs province: two hops.
    assert!(!direct.contains("recapture of Tadmor"), "{direct}");
    assert!(closure.contains("recapture of Tadmor"), "{closure}");
    assert!(
        closure.contains("Tadmor -located_in-> Homs province"),
        "its witness walk is its evidence:\n{closure}"
    );
    let plus = count("match ?x located_in+ homs_province count");
    let one = count("match ?x located_in homs_province count");
    assert!(plus > one, "{plus} {one}");
    assert_eq!(count("match ?x located_in{1} homs_province count"), one);
    assert_eq!(count("match ?x located_in{1,} homs_province count"), plus);
}

#[test]
fn zero_or_more_hops_add_the_entity_itself() {
    let plus = count("match ?x located_in+ homs_province count");
    assert_eq!(count("match ?x located_in* homs_province count"), plus + 1);
    let star = ok("match ?x located_in* homs_province select ?x");
    assert!(star.contains("\n  Homs province\n"), "{star}");
}

#[test]
fn pairs_are_distinct_and_inverses_read_backwards() {
    let plus = count("match ?x located_in+ ?y count");
    assert_eq!(count("match ?x (located_in|located_in)+ ?y count"), plus);
    assert_eq!(count("match ?x (located_in+)+ ?y count"), plus);
    assert_eq!(count("match ?y ^located_in+ ?x count"), plus);
    assert_eq!(count("match ?y ^(located_in+) ?x count"), plus);
    let bounded = count("match ?x located_in{1,2} ?y count");
    let two = count("match ?x located_in{2} ?y count");
    assert!(bounded <= plus && two <= bounded, "{two} {bounded} {plus}");
}

#[test]
fn alternatives_are_one_hop_by_any_of_them() {
    let either = count("match ?a attacked|fights ?b count");
    let attacked = count("match ?a attacked ?b count");
    let fights = count("match ?a fights ?b count");
    assert!(either >= attacked.max(fights) && either <= attacked + fights);
    // `|` in `via` is `,`.
    assert_eq!(
        ok("neighbors ISIL via attacked|shelled"),
        ok("neighbors ISIL via attacked, shelled")
    );
    assert_eq!(
        ok("match ?a attacked|^captured ?b count"),
        ok("match ?a ^captured|attacked ?b count")
    );
}

#[test]
fn every_hop_is_in_the_time_scope() {
    let all = ok("match ?x located_in+ homs_province select ?x");
    // The recapture of Tadmor is dated 2017-03: not yet a fact in 2016.
    let then = ok("match ?x located_in+ homs_province select ?x at 2016");
    assert!(all.contains("recapture of Tadmor"));
    assert!(!then.contains("recapture of Tadmor"), "{then}");
}

#[test]
fn bad_paths_are_refused_with_a_caret() {
    for (line, spot, words) in [
        ("match ?x located_in++ ?y", "+", "write one quantifier"),
        ("match ?x located_in{3,1} ?y", "{3,1}", "`{1,3}`"),
        ("match ?x located_in|part_off ?y", "part_off", "`part_of`"),
        ("match ?x located_in+ ?y as ?f", "?f", "no single fact"),
        ("neighbors ISIL via located_in+", "+", "not repetitions"),
        ("match ?x (located_in ?y", "?", "`)`"),
        ("match ?x located_in{0} ?y", "{0}", "no hop"),
    ] {
        let (code, out) = query(line);
        assert_ne!(code, 0, "{line}:\n{out}");
        assert!(out.contains(words), "{line}:\n{out}");
        caret_under(&out, line, spot);
    }
}

#[test]
fn avoid_via_never_uses_the_relation() {
    let plain = ok("path \"Al Tanf ceasefire\" to united_states");
    assert!(plain.contains("-has_participant->"), "{plain}");
    let avoided = ok("path \"Al Tanf ceasefire\" to united_states avoid via participated_in");
    assert!(!avoided.contains("participant"), "{avoided}");
    assert!(avoided.contains("1 path"), "{avoided}");
}

#[test]
fn avoid_kind_passes_through_no_entity_of_that_kind_but_keeps_the_ends() {
    let avoided = ok("path \"Al Tanf ceasefire\" to united_states avoid kind event");
    // The ends may be events; nothing between them is.
    let route = avoided.lines().find(|l| l.starts_with("  1. ")).unwrap();
    for event in ["negotiations", "announcement", "US demand"] {
        assert!(!route.contains(event), "{event}:\n{avoided}");
    }
}

#[test]
fn chronological_paths_take_dated_hops_in_time_order() {
    let plain = ok("path \"Al Tanf ceasefire\" to united_states");
    let chain = ok("path \"Al Tanf ceasefire\" to united_states chronological");
    assert_ne!(plain, chain);
    // The shortest path uses undated facts; the chain uses three hops of July 2017.
    assert!(chain.contains("(3 hops)"), "{chain}");
    assert_eq!(chain.matches("  2017-07  [").count(), 3, "{chain}");
    // The only way on to the US demand is an undated fact: no chronological path.
    let undated = ok(
        "path \"Al Tanf ceasefire\" to \"US demand for return of heavy weaponry\" chronological",
    );
    assert!(undated.starts_with("No path"), "{undated}");
}

#[test]
fn during_keeps_only_facts_of_the_period() {
    let to = "path \"Al Tanf ceasefire\" to weapons_handover";
    assert!(ok(&format!("{to} during 2017")).contains("1 path"));
    assert!(ok(&format!("{to} during 2016")).starts_with("No path"));
}

#[test]
fn bad_constraints_are_refused_with_a_caret() {
    for (line, spot, words) in [
        (
            "path ISIL to Homs avoid via part_off",
            "part_off",
            "`part_of`",
        ),
        (
            "path ISIL to Homs avoid kind palce",
            "palce",
            "unknown kind",
        ),
        (
            "path ISIL to Homs chronological chronological",
            "chronological",
            "twice",
        ),
    ] {
        let (code, out) = query(line);
        assert_ne!(code, 0, "{line}:\n{out}");
        assert!(out.contains(words), "{line}:\n{out}");
        caret_under(&out, line, spot);
    }
}
