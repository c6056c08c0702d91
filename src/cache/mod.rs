//! A binary cache of a validated graph beside its fact file (`FILE.ron.fgcache`), so that loading
//! an unchanged large file does not pay for parsing, validation and building the graph again.
//!
//! The cache is trusted only while it matches the file and was written by this very version of
//! factgraph. Whether it matches is decided as git decides for its index: by the file's stamp
//! (size, modification time, inode and change time, to the nanosecond), which the cache records
//! together with the moment that stamp was taken and the content hash of the text it was built
//! from. A different stamp is a miss. The same stamp is enough on its own while the file's
//! modification and change times are at least [`RACY_NS`] older than the moment of the recorded
//! stamp: a later write to the file would then have moved one of them. Otherwise the stamp is
//! "racy" (a write in the same tick of a coarse file-system clock would leave it unchanged) and
//! all of the file is hashed, on a thread of its own while the cache is decoded, and must match
//! the recorded hash, as it must on systems without inodes and change times; a confirmed racy
//! stamp that has since grown old is written into a new cache once. A touched file with
//! unchanged text is a miss like any other change of stamp: the load rebuilds the cache, which
//! then records the new stamp. Each of the cache's sections carries a hash, and decoding
//! checks every index, start and date, so a damaged cache is reported as a miss, never as a
//! panic. The quotes are the exception that makes a warm start cheap: on unix they stay in the
//! file, in blocks with a hash each, and are read on first use (`quotes`). The source texts the quotes were checked against must be unchanged as well (`texts`):
//! their stamps are compared always, and their contents hashed whenever the fact file is, or when
//! a text's own stamp is racy. Caches are an optimisation: failing to read or write one never
//! fails a load.
//!
//! Sections are streamed in both directions (`stream`), a block at a time: decoding a cache never
//! holds its bytes and the graph it becomes at once, and each section is decoded on its own thread.

mod codec;
mod folder;
mod payload;
mod quotes;
mod rows;
mod stream;
mod texts;

use crate::graph::KnowledgeGraph;
use crate::input::{self, FileType, OpenError};
use crate::names::NameIndex;
use crate::output::{Destination, Role, WriteError};
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Files smaller than this are not cached: they parse in a few milliseconds, and curated graphs
/// stay free of cache files beside them.
pub const CACHE_MIN_BYTES: u64 = 1 << 20;

const MAGIC: &[u8; 8] = b"FGCACHE1";
/// Bumped whenever the encoding or the meaning of a cached graph changes.
const FORMAT: u32 = 11;
/// How much older than the recorded stamp a file's times must be for the stamp alone to vouch for
/// its contents: well above the granularity of file-system clocks (2 s on FAT, 1 s on some network
/// file systems, a few milliseconds on ext4) and the skew between them and the system clock.
pub const RACY_NS: i128 = 3_000_000_000;
/// The unit of hashing, for fact files and cache sections alike, and of cache reads and writes.
/// Small enough to stay in the core's cache: reading into 1 MiB buffers ran at a quarter of the
/// speed on a process's first pass over a file.
const BLOCK: usize = 1 << 17;

/// Why a cache could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    /// No cache file, or it could not be read.
    Absent,
    /// Written for other contents of the file, or by another version of factgraph.
    Stale,
    /// Damaged: a bad hash or contents that do not decode to a consistent graph.
    Corrupt,
    /// Something other than a regular file is where the cache should be; it is never read.
    NotAFile(FileType),
}

/// The identity of a fact file's contents as the file system reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    /// Modification time in nanoseconds since 1970 (negative before).
    pub mtime_ns: i128,
    /// The inode: a file replaced by another (an editor's save by rename) has a new one. 0 where
    /// the system has none.
    pub inode: u64,
    /// Change time in nanoseconds since 1970, which no one can set back: any write or restored
    /// modification time moves it. 0 where the system has none.
    pub ctime_ns: i128,
}

impl Stamp {
    pub fn of(file: &Path) -> std::io::Result<Stamp> {
        let meta = std::fs::metadata(file)?;
        let (inode, ctime_ns) = inode_and_ctime(&meta);
        Ok(Stamp {
            size: meta.len(),
            mtime_ns: nanos(meta.modified()?),
            inode,
            ctime_ns,
        })
    }

    /// Whether the stamp alone tells that the contents are those stamped at `taken_ns` (see the
    /// module comment): both times well before then, on a system that has both.
    fn vouches_at(&self, taken_ns: i128) -> bool {
        cfg!(unix) && self.mtime_ns.max(self.ctime_ns) + RACY_NS <= taken_ns
    }
}

#[cfg(unix)]
fn inode_and_ctime(meta: &std::fs::Metadata) -> (u64, i128) {
    use std::os::unix::fs::MetadataExt;
    let ctime = i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec());
    (meta.ino(), ctime)
}

#[cfg(not(unix))]
fn inode_and_ctime(_: &std::fs::Metadata) -> (u64, i128) {
    (0, 0)
}

fn nanos(time: std::time::SystemTime) -> i128 {
    match time.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// The system clock in nanoseconds since 1970: when a stamp is taken, for [`store`].
pub fn now_ns() -> i128 {
    nanos(std::time::SystemTime::now())
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
    let (mut f, _) = input::open(file).map_err(std::io::Error::other)?;
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

/// How many of each thing the cached graph has, so that every section can be checked on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Counts {
    sources: u64,
    relations: u64,
    entities: u64,
    facts: u64,
}

/// Where a section lies in the cache file, and the hash of its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Section {
    offset: u64,
    len: u64,
    hash: u64,
}

/// The sections (see `payload`): declarations, facts, adjacency, quotes.
const SECTIONS: usize = 4;
/// The order they are written in: the quotes before the facts, whose section holds their table.
const WRITE_ORDER: [usize; SECTIONS] = [0, 3, 1, 2];

#[derive(Debug, Clone, PartialEq, Eq)]
struct Header {
    stamp: Stamp,
    /// When `stamp` was taken, before the text it stands for was read (see [`now_ns`]).
    stamped_ns: i128,
    content_hash: u64,
    counts: Counts,
    sections: [Section; SECTIONS],
    /// The source texts the graph was validated against, relative to the cache's folder.
    texts: Vec<TextFile>,
}

/// The header: magic, format, version of factgraph, the fact file's stamp and when it was taken,
/// the counts, where each section lies (filled in once the sections are written), then the source
/// texts' list.
fn header_bytes(h: &Header) -> Vec<u8> {
    let mut out = Vec::with_capacity(160);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    out.push(version.len() as u8);
    out.extend_from_slice(version);
    out.extend_from_slice(&h.stamp.size.to_le_bytes());
    out.extend_from_slice(&h.stamp.mtime_ns.to_le_bytes());
    out.extend_from_slice(&h.stamp.inode.to_le_bytes());
    out.extend_from_slice(&h.stamp.ctime_ns.to_le_bytes());
    out.extend_from_slice(&h.stamped_ns.to_le_bytes());
    let c = h.counts;
    let numbers = [h.content_hash, c.sources, c.relations, c.entities, c.facts];
    let sections = h.sections.iter().flat_map(|s| [s.offset, s.len, s.hash]);
    for n in numbers.into_iter().chain(sections) {
        out.extend_from_slice(&n.to_le_bytes());
    }
    texts::put(&mut out, &h.texts);
    out
}

/// Reads the header from the start of `input`.
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
    let stamp = Stamp {
        size: u64::from_le_bytes(array(input)?),
        mtime_ns: i128::from_le_bytes(array(input)?),
        inode: u64::from_le_bytes(array(input)?),
        ctime_ns: i128::from_le_bytes(array(input)?),
    };
    let stamped_ns = i128::from_le_bytes(array(input)?);
    let mut n = || array(input).map(u64::from_le_bytes);
    let content_hash = n()?;
    let counts = Counts {
        sources: n()?,
        relations: n()?,
        entities: n()?,
        facts: n()?,
    };
    let mut sections = [Section::default(); SECTIONS];
    for s in &mut sections {
        *s = Section {
            offset: n()?,
            len: n()?,
            hash: n()?,
        };
    }
    Ok(Header {
        stamp,
        stamped_ns,
        content_hash,
        counts,
        sections,
        texts: texts::get(input)?,
    })
}

/// Decodes the sections `open` gives, each checked against its hash, each on its own thread (with
/// the thread that hashes the fact file, four share the machine's cores, which the scheduler
/// balances better than any fixed split: the declarations dominate on graphs of many small
/// entities, the facts on graphs of many facts). With `pages` (the open cache file and its path),
/// the quotes are left in the file, to be read on first use; without, they are read now.
fn decode<R: Read>(
    header: &Header,
    files: Vec<String>,
    open: impl Fn(usize) -> Option<R> + Sync,
    pages: Option<(std::fs::File, &Path)>,
) -> Option<KnowledgeGraph> {
    let section = |i: usize| -> Option<stream::HashedReader<R, _>> {
        let s = header.sections[i];
        Some(stream::HashedReader::new(open(i)?, s.len, hasher()))
    };
    let checked = |input: stream::HashedReader<R, _>, i: usize| {
        (input.finish() == Some(header.sections[i].hash)).then_some(())
    };
    let counts = header.counts;
    let file_count = files.len();
    std::thread::scope(|s| {
        let declarations = s.spawn(|| {
            let mut input = section(0)?;
            let declarations = payload::read_declarations(&mut input, files, counts)?;
            checked(input, 0)?;
            let names = NameIndex::new(&declarations.model.entities);
            Some((declarations, names))
        });
        let adjacency = s.spawn(|| {
            let mut input = section(2)?;
            let adjacency = payload::read_adjacency(&mut input, counts)?;
            checked(input, 2)?;
            Some(adjacency)
        });
        let facts = (|| {
            let mut input = section(1)?;
            let quote_len = header.sections[3].len;
            let mut facts = payload::read_facts(&mut input, counts, file_count, quote_len)?;
            checked(input, 1)?;
            let facts_count = usize::try_from(counts.facts).ok()?;
            let table = std::mem::take(&mut facts.table);
            let quotes = match pages {
                _ if table.is_empty() => None,
                #[cfg(unix)]
                Some((file, path)) => {
                    let offset = header.sections[3].offset;
                    Some(quotes::QuoteBlocks::paged(
                        table,
                        facts_count,
                        file,
                        offset,
                        path,
                    ))
                }
                _ => {
                    let path = pages.as_ref().map_or(Path::new(""), |p| p.1);
                    let mut input = section(3)?;
                    let q = quotes::QuoteBlocks::read_all(table, facts_count, &mut input, path)?;
                    checked(input, 3)?;
                    Some(q)
                }
            };
            Some((facts, quotes))
        })();
        let (declarations, names) = joined(declarations)?;
        let adjacency = joined(adjacency)?;
        payload::assemble(declarations, facts?, adjacency, names)
    })
}

/// A thread's result; its panic, if it panicked, carries on here.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The graph cached for `file`, if the cache is there, intact and made from the file as it is now.
/// `name` is what the model's `files` will say (the name the user gave).
pub fn load(file: &Path, name: &str) -> Result<KnowledgeGraph, Miss> {
    let stamp = Stamp::of(file).map_err(|_| Miss::Absent);
    load_keyed(
        &cache_path(file),
        stamp,
        vec![name.to_string()],
        &[file],
        || hash_file(file),
    )
}

/// The graph cached at `path`, if it is intact and was made from contents that now have `stamp`
/// and, unless the stamp vouches for them, hash (computed by `hash_now` while the cache decodes)
/// to what the cache says; `names` are what the model's `files` will say. A racy stamp that the
/// hash confirmed, and that has since grown old enough to vouch, is written into a new cache (for
/// `sources`, the fact files), as git refreshes racily clean entries: without that, a file saved
/// just before its first load would be hashed on every start until it next changed.
fn load_keyed(
    path: &Path,
    stamp: Result<Stamp, Miss>,
    names: Vec<String>,
    sources: &[&Path],
    hash_now: impl FnOnce() -> std::io::Result<u64> + Send,
) -> Result<KnowledgeGraph, Miss> {
    let path = path.to_path_buf();
    let (mut cache, meta) = input::open(&path).map_err(|e| match e {
        OpenError::NotRegular(t) => Miss::NotAFile(t),
        _ => Miss::Absent,
    })?;
    let cache_len = meta.len();
    let header = read_header(&mut cache)?;
    let base = path.parent().unwrap_or(Path::new(""));
    let stamp = stamp?;
    if stamp != header.stamp || !texts::stamps_unchanged(base, &header.texts) {
        return Err(Miss::Stale);
    }
    let inside = |s: &Section| {
        s.offset
            .checked_add(s.len)
            .is_some_and(|end| end <= cache_len)
    };
    if !header.sections.iter().all(inside) {
        return Err(Miss::Corrupt);
    }
    // Each section is read through its own handle: handles opened by path never share a file
    // position, and if the cache were replaced meanwhile, the section hashes would not match.
    let open = |i: usize| {
        let s = header.sections[i];
        let (mut f, _) = input::open(&path).ok()?;
        f.seek(std::io::SeekFrom::Start(s.offset)).ok()?;
        Some(f.take(s.len))
    };
    // The texts' stamps were taken after the fact file's, so holding them to the fact file's
    // moment is the stricter test.
    let vouched =
        |at: i128| stamp.vouches_at(at) && header.texts.iter().all(|t| t.stamp.vouches_at(at));
    let pages = || Some((cache.try_clone().ok()?, path.as_path()));
    if vouched(header.stamped_ns) {
        return decode(&header, names, open, pages()).ok_or(Miss::Corrupt);
    }
    // Hashing the fact file and decoding the cache are independent: do them side by side.
    // The contents hashed below are those of this moment or later.
    let hashed_ns = now_ns();
    let (graph, source_hash) = std::thread::scope(|s| {
        let hashing = s.spawn(|| {
            let h = hash_now()?;
            Ok::<_, std::io::Error>((h, texts::contents_unchanged(base, &header.texts)?))
        });
        let graph = decode(&header, names, open, pages());
        (graph, hashing.join())
    });
    match source_hash {
        Ok(Ok((h, true))) if h == header.content_hash => {
            let graph = graph.ok_or(Miss::Corrupt)?;
            if vouched(hashed_ns) {
                // An optimisation like the cache itself: failing to write it changes nothing.
                let texts = texts::resolved(base, &header.texts);
                let _ = store_keyed(&path, (stamp, hashed_ns), h, &graph, sources, &texts);
            }
            Ok(graph)
        }
        Ok(Ok(_)) => Err(Miss::Stale),
        _ => Err(Miss::Absent),
    }
}

/// Writes the sections after a placeholder header, then the header with where they lie.
fn write_cache<W: Write + Seek>(
    out: W,
    header: &mut Header,
    graph: &KnowledgeGraph,
) -> std::io::Result<W> {
    let mut out = std::io::BufWriter::new(out);
    out.write_all(&header_bytes(header))?;
    let mut offset = header_bytes(header).len() as u64;
    let mut table = Vec::new();
    for i in WRITE_ORDER {
        let mut w = stream::HashedWriter::new(&mut out, hasher());
        match i {
            0 => payload::write_declarations(&mut w, graph)?,
            3 => {
                let facts = graph.model.facts().len();
                table = quotes::write(&mut w, graph.model.all_words(), facts)?;
            }
            1 => payload::write_facts(&mut w, graph, &table)?,
            _ => payload::write_adjacency(&mut w, graph)?,
        }
        let (len, hash) = w.finish()?;
        header.sections[i] = Section { offset, len, hash };
        offset += len;
    }
    let mut out = out.into_inner().map_err(|e| e.into_error())?;
    out.seek(std::io::SeekFrom::Start(0))?;
    out.write_all(&header_bytes(header))?;
    Ok(out)
}

/// Writes the cache for `file`, whose contents hashed to `content_hash` (see [`content_hash`])
/// when its `stamp` was taken at `stamped_ns` (see [`now_ns`]), and whose sources' quotes were
/// checked against `texts`. The cache is factgraph's own file, so it is replaced without asking,
/// but by the same rules as every other file: atomically, and only over a regular file.
pub fn store(
    file: &Path,
    (stamp, stamped_ns): (Stamp, i128),
    content_hash: u64,
    graph: &KnowledgeGraph,
    texts: &[TextFile],
) -> Result<(), WriteError> {
    store_keyed(
        &cache_path(file),
        (stamp, stamped_ns),
        content_hash,
        graph,
        &[file],
        texts,
    )
}

/// Writes the cache at `path` for contents with `stamp` (taken at `stamped_ns`) and
/// `content_hash`; `sources` are the fact files it stands for, which the write must never replace,
/// and `texts` the source texts read.
fn store_keyed(
    path: &Path,
    (stamp, stamped_ns): (Stamp, i128),
    content_hash: u64,
    graph: &KnowledgeGraph,
    sources: &[&Path],
    texts: &[TextFile],
) -> Result<(), WriteError> {
    let m = &graph.model;
    let mut header = Header {
        stamp,
        stamped_ns,
        content_hash,
        counts: Counts {
            sources: m.sources.len() as u64,
            relations: m.relations.len() as u64,
            entities: m.entities.len() as u64,
            facts: m.facts().len() as u64,
        },
        sections: [Section::default(); SECTIONS],
        texts: texts::relative_to(path.parent().unwrap_or(Path::new("")), texts),
    };
    Destination::new(path)
        .own_file()
        .force(true)
        .protect(sources.iter().map(|f| f.to_path_buf()), Role::FactFile)
        .write_file(|out| write_cache(out, &mut header, graph).map(drop))?;
    Ok(())
}

/// The error of a task that met quotes a damaged cache could not give back, saying what became
/// of the cache (see [`crate::model::Model::discard_damaged_cache`]).
pub fn damaged(cache: &Path, discarded: crate::model::Discarded) -> crate::diagnostic::Diagnostic {
    use crate::model::Discarded;
    let error = crate::diagnostic::Diagnostic::error(format!(
        "a quote could not be read: the cache `{}` is damaged",
        cache.display()
    ));
    match discarded {
        Discarded::Removed => error.note(
            "the damaged cache was removed: the next load reads the fact files and writes it again",
        ),
        Discarded::Replaced => error.note(
            "a later load has written a new cache in its place since this one was opened: the next load reads that",
        ),
        Discarded::Kept => error
            .help("run with --no-cache to read the fact files instead")
            .help("delete the cache, and the next load writes it again"),
    }
}

pub use folder::{folder_cache_path, FolderKey};
pub use texts::TextFile;

#[cfg(test)]
mod tests;
