//! `changes` as text: one line per transition (date, place, old and new holder, how), with the
//! fact that ended the old holder's spell beneath it.

use super::{chain_step, forwards, name, pad, plural, when, width, Page};
use crate::date::When;
use crate::graph::KnowledgeGraph;
use crate::model::EntityId;
use crate::query::answer::{Holder, Transition};

impl Page<'_> {
    pub(super) fn changes(&mut self, entity: Option<EntityId>, transitions: &[Transition]) {
        let graph = self.graph;
        let about = entity
            .map(|e| format!(" of {}", name(graph, e)))
            .unwrap_or_default();
        self.out.line(format_args!(
            "Changes{about}{}: {}:",
            self.slice,
            plural(transitions.len(), "transition", "transitions")
        ));
        let date_width = transitions
            .iter()
            .map(|t| width(&date(t)))
            .max()
            .unwrap_or(0);
        let indent = format!("  {}  ", " ".repeat(date_width));
        for t in transitions {
            let how = &graph.model.relation(graph.model.fact(t.fact).relation).name;
            let line = format!(
                "  {}  {}: {} -> {} ({how})",
                pad(&date(t), date_width),
                name(graph, t.place),
                holder(graph, t.from),
                holder(graph, t.to),
            );
            let contested = if t.rivals.is_empty() {
                ""
            } else {
                " (contested)"
            };
            self.stated(
                t.fact,
                &format!("{line}{contested}"),
                &format!("{indent}  "),
            );
            for rival in super::history::rival_lines(graph, &t.rivals) {
                self.out.line(format_args!("{indent}contested: {rival}"));
            }
            if let Some(previous) = t.previous {
                let line = format!(
                    "{indent}previously: {} {}",
                    when(graph, previous),
                    chain_step(graph, forwards(previous))
                );
                self.stated(previous, &line, &format!("{indent}  "));
            }
        }
    }
}

fn date(t: &Transition) -> String {
    t.when.map(When::shown).unwrap_or_default()
}

/// A holder's name, or `nobody` / `unknown`.
pub(super) fn holder(graph: &KnowledgeGraph, holder: Holder) -> &str {
    match holder {
        Holder::Entity(e) => name(graph, e),
        Holder::Nobody => "nobody",
        Holder::Unknown => "unknown",
    }
}
