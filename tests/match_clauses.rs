#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! `match`'s clauses as a user meets them on the command line: wrong conditions are refused with a
//! caret under the culprit, and pages cut neighbours and timelines.

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

/// The error's caret line: spaces then carets under the spot (its last occurrence in the line).
fn caret_under(output: &str, line: &str, spot: &str) {
    let at = line.rfind(spot).unwrap();
    let carets = format!("| {}{}", " ".repeat(at), "^".repeat(spot.chars().count()));
    assert!(output.contains(&carets), "no `{carets}` in:\n{output}");
}

#[test]
fn incomparable_types_are_errors_with_a_caret_not_empty_answers() {
    for (line, spot, words) in [
        (
            "match ?a ?r ?b as ?f where ?f.when = ?a.kind",
            "=",
            "cannot be compared",
        ),
        ("match ?a ?r ?b where ?a.tags < 3", "3", "is a list"),
        ("match ?a ?r ?b where ?a < ?b", "<", "needs an order"),
        (
            "match ?a ?r ?b where ?a.when during 2017",
            "when",
            "no property `when`",
        ),
        (
            "match ?a ?r ?b where ?a.name matches \"(\"",
            "\"(\"",
            "regular expression",
        ),
    ] {
        let (code, out) = query(line);
        assert_eq!(code, 1, "{line}:\n{out}");
        assert!(out.contains(words), "{line}:\n{out}");
        caret_under(&out, line, spot);
    }
}

#[test]
fn misspellings_get_a_did_you_mean() {
    for (line, spot, hint) in [
        (
            "match ?a ?r ?b as ?f where ?f.wen during 2017",
            "wen",
            "did you mean `when`?",
        ),
        ("match ?a ?r ?b oder by ?a", "oder", "did you mean `order`?"),
        (
            "match ?who ?r ?b where ?wh.kind = actor",
            "?wh",
            "did you mean `?who`?",
        ),
        ("match ?a ?r ?b order by ?bb", "?bb", "did you mean `?b`?"),
        (
            "match ?a ?r ?b where ?a.kind = actr",
            "actr",
            "did you mean `actor`?",
        ),
    ] {
        let (code, out) = query(line);
        assert_eq!(code, 1, "{line}:\n{out}");
        assert!(out.contains(hint), "{line}:\n{out}");
        caret_under(&out, line, spot);
    }
}

#[test]
fn an_entity_compared_by_name_resolves_like_any_entity() {
    let (_, by_alias) = query("match ?a besieges ?b where ?a = ISIS select ?b");
    let (_, by_pattern) = query("match ISIL besieges ?b");
    assert!(by_alias.starts_with("2 matches:"), "{by_alias}");
    assert_eq!(
        by_alias.replace("?b", ""),
        by_pattern.replace("?b", ""),
        "a condition on ?a answers as the pattern with the entity does"
    );
}

#[test]
fn limit_and_offset_page_neighbours_and_timelines() {
    let (_, all) = query("neighbors ISIL out");
    let (_, page) = query("neighbors ISIL out limit 2 offset 1");
    let rows = |text: &str| -> Vec<String> {
        text.lines()
            .skip(1)
            .take_while(|l| !l.starts_with("Quotes") && !l.starts_with("note:"))
            .map(|l| {
                let row = l.split('[').next().unwrap();
                row.split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect()
    };
    assert_eq!(rows(&page), rows(&all)[1..3].to_vec());
    // The rows the page left out are counted, so a cut answer never looks whole.
    let after = rows(&all).len() - 3;
    assert!(
        page.contains(&format!("note: {after} more rows after these")),
        "{page}"
    );
    assert!(!all.contains("more row"), "{all}");
    let (_, timeline) = query("timeline Tadmor limit 1");
    assert!(
        timeline.contains("2015-05  ISIL -overran-> Tadmor"),
        "{timeline}"
    );
    assert!(!timeline.contains("recaptured"), "{timeline}");
}

#[test]
fn optional_leaves_unbound_variables_as_a_dash() {
    let (code, out) = query("match ?x recaptured ?p, optional { ?p captured ?q } select ?p, ?q");
    assert_eq!(code, 0, "{out}");
    assert!(out.lines().any(|l| l.trim_end().ends_with(" -")), "{out}");
}
