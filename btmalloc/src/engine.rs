//! The allocator proper: process-wide state, lazy initialisation, and the
//! operations every front end (C exports, `GlobalAlloc`, `alloc_at`) calls.
//!
//! Entry points: [`alloc`], [`alloc_aligned`], [`free`], [`realloc`],
//! [`usable_size`]. The first call in a process initialises the chunk
//! registry, the keys and the configuration, then registers the fork
//! handlers; the first call in a thread takes a heap from the pool and
//! registers a pthread key whose destructor pools it again at thread exit.

use core::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};

use crate::config::Config;
use crate::heap::{self, Heap};
use crate::size_class::{self, MAX_SMALL};
use crate::sys::{self, SpinLock};
use crate::{chunk, huge, profile, registry, releaser, slab, tls};

const UNINIT: u8 = 0;
const INITIALISING: u8 = 1;
const READY: u8 = 2;
const FAILED: u8 = 3;

static STATE: AtomicU8 = AtomicU8::new(UNINIT);
static PARTITIONS: AtomicUsize = AtomicUsize::new(1);
static INTERNED: AtomicBool = AtomicBool::new(false);
static THREAD_KEY: AtomicUsize = AtomicUsize::new(usize::MAX);

/// Count of frees that named a pointer btmalloc did not hand out.
pub(crate) static INVALID_FREES: AtomicUsize = AtomicUsize::new(0);
/// Count of double frees detected (and ignored).
pub(crate) static DOUBLE_FREES: AtomicUsize = AtomicUsize::new(0);

/// The heap used by threads whose own heap was released at thread exit
/// (destructors that still allocate), guarded by its lock.
struct Orphan {
    heap: *mut Heap,
}

// SAFETY: only touched under its lock.
unsafe impl Send for Orphan {}

static ORPHAN: SpinLock<Orphan> = SpinLock::new(Orphan { heap: core::ptr::null_mut() });

/// Entries of [`SMALL_CLASS`]: one per 16 bytes up to `MAX_SMALL`.
const SMALL_ENTRIES: usize = MAX_SMALL / 16 + 1;

/// Size-class lookup for every small size, indexed by `(size + 15) / 16`
/// (2 KiB): one load, no range test once `size <= MAX_SMALL` is known.
/// (A const initialiser cannot use `get_mut`; `i < SMALL_ENTRIES` by the loop.)
#[allow(clippy::indexing_slicing)]
static SMALL_CLASS: [u8; SMALL_ENTRIES] = {
    let mut t = [0u8; SMALL_ENTRIES];
    let mut i = 0;
    while i < SMALL_ENTRIES {
        t[i] = match size_class::class_of(i * 16) {
            Some(c) => c as u8,
            None => 0,
        };
        i += 1;
    }
    t
};

const _: () = assert!(size_class::CLASS_COUNT <= 256 && MAX_SMALL.is_multiple_of(16));

#[inline(always)]
fn class_of(size: usize) -> usize {
    match SMALL_CLASS.get((size + 15) >> 4) {
        Some(&c) => usize::from(c),
        None => size_class::class_of(size).unwrap_or(0),
    }
}

/// The configuration in force (initialising if needed).
pub(crate) fn config() -> Config {
    ensure_init();
    Config::with_partitions(PARTITIONS.load(Ordering::Relaxed)).interned(INTERNED.load(Ordering::Relaxed))
}

#[inline(always)]
fn ensure_init() -> bool {
    STATE.load(Ordering::Acquire) == READY || init_slow()
}

#[cold]
fn init_slow() -> bool {
    match STATE.compare_exchange(UNINIT, INITIALISING, Ordering::Acquire, Ordering::Acquire) {
        Ok(_) => {}
        Err(READY) => return true,
        Err(FAILED) => return false,
        Err(_) => {
            while STATE.load(Ordering::Acquire) == INITIALISING {
                // SAFETY: no preconditions.
                unsafe { libc::sched_yield() };
            }
            return STATE.load(Ordering::Acquire) == READY;
        }
    }
    if !registry::init() {
        STATE.store(FAILED, Ordering::Release);
        return false;
    }
    registry::HOT.key.store(sys::random_u64() as usize, Ordering::Relaxed);
    registry::HOT.canary.store(sys::random_u64() as usize, Ordering::Relaxed);
    let config = Config::from_env();
    PARTITIONS.store(config.partitions, Ordering::Relaxed);
    INTERNED.store(config.interned, Ordering::Relaxed);
    profile::init();
    sys::init_purge();
    crate::mesh::init();
    releaser::init();
    let mut key: libc::pthread_key_t = 0;
    // SAFETY: `key` is a valid out-pointer; the destructor is a plain fn.
    if unsafe { libc::pthread_key_create(&raw mut key, Some(thread_exit)) } == 0 {
        THREAD_KEY.store(key as usize, Ordering::Relaxed);
    }
    if !profile::enabled() {
        registry::arm_free_path();
    }
    STATE.store(READY, Ordering::Release);
    // Registering may itself call malloc, which now works.
    // SAFETY: the handlers are plain fns that only take and drop locks.
    unsafe { libc::pthread_atfork(Some(fork_prepare), Some(fork_parent), Some(fork_child)) };
    true
}

/// The process-wide safe-linking key.
#[inline(always)]
pub(crate) fn key() -> usize {
    registry::HOT.key.load(Ordering::Relaxed)
}

unsafe extern "C" fn thread_exit(_arg: *mut libc::c_void) {
    let h = tls::heap();
    tls::set(tls::DEAD);
    if !h.is_null() {
        // SAFETY: the heap was this thread's, and the slot no longer names it.
        unsafe { Heap::release(h) };
    }
}

extern "C" fn fork_prepare() {
    releaser::fork_prepare();
    ORPHAN.acquire();
    heap::lock_pool();
    chunk::lock_pool();
    huge::lock();
    profile::lock();
    // Last: makes the mesh-mode chunks read-only until the child copied them.
    crate::mesh::fork_prepare();
}

extern "C" fn fork_parent() {
    crate::mesh::fork_parent();
    unlock_all();
    releaser::fork_parent();
}

fn unlock_all() {
    profile::unlock();
    huge::unlock();
    chunk::unlock_pool();
    heap::unlock_pool();
    ORPHAN.release();
}

/// In the child only the forking thread survives; the heaps of the other
/// threads stay marked in use forever (their state may be mid-update), so
/// nothing else needs resetting: frees into their slabs go through the
/// lock-free remote path. The background releaser did not survive: the
/// next page release starts a new one.
extern "C" fn fork_child() {
    crate::mesh::fork_child();
    unlock_all();
    profile::fork_child();
    releaser::fork_child();
}

/// Allocates `size` bytes (16-byte aligned) for call site `site`. On
/// failure returns null with `errno` set to `ENOMEM`.
#[inline(always)]
pub(crate) fn alloc(size: usize, site: usize) -> *mut u8 {
    if size <= MAX_SMALL {
        // One signed compare rejects "no heap yet" (0), "released"
        // (DEAD) and heaps that must allocate out of line (SPECIAL set:
        // interned partitions, the profiler).
        let h = tls::get();
        if h as isize > tls::DEAD as isize {
            // SAFETY: `h` is this thread's (plain) heap; the class is in range.
            return unsafe { heap::alloc_small(h as *mut Heap, class_of(size), site) };
        }
        return alloc_cold(size, site);
    }
    alloc_large(size, site)
}

#[cold]
#[inline(never)]
extern "C" fn alloc_large(size: usize, site: usize) -> *mut u8 {
    if !ensure_init() {
        return sys::enomem();
    }
    let h = tls::heap();
    let p = if size <= heap::MEDIUM_MAX && !h.is_null() {
        // SAFETY: `h` is this thread's heap.
        unsafe { heap::alloc_medium(h, size) }
    } else {
        sys::null_is_enomem(huge::alloc(size, 16))
    };
    if profile::enabled() {
        profile::on_alloc(p, size, site);
    }
    p
}

/// Small allocations off the fast path: first call of the process or
/// thread, a thread past exit, interned partitions, the profiler.
#[cold]
#[inline(never)]
extern "C" fn alloc_cold(size: usize, site: usize) -> *mut u8 {
    if !ensure_init() {
        return sys::enomem();
    }
    let p = alloc_small_any(class_of(size), site);
    if profile::enabled() {
        profile::on_alloc(p, size, site);
    }
    p
}

fn alloc_small_any(class: usize, site: usize) -> *mut u8 {
    let h = tls::heap();
    if !h.is_null() {
        // SAFETY: `h` is this thread's heap.
        return unsafe { heap::alloc_any(h, class, site) };
    }
    if tls::get() == tls::DEAD {
        return ORPHAN.with(|o| {
            if o.heap.is_null() {
                o.heap = Heap::acquire(key(), PARTITIONS.load(Ordering::Relaxed), INTERNED.load(Ordering::Relaxed));
            }
            if o.heap.is_null() {
                return sys::enomem();
            }
            // SAFETY: the orphan heap is owned by whoever holds the lock.
            unsafe { heap::alloc_any(o.heap, class, site) }
        });
    }
    let h = Heap::acquire(key(), PARTITIONS.load(Ordering::Relaxed), INTERNED.load(Ordering::Relaxed));
    if h.is_null() {
        return sys::enomem();
    }
    // SAFETY: a fresh heap of ours.
    tls::set(unsafe { Heap::slot_value(h) });
    let tk = THREAD_KEY.load(Ordering::Relaxed);
    if tk != usize::MAX {
        // SAFETY: a key we created; the value is only used as a flag.
        unsafe { libc::pthread_setspecific(tk as libc::pthread_key_t, h.cast()) };
    }
    // SAFETY: `h` is now this thread's heap.
    unsafe { heap::alloc_any(h, class, site) }
}

/// Allocates `n * size` zeroed bytes; null if the product overflows.
pub(crate) fn calloc(n: usize, size: usize, site: usize) -> *mut u8 {
    let Some(total) = n.checked_mul(size) else {
        return core::ptr::null_mut();
    };
    let p = alloc(total, site);
    if !p.is_null() {
        // SAFETY: `p` holds at least `total` bytes.
        unsafe { core::ptr::write_bytes(p, 0, total) };
    }
    p
}

/// Allocates `size` bytes aligned to `align` (a power of two).
pub(crate) fn alloc_aligned(size: usize, align: usize, site: usize) -> *mut u8 {
    if align <= 16 {
        return alloc(size, site);
    }
    // A power-of-two block size at least `align` is `align`-aligned when
    // `align <= PAGE`: slabs start on 4 KiB page boundaries, and every
    // block offset is a multiple of the (power-of-two) block size.
    let rounded = size.max(align).checked_next_power_of_two().unwrap_or(usize::MAX);
    if rounded <= MAX_SMALL && align <= chunk::PAGE {
        return alloc(rounded, site);
    }
    // Medium blocks start on a page boundary.
    if size > MAX_SMALL && size <= heap::MEDIUM_MAX && align <= chunk::PAGE && !tls::heap().is_null() {
        return alloc(size, site);
    }
    if !ensure_init() {
        return sys::enomem();
    }
    let p = sys::null_is_enomem(huge::alloc(size.max(1), align));
    if profile::enabled() {
        profile::on_alloc(p, size, site);
    }
    p
}

/// What a pointer passed to `free` turned out to be.
enum Owner {
    Small(*mut slab::Slab),
    Huge,
    Foreign,
}

#[inline(always)]
fn classify(p: usize) -> Owner {
    if registry::is_chunk(p) {
        // SAFETY: `p` is in a registered chunk.
        if let Some(s) = unsafe { chunk::slab_of(p) } {
            // SAFETY: descriptors of registered chunks stay readable.
            if unsafe { s.as_ref().is_block(p) } {
                return Owner::Small(s.as_ptr());
            }
        }
        return Owner::Foreign;
    }
    if huge::usable_size(p).is_some() { Owner::Huge } else { Owner::Foreign }
}

/// Frees `p` (null and foreign pointers are ignored; double frees are
/// reported and ignored).
#[inline(always)]
pub(crate) fn free(p: *mut u8) {
    let a = p as usize;
    if registry::in_arena_for_free(a) {
        return free_in_chunk(a);
    }
    free_other(a);
}

/// `free` of an address inside one of our chunks.
#[inline(always)]
fn free_in_chunk(a: usize) {
    // SAFETY: `a` is in a registered chunk.
    if let Some(s) = unsafe { chunk::slab_of(a) } {
        let s = s.as_ptr();
        // SAFETY: descriptors of registered chunks stay readable.
        if unsafe { (*s).is_block(a) } {
            let canary = registry::HOT.canary.load(Ordering::Relaxed) ^ a;
            let word = (a + 8) as *mut usize;
            // SAFETY: blocks are at least 16 bytes.
            if unsafe { *word } == canary {
                return double_free(a);
            }
            // SAFETY: as above.
            unsafe { *word = canary };
            // SAFETY: `a` is a carved block of live slab `s`. The raw
            // slot value: 0, DEAD and a SPECIAL-tagged value of another
            // heap never equal the slab's owner.
            return unsafe { heap::free_small(s, a, tls::get()) };
        }
    }
    invalid_free(a);
}

/// `free` off the fast path: null, a huge block, a pointer that is not
/// ours, any pointer before initialisation or while the profiler records.
#[cold]
#[inline(never)]
extern "C" fn free_other(a: usize) {
    if profile::enabled() {
        profile::on_free(a as *mut u8);
    }
    if registry::is_chunk(a) {
        return free_in_chunk(a);
    }
    if a != 0 && !huge::free(a) {
        invalid_free(a);
    }
}

/// How many of each kind of misuse are reported on stderr (then silence).
const REPORT_LIMIT: usize = 8;

#[cold]
extern "C" fn double_free(a: usize) {
    if DOUBLE_FREES.fetch_add(1, Ordering::Relaxed) < REPORT_LIMIT {
        sys::report(b"btmalloc: double free ignored: ", a);
    }
}

#[cold]
extern "C" fn invalid_free(a: usize) {
    if INVALID_FREES.fetch_add(1, Ordering::Relaxed) < REPORT_LIMIT {
        sys::report(b"btmalloc: free of a pointer btmalloc did not allocate ignored: ", a);
    }
}

/// Usable size of `p`, or 0 if `p` is null or not ours.
pub(crate) fn usable_size(p: *mut u8) -> usize {
    match classify(p as usize) {
        // SAFETY: live slab.
        Owner::Small(s) => unsafe { (*s).block_size as usize },
        Owner::Huge => huge::usable_size(p as usize).unwrap_or(0),
        Owner::Foreign => 0,
    }
}

/// Resizes `p` to `size` bytes, glibc style: null `p` allocates; `size == 0`
/// frees `p` and returns null. Returns null (leaving `p` alone) on failure
/// or if `p` is not ours.
pub(crate) fn realloc(p: *mut u8, size: usize, site: usize) -> *mut u8 {
    if p.is_null() {
        return alloc(size, site);
    }
    if size == 0 {
        free(p);
        return core::ptr::null_mut();
    }
    let old = match classify(p as usize) {
        // SAFETY: live slab.
        Owner::Small(s) => unsafe { (*s).block_size as usize },
        Owner::Huge => {
            let old = huge::usable_size(p as usize).unwrap_or(0);
            if size <= old && size > old / 2 {
                return resized(p, p, size);
            }
            if size > MAX_SMALL {
                let q = huge::realloc(p as usize, size);
                if !q.is_null() {
                    return resized(p, q, size);
                }
            }
            old
        }
        Owner::Foreign => {
            invalid_free(p as usize);
            return core::ptr::null_mut();
        }
    };
    if size <= old && (size > old / 2 || old <= 32) {
        return resized(p, p, size);
    }
    let q = alloc(size, site);
    if q.is_null() {
        return q;
    }
    // SAFETY: both blocks are ours, distinct, and at least `min` long.
    unsafe { core::ptr::copy_nonoverlapping(p, q, old.min(size)) };
    free(p);
    q
}

/// `realloc` kept block `p` (in place, or moved to `q` by `mremap`): the
/// profiler's record follows it.
#[inline(always)]
fn resized(p: *mut u8, q: *mut u8, size: usize) -> *mut u8 {
    if profile::enabled() {
        profile::on_resize(p, q, size);
    }
    q
}

/// Meshes the calling thread's sparse slabs (mesh mode only); returns the
/// physical pages given back.
pub(crate) fn mesh_thread() -> usize {
    let h = tls::heap();
    if h.is_null() {
        return 0;
    }
    // SAFETY: our own heap.
    unsafe { (*h).mesh() }
}

/// Flushes the calling thread's heap (collects remote frees, releases empty
/// slabs) without giving it up.
pub(crate) fn flush_thread() {
    let h = tls::heap();
    if !h.is_null() {
        // SAFETY: our own heap.
        unsafe { (*h).trim() };
    }
}
