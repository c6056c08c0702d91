//! How text answers show the evidence behind their rows: each quote once as a footnote by
//! default, in full, short or not at all on request, and wrapped at word boundaries only when a
//! width (a terminal's) is given.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use factgraph::format::Evidence;
use factgraph::load::GraphSpec;
use factgraph::session::{Input, Outcome, Session};
use unicode_width::UnicodeWidthStr;

fn session() -> Session {
    Session::open(GraphSpec::default()).unwrap()
}

fn answer(session: &mut Session, line: &str) -> String {
    match session.execute(Input::line("test", line)).unwrap() {
        Outcome::Output(text) => text,
        other => panic!("{line}: {other:?}"),
    }
}

/// The number a row line ends with: `... [3]` -> 3.
fn mark(line: &str) -> Option<usize> {
    let open = line.trim_end().strip_suffix(']')?.rfind('[')?;
    line.trim_end()[open + 1..line.trim_end().len() - 1]
        .parse()
        .ok()
}

/// Two ceasefires brokered by Russia cover two areas each: the quote for "Russia brokered" is
/// shared by two rows.
const SHARED: &str = "match Russia brokered ?truce, ?truce covers ?area";

#[test]
fn by_default_each_quote_is_printed_once_and_rows_refer_to_it() {
    let text = answer(&mut session(), SHARED);
    // The one source of the article graph is named once, above its quotes.
    let (rows, notes) = text
        .split_once("Quotes (The National, 2017-08-06):\n")
        .expect(&text);
    let listed: Vec<&str> = notes.lines().collect();
    // Every quote listed once, numbered from 1 in order.
    for (i, line) in listed.iter().enumerate() {
        assert!(
            line.trim_start().starts_with(&format!("[{}] \"", i + 1)),
            "{line}"
        );
        assert!(!line.contains("The National"), "{line}");
    }
    let quotes: Vec<&str> = listed
        .iter()
        .map(|l| l.split('"').nth(1).unwrap())
        .collect();
    for q in &quotes {
        let quoted = format!("\"{q}\"");
        assert_eq!(text.matches(&quoted).count(), 1, "{q:?} repeated:\n{text}");
    }
    // Every row that states a fact refers to a listed quote, and some quote serves several rows.
    let marks: Vec<usize> = rows.lines().filter_map(mark).collect();
    assert!(marks.iter().all(|&m| (1..=listed.len()).contains(&m)));
    let shared = (1..=listed.len()).any(|n| marks.iter().filter(|&&m| m == n).count() > 1);
    assert!(shared, "{text}");
    // Nothing a curator alone needs.
    assert!(!text.contains(".ron:"), "{text}");
}

#[test]
fn full_evidence_shows_every_quote_under_its_row_with_file_and_line() {
    let mut s = session();
    s.evidence = Evidence::Full;
    let text = answer(&mut s, SHARED);
    assert!(!text.contains("Quotes") && mark(&text).is_none(), "{text}");
    let evidence: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with('"'))
        .collect();
    let rows = text.lines().filter(|l| l.contains("->")).count();
    assert_eq!(evidence.len(), rows, "{text}");
    for line in evidence {
        assert!(
            line.contains("(The National, 2017-08-06, graphs/al-sukhna.ron:"),
            "{line}"
        );
    }
}

#[test]
fn short_evidence_is_one_line_cut_to_the_width() {
    let mut s = session();
    s.evidence = Evidence::Short;
    for width in [None, Some(60)] {
        s.width = width;
        let text = answer(&mut s, SHARED);
        let evidence: Vec<&str> = text
            .lines()
            .filter(|l| l.trim_start().starts_with("The National"))
            .collect();
        assert_eq!(
            evidence.len(),
            text.lines().filter(|l| l.contains("->")).count(),
            "{text}"
        );
        assert!(evidence.iter().any(|l| l.ends_with("…\"")), "{text}");
        for line in evidence {
            assert!(line.width() <= width.unwrap_or(80), "{line}");
            assert!(!line.contains(".ron:"), "{line}");
        }
    }
}

#[test]
fn evidence_off_leaves_the_rows_alone() {
    let mut s = session();
    let footnoted = answer(&mut s, SHARED);
    s.evidence = Evidence::Off;
    let text = answer(&mut s, SHARED);
    assert!(!text.contains('"') && !text.contains("Quotes"), "{text}");
    let rows: Vec<&str> = footnoted
        .split("Quotes")
        .next()
        .unwrap()
        .lines()
        .map(|l| l.trim_end().rsplit_once("  [").map_or(l, |(row, _)| row))
        .collect();
    assert_eq!(text.lines().collect::<Vec<_>>(), rows);
}

#[test]
fn a_width_wraps_long_lines_between_words_and_no_width_never_wraps() {
    for evidence in [Evidence::Footnotes, Evidence::Full] {
        let mut s = session();
        s.evidence = evidence;
        let whole = answer(&mut s, "neighbors ISIL");
        assert!(whole.lines().any(|l| l.width() > 100), "{whole}");
        s.width = Some(100);
        let wrapped = answer(&mut s, "neighbors ISIL");
        assert!(wrapped.lines().all(|l| l.width() <= 100), "{wrapped}");
        assert!(wrapped.lines().count() > whole.lines().count());
        // The same words in the same order: no word was broken.
        assert!(
            wrapped.split_whitespace().eq(whole.split_whitespace()),
            "{wrapped}"
        );
        // A continuation starts deeper than the line it continues.
        let indent = |l: &str| l.len() - l.trim_start().len();
        let lines: Vec<&str> = wrapped.lines().collect();
        // (Rows may instead drop padding to fit; evidence and footnotes always wrap.)
        let evidence = |l: &&str| l.trim_start().starts_with(['"', '[']);
        for long in whole.lines().filter(|l| l.width() > 100).filter(evidence) {
            let head: String = long.chars().take(40).collect();
            let at = lines.iter().position(|l| l.starts_with(&head)).unwrap();
            assert!(indent(lines[at + 1]) > indent(long), "{long:?}\n{wrapped}");
        }
    }
}

#[test]
fn json_keeps_ids_where_text_shows_names() {
    let mut s = session();
    let text = answer(&mut s, "why ISIL overran Tadmor");
    assert!(text.contains("The National"), "{text}");
    assert!(!text.contains("national,"), "{text}");
    answer(&mut s, "set format json");
    let json = answer(&mut s, "why ISIL overran Tadmor");
    assert!(json.contains("\"source\": \"national\""), "{json}");
}

#[test]
fn the_command_line_takes_the_layout_as_a_flag() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_factgraph"))
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let why = "why ISIL overran Tadmor";
    assert!(run(&["query", why]).contains("  [1]\n"));
    assert!(!run(&["query", "--evidence", "off", why]).contains('"'));
    let full = run(&["query", "--evidence", "full", why]);
    assert!(full.contains("al-sukhna.ron:"), "{full}");
    // A script starts with the flag's layout and may change it line by line.
    let script = std::env::temp_dir().join(format!("evidence-{}.kgq", std::process::id()));
    std::fs::write(&script, format!("{why}\nset evidence short\n{why}\n")).unwrap();
    let both = run(&["run", "--evidence", "full", script.to_str().unwrap()]);
    std::fs::remove_file(&script).unwrap();
    assert!(
        both.contains(".ron:") && both.contains("The National, 2017-08-06: \""),
        "{both}"
    );
}

#[test]
fn help_fits_the_width_as_answers_do() {
    let mut s = session();
    let whole = answer(&mut s, "help");
    assert!(whole.lines().any(|l| l.width() > 80), "{whole}");
    s.width = Some(80);
    let fitted = answer(&mut s, "help");
    assert!(fitted.lines().all(|l| l.width() <= 80), "{fitted}");
    assert!(fitted.split_whitespace().eq(whole.split_whitespace()));
}

/// Two sources, one of them without quotes (as imported triples are).
const TWO_SOURCES: &str = r#"(
  sources: [
    (id: "one", title: "First", publisher: "Daily One", published: "2020-01-02"),
    (id: "two", title: "Second", publisher: "Weekly Two", published: "2020-02"),
  ],
  relations: [(name: "knows", inverse: "known_by")],
  entities: [
    (id: "ann", name: "Ann", kind: "actor"),
    (id: "bob", name: "Bob", kind: "actor"),
    (id: "cy", name: "Cy", kind: "actor"),
  ],
  facts: [
    (subject: "ann", relation: "knows", object: "bob", source: "one", quote: "Ann knows Bob"),
    (subject: "ann", relation: "knows", object: "cy", source: "two", quote: ""),
  ],
)
"#;

#[test]
fn quotes_from_several_sources_each_name_their_own() {
    let path = std::env::temp_dir().join(format!("two-sources-{}.ron", std::process::id()));
    std::fs::write(&path, TWO_SOURCES).unwrap();
    let mut s = Session::open(GraphSpec::new(vec![path.clone()])).unwrap();
    let text = answer(&mut s, "neighbors Ann");
    std::fs::remove_file(&path).unwrap();
    let notes = text.split_once("Quotes:\n").expect(&text).1;
    assert_eq!(
        notes,
        "  [1] \"Ann knows Bob\" (Daily One, 2020-01-02)\n  [2] Weekly Two, 2020-02 (no quote)\n"
    );
}

#[test]
fn short_evidence_keeps_words_of_the_quote_under_a_deep_row_with_a_long_publisher() {
    // `show` indents evidence 32 columns; the fictional Euphrates Post has a long publisher and a
    // grade, which used to leave room for one letter of the quote.
    let spec = GraphSpec::new(vec![
        "graphs/al-sukhna.ron".into(),
        "tests/fixtures/corpus/still-held/fictional-talbiseh-papers.ron".into(),
    ]);
    let mut s = Session::open(spec).unwrap();
    s.evidence = Evidence::Short;
    for width in [None, Some(60), Some(100)] {
        s.width = width;
        let text = answer(&mut s, "show Talbiseh at 2017-08-16");
        let evidence: Vec<&str> = text.lines().filter(|l| l.ends_with('"')).collect();
        assert!(evidence.len() >= 5, "{text}");
        for line in evidence {
            assert!(line.width() <= width.unwrap_or(80), "{line}");
            let quote = &line[line.find(": \"").unwrap() + 3..line.len() - 1];
            assert!(
                quote.width() >= 12 && quote.contains(' '),
                "a quote cut to {quote:?} in:\n{text}"
            );
        }
        assert!(text.contains("\"Government forces"), "{text}");
    }
}
