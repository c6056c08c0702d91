//! Why a file was not written, as data, and the words that tell the user.

use crate::diagnostic::Diagnostic;
use std::fs::Metadata;
use std::io;
use std::path::{Path, PathBuf};

/// Why a file is being read, for the message that refuses to overwrite it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    FactFile,
    /// The file an `import` reads.
    ImportInput,
    /// The script being run.
    Script,
    /// The article a new fact file is started from.
    Text,
}

impl Role {
    fn describe(self) -> &'static str {
        match self {
            Role::FactFile => "a fact file being read",
            Role::ImportInput => "the file being imported",
            Role::Script => "the script being run",
            Role::Text => "the article being read",
        }
    }
}

/// How the user asks for a file to be replaced, for the help line of a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asking {
    /// On the command line: `--force`, another `-o`.
    Flag,
    /// In a statement; holds the statement with `force` added (`export dot out.dot force`).
    Statement(String),
}

/// What is in the way at the target, when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    /// Only where links are not followed.
    SymbolicLink,
    Directory,
    CharDevice,
    BlockDevice,
    Fifo,
    Socket,
    Other,
}

impl FileType {
    pub(super) fn of(meta: &Metadata) -> FileType {
        let t = meta.file_type();
        if t.is_symlink() {
            return FileType::SymbolicLink;
        }
        if t.is_dir() {
            return FileType::Directory;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_char_device() {
                return FileType::CharDevice;
            }
            if t.is_block_device() {
                return FileType::BlockDevice;
            }
            if t.is_fifo() {
                return FileType::Fifo;
            }
            if t.is_socket() {
                return FileType::Socket;
            }
        }
        FileType::Other
    }

    fn describe(self) -> &'static str {
        match self {
            FileType::SymbolicLink => "a symbolic link",
            FileType::Directory => "a directory",
            FileType::CharDevice => "a character device",
            FileType::BlockDevice => "a block device",
            FileType::Fifo => "a named pipe",
            FileType::Socket => "a socket",
            FileType::Other => "not a regular file",
        }
    }
}

/// Why a file was not written, as data; [`WriteError::to_diagnostic`] words it.
#[derive(Debug)]
pub enum WriteError {
    /// The target exists and replacing it was not asked for.
    Exists {
        path: PathBuf,
        asking: Asking,
    },
    /// The target is a file being read, or a link to one.
    IsInput {
        path: PathBuf,
        input: PathBuf,
        role: Role,
        asking: Asking,
    },
    /// The target is not a regular file; `link` is where it points if it is a symbolic link.
    NotRegular {
        path: PathBuf,
        found: FileType,
        link: Option<PathBuf>,
        asking: Asking,
    },
    /// The target is a symbolic link to nothing: writing would create a file somewhere unseen.
    DanglingLink {
        path: PathBuf,
        link: PathBuf,
    },
    Io {
        path: PathBuf,
        error: io::Error,
    },
    /// An interrupt stopped the write; nothing was changed.
    Cancelled {
        path: PathBuf,
    },
}

impl WriteError {
    pub fn path(&self) -> &Path {
        match self {
            WriteError::Exists { path, .. }
            | WriteError::IsInput { path, .. }
            | WriteError::NotRegular { path, .. }
            | WriteError::DanglingLink { path, .. }
            | WriteError::Io { path, .. }
            | WriteError::Cancelled { path } => path,
        }
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        let shown = self.path().display();
        match self {
            WriteError::Exists { asking, .. } => {
                let d = Diagnostic::error(format!("`{shown}` already exists"));
                match asking {
                    Asking::Flag => d.help("pass --force to replace it, or choose another -o"),
                    Asking::Statement(forced) => d.help(format!(
                        "add `force` to replace it (`{forced}`), or choose another file"
                    )),
                }
            }
            WriteError::IsInput {
                path,
                input,
                role,
                asking,
            } => {
                let what = if path == input {
                    format!("`{shown}` is {}", role.describe())
                } else {
                    format!("`{shown}` is `{}`, {}", input.display(), role.describe())
                };
                Diagnostic::error(format!("{what}; refusing to overwrite it")).help(match asking {
                    Asking::Flag => "choose another -o",
                    Asking::Statement(_) => "choose another file",
                })
            }
            WriteError::NotRegular {
                found,
                link,
                asking,
                ..
            } => {
                let what = match link {
                    Some(to) => format!(
                        "`{shown}` is a symbolic link to `{}`, which is {}",
                        to.display(),
                        found.describe()
                    ),
                    None => format!("`{shown}` is {}", found.describe()),
                };
                let not = if *found == FileType::Other {
                    ""
                } else {
                    ", not a regular file"
                };
                let d = Diagnostic::error(format!("{what}{not}; refusing to replace it"));
                match (found, asking) {
                    (FileType::Directory, _) => d.help("name a file inside it"),
                    (_, Asking::Flag) => d.help("to write to standard output, leave out -o"),
                    (_, Asking::Statement(_)) => d.help("choose another file"),
                }
            }
            WriteError::DanglingLink { link, .. } => Diagnostic::error(format!(
                "`{shown}` is a symbolic link to `{}`, which does not exist",
                link.display()
            ))
            .help("remove the link, or choose another file"),
            WriteError::Io { error, .. } => {
                Diagnostic::error(format!("cannot write `{shown}`: {error}"))
            }
            WriteError::Cancelled { .. } => {
                Diagnostic::error(format!("writing `{shown}` was interrupted"))
                    .help("nothing was changed")
            }
        }
    }
}
