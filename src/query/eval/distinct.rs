//! The memory budget of a query, and the set of distinct rows that most of a join's memory goes to.
//!
//! A budget counts bytes, not rows: a row of sixty values costs thirty times a row of two. Each
//! structure asks before it grows, for the size it will have after growing plus the size it has
//! (both are held while the old one is copied), so the budget bounds the peak and not just the end.

use foldhash::fast::FixedState;
use hashbrown::hash_table::Entry;
use hashbrown::HashTable;
use std::hash::{BuildHasher, Hasher};

/// Bytes a query may hold, and how many it holds now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    limit: usize,
    used: usize,
}

impl Budget {
    pub fn new(limit: usize) -> Budget {
        Budget { limit, used: 0 }
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    #[cfg(test)]
    pub fn used(&self) -> usize {
        self.used
    }

    /// Takes `bytes` for good; false, taking nothing, if they do not fit.
    pub fn take(&mut self, bytes: usize) -> bool {
        match self.used.checked_add(bytes) {
            Some(total) if total <= self.limit => {
                self.used = total;
                true
            }
            _ => false,
        }
    }

    /// Gives back what [`Budget::take`] took.
    pub fn give(&mut self, bytes: usize) {
        self.used = self.used.saturating_sub(bytes);
    }

    /// Whether a structure may grow to `new` bytes: its old copy (already in `used`) and the new
    /// one are both held while it is copied.
    fn may_grow(&self, new: usize) -> bool {
        self.used
            .checked_add(new)
            .is_some_and(|total| total <= self.limit)
    }

    /// A structure that held `old` bytes now holds `new`.
    fn resize(&mut self, old: usize, new: usize) {
        self.used = self.used.saturating_sub(old).saturating_add(new);
    }
}

/// Why a row could not be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetSpent;

/// Distinct rows of `width` values, each value an entity or relation id (a column holds one kind,
/// so the id alone tells rows apart). Rows live end to end in one array, and a hash table holds
/// their numbers: 4 bytes a value, plus about 10 a row for the table, with no allocation per row.
pub struct DistinctRows {
    width: usize,
    values: Vec<u32>,
    /// Row numbers, each beside its row's hash: growing the table then rehashes without reading
    /// the rows, and a probe reads a row only when the hashes agree.
    table: HashTable<(u32, u32)>,
    hasher: FixedState,
    /// Rows seen; for width 0 the table holds at most one.
    rows: usize,
}

/// Heap bytes of a hash table of `capacity` entries: hashbrown keeps 1/8 of its buckets free, rounds
/// them up to a power of two, and adds a control byte a bucket and one group of them.
fn table_bytes(capacity: usize) -> usize {
    if capacity == 0 {
        return 0;
    }
    let buckets = (capacity.saturating_mul(8) / 7 + 1).next_power_of_two();
    buckets * (size_of::<(u32, u32)>() + 1) + 16
}

impl DistinctRows {
    pub fn new(width: usize) -> DistinctRows {
        DistinctRows {
            width,
            values: Vec::new(),
            table: HashTable::new(),
            hasher: FixedState::with_seed(0x5eed),
            rows: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    /// Adds `row` (of `width` values) if it is new and whether it was; the budget pays for growth.
    #[cfg(test)]
    pub fn insert(&mut self, row: &[u32], budget: &mut Budget) -> Result<bool, BudgetSpent> {
        self.insert_numbered(row, budget).map(|(_, new)| new)
    }

    /// [`DistinctRows::insert`], with the row's number: rows are numbered as first added.
    pub fn insert_numbered(
        &mut self,
        row: &[u32],
        budget: &mut Budget,
    ) -> Result<(usize, bool), BudgetSpent> {
        debug_assert_eq!(row.len(), self.width);
        let hash = hash_row(&self.hasher, row);
        let (width, values) = (self.width, &self.values);
        let same = |&(i, h): &(u32, u32)| h == hash && row_at(values, width, i) == row;
        // A full table grows before the lookup, so that the lookup also finds the free slot; a
        // row already there needs no room, even when the budget has none left.
        if self.table.len() == self.table.capacity() {
            if let Some(&(number, _)) = self.table.find(widen(hash), same) {
                return Ok((number as usize, false));
            }
            self.grow_table(budget)?;
        }
        let values = &self.values;
        let same = |&(i, h): &(u32, u32)| h == hash && row_at(values, width, i) == row;
        let entry = self.table.entry(widen(hash), same, |&(_, h)| widen(h));
        let slot = match entry {
            Entry::Vacant(slot) => slot,
            Entry::Occupied(found) => return Ok((found.get().0 as usize, false)),
        };
        let number = u32::try_from(self.rows).map_err(|_| BudgetSpent)?;
        if self.values.capacity() - self.values.len() < self.width {
            let old = self.values.capacity() * size_of::<u32>();
            let wanted = (self.values.capacity() * 2).max(self.values.len() + self.width.max(256));
            if !budget.may_grow(wanted * size_of::<u32>()) {
                return Err(BudgetSpent);
            }
            self.values.reserve_exact(wanted - self.values.len());
            budget.resize(old, self.values.capacity() * size_of::<u32>());
        }
        self.values.extend_from_slice(row);
        slot.insert((number, hash));
        self.rows += 1;
        Ok((number as usize, true))
    }

    /// Doubles the table, if the budget allows.
    fn grow_table(&mut self, budget: &mut Budget) -> Result<(), BudgetSpent> {
        let old = table_bytes(self.table.capacity());
        let wanted = (self.table.capacity() * 2).max(64);
        if !budget.may_grow(table_bytes(wanted)) {
            return Err(BudgetSpent);
        }
        self.table
            .reserve(wanted - self.table.len(), |&(_, h)| widen(h));
        budget.resize(old, table_bytes(self.table.capacity()));
        Ok(())
    }

    /// Heap bytes the set holds.
    fn bytes(&self) -> usize {
        self.values.capacity() * size_of::<u32>() + table_bytes(self.table.capacity())
    }

    /// Returns the set's share of the budget; the set is empty afterwards.
    pub fn release(&mut self, budget: &mut Budget) {
        budget.give(self.bytes());
        *self = DistinctRows::new(self.width);
    }
}

/// Two values a word: the rows of a set all have one width, so it need not be hashed.
fn hash_row(hasher: &FixedState, row: &[u32]) -> u32 {
    let mut h = hasher.build_hasher();
    for pair in row.chunks(2) {
        let high = pair.get(1).copied().unwrap_or(0);
        h.write_u64(u64::from(pair[0]) | u64::from(high) << 32);
    }
    (h.finish() >> 32) as u32
}

/// The 64 bits hashbrown wants from the 32 kept: it takes the bucket from the low bits and a tag
/// from the top seven.
fn widen(hash: u32) -> u64 {
    u64::from(hash) << 32 | u64::from(hash)
}

fn row_at(values: &[u32], width: usize, i: u32) -> &[u32] {
    let start = i as usize * width;
    values.get(start..start + width).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_kept_once_and_told_apart_by_every_value() {
        let mut budget = Budget::new(1 << 20);
        let mut rows = DistinctRows::new(3);
        assert_eq!(rows.insert(&[1, 2, 3], &mut budget), Ok(true));
        assert_eq!(rows.insert(&[1, 2, 4], &mut budget), Ok(true));
        assert_eq!(rows.insert(&[1, 2, 3], &mut budget), Ok(false));
        for i in 0..10_000 {
            assert_eq!(rows.insert(&[i, i + 1, 7], &mut budget), Ok(true));
        }
        assert_eq!(rows.insert(&[5, 6, 7], &mut budget), Ok(false));
        assert_eq!(rows.len(), 10_002);
        assert!(budget.used() > 10_002 * 3 * 4);
        rows.release(&mut budget);
        assert_eq!(budget.used(), 0);
    }

    #[test]
    fn rows_without_values_are_all_the_same_row() {
        let mut budget = Budget::new(1 << 20);
        let mut rows = DistinctRows::new(0);
        assert_eq!(rows.insert(&[], &mut budget), Ok(true));
        assert_eq!(rows.insert(&[], &mut budget), Ok(false));
        assert_eq!(rows.len(), 1);
    }

    #[test]
    fn growth_stops_at_the_budget_and_never_passes_it() {
        let limit = 100_000;
        let mut budget = Budget::new(limit);
        let mut rows = DistinctRows::new(4);
        let mut added = 0u32;
        while rows.insert(&[added, 0, 0, 0], &mut budget).is_ok() {
            added += 1;
            assert!(budget.used() <= limit);
        }
        // 16 bytes of values and about 6 of table a row: thousands fit, but not all of them.
        assert!(added > 1000 && added < 100_000 / 16, "{added} rows");
        assert_eq!(rows.len(), added as usize);
        // What did fit is still there and still distinct.
        assert_eq!(rows.insert(&[0, 0, 0, 0], &mut budget), Ok(false));
    }
}
