//! Statements run end to end (parse, resolve, evaluate, render) on the bundled article graph, as a
//! script: no statement panics, whatever it asks, and answers for programs are well formed (JSON
//! parses, TSV rows have equal widths, exported dot parses). `load` and `reload` are skipped (they
//! read files) and `export` writes to memory instead of a file, in the text formats only (images run
//! Graphviz). Inputs are capped at 256 bytes; traversals are bounded by the evaluator's own work
//! limit, and a statement slower than libFuzzer's `-timeout` is a finding.
#![no_main]

use factgraph::diagnostic::render_all;
use factgraph::export::{self, ExportOptions};
use factgraph::format::{AnswerFormat, ExportFormat};
use factgraph::load::GraphSpec;
use factgraph::query::{parse_statement, SessionCommand, Statement};
use factgraph::continuation::statements;
use factgraph::session::{Input, Outcome, Session};
use factgraph_fuzz::check_dot;
use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;

thread_local! {
    // Loaded once: the session's graph never changes, as `load` and `reload` are skipped.
    static SESSION: RefCell<Session> = match Session::open(GraphSpec::new(vec![])) {
        Ok(session) => RefCell::new(session),
        Err(e) => panic!("the bundled graph does not load: {}", render_all(&e)),
    };
}

fuzz_target!(|text: &str| {
    if text.len() > 256 {
        return;
    }
    SESSION.with_borrow_mut(|session| {
        // Every input starts from a fresh session's settings, so that a finding replays alone.
        session.format = AnswerFormat::Text;
        session.time = Default::default();
        session.timing = false;
        session.pager = false;
        for span in statements(text) {
            // As `Session::execute` does: a continuation becomes spaces of the same length.
            let line = text[span.clone()]
                .replace("\\\r\n", "   ")
                .replace("\\\n", "  ");
            let is_query = match parse_statement(&line) {
                Ok(Statement::Command(SessionCommand::Load(_) | SessionCommand::Reload)) => {
                    continue
                }
                Ok(Statement::Command(SessionCommand::Export { format, query, .. })) => {
                    export_to_memory(session, format.name(), query.map(|q| q.to_string()));
                    continue;
                }
                Ok(Statement::Query(_)) => true,
                _ => false,
            };
            let input = Input {
                name: "fuzz",
                text,
                span,
                lines_before: Some(0),
            };
            match session.execute(input) {
                Ok(Outcome::Output(output)) if is_query => check_answer(session.format, &output),
                Ok(_) => {}
                Err(errors) => {
                    assert!(!errors.is_empty());
                    let _ = render_all(&errors);
                }
            }
        }
    });
});

/// Answers for programs are what they claim to be: JSON parses, and TSV rows have equal widths.
fn check_answer(format: AnswerFormat, output: &str) {
    match format {
        AnswerFormat::Json => {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(output) {
                panic!("json answer does not parse: {e}\n{output}");
            }
        }
        AnswerFormat::Jsonl => {
            for line in output.lines() {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(line) {
                    panic!("jsonl line does not parse: {e}\n{line}");
                }
            }
        }
        AnswerFormat::Tsv => {
            let widths: Vec<usize> = output.lines().map(|l| l.split('\t').count()).collect();
            assert!(
                widths.windows(2).all(|w| w[0] == w[1]),
                "ragged tsv:\n{output}"
            );
        }
        _ => {}
    }
}

/// `export FORMAT FILE [QUERY]`, written to memory and checked where a parser is at hand.
fn export_to_memory(session: &mut Session, format: &str, query: Option<String>) {
    let Some(format) = ExportFormat::from_name(format) else {
        return;
    };
    if format.is_image() || format == ExportFormat::Csv {
        return;
    }
    let sub = match &query {
        Some(query) => match session.subgraph_of(&Input::line("fuzz", query)) {
            Ok((sub, _)) => sub,
            Err(errors) => {
                let _ = render_all(&errors);
                return;
            }
        },
        None => export::Subgraph::whole(session.graph()),
    };
    let mut out = Vec::new();
    // Every entity drawn (no summary), so the dot has one node per entity and one edge per fact.
    let options = ExportOptions {
        max_entities: 0,
        ..ExportOptions::default()
    };
    if let Err(e) = export::write_text(session.graph(), &sub, format, &options, &mut out) {
        panic!(
            "{format} export failed: {}",
            render_all(&e.to_diagnostics())
        );
    }
    let text = String::from_utf8_lossy(&out);
    match format {
        ExportFormat::Dot => {
            let written = sub.normalized(session.graph());
            let expected = (written.entities.len(), written.facts.len());
            assert_eq!(
                check_dot(&text),
                expected,
                "one node per entity, one edge per fact"
            );
        }
        ExportFormat::Json => {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                panic!("json export does not parse: {e}");
            }
        }
        _ => {}
    }
}
