#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! State replay with disagreeing sources: `show`, `match` and `changes` give every version of who
//! held a place, each with its source, and the article alone reads as it always did.

use serde_json::Value;
use std::process::Command;

const ARTICLE: &str = "graphs/al-sukhna.ron";
const COURIER: &str = "tests/fixtures/corpus/corrob/fictional-courier.ron";
const GAZETTE: &str = "tests/fixtures/corpus/corrob/fictional-gazette.ron";

fn query(graphs: &[&str], args: &[&str]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factgraph"));
    for g in graphs {
        cmd.args(["-g", g]);
    }
    let output = cmd
        .arg("query")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn json(graphs: &[&str], q: &str) -> Value {
    serde_json::from_str(&query(graphs, &["--format", "json", q])).unwrap()
}

#[test]
fn show_gives_the_other_sources_holder_beside_the_replays() {
    let out = query(&[ARTICLE, COURIER], &["show Tadmor at 2017-01"]);
    assert!(
        out.contains(
            "controlled by Syrian government since 2016-12 (recaptured); per The Fictional Courier"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "contested: The National has ISIL since 2015-05 (overran) until 2017-03 (Syrian government recaptured)"
        ),
        "{out}"
    );
    assert!(out.contains("see `conflicts tadmor`"), "{out}");
    assert!(out.contains("until 2016-12 (Syrian government recaptured) (end contested)"));
}

#[test]
fn show_json_lists_the_rival_version_with_its_source() {
    let v = json(&[ARTICLE, COURIER], "show Tadmor at 2017-01");
    let held = v["held_by"].as_array().unwrap();
    let current = held.iter().find(|s| s["ended_by"].is_null()).unwrap();
    let rival = &current["contested"][0];
    assert_eq!(rival["kind"], "ended_early");
    assert_eq!(rival["source"], "national");
    assert_eq!(rival["version"]["holder"]["id"], "isil");
    assert_eq!(rival["version"]["until"], "2017-03");
    assert!(held.iter().any(|s| s["end_contested"] == true));
}

#[test]
fn match_at_a_disputed_date_finds_both_holders_marked_contested() {
    let out = query(
        &[ARTICLE, COURIER],
        &["match ?who controls Tadmor at 2017-01"],
    );
    assert!(out.starts_with("2 matches as of 2017-01:"), "{out}");
    assert!(
        out.contains("ISIL -controls-> Tadmor  2015-05..2017-03 (contested)"),
        "{out}"
    );
    assert!(
        out.contains("Syrian government -controls-> Tadmor  since 2016-12 (contested)"),
        "{out}"
    );
    let v = json(&[ARTICLE, COURIER], "match ?who controls Tadmor at 2017-01");
    let text = v.to_string();
    assert_eq!(text.matches("\"contested\":true").count(), 2, "{text}");
}

#[test]
fn a_second_holder_as_of_a_day_no_longer_silently_replaces_the_first() {
    let out = query(
        &[ARTICLE, GAZETTE],
        &["match ?who controls homs_gasfields at 2016-06"],
    );
    assert!(out.starts_with("2 matches as of 2016-06:"), "{out}");
    assert!(out.contains("ISIL -controls-> gasfields in eastern Homs  since late 2014 (contested)"));
    let out = query(&[ARTICLE, GAZETTE], &["show homs_gasfields at 2016-06"]);
    assert!(
        out.contains("contested: The National has ISIL since late 2014 (took_over)"),
        "{out}"
    );
}

#[test]
fn changes_marks_the_contested_transition_and_names_the_rival() {
    let out = query(&[ARTICLE, COURIER], &["changes Tadmor"]);
    assert!(
        out.contains("2016-12  Tadmor: ISIL -> Syrian government (recaptured) (contested)"),
        "{out}"
    );
    assert!(
        out.contains("contested: The National has ISIL since 2015-05"),
        "{out}"
    );
    // The undisputed first transition carries no mark.
    assert!(
        out.contains("Tadmor: unknown -> ISIL (overran)  [1]"),
        "{out}"
    );
    let v = json(&[ARTICLE, COURIER], "changes Tadmor");
    let rows = v["transitions"].as_array().unwrap();
    assert!(rows[0].get("contested").is_none());
    assert_eq!(rows[1]["contested"][0]["source"], "national");
}

#[test]
fn conflicts_names_the_capture_another_source_has_come_too_early() {
    let out = query(&[ARTICLE, COURIER], &["conflicts Tadmor"]);
    assert!(
        out.contains(
            "Syrian government `recaptured` Tadmor while The National says ISIL still held it (ended_early)"
        ),
        "{out}"
    );
}

#[test]
fn a_single_source_graph_shows_no_versions() {
    for q in [
        "show Tadmor",
        "show Tadmor at 2017-01",
        "changes",
        "match ?who controls ?place",
        "show homs_gasfields",
    ] {
        let out = query(&[ARTICLE], &[q]);
        assert!(!out.contains("contested"), "{q}:\n{out}");
        let v = json(&[ARTICLE], q).to_string();
        assert!(!v.contains("contested"), "{q}:\n{v}");
    }
    let out = query(&[ARTICLE], &["match ?who controls Tadmor at 2017-01"]);
    assert!(out.starts_with("1 match as of 2017-01:"), "{out}");
    assert!(
        out.contains("ISIL -controls-> Tadmor  2015-05..2017-03"),
        "{out}"
    );
}

const STILL_HELD: &str = "tests/fixtures/corpus/still-held/fictional-talbiseh-papers.ron";

#[test]
fn a_report_of_the_old_holder_after_a_capture_is_a_second_version_not_a_recapture() {
    let changes = query(&[ARTICLE, STILL_HELD], &["changes Talbiseh"]);
    assert!(
        changes.contains("Talbiseh: rebels -> Syrian government (captured) (contested)"),
        "{changes}"
    );
    assert!(
        !changes.contains("Syrian government -> rebels"),
        "a recapture no source reports:\n{changes}"
    );
    assert!(
        changes.contains("contested: The Fictional Homs Monitor has rebels as of 2017-08-15"),
        "{changes}"
    );

    let shown = query(&[ARTICLE, STILL_HELD], &["show Talbiseh at 2017-08-15"]);
    assert!(
        shown.contains("controlled by Syrian government since 2017-08-10 (captured)"),
        "{shown}"
    );
    assert!(
        shown.contains("contested: The Fictional Homs Monitor has rebels as of 2017-08-15"),
        "{shown}"
    );
    assert!(shown.contains("until 2017-08-10 (Syrian government captured) (end contested)"));

    let conflicts = query(&[ARTICLE, STILL_HELD], &["conflicts Talbiseh"]);
    assert!(conflicts.contains("(two_holders)"), "{conflicts}");
    for quote in [
        "\"Government forces captured the rebel town of Talbiseh",
        "\"Rebels still hold Talbiseh",
    ] {
        assert!(conflicts.contains(quote), "no {quote} in:\n{conflicts}");
    }

    // `match` at the disputed date finds both holders.
    let out = query(
        &[ARTICLE, STILL_HELD],
        &["match ?who controls Talbiseh at 2017-08-15"],
    );
    assert!(out.starts_with("2 matches"), "{out}");
}

#[test]
fn a_report_after_a_report_of_another_holder_is_still_a_change_between_them() {
    // The article has the rebels holding Talbiseh as of 6 August; a report of the government
    // holding it on 20 August, with no capture between, can only mean the town changed hands.
    let dir = std::env::temp_dir().join(format!("factgraph-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("fictional-later-report.ron");
    std::fs::write(
        &file,
        r#"// FICTIONAL: an invented paper for a test.
(
    sources: [(id: "fictional_later", title: "Talbiseh later (fictional)",
               publisher: "The Fictional Later Paper", published: "2017-08-20")],
    facts: [(subject: "syrian_government", relation: "held", object: "talbiseh",
             when: "as of 2017-08-20", source: "fictional_later",
             quote: "Talbiseh, which the government now holds")],
)"#,
    )
    .unwrap();
    let changes = query(&[ARTICLE, file.to_str().unwrap()], &["changes Talbiseh"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        changes.contains("Talbiseh: rebels -> Syrian government (held)"),
        "{changes}"
    );
    assert!(!changes.contains("contested"), "{changes}");
}

#[test]
fn a_spell_of_one_day_prints_as_that_day() {
    // The article has ISIL holding Al Sukhna as of 6 August and the government retaking it that
    // day: ISIL's spell is one day long.
    let out = query(&[ARTICLE], &["match ?who controls \"Al Sukhna\""]);
    assert!(
        out.contains("ISIL -controls-> Al Sukhna  2017-08-06  "),
        "{out}"
    );
    assert!(!out.contains("2017-08-06..2017-08-06"), "{out}");
    // JSON keeps the date as the replay made it, a range that reads back as one.
    let v = json(&[ARTICLE], "match ?who controls \"Al Sukhna\"");
    assert!(v.to_string().contains("2017-08-06..2017-08-06"), "{v}");
}

const SAME_DAY_CAPTURE: &str = "tests/fixtures/corpus/same-day/fictional-talbiseh-capture.ron";
const SAME_DAY_REPORT: &str =
    "tests/fixtures/corpus/same-day/fictional-talbiseh-same-day-report.ron";

/// The lines of `show` that the replay writes: who held the place, and the versions beside it.
fn held_lines(show: &str) -> Vec<&str> {
    show.lines()
        .take_while(|l| !l.contains(" facts:"))
        .collect()
}

#[test]
fn a_capture_and_a_report_of_its_day_read_the_same_whichever_file_comes_first() {
    let orders = [
        [ARTICLE, SAME_DAY_CAPTURE, SAME_DAY_REPORT],
        [ARTICLE, SAME_DAY_REPORT, SAME_DAY_CAPTURE],
    ];
    let answers: Vec<[String; 3]> = orders
        .iter()
        .map(|graphs| {
            [
                query(graphs, &["changes Talbiseh"]),
                query(graphs, &["conflicts Talbiseh"]),
                query(graphs, &["show Talbiseh at 2017-08-12"]),
            ]
        })
        .collect();
    let [changes, conflicts, shown] = &answers[0];
    assert!(
        changes.contains("rebels -> Syrian government (captured) (contested)"),
        "{changes}"
    );
    assert!(conflicts.contains("(two_holders)"), "{conflicts}");
    assert!(
        shown.contains("contested: The Fictional Valley Herald has rebels as of 2017-08-10"),
        "{shown}"
    );
    let [changes2, conflicts2, shown2] = &answers[1];
    assert_eq!(changes, changes2);
    // File paths and lines name each fact's file; the statements and their order do not.
    let statements = |c: &str| -> Vec<String> {
        c.lines()
            .filter(|l| !l.contains(".ron:"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(statements(conflicts), statements(conflicts2));
    assert_eq!(held_lines(shown), held_lines(shown2));
}

/// A fictional paper of one fact about Talbiseh, written to a temporary file for a test.
fn one_fact_paper(name: &str, subject: &str, relation: &str, when: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("factgraph-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("fictional-{name}.ron"));
    std::fs::write(
        &file,
        format!(
            r#"// FICTIONAL: an invented paper for a test.
(
    sources: [(id: "fictional_{name}", title: "Talbiseh (fictional)",
               publisher: "The Fictional {name} Paper", published: "2017-09-01")],
    facts: [(subject: "{subject}", relation: "{relation}", object: "talbiseh",
             when: "{when}", source: "fictional_{name}",
             quote: "Talbiseh, said the paper")],
)"#
        ),
    )
    .unwrap();
    file
}

#[test]
fn a_capture_in_a_month_leaves_earlier_reports_of_that_month_to_the_old_holder() {
    // The article has the rebels holding Talbiseh as of 3 and 6 August; a capture dated only to
    // August may have come after both, so nothing disputes it and nobody took the town back.
    let capture = one_fact_paper("month", "syrian_government", "captured", "2017-08");
    let graphs = [ARTICLE, capture.to_str().unwrap()];
    let conflicts = query(&graphs, &["conflicts Talbiseh"]);
    let changes = query(&graphs, &["changes Talbiseh"]);
    let shown = query(&graphs, &["show Talbiseh at 2017-09"]);
    std::fs::remove_dir_all(capture.parent().unwrap()).unwrap();
    assert!(!conflicts.contains("two_holders"), "{conflicts}");
    assert!(!changes.contains("contested"), "{changes}");
    assert!(
        !changes.contains("Syrian government -> rebels"),
        "{changes}"
    );
    assert!(
        changes.contains("2017-08  Talbiseh: rebels -> Syrian government (captured)"),
        "{changes}"
    );
    assert!(
        shown.contains("controlled by Syrian government since 2017-08 (captured)"),
        "{shown}"
    );
}

#[test]
fn a_report_of_a_month_a_capture_falls_in_may_come_before_it_in_either_order() {
    let capture = one_fact_paper("day", "syrian_government", "captured", "2017-08-10");
    let report = one_fact_paper("monthly", "rebels", "held", "as of 2017-08");
    let (c, r) = (capture.to_str().unwrap(), report.to_str().unwrap());
    let first = [
        query(&[c, r, ARTICLE], &["changes Talbiseh"]),
        query(&[c, r, ARTICLE], &["conflicts Talbiseh"]),
    ];
    let second = [
        query(&[r, c, ARTICLE], &["changes Talbiseh"]),
        query(&[r, c, ARTICLE], &["conflicts Talbiseh"]),
    ];
    std::fs::remove_dir_all(capture.parent().unwrap()).unwrap();
    std::fs::remove_dir_all(report.parent().unwrap()).unwrap();
    assert_eq!(first, second);
    let [changes, conflicts] = &first;
    assert!(!changes.contains("contested"), "{changes}");
    assert!(
        !changes.contains("Syrian government -> rebels"),
        "{changes}"
    );
    assert!(!conflicts.contains("two_holders"), "{conflicts}");
}

#[test]
fn a_report_on_the_last_day_a_capture_may_fall_on_disputes_it() {
    // A capture dated to August surely happened by the 31st: a report of the rebels still
    // holding the town on the 31st, from another paper, is a second version, not a change back.
    let capture = one_fact_paper("august", "syrian_government", "captured", "2017-08");
    let report = one_fact_paper("lastday", "rebels", "held", "as of 2017-08-31");
    let graphs = [ARTICLE, capture.to_str().unwrap(), report.to_str().unwrap()];
    let changes = query(&graphs, &["changes Talbiseh"]);
    let conflicts = query(&graphs, &["conflicts Talbiseh"]);
    std::fs::remove_dir_all(capture.parent().unwrap()).unwrap();
    std::fs::remove_dir_all(report.parent().unwrap()).unwrap();
    assert!(
        changes.contains("rebels -> Syrian government (captured) (contested)"),
        "{changes}"
    );
    assert!(
        !changes.contains("Syrian government -> rebels"),
        "{changes}"
    );
    assert!(conflicts.contains("(two_holders)"), "{conflicts}");
}

#[test]
fn a_one_day_period_prints_as_its_day_in_show_bindings_and_conflicts() {
    let held = one_fact_paper(
        "oneday",
        "syrian_government",
        "held",
        "2017-08-20..2017-08-20",
    );
    let report = one_fact_paper("sameday", "rebels", "held", "as of 2017-08-20");
    let graphs = [ARTICLE, held.to_str().unwrap(), report.to_str().unwrap()];
    let shown = query(&graphs, &["show Talbiseh at 2017-08-20"]);
    let bound = query(
        &graphs,
        &["match ?who held Talbiseh as ?f group by ?who max(?f.when) as ?d"],
    );
    let selected = query(
        &graphs,
        &["match syrian_government held Talbiseh as ?f select ?f"],
    );
    let conflicts = query(&graphs, &["conflicts Talbiseh"]);
    let json = json(&graphs, "conflicts Talbiseh");
    std::fs::remove_dir_all(held.parent().unwrap()).unwrap();
    std::fs::remove_dir_all(report.parent().unwrap()).unwrap();
    for out in [&shown, &bound, &selected, &conflicts] {
        assert!(!out.contains("2017-08-20..2017-08-20"), "{out}");
        assert!(!out.contains("from 2017-08-20 to 2017-08-20"), "{out}");
    }
    assert!(
        shown.contains("controlled by Syrian government on 2017-08-20 (held)"),
        "{shown}"
    );
    assert!(bound.contains("Syrian government  2017-08-20"), "{bound}");
    assert!(selected.contains("Talbiseh (2017-08-20)"), "{selected}");
    assert!(
        conflicts.contains("Syrian government -held-> Talbiseh 2017-08-20\n"),
        "{conflicts}"
    );
    // JSON keeps the range as the fact states it.
    assert!(
        json.to_string().contains("2017-08-20..2017-08-20"),
        "{json}"
    );
}
