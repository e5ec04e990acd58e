//! A census of where the heaps' resident memory is: slab pages by how full
//! their slab is, empty slabs a bin keeps as its reserve, frozen (meshed)
//! slabs, medium blocks, committed free pages and chunk metadata. For
//! `malloc_stats`, the footprint tests and the benchmark's explanations.
//!
//! Entry point: [`take`]. It reads other threads' heaps without their
//! locks, so its figures are exact only while the process is quiet (the
//! reads are of plain words in mappings that stay mapped: racing is
//! harmless, the counts are just approximate then). Residency comes from
//! `mincore`, which also counts pages given back with `MADV_FREE` that the
//! kernel has not taken yet: free pages are therefore counted from the
//! chunks' committed-page masks instead.

use crate::chunk::{self, Chunk, META_PAGES, PAGE, PAGES};
use crate::heap;

/// Resident 4 KiB pages by what holds them, and live bytes in slabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Census {
    /// Chunks owned by heaps.
    pub chunks: usize,
    /// Resident pages of chunk headers and slab descriptors.
    pub meta_pages: usize,
    /// Resident pages of small slabs by occupancy (`used / capacity`):
    /// `[0, 1/8], (1/8, 1/4], (1/4, 1/2], (1/2, 1)`, full (`used ==
    /// capacity`, listed or not). Empty slabs are in `reserve_pages`.
    pub slab_pages: [usize; 5],
    /// Resident pages of empty slabs kept in their bins.
    pub reserve_pages: usize,
    /// Empty slabs kept in their bins.
    pub reserve_slabs: usize,
    /// Of those, how many the background releaser has decommitted (their
    /// pages are not counted in `reserve_pages`: `mincore` still sees
    /// pages given back with `MADV_FREE`).
    pub reserve_purged: usize,
    /// Resident pages of frozen (meshed) slabs, each physical page counted
    /// once per virtual page that maps it.
    pub meshed_pages: usize,
    /// Resident pages of medium blocks.
    pub medium_pages: usize,
    /// Free pages still committed (not yet decommitted).
    pub dirty_pages: usize,
    /// Bytes of the blocks handed out from small slabs (rounded to their
    /// class size).
    pub small_used_bytes: usize,
}

impl Census {
    /// Resident pages of small slabs, whatever their occupancy (reserve
    /// and meshed ones included).
    #[must_use]
    pub fn small_pages(&self) -> usize {
        self.slab_pages.iter().sum::<usize>() + self.reserve_pages + self.meshed_pages
    }
}

/// Counts every heap's chunks now (see the module notes on racing).
#[must_use]
pub(crate) fn take() -> Census {
    let mut c = Census::default();
    heap::for_each_heap(|h| {
        // SAFETY: heaps are never freed; their chunk lists only hold chunks
        // of theirs, which stay mapped (chunks are never unmapped).
        let mut ch = unsafe { heap::Heap::chunk_list(h) };
        while !ch.is_null() {
            // SAFETY: as above.
            let chunk = unsafe { &*ch };
            count_chunk(chunk, &mut c);
            ch = chunk.next;
        }
    });
    c
}

fn count_chunk(chunk: &Chunk, c: &mut Census) {
    c.chunks += 1;
    let mut resident = [0u8; PAGES];
    let base = chunk as *const Chunk as usize;
    // SAFETY: the chunk is one mapping of `PAGES` pages; `resident` has a
    // byte per page.
    if unsafe { libc::mincore(base as *mut libc::c_void, chunk::CHUNK, resident.as_mut_ptr()) } != 0 {
        return;
    }
    let count =
        |from: usize, n: usize| resident.get(from..from + n).map_or(0, |r| r.iter().filter(|&&b| b & 1 != 0).count());
    c.meta_pages += count(0, META_PAGES);
    c.dirty_pages += chunk.dirty_mask.and(&chunk.free_mask).count();
    let mut p = META_PAGES;
    while p < PAGES {
        // SAFETY: `p` is a page of a registered chunk.
        let Some(s) = (unsafe { chunk::slab_of(chunk.page_addr(p)) }) else {
            p += 1;
            continue;
        };
        // SAFETY: descriptors stay in the chunk header (see module notes).
        let slab = unsafe { s.as_ref() };
        let first = (slab.start >> chunk::PAGE_SHIFT) & (PAGES - 1);
        let pages = usize::from(slab.pages).max(1);
        if first != p {
            p += 1;
            continue;
        }
        p += pages;
        let here = count(first, pages);
        if slab.bin == heap::NO_BIN {
            c.medium_pages += here;
            continue;
        }
        c.small_used_bytes += slab.used as usize * slab.block_size as usize;
        if slab.meshed {
            c.meshed_pages += here;
        } else if slab.used == 0 {
            c.reserve_slabs += 1;
            if slab.reserve.load(core::sync::atomic::Ordering::Relaxed) == crate::slab::RESERVE_PURGED {
                c.reserve_purged += 1;
            } else {
                c.reserve_pages += here;
            }
        } else {
            let (u, cap) = (slab.used as usize, slab.capacity.max(1) as usize);
            let k = if u == cap {
                4
            } else if u * 8 <= cap {
                0
            } else if u * 4 <= cap {
                1
            } else if u * 2 <= cap {
                2
            } else {
                3
            };
            if let Some(slot) = c.slab_pages.get_mut(k) {
                *slot += here;
            }
        }
    }
}

const _: () = assert!(PAGE == crate::sys::OS_PAGE);
