//! Cache files read and written as a stream of fixed-size blocks, each hashed as it passes, so that
//! a cache of hundreds of megabytes is checked without ever being held in memory whole.
//!
//! Both sides feed the hasher exactly one block at a time (the last one may be short), which is
//! what makes the reader's hash equal the writer's however the operating system splits the reads.

use super::BLOCK;
use std::hash::Hasher;
use std::io::{self, Read, Write};

/// Writes through a block buffer, hashing each block as it is flushed.
pub struct HashedWriter<W: Write, H: Hasher> {
    inner: W,
    buf: Vec<u8>,
    hasher: H,
    written: u64,
}

impl<W: Write, H: Hasher> HashedWriter<W, H> {
    pub fn new(inner: W, hasher: H) -> Self {
        HashedWriter {
            inner,
            buf: Vec::with_capacity(BLOCK),
            hasher,
            written: 0,
        }
    }

    pub fn put(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            let room = BLOCK - self.buf.len();
            let (now, later) = bytes.split_at(room.min(bytes.len()));
            self.buf.extend_from_slice(now);
            bytes = later;
            if self.buf.len() == BLOCK {
                self.flush_block()?;
            }
        }
        Ok(())
    }

    pub fn u64(&mut self, v: u64) -> io::Result<()> {
        self.put(&v.to_le_bytes())
    }

    fn flush_block(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.hasher.write(&self.buf);
            self.inner.write_all(&self.buf)?;
            self.written += self.buf.len() as u64;
            self.buf.clear();
        }
        Ok(())
    }

    /// Flushes the last block; returns how many bytes were written and their hash.
    pub fn finish(mut self) -> io::Result<(u64, u64)> {
        self.flush_block()?;
        Ok((self.written, self.hasher.finish()))
    }
}

/// Reads in whole blocks, hashing each as it arrives. Every method returns `None` on a read
/// error or at a premature end: to a cache, both mean "not usable".
pub struct HashedReader<R: Read, H: Hasher> {
    inner: R,
    /// Room for an unread tail shorter than a block plus one new block.
    buf: Box<[u8]>,
    at: usize,
    end: usize,
    /// Bytes not yet pulled from `inner`, so that no length read from the file can make us
    /// allocate more than the file holds.
    unread: u64,
    hasher: H,
}

impl<R: Read, H: Hasher> HashedReader<R, H> {
    /// `len` is how many bytes `inner` has left.
    pub fn new(inner: R, len: u64, hasher: H) -> Self {
        HashedReader {
            inner,
            buf: vec![0; 2 * BLOCK].into_boxed_slice(),
            at: 0,
            end: 0,
            unread: len,
            hasher,
        }
    }

    /// Bytes left: buffered and not yet read.
    pub fn remaining(&self) -> u64 {
        (self.end - self.at) as u64 + self.unread
    }

    /// Pulls the next block in behind the unread tail.
    fn refill(&mut self) -> Option<()> {
        if self.unread == 0 {
            return None;
        }
        self.buf.copy_within(self.at..self.end, 0);
        self.end -= self.at;
        self.at = 0;
        let want = BLOCK.min(usize::try_from(self.unread).unwrap_or(BLOCK));
        let block = &mut self.buf[self.end..self.end + want];
        self.inner.read_exact(block).ok()?;
        self.hasher.write(block);
        self.end += want;
        self.unread -= want as u64;
        Some(())
    }

    /// The next `n` bytes; `None` for more than one block (use [`HashedReader::take_vec`]).
    pub fn take(&mut self, n: usize) -> Option<&[u8]> {
        if n > BLOCK {
            return None;
        }
        while self.end - self.at < n {
            self.refill()?;
        }
        let s = &self.buf[self.at..self.at + n];
        self.at += n;
        Some(s)
    }

    pub fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// The next `n` bytes, however many, as a vector; `None` if the input is shorter.
    pub fn take_vec(&mut self, n: u64) -> Option<Vec<u8>> {
        if n > self.remaining() {
            return None;
        }
        let n = usize::try_from(n).ok()?;
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            if self.at == self.end {
                self.refill()?;
            }
            let k = (n - out.len()).min(self.end - self.at);
            out.extend_from_slice(&self.buf[self.at..self.at + k]);
            self.at += k;
        }
        Some(out)
    }

    /// The hash of the whole input, once all of it has been taken; `None` if bytes are left.
    pub fn finish(self) -> Option<u64> {
        (self.remaining() == 0).then(|| self.hasher.finish())
    }
}
