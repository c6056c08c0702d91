//! Bad query lines beside the exact message, caret column (in characters) and help they produce.

use super::*;

/// (column, width, message, label, help) of the diagnostic for `line`.
fn error(line: &str) -> (usize, usize, String, Option<String>, Option<String>) {
    let e = match parse_statement(line) {
        Ok(s) => panic!("{line:?} parsed as {s:?}"),
        Err(e) => e,
    };
    let d = e.to_diagnostic("q", line);
    let loc = d
        .location
        .clone()
        .unwrap_or_else(|| panic!("no location: {d}"));
    (
        loc.column,
        loc.width,
        d.message,
        d.label,
        d.help.first().cloned(),
    )
}

fn check(line: &str, column: usize, message: &str) -> Option<String> {
    let (col, _, msg, _, help) = error(line);
    assert_eq!((col, msg.as_str()), (column, message), "{line:?}");
    help
}

#[test]
fn misspelled_command_suggests_the_command() {
    let help = check("neighbrs ISIL", 1, "unknown command `neighbrs`");
    assert_eq!(help.as_deref(), Some("did you mean `neighbors`?"));
    let (_, width, _, label, _) = error("neighbrs ISIL");
    assert_eq!((width, label.as_deref()), (8, Some("expected a command")));
    let help = check("\"Homs\"", 1, "unknown command `\"Homs\"`");
    assert!(help.is_some_and(|h| h.starts_with("a line starts with one of: neighbors")));
}

#[test]
fn misspelled_to_inside_a_bare_name_is_found() {
    let help = check(
        "path ISIL too Homs",
        11,
        "expected `to` after the first entity of `path`",
    );
    assert_eq!(
        help.as_deref(),
        Some("did you mean `to`? (`too` was read as part of the name `ISIL too Homs`)")
    );
    check(
        "path ISIL",
        10,
        "expected `to` after the first entity of `path`",
    );
    check(
        "path Ḥims, Homs",
        10,
        "expected `to` after the first entity of `path`, found `,`",
    );
}

#[test]
fn huge_numbers_are_errors_at_the_number() {
    check(
        "neighbors X depth 99999999999",
        19,
        "`depth` can be at most 1000",
    );
    check(
        "neighbors X depth 999999999999999999999999999",
        19,
        "`depth` can be at most 1000",
    );
    check("neighbors X depth 0", 19, "`depth` must be at least 1");
    check(
        "path a to b limit 1000001",
        19,
        "`limit` can be at most 1000000",
    );
    check(
        "path a to b shortest 0",
        22,
        "`shortest` must be at least 1",
    );
    let (_, _, _, label, _) = error("path a to b max 1001");
    assert_eq!(label.as_deref(), Some("expected a number from 1 to 1000"));
    check(
        "neighbors X depth two",
        19,
        "expected a number after `depth`, found `two`",
    );
    check(
        "neighbors X depth -1",
        19,
        "expected a number after `depth`, found `-1`",
    );
    check(
        "path a to b min 4 max 3",
        23,
        "`max` (3) is less than `min` (4)",
    );
}

#[test]
fn memory_limits_need_a_unit_and_a_sane_size() {
    let help = check(
        "set limit memory 512",
        18,
        "expected a size such as 512MB after `set limit memory`, found `512`",
    );
    assert_eq!(
        help.as_deref(),
        Some("write a number and a unit: KB, MB, GB or TB")
    );
    for line in [
        "set limit memory 100KB",
        "set limit memory 2TB",
        "set limit memory 0MB",
        "set limit memory 99999999999999999999999GB",
    ] {
        check(line, 18, "the memory limit must be a size from 1MB to 1TB");
    }
    check("set limit", 10, "expected `memory` after `set limit`");
    check(
        "set limit memory 5 MB",
        18,
        "expected a size such as 512MB after `set limit memory`, found `5`",
    );
}

#[test]
fn unbalanced_quotes_and_bad_escapes_point_at_the_quote() {
    check("show \"Al Sukhna", 6, "this quote is never closed");
    check("show \"Ḥims\" at \"2016", 16, "this quote is never closed");
    check(
        r#"show "Ho\ms""#,
        9,
        r"unknown escape `\m` in a quoted name",
    );
    check("show \"\"", 6, "an entity name cannot be empty");
}

#[test]
fn control_characters_are_refused_where_they_are() {
    check(
        "show Ḥo\u{1}ms",
        8,
        "control character U+0001 is not allowed in a query",
    );
    check(
        "show a\nshow b",
        7,
        "control character U+000A is not allowed in a query",
    );
}

#[test]
fn bad_dates_point_inside_the_date() {
    check(
        "show Ḥims at 2017-02-30",
        22,
        "day 30 does not exist in February 2017 (28 days)",
    );
    check(
        "timeline from 2015..2016",
        15,
        "expected a single date here, not a range",
    );
    check("show Homs at", 13, "expected a date after `at`");
    let (col, width, msg, _, _) = error("stats at sometime soon");
    assert_eq!((col, width), (10, 8));
    assert!(
        msg.starts_with("expected a date such as `2017-08-13`"),
        "{msg}"
    );
}

#[test]
fn a_word_after_a_whole_date_is_out_of_place_not_a_bad_date() {
    let line = "timeline from 2017-01 to 2017-12 via captured";
    let help = check(
        line,
        34,
        "expected `from`, `to`, `limit`, `offset`, `at`, `during`, `reported` or end of query, found `via`",
    );
    assert_eq!(
        help.as_deref(),
        Some("`via` is not an option of `timeline`; `help timeline` shows what it takes")
    );
    check(
        "timeline from 6 August 2017 soon",
        29,
        "expected `from`, `to`, `limit`, `offset`, `at`, `during`, `reported` or end of query, found `soon`",
    );
    // `at DATE` ends every query, so an option of the command after it only needs moving.
    let help = check(
        "neighbours Ḥims at 2017 via near",
        25,
        "expected `during`, `reported` or end of query, found `via`",
    );
    assert_eq!(
        help.as_deref(),
        Some(
            "`at`, `during` and `reported` end a query: put `via` and what follows it before them"
        )
    );
    check(
        "stats at 2016 during 2015 At 2017",
        27,
        "`at` is written twice",
    );
    // A date that is wrong from its first word is still a date error.
    let (col, _, msg, _, _) = error("show Homs at 6 Agust 2017");
    assert_eq!(col, 14);
    assert!(msg.starts_with("expected a date such as"), "{msg}");
}

#[test]
fn missing_or_unexpected_pieces_list_what_was_expected() {
    check("show", 5, "expected an entity name after `show`");
    check(
        "stats extra",
        7,
        "expected `at`, `during`, `reported` or end of query, found `extra`",
    );
    let (col, _, msg, label, help) = error("neighbors X in out");
    assert_eq!((col, msg.as_str()), (16, "a direction is given twice"));
    assert_eq!(label, None);
    assert!(help.is_some());
    check(
        "neighbors X depth 2, 3",
        20,
        "expected `in`, `out`, `both`, `via`, `depth`, `kind`, `limit`, `offset`, `at`, `during`, \
         `reported` or end of query, found `,`",
    );
    check(
        "path a to b all shortest 2",
        17,
        "`shortest` conflicts with an earlier `all` or `shortest`",
    );
    check(
        "export dot",
        11,
        "expected a file name after the format of `export`",
    );
    check(
        "export dot out.dot set pager on",
        20,
        "expected `force`, `focus`, `neighbors`, `neighbours`, `path`, `match`, `why`, `show`, \
         `timeline`, `entities`, `relations`, `sources`, `stats`, `search`, `changes`, `conflicts` or end of query \
         after the file of `export`, found `set`",
    );
    check(
        "export out.dot focus",
        21,
        "expected an entity name after `focus`",
    );
    check(
        "export out.dot focus Homs via located_in",
        27,
        "expected `depth` or end of query after the entity of `focus`, found `via`",
    );
    let help = check(
        "set format jsn",
        12,
        "expected `text`, `json`, `jsonl`, `tsv`, `csv` or `markdown` after `set format`, found `jsn`",
    );
    assert_eq!(help.as_deref(), Some("did you mean `json`?"));
    let help = check(
        "timing of",
        8,
        "expected `on` or `off` after `timing`, found `of`",
    );
    assert_eq!(help.as_deref(), Some("did you mean `on` or `off`?"));
}

#[test]
fn keywords_variables_and_carets_in_the_wrong_place() {
    let help = check(
        "path to b",
        6,
        "expected an entity name after `path`, found keyword `to`",
    );
    assert_eq!(
        help.as_deref(),
        Some("to use `to` as a name, quote it: \"to\"")
    );
    check(
        "show ?x",
        6,
        "variables such as `?x` can only stand in `match` patterns",
    );
    check(
        "neighbors ^Homs",
        11,
        "`^` marks an inverse relation and cannot start an entity name",
    );
    check("match ?1x r ?y", 7, "`?1x` is not a variable name");
    check("why a ^ b", 7, "expected a relation name after `^`");
    check(
        "neighbors X via",
        16,
        "expected a relation name after `via`",
    );
}

#[test]
fn multi_word_names_in_one_word_positions_get_a_quoting_hint() {
    let line = "match ?x besieges دير الزور";
    let (col, _, msg, _, help) = error(line);
    assert_eq!(col, 23, "columns count characters, not bytes");
    assert_eq!(
        msg,
        "expected `as`, `,`, `where`, `group`, `select`, `count`, `order`, `limit`, `offset`, `at`, \
         `during`, `reported` or end of query, found `الزور`"
    );
    assert_eq!(
        help.as_deref(),
        Some("names in `match` patterns are one word unless quoted: \"دير الزور\"")
    );
    check(
        "why دير الزور",
        14,
        "expected an entity name after the relation of `why`",
    );
}

#[test]
fn shifted_errors_point_into_a_whole_script() {
    let script = "show Homs\npath Ḥims\n";
    let start = script.find("path").unwrap_or(0);
    let line = &script[start..script.len() - 1];
    let Err(e) = parse_statement(line) else {
        panic!("{line:?} parsed")
    };
    let e = e.shifted(start);
    let d = e.to_diagnostic("s.kgq", script);
    assert_eq!(d.position().as_deref(), Some("s.kgq:2:10"));
    assert!(
        d.to_string()
            .contains("2 | path Ḥims\n  |          ^ expected `to`"),
        "{d}"
    );
}
