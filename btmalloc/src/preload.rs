//! The C malloc family exported for `LD_PRELOAD` (feature `preload`),
//! including the C++ `operator new` / `operator delete` family, so that
//! C++ call sites are keyed by their own return address rather than one
//! inside libstdc++.
//!
//! Entry points: the exported symbols below. Every allocating function is
//! a naked trampoline that loads its return address (`[rsp]` at entry) into
//! the next free argument register and jumps to the Rust implementation,
//! which therefore returns straight to the caller: capturing the call site
//! costs one load.
//!
//! Deviations from glibc: a throwing `operator new` that cannot allocate
//! prints a message and aborts (it cannot raise `std::bad_alloc` from Rust);
//! `mallopt` accepts and ignores every option; `realloc` of a pointer
//! btmalloc did not allocate returns null instead of crashing.
#![allow(non_snake_case)]

use core::ffi::{c_int, c_void};

use crate::engine;
use crate::sys;

/// Declares an exported naked trampoline `$name` that passes its return
/// address in `$reg` (the first argument register after its own
/// arguments) to `$imp`.
macro_rules! trampoline {
    ($(#[$m:meta])* fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $imp:ident via $reg:literal;) => {
        $(#[$m])*
        ///
        /// # Safety
        /// Same contract as the C function of this name.
        #[unsafe(naked)]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name($($arg: $ty),*) -> $ret {
            core::arch::naked_asm!(concat!("mov ", $reg, ", qword ptr [rsp]"), "jmp {imp}", imp = sym $imp)
        }
    };
}

fn set_errno(e: c_int) {
    // SAFETY: `__errno_location` returns this thread's errno slot.
    unsafe { *libc::__errno_location() = e };
}

fn get_errno() -> c_int {
    // SAFETY: as above.
    unsafe { *libc::__errno_location() }
}

fn nomem(p: *mut u8) -> *mut c_void {
    if p.is_null() {
        set_errno(libc::ENOMEM);
    }
    p.cast()
}

trampoline! {
    /// `malloc(size)`.
    fn malloc(size: usize) -> *mut c_void = malloc_impl via "rsi";
}
extern "C" fn malloc_impl(size: usize, site: usize) -> *mut c_void {
    // The engine sets errno to ENOMEM when it returns null.
    engine::alloc(size, site).cast()
}

trampoline! {
    /// `calloc(n, size)`: null with `ENOMEM` if `n * size` overflows.
    fn calloc(n: usize, size: usize) -> *mut c_void = calloc_impl via "rdx";
}
extern "C" fn calloc_impl(n: usize, size: usize, site: usize) -> *mut c_void {
    nomem(engine::calloc(n, size, site))
}

trampoline! {
    /// `realloc(p, size)`: glibc semantics (`size == 0` frees `p` and returns null).
    fn realloc(p: *mut c_void, size: usize) -> *mut c_void = realloc_impl via "rdx";
}
extern "C" fn realloc_impl(p: *mut c_void, size: usize, site: usize) -> *mut c_void {
    let q = engine::realloc(p.cast(), size, site);
    if q.is_null() && size != 0 {
        set_errno(libc::ENOMEM);
    }
    q.cast()
}

trampoline! {
    /// `reallocarray(p, n, size)`: `realloc` with an overflow check.
    fn reallocarray(p: *mut c_void, n: usize, size: usize) -> *mut c_void = reallocarray_impl via "rcx";
}
extern "C" fn reallocarray_impl(p: *mut c_void, n: usize, size: usize, site: usize) -> *mut c_void {
    match n.checked_mul(size) {
        Some(total) => realloc_impl(p, total, site),
        None => {
            set_errno(libc::ENOMEM);
            core::ptr::null_mut()
        }
    }
}

trampoline! {
    /// `posix_memalign(out, align, size)`: `EINVAL` unless `align` is a power
    /// of two multiple of `sizeof(void *)`; never changes `errno`.
    fn posix_memalign(out: *mut *mut c_void, align: usize, size: usize) -> c_int = posix_memalign_impl via "rcx";
}
extern "C" fn posix_memalign_impl(out: *mut *mut c_void, align: usize, size: usize, site: usize) -> c_int {
    if !align.is_power_of_two() || !align.is_multiple_of(core::mem::size_of::<usize>()) {
        return libc::EINVAL;
    }
    let saved = get_errno();
    let p = engine::alloc_aligned(size, align, site);
    set_errno(saved);
    if p.is_null() {
        return libc::ENOMEM;
    }
    // SAFETY: the caller passes a valid out-pointer.
    unsafe { *out = p.cast() };
    0
}

trampoline! {
    /// `aligned_alloc(align, size)`: null with `EINVAL` unless `align` is a power of two.
    fn aligned_alloc(align: usize, size: usize) -> *mut c_void = aligned_alloc_impl via "rdx";
}
extern "C" fn aligned_alloc_impl(align: usize, size: usize, site: usize) -> *mut c_void {
    if !align.is_power_of_two() {
        set_errno(libc::EINVAL);
        return core::ptr::null_mut();
    }
    nomem(engine::alloc_aligned(size, align, site))
}

trampoline! {
    /// `memalign(align, size)`: a non-power-of-two `align` is rounded up.
    fn memalign(align: usize, size: usize) -> *mut c_void = memalign_impl via "rdx";
}
extern "C" fn memalign_impl(align: usize, size: usize, site: usize) -> *mut c_void {
    let Some(align) = align.checked_next_power_of_two() else {
        set_errno(libc::EINVAL);
        return core::ptr::null_mut();
    };
    nomem(engine::alloc_aligned(size, align, site))
}

trampoline! {
    /// `valloc(size)`: page-aligned.
    fn valloc(size: usize) -> *mut c_void = valloc_impl via "rsi";
}
extern "C" fn valloc_impl(size: usize, site: usize) -> *mut c_void {
    nomem(engine::alloc_aligned(size, sys::OS_PAGE, site))
}

trampoline! {
    /// `pvalloc(size)`: page-aligned, size rounded up to whole pages.
    fn pvalloc(size: usize) -> *mut c_void = pvalloc_impl via "rsi";
}
extern "C" fn pvalloc_impl(size: usize, site: usize) -> *mut c_void {
    let Some(rounded) = size.max(1).checked_next_multiple_of(sys::OS_PAGE) else {
        set_errno(libc::ENOMEM);
        return core::ptr::null_mut();
    };
    nomem(engine::alloc_aligned(rounded, sys::OS_PAGE, site))
}

/// `free(p)`: null and pointers btmalloc did not allocate are ignored.
///
/// # Safety
/// Same contract as C `free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn free(p: *mut c_void) {
    engine::free(p.cast());
}

/// `cfree(p)`: the old name of `free`.
///
/// # Safety
/// Same contract as C `free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cfree(p: *mut c_void) {
    engine::free(p.cast());
}

/// `malloc_usable_size(p)`: 0 for null and foreign pointers.
///
/// # Safety
/// Same contract as the glibc function.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn malloc_usable_size(p: *mut c_void) -> usize {
    engine::usable_size(p.cast())
}

/// `malloc_trim(pad)`: collects this thread's remote frees, gives its
/// empty slabs back to the system and, with `BTMALLOC_MESH=1`, meshes its
/// sparse slabs. Returns 1.
///
/// # Safety
/// None beyond the C contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn malloc_trim(_pad: usize) -> c_int {
    engine::flush_thread();
    1
}

/// `mallopt(param, value)`: accepted and ignored; returns 1 (success).
///
/// # Safety
/// None beyond the C contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mallopt(_param: c_int, _value: c_int) -> c_int {
    1
}

/// `malloc_stats()`: prints btmalloc's counters to stderr.
///
/// # Safety
/// None beyond the C contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn malloc_stats() {
    sys::report(b"btmalloc: partitions ", engine::config().partitions);
    sys::report(b"btmalloc: invalid frees ", crate::internal::invalid_frees());
    sys::report(b"btmalloc: double frees ", crate::internal::double_frees());
    sys::report(b"btmalloc: corrupted freelist links ", crate::internal::corruptions());
    sys::report(b"btmalloc: pages decommitted in the background ", crate::internal::released_pages());
    sys::report(
        b"btmalloc: purge with MADV_FREE (1) or MADV_DONTNEED (0) ",
        usize::from(crate::internal::purge_uses_madv_free()),
    );
    sys::report(b"btmalloc: physical pages given back by meshing ", crate::internal::meshed_pages());
    sys::report(b"btmalloc: writes that waited for a mesh copy ", crate::internal::mesh_fault_waits());
    let c = crate::internal::census();
    let [s0, s1, s2, s3, s4] = c.slab_pages;
    sys::report(b"btmalloc: census: chunks ", c.chunks);
    sys::report(b"btmalloc: census: metadata pages ", c.meta_pages);
    for (label, n) in [
        (&b"btmalloc: census: slab pages <=1/8 used "[..], s0),
        (b"btmalloc: census: slab pages <=1/4 used ", s1),
        (b"btmalloc: census: slab pages <=1/2 used ", s2),
        (b"btmalloc: census: slab pages <1 used ", s3),
        (b"btmalloc: census: slab pages full ", s4),
        (b"btmalloc: census: reserve (empty kept) slabs ", c.reserve_slabs),
        (b"btmalloc: census: reserve slabs purged ", c.reserve_purged),
        (b"btmalloc: census: reserve pages ", c.reserve_pages),
        (b"btmalloc: census: meshed slab pages ", c.meshed_pages),
        (b"btmalloc: census: medium pages ", c.medium_pages),
        (b"btmalloc: census: committed free pages ", c.dirty_pages),
        (b"btmalloc: census: small used KiB ", c.small_used_bytes / 1024),
    ] {
        sys::report(label, n);
    }
}

fn new_or_abort(p: *mut u8) -> *mut c_void {
    if p.is_null() {
        sys::write_stderr(b"btmalloc: operator new: out of memory\n");
        // SAFETY: abort has no preconditions.
        unsafe { libc::abort() };
    }
    p.cast()
}

extern "C" fn new_impl(size: usize, site: usize) -> *mut c_void {
    new_or_abort(engine::alloc(size, site))
}
extern "C" fn new_nothrow_impl(size: usize, _nothrow: *const c_void, site: usize) -> *mut c_void {
    engine::alloc(size, site).cast()
}
extern "C" fn new_aligned_impl(size: usize, align: usize, site: usize) -> *mut c_void {
    new_or_abort(engine::alloc_aligned(size, align, site))
}
extern "C" fn new_aligned_nothrow_impl(size: usize, align: usize, _nothrow: *const c_void, site: usize) -> *mut c_void {
    engine::alloc_aligned(size, align, site).cast()
}

trampoline! {
    /// `operator new(size_t)`.
    fn _Znwm(size: usize) -> *mut c_void = new_impl via "rsi";
}
trampoline! {
    /// `operator new[](size_t)`.
    fn _Znam(size: usize) -> *mut c_void = new_impl via "rsi";
}
trampoline! {
    /// `operator new(size_t, const std::nothrow_t&)`.
    fn _ZnwmRKSt9nothrow_t(size: usize, nothrow: *const c_void) -> *mut c_void = new_nothrow_impl via "rdx";
}
trampoline! {
    /// `operator new[](size_t, const std::nothrow_t&)`.
    fn _ZnamRKSt9nothrow_t(size: usize, nothrow: *const c_void) -> *mut c_void = new_nothrow_impl via "rdx";
}
trampoline! {
    /// `operator new(size_t, std::align_val_t)`.
    fn _ZnwmSt11align_val_t(size: usize, align: usize) -> *mut c_void = new_aligned_impl via "rdx";
}
trampoline! {
    /// `operator new[](size_t, std::align_val_t)`.
    fn _ZnamSt11align_val_t(size: usize, align: usize) -> *mut c_void = new_aligned_impl via "rdx";
}
trampoline! {
    /// `operator new(size_t, std::align_val_t, const std::nothrow_t&)`.
    fn _ZnwmSt11align_val_tRKSt9nothrow_t(size: usize, align: usize, nothrow: *const c_void) -> *mut c_void
        = new_aligned_nothrow_impl via "rcx";
}
trampoline! {
    /// `operator new[](size_t, std::align_val_t, const std::nothrow_t&)`.
    fn _ZnamSt11align_val_tRKSt9nothrow_t(size: usize, align: usize, nothrow: *const c_void) -> *mut c_void
        = new_aligned_nothrow_impl via "rcx";
}

/// Declares exported `operator delete` variants, all of which free their
/// first argument.
macro_rules! deletes {
    ($($(#[$m:meta])* fn $name:ident($($arg:ident: $ty:ty),*);)*) => {$(
        $(#[$m])*
        ///
        /// # Safety
        /// Same contract as the C++ operator.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(p: *mut c_void, $(_: $ty),*) {
            engine::free(p.cast());
        }
    )*};
}

deletes! {
    /// `operator delete(void*)`.
    fn _ZdlPv();
    /// `operator delete[](void*)`.
    fn _ZdaPv();
    /// `operator delete(void*, size_t)`.
    fn _ZdlPvm(size: usize);
    /// `operator delete[](void*, size_t)`.
    fn _ZdaPvm(size: usize);
    /// `operator delete(void*, const std::nothrow_t&)`.
    fn _ZdlPvRKSt9nothrow_t(nothrow: *const c_void);
    /// `operator delete[](void*, const std::nothrow_t&)`.
    fn _ZdaPvRKSt9nothrow_t(nothrow: *const c_void);
    /// `operator delete(void*, std::align_val_t)`.
    fn _ZdlPvSt11align_val_t(align: usize);
    /// `operator delete[](void*, std::align_val_t)`.
    fn _ZdaPvSt11align_val_t(align: usize);
    /// `operator delete(void*, size_t, std::align_val_t)`.
    fn _ZdlPvmSt11align_val_t(size: usize, align: usize);
    /// `operator delete[](void*, size_t, std::align_val_t)`.
    fn _ZdaPvmSt11align_val_t(size: usize, align: usize);
    /// `operator delete(void*, std::align_val_t, const std::nothrow_t&)`.
    fn _ZdlPvSt11align_val_tRKSt9nothrow_t(align: usize, nothrow: *const c_void);
    /// `operator delete[](void*, std::align_val_t, const std::nothrow_t&)`.
    fn _ZdaPvSt11align_val_tRKSt9nothrow_t(align: usize, nothrow: *const c_void);
}
