//! Facts compared by identity (subject, relation, object, source, quote); what else differs about
//! the same fact is a change of its date, note or reporters.

use super::{entity_ref, through, FactChange, FactChanges, FactRef, FieldChange, MergeMap};
use crate::date::When;
use crate::graph::KnowledgeGraph;
use crate::model::{FactId, Model};
use hashbrown::HashMap;

/// A fact's identity, its ids read through the merges; borrowed from the model, so that keying a
/// corpus allocates nothing per fact.
type Key<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);

/// What may change about a fact without it becoming another one.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fields<'a> {
    when: Option<When>,
    note: Option<&'a str>,
    reported_by: Vec<&'a str>,
}

/// The facts of one identity on one side, in date order (then file order).
type Group<'a> = Vec<(Fields<'a>, FactId)>;

/// Cost: O(facts) hashing on each side, then O(differences · log) to sort what is listed.
pub fn compare(old: &KnowledgeGraph, new: &KnowledgeGraph, merges: &MergeMap) -> FactChanges {
    let none = MergeMap::new();
    let mut old_facts = by_key(&old.model, merges);
    let new_facts = by_key(&new.model, &none);
    let mut changes = FactChanges::default();
    for (key, is) in &new_facts {
        let was = old_facts.remove(key).unwrap_or_default();
        pair(old, new, was, is, &mut changes);
    }
    // What is left of OLD has no fact of its identity in NEW.
    for was in old_facts.into_values() {
        pair(old, new, was, &Vec::new(), &mut changes);
    }
    changes.added.sort();
    changes.removed.sort();
    changes.changed.sort();
    changes
}

/// The facts of one identity on both sides: a fact stated twice is two facts, so equal ones pair
/// first, then the rest in date order as changed, and what is left was added or removed.
fn pair(
    old: &KnowledgeGraph,
    new: &KnowledgeGraph,
    mut was: Group<'_>,
    is: &Group<'_>,
    changes: &mut FactChanges,
) {
    let mut is: Vec<&(Fields<'_>, FactId)> = is.iter().collect();
    is.retain(|n| match was.iter().position(|o| o.0 == n.0) {
        Some(i) => {
            was.remove(i);
            false
        }
        None => true,
    });
    let pairs = was.len().min(is.len());
    for (o, n) in was.iter().zip(&is) {
        changes.changed.push(FactChange {
            fact: fact_ref(&new.model, n.1),
            old_at: old.model.origin_text(old.model.fact(o.1).origin),
            fields: field_changes(&o.0, &n.0),
        });
    }
    changes
        .removed
        .extend(was[pairs..].iter().map(|o| fact_ref(&old.model, o.1)));
    changes
        .added
        .extend(is[pairs..].iter().map(|n| fact_ref(&new.model, n.1)));
}

/// Every loaded fact by identity, each with its fields.
fn by_key<'a>(model: &'a Model, merges: &'a MergeMap) -> HashMap<Key<'a>, Group<'a>> {
    let mut facts: HashMap<Key<'a>, Group<'a>> = HashMap::new();
    for i in 0..model.facts().len() {
        let id = FactId(i as u32);
        let f = model.fact(id);
        let words = model.words(id);
        let key = (
            through(merges, &model.entity(f.subject).id),
            model.relation(f.relation).name.as_str(),
            through(merges, &model.entity(f.object).id),
            model.source(f.source).id.as_str(),
            words.quote,
        );
        let fields = Fields {
            when: f.when,
            note: words.note,
            reported_by: (words.reported_by.iter())
                .map(|&e| through(merges, &model.entity(e).id))
                .collect(),
        };
        facts.entry(key).or_default().push((fields, id));
    }
    for group in facts.values_mut() {
        if group.len() > 1 {
            group.sort_by_key(|(fields, id)| (fields.when.map(When::timeline_key), *id));
        }
    }
    facts
}

fn field_changes(old: &Fields<'_>, new: &Fields<'_>) -> Vec<FieldChange> {
    let when = |f: &Fields<'_>| f.when.map(|w| w.to_string());
    let note = |f: &Fields<'_>| f.note.map(str::to_string);
    let reporters = |f: &Fields<'_>| (!f.reported_by.is_empty()).then(|| f.reported_by.join(", "));
    [
        ("when", when(old), when(new)),
        ("note", note(old), note(new)),
        ("reported_by", reporters(old), reporters(new)),
    ]
    .into_iter()
    .filter(|(_, a, b)| a != b)
    .map(|(field, old, new)| FieldChange {
        field: field.to_string(),
        old,
        new,
    })
    .collect()
}

pub(super) fn fact_ref(model: &Model, id: FactId) -> FactRef {
    let f = model.fact(id);
    FactRef {
        subject: entity_ref(model, f.subject),
        relation: model.relation(f.relation).name.clone(),
        object: entity_ref(model, f.object),
        source: model.source(f.source).id.clone(),
        quote: model.quote(id).to_string(),
        when: f.when.map(|w| w.to_string()),
        at: model.origin_text(f.origin),
    }
}
