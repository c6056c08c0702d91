//! Remarks that go with an answer, as data: how the query was read and what it may have meant.
//!
//! A name in the query found only spelt otherwise gets a note saying which entity it was read as.
//! A name in the query that other entities go by too (their `shared_names`) gets a note naming
//! them. A question's note, the query it ran as, is added by the session. An empty answer to a query that names relations is asked again with each relation read the
//! other way (`brokered_by` as `brokered`); if that finds something, a note says so and gives the
//! query. It costs at most one more evaluation for `neighbors` and `path`, and one per pattern for
//! `match`, and only when the answer was empty.

use super::answer::Answer;
use super::resolve::{resolve, Respelt};
use super::{EvalError, Evaluator, Scratch};
use crate::graph::KnowledgeGraph;
use crate::model::EntityId;
use crate::query::ast::{Command, EntityRef, Pattern, Query, RelRef, RelTerm, Term};

/// One remark on an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// The relations as written found nothing, but read the other way they find `answers`
    /// (neighbours, paths or rows) with `query`.
    OtherWay {
        /// The relation labels as written, and as the other reading writes them.
        asked: Vec<String>,
        other: Vec<String>,
        answers: usize,
        /// The query with the relations read the other way, as text that parses back.
        query: String,
    },
    /// A question was answered by this query.
    ReadAs { query: String },
    /// A name not found as written was read as `chosen`'s, spelt otherwise ("Dayr az-Zawr" as
    /// Deir Ezzor), as `check` compares names for duplicates.
    SpeltAs { written: String, chosen: EntityId },
    /// A name led to `chosen`, and `others` go by it too (their `shared_names`).
    SharedName {
        written: String,
        chosen: EntityId,
        others: Vec<EntityId>,
    },
}

impl Note {
    /// Whether the note says how the query was read, and so belongs before the answer.
    pub fn is_preface(&self) -> bool {
        matches!(
            self,
            Note::ReadAs { .. } | Note::SpeltAs { .. } | Note::SharedName { .. }
        )
    }
}

/// The notes on `answer`, the answer to `query`, asking further questions of `ev` (with the time
/// slice and cancel token of the answer). `respelt` are the names resolving read spelt otherwise.
pub fn notes(
    ev: &mut Evaluator<'_>,
    scratch: &mut Scratch,
    query: &Query,
    answer: &Answer,
    respelt: &[Respelt],
) -> Result<Vec<Note>, EvalError> {
    let mut notes: Vec<Note> = respelt
        .iter()
        .map(|r| Note::SpeltAs {
            written: r.written.clone(),
            chosen: r.chosen,
        })
        .collect();
    notes.extend(shared_names(ev.graph, query));
    if answers(answer) == Some(0) {
        notes.extend(other_way(ev, scratch, query)?);
    }
    Ok(notes)
}

/// A note for each name in the query that others go by too: "Palmyra" leads to the ancient site,
/// and the modern town is also called so.
fn shared_names(graph: &KnowledgeGraph, query: &Query) -> Vec<Note> {
    let mut notes: Vec<Note> = Vec::new();
    for name in entity_refs(&query.command) {
        // Asked first, as it is nearly always empty: then the name need not be looked up again.
        let sharing = graph.sharing(&name.text);
        if sharing.is_empty() {
            continue;
        }
        let Ok(chosen) = graph.lookup(&name.text) else {
            continue;
        };
        let others: Vec<EntityId> = sharing.iter().copied().filter(|&e| e != chosen).collect();
        let known = notes
            .iter()
            .any(|n| matches!(n, Note::SharedName { chosen: c, .. } if *c == chosen));
        if !others.is_empty() && !known {
            notes.push(Note::SharedName {
                written: name.text.clone(),
                chosen,
                others,
            });
        }
    }
    notes
}

/// The entity names a query writes, in order.
fn entity_refs(command: &Command) -> Vec<&EntityRef> {
    fn terms(p: &Pattern) -> impl Iterator<Item = &EntityRef> {
        [&p.subject, &p.object].into_iter().filter_map(|t| match t {
            Term::Entity(e) => Some(e),
            Term::Var(_) => None,
        })
    }
    match command {
        Command::Neighbors { entity, .. } | Command::Show { entity } => vec![entity],
        Command::Path(path) => [&path.from, &path.to]
            .into_iter()
            .chain(&path.avoid)
            .collect(),
        Command::Match { patterns, .. } => patterns.iter().flat_map(terms).collect(),
        Command::Why {
            subject, object, ..
        } => vec![subject, object],
        Command::Timeline { entity, .. }
        | Command::Changes { entity, .. }
        | Command::Conflicts { entity } => entity.iter().collect(),
        Command::Search(search) => search.mentioning.iter().collect(),
        Command::Entities { .. } | Command::Relations | Command::Sources | Command::Stats => {
            Vec::new()
        }
    }
}

/// How many rows an answer that lists rows has: neighbours, paths, or matches.
fn answers(answer: &Answer) -> Option<usize> {
    match answer {
        Answer::Neighbors { rows, .. } => Some(rows.len()),
        Answer::Paths { paths, .. } => Some(paths.len()),
        Answer::Match { rows, .. } => Some(rows.len()),
        Answer::Count { count, .. } => Some(*count),
        _ => None,
    }
}

/// The first rewrite of `query` with relations read the other way that has answers.
fn other_way(
    ev: &mut Evaluator<'_>,
    scratch: &mut Scratch,
    query: &Query,
) -> Result<Option<Note>, EvalError> {
    for (asked, other, rewritten) in rewrites(ev.graph, query) {
        let Ok((resolved, _)) = resolve(ev.graph, &rewritten) else {
            continue;
        };
        let found = answers(&ev.eval(&resolved, scratch)?).unwrap_or(0);
        if found > 0 {
            return Ok(Some(Note::OtherWay {
                asked: asked.iter().map(ToString::to_string).collect(),
                other: other.iter().map(ToString::to_string).collect(),
                answers: found,
                query: rewritten.to_string(),
            }));
        }
    }
    Ok(None)
}

/// Rewrites of `query` with its relations read the other way: all of `via` at once (they are
/// alternatives), or one `match` pattern at a time (each is a condition). Each comes with the
/// relations before and after.
fn rewrites(graph: &KnowledgeGraph, query: &Query) -> Vec<(Vec<RelRef>, Vec<RelRef>, Query)> {
    let flip_all = |via: &[RelRef]| -> Option<Vec<RelRef>> {
        via.iter()
            .map(|r| flipped(graph, r))
            .collect::<Option<Vec<_>>>()
    };
    let mut out = Vec::new();
    match &query.command {
        Command::Neighbors { via, .. }
        | Command::Path(crate::query::ast::PathQuery { via, .. })
            if !via.is_empty() =>
        {
            if let Some(other) = flip_all(via) {
                let mut rewritten = query.clone();
                match &mut rewritten.command {
                    Command::Neighbors { via, .. } => *via = other.clone(),
                    Command::Path(path) => path.via = other.clone(),
                    _ => {}
                }
                out.push((via.clone(), other, rewritten));
            }
        }
        Command::Match { patterns, .. } => {
            for (i, pattern) in patterns.iter().enumerate() {
                let RelTerm::Rel(rel) = &pattern.relation else {
                    continue;
                };
                let Some(other) = flipped(graph, rel) else {
                    continue;
                };
                let mut rewritten = query.clone();
                if let Command::Match { patterns, .. } = &mut rewritten.command {
                    patterns[i].relation = RelTerm::Rel(other.clone());
                }
                out.push((vec![rel.clone()], vec![other], rewritten));
            }
        }
        _ => {}
    }
    out
}

/// `rel` read the other way: `brokered_by` for `brokered` and back, `brokered` for `^brokered`;
/// `None` for a symmetric or unknown relation, which reads the same both ways.
fn flipped(graph: &KnowledgeGraph, rel: &RelRef) -> Option<RelRef> {
    let (id, backwards) = graph.relation_named(&rel.name).ok()?;
    let relation = graph.model.relation(id);
    if relation.symmetric {
        return None;
    }
    let label = match rel.inverse {
        true => rel.name.clone(),
        false => relation.label(!backwards),
    };
    let (name, inverse) = match label.strip_prefix('^') {
        Some(name) => (name.to_string(), true),
        None => (label, false),
    };
    Some(RelRef {
        name,
        inverse,
        span: rel.span.clone(),
    })
}
