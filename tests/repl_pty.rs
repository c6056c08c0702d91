//! The REPL driven through a real pseudo-terminal: the binary as a user meets it, with rustyline
//! in raw mode, Tab, arrow keys, Ctrl-C and Ctrl-D.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use rexpect::session::{spawn_with_options, Options, PtySession};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_factgraph");
const PROMPT: &str = "factgraph> ";
/// Generous: the machine may be busy compiling; a passing test never waits this long.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A fresh directory per test, removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("factgraph-pty-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Output as a reader sees it: escape sequences and carriage returns dropped, UTF-8 decoded (the
/// pty reader hands over one byte per `char`).
#[derive(Default)]
struct Plain {
    text: String,
    escape: Escape,
    pending: Vec<u8>,
}

#[derive(Default, PartialEq)]
enum Escape {
    #[default]
    None,
    Start,
    Csi,
    Osc,
}

impl Plain {
    fn push_byte(&mut self, byte: u8) {
        self.pending.push(byte);
        match std::str::from_utf8(&self.pending) {
            Ok(s) => {
                let chars: Vec<char> = s.chars().collect();
                self.pending.clear();
                for c in chars {
                    self.push(c);
                }
            }
            Err(e) if e.error_len().is_some() => {
                self.pending.clear();
                self.push(char::REPLACEMENT_CHARACTER);
            }
            Err(_) => {}
        }
    }

    fn push(&mut self, c: char) {
        self.escape = match (&self.escape, c) {
            (Escape::None, '\x1b') => Escape::Start,
            (Escape::None, '\r' | '\x07') => Escape::None,
            (Escape::None, c) => {
                self.text.push(c);
                Escape::None
            }
            (Escape::Start, '[') => Escape::Csi,
            (Escape::Start, ']') => Escape::Osc,
            (Escape::Start, _) => Escape::None,
            (Escape::Csi, '@'..='~') => Escape::None,
            (Escape::Csi, _) => Escape::Csi,
            (Escape::Osc, '\x07') => Escape::None,
            (Escape::Osc, _) => Escape::Osc,
        };
    }
}

struct Repl {
    pty: PtySession,
    plain: Plain,
    /// What the REPL printed before its first prompt.
    banner: String,
}

impl Repl {
    /// Starts the REPL on the bundled graph or on `-g` files, and waits for its first prompt.
    fn start(history: &Path, args: &[&str]) -> Repl {
        Repl::spawn(Command::new(BIN), history, args)
    }

    /// Starts the REPL in a terminal `columns` wide, set as a user's would be (`stty`), with no
    /// `COLUMNS` to say otherwise.
    fn start_with_columns(columns: u16, history: &Path, args: &[&str]) -> Repl {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("stty cols {columns} rows 50 && exec \"$0\" \"$@\""))
            .arg(BIN)
            .env_remove("COLUMNS");
        Repl::spawn(command, history, args)
    }

    fn spawn(mut command: Command, history: &Path, args: &[&str]) -> Repl {
        command
            .args(args)
            .env("FACTGRAPH_HISTORY", history)
            .env("NO_COLOR", "1")
            .env("TERM", "xterm")
            .env("PAGER", "cat");
        let options = Options::new().timeout_ms(Some(TIMEOUT.as_millis() as u64));
        let pty = spawn_with_options(command, options).unwrap();
        let mut repl = Repl {
            pty,
            plain: Plain::default(),
            banner: String::new(),
        };
        repl.banner = repl.expect(PROMPT);
        repl
    }

    /// Reads until `needle` shows; returns what came before it and consumes both.
    fn expect_within(&mut self, needle: &str, timeout: Duration) -> Result<String, String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(at) = self.plain.text.find(needle) {
                let before = self.plain.text[..at].to_string();
                self.plain.text.drain(..at + needle.len());
                return Ok(before);
            }
            match self.pty.try_read() {
                Some(c) => self
                    .plain
                    .push_byte(u8::try_from(u32::from(c)).unwrap_or(b'?')),
                None if Instant::now() > deadline => {
                    return Err(format!(
                        "no {needle:?} within {timeout:?}; the REPL wrote:\n{}",
                        self.plain.text
                    ))
                }
                None => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    }

    fn expect(&mut self, needle: &str) -> String {
        self.expect_within(needle, TIMEOUT)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn send(&mut self, keys: &str) {
        self.pty.send(keys).unwrap();
        self.pty.flush().unwrap();
    }

    /// Types `line` and Enter, and returns everything printed before the next prompt.
    fn run(&mut self, line: &str) -> String {
        self.send(&format!("{line}\r"));
        self.expect(&format!("{line}\n"));
        self.expect(PROMPT)
    }

    /// Ctrl-D at an empty prompt; the exit status.
    fn quit(mut self) -> i32 {
        self.send("\x04");
        match self.pty.process().wait().unwrap() {
            rexpect::process::WaitStatus::Exited(_, code) => code,
            other => panic!("the REPL did not exit normally: {other:?}"),
        }
    }
}

#[test]
fn tab_completes_a_partial_entity_name() {
    let dir = TempDir::new("complete");
    let mut repl = Repl::start(&dir.path("history"), &[]);
    // One word of a long name is enough; the name is quoted because it has spaces.
    repl.send("neighbors sharq\t");
    repl.expect("neighbors \"Al Sharq Al Awsat\" ");
    repl.send("\r");
    repl.expect("Al Sharq Al Awsat (actor): 2 neighbours");
    repl.expect(PROMPT);
    // Only the town's name starts with `talb` (a photo's name merely contains the word): one Tab
    // completes it, and Enter answers.
    repl.send("neighbors talb\t\r");
    repl.expect("Talbiseh (place):");
    repl.expect(PROMPT);
    // `suk` starts the town's alias "Sukhna" and its name after the article.
    repl.send("show suk\t\r");
    repl.expect("Al Sukhna [al_sukhna] place");
    repl.expect(PROMPT);
    // Two names start with `hez`: the first Tab inserts their quoted common beginning, the second
    // lists them, and a typed word picks one.
    repl.send("neighbors hez\t");
    repl.expect("neighbors \"Hezbollah");
    repl.send("\t");
    let listing = repl.expect("Hezbollah media outlet");
    assert!(listing.contains("Hezbollah"), "{listing}");
    repl.send(" m\t\r");
    repl.expect("media outlet associated with Hizbollah (actor)");
    repl.expect(PROMPT);
    // Relations complete after `via`.
    repl.send("neighbors ISIL via besi\t");
    repl.expect("besieged_by");
    repl.send("\x15");
    assert_eq!(repl.quit(), 0);
}

#[test]
fn history_hints_ignore_case() {
    let dir = TempDir::new("hint");
    let mut repl = Repl::start(&dir.path("history"), &[]);
    repl.run("neighbors Homs depth 1");
    // Typed in lower case, the earlier line is still offered; the right arrow accepts it.
    repl.send("neighbors homs");
    repl.expect(" depth 1");
    repl.send("\x1b[C\r");
    repl.expect("Homs (place)");
    repl.expect(PROMPT);
    assert_eq!(repl.quit(), 0);
}

#[test]
fn history_is_recalled_in_a_later_session_and_searched_with_ctrl_r() {
    let dir = TempDir::new("history");
    let history = dir.path("history");
    let mut first = Repl::start(&history, &[]);
    first.run("neighbors Homs depth 1");
    first.run("stats");
    assert_eq!(first.quit(), 0);

    let mut second = Repl::start(&history, &[]);
    // Up arrow: the last line of the first session.
    second.send("\x1b[A\r");
    second.expect("Graph:");
    second.expect(PROMPT);
    // Ctrl-R searches back through it.
    second.send("\x12Homs dep");
    second.expect("neighbors Homs depth 1");
    second.send("\r");
    second.expect("Homs (place)");
    second.expect(PROMPT);
    assert_eq!(second.quit(), 0);
}

#[test]
fn two_sessions_at_once_keep_each_others_history() {
    let dir = TempDir::new("shared-history");
    let history = dir.path("history");
    let mut a = Repl::start(&history, &[]);
    let mut b = Repl::start(&history, &[]);
    a.run("stats");
    b.run("sources");
    a.run("relations");
    assert_eq!(a.quit(), 0);
    assert_eq!(b.quit(), 0);
    let text = fs::read_to_string(&history).unwrap();
    for line in ["stats", "sources", "relations"] {
        assert!(text.lines().any(|l| l == line), "{line} missing:\n{text}");
    }
}

#[test]
fn ctrl_c_cancels_a_long_query_and_the_session_goes_on() {
    let dir = TempDir::new("cancel");
    let graph = dir.path("bipartite.ron");
    common::endless_query_graph(&graph);
    let mut repl = Repl::start(&dir.path("history"), &["-g", graph.to_str().unwrap()]);
    let query = "match ?a links ?b, ?b links ?c, ?c links ?d, ?d links ?e, \\";
    repl.send(&format!("{query}\r"));
    repl.expect(&format!("{query}\n"));
    let rest = "?e links ?f, ?f links ?g, ?g links ?a";
    repl.send(&format!("{rest}\r"));
    repl.expect(&format!("{rest}\n"));
    // Nothing to wait for while the query runs: give it a moment to start, then interrupt. A
    // Ctrl-C that lands before the query resets its token is lost, so it is sent again.
    let mut waited = None;
    for _ in 0..5 {
        std::thread::sleep(Duration::from_millis(300));
        let sent = Instant::now();
        repl.send("\x03");
        if repl
            .expect_within("query cancelled", Duration::from_secs(3))
            .is_ok()
        {
            waited = Some(sent.elapsed());
            break;
        }
    }
    let waited = waited.expect("Ctrl-C did not cancel the query");
    assert!(
        waited < Duration::from_secs(2),
        "cancelling took {waited:?}"
    );
    repl.expect(PROMPT);
    // The session survived, graph and all.
    let stats = repl.run("stats");
    assert!(stats.contains("entities   400"), "{stats}");
    assert_eq!(repl.quit(), 0);
}

#[test]
fn ctrl_c_at_the_prompt_clears_the_line() {
    let dir = TempDir::new("clear");
    let mut repl = Repl::start(&dir.path("history"), &[]);
    repl.send("nieghbors");
    repl.expect("nieghbors");
    repl.send("\x03");
    // Keys typed before the fresh prompt is drawn may be dropped with the old line.
    repl.expect(&format!("\n{PROMPT}"));
    let stats = repl.run("stats");
    assert!(stats.contains("Graph:"), "{stats}");
    assert!(!stats.contains("error"), "{stats}");
    assert_eq!(repl.quit(), 0);
}

#[test]
fn an_empty_answer_read_the_wrong_way_round_says_which_way_has_answers() {
    let dir = TempDir::new("other-way");
    let mut repl = Repl::start(&dir.path("history"), &[]);
    // Lines may be wrapped to the terminal: read the words, not the line breaks.
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let empty = words(&repl.run("neighbors Russia via brokered_by"));
    assert!(empty.starts_with("Russia (actor): 0 neighbours"), "{empty}");
    let hint = "note: no `brokered_by` edges from Russia; `brokered` has ";
    let count = empty
        .split_once(hint)
        .and_then(|(_, rest)| rest.split_once(':'))
        .map(|(n, _)| n.to_string())
        .unwrap_or_else(|| panic!("no hint in {empty}"));
    let suggested = "neighbors Russia via brokered";
    assert!(
        empty.contains(&format!("did you mean `{suggested}`?")),
        "{empty}"
    );
    // The suggested query answers with as many as the hint promised, and needs no hint itself.
    let answer = words(&repl.run(suggested));
    assert!(
        answer.starts_with(&format!("Russia (actor): {count} neighbours")),
        "{answer}"
    );
    assert!(!answer.contains("note:"), "{answer}");
    assert_eq!(repl.quit(), 0);
}

#[test]
fn an_error_never_leaves_the_repl() {
    let dir = TempDir::new("error");
    let mut repl = Repl::start(&dir.path("history"), &[]);
    let error = repl.run("nieghbors Homs");
    assert!(error.contains("unknown command `nieghbors`"), "{error}");
    assert!(error.contains("did you mean `neighbors`?"), "{error}");
    let unknown = repl.run("neighbors Hmoz");
    assert!(unknown.contains("error"), "{unknown}");
    let good = repl.run("neighbors Homs depth 1");
    assert!(good.contains("Homs (place)"), "{good}");
    assert_eq!(repl.quit(), 0);
}

#[test]
fn an_open_quote_or_a_trailing_backslash_continues_the_line() {
    let dir = TempDir::new("multiline");
    let mut repl = Repl::start(&dir.path("history"), &[]);
    repl.send("show \"Al\r");
    repl.send("Tanf\"\r");
    repl.expect("Al Tanf [al_tanf] place");
    repl.expect(PROMPT);
    repl.send("path ISIL \\\r");
    repl.send("to Homs\r");
    repl.expect("1 path from ISIL to Homs");
    repl.expect(PROMPT);
    assert_eq!(repl.quit(), 0);
}

#[test]
fn enter_on_a_quote_tab_left_open_after_a_whole_name_says_to_close_it() {
    let dir = TempDir::new("open-quote");
    let mut repl = Repl::start(&dir.path("history"), &[]);
    // Homs and Homs province both fit: Tab inserts their quoted common beginning, a whole name.
    repl.send("show homs\t");
    repl.expect("show \"Homs");
    // Enter does not go on to a blank line, where nothing would seem to happen: it says why.
    repl.send("\r");
    repl.expect("the quote is open: type \" to close it");
    repl.send("\"\r");
    repl.expect("Homs [homs] place");
    repl.expect(PROMPT);
    assert_eq!(repl.quit(), 0);
}

const SMALL: &str = r#"(
  sources: [(id: "s", title: "t", publisher: "p", published: "2020")],
  relations: [(name: "knows", inverse: "known_by")],
  entities: [(id: "ann", name: "Ann", kind: "actor"), (id: "bob", name: "Bob", kind: "actor")],
  facts: [(subject: "ann", relation: "knows", object: "bob", source: "s", quote: "Ann knows Bob")],
)
"#;

#[test]
fn reload_of_a_broken_file_keeps_the_old_graph() {
    let dir = TempDir::new("reload");
    let graph = dir.path("small.ron");
    fs::write(&graph, SMALL).unwrap();
    let mut repl = Repl::start(&dir.path("history"), &["-g", graph.to_str().unwrap()]);
    assert!(repl.run("neighbors Ann").contains("Bob"));

    fs::write(
        &graph,
        SMALL.replace("relation: \"knows\"", "relation: \"knws\""),
    )
    .unwrap();
    let failed = repl.run("reload");
    assert!(failed.contains("unknown relation `knws`"), "{failed}");
    assert!(failed.contains("the graph was not changed"), "{failed}");
    assert!(repl.run("neighbors Ann").contains("Bob"));

    let fixed = SMALL.replace(
        "(id: \"bob\", name: \"Bob\", kind: \"actor\")",
        "(id: \"bob\", name: \"Bob\", kind: \"actor\"), (id: \"cy\", name: \"Cy\", kind: \"actor\")",
    );
    fs::write(&graph, fixed).unwrap();
    assert!(repl.run("reload").contains("loaded 3 entities"));
    // Completion sees the new graph at once.
    repl.send("show c\t");
    repl.expect("show Cy ");
    repl.send("\r");
    repl.expect("Cy [cy] actor");
    repl.expect(PROMPT);
    assert_eq!(repl.quit(), 0);
}

/// Lines typed at the prompt and the same lines as a script answer alike (the script separates
/// text answers with a blank line).
#[test]
fn the_repl_and_a_script_give_the_same_answers() {
    let dir = TempDir::new("same");
    let lines = [
        "stats",
        "neighbors Homs depth 1",
        "path ISIL to Homs",
        "why isil advanced_on homs",
        "set at 2016",
        "neighbors \"Al Sukhna\"",
        "timeline ISIL from 2015 to 2016",
        "entities kind event matching sukhna",
        "match ?x recaptured ?p",
        "help path",
    ];
    let script = dir.path("lines.kgq");
    fs::write(&script, lines.join("\n") + "\n").unwrap();
    // Quiet: the REPL prints no `# FILE:LINE:` headers, and otherwise the two must not differ.
    let run = Command::new(BIN)
        .args(["run", "--quiet"])
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let from_script = String::from_utf8(run.stdout).unwrap();

    let mut repl = Repl::start(&dir.path("history"), &[]);
    let answers: Vec<String> = lines.iter().map(|l| repl.run(l)).collect();
    assert_eq!(repl.quit(), 0);
    assert_eq!(answers.join("\n"), from_script);
}

fn piped(stdin: &str) -> std::process::Output {
    let mut child = Command::new(BIN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn piped_stdin_is_a_script_without_prompt_or_banner() {
    let ok = piped("neighbors ISIL depth 1\n");
    assert!(ok.status.success());
    let out = String::from_utf8(ok.stdout).unwrap();
    assert!(out.starts_with("ISIL (actor)"), "{out}");
    assert!(!out.contains(PROMPT) && !out.contains("Ctrl-D"), "{out}");

    let failed = piped("neighbors ISIL\nnieghbors ISIL\n");
    assert_eq!(failed.status.code(), Some(1));
    let err = String::from_utf8(failed.stderr).unwrap();
    assert!(err.contains("<stdin>:2:1"), "{err}");
}

#[test]
fn a_history_file_that_is_a_fifo_is_refused_not_waited_on() {
    // Opening a FIFO for writing waits for a reader: the shell never reached its prompt.
    let dir = TempDir::new("fifo-history");
    let fifo = dir.path("history");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut repl = Repl::start(&fifo, &[]);
    let stats = repl.run("stats");
    assert!(stats.contains("entities   89"), "{stats}");
    assert_eq!(repl.quit(), 0);
}

#[test]
fn a_history_file_that_is_a_device_is_refused_not_read_forever() {
    // /dev/full reads as endless zeros and refuses every write: loading it as history used to hang.
    let mut repl = Repl::start(Path::new("/dev/full"), &[]);
    let stats = repl.run("stats");
    assert!(stats.contains("entities   89"), "{stats}");
    assert_eq!(repl.quit(), 0);
}

/// The REPL's `export` keeps files it did not write unless told `force`, replaces its own, and
/// never writes over a loaded fact file.
#[test]
fn export_at_the_prompt_keeps_files_it_did_not_write() {
    let dir = TempDir::new("export");
    let graph = dir.path("small.ron");
    fs::write(&graph, SMALL).unwrap();
    let theirs = dir.path("theirs.dot");
    fs::write(&theirs, "keep me").unwrap();
    let mut repl = Repl::start(&dir.path("history"), &["-g", graph.to_str().unwrap()]);
    let at = |name: &str| dir.path(name).to_str().unwrap().to_string();

    let refused = repl.run(&format!("export dot {}", at("theirs.dot")));
    assert!(refused.contains("already exists"), "{refused}");
    assert!(refused.contains("force`"), "{refused}");
    assert_eq!(fs::read_to_string(&theirs).unwrap(), "keep me");
    let forced = repl.run(&format!("export dot {} force", at("theirs.dot")));
    assert!(forced.contains("wrote"), "{forced}");
    assert!(fs::read_to_string(&theirs)
        .unwrap()
        .starts_with("// factgraph export"));

    // Its own file twice without `force`: the second replaces the first.
    assert!(repl
        .run(&format!("export dot {}", at("mine.x")))
        .contains("wrote"));
    assert!(repl
        .run(&format!("export json {}", at("mine.x")))
        .contains("wrote"));
    assert!(fs::read_to_string(dir.path("mine.x"))
        .unwrap()
        .starts_with('{'));

    let input = repl.run(&format!("export json {} force", at("small.ron")));
    assert!(input.contains("a fact file being read"), "{input}");
    assert_eq!(fs::read_to_string(&graph).unwrap(), SMALL);
    assert_eq!(repl.quit(), 0);
}

/// At the prompt Ctrl-C is a key, so a signal comes from elsewhere (`kill`, a closed terminal):
/// it ends the shell, as it did before the shell had a handler, instead of being swallowed.
#[test]
fn sigterm_at_the_prompt_ends_the_shell() {
    let dir = TempDir::new("sigterm");
    let mut repl = Repl::start(&dir.path("history"), &[]);
    repl.pty
        .process_mut()
        .signal(rexpect::process::Signal::SIGTERM)
        .unwrap();
    match repl.pty.process().wait().unwrap() {
        rexpect::process::WaitStatus::Exited(_, code) => assert_eq!(code, 130),
        other => panic!("the REPL did not exit: {other:?}"),
    }
}

#[test]
fn the_banner_is_one_short_line() {
    let dir = TempDir::new("banner");
    let repl = Repl::start(&dir.path("history"), &[]);
    let banner = repl.banner.trim_end();
    assert!(!banner.contains('\n'), "{banner:?}");
    assert!(banner.chars().count() < 80, "{banner:?}");
    assert!(banner.contains("192 facts"), "{banner}");
    assert!(banner.contains("help, Tab, Ctrl-D"), "{banner}");
    assert_eq!(repl.quit(), 0);
}

/// The same query piped (not a terminal): whole lines.
fn unwrapped(query: &str, evidence: &str) -> String {
    let out = Command::new(BIN)
        .args(["query", "--evidence", evidence, query])
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Checks that `wrapped` is `whole` broken at spaces to `columns`, each broken line going on
/// deeper than it began.
fn assert_wrapped(wrapped: &str, whole: &str, columns: usize) {
    assert!(
        whole.lines().any(|l| l.chars().count() > columns),
        "nothing to wrap:\n{whole}"
    );
    for line in wrapped.lines() {
        assert!(line.chars().count() <= columns, "{line:?}\n{wrapped}");
    }
    // The same words in the same order: no word was cut in two.
    assert!(
        wrapped.split_whitespace().eq(whole.split_whitespace()),
        "{wrapped}\n---\n{whole}"
    );
    let lines: Vec<&str> = wrapped.lines().collect();
    for long in whole.lines().filter(|l| l.chars().count() > columns) {
        let head: String = long.chars().take(30).collect();
        let at = lines.iter().position(|l| l.starts_with(&head)).unwrap();
        assert!(
            indent(lines[at + 1]) > indent(long),
            "no hanging indent after {long:?}:\n{wrapped}"
        );
    }
}

#[test]
fn answers_wrap_at_the_terminal_width_on_word_boundaries() {
    let dir = TempDir::new("wrap");
    let mut repl = Repl::start_with_columns(100, &dir.path("history"), &[]);
    // The default footnotes: the list of quotes wraps under each quote's first word.
    let query = "match ?who recaptured ?place, ?place located_in ?where";
    let footnotes = repl.run(query);
    assert_wrapped(&footnotes, &unwrapped(query, "footnotes"), 100);
    // In full, every row's evidence wraps beneath it.
    repl.run("set evidence full");
    let query = "why ISIL besieges \"Deir Ezzor\"";
    let full = repl.run(query);
    assert_wrapped(&full, &unwrapped(query, "full"), 100);
    assert!(full.contains("\n    \"Deir Ezzor, the capital"), "{full}");
    assert_eq!(repl.quit(), 0);
}

#[test]
fn columns_in_the_environment_overrides_the_terminal_width() {
    let dir = TempDir::new("columns");
    let mut command = Command::new(BIN);
    command.env("COLUMNS", "60");
    let mut repl = Repl::spawn(command, &dir.path("history"), &[]);
    let query = "why ISIL besieges \"Deir Ezzor\"";
    let text = repl.run(query);
    assert_wrapped(&text, &unwrapped(query, "footnotes"), 60);
    assert_eq!(repl.quit(), 0);
}

/// A binary picture is never poured onto a terminal: `export --format png` without `-o` refuses,
/// says how to write it, and exits 2 before Graphviz is even looked for.
#[test]
fn a_png_is_not_written_to_the_terminal() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.ron");
    let mut command = Command::new(BIN);
    command
        .args(["-g", fixture.to_str().unwrap(), "export", "--format", "png"])
        .env("NO_COLOR", "1")
        .env("FACTGRAPH_DOT", "/nonexistent/dot");
    let options = Options::new().timeout_ms(Some(TIMEOUT.as_millis() as u64));
    let pty = spawn_with_options(command, options).unwrap();
    let mut export = Repl {
        pty,
        plain: Plain::default(),
        banner: String::new(),
    };
    export.expect("not writing png to the terminal");
    export.expect("-o graph.png");
    match export.pty.process().wait().unwrap() {
        rexpect::process::WaitStatus::Exited(_, code) => assert_eq!(code, 2),
        other => panic!("export did not exit normally: {other:?}"),
    }
}

#[test]
fn reload_says_which_files_of_a_loaded_folder_were_added_changed_and_removed() {
    let dir = TempDir::new("reload-folder");
    let folder = dir.path("corpus");
    fs::create_dir_all(&folder).unwrap();
    fs::write(folder.join("a.ron"), SMALL).unwrap();
    let second =
        |id: &str| format!("(entities: [(id: \"{id}\", name: \"{id}\", kind: \"place\")])\n");
    fs::write(folder.join("b.ron"), second("town")).unwrap();
    let mut repl = Repl::start(&dir.path("history"), &[]);
    let loaded = repl.run(&format!("load {}", folder.display()));
    assert!(loaded.contains("in 3 files"), "{loaded}");

    fs::write(folder.join("c.ron"), second("village")).unwrap();
    fs::write(folder.join("b.ron"), second("city")).unwrap();
    let reloaded = repl.run("reload");
    assert!(
        reloaded.contains("reloaded: 1 file added, 1 changed, 0 removed"),
        "{reloaded}"
    );
    assert!(repl.run("show village").contains("village [village] place"));

    fs::remove_file(folder.join("c.ron")).unwrap();
    let reloaded = repl.run("reload");
    assert!(
        reloaded.contains("reloaded: 0 files added, 0 changed, 1 removed"),
        "{reloaded}"
    );
    assert!(repl.run("show city").contains("city [city] place"));

    // Touched, as an editor that saves unchanged text does: the same contents are no change.
    let b = folder.join("b.ron");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    fs::File::options()
        .write(true)
        .open(&b)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let reloaded = repl.run("reload");
    assert!(
        reloaded.contains("reloaded: 0 files added, 0 changed, 0 removed"),
        "{reloaded}"
    );
    // Rewritten to other contents of the same size: a change.
    fs::write(&b, second("town")).unwrap();
    let reloaded = repl.run("reload");
    assert!(
        reloaded.contains("reloaded: 0 files added, 1 changed, 0 removed"),
        "{reloaded}"
    );
    assert!(repl.run("show town").contains("town [town] place"));
    assert_eq!(repl.quit(), 0);
}

#[test]
fn load_shows_the_loaded_files_warnings_before_its_summary() {
    let dir = TempDir::new("load-warnings");
    let mut repl = Repl::start(&dir.path("history"), &[]);
    let shown = repl.run("load tests/fixtures/corpus/dupes/fictional-palmyra-report.ron");
    let warning = shown
        .find("warning: entity `islamic_state_fighters` is probably `isil`")
        .unwrap_or_else(|| panic!("{shown}"));
    let count = shown.find("warning: 2 curation warnings in the loaded files");
    let summary = shown.find("loaded 93 entities");
    assert!(count.is_some_and(|c| warning < c), "{shown}");
    assert!(summary.is_some_and(|s| count < Some(s)), "{shown}");
    assert_eq!(repl.quit(), 0);
}
