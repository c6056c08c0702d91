//! The factgraph command line: parses arguments, dispatches, and maps outcomes to exit codes
//! (0 ok, 1 data or query error, 2 usage error).

use clap::{Parser, Subcommand};
use factgraph::diagnostic::{render_all, Diagnostic};
use factgraph::load::{self, GraphSpec};
use std::path::PathBuf;
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let spec = GraphSpec::new(cli.graphs);
    match cli.command {
        Some(Command::Check { files, texts }) => check(files, &texts),
        Some(Command::Stats) => stats(&spec),
        None => stats(&spec),
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
    let (quote_texts, errors): (Vec<_>, Vec<_>) = texts
        .iter()
        .map(|t| load::quote_text(t))
        .partition(Result::is_ok);
    if !errors.is_empty() {
        return fail(
            &errors
                .into_iter()
                .filter_map(Result::err)
                .collect::<Vec<_>>(),
        );
    }
    let quote_texts: Vec<_> = quote_texts.into_iter().flatten().collect();
    match GraphSpec::new(files).load(&quote_texts) {
        Ok(graph) => {
            println!("ok: {}", graph.model.summary());
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics),
    }
}

fn stats(spec: &GraphSpec) -> ExitCode {
    match spec.load(&[]) {
        Ok(graph) => {
            println!("{}", graph.model.summary());
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics),
    }
}
