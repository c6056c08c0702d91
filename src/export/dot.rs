//! Graphviz dot, written by hand rather than with petgraph's `Dot` (whose output may change): a stable
//! order, every string escaped, and styling that makes the graph readable at a glance. What is drawn
//! (in detail or as a summary) and with which engine is decided first, by [`Drawing::plan`].
//!
//! Escaping leaves only ASCII in the file. In ids, `&`, quotes, backslashes, `<`, `>`, control and
//! non-ASCII characters become XML character references (ids are keys, never expanded, so this is
//! injective). In labels and tooltips Graphviz expands those references, so the same encoding shows
//! the original text; a backslash is written `&#92;&#92;` because Graphviz expands references before
//! it reads `\\` as one backslash, and newlines become `\n`. No raw quote or backslash is left to end
//! a string early, for Graphviz or for any stricter parser.

use super::drawing::{Drawing, Emphasis, Layout, Line, Node};
use super::{ExportOptions, Subgraph};
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, Kind, Model};
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
/// How many folded names a tooltip lists before it only counts.
const TOOLTIP_NAMES: usize = 20;
/// How many relation names a merged line's label shows before it only counts.
const LABEL_RELATIONS: usize = 3;

/// Writes `sub` as a dot digraph: in detail, or summarised when it has more entities than
/// `options.max_entities` (see [`Drawing`]). O(f log f) for f facts.
pub fn write(
    graph: &KnowledgeGraph,
    sub: &Subgraph,
    options: &ExportOptions,
    out: &mut impl Write,
) -> io::Result<()> {
    let sub = sub.normalized(graph);
    let drawing = Drawing::plan(graph, &sub, options);
    let model = &graph.model;

    writeln!(
        out,
        "// factgraph export: {} entities, {} facts",
        sub.entities.len(),
        sub.facts.len()
    )?;
    writeln!(out, "digraph factgraph {{")?;
    write_graph_attributes(model, &drawing, out)?;
    writeln!(
        out,
        "  node [fontname=\"Helvetica\", fontsize=11, style=filled, color=\"#555555\"];"
    )?;
    writeln!(
        out,
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\", arrowsize=0.7];"
    )?;
    write_legend(model, &drawing, out)?;

    let parents = if options.cluster {
        cluster_parents(model, &sub, &drawing)
    } else {
        BTreeMap::new()
    };
    let mut children: BTreeMap<EntityId, Vec<&Node>> = BTreeMap::new();
    for node in &drawing.nodes {
        if let Some(&parent) = parents.get(&node.entity) {
            children.entry(parent).or_default().push(node);
        }
    }
    for node in drawing
        .nodes
        .iter()
        .filter(|n| !parents.contains_key(&n.entity))
    {
        write_tree(model, node, &children, 1, out)?;
    }

    for line in &drawing.lines {
        if drawing.summary {
            write_merged_line(model, line, drawing.highlighting, out)?;
        } else {
            write_fact_line(model, line, drawing.highlighting, out)?;
        }
    }
    writeln!(out, "}}")
}

/// The layout engine and its settings; a summary also gets a caption that says what was folded.
fn write_graph_attributes(
    model: &Model,
    drawing: &Drawing,
    out: &mut impl Write,
) -> io::Result<()> {
    let common = "fontname=\"Helvetica\", fontsize=11";
    match drawing.layout {
        // `dot` is Graphviz's default engine, so it goes unnamed.
        Layout::Dot | Layout::Auto => writeln!(
            out,
            "  graph [newrank=true, rankdir=LR, {common}, nodesep=0.3, ranksep=0.6];"
        )?,
        Layout::Twopi => {
            let root = drawing
                .focus
                .map(|f| format!(", root=\"{}\"", escape_id(&model.entity(f).id)))
                .unwrap_or_default();
            writeln!(
                out,
                "  graph [layout=twopi{root}, {common}, ranksep=1.4, overlap=prism, splines=true, outputorder=edgesfirst];"
            )?
        }
        // Lines under nodes, room between nodes for the lines' labels, and unconnected parts
        // laid out apart.
        engine => writeln!(
            out,
            "  graph [layout={engine}, {common}, overlap=prism, splines=true, sep=\"+6\", K=1.2, outputorder=edgesfirst, pack=true];"
        )?,
    }
    let caption = drawing.summary.then(|| escape_text(&caption(drawing)));
    let style = "labelloc=b, fontsize=10, fontcolor=\"#555555\"";
    if drawing.layout.draws_clusters() {
        if let Some(caption) = caption {
            writeln!(out, "  graph [label=\"{caption}\", {style}];")?;
        }
        return Ok(());
    }
    // Without clusters the legend goes under the picture, the kinds' colours before the caption,
    // so that the layout cannot drop it among the lines.
    let cells: String = kinds(model, drawing)
        .iter()
        .map(|&kind| {
            let (_, fill) = STYLE[kind as usize];
            format!("<td bgcolor=\"{fill}\" border=\"1\" color=\"#555555\">{kind}</td>")
        })
        .collect();
    let caption = caption.map(|c| format!("<td>{c}</td>")).unwrap_or_default();
    // One row: a table stretches the cells of a row to the widest row.
    writeln!(
        out,
        "  graph [label=<<table border=\"0\" cellspacing=\"6\"><tr>{cells}{caption}</tr></table>>, {style}];"
    )
}

/// The kinds drawn, each once, in `Kind::ALL` order.
fn kinds(model: &Model, drawing: &Drawing) -> BTreeSet<Kind> {
    drawing
        .nodes
        .iter()
        .map(|n| model.entity(n.entity).kind)
        .collect()
}

/// What a summary leaves out, said where the reader looks: under the picture.
fn caption(drawing: &Drawing) -> String {
    let drawn_facts: usize = drawing.lines.iter().map(|l| l.facts.len()).sum();
    let left_out = match drawing.left_out {
        0 => String::new(),
        n => format!(" {n} entities unconnected to the rest are left out."),
    };
    format!(
        "{} entities and {} facts, drawn as the {} most interconnected and the {drawn_facts} facts between them. \
         +N more counts the entities not drawn beside the neighbour they share most with.{left_out} \
         In SVG, hover for names, dates and quotes.",
        drawing.entities,
        drawing.facts,
        drawing.nodes.len()
    )
}

/// Kinds present get one legend node each, chained invisibly so they stack in a column. Like
/// everything drawn, each has a tooltip: without one an SVG viewer shows the internal id.
fn write_legend(model: &Model, drawing: &Drawing, out: &mut impl Write) -> io::Result<()> {
    let kinds = kinds(model, drawing);
    // Engines that cannot draw clusters get the legend in the graph's label instead.
    if kinds.is_empty() || !drawing.layout.draws_clusters() {
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
    node: &Node,
    children: &BTreeMap<EntityId, Vec<&Node>>,
    depth: usize,
    out: &mut impl Write,
) -> io::Result<()> {
    let pad = "  ".repeat(depth);
    let Some(inside) = children.get(&node.entity) else {
        return write_node(model, node, &pad, out);
    };
    let e = model.entity(node.entity);
    writeln!(out, "{pad}subgraph \"cluster:{}\" {{", escape_id(&e.id))?;
    writeln!(
        out,
        "{pad}  label=\"{name}\"; tooltip=\"{name}\"; style=rounded; color=\"#8fb98b\"; fontsize=10;",
        name = escape_text(&e.name)
    )?;
    write_node(model, node, &format!("{pad}  "), out)?;
    for child in inside {
        write_tree(model, child, children, depth + 1, out)?;
    }
    writeln!(out, "{pad}}}")
}

/// An entity: its name (and how many are folded away around it); hovering shows its kind,
/// aliases, tags and the names folded away.
fn write_node(model: &Model, node: &Node, pad: &str, out: &mut impl Write) -> io::Result<()> {
    let e = model.entity(node.entity);
    let (shape, fill) = STYLE[e.kind as usize];
    let mut tooltip = format!("{} ({})", e.name, e.kind);
    if !e.aliases().is_empty() {
        tooltip.push_str(&format!("\nalso: {}", e.aliases().join(", ")));
    }
    if !e.tags().is_empty() {
        tooltip.push_str(&format!("\ntags: {}", e.tags().join(", ")));
    }
    let mut label = e.name.clone();
    if !node.folded.is_empty() {
        label.push_str(&format!("\n+{} more", node.folded.len()));
        let names: Vec<&str> = node
            .folded
            .iter()
            .take(TOOLTIP_NAMES)
            .map(|&f| model.entity(f).name.as_str())
            .collect();
        tooltip.push_str(&format!("\nnear it, not drawn: {}", names.join(", ")));
        if node.folded.len() > TOOLTIP_NAMES {
            tooltip.push_str(&format!(" and {} more", node.folded.len() - TOOLTIP_NAMES));
        }
    }
    let emphasis = match node.emphasis {
        Emphasis::Marked => format!(", color=\"{HIGHLIGHT}\", penwidth=2"),
        Emphasis::None => String::new(),
    };
    writeln!(
        out,
        "{pad}\"{}\" [label=\"{}\", shape={shape}, fillcolor=\"{fill}\", tooltip=\"{}\"{emphasis}];",
        escape_id(&e.id),
        escape_text(&label),
        escape_text(&tooltip)
    )
}

/// A line's colours: red on the path, grey beside one, plain without one.
fn line_style(highlighted: bool, highlighting: bool) -> String {
    if highlighted {
        format!(", color=\"{HIGHLIGHT}\", fontcolor=\"{HIGHLIGHT}\", penwidth=2.5")
    } else if highlighting {
        format!(", color=\"{FADED}\", fontcolor=\"{FADED}\"")
    } else {
        String::new()
    }
}

/// One fact, labelled with its relation and date; hovering shows its quote.
fn write_fact_line(
    model: &Model,
    line: &Line,
    highlighting: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    let fact = line.facts[0];
    let f = model.fact(fact);
    let relation = &model.relation(f.relation).name;
    let label = match f.when {
        Some(when) => format!("{relation}\n{when}"),
        None => relation.clone(),
    };
    let tooltip = format!(
        "\u{201c}{}\u{201d} ({})",
        model.quote(fact),
        model.source(f.source).publisher
    );
    let mut style = line_style(line.highlighted, highlighting);
    if model.relation(f.relation).symmetric {
        style.push_str(", dir=none");
    }
    write_line(model, line, &label, &tooltip, &style, out)
}

/// Every fact from one drawn entity to another, labelled with their relations and thicker the more
/// there are; hovering lists each fact with its date and quote.
fn write_merged_line(
    model: &Model,
    line: &Line,
    highlighting: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut relations: Vec<(&str, usize)> = Vec::new();
    let mut tooltip = Vec::new();
    for &fact in &line.facts {
        let f = model.fact(fact);
        let relation = model.relation(f.relation).name.as_str();
        match relations.iter_mut().find(|(r, _)| *r == relation) {
            Some((_, n)) => *n += 1,
            None => relations.push((relation, 1)),
        }
        let when = f.when.map(|w| format!(", {w}")).unwrap_or_default();
        tooltip.push(format!(
            "{} {relation} {}{when}: \u{201c}{}\u{201d} ({})",
            model.entity(f.subject).name,
            model.entity(f.object).name,
            model.quote(fact),
            model.source(f.source).publisher
        ));
    }
    let mut label: Vec<String> = relations
        .iter()
        .take(LABEL_RELATIONS)
        .map(|&(r, n)| match n {
            1 => r.to_string(),
            n => format!("{r} \u{d7}{n}"),
        })
        .collect();
    if relations.len() > LABEL_RELATIONS {
        label.push(format!("+{} more", relations.len() - LABEL_RELATIONS));
    }
    let mut style = line_style(line.highlighted, highlighting);
    if line.facts.len() > 1 {
        let width = (1.0 + 0.5 * (line.facts.len() - 1) as f64).min(4.0);
        style.push_str(&format!(", penwidth={width}"));
    }
    let symmetric = |f: &crate::model::FactId| model.relation(model.fact(*f).relation).symmetric;
    if line.facts.iter().all(symmetric) {
        style.push_str(", dir=none");
    }
    write_line(
        model,
        line,
        &label.join(", "),
        &tooltip.join("\n"),
        &style,
        out,
    )
}

/// A line with its tooltip on both the line and its label: Graphviz puts the label outside the
/// line's link, so without `labeltooltip` hovering the label (the easy target; the line is a
/// pixel wide) would show the edge's ids instead of the quote.
fn write_line(
    model: &Model,
    line: &Line,
    label: &str,
    tooltip: &str,
    style: &str,
    out: &mut impl Write,
) -> io::Result<()> {
    let tooltip = escape_text(tooltip);
    writeln!(
        out,
        "  \"{}\" -> \"{}\" [label=\"{}\", tooltip=\"{tooltip}\", labeltooltip=\"{tooltip}\", id=\"fact{}\"{style}];",
        escape_id(&model.entity(line.from).id),
        escape_id(&model.entity(line.to).id),
        escape_text(label),
        line.facts[0].0
    )
}

/// Each drawn entity's enclosing place by the first `located_in` fact in the subgraph, when that
/// place is a drawn place too. Cycles (which validation allows) are cut where they close.
fn cluster_parents(
    model: &Model,
    sub: &Subgraph,
    drawing: &Drawing,
) -> BTreeMap<EntityId, EntityId> {
    let present: BTreeSet<EntityId> = drawing.nodes.iter().map(|n| n.entity).collect();
    let mut parents: BTreeMap<EntityId, EntityId> = BTreeMap::new();
    for &f in &sub.facts {
        let fact = model.fact(f);
        if model.relation(fact.relation).name == LOCATED_IN
            && fact.subject != fact.object
            && present.contains(&fact.subject)
            && present.contains(&fact.object)
            && model.entity(fact.object).kind == Kind::Place
        {
            parents.entry(fact.subject).or_insert(fact.object);
        }
    }
    for &e in &present {
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
