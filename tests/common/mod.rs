//! Helpers shared by integration tests.

use factgraph::graph::KnowledgeGraph;
use factgraph::load::GraphSpec;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The crate's root, which holds tests/ and graphs/.
#[allow(dead_code)]
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// tests/fixtures/small.ron: every kind, a located_in chain, and names that need escaping.
#[allow(dead_code)]
pub fn small_graph() -> KnowledgeGraph {
    GraphSpec::new(vec![root().join("tests/fixtures/small.ron")])
        .load(&[])
        .unwrap()
}

/// The bundled article graph.
#[allow(dead_code)]
pub fn article_graph() -> KnowledgeGraph {
    GraphSpec::default().load(&[]).unwrap()
}

/// Compares `actual` with tests/golden/NAME byte for byte; `BLESS=1` rewrites the file instead.
#[allow(dead_code)]
pub fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("BLESS").is_some() {
        fs::create_dir_all(root().join("tests/golden")).unwrap();
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} differs (BLESS=1 rewrites it); got:\n{actual}",
        path.display()
    );
}

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

/// Runs the factgraph binary from the crate's root, without colour.
#[allow(dead_code)]
pub fn factgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Runs the factgraph binary in `dir`, without colour, with `stdin` on its standard input (the
/// shell reads a pipe as a script).
#[allow(dead_code)]
pub fn factgraph_in(dir: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}
