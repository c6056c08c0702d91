//! What a session tells a curator about the files it loads: their curation warnings (and, on
//! `load` and `reload`, duplicate entities) as `check` reports them, but only the first few, so
//! that a load stays on one screen and `check` remains the place to read them all.

use crate::bundled::BUNDLED_NAME;
use crate::diagnostic::{problem_count, Diagnostic};
use crate::load::GraphSpec;
use crate::model::Model;

/// How many warnings a load shows before it counts the rest.
pub const SHOWN: usize = 5;

/// The first [`SHOWN`] warnings of `model`, loaded as `spec` says, then one counting them all
/// and, when some are not shown, naming the `check` that shows them; nothing when the load has no
/// warnings.
pub fn of(model: &Model, spec: &GraphSpec) -> Vec<Diagnostic> {
    capped(&[&model.warnings, &model.duplicates], spec)
}

/// The same for the files a session is opened on (`-g FILE` for a query, a script, an export or
/// the shell), without duplicate entities: a reader of an imported graph would otherwise be told
/// of them on every run, and cannot act on them; `check` and the shell's `load` report them.
pub fn on_opening(model: &Model, spec: &GraphSpec) -> Vec<Diagnostic> {
    capped(&[&model.warnings], spec)
}

/// For a one-shot command (`query`, `export`), run again and again on the same files: only how
/// many warnings the files have and the `check` that lists them, so that the answer is not buried
/// under the same warnings on every run.
pub fn counted(model: &Model, spec: &GraphSpec) -> Vec<Diagnostic> {
    let total = problem_count(&model.warnings);
    if total == 0 {
        return Vec::new();
    }
    let check = format!("run `factgraph check {}` to read them", command_words(spec));
    vec![count(total).help(check)]
}

/// The line that counts the warnings of the loaded files.
fn count(total: usize) -> Diagnostic {
    let s = if total == 1 { "" } else { "s" };
    Diagnostic::warning(format!("{total} curation warning{s} in the loaded files"))
}

fn capped(lists: &[&[Diagnostic]], spec: &GraphSpec) -> Vec<Diagnostic> {
    let total: usize = lists.iter().map(|l| problem_count(l)).sum();
    if total == 0 {
        return Vec::new();
    }
    // A cap's own "and N more" line is a count, not a warning to show.
    let mut shown: Vec<Diagnostic> = lists
        .iter()
        .flat_map(|l| l.iter())
        .filter(|d| d.omitted == 0)
        .take(SHOWN)
        .cloned()
        .collect();
    let count = count(total);
    let rest = total - shown.len();
    shown.push(if rest == 0 {
        count.help("`check --deny-warnings` makes them errors")
    } else {
        count.help(format!(
            "{rest} more: run `factgraph check {}`",
            command_words(spec)
        ))
    });
    shown
}

/// The files of `spec` as words of a shell command, quoted where a shell would split or expand
/// them. The bundled graph is named as in its warnings: duplicates across it and a loaded file
/// are only found with both.
fn command_words(spec: &GraphSpec) -> String {
    let bundled = spec.bundled.then(|| BUNDLED_NAME.to_string());
    let files = spec.files.iter().map(|f| f.display().to_string());
    let word = |f: String| {
        let plain = |c: char| c.is_alphanumeric() || "-_./:=+,@".contains(c);
        if !f.is_empty() && f.chars().all(plain) {
            f
        } else {
            format!("'{}'", f.replace('\'', r"'\''"))
        }
    };
    bundled
        .into_iter()
        .chain(files)
        .map(word)
        .collect::<Vec<_>>()
        .join(" ")
}
