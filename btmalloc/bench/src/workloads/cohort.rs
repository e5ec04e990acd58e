//! Call-site cohort fragmentation: 64 call sites allocate blocks of the
//! same size range, interleaved in time; 8 of the sites make long-lived
//! blocks (a cache that is never trimmed), the other 56 make temporaries
//! that live for the next 300,000 allocations. At the end the temporaries
//! are freed and the settled footprint is measured against the long-lived
//! bytes. An allocator that groups blocks by size only has long-lived
//! blocks scattered over pages the temporaries shared, and cannot give
//! those pages back; one that keeps each site's blocks apart (btmalloc
//! with partitions) can give back the temporaries' pages whole.

use std::collections::VecDeque;

use super::{Outcome, Rng, alloc, release, settle};

const SITES: u64 = 64;
/// Sites `0..LONG_SITES` make long-lived blocks.
const LONG_SITES: u64 = 8;
const ALLOCATIONS: usize = 2_000_000;
/// How many allocations a temporary outlives.
const WINDOW: usize = 300_000;

/// Runs the workload and measures its settled footprint.
pub(crate) fn run() -> Outcome {
    let mut rng = Rng(0xc0_4047);
    let mut long: Vec<*mut u8> = Vec::with_capacity(ALLOCATIONS / 4);
    let mut temps: VecDeque<*mut u8> = VecDeque::with_capacity(WINDOW + 1);
    let mut live = 0u64;
    let mut ops = 0u64;
    for _ in 0..ALLOCATIONS {
        let site = rng.next() % SITES;
        let n = rng.size(32, 512);
        let p = alloc(site as usize, n);
        ops += 1;
        if site < LONG_SITES {
            long.push(p);
            live += n as u64;
        } else {
            temps.push_back(p);
            if temps.len() > WINDOW
                && let Some(old) = temps.pop_front()
            {
                release(old);
                ops += 1;
            }
        }
    }
    ops += temps.len() as u64;
    temps.into_iter().for_each(release);
    let table_bytes = (long.capacity() * std::mem::size_of::<*mut u8>()) as u64;
    let (excluded_ns, settled) = settle("cohort", live);
    long.into_iter().for_each(release);
    Outcome { ops, excluded_ns, settled_kib: Some(settled), live_bytes: live, table_bytes }
}
