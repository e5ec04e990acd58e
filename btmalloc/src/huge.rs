//! Huge allocations: sizes above 1 MiB (or alignments slabs cannot give,
//! or a thread without a heap) are mapped directly, and recorded in an open-addressing
//! table keyed by the user pointer so that `free` can tell ours from
//! foreign pointers.
//!
//! Entry points: [`alloc`], [`free`], [`usable_size`], [`realloc`]. The
//! table lives in its own mapping, grows by doubling, and is guarded by a
//! spin lock (huge allocations make system calls anyway).
//!
//! Invariant: `len + tombs < cap / 2` after every insert; an entry with
//! `user == 0` is empty and with `user == TOMB` is deleted.

use crate::sys::{self, OS_PAGE, SpinLock};

const TOMB: usize = 1;

#[derive(Clone, Copy)]
#[repr(C)]
struct Entry {
    user: usize,
    base: usize,
    len: usize,
}

struct Table {
    slots: *mut Entry,
    cap: usize,
    len: usize,
    tombs: usize,
    /// Recently freed page-aligned mappings `(base, len)` kept for reuse
    /// (`len == 0`: empty slot); `sum(len) == cached <= CACHE_BYTES`.
    cache: [(usize, usize); CACHE_SLOTS],
    cached: usize,
    /// Cached mappings not decommitted since they were cached.
    dirty: usize,
    /// Cache puts and hits so far, and their count at the background
    /// releaser's previous look.
    cache_ops: usize,
    releaser_seen: usize,
}

const CACHE_SLOTS: usize = 32;
/// Bytes of freed huge mappings kept mapped for reuse (their pages are
/// decommitted by the background releaser once the cache sits idle).
const CACHE_BYTES: usize = 64 << 20;
/// Largest mapping worth caching.
const CACHE_MAX_LEN: usize = 8 << 20;

// SAFETY: only touched under its lock.
unsafe impl Send for Table {}

static TABLE: SpinLock<Table> = SpinLock::new(Table::over(core::ptr::null_mut(), 0));

/// Takes the table lock (fork handler).
pub(crate) fn lock() {
    TABLE.acquire();
}

/// Releases the table lock (fork handler).
pub(crate) fn unlock() {
    TABLE.release();
}

fn hash(user: usize, cap: usize) -> usize {
    (user >> 12).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20 & (cap - 1)
}

impl Table {
    /// An empty table (and cache) over `cap` slots at `slots`.
    const fn over(slots: *mut Entry, cap: usize) -> Self {
        Self {
            slots,
            cap,
            len: 0,
            tombs: 0,
            cache: [(0, 0); CACHE_SLOTS],
            cached: 0,
            dirty: 0,
            cache_ops: 0,
            releaser_seen: 0,
        }
    }

    fn slot(&self, i: usize) -> *mut Entry {
        // SAFETY: callers pass `i < cap`.
        unsafe { self.slots.add(i) }
    }

    fn find(&self, user: usize) -> Option<usize> {
        if self.cap == 0 {
            return None;
        }
        let mut i = hash(user, self.cap);
        for _ in 0..self.cap {
            // SAFETY: `i < cap`.
            let e = unsafe { *self.slot(i) };
            if e.user == user {
                return Some(i);
            }
            if e.user == 0 {
                return None;
            }
            i = (i + 1) & (self.cap - 1);
        }
        None
    }

    fn insert(&mut self, e: Entry) -> bool {
        if (self.len + self.tombs + 1) * 2 > self.cap && !self.grow() {
            return false;
        }
        let mut i = hash(e.user, self.cap);
        loop {
            let s = self.slot(i);
            // SAFETY: `i < cap`.
            let cur = unsafe { (*s).user };
            if cur == 0 || cur == TOMB {
                if cur == TOMB {
                    self.tombs -= 1;
                }
                // SAFETY: as above.
                unsafe { *s = e };
                self.len += 1;
                return true;
            }
            i = (i + 1) & (self.cap - 1);
        }
    }

    /// Keeps the freed mapping `e` for reuse; returns a mapping to unmap
    /// (`e` itself or an evicted older one) if the cache is full.
    fn cache_put(&mut self, e: Entry) -> Option<Entry> {
        let mut out = None;
        if self.cached + e.len > CACHE_BYTES || self.cache.iter().all(|&(_, l)| l != 0) {
            // Evict the largest cached mapping (or refuse `e` if it is larger).
            let (i, &(b, l)) = self.cache.iter().enumerate().max_by_key(|&(_, &(_, l))| l)?;
            if l < e.len || self.cached - l + e.len > CACHE_BYTES {
                return Some(e);
            }
            if let Some(slot) = self.cache.get_mut(i) {
                *slot = (0, 0);
            }
            self.cached -= l;
            out = Some(Entry { user: b, base: b, len: l });
        }
        if let Some(slot) = self.cache.iter_mut().find(|s| s.1 == 0) {
            *slot = (e.base, e.len);
            self.cached += e.len;
            self.dirty += 1;
            self.cache_ops = self.cache_ops.wrapping_add(1);
        } else {
            return Some(e);
        }
        out
    }

    fn grow(&mut self) -> bool {
        let cap = if self.len * 4 < self.cap { self.cap.max(256) } else { (self.cap * 2).max(256) };
        let bytes = cap * core::mem::size_of::<Entry>();
        let slots = sys::map(bytes, false).cast::<Entry>();
        if slots.is_null() {
            return false;
        }
        let (old_slots, old_cap) = (self.slots, self.cap);
        self.slots = slots;
        self.cap = cap;
        self.len = 0;
        self.tombs = 0;
        let old = Table::over(old_slots, old_cap);
        for i in 0..old.cap {
            // SAFETY: `i < old.cap`.
            let e = unsafe { *old.slot(i) };
            if e.user > TOMB {
                self.insert(e);
            }
        }
        if !old.slots.is_null() {
            // SAFETY: the old table is no longer referenced.
            unsafe { sys::unmap(old.slots.cast(), old.cap * core::mem::size_of::<Entry>()) };
        }
        true
    }
}

/// Maps `size` bytes aligned to `align` (a power of two). Null on failure.
pub(crate) fn alloc(size: usize, align: usize) -> *mut u8 {
    let extra = if align > OS_PAGE { align } else { 0 };
    let Some(len) = size.checked_add(extra).and_then(|n| n.checked_add(OS_PAGE - 1)) else {
        return core::ptr::null_mut();
    };
    let len = len & !(OS_PAGE - 1);
    if extra == 0 {
        let reused = TABLE.with(|t| {
            // Up to 4x the request: only touched pages cost memory.
            let i = t.cache.iter().position(|&(_, l)| l >= len && l - len <= 3 * len)?;
            let (base, l) = t.cache.get_mut(i).map(core::mem::take)?;
            t.cached -= l;
            t.cache_ops = t.cache_ops.wrapping_add(1);
            t.insert(Entry { user: base, base, len: l }).then_some(base)
        });
        if let Some(base) = reused {
            return base as *mut u8;
        }
    }
    let base = sys::map(len, false);
    if base.is_null() {
        return base;
    }
    let user = (base as usize + align - 1) & !(align - 1);
    let user = user.max(base as usize);
    if !TABLE.with(|t| t.insert(Entry { user, base: base as usize, len })) {
        // SAFETY: our fresh mapping.
        unsafe { sys::unmap(base, len) };
        return core::ptr::null_mut();
    }
    user as *mut u8
}

/// Unmaps the huge allocation at `user`; returns false if `user` is not one.
pub(crate) fn free(user: usize) -> bool {
    let e = TABLE.with(|t| {
        let i = t.find(user)?;
        let s = t.slot(i);
        // SAFETY: `i < cap`.
        let e = unsafe { *s };
        // SAFETY: as above.
        unsafe { (*s).user = TOMB };
        t.len -= 1;
        t.tombs += 1;
        Some(e)
    });
    let Some(e) = e else {
        return false;
    };
    let cacheable = e.base == e.user && e.len <= CACHE_MAX_LEN;
    let evicted = if cacheable { TABLE.with(|t| t.cache_put(e)) } else { Some(e) };
    if cacheable {
        crate::releaser::wake();
    }
    if let Some(e) = evicted {
        // SAFETY: the mapping was ours and nobody uses it any more.
        unsafe { sys::unmap(e.base as *mut u8, e.len) };
    }
    true
}

/// Usable bytes at `user`, or `None` if it is not a huge allocation.
pub(crate) fn usable_size(user: usize) -> Option<usize> {
    TABLE.with(|t| {
        let i = t.find(user)?;
        // SAFETY: `i < cap`.
        let e = unsafe { *t.slot(i) };
        Some(e.base + e.len - e.user)
    })
}

/// Resizes the page-aligned huge allocation at `user` in place or by
/// `mremap`. Returns null (leaving it untouched) if `user` is not a huge
/// allocation whose pointer is its mapping start, or if the kernel refuses.
pub(crate) fn realloc(user: usize, size: usize) -> *mut u8 {
    let Some(len) = size.checked_add(OS_PAGE - 1) else {
        return core::ptr::null_mut();
    };
    let len = len & !(OS_PAGE - 1);
    TABLE.with(|t| {
        let Some(i) = t.find(user) else {
            return core::ptr::null_mut();
        };
        let s = t.slot(i);
        // SAFETY: `i < cap`.
        let e = unsafe { *s };
        if e.base != e.user {
            return core::ptr::null_mut();
        }
        // SAFETY: `e` describes one whole mapping of ours.
        let q = unsafe { sys::remap(e.base as *mut u8, e.len, len) };
        if q.is_null() {
            return q;
        }
        // SAFETY: `i < cap`.
        unsafe { (*s).user = TOMB };
        t.len -= 1;
        t.tombs += 1;
        if !t.insert(Entry { user: q as usize, base: q as usize, len }) {
            // Out of table space: keep the mapping untracked rather than
            // lose it; it will leak but never be mistaken for another.
            return q;
        }
        q
    })
}

/// One look by the background releaser: if the mapping cache was neither
/// filled nor used since the previous look, decommits the pages of every
/// cached mapping (they stay mapped for reuse). Returns true if no cached
/// mapping holds committed pages any more.
pub(crate) fn background_trim() -> bool {
    // Decommits under the lock: a mapping taken from the cache while its
    // pages were being decommitted could lose the new owner's bytes.
    TABLE.with(|t| {
        if t.dirty == 0 {
            return true;
        }
        if t.cache_ops != t.releaser_seen {
            t.releaser_seen = t.cache_ops;
            return false;
        }
        for &(base, len) in &t.cache {
            if len != 0 {
                // SAFETY: a cached mapping is ours and holds no live block.
                unsafe { sys::decommit(base as *mut u8, len) };
            }
        }
        t.dirty = 0;
        true
    })
}
