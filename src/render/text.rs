//! Answers for people: aligned, answers first, the evidence for each indented beneath it.

use super::{ends, label, name, when, Context};
use crate::date::When;
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, FactId};
use crate::query::answer::{Answer, Binding, StateSpell, Step};
use std::fmt::Write;

/// Pads to a width in characters (not bytes), so non-ASCII names align.
fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn entity_label(graph: &KnowledgeGraph, id: EntityId) -> String {
    let e = graph.model.entity(id);
    format!("{} ({})", e.name, e.kind)
}

/// `Russia -brokered-> northern Homs ceasefire`, as the step was read.
fn chain_step(graph: &KnowledgeGraph, step: Step) -> String {
    let (from, to) = ends(graph.model.fact(step.fact), step);
    format!(
        "{} -{}-> {}",
        name(graph, from),
        label(graph, step),
        name(graph, to)
    )
}

/// The quote and where it comes from, on one line: `"..." (national, graphs/al-sukhna.ron:212)`.
fn evidence(graph: &KnowledgeGraph, fact: FactId, indent: &str, out: &mut String) {
    let model = &graph.model;
    let f = model.fact(fact);
    let mut place = format!(
        "{}, {}",
        model.source(f.source).id,
        model.origin_text(f.origin)
    );
    let words = model.words(fact);
    if !words.reported_by.is_empty() {
        let who: Vec<&str> = words.reported_by.iter().map(|&r| name(graph, r)).collect();
        let _ = write!(place, "; reported by {}", who.join(" and "));
    }
    let _ = writeln!(out, "{indent}\"{}\" ({place})", words.quote);
}

fn note(graph: &KnowledgeGraph, fact: FactId, indent: &str, out: &mut String) {
    if let Some(note) = graph.model.words(fact).note {
        let _ = writeln!(out, "{indent}note: {note}");
    }
}

pub fn render(graph: &KnowledgeGraph, answer: &Answer, context: Context) -> String {
    let mut out = String::new();
    let slice = context
        .at
        .map(|at| format!(" as of {at}"))
        .unwrap_or_default();
    match answer {
        Answer::Neighbors { entity, rows } => neighbors(graph, *entity, rows, &slice, &mut out),
        Answer::Paths {
            from,
            to,
            paths,
            truncated,
        } => {
            let (from, to) = (name(graph, *from), name(graph, *to));
            if paths.is_empty() {
                let _ = writeln!(out, "No path from {from} to {to}{slice}.");
            } else {
                let _ = writeln!(
                    out,
                    "{} from {from} to {to}{slice}:",
                    plural(paths.len(), "path", "paths")
                );
            }
            for (i, path) in paths.iter().enumerate() {
                let chain: Vec<String> = path
                    .iter()
                    .enumerate()
                    .map(|(h, &s)| {
                        let step = chain_step(graph, s);
                        // After the first hop, drop the repeated "from" name: A -r-> B -s-> C.
                        if h == 0 {
                            step
                        } else {
                            step.split_once(" -")
                                .map_or(step.clone(), |(_, rest)| format!("-{rest}"))
                        }
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "{:>3}. ({}) {}",
                    i + 1,
                    plural(path.len(), "hop", "hops"),
                    chain.join(" ")
                );
                for &step in path {
                    let _ = writeln!(
                        out,
                        "       {}  {}",
                        chain_step(graph, step),
                        when(graph, step.fact)
                    );
                    evidence(graph, step.fact, "         ", &mut out);
                }
            }
            if let Some(reason) = truncated {
                let _ = writeln!(out, "note: {reason}");
            }
        }
        Answer::Match {
            columns,
            rows,
            truncated,
        } => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    r.values
                        .iter()
                        .map(|v| match v {
                            Binding::Entity(e) => name(graph, *e).to_string(),
                            Binding::Relation(rel) => graph.model.relation(*rel).name.clone(),
                        })
                        .collect()
                })
                .collect();
            let headers: Vec<String> = columns.iter().map(|c| format!("?{c}")).collect();
            let widths: Vec<usize> = (0..columns.len())
                .map(|i| {
                    cells
                        .iter()
                        .map(|r| r[i].chars().count())
                        .chain([headers[i].chars().count()])
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            let _ = writeln!(out, "{}{slice}:", plural(rows.len(), "match", "matches"));
            let line = |cells: &[String]| {
                let padded: Vec<String> =
                    cells.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
                format!("  {}", padded.join("  ").trim_end())
            };
            let _ = writeln!(out, "{}", line(&headers));
            for (row, r) in cells.iter().zip(rows) {
                let _ = writeln!(out, "{}", line(row));
                for &f in &r.facts {
                    let _ = writeln!(
                        out,
                        "      {}  {}",
                        chain_step(
                            graph,
                            Step {
                                fact: f,
                                backwards: false
                            }
                        ),
                        when(graph, f)
                    );
                    evidence(graph, f, "        ", &mut out);
                }
            }
            if let Some(reason) = truncated {
                let _ = writeln!(out, "note: {reason}");
            }
        }
        Answer::Count {
            columns,
            count,
            truncated,
        } => {
            let vars: Vec<String> = columns.iter().map(|c| format!("?{c}")).collect();
            let what = if vars.len() == 1 {
                vars.join("")
            } else {
                format!("({})", vars.join(", "))
            };
            let _ = writeln!(out, "{count} distinct {what}{slice}");
            if let Some(reason) = truncated {
                let _ = writeln!(out, "note: {reason}");
            }
        }
        Answer::Why {
            subject,
            relation,
            object,
            facts,
            other_links,
        } => {
            let (s, o) = (name(graph, *subject), name(graph, *object));
            if facts.is_empty() {
                let _ = writeln!(out, "No fact states that {s} {relation} {o}{slice}.");
                if !other_links.is_empty() {
                    let _ = writeln!(out, "What does connect them:");
                }
            } else {
                let _ = writeln!(
                    out,
                    "{s} {relation} {o}{slice}: stated by {}",
                    plural(facts.len(), "fact", "facts")
                );
            }
            for &step in facts.iter().chain(other_links) {
                let _ = writeln!(
                    out,
                    "  {}  {}",
                    chain_step(graph, step),
                    when(graph, step.fact)
                );
                evidence(graph, step.fact, "    ", &mut out);
                note(graph, step.fact, "    ", &mut out);
            }
        }
        Answer::Show {
            entity,
            outgoing,
            incoming,
            held_by,
            holds,
        } => show(
            graph, *entity, outgoing, incoming, held_by, holds, &slice, &mut out,
        ),
        Answer::Timeline {
            entity,
            facts,
            undated,
        } => {
            let about = entity
                .map(|e| format!(" of {}", name(graph, e)))
                .unwrap_or_default();
            let _ = write!(
                out,
                "Timeline{about}{slice}: {}",
                plural(facts.len(), "dated fact", "dated facts")
            );
            if *undated > 0 {
                let _ = write!(out, " ({undated} undated not shown)");
            }
            out.push_str(":\n");
            dated_facts(graph, facts, "  ", &mut out);
        }
        Answer::Entities { entities } => {
            let _ = writeln!(
                out,
                "{}{slice}:",
                plural(entities.len(), "entity", "entities")
            );
            let rows: Vec<[String; 3]> = entities
                .iter()
                .map(|&id| {
                    let e = graph.model.entity(id);
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
            table(&rows, &mut out);
        }
        Answer::Relations { rows } => {
            let _ = writeln!(
                out,
                "{}{slice}:",
                plural(rows.len(), "relation", "relations")
            );
            let model = &graph.model;
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
            table(&cells, &mut out);
        }
        Answer::Sources { rows } => {
            let _ = writeln!(out, "{}{slice}:", plural(rows.len(), "source", "sources"));
            for r in rows {
                let s = graph.model.source(r.source);
                let _ = writeln!(
                    out,
                    "  {}  \"{}\", {}, {} ({})",
                    s.id,
                    s.title,
                    s.publisher,
                    s.published,
                    plural(r.facts, "fact", "facts")
                );
                if let Some(url) = &s.url {
                    let _ = writeln!(out, "      {url}");
                }
            }
        }
        Answer::Stats(stats) => {
            let kinds: Vec<String> = stats
                .entities_by_kind
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| format!("{n} {k}"))
                .collect();
            let total: usize = stats.entities_by_kind.iter().map(|(_, n)| n).sum();
            let _ = writeln!(out, "Graph{slice}:");
            let _ = writeln!(out, "  entities   {total} ({})", kinds.join(", "));
            let _ = writeln!(
                out,
                "  facts      {} ({} dated)",
                stats.facts, stats.dated_facts
            );
            let _ = writeln!(out, "  relations  {}", stats.relations);
            let _ = writeln!(out, "  sources    {}", stats.sources);
            let _ = writeln!(out, "  files      {}", stats.files.join(", "));
            if let (Some(first), Some(last)) = (stats.earliest, stats.latest) {
                let _ = writeln!(out, "  dates      {first} to {last}");
            }
            if !stats.hubs.is_empty() {
                let hubs: Vec<String> = stats
                    .hubs
                    .iter()
                    .map(|&(e, n)| format!("{} ({n})", name(graph, e)))
                    .collect();
                let _ = writeln!(out, "  hubs       {}", hubs.join(", "));
            }
            let _ = writeln!(
                out,
                "  components {} (the largest has {} of {total} entities)",
                stats.components, stats.largest_component
            );
        }
    }
    if let Some(elapsed) = context.elapsed {
        let _ = writeln!(out, "({:.3} ms)", elapsed.as_secs_f64() * 1000.0);
    }
    // Undated facts leave blank date columns; trailing blanks only make diffs noisy.
    out.lines().map(|l| format!("{}\n", l.trim_end())).collect()
}

/// Facts as `date  subject -relation-> object`, dates aligned, each with its evidence beneath.
fn dated_facts(graph: &KnowledgeGraph, facts: &[FactId], indent: &str, out: &mut String) {
    let width = facts
        .iter()
        .map(|&f| when(graph, f).chars().count())
        .max()
        .unwrap_or(0);
    let evidence_indent = format!("{indent}{}    ", " ".repeat(width));
    for &f in facts {
        let step = Step {
            fact: f,
            backwards: false,
        };
        let _ = writeln!(
            out,
            "{indent}{}  {}",
            pad(&when(graph, f), width),
            chain_step(graph, step)
        );
        evidence(graph, f, &evidence_indent, out);
    }
}

fn table<const N: usize>(rows: &[[String; N]], out: &mut String) {
    let widths: Vec<usize> = (0..N)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
        let _ = writeln!(out, "  {}", cells.join("  ").trim_end());
    }
}

fn neighbors(
    graph: &KnowledgeGraph,
    entity: EntityId,
    rows: &[crate::query::answer::NeighborRow],
    slice: &str,
    out: &mut String,
) {
    let _ = writeln!(
        out,
        "{}{slice}: {}",
        entity_label(graph, entity),
        plural(rows.len(), "neighbour", "neighbours")
    );
    let labels: Vec<String> = rows.iter().map(|r| label(graph, r.via)).collect();
    let names: Vec<String> = rows.iter().map(|r| entity_label(graph, r.entity)).collect();
    let lw = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let nw = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let deep = rows.iter().any(|r| r.depth > 1);
    for ((r, l), n) in rows.iter().zip(&labels).zip(&names) {
        let depth = if deep {
            format!("{}  ", r.depth)
        } else {
            String::new()
        };
        let from = if r.depth > 1 {
            let (from, _) = ends(graph.model.fact(r.via.fact), r.via);
            format!("  (from {})", name(graph, from))
        } else {
            String::new()
        };
        let line = format!(
            "  {depth}{}  {}  {}{from}",
            pad(l, lw),
            pad(n, nw),
            when(graph, r.via.fact)
        );
        let _ = writeln!(out, "{}", line.trim_end());
        evidence(
            graph,
            r.via.fact,
            &format!("  {}    ", " ".repeat(depth.len())),
            out,
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn show(
    graph: &KnowledgeGraph,
    entity: EntityId,
    outgoing: &[FactId],
    incoming: &[FactId],
    held_by: &[StateSpell],
    holds: &[StateSpell],
    slice: &str,
    out: &mut String,
) {
    let e = graph.model.entity(entity);
    let tags = if e.tags().is_empty() {
        String::new()
    } else {
        format!("; {}", e.tags().join(", "))
    };
    let _ = writeln!(out, "{} [{}] {}{tags}{slice}", e.name, e.id, e.kind);
    if !e.aliases().is_empty() {
        let _ = writeln!(out, "  also: {}", e.aliases().join(", "));
    }
    for (k, v) in e.attributes() {
        let _ = writeln!(out, "  {k}: {v}");
    }
    let spell_line = |s: &StateSpell, who: &str| {
        let model = &graph.model;
        let started = model.fact(s.started_by);
        let how = &model.relation(started.relation).name;
        let mut text = match started.when {
            Some(When::At(p) | When::Since(p)) => format!("{who} since {p} ({how})"),
            Some(When::Range { from, to }) => format!("{who} from {from} to {to} ({how})"),
            Some(When::Until(p)) => format!("{who} until {p} ({how})"),
            None => format!("{who} ({how})"),
        };
        if let Some(end) = s.ended_by {
            let f = model.fact(end);
            let _ = write!(
                text,
                " until {} ({} {})",
                when(graph, end),
                name(graph, f.subject),
                model.relation(f.relation).name
            );
        }
        text
    };
    for s in held_by {
        let open = if s.ended_by.is_none() {
            ""
        } else {
            "formerly "
        };
        let _ = writeln!(
            out,
            "  {open}{} by {}",
            passive(&s.state),
            spell_line(s, name(graph, s.holder))
        );
    }
    for s in holds {
        let over = graph.model.fact(s.started_by).object;
        let _ = writeln!(out, "  {} {}", s.state, spell_line(s, name(graph, over)));
    }
    let mut facts: Vec<(FactId, bool)> = outgoing
        .iter()
        .map(|&f| (f, false))
        .chain(incoming.iter().map(|&f| (f, true)))
        .collect();
    facts.sort_by_key(|&(f, _)| {
        (
            graph.model.fact(f).when.map_or(i32::MAX, |w| w.sort_key()),
            f,
        )
    });
    let _ = writeln!(out, "  {}:", plural(facts.len(), "fact", "facts"));
    let facts: Vec<FactId> = facts.into_iter().map(|(f, _)| f).collect();
    dated_facts(graph, &facts, "    ", out);
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
