//! The chunk registry: one byte per 2 MiB of address space saying whether
//! btmalloc owns a slab chunk there, so `free` can reject a pointer it did
//! not hand out without ever touching unmapped memory.
//!
//! Entry points: [`init`], [`is_chunk`], [`mark_chunk`]. The map covers the
//! 47-bit user address space: 2^26 bytes reserved with `MAP_NORESERVE`; only
//! the pages holding marked entries ever become resident.

use core::sync::atomic::{AtomicPtr, AtomicU8, Ordering};

use crate::chunk::CHUNK_SHIFT;
use crate::sys;

/// Addresses at or above this are never ours.
const ADDRESS_LIMIT: usize = 1 << 47;
const ENTRIES: usize = ADDRESS_LIMIT >> CHUNK_SHIFT;

static MAP: AtomicPtr<AtomicU8> = AtomicPtr::new(core::ptr::null_mut());

/// Reserves the map. Returns false if the kernel refuses the reservation.
pub(crate) fn init() -> bool {
    if !MAP.load(Ordering::Acquire).is_null() {
        return true;
    }
    let p = sys::map(ENTRIES, true);
    if p.is_null() {
        return false;
    }
    MAP.store(p.cast(), Ordering::Release);
    true
}

/// Whether `addr` lies in a chunk that btmalloc registered.
#[inline(always)]
pub(crate) fn is_chunk(addr: usize) -> bool {
    let map = MAP.load(Ordering::Relaxed);
    if addr >= ADDRESS_LIMIT || map.is_null() {
        return false;
    }
    // SAFETY: `addr >> CHUNK_SHIFT < ENTRIES`, the length of the mapping.
    unsafe { (*map.add(addr >> CHUNK_SHIFT)).load(Ordering::Relaxed) != 0 }
}

/// Records that the chunk starting at `base` is ours (never undone: chunks
/// are recycled, not unmapped).
pub(crate) fn mark_chunk(base: usize) {
    let map = MAP.load(Ordering::Relaxed);
    if base >= ADDRESS_LIMIT || map.is_null() {
        return;
    }
    // SAFETY: index below ENTRIES, as in `is_chunk`.
    unsafe { (*map.add(base >> CHUNK_SHIFT)).store(1, Ordering::Release) };
}
