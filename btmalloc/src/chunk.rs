//! Chunks: 2 MiB-aligned 2 MiB mappings cut into 512 pages of 4 KiB. The
//! first [`META_PAGES`] pages hold this header and the slab descriptors;
//! the rest hold slabs (a slab spans 1 to 16 pages, a medium block up to
//! 256). Small pages keep a sparse (partition, class) bin cheap: its first
//! slab is a single 4 KiB page.
//!
//! Entry points: [`Chunk::obtain`] (from the global pool or a fresh mmap),
//! [`Chunk::alloc_pages`], [`Chunk::free_pages`], [`Chunk::give_back`],
//! [`slab_of`] (pointer to its slab descriptor). Chunks are never unmapped:
//! an empty chunk has its pages decommitted and goes back to the pool, so a
//! registered address always stays readable.
//!
//! Invariant: bit `i` of `free_mask` is set iff page `i`
//! (`META_PAGES <= i < PAGES`) is in no slab; `dirty_mask` is a subset of
//! `free_mask`; for a page `p` in a slab whose descriptor is `slabs[d]`,
//! `page_slab[p]` is the byte offset of that descriptor from the chunk's
//! start (`slab_offset(d)`), and `page_slab[p] == 0` otherwise; bit `d` of
//! `desc_used` is set iff `slabs[d]` describes a slab.
//!
//! A new slab takes the lowest free descriptor, not the one of its first
//! page: a chunk of 64 KiB slabs then writes two pages of descriptors
//! instead of all 24 (192 bytes for every 4 KiB page, most of them
//! unused, would keep ~5% of the heap resident as metadata).

use core::sync::atomic::{AtomicU32, Ordering};

use crate::bits::Bits512;
use crate::heap::Heap;
use crate::registry;
use crate::slab::Slab;
use crate::sys::{self, SpinLock};

/// log2 of the chunk size.
pub(crate) const CHUNK_SHIFT: u32 = 21;
/// Chunk size: 2 MiB.
pub(crate) const CHUNK: usize = 1 << CHUNK_SHIFT;
/// log2 of the slab page size.
pub(crate) const PAGE_SHIFT: u32 = 12;
/// Slab page size: 4 KiB.
pub(crate) const PAGE: usize = 1 << PAGE_SHIFT;
/// Pages per chunk.
pub(crate) const PAGES: usize = CHUNK / PAGE;
/// Pages at the start of a chunk that hold its header and descriptors.
pub(crate) const META_PAGES: usize = core::mem::size_of::<Chunk>().div_ceil(PAGE);
/// Pages of a chunk that can hold slabs.
pub(crate) const SLAB_PAGES: usize = PAGES - META_PAGES;

const _: () = assert!(PAGES == Bits512::LEN);

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
    pub(crate) free_mask: Bits512,
    /// Free pages whose memory is still committed (a subset of `free_mask`).
    pub(crate) dirty_mask: Bits512,
    /// Pages btmalloc wrote (carved blocks in, or cleared a medium block's
    /// canary in) since the chunk was mapped; kept while pooled. Free ones
    /// among them are committed or `MADV_FREE`d, which still count in the
    /// RSS until the kernel takes them, so they are reused before pages
    /// that were never written (such as the tail of a freed medium block
    /// whose owner only wrote its head), which would fault in new memory.
    touched: Bits512,
    /// Descriptors in use (bit `d`: `slabs[d]`).
    desc_used: Bits512,
    /// Per page, the byte offset of its slab's descriptor from the chunk
    /// start (0: no slab), so `free` finds the descriptor with one load
    /// and one add.
    page_slab: [AtomicU32; PAGES],
    /// Mesh mode (`BTMALLOC_MESH=1`): the chunk's index in the memfd plus
    /// one (0: a private anonymous chunk, never meshed).
    pub(crate) mesh_file: u32,
    /// Per page, the memfd page it maps plus one, when not its own
    /// (0: its own, `(mesh_file - 1) * PAGES + i`). Kept while pooled: the
    /// mapping persists.
    pub(crate) remap: [u32; PAGES],
    /// Per page, a memfd page (plus one) left as a hole when the page was
    /// meshed onto another: the page to map back when it leaves its ring.
    pub(crate) spare: [u32; PAGES],
    /// Per page, the ring id (own memfd page) plus one of the next page of
    /// its ring (pages of the heap's chunks sharing one physical page), 0
    /// if the page is in no ring.
    pub(crate) ring: [u32; PAGES],
    slabs: [Slab; PAGES],
}

/// Which free pages [`Chunk::alloc_pages`] may take.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pages {
    /// Written before (committed or lazily freed).
    Touched,
    /// Still committed.
    Dirty,
    /// Any free page.
    Any,
}

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
/// Returns `None` for the metadata page or a free page.
///
/// # Safety
/// `registry::is_chunk(addr)` must hold.
#[inline(always)]
pub(crate) unsafe fn slab_of(addr: usize) -> Option<core::ptr::NonNull<Slab>> {
    let chunk = (addr & !(CHUNK - 1)) as *mut Chunk;
    let page = (addr >> PAGE_SHIFT) & (PAGES - 1);
    // SAFETY: registered chunks stay mapped; `page < PAGES`.
    let off = unsafe { (*(&raw const (*chunk).page_slab).cast::<AtomicU32>().add(page)).load(Ordering::Relaxed) };
    if off == 0 {
        return None;
    }
    // SAFETY: `off` was written by `alloc_pages`: the non-zero offset of a
    // descriptor in this chunk's header, so the sum is not null.
    Some(unsafe { core::ptr::NonNull::new_unchecked((chunk as usize + off as usize) as *mut Slab) })
}

/// Records that btmalloc wrote the page holding `addr` (in a chunk).
///
/// # Safety
/// `addr` lies in a chunk owned by the calling thread's heap (the mask is
/// owner-only).
pub(crate) unsafe fn mark_touched(addr: usize) {
    let chunk = (addr & !(CHUNK - 1)) as *mut Chunk;
    // SAFETY: the caller's chunk; only its owner writes the mask.
    unsafe { (*chunk).touched.set_range((addr >> PAGE_SHIFT) & (PAGES - 1), 1) };
}

/// Byte offset of slab descriptor `d` from the start of its chunk.
fn slab_offset(d: usize) -> u32 {
    (core::mem::offset_of!(Chunk, slabs) + d * core::mem::size_of::<Slab>()) as u32
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
            (*c).free_mask = Bits512::range(META_PAGES, SLAB_PAGES);
            (*c).dirty_mask = Bits512::default();
            (*c).desc_used = Bits512::default();
        }
        c
    }

    /// Whether no slab uses the chunk.
    pub(crate) fn is_empty(&self) -> bool {
        self.free_mask.count() == SLAB_PAGES
    }

    /// Returns an empty chunk ([`Chunk::is_empty`]) to the pool, purged.
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

    /// Finds `n` consecutive free pages (of `which` kind), gives them the
    /// lowest free descriptor, and returns it (null if no run is free), how
    /// many of the pages were dirty, and the address of the first page.
    pub(crate) fn alloc_pages(&mut self, n: u16, which: Pages) -> (*mut Slab, usize, usize) {
        let n = usize::from(n);
        let mask = match which {
            Pages::Touched => self.free_mask.and(&self.touched),
            Pages::Dirty => self.free_mask.and(&self.dirty_mask),
            Pages::Any => self.free_mask,
        };
        let Some(first) = mask.find_run(n, META_PAGES) else {
            return (core::ptr::null_mut(), 0, 0);
        };
        // There are as many descriptors as pages, so one is free whenever
        // a page is.
        let Some(d) = self.desc_used.first_clear() else {
            return (core::ptr::null_mut(), 0, 0);
        };
        self.desc_used.set_range(d, 1);
        let dirty = Bits512::range(first, n).and(&self.dirty_mask).count();
        self.free_mask.clear_range(first, n);
        self.dirty_mask.clear_range(first, n);
        for p in first..first + n {
            if let Some(slot) = self.page_slab.get(p) {
                slot.store(slab_offset(d), Ordering::Relaxed);
            }
        }
        let s = self.slabs.get_mut(d).map_or(core::ptr::null_mut(), |s| s as *mut Slab);
        (s, dirty, self.page_addr(first))
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
        let d = (slab as *mut Slab as usize - self.slabs.as_ptr() as usize) / core::mem::size_of::<Slab>();
        self.desc_used.clear_range(d, 1);
        slab.live = false;
        // Under `pages_lock` (see `Slab::reserve`): a released slab is no
        // reserve, and its descriptor is reused as a fresh one.
        slab.reserve.store(crate::slab::RESERVE_NONE, Ordering::Relaxed);
        for p in first..first + n {
            if let Some(slot) = self.page_slab.get(p) {
                slot.store(0, Ordering::Relaxed);
            }
        }
        self.free_mask.set_range(first, n);
        self.dirty_mask.set_range(first, n);
        n
    }

    /// Decommits the pages of the slabs kept as bin reserves
    /// ([`crate::slab::RESERVE_KEPT`]) and marks them purged; returns the
    /// pages. Called by the background releaser under the heap's
    /// `pages_lock`, which the owner takes to set or clear the mark: a kept
    /// slab holds no block, its free list is out of reach of allocations
    /// and frees until the owner cleared the mark, so nothing reads or
    /// writes its pages meanwhile.
    pub(crate) fn purge_reserves(&mut self) -> usize {
        let mesh = self.mesh_file != 0 && crate::mesh::active();
        let mut n = 0;
        let mut p = META_PAGES;
        while p < PAGES {
            let off = self.page_slab.get(p).map_or(0, |o| o.load(Ordering::Relaxed));
            p += 1;
            if off == 0 {
                continue;
            }
            let s = (self as *mut Chunk as usize + off as usize) as *mut Slab;
            // SAFETY: a descriptor of this chunk; `reserve` is atomic.
            if unsafe { (*s).reserve.load(Ordering::Relaxed) } != crate::slab::RESERVE_KEPT {
                continue;
            }
            // SAFETY: a kept slab is live and initialised, and its start
            // and length only change after `free_pages`, under the lock
            // the caller holds.
            let (start, pages) = unsafe { ((*s).start, usize::from((*s).pages)) };
            if start != self.page_addr(p - 1) {
                continue;
            }
            let len = pages << PAGE_SHIFT;
            if mesh {
                // SAFETY: the kept slab's pages hold no block; kept slabs
                // are never meshed, so they share no physical page.
                unsafe { crate::mesh::decommit(start as *mut u8, len) };
            } else {
                // SAFETY: the kept slab's pages hold no block.
                unsafe { sys::decommit(start as *mut u8, len) };
            }
            // SAFETY: as above.
            unsafe { (*s).reserve.store(crate::slab::RESERVE_PURGED, Ordering::Relaxed) };
            n += pages;
            p += pages - 1;
        }
        n
    }

    /// Decommits every dirty free page; returns how many there were.
    pub(crate) fn purge(&mut self) -> usize {
        let mask = self.dirty_mask.and(&self.free_mask);
        let mesh = self.mesh_file != 0 && crate::mesh::active();
        // Outside mesh mode, one call per run of free pages holding a dirty
        // one: the clean free pages between dirty ones hold no block either
        // (giving them back again costs nothing), and slabs pinned by a few
        // blocks cut the dirty pages into many short runs (mstress P=64
        // made ~40,000 calls).
        let runs = if mesh { mask } else { self.free_mask };
        let mut from = 0;
        while let Some((first, run)) = runs.next_run(from) {
            from = first + run;
            if !mesh && mask.next_run(first).is_none_or(|(d, _)| d >= from) {
                continue;
            }
            let (p, len) = (self.page_addr(first) as *mut u8, run << PAGE_SHIFT);
            if mesh {
                // SAFETY: free pages of our chunk hold no live block and
                // share no physical page with another (`mesh::unmesh_slab`).
                unsafe { crate::mesh::decommit(p, len) };
            } else {
                // SAFETY: free pages of our chunk hold no live block.
                unsafe { sys::decommit(p, len) };
            }
        }
        self.dirty_mask = Bits512::default();
        mask.count()
    }
}

/// A fresh 2 MiB-aligned chunk (from the arena, else mapped), registered.
fn map_aligned() -> *mut Chunk {
    let fresh = registry::arena_chunk();
    let base = if fresh.is_null() { map_outside() } else { fresh as usize };
    if base == 0 {
        return core::ptr::null_mut();
    }
    // In mesh mode the chunk is a window of the memfd (else it stays a
    // private mapping and is never meshed).
    let file = crate::mesh::map_chunk(base);
    registry::mark_chunk(base);
    let c = base as *mut Chunk;
    // SAFETY: a fresh chunk nobody else sees yet.
    unsafe { (*c).mesh_file = file };
    c
}

/// Maps a 2 MiB-aligned chunk outside the arena; returns its address or 0.
fn map_outside() -> usize {
    let raw = sys::map(2 * CHUNK, false);
    if raw.is_null() {
        return 0;
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
    base
}
