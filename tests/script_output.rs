#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! What `run` writes for programs and for readers: one JSON document per script, JSONL lines that
//! each say which statement they answer, `# FILE:LINE:` headers in text, and tables with names,
//! dates as intervals and the place of each fact in its fact file.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

/// A script in a folder of its own, removed afterwards.
struct Script {
    dir: PathBuf,
    path: PathBuf,
}

impl Script {
    fn new(name: &str, text: &str) -> Script {
        let dir = std::env::temp_dir().join(format!(
            "factgraph-script-output-{}-{name}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.kgq"));
        std::fs::write(&path, text).unwrap();
        Script { dir, path }
    }

    fn path(&self) -> &str {
        self.path.to_str().unwrap()
    }
}

impl Drop for Script {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// factgraph on the bundled graph, from the repository root, with `stdin` piped in if given.
fn factgraph(args: &[&str], stdin: Option<&str>) -> Output {
    common::factgraph_in(&common::root(), args, stdin.unwrap_or(""))
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const SCRIPT: &str = "# comments and blank lines are no statements\n\
                      stats\n\
                      set evidence full\n\
                      match ?who recaptured ?place\n\
                      \n\
                      neighbors Russia out via brokered \\\n  depth 1\n\
                      match Russia brokered ?truce, ?truce covers ?area\n";

#[test]
fn json_from_a_script_is_one_document_holding_every_answer() {
    let script = Script::new("several", SCRIPT);
    let output = factgraph(&["run", "--format", "json", script.path()], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let answers = document.as_array().unwrap();
    let said: Vec<(u64, &str)> = answers
        .iter()
        .map(|a| (a["line"].as_u64().unwrap(), a["query"].as_str().unwrap()))
        .collect();
    assert_eq!(
        said,
        [
            (2, "stats"),
            (4, "match ?who recaptured ?place"),
            (6, "neighbors Russia out via brokered depth 1"),
            (8, "match Russia brokered ?truce, ?truce covers ?area"),
        ]
    );
    // What a command says is no answer: it goes to stderr, and stdout stays one document.
    assert!(
        stderr(&output).contains("evidence: full"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn json_evidence_gives_each_date_as_an_interval_of_iso_days() {
    let script = Script::new("dates", "match ?who recaptured ?place\ntimeline ISIL\n");
    let output = factgraph(&["run", "--format", "json", script.path()], None);
    let document: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let mut facts: Vec<&Value> = document[0]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap())
        .collect();
    facts.extend(
        document[1]["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["fact"]),
    );
    assert!(facts.len() > 5);
    let iso = |v: &Value| v.as_str().map(|s| s.len() == 10 && s.as_bytes()[4] == b'-');
    for fact in facts {
        let when = fact["when"].as_str().unwrap();
        let (earliest, latest) = (&fact["earliest"], &fact["latest"]);
        let precision = fact["precision"].as_str().unwrap();
        assert_ne!(iso(earliest), Some(false), "{fact}");
        assert_ne!(iso(latest), Some(false), "{fact}");
        if let (Some(e), Some(l)) = (earliest.as_str(), latest.as_str()) {
            assert!(e <= l, "{fact}");
        }
        // Open ends are null, and only they are.
        let open_start = when.starts_with("until") || when.starts_with("by ");
        assert_eq!(earliest.is_null(), open_start, "{fact}");
        assert_eq!(latest.is_null(), when.starts_with("since"), "{fact}");
        let expected = match when {
            w if w.starts_with("since") => "since",
            w if w.starts_with("until") => "until",
            w if w.starts_with("as of") => "as-of",
            w if w.starts_with("by ") => "by",
            w if w.contains("..") => "range",
            w if w.starts_with(['e', 'm', 'l']) => "part",
            w if w.len() == 10 => "day",
            w if w.len() == 7 => "month",
            _ => "year",
        };
        assert_eq!(precision, expected, "{fact}");
        if precision == "day" || (precision == "as-of" && when.len() == 16) {
            let when = when.trim_start_matches("as of ");
            assert_eq!(earliest.as_str(), Some(when));
        }
    }
}

#[test]
fn a_failing_statement_still_leaves_one_valid_document() {
    let script = Script::new("fails", "stats\nneighbors Nowhere\nstats\n");
    let output = factgraph(&["run", "--format", "json", script.path()], None);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("unknown entity `Nowhere`"));
    let document: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document.as_array().unwrap().len(), 1);

    let kept = factgraph(
        &["run", "--keep-going", "--format", "json", script.path()],
        None,
    );
    let document: Value = serde_json::from_str(&stdout(&kept)).unwrap();
    let lines: Vec<u64> = document
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 3]);

    let empty = Script::new("empty", "# nothing to ask\n");
    let output = factgraph(&["run", "--format", "json", empty.path()], None);
    assert!(output.status.success());
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&output)).unwrap(),
        Value::Array(Vec::new())
    );
}

#[test]
fn jsonl_gives_one_answer_a_line_each_with_its_statement() {
    let script = Script::new("lines", SCRIPT);
    let output = factgraph(&["run", "--format", "jsonl", script.path()], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<u64> = text
        .lines()
        .map(|l| {
            let answer: Value = serde_json::from_str(l).unwrap();
            assert!(answer["query"].is_string(), "{l}");
            answer["line"].as_u64().unwrap()
        })
        .collect();
    assert_eq!(lines, [2, 4, 6, 8]);
}

#[test]
fn a_single_query_names_itself_but_has_no_line() {
    let output = factgraph(&["query", "--format", "json", "stats"], None);
    let answer: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(answer["query"], "stats");
    assert!(answer.get("line").is_none(), "{answer}");
}

#[test]
fn text_answers_follow_a_header_naming_their_statement_unless_quiet() {
    let script = Script::new("headers", SCRIPT);
    let name = script.path();
    let output = factgraph(&["run", name], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let headers: Vec<&str> = text.lines().filter(|l| l.starts_with("# ")).collect();
    assert_eq!(
        headers,
        [
            format!("# {name}:2: stats"),
            format!("# {name}:3: set evidence full"),
            format!("# {name}:4: match ?who recaptured ?place"),
            format!("# {name}:6: neighbors Russia out via brokered depth 1"),
            format!("# {name}:8: match Russia brokered ?truce, ?truce covers ?area"),
        ]
    );
    // Each header stands right before its answer, after the blank line that ends the last one.
    assert!(
        text.starts_with(&format!("# {name}:2: stats\nGraph:")),
        "{text}"
    );
    assert!(text.contains(&format!("\n\n# {name}:4: match")), "{text}");

    let quiet = factgraph(&["run", "--quiet", name], None);
    assert!(!stdout(&quiet).contains("# "), "{}", stdout(&quiet));
    let stripped: Vec<&str> = text.lines().filter(|l| !l.starts_with("# ")).collect();
    let quiet_text = stdout(&quiet);
    assert_eq!(stripped, quiet_text.lines().collect::<Vec<_>>());
}

#[test]
fn standard_input_gets_headers_from_run_but_not_from_the_shell() {
    let output = factgraph(&["run", "-"], Some("\nstats\n"));
    assert!(
        stdout(&output).starts_with("# <stdin>:2: stats\nGraph:"),
        "{}",
        stdout(&output)
    );
    let piped = factgraph(&[], Some("stats\n"));
    assert!(stdout(&piped).starts_with("Graph:"), "{}", stdout(&piped));
}

/// Rows of a tab-separated answer as maps from column name to field.
fn tsv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text
        .lines()
        .map(|l| l.split('\t').map(String::from).collect());
    let headers: Vec<String> = lines.next().unwrap();
    (headers, lines.collect())
}

fn column(headers: &[String], name: &str) -> usize {
    headers.iter().position(|h| h == name).unwrap()
}

#[test]
fn match_tables_give_names_and_the_evidence_of_each_fact() {
    let query = "match Russia brokered ?truce, ?truce covers ?area";
    let output = factgraph(&["query", "--format", "tsv", query], None);
    let (headers, rows) = tsv(&stdout(&output));
    assert_eq!(
        headers,
        [
            "truce",
            "truce_name",
            "area",
            "area_name",
            "fact",
            "source",
            "when",
            "earliest",
            "latest",
            "precision",
            "quote",
            "file",
            "line",
            "certainty"
        ]
    );
    // Certainty is a time scope's: empty without one, one of its words within one.
    assert!(rows
        .iter()
        .all(|r| r[column(&headers, "certainty")].is_empty()));
    let scoped = factgraph(
        &[
            "query",
            "--format",
            "tsv",
            &format!("{query} at 2017-08-04"),
        ],
        None,
    );
    let (scoped_headers, scoped_rows) = tsv(&stdout(&scoped));
    let certainty = column(&scoped_headers, "certainty");
    assert!(!scoped_rows.is_empty());
    for row in &scoped_rows {
        let word = row[certainty].as_str();
        assert!(
            ["certain", "possible"].contains(&word) || word.starts_with("last-reported "),
            "{word:?}"
        );
    }
    // Names as `entities` gives them.
    let entities = factgraph(&["query", "--format", "json", "entities"], None);
    let entities: Value = serde_json::from_str(&stdout(&entities)).unwrap();
    let name_of = |id: &str| {
        entities["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .map(|e| e["name"].as_str().unwrap().to_string())
            .unwrap()
    };
    // A row stands on two facts, one per pattern, so it takes two lines in pattern order.
    let count = factgraph(&["query", &format!("{query} count")], None);
    let matches: usize = stdout(&count)
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap();
    assert_eq!(rows.len(), 2 * matches, "{}", stdout(&count));
    let root = common::root();
    for (n, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), headers.len());
        assert_eq!(row[column(&headers, "fact")], (n % 2 + 1).to_string());
        for var in ["truce", "area"] {
            let id = &row[column(&headers, var)];
            assert_eq!(row[column(&headers, &format!("{var}_name"))], name_of(id));
        }
        // `file` and `line` lead to the fact as written.
        let file = root.join(Path::new(&row[column(&headers, "file")]));
        let line: usize = row[column(&headers, "line")].parse().unwrap();
        let fact_file = std::fs::read_to_string(file).unwrap();
        let stated = fact_file.lines().nth(line - 1).unwrap();
        let when = &row[column(&headers, "when")];
        match when.as_str() {
            "" => assert!(!stated.contains("when:"), "{stated}"),
            when => assert!(stated.contains(&format!("when: \"{when}\"")), "{stated}"),
        }
        let (subject, object) = match n % 2 {
            0 => ("russia".to_string(), row[column(&headers, "truce")].clone()),
            _ => (
                row[column(&headers, "truce")].clone(),
                row[column(&headers, "area")].clone(),
            ),
        };
        assert!(
            stated.contains(&format!("subject: \"{subject}\"")),
            "{stated}"
        );
        assert!(
            stated.contains(&format!("object: \"{object}\"")),
            "{stated}"
        );
    }
}

#[test]
fn every_table_format_has_the_same_columns() {
    let query = "neighbors Russia";
    let tsv_out = stdout(&factgraph(&["query", "--format", "tsv", query], None));
    let csv_out = stdout(&factgraph(&["query", "--format", "csv", query], None));
    let md_out = stdout(&factgraph(&["query", "--format", "markdown", query], None));
    let tsv_head: Vec<&str> = tsv_out.lines().next().unwrap().split('\t').collect();
    let csv_head: Vec<&str> = csv_out.lines().next().unwrap().split(',').collect();
    let md_head: Vec<&str> = md_out
        .lines()
        .next()
        .unwrap()
        .trim_matches(['|', ' '])
        .split(" | ")
        .collect();
    assert_eq!(tsv_head, csv_head);
    assert_eq!(tsv_head, md_head);
    for evidence in [
        "source",
        "when",
        "earliest",
        "latest",
        "precision",
        "quote",
        "file",
        "line",
    ] {
        assert!(tsv_head.contains(&evidence), "{evidence}: {tsv_head:?}");
    }
}
