//! Saved query scripts: one statement per line (a trailing backslash continues it), run through the
//! same `Session::execute` as the REPL, stopping at the first failure unless asked to keep going.

use crate::continuation::statements;
use crate::diagnostic::{render_all, Diagnostic};
use crate::query::eval::CancelToken;
use crate::session::{Input, Outcome, Session};
use std::io::{self, Write};

/// How a script run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Report {
    pub statements: usize,
    pub failed: usize,
    /// The script asked to `quit` before its end.
    pub quit: bool,
    /// An interrupt (SIGINT) stopped the script.
    pub interrupted: bool,
}

/// Runs a script, writing answers to `out` and diagnostics to `err`. Cancelling `interrupt`
/// (from a SIGINT handler, which should also cancel the session's token to stop the running query)
/// stops the script after the current statement, even with `keep_going`.
pub fn run(
    session: &mut Session,
    name: &str,
    text: &str,
    keep_going: bool,
    interrupt: &CancelToken,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Report> {
    let mut report = Report::default();
    let mut first_output = true;
    for span in statements(text) {
        if interrupt.is_cancelled() {
            report.interrupted = true;
            break;
        }
        match session.execute(Input { name, text, span }) {
            Ok(Outcome::Nothing) => {}
            Ok(Outcome::Quit) => {
                report.quit = true;
                break;
            }
            Ok(Outcome::Output(output)) => {
                report.statements += 1;
                if !first_output && session.format == crate::format::AnswerFormat::Text {
                    out.write_all(b"\n")?;
                }
                first_output = false;
                out.write_all(output.as_bytes())?;
            }
            Err(diagnostics) => {
                report.statements += 1;
                report.failed += 1;
                out.flush()?;
                write_diagnostics(err, &diagnostics)?;
                if interrupt.is_cancelled() {
                    report.interrupted = true;
                    break;
                }
                if !keep_going {
                    break;
                }
            }
        }
    }
    Ok(report)
}

pub fn write_diagnostics(err: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    writeln!(err, "{}", render_all(diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_lines_join_and_spans_stay_in_the_text() {
        let text = "stats\npath ISIL \\\n  to Homs\n\n# done";
        let spans = statements(text);
        let parts: Vec<&str> = spans.iter().map(|s| &text[s.clone()]).collect();
        assert_eq!(
            parts,
            vec!["stats", "path ISIL \\\n  to Homs", "", "# done"]
        );
    }
}
