//! The quotes of a cache, in blocks of about [`QUOTE_BLOCK`] bytes with a hash each, so that a
//! warm start reads none of them and a query reads only the blocks its facts' quotes lie in.
//!
//! A block holds the quotes of consecutive facts, whole: their ends (`u32`, from the block's
//! start) and then their text, so one quote never spans two blocks and is borrowed from the one it
//! lies in. Where each block starts (by fact and by byte) and its hash form a table in the facts
//! section, which a warm start reads and checks with that section. On unix a block is read with
//! a positioned read from the handle the load opened: a cache later replaced by rename (as a load
//! that refreshes it does) keeps being read as the file the table describes. A block is read,
//! hash-checked, UTF-8-checked and its ends checked once, on first use; a damaged one stays
//! unreadable (see [`crate::model::UNREADABLE_QUOTE`]). Elsewhere, and in memory, all blocks are
//! read at load, and any damage is a miss of the whole cache, as for the other sections.

use super::hasher;
use super::stream::{HashedReader, HashedWriter};
use crate::model::{Discarded, FactId, QuotePages, Words};
use std::fs::File;
use std::hash::Hasher;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// Bytes of ends and text after which a block is closed: a first answer that needs a few quotes
/// reads a few of these, a whole read of them all still runs at the disk's pace.
pub const QUOTE_BLOCK: usize = 1 << 16;
/// Bytes of one table entry.
pub const ENTRY: usize = 32;

/// One block: where it lies in the quote section, the first fact it holds, and its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub first_fact: u64,
    pub offset: u64,
    pub len: u64,
    pub hash: u64,
}

impl Entry {
    pub fn bytes(&self) -> [u8; ENTRY] {
        let mut b = [0u8; ENTRY];
        let fields = [self.first_fact, self.offset, self.len, self.hash];
        for (chunk, v) in b.chunks_exact_mut(8).zip(fields) {
            chunk.copy_from_slice(&v.to_le_bytes());
        }
        b
    }

    pub fn from_bytes(b: &[u8]) -> Option<Entry> {
        let at = |k: usize| {
            Some(u64::from_le_bytes(
                b.get(8 * k..8 * k + 8)?.try_into().ok()?,
            ))
        };
        Some(Entry {
            first_fact: at(0)?,
            offset: at(1)?,
            len: at(2)?,
            hash: at(3)?,
        })
    }
}

/// Writes the quotes of `facts` facts as blocks; returns the table. No blocks when no fact has a
/// quote. Fails if a paged quote cannot be read (the cache is then not written) or a block's text
/// passes 4 GiB (one quote that long).
pub fn write(
    out: &mut HashedWriter<impl Write, impl Hasher>,
    words: &Words,
    facts: usize,
) -> io::Result<Vec<Entry>> {
    let mut table = Vec::new();
    if !words.has_quotes() {
        return Ok(table);
    }
    let (mut ends, mut text) = (Vec::new(), Vec::new());
    let mut offset = 0;
    let mut flush = |first: usize, ends: &mut Vec<u8>, text: &mut Vec<u8>| {
        ends.append(text);
        let mut h = hasher();
        h.write(ends);
        out.put(ends)?;
        let len = ends.len() as u64;
        table.push(Entry {
            first_fact: first as u64,
            offset,
            len,
            hash: h.finish(),
        });
        offset += len;
        ends.clear();
        Ok::<_, io::Error>(())
    };
    let mut first = 0;
    for i in 0..facts {
        let quote = words
            .try_quote(FactId(i as u32))
            .ok_or_else(|| io::Error::other("a quote could not be read"))?;
        text.extend_from_slice(quote.as_bytes());
        let end = u32::try_from(text.len()).map_err(io::Error::other)?;
        ends.extend_from_slice(&end.to_le_bytes());
        if ends.len() + text.len() >= QUOTE_BLOCK {
            flush(first, &mut ends, &mut text)?;
            first = i + 1;
        }
    }
    if first < facts {
        flush(first, &mut ends, &mut text)?;
    }
    Ok(table)
}

/// The table [`write`] returned, as the facts section holds it: `None` unless the blocks start at
/// fact 0 and byte 0, follow each other without gap or overlap, fill `section_len` bytes, and
/// each has room for the ends of its facts.
pub fn check_table(table: &[Entry], facts: u64, section_len: u64) -> Option<()> {
    let Some(first) = table.first() else {
        return (section_len == 0).then_some(());
    };
    if first.first_fact != 0 || first.offset != 0 {
        return None;
    }
    for (k, e) in table.iter().enumerate() {
        let next = table.get(k + 1);
        let last_fact = next.map_or(facts, |n| n.first_fact);
        let count = last_fact.checked_sub(e.first_fact).filter(|&n| n > 0)?;
        let end = e.offset.checked_add(e.len)?;
        if e.len < count.checked_mul(4)? || next.map_or(section_len, |n| n.offset) != end {
            return None;
        }
    }
    Some(())
}

/// A block decoded: its facts' quote ends, from its start, and their text.
#[derive(Debug)]
struct Block {
    ends: Vec<u32>,
    text: String,
}

impl Block {
    /// `bytes` as block of `facts` facts hashing to `hash`; `None` unless every check holds.
    fn decode(mut bytes: Vec<u8>, facts: usize, hash: u64) -> Option<Block> {
        let mut h = hasher();
        h.write(&bytes);
        if h.finish() != hash {
            return None;
        }
        let text = String::from_utf8(bytes.split_off(facts.checked_mul(4)?)).ok()?;
        let ends: Vec<u32> = bytes
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let mut previous = 0;
        for &end in &ends {
            let end = end as usize;
            if end < previous || !text.is_char_boundary(end) {
                return None;
            }
            previous = end;
        }
        (previous == text.len()).then_some(Block { ends, text })
    }

    fn quote(&self, k: usize) -> Option<&str> {
        let start = match k {
            0 => 0,
            _ => *self.ends.get(k - 1)? as usize,
        };
        self.text.get(start..*self.ends.get(k)? as usize)
    }
}

/// The quotes of a cached graph, read block by block on first use.
pub struct QuoteBlocks {
    table: Vec<Entry>,
    blocks: Box<[OnceLock<Option<Block>>]>,
    facts: usize,
    /// The open cache and where its quote section starts; `None` when every block was read at
    /// load ([`QuoteBlocks::read_all`]), and on systems without positioned reads.
    #[cfg_attr(not(unix), allow(dead_code))]
    file: Option<(File, u64)>,
    cache: PathBuf,
    failures: AtomicU64,
}

impl QuoteBlocks {
    fn new(table: Vec<Entry>, facts: usize, file: Option<(File, u64)>, cache: &Path) -> Self {
        QuoteBlocks {
            blocks: table.iter().map(|_| OnceLock::new()).collect(),
            table,
            facts,
            file,
            cache: cache.to_path_buf(),
            failures: AtomicU64::new(0),
        }
    }

    /// Quotes to be read from `file` (the cache at `cache`), whose quote section starts at
    /// `offset`; the table is checked already.
    #[cfg(unix)]
    pub fn paged(table: Vec<Entry>, facts: usize, file: File, offset: u64, cache: &Path) -> Self {
        QuoteBlocks::new(table, facts, Some((file, offset)), cache)
    }

    /// Every block of the quote section, read from `input` now; `None` if any is damaged.
    pub fn read_all(
        table: Vec<Entry>,
        facts: usize,
        input: &mut HashedReader<impl Read, impl Hasher>,
        cache: &Path,
    ) -> Option<Self> {
        let blocks = QuoteBlocks::new(table, facts, None, cache);
        for (k, e) in blocks.table.iter().enumerate() {
            let block = Block::decode(input.take_vec(e.len)?, blocks.facts_in(k)?, e.hash)?;
            blocks.blocks[k].set(Some(block)).ok()?;
        }
        Some(blocks)
    }

    fn facts_in(&self, k: usize) -> Option<usize> {
        let end = self
            .table
            .get(k + 1)
            .map_or(self.facts as u64, |n| n.first_fact);
        usize::try_from(end.checked_sub(self.table.get(k)?.first_fact)?).ok()
    }

    /// Block `k` as the file holds it, checked; `None` if it cannot be read or is damaged.
    fn load(&self, k: usize) -> Option<Block> {
        let e = self.table.get(k)?;
        let bytes = self.read(e)?;
        Block::decode(bytes, self.facts_in(k)?, e.hash)
    }

    #[cfg(unix)]
    fn read(&self, e: &Entry) -> Option<Vec<u8>> {
        use std::os::unix::fs::FileExt;
        let (file, start) = self.file.as_ref()?;
        let mut bytes = vec![0u8; usize::try_from(e.len).ok()?];
        file.read_exact_at(&mut bytes, start.checked_add(e.offset)?)
            .ok()?;
        Some(bytes)
    }

    #[cfg(not(unix))]
    fn read(&self, _: &Entry) -> Option<Vec<u8>> {
        None
    }
}

impl QuotePages for QuoteBlocks {
    fn facts(&self) -> usize {
        self.facts
    }

    fn quote(&self, fact: FactId) -> Option<&str> {
        let i = fact.index();
        if i >= self.facts {
            return Some("");
        }
        let found = self
            .table
            .partition_point(|e| e.first_fact <= i as u64)
            .checked_sub(1)
            .and_then(|k| {
                let block = self.blocks.get(k)?.get_or_init(|| self.load(k)).as_ref()?;
                block.quote(i - usize::try_from(self.table.get(k)?.first_fact).ok()?)
            });
        if found.is_none() {
            self.failures.fetch_add(1, Ordering::Relaxed);
        }
        found
    }

    fn failures(&self) -> u64 {
        self.failures.load(Ordering::Relaxed)
    }

    fn file(&self) -> &Path {
        &self.cache
    }

    #[cfg(unix)]
    fn discard(&self) -> Discarded {
        use std::os::unix::fs::MetadataExt;
        let Some((file, _)) = &self.file else {
            return Discarded::Kept;
        };
        // Only the file these blocks come from, followed through a link to it (the link is what
        // goes): a cache a later load wrote in its place is sound, and one already gone needs
        // nothing more.
        match (std::fs::metadata(&self.cache), file.metadata()) {
            (Ok(named), Ok(open)) if (open.dev(), open.ino()) == (named.dev(), named.ino()) => {
                match std::fs::remove_file(&self.cache) {
                    Ok(()) => Discarded::Removed,
                    Err(_) => Discarded::Kept,
                }
            }
            (Ok(_), Ok(_)) => Discarded::Replaced,
            (Err(e), _) if e.kind() == io::ErrorKind::NotFound => Discarded::Removed,
            _ => Discarded::Kept,
        }
    }

    #[cfg(not(unix))]
    fn discard(&self) -> Discarded {
        Discarded::Kept
    }
}
