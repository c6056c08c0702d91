//! Helpers shared by integration tests.

use std::fs;
use std::path::Path;

/// The query that never finds a row on [`endless_query_graph`]: a 7-cycle.
#[allow(dead_code)] // Not every test file that includes this module uses every helper.
pub const ENDLESS_QUERY: &str =
    "match ?a links ?b, ?b links ?c, ?c links ?d, ?d links ?e, ?e links ?f, ?f links ?g, ?g links ?a";

/// A bipartite graph (edges only between even and odd entities) has no cycle of odd length, so
/// matching a 7-cycle finds nothing after an astronomically long search: a query that only
/// Ctrl-C ends, whatever the build profile. (`path ... all` is capped by a work limit and may
/// finish in under a second in a release build.)
#[allow(dead_code)]
pub fn endless_query_graph(path: &Path) {
    let entities = 400u64;
    let mut text = String::from(
        "(\n  sources: [(id: \"gen\", title: \"generated\", publisher: \"test\", published: \"2020\")],\n  relations: [(name: \"links\", inverse: \"linked_from\")],\n  entities: [\n",
    );
    for i in 0..entities {
        text.push_str(&format!(
            "    (id: \"e{i}\", name: \"e{i}\", kind: \"place\"),\n"
        ));
    }
    text.push_str("  ],\n  facts: [\n");
    let mut seen = std::collections::HashSet::new();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    while seen.len() < 8000 {
        // xorshift: deterministic, no dependency.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let (a, b) = (state % entities, (state >> 32) % entities);
        if (a + b) % 2 == 1 && seen.insert((a, b)) {
            text.push_str(&format!(
                "    (subject: \"e{a}\", relation: \"links\", object: \"e{b}\", source: \"gen\", quote: \"q\"),\n"
            ));
        }
    }
    text.push_str("  ],\n)\n");
    fs::write(path, text).unwrap();
}
