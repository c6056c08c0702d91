//! Unfinished output: a temporary file beside its target, registered so that an interrupt can
//! remove it, and named so that a run killed outright leaves it only until the next run writes in
//! the same directory.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Temporary files are `.NAME.factgraph-PID-XXXXXX.tmp`: hidden, next to NAME, and carrying the
/// id of the process that writes them, which is how a later run tells a stale one from a live one.
const MARK: &str = ".factgraph-";
const SUFFIX: &str = ".tmp";
const RANDOM_CHARS: usize = 6;
/// Enough of the target's name to recognise it, while the whole stays far below the 255 bytes
/// most file systems allow in a name.
const NAME_BYTES: usize = 100;

/// The temporary files of this process not yet moved into place.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn unfinished() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic while the list was held leaves it intact: each change is a single push or retain.
    UNFINISHED.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Removes every temporary file this process has not finished: for a signal handler that is about
/// to end the process, which skips the destructors that would otherwise remove them.
pub fn remove_unfinished() {
    for path in unfinished().drain(..) {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
pub fn is_unfinished(path: &Path) -> bool {
    unfinished().iter().any(|p| p == path)
}

/// A temporary file's place in [`UNFINISHED`], given up when the file is moved or removed.
struct Registered(PathBuf);

impl Drop for Registered {
    fn drop(&mut self) {
        unfinished().retain(|p| *p != self.0);
    }
}

/// A temporary file being written; dropped without [`TempFile::commit`], it is removed.
pub struct TempFile {
    file: tempfile::NamedTempFile,
    registered: Registered,
}

impl TempFile {
    /// Creates the file in `dir` (where the target will be, so that the final rename never
    /// crosses file systems), after removing what killed runs left there.
    pub fn create(dir: &Path, target_name: &str) -> io::Result<TempFile> {
        remove_stale(dir);
        let prefix = format!(".{}{MARK}{}-", shortened(target_name), std::process::id());
        let mut builder = tempfile::Builder::new();
        builder
            .prefix(&prefix)
            .suffix(SUFFIX)
            .rand_bytes(RANDOM_CHARS);
        // Temporary files are private (0600) by default; the file becomes an ordinary output, so
        // the umask decides, as for any file a program creates.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let file = builder.tempfile_in(dir)?;
        // Absolute, so that the interrupt handler finds it whatever the current directory is then.
        let path = std::path::absolute(file.path()).unwrap_or_else(|_| file.path().to_path_buf());
        unfinished().push(path.clone());
        Ok(TempFile {
            file,
            registered: Registered(path),
        })
    }

    pub fn file(&mut self) -> &mut File {
        self.file.as_file_mut()
    }

    /// Renames the file to `target`. Unless `replace`, an existing `target` is left alone and the
    /// rename fails with `AlreadyExists`, decided by the file system in one step, so that a file
    /// created at `target` while this one was written is never destroyed.
    pub fn commit(self, target: &Path, replace: bool) -> io::Result<()> {
        let TempFile { file, registered } = self;
        let moved = if replace {
            file.persist(target)
        } else {
            file.persist_noclobber(target)
        };
        // On failure the temporary file comes back inside the error and is removed with it.
        let result = moved.map(drop).map_err(|e| e.error);
        drop(registered);
        result
    }
}

/// At most [`NAME_BYTES`] of `name`, cut at a character boundary.
fn shortened(name: &str) -> &str {
    let mut end = name.len().min(NAME_BYTES);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// The process id in a temporary file name of ours (`.NAME.factgraph-PID-XXXXXX.tmp`).
pub fn owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(SUFFIX)?;
    let (_, tail) = rest.rsplit_once(MARK)?;
    let (pid, random) = tail.split_once('-')?;
    let well_formed = !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && random.len() == RANDOM_CHARS
        && random.bytes().all(|b| b.is_ascii_alphanumeric());
    well_formed.then(|| pid.parse().ok()).flatten()
}

/// Removes the temporary files in `dir` whose process has ended: a run killed outright (SIGKILL,
/// a power cut) could not remove its own. Only Linux's `/proc` tells whether a process lives;
/// without it nothing is removed. A process id taken over by another process keeps the file until
/// that one ends too, which errs on the side of keeping.
fn remove_stale(dir: &Path) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(owner) else {
            continue;
        };
        let alive = pid == std::process::id() || proc.join(pid.to_string()).exists();
        if !alive && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
