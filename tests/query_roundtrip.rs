//! Property tests of the query parser: printed trees parse back to themselves, and no input panics.

use factgraph::date::{days_in_month, DatePoint, Part, When};
use factgraph::query::{
    literal_needs_quotes, AggFunc, Aggregate, Block, BlockKind, CmpOp, Cond, DateOp, GroupBy,
    MatchClauses, Operand, OrderExpr, OrderKey, Page, Prop, TextOp,
};
use factgraph::query::{
    needs_quotes, parse_statement, AnswerFormat, Asks, ClearSpans, Command, Direction, EntityRef,
    Evidence, ExportFormat, Focus, PathMode, PathQuery, Pattern, Quantifier, Query, Question,
    RelPath, RelRef, RelTerm, SearchField, SearchQuery, SessionCommand, Shape, Slot, Spanned,
    Statement, Term, KEYWORDS, MAX_MEMORY_LIMIT, MIN_MEMORY_LIMIT,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;

const UNICODE_WORDS: &[&str] = &[
    "Ḥims",
    "دير",
    "الزور",
    "Dayr",
    "az-Zawr",
    "Alep",
    "Ракка",
    "東京",
    "Qaryatayn",
    "e\u{301}",
];

fn no_span<T>(node: T) -> Spanned<T> {
    Spanned::new(node, 0..0)
}

/// A word that a keyword-aware printer has to think about: plain, unicode, or a keyword in any case.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9_.'-]{0,7}",
        select(UNICODE_WORDS).prop_map(str::to_string),
        (select(KEYWORDS), any::<bool>()).prop_map(|(k, upper)| if upper {
            k.to_uppercase()
        } else {
            k.to_string()
        }),
        "[0-9]{1,4}",
    ]
}

/// Names: one or more words, or text full of quotes, backslashes, commas, `#`, `?`, `^` and odd spaces.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => vec(word(), 1..4).prop_map(|w| w.join(" ")),
        1 => "[a-zḤ \"\\\\,#?^\t\u{a0}]{1,10}",
    ]
}

fn entity(slot: Slot) -> impl Strategy<Value = EntityRef> {
    (name(), any::<bool>()).prop_map(move |(text, quoted)| EntityRef {
        quoted: quoted || needs_quotes(&text, slot),
        text,
        span: 0..0,
    })
}

fn relation() -> impl Strategy<Value = RelRef> {
    let name = prop_oneof![
        "[a-z_][a-z0-9_]{0,9}",
        select(&["يحاصر", "belagert_ä", "part^of", "to", "at", "in"][..]).prop_map(str::to_string),
        // Imported relation names, which only parse back quoted.
        select(
            &[
                "Make statement",
                "Arrest, detain, or charge with legal action",
                "^Make statement",
                "?r",
                "say \"no\"",
                "#1",
                "a|b",
                "x+",
                "(y){2}",
            ][..]
        )
        .prop_map(str::to_string),
        "[a-zḤ \"\\\\,#?^\t\u{a0}]{1,10}",
    ];
    (name, any::<bool>()).prop_map(|(name, inverse)| RelRef {
        name,
        inverse,
        span: 0..0,
    })
}

fn var() -> impl Strategy<Value = Spanned<String>> {
    "[A-Za-z_][A-Za-z0-9_]{0,5}".prop_map(no_span)
}

fn number(max: u32) -> impl Strategy<Value = Spanned<u32>> {
    (1..=max).prop_map(no_span)
}

fn point() -> impl Strategy<Value = DatePoint> {
    (1900..2100i32, 1..=12u8, 1..=31u8, 0..6u8).prop_map(|(year, month, day, shape)| match shape {
        0 => DatePoint::Year { year },
        1 => DatePoint::Month { year, month },
        2 => DatePoint::Part {
            year,
            part: [Part::Early, Part::Mid, Part::Late][usize::from(month % 3)],
        },
        _ => DatePoint::Day {
            year,
            month,
            day: day.min(days_in_month(year, month)),
        },
    })
}

fn when() -> impl Strategy<Value = When> {
    (point(), point(), 0..4u8).prop_map(|(a, b, shape)| match shape {
        0 => When::At(a),
        1 => When::Since(a),
        2 => When::Until(a),
        _ if b.last_day() < a.first_day() => When::Range { from: b, to: a },
        _ => When::Range { from: a, to: b },
    })
}

fn kind() -> impl Strategy<Value = Spanned<String>> {
    prop_oneof!["[a-z]{1,8}", select(KEYWORDS).prop_map(str::to_string)].prop_map(no_span)
}

fn term() -> impl Strategy<Value = Term> {
    prop_oneof![
        var().prop_map(Term::Var),
        entity(Slot::OneWord).prop_map(Term::Entity)
    ]
}

fn quantifier() -> impl Strategy<Value = Spanned<Quantifier>> {
    prop_oneof![
        Just(Quantifier::Plus),
        Just(Quantifier::Star),
        (0..5u32, option::of(0..6u32)).prop_map(|(min, max)| Quantifier::Range {
            min,
            max: max.map(|m| m.max(min).max(1)),
        }),
    ]
    .prop_map(no_span)
}

/// The one tree the parser builds for a path: alternatives never directly inside alternatives,
/// `^` of a single relation folded into it.
fn canonical(path: RelPath) -> RelPath {
    match path {
        RelPath::Alt(items) => RelPath::Alt(
            items
                .into_iter()
                .map(canonical)
                .flat_map(|i| match i {
                    RelPath::Alt(inner) => inner,
                    other => vec![other],
                })
                .collect(),
        ),
        RelPath::Inverse(inner, span) => match canonical(*inner) {
            RelPath::Rel(mut r) => {
                r.inverse = !r.inverse;
                RelPath::Rel(r)
            }
            other => RelPath::Inverse(Box::new(other), span),
        },
        RelPath::Repeat { path, quantifier } => RelPath::Repeat {
            path: Box::new(canonical(*path)),
            quantifier,
        },
        rel @ RelPath::Rel(_) => rel,
    }
}

fn rel_path() -> impl Strategy<Value = RelPath> {
    relation()
        .prop_map(RelPath::Rel)
        .prop_recursive(3, 10, 3, |inner| {
            prop_oneof![
                vec(inner.clone(), 2..4).prop_map(RelPath::Alt),
                (inner.clone(), quantifier()).prop_map(|(path, quantifier)| RelPath::Repeat {
                    path: Box::new(path),
                    quantifier,
                }),
                inner.prop_map(|p| RelPath::Inverse(Box::new(p), 0..0)),
            ]
        })
        .prop_map(canonical)
}

fn pattern() -> impl Strategy<Value = Pattern> {
    let rel = prop_oneof![
        var().prop_map(RelTerm::Var),
        relation().prop_map(RelTerm::Rel),
        rel_path().prop_map(|p| match p {
            RelPath::Rel(r) => RelTerm::Rel(r),
            path => RelTerm::Path(path),
        }),
    ];
    (term(), rel, term(), option::of(var())).prop_map(|(subject, relation, object, fact)| Pattern {
        subject,
        relation,
        object,
        fact,
    })
}

fn prop() -> impl Strategy<Value = Prop> {
    prop_oneof![
        select(
            Prop::NAMES
                .iter()
                .filter(|n| **n != "attr")
                .copied()
                .collect::<Vec<_>>()
        )
        .prop_map(|n| Prop::from_name(n).unwrap_or(Prop::When)),
        name().prop_map(Prop::Attr),
    ]
}

fn var_or_prop() -> impl Strategy<Value = Operand> {
    prop_oneof![
        var().prop_map(Operand::Var),
        (var(), prop()).prop_map(|(var, prop)| Operand::Prop {
            var,
            prop: no_span(prop)
        }),
    ]
}

fn operand() -> impl Strategy<Value = Operand> {
    let literal = (name(), any::<bool>()).prop_map(|(text, quoted)| {
        Operand::Literal(EntityRef {
            quoted: quoted || literal_needs_quotes(&text),
            text,
            span: 0..0,
        })
    });
    prop_oneof![var_or_prop(), literal]
}

fn comparison() -> impl Strategy<Value = Cond> {
    let op = select(CmpOp::SYMBOLS.iter().map(|(_, op)| *op).collect::<Vec<_>>());
    let date_op = select(vec![DateOp::During, DateOp::Before, DateOp::After]);
    let text_op = select(vec![TextOp::Contains, TextOp::Matches]);
    prop_oneof![
        (var_or_prop(), op, operand()).prop_map(|(left, op, right)| Cond::Compare {
            left,
            op: no_span(op),
            right
        }),
        (var_or_prop(), vec(operand(), 1..3)).prop_map(|(left, items)| Cond::In { left, items }),
        (var_or_prop(), text_op, name()).prop_map(|(left, op, text)| Cond::Text {
            left,
            op: no_span(op),
            text: no_span(text)
        }),
        (var_or_prop(), any::<bool>(), date_op, when()).prop_map(|(left, certainly, op, when)| {
            Cond::Date {
                left,
                certainly,
                op: no_span(op),
                when: no_span(when),
            }
        }),
    ]
}

fn condition() -> impl Strategy<Value = Cond> {
    comparison().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 2..4).prop_map(Cond::And),
            vec(inner.clone(), 2..4).prop_map(Cond::Or),
            inner.prop_map(|c| Cond::Not(Box::new(c))),
        ]
    })
}

fn block() -> impl Strategy<Value = Block> {
    (any::<bool>(), vec(pattern(), 1..3), option::of(condition())).prop_map(
        |(negated, patterns, filter)| Block {
            kind: if negated {
                BlockKind::Not
            } else {
                BlockKind::Optional
            },
            patterns: patterns
                .into_iter()
                .map(|mut p| {
                    // Names in blocks meet the brackets of the clauses: quote those that hold one.
                    for t in [&mut p.subject, &mut p.object] {
                        if let Term::Entity(e) = t {
                            e.quoted |= literal_needs_quotes(&e.text);
                        }
                    }
                    p
                })
                .collect(),
            filter,
            span: 0..0,
        },
    )
}

fn aggregate() -> impl Strategy<Value = Aggregate> {
    let func = prop_oneof![
        Just(AggFunc::Count),
        var_or_prop().prop_map(AggFunc::CountDistinct),
        var_or_prop().prop_map(AggFunc::Min),
        var_or_prop().prop_map(AggFunc::Max),
        var_or_prop().prop_map(AggFunc::Sample),
    ];
    (func, var()).prop_map(|(func, name)| Aggregate {
        func,
        name,
        span: 0..0,
    })
}

fn clauses() -> impl Strategy<Value = MatchClauses> {
    let group = (vec(var_or_prop(), 1..3), vec(aggregate(), 0..3))
        .prop_map(|(keys, aggregates)| GroupBy { keys, aggregates });
    let key = (
        prop_oneof![
            var_or_prop().prop_map(OrderExpr::Operand),
            Just(OrderExpr::Count(0..0))
        ],
        any::<bool>(),
    )
        .prop_map(|(expr, descending)| OrderKey { expr, descending });
    (
        vec(block(), 0..2),
        option::of(condition()),
        option::of(group),
        vec(key, 0..3),
        option::of(number(1_000_000)),
        option::of((0..=1_000_000u32).prop_map(no_span)),
    )
        .prop_map(
            |(blocks, filter, group, order, limit, offset)| MatchClauses {
                blocks,
                filter,
                group,
                order,
                limit,
                offset,
            },
        )
}

fn neighbors() -> BoxedStrategy<Command> {
    let direction = select(&[Direction::In, Direction::Out, Direction::Both][..]);
    (
        entity(Slot::NEIGHBORS),
        direction,
        vec(relation(), 0..3),
        option::of(number(1000)),
        option::of(kind()),
    )
        .prop_map(|(entity, direction, via, depth, kind)| Command::Neighbors {
            entity,
            direction,
            via,
            depth,
            kind,
            page: Page::default(),
        })
        .boxed()
}

fn path() -> BoxedStrategy<Command> {
    let mode = prop_oneof![
        Just(PathMode::All),
        option::of(number(1_000_000)).prop_map(PathMode::Shortest)
    ];
    let ends = (
        entity(Slot::PATH_FROM),
        entity(Slot::PATH_TO),
        any::<bool>(),
    );
    let filters = (vec(relation(), 0..3), vec(entity(Slot::AVOID), 0..3));
    let constraints = (vec(relation(), 0..3), vec(kind(), 0..3), any::<bool>());
    let hops = (option::of(number(1000)), option::of(number(1000)));
    (
        ends,
        filters,
        constraints,
        hops,
        mode,
        option::of(number(1_000_000)),
    )
        .prop_map(
            |(
                (from, to, directed),
                (via, avoid),
                (avoid_via, avoid_kinds, chronological),
                (min, max),
                mode,
                limit,
            )| {
                let (min, max) = match (min, max) {
                    (Some(a), Some(b)) if a.node > b.node => (Some(b), Some(a)),
                    other => other,
                };
                Command::Path(PathQuery {
                    from,
                    to,
                    directed,
                    via,
                    avoid,
                    avoid_via,
                    avoid_kinds,
                    chronological,
                    min,
                    max,
                    mode,
                    limit,
                })
            },
        )
        .boxed()
}

fn command() -> BoxedStrategy<Command> {
    prop_oneof![
        neighbors(),
        path(),
        (
            vec(pattern(), 1..4),
            vec(var(), 0..3),
            any::<bool>(),
            clauses()
        )
            .prop_map(|(patterns, select, count, clauses)| Command::Match {
                patterns,
                select,
                count,
                clauses: Box::new(clauses),
            }),
        (entity(Slot::OneWord), relation(), entity(Slot::LAST)).prop_map(
            |(subject, relation, object)| {
                Command::Why {
                    subject,
                    relation,
                    object,
                }
            }
        ),
        entity(Slot::LAST).prop_map(|entity| Command::Show { entity }),
        (
            option::of(entity(Slot::TIMELINE)),
            option::of(point()),
            option::of(point())
        )
            .prop_map(|(entity, mut from, mut to)| {
                // A range that ends before it starts does not parse.
                if let (Some(f), Some(t)) = (from, to) {
                    if f.first_day() > t.last_day() {
                        (from, to) = (to, from);
                    }
                }
                Command::Timeline {
                    entity,
                    from: from.map(no_span),
                    to: to.map(no_span),
                    page: Page::default(),
                }
            }),
        (option::of(kind()), option::of(name())).prop_map(|(kind, matching)| Command::Entities {
            kind,
            matching: matching.map(no_span),
        }),
        option::of(entity(Slot::LAST)).prop_map(|entity| Command::Changes {
            entity,
            word: Default::default(),
        }),
        option::of(entity(Slot::LAST)).prop_map(|entity| Command::Conflicts { entity }),
        Just(Command::Relations),
        Just(Command::Sources),
        Just(Command::Stats),
        search(),
    ]
    .boxed()
}

/// `search`: any text with a word in it (quotes, keywords and odd spaces included), any options.
fn search() -> impl Strategy<Value = Command> {
    let text = name().prop_filter("search needs a word", |t| {
        t.chars().any(char::is_alphanumeric)
    });
    (
        text,
        option::of(select(&SearchField::ALL[..])),
        option::of(entity(Slot::MENTIONING)),
        option::of(number(1_000_000)),
    )
        .prop_map(|(text, field, mentioning, limit)| {
            Command::Search(SearchQuery {
                text: no_span(text),
                field: field.map(no_span),
                mentioning,
                limit,
            })
        })
}

fn query() -> BoxedStrategy<Query> {
    (
        command(),
        option::of(when()),
        option::of(when()),
        option::of(when()),
    )
        .prop_map(|(command, at, during, reported)| Query {
            command,
            at: at.map(no_span),
            during: during.map(no_span),
            reported: reported.map(no_span),
        })
        .boxed()
}

/// Memory limits as the grammar takes them: whole kilobytes, from a megabyte to a terabyte, often
/// round in a larger unit.
fn memory_limit() -> impl Strategy<Value = u64> {
    let kilobytes = MIN_MEMORY_LIMIT >> 10..=MAX_MEMORY_LIMIT >> 10;
    prop_oneof![
        kilobytes.prop_map(|kb| kb << 10),
        (1u64..=1024).prop_map(|mb| mb << 20),
        (1u64..=1024).prop_map(|gb| gb << 30),
    ]
}

fn session_command() -> BoxedStrategy<SessionCommand> {
    prop_oneof![
        option::of("[a-z]{1,6}( [a-z]{1,6}){0,2}").prop_map(SessionCommand::Help),
        name().prop_map(|f| SessionCommand::Load(no_span(f))),
        Just(SessionCommand::Reload),
        Just(SessionCommand::Quit),
        select(&AnswerFormat::ALL[..]).prop_map(SessionCommand::SetFormat),
        option::of(when()).prop_map(|at| SessionCommand::SetAt(at.map(no_span))),
        any::<bool>().prop_map(SessionCommand::SetPager),
        select(&Evidence::ALL[..]).prop_map(SessionCommand::SetEvidence),
        memory_limit().prop_map(SessionCommand::SetMemoryLimit),
        any::<bool>().prop_map(SessionCommand::Timing),
        (
            select(&ExportFormat::ALL[..]),
            name(),
            any::<bool>(),
            prop_oneof![
                option::of(query()).prop_map(|query| (query, None)),
                (entity(Slot::NEIGHBORS), option::of(1..=1000u32)).prop_map(|(entity, depth)| (
                    None,
                    Some(Focus {
                        entity,
                        depth: depth.map(no_span)
                    })
                )),
            ]
        )
            .prop_map(
                |(format, file, force, (query, focus))| SessionCommand::Export {
                    format,
                    file: no_span(file),
                    force,
                    query,
                    focus,
                }
            ),
    ]
    .boxed()
}

/// A relation a question can ask about: not a word that reads as part of the question's shape
/// (`who is ...`, `who did ...`), nor `at`, which ends `what did ENTITY REL` as a time slice.
fn asked_relation() -> impl Strategy<Value = RelRef> {
    const SHAPE_WORDS: &[&str] = &["did", "does", "do", "is", "are", "was", "were", "at"];
    relation().prop_filter("a word of the question's shape", |r| {
        r.inverse || !SHAPE_WORDS.iter().any(|w| r.name.eq_ignore_ascii_case(w))
    })
}

fn question() -> BoxedStrategy<Question> {
    let who = select(&[Asks::Who, Asks::What][..]);
    let shape = prop_oneof![
        (who.clone(), asked_relation(), entity(Slot::LAST))
            .prop_map(|(asks, relation, object)| { (asks, Shape::Subject { relation, object }) }),
        (who, entity(Slot::LAST), asked_relation())
            .prop_map(|(asks, subject, relation)| { (asks, Shape::Object { subject, relation }) }),
        (entity(Slot::OneWord), relation(), entity(Slot::LAST)).prop_map(
            |(subject, relation, object)| {
                let shape = Shape::When {
                    subject,
                    relation,
                    object,
                };
                (Asks::When, shape)
            }
        ),
        (
            select(&[Asks::Who, Asks::What, Asks::Where][..]),
            entity(Slot::LAST)
        )
            .prop_map(|(asks, entity)| (asks, Shape::Is { entity })),
    ];
    (shape, option::of(when()))
        .prop_map(|((asks, shape), at)| Question {
            asks: no_span(asks),
            shape,
            at: at.map(no_span),
        })
        .boxed()
}

fn statement() -> BoxedStrategy<Statement> {
    prop_oneof![
        3 => query().prop_map(Statement::Query),
        1 => session_command().prop_map(Statement::Command),
        1 => question().prop_map(Statement::Question),
    ]
    .boxed()
}

/// Lines made of the language's own pieces reach deeper into the grammar than random text does.
fn query_like_line() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        select(factgraph::query::COMMANDS).prop_map(str::to_string),
        select(KEYWORDS).prop_map(str::to_string),
        word(),
        select(
            &[
                ",",
                "\"",
                "\\",
                "#",
                "?x",
                "^r",
                "2016-02",
                "late",
                "2014",
                "..",
                "99999999999",
                "none",
                "on",
                "limit",
                "memory",
                "512MB",
                "1tb",
                "dot",
                "json",
                "evidence",
                "short",
                "who",
                "what",
                "did",
                "is",
                "search",
                "quotes",
                "names",
                "notes",
                "mentioning",
            ][..]
        )
        .prop_map(str::to_string),
    ];
    vec(piece, 0..12).prop_map(|p| p.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn printed_statements_parse_back_to_themselves(s in statement()) {
        let text = s.to_string();
        match parse_statement(&text) {
            Ok(parsed) => prop_assert_eq!(parsed.without_spans(), s.without_spans(), "{}", text),
            Err(e) => prop_assert!(false, "{text:?} does not parse: {}", e.to_diagnostic("q", &text)),
        }
    }

    #[test]
    fn any_line_parses_or_fails_cleanly(line in prop_oneof![any::<String>(), query_like_line()]) {
        match parse_statement(&line) {
            Ok(parsed) => {
                // What parses prints back as text that parses to the same tree.
                let text = parsed.to_string();
                match parse_statement(&text) {
                    Ok(again) => prop_assert_eq!(again.without_spans(), parsed.without_spans()),
                    Err(e) => prop_assert!(false, "{line:?} printed as {text:?}: {e}"),
                }
            }
            Err(e) => {
                prop_assert!(e.span.start <= e.span.end && e.span.end <= line.len());
                prop_assert!(line.is_char_boundary(e.span.start) && line.is_char_boundary(e.span.end));
                prop_assert!(!e.message.is_empty());
                let _ = e.to_diagnostic("q", &line).to_string();
            }
        }
    }
}

/// A bare relation word that path syntax cuts short (`octed_)n`) is an error asking for quotes: read
/// as one relation, it would have printed quoted, and `"octed_)n" |sv` reads as a path.
#[test]
fn a_relation_word_cut_short_by_path_syntax_must_be_quoted() {
    let line = "match ?_in octed_)n |sv]]";
    let e = parse_statement(line).expect_err("a bare `)` inside a relation is not a relation");
    assert_eq!(&line[e.span.clone()], ")n");
    let quoted = r#"match ?_in "octed_)n" "|sv]]""#;
    let parsed = parse_statement(quoted).expect("quoted, both parse");
    let again = parse_statement(&parsed.to_string()).expect("and print back");
    assert_eq!(again.without_spans(), parsed.without_spans());
}
