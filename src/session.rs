//! `Session::execute`: the one path every query and command takes, from `query`, `run` and the REPL
//! alike, so they can never answer differently.

use crate::continuation;
use crate::diagnostic::{Diagnostic, Location};
use crate::export::{self, ExportOptions, Subgraph, Target};
use crate::folder::Manifest;
use crate::format::Evidence;
use crate::graph::KnowledgeGraph;
use crate::help;
use crate::load::GraphSpec;
use crate::model::EntityId;
use crate::output::{Asking, Destination, Role, Written};
use crate::query::answer::Answer;
use crate::query::ast::{Command, EntityRef, ExportFormat, Focus, Spanned};
use crate::query::eval::asked;
use crate::query::eval::notes::{notes, Note};
use crate::query::eval::{CancelToken, EvalError, Evaluator, Scratch, DEFAULT_MEMORY_LIMIT};
use crate::query::resolve::{resolve_cancellable, NameProblem, Resolved, Respelt};
use crate::query::{parse_statement, AnswerFormat, Query, SessionCommand, Statement, TimeScope};
use crate::render::{self, Context};
use std::ops::Range;
use std::path::PathBuf;
use std::time::Instant;

/// One statement to execute and where it came from, so errors can point into the right text.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// Shown in error positions: a script's path, `query`, `repl`.
    pub name: &'a str,
    /// The whole text the statement sits in (a script, or just the line).
    pub text: &'a str,
    /// The statement's bytes in `text`; may span lines joined by a trailing backslash.
    pub span: Range<usize>,
    /// For a script's statement, how many of the script's lines come before `text` (a stream
    /// hands its statements over one at a time); `None` outside scripts (`query`, the REPL).
    pub lines_before: Option<usize>,
}

impl<'a> Input<'a> {
    /// A statement that is the whole of `text`, not from a script.
    pub fn line(name: &'a str, text: &'a str) -> Input<'a> {
        Input {
            name,
            text,
            span: 0..text.len(),
            lines_before: None,
        }
    }

    /// The statement as written, on one line: continued lines joined by a space, ends trimmed.
    pub fn statement_text(&self) -> String {
        let lines = self.text[self.span.clone()].lines().map(|line| {
            let line = line.trim_end();
            line.strip_suffix('\\').unwrap_or(line).trim()
        });
        lines
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The script line the statement starts on (from 1); `None` outside scripts.
    pub fn script_line(&self) -> Option<usize> {
        let before = self.lines_before?;
        Some(before + self.text[..self.span.start].matches('\n').count() + 1)
    }
}

/// What executing a statement produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Rendered output to show (may be empty for settings changes).
    Output(String),
    /// The user asked to leave.
    Quit,
    /// A blank line or a comment.
    Nothing,
}

pub struct Session {
    spec: GraphSpec,
    graph: KnowledgeGraph,
    pub format: AnswerFormat,
    /// The session-wide time settings (`set at`, `set during`, `set reported`); a query's own
    /// clauses override them one by one.
    pub time: TimeScope,
    pub timing: bool,
    pub pager: bool,
    /// How text answers show the evidence behind their rows (`set evidence`).
    pub evidence: Evidence,
    /// The terminal's columns, to wrap text answers at; `None` when output is not a terminal.
    /// Whoever runs the session sets it; nothing here asks the terminal.
    pub width: Option<usize>,
    /// The loaded files as the reader names them, from where the session started.
    shown_files: Vec<String>,
    /// Bytes a query may build beyond the graph (`set limit memory`).
    pub memory_limit: u64,
    cancel: CancelToken,
    scratch: Scratch,
    /// How many graphs `load` and `reload` have put in place of the first: what a count read
    /// before a statement belongs to.
    graphs_replaced: u64,
    /// The script being run, never to be overwritten by its own `export`.
    script: Option<PathBuf>,
    /// Files this session's `export` wrote, which it may replace without `force`.
    written: Vec<Written>,
    /// The fact files loaded and how they looked, for `reload` to say what changed.
    manifest: Manifest,
    /// The warnings of the last `load` or `reload`, until the edge shows them.
    load_warnings: Vec<Diagnostic>,
    /// The notes on the last answer its format had no place for, until the edge shows them.
    aside: String,
}

impl Session {
    /// Loads the graph; fails with every problem in the fact files.
    pub fn open(spec: GraphSpec) -> Result<Session, Vec<Diagnostic>> {
        // Taken before reading, so that a file changed meanwhile shows as changed at `reload`.
        let manifest = spec.manifest();
        let graph = spec.load(&[])?;
        let mut session = Session::with_graph(spec, graph);
        session.manifest = manifest;
        // The first load is shown as every later one is: capped, with the `check` that lists all.
        session.load_warnings =
            crate::load_warnings::on_opening(&session.graph.model, &session.spec);
        Ok(session)
    }

    pub fn with_graph(spec: GraphSpec, graph: KnowledgeGraph) -> Session {
        Session {
            manifest: spec.manifest(),
            shown_files: shown_files(&spec, &graph),
            spec,
            graph,
            format: AnswerFormat::Text,
            time: TimeScope::default(),
            timing: false,
            pager: true,
            evidence: Evidence::default(),
            width: None,
            memory_limit: DEFAULT_MEMORY_LIMIT,
            cancel: CancelToken::new(),
            scratch: Scratch::default(),
            graphs_replaced: 0,
            script: None,
            written: Vec::new(),
            load_warnings: Vec::new(),
            aside: String::new(),
        }
    }

    pub fn graph(&self) -> &KnowledgeGraph {
        &self.graph
    }

    pub fn spec(&self) -> &GraphSpec {
        &self.spec
    }

    /// The curation warnings of the files the session was opened on or the last `load` or
    /// `reload` read (see [`crate::load_warnings`]), once: the REPL and scripts show them beside
    /// its output.
    pub fn take_load_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.load_warnings)
    }

    /// The `note:` lines of the last answer that its format (a table) has no place for, once: the
    /// edge shows them on standard error (see [`render::aside`]).
    pub fn take_aside(&mut self) -> String {
        std::mem::take(&mut self.aside)
    }

    /// The loaded files as the reader names them: relative to the current directory.
    pub fn shown_files(&self) -> &[String] {
        &self.shown_files
    }

    /// Marks `path` as the script being run: `export` refuses to write over it.
    pub fn run_script(&mut self, path: impl Into<PathBuf>) {
        self.script = Some(path.into());
    }

    /// The token a Ctrl-C handler sets to stop the running query.
    pub fn cancel_token(&self) -> CancelToken {
        self.cancel.clone()
    }

    /// Parses, resolves and runs one statement. A statement that met a quote the cache could not
    /// give back (see [`crate::model::UNREADABLE_QUOTE`]) fails, naming the cache, whatever it
    /// would have shown.
    pub fn execute(&mut self, input: Input<'_>) -> Result<Outcome, Vec<Diagnostic>> {
        self.aside.clear();
        let graph_before = self.graphs_replaced;
        let failed_before = self.graph.model.all_words().unreadable();
        let failed_before = failed_before.map_or(0, |(n, _)| n);
        let outcome = self.execute_statement(input);
        // A statement that replaced the graph read no quote of the new one, and the old one's
        // count says nothing about it.
        match self.graph.model.all_words().unreadable() {
            Some((failed, cache))
                if self.graphs_replaced == graph_before && failed > failed_before =>
            {
                let discarded = self.graph.model.discard_damaged_cache();
                Err(vec![crate::cache::damaged(cache, discarded)])
            }
            _ => outcome,
        }
    }

    fn execute_statement(&mut self, input: Input<'_>) -> Result<Outcome, Vec<Diagnostic>> {
        // `timing` reports everything but the rendering: parsing, resolving and evaluating.
        let started = Instant::now();
        let statement = continuation::join(&input.text[input.span.clone()]);
        let parsed = parse_statement(&statement).map_err(|e| {
            vec![e
                .shifted(input.span.start)
                .to_diagnostic(input.name, input.text)]
        })?;
        match parsed {
            Statement::Empty => Ok(Outcome::Nothing),
            Statement::Query(query) => self.run(&query, &input, started, Vec::new()),
            Statement::Question(question) => {
                // The question runs as its query, and the answer says which query that was.
                let mut query = question.query();
                asked::inflect(&self.graph, &mut query);
                let read_as = query.to_string();
                let notes = vec![Note::ReadAs {
                    query: read_as.clone(),
                }];
                self.run(&query, &input, started, notes)
                    .map_err(|mut errors| {
                        if let Some(first) = errors.first_mut() {
                            first
                                .notes
                                .push(format!("the question was read as `{read_as}`"));
                        }
                        errors
                    })
            }
            Statement::Command(command) => self.command(command, input),
        }
    }

    /// What `set at`, `set during` and `set reported` leave the session answering from.
    fn time_settings(&self) -> String {
        let TimeScope {
            at,
            during,
            reported,
        } = self.time;
        let mut parts = Vec::new();
        if let Some(at) = at {
            parts.push(format!("the graph as of {at}"));
        }
        if let Some(during) = during {
            parts.push(format!("the facts that may fall during {during}"));
        }
        if let Some(reported) = reported {
            parts.push(format!("only what was reported by {reported}"));
        }
        match parts.is_empty() {
            true => "answers now show the whole graph\n".to_string(),
            false => format!("answers now show {}\n", parts.join(", ")),
        }
    }

    /// Answers a query and renders the answer with `notes` and its own.
    fn run(
        &mut self,
        query: &Query,
        input: &Input<'_>,
        started: Instant,
        mut notes: Vec<Note>,
    ) -> Result<Outcome, Vec<Diagnostic>> {
        let (answer, time, respelt) = self.answer_noting(query, input)?;
        notes.extend(self.notes(query, &answer, time, &respelt)?);
        self.aside = render::aside(&self.graph, &answer, &notes, self.format);
        Ok(Outcome::Output(self.render(
            &answer,
            &notes,
            time,
            started.elapsed(),
            input,
        )))
    }

    /// Resolves and evaluates a query: the answer and the time scope it used.
    pub fn answer(
        &mut self,
        query: &Query,
        input: &Input<'_>,
    ) -> Result<(Answer, TimeScope), Vec<Diagnostic>> {
        let (answer, time, _) = self.answer_noting(query, input)?;
        Ok((answer, time))
    }

    /// [`Session::answer`], and the names it read as another entity's spelt otherwise.
    fn answer_noting(
        &mut self,
        query: &Query,
        input: &Input<'_>,
    ) -> Result<(Answer, TimeScope, Vec<Respelt>), Vec<Diagnostic>> {
        let resolution = resolve_cancellable(&self.graph, query, &self.cancel);
        if resolution.is_err() {
            self.cancel.reset();
        }
        let (resolution, respelt) = resolution.map_err(|_| cancelled(EvalError::Cancelled))?;
        let (resolved, time) = resolution.map_err(|problems| name_errors(problems, input))?;
        let time = time.or(self.time);
        let mut evaluator =
            Evaluator::new(&self.graph, time, &self.cancel).with_memory_limit(self.memory_limit);
        let outcome = evaluator.eval(&resolved, &mut self.scratch);
        // Reset after the query, not before: a Ctrl-C pressed between Enter and the start of the
        // query still cancels it, and none is left over for the next one.
        self.cancel.reset();
        let answer = outcome.map_err(cancelled)?;
        Ok((answer, time, respelt))
    }

    /// The entity `name` refers to, found as a query's names are, with the same errors; and
    /// whether it was found only spelt otherwise.
    fn entity(
        &self,
        name: &EntityRef,
        input: &Input<'_>,
    ) -> Result<(EntityId, Option<Respelt>), Vec<Diagnostic>> {
        let show = Query::timeless(Command::Show {
            entity: name.clone(),
        });
        let resolution = resolve_cancellable(&self.graph, &show, &self.cancel);
        if resolution.is_err() {
            self.cancel.reset();
        }
        let (resolution, respelt) = resolution.map_err(cancelled)?;
        match resolution {
            Ok((Resolved::Show { entity }, _)) => Ok((entity, respelt.into_iter().next())),
            Ok(_) => Err(vec![Diagnostic::error(format!(
                "`{}` did not resolve to one entity",
                name.text
            ))]),
            Err(problems) => Err(name_errors(problems, input)),
        }
    }

    /// The notes on an answer to `query` (which may ask the graph again, so it may be cancelled).
    fn notes(
        &mut self,
        query: &Query,
        answer: &Answer,
        time: TimeScope,
        respelt: &[Respelt],
    ) -> Result<Vec<Note>, Vec<Diagnostic>> {
        let mut evaluator = Evaluator::new(&self.graph, time, &self.cancel);
        let outcome = notes(&mut evaluator, &mut self.scratch, query, answer, respelt);
        self.cancel.reset();
        outcome.map_err(cancelled)
    }

    fn render(
        &self,
        answer: &Answer,
        notes: &[Note],
        time: TimeScope,
        elapsed: std::time::Duration,
        input: &Input<'_>,
    ) -> String {
        let query = input.statement_text();
        let context = Context {
            time,
            elapsed: self.timing.then_some(elapsed),
            width: self.width,
            evidence: self.evidence,
            files: &self.shown_files,
            query: Some(&query),
            line: input.script_line(),
        };
        render::render(&self.graph, answer, notes, self.format, context)
    }

    fn command(
        &mut self,
        command: SessionCommand,
        input: Input<'_>,
    ) -> Result<Outcome, Vec<Diagnostic>> {
        let done = |text: String| Ok(Outcome::Output(text));
        match command {
            SessionCommand::Quit => Ok(Outcome::Quit),
            SessionCommand::Help(topic) => match help::help(&self.graph, topic.as_deref()) {
                Ok(text) => done(render::fit(&text, self.width)),
                Err(message) => Err(vec![Diagnostic::error(message)
                    .at(Location::from_span(
                        input.name,
                        input.text,
                        input.span.clone(),
                    ))
                    .help(format!("topics: {}", help::topics().join(", ")))]),
            },
            SessionCommand::SetFormat(format) => {
                self.format = format;
                done(format!("format: {}\n", format.name()))
            }
            SessionCommand::SetAt(at) => {
                self.time.at = at.map(|a| a.node);
                done(self.time_settings())
            }
            SessionCommand::SetDuring(period) => {
                self.time.during = period.map(|p| p.node);
                done(self.time_settings())
            }
            SessionCommand::SetReported(date) => {
                self.time.reported = date.map(|d| d.node);
                done(self.time_settings())
            }
            SessionCommand::SetEvidence(evidence) => {
                self.evidence = evidence;
                done(format!("evidence: {}\n", evidence.name()))
            }
            SessionCommand::SetPager(on) => {
                self.pager = on;
                done(format!("pager: {}\n", if on { "on" } else { "off" }))
            }
            SessionCommand::SetMemoryLimit(bytes) => {
                self.memory_limit = bytes;
                done(format!(
                    "memory limit: {} per query\n",
                    crate::query::size_text(bytes)
                ))
            }
            SessionCommand::Timing(on) => {
                self.timing = on;
                done(format!("timing: {}\n", if on { "on" } else { "off" }))
            }
            SessionCommand::Load(file) => {
                let mut spec = self.spec.clone();
                spec.files.push(PathBuf::from(&file.node));
                self.replace_graph(spec)
            }
            SessionCommand::Reload => {
                let before = self.manifest.clone();
                let loaded = self.replace_graph(self.spec.clone())?;
                let changes = self.manifest.changes_since(&before);
                Ok(match loaded {
                    Outcome::Output(text) => {
                        Outcome::Output(format!("reloaded: {changes}\n{text}"))
                    }
                    other => other,
                })
            }
            SessionCommand::Export {
                format,
                file,
                force,
                query,
                focus,
            } => {
                let what = match (&query, &focus) {
                    (Some(query), _) => Exported::Answer(query),
                    (None, Some(focus)) => Exported::Around(focus),
                    (None, None) => Exported::Whole,
                };
                self.export(format, &file, force, what, &input)
            }
        }
    }

    /// `export FORMAT FILE [force] [QUERY]`: an existing file is replaced only with `force` or if
    /// this session wrote it (so a script that draws diagrams can run again); a loaded fact file
    /// and the running script never are.
    fn export(
        &mut self,
        format: ExportFormat,
        file: &Spanned<String>,
        force: bool,
        what: Exported<'_>,
        input: &Input<'_>,
    ) -> Result<Outcome, Vec<Diagnostic>> {
        let mut options = ExportOptions::default();
        let mut said = String::new();
        let sub = match what {
            Exported::Answer(query) => {
                let (sub, respelt) = self.subgraph_of_query(query, input)?;
                said = spelt_notes(&self.graph, &respelt);
                sub
            }
            Exported::Around(focus) => {
                let (entity, respelt) = self.entity(&focus.entity, input)?;
                // A name found only spelt otherwise says so, as a query's answer does.
                said = spelt_notes(&self.graph, respelt.as_slice());
                options.focus = Some(entity);
                let depth = focus.depth.as_ref().map_or(1, |d| d.node);
                Subgraph::around(&self.graph, entity, depth, self.time)
            }
            Exported::Whole => Subgraph::whole(&self.graph).within(&self.graph, self.time),
        };
        let forced = SessionCommand::Export {
            format,
            file: file.clone(),
            force: true,
            query: None,
            focus: None,
        };
        let cancel = self.cancel.clone();
        let destination = Destination::new(&file.node)
            .force(force)
            .protect(
                self.manifest.files().map(|(f, _)| f.clone()),
                Role::FactFile,
            )
            .protect(self.script.iter().cloned(), Role::Script)
            .ours(&self.written)
            .asking(Asking::Statement(forced.to_string()))
            .cancelled_by(move || cancel.is_cancelled());
        let written = export::export(
            &self.graph,
            &sub,
            format,
            &options,
            Target::File(destination),
        );
        // As after a query: a Ctrl-C that stopped this write must not stop the next statement.
        self.cancel.reset();
        let written = written.map_err(|e| {
            // A refused file points at its name in the statement, as a query's errors do.
            let span = file.span.start + input.span.start..file.span.end + input.span.start;
            let mut diagnostics = e.to_diagnostics();
            if let [only] = diagnostics.as_mut_slice() {
                if only.location.is_none() {
                    only.location =
                        Some(Box::new(Location::from_span(input.name, input.text, span)));
                }
            }
            diagnostics
        })?;
        self.written.extend(written);
        Ok(Outcome::Output(format!(
            "{said}wrote {} ({} entities, {} facts)\n",
            file.node,
            sub.entities.len(),
            sub.facts.len()
        )))
    }

    /// The part of the graph a query's answer touches, for `export --query`, and the names the
    /// query read as another entity's spelt otherwise.
    pub fn subgraph_of(
        &mut self,
        input: &Input<'_>,
    ) -> Result<(Subgraph, Vec<Respelt>), Vec<Diagnostic>> {
        let statement = input.text[input.span.clone()].to_string();
        match parse_statement(&statement) {
            Ok(Statement::Query(query)) => self.subgraph_of_query(&query, input),
            Ok(_) => Err(vec![Diagnostic::error(
                "expected a query to export the answer of",
            )
            .at(Location::from_span(
                input.name,
                input.text,
                input.span.clone(),
            ))]),
            Err(e) => Err(vec![e
                .shifted(input.span.start)
                .to_diagnostic(input.name, input.text)]),
        }
    }

    fn subgraph_of_query(
        &mut self,
        query: &Query,
        input: &Input<'_>,
    ) -> Result<(Subgraph, Vec<Respelt>), Vec<Diagnostic>> {
        let (answer, at, respelt) = self.answer_noting(query, input)?;
        Ok((export::answer_subgraph(&self.graph, &answer, at), respelt))
    }

    /// Loads a new graph; on failure the old one stays and the errors are returned.
    fn replace_graph(&mut self, spec: GraphSpec) -> Result<Outcome, Vec<Diagnostic>> {
        let manifest = spec.manifest();
        let graph = spec.load(&[]).map_err(|mut errors| {
            errors.push(
                Diagnostic::error("the graph was not changed")
                    .help("fix the problems above and `reload`"),
            );
            errors
        })?;
        self.shown_files = shown_files(&spec, &graph);
        self.load_warnings = crate::load_warnings::of(&graph.model, &spec);
        self.graph = graph;
        self.graphs_replaced += 1;
        self.spec = spec;
        self.manifest = manifest;
        self.scratch = Scratch::default();
        Ok(Outcome::Output(format!(
            "loaded {}\n",
            self.graph.model.summary()
        )))
    }
}

/// A query stopped by Ctrl-C, as the error the user sees.
fn cancelled(error: EvalError) -> Vec<Diagnostic> {
    match error {
        EvalError::Cancelled => {
            vec![Diagnostic::error("query cancelled").help("nothing was changed")]
        }
    }
}

/// The graph's files as named from the current directory (as loaded, if that cannot be read).
fn shown_files(spec: &GraphSpec, graph: &KnowledgeGraph) -> Vec<String> {
    let cwd = std::env::current_dir().ok();
    spec.shown_files(&graph.model.files, cwd.as_deref())
}

/// What `export` writes: a query's answer, an ego picture, or the whole graph.
enum Exported<'a> {
    Answer(&'a Query),
    Around(&'a Focus),
    Whole,
}

/// A `note:` line for each name read as another entity's spelt otherwise.
fn spelt_notes(graph: &KnowledgeGraph, respelt: &[Respelt]) -> String {
    respelt
        .iter()
        .map(|r| {
            format!(
                "note: {}\n",
                render::spelt_as_text(graph, &r.written, r.chosen)
            )
        })
        .collect()
}

/// Names that did not resolve, as diagnostics pointing into the statement.
fn name_errors(problems: Vec<NameProblem>, input: &Input<'_>) -> Vec<Diagnostic> {
    problems
        .into_iter()
        .map(|p| {
            let span = p.span.start + input.span.start..p.span.end + input.span.start;
            let d = Diagnostic::error(p.message)
                .at(Location::from_span(input.name, input.text, span))
                .label(p.label);
            match p.help {
                Some(h) => d.help(h),
                None => d,
            }
        })
        .collect()
}
