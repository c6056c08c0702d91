//! Map keys that keep short strings inside the hash table's own slots.
//!
//! Resolving a fact's subject and object is a hash lookup by id per fact. With `String` keys every
//! successful lookup follows a pointer to compare the key, one cache miss per lookup once a graph
//! has more entities than the cache holds: that comparison was the largest cost of validating
//! a million facts. Ids of up to 22 bytes (nearly all ids) are stored inline instead.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};

const INLINE: usize = 22;

#[derive(Clone)]
pub enum Key {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Key {
    pub fn new(text: &str) -> Key {
        if text.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            Key::Inline {
                len: text.len() as u8,
                bytes,
            }
        } else {
            Key::Heap(text.into())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            // The bytes were copied from a whole `str`, so they are valid UTF-8.
            Key::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Key::Heap(s) => s,
        }
    }
}

impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

/// Hashes exactly as the `str` it holds, so maps can be queried with a `&str`.
impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Key {}

#[cfg(test)]
mod tests {
    use super::Key;
    use hashbrown::HashMap;

    #[test]
    fn short_and_long_keys_are_found_by_str() {
        let long = "x".repeat(40);
        let mut map = HashMap::new();
        for (i, k) in ["", "a", "ḤimsḤimsḤimsḤim", long.as_str()]
            .iter()
            .enumerate()
        {
            map.insert(Key::new(k), i);
        }
        assert_eq!(map.get("ḤimsḤimsḤimsḤim"), Some(&2));
        assert_eq!(map.get(long.as_str()), Some(&3));
        assert_eq!(map.get(""), Some(&0));
        assert_eq!(map.get("b"), None);
        assert!(matches!(Key::new(&long), Key::Heap(_)));
    }
}
