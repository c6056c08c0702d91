//! A binary cache of a validated model beside its fact file (`FILE.ron.fgcache`), so that loading an
//! unchanged large file does not pay for parsing and validation again.
//!
//! The cache is trusted only while it matches the file: same size, same modification time and the
//! same content hash (all of the file is hashed, on a second thread while the cache is decoded), and
//! written by this very version of factgraph. Its own bytes carry a checksum, and decoding checks
//! every index and date, so a damaged cache is reported as a miss, never as a panic. Caches are an
//! optimisation: failing to read or write one never fails a load.

mod codec;

use crate::model::Model;
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"FGCACHE1";
/// Bumped whenever the encoding or the meaning of a model changes.
const FORMAT: u32 = 1;
const HASH_CHUNK: usize = 1 << 20;

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
    for chunk in bytes.chunks(HASH_CHUNK) {
        h.write(chunk);
    }
    h.finish()
}

fn hash_file(file: &Path) -> std::io::Result<u64> {
    let mut f = std::fs::File::open(file)?;
    let mut h = hasher();
    let mut buf = vec![0u8; HASH_CHUNK];
    loop {
        // Fill whole chunks so that chunk boundaries match `content_hash`.
        let mut filled = 0;
        while filled < HASH_CHUNK {
            match f.read(&mut buf[filled..])? {
                0 => break,
                n => filled += n,
            }
        }
        if filled == 0 {
            return Ok(h.finish());
        }
        h.write(&buf[..filled]);
        if filled < HASH_CHUNK {
            return Ok(h.finish());
        }
    }
}

struct Header {
    stamp: Stamp,
    content_hash: u64,
    payload_hash: u64,
}

/// The fixed-size header: magic, format, version of factgraph, then the file's identity.
fn write_header(out: &mut Vec<u8>, h: &Header) {
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    out.push(version.len() as u8);
    out.extend_from_slice(version);
    out.extend_from_slice(&h.stamp.size.to_le_bytes());
    out.extend_from_slice(&h.stamp.mtime_ns.to_le_bytes());
    out.extend_from_slice(&h.content_hash.to_le_bytes());
    out.extend_from_slice(&h.payload_hash.to_le_bytes());
}

fn read_header(bytes: &[u8]) -> Result<(Header, usize), Miss> {
    fn take<'a>(bytes: &'a [u8], at: &mut usize, n: usize) -> Result<&'a [u8], Miss> {
        let s = bytes.get(*at..*at + n).ok_or(Miss::Corrupt)?;
        *at += n;
        Ok(s)
    }
    fn array<const N: usize>(bytes: &[u8], at: &mut usize) -> Result<[u8; N], Miss> {
        take(bytes, at, N)?.try_into().map_err(|_| Miss::Corrupt)
    }
    let mut at = 0;
    if take(bytes, &mut at, MAGIC.len())? != MAGIC {
        return Err(Miss::Corrupt);
    }
    let format = u32::from_le_bytes(array(bytes, &mut at)?);
    let version_len = usize::from(array::<1>(bytes, &mut at)?[0]);
    let version = take(bytes, &mut at, version_len)?;
    if format != FORMAT || version != env!("CARGO_PKG_VERSION").as_bytes() {
        return Err(Miss::Stale);
    }
    let header = Header {
        stamp: Stamp {
            size: u64::from_le_bytes(array(bytes, &mut at)?),
            mtime_ns: i128::from_le_bytes(array(bytes, &mut at)?),
        },
        content_hash: u64::from_le_bytes(array(bytes, &mut at)?),
        payload_hash: u64::from_le_bytes(array(bytes, &mut at)?),
    };
    Ok((header, at))
}

/// The model cached for `file`, if the cache is there, intact and made from the file as it is now.
/// `name` is what the model's `files` will say (the name the user gave).
pub fn load(file: &Path, name: &str) -> Result<Model, Miss> {
    let bytes = std::fs::read(cache_path(file)).map_err(|_| Miss::Absent)?;
    let (header, start) = read_header(&bytes)?;
    let stamp = Stamp::of(file).map_err(|_| Miss::Absent)?;
    if stamp != header.stamp {
        return Err(Miss::Stale);
    }
    let payload = &bytes[start..];
    if content_hash(payload) != header.payload_hash {
        return Err(Miss::Corrupt);
    }
    // Hashing the fact file and decoding the cache are independent: do them side by side.
    let (model, source_hash) = std::thread::scope(|s| {
        let hashing = s.spawn(|| hash_file(file));
        let model = codec::Reader {
            bytes: payload,
            at: 0,
        }
        .model(vec![name.to_string()]);
        (model, hashing.join())
    });
    match source_hash {
        Ok(Ok(h)) if h == header.content_hash => model.ok_or(Miss::Corrupt),
        Ok(Ok(_)) => Err(Miss::Stale),
        _ => Err(Miss::Absent),
    }
}

/// Writes the cache for `file`, whose contents hashed to `content_hash` (see [`content_hash`])
/// when its `stamp` was taken, atomically (a temporary file renamed into place).
pub fn store(file: &Path, stamp: Stamp, content_hash: u64, model: &Model) -> std::io::Result<()> {
    let mut payload = codec::Writer {
        out: Vec::with_capacity(model.facts.len() * 16 + model.entities.len() * 32),
    };
    payload.model(model);
    let mut out = Vec::with_capacity(payload.out.len() + 80);
    write_header(
        &mut out,
        &Header {
            stamp,
            content_hash,
            payload_hash: self::content_hash(&payload.out),
        },
    );
    out.extend_from_slice(&payload.out);
    drop(payload);
    let target = cache_path(file);
    let mut temp = target.clone().into_os_string();
    temp.push(format!(".tmp-{}", std::process::id()));
    let temp = PathBuf::from(temp);
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        f.write_all(&out)?;
        std::fs::rename(&temp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests;
