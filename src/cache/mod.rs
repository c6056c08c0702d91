//! A binary cache of a validated model beside its fact file (`FILE.ron.fgcache`), so that loading an
//! unchanged large file does not pay for parsing and validation again.
//!
//! The cache is trusted only while it matches the file: same size, same modification time and the
//! same content hash (all of the file is hashed, on a second thread while the cache is decoded), and
//! written by this very version of factgraph. Its own bytes carry a checksum, and decoding checks
//! every index and date, so a damaged cache is reported as a miss, never as a panic. Caches are an
//! optimisation: failing to read or write one never fails a load.
//!
//! The cache is streamed in both directions (`stream`), a block at a time: decoding a cache never
//! holds its bytes and the model it becomes at once, which on 10 million facts is the difference
//! between 2.3 and 3 GB.

mod codec;
mod payload;
mod rows;
mod stream;

use crate::graph::KnowledgeGraph;
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"FGCACHE1";
/// Bumped whenever the encoding or the meaning of a model changes.
const FORMAT: u32 = 2;
/// The unit of hashing, for fact files and cache payloads alike, and of cache reads and writes.
const BLOCK: usize = 1 << 17;

/// Why a cache could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    /// No cache file, or it could not be read.
    Absent,
    /// Written for other contents of the file, or by another version of factgraph.
    Stale,
    /// Damaged: a bad checksum or contents that do not decode to a consistent model.
    Corrupt,
}

/// The identity of a fact file's contents as the file system reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    /// Modification time in nanoseconds since 1970 (negative before).
    pub mtime_ns: i128,
}

impl Stamp {
    pub fn of(file: &Path) -> std::io::Result<Stamp> {
        let meta = std::fs::metadata(file)?;
        let modified = meta.modified()?;
        let mtime_ns = match modified.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        Ok(Stamp {
            size: meta.len(),
            mtime_ns,
        })
    }
}

/// `graphs/x.ron` -> `graphs/x.ron.fgcache`.
pub fn cache_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".fgcache");
    PathBuf::from(name)
}

fn hasher() -> impl Hasher {
    foldhash::quality::FixedState::with_seed(0x6667_6361_6368_6531).build_hasher()
}

/// The content hash of a file's text, fed in fixed chunks so that hashing the text in memory and
/// streaming the file give the same value.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h = hasher();
    for chunk in bytes.chunks(BLOCK) {
        h.write(chunk);
    }
    h.finish()
}

fn hash_file(file: &Path) -> std::io::Result<u64> {
    let mut f = std::fs::File::open(file)?;
    let mut h = hasher();
    let mut buf = vec![0u8; BLOCK];
    loop {
        // Fill whole chunks so that chunk boundaries match `content_hash`.
        let mut filled = 0;
        while filled < BLOCK {
            match f.read(&mut buf[filled..])? {
                0 => break,
                n => filled += n,
            }
        }
        if filled == 0 {
            return Ok(h.finish());
        }
        h.write(&buf[..filled]);
        if filled < BLOCK {
            return Ok(h.finish());
        }
    }
}

struct Header {
    stamp: Stamp,
    content_hash: u64,
    payload_hash: u64,
}

/// The fixed-size header: magic, format, version of factgraph, then the file's identity and the
/// payload's hash, which comes last so that it can be filled in once the payload is written.
fn header_bytes(h: &Header) -> Vec<u8> {
    let mut out = Vec::with_capacity(80);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    out.push(version.len() as u8);
    out.extend_from_slice(version);
    out.extend_from_slice(&h.stamp.size.to_le_bytes());
    out.extend_from_slice(&h.stamp.mtime_ns.to_le_bytes());
    out.extend_from_slice(&h.content_hash.to_le_bytes());
    out.extend_from_slice(&h.payload_hash.to_le_bytes());
    out
}

/// Reads the header from the start of `input`, leaving it at the payload.
fn read_header(input: &mut impl Read) -> Result<Header, Miss> {
    fn array<const N: usize>(input: &mut impl Read) -> Result<[u8; N], Miss> {
        let mut a = [0u8; N];
        input.read_exact(&mut a).map_err(|_| Miss::Corrupt)?;
        Ok(a)
    }
    if &array::<8>(input)? != MAGIC {
        return Err(Miss::Corrupt);
    }
    let format = u32::from_le_bytes(array(input)?);
    let version_len = usize::from(array::<1>(input)?[0]);
    let mut version = vec![0u8; version_len];
    input.read_exact(&mut version).map_err(|_| Miss::Corrupt)?;
    if format != FORMAT || version != env!("CARGO_PKG_VERSION").as_bytes() {
        return Err(Miss::Stale);
    }
    Ok(Header {
        stamp: Stamp {
            size: u64::from_le_bytes(array(input)?),
            mtime_ns: i128::from_le_bytes(array(input)?),
        },
        content_hash: u64::from_le_bytes(array(input)?),
        payload_hash: u64::from_le_bytes(array(input)?),
    })
}

/// The graph cached for `file`, if the cache is there, intact and made from the file as it is now.
/// `name` is what the model's `files` will say (the name the user gave).
pub fn load(file: &Path, name: &str) -> Result<KnowledgeGraph, Miss> {
    let mut cache = std::fs::File::open(cache_path(file)).map_err(|_| Miss::Absent)?;
    let cache_len = cache.metadata().map_err(|_| Miss::Absent)?.len();
    let header = read_header(&mut cache)?;
    let stamp = Stamp::of(file).map_err(|_| Miss::Absent)?;
    if stamp != header.stamp {
        return Err(Miss::Stale);
    }
    let header_len = header_bytes(&header).len() as u64;
    let payload_len = cache_len.checked_sub(header_len).ok_or(Miss::Corrupt)?;
    // Hashing the fact file and decoding the cache are independent: do them side by side.
    let (graph, source_hash) = std::thread::scope(|s| {
        let hashing = s.spawn(|| hash_file(file));
        let mut input = stream::HashedReader::new(cache, payload_len, hasher());
        let graph = payload::read(&mut input, vec![name.to_string()])
            .filter(|_| input.finish() == Some(header.payload_hash));
        (graph, hashing.join())
    });
    match source_hash {
        Ok(Ok(h)) if h == header.content_hash => graph.ok_or(Miss::Corrupt),
        Ok(Ok(_)) => Err(Miss::Stale),
        _ => Err(Miss::Absent),
    }
}

/// Writes the cache for `file`, whose contents hashed to `content_hash` (see [`content_hash`])
/// when its `stamp` was taken, atomically (a temporary file renamed into place).
pub fn store(
    file: &Path,
    stamp: Stamp,
    content_hash: u64,
    graph: &KnowledgeGraph,
) -> std::io::Result<()> {
    let target = cache_path(file);
    let mut temp = target.clone().into_os_string();
    temp.push(format!(".tmp-{}", std::process::id()));
    let temp = PathBuf::from(temp);
    let result = (|| {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        let mut header = Header {
            stamp,
            content_hash,
            payload_hash: 0,
        };
        let mut out = std::io::BufWriter::new(f);
        out.write_all(&header_bytes(&header))?;
        let mut payload = stream::HashedWriter::new(out, hasher());
        payload::write(&mut payload, graph)?;
        let (out, payload_hash) = payload.finish()?;
        let mut f = out.into_inner().map_err(|e| e.into_error())?;
        header.payload_hash = payload_hash;
        f.seek(std::io::SeekFrom::Start(0))?;
        f.write_all(&header_bytes(&header))?;
        drop(f);
        std::fs::rename(&temp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests;
