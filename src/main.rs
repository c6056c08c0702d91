//! The factgraph command line: parses arguments, dispatches, and maps outcomes to exit codes
//! (0 ok, 1 data or query error, 2 usage error).

use clap::{Parser, Subcommand, ValueEnum};
use factgraph::diagnostic::{render_all, Diagnostic};
use factgraph::import::{self, ImportOptions, TripleFormat};
use factgraph::load::{self, GraphSpec};
use factgraph::model::Kind;
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

    /// Neither read nor write the binary cache kept beside large fact files (FILE.ron.fgcache).
    #[arg(long = "no-cache", global = true)]
    no_cache: bool,

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
    /// Turn a file of (head, relation, tail) triples into a fact file that `check` accepts.
    Import {
        /// The syntax of the input.
        #[arg(long = "from", value_enum)]
        from: ImportFrom,
        /// The triple file to read.
        #[arg(value_name = "IN")]
        input: PathBuf,
        /// The fact file to write.
        #[arg(short = 'o', long = "output", value_name = "OUT.ron")]
        output: PathBuf,
        /// The kind of every imported entity: actor, place, event or thing.
        #[arg(long, default_value = "thing", value_parser = parse_kind)]
        kind: Kind,
        /// The `published` date of the synthetic source (default: today).
        #[arg(long, value_name = "DATE")]
        published: Option<String>,
        /// Skip the first line of a TSV or CSV file (a column header).
        #[arg(long)]
        header: bool,
        /// Replace OUT.ron if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Write a synthetic fact file (power-law degrees, typed relations, dates, quotes) for
    /// measuring load time and memory at scale.
    Generate {
        /// How many facts.
        #[arg(long)]
        facts: usize,
        /// Seed of the pseudo-random generator; the same seed gives the same file.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The fact file to write.
        #[arg(short = 'o', long = "output", value_name = "OUT.ron")]
        output: PathBuf,
        /// Replace OUT.ron if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// Input syntaxes of `import`; each maps to one reader.
#[derive(Clone, Copy, ValueEnum)]
enum ImportFrom {
    Tsv,
    Csv,
    Ntriples,
}

fn parse_kind(text: &str) -> Result<Kind, String> {
    Kind::parse(text).ok_or_else(|| format!("expected one of {}", Kind::NAMES.join(", ")))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let with_cache = |spec: GraphSpec| {
        if cli.no_cache {
            spec.without_cache()
        } else {
            spec
        }
    };
    let spec = with_cache(GraphSpec::new(cli.graphs));
    match cli.command {
        Some(Command::Check { files, texts }) => check(with_cache(GraphSpec::new(files)), &texts),
        Some(Command::Stats) => stats(&spec),
        Some(Command::Import {
            from,
            input,
            output,
            kind,
            published,
            header,
            force,
        }) => {
            let format = match from {
                ImportFrom::Tsv => TripleFormat::Tsv,
                ImportFrom::Csv => TripleFormat::Csv,
                ImportFrom::Ntriples => TripleFormat::Ntriples,
            };
            let published = published.unwrap_or_else(import::today);
            let options = ImportOptions {
                format,
                kind,
                published,
                header,
            };
            import_triples(&input, &output, &options, force)
        }
        Some(Command::Generate {
            facts,
            seed,
            output,
            force,
        }) => match factgraph::generate::generate(facts, seed, &output, force) {
            Ok(g) => {
                println!(
                    "wrote {}: {} facts, {} entities, {} relations",
                    output.display(),
                    g.facts,
                    g.entities,
                    g.relations
                );
                ExitCode::SUCCESS
            }
            Err(d) => fail(&[d]),
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

/// The process is about to end: the OS takes the whole graph back at once, which is much faster
/// than freeing millions of facts one allocation at a time.
fn exit_without_freeing(graph: factgraph::graph::KnowledgeGraph) -> ExitCode {
    std::mem::forget(graph);
    ExitCode::SUCCESS
}

fn check(spec: GraphSpec, texts: &[String]) -> ExitCode {
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
    match spec.load(&quote_texts) {
        Ok(graph) => {
            println!("ok: {}", graph.model.summary());
            exit_without_freeing(graph)
        }
        Err(diagnostics) => fail(&diagnostics),
    }
}

fn stats(spec: &GraphSpec) -> ExitCode {
    match spec.load(&[]) {
        Ok(graph) => {
            println!("{}", graph.model.summary());
            exit_without_freeing(graph)
        }
        Err(diagnostics) => fail(&diagnostics),
    }
}

fn import_triples(
    input: &std::path::Path,
    output: &std::path::Path,
    options: &ImportOptions,
    force: bool,
) -> ExitCode {
    match import::import_file(input, output, options, force) {
        Ok(s) => {
            println!(
                "wrote {}: {} facts, {} entities, {} relations{}",
                output.display(),
                s.facts,
                s.entities,
                s.relations,
                if s.duplicates > 0 {
                    format!(" ({} duplicate triples skipped)", s.duplicates)
                } else {
                    String::new()
                }
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics),
    }
}
