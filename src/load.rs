//! Where fact files come from: paths the user named, or the article graph bundled in the binary.

use crate::diagnostic::Diagnostic;
use crate::fact_file::{FileKind, SourceText};
use crate::graph::KnowledgeGraph;
use crate::validate::{self, QuoteText};
use std::path::{Path, PathBuf};

/// The article graph, embedded so that `factgraph` works from any directory.
pub const BUNDLED_NAME: &str = "graphs/al-sukhna.ron";
pub const BUNDLED_TEXT: &str = include_str!("../graphs/al-sukhna.ron");

/// What to load: named files, and the bundled graph when no file was named at the start.
#[derive(Debug, Clone, Default)]
pub struct GraphSpec {
    pub files: Vec<PathBuf>,
    /// Whether the bundled article graph is part of the graph (a REPL started on it may `load`
    /// more files beside it).
    pub bundled: bool,
}

impl GraphSpec {
    pub fn new(files: Vec<PathBuf>) -> GraphSpec {
        let bundled = files.is_empty();
        GraphSpec { files, bundled }
    }

    /// Reads every file; all unreadable files are reported, not just the first.
    pub fn read(&self) -> Result<Vec<SourceText>, Vec<Diagnostic>> {
        let mut texts = Vec::with_capacity(self.files.len() + 1);
        if self.bundled {
            texts.push(SourceText::new(BUNDLED_NAME, BUNDLED_TEXT));
        }
        let mut errors = Vec::new();
        for path in &self.files {
            match SourceText::read(path) {
                Ok(text) => texts.push(text),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(texts)
        } else {
            Err(errors)
        }
    }

    /// Reads, validates and indexes.
    pub fn load(&self, quote_texts: &[QuoteText]) -> Result<KnowledgeGraph, Vec<Diagnostic>> {
        let texts = self.read()?;
        let model = validate::load(&texts, quote_texts)?;
        Ok(KnowledgeGraph::new(model))
    }
}

/// Parses `SOURCE_ID=PATH` for `check --text` and reads the text.
pub fn quote_text(spec: &str) -> Result<QuoteText, Diagnostic> {
    let Some((source_id, path)) = spec.split_once('=') else {
        return Err(
            Diagnostic::error(format!("`--text {spec}` needs the form SOURCE_ID=PATH"))
                .help("for example --text national=article.txt"),
        );
    };
    let text = SourceText::read_kind(Path::new(path), FileKind::Text)?;
    Ok(QuoteText {
        source_id: source_id.to_string(),
        text,
    })
}
