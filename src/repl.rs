//! The interactive shell: a rustyline loop around `Session::execute`, adding only editing,
//! completion, history, Ctrl-C and paging; what a line means is the session's business alone.

mod complete;
mod helper;
mod pager;

use crate::diagnostic::render_all;
use crate::input::FileType;
use crate::interrupt::Response;
use crate::session::{Input, Outcome, Session};
pub use helper::OnEnter;
use helper::{join_lines, ReplHelper};
use rustyline::config::{ColorMode, CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::Editor;
use std::cell::RefCell;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const PROMPT: &str = "factgraph> ";
const HISTORY_SIZE: usize = 10_000;

/// Runs the shell until `quit`, `exit` or Ctrl-D. Only a broken terminal ends it with an error; a
/// failed query or command is printed and the loop goes on.
pub fn run(session: Session) -> Result<(), ReadlineError> {
    let colour = crate::terminal::colour();
    let config = Config::builder()
        .auto_add_history(false)
        .history_ignore_dups(true)?
        .history_ignore_space(true)
        .max_history_size(HISTORY_SIZE)?
        .completion_type(CompletionType::List)
        .completion_show_all_if_ambiguous(true)
        .color_mode(if colour {
            ColorMode::Enabled
        } else {
            ColorMode::Disabled
        })
        .build();
    let mut editor: Editor<ReplHelper, FileHistory> = Editor::with_config(config)?;
    let token = session.cancel_token();
    let session = Rc::new(RefCell::new(session));
    editor.set_helper(Some(ReplHelper::new(Rc::clone(&session), colour)));

    let mut history = history_path().and_then(|path| open_history(&mut editor, path));
    // At the prompt rustyline reads Ctrl-C as a key, so a signal there comes from elsewhere (`kill`,
    // a closed terminal) and ends the shell. While a query runs or a pager shows, the terminal
    // sends SIGINT for Ctrl-C, which must stop that query and not the whole shell.
    let at_prompt = Arc::new(AtomicBool::new(false));
    let (interrupt, prompt) = (token.clone(), Arc::clone(&at_prompt));
    let _diversion = crate::interrupt::divert(move || {
        if prompt.load(Ordering::SeqCst) {
            return Response::Exit;
        }
        interrupt.cancel();
        Response::Stopping
    });
    if let Err(e) = crate::interrupt::install() {
        eprintln!("warning: Ctrl-C will not cancel queries: {e}");
    }
    // A closed standard output is no reason to stop: the first answer reports it.
    let _ = writeln!(std::io::stdout(), "{}", banner(&session.borrow()));

    loop {
        at_prompt.store(true, Ordering::SeqCst);
        let line = editor.readline(PROMPT);
        at_prompt.store(false, Ordering::SeqCst);
        let line = match line {
            Ok(line) => line,
            // Ctrl-C at the prompt: rustyline has dropped the line; start a fresh one.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e),
        };
        if !line.trim().is_empty() {
            // A rejected entry (a duplicate, or one starting with a space) is not an error.
            let _ = editor.add_history_entry(line.trim_end());
            if let Some(path) = &history {
                // Appending after every line, under rustyline's file lock, lets two shells share
                // the file without losing each other's lines.
                if let Err(e) = editor.append_history(path) {
                    eprintln!(
                        "warning: cannot write history to {}: {e}; history is off for this session",
                        path.display()
                    );
                    history = None;
                }
            }
        }
        let text = join_lines(&line);
        // A Ctrl-C that came while no query ran (during the pager, say) must not count now.
        token.reset();
        // Asked before every answer: the window may have been resized since the last.
        session.borrow_mut().width = crate::terminal::width();
        let result = session.borrow_mut().execute(Input::line("repl", &text));
        let interrupted = token.is_cancelled();
        match result {
            Ok(Outcome::Quit) => break,
            Ok(Outcome::Nothing) => {}
            Ok(Outcome::Output(output)) => {
                let warnings = session.borrow_mut().take_load_warnings();
                if !warnings.is_empty() {
                    let width = session.borrow().width;
                    eprintln!("{}", fit_notes(&render_all(&warnings), width));
                }
                let aside = session.borrow_mut().take_aside();
                if !aside.is_empty() {
                    eprint!("{aside}");
                }
                let pager_on = session.borrow().pager;
                let screen = editor
                    .dimensions()
                    .filter(|_| pager_on)
                    .map(|(columns, rows)| (usize::from(columns), usize::from(rows)));
                let mut output = output;
                if !output.ends_with('\n') {
                    output.push('\n');
                }
                if let Err(e) = pager::show(&output, screen) {
                    eprintln!("warning: cannot write the answer: {e}");
                }
            }
            Err(diagnostics) => {
                let mut err = std::io::stderr().lock();
                // The terminal has echoed `^C` where the cursor was; start the message below it.
                if interrupted {
                    let _ = writeln!(err);
                }
                let width = session.borrow().width;
                let _ = writeln!(err, "{}", fit_notes(&render_all(&diagnostics), width));
            }
        }
    }
    Ok(())
}

/// What the shell makes of a line as it is typed and entered, without a terminal: the editor calls
/// the same code on every keystroke and on Enter. For tests and fuzzing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedLine {
    /// What Enter would do: run the line, open a continuation line, or ask to close a quote.
    pub on_enter: OnEnter,
    /// The line as the editor paints it in colour.
    pub painted: String,
    /// Where the completions at the cursor start, and what each would put there.
    pub completion_start: usize,
    pub completions: Vec<String>,
    /// What Enter hands to `Session::execute`.
    pub entered: String,
}

/// [`TypedLine`] for `line` with the cursor at `pos`, a character boundary of `line` (as the
/// editor gives it).
pub fn type_line(session: &Rc<RefCell<Session>>, line: &str, pos: usize) -> TypedLine {
    use rustyline::highlight::Highlighter;
    let helper = ReplHelper::new(Rc::clone(session), true);
    let painted = helper.highlight(line, pos).into_owned();
    let (completion_start, pairs) = complete::complete(session.borrow().graph(), line, pos);
    TypedLine {
        on_enter: helper.on_enter(line),
        painted,
        completion_start,
        completions: pairs.into_iter().map(|p| p.replacement).collect(),
        entered: join_lines(line),
    }
}

/// A rendered error with its `= help:` and `= note:` lines wrapped at the terminal's width, as
/// answers are, so that the terminal does not break a suggestion mid-word. The code frame is left
/// as it is: its caret must stay under the column it points at.
fn fit_notes(rendered: &str, width: Option<usize>) -> String {
    let mut out = String::with_capacity(rendered.len());
    for line in rendered.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let trimmed = body.trim_start();
        if trimmed.starts_with("= help:") || trimmed.starts_with("= note:") {
            out.push_str(crate::render::fit(body, width).trim_end_matches('\n'));
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// How wide the banner may be: it must fit a classic terminal on one line.
const BANNER_WIDTH: usize = 79;

/// One short line: what was loaded and the keys that get a newcomer going (`help`, Tab, Ctrl-D);
/// `stats` has the counts.
/// `factgraph 0.1.0 · graphs/al-sukhna.ron · 192 facts · help, Tab, Ctrl-D`
fn banner(session: &Session) -> String {
    let files = session.shown_files();
    let facts = session.graph().model.facts().len();
    let line = |what: &str| {
        format!(
            "factgraph {} · {what} · {facts} fact{} · help, Tab, Ctrl-D",
            env!("CARGO_PKG_VERSION"),
            if facts == 1 { "" } else { "s" }
        )
    };
    let [file] = files else {
        return line(&format!("{} files", files.len()));
    };
    let whole = line(file);
    if whole.chars().count() <= BANNER_WIDTH {
        return whole;
    }
    // A long path: the file's own name says enough.
    let name = Path::new(file)
        .file_name()
        .map_or(file.clone(), |n| n.to_string_lossy().into_owned());
    line(&name)
}

/// Where history lives: `$FACTGRAPH_HISTORY` (empty turns history off), else the platform's data
/// directory (`$XDG_DATA_HOME` or `~/.local/share` on Linux).
pub fn history_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("FACTGRAPH_HISTORY") {
        return (!path.is_empty()).then(|| PathBuf::from(path));
    }
    data_dir().map(|dir| dir.join("factgraph").join("history"))
}

fn data_dir() -> Option<PathBuf> {
    let env_dir = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    if cfg!(windows) {
        return env_dir("APPDATA");
    }
    let home = env_dir("HOME");
    if cfg!(target_os = "macos") {
        return home.map(|h| h.join("Library").join("Application Support"));
    }
    env_dir("XDG_DATA_HOME").or_else(|| home.map(|h| h.join(".local").join("share")))
}

/// Creates the history file if needed and loads it; any failure is a warning and leaves the
/// session without history. Creating it up front makes every later write an append under lock.
fn open_history(editor: &mut Editor<ReplHelper, FileHistory>, path: PathBuf) -> Option<PathBuf> {
    let warn = |what: &str, e: &dyn std::fmt::Display| {
        eprintln!(
            "warning: cannot {what} history file {}: {e}; history is off for this session",
            path.display()
        );
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            warn("create the folder of the", &e);
            return None;
        }
    }
    // A device such as /dev/zero reads without end and a FIFO blocks: neither can hold history.
    // The type is checked before opening, so a FIFO is never waited on, and again on the handle.
    let refuse = |what: FileType| warn("use the", &format!("it is {}", what.describe()));
    if let Some(what) = std::fs::metadata(&path).ok().and_then(|m| FileType::of(&m)) {
        refuse(what);
        return None;
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    match options.open(&path).and_then(|f| f.metadata()) {
        Err(e) => {
            warn("open the", &e);
            return None;
        }
        Ok(meta) => {
            if let Some(what) = FileType::of(&meta) {
                refuse(what);
                return None;
            }
        }
    }
    if let Err(e) = editor.load_history(&path) {
        warn("read the", &e);
        return None;
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::GraphSpec;

    #[test]
    fn a_typed_line_is_painted_completed_and_joined_as_the_editor_does() {
        let session = Rc::new(RefCell::new(
            Session::open(GraphSpec::new(Vec::new())).unwrap(),
        ));
        let typed = type_line(&session, "path Homs t", 11);
        assert_eq!(typed.on_enter, OnEnter::Run);
        // The keyword, or a longer name the words so far begin.
        assert_eq!(typed.completion_start, 5);
        assert!(
            typed.completions.contains(&"Homs to ".to_string()),
            "{typed:?}"
        );
        assert!(typed.painted.starts_with("\x1b[1mpath"), "{typed:?}");
        assert_eq!(
            type_line(&session, "show \"Al", 8).on_enter,
            OnEnter::Continue
        );
        // Tab leaves `"Homs` open where several names begin with it: Enter asks to close it.
        assert_eq!(
            type_line(&session, "show \"Homs", 10).on_enter,
            OnEnter::CloseQuote
        );
        assert_eq!(
            type_line(&session, "show \"Al\nSukhna\"", 0).entered,
            "show \"Al Sukhna\""
        );
    }
}

#[cfg(test)]
mod fit_tests {
    use super::fit_notes;

    #[test]
    fn help_lines_wrap_at_spaces_and_the_code_frame_stays() {
        let frame = "1 | clear the very long line of a query that is wider than the screen";
        let rendered = format!(
            "error: unknown command `clear`\n{frame}\n  = help: a line starts with one of: neighbors, path, match, why, show\n"
        );
        let fitted = fit_notes(&rendered, Some(40));
        assert!(fitted.contains(frame), "{fitted}");
        let help: Vec<&str> = fitted.lines().skip(2).collect();
        assert!(help.len() > 1, "{fitted}");
        assert!(help.iter().all(|l| l.chars().count() <= 40), "{fitted}");
        let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(
            words(&help.join(" ")),
            words(rendered.lines().nth(2).unwrap_or(""))
        );
        assert_eq!(fit_notes(&rendered, None), rendered);
    }
}
