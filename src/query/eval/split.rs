//! `why Syrian government recaptured Tadmor`: which words are the names?
//!
//! Without the graph the parser cannot tell where a bare subject ends, so it reads one word, the
//! relation, and the rest as the object. When that reading does not resolve and the words run on
//! unquoted, they are split again at each word in turn, against the graph: the one split whose
//! subject, relation and object all resolve is taken; several are ambiguous and the error shows each
//! quoted; otherwise the split nearest to resolving is reported, so its unknown names get their
//! suggestions instead of three errors cascading from a wrong first guess. O(words) lookups.

use super::resolve::NameProblem;
use crate::graph::KnowledgeGraph;
use crate::query::ast::{Command, EntityRef, Query, RelRef, Span};

/// Which subject, relation and object to resolve a `why` as.
pub enum Reading {
    /// As parsed: it resolves, or its words were quoted or too few to read another way.
    AsParsed,
    Split {
        subject: EntityRef,
        relation: RelRef,
        object: EntityRef,
    },
    /// No split can be chosen; one problem says why and how to quote.
    Unreadable(NameProblem),
}

/// How to read `why SUBJECT RELATION OBJECT` against `graph`.
pub fn reading(
    graph: &KnowledgeGraph,
    subject: &EntityRef,
    relation: &RelRef,
    object: &EntityRef,
) -> Reading {
    let words = run(subject, relation, object);
    if words.len() <= 3 || unresolved(graph, subject, relation, object) == 0 {
        return Reading::AsParsed;
    }
    let splits: Vec<(EntityRef, RelRef, EntityRef)> =
        (1..words.len() - 1).map(|k| split(&words, k)).collect();
    let misses: Vec<usize> = splits
        .iter()
        .map(|(s, r, o)| unresolved(graph, s, r, o))
        .collect();
    let span = subject.span.start..object.span.end;
    let whole: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
    let whole = whole.join(" ");
    let resolving: Vec<&(EntityRef, RelRef, EntityRef)> = splits
        .iter()
        .zip(&misses)
        .filter(|(_, &m)| m == 0)
        .map(|(s, _)| s)
        .collect();
    match (resolving.as_slice(), misses.iter().min()) {
        ([(subject, relation, object)], _) => Reading::Split {
            subject: subject.clone(),
            relation: relation.clone(),
            object: object.clone(),
        },
        ([], Some(&fewest)) if fewest < 3 => {
            let at = misses.iter().position(|&m| m == fewest).unwrap_or(0);
            let (subject, relation, object) = splits[at].clone();
            Reading::Split {
                subject,
                relation,
                object,
            }
        }
        ([], _) => Reading::Unreadable(NameProblem {
            span,
            message: format!("cannot tell the names from the relation in `{whole}`"),
            label: "no split of these words names two entities and a relation".to_string(),
            help: Some(
                "write names of several words in quotes: why \"NAME\" RELATION \"NAME\"; \
                 `relations` lists the vocabulary"
                    .to_string(),
            ),
        }),
        (several, _) => {
            let readings: Vec<String> = several
                .iter()
                .map(|(s, r, o)| format!("`{}`", quoted_why(s, r, o)))
                .collect();
            Reading::Unreadable(NameProblem {
                span,
                message: format!("`{whole}` can be read in {} ways", several.len()),
                label: "several splits of these words name two entities and a relation".to_string(),
                help: Some(format!("quote the names: {}", readings.join(" or "))),
            })
        }
    }
}

/// The words of an unquoted `why`, each with its span; empty if a name was quoted or the relation
/// was written inverse (`^name`), which the parser reads for certain.
fn run<'a>(
    subject: &'a EntityRef,
    relation: &'a RelRef,
    object: &'a EntityRef,
) -> Vec<(&'a str, Span)> {
    if subject.quoted || object.quoted || relation.inverse {
        return Vec::new();
    }
    let mut words = vec![
        (subject.text.as_str(), subject.span.clone()),
        (relation.name.as_str(), relation.span.clone()),
    ];
    // A bare name is stored with single spaces; if it was typed so, each word's span is known,
    // otherwise each word points at the whole name.
    let exact = object.span.len() == object.text.len();
    let mut at = object.span.start;
    for word in object.text.split(' ') {
        let span = match exact {
            true => at..at + word.len(),
            false => object.span.clone(),
        };
        at += word.len() + 1;
        words.push((word, span));
    }
    words
}

/// The reading with the relation at word `k`.
fn split(words: &[(&str, Span)], k: usize) -> (EntityRef, RelRef, EntityRef) {
    let name = |part: &[(&str, Span)]| {
        let text: Vec<&str> = part.iter().map(|(w, _)| *w).collect();
        let start = part.first().map_or(0, |(_, s)| s.start);
        let end = part.last().map_or(start, |(_, s)| s.end);
        EntityRef {
            text: text.join(" "),
            quoted: false,
            span: start..end,
        }
    };
    let (word, span) = &words[k];
    let relation = RelRef {
        name: word.to_string(),
        inverse: false,
        span: span.clone(),
    };
    (name(&words[..k]), relation, name(&words[k + 1..]))
}

/// How many of the three do not resolve.
fn unresolved(graph: &KnowledgeGraph, s: &EntityRef, r: &RelRef, o: &EntityRef) -> usize {
    [
        graph.lookup(&s.text).is_err(),
        graph.lookup_relation(&r.name).is_err(),
        graph.lookup(&o.text).is_err(),
    ]
    .into_iter()
    .filter(|&miss| miss)
    .count()
}

/// The reading as a query with its names quoted.
fn quoted_why(subject: &EntityRef, relation: &RelRef, object: &EntityRef) -> String {
    let quoted = |e: &EntityRef| EntityRef {
        quoted: e.text.contains(' '),
        ..e.clone()
    };
    let command = Command::Why {
        subject: quoted(subject),
        relation: relation.clone(),
        object: quoted(object),
    };
    Query::timeless(command).to_string()
}
