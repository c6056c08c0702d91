//! The line editor's helper: completion, history hints, highlighting and multi-line input, all
//! reading the session's current graph so a `load` or `reload` is seen at the next keystroke.

use crate::continuation;
use crate::query::resolve::resolve;
use crate::query::{is_keyword, parse_statement, Statement, COMMANDS};
use crate::repl::complete;
use crate::session::Session;
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::history::SearchDirection;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};
use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

const COMMAND: &str = "\x1b[1m";
const KEYWORD: &str = "\x1b[36m";
const QUOTED: &str = "\x1b[32m";
const ERROR: &str = "\x1b[31;4m";
const DIM: &str = "\x1b[90m";
const RESET: &str = "\x1b[0m";

pub struct ReplHelper {
    session: Rc<RefCell<Session>>,
    /// Colours on: stdout is a terminal and NO_COLOR is not set.
    colour: bool,
}

impl Helper for ReplHelper {}

impl ReplHelper {
    pub fn new(session: Rc<RefCell<Session>>, colour: bool) -> ReplHelper {
        ReplHelper { session, colour }
    }
}

/// The lines of one multi-line entry as a single statement: a line break inside a quote becomes a
/// space, and a continued line is left for `Session::execute`, which joins it as scripts do.
pub fn join_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| match line.strip_suffix('\n') {
            Some(body) if !continuation::continues(line) => format!("{body} "),
            _ => line.to_string(),
        })
        .collect()
}

/// Whether Enter should continue the entry on a new line: an open quote or a trailing backslash.
pub fn continues(text: &str) -> bool {
    complete::open_quote(text) || continuation::continues(text)
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        match self.session.try_borrow() {
            Ok(session) => Ok(complete::complete(session.graph(), line, pos)),
            Err(_) => Ok((pos, Vec::new())),
        }
    }
}

impl Hinter for ReplHelper {
    type Hint = String;

    /// The rest of the latest earlier line that begins with this one, ignoring case (people type
    /// `isil` for `ISIL`); → accepts it.
    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        if line.trim().is_empty() || pos < line.len() {
            return None;
        }
        let history = ctx.history();
        let newest = history.len().checked_sub(1)?;
        let start = ctx.history_index().min(newest);
        // Hints are drawn at every keystroke: look back a bounded way.
        let oldest = start.saturating_sub(HINT_LOOKBACK);
        (oldest..=start).rev().find_map(|i| {
            let entry = history.get(i, SearchDirection::Reverse).ok()??.entry;
            let rest = history_rest(&entry, line)?;
            (!rest.is_empty()).then(|| rest.to_string())
        })
    }
}

/// How many history entries a hint may look back over.
const HINT_LOOKBACK: usize = 2000;

/// What `entry` has after a beginning equal to `typed` in any case, or `None`.
fn history_rest<'e>(entry: &'e str, typed: &str) -> Option<&'e str> {
    let mut chars = entry.char_indices();
    for t in typed.chars() {
        let (_, e) = chars.next()?;
        if !e.to_lowercase().eq(t.to_lowercase()) {
            return None;
        }
    }
    Some(chars.as_str())
}

impl ReplHelper {
    /// Whether Enter on `input` should stay on the line and say that its quote is open: a first
    /// line whose open quote holds a whole name already, as Tab leaves `show "Selva` when Selva,
    /// Selva ceasefire and Selva hospital all fit. Going on to a new line there looks like nothing
    /// happened.
    fn open_after_a_name(&self, input: &str) -> bool {
        let Some(name) = complete::open_quoted_text(input).filter(|_| !input.contains('\n')) else {
            return false;
        };
        self.session
            .try_borrow()
            .is_ok_and(|s| s.graph().lookup(&name).is_ok())
    }
}

/// Shown under a line whose quote is open after a whole name, where Enter did not run it.
pub const CLOSE_THE_QUOTE: &str = "  (the quote is open: type \" to close it, then Enter)";

/// What Enter does with what is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnEnter {
    /// Runs it.
    Run,
    /// Goes on to a continuation line (an open quote, a trailing backslash).
    Continue,
    /// Stays on the line and says to close its quote ([`CLOSE_THE_QUOTE`]).
    CloseQuote,
}

impl ReplHelper {
    /// What Enter does with `input`: the one decision the editor and [`crate::repl::type_line`]
    /// both read.
    pub fn on_enter(&self, input: &str) -> OnEnter {
        if self.open_after_a_name(input) {
            OnEnter::CloseQuote
        } else if continues(input) {
            OnEnter::Continue
        } else {
            OnEnter::Run
        }
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(match self.on_enter(ctx.input()) {
            OnEnter::CloseQuote => ValidationResult::Invalid(Some(CLOSE_THE_QUOTE.to_string())),
            OnEnter::Continue => ValidationResult::Incomplete,
            OnEnter::Run => ValidationResult::Valid(None),
        })
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.colour || line.is_empty() {
            return Cow::Borrowed(line);
        }
        let error = self.settled_error(line);
        Cow::Owned(paint(line, error))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.colour {
            Cow::Owned(format!("{DIM}{hint}{RESET}"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        self.colour && kind != CmdKind::MoveCursor
    }
}

impl ReplHelper {
    /// The span of a parse or name error the user has typed past: an error at the very end is
    /// only a line not finished yet, and is not worth red ink.
    fn settled_error(&self, line: &str) -> Option<Range<usize>> {
        let joined = continuation::join(&join_lines(line));
        let end = joined.trim_end().len();
        let span = match parse_statement(&joined) {
            Err(e) => Some(e.span),
            Ok(Statement::Query(query)) => {
                let session = self.session.try_borrow().ok()?;
                match resolve(session.graph(), &query) {
                    Err(problems) => problems.into_iter().map(|p| p.span).min_by_key(|s| s.start),
                    Ok(_) => None,
                }
            }
            Ok(_) => None,
        }?;
        (span.end < end && line.is_char_boundary(span.start) && line.is_char_boundary(span.end))
            .then_some(span)
    }
}

/// `line` with commands, keywords, quoted names and comments coloured and `error` in red; the
/// escapes take no width, as rustyline requires.
fn paint(line: &str, error: Option<Range<usize>>) -> String {
    let mut styles: Vec<Option<&str>> = vec![None; line.len()];
    let mut set = |range: Range<usize>, style: &'static str| {
        for s in styles.iter_mut().take(range.end).skip(range.start) {
            *s = Some(style);
        }
    };
    let mut chars = line.char_indices().peekable();
    let mut first_word = true;
    while let Some((i, c)) = chars.next() {
        match c {
            '#' => {
                set(i..line.len(), DIM);
                break;
            }
            '"' => {
                let mut end = line.len();
                while let Some((j, q)) = chars.next() {
                    if q == '\\' {
                        chars.next();
                    } else if q == '"' {
                        end = j + 1;
                        break;
                    }
                }
                set(i..end, QUOTED);
                first_word = false;
            }
            c if c.is_whitespace() || c == ',' => {}
            _ => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, w)) = chars.peek() {
                    if w.is_whitespace() || matches!(w, ',' | '"' | '#') {
                        break;
                    }
                    end = j + w.len_utf8();
                    chars.next();
                }
                let word = &line[i..end];
                if first_word && COMMANDS.iter().any(|k| k.eq_ignore_ascii_case(word)) {
                    set(i..end, COMMAND);
                } else if is_keyword(word) {
                    set(i..end, KEYWORD);
                }
                first_word = false;
            }
        }
    }
    if let Some(error) = error {
        set(error, ERROR);
    }
    let mut out = String::with_capacity(line.len() * 2);
    let mut current: Option<&str> = None;
    for (i, c) in line.char_indices() {
        let style = styles.get(i).copied().flatten();
        if style != current {
            if current.is_some() {
                out.push_str(RESET);
            }
            if let Some(s) = style {
                out.push_str(s);
            }
            current = style;
        }
        out.push(c);
    }
    if current.is_some() {
        out.push_str(RESET);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn painting_adds_only_escapes() {
        let line = "path \"Al Sukhna\" to Homs # où";
        let painted = paint(line, Some(20..24));
        let plain: String = strip(&painted);
        assert_eq!(plain, line);
        assert!(painted.starts_with(COMMAND));
        assert!(painted.contains(&format!("{ERROR}Homs")));
    }

    fn strip(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for e in chars.by_ref() {
                    if e == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn open_quotes_and_backslashes_continue_the_entry() {
        assert!(continues("show \"Al"));
        assert!(continues("path ISIL \\"));
        assert!(!continues("show \"Al Sukhna\""));
        assert_eq!(join_lines("show \"Al\nSukhna\""), "show \"Al Sukhna\"");
        assert_eq!(join_lines("path ISIL \\\nto Homs"), "path ISIL \\\nto Homs");
    }
}
