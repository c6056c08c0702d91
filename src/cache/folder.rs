//! One cache for a folder of fact files as a whole (`DIR/.factgraph.fgcache`, hidden, so that a
//! load of the folder never takes it for a fact file). Its identity covers every file: the stamp
//! folds each file's path within the folder, size, modification time, inode and change time, and
//! the content hash each file's path and contents, so adding, changing or removing any file makes
//! it stale. The stamp vouches for the folder as it does for one file (see the parent module)
//! only while it would for every file in it; otherwise every file is hashed.

use super::{
    content_hash, hash_file, hasher, load_keyed, now_ns, store_keyed, Miss, Stamp, TextFile,
};
use crate::graph::KnowledgeGraph;
use crate::output::WriteError;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

/// `DIR` -> `DIR/.factgraph.fgcache`.
pub fn folder_cache_path(dir: &Path) -> PathBuf {
    dir.join(".factgraph.fgcache")
}

/// The fact files of a folder, in load order, and their stamp as a whole.
#[derive(Debug, Clone)]
pub struct FolderKey {
    dir: PathBuf,
    files: Vec<PathBuf>,
    /// Size: all the files' bytes; times: the newest of any file; inode: a hash of every file's
    /// path and stamp.
    stamp: Stamp,
    /// When the files were stamped, before any was read.
    stamped_ns: i128,
}

impl FolderKey {
    /// Stamps every file of `dir` (`files`, as listed, in load order) as the file system reports
    /// them now; `None` if one cannot be looked at.
    pub fn of(dir: &Path, files: Vec<PathBuf>) -> Option<FolderKey> {
        let stamped_ns = now_ns();
        let mut h = hasher();
        let mut whole = Stamp {
            size: 0,
            mtime_ns: i128::MIN,
            inode: 0,
            ctime_ns: i128::MIN,
        };
        for file in &files {
            let stamp = Stamp::of(file).ok()?;
            h.write(relative(dir, file).as_encoded_bytes());
            h.write_u8(0);
            h.write_u64(stamp.size);
            h.write_i128(stamp.mtime_ns);
            h.write_u64(stamp.inode);
            h.write_i128(stamp.ctime_ns);
            whole.size = whole.size.saturating_add(stamp.size);
            whole.mtime_ns = whole.mtime_ns.max(stamp.mtime_ns);
            whole.ctime_ns = whole.ctime_ns.max(stamp.ctime_ns);
        }
        whole.inode = h.finish();
        Some(FolderKey {
            dir: dir.to_path_buf(),
            files,
            stamp: whole,
            stamped_ns,
        })
    }

    /// All the files' bytes together.
    pub fn size(&self) -> u64 {
        self.stamp.size
    }

    /// The content hash of the files whose texts are `texts`, in the order of [`FolderKey::of`].
    pub fn content_hash<'t>(&self, texts: impl IntoIterator<Item = &'t [u8]>) -> u64 {
        let mut h = hasher();
        for (file, text) in self.files.iter().zip(texts) {
            h.write(relative(&self.dir, file).as_encoded_bytes());
            h.write_u8(0);
            h.write_u64(content_hash(text));
        }
        h.finish()
    }

    /// The graph cached for the folder, if the cache is intact and the files are as they were.
    pub fn load(&self, names: Vec<String>) -> Result<KnowledgeGraph, Miss> {
        let sources: Vec<&Path> = self.files.iter().map(PathBuf::as_path).collect();
        let path = folder_cache_path(&self.dir);
        load_keyed(&path, Ok(self.stamp), names, &sources, || {
            let mut h = hasher();
            for file in &self.files {
                h.write(relative(&self.dir, file).as_encoded_bytes());
                h.write_u8(0);
                h.write_u64(hash_file(file)?);
            }
            Ok(h.finish())
        })
    }

    /// Writes the folder's cache for contents that hashed to `content_hash`, validated against
    /// the source `texts`.
    pub fn store(
        &self,
        content_hash: u64,
        graph: &KnowledgeGraph,
        texts: &[TextFile],
    ) -> Result<(), WriteError> {
        let sources: Vec<&Path> = self.files.iter().map(PathBuf::as_path).collect();
        store_keyed(
            &folder_cache_path(&self.dir),
            (self.stamp, self.stamped_ns),
            content_hash,
            graph,
            &sources,
            texts,
        )
    }
}

/// `file`'s path within `dir`, so that naming the folder `graphs` or `./graphs` keys it alike.
fn relative<'p>(dir: &Path, file: &'p Path) -> &'p std::ffi::OsStr {
    file.strip_prefix(dir).unwrap_or(file).as_os_str()
}
