//! The small walls a newcomer hits in the first hour, each checked the way they met it: through the
//! command line, on the bundled article graph.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn factgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factgraph"))
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

#[test]
fn dates_as_people_write_them_answer_like_iso_dates() {
    let iso = answer(&["query", "--at", "2017-08-06", "show Tadmor"]);
    assert_eq!(
        answer(&["query", "--at", "6 August 2017", "show Tadmor"]),
        iso
    );
    assert_eq!(answer(&["query", "show Tadmor at 2017-8-6"]), iso);
    let month = answer(&["query", "show Tadmor at 2017-08"]);
    assert_eq!(answer(&["query", "show Tadmor at Aug 2017"]), month);
    assert_eq!(answer(&["query", "show Tadmor at august 2017"]), month);
    // A misspelt month is still an error that says what is accepted.
    let out = factgraph(&["query", "show Tadmor at Agust 2017"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("6 August 2017"), "{stderr}");
}

#[test]
fn query_words_may_be_given_unquoted() {
    let quoted = answer(&["query", "path Russia to Talbiseh"]);
    assert_eq!(
        answer(&["query", "path", "Russia", "to", "Talbiseh"]),
        quoted
    );
    // A word the shell kept together stays one name, flags may follow the words.
    assert_eq!(
        answer(&["query", "why", "Syrian government", "recaptured", "Tadmor"]),
        answer(&["query", "why \"Syrian government\" recaptured Tadmor"])
    );
    assert_eq!(
        answer(&[
            "query",
            "why",
            "\"Syrian government\"",
            "recaptured",
            "Tadmor"
        ]),
        answer(&["query", "why \"Syrian government\" recaptured Tadmor"])
    );
    assert_eq!(
        answer(&["query", "show", "Tadmor", "--at", "2016"]),
        answer(&["query", "--at", "2016", "show Tadmor"])
    );
}

/// Standard error of a query that must fail as a query error (exit code 1).
fn refusal(args: &[&str]) -> String {
    let out = factgraph(args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?} did not fail as a query"
    );
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn an_option_after_a_timeline_date_is_named_as_out_of_place() {
    let stderr = refusal(&["query", "timeline from 2017-01 to 2017-12 via captured"]);
    assert!(
        stderr.starts_with(
            "error: expected `from`, `to`, `limit`, `offset`, `at`, `during`, `reported` or end of query, found `via`"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("`via` is not an option of `timeline`"),
        "{stderr}"
    );
    assert!(!stderr.contains("expected a date"), "{stderr}");
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    serde_json::from_str(&answer(&args)).unwrap()
}

#[test]
fn why_without_a_stating_fact_shows_how_the_two_connect() {
    let why = answer(&["query", "why Russia brokered Talbiseh"]);
    assert!(
        why.starts_with("No fact states that Russia brokered Talbiseh.\n"),
        "{why}"
    );
    // The connection is the shortest path `path` finds, step by step with its evidence.
    let path = answer(&["query", "path Russia to Talbiseh"]);
    let chain = path.lines().nth(1).unwrap();
    let chain = chain.split_once(") ").unwrap().1;
    assert!(why.contains(&format!("hops): {chain}\n")), "{why}\n{path}");
    // The same quotes, however the evidence is laid out.
    let quotes = |text: &str| -> Vec<String> {
        let mut quotes: Vec<String> = text
            .lines()
            .filter_map(|l| Some(l[l.find('"')?..=l.rfind('"')?].to_string()))
            .collect();
        quotes.sort();
        quotes
    };
    assert!(!quotes(&why).is_empty(), "{why}");
    assert_eq!(quotes(&why), quotes(&path), "{why}");
    let (why, path) = (
        json(&["query", "why Russia brokered Talbiseh"]),
        json(&["query", "path Russia to Talbiseh"]),
    );
    assert_eq!(why["stated"], false);
    assert_eq!(why["path"], path["paths"][0]["steps"]);
    // A stated claim needs no detour.
    let stated = json(&["query", "why Russia brokered \"northern Homs ceasefire\""]);
    assert_eq!(stated["stated"], true);
    assert_eq!(stated["path"], serde_json::json!([]));
}

/// The count a query's JSON answer lists: neighbours, paths or match rows.
fn listed(answer: &serde_json::Value) -> usize {
    ["results", "paths", "rows"]
        .iter()
        .find_map(|k| answer[k].as_array())
        .map_or(0, Vec::len)
}

#[test]
fn an_empty_answer_names_the_other_reading_of_its_relations_when_that_has_answers() {
    for query in [
        "neighbors Russia via brokered_by",
        "neighbors Russia out via ^brokered",
        "path Russia to \"northern Homs ceasefire\" directed via brokered_by",
        "match ?who brokered_by \"northern Homs ceasefire\"",
    ] {
        let empty = json(&["query", query]);
        assert_eq!(listed(&empty), 0, "{query}");
        let note = &empty["notes"][0];
        assert_eq!(note["kind"], "other_way", "{query}: {empty}");
        assert_eq!(note["other"][0], "brokered", "{query}");
        // The query the note offers answers with as many as it says.
        let offered = json(&["query", note["query"].as_str().unwrap()]);
        assert_eq!(listed(&offered), note["answers"].as_u64().unwrap() as usize);
        assert!(offered.get("notes").is_none(), "{offered}");
        // Text says the same, after the answer.
        let text = answer(&["query", query]);
        let last = text.lines().last().unwrap();
        assert_eq!(last, format!("note: {}", note["text"].as_str().unwrap()));
    }
    // Nothing either way: no note.
    let nothing = json(&["query", "neighbors Talbiseh via brokered_by"]);
    assert_eq!(listed(&nothing), 0);
    assert!(nothing.get("notes").is_none(), "{nothing}");
}

#[test]
fn an_unquoted_multi_word_name_in_why_is_found_by_its_words() {
    assert_eq!(
        answer(&["query", "why Syrian government recaptured Tadmor"]),
        answer(&["query", "why \"Syrian government\" recaptured Tadmor"])
    );
    // Misspelt, the one name that does not resolve is the one error, with its suggestions.
    for (query, wrong) in [
        (
            "why Syrian government recapturd Tadmor",
            "unknown relation `recapturd`",
        ),
        (
            "why Syrian government recaptured Tadnor",
            "unknown entity `Tadnor`",
        ),
    ] {
        let stderr = refusal(&["query", query]);
        assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
        assert!(stderr.starts_with(&format!("error: {wrong}")), "{stderr}");
        assert!(stderr.contains("did you mean"), "{stderr}");
    }
}

#[test]
fn words_that_split_two_ways_ask_for_quotes_and_show_each_reading() {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("suits.ron");
    let entity =
        |id: &str, name: &str| format!("(id: \"{id}\", name: \"{name}\", kind: \"actor\"),");
    std::fs::write(
        &graph,
        format!(
            "(sources: [(id: \"s\", title: \"t\", publisher: \"p\", published: \"2020\")],
              relations: [(name: \"sued\")],
              entities: [{}{}{}{}],
              facts: [(subject: \"big\", relation: \"sued\", object: \"case\", source: \"s\", quote: \"Big Bank sued\"),
                      (subject: \"suit\", relation: \"sued\", object: \"corp\", source: \"s\", quote: \"sued Corp\")])",
            entity("big", "Big Bank"),
            entity("case", "Acme sued Corp"),
            entity("suit", "Big Bank sued Acme"),
            entity("corp", "Corp"),
        ),
    )
    .unwrap();
    let graph = graph.to_str().unwrap();
    let stderr = refusal(&["-g", graph, "query", "why Big Bank sued Acme sued Corp"]);
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: `Big Bank sued Acme sued Corp` can be read in 2 ways"),
        "{stderr}"
    );
    // Each reading the help shows is a query that answers.
    let help = stderr.lines().find(|l| l.contains("help:")).unwrap();
    let readings: Vec<&str> = help.split('`').skip(1).step_by(2).collect();
    assert_eq!(readings.len(), 2, "{help}");
    for reading in readings {
        let stated = answer(&["-g", graph, "query", reading]);
        assert!(stated.contains("stated by 1 fact"), "{reading}: {stated}");
    }
}

#[test]
fn a_question_runs_as_the_query_it_stands_for_and_says_which() {
    for (question, query) in [
        ("who recaptured Tadmor", "match ?who recaptured Tadmor"),
        // A relation asked in its plain form is read as its -ed form.
        ("what did Russia broker", "match Russia brokered ?what"),
        (
            "when did Syrian government recapture Tadmor",
            "why Syrian government recaptured Tadmor",
        ),
        ("where is Talbiseh", "show Talbiseh"),
    ] {
        let asked = answer(&["query", question]);
        let direct = answer(&["query", query]);
        assert_eq!(
            asked,
            format!("note: read as `{query}`\n{direct}"),
            "{question}"
        );
        let asked = json(&["query", question]);
        assert_eq!(asked["notes"][0]["kind"], "read_as");
        assert_eq!(asked["notes"][0]["query"], query);
    }
    // A question whose query does not resolve says how it was read, beside the usual help.
    let stderr = refusal(&["query", "who retook Tadmor"]);
    assert!(
        stderr.starts_with("error: unknown relation `retook`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: the question was read as `match ?who retook Tadmor`"),
        "{stderr}"
    );
    // Words that fit no shape are not guessed at.
    let stderr = refusal(&["query", "who"]);
    assert!(
        stderr.contains("questions read `who REL ENTITY`"),
        "{stderr}"
    );
}

#[test]
fn a_name_others_go_by_too_says_which_entity_it_chose_and_names_the_others() {
    // The article graph: "Palmyra" is the modern town, as most readers mean it, and the ruins
    // beside it say they go by it too.
    let palmyra = json(&["query", "show Palmyra"]);
    let note = &palmyra["notes"][0];
    assert_eq!(note["kind"], "shared_name");
    assert_eq!(note["chosen"], palmyra["entity"]["id"]);
    assert_eq!(palmyra["entity"]["id"], "tadmor");
    assert_eq!(note["others"], serde_json::json!(["palmyra_ruins"]));
    let text = answer(&["query", "neighbors Palmyra"]);
    let first = text.lines().next().unwrap();
    assert_eq!(first, format!("note: {}", note["text"].as_str().unwrap()));
    assert!(first.contains("ancient Palmyra"), "{first}");
    // A name only one entity goes by needs no note.
    for query in ["show ancient Palmyra", "show Tadmor"] {
        assert!(json(&["query", query]).get("notes").is_none(), "{query}");
    }

    // The note reads from the data: each entity is told by its first tag, or its kind.
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("names.ron");
    std::fs::write(
        &graph,
        r#"(sources: [(id: "s", title: "t", publisher: "p", published: "2020")],
            relations: [(name: "near", symmetric: true)],
            entities: [(id: "old", name: "Ḥims", kind: "place", aliases: ["Emesa"], tags: ["ancient city"]),
                       (id: "new", name: "Homs", kind: "place", tags: ["city"], shared_names: ["Emesa"]),
                       (id: "gov", name: "Homs Governorate", kind: "place", shared_names: ["emesa"])],
            facts: [(subject: "old", relation: "near", object: "new", source: "s", quote: "q")])"#,
    )
    .unwrap();
    let graph = graph.to_str().unwrap();
    let text = answer(&["-g", graph, "query", "show emesa"]);
    assert_eq!(
        text.lines().next().unwrap(),
        "note: emesa: Ḥims, the ancient city; for the city, Homs; for the place, Homs Governorate"
    );
    let text = answer(&["-g", graph, "query", "path ḥims to Homs"]);
    assert!(!text.contains("note:"), "{text}");
}

#[test]
fn an_export_keeps_a_shared_name_only_beside_the_entity_it_leads_to() {
    let dir = tempfile::tempdir().unwrap();
    for (query, kept) in [("show Tadmor", true), ("why ISIL overran Tadmor", false)] {
        let (json, ron) = (dir.path().join("part.json"), dir.path().join("part.ron"));
        let (json, ron) = (json.to_str().unwrap(), ron.to_str().unwrap());
        answer(&[
            "export", "--format", "json", "-o", json, "--force", "--query", query,
        ]);
        answer(&["import", "--from", "json", "-o", ron, "--force", json]);
        let text = std::fs::read_to_string(ron).unwrap();
        assert_eq!(
            text.contains("shared_names: [\"Palmyra\"]"),
            kept,
            "{query}"
        );
        // Either way the part is a fact file that checks.
        answer(&["check", ron]);
    }
}

#[test]
fn new_counts_one_entity_in_the_singular() {
    let dir = std::env::temp_dir().join(format!("factgraph-first-hour-new-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let article = dir.join("fictional-gazette-2017-08-14-selva.txt");
    std::fs::write(
        &article,
        "Title: Militia seizes Selva (fictional)\nPublisher: The Gazette\nPublished: 2017-08-14\n\n\
         The Coastal Militia seized Selva after ISIS left.\n",
    )
    .unwrap();
    let out = dir.join("fictional-selva.ron");
    let said = answer(&[
        "new",
        "--text",
        article.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(said.contains(": 1 known entity named, "), "{said}");
    assert!(said.ends_with(" candidate new entities\n"), "{said}");
}

#[test]
fn two_letters_typed_the_wrong_way_round_get_the_word_suggested() {
    let keyword = refusal(&["query", "neighbors Tadmor dpeth 2"]);
    assert!(
        keyword.contains("did you mean `depth`? `Tadmor` is an entity"),
        "{keyword}"
    );
    let command = refusal(&["query", "shwo Tadmor"]);
    assert!(command.contains("did you mean `show`?"), "{command}");
}

#[test]
fn a_name_written_as_the_press_spells_it_finds_the_entity_check_would_take_it_for() {
    for (written, id, name) in [
        ("Al-Sukhna", "al_sukhna", "Al Sukhna"),
        ("Dayr az-Zawr", "deir_ezzor", "Deir Ezzor"),
        ("deir-ezzor", "deir_ezzor", "Deir Ezzor"),
    ] {
        let query = format!("show \"{written}\"");
        let found = json(&["query", &query]);
        assert_eq!(found["entity"]["id"], id, "{written}");
        let notes = found["notes"].as_array().unwrap();
        assert_eq!(notes.len(), 1, "{written}: {notes:?}");
        assert_eq!(notes[0]["kind"], "spelt_as");
        assert_eq!(notes[0]["chosen"], id);
        let said = format!("`{written}` read as {name} ({id})");
        assert_eq!(notes[0]["text"], said.as_str());
        // The text answer is the exact one's, after the note.
        let text = answer(&["query", &query]);
        let exact = answer(&["query", &format!("show {id}")]);
        assert_eq!(text, format!("note: {said}\n{exact}"), "{written}");
    }
    // A name found as written needs no note.
    assert!(json(&["query", "show Tadmor"]).get("notes").is_none());

    // Spellings that fit several entities alike are ambiguous, and the error lists them.
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("fictional-alike.ron");
    std::fs::write(
        &graph,
        r#"(sources: [(id: "s", title: "fictional", publisher: "p", published: "2020")],
            relations: [(name: "near", symmetric: true)],
            entities: [(id: "town", name: "Al Qaryatayn", kind: "place"),
                       (id: "camp", name: "Qaryatayn", kind: "actor")],
            facts: [(subject: "town", relation: "near", object: "camp", source: "s", quote: "q")])"#,
    )
    .unwrap();
    let graph = graph.to_str().unwrap();
    let stderr = refusal(&["-g", graph, "query", "show al-qaryatayn"]);
    assert!(
        stderr.contains("error: `al-qaryatayn` is ambiguous"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`town`") && stderr.contains("`camp`"),
        "{stderr}"
    );
    // No spelling alike leaves the unknown-entity error as it was.
    let stderr = refusal(&["-g", graph, "query", "show Palmyra"]);
    assert!(
        stderr.contains("error: unknown entity `Palmyra`"),
        "{stderr}"
    );
}

#[test]
fn a_name_read_spelt_otherwise_is_said_in_every_format_and_every_reading() {
    // The bare words of a `why` are split into names, and a piece found only spelt otherwise
    // is said as a whole name is.
    let said = "`Tedmor` read as Tadmor (tadmor)";
    let why = "why Syrian government recaptured Tedmor";
    let text = answer(&["query", why]);
    assert!(text.starts_with(&format!("note: {said}\n")), "{text}");
    let found = json(&["query", why]);
    let notes = found["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n["kind"] == "spelt_as" && n["text"] == said),
        "{notes:?}"
    );
    // A table has no place for notes: the data stays clean, the note goes to standard error.
    for format in ["tsv", "csv"] {
        let out = factgraph(&["query", "--format", format, why]);
        assert!(out.status.success(), "{format}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stdout.contains("note:"), "{format}: {stdout}");
        assert_eq!(stderr, format!("note: {said}\n"), "{format}");
    }
    // The transliteration skeleton drops vowels, so a vowel left out still finds the place, and
    // says so.
    let text = answer(&["query", "show Tadmr"]);
    let exact = answer(&["query", "show tadmor"]);
    assert_eq!(
        text,
        format!("note: `Tadmr` read as Tadmor (tadmor)\n{exact}")
    );
}

#[test]
fn an_unknown_relation_in_a_query_is_offered_the_relations_whose_description_fits() {
    let stderr = refusal(&["query", "neighbors Palmyra via seized"]);
    assert!(
        stderr.contains("help: perhaps `overran` (seized a place by a sweeping assault)"),
        "{stderr}"
    );
    // The same help `check` gives for the word in a fact file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fictional-seized.ron");
    std::fs::write(
        &file,
        r#"(uses: ["conflict"],
            sources: [(id: "s", title: "fictional", publisher: "p", published: "2020")],
            entities: [(id: "a", name: "A", kind: "actor"), (id: "b", name: "B", kind: "place")],
            facts: [(subject: "a", relation: "seized", object: "b", source: "s", quote: "q")])"#,
    )
    .unwrap();
    let out = factgraph(&["check", file.to_str().unwrap()]);
    let checked = String::from_utf8_lossy(&out.stderr);
    assert!(
        checked.contains("perhaps `overran` (seized a place by a sweeping assault)"),
        "{checked}"
    );
}
