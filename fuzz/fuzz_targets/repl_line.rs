//! A line as the shell reads it, on the bundled graph: deciding whether Enter continues it,
//! painting it (which parses and resolves it on every keystroke), completing at the cursor and
//! joining continuation lines never panic; painting only adds colour, completions start at or
//! before the cursor on a character boundary, and joining keeps every byte offset. The input is
//! the text typed so far (newlines separate continuation lines).
#![no_main]

use factgraph::diagnostic::render_all;
use factgraph::load::GraphSpec;
use factgraph::repl::type_line;
use factgraph::session::Session;
use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    static SESSION: Rc<RefCell<Session>> = match Session::open(GraphSpec::new(vec![])) {
        Ok(session) => Rc::new(RefCell::new(session)),
        Err(e) => panic!("the bundled graph does not load: {}", render_all(&e)),
    };
}

fuzz_target!(|line: &str| {
    if line.len() > 4096 {
        return;
    }
    // The cursor at the end, where typing happens, and somewhere inside (the editor's cursor is
    // always on a character boundary).
    let mut inside = line.len() * 7 / 13;
    while !line.is_char_boundary(inside) {
        inside -= 1;
    }
    SESSION.with(|session| {
        for pos in [line.len(), inside] {
            let typed = type_line(session, line, pos);
            // Typed escapes would read as the painter's own; only text without them is compared.
            if !line.contains('\x1b') {
                assert_eq!(
                    strip_colours(&typed.painted),
                    line,
                    "painting changed the text"
                );
            }
            assert!(
                typed.completion_start <= pos && line.is_char_boundary(typed.completion_start),
                "completion starts at {} with the cursor at {pos}",
                typed.completion_start
            );
            assert_eq!(
                typed.entered.len(),
                line.len(),
                "joining moved byte offsets"
            );
        }
    });
});

/// The text without the `ESC [ ... m` sequences the painter adds.
fn strip_colours(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            for e in chars.by_ref() {
                if e == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
