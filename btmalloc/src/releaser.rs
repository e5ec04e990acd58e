//! The background releaser: a thread that, every `BTMALLOC_RELEASE_MS`
//! milliseconds (default 100; `0` turns it off), decommits
//! (`MADV_DONTNEED`) the free slab pages of every heap that did not recycle
//! any of them since its previous look. So a program that frees memory and
//! then goes quiet gives it back within about two periods, while a heap
//! busy reusing its pages keeps them (no fault storm in churn). Once no
//! heap holds committed free pages it sleeps on a futex until a heap frees
//! pages again (no periodic wake-ups in an idle program).
//!
//! Entry points: [`init`] (configuration), [`wake`] (called when a heap
//! first frees pages: starts the thread lazily), and the fork handlers
//! [`fork_prepare`], [`fork_parent`], [`fork_child`].
//!
//! The thread is made with a raw `clone` system call on a stack of our own
//! (x86_64 Linux), not with `pthread_create`, which would call `malloc`
//! from inside `malloc`. It therefore has no TLS of its own: it only ever
//! touches atomics and heap page state under each heap's `pages_lock`, and
//! makes raw system calls (no `errno`). It is created with every signal
//! blocked, so no program signal handler ever runs on it. After `fork` the
//! child has no releaser (only the forking thread survives); the first
//! page release in the child starts a new one. On other targets there is no
//! releaser (pages are still purged inline past the per-heap limit).

use core::sync::atomic::{AtomicU8, AtomicU32, AtomicUsize, Ordering, fence};

use crate::heap;
use crate::sys::SpinLock;

const STOPPED: u8 = 0;
const RUNNING: u8 = 1;
const OFF: u8 = 2;

static STATE: AtomicU8 = AtomicU8::new(OFF);
static PERIOD_MS: AtomicUsize = AtomicUsize::new(100);
/// Pages the releaser has decommitted (for tests and `malloc_stats`).
pub(crate) static PURGED_PAGES: AtomicUsize = AtomicUsize::new(0);

/// Held for each pass over the heaps; `fork` takes it so that no heap's
/// page lock is held by the releaser (which does not exist in the child).
static PASS: SpinLock<()> = SpinLock::new(());

/// Reads `BTMALLOC_RELEASE_MS` (no allocation). Called once at start-up.
pub(crate) fn init() {
    let ms = crate::config::env_bytes(c"BTMALLOC_RELEASE_MS").and_then(crate::config::parse_decimal).unwrap_or(100);
    PERIOD_MS.store(ms, Ordering::Relaxed);
    let on = ms > 0 && cfg!(all(target_arch = "x86_64", target_os = "linux"));
    STATE.store(if on { STOPPED } else { OFF }, Ordering::Relaxed);
}

/// Whether the releaser thread exists (so counts among the process's threads).
pub(crate) fn running() -> bool {
    STATE.load(Ordering::Relaxed) == RUNNING
}

/// 1 while the releaser sleeps with nothing to do (a futex word).
static IDLE: AtomicU32 = AtomicU32::new(0);

/// A heap has free pages: make sure the releaser runs (starting it, or
/// waking it if it sleeps idle). Called after the heap's page lock is
/// released, so the releaser's re-check sees the pages.
#[inline(always)]
pub(crate) fn wake() {
    match STATE.load(Ordering::Relaxed) {
        STOPPED => start(),
        RUNNING => {
            // Pairs with the fence in the releaser's idle check (the
            // pages published, then IDLE read; IDLE set, then pages read).
            fence(Ordering::SeqCst);
            if IDLE.load(Ordering::Relaxed) != 0 {
                imp::wake_idle();
            }
        }
        _ => {}
    }
}

#[cold]
fn start() {
    if STATE.compare_exchange(STOPPED, RUNNING, Ordering::AcqRel, Ordering::Relaxed).is_ok() && !imp::spawn() {
        crate::sys::write_stderr(b"btmalloc: cannot start the background releaser\n");
        STATE.store(OFF, Ordering::Relaxed);
    }
}

/// One pass: every heap gets a look. Returns true if no heap holds
/// committed free pages any more (the releaser may then sleep until woken).
#[cfg_attr(not(all(target_arch = "x86_64", target_os = "linux")), allow(dead_code))]
fn pass() -> bool {
    if !PASS.try_acquire() {
        return false;
    }
    let mut clean = true;
    heap::for_each_heap(|h| {
        // SAFETY: `h` comes from the heap list; we are the releaser.
        match unsafe { heap::Heap::background_purge(h) } {
            Some(n) => {
                PURGED_PAGES.fetch_add(n, Ordering::Relaxed);
            }
            None => clean = false,
        }
    });
    clean &= crate::huge::background_trim();
    PASS.release();
    clean
}

/// Fork handler: no pass may be running while the process forks.
pub(crate) fn fork_prepare() {
    PASS.acquire();
}

/// Fork handler (parent): passes resume.
pub(crate) fn fork_parent() {
    PASS.release();
}

/// Fork handler (child): the releaser did not survive; the next page
/// release starts a new one.
pub(crate) fn fork_child() {
    PASS.release();
    let _ = STATE.compare_exchange(RUNNING, STOPPED, Ordering::AcqRel, Ordering::Relaxed);
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod imp {
    use core::sync::atomic::{Ordering, fence};

    use crate::sys;

    const STACK: usize = 64 * 1024;

    /// The thread's body: sleep, pass, forever (exit_group ends it).
    extern "C" fn main() -> ! {
        let name = b"btmalloc-rel\0";
        // SAFETY: PR_SET_NAME reads a NUL-terminated string of <= 16 bytes.
        unsafe { sys::raw_syscall3(libc::SYS_prctl, libc::PR_SET_NAME as usize, name.as_ptr() as usize, 0) };
        loop {
            let ms = super::PERIOD_MS.load(Ordering::Relaxed).max(1);
            let ts = libc::timespec { tv_sec: (ms / 1000) as libc::time_t, tv_nsec: ((ms % 1000) * 1_000_000) as _ };
            // SAFETY: `ts` is a valid timespec; no remainder pointer.
            unsafe { sys::raw_syscall3(libc::SYS_nanosleep, (&raw const ts) as usize, 0, 0) };
            if super::pass() {
                // Nothing left anywhere: sleep until a heap frees pages.
                super::IDLE.store(1, Ordering::Relaxed);
                fence(Ordering::SeqCst);
                if super::pass() {
                    // SAFETY: FUTEX_WAIT on our own aligned word, no timeout;
                    // returns at once if the word is no longer 1.
                    unsafe {
                        sys::raw_syscall3(
                            libc::SYS_futex,
                            super::IDLE.as_ptr() as usize,
                            (libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG) as usize,
                            1,
                        )
                    };
                }
                super::IDLE.store(0, Ordering::Relaxed);
            }
        }
    }

    /// Wakes the idle releaser (any thread, after it freed pages).
    #[cold]
    pub(super) fn wake_idle() {
        if super::IDLE.swap(0, Ordering::AcqRel) == 1 {
            // SAFETY: FUTEX_WAKE of one waiter on our own word.
            unsafe {
                sys::raw_syscall3(
                    libc::SYS_futex,
                    super::IDLE.as_ptr() as usize,
                    (libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG) as usize,
                    1,
                )
            };
        }
    }

    /// Starts the thread; false if the stack or the clone fails.
    pub(super) fn spawn() -> bool {
        let stack = sys::map(STACK, false);
        if stack.is_null() {
            return false;
        }
        let top = (stack as usize + STACK) & !15;
        // SAFETY: zeroed sigsets are valid; sigfillset/pthread_sigmask only
        // write the sets we pass.
        let mut all: libc::sigset_t = unsafe { core::mem::zeroed() };
        // SAFETY: as above.
        let mut old: libc::sigset_t = unsafe { core::mem::zeroed() };
        // SAFETY: as above. The child inherits the full mask, so no signal
        // is ever delivered to it.
        unsafe {
            libc::sigfillset(&raw mut all);
            libc::pthread_sigmask(libc::SIG_SETMASK, &raw const all, &raw mut old);
        }
        let flags = (libc::CLONE_VM
            | libc::CLONE_FS
            | libc::CLONE_FILES
            | libc::CLONE_SIGHAND
            | libc::CLONE_THREAD
            | libc::CLONE_SYSVSEM) as usize;
        let ret: isize;
        // SAFETY: clone(flags, top, 0, 0, 0). The child starts on its own
        // fresh stack with the registers of the parent, so it calls `main`
        // (held in r12, which the syscall preserves) and never returns into
        // this frame; `main` never returns. The parent continues normally.
        unsafe {
            core::arch::asm!(
                "syscall",
                "test rax, rax",
                "jnz 2f",
                "xor ebp, ebp",
                "call r12",
                "ud2",
                "2:",
                inlateout("rax") libc::SYS_clone as isize => ret,
                in("rdi") flags,
                in("rsi") top,
                in("rdx") 0usize,
                in("r10") 0usize,
                in("r8") 0usize,
                in("r12") main as extern "C" fn() -> ! as usize,
                lateout("rcx") _,
                lateout("r11") _,
            );
        }
        // SAFETY: restores the mask saved above.
        unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &raw const old, core::ptr::null_mut()) };
        if ret <= 0 {
            // SAFETY: the child does not exist, so the stack is unused.
            unsafe { sys::unmap(stack, STACK) };
            return false;
        }
        true
    }
}

#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
mod imp {
    pub(super) fn spawn() -> bool {
        false
    }

    pub(super) fn wake_idle() {}
}
