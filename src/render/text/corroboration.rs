//! Corroboration in text: how many independent sources state a claim and whether their dates
//! agree, under `why`; and the other sources' facts for each hop of a path.

use super::{chain_step, Page};
use crate::graph::corroboration::{
    corroborate, narrowed_text, same_claim, Corroboration, DateSide, Dates,
};
use crate::graph::KnowledgeGraph;
use crate::model::SourceId;
use crate::query::answer::Step;

impl Page<'_> {
    /// Under a `why` stated by facts of several sources: one line on their agreement. A claim
    /// of one source says nothing more than its facts do.
    pub(super) fn corroboration(&mut self, facts: &[Step]) {
        let ids: Vec<_> = facts.iter().map(|s| s.fact).collect();
        let c = corroborate(&self.graph.model, &ids);
        if c.sources.len() < 2 {
            return;
        }
        let line = agreement(self.graph, &c);
        self.out.hanging(format_args!("  {line}"), 4);
        if !c.shared_origins.is_empty() {
            let line = shared_origins(self.graph, &c);
            self.out.hanging(format_args!("  {line}"), 4);
        }
    }

    /// After a hop of a path: the facts of other sources that state the same claim, so the hop
    /// shows all its evidence and not only the fact the search walked.
    pub(super) fn also_stated(&mut self, step: Step, indent: &str) {
        for fact in same_claim(self.graph, step.fact) {
            if fact == step.fact {
                continue;
            }
            let also = Step { fact, ..step };
            let line = format!(
                "{indent}also {}  {}",
                chain_step(self.graph, also),
                self.dated(fact)
            );
            self.stated(fact, line.trim_end(), &format!("{indent}  "));
        }
    }
}

/// `2 sources agree: 2017-03 and 2017-03-02 narrow to 2017-03-02`, or where they disagree
/// `2 sources disagree on the date: 2016-12 (The Fictional Courier) vs 2017-03 (The National)`;
/// spans that meet but state different starts `agree on it but not on when it began`.
fn agreement(graph: &KnowledgeGraph, c: &Corroboration) -> String {
    let n = c.independent.len();
    let sources = if n == 1 {
        "1 independent source".to_string()
    } else {
        format!("{n} sources")
    };
    match &c.dates {
        Dates::Undated => format!("{sources} state it, none with a date"),
        Dates::Agree { stated, narrowed } if stated.len() == 1 => {
            format!("{sources} agree: {}", narrowed_text(stated, *narrowed))
        }
        Dates::Agree { stated, narrowed } => {
            let dates: Vec<String> = stated.iter().map(ToString::to_string).collect();
            format!(
                "{sources} agree: {} narrow to {}",
                and_list(&dates),
                narrowed_text(stated, *narrowed)
            )
        }
        Dates::Disagree { groups, on } => {
            let parts: Vec<String> = groups
                .iter()
                .map(|g| {
                    let who: Vec<String> = g.sources.iter().map(|&s| publisher(graph, s)).collect();
                    format!(
                        "{} ({})",
                        narrowed_text(&g.stated, g.narrowed),
                        who.join(", ")
                    )
                })
                .collect();
            let what = match on {
                DateSide::Days => "disagree on the date",
                DateSide::Start => "agree on it but not on when it began",
                DateSide::End => "agree on it but not on when it ended",
                DateSide::StartAndEnd => "agree on it but not on when it began or ended",
            };
            format!("{sources} {what}: {}", parts.join(" vs "))
        }
    }
}

/// `The Fictional Herald and The Fictional Wire both cite Reuters: counted as one source`.
fn shared_origins(graph: &KnowledgeGraph, c: &Corroboration) -> String {
    let origins: Vec<String> = c
        .shared_origins
        .iter()
        .map(|&e| graph.model.entity(e).name.clone())
        .collect();
    let groups: Vec<String> = c
        .independent
        .iter()
        .filter(|g| g.len() > 1)
        .map(|g| {
            let who: Vec<String> = g.iter().map(|&s| publisher(graph, s)).collect();
            and_list(&who)
        })
        .collect();
    format!(
        "{} cite {}: counted as one source",
        groups.join("; "),
        and_list(&origins)
    )
}

fn publisher(graph: &KnowledgeGraph, source: SourceId) -> String {
    graph.model.source(source).publisher.clone()
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
