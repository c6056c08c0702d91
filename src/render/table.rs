//! Answers as flat tables, written as TSV, CSV (RFC 4180) or Markdown: one row per edge or entity,
//! evidence in columns, for spreadsheets and reports.

use super::{ends, label, name};
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, FactId};
use crate::query::answer::{
    Answer, Holder, MatchRow, NeighborRow, RelationRow, SourceRow, Stats, Step, Transition,
};
use crate::query::TimeScope;
use crate::visible::visible;

pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The evidence of one fact, as columns: a spreadsheet sorts by `earliest` and `latest` (ISO days,
/// empty at an open end), and `file` and `line` lead to the fact in its fact file.
const EVIDENCE: [&str; 11] = [
    "source",
    "when",
    "earliest",
    "latest",
    "precision",
    "quote",
    "file",
    "line",
    "certainty",
    "reliability",
    "credibility",
];

/// The evidence columns of one fact; `certainty` is empty unless a time scope narrows the answer.
fn evidence(graph: &KnowledgeGraph, time: TimeScope, fact: FactId) -> Vec<String> {
    let model = &graph.model;
    let f = model.fact(fact);
    let dates = super::dates(graph, fact);
    let file = model.files.get(f.origin.file as usize);
    vec![
        model.source(f.source).id.clone(),
        dates.when.unwrap_or_default(),
        dates.earliest.unwrap_or_default(),
        dates.latest.unwrap_or_default(),
        dates.precision.unwrap_or_default().to_string(),
        model.quote(fact).to_string(),
        file.cloned().unwrap_or_default(),
        f.origin.line.to_string(),
        match super::certainty(graph, time, fact).map(super::certainty_word) {
            Some((word, Some(day))) => format!("{word} {day}"),
            Some((word, None)) => word.to_string(),
            None => String::new(),
        },
        model
            .source(f.source)
            .reliability
            .map_or(String::new(), |r| r.to_string()),
        model
            .words(fact)
            .credibility
            .map_or(String::new(), |c| c.to_string()),
    ]
}

fn columns(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Column names for rows that end in the evidence of one fact.
fn headers(names: &[&str]) -> Vec<String> {
    columns(&[names, &EVIDENCE].concat())
}

fn step_row(
    graph: &KnowledgeGraph,
    time: TimeScope,
    step: Step,
    mut lead: Vec<String>,
) -> Vec<String> {
    let f = graph.model.fact(step.fact);
    let (from, to) = ends(f, step);
    lead.extend([
        name(graph, from).to_string(),
        label(graph, step),
        name(graph, to).to_string(),
    ]);
    lead.extend(evidence(graph, time, step.fact));
    lead
}

/// The columns of Admiralty grades, kept only when the graph has a grade: a graph without them
/// (most, and every import) keeps the columns it always had.
const GRADES: [&str; 2] = ["reliability", "credibility"];

pub fn answer_table(graph: &KnowledgeGraph, time: TimeScope, answer: &Answer) -> Table {
    let table = table_of(graph, time, answer);
    let model = &graph.model;
    let graded = model.sources.iter().any(|s| s.reliability.is_some())
        || model
            .all_words()
            .extras()
            .iter()
            .any(|(_, x)| x.credibility.is_some());
    if graded || matches!(answer, Answer::Conflicts { .. }) {
        table
    } else {
        table.without(&GRADES)
    }
}

impl Table {
    /// The table without the columns named `names`.
    fn without(mut self, names: &[&str]) -> Table {
        let keep: Vec<bool> = self
            .headers
            .iter()
            .map(|h| !names.contains(&h.as_str()))
            .collect();
        let filter = |row: &mut Vec<String>| {
            let mut i = 0;
            row.retain(|_| {
                i += 1;
                keep.get(i - 1).copied().unwrap_or(true)
            });
        };
        filter(&mut self.headers);
        self.rows.iter_mut().for_each(filter);
        self
    }
}

fn table_of(graph: &KnowledgeGraph, time: TimeScope, answer: &Answer) -> Table {
    match answer {
        Answer::Search { terms, hits, .. } => super::search::search_table(graph, terms, hits),
        Answer::Neighbors { rows, .. } => neighbors_table(graph, time, rows),
        Answer::Paths { paths, .. } => paths_table(graph, time, paths),
        Answer::Match { columns, rows, .. } => match_table(graph, time, columns, rows),
        Answer::Count { count, .. } => count_table(*count),
        Answer::Why {
            facts,
            other_links,
            path,
            ..
        } => steps_table(
            graph,
            time,
            facts.iter().chain(other_links).chain(path).copied(),
        ),
        Answer::Show {
            outgoing, incoming, ..
        } => show_table(graph, time, outgoing, incoming),
        Answer::Timeline { facts, .. } => {
            steps_table(graph, time, facts.iter().map(|&f| read(f, false)))
        }
        Answer::Entities { entities } => entities_table(graph, entities),
        Answer::Relations { rows } => relations_table(graph, rows),
        Answer::Sources { rows } => sources_table(graph, rows),
        Answer::Stats(stats) => stats_table(stats),
        Answer::Changes { transitions, .. } => changes_table(graph, time, transitions),
        Answer::Conflicts { conflicts, .. } => {
            super::conflicts::conflicts_table(&graph.model, conflicts)
        }
    }
}

/// A fact read forwards (subject to object) or backwards.
fn read(fact: FactId, backwards: bool) -> Step {
    Step { fact, backwards }
}

fn neighbors_table(graph: &KnowledgeGraph, time: TimeScope, rows: &[NeighborRow]) -> Table {
    Table {
        headers: headers(&["depth", "relation", "direction", "id", "name", "kind"]),
        rows: rows
            .iter()
            .map(|r| {
                let e = graph.model.entity(r.entity);
                let mut row = vec![
                    r.depth.to_string(),
                    label(graph, r.via),
                    if r.via.backwards { "in" } else { "out" }.to_string(),
                    e.id.clone(),
                    e.name.clone(),
                    e.kind.to_string(),
                ];
                row.extend(evidence(graph, time, r.via.fact));
                row
            })
            .collect(),
    }
}

fn paths_table(graph: &KnowledgeGraph, time: TimeScope, paths: &[Vec<Step>]) -> Table {
    Table {
        headers: headers(&["path", "hop", "from", "relation", "to"]),
        rows: paths
            .iter()
            .enumerate()
            .flat_map(|(p, steps)| {
                steps.iter().enumerate().map(move |(h, &s)| {
                    step_row(
                        graph,
                        time,
                        s,
                        vec![(p + 1).to_string(), (h + 1).to_string()],
                    )
                })
            })
            .collect(),
    }
}

/// Each variable `x` gives two columns, `x` (the id) and `x_name` (the name; a relation variable's
/// is the relation's name), then `fact` and the evidence. A row stands on one fact per pattern, so
/// it takes one line per fact: the bindings repeat, and `fact` numbers the fact in pattern order.
fn match_table(
    graph: &KnowledgeGraph,
    time: TimeScope,
    columns: &[String],
    rows: &[MatchRow],
) -> Table {
    let mut names: Vec<String> = columns
        .iter()
        .flat_map(|c| [c.clone(), format!("{c}_name")])
        .collect();
    names.push("fact".into());
    names.extend(EVIDENCE.iter().map(|s| s.to_string()));
    // Each value as an id (or the value itself) and as a name; unbound values are empty.
    let bindings = |r: &MatchRow| -> Vec<String> {
        r.values
            .iter()
            .flat_map(|v| {
                [
                    super::binding_text(graph, v, true).unwrap_or_default(),
                    super::binding_text(graph, v, false).unwrap_or_default(),
                ]
            })
            .collect()
    };
    let mut lines = Vec::new();
    for r in rows {
        let lead = bindings(r);
        for (n, &fact) in r.facts.iter().enumerate() {
            let mut line = lead.clone();
            line.push((n + 1).to_string());
            line.extend(evidence(graph, time, fact));
            lines.push(line);
        }
        if r.facts.is_empty() {
            let mut line = lead;
            line.resize(names.len(), String::new());
            lines.push(line);
        }
    }
    Table {
        headers: names,
        rows: lines,
    }
}

fn count_table(count: usize) -> Table {
    Table {
        headers: columns(&["count"]),
        rows: vec![vec![count.to_string()]],
    }
}

/// One row per step, `from relation to` and the evidence: `why` and `timeline`.
fn steps_table(
    graph: &KnowledgeGraph,
    time: TimeScope,
    steps: impl Iterator<Item = Step>,
) -> Table {
    Table {
        headers: headers(&["from", "relation", "to"]),
        rows: steps
            .map(|s| step_row(graph, time, s, Vec::new()))
            .collect(),
    }
}

/// One row per transition, with the evidence of the fact that made it.
fn changes_table(graph: &KnowledgeGraph, time: TimeScope, transitions: &[Transition]) -> Table {
    let holder = |h: Holder| match h {
        Holder::Entity(e) => name(graph, e).to_string(),
        Holder::Nobody => "nobody".to_string(),
        Holder::Unknown => "unknown".to_string(),
    };
    let rows = transitions.iter().map(|t| {
        let mut row = vec![
            name(graph, t.place).to_string(),
            t.state.clone(),
            holder(t.from),
            holder(t.to),
            graph
                .model
                .relation(graph.model.fact(t.fact).relation)
                .name
                .clone(),
        ];
        row.extend(evidence(graph, time, t.fact));
        row
    });
    Table {
        headers: headers(&["place", "state", "from", "to", "relation"]),
        rows: rows.collect(),
    }
}

fn show_table(
    graph: &KnowledgeGraph,
    time: TimeScope,
    outgoing: &[FactId],
    incoming: &[FactId],
) -> Table {
    let out = outgoing
        .iter()
        .map(|&f| step_row(graph, time, read(f, false), vec!["out".into()]));
    let into = incoming
        .iter()
        .map(|&f| step_row(graph, time, read(f, true), vec!["in".into()]));
    Table {
        headers: headers(&["direction", "from", "relation", "to"]),
        rows: out.chain(into).collect(),
    }
}

fn entities_table(graph: &KnowledgeGraph, entities: &[EntityId]) -> Table {
    Table {
        headers: columns(&["id", "name", "kind", "aliases", "tags"]),
        rows: entities
            .iter()
            .map(|&id| {
                let e = graph.model.entity(id);
                vec![
                    e.id.clone(),
                    e.name.clone(),
                    e.kind.to_string(),
                    e.aliases().join("; "),
                    e.tags().join("; "),
                ]
            })
            .collect(),
    }
}

fn relations_table(graph: &KnowledgeGraph, rows: &[RelationRow]) -> Table {
    let model = &graph.model;
    Table {
        headers: columns(&["name", "inverse", "broader", "facts", "description"]),
        rows: rows
            .iter()
            .map(|r| {
                let rel = model.relation(r.relation);
                vec![
                    rel.name.clone(),
                    rel.inverse_label(),
                    rel.broader
                        .map(|b| model.relation(b).name.clone())
                        .unwrap_or_default(),
                    r.facts.to_string(),
                    rel.description.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    }
}

fn sources_table(graph: &KnowledgeGraph, rows: &[SourceRow]) -> Table {
    Table {
        headers: columns(&["id", "title", "publisher", "published", "facts"]),
        rows: rows
            .iter()
            .map(|r| {
                let s = graph.model.source(r.source);
                vec![
                    s.id.clone(),
                    s.title.clone(),
                    s.publisher.clone(),
                    s.published.to_string(),
                    r.facts.to_string(),
                ]
            })
            .collect(),
    }
}

fn stats_table(stats: &Stats) -> Table {
    let mut rows: Vec<Vec<String>> = stats
        .entities_by_kind
        .iter()
        .map(|(k, n)| vec![format!("{k}s"), n.to_string()])
        .collect();
    rows.push(vec!["facts".into(), stats.facts.to_string()]);
    rows.push(vec!["dated facts".into(), stats.dated_facts.to_string()]);
    rows.push(vec!["relations".into(), stats.relations.to_string()]);
    rows.push(vec!["sources".into(), stats.sources.to_string()]);
    Table {
        headers: columns(&["measure", "value"]),
        rows,
    }
}

impl Table {
    /// Tab-separated; tabs and line breaks inside fields become spaces so every row is one line,
    /// and other control and bidi characters are escaped (`<U+001B>`) as in text answers.
    pub fn to_tsv(&self) -> String {
        let clean = |s: &String| visible(&s.replace(['\t', '\n', '\r'], " ")).into_owned();
        let mut out = String::new();
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            out.push_str(&row.iter().map(clean).collect::<Vec<_>>().join("\t"));
            out.push('\n');
        }
        out
    }

    /// RFC 4180: fields with commas, quotes or line breaks are quoted, quotes doubled. Fields are
    /// kept exact, control characters included: CSV is for programs, not for reading on a terminal.
    pub fn to_csv(&self) -> String {
        let field = |s: &String| {
            if s.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.clone()
            }
        };
        let mut out = String::new();
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            out.push_str(&row.iter().map(field).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// A GitHub-flavoured Markdown table; pipes are escaped, line breaks become spaces, and other
    /// control and bidi characters are escaped (`<U+001B>`) as in text answers.
    pub fn to_markdown(&self) -> String {
        let cell =
            |s: &String| visible(&s.replace('|', "\\|").replace(['\n', '\r'], " ")).into_owned();
        let line = |row: &Vec<String>| {
            format!(
                "| {} |\n",
                row.iter().map(cell).collect::<Vec<_>>().join(" | ")
            )
        };
        let mut out = line(&self.headers);
        out.push_str(&format!("|{}\n", "---|".repeat(self.headers.len())));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}
