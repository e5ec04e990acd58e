//! Thin wrappers over the few system calls the allocator makes (mmap,
//! munmap, madvise, mremap, getrandom, write to stderr) and a spin lock.
//!
//! Entry points: [`map`], [`unmap`], [`decommit`] (with [`init_purge`]),
//! [`SpinLock`]. Nothing here
//! allocates: the allocator calls these from inside `malloc`.

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, AtomicU8, Ordering};

/// Size of an OS page on the targets we support.
pub(crate) const OS_PAGE: usize = 4096;

/// Maps `len` bytes of fresh, zeroed, read-write anonymous memory, or returns
/// null. `noreserve` asks the kernel not to reserve swap for it.
pub(crate) fn map(len: usize, noreserve: bool) -> *mut u8 {
    let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | if noreserve { libc::MAP_NORESERVE } else { 0 };
    // SAFETY: an anonymous private mapping at an address of the kernel's
    // choice touches no existing memory.
    let p = unsafe { libc::mmap(core::ptr::null_mut(), len, libc::PROT_READ | libc::PROT_WRITE, flags, -1, 0) };
    if p == libc::MAP_FAILED { core::ptr::null_mut() } else { p.cast() }
}

/// Unmaps `[p, p + len)`.
///
/// # Safety
/// The range must be a mapping (or part of one) made by [`map`] that no
/// live object still uses.
pub(crate) unsafe fn unmap(p: *mut u8, len: usize) {
    // SAFETY: the caller guarantees the range is ours and unused.
    unsafe { libc::munmap(p.cast(), len) };
}

/// How [`decommit`] gives free pages back (`BTMALLOC_PURGE`).
pub(crate) const PURGE_FREE: u8 = 0;
/// `MADV_DONTNEED`: pages leave the RSS at once and read as zeros after.
pub(crate) const PURGE_DONTNEED: u8 = 1;

/// The purge mode in force: [`PURGE_FREE`] (the default) until the kernel
/// answers `EINVAL` to `MADV_FREE` (before Linux 4.5), then
/// [`PURGE_DONTNEED`] for the rest of the process.
static PURGE: AtomicU8 = AtomicU8::new(PURGE_FREE);

/// Reads `BTMALLOC_PURGE=free|dontneed` (no allocation; anything else
/// keeps the default, `free`). Called once at start-up.
pub(crate) fn init_purge() {
    let mode = match crate::config::env_bytes(c"BTMALLOC_PURGE") {
        Some(b"dontneed") => PURGE_DONTNEED,
        _ => PURGE_FREE,
    };
    PURGE.store(mode, Ordering::Relaxed);
}

/// The purge mode in force (for `malloc_stats` and the tests).
pub(crate) fn purge_mode() -> u8 {
    PURGE.load(Ordering::Relaxed)
}

/// Gives the physical pages of `[p, p + len)` of a private anonymous
/// mapping back to the kernel; the range stays mapped.
///
/// With `MADV_FREE` the kernel takes the pages only under memory pressure:
/// until then they still count in the RSS (as `LazyFree` in
/// `/proc/self/smaps_rollup`), and a page written again before that is
/// simply kept, with its old contents. So the range afterwards reads as
/// zeros *or* as its old bytes: callers must not assume either (`calloc`
/// always clears; carving rewrites every free-list link).
///
/// # Safety
/// The range must lie in a private mapping made by [`map`] and hold no
/// live object.
pub(crate) unsafe fn decommit(p: *mut u8, len: usize) {
    if PURGE.load(Ordering::Relaxed) == PURGE_FREE {
        // SAFETY: the caller guarantees the range is ours and unused.
        let r = unsafe { madvise(p, len, libc::MADV_FREE) };
        if r != -(libc::EINVAL as isize) {
            return;
        }
        // A kernel without MADV_FREE: fall back for good.
        PURGE.store(PURGE_DONTNEED, Ordering::Relaxed);
    }
    // SAFETY: the caller guarantees the range is ours and unused.
    unsafe { madvise(p, len, libc::MADV_DONTNEED) };
}

/// `madvise` returning the kernel's result (negative errno on error).
///
/// A raw system call on x86_64 Linux: the background releaser calls this
/// from a thread with no TLS of its own, where the libc wrapper's `errno`
/// write would land in another thread's TLS.
///
/// # Safety
/// As for `madvise(2)` with `advice`.
pub(crate) unsafe fn madvise(p: *mut u8, len: usize, advice: libc::c_int) -> isize {
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    // SAFETY: forwarded to the caller.
    unsafe {
        raw_syscall3(libc::SYS_madvise, p as usize, len, advice as usize)
    }
    #[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
    {
        // SAFETY: forwarded to the caller.
        let r = unsafe { libc::madvise(p.cast(), len, advice) };
        if r == 0 { 0 } else { -(errno() as isize) }
    }
}

/// A system call with up to three arguments, without libc (so `errno` is
/// never written); returns the kernel's result (negative errno on error).
///
/// # Safety
/// The system call and its arguments must be sound to make.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
pub(crate) unsafe fn raw_syscall3(nr: libc::c_long, a: usize, b: usize, c: usize) -> isize {
    let ret: isize;
    // SAFETY: the caller vouches for the call; the kernel clobbers only
    // rax, rcx and r11.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr as isize => ret,
            in("rdi") a,
            in("rsi") b,
            in("rdx") c,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Grows or shrinks the mapping `[p, p + old)` to `new` bytes, possibly
/// moving it; null on failure (the old mapping is then untouched).
///
/// # Safety
/// `[p, p + old)` must be a whole mapping made by [`map`].
pub(crate) unsafe fn remap(p: *mut u8, old: usize, new: usize) -> *mut u8 {
    // SAFETY: the caller guarantees the range is one whole mapping of ours.
    let q = unsafe { libc::mremap(p.cast(), old, new, libc::MREMAP_MAYMOVE) };
    if q == libc::MAP_FAILED { core::ptr::null_mut() } else { q.cast() }
}

/// 64 random bits from the kernel, or a value mixed from addresses and the
/// clock if `getrandom` is unavailable.
pub(crate) fn random_u64() -> u64 {
    let mut v: u64 = 0;
    // SAFETY: writes at most 8 bytes into `v`.
    let n = unsafe { libc::getrandom((&raw mut v).cast(), 8, libc::GRND_NONBLOCK) };
    if n != 8 {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `ts` is a valid out-pointer.
        unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &raw mut ts) };
        v = (ts.tv_nsec as u64) ^ ((ts.tv_sec as u64) << 32) ^ (&raw const v as u64);
    }
    v | 1
}

/// Milliseconds of `CLOCK_MONOTONIC_COARSE` (a vDSO read, no system call
/// on Linux; for rate limits on cold paths).
pub(crate) fn coarse_ms() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid out-pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC_COARSE, &raw mut ts) };
    (ts.tv_sec as u64).wrapping_mul(1000).wrapping_add(ts.tv_nsec as u64 / 1_000_000)
}

/// Sets `errno` to `ENOMEM` and returns null (the allocation-failure path).
#[cold]
#[inline(never)]
pub(crate) fn enomem() -> *mut u8 {
    // SAFETY: `__errno_location` returns this thread's errno slot.
    unsafe { *libc::__errno_location() = libc::ENOMEM };
    core::ptr::null_mut()
}

/// `p`, or [`enomem`] if `p` is null.
#[inline(always)]
pub(crate) fn null_is_enomem(p: *mut u8) -> *mut u8 {
    if p.is_null() { enomem() } else { p }
}

/// This thread's `errno`.
pub(crate) fn errno() -> libc::c_int {
    // SAFETY: `__errno_location` returns this thread's errno slot.
    unsafe { *libc::__errno_location() }
}

/// Writes `msg` to stderr without allocating; errors are ignored.
pub(crate) fn write_stderr(msg: &[u8]) {
    // SAFETY: `msg` is a valid slice for its length.
    unsafe { libc::write(2, msg.as_ptr().cast(), msg.len()) };
}

/// Writes `label` then `value` in hex and a newline to stderr, no allocation.
pub(crate) fn report(label: &[u8], value: usize) {
    let mut buf = [0u8; 19];
    let mut n = value;
    let mut i = buf.len();
    for _ in 0..16 {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b"0123456789abcdef".get(n & 15).copied().unwrap_or(b'?');
        }
        n >>= 4;
    }
    write_stderr(label);
    write_stderr(b"0x");
    write_stderr(buf.get(i..).unwrap_or(&[]));
    write_stderr(b"\n");
}

/// A test-and-test-and-set spin lock that yields the CPU while contended.
/// It never allocates, so `malloc` can take it; it is held only on slow
/// paths (pool of heaps, pool of chunks, huge-allocation table).
pub(crate) struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the lock serialises every access to `value`.
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    /// A new unlocked lock around `value`.
    pub(crate) const fn new(value: T) -> Self {
        SpinLock { locked: AtomicBool::new(false), value: UnsafeCell::new(value) }
    }

    /// Runs `f` with the lock held.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        self.acquire();
        // SAFETY: we hold the lock, so this is the only reference.
        let r = f(unsafe { &mut *self.value.get() });
        self.release();
        r
    }

    /// Takes the lock (used directly by the fork handlers).
    pub(crate) fn acquire(&self) {
        let mut spins = 0u32;
        loop {
            if !self.locked.load(Ordering::Relaxed)
                && self.locked.compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed).is_ok()
            {
                return;
            }
            spins += 1;
            if spins < 64 {
                core::hint::spin_loop();
            } else {
                // SAFETY: sched_yield has no preconditions.
                unsafe { libc::sched_yield() };
            }
        }
    }

    /// Takes the lock if it is free; false if another holder has it.
    pub(crate) fn try_acquire(&self) -> bool {
        self.locked.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed).is_ok()
    }

    /// Releases the lock (used directly by the fork handlers).
    pub(crate) fn release(&self) {
        self.locked.store(false, Ordering::Release);
    }
}
