//! Any query that parses prints back as text that parses to the same tree (spans aside), and
//! printing that tree again gives the same text.
#![no_main]

use factgraph::query::{parse_statement, ClearSpans};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &str| {
    let Ok(parsed) = parse_statement(line) else {
        return;
    };
    let printed = parsed.to_string();
    let again = match parse_statement(&printed) {
        Ok(again) => again,
        Err(e) => panic!("{line:?} printed as {printed:?}, which does not parse: {e}"),
    };
    assert_eq!(
        again.without_spans(),
        parsed.without_spans(),
        "{line:?} printed as {printed:?}"
    );
    assert_eq!(
        again.to_string(),
        printed,
        "printing is not stable for {line:?}"
    );
});
