//! `conflicts` as text: each conflict's headline, then both facts, each with its source (id,
//! publisher, grades, publication date), its place in the fact files and its quote in full,
//! whatever the evidence setting: a conflict is judged by reading both sides.

use super::{name, plural, Page};
use crate::model::EntityId;
use crate::query::eval::conflicts::Conflict;
use crate::render::conflicts::{headline, source_line, statement};

impl Page<'_> {
    pub(super) fn conflicts(&mut self, entity: Option<EntityId>, conflicts: &[Conflict]) {
        let model = &self.graph.model;
        let about = entity
            .map(|e| format!(" about {}", name(self.graph, e)))
            .unwrap_or_default();
        self.out.line(format_args!(
            "Conflicts{about}{}: {}",
            self.slice,
            if conflicts.is_empty() {
                "none".to_string()
            } else {
                format!("{}:", plural(conflicts.len(), "conflict", "conflicts"))
            }
        ));
        for (n, c) in conflicts.iter().enumerate() {
            let mark = format!("{}.", n + 1);
            self.out.hanging(
                format_args!("  {mark} {} ({})", headline(model, c), c.kind.name()),
                3 + mark.len(),
            );
            for f in c.facts() {
                let indent = " ".repeat(3 + mark.len());
                self.out.hanging(
                    format_args!("{indent}{}", statement(model, f)),
                    indent.len() + 4,
                );
                self.out.hanging(
                    format_args!(
                        "{indent}  {}; {}",
                        source_line(model, f),
                        model.origin_text(model.fact(f).origin)
                    ),
                    indent.len() + 4,
                );
                self.out.hanging(
                    format_args!("{indent}  \"{}\"", model.quote(f)),
                    indent.len() + 3,
                );
            }
        }
    }
}
