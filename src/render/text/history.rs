//! One entity's record over time, and the graph's, as text: `show` (who held it, and what it held)
//! and `timeline`.

use super::{name, plural, when, Page};
use crate::date::When;
use crate::graph::spells::StateSpell;
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, FactId};
use std::fmt::Write;

impl Page<'_> {
    pub(super) fn show(
        &mut self,
        entity: EntityId,
        outgoing: &[FactId],
        incoming: &[FactId],
        held_by: &[StateSpell],
        holds: &[StateSpell],
    ) {
        let graph = self.graph;
        let e = graph.model.entity(entity);
        let tags = if e.tags().is_empty() {
            String::new()
        } else {
            format!("; {}", e.tags().join(", "))
        };
        self.out.line(format_args!(
            "{} [{}] {}{tags}{}",
            e.name, e.id, e.kind, self.slice
        ));
        if !e.aliases().is_empty() {
            self.out
                .line(format_args!("  also: {}", e.aliases().join(", ")));
        }
        for (k, v) in e.attributes() {
            self.out.line(format_args!("  {k}: {v}"));
        }
        for m in graph.model.merged_into(entity) {
            self.out.line(format_args!(
                "  also declared as `{}` in {} (same_as)",
                m.id,
                graph.model.origin_text(m.origin)
            ));
        }
        self.spells(held_by, holds);
        let mut facts: Vec<FactId> = outgoing.iter().chain(incoming).copied().collect();
        // As timelines sort, undated facts last.
        facts.sort_by_key(|&f| {
            let key = graph.model.fact(f).when.map(When::timeline_key);
            (key.is_none(), key, f)
        });
        self.out
            .line(format_args!("  {}:", plural(facts.len(), "fact", "facts")));
        self.dated_facts(&facts, "    ");
    }

    /// Who held a state over the entity (`controlled by ...`), then what it held over others.
    fn spells(&mut self, held_by: &[StateSpell], holds: &[StateSpell]) {
        let graph = self.graph;
        for s in held_by {
            let open = if s.ended_by.is_none() {
                ""
            } else {
                "formerly "
            };
            self.out.line(format_args!(
                "  {open}{} by {}{}",
                passive(&s.state),
                spell_line(graph, s, name(graph, s.holder)),
                per_sources(graph, s)
            ));
            self.rivals(s);
        }
        for s in holds {
            let over = graph.model.fact(s.started_by).object;
            self.out.line(format_args!(
                "  {} {}{}",
                s.state,
                spell_line(graph, s, name(graph, over)),
                per_sources(graph, s)
            ));
            self.rivals(s);
        }
    }

    /// Each other source's version of a disputed spell, beneath it.
    fn rivals(&mut self, s: &StateSpell) {
        if s.rivals.is_empty() {
            return;
        }
        let graph = self.graph;
        for line in rival_lines(graph, &s.rivals) {
            self.out.line(format_args!("    contested: {line}"));
        }
        let place = graph.model.entity(graph.model.fact(s.started_by).object);
        self.out
            .line(format_args!("    see `conflicts {}`", place.id));
    }

    pub(super) fn timeline(&mut self, entity: Option<EntityId>, facts: &[FactId], undated: usize) {
        let about = entity
            .map(|e| format!(" of {}", name(self.graph, e)))
            .unwrap_or_default();
        let mut heading = format!(
            "Timeline{about}{}: {}",
            self.slice,
            plural(facts.len(), "dated fact", "dated facts")
        );
        if undated > 0 {
            let _ = write!(heading, " ({undated} undated not shown)");
        }
        self.out.line(format_args!("{heading}:"));
        self.dated_facts(facts, "  ");
    }
}

/// `ISIL since 2015-05-20 (overran)`, and how it ended if it did: one spell of a state.
fn spell_line(graph: &KnowledgeGraph, s: &StateSpell, who: &str) -> String {
    let model = &graph.model;
    let started = model.fact(s.started_by);
    let how = &model.relation(started.relation).name;
    let mut text = match started.when {
        Some(When::At(p) | When::Since(p)) => format!("{who} since {p} ({how})"),
        Some(w @ When::Range { from, to }) if from == to => {
            format!("{who} on {} ({how})", w.shown())
        }
        Some(When::Range { from, to }) => format!("{who} from {from} to {to} ({how})"),
        Some(When::Until(p)) => format!("{who} until {p} ({how})"),
        Some(When::AsOf(p)) => format!("{who} as of {p} ({how})"),
        Some(When::By(p)) => format!("{who} by {p} ({how})"),
        None => format!("{who} ({how})"),
    };
    for &again in &s.corroborated_by {
        let f = model.fact(again);
        let date = when(graph, again);
        let space = if date.is_empty() { "" } else { " " };
        let _ = write!(
            text,
            ", again{space}{date} ({})",
            model.relation(f.relation).name
        );
    }
    if let Some(p) = crate::graph::spells::last_reported(model, s) {
        let _ = write!(text, ", last reported {p}");
    }
    if let Some(end) = s.ended_by {
        let f = model.fact(end);
        // A report of the next holder only bounds the end: it came by that date.
        let until = match f.when {
            Some(When::AsOf(p)) => format!("some time by {p}"),
            _ => when(graph, end),
        };
        let _ = write!(
            text,
            " until {until} ({} {})",
            name(graph, f.subject),
            model.relation(f.relation).name
        );
    }
    text
}

/// `; per The Fictional Courier` (the source of its start) after a spell others dispute, and `(end contested)` after one
/// whose end they dispute; nothing for an undisputed spell.
fn per_sources(graph: &KnowledgeGraph, s: &StateSpell) -> String {
    let mut text = String::new();
    if s.end_contested {
        text.push_str(" (end contested)");
    }
    if !s.rivals.is_empty() {
        let model = &graph.model;
        let source = model.source(model.fact(s.started_by).source);
        let _ = write!(text, "; per {}", source.publisher);
    }
    text
}

/// `The National has ISIL since 2015-05 (overran) until 2017-03 (...)`: rival versions in words.
pub(super) fn rival_lines(
    graph: &KnowledgeGraph,
    rivals: &[crate::graph::spells::Rival],
) -> Vec<String> {
    rivals
        .iter()
        .map(|r| {
            let who = name(graph, r.version.holder);
            format!(
                "{} has {}",
                graph.model.source(r.source).publisher,
                spell_line(graph, &r.version, who)
            )
        })
        .collect()
}

/// `controls` -> `controlled`: a readable passive for the common state names.
fn passive(state: &str) -> String {
    match state.strip_suffix('s') {
        Some(stem) if stem.ends_with("ol") => format!("{stem}led"),
        Some(stem) if stem.ends_with('e') => format!("{stem}d"),
        Some(stem) => format!("{stem}ed"),
        None => format!("{state} held"),
    }
}
