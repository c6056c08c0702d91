//! The problems of a load, kept up to a cap: one misspelt declaration can break every fact of a
//! million-fact file, and what a user needs is the first screenful and a count, found in a time and
//! memory that do not grow with the number of problems.

use super::{Diagnostic, Locator};
use std::collections::BinaryHeap;
use std::ops::Range;

/// Where a problem is, before its line is looked up: `file` indexes the texts given to
/// [`Problems::into_diagnostics`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Bytes {
        file: usize,
        bytes: Range<usize>,
    },
    /// The file as a whole (it is empty, say).
    File(usize),
    /// No place in any file (a command-line argument names an unknown source).
    Nowhere,
}

impl Place {
    /// File order: by file, then offset, a whole-file problem before any offset, and problems in
    /// no file last.
    fn order(&self) -> (usize, Option<usize>) {
        match self {
            Place::Bytes { file, bytes } => (*file, Some(bytes.start)),
            Place::File(file) => (*file, None),
            Place::Nowhere => (usize::MAX, None),
        }
    }
}

/// Problems kept in file order up to a cap, and a count of all of them. Which problems are kept
/// does not depend on the order they are found in: always the first `cap` in file order, ties in
/// the order found.
pub struct Problems {
    cap: usize,
    /// The kept problems; the top is the last in file order, the one to drop for an earlier one.
    kept: BinaryHeap<Kept>,
    found: usize,
}

struct Kept {
    key: (usize, Option<usize>, usize),
    place: Place,
    diagnostic: Diagnostic,
}

impl PartialEq for Kept {
    fn eq(&self, other: &Kept) -> bool {
        self.key == other.key
    }
}

impl Eq for Kept {}

impl PartialOrd for Kept {
    fn partial_cmp(&self, other: &Kept) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Kept {
    fn cmp(&self, other: &Kept) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

impl Problems {
    pub fn new(cap: usize) -> Problems {
        Problems {
            cap,
            kept: BinaryHeap::new(),
            found: 0,
        }
    }

    /// How many problems were found, kept or not.
    pub fn found(&self) -> usize {
        self.found
    }

    pub fn is_empty(&self) -> bool {
        self.found == 0
    }

    fn key(&self, place: &Place) -> (usize, Option<usize>, usize) {
        let (file, offset) = place.order();
        (file, offset, self.found)
    }

    /// Whether the next problem, at `place`, would be kept: a caller can then skip building a
    /// diagnostic (and its suggestions) that would be dropped, and call [`Problems::pass_over`].
    pub fn keeps(&self, place: &Place) -> bool {
        self.kept.len() < self.cap || self.kept.peek().is_some_and(|k| self.key(place) < k.key)
    }

    /// Counts a problem that [`Problems::keeps`] said would not be kept.
    pub fn pass_over(&mut self) {
        self.found += 1;
    }

    /// Adds a problem; it is kept if it is among the first `cap` in file order so far.
    pub fn push(&mut self, place: Place, diagnostic: Diagnostic) {
        if self.keeps(&place) {
            let key = self.key(&place);
            if self.kept.len() == self.cap {
                self.kept.pop();
            }
            self.kept.push(Kept {
                key,
                place,
                diagnostic,
            });
        }
        self.found += 1;
    }

    /// The kept problems in file order with their locations, then "and N more" if any were left
    /// out. `files` are the (name, text) pairs that places index. Each file's lines are found once,
    /// and only for files with a kept problem.
    pub fn into_diagnostics(self, files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let kept = self.kept.into_sorted_vec();
        let shown = kept.len();
        let mut locators: Vec<Option<Locator>> = files.iter().map(|_| None).collect();
        let mut out = Vec::with_capacity(shown + 1);
        for Kept {
            place, diagnostic, ..
        } in kept
        {
            let located = match place {
                _ if diagnostic.location.is_some() => diagnostic,
                Place::Bytes { file, bytes } => match (files.get(file), locators.get_mut(file)) {
                    (Some(&(name, text)), Some(locator)) => {
                        let locator = locator.get_or_insert_with(|| Locator::new(name, text));
                        diagnostic.at(locator.locate(bytes))
                    }
                    _ => diagnostic,
                },
                Place::File(file) => match files.get(file) {
                    Some(&(name, _)) => diagnostic.at(super::Location::file_only(name)),
                    None => diagnostic,
                },
                Place::Nowhere => diagnostic,
            };
            out.push(located);
        }
        if self.found > shown {
            out.push(Diagnostic::omitted(self.found - shown, shown));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(offset: usize) -> Place {
        Place::Bytes {
            file: 0,
            bytes: offset..offset + 1,
        }
    }

    #[test]
    fn the_first_problems_in_file_order_are_kept_whatever_the_order_found() {
        let text = "abcdefghij";
        let mut problems = Problems::new(3);
        for offset in [9, 2, 7, 0, 2, 5] {
            problems.push(at(offset), Diagnostic::error(format!("at {offset}")));
        }
        problems.push(Place::Nowhere, Diagnostic::error("nowhere"));
        assert!(!problems.keeps(&at(6)));
        problems.pass_over();
        assert_eq!(problems.found(), 8);
        let shown: Vec<String> = problems
            .into_diagnostics(&[("f", text)])
            .into_iter()
            .map(|d| match d.location {
                Some(l) => format!("{} {}", d.message, l.column),
                None => d.message,
            })
            .collect();
        assert_eq!(
            shown,
            [
                "at 0 1",
                "at 2 3",
                "at 2 3",
                "and 5 more problems not shown"
            ]
        );
    }
}
