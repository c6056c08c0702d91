//! The case-insensitive index from ids, names and aliases to entities.
//!
//! It holds no strings: each key is the 32-bit hash of a lowercased id, name or alias beside the
//! entity it names, sorted, 8 bytes a key. A lookup hashes the text, binary-searches the run of
//! equal hashes and confirms each candidate against the entity's own strings, so collisions cost a
//! comparison and never a wrong answer. A table of owned lowercased keys took about 90 bytes a key
//! and, on graphs of millions of entities, most of the time of a cached load: here building is one
//! pass of hashing and one sort, both sequential in memory.

use crate::model::{Entity, EntityId};
use crate::spelling;

#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    /// (hash of a lowercased key, entity), sorted; an entity appears once per distinct key.
    keys: Vec<(u32, EntityId)>,
}

/// FNV-1a over the lowercased text: stable across versions and platforms, and fast on the short
/// strings names are.
fn hash_lowercase(text: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    let mut feed = |b: u8| {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    };
    if text.is_ascii() {
        text.bytes().for_each(|b| feed(b.to_ascii_lowercase()));
    } else {
        text.to_lowercase().bytes().for_each(feed);
    }
    h
}

/// The strings an entity answers to: its id, name and aliases.
pub fn keys_of(e: &Entity) -> impl Iterator<Item = &str> {
    std::iter::once(e.id.as_str())
        .chain(std::iter::once(e.name.as_str()))
        .chain(e.aliases().iter().map(String::as_str))
}

/// Case-insensitive equality as lookups mean it (full Unicode lowercasing).
fn same_key(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

impl NameIndex {
    /// O(keys log keys), sequential in memory.
    pub fn new(entities: &[Entity]) -> NameIndex {
        let mut keys = Vec::with_capacity(entities.len() * 2);
        for (i, e) in entities.iter().enumerate() {
            let id = EntityId(i as u32);
            keys.extend(keys_of(e).map(|k| (hash_lowercase(k), id)));
        }
        keys.sort_unstable();
        // An entity whose name equals its id (imported graphs) is listed once.
        keys.dedup();
        NameIndex { keys }
    }

    /// The entities with an id, name or alias equal to `text` ignoring case, each once, in entity
    /// order, and which of them it names by id. O(log keys).
    pub fn find(&self, entities: &[Entity], text: &str) -> Found {
        let mut found = Found::default();
        for id in self.run(hash_lowercase(text)) {
            let Some(e) = entities.get(id.index()) else {
                continue;
            };
            if e.id == text {
                found.exact_id = Some(id);
            }
            if same_key(&e.id, text) {
                found.ids.push(id);
            }
            if keys_of(e).any(|key| same_key(key, text)) && found.all.last() != Some(&id) {
                found.all.push(id);
            }
        }
        found
    }

    /// The entities whose keys hash to `h`, in entity order (an entity may repeat).
    fn run(&self, h: u32) -> impl Iterator<Item = EntityId> + '_ {
        let start = self.keys.partition_point(|&(k, _)| k < h);
        self.keys[start..]
            .iter()
            .take_while(move |&&(k, _)| k == h)
            .map(|&(_, id)| id)
    }

    /// Groups of entities whose ids differ only by case (`Apple` and `apple`), each group in
    /// entity order, groups in order of their first entity. O(keys): one pass over the index.
    pub fn case_twins(&self, entities: &[Entity]) -> Vec<Vec<EntityId>> {
        let mut groups = Vec::new();
        let mut i = 0;
        while i < self.keys.len() {
            let h = self.keys[i].0;
            let run = self.keys[i..].partition_point(|&(k, _)| k == h);
            // Most runs hold one entity, which cannot clash with itself.
            if run > 1 {
                let ids: Vec<EntityId> = self.keys[i..i + run]
                    .iter()
                    .map(|&(_, id)| id)
                    .filter(|id| {
                        entities
                            .get(id.index())
                            .is_some_and(|e| hash_lowercase(&e.id) == h)
                    })
                    .collect();
                groups.extend(twins(entities, ids));
            }
            i += run;
        }
        groups.sort();
        groups
    }
}

/// The entities by the forms `check`'s duplicate detection compares names in (see
/// [`spelling`]): the key that sets aside case, diacritics, punctuation, spaces and a leading
/// article, and the consonant skeleton that also sets aside how a transliteration spells it. It
/// lets a query that writes a name as the press does ("Dayr az-Zawr") find the entity the curator
/// named otherwise ("Deir Ezzor"). Hashes only, as in [`NameIndex`], confirmed on lookup.
#[derive(Debug, Clone, Default)]
pub struct AlikeIndex {
    keys: Vec<(u32, EntityId)>,
    skeletons: Vec<(u32, EntityId)>,
}

/// A name's key and, when it is long enough to tell names apart, its skeleton.
fn alike_forms(name: &str) -> (String, Option<String>) {
    let words = spelling::words(name);
    let skeleton = spelling::skeleton(&words);
    let long_enough = skeleton.chars().count() >= spelling::MIN_SKELETON;
    (spelling::key(&words), long_enough.then_some(skeleton))
}

impl AlikeIndex {
    /// O(names · name length + names log names): every id, name and alias normalised once.
    pub fn new(entities: &[Entity]) -> AlikeIndex {
        let mut index = AlikeIndex::default();
        for (i, e) in entities.iter().enumerate() {
            let id = EntityId(i as u32);
            for name in keys_of(e) {
                let (key, skeleton) = alike_forms(name);
                if !key.is_empty() {
                    index.keys.push((hash_lowercase(&key), id));
                }
                if let Some(skeleton) = skeleton {
                    index.skeletons.push((hash_lowercase(&skeleton), id));
                }
            }
        }
        for list in [&mut index.keys, &mut index.skeletons] {
            list.sort_unstable();
            list.dedup();
        }
        index
    }

    /// The entities with a name of the same key as `text`, or failing any, of the same skeleton;
    /// each once, in entity order. O(log names + the candidates' names).
    pub fn find(&self, entities: &[Entity], text: &str) -> Vec<EntityId> {
        let (key, skeleton) = alike_forms(text);
        if key.is_empty() {
            return Vec::new();
        }
        let by_key = matching(&self.keys, entities, &key, |name| alike_forms(name).0);
        if !by_key.is_empty() {
            return by_key;
        }
        let Some(skeleton) = skeleton else {
            return Vec::new();
        };
        matching(&self.skeletons, entities, &skeleton, |name| {
            alike_forms(name).1.unwrap_or_default()
        })
    }
}

/// The entities listed under `form`'s hash that have a name whose form (by `form_of`) is `form`.
fn matching(
    list: &[(u32, EntityId)],
    entities: &[Entity],
    form: &str,
    form_of: impl Fn(&str) -> String,
) -> Vec<EntityId> {
    let h = hash_lowercase(form);
    let start = list.partition_point(|&(k, _)| k < h);
    let mut found: Vec<EntityId> = list[start..]
        .iter()
        .take_while(|&&(k, _)| k == h)
        .map(|&(_, id)| id)
        .filter(|id| {
            entities
                .get(id.index())
                .is_some_and(|e| keys_of(e).any(|name| form_of(name) == form))
        })
        .collect();
    found.dedup();
    found
}

/// The entities that answer to some text, as [`NameIndex::find`] sees them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// By id, name or alias, ignoring case.
    pub all: Vec<EntityId>,
    /// By id, ignoring case: more than one when ids differ only by case.
    pub ids: Vec<EntityId>,
    /// The entity whose id is the text exactly.
    pub exact_id: Option<EntityId>,
}

/// Among entities whose ids hash alike, the groups of two or more whose ids are equal ignoring
/// case but not equal.
fn twins(entities: &[Entity], mut ids: Vec<EntityId>) -> Vec<Vec<EntityId>> {
    ids.sort();
    ids.dedup();
    let id = |e: EntityId| entities[e.index()].id.as_str();
    let mut groups: Vec<Vec<EntityId>> = Vec::new();
    for e in ids {
        match groups.iter_mut().find(|g| same_key(id(g[0]), id(e))) {
            Some(group) => group.push(e),
            None => groups.push(vec![e]),
        }
    }
    groups.retain(|g| g.len() > 1);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Origin};

    fn entity(id: &str, name: &str, aliases: &[&str]) -> Entity {
        let origin = Origin { file: 0, line: 1 };
        let aliases = aliases.iter().map(|a| a.to_string()).collect();
        Entity::new(id.to_string(), name.to_string(), Kind::Actor, origin).with_details(
            aliases,
            Vec::new(),
            Default::default(),
        )
    }

    #[test]
    fn ids_names_and_aliases_are_found_ignoring_case_including_non_ascii() {
        let entities = vec![
            entity("isil", "ISIL", &["ISIS", "Daesh"]),
            entity("homs", "Ḥims", &[]),
            entity("homs_city", "Homs", &["HOMS"]),
            entity("tadmor", "Tadmor", &[]),
        ];
        let index = NameIndex::new(&entities);
        let found = |all: &[u32], ids: &[u32], exact: Option<u32>| Found {
            all: all.iter().map(|&i| EntityId(i)).collect(),
            ids: ids.iter().map(|&i| EntityId(i)).collect(),
            exact_id: exact.map(EntityId),
        };
        assert_eq!(index.find(&entities, "isis"), found(&[0], &[], None));
        assert_eq!(index.find(&entities, "IsIl"), found(&[0], &[0], None));
        assert_eq!(index.find(&entities, "isil"), found(&[0], &[0], Some(0)));
        assert_eq!(index.find(&entities, "ḥIMS"), found(&[1], &[], None));
        assert_eq!(index.find(&entities, "HOMS"), found(&[1, 2], &[1], None));
        assert_eq!(index.find(&entities, "palmyra"), found(&[], &[], None));
    }

    #[test]
    fn names_spelt_otherwise_are_found_by_key_before_skeleton() {
        let entities = vec![
            entity("deir_ezzor", "Deir Ezzor", &["Deir ez-Zor"]),
            entity("deir_ezzor_province", "Deir Ezzor province", &[]),
            entity("sukhna", "Al Sukhna", &[]),
            entity("sakhana", "Sakhana", &[]),
        ];
        let index = AlikeIndex::new(&entities);
        let find = |text: &str| index.find(&entities, text);
        assert_eq!(find("Dayr az-Zawr"), vec![EntityId(0)]);
        assert_eq!(find("DEIR-EZZOR PROVINCE"), vec![EntityId(1)]);
        // "sukhna" is Al Sukhna's key: the skeleton Sakhana shares does not make it ambiguous.
        assert_eq!(find("al-Sukhna"), vec![EntityId(2)]);
        assert_eq!(find("Sukhnah"), vec![EntityId(2), EntityId(3)]);
        assert_eq!(find("Raqqa"), Vec::<EntityId>::new());
        assert_eq!(find("--"), Vec::<EntityId>::new());
    }

    #[test]
    fn colliding_hashes_are_told_apart_by_the_strings() {
        // Every key collides when the index is forced to one hash value.
        let entities = vec![entity("a", "Alpha", &[]), entity("b", "Beta", &[])];
        let h = hash_lowercase("beta");
        let forced = NameIndex {
            keys: vec![(h, EntityId(0)), (h, EntityId(1))],
        };
        assert_eq!(forced.find(&entities, "BETA").all, vec![EntityId(1)]);
        assert_eq!(forced.find(&entities, "gamma"), Found::default());
        assert!(forced.case_twins(&entities).is_empty());
    }

    #[test]
    fn ids_that_differ_only_by_case_are_found_apart_and_reported_as_twins() {
        let entities = vec![
            entity("Apple", "Apple", &[]),
            entity("fruit", "fruit", &[]),
            entity("apple", "apple", &[]),
            entity("APPLE", "Apple Records", &[]),
            entity("pear", "PEAR", &[]),
        ];
        let index = NameIndex::new(&entities);
        let apple = index.find(&entities, "apple");
        assert_eq!(apple.exact_id, Some(EntityId(2)));
        assert_eq!(apple.ids, vec![EntityId(0), EntityId(2), EntityId(3)]);
        assert_eq!(index.find(&entities, "aPPle").exact_id, None);
        // A name equal to another entity's id is no twin: only ids are compared.
        assert_eq!(
            index.case_twins(&entities),
            vec![vec![EntityId(0), EntityId(2), EntityId(3)]]
        );
    }
}
