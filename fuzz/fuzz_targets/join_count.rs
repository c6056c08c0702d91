//! `match ... count` on the bundled graph, against the same match listed: a count never panics,
//! stops at the memory limit only with a note, and where neither answer was cut short the count
//! (which multiplies groups of patterns that share no variable) equals the rows the list found by
//! walking the whole join. The input is the text after `match`; at most four patterns and 200
//! bytes, so that every walk ends well within libFuzzer's `-timeout`.
#![no_main]

use factgraph::diagnostic::render_all;
use factgraph::load::GraphSpec;
use factgraph::query::answer::Answer;
use factgraph::query::{parse_statement, Command, Query, Statement};
use factgraph::session::{Input, Session};
use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;

thread_local! {
    static SESSION: RefCell<Session> = match Session::open(GraphSpec::new(vec![])) {
        Ok(session) => RefCell::new(session),
        Err(e) => panic!("the bundled graph does not load: {}", render_all(&e)),
    };
}

/// A megabyte: the smallest limit, which the larger joins of the bundled graph reach.
const SMALL: u64 = 1 << 20;

fuzz_target!(|text: &str| {
    if text.len() > 200 {
        return;
    }
    let Ok(Statement::Query(query)) = parse_statement(&format!("match {text}")) else {
        return;
    };
    let Command::Match { patterns, .. } = &query.command else {
        return;
    };
    if patterns.len() > 4 {
        return;
    }
    SESSION.with_borrow_mut(|session| {
        let listed = answer(session, &with_count(&query, false), 512 << 20);
        let counted = answer(session, &with_count(&query, true), 512 << 20);
        let small = answer(session, &with_count(&query, true), SMALL);
        let (Some(listed), Some(counted), Some(small)) = (listed, counted, small) else {
            return;
        };
        let Answer::Match {
            rows,
            truncated: list_note,
            ..
        } = listed
        else {
            panic!("a match listed as {listed:?}")
        };
        let (count, note) = count_of(counted);
        let (small_count, small_note) = count_of(small);
        if list_note.is_none() && note.is_none() {
            assert_eq!(rows.len(), count, "{query}: rows listed and counted differ");
        }
        match small_note {
            None => {
                assert_eq!(
                    small_count, count,
                    "{query}: the limit changed an uncut count"
                )
            }
            Some(note) => assert!(
                note.contains("memory limit of 1MB") || note.contains("more than a count can hold"),
                "{query}: {note}"
            ),
        }
    });
});

fn with_count(query: &Query, count: bool) -> Query {
    let mut query = query.clone();
    if let Command::Match { count: c, .. } = &mut query.command {
        *c = count;
    }
    query
}

/// The answer under a memory limit, or `None` for a name the graph does not know.
fn answer(session: &mut Session, query: &Query, memory: u64) -> Option<Answer> {
    session.memory_limit = memory;
    let text = query.to_string();
    let result = session.answer(query, &Input::line("fuzz", &text));
    match result {
        Ok((answer, _)) => Some(answer),
        Err(errors) => {
            assert!(!errors.is_empty());
            None
        }
    }
}

fn count_of(answer: Answer) -> (usize, Option<String>) {
    match answer {
        Answer::Count {
            count, truncated, ..
        } => (count, truncated),
        other => panic!("a count answered {other:?}"),
    }
}
