#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! `factgraph diff OLD NEW` as a curator runs it: the fictional corpus in tests/fixtures/corpus/diff
//! before (old/) and after (new/) a review, compared in text and JSON against the checked-in
//! tests/golden/diff.txt and diff.json (`BLESS=1 cargo test --test diff` rewrites them), and the
//! exit codes of diff(1): 0 equal, 1 different, 2 trouble.

use std::path::Path;
use std::process::{Command, Output};

const OLD: &str = "tests/fixtures/corpus/diff/old";
const NEW: &str = "tests/fixtures/corpus/diff/new";
const BROKEN: &str = "tests/fixtures/corpus/diff/broken";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn diff(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .arg("diff")
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn check_golden(name: &str, actual: &str) {
    let golden = root().join("tests/golden").join(name);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&golden, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    assert!(
        expected == actual,
        "{} differs (BLESS=1 cargo test --test diff rewrites it); got:\n{actual}",
        golden.display()
    );
}

#[test]
fn a_reviewed_corpus_gives_its_golden_text_and_json_and_exits_1() {
    let text = diff(&[OLD, NEW]);
    assert_eq!(text.status.code(), Some(1), "{text:?}");
    assert!(text.stderr.is_empty(), "{text:?}");
    let page = stdout(&text);
    // Output that is not a terminal carries no colour codes.
    assert!(!page.contains('\x1b'));
    check_golden("diff.txt", &page);

    let json = diff(&["--format", "json", OLD, NEW]);
    assert_eq!(json.status.code(), Some(1));
    let document = stdout(&json);
    let value: serde_json::Value = serde_json::from_str(&document).unwrap();
    assert_eq!(value["equal"], false);
    assert_eq!(value["old"], OLD);
    check_golden("diff.json", &document);
}

#[test]
fn the_review_shows_what_it_changed() {
    let page = stdout(&diff(&[OLD, NEW]));
    // The dropped recapture, the date made precise, the merge by alias and the state it changed.
    for line in [
        "  - ISIL recaptured Palmyra  2016-12  [fictional_courier]",
        "      when: 2017-02 -> 2017-02-20",
        "  ~ tadmor renamed: Palmyra -> Tadmor",
        "  ~ daesh_fighters (Daesh fighters) merged into isil (ISIL), by \"Daesh\"",
        "    ~ from 2016-12 until 2017-03: held by ISIL (old) -> held by Syrian government (new)",
    ] {
        assert!(page.lines().any(|l| l == line), "no {line:?} in:\n{page}");
    }
    // Facts rewired by the merge are the merge's consequence, not a fact removed and one added.
    assert!(!page.contains("Daesh fighters advanced_on"), "{page}");
    // Read the other way round, the same change is undone.
    let back = stdout(&diff(&[NEW, OLD]));
    assert!(
        back.lines().any(|l| l
            == "    ~ from 2016-12 until 2017-03: held by Syrian government (old) -> held by ISIL (new)"),
        "{back}"
    );
    assert!(
        back.contains("  + ISIL recaptured Palmyra  2016-12"),
        "{back}"
    );
}

#[test]
fn a_corpus_compared_with_itself_has_no_differences_and_exits_0() {
    for side in ["graphs/al-sukhna.ron", OLD] {
        let text = diff(&[side, side]);
        assert_eq!(text.status.code(), Some(0), "{side}: {text:?}");
        assert_eq!(stdout(&text), "no differences\n");
        let json = diff(&["--format", "json", side, side]);
        assert_eq!(json.status.code(), Some(0));
        let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        assert_eq!(
            (value["equal"].clone(), value["differences"].clone()),
            (true.into(), 0.into())
        );
    }
}

/// A corpus that cites the article graph's ids loads only beside it: `-g` gives both sides that
/// base, whose own facts are then no difference; a merge into an entity that already had the
/// merged record's name is a merge, not the loss of that alias.
#[test]
fn a_base_given_with_g_is_loaded_on_both_sides() {
    const OLD_CITES: &str = "tests/fixtures/corpus/diff-cites/old";
    const NEW_CITES: &str = "tests/fixtures/corpus/diff-cites/new";
    let alone = diff(&[OLD_CITES, NEW_CITES]);
    assert_eq!(alone.status.code(), Some(2));
    let output = diff(&["-g", "graphs/al-sukhna.ron", OLD_CITES, NEW_CITES]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = stdout(&output);
    assert!(text.starts_with("Facts: 1 changed\n"), "{text}");
    assert!(text.contains("when: 2017-08-05 -> 2017-08-06"), "{text}");
    assert!(text.contains("Entities: 1 merged\n"), "{text}");
    assert!(
        text.contains("palmyra (Palmyra) merged into tadmor (Tadmor), same_as in"),
        "{text}"
    );
    assert!(!text.contains("aliases"), "{text}");
    assert!(text.ends_with("2 differences\n"), "{text}");
    let same = diff(&["-g", "graphs/al-sukhna.ron", NEW_CITES, NEW_CITES]);
    assert_eq!(same.status.code(), Some(0), "{same:?}");
    assert_eq!(stdout(&same), "no differences\n");
}

#[test]
fn a_side_that_does_not_load_is_reported_and_exits_2() {
    let broken = diff(&[OLD, BROKEN]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(broken.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(stderr.contains("unknown entity `tadmr`"), "{stderr}");
    assert!(stderr.contains("fictional-broken.ron:15:57"), "{stderr}");

    let missing = diff(&["tests/fixtures/corpus/diff/none.ron", NEW]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("none.ron"));

    let empty = tempfile::tempdir().unwrap();
    let empty = diff(&[empty.path().to_str().unwrap(), NEW]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("holds no fact files"));
}

/// A name shared by two entities of NEW says nothing about where a removed entity went.
#[test]
fn an_ambiguous_name_is_no_merge() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, entities: &str| {
        let path = dir.path().join(name);
        let text = format!(
            "(sources: [(id: \"s\", title: \"A test (fictional)\", publisher: \"The Fictional Courier\", \
             published: \"2017\")], entities: [{entities}])"
        );
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let old = file(
        "old.ron",
        r#"(id: "a", name: "Alpha", kind: "actor"), (id: "b", name: "Beta", kind: "actor", aliases: ["Al"])"#,
    );
    let new = file(
        "new.ron",
        r#"(id: "a", name: "Alpha", kind: "actor", aliases: ["Al"]), (id: "c", name: "Al", kind: "actor")"#,
    );
    let page = stdout(&diff(&[&old, &new]));
    assert!(page.lines().any(|l| l == "  - b (Beta)"), "{page}");
    assert!(!page.contains("merged"), "{page}");
}

/// A merge NEW declares with `same_as` is named as such, with the record that declares it, and
/// the names it brings to its target are not listed again as alias edits.
#[test]
fn a_same_as_merge_names_the_record_that_declares_it() {
    let page = stdout(&diff(&[OLD, NEW]));
    let declared = format!("{NEW}/fictional-palmyra.ron:22");
    let line = format!(
        "  ~ islamic_state_fighters (Islamic State fighters) merged into isil (ISIL), same_as in \
         {declared}"
    );
    assert!(page.lines().any(|l| l == line), "{page}");
    assert!(
        page.lines()
            .any(|l| l == "  ~ isil (ISIL) aliases: +\"Daesh\""),
        "{page}"
    );
    // Its fact, unchanged but for the id it now reads through, is no difference.
    assert!(!page.contains("closed in on Palmyra"), "{page}");

    let json = stdout(&diff(&["--format", "json", OLD, NEW]));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let merged = value["entities"]["merged"].as_array().unwrap();
    let by_same_as = merged
        .iter()
        .find(|m| m["from"]["id"] == "islamic_state_fighters")
        .unwrap();
    assert_eq!(by_same_as["same_as"], declared.as_str());
    assert_eq!(by_same_as["by"], serde_json::Value::Null);
    let by_name = merged
        .iter()
        .find(|m| m["from"]["id"] == "daesh_fighters")
        .unwrap();
    assert_eq!(by_name["by"], "Daesh");
    assert_eq!(by_name["same_as"], serde_json::Value::Null);
}

#[test]
fn a_change_dated_to_one_day_prints_as_that_day_and_rival_versions_are_not_history() {
    // Old: a fictional paper has the government holding Talbiseh as of the day the article has
    // the rebels holding it; the change is dated from that day to that day. New: a capture on
    // 10 August and a report that the rebels still hold the town, a version beside the capture.
    let out = stdout(&diff(&[
        "-g",
        "graphs/al-sukhna.ron",
        "tests/fixtures/corpus/conflicts/fictional-desert-courier.ron",
        "tests/fixtures/corpus/still-held",
    ]));
    assert!(
        out.contains("- 2017-08-06  rebels -> Syrian government (held, fictional_courier)"),
        "{out}"
    );
    assert!(!out.contains("2017-08-06..2017-08-06"), "{out}");
    assert!(
        out.contains("+ 2017-08-10  rebels -> Syrian government (captured"),
        "{out}"
    );
    // The rebels' version from 15 August is contested, not the new side's holder.
    assert!(!out.contains("since 2017-08-15"), "{out}");
}
