//! CSV node and edge files in the layout `neo4j-admin database import` reads and Kùzu's
//! `COPY ... FROM` loads by column position: the way out for graphs that outgrow one machine.
//!
//! Fields are quoted when they hold a comma, quote or line break, with quotes doubled
//! (RFC 4180). List columns join their items with `;`, neo4j-admin's array delimiter.

use super::Subgraph;
use crate::graph::KnowledgeGraph;
use crate::model::Kind;
use std::io::{self, Write};

pub const NODES_FILE: &str = "nodes.csv";
pub const EDGES_FILE: &str = "edges.csv";

pub const NODES_HEADER: &str = "id:ID,name,kind,aliases:string[],tags:string[],:LABEL";
pub const EDGES_HEADER: &str =
    ":START_ID,:END_ID,:TYPE,fact:long,date,date_first,date_last,source,quote,reported_by:string[],note";

/// `Actor` for `actor`: the node label of a kind.
pub fn kind_label(kind: Kind) -> String {
    let name = kind.name();
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

/// One row per entity of `sub`.
pub fn write_nodes(graph: &KnowledgeGraph, sub: &Subgraph, out: &mut dyn Write) -> io::Result<()> {
    let sub = sub.normalized(graph);
    writeln!(out, "{NODES_HEADER}")?;
    for &e in &sub.entities {
        let e = graph.model.entity(e);
        row(
            out,
            &[
                &e.id,
                &e.name,
                e.kind.name(),
                &e.aliases().join(";"),
                &e.tags().join(";"),
                &kind_label(e.kind),
            ],
        )?;
    }
    Ok(())
}

/// One row per fact of `sub`.
pub fn write_edges(graph: &KnowledgeGraph, sub: &Subgraph, out: &mut dyn Write) -> io::Result<()> {
    let sub = sub.normalized(graph);
    let model = &graph.model;
    writeln!(out, "{EDGES_HEADER}")?;
    for &f in &sub.facts {
        let fact = model.fact(f);
        let (date, first, last) = match fact.when {
            Some(when) => {
                let span = when.interval();
                (
                    when.to_string(),
                    crate::date::iso_day(span.first).unwrap_or_default(),
                    crate::date::iso_day(span.last).unwrap_or_default(),
                )
            }
            None => Default::default(),
        };
        let words = model.words(f);
        let reported: Vec<&str> = words
            .reported_by
            .iter()
            .map(|&r| model.entity(r).id.as_str())
            .collect();
        row(
            out,
            &[
                &model.entity(fact.subject).id,
                &model.entity(fact.object).id,
                &model.relation(fact.relation).name,
                &f.0.to_string(),
                &date,
                &first,
                &last,
                &model.source(fact.source).id,
                words.quote,
                &reported.join(";"),
                words.note.unwrap_or(""),
            ],
        )?;
    }
    Ok(())
}

fn row(out: &mut dyn Write, fields: &[&str]) -> io::Result<()> {
    let fields: Vec<String> = fields.iter().map(|f| field(f)).collect();
    writeln!(out, "{}", fields.join(","))
}

/// One field, quoted when it needs to be.
pub fn field(text: &str) -> String {
    let needs_quotes = text.chars().any(|c| matches!(c, ',' | '"' | '\n' | '\r'))
        || text.starts_with(' ')
        || text.ends_with(' ');
    if needs_quotes {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
