//! Every file factgraph writes goes through here, so that one set of rules keeps them all safe:
//! exports, imports, generated files, the REPL's and scripts' `export`, and the binary cache.
//!
//! - Atomic: the bytes go to a temporary file beside the target, synced, and renamed into place
//!   only once complete; a failed or interrupted write leaves the old file, or none.
//! - No clobbering: an existing file is replaced only when asked (`--force`, `export ... force`)
//!   or when this session wrote it; without that, the file system itself refuses the rename, so a
//!   file that appears while we write is kept too.
//! - Inputs are never targets: a file being read (a fact file, an import's input, the running
//!   script) is refused even when forced, recognised through symbolic and hard links by its device
//!   and inode.
//! - Only regular files are replaced: a directory, a device, a named pipe or a socket at the
//!   target, or a link to one, is refused even when forced. A link to a regular file is followed
//!   (the file it points to is replaced and the link stays), except for factgraph's own files,
//!   which nobody named: a link put where the cache goes could otherwise aim it at any file.

mod error;
mod temp;

pub use error::{Asking, FileType, Role, WriteError};
pub use temp::remove_unfinished;

use std::fs::{File, Metadata};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file's identity on disk, the same through every link to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileKey {
    device: u64,
    inode: u64,
}

impl FileKey {
    #[cfg(unix)]
    fn from_metadata(meta: &Metadata) -> Option<FileKey> {
        use std::os::unix::fs::MetadataExt;
        Some(FileKey {
            device: meta.dev(),
            inode: meta.ino(),
        })
    }

    /// Elsewhere no stable identity is at hand: inputs are then recognised by their canonical
    /// path (see `same_path`), which misses hard links.
    #[cfg(not(unix))]
    fn from_metadata(_meta: &Metadata) -> Option<FileKey> {
        None
    }

    /// The identity of the file `path` leads to, following links; `None` if there is none.
    pub fn of(path: &Path) -> Option<FileKey> {
        FileKey::from_metadata(&std::fs::metadata(path).ok()?)
    }
}

/// A file as this process left it: its identity, size and modification time. Inode numbers are
/// reused once a file is deleted, so the identity alone could mistake a newcomer for our file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    key: FileKey,
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Written {
    fn from_metadata(meta: &Metadata) -> Option<Written> {
        Some(Written {
            key: FileKey::from_metadata(meta)?,
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// What is at the target now, as [`Destination::check`] found it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Plan {
    /// The file to create or replace: the target, or the regular file a link at the target names.
    write_to: PathBuf,
    /// Whether a file is there, which the checks have allowed to be replaced.
    replace: bool,
}

/// A file to write, and the rules for writing it.
#[derive(Clone)]
pub struct Destination {
    path: PathBuf,
    force: bool,
    protected: Vec<(PathBuf, Role)>,
    ours: Vec<Written>,
    asking: Asking,
    follow_links: bool,
    cancelled: Option<Arc<dyn Fn() -> bool + Send + Sync>>,
}

impl std::fmt::Debug for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Destination")
            .field("path", &self.path)
            .field("force", &self.force)
            .field("protected", &self.protected)
            .field("ours", &self.ours)
            .field("asking", &self.asking)
            .field("follow_links", &self.follow_links)
            .finish_non_exhaustive()
    }
}

impl Destination {
    /// A file that must not exist yet.
    pub fn new(path: impl Into<PathBuf>) -> Destination {
        Destination {
            path: path.into(),
            force: false,
            protected: Vec::new(),
            ours: Vec::new(),
            asking: Asking::Flag,
            follow_links: true,
            cancelled: None,
        }
    }

    /// A file of factgraph's own, which nobody named: a symbolic link in its place is refused, not
    /// followed.
    pub fn own_file(mut self) -> Destination {
        self.follow_links = false;
        self
    }

    /// Whether an existing regular file may be replaced.
    pub fn force(mut self, force: bool) -> Destination {
        self.force = force;
        self
    }

    /// Files being read, never to be overwritten, even with `force`.
    pub fn protect<P: Into<PathBuf>>(
        mut self,
        files: impl IntoIterator<Item = P>,
        role: Role,
    ) -> Destination {
        self.protected
            .extend(files.into_iter().map(|p| (p.into(), role)));
        self
    }

    /// Files written earlier by this session, which may be replaced without `force`; a file put
    /// in their place, or changed, by anyone else is kept.
    pub fn ours(mut self, files: &[Written]) -> Destination {
        self.ours.extend_from_slice(files);
        self
    }

    /// How a refusal tells the user to ask for a replacement.
    pub fn asking(mut self, asking: Asking) -> Destination {
        self.asking = asking;
        self
    }

    /// Stops a write through [`Destination::write_with`] as soon as `cancelled` says so.
    pub fn cancelled_by(
        mut self,
        cancelled: impl Fn() -> bool + Send + Sync + 'static,
    ) -> Destination {
        self.cancelled = Some(Arc::new(cancelled));
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The same rules for the file `name` in the directory this destination names.
    pub fn join(&self, name: &str) -> Destination {
        Destination {
            path: self.path.join(name),
            ..self.clone()
        }
    }

    fn io_error(&self, error: io::Error) -> WriteError {
        WriteError::Io {
            path: self.path.clone(),
            error,
        }
    }

    /// Refuses what a write would refuse, before any work is done.
    pub fn check(&self) -> Result<(), WriteError> {
        self.plan().map(drop)
    }

    /// What is at the target: nothing, or its metadata (of what a followed link names) and, for a
    /// symbolic link, where it points.
    fn found(&self) -> Result<Option<(Metadata, Option<PathBuf>)>, WriteError> {
        let here = match std::fs::symlink_metadata(&self.path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io_error(e)),
        };
        if !here.file_type().is_symlink() {
            return Ok(Some((here, None)));
        }
        let to = std::fs::read_link(&self.path).unwrap_or_default();
        if !self.follow_links {
            return Ok(Some((here, Some(to))));
        }
        match std::fs::metadata(&self.path) {
            Ok(meta) => Ok(Some((meta, Some(to)))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(WriteError::DanglingLink {
                path: self.path.clone(),
                link: to,
            }),
            Err(e) => Err(self.io_error(e)),
        }
    }

    /// Applies the rules to what is at the target.
    fn plan(&self) -> Result<Plan, WriteError> {
        let Some((meta, link)) = self.found()? else {
            return Ok(Plan {
                write_to: self.path.clone(),
                replace: false,
            });
        };
        if !meta.is_file() {
            return Err(WriteError::NotRegular {
                path: self.path.clone(),
                found: FileType::of(&meta),
                link,
                asking: self.asking.clone(),
            });
        }
        let key = FileKey::from_metadata(&meta);
        let is_input =
            |p: &PathBuf| key.is_some() && FileKey::of(p) == key || same_path(p, &self.path);
        if let Some((input, role)) = self.protected.iter().find(|(p, _)| is_input(p)) {
            return Err(WriteError::IsInput {
                path: self.path.clone(),
                input: input.clone(),
                role: *role,
                asking: self.asking.clone(),
            });
        }
        let ours = Written::from_metadata(&meta).is_some_and(|w| self.ours.contains(&w));
        if !self.force && !ours {
            return Err(WriteError::Exists {
                path: self.path.clone(),
                asking: self.asking.clone(),
            });
        }
        let write_to = match link {
            Some(_) => std::fs::canonicalize(&self.path).map_err(|e| self.io_error(e))?,
            None => self.path.clone(),
        };
        Ok(Plan {
            write_to,
            replace: true,
        })
    }

    /// Writes through `write` into a temporary file and moves it into place; returns what the file
    /// written is (where the platform tells). The writer is buffered.
    pub fn write_with(
        &self,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<Option<Written>, WriteError> {
        let cancelled = self.cancelled.clone();
        let is_cancelled = move || cancelled.as_ref().is_some_and(|c| c());
        let stop = is_cancelled.clone();
        self.write_file(|file| {
            let mut out = BufWriter::with_capacity(
                1 << 18,
                Cancellable {
                    inner: file,
                    cancelled: &stop,
                },
            );
            write(&mut out)?;
            out.flush()
        })
        .map_err(|e| match e {
            WriteError::Io { path, .. } if is_cancelled() => WriteError::Cancelled { path },
            e => e,
        })
    }

    /// Like [`Destination::write_with`], for writers that need the file itself (to seek).
    pub fn write_file(
        &self,
        write: impl FnOnce(&mut File) -> io::Result<()>,
    ) -> Result<Option<Written>, WriteError> {
        let plan = self.plan()?;
        let dir = match plan.write_to.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = plan
            .write_to
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy());
        // The temporary file's own name would only confuse: the user needs to know why the file
        // they named cannot be written.
        let mut temp =
            temp::TempFile::create(dir, &name).map_err(|e| self.io_error(plain(&e, dir)))?;
        write(temp.file()).map_err(|e| self.io_error(e))?;
        let file = temp.file();
        file.sync_all().map_err(|e| self.io_error(e))?;
        let written = file.metadata().map_err(|e| self.io_error(e))?;
        // Whatever came to the target while we wrote is judged again; the no-clobber rename below
        // also catches what comes after this look.
        let now = self.plan()?;
        if now.write_to != plan.write_to {
            return Err(WriteError::Exists {
                path: self.path.clone(),
                asking: self.asking.clone(),
            });
        }
        temp.commit(&now.write_to, now.replace).map_err(|e| {
            if e.kind() == io::ErrorKind::AlreadyExists {
                WriteError::Exists {
                    path: self.path.clone(),
                    asking: self.asking.clone(),
                }
            } else {
                self.io_error(e)
            }
        })?;
        sync_directory(dir);
        Ok(Written::from_metadata(&written))
    }
}

/// Where no identity is at hand, two spellings of the same path still match.
fn same_path(a: &Path, b: &Path) -> bool {
    cfg!(not(unix)) && matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// A writer that fails once the user has interrupted, so that a long write stops promptly.
struct Cancellable<'a, W, C: Fn() -> bool> {
    inner: W,
    cancelled: &'a C,
}

impl<W: Write, C: Fn() -> bool> Write for Cancellable<'_, W, C> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Not `ErrorKind::Interrupted`: `write_all` would retry that forever.
        if (self.cancelled)() {
            return Err(io::Error::other("interrupted"));
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Makes the rename itself durable; a directory that cannot be synced only loses that guarantee.
fn sync_directory(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The reason a file could not be created in `dir`, without the temporary file's name.
fn plain(error: &io::Error, dir: &Path) -> io::Error {
    use io::ErrorKind;
    let reason = match error.kind() {
        ErrorKind::NotFound => format!("the directory `{}` does not exist", dir.display()),
        ErrorKind::PermissionDenied => format!("no permission to write in `{}`", dir.display()),
        ErrorKind::ReadOnlyFilesystem => {
            format!("`{}` is on a read-only file system", dir.display())
        }
        ErrorKind::StorageFull => "the disk is full".to_string(),
        kind => kind.to_string(),
    };
    io::Error::new(error.kind(), reason)
}

#[cfg(test)]
mod tests;
