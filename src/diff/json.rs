//! A diff as JSON for tools: one document, its schema documented in docs/diff.md. Field names and
//! order are those of the types in `diff`, so the schema changes only where they do.

use super::CorpusDiff;
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    old: &'a str,
    new: &'a str,
    equal: bool,
    differences: usize,
    #[serde(flatten)]
    diff: &'a CorpusDiff,
}

/// The document, pretty-printed, ending in a newline; `old` and `new` are the paths compared.
pub fn render(diff: &CorpusDiff, old: &str, new: &str) -> String {
    let document = Document {
        old,
        new,
        equal: diff.is_empty(),
        differences: diff.count(),
        diff,
    };
    // Plain strings, numbers and lists only: serialising them cannot fail.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
