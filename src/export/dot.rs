//! Graphviz dot, written by hand rather than with petgraph's `Dot` (whose output may change): a stable
//! order, every string escaped, and styling that makes the graph readable at a glance.
//!
//! Escaping leaves only ASCII in the file. In ids, `&`, quotes, backslashes, `<`, `>`, control and
//! non-ASCII characters become XML character references (ids are keys, never expanded, so this is
//! injective). In labels and tooltips Graphviz expands those references, so the same encoding shows
//! the original text; a backslash is written `&#92;&#92;` because Graphviz expands references before
//! it reads `\\` as one backslash, and newlines become `\n`. No raw quote or backslash is left to end
//! a string early, for Graphviz or for any stricter parser.

use super::{ExportOptions, Subgraph};
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, FactId, Kind, Model};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

/// The relation whose facts nest places in clusters.
pub const LOCATED_IN: &str = "located_in";

/// Shape and fill colour per kind, in `Kind::ALL` order.
const STYLE: [(&str, &str); 4] = [
    ("box", "#cfe2f3"),     // actor
    ("ellipse", "#d9ead3"), // place
    ("hexagon", "#fce5cd"), // event
    ("note", "#eeeeee"),    // thing
];
const HIGHLIGHT: &str = "#c0392b";
const FADED: &str = "#9e9e9e";

/// Writes `sub` as a dot digraph. O(entities + facts) after sorting.
pub fn write(
    graph: &KnowledgeGraph,
    sub: &Subgraph,
    options: &ExportOptions,
    out: &mut impl Write,
) -> io::Result<()> {
    let sub = sub.normalized(graph);
    let model = &graph.model;
    let highlighted: BTreeSet<FactId> = sub.highlight.iter().copied().collect();
    let on_path: BTreeSet<EntityId> = sub
        .highlight
        .iter()
        .flat_map(|&f| [model.fact(f).subject, model.fact(f).object])
        .collect();

    writeln!(
        out,
        "// factgraph export: {} entities, {} facts",
        sub.entities.len(),
        sub.facts.len()
    )?;
    writeln!(out, "digraph factgraph {{")?;
    writeln!(
        out,
        "  graph [newrank=true, rankdir=LR, fontname=\"Helvetica\", fontsize=11, nodesep=0.3, ranksep=0.6];"
    )?;
    writeln!(
        out,
        "  node [fontname=\"Helvetica\", fontsize=11, style=filled, color=\"#555555\"];"
    )?;
    writeln!(
        out,
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\", arrowsize=0.7];"
    )?;
    write_legend(model, &sub, out)?;

    let parents = if options.cluster {
        cluster_parents(model, &sub)
    } else {
        BTreeMap::new()
    };
    let mut children: BTreeMap<EntityId, Vec<EntityId>> = BTreeMap::new();
    for (&child, &parent) in &parents {
        children.entry(parent).or_default().push(child);
    }
    for &e in sub.entities.iter().filter(|e| !parents.contains_key(e)) {
        write_tree(model, e, &children, &on_path, 1, out)?;
    }

    for &f in &sub.facts {
        write_edge(model, f, &highlighted, out)?;
    }
    writeln!(out, "}}")
}

/// Kinds present get one legend node each, chained invisibly so they stack in a column. Like
/// everything drawn, each has a tooltip: without one an SVG viewer shows the internal id.
fn write_legend(model: &Model, sub: &Subgraph, out: &mut impl Write) -> io::Result<()> {
    let kinds: BTreeSet<Kind> = sub.entities.iter().map(|&e| model.entity(e).kind).collect();
    if kinds.is_empty() {
        return Ok(());
    }
    writeln!(out, "  subgraph cluster_legend {{")?;
    writeln!(
        out,
        "    label=\"Legend\"; tooltip=\"Legend\"; style=dashed; color=\"#999999\"; fontsize=10;"
    )?;
    // `&legend:` cannot come out of `id`, which turns every `&` into `&amp;`: no entity clashes.
    for &kind in &kinds {
        let (shape, fill) = STYLE[kind as usize];
        writeln!(
            out,
            "    \"&legend:{kind}\" [label=\"{kind}\", tooltip=\"{kind}\", shape={shape}, fillcolor=\"{fill}\", fontsize=9];"
        )?;
    }
    let chain: Vec<String> = kinds.iter().map(|k| format!("\"&legend:{k}\"")).collect();
    if chain.len() > 1 {
        writeln!(out, "    {} [style=invis];", chain.join(" -> "))?;
    }
    writeln!(out, "  }}")
}

/// An entity, and when it has places inside it, a cluster holding it and them, recursively.
fn write_tree(
    model: &Model,
    entity: EntityId,
    children: &BTreeMap<EntityId, Vec<EntityId>>,
    on_path: &BTreeSet<EntityId>,
    depth: usize,
    out: &mut impl Write,
) -> io::Result<()> {
    let pad = "  ".repeat(depth);
    let Some(inside) = children.get(&entity) else {
        return write_node(model, entity, on_path, &pad, out);
    };
    let e = model.entity(entity);
    writeln!(out, "{pad}subgraph \"cluster:{}\" {{", escape_id(&e.id))?;
    writeln!(
        out,
        "{pad}  label=\"{name}\"; tooltip=\"{name}\"; style=rounded; color=\"#8fb98b\"; fontsize=10;",
        name = escape_text(&e.name)
    )?;
    write_node(model, entity, on_path, &format!("{pad}  "), out)?;
    for &child in inside {
        write_tree(model, child, children, on_path, depth + 1, out)?;
    }
    writeln!(out, "{pad}}}")
}

fn write_node(
    model: &Model,
    entity: EntityId,
    on_path: &BTreeSet<EntityId>,
    pad: &str,
    out: &mut impl Write,
) -> io::Result<()> {
    let e = model.entity(entity);
    let (shape, fill) = STYLE[e.kind as usize];
    let mut tooltip = format!("{} ({})", e.name, e.kind);
    if !e.aliases().is_empty() {
        tooltip.push_str(&format!("\nalso: {}", e.aliases().join(", ")));
    }
    if !e.tags().is_empty() {
        tooltip.push_str(&format!("\ntags: {}", e.tags().join(", ")));
    }
    let emphasis = if on_path.contains(&entity) {
        format!(", color=\"{HIGHLIGHT}\", penwidth=2")
    } else {
        String::new()
    };
    writeln!(
        out,
        "{pad}\"{}\" [label=\"{}\", shape={shape}, fillcolor=\"{fill}\", tooltip=\"{}\"{emphasis}];",
        escape_id(&e.id),
        escape_text(&e.name),
        escape_text(&tooltip)
    )
}

fn write_edge(
    model: &Model,
    fact: FactId,
    highlighted: &BTreeSet<FactId>,
    out: &mut impl Write,
) -> io::Result<()> {
    let f = model.fact(fact);
    let relation = &model.relation(f.relation).name;
    let label = match f.when {
        Some(when) => format!("{relation}\n{when}"),
        None => relation.clone(),
    };
    let source = model.source(f.source);
    let tooltip = format!(
        "\u{201c}{}\u{201d} ({})",
        model.quote(fact),
        source.publisher
    );
    let mut style = if highlighted.contains(&fact) {
        format!(", color=\"{HIGHLIGHT}\", fontcolor=\"{HIGHLIGHT}\", penwidth=2.5")
    } else if !highlighted.is_empty() {
        format!(", color=\"{FADED}\", fontcolor=\"{FADED}\"")
    } else {
        String::new()
    };
    if model.relation(f.relation).symmetric {
        style.push_str(", dir=none");
    }
    // Graphviz puts the label outside the link that carries the line's tooltip: without
    // `labeltooltip`, hovering the label (the easy target; the line is a pixel wide) would show
    // the edge's ids instead of the quote.
    let tooltip = escape_text(&tooltip);
    writeln!(
        out,
        "  \"{}\" -> \"{}\" [label=\"{}\", tooltip=\"{tooltip}\", labeltooltip=\"{tooltip}\", id=\"fact{}\"{style}];",
        escape_id(&model.entity(f.subject).id),
        escape_id(&model.entity(f.object).id),
        escape_text(&label),
        fact.0
    )
}

/// Each entity's enclosing place by the first `located_in` fact in the subgraph, when that place is
/// a place in the subgraph too. Cycles (which validation allows) are cut where they close.
fn cluster_parents(model: &Model, sub: &Subgraph) -> BTreeMap<EntityId, EntityId> {
    let present: BTreeSet<EntityId> = sub.entities.iter().copied().collect();
    let mut parents: BTreeMap<EntityId, EntityId> = BTreeMap::new();
    for &f in &sub.facts {
        let fact = model.fact(f);
        if model.relation(fact.relation).name == LOCATED_IN
            && fact.subject != fact.object
            && present.contains(&fact.object)
            && model.entity(fact.object).kind == Kind::Place
        {
            parents.entry(fact.subject).or_insert(fact.object);
        }
    }
    for &e in &sub.entities {
        let mut seen = BTreeSet::from([e]);
        let mut at = e;
        while let Some(&up) = parents.get(&at) {
            if !seen.insert(up) {
                parents.remove(&at);
                break;
            }
            at = up;
        }
    }
    parents
}

/// An id inside double quotes: only ASCII letters, digits and a few safe marks survive as they are.
pub fn escape_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            c if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '<' | '>') || c == ' ' => {
                out.push(c)
            }
            c => out.push_str(&format!("&#{};", u32::from(c))),
        }
    }
    out
}

/// A label or tooltip inside double quotes, shown by Graphviz exactly as `text` reads.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' => out.push_str("&#92;&#92;"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            // Other control characters would make Graphviz's SVG invalid XML.
            c if c.is_control() => out.push(' '),
            c if c.is_ascii() => out.push(c),
            c => out.push_str(&format!("&#{};", u32::from(c))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_no_quote_backslash_or_non_ascii() {
        for text in ["a\"b", "back\\", "x\ny", "<b>", "Ḥims", "a&b", "\u{1}"] {
            for escaped in [escape_id(text), escape_text(text)] {
                assert!(escaped.is_ascii(), "{escaped}");
                assert!(
                    !escaped.contains('"') && !escaped.contains('<'),
                    "{escaped}"
                );
                assert!(!escaped.replace("\\n", "").contains('\\'), "{escaped}");
            }
        }
        assert_eq!(escape_id("Ḥims"), "&#7716;ims");
        assert_eq!(escape_text("a\\b"), "a&#92;&#92;b");
        assert_ne!(escape_id("&#233;"), escape_id("é"));
    }
}
