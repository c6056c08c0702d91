//! Cypher statements for Neo4j (cypher-shell) and Memgraph (mgconsole): one statement per line, each
//! ending in `;`, using only syntax both accept.
//!
//! Nodes are `:Entity` plus a label for their kind (`:Actor`); relationships are typed by relation
//! name and carry the fact's index as `fact`. Statements MERGE on `id` and `fact`, so loading the
//! same export twice does not duplicate anything.

use super::{ExportOptions, Subgraph};
use crate::graph::KnowledgeGraph;
use std::io::{self, Write};

/// Writes `sub` as Cypher. O(entities + facts) statements; each relationship MATCHes its endpoints,
/// which is fast once `:Entity(id)` is indexed (README.md says how).
pub fn write(
    graph: &KnowledgeGraph,
    sub: &Subgraph,
    _options: &ExportOptions,
    out: &mut impl Write,
) -> io::Result<()> {
    let sub = sub.normalized(graph);
    let model = &graph.model;
    writeln!(
        out,
        "// factgraph export: {} entities, {} facts",
        sub.entities.len(),
        sub.facts.len()
    )?;
    for &e in &sub.entities {
        let e = model.entity(e);
        let mut sets = vec![
            format!("n.name = {}", string(&e.name)),
            format!("n.kind = {}", string(e.kind.name())),
        ];
        if !e.aliases().is_empty() {
            sets.push(format!("n.aliases = {}", list(e.aliases())));
        }
        if !e.tags().is_empty() {
            sets.push(format!("n.tags = {}", list(e.tags())));
        }
        writeln!(
            out,
            "MERGE (n:Entity {{id: {}}}) SET n:{}, {};",
            string(&e.id),
            name(&super::csv::kind_label(e.kind)),
            sets.join(", ")
        )?;
    }
    for &f in &sub.facts {
        let fact = model.fact(f);
        let mut sets = Vec::new();
        if let Some(when) = fact.when {
            sets.push(format!("r.date = {}", string(&when.to_string())));
            let span = when.interval();
            for (key, day) in [("date_first", span.first), ("date_last", span.last)] {
                if let Some(iso) = crate::date::iso_day(day) {
                    sets.push(format!("r.{key} = {}", string(&iso)));
                }
            }
        }
        sets.push(format!(
            "r.source = {}",
            string(&model.source(fact.source).id)
        ));
        let words = model.words(f);
        sets.push(format!("r.quote = {}", string(words.quote)));
        if !words.reported_by.is_empty() {
            let ids: Vec<String> = words
                .reported_by
                .iter()
                .map(|&r| model.entity(r).id.clone())
                .collect();
            sets.push(format!("r.reported_by = {}", list(&ids)));
        }
        if let Some(note) = words.note {
            sets.push(format!("r.note = {}", string(note)));
        }
        writeln!(
            out,
            "MATCH (a:Entity {{id: {}}}), (b:Entity {{id: {}}}) MERGE (a)-[r:{} {{fact: {}}}]->(b) SET {};",
            string(&model.entity(fact.subject).id),
            string(&model.entity(fact.object).id),
            name(&model.relation(fact.relation).name),
            f.0,
            sets.join(", ")
        )?;
    }
    Ok(())
}

/// A single-quoted string literal.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| string(i)).collect();
    format!("[{}]", items.join(", "))
}

/// A label or relationship type in backticks, which admit any text once backticks are doubled.
/// Control characters, which would break the one statement a line, take the reversible escape of
/// [`super::escape`] (`␛u000A`), so relations `a_b` and `a\u{1}b` stay two types.
pub fn name(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('`');
    for c in text.chars() {
        match c {
            '`' => out.push_str("``"),
            c if c.is_control() || super::escape::is_escape(c) => super::escape::push(&mut out, c),
            c => out.push(c),
        }
    }
    out.push('`');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_control_characters_stay_distinct_and_on_one_line() {
        let plain = name("a_b");
        let control = name("a\u{1}b");
        let newline = name("a\nb");
        assert_ne!(plain, control);
        assert!(!newline.contains('\n'));
        let inner = |n: &str| super::super::escape::unescape(&n[1..n.len() - 1]).unwrap();
        assert_eq!(inner(&control), "a\u{1}b");
        assert_eq!(inner(&newline), "a\nb");
        assert_eq!(name("a`b"), "`a``b`");
    }
}
