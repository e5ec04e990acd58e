//! Interned partitions: each distinct call site gets the next partition
//! number in first-seen order, until the `P` partitions run out; later
//! sites fall back to the hashed partition.
//!
//! Entry point: [`Interner::partition`] (and the process-wide [`SITES`]).
//! Lock-free: a site claims a slot of an open-addressing table with one
//! CAS on its key, then publishes its number; a reader that finds the key
//! but not yet the number uses the hashed partition for that call.
//!
//! Invariant: `ids[i] != PENDING` implies `keys[i] != 0`; each site is
//! normally in at most one slot (two threads inserting the same new site at
//! once may give it two slots, and so two partitions: harmless).

use core::sync::atomic::{AtomicU16, AtomicUsize, Ordering};

const SLOTS: usize = 4096;
const PROBES: usize = 16;
const PENDING: u16 = u16::MAX;

/// A site-to-partition table.
pub(crate) struct Interner {
    keys: [AtomicUsize; SLOTS],
    ids: [AtomicU16; SLOTS],
    next: AtomicUsize,
}

/// The process-wide table.
pub(crate) static SITES: Interner = Interner::new();

impl Interner {
    /// An empty table.
    pub(crate) const fn new() -> Interner {
        Interner {
            keys: [const { AtomicUsize::new(0) }; SLOTS],
            ids: [const { AtomicU16::new(PENDING) }; SLOTS],
            next: AtomicUsize::new(0),
        }
    }

    /// The partition of `site` among `mask + 1` partitions (`hashed` is the
    /// fallback partition for this site).
    #[inline]
    pub(crate) fn partition(&self, site: usize, mask: usize, hashed: usize) -> usize {
        let key = site | 1 << 63; // never 0
        let mut i = (site.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 52) % SLOTS;
        for _ in 0..PROBES {
            let (Some(k), Some(id)) = (self.keys.get(i), self.ids.get(i)) else {
                return hashed;
            };
            let cur = k.load(Ordering::Acquire);
            if cur == key {
                let id = id.load(Ordering::Acquire);
                return if id == PENDING { hashed } else { usize::from(id) };
            }
            if cur == 0 {
                return self.insert(k, id, key, mask, hashed);
            }
            i = (i + 1) % SLOTS;
        }
        hashed
    }

    #[cold]
    fn insert(&self, k: &AtomicUsize, id: &AtomicU16, key: usize, mask: usize, hashed: usize) -> usize {
        match k.compare_exchange(0, key, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => {
                let n = self.next.fetch_add(1, Ordering::Relaxed);
                let part = if n <= mask { n } else { hashed };
                id.store(part as u16, Ordering::Release);
                part
            }
            // Another site took the slot (or this one, concurrently): the
            // hashed partition is right for this one call.
            Err(_) => hashed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_get_partitions_in_first_seen_order_then_hashed() {
        let t = Box::new(Interner::new());
        let mask = 7;
        let sites: Vec<usize> = (0..20).map(|i| 0x40_0000 + i * 0x37).collect();
        let first: Vec<usize> = sites.iter().map(|&s| t.partition(s, mask, 99)).collect();
        assert_eq!(&first[..8], &[0, 1, 2, 3, 4, 5, 6, 7]);
        assert!(first[8..].iter().all(|&p| p == 99), "past P sites use the hashed partition");
        let again: Vec<usize> = sites.iter().map(|&s| t.partition(s, mask, 98)).collect();
        assert_eq!(&again[..8], &first[..8], "a site keeps its partition");
    }
}
