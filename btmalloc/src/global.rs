//! The Rust front end: [`BtMalloc`] for `#[global_allocator]`, and
//! [`alloc_at`] / [`dealloc`] / [`realloc_at`] for callers that pass their
//! own call-site key (see the [`site!`](crate::site) macro).

use core::alloc::{GlobalAlloc, Layout};

use crate::engine;

/// The btmalloc global allocator.
///
/// A `GlobalAlloc` method cannot see its caller's return address (every
/// Rust allocation goes through the same `__rust_alloc` shim), so all
/// allocations made through this type share one call-site key (one
/// partition per size class); use [`alloc_at`] with
/// [`site!`](crate::site) where the real call site matters.
///
/// ```
/// #[global_allocator]
/// static GLOBAL: btmalloc::BtMalloc = btmalloc::BtMalloc;
///
/// let v: Vec<u32> = (0..1000).collect();
/// assert_eq!(v.iter().sum::<u32>(), 499_500);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct BtMalloc;

/// Site key used by [`BtMalloc`].
const GLOBAL_SITE: usize = 0;

// SAFETY: every method forwards to the engine, which returns blocks of at
// least the requested size and alignment, or null.
unsafe impl GlobalAlloc for BtMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        alloc_at(layout, GLOBAL_SITE)
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: forwarded contract.
        unsafe { dealloc(ptr) };
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = alloc_at(layout, GLOBAL_SITE);
        if !p.is_null() {
            // SAFETY: `p` holds at least `layout.size()` bytes.
            unsafe { core::ptr::write_bytes(p, 0, layout.size()) };
        }
        p
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded contract.
        unsafe { realloc_at(ptr, layout, new_size, GLOBAL_SITE) }
    }
}

/// Allocates a block for `layout`, keyed by call site `site` (any value
/// that identifies the caller: a return address, or [`site!`](crate::site)).
/// Returns null on failure. Free it with [`dealloc`].
#[inline]
#[must_use]
pub fn alloc_at(layout: Layout, site: usize) -> *mut u8 {
    if layout.align() <= 16 {
        engine::alloc(layout.size(), site)
    } else {
        engine::alloc_aligned(layout.size(), layout.align(), site)
    }
}

/// Frees a block from [`alloc_at`] or [`realloc_at`]. Null and pointers
/// btmalloc did not allocate are ignored.
///
/// # Safety
/// `ptr` must not be used after this call.
#[inline]
pub unsafe fn dealloc(ptr: *mut u8) {
    engine::free(ptr);
}

/// Resizes a block from [`alloc_at`] to `new_size` bytes with the
/// alignment of `layout`. Returns null on failure (the old block stays).
///
/// # Safety
/// `ptr` came from [`alloc_at`] with `layout`, and `new_size > 0`.
#[inline]
pub unsafe fn realloc_at(ptr: *mut u8, layout: Layout, new_size: usize, site: usize) -> *mut u8 {
    if layout.align() <= 16 {
        return engine::realloc(ptr, new_size, site);
    }
    let usable = engine::usable_size(ptr);
    if new_size <= usable {
        return ptr;
    }
    let q = engine::alloc_aligned(new_size, layout.align(), site);
    if !q.is_null() {
        // SAFETY: both blocks are ours, distinct, at least `min` long.
        unsafe { core::ptr::copy_nonoverlapping(ptr, q, layout.size().min(new_size)) };
        engine::free(ptr);
    }
    q
}

/// Usable size of a block btmalloc allocated (0 for null or foreign).
#[must_use]
pub fn usable_size(ptr: *mut u8) -> usize {
    engine::usable_size(ptr)
}

/// A call-site key unique to the place this macro is written: the address
/// of a static the expansion creates. Costs nothing at run time.
///
/// ```
/// use core::alloc::Layout;
///
/// let layout = Layout::from_size_align(48, 8).unwrap();
/// let p = btmalloc::alloc_at(layout, btmalloc::site!());
/// assert!(!p.is_null());
/// // SAFETY: `p` came from `alloc_at` and is not used again.
/// unsafe { btmalloc::dealloc(p) };
/// ```
#[macro_export]
macro_rules! site {
    () => {{
        static SITE: u8 = 0;
        &SITE as *const u8 as usize
    }};
}
