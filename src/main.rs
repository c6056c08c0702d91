//! The factgraph command line: parses arguments, dispatches, and maps outcomes to exit codes
//! (0 ok, 1 data or query error, 2 usage error).

use clap::{Parser, Subcommand};
use factgraph::diagnostic::{render_all, Diagnostic};
use factgraph::export::output::Destination;
use factgraph::export::{self, ExportError, ExportOptions, Format, Subgraph, Target};
use factgraph::fact_file::SourceText;
use factgraph::load::{self, GraphSpec};
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

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
    /// Export the graph for Graphviz, Gephi, networkx, RDF stores, Neo4j or Kuzu (stdout without -o).
    Export(ExportArgs),
    /// Turn another format back into a fact file that `check` accepts.
    Import(ImportArgs),
}

#[derive(clap::Args)]
struct ExportArgs {
    /// dot, graphml, json, ntriples, cypher, csv (a directory of nodes.csv and edges.csv), or svg, png, pdf (drawn by Graphviz).
    #[arg(long, short = 'f', value_name = "FORMAT", value_parser = Format::from_str)]
    format: Format,
    /// Write here instead of stdout (for csv: a directory).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
    /// Overwrite OUT if it exists.
    #[arg(long)]
    force: bool,
    /// Keep only the facts that hold at DATE (`2017-08`, `late 2016`, ...); undated facts always do.
    #[arg(long, value_name = "DATE")]
    at: Option<String>,
    /// N-Triples: the IRI every exported IRI starts with.
    #[arg(long, value_name = "IRI", default_value = export::DEFAULT_BASE_IRI)]
    base: String,
    /// Dot: draw places nested by `located_in` as clusters.
    #[arg(long)]
    cluster: bool,
}

#[derive(clap::Args)]
struct ImportArgs {
    /// The format of IN.
    #[arg(long = "from", value_name = "FORMAT", value_parser = ["json"])]
    from: String,
    /// The file to read.
    #[arg(value_name = "IN")]
    input: PathBuf,
    /// The fact file to write.
    #[arg(short = 'o', long = "output", value_name = "OUT.ron", required = true)]
    output: PathBuf,
    /// Overwrite OUT.ron if it exists.
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let spec = GraphSpec::new(cli.graphs);
    match cli.command {
        Some(Command::Check { files, texts }) => check(files, &texts),
        Some(Command::Stats) => stats(&spec),
        Some(Command::Export(args)) => export(&spec, args),
        Some(Command::Import(args)) => match args.from.as_str() {
            "json" => import_json(args),
            other => usage(&format!("cannot import from `{other}`")),
        },
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

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

fn export_failed(error: &ExportError) -> ExitCode {
    // A reader that stops early (`| head`) is not a failure.
    if let ExportError::Io { path: None, error } = error {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            return ExitCode::SUCCESS;
        }
    }
    let usage = matches!(
        error,
        ExportError::BadDate { .. } | ExportError::BadBase { .. } | ExportError::CsvNeedsDirectory
    );
    eprintln!("{}", render_all(&error.to_diagnostics()));
    ExitCode::from(if usage { 2 } else { 1 })
}

fn export(spec: &GraphSpec, args: ExportArgs) -> ExitCode {
    let at = match args.at.as_deref().map(export::parse_at).transpose() {
        Ok(at) => at,
        Err(e) => return export_failed(&e),
    };
    let base_iri = match export::ntriples::base_iri(&args.base) {
        Ok(base) => base,
        Err(e) => return export_failed(&e),
    };
    let graph = match spec.load(&[]) {
        Ok(graph) => graph,
        Err(diagnostics) => return fail(&diagnostics),
    };
    let mut sub = Subgraph::whole(&graph);
    if let Some(at) = at {
        sub = sub.at(&graph, at);
    }
    let options = ExportOptions {
        base_iri,
        cluster: args.cluster,
    };
    let mut stdout = std::io::stdout().lock();
    let target = match args.output {
        Some(path) => Target::File(Destination::new(path, args.force, spec.files.clone())),
        None => Target::Stream(&mut stdout),
    };
    match export::export(&graph, &sub, args.format, &options, target) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => export_failed(&e),
    }
}

fn import_json(args: ImportArgs) -> ExitCode {
    let json = match SourceText::read(&args.input) {
        Ok(json) => json,
        Err(d) => return fail(&[d]),
    };
    let name = args.output.display().to_string();
    let destination = Destination::new(args.output, args.force, vec![args.input]);
    let written = destination.check().and_then(|()| {
        let text = export::json::import(&json, &name)?;
        destination.write_with(|out| out.write_all(text.as_bytes()))
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => export_failed(&e),
    }
}
