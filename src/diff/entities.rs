//! Declarations compared by id: entities (with renames, aliases and merges), sources, relations.

use super::{
    entity_ref, AliasChange, EntityChanges, FieldChange, Merged, RelationChanges, Renamed,
    SourceChange, SourceChanges, SourceRef,
};
use crate::graph::KnowledgeGraph;
use crate::model::{Entity, EntityId, Model, Source};
use std::collections::{BTreeMap, BTreeSet};

pub fn compare(old: &KnowledgeGraph, new: &KnowledgeGraph) -> EntityChanges {
    let old_ids = by_id(&old.model);
    let new_ids = by_id(&new.model);
    let mut changes = EntityChanges::default();
    for (id, &e) in &new_ids {
        if !old_ids.contains_key(id) {
            changes.added.push(entity_ref(&new.model, e));
        }
    }
    for (id, &o) in &old_ids {
        let Some(&n) = new_ids.get(id) else {
            match merged_into(old.model.entity(o), new) {
                Some((into, how)) => changes.merged.push(Merged {
                    from: entity_ref(&old.model, o),
                    into: entity_ref(&new.model, into),
                    by: how.word,
                    same_as: how.same_as,
                }),
                None => changes.removed.push(entity_ref(&old.model, o)),
            }
            continue;
        };
        let (before, after) = (old.model.entity(o), new.model.entity(n));
        if before.name != after.name {
            changes.renamed.push(Renamed {
                id: id.to_string(),
                old: before.name.clone(),
                new: after.name.clone(),
            });
        }
        let (was, mut is) = (aliases(before), aliases(after));
        // The names a `same_as` record brings are the merge, listed as such, not alias edits;
        // a name the entity already had stays, or the merge would read as its removal.
        for merge in new.model.merged_into(n) {
            if let Some(&m) = old_ids.get(merge.id.as_str()) {
                let brought = old.model.entity(m);
                for word in std::iter::once(&brought.name).chain(brought.aliases()) {
                    if !was.contains(word.as_str()) {
                        is.remove(word.as_str());
                    }
                }
            }
        }
        if was != is {
            changes.aliases.push(AliasChange {
                entity: entity_ref(&new.model, n),
                added: is.difference(&was).map(|a| a.to_string()).collect(),
                removed: was.difference(&is).map(|a| a.to_string()).collect(),
            });
        }
    }
    changes
}

fn by_id(model: &Model) -> BTreeMap<&str, EntityId> {
    (0..model.entities.len() as u32)
        .map(EntityId)
        .map(|e| (model.entity(e).id.as_str(), e))
        .collect()
}

fn aliases(e: &Entity) -> BTreeSet<&str> {
    e.aliases().iter().map(String::as_str).collect()
}

/// How NEW says where a gone entity went: by a `same_as` record, or by a word that names it.
struct How {
    word: Option<String>,
    same_as: Option<String>,
}

/// The entity of NEW that `gone` was merged into, and how: a record of NEW with `gone`'s id and
/// `same_as` says so outright; otherwise the one entity that `gone`'s id, name or an alias (tried
/// in that order) names. Names are matched as queries match them (ignoring case), so this finds
/// a merge made by editing names too; a word naming several entities proves nothing.
fn merged_into(gone: &Entity, new: &KnowledgeGraph) -> Option<(EntityId, How)> {
    if let Some(merge) = new.model.merged().iter().find(|m| m.id == gone.id) {
        let same_as = Some(new.model.origin_text(merge.origin));
        return Some((
            merge.into,
            How {
                word: None,
                same_as,
            },
        ));
    }
    std::iter::once(&gone.id)
        .chain(std::iter::once(&gone.name))
        .chain(gone.aliases())
        .find_map(|word| {
            let how = How {
                word: Some(word.clone()),
                same_as: None,
            };
            new.lookup_exact(word).ok().map(|e| (e, how))
        })
}

pub fn sources(old: &Model, new: &Model) -> SourceChanges {
    let index = |m: &'_ Model| -> BTreeMap<String, SourceRef> {
        m.sources
            .iter()
            .map(|s| (s.id.clone(), source_ref(s)))
            .collect()
    };
    let (old, new) = (index(old), index(new));
    let mut changes = SourceChanges::default();
    for (id, n) in &new {
        let Some(o) = old.get(id) else {
            changes.added.push(n.clone());
            continue;
        };
        let fields: Vec<FieldChange> = [
            ("title", &o.title, &n.title),
            ("publisher", &o.publisher, &n.publisher),
            ("published", &o.published, &n.published),
        ]
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, a, b)| FieldChange {
            field: field.to_string(),
            old: Some(a.clone()),
            new: Some(b.clone()),
        })
        .collect();
        if !fields.is_empty() {
            changes.changed.push(SourceChange {
                id: id.clone(),
                fields,
            });
        }
    }
    changes.removed = old
        .into_iter()
        .filter(|(id, _)| !new.contains_key(id))
        .map(|(_, s)| s)
        .collect();
    changes
}

fn source_ref(s: &Source) -> SourceRef {
    SourceRef {
        id: s.id.clone(),
        title: s.title.clone(),
        publisher: s.publisher.clone(),
        published: s.published.to_string(),
    }
}

pub fn relations(old: &Model, new: &Model) -> RelationChanges {
    let names =
        |m: &'_ Model| -> BTreeSet<String> { m.relations.iter().map(|r| r.name.clone()).collect() };
    let (old, new) = (names(old), names(new));
    RelationChanges {
        added: new.difference(&old).cloned().collect(),
        removed: old.difference(&new).cloned().collect(),
    }
}
