//! Facts by date, so that a period question (`during WEEK`, `where ?f.when before 2017`) reads
//! only the facts whose days may meet the period instead of every fact of the relation.
//!
//! Each relation's dated facts are grouped by how many days their date spans, rounded up to a
//! power of two (a day, two days, ..., a month, ..., a year, ...), and each group is sorted by its
//! earliest day. A fact of span at most `2^k` meets a period only if its earliest day lies within
//! `2^k - 1` days before the period's first day, or in the period: two binary searches per group,
//! and every fact read there meets the period or is near it. Open-ended dates (`since`, `until`,
//! `by`) have groups of their own, sorted by their one finite end, where the facts meeting a
//! period are a prefix or a suffix. The overlap is then checked exactly, so the facts returned are
//! exactly those whose days meet the period: the ones [`crate::date::When::during`] may keep.
//!
//! Cost: built in O(dated facts · log) on first use (most loads never ask a period question);
//! 12 bytes a dated fact, plus 12 bytes a non-empty group (at most 35 per relation). A query is
//! O(groups · log + facts read), the facts read being those returned plus, per group, at most those
//! that start up to one group span before the period.

use crate::date::{Day, Interval};
use crate::model::{FactId, Model, RelationId};

/// Groups of bounded spans: group `k` holds spans of `2^(k-1) + 1` to `2^k` days; a span in days
/// of any finite interval of `Day`s fits in 33 groups.
const BOUNDED: u8 = 33;
/// Dates with no known end (`since`): sorted by their first day.
const SINCE: u8 = BOUNDED;
/// Dates with no known start (`until`, `by`): sorted by their last day.
const UNTIL: u8 = BOUNDED + 1;

#[derive(Debug, Clone, Copy)]
struct Entry {
    first: Day,
    last: Day,
    fact: FactId,
}

impl Entry {
    /// What the entry's group is sorted by.
    fn key(&self, group: u8) -> Day {
        match group {
            UNTIL => self.last,
            _ => self.first,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Group {
    class: u8,
    start: u32,
    end: u32,
}

/// The dated facts of every loaded relation, grouped by span and sorted by date (see the module
/// documentation). Derived relations are not indexed: their facts are few and replayed.
#[derive(Debug, Default)]
pub struct TimeIndex {
    entries: Vec<Entry>,
    groups: Vec<Group>,
    /// Relation `r`'s groups are `groups[relation_groups[r]..relation_groups[r + 1]]`.
    relation_groups: Vec<u32>,
}

/// The group a date's days fall in.
fn class_of(first: Day, last: Day) -> u8 {
    if first == Day::MIN {
        return UNTIL;
    }
    if last == Day::MAX {
        return SINCE;
    }
    let span = (i64::from(last) - i64::from(first)).max(0) as u64 + 1;
    // ceil(log2(span)): 1 day -> 0, 2 -> 1, 3 and 4 -> 2, ...
    (u64::BITS - (span - 1).leading_zeros()) as u8
}

impl TimeIndex {
    /// Indexes the dated facts of each relation, given in fact order by `facts_of`.
    pub(super) fn new<'g>(
        model: &Model,
        facts_of: impl Fn(RelationId) -> &'g [FactId],
    ) -> TimeIndex {
        let mut index = TimeIndex {
            entries: Vec::with_capacity(model.facts().len()),
            groups: Vec::new(),
            relation_groups: Vec::with_capacity(model.relations.len() + 1),
        };
        let mut classes: Vec<u8> = Vec::new();
        for r in 0..model.relations.len() {
            index.relation_groups.push(index.groups.len() as u32);
            let start = index.entries.len();
            for &fact in facts_of(RelationId(r as u32)) {
                let Some(when) = model.fact(fact).when else {
                    continue;
                };
                let days = when.interval();
                index.entries.push(Entry {
                    first: days.first,
                    last: days.last,
                    fact,
                });
            }
            let entries = &mut index.entries[start..];
            entries.sort_unstable_by_key(|e| {
                let class = class_of(e.first, e.last);
                (class, e.key(class), e.fact)
            });
            classes.clear();
            classes.extend(entries.iter().map(|e| class_of(e.first, e.last)));
            let mut from = 0;
            for run in classes.chunk_by(|a, b| a == b) {
                index.groups.push(Group {
                    class: run[0],
                    start: (start + from) as u32,
                    end: (start + from + run.len()) as u32,
                });
                from += run.len();
            }
        }
        index.relation_groups.push(index.groups.len() as u32);
        index
    }

    /// Bytes the index holds.
    pub fn bytes(&self) -> usize {
        self.entries.capacity() * size_of::<Entry>()
            + self.groups.capacity() * size_of::<Group>()
            + self.relation_groups.capacity() * size_of::<u32>()
    }

    fn groups_of(&self, relation: RelationId) -> &[Group] {
        let r = relation.index();
        match (self.relation_groups.get(r), self.relation_groups.get(r + 1)) {
            (Some(&from), Some(&to)) => &self.groups[from as usize..to as usize],
            _ => &[],
        }
    }

    /// The entries of a group that may meet `period`: a superset of those that do, found by
    /// binary search.
    fn candidates(&self, group: &Group, period: Interval) -> &[Entry] {
        let entries = &self.entries[group.start as usize..group.end as usize];
        let key = |e: &Entry| i64::from(e.key(group.class));
        let (low, high) = match group.class {
            // Last day on or after the period's first: a suffix.
            UNTIL => (i64::from(period.first), i64::MAX),
            // First day on or before the period's last: a prefix.
            SINCE => (i64::MIN, i64::from(period.last)),
            // A span of at most 2^k days starting before the period reaches into it only if it
            // starts fewer than 2^k days before.
            k => (
                i64::from(period.first) - (1i64 << k) + 1,
                i64::from(period.last),
            ),
        };
        let from = entries.partition_point(|e| key(e) < low);
        let to = entries.partition_point(|e| key(e) <= high);
        entries.get(from..to).unwrap_or(&[])
    }

    /// At most how many facts of `relation` meet `period`: O(groups · log).
    pub fn estimate(&self, relation: RelationId, period: Interval) -> usize {
        self.groups_of(relation)
            .iter()
            .map(|g| self.candidates(g, period).len())
            .sum()
    }

    /// Appends the facts of `relation` whose days meet `period` (first day on or before its last,
    /// last day on or after its first), in fact order.
    pub fn overlapping(&self, relation: RelationId, period: Interval, out: &mut Vec<FactId>) {
        let start = out.len();
        for group in self.groups_of(relation) {
            out.extend(
                self.candidates(group, period)
                    .iter()
                    .filter(|e| e.first <= period.last && e.last >= period.first)
                    .map(|e| e.fact),
            );
        }
        out[start..].sort_unstable();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_fall_in_the_power_of_two_above_them() {
        assert_eq!(class_of(10, 10), 0);
        assert_eq!(class_of(10, 11), 1);
        assert_eq!(class_of(10, 13), 2);
        assert_eq!(class_of(10, 14), 3);
        assert_eq!(class_of(Day::MIN, 5), UNTIL);
        assert_eq!(class_of(5, Day::MAX), SINCE);
        assert!(class_of(Day::MIN + 1, Day::MAX - 1) < BOUNDED);
    }
}
