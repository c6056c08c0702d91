#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Duplicate entities across a corpus: a fictional second article beside the article graph, first
//! as its curator wrote it (two entities that are the graph's under other spellings, two
//! near-names that are not), then with `same_as` on the two, after which every answer sees one
//! entity.

mod common;

use common::factgraph;
use std::process::Output;

const ARTICLE: &str = "graphs/al-sukhna.ron";
const REPORT: &str = "tests/fixtures/corpus/dupes/fictional-palmyra-report.ron";
const MERGED: &str = "tests/fixtures/corpus/dupes/fictional-palmyra-merged.ron";
const APART: &str = "tests/fixtures/corpus/dupes/fictional-palmyra-apart.ron";

fn stdout(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The line and column of the first `needle` in `file`, counted in characters from 1.
fn position(file: &str, needle: &str) -> String {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
        .unwrap();
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    format!("{file}:{line}:{column}")
}

#[test]
fn check_reports_both_declarations_the_evidence_and_the_same_as_to_add() {
    let output = factgraph(&["--no-cache", "check", ARTICLE, REPORT]);
    assert_eq!(output.status.code(), Some(0), "warnings alone pass");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let fighters = format!(
        "warning: entity `islamic_state_fighters` is probably `isil`\n  --> {}\n",
        position(REPORT, "\"Islamic State fighters\"")
    );
    assert!(stderr.contains(&fighters), "{stderr}");
    assert!(stderr.contains(&format!(
        "= note: `isil` is declared at {}\n",
        position(ARTICLE, "\"Islamic State\"")
    )));
    assert!(stderr.contains(
        "= note: evidence: \"Islamic State fighters\" (name of `islamic_state_fighters`) is \"Islamic State\" (alias of `isil`) followed by \"fighters\", a word for its members"
    ));
    assert!(stderr.contains(
        "= help: if they are one entity, add `same_as: [\"isil\"]` to `islamic_state_fighters`"
    ));
    let dayr = format!(
        "warning: entity `dayr_az_zawr` is probably `deir_ezzor`\n  --> {}\n",
        position(REPORT, "\"Dayr az-Zawr\"")
    );
    assert!(stderr.contains(&dayr), "{stderr}");
    assert!(stderr.contains("both reduce to the consonants \"drzr\""));
    assert!(stderr.contains("add `same_as: [\"deir_ezzor\"]` to `dayr_az_zawr`"));
    // The near-names are other entities: nothing suggests merging them.
    assert!(!stderr.contains("homs_countryside"), "{stderr}");
    assert!(!stderr.contains("omar_taha"), "{stderr}");
    assert!(stderr
        .ends_with("warning: 2 curation warnings (`check --deny-warnings` makes them errors)\n"));
    let denied = factgraph(&["--no-cache", "check", "--deny-warnings", ARTICLE, REPORT]);
    assert_eq!(denied.status.code(), Some(1), "{denied:?}");
}

#[test]
fn same_as_merges_without_editing_the_other_file_and_silences_the_warning() {
    let output = factgraph(&["--no-cache", "check", "--deny-warnings", ARTICLE, MERGED]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    // Two entities fewer than the file declares beside the article's 89.
    assert!(stdout(&output).starts_with("ok: 91 entities"));
}

fn query(text: &str) -> String {
    stdout(&factgraph(&[
        "--no-cache",
        "-g",
        ARTICLE,
        "-g",
        MERGED,
        "query",
        text,
    ]))
}

#[test]
fn queries_see_one_entity_with_the_merged_records_facts_and_names() {
    let show = query("show isil");
    assert!(show.contains("  also: ISIS, Islamic State, Daesh, IS, Islamic State of Iraq and the Levant, Islamic State fighters\n"), "{show}");
    assert!(show.contains(&format!(
        "  also declared as `islamic_state_fighters` in {MERGED}:15 (same_as)\n"
    )));
    // The merged record's facts are ISIL's, its object merged too.
    assert!(
        show.contains("2017-08                 ISIL -besieges-> Deir Ezzor"),
        "{show}"
    );
    assert!(show.contains("Omar Taha -fights-> ISIL"), "{show}");
    // Every name of either record finds the one entity.
    for name in ["islamic_state_fighters", "\"Islamic State fighters\""] {
        assert_eq!(query(&format!("neighbors {name}")), query("neighbors isil"));
    }
    let besiegers = query("match ?a besieges \"Dayr az-Zawr\"");
    // One besieger, with the article's fact and the fictional one as its evidence.
    assert!(
        besiegers.starts_with("1 match:\n  ?a\n  ISIL\n"),
        "{besiegers}"
    );
    assert!(
        besiegers.contains("ISIL -besieges-> Deir Ezzor  2017-08"),
        "{besiegers}"
    );
}

#[test]
fn exports_hold_the_target_only() {
    let output = factgraph(&[
        "--no-cache",
        "-g",
        ARTICLE,
        "-g",
        MERGED,
        "export",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let ids: Vec<&str> = json["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"isil") && ids.contains(&"deir_ezzor"));
    assert!(!ids.contains(&"islamic_state_fighters") && !ids.contains(&"dayr_az_zawr"));
    let facts = json["facts"].as_array().unwrap();
    let by_fighters = facts.iter().filter(|f| {
        f["quote"]
            .as_str()
            .unwrap()
            .starts_with("Islamic State fighters")
    });
    for f in by_fighters {
        assert_eq!(f["subject"], "isil", "{f}");
    }
}

/// Fictional files with the given entities, in a fresh folder.
fn files(entities: &[&str]) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let paths = entities
        .iter()
        .enumerate()
        .map(|(i, list)| {
            let path = dir.path().join(format!("fictional-{i}.ron"));
            std::fs::write(&path, format!("(entities: [{list}])")).unwrap();
            path.to_str().unwrap().to_string()
        })
        .collect();
    (dir, paths)
}

#[test]
fn a_name_inside_another_across_files_is_reported_as_possible_with_its_evidence() {
    let army = r#"(id: "syrian_army", name: "Syrian Army", kind: "actor")"#;
    let fsa = r#"(id: "fsa", name: "Free Syrian Army", kind: "actor")"#;
    let (_dir, paths) = files(&[army, fsa]);
    let output = factgraph(&["check", &paths[0], &paths[1]]);
    assert_eq!(output.status.code(), Some(0), "warnings alone pass");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning: entity `fsa` is possibly `syrian_army`\n"),
        "{stderr}"
    );
    assert!(stderr.contains(
        "= note: evidence: \"Free Syrian Army\" (name of `fsa`) holds \"Syrian Army\" (name of `syrian_army`) as whole words"
    ), "{stderr}");
    assert!(stderr.contains("add `same_as: [\"syrian_army\"]` to `fsa`"));

    // In one file, its curator saw both; and a name of one short word says too little.
    let (_dir, one) = files(&[&format!("{army}, {fsa}")]);
    let output = factgraph(&["check", "--deny-warnings", &one[0]]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let homs = r#"(id: "homs", name: "Homs", kind: "place")"#;
    let countryside = r#"(id: "homs_countryside", name: "Homs countryside", kind: "place")"#;
    let (_dir, short) = files(&[homs, countryside]);
    let output = factgraph(&["check", "--deny-warnings", &short[0], &short[1]]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    // Nor across kinds: the army is no place.
    let place = r#"(id: "army_base", name: "Syrian Army base", kind: "place")"#;
    let (_dir, kinds) = files(&[army, place]);
    let output = factgraph(&["check", "--deny-warnings", &kinds[0], &kinds[1]]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
}

#[test]
fn not_same_as_silences_the_warning_a_curator_has_judged() {
    let output = factgraph(&["--no-cache", "check", "--deny-warnings", ARTICLE, APART]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert!(stdout(&output).starts_with("ok: 92 entities"));

    // Without it, the airport is reported as possibly the city, with both ways out.
    let text = std::fs::read_to_string(APART).unwrap();
    let judged = "\n         not_same_as: [\"deir_ezzor\"]),";
    assert!(text.contains(judged));
    let dir = tempfile::tempdir().unwrap();
    let unjudged = dir.path().join("fictional-palmyra-unjudged.ron");
    std::fs::write(&unjudged, text.replace(judged, "),")).unwrap();
    let output = factgraph(&["--no-cache", "check", ARTICLE, unjudged.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("warning: entity `deir_ezzor_airport` is possibly `deir_ezzor`\n"),
        "{stderr}"
    );
    assert!(stderr.contains(
        "= help: if they are one entity, add `same_as: [\"deir_ezzor\"]` to `deir_ezzor_airport`; if they differ, add `not_same_as: [\"deir_ezzor\"]` instead\n"
    ), "{stderr}");
    assert!(stderr
        .ends_with("warning: 1 curation warning (`check --deny-warnings` makes them errors)\n"));
}

#[test]
fn not_same_as_works_from_either_side_and_on_a_merged_record() {
    let army = r#"(id: "syrian_army", name: "Syrian Army", kind: "actor")"#;
    let fsa = r#"(id: "fsa", name: "Free Syrian Army", kind: "actor")"#;
    let judged =
        |record: &str, other: &str| record.replace(")", &format!(", not_same_as: [\"{other}\"])"));
    // The warning stands at `fsa`; the judgement may be written on either record.
    for pair in [
        [judged(army, "fsa"), fsa.to_string()],
        [army.to_string(), judged(fsa, "syrian_army")],
    ] {
        let (_dir, paths) = files(&[&pair[0], &pair[1]]);
        let output = factgraph(&["check", "--deny-warnings", &paths[0], &paths[1]]);
        assert_eq!(output.status.code(), Some(0), "{pair:?}: {output:?}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{pair:?}");
    }
    // A record merged into another brings its judgement along, and may name a merged record.
    let rebels = r#"(id: "fsa_rebels", name: "FSA rebels", kind: "actor", same_as: ["fsa"], not_same_as: ["army"])"#;
    let army_again = r#"(id: "army", name: "Army", kind: "actor", same_as: ["syrian_army"])"#;
    let (_dir, paths) = files(&[army, &format!("{fsa}, {rebels}"), army_again]);
    let output = factgraph(&["check", "--deny-warnings", &paths[0], &paths[1], &paths[2]]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
}

#[test]
fn a_possible_duplicate_of_the_article_graph_is_reported_at_the_new_files_entity() {
    const SITE: &str = "tests/fixtures/corpus/dupes/fictional-palmyra-site.ron";
    let output = factgraph(&["--no-cache", "check", ARTICLE, SITE]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let here = position(SITE, "\"Palmyra\"");
    let possibly =
        format!("warning: entity `palmyra` is possibly `palmyra_amphitheatre`\n  --> {here}\n");
    assert!(stderr.contains(&possibly), "{stderr}");
    assert!(
        stderr.contains(
            "add `same_as: [\"palmyra_amphitheatre\"]` to `palmyra`; if they differ, add `not_same_as: [\"palmyra_amphitheatre\"]` instead"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "evidence: \"Palmyra\" (name of `palmyra`) is held as whole words (\"palmyra\") in \"Palmyra amphitheatre\" (alias of `palmyra_amphitheatre`)"
        ),
        "{stderr}"
    );
    // No warning points into the article graph, and none asks to edit its entities.
    assert!(!stderr.contains(&format!("--> {ARTICLE}")), "{stderr}");
    assert!(!stderr.contains("to `palmyra_amphitheatre`"), "{stderr}");
    assert!(!stderr.contains("to `tadmor_deir_ezzor_road`"), "{stderr}");
}
