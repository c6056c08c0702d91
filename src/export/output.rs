//! Writing export files without harm: never half a file, never over an existing file unless asked,
//! never over a fact file that is being read.
//!
//! The bytes go to a temporary file beside the target, which is renamed into place only once
//! complete; without `force` the rename refuses to replace a file, so even a file created meanwhile
//! is safe.

use super::ExportError;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file to write and the rules for writing it.
#[derive(Debug, Clone)]
pub struct Destination {
    pub path: PathBuf,
    /// Replace an existing file.
    pub force: bool,
    /// Files that must never be overwritten (the fact files being read).
    pub protected: Vec<PathBuf>,
}

impl Destination {
    pub fn new(path: impl Into<PathBuf>, force: bool, protected: Vec<PathBuf>) -> Destination {
        Destination {
            path: path.into(),
            force,
            protected,
        }
    }

    /// Refuses what `write_with` would refuse, before any work is done.
    pub fn check(&self) -> Result<(), ExportError> {
        let target = absolute(&self.path);
        if self.protected.iter().any(|p| absolute(p) == target) {
            return Err(ExportError::WouldOverwriteInput(self.path.clone()));
        }
        if self.path.is_dir() {
            return Err(ExportError::io(
                Some(self.path.clone()),
                std::io::Error::other("it is a directory"),
            ));
        }
        if !self.force && self.path.exists() {
            return Err(ExportError::Exists(self.path.clone()));
        }
        Ok(())
    }

    /// Writes through `write` into a temporary file, then moves it into place.
    pub fn write_with(
        &self,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), ExportError> {
        self.check()?;
        let err = |e: std::io::Error| ExportError::io(Some(self.path.clone()), e);
        let dir = match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let file_name = self
            .path
            .file_name()
            .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
        let prefix = format!(".{file_name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // Temporary files are private (0600); an export is an ordinary file, so the umask decides.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        // tempfile's errors name the random temporary path; the user only needs to know why the
        // file they named cannot be written.
        let mut temp = builder.tempfile_in(dir).map_err(|e| err(plain(&e, dir)))?;
        {
            let mut out = BufWriter::new(temp.as_file_mut());
            write(&mut out).map_err(err)?;
            out.flush().map_err(err)?;
        }
        if self.force {
            temp.persist(&self.path).map_err(|e| err(e.error))?;
        } else {
            temp.persist_noclobber(&self.path).map_err(|e| {
                if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                    ExportError::Exists(self.path.clone())
                } else {
                    err(e.error)
                }
            })?;
        }
        Ok(())
    }

    /// Treats the path as a directory (created if missing) and returns one destination per file
    /// name in it, all checked before any is written.
    pub fn directory_files(&self, names: &[&str]) -> Result<Vec<Destination>, ExportError> {
        if self.path.exists() && !self.path.is_dir() {
            return Err(ExportError::io(
                Some(self.path.clone()),
                std::io::Error::other("csv export needs a directory here, and this is a file"),
            ));
        }
        std::fs::create_dir_all(&self.path)
            .map_err(|e| ExportError::io(Some(self.path.clone()), e))?;
        let files: Vec<Destination> = names
            .iter()
            .map(|n| Destination::new(self.path.join(n), self.force, self.protected.clone()))
            .collect();
        for f in &files {
            f.check()?;
        }
        Ok(files)
    }
}

/// The path made absolute and, where it exists, with links resolved, so that `./a.ron` and
/// `a.ron` are recognised as the same file.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (parent.canonicalize(), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// The reason a file could not be created in `dir`, without the temporary file's name.
fn plain(error: &std::io::Error, dir: &Path) -> std::io::Error {
    use std::io::ErrorKind;
    let reason = match error.kind() {
        ErrorKind::NotFound => format!("the directory `{}` does not exist", dir.display()),
        ErrorKind::PermissionDenied => format!("no permission to write in `{}`", dir.display()),
        ErrorKind::ReadOnlyFilesystem => {
            format!("`{}` is on a read-only file system", dir.display())
        }
        ErrorKind::StorageFull => "the disk is full".to_string(),
        kind => kind.to_string(),
    };
    std::io::Error::new(error.kind(), reason)
}
