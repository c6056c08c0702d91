//! Exports: the graph, or the part of it a query's answer touches, in the formats other tools read.
//!
//! Every exporter takes a [`Subgraph`] (which entities and facts to write, and which facts to
//! highlight) and writes deterministic output: the same graph and subgraph give byte-identical bytes,
//! so golden files and diffs mean something. One format per file; [`crate::output`] owns writing
//! files and [`image`] the call out to Graphviz. Pictures are planned by [`drawing`] (in detail, or
//! as a summary that fits a screen) before [`dot`] writes them.

pub mod csv;
pub mod cypher;
pub mod dot;
pub mod drawing;
pub mod escape;
mod fold;
pub mod graphml;
pub mod image;
pub mod json;
pub mod ntriples;
pub mod records;
mod subgraph;

use crate::date::{parse_when, DateError, When};
use crate::diagnostic::Diagnostic;
pub use crate::format::ExportFormat;
use crate::graph::KnowledgeGraph;
use crate::model::EntityId;
use crate::output::{Destination, WriteError, Written};
use std::io::Write;
use std::path::{Path, PathBuf};

pub use drawing::{Layout, DEFAULT_MAX_ENTITIES};
pub use subgraph::{answer_subgraph, Subgraph};

/// Parses the date of `--at`, `--during` or `--reported` (`flag`) for [`Subgraph::within`].
pub fn parse_date(flag: &'static str, text: &str) -> Result<When, ExportError> {
    parse_when(text).map_err(|error| ExportError::BadDate {
        flag,
        text: text.to_string(),
        error,
    })
}

/// Settings that some formats read; every format ignores the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// N-Triples: the IRI every entity, relation, fact and source IRI starts with.
    pub base_iri: String,
    /// Dot: draw places nested by `located_in` as clusters.
    pub cluster: bool,
    /// Dot: the Graphviz engine that lays the picture out.
    pub layout: Layout,
    /// Dot: a subgraph of more entities than this is drawn as a summary (0: never).
    pub max_entities: usize,
    /// Dot: the centre of an ego picture, marked and never folded.
    pub focus: Option<EntityId>,
}

/// The base IRI when none is given: under example.org, which is reserved for exactly this.
pub const DEFAULT_BASE_IRI: &str = "https://example.org/factgraph/";

impl Default for ExportOptions {
    fn default() -> ExportOptions {
        ExportOptions {
            base_iri: DEFAULT_BASE_IRI.to_string(),
            cluster: false,
            layout: Layout::Auto,
            max_entities: DEFAULT_MAX_ENTITIES,
            focus: None,
        }
    }
}

/// Why an export failed, as data; [`ExportError::to_diagnostics`] words it for people.
#[derive(Debug)]
pub enum ExportError {
    Io {
        path: Option<PathBuf>,
        error: std::io::Error,
    },
    /// The output file was refused or could not be written.
    Write(WriteError),
    /// `dot` could not be started.
    GraphvizMissing { format: ExportFormat },
    /// `dot` ran and failed.
    Graphviz { status: Option<i32>, stderr: String },
    /// CSV is two files and so needs a directory.
    CsvNeedsDirectory,
    BadDate {
        /// The option the date was given to: `--at`, `--during` or `--reported`.
        flag: &'static str,
        text: String,
        error: DateError,
    },
    /// A `--base` that cannot start IRIs.
    BadBase { base: String, why: String },
    /// A JSON model that does not parse or does not validate (`import --from json`).
    Import(Vec<Diagnostic>),
    /// No `--format`, and no output file whose ending names one.
    NoFormat { output: Option<PathBuf> },
    /// A binary picture bound for a terminal, which it would only garble.
    BinaryToTerminal { format: ExportFormat },
    /// Quotes to export that the cache they are paged from could not give back.
    DamagedCache {
        cache: PathBuf,
        discarded: crate::model::Discarded,
    },
    /// `--focus` names no entity, or several.
    Focus {
        name: String,
        ambiguous: bool,
        help: Option<String>,
    },
}

impl ExportError {
    pub fn io(path: Option<PathBuf>, error: std::io::Error) -> ExportError {
        ExportError::Io { path, error }
    }

    pub fn to_diagnostics(&self) -> Vec<Diagnostic> {
        let one = match self {
            ExportError::Import(diagnostics) => return diagnostics.clone(),
            ExportError::Io { path: Some(p), error } => {
                Diagnostic::error(format!("cannot write `{}`: {error}", p.display()))
            }
            ExportError::Io { path: None, error } => {
                Diagnostic::error(format!("cannot write the export: {error}"))
            }
            ExportError::Write(e) => e.to_diagnostic(),
            ExportError::DamagedCache { cache, discarded } => {
                crate::cache::damaged(cache, *discarded)
            }
            ExportError::GraphvizMissing { format } => Diagnostic::error(format!(
                "{format} output needs Graphviz's `dot`, which was not found on PATH"
            ))
            .help("install the `graphviz` package (apt-get install graphviz, brew install graphviz, winget install graphviz)")
            .help("or export --format dot and render it elsewhere"),
            ExportError::Graphviz { status, stderr } => Diagnostic::error(format!(
                "Graphviz's `dot` failed (exit status {}): {}",
                status.map_or("none".to_string(), |s| s.to_string()),
                stderr.trim()
            )),
            ExportError::CsvNeedsDirectory => Diagnostic::error(
                "csv export writes two files (nodes.csv and edges.csv) and needs a directory",
            )
            .help("pass -o DIR"),
            ExportError::BadBase { base, why } => {
                Diagnostic::error(format!("`{base}` cannot be a base IRI: {why}"))
                    .help(format!("for example --base {DEFAULT_BASE_IRI}"))
            }
            ExportError::BadDate { flag, text, error } => {
                Diagnostic::error(format!("bad date `{text}` for {flag}: {error}"))
            }
            ExportError::NoFormat { output: Some(path) } => Diagnostic::error(format!(
                "cannot tell the export format from the name `{}`",
                path.display()
            ))
            .help(format!(
                "end the name with {}, or pass --format {}",
                ExportFormat::extension_list(),
                ExportFormat::choices()
            ))
            .help("csv writes a directory of two files, and so always needs --format csv"),
            ExportError::NoFormat { output: None } => {
                Diagnostic::error("export needs a format: --format FORMAT, or -o FILE with a known ending")
                    .help(format!(
                        "pass --format {}, or for example -o graph.svg",
                        ExportFormat::choices()
                    ))
            }
            ExportError::BinaryToTerminal { format } => Diagnostic::error(format!(
                "not writing {format} to the terminal: it is binary and would only garble the screen"
            ))
            .help(format!(
                "write it to a file with -o graph.{}, or pipe it to a program",
                format.name()
            )),
            ExportError::Focus {
                name,
                ambiguous,
                help,
            } => {
                let what = if *ambiguous {
                    format!("`{name}` for --focus is ambiguous")
                } else {
                    format!("unknown entity `{name}` for --focus")
                };
                match help {
                    Some(help) => Diagnostic::error(what).help(help.clone()),
                    None => Diagnostic::error(what),
                }
            }
        };
        vec![one]
    }
}

impl ExportError {
    /// Whether the command line was at fault (exit status 2) rather than the data or the system.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            ExportError::BadDate { .. }
                | ExportError::BadBase { .. }
                | ExportError::CsvNeedsDirectory
                | ExportError::NoFormat { .. }
                | ExportError::BinaryToTerminal { .. }
        )
    }
}

/// The format to export in: as given, or else as the output file's name ends (`-o z.png`).
pub fn infer_format(
    given: Option<ExportFormat>,
    output: Option<&Path>,
) -> Result<ExportFormat, ExportError> {
    if let Some(format) = given {
        return Ok(format);
    }
    output
        .and_then(|path| ExportFormat::from_file_name(&path.to_string_lossy()))
        .ok_or_else(|| ExportError::NoFormat {
            output: output.map(Path::to_path_buf),
        })
}

/// Refuses to send a binary picture to a terminal; text formats, and any stream that is a pipe or
/// a file, pass. The caller says whether standard output is a terminal, so this can be tested.
pub fn check_stream(format: ExportFormat, to_terminal: bool) -> Result<(), ExportError> {
    if format.is_binary() && to_terminal {
        Err(ExportError::BinaryToTerminal { format })
    } else {
        Ok(())
    }
}

impl From<WriteError> for ExportError {
    fn from(error: WriteError) -> ExportError {
        ExportError::Write(error)
    }
}

impl From<std::io::Error> for ExportError {
    fn from(error: std::io::Error) -> ExportError {
        ExportError::io(None, error)
    }
}

/// Writes a text format to `out`. Images and CSV are not streams of one text: see [`export`].
pub fn write_text(
    graph: &KnowledgeGraph,
    sub: &Subgraph,
    format: ExportFormat,
    options: &ExportOptions,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let mut out = std::io::BufWriter::new(out);
    if format.is_image() {
        let mut dot_text = Vec::new();
        dot::write(graph, sub, options, &mut dot_text)?;
        out.write_all(&image::render(&dot_text, format)?)?;
    } else {
        write_stream(graph, sub, format, &checked(format, options)?, &mut out)?;
    }
    out.flush()?;
    Ok(())
}

/// The options as the writer of `format` needs them; refuses those it cannot use.
fn checked(format: ExportFormat, options: &ExportOptions) -> Result<ExportOptions, ExportError> {
    match format {
        ExportFormat::Ntriples => Ok(ExportOptions {
            base_iri: ntriples::base_iri(&options.base_iri)?,
            ..options.clone()
        }),
        ExportFormat::Csv => Err(ExportError::CsvNeedsDirectory),
        _ => Ok(options.clone()),
    }
}

/// Streams a text format (not an image, not CSV) with `options` already [`checked`].
fn write_stream(
    graph: &KnowledgeGraph,
    sub: &Subgraph,
    format: ExportFormat,
    options: &ExportOptions,
    mut out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        ExportFormat::Dot => dot::write(graph, sub, options, &mut out),
        ExportFormat::Graphml => graphml::write(graph, sub, options, &mut out),
        ExportFormat::Json => json::write(graph, sub, options, &mut out),
        ExportFormat::Ntriples => ntriples::write(graph, sub, options, &mut out),
        ExportFormat::Cypher => cypher::write(graph, sub, options, &mut out),
        // Callers route these elsewhere; an error rather than an empty file if one ever is not.
        ExportFormat::Csv | ExportFormat::Svg | ExportFormat::Png | ExportFormat::Pdf => Err(
            std::io::Error::other(format!("{format} is not written as one stream of text")),
        ),
    }
}

/// Where an export goes.
pub enum Target<'a> {
    /// Standard output or any other stream; CSV cannot go here.
    Stream(&'a mut dyn Write),
    /// A file (a directory for CSV), written by the rules of [`crate::output`].
    File(Destination),
}

/// Exports `sub` in `format` to `target`: the one entry point of the CLI, the REPL and scripts.
/// Returns the identities of the files written, so that a session may replace them later.
pub fn export(
    graph: &KnowledgeGraph,
    sub: &Subgraph,
    format: ExportFormat,
    options: &ExportOptions,
    target: Target<'_>,
) -> Result<Vec<Written>, ExportError> {
    // Read first: a damaged cache fails the export before any file or stream holds a
    // placeholder in a quote's place.
    if let Some(cache) = graph.model.damaged_quotes(sub.facts.iter().copied()) {
        return Err(ExportError::DamagedCache {
            cache: cache.to_path_buf(),
            discarded: graph.model.discard_damaged_cache(),
        });
    }
    match (format, target) {
        (ExportFormat::Csv, Target::Stream(_)) => Err(ExportError::CsvNeedsDirectory),
        (ExportFormat::Csv, Target::File(dest)) => csv_files(graph, sub, &dest),
        (ExportFormat::Svg | ExportFormat::Png | ExportFormat::Pdf, target) => {
            // Refuse first, render next, write last: a missing Graphviz leaves no empty file.
            if let Target::File(dest) = &target {
                dest.check()?;
            }
            let mut dot_text = Vec::new();
            dot::write(graph, sub, options, &mut dot_text)?;
            let image = image::render(&dot_text, format)?;
            match target {
                Target::Stream(out) => {
                    out.write_all(&image)?;
                    out.flush()?;
                    Ok(Vec::new())
                }
                Target::File(dest) => Ok(dest
                    .write_with(|out| out.write_all(&image))?
                    .into_iter()
                    .collect()),
            }
        }
        (format, Target::Stream(out)) => {
            write_text(graph, sub, format, options, out).map(|()| Vec::new())
        }
        (format, Target::File(dest)) => {
            let options = checked(format, options)?;
            // Streamed into the temporary file: an export of millions of facts is never held
            // in memory whole.
            let written = dest.write_with(|out| write_stream(graph, sub, format, &options, out))?;
            Ok(written.into_iter().collect())
        }
    }
}

/// CSV's two files in the directory `dest` names (created if missing), both checked before
/// either is written.
fn csv_files(
    graph: &KnowledgeGraph,
    sub: &Subgraph,
    dest: &Destination,
) -> Result<Vec<Written>, ExportError> {
    let dir = dest.path();
    if dir.exists() && !dir.is_dir() {
        return Err(ExportError::io(
            Some(dir.to_path_buf()),
            std::io::Error::other("csv export needs a directory here, and this is a file"),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| ExportError::io(Some(dir.to_path_buf()), e))?;
    let (nodes, edges) = (dest.join(csv::NODES_FILE), dest.join(csv::EDGES_FILE));
    nodes.check()?;
    edges.check()?;
    let written = [
        nodes.write_with(|out| csv::write_nodes(graph, sub, out))?,
        edges.write_with(|out| csv::write_edges(graph, sub, out))?,
    ];
    Ok(written.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_binary_formats_are_refused_and_only_on_a_terminal() {
        for format in ExportFormat::ALL {
            let binary = matches!(format, ExportFormat::Png | ExportFormat::Pdf);
            assert_eq!(check_stream(format, true).is_err(), binary, "{format}");
            assert!(check_stream(format, false).is_ok(), "{format}");
        }
        assert!(check_stream(ExportFormat::Png, true).is_err_and(|e| e.is_usage()));
    }

    #[test]
    fn a_given_format_wins_over_the_file_name() {
        let svg = Path::new("out/graph.svg");
        assert_eq!(
            infer_format(Some(ExportFormat::Dot), Some(svg)).ok(),
            Some(ExportFormat::Dot)
        );
        assert_eq!(infer_format(None, Some(svg)).ok(), Some(ExportFormat::Svg));
        assert!(infer_format(None, None).is_err_and(|e| e.is_usage()));
        assert!(infer_format(None, Some(Path::new("out/graph"))).is_err());
    }
}
