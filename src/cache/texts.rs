//! The source texts a cached graph's quotes were checked against (the files its sources' `text`
//! fields name), kept in the header with their stamps and content hashes, so that editing,
//! replacing or removing an article makes the cache stale just as editing a fact file does.

use super::{hash_file, hasher, Miss, Stamp};
use std::hash::Hasher;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// A text file as it was when the graph was validated against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFile {
    /// Where it was read from; in a cache's header, relative to the cache's folder unless it is
    /// outside it, so that the cache answers however the fact file is named.
    pub path: PathBuf,
    /// Taken before the text was read, so that a change while it was read shows later.
    pub stamp: Stamp,
    /// [`super::content_hash`] of the text as read.
    pub hash: u64,
}

/// Longer paths are damage, not names: a damaged length must not make a load allocate gigabytes.
const MAX_PATH: u64 = 1 << 16;

/// The texts as the header stores them: `texts` (paths as read) made relative to `base`.
pub(super) fn relative_to(base: &Path, texts: &[TextFile]) -> Vec<TextFile> {
    texts
        .iter()
        .map(|t| TextFile {
            path: t.path.strip_prefix(base).unwrap_or(&t.path).to_path_buf(),
            ..t.clone()
        })
        .collect()
}

/// The texts of a header with their paths as a load reads them again (`base` joined back on), the
/// inverse of [`relative_to`]: what a rewrite of the cache is handed.
pub(super) fn resolved(base: &Path, texts: &[TextFile]) -> Vec<TextFile> {
    texts
        .iter()
        .map(|t| TextFile {
            path: base.join(&t.path),
            ..t.clone()
        })
        .collect()
}

/// Appends the list to a header: its length, each text's path, stamp and hash, then a hash of
/// all that, so that damage to a path is found rather than taken for another file.
pub(super) fn put(out: &mut Vec<u8>, texts: &[TextFile]) {
    let start = out.len();
    out.extend_from_slice(&(texts.len() as u64).to_le_bytes());
    for t in texts {
        let path = t.path.as_os_str().as_encoded_bytes();
        out.extend_from_slice(&(path.len() as u64).to_le_bytes());
        out.extend_from_slice(path);
        out.extend_from_slice(&t.stamp.size.to_le_bytes());
        out.extend_from_slice(&t.stamp.mtime_ns.to_le_bytes());
        out.extend_from_slice(&t.stamp.inode.to_le_bytes());
        out.extend_from_slice(&t.stamp.ctime_ns.to_le_bytes());
        out.extend_from_slice(&t.hash.to_le_bytes());
    }
    let mut h = hasher();
    h.write(&out[start..]);
    out.extend_from_slice(&h.finish().to_le_bytes());
}

/// Reads the list [`put`] wrote. A path that is not UTF-8 is read as a miss: such a cache is
/// rebuilt on every load, which is slow but never wrong.
pub(super) fn get(input: &mut impl Read) -> Result<Vec<TextFile>, Miss> {
    let mut r = Seen {
        input,
        bytes: Vec::new(),
    };
    let count = r.u64()?;
    let mut texts = Vec::new();
    for _ in 0..count {
        let len = r.u64()?;
        if len > MAX_PATH {
            return Err(Miss::Corrupt);
        }
        let path = r.vec(len as usize)?;
        let stamp = Stamp {
            size: r.u64()?,
            mtime_ns: i128::from_le_bytes(r.array()?),
            inode: r.u64()?,
            ctime_ns: i128::from_le_bytes(r.array()?),
        };
        texts.push((path, stamp, r.u64()?));
    }
    let mut h = hasher();
    h.write(&r.bytes);
    if r.u64()? != h.finish() {
        return Err(Miss::Corrupt);
    }
    texts
        .into_iter()
        .map(|(path, stamp, hash)| {
            let path = String::from_utf8(path).map_err(|_| Miss::Stale)?;
            Ok(TextFile {
                path: PathBuf::from(path),
                stamp,
                hash,
            })
        })
        .collect()
}

/// A reader that keeps what it read, for the list's hash.
struct Seen<'r, R> {
    input: &'r mut R,
    bytes: Vec<u8>,
}

impl<R: Read> Seen<'_, R> {
    fn vec(&mut self, n: usize) -> Result<Vec<u8>, Miss> {
        let mut b = vec![0u8; n];
        self.input.read_exact(&mut b).map_err(|_| Miss::Corrupt)?;
        self.bytes.extend_from_slice(&b);
        Ok(b)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Miss> {
        let mut a = [0u8; N];
        self.input.read_exact(&mut a).map_err(|_| Miss::Corrupt)?;
        self.bytes.extend_from_slice(&a);
        Ok(a)
    }

    fn u64(&mut self) -> Result<u64, Miss> {
        self.array().map(u64::from_le_bytes)
    }
}

/// Whether every text still has the stamp it had; a text that is gone is stale, so that the load
/// that follows reports it as a cold load would.
pub(super) fn stamps_unchanged(base: &Path, texts: &[TextFile]) -> bool {
    texts
        .iter()
        .all(|t| Stamp::of(&base.join(&t.path)).is_ok_and(|s| s == t.stamp))
}

/// Whether every text still hashes to what it did (a rewrite within the same size and time shows
/// only here).
pub(super) fn contents_unchanged(base: &Path, texts: &[TextFile]) -> io::Result<bool> {
    for t in texts {
        if hash_file(&base.join(&t.path))? != t.hash {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{miss, scratch};
    use super::*;
    use crate::load::{CacheUse, GraphSpec};
    use std::fs;

    #[test]
    fn a_rewritten_cache_names_its_texts_as_the_first_did() {
        // A folder named like the start of a text's path must not lose it twice.
        let base = Path::new("notes");
        let read = [TextFile {
            path: PathBuf::from("notes/notes/a.txt"),
            stamp: Stamp {
                size: 1,
                mtime_ns: 2,
                inode: 3,
                ctime_ns: 4,
            },
            hash: 5,
        }];
        let stored = relative_to(base, &read);
        assert_eq!(stored[0].path, Path::new("notes/a.txt"));
        assert_eq!(relative_to(base, &resolved(base, &stored)), stored);
    }

    const FACTS: &str = r#"(
    sources: [(id: "s", title: "T", publisher: "P", published: "2017-08-06", text: "sources/s.txt")],
    relations: [(name: "met")],
    entities: [(id: "a", name: "Alpha", kind: "actor"), (id: "b", name: "Beta", kind: "actor")],
    facts: [(subject: "a", relation: "met", object: "b", when: "2017-08-05", source: "s",
             quote: "Alpha met Beta")],
)"#;
    const TEXT: &str = "P\n\nAlpha met Beta on Saturday.\n";

    /// Rewrites `file` keeping its size and modification time: only a content hash can tell.
    fn rewrite_in_place(file: &Path, text: &str) {
        let mtime = fs::metadata(file).unwrap().modified().unwrap();
        fs::write(file, text).unwrap();
        let f = fs::File::options().write(true).open(file).unwrap();
        f.set_modified(mtime).unwrap();
    }

    fn messages(spec: &GraphSpec) -> Vec<String> {
        match spec.load_with_info(&[]) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.into_iter().map(|d| d.message).collect(),
        }
    }

    /// Loads `target` (a fact file, or the folder holding it) cached, edits and removes its
    /// source text, and checks that each warm load answers as a cold one would.
    fn a_cache_follows_its_source_text(name: &str, target: impl Fn(&Path) -> PathBuf) {
        let dir = scratch(name);
        fs::create_dir_all(dir.0.join("corpus/sources")).unwrap();
        fs::write(dir.0.join("corpus/g.ron"), FACTS).unwrap();
        let text = dir.0.join("corpus/sources/s.txt");
        fs::write(&text, TEXT).unwrap();
        let target = target(&dir.0.join("corpus"));
        let cached = GraphSpec::new(vec![target.clone()]).cache_from(0);
        let cold = GraphSpec::new(vec![target.clone()]).without_cache();
        let load = || cached.load_with_info(&[]).map(|(_, used)| used).ok();
        assert_eq!(load(), Some(miss(Miss::Absent)));
        assert_eq!(load(), Some(CacheUse::Hit));

        // The quote no longer matches; same size and time, so only the text's hash tells.
        rewrite_in_place(&text, &TEXT.replace("met", "saw"));
        let edited = messages(&cached);
        assert_eq!(edited, messages(&cold));
        assert_eq!(
            edited,
            ["quote not found in the text of source `s` (".to_string()
                + &text.display().to_string()
                + ")"]
        );
        // Put back, the text is read again and the cache written for it.
        fs::write(&text, TEXT).unwrap();
        assert_eq!(load(), Some(miss(Miss::Stale)));
        assert_eq!(load(), Some(CacheUse::Hit));

        // Gone: the error a cold load gives, not the graph as it was.
        fs::remove_file(&text).unwrap();
        let missing = messages(&cached);
        assert_eq!(missing, messages(&cold));
        assert_eq!(missing, ["cannot read the text of source `s`"]);
    }

    #[test]
    fn a_file_cache_is_stale_once_a_source_text_is_edited_or_removed() {
        a_cache_follows_its_source_text("text-file", |dir| dir.join("g.ron"));
    }

    #[test]
    fn a_folder_cache_is_stale_once_a_source_text_is_edited_or_removed() {
        a_cache_follows_its_source_text("text-folder", Path::to_path_buf);
    }

    #[test]
    fn the_list_of_texts_survives_the_header_and_damage_to_it_is_a_miss() {
        let texts = [TextFile {
            path: PathBuf::from("sources/ś.txt"),
            stamp: Stamp {
                size: 7,
                mtime_ns: -3,
                inode: 5,
                ctime_ns: 13,
            },
            hash: 11,
        }];
        let mut bytes = Vec::new();
        put(&mut bytes, &texts);
        assert_eq!(get(&mut &bytes[..]), Ok(texts.to_vec()));
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x40;
            assert!(get(&mut &damaged[..]).is_err(), "byte {at}");
        }
        assert_eq!(get(&mut &bytes[..bytes.len() - 1]), Err(Miss::Corrupt));
    }
}
