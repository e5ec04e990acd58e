//! Chunks: 2 MiB-aligned 2 MiB mappings cut into 128 pages of 16 KiB. Pages
//! 0 and 1 hold this header and the slab descriptors; pages 2..128 hold
//! slabs (a slab spans 1 to 8 pages).
//!
//! Entry points: [`Chunk::obtain`] (from the global pool or a fresh mmap),
//! [`Chunk::alloc_pages`], [`Chunk::free_pages`], [`Chunk::give_back`],
//! [`slab_of`] (pointer to its slab descriptor). Chunks are never unmapped:
//! an empty chunk has its pages decommitted and goes back to the pool, so a
//! registered address always stays readable.
//!
//! Invariant: bit `i` of `free_mask` is set iff page `i` (2 <= i < 128) is in
//! no slab; for a page `p` in a slab starting at page `s`, `page_slab[p] == s`
//! and `page_slab[p] == 0` otherwise.

use core::sync::atomic::{AtomicU8, Ordering};

use crate::heap::Heap;
use crate::registry;
use crate::slab::Slab;
use crate::sys::{self, SpinLock};

/// log2 of the chunk size.
pub(crate) const CHUNK_SHIFT: u32 = 21;
/// Chunk size: 2 MiB.
pub(crate) const CHUNK: usize = 1 << CHUNK_SHIFT;
/// log2 of the slab page size.
pub(crate) const PAGE_SHIFT: u32 = 14;
/// Slab page size: 16 KiB.
pub(crate) const PAGE: usize = 1 << PAGE_SHIFT;
/// Pages per chunk.
pub(crate) const PAGES: usize = CHUNK / PAGE;
/// `free_mask` of a chunk with every slab page free.
pub(crate) const ALL_FREE: u128 = !((1u128 << META_PAGES) - 1);
/// Pages at the start of a chunk that hold its header and descriptors.
pub(crate) const META_PAGES: usize = 2;

const MAGIC: usize = 0x6274_6d61_6c6c_6f63; // "btmalloc"

/// The header at the start of every chunk.
#[repr(C)]
pub(crate) struct Chunk {
    magic: usize,
    /// Owning heap (null while pooled).
    pub(crate) heap: *mut Heap,
    /// Links in the owner's chunk list or in the global pool.
    pub(crate) next: *mut Chunk,
    pub(crate) prev: *mut Chunk,
    /// Free pages (bit per page).
    pub(crate) free_mask: u128,
    /// Free pages whose memory is still committed (a subset of `free_mask`).
    pub(crate) dirty_mask: u128,
    page_slab: [AtomicU8; PAGES],
    slabs: [Slab; PAGES],
}

const _: () = assert!(core::mem::size_of::<Chunk>() <= META_PAGES * PAGE);

/// The global pool of empty chunks (linked through `next`).
struct Pool {
    head: *mut Chunk,
}

// SAFETY: the pool is only touched under its lock.
unsafe impl Send for Pool {}

static POOL: SpinLock<Pool> = SpinLock::new(Pool { head: core::ptr::null_mut() });

/// Takes the pool lock (fork handler).
pub(crate) fn lock_pool() {
    POOL.acquire();
}

/// Releases the pool lock (fork handler).
pub(crate) fn unlock_pool() {
    POOL.release();
}

/// The slab descriptor covering `addr`, which must lie in a registered chunk.
/// Returns null for the metadata page or a free page.
///
/// # Safety
/// `registry::is_chunk(addr)` must hold.
#[inline(always)]
pub(crate) unsafe fn slab_of(addr: usize) -> *mut Slab {
    let chunk = (addr & !(CHUNK - 1)) as *mut Chunk;
    let page = (addr >> PAGE_SHIFT) & (PAGES - 1);
    // SAFETY: registered chunks stay mapped; `page < PAGES`.
    let id = unsafe { (*(&raw const (*chunk).page_slab).cast::<AtomicU8>().add(page)).load(Ordering::Relaxed) };
    if id == 0 {
        return core::ptr::null_mut();
    }
    // SAFETY: `id < PAGES`, an index into `slabs`.
    unsafe { (&raw mut (*chunk).slabs).cast::<Slab>().add(usize::from(id) & (PAGES - 1)) }
}

impl Chunk {
    /// An empty chunk owned by `heap`: from the pool, else freshly mapped.
    /// Null if the system is out of memory.
    pub(crate) fn obtain(heap: *mut Heap) -> *mut Chunk {
        let pooled = POOL.with(|pool| {
            let c = pool.head;
            if !c.is_null() {
                // SAFETY: pooled chunks are valid headers.
                pool.head = unsafe { (*c).next };
            }
            c
        });
        let c = if pooled.is_null() { map_aligned() } else { pooled };
        if c.is_null() {
            return c;
        }
        // SAFETY: `c` is a chunk header nobody else uses.
        unsafe {
            (*c).magic = MAGIC;
            (*c).heap = heap;
            (*c).next = core::ptr::null_mut();
            (*c).prev = core::ptr::null_mut();
            (*c).free_mask = ALL_FREE;
            (*c).dirty_mask = 0;
        }
        c
    }

    /// Returns an empty chunk (`free_mask == ALL_FREE`) to the pool, purged.
    ///
    /// # Safety
    /// `c` is an empty chunk unlinked from its heap.
    pub(crate) unsafe fn give_back(c: *mut Chunk) {
        // SAFETY: we own `c`.
        unsafe { (*c).purge() };
        POOL.with(|pool| {
            // SAFETY: we own `c` now.
            unsafe {
                (*c).heap = core::ptr::null_mut();
                (*c).next = pool.head;
            }
            pool.head = c;
        });
    }

    /// Finds `n` consecutive free pages (only still-committed ones if
    /// `dirty_only`), marks them as slab `first`, and returns the descriptor
    /// (null if no run is free).
    pub(crate) fn alloc_pages(&mut self, n: u8, dirty_only: bool) -> *mut Slab {
        let run = (1u128 << n) - 1;
        let mask = if dirty_only { self.free_mask & self.dirty_mask } else { self.free_mask };
        if mask == 0 {
            return core::ptr::null_mut();
        }
        let mut first = META_PAGES.max(mask.trailing_zeros() as usize);
        while first + usize::from(n) <= PAGES {
            if (mask >> first) & run == run {
                self.free_mask &= !(run << first);
                self.dirty_mask &= !(run << first);
                for p in first..first + usize::from(n) {
                    if let Some(slot) = self.page_slab.get(p) {
                        slot.store(first as u8, Ordering::Relaxed);
                    }
                }
                return self.slabs.get_mut(first).map_or(core::ptr::null_mut(), |s| s as *mut Slab);
            }
            first += 1;
        }
        core::ptr::null_mut()
    }

    /// Address of slab descriptor 0.
    pub(crate) fn slabs_base(&self) -> usize {
        self.slabs.as_ptr() as usize
    }

    /// Address of page `first`.
    pub(crate) fn page_addr(&self, first: usize) -> usize {
        self as *const Chunk as usize + (first << PAGE_SHIFT)
    }

    /// Frees the pages of `slab` (which must be in this chunk). Their memory
    /// stays committed (dirty) until [`Chunk::purge`]. Returns the page count.
    pub(crate) fn free_pages(&mut self, slab: &mut Slab) -> usize {
        let first = (slab.start >> PAGE_SHIFT) & (PAGES - 1);
        let n = usize::from(slab.pages);
        slab.live = false;
        for p in first..first + n {
            if let Some(slot) = self.page_slab.get(p) {
                slot.store(0, Ordering::Relaxed);
            }
        }
        let bits = ((1u128 << n) - 1) << first;
        self.free_mask |= bits;
        self.dirty_mask |= bits;
        n
    }

    /// Decommits every dirty free page; returns how many there were.
    pub(crate) fn purge(&mut self) -> usize {
        let mut mask = self.dirty_mask & self.free_mask;
        let count = mask.count_ones() as usize;
        while mask != 0 {
            let first = mask.trailing_zeros() as usize;
            let run = (mask >> first).trailing_ones() as usize;
            // SAFETY: free pages of our chunk hold no live block.
            unsafe { sys::decommit(self.page_addr(first) as *mut u8, run << PAGE_SHIFT) };
            mask &= !(((1u128 << run) - 1) << first);
        }
        self.dirty_mask = 0;
        count
    }
}

/// Maps a fresh 2 MiB-aligned chunk and registers it.
fn map_aligned() -> *mut Chunk {
    let raw = sys::map(2 * CHUNK, false);
    if raw.is_null() {
        return core::ptr::null_mut();
    }
    let start = raw as usize;
    let base = (start + CHUNK - 1) & !(CHUNK - 1);
    // SAFETY: trimming the unused head and tail of our own mapping.
    unsafe {
        if base > start {
            sys::unmap(raw, base - start);
        }
        let tail = start + 2 * CHUNK - (base + CHUNK);
        if tail > 0 {
            sys::unmap((base + CHUNK) as *mut u8, tail);
        }
    }
    registry::mark_chunk(base);
    base as *mut Chunk
}
