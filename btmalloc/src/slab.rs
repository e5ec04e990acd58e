//! A slab: a run of 4 KiB pages inside a chunk, cut into blocks of one size
//! class, with two free lists.
//!
//! Entry points: [`Slab::init`], [`Slab::pop`], [`Slab::push_local`],
//! [`Slab::push_remote`], [`Slab::collect`]. The owning heap's thread pops
//! and pushes on `free` without any atomic; other threads push on
//! `thread_free` with one CAS, and the owner takes that whole list back with
//! one swap when its own list runs dry.
//!
//! Freelist links are safe-linked: the word stored in a free block is
//! `next ^ key ^ (block >> 12)`, and every decoded link is checked to lie in
//! the slab before it is followed. A freed block's second word holds
//! `canary ^ block`; finding it there on `free` means a double free.
//!
//! Invariant (owner's view): `used + |free| + (capacity - carved) == capacity`,
//! where `used` counts the blocks sitting in `thread_free`.

use core::sync::atomic::{AtomicPtr, AtomicU8, AtomicUsize, Ordering};

use crate::heap::Heap;
use crate::sys;

/// Low bit of `thread_free`: the slab is off its bin's list ("full") and the
/// first remote free must hand it back to the owner's reclaim stack.
pub(crate) const FULL_FLAG: usize = 1;

/// One slab descriptor, stored in its chunk's metadata pages.
///
/// Three cache lines, by who writes them: the first holds what every
/// `free` reads (the block test and the owner), written only when the slab
/// is set up or carved; the second what the owner reads and writes on its
/// fast paths (a malloc touches only this line, a local free this one and
/// the first); the third what other threads write. So remote frees read
/// a line the owner does not write, and write one the owner does not read
/// on its fast paths.
#[repr(C, align(64))]
pub(crate) struct Slab {
    // Line 1: read by every free, written at set-up and carving.
    /// Address of block 0.
    pub(crate) start: usize,
    /// `carved * block_size`.
    pub(crate) carved_span: usize,
    /// `u64::MAX / block_size + 1`, for a division-free divisibility test.
    pub(crate) divisor: u64,
    /// The owning heap as its thread's TLS slot holds it
    /// ([`Heap::slot_value`]), so `free` compares the slot to it directly.
    pub(crate) owner: usize,
    /// Size of each block.
    pub(crate) block_size: u32,
    /// Index of the owning heap's bin (partition * classes + class).
    pub(crate) bin: u32,
    /// Frozen by meshing (also `in_full`): some of its pages share physical
    /// pages with other slabs, so it never allocates again; it is released
    /// once empty (see `mesh`).
    pub(crate) meshed: bool,
    /// In use by a heap (false: pages are free in the chunk).
    pub(crate) live: bool,
    /// Pages spanned.
    pub(crate) pages: u16,
    _pad1: [u8; 20],
    // Line 2: the owner's line.
    /// First free block (0: none); links inside blocks are encoded.
    pub(crate) free: usize,
    /// `start` again, for the link check of `pop` (owner's line).
    pub(crate) link_start: usize,
    /// `capacity * block_size`.
    pub(crate) span: usize,
    /// Bin list links (owner-only).
    pub(crate) next: *mut Slab,
    pub(crate) prev: *mut Slab,
    /// Blocks handed out and not yet back on `free` (includes `thread_free`).
    pub(crate) used: u32,
    /// The owner's free takes its out-of-line check once `used` falls to
    /// this: 0 for a listed slab (it emptied), `capacity - capacity / 4`
    /// for a full one (time to list it again), 0 for medium and meshed
    /// slabs (they emptied). Kept by [`Slab::set_full`].
    pub(crate) free_check: u32,
    /// Blocks the slab holds.
    pub(crate) capacity: u32,
    /// Blocks carved so far (block `i` exists iff `i < carved`).
    pub(crate) carved: u32,
    /// Off its bin list, waiting for a free (owner-only field).
    pub(crate) in_full: bool,
    /// [`RESERVE_NONE`], [`RESERVE_KEPT`] or [`RESERVE_PURGED`]; written
    /// only under the owning heap's `pages_lock` (the background releaser
    /// reads it there).
    pub(crate) reserve: AtomicU8,
    _pad2: [u8; 6],
    // Line 3: written by other threads.
    /// Blocks freed by other threads, plus [`FULL_FLAG`].
    pub(crate) thread_free: AtomicUsize,
    /// Link in the owner's reclaim stack (written by the thread that pushes).
    pub(crate) reclaim_next: AtomicPtr<Slab>,
    /// The free list of a reserve slab set aside ([`Slab::set_aside`]);
    /// owner-only, in this line because no fast path reads it.
    stash: usize,
}

/// [`Slab::reserve`]: an ordinary slab.
pub(crate) const RESERVE_NONE: u8 = 0;
/// [`Slab::reserve`]: an empty slab its bin keeps, set aside
/// ([`Slab::set_aside`]: nothing reads its pages until the owner takes it
/// back under the heap's page lock); its pages are still committed.
pub(crate) const RESERVE_KEPT: u8 = 1;
/// [`Slab::reserve`]: a kept slab whose pages the background releaser has
/// decommitted (its free list went with them: it is carved afresh).
pub(crate) const RESERVE_PURGED: u8 = 2;

const _: () = {
    assert!(core::mem::offset_of!(Slab, free) == 64);
    assert!(core::mem::offset_of!(Slab, thread_free) == 128);
    assert!(core::mem::size_of::<Slab>() == 192);
};

#[inline(always)]
fn encode(at: usize, next: usize, key: usize) -> usize {
    next ^ key ^ (at >> 12)
}

impl Slab {
    /// Makes this descriptor a fresh slab of `pages` pages at `start` for
    /// blocks of `block_size` bytes, owned by `heap`, in bin `bin`.
    pub(crate) fn init(&mut self, start: usize, pages: u16, block_size: u32, bin: u32, heap: *mut Heap) {
        let bytes = usize::from(pages) << crate::chunk::PAGE_SHIFT;
        let capacity = (bytes / block_size as usize) as u32;
        self.free = 0;
        self.start = start;
        self.link_start = start;
        self.span = capacity as usize * block_size as usize;
        self.used = 0;
        self.capacity = capacity;
        self.carved = 0;
        self.carved_span = 0;
        self.block_size = block_size;
        self.divisor = u64::MAX / u64::from(block_size) + 1;
        self.bin = bin;
        self.pages = pages;
        self.live = true;
        self.in_full = false;
        self.free_check = 0;
        self.meshed = false;
        // SAFETY: the caller passes a live heap.
        self.owner = unsafe { Heap::slot_value(heap) };
        self.next = core::ptr::null_mut();
        self.prev = core::ptr::null_mut();
        self.reclaim_next = AtomicPtr::new(core::ptr::null_mut());
        self.thread_free = AtomicUsize::new(0);
        self.stash = 0;
    }

    /// The owning heap.
    #[inline(always)]
    pub(crate) fn heap(&self) -> *mut Heap {
        (self.owner & !crate::tls::SPECIAL) as *mut Heap
    }

    /// Makes this descriptor a medium slab: one block of `pages` pages at
    /// `start`, handed out at once, in no bin, marked full.
    pub(crate) fn init_single(&mut self, start: usize, pages: u16, heap: *mut Heap) {
        let bytes = usize::from(pages) << crate::chunk::PAGE_SHIFT;
        self.init(start, pages, bytes as u32, crate::heap::NO_BIN, heap);
        self.carved = 1;
        self.carved_span = bytes;
        self.used = 1;
        self.set_full(true);
        self.thread_free = AtomicUsize::new(FULL_FLAG);
    }

    /// Sets `in_full` and the matching [`Slab::free_check`].
    pub(crate) fn set_full(&mut self, full: bool) {
        self.in_full = full;
        self.free_check =
            if full && !self.meshed && self.bin != crate::heap::NO_BIN { self.capacity - self.capacity / 4 } else { 0 };
    }

    /// Takes a block off the owner's free list.
    ///
    /// # Safety
    /// Caller is the owner; `key` is the process key.
    #[inline(always)]
    pub(crate) unsafe fn pop(&mut self, key: usize) -> Option<usize> {
        let b = self.free;
        if b == 0 {
            return None;
        }
        // SAFETY: `b` is a block of this slab (checked when it was pushed),
        // at least 16 bytes long and 16-byte aligned.
        let enc = unsafe { *(b as *const usize) };
        let next = encode(b, enc, key);
        if next != 0 && next.wrapping_sub(self.link_start) >= self.span {
            // Counted, not printed: a call here would cost the fast path its
            // leaf shape. `malloc_stats` reports the count.
            crate::registry::HOT.corruptions.fetch_add(1, Ordering::Relaxed);
            self.free = 0;
        } else {
            self.free = next;
        }
        self.used += 1;
        // SAFETY: as above; clears the double-free canary.
        unsafe { *(b as *mut usize).add(1) = 0 };
        Some(b)
    }

    /// Carves the never-used blocks that start in the page of the next
    /// one (at least one block) onto `free` (which must be empty), so
    /// carving touches one page at a time: a sparse slab keeps the rest of
    /// its pages untouched (no RSS). Returns false if the slab is fully
    /// carved.
    ///
    /// # Safety
    /// Caller is the owner; the slab's pages are mapped.
    pub(crate) unsafe fn carve(&mut self, key: usize) -> bool {
        if self.carved >= self.capacity {
            return false;
        }
        let size = self.block_size as usize;
        let first = self.start + self.carved as usize * size;
        let in_page = (crate::chunk::PAGE - (first & (crate::chunk::PAGE - 1))) as u32;
        // SAFETY: the owner carves, in its own chunk.
        unsafe { crate::chunk::mark_touched(first) };
        let n = in_page.div_ceil(self.block_size).clamp(1, self.capacity - self.carved);
        let mut at = first + (n as usize - 1) * size;
        let mut next = self.free;
        for _ in 0..n {
            // SAFETY: `at` is a block inside the slab's pages.
            unsafe { *(at as *mut usize) = encode(at, next, key) };
            next = at;
            at = at.wrapping_sub(size);
        }
        self.free = first;
        self.carved += n;
        self.carved_span = self.carved as usize * size;
        true
    }

    /// Owner: sets the free list of the empty slab (`used == 0`, nothing
    /// on `thread_free`) aside, so that no allocation pops from it (the
    /// fast path sees an empty list and takes the slow path, which calls
    /// [`Slab::take_back`] or [`Slab::reset_empty`] first) and every `free`
    /// into it is rejected (no block counts as carved): its pages hold
    /// nothing anyone reads until then, so they may be decommitted.
    pub(crate) fn set_aside(&mut self) {
        self.stash = self.free;
        self.free = 0;
        self.carved_span = 0;
    }

    /// Owner: undoes [`Slab::set_aside`] (the pages were not decommitted).
    pub(crate) fn take_back(&mut self) {
        self.free = self.stash;
        self.stash = 0;
        self.carved_span = self.carved as usize * self.block_size as usize;
    }

    /// Owner: forgets every block of a slab set aside whose pages were
    /// decommitted (its free list is gone with them): it is carved afresh.
    pub(crate) fn reset_empty(&mut self) {
        self.free = 0;
        self.stash = 0;
        self.carved = 0;
        self.carved_span = 0;
    }

    /// Whether `addr` is the start of a block that has been carved. (A
    /// released slab's pages map to no descriptor, so `live` is implied.)
    #[inline(always)]
    pub(crate) fn is_block(&self, addr: usize) -> bool {
        let off = addr.wrapping_sub(self.start);
        off < self.carved_span && (off as u64).wrapping_mul(self.divisor) < self.divisor
    }

    /// Owner's free: pushes `b` on `free`.
    ///
    /// # Safety
    /// Caller is the owner and `b` is an allocated block of this slab.
    #[inline(always)]
    pub(crate) unsafe fn push_local(&mut self, b: usize, key: usize) {
        // SAFETY: `b` is a block of this slab.
        unsafe { *(b as *mut usize) = encode(b, self.free, key) };
        self.free = b;
        self.used -= 1;
    }

    /// Another thread's free: pushes `b` on `thread_free`. If the slab was
    /// marked full, hands it back to the owner's reclaim stack.
    ///
    /// # Safety
    /// `b` is an allocated block of this slab, so the slab cannot be
    /// released or change owner during the call.
    #[inline(always)]
    pub(crate) unsafe fn push_remote(this: *mut Slab, b: usize, key: usize) {
        // SAFETY: `this` is live while `b` is allocated; only atomics and
        // fields fixed for the slab's life are touched.
        let slab = unsafe { &*this };
        let mut tf = slab.thread_free.load(Ordering::Relaxed);
        loop {
            // SAFETY: `b` is ours to write: the caller gave it up.
            unsafe { *(b as *mut usize) = encode(b, tf & !FULL_FLAG, key) };
            match slab.thread_free.compare_exchange_weak(tf, b, Ordering::Release, Ordering::Relaxed) {
                Ok(_) => break,
                Err(now) => tf = now,
            }
        }
        if tf & FULL_FLAG != 0 {
            // We cleared the flag, so we alone hand the slab back; the owner
            // cannot release it before it has popped it from the stack.
            // SAFETY: heaps are never freed.
            let heap = unsafe { &*slab.heap() };
            let mut head = heap.reclaim.load(Ordering::Relaxed);
            loop {
                slab.reclaim_next.store(head, Ordering::Relaxed);
                match heap.reclaim.compare_exchange_weak(head, this, Ordering::Release, Ordering::Relaxed) {
                    Ok(_) => break,
                    Err(now) => head = now,
                }
            }
        }
    }

    /// Owner: moves every block of `thread_free` onto `free`.
    ///
    /// # Safety
    /// Caller is the owner and the slab is not marked full.
    pub(crate) unsafe fn collect(&mut self, key: usize) {
        if self.thread_free.load(Ordering::Relaxed) & !FULL_FLAG == 0 {
            return;
        }
        let head = self.thread_free.swap(0, Ordering::Acquire) & !FULL_FLAG;
        let mut count = 0u32;
        let mut at = head;
        loop {
            count += 1;
            // SAFETY: `at` was checked to be a block of this slab.
            let next = encode(at, unsafe { *(at as *const usize) }, key);
            if next == 0 {
                break;
            }
            if next.wrapping_sub(self.start) >= self.span || count >= self.capacity {
                sys::report(b"btmalloc: corrupted thread-free list in block ", at);
                // SAFETY: as above; cut the list here, leaking the rest.
                unsafe { *(at as *mut usize) = encode(at, 0, key) };
                break;
            }
            at = next;
        }
        // SAFETY: `at` is the tail block of the collected list.
        unsafe { *(at as *mut usize) = encode(at, self.free, key) };
        self.free = head;
        self.used = self.used.saturating_sub(count);
    }

    /// Owner: calls `f` with the index of every block on `free`. Returns
    /// false (having stopped) if the list is corrupt: a link outside the
    /// slab, off a block boundary, or a list longer than the slab.
    ///
    /// # Safety
    /// Caller is the owner; `key` is the process key.
    pub(crate) unsafe fn for_each_free(&self, key: usize, mut f: impl FnMut(usize)) -> bool {
        let size = self.block_size as usize;
        let mut at = self.free;
        let mut count = 0u32;
        while at != 0 {
            let off = at.wrapping_sub(self.start);
            if off >= self.carved_span || !off.is_multiple_of(size) || count >= self.capacity {
                return false;
            }
            f(off / size);
            count += 1;
            // SAFETY: `at` was checked to be a carved block of this slab.
            at = encode(at, unsafe { *(at as *const usize) }, key);
        }
        true
    }

    /// Owner: tries to set [`FULL_FLAG`] (the caller then unlinks the slab and
    /// sets `in_full`). Fails if a remote free arrived; collect and retry.
    pub(crate) fn try_mark_full(&mut self) -> bool {
        self.thread_free.compare_exchange(0, FULL_FLAG, Ordering::AcqRel, Ordering::Relaxed).is_ok()
    }
}
