#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Sources that carry their text: quotes checked on every load with no flag, the closest passage
//! suggested for a paraphrase, and quotes shown inside their sentences. The fixtures under
//! tests/fixtures/corpus/sourcetext/ are fictional; the bundled article is the one real text.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

fn fixtures() -> PathBuf {
    common::root().join("tests/fixtures/corpus/sourcetext")
}

fn factgraph(dir: &Path, args: &[&str]) -> Output {
    common::factgraph_in(dir, args, "")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn quotes_of_a_source_with_text_are_checked_by_check_and_by_every_load() {
    let ok = factgraph(&fixtures(), &["check", "fictional-varno.ron"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    for args in [
        &["check", "fictional-paraphrase.ron"][..],
        &["-g", "fictional-paraphrase.ron", "query", "stats"],
        &["-g", "fictional-paraphrase.ron", "run", "-"],
    ] {
        let o = factgraph(&fixtures(), args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&o).contains("quote not found in the text of source `courier`"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn a_paraphrase_keeps_its_place_and_is_shown_the_passage_to_paste() {
    let o = factgraph(&fixtures(), &["check", "fictional-paraphrase.ron"]);
    let expected = "\
error: quote not found in the text of source `courier` (fictional-courier-2031-03-02-varno.txt)
  --> fictional-paraphrase.ron:27:17
   |
27 |          quote: \"after a week of heavy shelling by the Lowland army\"),
   |                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ not verbatim
   = help: the closest passage of the text is \"after a week of shelling by the Lowland Army\"
";
    assert!(stderr(&o).starts_with(expected), "{}", stderr(&o));
}

#[test]
fn a_missing_text_is_an_error_at_the_text_field() {
    let o = factgraph(&fixtures(), &["check", "fictional-missing-text.ron"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("error: cannot read the text of source `courier`\n --> fictional-missing-text.ron:9:19\n"),
        "{err}"
    );
    assert!(err.contains("named here"), "{err}");
    assert!(
        err.contains("relative to the fact file's folder; this one names `fictional-missing.txt`"),
        "{err}"
    );
}

#[test]
fn text_is_found_beside_the_fact_file_wherever_the_command_runs() {
    let file = fixtures().join("fictional-varno.ron");
    let o = factgraph(&common::root(), &["check", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn the_text_flag_still_checks_a_file_that_names_no_text() {
    let args = [
        "check",
        "fictional-no-text.ron",
        "--text",
        "courier=fictional-courier-2031-03-02-varno.txt",
    ];
    let o = factgraph(&fixtures(), &args);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the closest passage of the text is \"Fighters of the Northern Front withdrew from the hill town of Varno on Sunday\""),
        "{}",
        stderr(&o)
    );
    let unchecked = factgraph(&fixtures(), &["check", "fictional-no-text.ron"]);
    assert!(unchecked.status.success(), "{}", stderr(&unchecked));
}

/// A copy of the article graph and its text in a fresh folder, with one quote paraphrased.
#[test]
fn the_article_graph_checks_its_quotes_against_its_text_with_no_flag() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root();
    let graph = std::fs::read_to_string(root.join("graphs/al-sukhna.ron")).unwrap();
    std::fs::create_dir(dir.path().join("sources")).unwrap();
    let article = "sources/the-national-2017-08-06-al-sukhna.txt";
    std::fs::copy(root.join("graphs").join(article), dir.path().join(article)).unwrap();
    std::fs::write(dir.path().join("al-sukhna.ron"), &graph).unwrap();
    let o = factgraph(dir.path(), &["check", "al-sukhna.ron"]);
    assert!(o.status.success(), "{}", stderr(&o));

    let verbatim = "where government forces have been besieged by ISIL since 2015\"";
    assert!(graph.contains(verbatim));
    let paraphrased = graph.replacen(
        verbatim,
        "where government troops were besieged by ISIL since 2015\"",
        1,
    );
    std::fs::write(dir.path().join("al-sukhna.ron"), paraphrased).unwrap();
    let o = factgraph(dir.path(), &["check", "al-sukhna.ron"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    // The first fact citing the clause, where the paraphrase now stands: line and column of its quote.
    let at = graph.find(verbatim).unwrap();
    let line = graph[..at].lines().count();
    let column = graph[..at]
        .rsplit('\n')
        .next()
        .unwrap()
        .rfind("quote: \"")
        .unwrap()
        + 8;
    assert!(
        err.contains(&format!("--> al-sukhna.ron:{line}:{column}")),
        "{err}"
    );
    assert!(
        err.contains("= help: the closest passage of the text is \"Deir Ezzor, the capital of the eastern province of the same name where government forces have been besieged by ISIL since 2015\"\n"),
        "{err}"
    );
}

#[test]
fn context_evidence_shows_each_quote_inside_its_sentence() {
    let o = factgraph(
        &fixtures(),
        &[
            "-g",
            "fictional-varno.ron",
            "query",
            "why lowland_army shelled varno",
            "--evidence",
            "context",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("\"Fighters of the Northern Front withdrew from the hill town of Varno on Sunday, »after a week of shelling by the Lowland Army«.\""),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_bundled_graph_shows_context_from_its_embedded_text_in_any_folder() {
    let dir = tempfile::tempdir().unwrap();
    let o = factgraph(
        dir.path(),
        &[
            "query",
            "why isil besieges deir_ezzor",
            "--evidence",
            "context",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("\"Al Sukhna lies on the main road between the city of Tadmor and »Deir Ezzor, the capital"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn json_evidence_carries_the_sentence_only_where_the_source_has_text() {
    let json = |file: &str, text: &[&str]| {
        let mut args = vec![
            "-g",
            file,
            "query",
            "why lowland_army shelled varno",
            "--format",
            "json",
        ];
        args.extend(text);
        let o = factgraph(&fixtures(), &args);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["facts"][0]["fact"]["context"].clone()
    };
    let context = json("fictional-varno.ron", &[]);
    assert_eq!(
        context["before"],
        "Fighters of the Northern Front withdrew from the hill town of Varno on Sunday,"
    );
    assert_eq!(
        context["quote"],
        "after a week of shelling by the Lowland Army"
    );
    assert_eq!(context["after"], ".");
    assert!(json("fictional-no-text.ron", &[]).is_null());
}

const ARTICLE: &str = "fictional-courier-2031-03-02-varno.txt";

/// A fresh folder holding the fictional article (and `also`), as a curator's would.
fn folder_with_article(also: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in std::iter::once(&ARTICLE).chain(also) {
        std::fs::copy(fixtures().join(name), dir.path().join(name)).unwrap();
    }
    dir
}

#[test]
fn new_starts_a_fact_file_from_an_article_and_the_bundled_graph() {
    let dir = folder_with_article(&[]);
    let o = factgraph(dir.path(), &["new", "--text", ARTICLE, "-o", "varno.ron"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(dir.path().join("varno.ron")).unwrap();
    common::golden("new-fictional-varno.ron", &written);
    assert_eq!(
        stdout(&o),
        "wrote varno.ron: 3 known entities named, 5 candidate new entities\n"
    );
}

#[test]
fn new_refuses_to_overwrite_without_force() {
    let dir = folder_with_article(&[]);
    std::fs::write(dir.path().join("varno.ron"), "kept").unwrap();
    let o = factgraph(dir.path(), &["new", "--text", ARTICLE, "-o", "varno.ron"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("`varno.ron` already exists"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("varno.ron")).unwrap(),
        "kept"
    );
    let o = factgraph(
        dir.path(),
        &["new", "--text", ARTICLE, "-o", "varno.ron", "--force"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = factgraph(
        dir.path(),
        &["new", "--text", ARTICLE, "-o", ARTICLE, "--force"],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "the article itself is never overwritten"
    );
}

#[test]
fn new_cites_the_entities_of_the_corpus_it_is_given() {
    let dir = folder_with_article(&["fictional-varno.ron"]);
    std::fs::create_dir(dir.path().join("drafts")).unwrap();
    let args = [
        "-g",
        "fictional-varno.ron",
        "new",
        "--text",
        ARTICLE,
        "-o",
        "drafts/next.ron",
    ];
    let o = factgraph(dir.path(), &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(dir.path().join("drafts/next.ron")).unwrap();
    assert!(
        written.contains(&format!("text: \"../{ARTICLE}\",")),
        "{written}"
    );
    for known in [
        "//   northern_front  Northern Front (actor): \"Northern Front\" 2×",
        "//   varno           Varno (place): \"Varno\" 4×",
        "//   lowland_army    Lowland Army (actor): \"Lowland Army\" 2×",
    ] {
        assert!(written.contains(known), "{known}\n{written}");
    }
    // Named by the corpus now, so no longer a candidate; ISIL is not in this corpus.
    assert!(!written.contains("//   Varno ×"), "{written}");
    assert!(!written.contains("isil"), "{written}");
}

/// Names as the press spells them: a known name inside a longer one of the same entity is one
/// mention ("Al Sukhna" is not also "Sukhna"), the "Al-" of "Al-Sukhna" is no new entity, and a
/// transliterated name keeps its hyphened particle ("Dayr az-Zawr", not "Dayr").
#[test]
fn new_counts_each_mention_once_and_keeps_transliterated_names_whole() {
    const MONITOR: &str = "fictional-monitor-2017-08-15-sukhna.txt";
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixtures().join(MONITOR), dir.path().join(MONITOR)).unwrap();
    let graph = common::root().join("graphs/al-sukhna.ron");
    let graph = graph.to_str().unwrap();
    let o = factgraph(
        dir.path(),
        &["-g", graph, "new", "--text", MONITOR, "-o", "monitor.ron"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(dir.path().join("monitor.ron")).unwrap();
    assert!(
        written.contains("al_sukhna  Al Sukhna (place): \"Al Sukhna\" 1×, \"Sukhna\" 1×\n"),
        "{written}"
    );
    assert!(written.contains("//   Dayr az-Zawr ×1\n"), "{written}");
    assert!(!written.contains("Al- "), "{written}");
    assert!(!written.contains("Dayr ×"), "{written}");
}

/// A quote that leaves words out of its sentence is shown the whole passage it shortens, the words
/// it leaves out, and itself with `…` where they stood: pasted in, that quote passes.
#[test]
fn a_quote_leaving_words_out_is_shown_the_passage_and_the_elided_quote_that_passes() {
    let o = factgraph(&fixtures(), &["check", "fictional-left-out.ron"]);
    assert_eq!(o.status.code(), Some(1));
    let expected = "\
error: quote not found in the text of source `herald` (fictional-herald-2031-04-10-ostra.txt)
  --> fictional-left-out.ron:20:35
   |
20 |          source: \"herald\", quote: \"The Bay Council condemned the seizure\"),
   |                                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ not verbatim
   = help: the closest passage of the text is \"The Bay Council, a regional council based in the city of Ostra, condemned the seizure\"
   = help: the quote leaves out 9 words of it (\"a regional council based in the city of Ostra,\"); the check takes the quote with `…` where they stood: \"The Bay Council … condemned the seizure\"
";
    assert!(stderr(&o).starts_with(expected), "{}", stderr(&o));

    let dir = tempfile::tempdir().unwrap();
    let text = "fictional-herald-2031-04-10-ostra.txt";
    std::fs::copy(fixtures().join(text), dir.path().join(text)).unwrap();
    let file = std::fs::read_to_string(fixtures().join("fictional-left-out.ron")).unwrap();
    let fixed = file.replacen(
        "quote: \"The Bay Council condemned the seizure\"",
        "quote: \"The Bay Council … condemned the seizure\"",
        1,
    );
    std::fs::write(dir.path().join("fixed.ron"), fixed).unwrap();
    let o = factgraph(dir.path(), &["check", "fixed.ron"]);
    assert!(
        !stderr(&o).contains("fixed.ron:20:"),
        "the suggested quote passes: {}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("fixed.ron:22:"), "{}", stderr(&o));
}

#[test]
fn elided_quotes_pass_when_their_parts_stand_in_order_in_one_sentence() {
    let o = factgraph(&fixtures(), &["check", "fictional-ellipsis.ron"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Context shows what the ellipsis stands for: the whole passage the quote spans.
    let o = factgraph(
        &fixtures(),
        &[
            "-g",
            "fictional-ellipsis.ron",
            "query",
            "why bay_council condemned port_seizure",
            "--evidence",
            "context",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("\"»The Bay Council, a regional council based in the city of Ostra, condemned the seizure of the port«.\""),
        "{}",
        stdout(&o)
    );
}

#[test]
fn elided_quotes_fail_out_of_order_across_sentences_with_a_part_missing_or_a_word_cut() {
    let o = factgraph(&fixtures(), &["check", "fictional-left-out.ron"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let not_in_one_sentence = "= help: each part is in the text, but not in this order within one sentence: `…` stands only for words left out between parts of one sentence\n";
    for (line, help) in [
        (22, not_in_one_sentence),
        (24, not_in_one_sentence),
        (26, "= help: \"welcomed the seizure\" is not in the text\n   = help: the closest passage of the text to it is \"the seizure\"\n"),
        (28, "= help: \"The Bay Coun\" is in the text only inside a longer word; `…` stands for whole words left out\n"),
    ] {
        let at = err
            .find(&format!("--> fictional-left-out.ron:{line}:35\n"))
            .unwrap_or_else(|| panic!("no error at line {line}: {err}"));
        let this = &err[at..];
        let this = &this[..this.find("\n\n").map_or(this.len(), |end| end + 1)];
        assert!(this.contains(help), "line {line}: {this}");
    }
    assert!(err.ends_with("error: 5 problems found\n"), "{err}");
}

#[test]
fn an_ellipsis_opening_or_closing_a_quote_keeps_words_whole_and_each_leaves_a_word_out() {
    let o = factgraph(&fixtures(), &["check", "fictional-elided-edges.ron"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let cut = |part: &str| {
        format!("= help: \"{part}\" is in the text only inside a longer word; `…` stands for whole words left out\n")
    };
    for (line, help) in [
        (21, cut("since Tues")),
        (23, cut("arbour Guard, which has held the port")),
        (25, "= help: no word stands between \"halted for three\" and \"days.\" in the text: the `…` between them leaves nothing out; take it away\n".to_string()),
    ] {
        let at = err
            .find(&format!("--> fictional-elided-edges.ron:{line}:35\n"))
            .unwrap_or_else(|| panic!("no error at line {line}: {err}"));
        let this = &err[at..];
        let this = &this[..this.find("\n\n").map_or(this.len(), |end| end + 1)];
        assert!(this.contains(&help), "line {line}: {this}");
    }
    // Whole words at both ends pass.
    assert!(!err.contains("fictional-elided-edges.ron:27:"), "{err}");
    assert!(err.ends_with("error: 3 problems found\n"), "{err}");
}
