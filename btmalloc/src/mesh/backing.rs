//! The memfd behind mesh-mode chunks: chunk `i` is file bytes
//! `[i * 2 MiB, (i + 1) * 2 MiB)`, mapped `MAP_SHARED` at its address.
//!
//! Entry points: [`create`], [`map_chunk`], [`map_page`], [`punch`],
//! [`for_each_chunk`], [`privatize`].

use core::sync::atomic::{AtomicI32, AtomicUsize, Ordering};

use crate::chunk::{CHUNK, META_PAGES, PAGE, PAGES};

/// Most chunks in the memfd (64 GiB of address space); later chunks stay
/// private and are never meshed.
const MAX_CHUNKS: usize = 32 * 1024;

static FD: AtomicI32 = AtomicI32::new(-1);
static NEXT: AtomicUsize = AtomicUsize::new(0);
/// Base address of each memfd chunk, by file index (0: not yet mapped).
static BASES: [AtomicUsize; MAX_CHUNKS] = [const { AtomicUsize::new(0) }; MAX_CHUNKS];

/// Creates the memfd and sizes it (sparse: no memory until pages are
/// touched). False if the kernel refuses.
pub(super) fn create() -> bool {
    // SAFETY: a NUL-terminated name and valid flags.
    let fd = unsafe { libc::memfd_create(c"btmalloc-mesh".as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return false;
    }
    // SAFETY: our own fresh descriptor.
    if unsafe { libc::ftruncate(fd, (MAX_CHUNKS * CHUNK) as libc::off_t) } != 0 {
        // SAFETY: as above.
        unsafe { libc::close(fd) };
        return false;
    }
    FD.store(fd, Ordering::Release);
    true
}

/// `vm.max_map_count`, read without allocating.
pub(super) fn max_map_count() -> Option<usize> {
    // SAFETY: a NUL-terminated path; read-only, close-on-exec.
    let fd = unsafe { libc::open(c"/proc/sys/vm/max_map_count".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        return None;
    }
    let mut buf = [0u8; 24];
    // SAFETY: reads at most `buf.len()` bytes into `buf`.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
    // SAFETY: our own descriptor.
    unsafe { libc::close(fd) };
    let text = buf.get(..usize::try_from(n).ok()?)?;
    let digits = text.split(|&b| b == b'\n').next()?;
    crate::config::parse_decimal(digits)
}

/// Maps the next file chunk over the fresh private chunk at `base`; returns
/// its index plus one, or 0 (the chunk stays private) if none is left or
/// the mapping fails.
pub(super) fn map_chunk(base: usize) -> u32 {
    let i = NEXT.fetch_add(1, Ordering::Relaxed);
    if i >= MAX_CHUNKS {
        return 0;
    }
    // SAFETY: `base` is a fresh 2 MiB chunk of ours nobody uses yet; the
    // shared window replaces it in place.
    let p = unsafe {
        libc::mmap(
            base as *mut libc::c_void,
            CHUNK,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_SHARED | libc::MAP_FIXED,
            FD.load(Ordering::Relaxed),
            (i * CHUNK) as libc::off_t,
        )
    };
    if p as usize != base {
        return 0;
    }
    if let Some(slot) = BASES.get(i) {
        slot.store(base, Ordering::Release);
    }
    i as u32 + 1
}

/// Maps the page at `addr` onto file page `file_page`, replacing whatever
/// it mapped. False if the kernel refuses (the old mapping then stays).
///
/// # Safety
/// `addr` is a page of a memfd chunk whose old contents nobody needs
/// (copied elsewhere, or no live block).
pub(super) unsafe fn map_page(addr: usize, file_page: u32) -> bool {
    // SAFETY: the caller vouches for the page; MAP_FIXED swaps it atomically.
    let p = unsafe {
        libc::mmap(
            addr as *mut libc::c_void,
            PAGE,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_SHARED | libc::MAP_FIXED,
            FD.load(Ordering::Relaxed),
            (file_page as usize * PAGE) as libc::off_t,
        )
    };
    p as usize == addr
}

/// Frees the physical pages behind file pages `first..first + n` (they
/// read as zeros after).
pub(super) fn punch(first: u32, n: usize) {
    // SAFETY: holes in our own file; no mapping of them holds live data.
    unsafe {
        libc::fallocate(
            FD.load(Ordering::Relaxed),
            libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE,
            (first as usize * PAGE) as libc::off_t,
            (n * PAGE) as libc::off_t,
        )
    };
}

/// The base address of memfd chunk `index`, if mapped.
pub(super) fn base_of(index: usize) -> Option<usize> {
    let base = BASES.get(index)?.load(Ordering::Acquire);
    (base != 0).then_some(base)
}

/// Calls `f` with the base of every memfd chunk.
pub(super) fn for_each_chunk(mut f: impl FnMut(usize)) {
    let n = NEXT.load(Ordering::Acquire).min(MAX_CHUNKS);
    for slot in BASES.iter().take(n) {
        let base = slot.load(Ordering::Acquire);
        if base != 0 {
            f(base);
        }
    }
}

/// In a forked child: replaces every memfd chunk by a private copy (its
/// metadata pages and the pages of live slabs; free pages come back as
/// zeros) and closes the memfd. Async-signal-safe (system calls and
/// copies only): the fault handler may run it.
pub(super) fn privatize() {
    for_each_chunk(|base| {
        let copy = crate::sys::map(CHUNK, false);
        if copy.is_null() {
            crate::sys::write_stderr(b"btmalloc: mesh: fork child cannot copy its heap\n");
            // SAFETY: no preconditions; sharing the parent's heap would be worse.
            unsafe { libc::_exit(127) };
        }
        // SAFETY: `base` is a live memfd chunk; its header is readable.
        let free = unsafe { (*(base as *const crate::chunk::Chunk)).free_mask };
        for p in 0..PAGES {
            if p < META_PAGES || !free.get(p) {
                // SAFETY: both pages are mapped, readable, and distinct.
                unsafe {
                    core::ptr::copy_nonoverlapping((base + p * PAGE) as *const u8, copy.add(p * PAGE), PAGE);
                }
            }
        }
        // SAFETY: moves our private copy over the shared window, whole.
        let r = unsafe {
            libc::mremap(
                copy.cast(),
                CHUNK,
                CHUNK,
                libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED,
                base as *mut libc::c_void,
            )
        };
        if r as usize != base {
            crate::sys::write_stderr(b"btmalloc: mesh: fork child cannot move its heap copy\n");
            // SAFETY: as above.
            unsafe { libc::_exit(127) };
        }
    });
    let fd = FD.swap(-1, Ordering::AcqRel);
    if fd >= 0 {
        // SAFETY: our own descriptor, no longer used.
        unsafe { libc::close(fd) };
    }
}
