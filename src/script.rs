//! Saved query scripts: one statement per line (a trailing backslash continues it), run through the
//! same `Session::execute` as the REPL, stopping at the first failure unless asked to keep going.

use crate::continuation::{continues, statements};
use crate::diagnostic::{render_all, Diagnostic, Location};
use crate::input::{Line, MAX_LINE_BYTES};
use crate::query::eval::CancelToken;
use crate::session::{Input, Outcome, Session};
use std::io::{self, BufRead, Write};

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
    // Editors on Windows may start a UTF-8 file with a byte-order mark; it is no part of a query.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut runner = Runner::new(session, keep_going, interrupt, out, err);
    for span in statements(text) {
        if runner.stopped() || runner.statement(Input { name, text, span }, 0)? == Flow::Stop {
            break;
        }
    }
    Ok(runner.report)
}

/// Like [`run`], for a stream such as piped standard input: each statement is run as soon as its
/// line has come, so a program can converse with factgraph through a pipe, and memory holds one
/// statement, never the whole input. A statement longer than [`MAX_LINE_BYTES`] fails as a
/// statement does (and the rest of its line is skipped with `keep_going`); so does one that is not
/// UTF-8. An error reading the stream ends the run as a failure.
pub fn run_stream(
    session: &mut Session,
    name: &str,
    input: &mut dyn BufRead,
    keep_going: bool,
    interrupt: &CancelToken,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Report> {
    let mut runner = Runner::new(session, keep_going, interrupt, out, err);
    let mut reader = StatementReader::default();
    while !runner.stopped() {
        let first_line = reader.lines;
        let flow = match reader.next(input) {
            Ok(Next::End) => break,
            Ok(Next::Statement) => runner.bytes(name, &reader.buf, first_line)?,
            Ok(Next::TooLong) => {
                let flow = runner.failed(&[too_long(name, reader.lines + 1)])?;
                if flow == Flow::Go {
                    let interrupt = runner.interrupt;
                    reader.lines += 1;
                    if let Err(e) = crate::input::skip_line(input, &|| interrupt.is_cancelled()) {
                        runner.failed(&[unreadable(name, &e)])?;
                        break;
                    }
                }
                flow
            }
            Err(e) => {
                runner.failed(&[unreadable(name, &e)])?;
                break;
            }
        };
        if flow == Flow::Stop {
            break;
        }
    }
    Ok(runner.report)
}

fn too_long(name: &str, line: usize) -> Diagnostic {
    Diagnostic::error(format!(
        "line {line} of `{name}` is longer than {} MiB",
        MAX_LINE_BYTES >> 20
    ))
    .at(Location::file_only(name))
    .help("statements on standard input are limited in length; a longer one can be run from a saved script: `factgraph run FILE`")
}

fn unreadable(name: &str, e: &io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot read `{name}`: {e}")).at(Location::file_only(name))
}

/// Moves a location in a statement read alone to where the statement starts in its stream.
fn shift(location: &mut Location, name: &str, lines_before: usize) {
    if location.file == name && location.line > 0 {
        location.line += lines_before;
    }
}

/// Whether a script goes on after a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Go,
    Stop,
}

/// What a script run shares between statements, whichever way they are read.
struct Runner<'a> {
    session: &'a mut Session,
    keep_going: bool,
    interrupt: &'a CancelToken,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    report: Report,
    first_output: bool,
}

impl<'a> Runner<'a> {
    fn new(
        session: &'a mut Session,
        keep_going: bool,
        interrupt: &'a CancelToken,
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
    ) -> Runner<'a> {
        Runner {
            session,
            keep_going,
            interrupt,
            out,
            err,
            report: Report::default(),
            first_output: true,
        }
    }

    /// Whether an interrupt came; it is recorded in the report.
    fn stopped(&mut self) -> bool {
        if self.interrupt.is_cancelled() {
            self.report.interrupted = true;
        }
        self.report.interrupted
    }

    /// Executes one statement. `lines_before` is how many lines of the script precede `input.text`
    /// (a stream hands statements over one at a time), so that errors give the script's line.
    fn statement(&mut self, input: Input<'_>, lines_before: usize) -> io::Result<Flow> {
        let name = input.name;
        match self.session.execute(input) {
            Ok(Outcome::Nothing) => Ok(Flow::Go),
            Ok(Outcome::Quit) => {
                self.report.quit = true;
                Ok(Flow::Stop)
            }
            Ok(Outcome::Output(output)) => {
                self.report.statements += 1;
                if !self.first_output && self.session.format == crate::format::AnswerFormat::Text {
                    self.out.write_all(b"\n")?;
                }
                self.first_output = false;
                self.out.write_all(output.as_bytes())?;
                Ok(Flow::Go)
            }
            Err(mut diagnostics) => {
                for location in diagnostics.iter_mut().filter_map(|d| d.location.as_mut()) {
                    shift(location, name, lines_before);
                }
                self.failed(&diagnostics)
            }
        }
    }

    /// Executes a statement read alone from a stream, whose first line is the stream's line
    /// `lines_before + 1`: after a check that it is UTF-8, and without the byte-order mark an
    /// editor may put before the first.
    fn bytes(&mut self, name: &str, bytes: &[u8], lines_before: usize) -> io::Result<Flow> {
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
                let mut at = Location::from_span(name, &valid, valid.len()..valid.len());
                shift(&mut at, name, lines_before);
                let d = Diagnostic::error("this line is not valid UTF-8")
                    .at(at)
                    .label("invalid byte after this point");
                return self.failed(&[d]);
            }
        };
        let text = match lines_before {
            0 => text.strip_prefix('\u{feff}').unwrap_or(text),
            _ => text,
        };
        let span = 0..text.trim_end_matches(['\n', '\r']).len();
        self.statement(Input { name, text, span }, lines_before)
    }

    /// Reports a failed statement; the script goes on only with `keep_going` and no interrupt.
    fn failed(&mut self, diagnostics: &[Diagnostic]) -> io::Result<Flow> {
        self.report.statements += 1;
        self.report.failed += 1;
        self.out.flush()?;
        write_diagnostics(self.err, diagnostics)?;
        if self.stopped() || !self.keep_going {
            return Ok(Flow::Stop);
        }
        Ok(Flow::Go)
    }
}

/// How reading the next statement of a stream ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// In `buf`, with its line end.
    Statement,
    /// The statement passed [`MAX_LINE_BYTES`]; the rest of its last line is unread.
    TooLong,
    End,
}

/// Reads a stream's statements: lines, joined where a line ends in `\`.
#[derive(Default)]
struct StatementReader {
    buf: Vec<u8>,
    /// Lines read whole so far.
    lines: usize,
}

impl StatementReader {
    fn next(&mut self, input: &mut dyn BufRead) -> io::Result<Next> {
        self.buf.clear();
        loop {
            match crate::input::read_line(input, &mut self.buf, MAX_LINE_BYTES)? {
                Line::End if self.buf.is_empty() => return Ok(Next::End),
                // The input ended after a continuation backslash: run what there is.
                Line::End => return Ok(Next::Statement),
                Line::TooLong => return Ok(Next::TooLong),
                Line::Read => {
                    self.lines += 1;
                    if !continues(&self.buf) {
                        return Ok(Next::Statement);
                    }
                }
            }
        }
    }
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
