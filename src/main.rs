//! The factgraph command line: parses arguments, dispatches, and maps outcomes to exit codes
//! (0 ok, 1 data or query error, 2 usage error).

use clap::{Args, Parser, Subcommand, ValueEnum};
use factgraph::date::{parse_when, When};
use factgraph::diagnostic::{render_all, Diagnostic};
use factgraph::load::{self, GraphSpec};
use factgraph::query::Format;
use factgraph::script;
use factgraph::session::{Input, Outcome, Session};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "factgraph",
    version,
    about = "Build a knowledge graph from curated fact files and question it"
)]
struct Cli {
    /// A fact file to load (repeatable; files are merged). Default: the bundled Al Sukhna article graph.
    #[arg(short = 'g', long = "graph", value_name = "FILE", global = true)]
    graphs: Vec<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate fact files and print a summary, or every problem found.
    Check {
        /// Fact files to check together (ids are shared across them).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Verify that every quote citing SOURCE_ID occurs verbatim in the text at PATH.
        #[arg(long = "text", value_name = "SOURCE_ID=PATH")]
        texts: Vec<String>,
    },
    /// Print the size and shape of the loaded graph.
    Stats,
    /// Answer one query.
    Query {
        /// The query, e.g. "path ISIL to Russia".
        query: String,
        #[command(flatten)]
        answer: AnswerOptions,
    },
    /// The interactive shell (the default): completion, history, Ctrl-C cancels a query. With
    /// standard input not a terminal, reads it as a script instead.
    Repl,
    /// Run a saved query script (one query per line); stops at the first error.
    Run {
        /// The script; `-` reads standard input.
        script: PathBuf,
        #[command(flatten)]
        answer: AnswerOptions,
        /// Run every line even after a failure (still exits 1 if any failed).
        #[arg(long)]
        keep_going: bool,
    },
}

#[derive(Args)]
struct AnswerOptions {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
    /// Answer from the graph as it stood at DATE (e.g. 2016-01, late 2014).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    at: Option<When>,
    /// Report load time and graph size once, and the time each query took.
    #[arg(long)]
    timing: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Jsonl,
    Tsv,
    Csv,
    Markdown,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Tsv => Format::Tsv,
            FormatArg::Csv => Format::Csv,
            FormatArg::Markdown => Format::Markdown,
        }
    }
}

fn parse_date_arg(text: &str) -> Result<When, String> {
    parse_when(text).map_err(|e| e.message)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let spec = GraphSpec::new(cli.graphs);
    match cli.command {
        Some(Command::Check { files, texts }) => check(files, &texts),
        Some(Command::Stats) => query(spec, "stats", &AnswerOptions::plain()),
        Some(Command::Query {
            query: text,
            answer,
        }) => query(spec, &text, &answer),
        Some(Command::Run {
            script,
            answer,
            keep_going,
        }) => run(spec, &script, &answer, keep_going),
        Some(Command::Repl) | None if std::io::stdin().is_terminal() => repl(spec),
        Some(Command::Repl) | None => run(spec, Path::new("-"), &AnswerOptions::plain(), false),
    }
}

impl AnswerOptions {
    fn plain() -> AnswerOptions {
        AnswerOptions {
            format: FormatArg::Text,
            at: None,
            timing: false,
        }
    }
}

fn fail(diagnostics: &[Diagnostic]) -> ExitCode {
    eprintln!("{}", render_all(diagnostics));
    let errors = diagnostics.len();
    eprintln!(
        "error: {errors} problem{} found",
        if errors == 1 { "" } else { "s" }
    );
    ExitCode::from(1)
}

fn check(files: Vec<PathBuf>, texts: &[String]) -> ExitCode {
    let mut quote_texts = Vec::new();
    let mut errors = Vec::new();
    for spec in texts {
        match load::quote_text(spec) {
            Ok(q) => quote_texts.push(q),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return fail(&errors);
    }
    match GraphSpec::new(files).load(&quote_texts) {
        Ok(graph) => {
            println!("ok: {}", graph.model.summary());
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics),
    }
}

/// Loads the graph into a session set up as the options say; reports load time with `--timing`.
fn open_session(spec: GraphSpec, options: &AnswerOptions) -> Result<Session, ExitCode> {
    let started = std::time::Instant::now();
    let mut session = Session::open(spec).map_err(|d| fail(&d))?;
    session.format = options.format.into();
    session.at = options.at;
    session.timing = options.timing;
    if options.timing {
        eprintln!(
            "loaded {} in {:.1} ms",
            session.graph().model.summary(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    Ok(session)
}

fn query(spec: GraphSpec, text: &str, options: &AnswerOptions) -> ExitCode {
    let mut session = match open_session(spec, options) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match session.execute(Input::line("query", text)) {
        Ok(Outcome::Output(output)) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            eprintln!("{}", render_all(&diagnostics));
            ExitCode::from(1)
        }
    }
}

fn run(spec: GraphSpec, path: &Path, options: &AnswerOptions, keep_going: bool) -> ExitCode {
    let (name, text) = if path.as_os_str() == "-" {
        let mut text = String::new();
        if std::io::stdin().read_to_string(&mut text).is_err() {
            return fail(&[Diagnostic::error("standard input is not valid UTF-8 text")]);
        }
        ("<stdin>".to_string(), text)
    } else {
        match factgraph::fact_file::SourceText::read(path) {
            Ok(source) => (source.name, source.text),
            Err(d) => return fail(&[d]),
        }
    };
    let mut session = match open_session(spec, options) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut err = std::io::stderr();
    match script::run(&mut session, &name, &text, keep_going, &mut out, &mut err) {
        Ok(report) if report.failed == 0 => ExitCode::SUCCESS,
        Ok(report) => {
            let _ = out.flush();
            if keep_going {
                eprintln!(
                    "error: {} of {} statements failed",
                    report.failed, report.statements
                );
            }
            ExitCode::from(1)
        }
        // A closed pipe (`| head`) is not an error of the user's.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&[Diagnostic::error(format!("cannot write output: {e}"))]),
    }
}

fn repl(spec: GraphSpec) -> ExitCode {
    let session = match open_session(spec, &AnswerOptions::plain()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match factgraph::repl::run(session) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&[Diagnostic::error(format!("the terminal failed: {e}"))]),
    }
}
