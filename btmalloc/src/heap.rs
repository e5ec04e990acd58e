//! Heaps: one per running thread, each holding a bin (list of slabs) per
//! (partition, size class). Heaps are pooled and reused, never freed, so a
//! pointer to a heap stays valid forever (remote frees rely on this).
//!
//! Entry points: [`alloc_small`] (fast path, inlined), [`free_small`],
//! [`Heap::acquire`] / [`Heap::release`] (thread start and exit).
//!
//! Invariants: a slab with `live && !in_full` is in exactly one bin list,
//! the list `bins[slab.bin]`; a slab with `in_full` is in no list and has
//! [`FULL_FLAG`](crate::slab::FULL_FLAG) set in `thread_free` until either
//! a remote free clears it (and pushes the slab on `reclaim`) or the owner,
//! having freed a quarter of its blocks, clears it (and lists the slab).
//! Whoever clears the flag, in one atomic operation, relists the slab.

use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

use crate::chunk::{self, Chunk, PAGE, Pages};
use crate::size_class::{CLASS_COUNT, class_size};
use crate::slab::Slab;
use crate::sys::{self, SpinLock};

/// A heap. `bins` points at `partitions << BIN_SHIFT` slab-list heads
/// stored right after the struct in the same mapping.
#[repr(C)]
pub(crate) struct Heap {
    /// Safe-linking key (copy of the process key).
    pub(crate) key: usize,
    /// `partitions - 1`.
    part_mask: usize,
    /// `part_mask << BIN_SHIFT`.
    bin_mask: usize,
    /// Partitions are interned per site rather than hashed.
    interned: bool,
    /// Allocations must take the out-of-line path (interned partitions or
    /// the profiler): the one flag the fast path tests.
    pub(crate) special: bool,
    bins: *mut *mut Slab,
    /// Per bin, how many slabs it owns (listed or full; saturating).
    owned: *mut u16,
    nbins: usize,
    /// Chunks this heap carves slabs from.
    chunks: *mut Chunk,
    /// Free slab pages still committed, over all chunks (`sum(|dirty_mask|)`).
    dirty_pages: usize,
    /// Next heap in the free pool.
    pool_next: *mut Heap,
    /// Slabs handed back by frees after being marked full.
    pub(crate) reclaim: AtomicPtr<Slab>,
    /// Guards `chunks`, the chunks' page masks and `dirty_pages` against
    /// the background releaser (the owner takes it only on slab creation
    /// and release, never on the block fast path).
    pages_lock: AtomicBool,
    /// Dirty pages reused so far (the releaser leaves a heap alone while
    /// this moves: it is recycling its free pages itself).
    dirty_reused: usize,
    /// `dirty_reused` at the releaser's previous look (releaser-only).
    releaser_seen: usize,
    /// Next heap ever created (immutable once published in `ALL_HEAPS`).
    all_next: *mut Heap,
    /// Page runs taken since the last [`Heap::collect_remote`].
    runs_since_collect: u32,
    /// Empty slabs kept as bin reserves since the releaser's last look
    /// (guarded by `pages_lock`): the releaser decommits their pages once
    /// the heap is quiet.
    reserves_pending: usize,
    /// Mesh mode: pages of slabs that were full and are listed again (they
    /// lost blocks) since the last mesh pass (owner-only).
    mesh_pending: usize,
    /// Chunks in `chunks`.
    chunk_count: usize,
    /// [`sys::coarse_ms`] at the end of the last automatic mesh pass.
    mesh_last_ms: u64,
}

/// Runs of at most this many pages look for written pages first.
const SHORT_RUN: u16 = 4;

/// Page runs a heap takes between two collections of all its slabs'
/// remote frees (each walks every bin).
const COLLECT_EVERY: u32 = 256;

/// Every heap ever created (heaps are never freed), newest first.
static ALL_HEAPS: AtomicPtr<Heap> = AtomicPtr::new(core::ptr::null_mut());

/// Calls `f` on every heap ever created (pooled ones included).
pub(crate) fn for_each_heap(mut f: impl FnMut(*mut Heap)) {
    let mut h = ALL_HEAPS.load(Ordering::Acquire);
    while !h.is_null() {
        f(h);
        // SAFETY: published heaps are never freed and `all_next` is fixed.
        h = unsafe { (*h).all_next };
    }
}

/// Mesh mode: pages of slabs that were full and lost blocks since the last
/// look after which the heap's next new slab meshes first (16 MiB), or
/// half the heap's chunk pages if that is more: a burst of frees followed
/// by allocations meshes what the frees left sparse, without waiting for
/// `malloc_trim`. A heap that keeps refilling the slabs its frees thin out
/// (meshing would freeze slabs about to be reused or emptied) is told
/// apart by counting more such pages than it holds by then, and does not
/// mesh; automatic passes are at least [`MESH_INTERVAL_MS`] apart.
const MESH_AFTER: usize = 4096;

/// Least time between two automatic mesh passes of a heap: a heap that
/// keeps freeing and refilling batches (`lifo`: 400 batches in ~50 ms)
/// would otherwise mesh every batch and unmesh it when it is freed.
const MESH_INTERVAL_MS: u64 = 500;

/// Free slab pages (4 KiB each) a heap keeps committed before it
/// decommits down to half of that: 8 MiB.
const DIRTY_LIMIT: usize = 2048;

/// The pool of idle heaps.
struct HeapPool {
    free: *mut Heap,
}

// SAFETY: only touched under its lock.
unsafe impl Send for HeapPool {}

static HEAPS: SpinLock<HeapPool> = SpinLock::new(HeapPool { free: core::ptr::null_mut() });

/// Takes the heap-pool lock (fork handler).
pub(crate) fn lock_pool() {
    HEAPS.acquire();
}

/// Releases the heap-pool lock (fork handler).
pub(crate) fn unlock_pool() {
    HEAPS.release();
}

/// log2 of the bin stride: each partition's bins start at a multiple of
/// 64 (`CLASS_COUNT` rounded up), so a bin index is `partition << 6 | class`.
const BIN_SHIFT: u32 = 6;
const _: () = assert!(CLASS_COUNT <= 1 << BIN_SHIFT);

/// Bits 16 and up of a 32-bit multiplicative hash of the call site's low
/// 32 bits (the bits in which a program's call sites differ).
const HASH_SHIFT: u32 = 16;
const HASH_MUL: u32 = 0x9E37_79B1;

/// The partition of a call site among `mask + 1`.
#[inline(always)]
pub(crate) fn partition(site: usize, mask: usize) -> usize {
    ((site as u32).wrapping_mul(HASH_MUL) >> HASH_SHIFT) as usize & mask
}

/// `partition(site, mask) << BIN_SHIFT` given `bin_mask == mask << BIN_SHIFT`,
/// in three instructions (multiply, shift, and).
#[inline(always)]
fn partition_base(site: usize, bin_mask: usize) -> usize {
    ((site as u32).wrapping_mul(HASH_MUL) >> (HASH_SHIFT - BIN_SHIFT)) as usize & bin_mask
}

/// Pages for a new slab of `size`-byte blocks in a bin that already owns
/// `owned` slabs: at least `4 KiB << 2 * owned` (4, 16, then 64 KiB) and
/// two blocks, then the smallest count whose tail waste is at most 1/8. A
/// sparse bin thus costs one 4 KiB page; a busy one soon has 64 KiB slabs
/// (whose pages are touched only as blocks are carved from them).
fn pages_for(size: usize, owned: u16) -> u16 {
    if owned == 0 && size >= PAGE {
        // A bin's first slab of page-sized blocks holds one block: a
        // sparse bin then needs the shortest run of free pages.
        return size.div_ceil(PAGE) as u16;
    }
    let min_bytes = (PAGE << (2 * owned).min(MAX_STEP)).max(2 * size);
    let mut n = min_bytes.div_ceil(PAGE);
    while n < 64 {
        let bytes = n * PAGE;
        if (bytes % size) * 8 <= bytes {
            break;
        }
        n += 1;
    }
    n as u16
}

/// Largest slab growth shift: 4 KiB << 4 = 64 KiB.
const MAX_STEP: u16 = 4;

/// Bin index of medium slabs (one block of whole pages, in no bin).
pub(crate) const NO_BIN: u32 = u32::MAX;

/// Largest medium allocation: served as a run of slab pages (up to 256).
pub(crate) const MEDIUM_MAX: usize = 1 << 20;

/// Allocates a medium block (`MAX_SMALL < size <= MEDIUM_MAX`): a run of
/// whole pages holding one block, owned by `h`, in no bin, marked full so
/// a remote free hands it back through the reclaim stack.
///
/// # Safety
/// `h` is the calling thread's heap.
pub(crate) unsafe fn alloc_medium(h: *mut Heap, size: usize) -> *mut u8 {
    // SAFETY: the caller owns `h`.
    let heap = unsafe { &mut *h };
    // SAFETY: we own the heap; frees of medium blocks may be waiting.
    unsafe { heap.drain_reclaim() };
    let pages = size.div_ceil(PAGE) as u16;
    let (s, start) = heap.take_pages(pages);
    if s.is_null() {
        return sys::enomem();
    }
    // SAFETY: `s` is a descriptor of our chunk, for the pages at `start`.
    unsafe { (*s).init_single(start, pages, h) };
    // The pages may be reused ones: clear a stale double-free canary.
    // SAFETY: the block is ours and at least one page long.
    unsafe {
        *(start as *mut usize).add(1) = 0;
        chunk::mark_touched(start);
    }
    start as *mut u8
}

/// Allocates a block of size class `class` from heap `h` for `site`, in
/// either partition mode (the out-of-line path).
///
/// # Safety
/// As for [`alloc_small`].
pub(crate) unsafe fn alloc_any(h: *mut Heap, class: usize, site: usize) -> *mut u8 {
    // SAFETY: the caller owns `h`.
    let heap = unsafe { &mut *h };
    if heap.interned {
        // SAFETY: forwarded caller guarantees.
        return unsafe { alloc_interned(heap, class, site) };
    }
    // SAFETY: forwarded caller guarantees.
    unsafe { alloc_small(h, class, site) }
}

/// Allocates a block of size class `class` from heap `h` for `site` with
/// hashed partitions (the fast path: callers check `special` first).
///
/// # Safety
/// `h` is the calling thread's heap (or the orphan heap under its lock);
/// `class < CLASS_COUNT`.
#[inline(always)]
pub(crate) unsafe fn alloc_small(h: *mut Heap, class: usize, site: usize) -> *mut u8 {
    // SAFETY: the caller owns `h`.
    let heap = unsafe { &mut *h };
    let bin = partition_base(site, heap.bin_mask) + class;
    // SAFETY: `bin < partitions << BIN_SHIFT == nbins`. The bins sit right
    // after the struct (`acquire`), so their address needs no load.
    let s = unsafe { *(h as *mut u8).add(core::mem::size_of::<Heap>()).cast::<*mut Slab>().add(bin) };
    if !s.is_null() {
        // SAFETY: slabs in our bins are ours.
        if let Some(b) = unsafe { (*s).pop(heap.key) } {
            return b as *mut u8;
        }
    }
    // SAFETY: forwarded caller guarantees.
    unsafe { alloc_slow(heap, bin, class) }
}

/// [`alloc_small`] in interned-partition mode (kept out of line so the
/// hashed fast path stays free of calls).
#[inline(never)]
unsafe fn alloc_interned(heap: &mut Heap, class: usize, site: usize) -> *mut u8 {
    let hashed = partition(site, heap.part_mask);
    let bin = (crate::intern::SITES.partition(site, heap.part_mask, hashed) << BIN_SHIFT) + class;
    // SAFETY: `bin < partitions << BIN_SHIFT == nbins`.
    let s = unsafe { *heap.bins.add(bin) };
    if !s.is_null() {
        // SAFETY: slabs in our bins are ours.
        if let Some(b) = unsafe { (*s).pop(heap.key) } {
            return b as *mut u8;
        }
    }
    // SAFETY: forwarded caller guarantees.
    unsafe { alloc_slow(heap, bin, class) }
}

#[cold]
#[inline(never)]
unsafe extern "C" fn alloc_slow(heap: &mut Heap, bin: usize, class: usize) -> *mut u8 {
    // SAFETY: we own `heap`.
    unsafe { heap.drain_reclaim() };
    let key = heap.key;
    // SAFETY: `bin < nbins`.
    let mut s = unsafe { *heap.bins.add(bin) };
    while !s.is_null() {
        // SAFETY: slabs in our bins are ours and live.
        let slab = unsafe { &mut *s };
        // SAFETY: we own the slab and it is not marked full.
        unsafe { slab.collect(key) };
        if slab.free == 0 && slab.reserve.load(Ordering::Relaxed) != crate::slab::RESERVE_NONE {
            heap.unreserve(slab);
        }
        if slab.free == 0 {
            // SAFETY: as above.
            unsafe { slab.carve(key) };
        }
        if slab.free != 0 {
            heap.unlink(s);
            heap.link_front(s);
            // SAFETY: as above.
            return unsafe { slab.pop(key) }.map_or(core::ptr::null_mut(), |b| b as *mut u8);
        }
        let next = slab.next;
        if slab.try_mark_full() {
            heap.unlink(s);
            slab.set_full(true);
            s = next;
        }
        // else a remote free raced in: go round again on the same slab.
    }
    let s = heap.new_slab(bin, class);
    if s.is_null() {
        return sys::enomem();
    }
    // SAFETY: fresh slab of ours.
    unsafe {
        (*s).carve(key);
        (*s).pop(key).map_or(core::ptr::null_mut(), |b| b as *mut u8)
    }
}

/// Frees block `b` of slab `s`, from the calling thread's heap `h` (or any
/// value that is no heap, such as the TLS slot's 0 or `DEAD`: the free
/// then takes the remote path).
///
/// # Safety
/// `s` is live and `b` is one of its allocated blocks.
#[inline(always)]
pub(crate) unsafe fn free_small(s: *mut Slab, b: usize, slot: usize) {
    // SAFETY: `s` is live (caller).
    let slab = unsafe { &mut *s };
    if slab.owner == slot {
        // SAFETY: we own the slab.
        unsafe { slab.push_local(b, crate::engine::key()) };
        // One compare covers "a listed slab emptied" and "a full slab has
        // a quarter of its blocks free" (see `Slab::free_check`).
        if slab.used <= slab.free_check {
            // SAFETY: forwarded.
            unsafe { free_local_check(s) };
        }
    } else {
        // SAFETY: `b` is allocated in `s`.
        unsafe { Slab::push_remote(s, b, crate::engine::key()) };
    }
}

/// The owner's free made `used <= free_check`: release or relist the slab.
///
/// # Safety
/// `s` is a live slab of the calling thread's heap.
#[cold]
#[inline(never)]
unsafe extern "C" fn free_local_check(s: *mut Slab) {
    // SAFETY: caller.
    let slab = unsafe { &mut *s };
    let h = slab.heap();
    if slab.in_full {
        if slab.bin == NO_BIN {
            // A medium block: its slab is empty now.
            // SAFETY: `h` is ours and the slab is empty and unlisted.
            unsafe { (*h).release_pages(s, false) };
        } else if slab.meshed {
            if slab.used == 0 {
                // SAFETY: `h` is ours; the frozen slab is empty.
                unsafe { (*h).release_meshed(s) };
            }
        } else if slab.used <= slab.capacity - slab.capacity / 4 {
            // SAFETY: `h` is ours.
            unsafe { (*h).unfull(s) };
        }
    } else if slab.used == 0 {
        // SAFETY: the slab's heap is ours.
        unsafe { (*h).maybe_release(s) };
    }
}

impl Heap {
    /// What the owning thread's TLS slot holds for heap `h`: its address,
    /// with [`tls::SPECIAL`](crate::tls::SPECIAL) set if its allocations
    /// must take the out-of-line path, so the fast path tests one signed
    /// compare for "no heap", "released" and "special" together.
    ///
    /// # Safety
    /// `h` is a live heap.
    pub(crate) unsafe fn slot_value(h: *mut Heap) -> usize {
        // SAFETY: caller.
        let special = unsafe { (*h).special };
        h as usize | if special { crate::tls::SPECIAL } else { 0 }
    }

    /// A heap for a new thread: from the pool, else freshly mapped.
    /// Null if out of memory.
    pub(crate) fn acquire(key: usize, partitions: usize, interned: bool) -> *mut Heap {
        let pooled = HEAPS.with(|pool| {
            let h = pool.free;
            if !h.is_null() {
                // SAFETY: pooled heaps are valid.
                pool.free = unsafe { (*h).pool_next };
            }
            h
        });
        if !pooled.is_null() {
            return pooled;
        }
        let nbins = partitions << BIN_SHIFT;
        let bytes = core::mem::size_of::<Heap>() + nbins * (core::mem::size_of::<*mut Slab>() + 2);
        let p = sys::map(bytes.next_multiple_of(sys::OS_PAGE), false);
        if p.is_null() {
            return core::ptr::null_mut();
        }
        let h = p.cast::<Heap>();
        // SAFETY: fresh zeroed mapping large enough for the heap and bins.
        unsafe {
            h.write(Heap {
                key,
                part_mask: partitions - 1,
                bin_mask: (partitions - 1) << BIN_SHIFT,
                interned,
                special: interned || crate::profile::enabled(),
                bins: p.add(core::mem::size_of::<Heap>()).cast(),
                owned: p.add(core::mem::size_of::<Heap>() + nbins * core::mem::size_of::<*mut Slab>()).cast(),
                nbins,
                chunks: core::ptr::null_mut(),
                dirty_pages: 0,
                pool_next: core::ptr::null_mut(),
                reclaim: AtomicPtr::new(core::ptr::null_mut()),
                pages_lock: AtomicBool::new(false),
                dirty_reused: 0,
                releaser_seen: 0,
                all_next: core::ptr::null_mut(),
                runs_since_collect: 0,
                reserves_pending: 0,
                mesh_pending: 0,
                chunk_count: 0,
                mesh_last_ms: 0,
            });
        }
        let mut head = ALL_HEAPS.load(Ordering::Relaxed);
        loop {
            // SAFETY: `h` is not published yet; only we write it.
            unsafe { (*h).all_next = head };
            match ALL_HEAPS.compare_exchange_weak(head, h, Ordering::Release, Ordering::Relaxed) {
                Ok(_) => break,
                Err(now) => head = now,
            }
        }
        h
    }

    /// The first chunk of heap `h`'s list (for [`crate::census`], which
    /// reads it without the owner's cooperation).
    ///
    /// # Safety
    /// `h` is a heap from [`for_each_heap`].
    pub(crate) unsafe fn chunk_list(h: *mut Heap) -> *mut Chunk {
        // SAFETY: heaps are never freed (caller).
        unsafe { (*h).chunks }
    }

    fn lock_pages(&self) {
        while self.pages_lock.compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed).is_err() {
            core::hint::spin_loop();
        }
    }

    fn unlock_pages(&self) {
        self.pages_lock.store(false, Ordering::Release);
    }

    /// One look by the background releaser at heap `h`: if its free pages
    /// were not recycled since the previous look, decommit them all.
    /// Returns the pages decommitted, or `None` if the heap still holds
    /// committed free pages (it is recycling them, or its owner was busy
    /// with its pages: it is skipped, never waited for).
    ///
    /// # Safety
    /// `h` is a heap from [`for_each_heap`]; callers are the releaser only.
    pub(crate) unsafe fn background_purge(h: *mut Heap) -> Option<usize> {
        // SAFETY: heaps are never freed; the lock field is atomic.
        let lock = unsafe { &(*h).pages_lock };
        if lock.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed).is_err() {
            return None;
        }
        // SAFETY: holding `pages_lock` makes us the only user of the fields
        // it guards; the other fields are not touched.
        let (dirty, reused, seen, chunks, reserves) =
            unsafe { ((*h).dirty_pages, (*h).dirty_reused, (*h).releaser_seen, (*h).chunks, (*h).reserves_pending) };
        let mut purged = Some(0);
        if (dirty > 0 || reserves > 0) && reused != seen {
            purged = None;
        } else if reserves > 0 || dirty > 0 {
            let mut n = 0;
            let mut c = chunks;
            while !c.is_null() {
                // SAFETY: the heap's chunks, guarded by `pages_lock`.
                unsafe {
                    if dirty > 0 {
                        n += (*c).purge();
                    }
                    if reserves > 0 {
                        n += (*c).purge_reserves();
                    }
                    c = (*c).next;
                }
            }
            // SAFETY: as above.
            unsafe {
                (*h).dirty_pages = 0;
                (*h).reserves_pending = 0;
            }
            purged = Some(n);
        }
        // SAFETY: as above.
        unsafe { (*h).releaser_seen = reused };
        lock.store(false, Ordering::Release);
        purged
    }

    /// Thread exit: gives empty slabs and chunks back, then pools the heap.
    ///
    /// # Safety
    /// The calling thread owns `h` and never uses it again.
    pub(crate) unsafe fn release(h: *mut Heap) {
        // SAFETY: caller owns `h`.
        unsafe { (*h).flush() };
        HEAPS.with(|pool| {
            // SAFETY: nobody else uses `h` now.
            unsafe { (*h).pool_next = pool.free };
            pool.free = h;
        });
    }

    /// Collects every slab's remote frees and releases the empty slabs
    /// (their pages stay committed up to half the dirty limit; the chunks
    /// stay with the heap for the next thread that takes it).
    ///
    /// # Safety
    /// Caller owns the heap.
    pub(crate) unsafe fn flush(&mut self) {
        // SAFETY: we own the heap.
        unsafe { self.drain_reclaim() };
        self.collect_all(false);
        self.purge(DIRTY_LIMIT / 2);
    }

    /// Collects every slab's remote frees, releases the empty slabs, and
    /// decommits every free page.
    pub(crate) fn trim(&mut self) {
        // SAFETY: we own the heap.
        unsafe { self.drain_reclaim() };
        self.collect_all(true);
        self.mesh();
        self.purge(0);
    }

    fn collect_all(&mut self, all: bool) {
        for bin in 0..self.nbins {
            // SAFETY: `bin < nbins`.
            let mut s = unsafe { *self.bins.add(bin) };
            while !s.is_null() {
                // SAFETY: ours and live.
                let next = unsafe { (*s).next };
                // SAFETY: ours, not full.
                unsafe { (*s).collect(self.key) };
                // SAFETY: ours.
                if unsafe { (*s).used } == 0 {
                    // SAFETY: empty slab of ours.
                    unsafe { self.release_slab(s, all) };
                }
                s = next;
            }
        }
    }

    /// Owner: a full slab has a quarter of its blocks free again: clear its
    /// flag and list it, unless a remote free already did so (the slab is
    /// then on the reclaim stack and [`Heap::drain_reclaim`] lists it).
    #[cold]
    extern "C" fn unfull(&mut self, s: *mut Slab) {
        // SAFETY: `s` is ours.
        let slab = unsafe { &mut *s };
        if slab.thread_free.fetch_and(!crate::slab::FULL_FLAG, Ordering::AcqRel) & crate::slab::FULL_FLAG != 0 {
            slab.set_full(false);
            self.link_second(s);
            self.mesh_pending += usize::from(slab.pages);
        }
    }

    /// Pops every slab off `reclaim` and puts it back in its bin.
    ///
    /// # Safety
    /// Caller owns the heap.
    unsafe fn drain_reclaim(&mut self) {
        if self.reclaim.load(Ordering::Relaxed).is_null() {
            return;
        }
        let mut s = self.reclaim.swap(core::ptr::null_mut(), Ordering::Acquire);
        while !s.is_null() {
            // SAFETY: slabs on our reclaim stack are ours, live and full.
            let slab = unsafe { &mut *s };
            let next = slab.reclaim_next.load(Ordering::Relaxed);
            if slab.meshed {
                // SAFETY: a frozen slab of ours whose flag a free cleared.
                unsafe { self.rearm_meshed(s) };
                s = next;
                continue;
            }
            slab.set_full(false);
            // SAFETY: ours and no longer marked full.
            unsafe { slab.collect(self.key) };
            if slab.bin == NO_BIN {
                // A medium block freed by another thread.
                if slab.used == 0 {
                    // SAFETY: empty, unlisted slab of ours.
                    unsafe { self.release_pages(s, false) };
                }
                s = next;
                continue;
            }
            self.link_second(s);
            self.mesh_pending += usize::from(slab.pages);
            if slab.used == 0 {
                // SAFETY: empty slab of ours.
                unsafe { self.maybe_release(s) };
            }
            s = next;
        }
    }

    /// A frozen (meshed) slab came back through the reclaim stack: take its
    /// remote frees, release it if empty, else set its full flag again so
    /// the next remote free hands it back once more.
    ///
    /// # Safety
    /// Caller owns the heap; `s` is a meshed slab of it, flag cleared.
    unsafe fn rearm_meshed(&mut self, s: *mut Slab) {
        // SAFETY: ours (caller).
        let slab = unsafe { &mut *s };
        loop {
            // SAFETY: ours, flag clear.
            unsafe { slab.collect(self.key) };
            if slab.used == 0 {
                // SAFETY: empty frozen slab of ours.
                unsafe { self.release_meshed(s) };
                return;
            }
            if slab.try_mark_full() {
                return;
            }
        }
    }

    /// Takes slab `s` out of allocation for good (meshing is about to make
    /// some of its pages share physical memory): collects its remote frees,
    /// unlinks it and sets its full flag, so from now on it only takes
    /// frees and is released when empty ([`Heap::release_meshed`]).
    ///
    /// # Safety
    /// Caller owns the heap; `s` is a listed slab of it (or already frozen).
    pub(crate) unsafe fn freeze(&mut self, s: *mut Slab) {
        // SAFETY: ours (caller).
        if unsafe { (*s).meshed } {
            return;
        }
        self.unlink(s);
        // SAFETY: ours and unlisted.
        let slab = unsafe { &mut *s };
        loop {
            // SAFETY: ours, not marked full.
            unsafe { slab.collect(self.key) };
            if slab.try_mark_full() {
                break;
            }
        }
        slab.meshed = true;
        slab.set_full(true);
    }

    /// Releases the empty frozen slab `s`: its pages leave their rings
    /// (each gets a physical page of its own again), then they are freed.
    ///
    /// # Safety
    /// Caller owns the heap; `s` is an empty meshed slab of it.
    #[cold]
    pub(crate) unsafe extern "C" fn release_meshed(&mut self, s: *mut Slab) {
        // SAFETY: `s` lies in the header page of its chunk, which is ours.
        let chunk = unsafe { &mut *(((s as usize) & !(chunk::CHUNK - 1)) as *mut Chunk) };
        // SAFETY: ours and empty.
        unsafe { crate::mesh::unmesh_slab(chunk, &*s) };
        // SAFETY: ours and empty; `release_slab` skips the (absent) list.
        unsafe { self.release_slab(s, false) };
    }

    /// Meshes this heap's sparse slabs ([`crate::mesh`]); returns the
    /// physical pages given back. A no-op unless `BTMALLOC_MESH=1`.
    pub(crate) fn mesh(&mut self) -> usize {
        if !crate::mesh::active() {
            return 0;
        }
        self.mesh_pending = 0;
        let chunks = self.chunks;
        // SAFETY: our heap and its chunk list.
        unsafe { crate::mesh::mesh_heap(self, chunks) }
    }

    /// Keeps the empty, listed slab `s` as its bin's reserve. A slab whose
    /// carved blocks span more than a page is set aside
    /// ([`Slab::set_aside`]: its free list moves out of reach of the fast
    /// path and of `free`), and the background releaser decommits its
    /// pages once the heap is quiet. A bin that refills soon gets the list
    /// back as it was ([`Heap::unreserve`]); one that does not stops
    /// pinning up to 64 KiB. A slab whose carved blocks span at most one
    /// page (carving touches one page at a time, so it holds at most one
    /// resident page: a sparse bin's) or a one-block one (the first slab of
    /// a bin of page-sized blocks) stays as it is: a bin that takes and
    /// frees a few blocks at a time would set it aside and take it back on
    /// every round.
    fn keep_reserve(&mut self, s: *mut Slab) {
        // SAFETY: ours (caller).
        let slab = unsafe { &mut *s };
        if slab.meshed || slab.capacity <= 1 || slab.carved as usize * slab.block_size as usize <= PAGE {
            return;
        }
        self.lock_pages();
        slab.set_aside();
        slab.reserve.store(crate::slab::RESERVE_KEPT, Ordering::Relaxed);
        self.reserves_pending += 1;
        self.unlock_pages();
        crate::releaser::wake();
    }

    /// The reserve slab `slab` is wanted again: under the page lock (so the
    /// releaser is not decommitting it meanwhile) it gets its free list
    /// back, or, if the releaser decommitted its pages, it is reset to be
    /// carved afresh. Only the latter counts as reuse for the releaser: a
    /// bin that keeps taking back a reserve whose pages are still
    /// committed must not keep the releaser off the heap's other pages
    /// (it may then decommit that reserve, once per quiet period).
    #[cold]
    fn unreserve(&mut self, slab: &mut Slab) {
        self.lock_pages();
        if slab.reserve.swap(crate::slab::RESERVE_NONE, Ordering::Relaxed) == crate::slab::RESERVE_PURGED {
            slab.reset_empty();
            // The heap reuses memory the releaser gave back: it waits for
            // the heap to go quiet again before its next purge.
            self.dirty_reused = self.dirty_reused.wrapping_add(1);
        } else {
            slab.take_back();
        }
        self.unlock_pages();
    }

    /// Releases the empty slab `s` unless its bin holds at most two slabs,
    /// which stay to serve the next allocations ([`Heap::keep_reserve`]).
    ///
    /// # Safety
    /// Caller owns the heap; `s` is an empty, listed slab of this heap.
    pub(crate) unsafe extern "C" fn maybe_release(&mut self, s: *mut Slab) {
        // SAFETY: ours.
        let slab = unsafe { &*s };
        // SAFETY: `bin < nbins`.
        let head = unsafe { *self.bins.add(slab.bin as usize) };
        // A bin of at most two slabs keeps them even when empty: a bin that
        // empties and refills (batch patterns) reuses them as they are.
        // SAFETY: listed slabs are ours; `head` is non-null (`s` is listed).
        let short = unsafe {
            let second = (*head).next;
            second.is_null() || (*second).next.is_null()
        };
        if short {
            self.keep_reserve(s);
            return;
        }
        // SAFETY: forwarded.
        unsafe { self.release_slab(s, false) };
    }

    /// Unlinks the empty slab `s` and frees its pages; returns its chunk
    /// to the pool once the chunk is empty (always if `all`, else only if
    /// the heap keeps another chunk).
    unsafe fn release_slab(&mut self, s: *mut Slab, all: bool) {
        self.unlink(s);
        // SAFETY: a binned slab of ours: `bin < nbins`.
        unsafe {
            let owned = &mut *self.owned.add((*s).bin as usize);
            *owned = owned.saturating_sub(1);
        }
        // SAFETY: forwarded.
        unsafe { self.release_pages(s, all) };
    }

    /// Frees the pages of the empty, unlisted slab `s` (see `release_slab`).
    unsafe extern "C" fn release_pages(&mut self, s: *mut Slab, all: bool) {
        self.lock_pages();
        // SAFETY: forwarded.
        unsafe { self.release_pages_locked(s, all) };
        self.unlock_pages();
        crate::releaser::wake();
    }

    unsafe fn release_pages_locked(&mut self, s: *mut Slab, all: bool) {
        // SAFETY: `s` lies in the header page of its chunk.
        let c = ((s as usize) & !(chunk::CHUNK - 1)) as *mut Chunk;
        // SAFETY: chunk of ours; the slab is empty.
        let chunk = unsafe { &mut *c };
        // SAFETY: the slab is ours and empty.
        self.dirty_pages += chunk.free_pages(unsafe { &mut *s });
        // Empty chunks stay with the heap (their pages are purged with the
        // others) except when the heap is flushed for good.
        if chunk.is_empty() && all {
            self.dirty_pages = self.dirty_pages.saturating_sub(chunk.dirty_mask.count());
            self.unlink_chunk(c);
            // SAFETY: empty and unlinked.
            unsafe { Chunk::give_back(c) };
        }
        if self.dirty_pages > DIRTY_LIMIT {
            self.purge_locked(DIRTY_LIMIT / 2);
        }
    }

    /// Decommits free pages, chunk by chunk, until at most `keep` free
    /// pages stay committed.
    pub(crate) fn purge(&mut self, keep: usize) {
        self.lock_pages();
        self.purge_locked(keep);
        self.unlock_pages();
    }

    fn purge_locked(&mut self, keep: usize) {
        let mut c = self.chunks;
        while !c.is_null() && self.dirty_pages > keep {
            // SAFETY: chunks in our list are ours.
            unsafe {
                self.dirty_pages = self.dirty_pages.saturating_sub((*c).purge());
                c = (*c).next;
            }
        }
        if c.is_null() {
            self.dirty_pages = 0;
        }
    }

    /// Puts a new slab for `bin` (class `class`) at the front of its list.
    /// In mesh mode, meshes first after a burst of frees (see
    /// [`MESH_AFTER`]).
    fn new_slab(&mut self, bin: usize, class: usize) -> *mut Slab {
        let heap_pages = self.chunk_count * chunk::PAGES;
        if self.mesh_pending >= MESH_AFTER.max(heap_pages / 2) && crate::mesh::active() {
            // More slabs thinned out than the heap holds: the same ones
            // over and over (batches freed and refilled), no one-off burst.
            let burst = self.mesh_pending <= heap_pages;
            let now = sys::coarse_ms();
            if burst && (self.mesh_last_ms == 0 || now.wrapping_sub(self.mesh_last_ms) >= MESH_INTERVAL_MS) {
                self.mesh();
                self.mesh_last_ms = sys::coarse_ms().max(1);
            }
            self.mesh_pending = 0;
        }
        let size = class_size(class).unwrap_or(crate::size_class::MAX_SMALL);
        // SAFETY: `bin < nbins`, the length of `owned`.
        let pages = pages_for(size, unsafe { *self.owned.add(bin) });
        let (s, start) = self.take_pages(pages);
        if s.is_null() {
            return s;
        }
        // SAFETY: as above (re-read: `take_pages` may release slabs).
        unsafe {
            let owned = &mut *self.owned.add(bin);
            *owned = owned.saturating_add(1);
        }
        // SAFETY: `s` is a descriptor of our chunk, for the pages at `start`.
        unsafe { (*s).init(start, pages, size as u32, bin as u32, self) };
        self.link_front(s);
        s
    }

    /// Takes `pages` free pages from the heap's chunks (committed ones
    /// first) or from a new chunk. Returns the descriptor for them and
    /// their address, or null.
    ///
    /// Before the heap grows by a chunk it collects the remote frees of
    /// every slab and releases those that this empties (at most once per
    /// [`COLLECT_EVERY`] page runs taken): in a sparse bin, blocks freed by
    /// other threads otherwise wait in their slab until that bin allocates
    /// again, pinning its pages.
    fn take_pages(&mut self, pages: u16) -> (*mut Slab, usize) {
        self.lock_pages();
        let mut r = self.take_pages_locked(pages, false);
        self.unlock_pages();
        if r.0.is_null() {
            if self.runs_since_collect >= COLLECT_EVERY {
                self.runs_since_collect = 0;
                // SAFETY: we own the heap.
                unsafe { self.drain_reclaim() };
                self.collect_remote();
            }
            self.lock_pages();
            r = self.take_pages_locked(pages, true);
            self.unlock_pages();
        }
        self.runs_since_collect = self.runs_since_collect.saturating_add(1);
        r
    }

    /// Collects the remote frees of every listed slab; releases (or keeps,
    /// as [`Heap::maybe_release`] decides) those this empties.
    fn collect_remote(&mut self) {
        for bin in 0..self.nbins {
            // SAFETY: `bin < nbins`.
            let mut s = unsafe { *self.bins.add(bin) };
            while !s.is_null() {
                // SAFETY: ours and live.
                let slab = unsafe { &mut *s };
                let next = slab.next;
                if slab.thread_free.load(Ordering::Relaxed) != 0 {
                    // SAFETY: ours, listed (so not marked full).
                    unsafe { slab.collect(self.key) };
                    if slab.used == 0 {
                        // SAFETY: an empty, listed slab of ours.
                        unsafe { self.maybe_release(s) };
                    }
                }
                s = next;
            }
        }
    }

    /// [`Heap::take_pages`] under `pages_lock`; takes a new chunk only if
    /// `grow`.
    fn take_pages_locked(&mut self, pages: u16, grow: bool) -> (*mut Slab, usize) {
        let mut c;
        let mut s = core::ptr::null_mut();
        let mut start = 0;
        // A short run (a sparse bin's slab): first pages btmalloc wrote
        // before (committed, or lazily freed and still in the RSS), then
        // any. Longer runs rarely find such pages together (the mask marks
        // carved pages only) and searching costs: committed pages, then any.
        let order: &[Pages] =
            if pages <= SHORT_RUN { &[Pages::Touched, Pages::Any] } else { &[Pages::Dirty, Pages::Any] };
        'search: for &which in order {
            c = self.chunks;
            while !c.is_null() {
                let dirty;
                // SAFETY: chunks in our list are ours.
                (s, dirty, start) = unsafe { (*c).alloc_pages(pages, which) };
                if !s.is_null() {
                    self.dirty_reused = self.dirty_reused.wrapping_add(dirty);
                    self.dirty_pages = self.dirty_pages.saturating_sub(dirty);
                    break 'search;
                }
                // SAFETY: as above.
                c = unsafe { (*c).next };
            }
        }
        if s.is_null() {
            if !grow {
                return (s, 0);
            }
            c = Chunk::obtain(self);
            if c.is_null() {
                return (core::ptr::null_mut(), 0);
            }
            self.link_chunk(c);
            // SAFETY: fresh chunk of ours.
            (s, _, start) = unsafe { (*c).alloc_pages(pages, Pages::Any) };
            if s.is_null() {
                return (s, 0);
            }
        }
        (s, start)
    }

    fn link_front(&mut self, s: *mut Slab) {
        // SAFETY: `s` is ours; its bin index is below nbins.
        unsafe {
            let head = self.bins.add((*s).bin as usize);
            (*s).prev = core::ptr::null_mut();
            (*s).next = *head;
            if !(*head).is_null() {
                (**head).prev = s;
            }
            *head = s;
        }
    }

    /// Lists `s` right after its bin's head (or as the head of an empty
    /// bin), so the slab being allocated from stays current.
    fn link_second(&mut self, s: *mut Slab) {
        // SAFETY: `s` and the listed slabs are ours; bin index below nbins.
        unsafe {
            let head = *self.bins.add((*s).bin as usize);
            if head.is_null() {
                self.link_front(s);
                return;
            }
            let next = (*head).next;
            (*s).prev = head;
            (*s).next = next;
            if !next.is_null() {
                (*next).prev = s;
            }
            (*head).next = s;
        }
    }

    fn unlink(&mut self, s: *mut Slab) {
        // SAFETY: `s` is ours and either listed in its bin or in_full.
        unsafe {
            if (*s).in_full {
                return;
            }
            let head = self.bins.add((*s).bin as usize);
            let (prev, next) = ((*s).prev, (*s).next);
            if !prev.is_null() {
                (*prev).next = next;
            } else if *head == s {
                *head = next;
            }
            if !next.is_null() {
                (*next).prev = prev;
            }
            (*s).prev = core::ptr::null_mut();
            (*s).next = core::ptr::null_mut();
        }
    }

    fn link_chunk(&mut self, c: *mut Chunk) {
        // SAFETY: `c` is ours.
        unsafe {
            (*c).prev = core::ptr::null_mut();
            (*c).next = self.chunks;
            if !self.chunks.is_null() {
                (*self.chunks).prev = c;
            }
        }
        self.chunks = c;
        self.chunk_count += 1;
    }

    fn unlink_chunk(&mut self, c: *mut Chunk) {
        // SAFETY: `c` is in our list.
        unsafe {
            let (prev, next) = ((*c).prev, (*c).next);
            if prev.is_null() {
                self.chunks = next;
            } else {
                (*prev).next = next;
            }
            if !next.is_null() {
                (*next).prev = prev;
            }
        }
        self.chunk_count = self.chunk_count.saturating_sub(1);
    }
}
