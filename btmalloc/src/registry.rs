//! The chunk registry: one byte per 2 MiB of address space saying whether
//! btmalloc owns a slab chunk there, so `free` can reject a pointer it did
//! not hand out without ever touching unmapped memory.
//!
//! Entry points: [`init`], [`is_chunk`], [`mark_chunk`]. The map covers the
//! 47-bit user address space: 2^26 bytes reserved with `MAP_NORESERVE`; only
//! the pages holding marked entries ever become resident.

use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, AtomicUsize, Ordering};

use crate::chunk::CHUNK_SHIFT;
use crate::sys;

/// Addresses at or above this are never ours.
const ADDRESS_LIMIT: usize = 1 << 47;
const ENTRIES: usize = ADDRESS_LIMIT >> CHUNK_SHIFT;

/// The process-wide words every `free` reads, kept in one cache line (and
/// behind one GOT entry in `libbtmalloc.so`).
#[repr(C, align(64))]
pub(crate) struct Hot {
    /// The registry byte map (null until [`init`]).
    map: AtomicPtr<AtomicU8>,
    /// The address limit as `free`'s fast path sees it: 0 until
    /// initialisation is complete and while the profiler records, which
    /// sends every `free` to the out-of-line path (so the profiler costs
    /// `free` nothing when it is off); once armed, `ADDRESS_LIMIT` (and
    /// `map` is set). One compare replaces the limit and null tests.
    free_limit: AtomicUsize,
    /// Safe-linking key.
    pub(crate) key: AtomicUsize,
    /// Double-free canary key.
    pub(crate) canary: AtomicUsize,
    /// Corrupted freelist links found (each drops the rest of its list).
    pub(crate) corruptions: AtomicUsize,
    /// The call-site profiler is recording (`BTMALLOC_PROFILE`).
    pub(crate) profile: AtomicBool,
}

/// The hot words.
pub(crate) static HOT: Hot = Hot {
    map: AtomicPtr::new(core::ptr::null_mut()),
    free_limit: AtomicUsize::new(0),
    key: AtomicUsize::new(0),
    canary: AtomicUsize::new(0),
    corruptions: AtomicUsize::new(0),
    profile: AtomicBool::new(false),
};

/// Reserves the map. Returns false if the kernel refuses the reservation.
pub(crate) fn init() -> bool {
    if !HOT.map.load(Ordering::Acquire).is_null() {
        return true;
    }
    let p = sys::map(ENTRIES, true);
    if p.is_null() {
        return false;
    }
    HOT.map.store(p.cast(), Ordering::Release);
    true
}

/// Whether `addr` lies in a chunk that btmalloc registered.
#[inline(always)]
pub(crate) fn is_chunk(addr: usize) -> bool {
    let map = HOT.map.load(Ordering::Relaxed);
    if addr >= ADDRESS_LIMIT || map.is_null() {
        return false;
    }
    // SAFETY: `addr >> CHUNK_SHIFT < ENTRIES`, the length of the mapping.
    unsafe { (*map.add(addr >> CHUNK_SHIFT)).load(Ordering::Relaxed) != 0 }
}

/// Lets `free` use the fast path ([`is_chunk_for_free`]); called at the
/// end of initialisation unless the profiler records.
pub(crate) fn arm_free_path() {
    if !HOT.map.load(Ordering::Acquire).is_null() {
        HOT.free_limit.store(ADDRESS_LIMIT, Ordering::Release);
    }
}

/// [`is_chunk`] for `free`'s fast path: false for everything until
/// [`arm_free_path`].
#[inline(always)]
pub(crate) fn is_chunk_for_free(addr: usize) -> bool {
    if addr >= HOT.free_limit.load(Ordering::Acquire) {
        return false;
    }
    let map = HOT.map.load(Ordering::Relaxed);
    // SAFETY: a non-zero limit is only stored after `map` was set (never
    // reset), and `addr >> CHUNK_SHIFT < ENTRIES` as in `is_chunk`.
    unsafe { (*map.add(addr >> CHUNK_SHIFT)).load(Ordering::Relaxed) != 0 }
}

/// Records that the chunk starting at `base` is ours (never undone: chunks
/// are recycled, not unmapped).
pub(crate) fn mark_chunk(base: usize) {
    let map = HOT.map.load(Ordering::Relaxed);
    if base >= ADDRESS_LIMIT || map.is_null() {
        return;
    }
    // SAFETY: index below ENTRIES, as in `is_chunk`.
    unsafe { (*map.add(base >> CHUNK_SHIFT)).store(1, Ordering::Release) };
}
