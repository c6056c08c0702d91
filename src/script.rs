//! Saved query scripts: one statement per line (a trailing backslash continues it), run through the
//! same `Session::execute` as the REPL, stopping at the first failure unless asked to keep going.

use crate::continuation::{continues, join, statements};
use crate::diagnostic::{render_all, Diagnostic, Location};
use crate::format::AnswerFormat;
use crate::input::{Line, MAX_LINE_BYTES};
use crate::query::eval::CancelToken;
use crate::query::{parse_statement, Statement};
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

/// How a script runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Run every statement even after a failure.
    pub keep_going: bool,
    /// In text, print each statement before its output as a comment line,
    /// `# queries/x.kgq:3: match ...`, so that a reader can tell which line answered.
    pub headers: bool,
}

/// Runs a script, writing answers to `out` and diagnostics to `err`. Cancelling `interrupt`
/// (from a SIGINT handler, which should also cancel the session's token to stop the running query)
/// stops the script after the current statement, even with `keep_going`.
///
/// What `out` holds depends on the format. In text, every output, each after its header. In
/// `json`, one document: an array of the answers, closed however the script ends. In the other
/// formats, the answers one after another. Outside text, what commands say (`set`, `export`,
/// `help`) goes to `err`, so that `out` holds only answers in the format asked for.
pub fn run(
    session: &mut Session,
    name: &str,
    text: &str,
    options: Options,
    interrupt: &CancelToken,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Report> {
    // Editors on Windows may start a UTF-8 file with a byte-order mark; it is no part of a query.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut runner = Runner::new(session, options, interrupt, out, err);
    // Each statement sees the script from the start of its first line on, with the lines before
    // counted here as the script is walked: counting them from the top for every statement made a
    // long script's run quadratic.
    let (mut line_start, mut lines_before) = (0, 0);
    for span in statements(text) {
        let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        lines_before += text[line_start..start].matches('\n').count();
        line_start = start;
        let input = Input {
            name,
            text: &text[start..],
            span: span.start - start..span.end - start,
            lines_before: Some(lines_before),
        };
        if runner.stopped() || runner.statement(input)? == Flow::Stop {
            break;
        }
    }
    runner.finish()
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
    options: Options,
    interrupt: &CancelToken,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Report> {
    let mut runner = Runner::new(session, options, interrupt, out, err);
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
    runner.finish()
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
    options: Options,
    interrupt: &'a CancelToken,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    report: Report,
    first_output: bool,
    /// JSON answers written to the array now open; `None` while none is.
    json_items: Option<usize>,
    /// Whether any JSON array was written, so that a script with no answers still gives `[]`.
    json_written: bool,
}

impl<'a> Runner<'a> {
    fn new(
        session: &'a mut Session,
        options: Options,
        interrupt: &'a CancelToken,
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
    ) -> Runner<'a> {
        Runner {
            session,
            options,
            interrupt,
            out,
            err,
            report: Report::default(),
            first_output: true,
            json_items: None,
            json_written: false,
        }
    }

    /// Ends the run: closes the JSON array, however the script ended, so the document stays valid.
    fn finish(mut self) -> io::Result<Report> {
        match self.json_items {
            Some(_) => self.close_array()?,
            None if !self.json_written && self.session.format == AnswerFormat::Json => {
                self.out.write_all(b"[]\n")?;
            }
            None => {}
        }
        Ok(self.report)
    }

    /// Writes what a statement printed where its format says (see [`run`]).
    fn output(&mut self, input: &Input<'_>, output: &str) -> io::Result<()> {
        let format = self.session.format;
        if format != AnswerFormat::Text && !is_query(input) {
            return self.err.write_all(output.as_bytes());
        }
        if format == AnswerFormat::Json {
            return self.json_item(output);
        }
        self.close_array()?;
        if format == AnswerFormat::Text {
            if !self.first_output {
                self.out.write_all(b"\n")?;
            }
            if self.options.headers {
                self.out.write_all(header(input).as_bytes())?;
            }
        }
        self.first_output = false;
        self.out.write_all(output.as_bytes())
    }

    /// Adds a pretty JSON answer to the open array, opening one if none is, indented as
    /// `serde_json` would indent the whole array.
    fn json_item(&mut self, answer: &str) -> io::Result<()> {
        let items = self.json_items.unwrap_or(0);
        self.out
            .write_all(if items == 0 { b"[\n" } else { b",\n" })?;
        // Pretty JSON escapes line breaks inside strings, so every line break here is layout.
        let mut indented = String::with_capacity(answer.len() + answer.len() / 8);
        for (i, line) in answer.lines().enumerate() {
            indented.push_str(if i == 0 { "  " } else { "\n  " });
            indented.push_str(line);
        }
        self.out.write_all(indented.as_bytes())?;
        self.json_items = Some(items + 1);
        self.json_written = true;
        self.first_output = false;
        Ok(())
    }

    fn close_array(&mut self) -> io::Result<()> {
        if self.json_items.take().is_some() {
            self.out.write_all(b"\n]\n")?;
        }
        Ok(())
    }

    /// Whether an interrupt came; it is recorded in the report.
    fn stopped(&mut self) -> bool {
        if self.interrupt.is_cancelled() {
            self.report.interrupted = true;
        }
        self.report.interrupted
    }

    /// Executes one statement; errors give the script's line, counting `input.lines_before`.
    fn statement(&mut self, input: Input<'_>) -> io::Result<Flow> {
        let name = input.name;
        let lines_before = input.lines_before.unwrap_or(0);
        match self.session.execute(input.clone()) {
            Ok(Outcome::Nothing) => Ok(Flow::Go),
            Ok(Outcome::Quit) => {
                self.report.quit = true;
                Ok(Flow::Stop)
            }
            Ok(Outcome::Output(output)) => {
                self.report.statements += 1;
                let warnings = self.session.take_load_warnings();
                if !warnings.is_empty() {
                    self.out.flush()?;
                    write_diagnostics(self.err, &warnings)?;
                }
                let aside = self.session.take_aside();
                if !aside.is_empty() {
                    self.out.flush()?;
                    self.err.write_all(aside.as_bytes())?;
                }
                self.output(&input, &output)?;
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
        let lines_before = Some(lines_before);
        self.statement(Input {
            name,
            text,
            span,
            lines_before,
        })
    }

    /// Reports a failed statement; the script goes on only with `keep_going` and no interrupt.
    fn failed(&mut self, diagnostics: &[Diagnostic]) -> io::Result<Flow> {
        self.report.statements += 1;
        self.report.failed += 1;
        self.out.flush()?;
        write_diagnostics(self.err, diagnostics)?;
        if self.stopped() || !self.options.keep_going {
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

/// `# queries/x.kgq:3: match ...`: where a statement stands and what it says, on one line, with
/// control characters made visible as in answers.
fn header(input: &Input<'_>) -> String {
    let text = crate::visible::visible(&input.statement_text()).into_owned();
    match input.script_line() {
        Some(line) => format!("# {}:{line}: {text}\n", input.name),
        None => format!("# {}: {text}\n", input.name),
    }
}

/// Whether a statement asks the graph (its output is an answer) rather than the session.
fn is_query(input: &Input<'_>) -> bool {
    let statement = join(&input.text[input.span.clone()]);
    matches!(
        parse_statement(&statement),
        Ok(Statement::Query(_) | Statement::Question(_))
    )
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
