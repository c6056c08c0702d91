//! Reading what the user names: only regular files are read, and piped input a line at a time.
//!
//! A device (`/dev/zero`, `/dev/urandom`) reads without end and a FIFO blocks until a writer comes,
//! so every file factgraph reads (fact files, caches, scripts, `--text`, import inputs) is opened
//! here and checked on the opened handle: the check and the read concern the same file, whatever
//! happens to the path meanwhile. Standard input may be a pipe; it is read one statement at a time,
//! each at most [`MAX_LINE_BYTES`], so no input, however long, is held whole.

use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, BufRead, Read};
use std::path::Path;

/// The longest statement read from standard input, continuation lines included and line ends
/// not counted: far beyond any query a person or a program writes, and a bound on what one line
/// of a stream can take.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// What a path is when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Directory,
    Fifo,
    Socket,
    CharDevice,
    BlockDevice,
    Other,
}

impl FileType {
    /// `None` for a regular file.
    pub fn of(meta: &Metadata) -> Option<FileType> {
        let t = meta.file_type();
        if t.is_file() {
            return None;
        }
        if t.is_dir() {
            return Some(FileType::Directory);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_fifo() {
                return Some(FileType::Fifo);
            }
            if t.is_socket() {
                return Some(FileType::Socket);
            }
            if t.is_char_device() {
                return Some(FileType::CharDevice);
            }
            if t.is_block_device() {
                return Some(FileType::BlockDevice);
            }
        }
        Some(FileType::Other)
    }

    /// "a FIFO (named pipe)", for "`x` is a FIFO (named pipe), not a fact file".
    pub fn describe(self) -> &'static str {
        match self {
            FileType::Directory => "a directory",
            FileType::Fifo => "a FIFO (named pipe)",
            FileType::Socket => "a socket",
            FileType::CharDevice => "a character device",
            FileType::BlockDevice => "a block device",
            FileType::Other => "not a regular file",
        }
    }
}

/// Why a named file could not be read.
#[derive(Debug)]
pub enum OpenError {
    NotFound,
    PermissionDenied,
    NotRegular(FileType),
    /// The whole file does not fit in the memory this process can allocate.
    TooLarge {
        bytes: u64,
    },
    Io(io::Error),
}

impl OpenError {
    fn from_io(e: io::Error) -> OpenError {
        match e.kind() {
            io::ErrorKind::NotFound => OpenError::NotFound,
            io::ErrorKind::PermissionDenied => OpenError::PermissionDenied,
            _ => OpenError::Io(e),
        }
    }
}

/// The reason alone, for "cannot read `x`: {reason}".
impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::NotFound => write!(f, "no such file"),
            OpenError::PermissionDenied => write!(f, "permission denied"),
            OpenError::NotRegular(t) => write!(f, "it is {}", t.describe()),
            OpenError::TooLarge { bytes } => write!(f, "its {bytes} bytes do not fit in memory"),
            OpenError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for OpenError {}

/// Opens `path` for reading if it is a regular file (a symbolic link is followed). The type is
/// taken from the opened handle, not the path, and the open does not wait: a FIFO is opened
/// without blocking (`O_NONBLOCK`), then refused.
pub fn open(path: &Path) -> Result<(File, Metadata), OpenError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        // Some platforms refuse to open a directory at all.
        Err(_) if path.is_dir() => return Err(OpenError::NotRegular(FileType::Directory)),
        Err(e) => return Err(OpenError::from_io(e)),
    };
    let meta = file.metadata().map_err(OpenError::from_io)?;
    match FileType::of(&meta) {
        // O_NONBLOCK changes nothing for reads of a regular file: they never wait.
        None => Ok((file, meta)),
        Some(t) => Err(OpenError::NotRegular(t)),
    }
}

/// Reads the whole of a regular file. A file larger than the memory that can be had is an error,
/// not an abort.
pub fn read(path: &Path) -> Result<Vec<u8>, OpenError> {
    let (mut file, meta) = open(path)?;
    let bytes = meta.len();
    let mut out = Vec::new();
    usize::try_from(bytes)
        .ok()
        .and_then(|len| out.try_reserve_exact(len).ok())
        .ok_or(OpenError::TooLarge { bytes })?;
    file.read_to_end(&mut out).map_err(OpenError::from_io)?;
    Ok(out)
}

/// How reading one line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// A line, with its `\n` unless it was the last of the input.
    Read,
    /// The buffer reached the limit and the line goes on; the rest of it is not read.
    TooLong,
    /// Nothing was left to read.
    End,
}

/// Appends one line of `input` to `buf`, as long as `buf` holds at most `limit` bytes besides the
/// line's `\n`: memory is bounded whatever the input (`/dev/zero` is one endless line).
pub fn read_line(input: &mut dyn BufRead, buf: &mut Vec<u8>, limit: usize) -> io::Result<Line> {
    let mut read_any = false;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(if read_any { Line::Read } else { Line::End });
        }
        read_any = true;
        let room = limit.saturating_sub(buf.len());
        match memchr::memchr(b'\n', available) {
            Some(i) if i <= room => {
                buf.extend_from_slice(&available[..=i]);
                input.consume(i + 1);
                return Ok(Line::Read);
            }
            _ if room == 0 => return Ok(Line::TooLong),
            _ => {
                let take = available.len().min(room);
                buf.extend_from_slice(&available[..take]);
                input.consume(take);
            }
        }
    }
}

/// Discards the rest of a line that was too long, a buffer at a time; `stop` is asked between
/// buffers, so an endless line can be interrupted.
pub fn skip_line(input: &mut dyn BufRead, stop: &dyn Fn() -> bool) -> io::Result<()> {
    while !stop() {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(());
        }
        if let Some(i) = memchr::memchr(b'\n', available) {
            input.consume(i + 1);
            return Ok(());
        }
        let n = available.len();
        input.consume(n);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_whole_within_the_limit_and_cut_beyond_it() {
        let mut input = io::BufReader::with_capacity(4, "ab\ncdefgh\nij".as_bytes());
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut input, &mut buf, 5).unwrap(), Line::Read);
        assert_eq!(buf, b"ab\n");
        buf.clear();
        assert_eq!(read_line(&mut input, &mut buf, 5).unwrap(), Line::TooLong);
        assert_eq!(buf, b"cdefg");
        skip_line(&mut input, &|| false).unwrap();
        buf.clear();
        assert_eq!(read_line(&mut input, &mut buf, 5).unwrap(), Line::Read);
        assert_eq!(buf, b"ij");
        buf.clear();
        assert_eq!(read_line(&mut input, &mut buf, 5).unwrap(), Line::End);
    }

    #[test]
    fn the_limit_counts_the_line_without_its_end() {
        let mut buf = Vec::new();
        let mut input = io::BufReader::with_capacity(2, "abcde\n".as_bytes());
        assert_eq!(read_line(&mut input, &mut buf, 5).unwrap(), Line::Read);
        assert_eq!(buf, b"abcde\n");
        buf.clear();
        let mut input = io::BufReader::new("abcde".as_bytes());
        assert_eq!(read_line(&mut input, &mut buf, 5).unwrap(), Line::Read);
        buf.clear();
        let mut input = io::BufReader::new("abcdef".as_bytes());
        assert_eq!(read_line(&mut input, &mut buf, 5).unwrap(), Line::TooLong);
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_directories_are_refused_by_what_they_are() {
        assert!(matches!(
            read(Path::new("/dev/zero")),
            Err(OpenError::NotRegular(FileType::CharDevice))
        ));
        assert!(matches!(
            read(Path::new("/")),
            Err(OpenError::NotRegular(FileType::Directory))
        ));
        assert!(matches!(
            read(Path::new("/no/such/file")),
            Err(OpenError::NotFound)
        ));
    }
}
