//! Every form of the language parses to the expected tree and prints back; spans land in characters.

use super::*;
use crate::date::{DatePoint, Part, When};
use crate::diagnostic::Location;

fn statement(line: &str) -> Statement {
    match parse_statement(line) {
        Ok(s) => s,
        Err(e) => panic!("{line:?} failed:\n{}", e.to_diagnostic("q", line)),
    }
}

fn query(line: &str) -> Query {
    match statement(line) {
        Statement::Query(q) => q,
        other => panic!("{line:?} is not a query: {other:?}"),
    }
}

fn command(line: &str) -> SessionCommand {
    match statement(line) {
        Statement::Command(c) => c,
        other => panic!("{line:?} is not a command: {other:?}"),
    }
}

/// Parses, checks the canonical text, and checks that the canonical text parses to the same tree.
fn canonical(line: &str, printed: &str) -> Statement {
    let parsed = statement(line);
    assert_eq!(parsed.to_string(), printed, "printing {line:?}");
    assert_eq!(
        statement(printed).without_spans(),
        parsed.without_spans(),
        "re-parsing {printed:?}"
    );
    parsed
}

fn bare(text: &str, span: std::ops::Range<usize>) -> EntityRef {
    EntityRef {
        text: text.to_string(),
        quoted: false,
        span,
    }
}

fn column(line: &str, span: std::ops::Range<usize>) -> (usize, usize) {
    let loc = Location::from_span("q", line, span);
    (loc.column, loc.width)
}

#[test]
fn neighbors_with_every_option_in_any_order() {
    let q = query("NEIGHBOURS Al Sukhna kind actor DEPTH 3 out via besieges, ^part_of");
    let Command::Neighbors {
        entity,
        direction,
        via,
        depth,
        kind,
        ..
    } = q.command
    else {
        panic!("{q:?}")
    };
    assert_eq!(entity, bare("Al Sukhna", 11..20));
    assert_eq!(direction, Direction::Out);
    assert_eq!(via.len(), 2);
    assert!(!via[0].inverse && via[1].inverse);
    assert_eq!(
        (via[1].name.as_str(), via[1].span.clone()),
        ("part_of", 58..66)
    );
    assert_eq!(depth.map(|d| d.node), Some(3));
    assert_eq!(kind.map(|k| k.node), Some("actor".to_string()));
    canonical(
        "neighbours Al Sukhna kind actor depth 3 out via besieges, ^part_of",
        "neighbors Al Sukhna out via besieges, ^part_of depth 3 kind actor",
    );
}

#[test]
fn neighbors_defaults() {
    let q = query("neighbors Homs");
    assert_eq!(
        q.command,
        Command::Neighbors {
            entity: bare("Homs", 10..14),
            direction: Direction::Both,
            via: vec![],
            depth: None,
            kind: None,
            page: Page::default(),
        }
    );
    canonical("neighbors Homs both", "neighbors Homs");
    canonical("neighbors Homs in depth 1", "neighbors Homs in depth 1");
}

#[test]
fn path_with_multi_word_names_and_options() {
    let q = query("path Al Sukhna to Deir Ezzor directed via besieges avoid Palmyra, Al Bab min 2 max 5 shortest 3 limit 10 at 2016");
    let Command::Path(PathQuery {
        from,
        to,
        directed,
        via,
        avoid,
        min,
        max,
        mode,
        limit,
        ..
    }) = q.command
    else {
        panic!()
    };
    assert_eq!(from, bare("Al Sukhna", 5..14));
    assert_eq!(to, bare("Deir Ezzor", 18..28));
    assert!(directed);
    assert_eq!(via[0].name, "besieges");
    assert_eq!(
        avoid.iter().map(|e| e.text.as_str()).collect::<Vec<_>>(),
        ["Palmyra", "Al Bab"]
    );
    assert_eq!(
        (min.map(|n| n.node), max.map(|n| n.node)),
        (Some(2), Some(5))
    );
    assert_eq!(mode.shortest_k(), Some(3));
    assert_eq!(limit.map(|n| n.node), Some(10));
    assert_eq!(
        q.at.map(|a| a.node),
        Some(When::At(DatePoint::Year { year: 2016 }))
    );
    canonical(
        "path  a  b TO c d all LIMIT 2",
        "path a b to c d all limit 2",
    );
    canonical("path a to b shortest", "path a to b");
    assert_eq!(PathMode::All.shortest_k(), None);
}

#[test]
fn match_patterns_with_variables_and_inverse_relations() {
    let q = query("match ?a besieges ?b, ?b ^located_in Homs, \"Al Bab\" ?r ?c");
    let Command::Match { patterns, .. } = q.command else {
        panic!()
    };
    assert_eq!(patterns.len(), 3);
    assert_eq!(
        patterns[0].subject,
        Term::Var(Spanned::new("a".into(), 6..8))
    );
    let RelTerm::Rel(r) = &patterns[1].relation else {
        panic!()
    };
    assert!(r.inverse && r.name == "located_in");
    assert_eq!(patterns[1].object, Term::Entity(bare("Homs", 37..41)));
    let Term::Entity(quoted) = &patterns[2].subject else {
        panic!()
    };
    assert!(quoted.quoted && quoted.text == "Al Bab" && quoted.span == (43..51));
    assert_eq!(
        patterns[2].relation,
        RelTerm::Var(Spanned::new("r".into(), 52..54))
    );
    canonical(
        "match ?a besieges ?b,?b ^located_in Homs at since 2015",
        "match ?a besieges ?b, ?b ^located_in Homs at since 2015",
    );
}

#[test]
fn why_takes_a_one_word_subject_and_a_multi_word_object() {
    let q = query("why ISIL besieges Deir Ezzor at 2015..2017-03");
    assert_eq!(
        q.command,
        Command::Why {
            subject: bare("ISIL", 4..8),
            relation: RelRef {
                name: "besieges".into(),
                inverse: false,
                span: 9..17
            },
            object: bare("Deir Ezzor", 18..28),
        }
    );
    canonical(
        "why \"Al Sukhna\" ^part_of Homs Governorate",
        "why \"Al Sukhna\" ^part_of Homs Governorate",
    );
}

#[test]
fn show_non_ascii_names_with_character_columns() {
    let line = "show Dayr az-Zawr at late 2014";
    let q = query(line);
    assert_eq!(
        q.command,
        Command::Show {
            entity: bare("Dayr az-Zawr", 5..17)
        }
    );
    let line = "show Ḥims";
    let Command::Show { entity } = query(line).command else {
        panic!()
    };
    assert_eq!(
        (entity.text.as_str(), column(line, entity.span)),
        ("Ḥims", (6, 4))
    );
    let line = "show دير الزور at 2016";
    let q = query(line);
    let Command::Show { entity } = &q.command else {
        panic!()
    };
    assert_eq!(entity.text, "دير الزور");
    assert_eq!(column(line, entity.span.clone()), (6, 9));
    let at = q.at.as_ref().map(|a| a.span.clone()).unwrap_or_default();
    assert_eq!(column(line, at), (19, 4));
    canonical(line, line);
}

#[test]
fn quoted_names_with_escapes_comments_and_keywords() {
    let q = query(r#"show "to \"the\" \\ end" # a comment"#);
    let Command::Show { entity } = q.command else {
        panic!()
    };
    assert_eq!(entity.text, r#"to "the" \ end"#);
    assert!(entity.quoted);
    assert_eq!(entity.span, 5..24);
    canonical("show \"a # b\"", "show \"a # b\"");
    canonical("show stats", "show stats");
    canonical("show \"Homs\"", "show \"Homs\"");
}

#[test]
fn timeline_entities_and_bare_queries() {
    let q = query("timeline ISIL from late 2014 to 2016-03");
    assert_eq!(
        q.command,
        Command::Timeline {
            entity: Some(bare("ISIL", 9..13)),
            from: Some(Spanned::new(
                DatePoint::Part {
                    year: 2014,
                    part: Part::Late
                },
                19..28
            )),
            to: Some(Spanned::new(
                DatePoint::Month {
                    year: 2016,
                    month: 3
                },
                32..39
            )),
            page: Page::default(),
        }
    );
    canonical("timeline", "timeline");
    canonical(
        "timeline ISIL limit 3 offset 1",
        "timeline ISIL limit 3 offset 1",
    );
    canonical(
        "neighbors Deir Ezzor limit 5",
        "neighbors Deir Ezzor limit 5",
    );
    canonical("timeline to 2015 from 2014", "timeline from 2014 to 2015");
    canonical("timeline Al Bab at 2016", "timeline Al Bab at 2016");
    canonical(
        "entities matching \"al \" kind place",
        "entities kind place matching \"al \"",
    );
    canonical("entities matching Al Sukhna", "entities matching Al Sukhna");
    canonical("relations", "relations");
    canonical("Sources at 2016-05-01", "sources at 2016-05-01");
    canonical("stats # how big", "stats");
}

#[test]
fn session_commands() {
    assert_eq!(command("help"), SessionCommand::Help(None));
    assert_eq!(
        command("help set  format"),
        SessionCommand::Help(Some("set format".into()))
    );
    assert_eq!(
        command("load \"my facts.ron\""),
        SessionCommand::Load(Spanned::new("my facts.ron".into(), 5..19))
    );
    assert_eq!(command("reload"), SessionCommand::Reload);
    assert_eq!(command("quit"), SessionCommand::Quit);
    assert_eq!(command("EXIT"), SessionCommand::Quit);
    assert_eq!(
        command("set format JSONL"),
        SessionCommand::SetFormat(AnswerFormat::Jsonl)
    );
    assert_eq!(command("set at none"), SessionCommand::SetAt(None));
    assert_eq!(
        command("set at early 2017"),
        SessionCommand::SetAt(Some(Spanned::new(
            When::At(DatePoint::Part {
                year: 2017,
                part: Part::Early
            }),
            7..17
        )))
    );
    assert_eq!(command("set pager off"), SessionCommand::SetPager(false));
    assert_eq!(
        command("set evidence SHORT"),
        SessionCommand::SetEvidence(Evidence::Short)
    );
    assert_eq!(
        command("SET LIMIT MEMORY 64mb"),
        SessionCommand::SetMemoryLimit(64 << 20)
    );
    canonical("set limit memory 1536kb", "set limit memory 1536KB");
    canonical("set limit memory 2048MB", "set limit memory 2GB");
    assert_eq!(command("timing on"), SessionCommand::Timing(true));
    let SessionCommand::Export {
        format,
        file,
        force: false,
        query,
        focus: None,
    } = command("export graphml graphs/out.graphml neighbors Homs depth 2")
    else {
        panic!()
    };
    assert_eq!(format, ExportFormat::Graphml);
    assert_eq!(file.node, "graphs/out.graphml");
    let Some(Command::Neighbors { entity, .. }) = query.map(|q| q.command) else {
        panic!()
    };
    assert_eq!(
        entity.span,
        44..48,
        "spans of an exported query count from the line start"
    );
    for line in [
        "help",
        "load facts/syria.ron",
        "set format markdown",
        "set at 2015..2016",
        "set limit memory 512MB",
        "export pdf \"a b.pdf\"",
        "export dot x.dot path a to b",
        "export dot x.dot force",
        "export svg force force show a",
        "export svg ego.svg focus \"Al Sukhna\" depth 2",
        "export png ego.png force focus \"Homs in winter\"",
        "timing off",
    ] {
        canonical(line, line);
    }
    // The format comes from the file's name and prints back explicitly; focus takes a bare name
    // as `neighbors` does.
    canonical(
        "export ego.svg focus Al Sukhna depth 2",
        "export svg ego.svg focus Al Sukhna depth 2",
    );
    let SessionCommand::Export {
        format: ExportFormat::Png,
        focus: Some(focus),
        query: None,
        ..
    } = command("export z.PNG focus Homs")
    else {
        panic!()
    };
    assert_eq!((focus.entity.text.as_str(), focus.depth), ("Homs", None));
}

#[test]
fn blank_lines_and_comments_are_empty() {
    for line in ["", "   ", "\t# just a note", "# \"unclosed", "\n"] {
        assert_eq!(statement(line), Statement::Empty, "{line:?}");
    }
    assert!(parse_statement("show Homs\r\n").is_ok());
}

#[test]
fn completion_offers_the_keywords_valid_at_the_cursor() {
    assert!(keywords_after("").contains(&"neighbors"));
    assert_eq!(keywords_after("nei"), vec!["neighbors", "neighbours"]);
    assert_eq!(keywords_after("path Al Sukhna "), vec!["to"]);
    assert_eq!(
        keywords_after("path Homs to Bab d"),
        vec!["directed", "during"]
    );
    assert_eq!(keywords_after("set format j"), vec!["json", "jsonl"]);
    assert_eq!(keywords_after("set ev"), vec!["evidence"]);
    assert_eq!(
        keywords_after("set evidence "),
        vec!["footnotes", "full", "short", "context", "off"]
    );
    assert_eq!(keywords_after("show "), Vec::<&str>::new());
    assert_eq!(keywords_after("show \"Al "), Vec::<&str>::new());
    assert_eq!(keywords_after("neighbors Homs depth 2 k"), vec!["kind"]);
}

#[test]
fn keywords_only_end_names_where_they_are_valid() {
    let Command::Path(PathQuery { from, to, .. }) = query("path x to a to b").command else {
        panic!()
    };
    assert_eq!((from.text.as_str(), to.text.as_str()), ("x", "a to b"));
    canonical("path x to a to b", "path x to a to b");
    canonical("show to", "show to");
    canonical(
        "neighbors Bab al from depth 2",
        "neighbors Bab al from depth 2",
    );
    canonical("why at in \"at\"", "why at in \"at\"");
    canonical("show \"Homs at night\"", "show \"Homs at night\"");
    assert!(needs_quotes("Homs at night", Slot::LAST));
    assert!(!needs_quotes("Homs from night", Slot::NEIGHBORS));
    assert!(!needs_quotes("a ?b", Slot::LAST) && needs_quotes("?b", Slot::LAST));
    assert!(needs_quotes("a b", Slot::OneWord) && !needs_quotes("at", Slot::OneWord));
}

#[test]
fn completion_learns_the_slot_from_the_parser() {
    let has = |head: &str, e: Expected| expected_after(head).contains(&e);
    assert!(has("neighbors ", Expected::Entity));
    assert!(has("path Homs to ", Expected::Entity));
    assert!(has("neighbors Homs via ", Expected::Relation));
    assert!(has("neighbors Homs via besieges, ", Expected::Relation));
    assert!(has("match ?x ", Expected::Relation));
    assert!(has("match ", Expected::Entity));
    assert!(has("entities kind ", Expected::Kind));
    assert!(has("load ", Expected::File));
    assert!(has("export dot ", Expected::File));
    assert!(has("export ", Expected::File) && has("export ", Expected::Keyword("png")));
    assert!(has("export ego.svg ", Expected::Keyword("focus")));
    assert!(has("export ego.svg focus ", Expected::Entity));
    assert!(has(
        "export ego.svg focus Homs ",
        Expected::Keyword("depth")
    ));
    assert!(has("", Expected::Keyword("neighbors")));
    assert!(!has("neighbors Homs ", Expected::Entity));
}

#[test]
fn long_text_is_clipped_to_its_head_and_tail_on_character_boundaries() {
    assert_eq!(clipped("Homs"), "Homs");
    let exact = "a".repeat(60);
    assert_eq!(clipped(&exact), exact);
    let long = format!("{}{}", "Ḥ".repeat(50), "z".repeat(50));
    assert_eq!(
        clipped(&long),
        format!("{}…{}", "Ḥ".repeat(40), "z".repeat(16))
    );
    assert_eq!(clipped(&"x".repeat(50 << 20)).chars().count(), 57);
}

#[test]
fn quoted_relation_names_stand_wherever_a_relation_does() {
    let q = query("match ?a \"Make statement\" ?b, ?b ^\"Host a visit\" ?c");
    let Command::Match { patterns, .. } = q.command else {
        panic!()
    };
    let RelTerm::Rel(r) = &patterns[0].relation else {
        panic!()
    };
    assert_eq!(
        (r.name.as_str(), r.inverse, r.span.clone()),
        ("Make statement", false, 9..25)
    );
    let RelTerm::Rel(r) = &patterns[1].relation else {
        panic!()
    };
    assert_eq!(
        (r.name.as_str(), r.inverse, r.span.clone()),
        ("Host a visit", true, 33..48)
    );
    for (line, printed) in [
        (
            "match ?a \"Make statement\" ?b count",
            "match ?a \"Make statement\" ?b count",
        ),
        (
            "neighbors Kim via \"Make statement\",^\"Host a visit\", besieges",
            "neighbors Kim via \"Make statement\", ^\"Host a visit\", besieges",
        ),
        (
            "path \"North Korea\" to China via \"Make statement\"",
            "path \"North Korea\" to China via \"Make statement\"",
        ),
        (
            "why \"Kim Jong-Un\" \"Make statement\" South Korea",
            "why \"Kim Jong-Un\" \"Make statement\" South Korea",
        ),
        // A quoted name that needs no quotes prints bare; it is the same relation.
        ("match ?a \"besieges\" ?b", "match ?a besieges ?b"),
        (
            "who did Kim \"Make statement\"",
            "who did Kim \"Make statement\"",
        ),
        (
            "who did Kim ^\"Make statement\"",
            "who did Kim ^\"Make statement\"",
        ),
    ] {
        canonical(line, printed);
    }
}

#[test]
fn a_quoted_relation_name_must_name_something() {
    let e = parse_statement("match ?a \"\" ?b").unwrap_err();
    assert_eq!(e.message, "a relation name cannot be empty");
    assert_eq!(e.span, 9..11);
    // `^` and its quote are one name only when they touch.
    let e = parse_statement("match ?a ^ \"Make statement\" ?b").unwrap_err();
    assert_eq!(e.message, "expected a relation name after `^`");
}

#[test]
fn count_may_follow_the_time_clauses_and_prints_before_them() {
    let q = query("match ?a ?r ?b during 2018-09 count");
    assert_eq!(q.to_string(), "match ?a ?r ?b count during 2018-09");
    assert_eq!(query(&q.to_string()).without_spans(), q.without_spans());
}

#[test]
fn a_no_break_space_splits_a_relation_path_as_a_space_does() {
    // Pasted text often carries U+00A0; the lexer splits at it, so the path reader must too, or
    // the printed query (with a plain space) reads differently from what was typed.
    let typed = canonical(
        "match ?a l\u{a0}|located_in Homs",
        "match ?a l|located_in Homs",
    );
    let plain = statement("match ?a l |located_in Homs");
    assert_eq!(typed.without_spans(), plain.without_spans());
}
