//! The fact file loader, RON text to validated model: any text loads or fails with diagnostics that
//! render; what loads builds a graph whose dot export parses, and goes out as JSON and back in by
//! `import` (RON written by factgraph) to the same records. A NUL byte (never valid RON) splits the
//! input into a second file, loaded beside the first, and then a text for quotes citing `national`.
#![no_main]

use factgraph::diagnostic::render_all;
use factgraph::export::{dot, json, ExportOptions, Subgraph};
use factgraph::fact_file::SourceText;
use factgraph::graph::KnowledgeGraph;
use factgraph::export::records::Records;
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
                assert_eq!(edges, graph.model.facts().len());
            }
            let records = Records::of(&graph, &whole);
            let mut out = Vec::new();
            if let Err(e) = json::write(&graph, &whole, &ExportOptions::default(), &mut out) {
                panic!("json export failed: {e}");
            }
            let exported = SourceText::new("out.json", String::from_utf8_lossy(&out));
            let ron = match json::import(&exported, "back.ron") {
                Ok(ron) => ron,
                Err(e) => panic!(
                    "json export does not import: {}",
                    render_all(&e.to_diagnostics())
                ),
            };
            let back = match load(&[SourceText::new("back.ron", ron.as_str())], &[]) {
                Ok(model) => KnowledgeGraph::new(model),
                Err(e) => panic!("imported RON does not load: {}\n{ron}", render_all(&e)),
            };
            assert_eq!(
                Records::of(&back, &Subgraph::whole(&back)),
                records,
                "{ron}"
            );
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            let _ = render_all(&errors);
        }
    }
});
