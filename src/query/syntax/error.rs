//! Why a query line did not parse: where, what was expected there, and a likely fix.

use crate::diagnostic::{Diagnostic, Location};
use std::fmt;
use std::ops::Range;

/// A syntax error in one query line. `span` is a byte range of that line; an empty span at the end
/// of the line means the line stopped too early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub span: Range<usize>,
    /// The headline, e.g. "expected `to` after the first entity of `path`".
    pub message: String,
    /// What would have been accepted at `span`, each already formatted ("`to`", "an entity name").
    pub expected: Vec<String>,
    /// A likely fix: "did you mean `neighbors`?" or how to quote a name.
    pub suggestion: Option<String>,
}

impl ParseError {
    pub fn new(span: Range<usize>, message: impl Into<String>) -> ParseError {
        ParseError {
            span,
            message: message.into(),
            expected: Vec::new(),
            suggestion: None,
        }
    }

    pub(crate) fn expecting(mut self, what: impl Into<String>) -> ParseError {
        self.expected.push(what.into());
        self
    }

    pub(crate) fn suggest(mut self, suggestion: Option<String>) -> ParseError {
        self.suggestion = suggestion;
        self
    }

    /// The same error for a line that starts `by` bytes into a larger text (a script).
    pub fn shifted(mut self, by: usize) -> ParseError {
        self.span = self.span.start + by..self.span.end + by;
        self
    }

    /// "expected `a`, `b` or end of query", or `None` when nothing in particular was expected.
    pub fn expected_text(&self) -> Option<String> {
        let (last, init) = self.expected.split_last()?;
        Some(if init.is_empty() {
            format!("expected {last}")
        } else {
            format!("expected {} or {last}", init.join(", "))
        })
    }

    /// A diagnostic pointing into `text`, which holds the line at the offset of `span`
    /// (the line itself, or the whole script after [`ParseError::shifted`]).
    pub fn to_diagnostic(&self, file: &str, text: &str) -> Diagnostic {
        let mut diagnostic = Diagnostic::error(self.message.clone()).at(Location::from_span(
            file,
            text,
            self.span.clone(),
        ));
        if let Some(label) = self.expected_text() {
            diagnostic = diagnostic.label(label);
        }
        if let Some(help) = &self.suggestion {
            diagnostic = diagnostic.help(help.clone());
        }
        diagnostic
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}
