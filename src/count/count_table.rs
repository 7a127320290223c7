//! A counter from packed 64-bit keys to 32-bit counts, for the n-gram tables: open addressing
//! with linear probing in two flat arrays (keys, counts: 12 bytes a slot), and a prefetch for
//! keys about to be counted.
//!
//! Counting a word position is one update of a table of many megabytes, so nearly every update
//! waits for memory. The stream of a statement is known in advance: its counter prefetches the
//! slots of positions a few words ahead, so the waits overlap instead of adding up. Keys are
//! spread by Fibonacci hashing (the high bits of a multiplication), which suits packed word ids.
//! Iteration order is unspecified; every user sorts what it lists.

/// Marks an empty slot. Packed keys never take it: a pair of two `u32::MAX` ids (the stream's
/// break marker, never counted) would be the only one.
const EMPTY: u64 = u64::MAX;
/// The table doubles when it would be fuller than this many tenths: a lookup of a counted key,
/// nearly every update, then probes about three slots, which share a cache line or two.
const MAX_LOAD_TENTHS: usize = 8;
const MIN_CAPACITY: usize = 16;

/// Counts per key.
#[derive(Debug, Clone, Default)]
pub struct CountTable {
    /// `EMPTY` or a key, per slot.
    keys: Vec<u64>,
    /// The count of the key in the same slot.
    counts: Vec<u32>,
    len: usize,
    /// `64 - log2(capacity)`: the hash's high bits index the table.
    shift: u32,
}

impl CountTable {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// Adds `n` to the count of `key` (saturating), inserting the key when new.
    #[inline]
    pub fn add(&mut self, key: u64, n: u32) {
        debug_assert_ne!(key, EMPTY, "the empty marker is not a key");
        if (self.len + 1) * 10 > self.keys.len() * MAX_LOAD_TENTHS {
            self.grow();
        }
        let mask = self.keys.len() - 1;
        let mut i = self.home(key);
        loop {
            let k = self.keys[i];
            if k == key {
                self.counts[i] = self.counts[i].saturating_add(n);
                return;
            }
            if k == EMPTY {
                self.keys[i] = key;
                self.counts[i] = n;
                self.len += 1;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// The count of `key`, if it was counted.
    pub fn get(&self, key: u64) -> Option<u32> {
        if self.keys.is_empty() {
            return None;
        }
        let mask = self.keys.len() - 1;
        let mut i = self.home(key);
        loop {
            let k = self.keys[i];
            if k == key {
                return Some(self.counts[i]);
            }
            if k == EMPTY {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Asks the processor to bring `key`'s slot into cache (a hint: no effect on the counts).
    #[inline]
    pub fn prefetch(&self, key: u64) {
        if self.keys.is_empty() {
            return;
        }
        let i = self.home(key);
        prefetch(self.keys.as_ptr().wrapping_add(i).cast());
        prefetch(self.counts.as_ptr().wrapping_add(i).cast());
    }

    /// Every key with its count, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        (self.keys.iter().zip(&self.counts))
            .filter(|(k, _)| **k != EMPTY)
            .map(|(&k, &n)| (k, n))
    }

    fn grow(&mut self) {
        let capacity = (self.keys.len() * 2).max(MIN_CAPACITY);
        let keys = std::mem::replace(&mut self.keys, vec![EMPTY; capacity]);
        let counts = std::mem::replace(&mut self.counts, vec![0; capacity]);
        self.shift = 64 - capacity.trailing_zeros();
        self.len = 0;
        for (k, n) in keys.into_iter().zip(counts).filter(|(k, _)| *k != EMPTY) {
            self.add(k, n);
        }
    }
}

/// A prefetch of the cache line at `p` (x86-64; elsewhere nothing).
#[inline(always)]
fn prefetch(p: *const i8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint that never faults and reads nothing observable, whatever
    // the address; SSE, which it needs, is part of every x86-64 processor.
    #[allow(unused_unsafe)]
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(p)
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[test]
    fn counts_add_up_and_survive_growth() {
        let mut t = CountTable::default();
        assert!(t.is_empty());
        assert_eq!(t.get(7), None);
        t.prefetch(7);
        for i in 0..10_000u64 {
            t.add(i * 3, 1);
            t.add(i * 3, 2);
        }
        assert_eq!(t.len(), 10_000);
        assert_eq!(t.get(0), Some(3));
        assert_eq!(t.get(29_997), Some(3));
        assert_eq!(t.get(1), None);
        assert_eq!(t.iter().map(|(_, n)| u64::from(n)).sum::<u64>(), 30_000);
    }

    #[test]
    fn counts_saturate() {
        let mut t = CountTable::default();
        t.add(5, u32::MAX - 1);
        t.add(5, 7);
        assert_eq!(t.get(5), Some(u32::MAX));
    }

    #[test]
    fn keys_that_share_a_home_slot_stay_apart() {
        // Keys that differ only in their low bits: the multiplication spreads them, and keys
        // that still collide probe on.
        let mut t = CountTable::default();
        let keys: Vec<u64> = (0..64).map(|i| (1u64 << 40) + i).collect();
        for &k in &keys {
            t.add(k, k as u32);
        }
        for &k in &keys {
            assert_eq!(t.get(k), Some(k as u32));
        }
    }

    proptest! {
        #[test]
        fn agrees_with_a_hash_map(ops in proptest::collection::vec((0u64..500, 1u32..4), 0..2_000)) {
            let mut t = CountTable::default();
            let mut m: HashMap<u64, u32> = HashMap::new();
            for &(k, n) in &ops {
                // Spread the small keys over the whole range, as packed ids are.
                let key = k.wrapping_mul(0x0000_0100_0000_0001);
                t.add(key, n);
                *m.entry(key).or_default() += n;
            }
            prop_assert_eq!(t.len(), m.len());
            let mut listed: Vec<(u64, u32)> = t.iter().collect();
            listed.sort_unstable();
            let mut want: Vec<(u64, u32)> = m.into_iter().collect();
            want.sort_unstable();
            prop_assert_eq!(listed, want);
        }
    }
}
