//! What each command does at the edge: loads, calls the library, prints, and picks the exit code.

use crate::{AnswerArgs, DiffFormat, ExportArgs, ImportArgs, ImportFrom};
use factgraph::diagnostic::{render_all, Diagnostic, Severity};
use factgraph::export::{self, ExportError, ExportOptions, Subgraph, Target};
use factgraph::fact_file::{FileKind, SourceText};
use factgraph::graph::{lookup_help, KnowledgeGraph, LookupError, Spelling};
use factgraph::import::{self, ImportOptions, TripleFormat};
use factgraph::interrupt::{self, Response};
use factgraph::load::{self, GraphSpec};
use factgraph::load_warnings;
use factgraph::model::{EntityId, FactId};
use factgraph::output::{Destination, Role};
use factgraph::query::eval::CancelToken;
use factgraph::query::TimeScope;
use factgraph::script;
use factgraph::session::{Input, Outcome, Session};
use std::io::{ErrorKind, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Writes `text` to standard error. Nothing is left to tell if that fails, so it is not a panic.
pub fn report(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Writes `text` to standard output. A reader that has gone (`| head -0`) only wants no more
/// output, which is no failure: the command ends quietly, as Unix tools do.
fn print(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&[Diagnostic::error(format!("cannot write output: {e}"))]),
    }
}

pub fn fail(diagnostics: &[Diagnostic]) -> ExitCode {
    report(&render_all(diagnostics));
    let errors = factgraph::diagnostic::problem_count(diagnostics);
    report(&format!(
        "error: {errors} problem{} found",
        if errors == 1 { "" } else { "s" }
    ));
    ExitCode::from(1)
}

/// Prints a load's curation warnings, then how many there are.
fn warn(warnings: &[Diagnostic]) {
    if warnings.is_empty() {
        return;
    }
    report(&render_all(warnings));
    let n = factgraph::diagnostic::problem_count(warnings);
    report(&format!(
        "warning: {n} curation warning{} (`check --deny-warnings` makes them errors)",
        if n == 1 { "" } else { "s" }
    ));
}

/// Prints the curation warnings of the files a session was opened on, capped as `load` caps them.
/// Shows the curation warnings of the files a session was opened on: the first few for the shell
/// and a script, only their count for a one-shot command (see [`load_warnings::counted`]).
fn warn_opened(session: &mut Session, one_shot: bool) {
    let mut warnings = session.take_load_warnings();
    if one_shot && !warnings.is_empty() {
        warnings = load_warnings::counted(&session.graph().model, session.spec());
    }
    if !warnings.is_empty() {
        report(&render_all(&warnings));
    }
}

/// What `check` holds against the files besides their validity.
pub struct CheckOptions {
    pub deny_warnings: bool,
    pub conflicts: bool,
}

pub fn check(spec: GraphSpec, texts: &[String], options: CheckOptions) -> ExitCode {
    let deny_warnings = options.deny_warnings;
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
    let loaded = spec.load(&quote_texts).map(|graph| {
        let m = &graph.model;
        let warnings: Vec<Diagnostic> = m.warnings.iter().chain(&m.duplicates).cloned().collect();
        (graph, warnings)
    });
    match loaded {
        Ok((_, warnings)) if deny_warnings && !warnings.is_empty() => {
            let errors: Vec<Diagnostic> = warnings
                .iter()
                .map(|w| Diagnostic {
                    severity: Severity::Error,
                    ..w.clone()
                })
                .collect();
            fail(&errors)
        }
        Ok((graph, warnings)) => {
            warn(&warnings);
            // A warning, not a problem: the files are valid and every id can be reached.
            if let Some(warning) = factgraph::graph::case_warning(&graph) {
                report(&warning.to_string());
            }
            if options.conflicts {
                if let Some(code) = conflicts_found(&graph) {
                    return code;
                }
            }
            let code = print(&format!("ok: {}\n", graph.model.summary()));
            exit_without_freeing(graph);
            code
        }
        Err(diagnostics) => fail(&diagnostics),
    }
}

/// Reports the conflicts among the loaded facts like problems, each at its fact's file:line:col;
/// `None` when there are none.
fn conflicts_found(graph: &KnowledgeGraph) -> Option<ExitCode> {
    let model = &graph.model;
    let conflicts = factgraph::query::eval::conflicts::find(model, |_| true);
    if conflicts.is_empty() {
        return None;
    }
    // Each file once; a file that cannot be read now is named without a line.
    let texts: Vec<Option<String>> = model
        .files
        .iter()
        .map(|name| SourceText::read(Path::new(name)).ok().map(|s| s.text))
        .collect();
    // The first screenful, as for any problems, then how many more.
    let shown = conflicts.len().min(factgraph::validate::MAX_PROBLEMS);
    let mut diagnostics =
        factgraph::render::conflicts::diagnostics(model, &conflicts[..shown], &texts);
    if conflicts.len() > shown {
        diagnostics.push(Diagnostic::omitted(conflicts.len() - shown, shown));
    }
    report(&render_all(&diagnostics));
    let n = conflicts.len();
    report(&format!(
        "error: {n} conflict{} found",
        if n == 1 { "" } else { "s" }
    ));
    Some(ExitCode::from(1))
}

/// Loads the graph into a session set up as the options say; reports load time with `--timing`.
fn open_session(
    spec: GraphSpec,
    options: &AnswerArgs,
    one_shot: bool,
) -> Result<Session, ExitCode> {
    let started = std::time::Instant::now();
    let mut session = Session::open(spec).map_err(|d| fail(&d))?;
    warn_opened(&mut session, one_shot);
    session.format = options.format;
    session.time = TimeScope {
        at: options.at,
        during: options.during,
        reported: options.reported,
    };
    session.timing = options.timing;
    session.evidence = options.evidence;
    session.width = factgraph::terminal::width();
    if let Some(bytes) = options.memory_limit {
        session.memory_limit = bytes;
    }
    if options.timing {
        report(&format!(
            "loaded {} in {:.1} ms",
            session.graph().model.summary(),
            started.elapsed().as_secs_f64() * 1000.0
        ));
    }
    Ok(session)
}

pub fn query(spec: GraphSpec, text: &str, options: &AnswerArgs) -> ExitCode {
    let mut session = match open_session(spec, options, true) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match session.execute(Input::line("query", text)) {
        Ok(Outcome::Output(output)) => {
            let aside = session.take_aside();
            if !aside.is_empty() {
                report(aside.trim_end());
            }
            print(&output)
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            report(&render_all(&diagnostics));
            ExitCode::from(1)
        }
    }
}

pub fn run(spec: GraphSpec, path: &Path, options: &AnswerArgs, how: script::Options) -> ExitCode {
    // Standard input is read as it comes, a statement at a time; a file is read whole first.
    let saved = match path.as_os_str() == "-" {
        true => None,
        false => match SourceText::read_kind(path, FileKind::Script) {
            Ok(source) => Some(source),
            Err(d) => return fail(&[d]),
        },
    };
    let mut session = match open_session(spec, options, false) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if path.as_os_str() != "-" {
        session.run_script(path);
    }
    // An interrupt stops the running query (the evaluator polls the token) and then the script; a
    // second one, if the first has not yet been acted on, ends the process.
    let interrupt = CancelToken::new();
    let (query, script_token) = (session.cancel_token(), interrupt.clone());
    let _diversion = interrupt::divert(move || {
        if script_token.is_cancelled() {
            return Response::Exit;
        }
        script_token.cancel();
        query.cancel();
        Response::Stopping
    });
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut err = std::io::stderr();
    let outcome = match &saved {
        Some(s) => script::run(
            &mut session,
            &s.name,
            &s.text,
            how,
            &interrupt,
            &mut out,
            &mut err,
        ),
        None => script::run_stream(
            &mut session,
            "<stdin>",
            &mut std::io::stdin().lock(),
            how,
            &interrupt,
            &mut out,
            &mut err,
        ),
    };
    // The process ends here: the OS takes the graph back at once, far faster than freeing it
    // fact by fact (half a second on FB15k-237), which an interrupted user would wait for.
    std::mem::forget(session);
    match outcome {
        Ok(done) if done.interrupted => {
            let _ = out.flush();
            report("interrupted");
            ExitCode::from(interrupt::EXIT_STATUS as u8)
        }
        Ok(done) if done.failed == 0 => ExitCode::SUCCESS,
        Ok(done) => {
            let _ = out.flush();
            if how.keep_going {
                report(&format!(
                    "error: {} of {} statements failed",
                    done.failed, done.statements
                ));
            }
            ExitCode::from(1)
        }
        // A closed pipe (`| head`) is not an error of the user's.
        Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&[Diagnostic::error(format!("cannot write output: {e}"))]),
    }
}

fn export_failed(error: &ExportError) -> ExitCode {
    // A reader that stops early (`| head`) is not a failure.
    if let ExportError::Io { path: None, error } = error {
        if error.kind() == ErrorKind::BrokenPipe {
            return ExitCode::SUCCESS;
        }
    }
    report(&render_all(&error.to_diagnostics()));
    ExitCode::from(if error.is_usage() { 2 } else { 1 })
}

pub fn export(spec: GraphSpec, args: ExportArgs) -> ExitCode {
    // Usage first: a wrong command line is reported before a large graph is loaded.
    let format = match export::infer_format(args.format, args.output.as_deref()) {
        Ok(format) => format,
        Err(e) => return export_failed(&e),
    };
    if args.output.is_none() {
        if let Err(e) = export::check_stream(format, std::io::stdout().is_terminal()) {
            return export_failed(&e);
        }
    }
    let dates = [
        ("--at", &args.at),
        ("--during", &args.during),
        ("--reported", &args.reported),
    ]
    .map(|(flag, text)| {
        text.as_deref()
            .map(|t| export::parse_date(flag, t))
            .transpose()
    });
    let time = match dates {
        [Ok(at), Ok(during), Ok(reported)] => TimeScope {
            at,
            during,
            reported,
        },
        [Err(e), _, _] | [_, Err(e), _] | [_, _, Err(e)] => return export_failed(&e),
    };
    let base_iri = match export::ntriples::base_iri(&args.base) {
        Ok(base) => base,
        Err(e) => return export_failed(&e),
    };
    let protected = spec
        .manifest()
        .files()
        .map(|(f, _)| f.clone())
        .collect::<Vec<_>>();
    let mut session = match Session::open(spec) {
        Ok(session) => session,
        Err(diagnostics) => return fail(&diagnostics),
    };
    warn_opened(&mut session, true);
    session.time = time;
    let graph = session.graph();
    let focus = match args.focus.as_deref().map(|name| focus_entity(graph, name)) {
        Some(Ok(e)) => Some(e),
        Some(Err(e)) => return export_failed(&e),
        None => None,
    };
    let sub = match (&args.query, focus) {
        (_, Some(focus)) => Subgraph::around(graph, focus, args.depth, time),
        (Some(text), None) => match session.subgraph_of(&Input::line("query", text)) {
            Ok((sub, respelt)) => {
                // Said as a query's answer says it, so another entity is never taken silently.
                for r in respelt {
                    let text =
                        factgraph::render::spelt_as_text(session.graph(), &r.written, r.chosen);
                    report(&format!("note: {text}"));
                }
                sub
            }
            Err(diagnostics) => {
                report(&render_all(&diagnostics));
                return ExitCode::from(1);
            }
        },
        (None, None) => Subgraph::whole(session.graph()),
    };
    let graph = session.graph();
    let sub = sub.within(graph, time);
    let options = ExportOptions {
        base_iri,
        cluster: args.cluster,
        layout: args.layout,
        max_entities: args.max_entities,
        focus,
    };
    let written = {
        let mut stdout = std::io::stdout().lock();
        let target = match &args.output {
            Some(path) => Target::File(
                Destination::new(path.clone())
                    .force(args.force)
                    .protect(protected, Role::FactFile),
            ),
            None => Target::Stream(&mut stdout),
        };
        export::export(graph, &sub, format, &options, target)
    };
    match (written, &args.output) {
        // Said as the shell's `export` says it, so a file written is never a silent success.
        (Ok(_), Some(path)) => print(&format!(
            "wrote {} ({} entities, {} facts)\n",
            path.display(),
            sub.entities.len(),
            sub.facts.len()
        )),
        (Ok(_), None) => ExitCode::SUCCESS,
        (Err(e), _) => export_failed(&e),
    }
}

/// The entity `--focus` names, looked up as a query's names are: a name found only spelt
/// otherwise says so on stderr, as a query's note would.
fn focus_entity(graph: &KnowledgeGraph, name: &str) -> Result<EntityId, ExportError> {
    let found = match graph.lookup_spelt(name) {
        Ok((one, Spelling::AsWritten)) => Ok(one),
        Ok((one, Spelling::Otherwise)) => {
            report(&format!(
                "note: {}",
                factgraph::render::spelt_as_text(graph, name, one)
            ));
            Ok(one)
        }
        Err((LookupError::Unknown { .. }, _)) => Err(LookupError::Unknown {
            suggestions: graph.suggest_entities(&name.trim().to_lowercase()),
        }),
        Err((error, _)) => Err(error),
    };
    found.map_err(|error| ExportError::Focus {
        name: name.to_string(),
        ambiguous: matches!(error, LookupError::Ambiguous { .. }),
        help: lookup_help(graph, &error),
    })
}

pub fn import_json(args: ImportArgs) -> ExitCode {
    let json = match SourceText::read_kind(&args.input, FileKind::Import) {
        Ok(json) => json,
        Err(d) => return fail(&[d]),
    };
    let name = args.output.display().to_string();
    let destination = Destination::new(args.output)
        .force(args.force)
        .protect([args.input], Role::ImportInput);
    let written = (|| -> Result<(), ExportError> {
        destination.check()?;
        let text = export::json::import(&json, &name)?;
        destination.write_with(|out| out.write_all(text.as_bytes()))?;
        Ok(())
    })();
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => export_failed(&e),
    }
}

pub fn repl(spec: GraphSpec) -> ExitCode {
    let session = match open_session(spec, &AnswerArgs::plain(), false) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match factgraph::repl::run(session) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&[Diagnostic::error(format!("the terminal failed: {e}"))]),
    }
}

/// The process is about to end: the OS takes the whole graph back at once, which is much faster
/// than freeing millions of facts one allocation at a time.
fn exit_without_freeing(graph: factgraph::graph::KnowledgeGraph) {
    std::mem::forget(graph);
}

pub fn import_triples(args: ImportArgs) -> ExitCode {
    let format = match args.from {
        ImportFrom::Csv => TripleFormat::Csv,
        ImportFrom::Ntriples => TripleFormat::Ntriples,
        ImportFrom::Tsv | ImportFrom::Json => TripleFormat::Tsv,
    };
    let published = args.published.unwrap_or_else(import::today);
    let options = ImportOptions {
        format,
        kind: args.kind,
        published,
        header: args.header,
        date_column: args.date_column.map(usize::from),
    };
    match import::import_file(&args.input, &args.output, &options, args.force) {
        Ok(s) => {
            let skipped = if s.duplicates > 0 {
                format!(" ({} duplicate triples skipped)", s.duplicates)
            } else {
                String::new()
            };
            let dated = match s.dated {
                0 => String::new(),
                n if n == s.facts => " (all dated)".to_string(),
                n => format!(" ({n} dated)"),
            };
            print(&format!(
                "wrote {}: {} facts{dated}, {} entities, {} relations{skipped}\n",
                args.output.display(),
                s.facts,
                s.entities,
                s.relations
            ))
        }
        Err(diagnostics) => fail(&diagnostics),
    }
}

pub fn generate(facts: usize, seed: u64, output: &Path, force: bool) -> ExitCode {
    match factgraph::generate::generate(facts, seed, output, force) {
        Ok(g) => print(&format!(
            "wrote {}: {} facts, {} entities, {} relations\n",
            output.display(),
            g.facts,
            g.entities,
            g.relations
        )),
        Err(d) => fail(&[d]),
    }
}

/// `diff OLD NEW`: exit 0 when equal, 1 when they differ, 2 when a side cannot be loaded or the
/// answer cannot be written, as diff(1) does. `base` (the `-g` files) is loaded on both sides,
/// so that a corpus citing the article graph's ids can be compared without copying it.
pub fn diff(
    base: &[PathBuf],
    old: &Path,
    new: &Path,
    format: DiffFormat,
    no_cache: bool,
) -> ExitCode {
    let load = |path: &Path| -> Result<KnowledgeGraph, Vec<Diagnostic>> {
        let files = factgraph::diff::side_files(path).map_err(|d| vec![d])?;
        let spec = GraphSpec::new([base, &files].concat());
        let spec = if no_cache { spec.without_cache() } else { spec };
        spec.load(&[])
    };
    let (old_graph, new_graph) = match (load(old), load(new)) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            let errors: Vec<Diagnostic> =
                [a.err(), b.err()].into_iter().flatten().flatten().collect();
            let _ = fail(&errors);
            return ExitCode::from(2);
        }
    };
    for graph in [&old_graph, &new_graph] {
        let facts = (0..graph.model.facts().len() as u32).map(FactId);
        if let Some(cache) = graph.model.damaged_quotes(facts) {
            let discarded = graph.model.discard_damaged_cache();
            let _ = fail(&[factgraph::cache::damaged(cache, discarded)]);
            return ExitCode::from(2);
        }
    }
    let diff = factgraph::diff::compare(&old_graph, &new_graph);
    let page = match format {
        DiffFormat::Text => factgraph::diff::text::render(&diff, factgraph::terminal::colour()),
        DiffFormat::Json => factgraph::diff::json::render(
            &diff,
            &old.display().to_string(),
            &new.display().to_string(),
        ),
    };
    exit_without_freeing(old_graph);
    exit_without_freeing(new_graph);
    if print(&page) != ExitCode::SUCCESS {
        return ExitCode::from(2);
    }
    ExitCode::from(u8::from(!diff.is_empty()))
}

/// `new --text ARTICLE -o FILE`: a starting fact file for an article.
pub fn new(spec: GraphSpec, article: &Path, output: &Path, force: bool) -> ExitCode {
    let graph = match spec.load(&[]) {
        Ok(graph) => graph,
        Err(errors) => return fail(&errors),
    };
    match factgraph::starter::write(&graph, article, output, force) {
        Ok(draft) => print(&format!(
            "wrote {}: {} known {} named, {} candidate new {}\n",
            output.display(),
            draft.known,
            if draft.known == 1 {
                "entity"
            } else {
                "entities"
            },
            draft.candidates,
            if draft.candidates == 1 {
                "entity"
            } else {
                "entities"
            },
        )),
        Err(d) => fail(&[d]),
    }
}
