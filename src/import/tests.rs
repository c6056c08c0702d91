use super::read::*;
use super::*;
use crate::fact_file::SourceText;
use crate::model::FactId;

fn import_text(text: &str, format: TripleFormat) -> String {
    let triples = read_triples("in", text, format, false).unwrap();
    let mut out = Vec::new();
    write_fact_file(&mut out, &triples, "in.tsv", Kind::Thing, "2025-01-01").unwrap();
    String::from_utf8(out).unwrap()
}

fn load(ron: &str) -> crate::model::Model {
    crate::validate::load(&[SourceText::new("out.ron", ron)], &[])
        .unwrap_or_else(|e| panic!("{}", crate::diagnostic::render_all(&e)))
}

#[test]
fn escaped_ids_are_injective_and_reversible() {
    for s in [
        "/m/027rn",
        "a-b",
        "a-2db",
        "Ḥims \"x\"\\",
        "00260881",
        "_hypernym",
        "a b",
    ] {
        let id = escape_id(s);
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
        assert_eq!(unescape_id(&id).as_deref(), Some(s));
    }
    assert_ne!(escape_id("a-b"), escape_id("a-2db"));
    assert_eq!(escape_id("/m/027rn"), "-2fm-2f027rn");
}

#[test]
fn any_string_survives_a_round_trip_through_the_fact_file() {
    let text = "/m/0a\t/film/x./film/y\tḤims \"quoted\" \\ back\u{1}\n\
                a\tr\ta\n\
                a\tr\ta\n\
                \n";
    let model = load(&import_text(text, TripleFormat::Tsv));
    assert_eq!(model.facts().len(), 2);
    assert_eq!(model.entities[1].name, "Ḥims \"quoted\" \\ back\u{1}");
    assert_eq!(model.entities[0].id, "-2fm-2f0a");
    assert_eq!(model.relations[0].name, "/film/x./film/y");
    assert!(!model.relations[0].self_loops);
    assert!(model.relations[1].self_loops);
    assert_eq!(model.quote(FactId(0)), "");
}

#[test]
fn duplicates_are_dropped_and_counted() {
    let t = read_triples(
        "in",
        "a\tr\tb\na\tr\tb\nb\tr\ta\n",
        TripleFormat::Tsv,
        false,
    )
    .unwrap();
    assert_eq!(t.triples.len(), 2);
    assert_eq!(t.duplicates, 1);
}

#[test]
fn csv_quoting_is_understood() {
    let text = "head,relation,tail\n\"a, \"\"b\"\"\",r,c\r\nd,r,\"\"\"\"\n";
    let t = read_triples("in", text, TripleFormat::Csv, true).unwrap();
    assert_eq!(t.entities, ["a, \"b\"", "c", "d", "\""]);
    load(&import_text(&text[19..], TripleFormat::Csv));
}

#[test]
fn csv_quoted_fields_may_span_lines() {
    let text = "\"multi\r\nline\",r,\"x,\ny\"\r\n\nd,r,e";
    let t = read_triples("in", text, TripleFormat::Csv, false).unwrap();
    assert_eq!(t.entities, ["multi\r\nline", "x,\ny", "d", "e"]);
    load(&import_text(text, TripleFormat::Csv));
    // An unclosed quote runs to the end, and is reported where it opens.
    let errors =
        read_triples("in", "a,r,b\n\"c,r,d\ne,r,f\n", TripleFormat::Csv, false).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].position().unwrap(), "in:2:1");
    assert!(errors[0].message.contains("unclosed quote"));
    // Lines are counted through records that span several.
    let errors = read_triples("in", "\"a\nb\",r,c\nbad\n", TripleFormat::Csv, false).unwrap_err();
    assert_eq!(errors[0].position().unwrap(), "in:3:1");
}

#[test]
fn ntriples_terms_are_checked_as_the_grammar_says() {
    for (line, message, column) in [
        ("<a b> <r> <c> .", "a space is not allowed in an IRI", 3),
        ("<a> <r> <c{d> .", "`{` is not allowed in an IRI", 11),
        (
            "<a> <r> \"x\"^^<d e> .",
            "a space is not allowed in an IRI",
            16,
        ),
        ("<a\\u00zz> <r> <c> .", "bad escape `\\u00zz` in an IRI", 3),
        ("<a> <r> \"x\\q\" .", "bad escape `\\q` in a literal", 11),
        ("<a> <r> \"x\"@ .", "expected a language tag", 12),
        ("_: <r> <c> .", "expected a blank node label", 1),
    ] {
        let errors = read_triples("in", line, TripleFormat::Ntriples, false).unwrap_err();
        assert!(
            errors[0].message.starts_with(message),
            "{line}: {:?}",
            errors[0]
        );
        assert_eq!(
            errors[0].position().unwrap(),
            format!("in:1:{column}"),
            "{line}"
        );
    }
    let ok = "_:b.1 <r> \"ok\\n\\u00e9\"@en-GB .\n<a><r><c>.\n";
    let t = read_triples("in", ok, TripleFormat::Ntriples, false).unwrap();
    assert_eq!(t.entities, ["_:b.1", "\"ok\\n\\u00e9\"@en-GB", "a", "c"]);
}

#[test]
fn past_the_cap_malformed_records_are_counted_not_shown() {
    let text = "bad\n".repeat(MAX_ERRORS + 50);
    let errors = read_triples("in", &text, TripleFormat::Tsv, false).unwrap_err();
    assert_eq!(errors.len(), MAX_ERRORS + 1);
    assert_eq!(
        errors[MAX_ERRORS - 1].position().unwrap(),
        format!("in:{MAX_ERRORS}:1")
    );
    assert_eq!(errors[MAX_ERRORS].message, "and 50 more problems not shown");
}

#[test]
fn a_byte_order_mark_is_skipped_in_every_import_format() {
    for (text, format) in [
        ("\u{feff}a\tr\tb\n", TripleFormat::Tsv),
        ("\u{feff}a,r,b\n", TripleFormat::Csv),
        ("\u{feff}<a> <r> <b> .\n", TripleFormat::Ntriples),
    ] {
        let t = read_triples("in", text, format, false).unwrap();
        assert_eq!(t.entities, ["a", "b"], "{format:?}");
    }
    let errors = read_triples("in", "\u{feff}a\tr\n", TripleFormat::Tsv, false).unwrap_err();
    assert_eq!(errors[0].position().unwrap(), "in:1:1");

    let bundled = SourceText::new(crate::bundled::BUNDLED_NAME, crate::bundled::BUNDLED_TEXT);
    let graph = crate::graph::KnowledgeGraph::new(crate::validate::load(&[bundled], &[]).unwrap());
    let sub = crate::export::Subgraph::whole(&graph);
    let mut json = "\u{feff}".as_bytes().to_vec();
    crate::export::json::write(&graph, &sub, &Default::default(), &mut json).unwrap();
    let json = SourceText::new("in.json", String::from_utf8(json).unwrap());
    assert!(crate::export::json::import(&json, "out.ron").is_ok());
}

#[test]
fn ntriples_terms_keep_iris_blank_nodes_and_literals_apart() {
    let text = "# comment\n\
        <http://x/a> <http://x/p> <http://x/b> .\n\
        _:b0 <http://x/p> \"http://x/a\"@en .\n\
        <http://x/a> <http://x/q> \"5\"^^<http://www.w3.org/2001/XMLSchema#int> .\n\
        <http://x/\\u00e9> <http://x/q> _:b0.\n";
    let t = read_triples("in", text, TripleFormat::Ntriples, false).unwrap();
    assert_eq!(
        t.entities,
        [
            "http://x/a",
            "http://x/b",
            "_:b0",
            "\"http://x/a\"@en",
            "\"5\"^^<http://www.w3.org/2001/XMLSchema#int>",
            "http://x/é"
        ]
    );
    assert_eq!(t.relations, ["http://x/p", "http://x/q"]);
    load(&import_text(text, TripleFormat::Ntriples));
}

#[test]
fn malformed_lines_are_all_reported_with_their_position() {
    let errors = read_triples(
        "in.tsv",
        "a\tb\nok\tr\tx\na\tb\tc\td\n",
        TripleFormat::Tsv,
        false,
    )
    .unwrap_err();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].position().unwrap(), "in.tsv:1:1");
    assert_eq!(errors[1].position().unwrap(), "in.tsv:3:7");
    let errors = read_triples("in.nt", "<a> <b> <c>\n", TripleFormat::Ntriples, false).unwrap_err();
    assert!(errors[0].message.contains("`.`"), "{:?}", errors[0]);
}

#[test]
fn civil_dates_are_right() {
    assert_eq!(civil_from_days(0), (1970, 1, 1));
    assert_eq!(civil_from_days(20_089), (2025, 1, 1));
    assert_eq!(civil_from_days(-1), (1969, 12, 31));
    assert!(parse_when(&today()).is_ok());
}

#[test]
fn import_refuses_to_overwrite_and_leaves_no_temporary_file() {
    let dir = std::env::temp_dir().join(format!("factgraph-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.tsv");
    let output = dir.join("out.ron");
    std::fs::write(&input, "a\tr\tb\n").unwrap();
    let options = ImportOptions {
        format: TripleFormat::Tsv,
        kind: Kind::Place,
        published: "2025-01-01".to_string(),
        header: false,
        date_column: None,
    };
    let summary = import_file(&input, &output, &options, false).unwrap();
    assert_eq!(summary.facts, 1);
    assert!(import_file(&input, &output, &options, false).is_err());
    assert!(import_file(&input, &output, &options, true).is_ok());
    // Its own input is never the output, whatever the flags.
    assert!(import_file(&input, &input, &options, true).is_err());
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "a\tr\tb\n");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["in.tsv", "out.ron"], "no temporary file is left");
    let model = load(&std::fs::read_to_string(&output).unwrap());
    assert_eq!(model.entities[0].kind, Kind::Place);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn dated(text: &str, format: TripleFormat, date_column: Option<usize>) -> crate::model::Model {
    let triples = read_dated_triples("in", text, format, false, date_column).unwrap();
    let mut out = Vec::new();
    write_fact_file(&mut out, &triples, "in", Kind::Thing, "2025-01-01").unwrap();
    load(&String::from_utf8(out).unwrap())
}

fn whens(model: &crate::model::Model) -> Vec<Option<String>> {
    let facts = model.facts().iter();
    facts.map(|f| f.when.map(|w| w.to_string())).collect()
}

#[test]
fn a_fourth_column_dates_each_fact_in_any_date_form() {
    let text = "a\tr\tb\t2018-08-29\n\
                a\tr\tb\t2015-5\n\
                a\tr\tb\tlate 2014\n\
                a\tr\tb\t2015..2017-03\n\
                a\tr\tb\t6 August 2017\n\
                a\tr\tc\t\n\
                a\tr\td\n";
    let model = dated(text, TripleFormat::Tsv, None);
    assert_eq!(
        whens(&model),
        [
            Some("2018-08-29"),
            Some("2015-05"),
            Some("late 2014"),
            Some("2015..2017-03"),
            Some("2017-08-06"),
            None,
            None
        ]
        .map(|w| w.map(String::from))
    );
    let csv = "a,r,b,\"2018-09\"\na,r,b,\n";
    assert_eq!(
        whens(&dated(csv, TripleFormat::Csv, None)),
        [Some("2018-09".to_string()), None]
    );
}

#[test]
fn the_same_triple_on_another_day_is_another_fact_on_the_same_day_a_duplicate() {
    let text = "a\tr\tb\t2018-09-01\na\tr\tb\t2018-09-02\na\tr\tb\t2018-9-1\na\tr\tb\n";
    let t = read_dated_triples("in", text, TripleFormat::Tsv, false, None).unwrap();
    assert_eq!(t.triples.len(), 3);
    assert_eq!(t.duplicates, 1);
    assert_eq!(t.dates.len(), 2);
}

#[test]
fn date_column_reads_a_wider_file_and_leaves_the_other_columns() {
    let text = "h,r,t,score,when\na,r,b,0.5,2018-10\nc,r,d,1,\n";
    let t = read_dated_triples("in", text, TripleFormat::Csv, true, Some(5)).unwrap();
    assert_eq!(t.entities, ["a", "b", "c", "d"]);
    assert_eq!(
        whens(&dated(&text[17..], TripleFormat::Csv, Some(5))),
        [Some("2018-10".to_string()), None]
    );
    // Without it, a fifth column is an error that names the option.
    let errors = read_triples("in", text, TripleFormat::Csv, true).unwrap_err();
    assert!(
        errors[0].message.contains("--date-column"),
        "{:?}",
        errors[0]
    );
    assert_eq!(errors[0].position().unwrap(), "in:2:11");
    // A line too short for the date column says which column it wanted.
    let errors =
        read_dated_triples("in", "a,r,b,1\n", TripleFormat::Csv, false, Some(5)).unwrap_err();
    assert!(errors[0].message.contains("column 5"), "{:?}", errors[0]);
}

#[test]
fn a_bad_date_is_reported_where_it_is_with_the_date_grammars_message() {
    let text = "ok\tr\tb\t2018-09-01\nḤims\tr\tb\t2015-13-01\na\tr\tb\tsoon\n";
    let errors = read_triples("in.tsv", text, TripleFormat::Tsv, false).unwrap_err();
    assert_eq!(errors.len(), 2);
    // Columns count characters: `Ḥ` is one.
    assert_eq!(errors[0].position().unwrap(), "in.tsv:2:15");
    assert!(
        errors[0]
            .message
            .starts_with("invalid date `2015-13-01`: month 13"),
        "{:?}",
        errors[0]
    );
    assert_eq!(errors[1].position().unwrap(), "in.tsv:3:7");
    assert!(errors[1].message.contains("expected a date such as"));
    // In CSV, the column is inside the quoted cell.
    let errors =
        read_triples("in.csv", "a,r,b,\"2015-13\"\n", TripleFormat::Csv, false).unwrap_err();
    assert_eq!(errors[0].position().unwrap(), "in.csv:1:13");
}

#[test]
fn ntriples_import_is_not_dated() {
    let text = "<a> <r> <b> .\n<a> <r> \"2018-09-01\" .\n";
    let t = read_dated_triples("in", text, TripleFormat::Ntriples, false, None).unwrap();
    assert_eq!(t.triples.len(), 2);
    assert!(t.dates.is_empty());
    assert_eq!(
        whens(&dated(text, TripleFormat::Ntriples, None)),
        [None, None]
    );
}

#[test]
fn a_date_column_before_the_fourth_is_refused() {
    let dir = std::env::temp_dir().join(format!("factgraph-date-column-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.tsv");
    std::fs::write(&input, "a\tr\tb\n").unwrap();
    let options = ImportOptions {
        format: TripleFormat::Tsv,
        kind: Kind::Thing,
        published: "2025-01-01".to_string(),
        header: false,
        date_column: Some(2),
    };
    let errors = import_file(&input, &dir.join("out.ron"), &options, false).unwrap_err();
    assert!(errors[0].message.contains("fourth"), "{:?}", errors[0]);
    assert!(!dir.join("out.ron").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
