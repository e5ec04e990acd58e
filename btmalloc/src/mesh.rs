//! Mesh-style compaction (after Powers et al., "Mesh: Compacting Memory
//! Management for C/C++", PLDI 2019), on with `BTMALLOC_MESH=1`.
//!
//! In mesh mode every chunk is a 2 MiB window of one `memfd`, mapped
//! `MAP_SHARED`, so two virtual pages can map the same file page. A mesh
//! pass looks, chunk by chunk, for pages of sparse slabs of one block size
//! whose live blocks sit at different offsets (the "occupied" bitmaps do not
//! overlap, blocks straddling a page boundary included), copies the live
//! bytes of one page into the other at the same offsets, maps the first
//! page's virtual address onto the other's file page (`mmap(MAP_FIXED)`),
//! and punches the first page's own file page out (`fallocate`). Every
//! object keeps its address; two (or more, a "ring") virtual pages now
//! share one physical page.
//!
//! Rules that keep it correct:
//! - A slab with a meshed page is *frozen* ([`Heap::freeze`]): it never
//!   hands out a block again (its free list may have been overwritten by
//!   the blocks copied in), takes frees like a full slab, and is released
//!   once empty ([`Heap::release_meshed`]), when each of its pages leaves
//!   its ring and maps a file page of its own again ([`unmesh_slab`]).
//! - Passes run on the owning thread only, at a safe point: `malloc_trim`
//!   (or [`crate::internal::mesh_thread`]), so the owner is not allocating
//!   from the slabs it meshes. Other threads may still write (or free) the
//!   objects concerned: while any exists (`Threads:` in `/proc/self/status`,
//!   the background releaser aside), the page being meshed is made
//!   read-only for the copy, and a `SIGSEGV` handler ([`fault`]) makes a
//!   thread that writes it wait until the page is remapped (then the write
//!   is replayed on the merged page). All signals are blocked on the
//!   meshing thread during a pass. Limits: a system call writing into that
//!   page (`read(2)` into a heap buffer) during its copy fails with
//!   `EFAULT` instead of waiting, and a write by the kernel on behalf of
//!   asynchronous I/O into it is lost.
//! - Pages are grouped by (block size, in-page block offsets) across the
//!   heap's chunks, fullest first, and each joins the first of the last
//!   [`WINDOW`] targets of its group it does not overlap (first-fit
//!   decreasing).
//! - `fork`: a child must not share the parent's heap memory. The prepare
//!   handler makes every chunk read-only (writers in the parent wait in the
//!   fault handler), the child copies each chunk into private anonymous
//!   memory (`mremap(MREMAP_FIXED)` over it) and leaves mesh mode, and the
//!   parent's handler waits for that copy (a pipe) before making the chunks
//!   writable again. So in mesh mode a `fork` copies the used heap (no
//!   copy-on-write), the child does not mesh, and while the child copies,
//!   a system call of another thread writing into the heap (`read(2)` into
//!   a heap buffer) fails with `EFAULT`: mesh mode does not suit programs
//!   that fork while other threads do I/O into heap buffers. Meshed pages become independent copies in the child,
//!   which is still correct: each slab only ever touches its own blocks.
//! - Each remapped page may split a mapping in two; to stay far below the
//!   kernel's `vm.max_map_count`, at most half of it (less a margin) pages
//!   are meshed at a time ([`MAX_REMAPPED`]).
//!
//! Entry points: [`init`], [`map_chunk`], [`mesh_heap`], [`unmesh_slab`],
//! [`decommit`], and the fork handlers [`fork_prepare`], [`fork_parent`],
//! [`fork_child`].

mod backing;
mod fault;

use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::chunk::{self, Chunk, META_PAGES, PAGE, PAGE_SHIFT, PAGES};
use crate::heap::Heap;
use crate::slab::Slab;
use crate::sys::SpinLock;

/// Mesh mode is on in this process (off again in a forked child).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Pages currently mapped onto another page's file page.
static REMAPPED: AtomicUsize = AtomicUsize::new(0);
/// Physical pages given back by meshing so far.
pub(crate) static MESHED_PAGES: AtomicUsize = AtomicUsize::new(0);

/// Writes that waited for a page's mesh copy to end, so far.
pub(crate) fn fault_waits() -> usize {
    fault::WAITS.load(Ordering::Relaxed)
}

/// Most pages meshed at once: each may cost two kernel mappings, so half of
/// `vm.max_map_count` less a margin for the program's own mappings
/// (28,669 at the default 65530; set by [`init`]).
static MAX_REMAPPED: AtomicUsize = AtomicUsize::new(0);

/// Mappings left to the program when sizing [`MAX_REMAPPED`].
const MAP_MARGIN: usize = 8192;

/// Most pages in one ring (one physical page).
const RING_MAX: u16 = 16;

/// Largest slab meshed, in blocks (4096 blocks: a 64 KiB slab of 16 B).
const MAX_BLOCKS: usize = 4096;

/// Reads `BTMALLOC_MESH` (`1` turns mesh mode on) and sets up the memfd.
/// Called once at start-up, before the first chunk is mapped.
pub(crate) fn init() {
    if crate::config::env_bytes(c"BTMALLOC_MESH") != Some(b"1") {
        return;
    }
    if !cfg!(all(target_arch = "x86_64", target_os = "linux")) || !backing::create() || !fault::install() {
        crate::sys::write_stderr(b"btmalloc: BTMALLOC_MESH=1 unavailable here (memfd or SIGSEGV handler); off\n");
        return;
    }
    let limit = backing::max_map_count().unwrap_or(65_530);
    MAX_REMAPPED.store(limit.saturating_sub(MAP_MARGIN) / 2, Ordering::Relaxed);
    ACTIVE.store(true, Ordering::Release);
}

/// Whether mesh mode is on.
#[inline]
pub(crate) fn active() -> bool {
    ACTIVE.load(Ordering::Relaxed)
}

/// In mesh mode, maps the fresh chunk reserved at `base` as a window of the
/// memfd; returns its `mesh_file` value (0: left private).
pub(crate) fn map_chunk(base: usize) -> u32 {
    if !active() {
        return 0;
    }
    backing::map_chunk(base)
}

/// Gives the free pages `[p, p + len)` of a memfd chunk back
/// (`MADV_REMOVE`: punches their file pages; they read as zeros after).
///
/// # Safety
/// The range is free pages of a mesh chunk, in no ring.
pub(crate) unsafe fn decommit(p: *mut u8, len: usize) {
    // SAFETY: forwarded; the pages are ours and unused.
    unsafe { crate::sys::madvise(p, len, libc::MADV_REMOVE) };
}

/// One candidate page: where it is and which block offsets it holds live.
#[derive(Clone, Copy)]
struct Page {
    slab: *mut Slab,
    /// Page index in the chunk.
    page: u16,
    /// Pages merged into this one so far (1: itself only).
    ring_len: u16,
    /// Block size.
    size: u32,
    /// Bytes between the start of the first block touching the page and
    /// the page start: pages of one block size with equal `rel` have their
    /// block boundaries at the same in-page offsets.
    rel: u32,
    /// Bit `j`: block `first + j` (the blocks touching the page, in order)
    /// is live. A page of 16-byte blocks touches 256.
    live: [u64; 4],
    /// Turned into a ring member (no longer a target).
    merged: bool,
}

const NO_PAGE: Page =
    Page { slab: core::ptr::null_mut(), page: 0, ring_len: 0, size: 0, rel: 0, live: [0; 4], merged: false };

/// Candidate pages one batch of a pass holds (about 1 MiB of scratch,
/// 64 MiB of slab pages); a heap with more is meshed in batches of chunks.
const BATCH: usize = 16 * 1024;

/// How many earlier targets of its bucket a page tries (bounds a pass to
/// `O(pages * WINDOW)` bitmap tests).
const WINDOW: usize = 1024;

/// Scratch space for a pass (one pass at a time, process-wide).
struct Scratch {
    pages: [Page; BATCH],
    free: [u64; MAX_BLOCKS / 64],
    /// Old memfd pages of the pages meshed in this batch, punched together
    /// at its end (runs of consecutive pages take one call).
    punch: [u32; BATCH],
}

// SAFETY: only used under its lock; the raw pointers are plain data.
unsafe impl Send for Scratch {}

static PASS: SpinLock<Scratch> =
    SpinLock::new(Scratch { pages: [NO_PAGE; BATCH], free: [0; MAX_BLOCKS / 64], punch: [0; BATCH] });

fn overlaps(a: &[u64; 4], b: &[u64; 4]) -> bool {
    a.iter().zip(b).any(|(x, y)| x & y != 0)
}

/// Meshes what it can of the chunks of `heap` (the caller's own), listed
/// from `chunks`; returns the physical pages given back. Pages of different
/// chunks of the heap may share a physical page.
///
/// # Safety
/// Called by the owner of `heap`, whose chunk list starts at `chunks`, not
/// from a signal handler.
pub(crate) unsafe fn mesh_heap(heap: &mut Heap, chunks: *mut Chunk) -> usize {
    if !active() || REMAPPED.load(Ordering::Relaxed) >= MAX_REMAPPED.load(Ordering::Relaxed) {
        return 0;
    }
    let old = fault::block_signals();
    // Write protection is for other threads; with none (the background
    // releaser never writes a slab page) the copies need none.
    let guard = !fault::single_threaded();
    let n = PASS.with(|scratch| {
        let mut given_back = 0;
        let mut count = 0;
        let mut c = chunks;
        while !c.is_null() {
            // SAFETY: chunks of our heap (caller).
            let chunk = unsafe { &*c };
            if chunk.mesh_file != 0 {
                if count + PAGES > BATCH {
                    // SAFETY: candidates just built, of our heap.
                    given_back += unsafe { merge(heap, scratch, count, guard) };
                    count = 0;
                }
                // SAFETY: forwarded.
                count = unsafe { collect_candidates(heap, chunk, scratch, count) };
            }
            c = chunk.next;
        }
        // SAFETY: as above.
        given_back + unsafe { merge(heap, scratch, count, guard) }
    });
    fault::restore_signals(&old);
    n
}

/// Appends to `scratch.pages` (from index `count`) the pages of the chunk's
/// sparse, allocatable slabs (a bin's current one too); returns the new
/// count.
unsafe fn collect_candidates(heap: &Heap, c: &Chunk, scratch: &mut Scratch, mut count: usize) -> usize {
    let mut p = META_PAGES;
    while p < PAGES {
        let addr = c.page_addr(p);
        // SAFETY: `addr` is in a registered chunk (ours).
        let Some(s) = (unsafe { chunk::slab_of(addr) }) else {
            p += 1;
            continue;
        };
        // SAFETY: descriptors of our chunk; the slab is ours.
        let slab = unsafe { &mut *s.as_ptr() };
        let pages = usize::from(slab.pages).max(1);
        if slab.start != addr {
            p += 1;
            continue;
        }
        p += pages;
        let eligible = slab.live
            && !slab.in_full
            && !slab.meshed
            && slab.reserve.load(core::sync::atomic::Ordering::Relaxed) == crate::slab::RESERVE_NONE
            && slab.bin != crate::heap::NO_BIN
            && slab.capacity as usize <= MAX_BLOCKS
            && slab.used * 2 <= slab.capacity;
        if !eligible {
            continue;
        }
        // SAFETY: ours and listed (not marked full).
        unsafe { slab.collect(heap.key) };
        scratch.free = [0; MAX_BLOCKS / 64];
        let free = &mut scratch.free;
        // SAFETY: ours.
        let sound = unsafe {
            slab.for_each_free(heap.key, |i| {
                if let Some(w) = free.get_mut(i / 64) {
                    *w |= 1 << (i % 64);
                }
            })
        };
        if !sound {
            continue;
        }
        let size = slab.block_size as usize;
        let first_page = (slab.start >> PAGE_SHIFT) & (PAGES - 1);
        for i in 0..usize::from(slab.pages) {
            let (first, end, rel) = geometry(i, size, slab.capacity as usize);
            let mut live = [0u64; 4];
            for k in first..end {
                let is_free = k >= slab.carved as usize || free.get(k / 64).is_some_and(|w| w >> (k % 64) & 1 == 1);
                if !is_free && let Some(w) = live.get_mut((k - first) / 64) {
                    *w |= 1 << ((k - first) % 64);
                }
            }
            if let Some(slot) = scratch.pages.get_mut(count) {
                *slot = Page {
                    slab: s.as_ptr(),
                    page: (first_page + i) as u16,
                    ring_len: 1,
                    size: size as u32,
                    rel: rel as u32,
                    live,
                    merged: false,
                };
                count += 1;
            }
        }
    }
    count
}

/// Blocks of a slab of `capacity` blocks of `size` bytes touching its page
/// `i`: `first..end`, and `rel`, the bytes from the start of block `first`
/// to the page start (so the block `first + j` covers the page bytes
/// `[j * size - rel, (j + 1) * size - rel)`, clipped to the page).
fn geometry(i: usize, size: usize, capacity: usize) -> (usize, usize, usize) {
    let lo = i * PAGE;
    let first = lo / size;
    let end = (lo + PAGE).div_ceil(size).min(capacity);
    (first, end, lo - first * size)
}

/// The chunk holding slab descriptor `s`.
fn chunk_of(s: *mut Slab) -> *mut Chunk {
    ((s as usize) & !(chunk::CHUNK - 1)) as *mut Chunk
}

/// Greedy first fit per geometry bucket: each page joins one of the last
/// [`WINDOW`] unmerged pages of its (block size, offset) bucket whose
/// accumulated live set it does not overlap.
unsafe fn merge(heap: &mut Heap, scratch: &mut Scratch, count: usize, guard: bool) -> usize {
    let Scratch { pages, punch, .. } = scratch;
    let pages = pages.get_mut(..count).unwrap_or(&mut []);
    // Fullest pages first within a bucket (first-fit decreasing packs
    // tighter than arrival order).
    pages.sort_unstable_by_key(|p| {
        (p.size, p.rel, core::cmp::Reverse(p.live.iter().map(|w| w.count_ones()).sum::<u32>()))
    });
    let mut given_back = 0;
    let mut bucket = 0;
    for i in 0..pages.len() {
        let Some((done, rest)) = pages.split_at_mut_checked(i) else { break };
        let Some(src) = rest.first_mut() else { break };
        if done.last().is_some_and(|d| (d.size, d.rel) != (src.size, src.rel)) {
            bucket = i;
        }
        let Some(dst) = done
            .get_mut(bucket..)
            .unwrap_or(&mut [])
            .iter_mut()
            .rev()
            .filter(|d| !d.merged)
            .take(WINDOW)
            .find(|d| d.ring_len < RING_MAX && !overlaps(&d.live, &src.live))
        else {
            continue;
        };
        if REMAPPED.load(Ordering::Relaxed) >= MAX_REMAPPED.load(Ordering::Relaxed) {
            break;
        }
        // SAFETY: both slabs are ours and listed or already frozen.
        unsafe {
            heap.freeze(src.slab);
            heap.freeze(dst.slab);
        }
        // SAFETY: both pages belong to frozen slabs of ours with disjoint
        // live blocks at the same block geometry.
        if let Some(old) = unsafe { mesh_page(src, dst, guard) } {
            for (d, s) in dst.live.iter_mut().zip(src.live) {
                *d |= s;
            }
            dst.ring_len += 1;
            src.merged = true;
            if let Some(slot) = punch.get_mut(given_back) {
                *slot = old;
            }
            given_back += 1;
        }
    }
    // Nothing maps the old pages any more (each is a spare until its page
    // leaves its ring, after this pass): free them, a run at a time.
    let punched = punch.get_mut(..given_back).unwrap_or(&mut []);
    punched.sort_unstable();
    let mut i = 0;
    while let Some(&first) = punched.get(i) {
        let mut n = 1;
        while punched.get(i + n).is_some_and(|&p| p == first + n as u32) {
            n += 1;
        }
        backing::punch(first, n);
        i += n;
    }
    MESHED_PAGES.fetch_add(given_back, Ordering::Relaxed);
    given_back
}

/// The memfd page chunk page `p` maps now.
fn file_page(c: &Chunk, p: usize) -> u32 {
    match c.remap.get(p).copied().unwrap_or(0) {
        0 => own_page(c, p),
        r => r - 1,
    }
}

/// The memfd page that is chunk page `p`'s own (its ring id, too).
fn own_page(c: &Chunk, p: usize) -> u32 {
    (c.mesh_file - 1) * PAGES as u32 + p as u32
}

/// The chunk and page index of ring id `id` (a page's own memfd page).
fn page_at(id: u32) -> Option<(*mut Chunk, usize)> {
    let base = backing::base_of(id as usize / PAGES)?;
    Some((base as *mut Chunk, id as usize % PAGES))
}

/// Ring link of page `id` (its successor's id), if it is in a ring.
fn ring_next(id: u32) -> Option<u32> {
    let (c, p) = page_at(id)?;
    // SAFETY: a live memfd chunk of the caller's heap (rings never leave it).
    let link = unsafe { (*c).ring.get(p).copied() }?;
    link.checked_sub(1)
}

fn set_ring_next(id: u32, next: Option<u32>) {
    if let Some((c, p)) = page_at(id) {
        // SAFETY: as in `ring_next`; the owner is the only writer.
        if let Some(r) = unsafe { (*c).ring.get_mut(p) } {
            *r = next.map_or(0, |n| n + 1);
        }
    }
}

fn take_spare(id: u32) -> Option<u32> {
    let (c, p) = page_at(id)?;
    // SAFETY: as in `set_ring_next`.
    let slot = unsafe { (*c).spare.get_mut(p) }?;
    let spare = slot.checked_sub(1)?;
    *slot = 0;
    Some(spare)
}

/// Copies the live blocks of page `src` into page `dst`, maps `src`'s
/// address onto `dst`'s file page, and links `src` into `dst`'s ring; returns `src`'s old memfd page, for the
/// caller to punch. `None` (nothing changed) if the kernel refuses the
/// protection change or the mapping. `guard`: write-protect the page during
/// its copy (other threads exist).
unsafe fn mesh_page(src: &Page, dst: &Page, guard: bool) -> Option<u32> {
    let (sp, dp) = (usize::from(src.page), usize::from(dst.page));
    // SAFETY: `dst`'s chunk is a memfd chunk of the caller's heap; the
    // shared borrow ends here (the two chunks may be one).
    let (to, target, did) = unsafe {
        let cd = &*chunk_of(dst.slab);
        (cd.page_addr(dp), file_page(cd, dp), own_page(cd, dp))
    };
    // SAFETY: as above, for `src`'s chunk; the only borrow from here on.
    let cs = unsafe { &mut *chunk_of(src.slab) };
    let from = cs.page_addr(sp);
    if guard && !fault::protect(from) {
        return None;
    }
    let size = src.size as usize;
    for (w, word) in src.live.iter().enumerate() {
        let mut bits = *word;
        while bits != 0 {
            let j = w * 64 + bits.trailing_zeros() as usize;
            bits &= bits - 1;
            // The block's bytes inside the page: [j * size - rel, + size).
            let lo = (j * size).saturating_sub(src.rel as usize);
            let hi = ((j + 1) * size - src.rel as usize).min(PAGE);
            if lo < hi {
                // SAFETY: both ranges lie inside the two pages; the source
                // is read-only now, the target bytes are free in `dst`'s
                // slab (disjoint live sets), and the pages are distinct.
                unsafe { core::ptr::copy_nonoverlapping((from + lo) as *const u8, (to + lo) as *mut u8, hi - lo) };
            }
        }
    }
    let old = file_page(cs, sp);
    // SAFETY: `from` is one page of our memfd chunk; the new mapping holds
    // every live byte the old one held (copied above).
    let mapped = unsafe { backing::map_page(from, target) };
    if guard {
        fault::unprotect_done(from, mapped);
    }
    if !mapped {
        return None;
    }
    REMAPPED.fetch_add(1, Ordering::Relaxed);
    if let Some(r) = cs.remap.get_mut(sp) {
        *r = target + 1;
    }
    if let Some(s) = cs.spare.get_mut(sp) {
        *s = old + 1;
    }
    // Ring: insert `src` after `dst` (a ring of one points to itself).
    let sid = own_page(cs, sp);
    let after = ring_next(did).unwrap_or(did);
    set_ring_next(did, Some(sid));
    set_ring_next(sid, Some(after));
    Some(old)
}

/// The empty frozen slab `s` of chunk `c` is being released: each of its
/// pages in a ring takes a spare file page (a hole: it reads as zeros) and
/// leaves the ring, so its physical page is its own again.
///
/// # Safety
/// Called by the owner; `s` is empty, in chunk `c`.
pub(crate) unsafe fn unmesh_slab(c: &mut Chunk, s: &Slab) {
    if c.mesh_file == 0 {
        return;
    }
    let first = (s.start >> PAGE_SHIFT) & (PAGES - 1);
    for p in first..first + usize::from(s.pages) {
        let id = own_page(c, p);
        if ring_next(id).is_some() {
            // SAFETY: forwarded.
            unsafe { leave_ring(c, p, id) };
        }
    }
}

unsafe fn leave_ring(c: &mut Chunk, p: usize, me: u32) {
    // Find the ring member before `p`, and a member holding a spare.
    let mut prev = me;
    let mut holder = if c.spare.get(p).copied().unwrap_or(0) != 0 { Some(me) } else { None };
    let mut at = ring_next(me);
    let mut steps = 0;
    while let Some(id) = at
        && id != me
        && steps <= usize::from(RING_MAX)
    {
        if holder.is_none()
            && let Some((hc, hp)) = page_at(id)
            // SAFETY: a memfd chunk of our heap.
            && unsafe { (*hc).spare.get(hp).copied().unwrap_or(0) } != 0
        {
            holder = Some(id);
        }
        prev = id;
        at = ring_next(id);
        steps += 1;
    }
    let next = ring_next(me);
    // Unlink: a ring left with one member is no ring.
    set_ring_next(prev, if next == Some(prev) { None } else { next });
    set_ring_next(me, None);
    let Some(spare) = holder.and_then(take_spare) else { return };
    if !active() {
        // A forked child: the chunk is private memory now; nothing shares.
        return;
    }
    let own = own_page(c, p);
    // SAFETY: page `p` holds no live block (its slab is empty).
    if unsafe { backing::map_page(c.page_addr(p), spare) } {
        if let Some(r) = c.remap.get_mut(p) {
            *r = if spare == own { 0 } else { spare + 1 };
        }
        REMAPPED.fetch_sub(1, Ordering::Relaxed);
    } else {
        // The page would keep sharing a physical page that its ring still
        // uses, and freeing it would let a new slab write over live blocks:
        // stopping is the only safe answer (the remapped-page budget keeps
        // the kernel's mapping limit far away, so this is not expected).
        crate::sys::write_stderr(b"btmalloc: mesh: cannot remap a page on release; aborting\n");
        // SAFETY: no preconditions.
        unsafe { libc::abort() };
    }
}

/// Set by [`fork_prepare`] when it took the pass lock and protected the
/// chunks (inherited by the child, where the fault handler may already
/// have left mesh mode before [`fork_child`] runs).
static FORKING: AtomicBool = AtomicBool::new(false);

/// Fork handler (prepare, last): waits out any pass, makes every chunk
/// read-only and opens the pipe the child reports on.
pub(crate) fn fork_prepare() {
    if active() {
        PASS.acquire();
        fault::fork_prepare();
        FORKING.store(true, Ordering::Release);
    }
}

/// Fork handler (parent): waits for the child's copy, then makes the
/// chunks writable again.
pub(crate) fn fork_parent() {
    if FORKING.swap(false, Ordering::AcqRel) {
        fault::fork_parent();
        PASS.release();
    }
}

/// Fork handler (child, first): copies every chunk into private memory and
/// leaves mesh mode.
pub(crate) fn fork_child() {
    if FORKING.swap(false, Ordering::AcqRel) {
        fault::fork_child();
        PASS.release();
    }
}

/// Leaves mesh mode in a forked child (called once its chunks are private).
fn deactivate() {
    ACTIVE.store(false, Ordering::Release);
}

const _: () = assert!(PAGE == crate::sys::OS_PAGE);

#[cfg(test)]
mod tests {
    use super::*;

    /// The in-page byte ranges `geometry` assigns to a page's blocks.
    fn ranges(i: usize, size: usize, capacity: usize) -> Vec<(usize, usize)> {
        let (first, end, rel) = geometry(i, size, capacity);
        (first..end)
            .map(|k| ((k - first) * size).saturating_sub(rel)..((k - first + 1) * size - rel).min(PAGE))
            .map(|r| (r.start, r.end))
            .collect()
    }

    #[test]
    fn pages_with_equal_rel_have_blocks_at_equal_offsets() {
        for size in [16, 48, 80, 96, 112, 160, 192, 224, 320, 1280, 3072] {
            let capacity = 16 * PAGE / size;
            for i in 0..16 {
                let (first, end, rel) = geometry(i, size, capacity);
                // Every byte of the page below the slab's end belongs to
                // exactly one listed block, and the list is exact.
                let covered: usize = ranges(i, size, capacity).iter().map(|(a, b)| b - a).sum();
                let slab_end = (capacity * size).saturating_sub(i * PAGE).min(PAGE);
                assert_eq!(covered, slab_end, "size {size} page {i}");
                assert!(first <= end && rel < size);
                for j in 0..i {
                    if geometry(j, size, capacity).2 == rel {
                        let (a, b) = (ranges(i, size, capacity), ranges(j, size, capacity));
                        let n = a.len().min(b.len());
                        assert_eq!(
                            a.get(..n.saturating_sub(1)),
                            b.get(..n.saturating_sub(1)),
                            "size {size} pages {j}, {i}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn overlap_is_any_common_bit() {
        assert!(!overlaps(&[1, 0, 0, 0], &[2, 0, 0, 0]));
        assert!(overlaps(&[0, 0, 0, 1 << 63], &[0, 0, 0, 1 << 63]));
        assert!(!overlaps(&[u64::MAX, 0, 0, 0], &[0, u64::MAX, u64::MAX, u64::MAX]));
    }

    #[test]
    fn max_map_count_is_read() {
        assert!(backing::max_map_count().is_some_and(|n| n > 0));
    }
}
