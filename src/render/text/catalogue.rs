//! What the graph holds, as text: its entities, relations, sources and shape.

use super::{name, plural, Page};
use crate::model::EntityId;
use crate::query::answer::{RelationRow, SourceRow, Stats};
use std::fmt::Write;

impl Page<'_> {
    pub(super) fn entities(&mut self, entities: &[EntityId]) {
        self.heading(entities.len(), "entity", "entities");
        let rows: Vec<[String; 3]> = entities
            .iter()
            .map(|&id| {
                let e = self.graph.model.entity(id);
                let mut extra = e.aliases().join(", ");
                if !e.tags().is_empty() {
                    if !extra.is_empty() {
                        extra.push_str("; ");
                    }
                    extra.push_str(&e.tags().join(", "));
                }
                [format!("{} ({})", e.name, e.kind), e.id.clone(), extra]
            })
            .collect();
        self.table(&rows);
    }

    pub(super) fn relations(&mut self, rows: &[RelationRow]) {
        self.heading(rows.len(), "relation", "relations");
        let model = &self.graph.model;
        let cells: Vec<[String; 4]> = rows
            .iter()
            .map(|r| {
                let rel = model.relation(r.relation);
                let mut name = rel.name.clone();
                if let Some(b) = rel.broader {
                    let _ = write!(name, " < {}", model.relation(b).name);
                }
                let state = match (&rel.starts_state, &rel.ends_state) {
                    (Some(s), _) => format!("starts {s}"),
                    (_, Some(s)) => format!("ends {s}"),
                    _ if model.is_derived_relation(r.relation) => "derived".to_string(),
                    _ => String::new(),
                };
                [
                    name,
                    format!("/ {}", rel.inverse_label()),
                    plural(r.facts, "fact", "facts"),
                    [state, rel.description.clone().unwrap_or_default()]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("; "),
                ]
            })
            .collect();
        self.table(&cells);
    }

    pub(super) fn sources(&mut self, rows: &[SourceRow]) {
        self.heading(rows.len(), "source", "sources");
        for r in rows {
            let s = self.graph.model.source(r.source);
            let grade = s
                .reliability
                .map_or(String::new(), |g| format!(" [{g}: {}]", g.meaning()));
            self.out.line(format_args!(
                "  {}  \"{}\", {}, {} ({}){grade}",
                s.id,
                s.title,
                s.publisher,
                s.published,
                plural(r.facts, "fact", "facts")
            ));
            if let Some(url) = &s.url {
                self.out.line(format_args!("      {url}"));
            }
        }
    }

    pub(super) fn stats(&mut self, stats: &Stats) {
        let kinds: Vec<String> = stats
            .entities_by_kind
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        let total: usize = stats.entities_by_kind.iter().map(|(_, n)| n).sum();
        self.out.line(format_args!("Graph{}:", self.slice));
        // In a time scope, say which counts it narrows: the graph's entities stay, its facts do not.
        let (touched, of) = match self.time.is_open() {
            true => (String::new(), String::new()),
            false => (
                format!("; {} in scope", stats.entities_in_scope),
                format!(" of {} in scope", stats.graph_facts),
            ),
        };
        self.out.line(format_args!(
            "  entities   {total} ({}){touched}",
            kinds.join(", ")
        ));
        self.out.line(format_args!(
            "  facts      {}{of} ({} dated)",
            stats.facts, stats.dated_facts
        ));
        self.out
            .line(format_args!("  relations  {}", stats.relations));
        self.out
            .line(format_args!("  sources    {}", stats.sources));
        // As the reader names them, where the caller said how.
        let files = if self.files.len() == stats.files.len() {
            self.files
        } else {
            &stats.files
        };
        self.out
            .line(format_args!("  files      {}", files.join(", ")));
        if let (Some(first), Some(last)) = (stats.earliest, stats.latest) {
            self.out
                .line(format_args!("  dates      {first} to {last}"));
        }
        if !stats.hubs.is_empty() {
            let hubs: Vec<String> = stats
                .hubs
                .iter()
                .map(|&(e, n)| format!("{} ({n})", name(self.graph, e)))
                .collect();
            self.out
                .line(format_args!("  hubs       {}", hubs.join(", ")));
        }
        self.out.line(format_args!(
            "  components {} (the largest has {} of {total} entities)",
            stats.components, stats.largest_component
        ));
    }
}
