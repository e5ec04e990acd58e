//! The per-thread heap pointer, read with no call on the hot path.
//!
//! Entry points: [`get`], [`set`]. On x86_64 Linux the slot is an 8-byte
//! `.tbss` symbol defined in `global_asm!` and read with the initial-exec
//! sequence `mov slot@GOTTPOFF(%rip), r; mov %fs:(r), r`: no
//! `__tls_get_addr` call even inside `libbtmalloc.so` (where a Rust
//! `thread_local!` would use the general-dynamic model), and the linker
//! relaxes it to local-exec in executables. Elsewhere a `const`-initialised
//! `thread_local!` is used.
//!
//! Slot values: `0` (no heap yet), [`DEAD`] (the thread's heap was released
//! at thread exit), or a heap pointer (with [`SPECIAL`] set for heaps that
//! allocate out of line).

use crate::heap::Heap;

/// Slot value after thread exit released the heap.
pub(crate) const DEAD: usize = 1;
/// Bit set in the slot over the heap address when the heap's allocations
/// must go out of line (interned partitions, profiler): as a signed value
/// the slot is then negative, like 0 and `DEAD` not above `DEAD`.
pub(crate) const SPECIAL: usize = 1 << 63;

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod imp {
    core::arch::global_asm!(
        ".pushsection .tbss.btmalloc_heap_slot,\"awT\",@nobits",
        ".p2align 3",
        ".globl btmalloc_heap_slot_v0",
        ".hidden btmalloc_heap_slot_v0",
        ".type btmalloc_heap_slot_v0,@object",
        ".size btmalloc_heap_slot_v0,8",
        "btmalloc_heap_slot_v0:",
        ".zero 8",
        ".popsection",
    );

    /// Address of this thread's slot.
    #[inline(always)]
    fn slot() -> *mut usize {
        let p: usize;
        // SAFETY: reads the thread pointer (%fs:0 holds its own address on
        // x86_64 Linux) and adds the slot's static TLS offset from the GOT.
        unsafe {
            core::arch::asm!(
                "mov {p}, qword ptr fs:[0]",
                "add {p}, qword ptr [rip + btmalloc_heap_slot_v0@GOTTPOFF]",
                p = out(reg) p,
                options(pure, readonly, nostack),
            );
        }
        p as *mut usize
    }

    #[inline(always)]
    pub(super) fn get() -> usize {
        let v: usize;
        // SAFETY: loads the slot's static TLS offset from the GOT and reads
        // this thread's own 8-byte slot at that offset from %fs (the
        // initial-exec form `mov off@GOTTPOFF(%rip), r; mov %fs:(r), r`,
        // one instruction less than going through the thread pointer).
        unsafe {
            core::arch::asm!(
                "mov {v}, qword ptr [rip + btmalloc_heap_slot_v0@GOTTPOFF]",
                "mov {v}, qword ptr fs:[{v}]",
                v = out(reg) v,
                options(readonly, nostack, preserves_flags),
            );
        }
        v
    }

    #[inline(always)]
    pub(super) fn set(v: usize) {
        // SAFETY: as above.
        unsafe { *slot() = v };
    }
}

#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
mod imp {
    use core::cell::Cell;

    std::thread_local! {
        static SLOT: Cell<usize> = const { Cell::new(0) };
    }

    #[inline(always)]
    pub(super) fn get() -> usize {
        SLOT.try_with(Cell::get).unwrap_or(super::DEAD)
    }

    #[inline(always)]
    pub(super) fn set(v: usize) {
        let _ = SLOT.try_with(|s| s.set(v));
    }
}

/// This thread's slot value.
#[inline(always)]
pub(crate) fn get() -> usize {
    imp::get()
}

/// Sets this thread's slot.
#[inline(always)]
pub(crate) fn set(v: usize) {
    imp::set(v);
}

/// This thread's heap, or null if it has none (or its heap was released).
#[inline(always)]
pub(crate) fn heap() -> *mut Heap {
    let v = get();
    if v > DEAD { (v & !SPECIAL) as *mut Heap } else { core::ptr::null_mut() }
}
