//! The fact file loader, RON text to validated model: any text loads or fails with diagnostics that
//! render; what loads builds a graph whose dot export parses. A NUL byte (never valid RON) splits the
//! input into a second file, loaded beside the first, and then a text for quotes citing `national`.
#![no_main]

use factgraph::diagnostic::render_all;
use factgraph::export::{dot, ExportOptions, Subgraph};
use factgraph::fact_file::SourceText;
use factgraph::graph::KnowledgeGraph;
use factgraph::validate::{load, QuoteText};
use factgraph_fuzz::check_dot;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut parts = text.splitn(3, '\0');
    let mut files = vec![SourceText::new("a.ron", parts.next().unwrap_or(""))];
    if let Some(second) = parts.next() {
        files.push(SourceText::new("b.ron", second));
    }
    let quotes: Vec<QuoteText> = parts
        .next()
        .map(|article| QuoteText {
            source_id: "national".to_string(),
            text: SourceText::new("article.txt", article),
        })
        .into_iter()
        .collect();
    match load(&files, &quotes) {
        Ok(model) => {
            let graph = KnowledgeGraph::new(model);
            let whole = Subgraph::whole(&graph);
            for cluster in [false, true] {
                let mut out = Vec::new();
                let options = ExportOptions {
                    cluster,
                    ..ExportOptions::default()
                };
                if let Err(e) = dot::write(&graph, &whole, &options, &mut out) {
                    panic!("dot export failed: {e}");
                }
                let dot = String::from_utf8_lossy(&out);
                let (nodes, edges) = check_dot(&dot);
                assert_eq!(nodes, graph.model.entities.len());
                assert_eq!(edges, graph.model.facts.len());
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            let _ = render_all(&errors);
        }
    }
});
