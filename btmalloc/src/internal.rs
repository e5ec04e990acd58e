//! Entry points for tests and fuzzers, not part of the stable API.
//!
//! Entry points: [`malloc`], [`free`], [`realloc`], [`aligned`],
//! [`usable_size`], [`flush_thread`], [`invalid_frees`], [`double_frees`],
//! [`fuzz_api_sequence`].
#![doc(hidden)]

use core::sync::atomic::Ordering;

use crate::engine;

/// `malloc(size)` at call site `site`.
#[must_use]
pub fn malloc(size: usize, site: usize) -> *mut u8 {
    engine::alloc(size, site)
}

/// `free(p)`: null and foreign pointers are ignored.
pub fn free(p: *mut u8) {
    engine::free(p);
}

/// `calloc(n, size)`: zeroed, null if `n * size` overflows.
#[must_use]
pub fn calloc(n: usize, size: usize, site: usize) -> *mut u8 {
    engine::calloc(n, size, site)
}

/// `realloc(p, size)` with glibc semantics for size 0.
#[must_use]
pub fn realloc(p: *mut u8, size: usize, site: usize) -> *mut u8 {
    engine::realloc(p, size, site)
}

/// An allocation of `size` bytes aligned to `align` (a power of two).
#[must_use]
pub fn aligned(size: usize, align: usize, site: usize) -> *mut u8 {
    engine::alloc_aligned(size, align, site)
}

/// Usable size of `p` (0 for null or foreign pointers).
#[must_use]
pub fn usable_size(p: *mut u8) -> usize {
    engine::usable_size(p)
}

/// Collects this thread's remote frees and releases its empty slabs.
pub fn flush_thread() {
    engine::flush_thread();
}

/// Whether the calling thread's heap was already released at thread exit
/// (its allocations now go to the shared orphan heap).
#[must_use]
pub fn thread_heap_released() -> bool {
    crate::tls::get() == crate::tls::DEAD
}

/// Frees of pointers btmalloc did not allocate, so far.
#[must_use]
pub fn invalid_frees() -> usize {
    engine::INVALID_FREES.load(Ordering::Relaxed)
}

/// Corrupted freelist links detected, so far.
#[must_use]
pub fn corruptions() -> usize {
    crate::registry::HOT.corruptions.load(Ordering::Relaxed)
}

/// Free pages the background releaser has decommitted, so far.
#[must_use]
pub fn released_pages() -> usize {
    crate::releaser::PURGED_PAGES.load(Ordering::Relaxed)
}

/// Meshes the calling thread's sparse slabs now (`BTMALLOC_MESH=1` only;
/// `malloc_trim` does the same after releasing empty slabs). Returns the
/// physical pages given back. Call it where this thread is not in the
/// middle of using memory it shares with a system call (see `mesh`).
pub fn mesh_thread() -> usize {
    engine::mesh_thread()
}

/// Whether mesh mode (`BTMALLOC_MESH=1`) is on in this process.
#[must_use]
pub fn mesh_active() -> bool {
    crate::mesh::active()
}

/// Physical pages given back by meshing so far.
#[must_use]
pub fn meshed_pages() -> usize {
    crate::mesh::MESHED_PAGES.load(Ordering::Relaxed)
}

/// Writes by other threads that hit a page during its mesh copy and waited
/// for it, so far.
#[must_use]
pub fn mesh_fault_waits() -> usize {
    crate::mesh::fault_waits()
}

/// Whether free pages are given back with `MADV_FREE` (else `MADV_DONTNEED`).
#[must_use]
pub fn purge_uses_madv_free() -> bool {
    crate::sys::purge_mode() == crate::sys::PURGE_FREE
}

pub use crate::census::Census;

/// Where the heaps' resident memory is now (exact while the process is
/// quiet; see `census`).
#[must_use]
pub fn census() -> Census {
    crate::census::take()
}

/// Double frees detected, so far.
#[must_use]
pub fn double_frees() -> usize {
    engine::DOUBLE_FREES.load(Ordering::Relaxed)
}

/// Runs an API call sequence decoded from fuzz input, checking contents,
/// alignment and usable sizes as it goes; panics (a fuzz finding) on any
/// mismatch. Each 4-byte record is `op, slot, size_lo, size_hi`.
pub fn fuzz_api_sequence(data: &[u8]) {
    const SLOTS: usize = 16;
    let mut live: [(usize, usize, u8); SLOTS] = [(0, 0, 0); SLOTS];
    for (i, rec) in data.chunks_exact(4).enumerate() {
        let &[op, slot, lo, hi] = rec else { continue };
        let slot = usize::from(slot) % SLOTS;
        let size = usize::from(lo) | (usize::from(hi & 0x7f) << 8) << ((hi >> 7) * 4);
        let fill = i as u8 | 1;
        let Some(&(p, n, f)) = live.get(slot) else { continue };
        if p != 0 {
            check(p, n, f);
        }
        match op % 5 {
            0 | 1 => {
                free(p as *mut u8);
                let q = if op % 5 == 0 { malloc(size, usize::from(op)) } else { aligned(size, 16 << (op % 8), 7) };
                write(q as usize, size, fill);
                set(&mut live, slot, (q as usize, size, fill));
            }
            2 => {
                let q = realloc(p as *mut u8, size, usize::from(op));
                if size == 0 {
                    free(q);
                    set(&mut live, slot, (0, 0, 0));
                } else if !q.is_null() {
                    check(q as usize, n.min(size), f);
                    write(q as usize, size, fill);
                    set(&mut live, slot, (q as usize, size, fill));
                }
            }
            3 => {
                free(p as *mut u8);
                set(&mut live, slot, (0, 0, 0));
            }
            _ => {
                // A pointer btmalloc never returned must be ignored.
                let stack = 0u64;
                free((&raw const stack).cast_mut().cast());
            }
        }
    }
    for (p, _, _) in live {
        free(p as *mut u8);
    }

    fn set(live: &mut [(usize, usize, u8)], slot: usize, v: (usize, usize, u8)) {
        if let Some(e) = live.get_mut(slot) {
            *e = v;
        }
    }

    fn write(p: usize, n: usize, fill: u8) {
        assert!(p != 0, "allocation of {n} bytes failed");
        assert!(usable_size(p as *mut u8) >= n);
        // SAFETY: `p` holds at least `n` bytes.
        unsafe { core::ptr::write_bytes(p as *mut u8, fill, n) };
    }

    fn check(p: usize, n: usize, fill: u8) {
        // SAFETY: `p` holds at least `n` bytes written with `fill`.
        let s = unsafe { core::slice::from_raw_parts(p as *const u8, n) };
        assert!(s.iter().all(|&b| b == fill), "contents of block {p:#x} changed");
    }
}
