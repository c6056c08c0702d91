//! The case-insensitive index from ids, names and aliases to entities.
//!
//! It holds no strings: each key is the 32-bit hash of a lowercased id, name or alias beside the
//! entity it names, sorted, 8 bytes a key. A lookup hashes the text, binary-searches the run of
//! equal hashes and confirms each candidate against the entity's own strings, so collisions cost a
//! comparison and never a wrong answer. A table of owned lowercased keys took about 90 bytes a key
//! and, on graphs of millions of entities, most of the time of a cached load: here building is one
//! pass of hashing and one sort, both sequential in memory.

use crate::model::{Entity, EntityId};

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

    /// The entities with an id, name or alias equal to `text` ignoring case, each once, in
    /// entity order; and whether one of them has it as its id. O(log keys).
    pub fn find(&self, entities: &[Entity], text: &str) -> (Vec<EntityId>, Option<EntityId>) {
        let h = hash_lowercase(text);
        let start = self.keys.partition_point(|&(k, _)| k < h);
        let mut found = Vec::new();
        let mut by_id = None;
        for &(k, id) in &self.keys[start..] {
            if k != h {
                break;
            }
            let Some(e) = entities.get(id.index()) else {
                continue;
            };
            if same_key(&e.id, text) {
                by_id = Some(id);
            }
            if keys_of(e).any(|key| same_key(key, text)) && found.last() != Some(&id) {
                found.push(id);
            }
        }
        (found, by_id)
    }
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
        assert_eq!(index.find(&entities, "isis"), (vec![EntityId(0)], None));
        assert_eq!(
            index.find(&entities, "IsIl"),
            (vec![EntityId(0)], Some(EntityId(0)))
        );
        assert_eq!(index.find(&entities, "ḥIMS"), (vec![EntityId(1)], None));
        assert_eq!(
            index.find(&entities, "HOMS"),
            (vec![EntityId(1), EntityId(2)], Some(EntityId(1)))
        );
        assert_eq!(index.find(&entities, "palmyra"), (vec![], None));
    }

    #[test]
    fn colliding_hashes_are_told_apart_by_the_strings() {
        // Every key collides when the index is forced to one hash value.
        let entities = vec![entity("a", "Alpha", &[]), entity("b", "Beta", &[])];
        let h = hash_lowercase("beta");
        let forced = NameIndex {
            keys: vec![(h, EntityId(0)), (h, EntityId(1))],
        };
        assert_eq!(forced.find(&entities, "BETA"), (vec![EntityId(1)], None));
        assert_eq!(forced.find(&entities, "gamma").0, vec![]);
    }
}
