//! A question meets the graph: a relation asked in its plain form (`what did Russia broker`) is
//! read as the first of its `-d`, `-ed` and `-s` forms that is a relation (`brokered`), when the
//! plain form is not one itself. Only questions are read so, and their answers show the query that
//! ran, so a query typed as such always means what it says.

use super::resolve::resolve;
use crate::graph::KnowledgeGraph;
use crate::query::ast::{Command, Query, RelTerm};

/// Rewrites a question's query so that a relation asked in its plain form is its inflected form.
/// In `when did ...` the relation may sit among unquoted words (`when did Syrian government
/// recapture Tadmor`), so each word is tried, and kept only if the query then resolves.
pub fn inflect(graph: &KnowledgeGraph, query: &mut Query) {
    if let Command::Match { patterns, .. } = &mut query.command {
        for pattern in patterns {
            if let RelTerm::Rel(relation) = &mut pattern.relation {
                if let Some(form) = inflected(graph, &relation.name) {
                    relation.name = form;
                }
            }
        }
    } else if matches!(query.command, Command::Why { .. }) && resolve(graph, query).is_err() {
        let found = why_rewrites(graph, query)
            .into_iter()
            .find(|q| resolve(graph, q).is_ok());
        if let Some(found) = found {
            *query = found;
        }
    }
}

/// The known inflected form of a word that is not itself a relation.
fn inflected(graph: &KnowledgeGraph, word: &str) -> Option<String> {
    if graph.lookup_relation(word).is_ok() {
        return None;
    }
    ["d", "ed", "s"]
        .iter()
        .map(|ending| format!("{word}{ending}"))
        .find(|form| graph.lookup_relation(form).is_ok())
}

/// `query` (a `why`) with one word inflected: the relation, or a word of an unquoted object.
fn why_rewrites(graph: &KnowledgeGraph, query: &Query) -> Vec<Query> {
    let Command::Why {
        relation, object, ..
    } = &query.command
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(form) = inflected(graph, &relation.name) {
        let mut q = query.clone();
        if let Command::Why { relation, .. } = &mut q.command {
            relation.name = form;
        }
        out.push(q);
    }
    let words: Vec<&str> = match object.quoted {
        true => Vec::new(),
        false => object.text.split(' ').collect(),
    };
    for (i, word) in words.iter().enumerate() {
        let Some(form) = inflected(graph, word) else {
            continue;
        };
        let mut text = words.clone();
        text[i] = &form;
        let mut q = query.clone();
        if let Command::Why { object, .. } = &mut q.command {
            object.text = text.join(" ");
        }
        out.push(q);
    }
    out
}
