//! What a picture shows, decided before any dot is written: which entities are drawn and which
//! others each stands for, which facts each line carries, and which Graphviz engine lays it out.
//!
//! A subgraph of at most [`ExportOptions::max_entities`] entities is drawn in detail: every entity,
//! one line per fact, dated. A larger one is summarised so that it fits a screen: the least
//! connected entities are folded away, each counted on a drawn neighbour ([`super::fold`]); the
//! facts between two drawn entities share one line labelled with their relations; dates and
//! quotes move to tooltips.

use super::fold::{fold, Folding};
use super::{ExportOptions, Subgraph};
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, FactId};
use clap::ValueEnum;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// How many entities a picture draws unless told otherwise: about what a screen holds legibly
/// with the lines between them.
pub const DEFAULT_MAX_ENTITIES: usize = 30;

/// Graphviz's layout engines, and `auto`, which picks one by the size of the drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum)]
pub enum Layout {
    /// By the size of the drawing.
    Auto,
    /// Ranks left to right: paths and small pictures read like sentences.
    Dot,
    /// Force-directed (stress majorization): mid-sized pictures.
    Neato,
    /// Force-directed, with clusters.
    Fdp,
    /// Multiscale force-directed: large pictures.
    Sfdp,
    /// Rings around a centre (the focus of an ego picture).
    Twopi,
    /// Circles.
    Circo,
}

impl Layout {
    /// Whether the engine draws clusters (the legend's box, `--cluster`).
    pub fn draws_clusters(self) -> bool {
        matches!(self, Layout::Auto | Layout::Dot | Layout::Fdp)
    }

    pub fn name(self) -> &'static str {
        match self {
            Layout::Auto => "auto",
            Layout::Dot => "dot",
            Layout::Neato => "neato",
            Layout::Fdp => "fdp",
            Layout::Sfdp => "sfdp",
            Layout::Twopi => "twopi",
            Layout::Circo => "circo",
        }
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The most lines `dot` draws before `auto` prefers a force-directed engine: beyond this, ranked
/// layouts grow too wide to read.
const DOT_MAX_LINES: usize = 45;
/// The same for an ego picture, which reads best with its centre in the middle, as force-directed
/// layouts put it, once it is more than a fan of a few lines.
const DOT_MAX_LINES_AROUND: usize = 15;
/// The most entities `neato` (quadratic in them) lays out before `auto` prefers `sfdp`.
const NEATO_MAX_ENTITIES: usize = 300;

/// How a drawn entity stands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    None,
    /// On the highlighted path, or the centre of an ego picture.
    Marked,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub entity: EntityId,
    /// The entities folded away and counted on this one, in id order.
    pub folded: Vec<EntityId>,
    pub emphasis: Emphasis,
}

/// One line: a fact, or in a summary every fact from one drawn entity to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub from: EntityId,
    pub to: EntityId,
    /// In fact order; never empty.
    pub facts: Vec<FactId>,
    pub highlighted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawing {
    /// In the subgraph's entity order.
    pub nodes: Vec<Node>,
    /// In the order of their first fact.
    pub lines: Vec<Line>,
    /// Never `Auto`.
    pub layout: Layout,
    /// The centre of an ego picture, for `twopi`.
    pub focus: Option<EntityId>,
    /// Whether entities were folded away and lines merged.
    pub summary: bool,
    /// The size of what was asked for, for the summary's caption.
    pub entities: usize,
    pub facts: usize,
    /// Unconnected entities that did not fit.
    pub left_out: usize,
    /// Whether any line is highlighted, so that the others fade.
    pub highlighting: bool,
}

impl Drawing {
    /// Plans the picture of `sub`. O(f log f) for f facts.
    pub fn plan(graph: &KnowledgeGraph, sub: &Subgraph, options: &ExportOptions) -> Drawing {
        let sub = &sub.normalized(graph);
        let model = &graph.model;
        let highlighted: BTreeSet<FactId> = sub.highlight.iter().copied().collect();
        let mut marked: BTreeSet<EntityId> = highlighted
            .iter()
            .flat_map(|&f| [model.fact(f).subject, model.fact(f).object])
            .collect();
        marked.extend(options.focus);
        let max = options.max_entities;
        let summary = max > 0 && sub.entities.len() > max;
        let folding = if summary {
            fold(model, sub, &marked, max)
        } else {
            Folding {
                drawn_as: sub.entities.iter().map(|&e| (e, e)).collect(),
                left_out: 0,
            }
        };
        let nodes = nodes(sub, &folding, &marked);
        let lines = if summary {
            merged_lines(graph, sub, &folding, &highlighted)
        } else {
            sub.facts
                .iter()
                .map(|&f| Line {
                    from: model.fact(f).subject,
                    to: model.fact(f).object,
                    facts: vec![f],
                    highlighted: highlighted.contains(&f),
                })
                .collect()
        };
        let layout = match options.layout {
            Layout::Auto => auto_layout(nodes.len(), lines.len(), options),
            chosen => chosen,
        };
        Drawing {
            nodes,
            lines,
            layout,
            focus: options.focus,
            summary,
            entities: sub.entities.len(),
            facts: sub.facts.len(),
            left_out: folding.left_out,
            highlighting: !highlighted.is_empty(),
        }
    }
}

fn nodes(sub: &Subgraph, folding: &Folding, marked: &BTreeSet<EntityId>) -> Vec<Node> {
    let mut folded: BTreeMap<EntityId, Vec<EntityId>> = BTreeMap::new();
    for (&e, &drawn) in &folding.drawn_as {
        if e != drawn {
            folded.entry(drawn).or_default().push(e);
        }
    }
    sub.entities
        .iter()
        .filter(|e| folding.drawn_as.get(e) == Some(e))
        .map(|&entity| Node {
            entity,
            folded: folded.remove(&entity).unwrap_or_default(),
            emphasis: if marked.contains(&entity) {
                Emphasis::Marked
            } else {
                Emphasis::None
            },
        })
        .collect()
}

/// One line per ordered pair of drawn entities with facts between them. Facts that touch an
/// entity folded away are not drawn, so every label is true of the two entities it joins.
fn merged_lines(
    graph: &KnowledgeGraph,
    sub: &Subgraph,
    folding: &Folding,
    highlighted: &BTreeSet<FactId>,
) -> Vec<Line> {
    let mut by_pair: BTreeMap<(EntityId, EntityId), Vec<FactId>> = BTreeMap::new();
    for &f in &sub.facts {
        let fact = graph.model.fact(f);
        let (Some(&from), Some(&to)) = (
            folding.drawn_as.get(&fact.subject),
            folding.drawn_as.get(&fact.object),
        ) else {
            continue;
        };
        if from == fact.subject && to == fact.object {
            by_pair.entry((from, to)).or_default().push(f);
        }
    }
    let mut lines: Vec<Line> = by_pair
        .into_iter()
        .map(|((from, to), facts)| Line {
            from,
            to,
            highlighted: facts.iter().any(|f| highlighted.contains(f)),
            facts,
        })
        .collect();
    lines.sort_by_key(|l| l.facts[0]);
    lines
}

/// `dot` while its ranks stay readable; then `neato`, or `sfdp` when that would be too slow. Both
/// give the same picture every time (Graphviz 2.43's `fdp` does not), so a picture can be drawn
/// again and compared; `fdp` only where clusters are asked for, which the other two cannot draw.
fn auto_layout(entities: usize, lines: usize, options: &ExportOptions) -> Layout {
    let dot_max = match options.focus {
        Some(_) => DOT_MAX_LINES_AROUND,
        None => DOT_MAX_LINES,
    };
    if lines <= dot_max {
        Layout::Dot
    } else if options.cluster {
        Layout::Fdp
    } else if entities <= NEATO_MAX_ENTITIES {
        Layout::Neato
    } else {
        Layout::Sfdp
    }
}
