//! Delimiting a long list of records on two threads.
//!
//! The list is cut near the middle of what is left of the file, at a line that starts with `(`;
//! a second thread delimits from there while this one delimits from the list's start. Such a line
//! may lie inside a string, so the cut is trusted only if this thread, reading from the start,
//! finds a record starting exactly there: a record start has one reading, so the second thread's
//! records are then the ones a single reader would have found. Otherwise the second thread is
//! stopped and this one reads on alone.

use super::{give_up, need, skip_record, ws, In, Reader, Res};
use memchr::memchr;
use nom::character::complete::char;
use nom::Parser;
use std::sync::atomic::{AtomicBool, Ordering};

/// Lists shorter than this (in bytes to the end of the file) are delimited on one thread: a
/// thread costs more than it saves on a file that reads in a few milliseconds.
pub(super) const SPLIT_BYTES: usize = 4 << 20;

/// How far past the middle a line starting a record is looked for.
const SEARCH_BYTES: usize = 1 << 20;

/// How many records the second thread delimits between looks at whether it should stop.
const POLL: usize = 4096;

impl<'a> Reader<'a> {
    /// A `[...]` list of records, of which only the start offsets are kept (in `out`).
    pub(super) fn delimit(&self, i: In<'a>, out: &mut Vec<usize>) -> Res<'a, ()> {
        let (i, _) = char('[').parse(i)?;
        let cut = (i.len() >= self.split_bytes).then(|| self.cut(i)).flatten();
        let never = AtomicBool::new(false);
        let Some(cut) = cut else {
            return match self.items(i, usize::MAX, out, &never)? {
                (rest, false) => Ok((rest, ())),
                (_, true) => give_up(),
            };
        };
        let stop = AtomicBool::new(false);
        std::thread::scope(|s| {
            let second = s.spawn(|| {
                let mut tail = Vec::new();
                let from = &self.text.as_bytes()[cut..];
                let end = match self.items(from, usize::MAX, &mut tail, &stop) {
                    Ok((rest, false)) => Some(self.at(rest)),
                    _ => None,
                };
                (tail, end)
            });
            let first = self.items(i, cut, out, &never);
            if !matches!(&first, Ok((rest, true)) if self.at(rest) == cut) {
                // The second thread's work is of no use: stop it rather than wait for it.
                stop.store(true, Ordering::Relaxed);
            }
            match first? {
                (rest, true) if self.at(rest) == cut => {
                    let (tail, end) = second
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    out.extend(tail);
                    Ok((&self.text.as_bytes()[need(end)?..], ()))
                }
                (rest, false) => Ok((rest, ())),
                // Passed the cut inside a record: the cut was no record start.
                (rest, true) => match self.items(rest, usize::MAX, out, &never)? {
                    (rest, false) => Ok((rest, ())),
                    (_, true) => give_up(),
                },
            }
        })
    }

    /// The items of a list, from just after its `[` or a `,`, to its `]` (then `false` with what
    /// follows) or to the first item starting at `stop` or later (then `true` with that item).
    /// Gives up when `cancel` is set, which it looks at every [`POLL`] items.
    fn items(
        &self,
        mut i: In<'a>,
        stop: usize,
        out: &mut Vec<usize>,
        cancel: &AtomicBool,
    ) -> Res<'a, bool> {
        loop {
            let (rest, ()) = ws(i)?;
            if let Ok((rest, _)) = char::<_, ()>(']').parse(rest) {
                return Ok((rest, false));
            }
            let at = self.at(rest);
            if at >= stop {
                return Ok((rest, true));
            }
            if out.len() % POLL == 0 && cancel.load(Ordering::Relaxed) {
                return give_up();
            }
            out.push(at);
            let (rest, ()) = skip_record(rest)?;
            let (rest, ()) = ws(rest)?;
            match char::<_, ()>(',').parse(rest) {
                Ok((rest, _)) => i = rest,
                Err(_) => return char(']').map(|_| false).parse(rest),
            }
        }
    }

    /// Where to cut the list starting at `i`: the first line past the middle of the rest of the
    /// file that starts (after blanks) with `(`; `None` if none is near.
    fn cut(&self, i: In<'a>) -> Option<usize> {
        let mut from = i.len() / 2;
        let end = (from + SEARCH_BYTES).min(i.len());
        while from < end {
            let line = from + memchr(b'\n', &i[from..end])? + 1;
            let blanks = i[line..end]
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
            if i.get(line + blanks) == Some(&b'(') {
                return Some(self.at(i) + line + blanks);
            }
            from = line;
        }
        None
    }
}
