//! The chunk registry: one byte per 2 MiB of address space saying whether
//! btmalloc owns a slab chunk there, so `free` can reject a pointer it did
//! not hand out without ever touching unmapped memory.
//!
//! Entry points: [`init`], [`is_chunk`], [`mark_chunk`], [`arena_chunk`].
//! The map covers the 47-bit user address space: 2^26 bytes reserved with
//! `MAP_NORESERVE`; only the pages holding marked entries ever become
//! resident.
//!
//! Chunks are carved first from the *arena*, one readable and writable
//! `MAP_NORESERVE` reservation made at start-up (64 GiB, else 4 GiB,
//! 1 GiB, 256 MiB, else none: `RLIMIT_AS`, strict overcommit), so
//! `free`'s fast path tells "one of our chunks" with one range compare
//! instead of a map lookup: every arena address is readable (never-used
//! parts read as zeros, so their page-to-slab entries say "no slab" and a
//! stray pointer there is rejected as foreign). Chunks mapped after the
//! arena is used up (or without one) are found through the map, off the
//! fast path.

use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, AtomicUsize, Ordering};

use crate::chunk::{CHUNK, CHUNK_SHIFT};
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
    /// The arena length as `free`'s fast path sees it: 0 until
    /// initialisation is complete and while the profiler records, which
    /// sends every `free` to the out-of-line path (so the profiler costs
    /// `free` nothing when it is off); once armed, the arena's length.
    free_limit: AtomicUsize,
    /// Start of the arena (2 MiB-aligned; 0 without one).
    arena_base: AtomicUsize,
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
    arena_base: AtomicUsize::new(0),
    key: AtomicUsize::new(0),
    canary: AtomicUsize::new(0),
    corruptions: AtomicUsize::new(0),
    profile: AtomicBool::new(false),
};

/// Arena sizes tried in turn (a refused reservation, say under
/// `RLIMIT_AS` or strict overcommit, tries the next).
const ARENA_SIZES: [usize; 4] = [64 << 30, 4 << 30, 1 << 30, 256 << 20];

/// Arena length (0: no arena) and the next unused offset in it.
static ARENA_LEN: AtomicUsize = AtomicUsize::new(0);
static ARENA_NEXT: AtomicUsize = AtomicUsize::new(0);

/// Reserves the map and the arena. Returns false if the kernel refuses
/// the map's reservation (the arena is optional).
pub(crate) fn init() -> bool {
    if !HOT.map.load(Ordering::Acquire).is_null() {
        return true;
    }
    let p = sys::map(ENTRIES, true);
    if p.is_null() {
        return false;
    }
    HOT.map.store(p.cast(), Ordering::Release);
    for len in ARENA_SIZES {
        let raw = sys::map(len + CHUNK, true);
        if !raw.is_null() {
            let base = (raw as usize + CHUNK - 1) & !(CHUNK - 1);
            HOT.arena_base.store(base, Ordering::Relaxed);
            ARENA_LEN.store(len, Ordering::Relaxed);
            break;
        }
    }
    true
}

/// A fresh 2 MiB chunk from the arena (zeroed, never used), or null once
/// the arena is used up (or there is none).
pub(crate) fn arena_chunk() -> *mut u8 {
    let len = ARENA_LEN.load(Ordering::Relaxed);
    if len == 0 {
        return core::ptr::null_mut();
    }
    let off = ARENA_NEXT.fetch_add(CHUNK, Ordering::Relaxed);
    if off >= len {
        ARENA_NEXT.store(len, Ordering::Relaxed);
        return core::ptr::null_mut();
    }
    (HOT.arena_base.load(Ordering::Relaxed) + off) as *mut u8
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

/// Lets `free` use the fast path ([`in_arena_for_free`]); called at the
/// end of initialisation unless the profiler records.
pub(crate) fn arm_free_path() {
    HOT.free_limit.store(ARENA_LEN.load(Ordering::Relaxed), Ordering::Release);
}

/// `free`'s fast test: whether `addr` lies in the arena (false for
/// everything until [`arm_free_path`], and without an arena). Every arena
/// address is readable, so [`crate::chunk::slab_of`] may look it up; a
/// chunk outside the arena is found by [`is_chunk`] off the fast path.
#[inline(always)]
pub(crate) fn in_arena_for_free(addr: usize) -> bool {
    addr.wrapping_sub(HOT.arena_base.load(Ordering::Relaxed)) < HOT.free_limit.load(Ordering::Acquire)
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
