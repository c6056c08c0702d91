//! The factgraph command line: parses arguments and dispatches; `cli` holds what each command does
//! and maps outcomes to exit codes (0 ok, 1 data or query error, 2 usage error).

#![forbid(unsafe_code)]

mod cli;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use factgraph::date::{parse_when, When};
use factgraph::export::{self, Layout};
use factgraph::format::{AnswerFormat, Evidence, ExportFormat};
use factgraph::load::GraphSpec;
use factgraph::model::Kind;
use factgraph::script::Options as ScriptOptions;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "factgraph",
    version,
    about = "Build a knowledge graph from curated fact files and question it"
)]
struct Cli {
    /// A fact file, or a folder of them (every *.ron under it), to load (repeatable; files are
    /// merged). Default: the bundled Al Sukhna article graph.
    #[arg(short = 'g', long = "graph", value_name = "FILE|DIR", global = true)]
    graphs: Vec<PathBuf>,

    /// Neither read nor write the binary cache kept beside large fact files (FILE.ron.fgcache).
    #[arg(long = "no-cache", global = true)]
    no_cache: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate fact files and print a summary, or the problems found (the first 100, then a count).
    Check {
        /// Fact files, or folders of them, to check together (ids are shared across them);
        /// `-g FILE|DIR` adds more, loaded before them.
        #[arg(required = true, value_name = "FILE|DIR")]
        files: Vec<PathBuf>,
        /// Verify that every quote citing SOURCE_ID occurs verbatim in the text at PATH.
        #[arg(long = "text", value_name = "SOURCE_ID=PATH")]
        texts: Vec<String>,
        /// Treat curation warnings as errors (exit status 1), for a file that must check clean.
        #[arg(long)]
        deny_warnings: bool,
        /// Also report facts that cannot all be true (exit status 1 if any): the same claim on
        /// disjoint dates, a capture of a place already held, two holders at once, relations
        /// declared contradictory, a fact dated after its source.
        #[arg(long)]
        conflicts: bool,
    },
    /// Print the size and shape of the loaded graph.
    Stats,
    /// Answer one query.
    Query {
        /// The query, e.g. "path ISIL to Russia" (its words may also be given unquoted; a word
        /// the shell kept together, such as "Syrian government", stays one name).
        #[arg(required = true, num_args = 1.., value_name = "QUERY")]
        query: Vec<String>,
        #[command(flatten)]
        answer: AnswerArgs,
    },
    /// The interactive shell (the default): completion, history, Ctrl-C cancels a query. With
    /// standard input not a terminal, reads it as a script instead.
    Repl,
    /// Run a saved query script (one query per line); stops at the first error.
    Run {
        /// The script; `-` reads standard input.
        script: PathBuf,
        #[command(flatten)]
        answer: AnswerArgs,
        /// Run every line even after a failure (still exits 1 if any failed).
        #[arg(long)]
        keep_going: bool,
        /// In text, do not print each statement (`# FILE:LINE: QUERY`) before its answer.
        #[arg(long, short = 'q')]
        quiet: bool,
    },
    /// Export the graph, or what a query's answer touches, for Graphviz, Gephi, networkx, RDF
    /// stores, Neo4j or Kuzu (stdout without -o).
    Export(ExportArgs),
    /// Turn triples (TSV, CSV, N-Triples) or a JSON export into a fact file that `check` accepts.
    Import(ImportArgs),
    /// Compare two corpora (fact files or folders of them) for review: facts added, removed and
    /// redated, entities renamed and merged, sources, relations, and who held what differently.
    /// `-g FILE|DIR` loads a base both sides share, such as the article graph a corpus cites.
    /// Exits 0 when they are equal, 1 when they differ, 2 when either side fails to load.
    Diff {
        /// The corpus before the change: a fact file, or a folder whose *.ron files are loaded.
        old: PathBuf,
        /// The corpus after it.
        new: PathBuf,
        /// text for people, json for tools (its schema: docs/diff.md).
        #[arg(long, value_enum, default_value = "text")]
        format: DiffFormat,
    },
    /// Start a fact file for an article: its source record, the entities the loaded graph (the
    /// bundled one, or -g) already knows that it names, and candidate new entities.
    New {
        /// The article's text (`Title:`, `Publisher:`, `Published:` lines at its top are read).
        #[arg(long = "text", value_name = "ARTICLE.txt")]
        text: PathBuf,
        /// The fact file to write.
        #[arg(short = 'o', long = "output", value_name = "FILE.ron")]
        output: PathBuf,
        /// Replace FILE.ron if it exists.
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

#[derive(Args)]
pub struct AnswerArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: AnswerFormat,
    /// Answer from the graph as it stood at DATE (e.g. 2016-01, late 2014).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub at: Option<When>,
    /// Answer only from the dated facts that may fall in PERIOD (e.g. 2017, 2017-07..2017-08-06).
    #[arg(long, value_name = "PERIOD", value_parser = parse_date_arg)]
    pub during: Option<When>,
    /// Answer only from what had been reported by DATE: hide facts whose source was published
    /// after it.
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub reported: Option<When>,
    /// Report load time and graph size once, and the time each query took.
    #[arg(long)]
    pub timing: bool,
    /// How text answers show their quotes: footnotes (each once, numbered), full (under every
    /// row, with file:line), short (one cut line per row), context (as full, each quote inside
    /// its sentence where the source has its text) or off.
    #[arg(long, value_enum, value_name = "HOW", default_value_t)]
    pub evidence: Evidence,
    /// What one query may build beyond the graph (512MB by default; KB, MB, GB or TB). A query
    /// that reaches it stops with a note.
    #[arg(long, value_name = "SIZE", value_parser = parse_memory_limit)]
    pub memory_limit: Option<u64>,
}

impl AnswerArgs {
    fn plain() -> AnswerArgs {
        AnswerArgs {
            format: AnswerFormat::Text,
            at: None,
            during: None,
            reported: None,
            timing: false,
            evidence: Evidence::default(),
            memory_limit: None,
        }
    }
}

/// The query's words as one line, as `git commit -m` users expect. A word with spaces in it was
/// quoted in the shell, so it is quoted again and stays one name (unless it kept its own quotes).
fn query_text(words: &[String]) -> String {
    match words {
        [one] => one.clone(),
        words => words
            .iter()
            .map(|w| {
                let already_quoted = w.len() >= 2 && w.starts_with('"') && w.ends_with('"');
                if w.contains(char::is_whitespace) && !already_quoted {
                    factgraph::query::quoted_string(w)
                } else {
                    w.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn parse_memory_limit(text: &str) -> Result<u64, String> {
    factgraph::query::memory_limit(text).map_err(|e| e.to_string())
}

fn parse_date_arg(text: &str) -> Result<When, String> {
    parse_when(text).map_err(|e| e.message)
}

#[derive(Args)]
pub struct ExportArgs {
    /// dot, graphml, json, ntriples, cypher, csv (a directory of nodes.csv and edges.csv), or svg,
    /// png, pdf (drawn by Graphviz). Without it, the ending of OUT names the format (.dot, .gv,
    /// .graphml, .json, .nt, .cypher, .svg, .png, .pdf).
    #[arg(long, short = 'f', value_name = "FORMAT", value_enum)]
    pub format: Option<ExportFormat>,
    /// Write here instead of stdout (for csv: a directory). Binary pictures (png, pdf) are never
    /// written to a terminal.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Overwrite OUT if it exists.
    #[arg(long)]
    pub force: bool,
    /// Export only what this query's answer touches (a path, a neighbourhood, a match, a card).
    #[arg(long, value_name = "QUERY", conflicts_with = "focus")]
    pub query: Option<String>,
    /// Export the neighbourhood of ENTITY (an ego picture): it, what lies within --depth steps,
    /// and the facts of all but the outermost ring.
    #[arg(long, value_name = "ENTITY")]
    pub focus: Option<String>,
    /// With --focus: how many steps out to go.
    #[arg(long, value_name = "N", default_value_t = 1, requires = "focus")]
    pub depth: u32,
    /// Pictures: the Graphviz layout engine; auto uses dot for small pictures, neato (sfdp
    /// beyond 300 entities) for large ones and ego pictures, and fdp for --cluster.
    #[arg(long, value_enum, default_value_t = Layout::Auto)]
    pub layout: Layout,
    /// Pictures: draw at most N entities, the most interconnected; each other one is counted
    /// on a neighbour ("+N more", listed on hover in svg). 0 draws every entity.
    #[arg(long, value_name = "N", default_value_t = export::DEFAULT_MAX_ENTITIES)]
    pub max_entities: usize,
    /// Keep only the facts that hold at DATE (`2017-08`, `late 2016`, ...); undated facts always do.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    /// Keep only the dated facts that may fall in PERIOD (`2017`, `2017-07..2017-08-06`, ...).
    #[arg(long, value_name = "PERIOD")]
    pub during: Option<String>,
    /// Keep only what had been reported by DATE: drop facts whose source was published after it.
    #[arg(long, value_name = "DATE")]
    pub reported: Option<String>,
    /// N-Triples: the IRI every exported IRI starts with.
    #[arg(long, value_name = "IRI", default_value = export::DEFAULT_BASE_IRI)]
    pub base: String,
    /// Dot: draw places nested by `located_in` as clusters.
    #[arg(long)]
    pub cluster: bool,
}

#[derive(Args)]
pub struct ImportArgs {
    /// The format of IN: a JSON export of factgraph, or (head, relation, tail) triples.
    #[arg(long = "from", value_enum)]
    pub from: ImportFrom,
    /// The file to read.
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// The fact file to write.
    #[arg(short = 'o', long = "output", value_name = "OUT.ron", required = true)]
    pub output: PathBuf,
    /// Triples: the kind of every imported entity (actor, place, event or thing).
    #[arg(long, default_value = "thing", value_parser = parse_kind)]
    pub kind: Kind,
    /// Triples: the `published` date of the synthetic source (default: today).
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    /// TSV or CSV: skip the first line (a column header).
    #[arg(long)]
    pub header: bool,
    /// TSV or CSV: the column holding each fact's date, counted from 1 (head, relation and tail
    /// are columns 1 to 3), for files with more than four columns. Without it an optional fourth
    /// column is the date. Any date form (`2018-09-01`, `2015-05`, `late 2014`, `2015..2017`); an
    /// empty cell leaves the fact undated.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(4..))]
    pub date_column: Option<u16>,
    /// Overwrite OUT.ron if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Output formats of `diff`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
}

/// Input formats of `import`; each maps to one reader.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFrom {
    Json,
    Tsv,
    Csv,
    Ntriples,
}

fn parse_kind(text: &str) -> Result<Kind, String> {
    Kind::parse(text).ok_or_else(|| format!("expected one of {}", Kind::NAMES.join(", ")))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // From the start, so that an interrupt at any point removes unfinished files. Without a
    // handler the signal's default action still ends the process; only the clean-up is lost,
    // and the next run removes what is left.
    let _ = factgraph::interrupt::install();
    let no_cache = cli.no_cache;
    let with_cache = |spec: GraphSpec| if no_cache { spec.without_cache() } else { spec };
    let spec = with_cache(GraphSpec::new(cli.graphs.clone()));
    match cli.command {
        Some(Command::Check {
            files,
            texts,
            deny_warnings,
            conflicts,
        }) => cli::check(
            // `-g` names files to load beside those checked, as for every other command.
            with_cache(GraphSpec::new([cli.graphs, files].concat())),
            &texts,
            cli::CheckOptions {
                deny_warnings,
                conflicts,
            },
        ),
        Some(Command::Stats) => cli::query(spec, "stats", &AnswerArgs::plain()),
        Some(Command::Query { query, answer }) => cli::query(spec, &query_text(&query), &answer),
        Some(Command::Run {
            script,
            answer,
            keep_going,
            quiet,
        }) => {
            let how = ScriptOptions {
                keep_going,
                headers: !quiet,
            };
            cli::run(spec, &script, &answer, how)
        }
        Some(Command::Export(args)) => cli::export(spec, args),
        Some(Command::Import(args))
            if args.date_column.is_some()
                && matches!(args.from, ImportFrom::Json | ImportFrom::Ntriples) =>
        {
            Cli::command()
                .error(
                    clap::error::ErrorKind::ArgumentConflict,
                    "--date-column applies to --from tsv and --from csv only",
                )
                .exit()
        }
        Some(Command::Import(args)) if args.from == ImportFrom::Json => cli::import_json(args),
        Some(Command::Import(args)) => cli::import_triples(args),
        Some(Command::Diff { old, new, format }) => {
            cli::diff(&cli.graphs, &old, &new, format, no_cache)
        }
        Some(Command::Generate {
            facts,
            seed,
            output,
            force,
        }) => cli::generate(facts, seed, &output, force),
        Some(Command::New {
            text,
            output,
            force,
        }) => cli::new(spec, &text, &output, force),
        Some(Command::Repl) | None if std::io::stdin().is_terminal() => cli::repl(spec),
        // Piped into the shell, statements are answered as the shell answers them: no headers.
        Some(Command::Repl) | None => cli::run(
            spec,
            Path::new("-"),
            &AnswerArgs::plain(),
            ScriptOptions::default(),
        ),
    }
}
