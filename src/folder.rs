//! Folders of fact files: a folder named where a fact file may be stands for every `*.ron` under
//! it, in one stable order, so that a corpus loads the same way on every machine; and a manifest
//! of what was loaded, so that `reload` can say what changed.

use crate::cache::{self, Stamp};
use crate::diagnostic::{Diagnostic, Location};
use std::fmt;
use std::path::{Path, PathBuf};

/// The files `paths` stand for: a file as itself, a folder as every `*.ron` under it (subfolders
/// too) sorted by path, hidden files and folders (`.name`) left out. A file named twice is loaded
/// once. Every folder that cannot be read or holds no fact file is reported.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut files: Vec<PathBuf> = Vec::with_capacity(paths.len());
    let mut errors = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        match fact_files_in(path) {
            Ok(found) => files.extend(found),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.clone()));
    Ok(files)
}

/// Every `*.ron` under `dir`, sorted by path. Links to files are followed, links to folders are
/// not (a link back up the tree would never end).
pub fn fact_files_in(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut found = Vec::new();
    walk(dir, &mut found)?;
    if found.is_empty() {
        let name = dir.display().to_string();
        return Err(
            Diagnostic::error(format!("`{name}` holds no fact files"))
                .at(Location::file_only(&name))
                .help("factgraph loads every `*.ron` file under a folder, subfolders included; hidden files and folders (`.name`) are left out"),
        );
    }
    found.sort();
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
    let unreadable = |e: std::io::Error| {
        let name = dir.display().to_string();
        Diagnostic::error(format!("cannot read the folder `{name}`: {e}"))
            .at(Location::file_only(&name))
    };
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "ron")
            && (kind.is_file() || (kind.is_symlink() && path.is_file()))
        {
            found.push(path);
        }
    }
    Ok(())
}

/// The files of a load and how each looked when it was read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Sorted by path; a file that could not be looked at has no stamp.
    files: Vec<(PathBuf, Option<Stamp>)>,
    /// The content hash of each file, in the same order, for files small enough to hash at no
    /// noticeable cost (see [`HASHED_BELOW`]).
    hashes: Vec<Option<u64>>,
}

/// Files smaller than this are hashed for the manifest: a touched file whose contents are as they
/// were is then not reported as changed. Larger files (graphs that have a binary cache) are
/// compared by size and time only, so that opening one never reads it twice.
const HASHED_BELOW: u64 = crate::cache::CACHE_MIN_BYTES;

impl Manifest {
    /// The files as they are now.
    pub fn of(files: &[PathBuf]) -> Manifest {
        let mut files: Vec<_> = files
            .iter()
            .map(|f| (f.clone(), Stamp::of(f).ok()))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let hashes = files
            .iter()
            .map(|(file, stamp)| match stamp {
                Some(s) if s.size < HASHED_BELOW => crate::input::read(file)
                    .ok()
                    .map(|bytes| cache::content_hash(&bytes)),
                _ => None,
            })
            .collect();
        Manifest { files, hashes }
    }

    pub fn files(&self) -> impl Iterator<Item = &(PathBuf, Option<Stamp>)> {
        self.files.iter()
    }

    /// Whether the file at `new` in this manifest differs from the one at `old` in `older`: by
    /// its contents where both were hashed, else by size and modification time.
    fn differs(&self, new: usize, older: &Manifest, old: usize) -> bool {
        let (stamp, was) = (self.files[new].1, older.files[old].1);
        if stamp.is_none() {
            return true;
        }
        if stamp == was {
            return false;
        }
        match (self.hashes.get(new), older.hashes.get(old)) {
            (Some(Some(now)), Some(Some(then))) => now != then,
            _ => true,
        }
    }

    /// What differs from an `older` manifest of the same load.
    pub fn changes_since(&self, older: &Manifest) -> Changes {
        let mut changes = Changes::default();
        let mut new = self.files.iter().enumerate().peekable();
        let mut old = older.files.iter().enumerate().peekable();
        loop {
            match (new.peek(), old.peek()) {
                (None, None) => return changes,
                (Some(_), None) => (changes.added, _) = (changes.added + 1, new.next()),
                (None, Some(_)) => (changes.removed, _) = (changes.removed + 1, old.next()),
                (Some(&(i, n)), Some(&(j, o))) => match n.0.cmp(&o.0) {
                    std::cmp::Ordering::Less => {
                        (changes.added, _) = (changes.added + 1, new.next())
                    }
                    std::cmp::Ordering::Greater => {
                        (changes.removed, _) = (changes.removed + 1, old.next())
                    }
                    std::cmp::Ordering::Equal => {
                        if self.differs(i, older, j) {
                            changes.changed += 1;
                        }
                        new.next();
                        old.next();
                    }
                },
            }
        }
    }
}

/// How many files a reload found added, changed and removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
}

/// `1 file added, 2 changed, 0 removed`.
impl fmt::Display for Changes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let files = if self.added == 1 { "file" } else { "files" };
        write!(
            f,
            "{} {files} added, {} changed, {} removed",
            self.added, self.changed, self.removed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(size: u64) -> Option<Stamp> {
        Some(Stamp {
            size,
            mtime_ns: 1,
            inode: 2,
            ctime_ns: 3,
        })
    }

    #[test]
    fn changes_count_files_added_changed_and_removed() {
        let old = Manifest {
            files: vec![
                ("a.ron".into(), stamp(1)),
                ("b.ron".into(), stamp(2)),
                ("c.ron".into(), stamp(3)),
            ],
            hashes: Vec::new(),
        };
        let new = Manifest {
            files: vec![
                ("a.ron".into(), stamp(1)),
                ("b.ron".into(), stamp(5)),
                ("d.ron".into(), stamp(4)),
                ("e.ron".into(), stamp(4)),
            ],
            hashes: Vec::new(),
        };
        let changes = new.changes_since(&old);
        assert_eq!(
            changes,
            Changes {
                added: 2,
                changed: 1,
                removed: 1
            }
        );
        assert_eq!(changes.to_string(), "2 files added, 1 changed, 1 removed");
        assert_eq!(old.changes_since(&old), Changes::default());
    }

    #[test]
    fn a_touched_file_with_the_same_contents_is_not_changed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.ron");
        std::fs::write(&file, "(entities: [])").unwrap();
        let files = [file.clone()];
        let before = Manifest::of(&files);
        let touch = |f: &Path, secs: u64| {
            let later = std::time::SystemTime::now() + std::time::Duration::from_secs(secs);
            let f = std::fs::File::options().write(true).open(f).unwrap();
            f.set_modified(later).unwrap();
        };
        touch(&file, 60);
        let touched = Manifest::of(&files);
        assert_ne!(touched.files, before.files, "the stamp moved");
        assert_eq!(touched.changes_since(&before), Changes::default());
        std::fs::write(&file, "(entities: [ ])").unwrap();
        touch(&file, 120);
        assert_eq!(Manifest::of(&files).changes_since(&before).changed, 1);
    }
}
