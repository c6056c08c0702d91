//! Where fact files come from: paths the user named, or the article graph bundled in the binary.

use crate::diagnostic::Diagnostic;
use crate::fact_file::SourceText;
use crate::graph::KnowledgeGraph;
use crate::validate::{self, QuoteText};
use std::path::{Path, PathBuf};

/// The article graph, embedded so that `factgraph` works from any directory.
pub const BUNDLED_NAME: &str = "graphs/al-sukhna.ron";
pub const BUNDLED_TEXT: &str = include_str!("../graphs/al-sukhna.ron");

/// What to load: named files, or the bundled graph when none are named.
#[derive(Debug, Clone, Default)]
pub struct GraphSpec {
    pub files: Vec<PathBuf>,
}

impl GraphSpec {
    pub fn new(files: Vec<PathBuf>) -> GraphSpec {
        GraphSpec { files }
    }

    pub fn is_bundled(&self) -> bool {
        self.files.is_empty()
    }

    /// Reads every file; all unreadable files are reported, not just the first.
    pub fn read(&self) -> Result<Vec<SourceText>, Vec<Diagnostic>> {
        if self.is_bundled() {
            return Ok(vec![SourceText::new(BUNDLED_NAME, BUNDLED_TEXT)]);
        }
        let (texts, errors): (Vec<_>, Vec<_>) = self
            .files
            .iter()
            .map(|p| SourceText::read(p))
            .partition(Result::is_ok);
        if errors.is_empty() {
            Ok(texts.into_iter().flatten().collect())
        } else {
            Err(errors.into_iter().filter_map(Result::err).collect())
        }
    }

    /// Reads, validates and indexes.
    pub fn load(&self, quote_texts: &[QuoteText]) -> Result<KnowledgeGraph, Vec<Diagnostic>> {
        let texts = self.read()?;
        let model = validate::load(&texts, quote_texts)?;
        // The text is only needed for diagnostics; freeing it first lowers the peak.
        drop(texts);
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
    let text = SourceText::read(Path::new(path))?;
    Ok(QuoteText {
        source_id: source_id.to_string(),
        text,
    })
}
