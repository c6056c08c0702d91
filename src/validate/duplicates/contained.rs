//! The weakest duplicate rule: one entity's name held whole, as words, inside another's name or
//! alias ("Syrian Army" in "Free Syrian Army"), across files and within one kind. Often a part, a
//! branch or a rival rather than the same entity, so it is reported as possible, not probable.
//!
//! Cost: O(names × w²) for names of w words (each run of words is one hash lookup); names past
//! [`MAX_WORDS`] words are not searched.

use super::{names, Found, How, NameOf};
use crate::model::{Entity, EntityId, Kind};
use crate::spelling::{key, words};
use hashbrown::HashMap;

/// Longest name whose runs of words are looked up: names are short, text pasted as a name is not.
const MAX_WORDS: usize = 12;

/// Whether a name is telling enough to report when found inside another: at least two words, or
/// one word of at least six letters. "Homs" inside "Homs countryside" and "Taha" inside "Omar
/// Taha" are too short to say anything.
fn telling(words: &[String]) -> bool {
    let key = key(words);
    !key.is_empty() && (words.len() >= 2 || key.chars().count() >= 6)
}

/// Every pair (container, contained) of entities of one kind in different files where a name or
/// alias of the second is a run of whole words, shorter than the whole, of a name or alias of the
/// first; each pair once, against the first entity (in load order) that the contained name names.
pub(super) fn find(entities: &[Entity]) -> Vec<Found> {
    // Entities of one file are never compared: a lone article graph costs nothing.
    let first_file = entities.first().map(|e| e.origin.file);
    if entities.iter().all(|e| Some(e.origin.file) == first_file) {
        return Vec::new();
    }
    let mut named: HashMap<(Kind, String), Vec<NameOf>> = HashMap::new();
    for (i, e) in entities.iter().enumerate() {
        for (k, name) in names(e).enumerate() {
            let words = words(name);
            if telling(&words) {
                named
                    .entry((e.kind, key(&words)))
                    .or_default()
                    .push((EntityId(i as u32), k));
            }
        }
    }
    let mut found = Vec::new();
    for (i, e) in entities.iter().enumerate() {
        let id = EntityId(i as u32);
        for (k, name) in names(e).enumerate() {
            let words = words(name);
            if words.len() < 2 || words.len() > MAX_WORDS {
                continue;
            }
            for (run, to) in runs_naming(&words, e, &named, entities) {
                found.push(Found {
                    from: (id, k),
                    to,
                    how: How::Contained,
                    detail: run,
                    flipped: false,
                });
            }
        }
    }
    found
}

/// The runs of `words` (shorter than all of them) that are a telling name of an entity of
/// `container`'s kind declared in another file, with that name.
fn runs_naming(
    words: &[String],
    container: &Entity,
    named: &HashMap<(Kind, String), Vec<NameOf>>,
    entities: &[Entity],
) -> Vec<(String, NameOf)> {
    let mut out = Vec::new();
    let n = words.len();
    for len in (1..n).rev() {
        for start in 0..=n - len {
            let run = &words[start..start + len];
            let Some(claims) = named.get(&(container.kind, key(run))) else {
                continue;
            };
            let other = claims.iter().find(|(e, _)| {
                let e = &entities[e.index()];
                e.origin.file != container.origin.file && e.id != container.id
            });
            if let Some(&to) = other {
                out.push((run.join(" "), to));
            }
        }
    }
    out
}
