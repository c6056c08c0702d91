//! The way back from the model to the fact file's records, and from records to RON text that reads
//! like a hand-written fact file: what JSON export and `import` share.

use crate::export::Subgraph;
use crate::fact_file::{EntityRecord, FactRecord, RelationRecord, SourceRecord};
use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, Kind};
use serde::{Deserialize, Serialize};

/// A whole fact file's records: the four lists of the RON format, in the RON format's field names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Records {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<RelationRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<EntityRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<FactRecord>,
}

impl Records {
    /// The records of `sub`: its entities and facts, the entities those facts cite as reporters
    /// (so the records validate on their own), and the whole vocabulary and every source.
    pub fn of(graph: &KnowledgeGraph, sub: &Subgraph) -> Records {
        let model = &graph.model;
        let sub = sub.normalized(graph);
        let mut entities: Vec<EntityId> = sub
            .entities
            .iter()
            .copied()
            .chain(
                sub.facts
                    .iter()
                    .flat_map(|&f| model.words(f).reported_by.iter().copied()),
            )
            .collect();
        entities.sort_unstable();
        entities.dedup();
        // A shared name must lead to another entity, so it is kept only if that one comes too.
        let exported: std::collections::HashSet<String> = entities
            .iter()
            .flat_map(|&e| crate::names::keys_of(model.entity(e)))
            .map(str::to_lowercase)
            .collect();
        let ids: std::collections::HashSet<&str> = entities
            .iter()
            .map(|&e| model.entity(e).id.as_str())
            .collect();
        let kinds = |kinds: &[Kind]| kinds.iter().map(|k| k.name().to_string()).collect();
        Records {
            sources: model
                .sources
                .iter()
                .map(|s| SourceRecord {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    publisher: s.publisher.clone(),
                    published: s.published.to_string(),
                    url: s.url.clone(),
                    reliability: s.reliability.map(|r| r.letter().to_string()),
                    // The exported file stands elsewhere; its quotes were checked already.
                    text: None,
                })
                .collect(),
            relations: model
                .relations
                .iter()
                .map(|r| RelationRecord {
                    name: r.name.clone(),
                    inverse: r.inverse.clone(),
                    symmetric: r.symmetric,
                    domain: kinds(&r.domain),
                    range: kinds(&r.range),
                    broader: r.broader.map(|b| model.relation(b).name.clone()),
                    description: r.description.clone(),
                    starts_state: r.starts_state.clone(),
                    ends_state: r.ends_state.clone(),
                    self_loops: r.self_loops,
                    hedged: r.hedged,
                    contradicts: r
                        .contradicts
                        .iter()
                        .map(|&c| model.relation(c).name.clone())
                        .collect(),
                })
                .collect(),
            entities: entities
                .iter()
                .map(|&e| {
                    let e = model.entity(e);
                    EntityRecord {
                        id: e.id.clone(),
                        name: e.name.clone(),
                        kind: e.kind.name().to_string(),
                        aliases: e.aliases().to_vec(),
                        tags: e.tags().to_vec(),
                        attributes: e.attributes().clone(),
                        shared_names: e
                            .shared_names()
                            .iter()
                            .filter(|n| exported.contains(&n.to_lowercase()))
                            .cloned()
                            .collect(),
                        same_as: Vec::new(),
                        // Kept only for entities exported too: an unknown id is an error.
                        not_same_as: e
                            .not_same_as()
                            .iter()
                            .filter(|id| ids.contains(id.as_str()))
                            .cloned()
                            .collect(),
                    }
                })
                .collect(),
            facts: sub
                .facts
                .iter()
                .map(|&id| {
                    let f = model.fact(id);
                    let words = model.words(id);
                    FactRecord {
                        subject: model.entity(f.subject).id.clone(),
                        relation: model.relation(f.relation).name.clone(),
                        object: model.entity(f.object).id.clone(),
                        when: f.when.map(|w| w.to_string()),
                        source: model.source(f.source).id.clone(),
                        quote: words.quote.to_string(),
                        reported_by: words
                            .reported_by
                            .iter()
                            .map(|&r| model.entity(r).id.clone())
                            .collect(),
                        note: words.note.map(str::to_string),
                        accept: Vec::new(),
                        credibility: words.credibility.map(|c| i64::from(c.grade())),
                    }
                })
                .collect(),
        }
    }

    /// A fact file in the documented format: one record per line, optional fields left out,
    /// optional values written plainly (the format's implicit `Some`).
    pub fn to_ron(&self) -> Result<String, ron::Error> {
        let config = ron::ser::PrettyConfig::new()
            .depth_limit(2)
            .struct_names(false)
            .indentor("    ".to_string());
        let mut text = crate::fact_file::ron_options().to_string_pretty(self, config)?;
        text.push('\n');
        Ok(text)
    }
}
