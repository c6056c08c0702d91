//! Any text given to the query parser parses or fails with an error that points inside it; keyword
//! completion (which runs the parser on a prefix) never panics either.
#![no_main]

use factgraph::query::{keywords_after, parse_statement};
use factgraph_fuzz::check_parse_error;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &str| {
    if let Err(e) = parse_statement(line) {
        check_parse_error(line, &e);
    }
    let _ = keywords_after(line);
});
