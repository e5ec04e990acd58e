//! Write protection while meshing and across `fork`, and the `SIGSEGV`
//! handler that makes a writer wait instead of crashing.
//!
//! Entry points: [`install`], [`protect`] / [`unprotect_done`] (one page
//! during its copy), [`block_signals`] / [`restore_signals`] (the meshing
//! thread), and [`fork_prepare`], [`fork_parent`], [`fork_child`].
//!
//! The handler only acts on an access-permission fault (`SEGV_ACCERR`) at
//! an address in one of our chunks: chunks are read-write at all other
//! times, so such a fault can only be a write racing a copy (or a fork),
//! and it waits for that to end, then returns so the write is replayed on
//! the new mapping. Any other fault goes to the handler installed before
//! ours (or to the default action, which then kills the process as usual).

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU8, AtomicUsize, Ordering};

use super::backing;
use crate::chunk::{CHUNK, PAGE};

/// `si_code` of a fault on a mapped page without the needed permission
/// (`<asm-generic/siginfo.h>`; the `libc` crate does not export it).
const SEGV_ACCERR: libc::c_int = 2;

/// The page being meshed now (0: none).
static BUSY: AtomicUsize = AtomicUsize::new(0);

const FORK_NONE: u8 = 0;
const FORK_PROTECTED: u8 = 1;
/// Whether the chunks are read-only around a `fork`.
static FORK: AtomicU8 = AtomicU8::new(FORK_NONE);
static FORK_PID: AtomicI32 = AtomicI32::new(0);
static FORK_TID: AtomicI32 = AtomicI32::new(0);
/// The pipe on which the child says its copy is done (read end, write end).
static PIPE: [AtomicI32; 2] = [AtomicI32::new(-1), AtomicI32::new(-1)];
/// The child's chunks are private already.
static PRIVATE: AtomicBool = AtomicBool::new(false);
/// Writes that hit a page during its mesh copy and waited (stats, tests).
pub(crate) static WAITS: AtomicUsize = AtomicUsize::new(0);
/// Forks during which the forking thread itself wrote the heap, so the
/// protection was dropped early (the child copy may then see later writes).
pub(crate) static FORK_UNPROTECTED: AtomicUsize = AtomicUsize::new(0);

/// The `SIGSEGV` action installed before ours (written once, in `install`).
struct Old(UnsafeCell<libc::sigaction>);

// SAFETY: written once by `install` before the handler can run, then only read.
unsafe impl Sync for Old {}

// SAFETY: a zeroed sigaction is a valid "default action" value.
static OLD: Old = Old(UnsafeCell::new(unsafe { core::mem::zeroed() }));

/// Installs the handler (once, at start-up). False if `sigaction` fails.
pub(super) fn install() -> bool {
    // SAFETY: a zeroed sigaction is a valid value; we fill what we use.
    let mut sa: libc::sigaction = unsafe { core::mem::zeroed() };
    sa.sa_sigaction = on_segv as extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) as usize;
    sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_RESTART;
    // SAFETY: valid pointers; `OLD` is written before the handler is live
    // (the kernel writes it during the call).
    unsafe {
        libc::sigemptyset(&raw mut sa.sa_mask);
        libc::sigaction(libc::SIGSEGV, &raw const sa, OLD.0.get()) == 0
    }
}

/// Whether the calling thread is the process's only one, apart from the
/// background releaser (read from `/proc/self/status`, no allocation;
/// false if it cannot be read).
pub(super) fn single_threaded() -> bool {
    // SAFETY: a NUL-terminated path; read-only, close-on-exec.
    let fd = unsafe { libc::open(c"/proc/self/status".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        return false;
    }
    let mut buf = [0u8; 2048];
    let mut len = 0;
    while let Some(rest) = buf.get_mut(len..)
        && !rest.is_empty()
    {
        // SAFETY: reads at most `rest.len()` bytes into `rest`.
        let n = unsafe { libc::read(fd, rest.as_mut_ptr().cast(), rest.len()) };
        if n <= 0 {
            break;
        }
        len += n as usize;
    }
    // SAFETY: our own descriptor.
    unsafe { libc::close(fd) };
    let text = buf.get(..len).unwrap_or(&[]);
    let Some(at) = text.windows(8).position(|w| w == b"Threads:") else { return false };
    let digits = text.get(at + 8..).unwrap_or(&[]);
    let digits: &[u8] = {
        let start = digits.iter().position(u8::is_ascii_digit).unwrap_or(digits.len());
        let tail = digits.get(start..).unwrap_or(&[]);
        let end = tail.iter().position(|b| !b.is_ascii_digit()).unwrap_or(tail.len());
        tail.get(..end).unwrap_or(&[])
    };
    match crate::config::parse_decimal(digits) {
        Some(1) => true,
        Some(2) => crate::releaser::running(),
        _ => false,
    }
}

fn raw_getpid() -> i32 {
    // SAFETY: no arguments, no memory touched.
    unsafe { libc::syscall(libc::SYS_getpid) as i32 }
}

fn raw_gettid() -> i32 {
    // SAFETY: no arguments, no memory touched.
    unsafe { libc::syscall(libc::SYS_gettid) as i32 }
}

fn yield_cpu() {
    // SAFETY: no preconditions.
    unsafe { libc::sched_yield() };
}

extern "C" fn on_segv(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo for SA_SIGINFO handlers.
    let (addr, code) = unsafe { ((*info).si_addr() as usize, (*info).si_code) };
    if code == SEGV_ACCERR && crate::registry::is_chunk(addr) {
        if FORK.load(Ordering::Acquire) == FORK_PROTECTED {
            // Another process faulting here is a `vfork`/`posix_spawn`
            // child sharing our memory (it must wait like our threads: a
            // copy made from it would replace the parent's own mappings),
            // or, in theory, a fork child writing its heap before its fork
            // handler ran (glibc runs none of its code there), which would
            // wait forever.
            if raw_getpid() == FORK_PID.load(Ordering::Relaxed) && raw_gettid() == FORK_TID.load(Ordering::Relaxed) {
                // The forking thread itself, between prepare and fork:
                // nobody else can lift the protection, so drop it.
                FORK_UNPROTECTED.fetch_add(1, Ordering::Relaxed);
                set_all(libc::PROT_READ | libc::PROT_WRITE);
                FORK.store(FORK_NONE, Ordering::Release);
            } else {
                while FORK.load(Ordering::Acquire) == FORK_PROTECTED {
                    yield_cpu();
                }
            }
            return;
        }
        let page = addr & !(PAGE - 1);
        if BUSY.load(Ordering::Acquire) == page {
            WAITS.fetch_add(1, Ordering::Relaxed);
        }
        while BUSY.load(Ordering::Acquire) == page {
            yield_cpu();
        }
        // Replay the access: the page is writable again (if it still were
        // not, the next fault would wait again).
        return;
    }
    // SAFETY: `OLD` was written by `install` before this handler existed.
    let old = unsafe { &*OLD.0.get() };
    if old.sa_sigaction == libc::SIG_DFL || old.sa_sigaction == libc::SIG_IGN {
        // Restore the default and return: the fault repeats and takes it.
        // SAFETY: a valid sigaction value.
        unsafe { libc::sigaction(sig, old, core::ptr::null_mut()) };
    } else if old.sa_flags & libc::SA_SIGINFO != 0 {
        // SAFETY: the previous handler was installed as an SA_SIGINFO one.
        let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
            unsafe { core::mem::transmute(old.sa_sigaction) };
        f(sig, info, ctx);
    } else {
        // SAFETY: the previous handler was installed as a plain one.
        let f: extern "C" fn(libc::c_int) = unsafe { core::mem::transmute(old.sa_sigaction) };
        f(sig);
    }
}

/// Blocks every signal on the calling thread (so no signal handler of the
/// program runs, and writes a page being copied, on the meshing thread
/// itself); returns the previous mask.
pub(super) fn block_signals() -> libc::sigset_t {
    // SAFETY: zeroed sigsets are valid; the calls only write our sets.
    let mut all: libc::sigset_t = unsafe { core::mem::zeroed() };
    // SAFETY: as above.
    let mut old: libc::sigset_t = unsafe { core::mem::zeroed() };
    // SAFETY: as above.
    unsafe {
        libc::sigfillset(&raw mut all);
        libc::pthread_sigmask(libc::SIG_SETMASK, &raw const all, &raw mut old);
    }
    old
}

/// Restores the mask [`block_signals`] returned.
pub(super) fn restore_signals(old: &libc::sigset_t) {
    // SAFETY: a mask obtained from pthread_sigmask.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, old, core::ptr::null_mut()) };
}

/// Makes `page` read-only for its copy; writers wait until
/// [`unprotect_done`]. False if the kernel refuses.
pub(super) fn protect(page: usize) -> bool {
    BUSY.store(page, Ordering::Release);
    // SAFETY: a page of one of our chunks.
    if unsafe { libc::mprotect(page as *mut libc::c_void, PAGE, libc::PROT_READ) } != 0 {
        BUSY.store(0, Ordering::Release);
        return false;
    }
    true
}

/// The copy of `page` is over: if the remap failed, the old mapping is
/// still read-only: make it writable. Then release the waiters.
pub(super) fn unprotect_done(page: usize, remapped: bool) {
    if !remapped {
        // SAFETY: a page of one of our chunks.
        unsafe { libc::mprotect(page as *mut libc::c_void, PAGE, libc::PROT_READ | libc::PROT_WRITE) };
    }
    BUSY.store(0, Ordering::Release);
}

fn set_all(prot: libc::c_int) {
    backing::for_each_chunk(|base| {
        // SAFETY: a whole chunk of ours.
        unsafe { libc::mprotect(base as *mut libc::c_void, CHUNK, prot) };
    });
}

fn privatize_once() {
    if !PRIVATE.swap(true, Ordering::AcqRel) {
        backing::privatize();
        super::deactivate();
    }
}

/// Fork prepare (after every lock is taken): chunks read-only, pipe open.
pub(super) fn fork_prepare() {
    let mut fds = [-1; 2];
    // SAFETY: `fds` has room for two descriptors.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        // No pipe: the parent cannot wait, so do not protect either.
        return;
    }
    for (slot, fd) in PIPE.iter().zip(fds) {
        slot.store(fd, Ordering::Relaxed);
    }
    FORK_PID.store(raw_getpid(), Ordering::Relaxed);
    FORK_TID.store(raw_gettid(), Ordering::Relaxed);
    FORK.store(FORK_PROTECTED, Ordering::Release);
    set_all(libc::PROT_READ);
}

fn close_pipe(end: usize) {
    if let Some(slot) = PIPE.get(end) {
        let fd = slot.swap(-1, Ordering::Relaxed);
        if fd >= 0 {
            // SAFETY: our own descriptor.
            unsafe { libc::close(fd) };
        }
    }
}

/// Fork parent: waits until the child has its private copy (or is gone),
/// then makes the chunks writable again.
pub(super) fn fork_parent() {
    close_pipe(1);
    if let Some(fd) = PIPE.first().map(|s| s.load(Ordering::Relaxed))
        && fd >= 0
    {
        let mut byte = 0u8;
        // Returns 1 (copied) or 0 (the child exited); retry on EINTR.
        // SAFETY: one byte into `byte`.
        while unsafe { libc::read(fd, (&raw mut byte).cast(), 1) } < 0 && crate::sys::errno() == libc::EINTR {}
    }
    close_pipe(0);
    if FORK.load(Ordering::Acquire) == FORK_PROTECTED {
        set_all(libc::PROT_READ | libc::PROT_WRITE);
        FORK.store(FORK_NONE, Ordering::Release);
    }
}

/// Fork child: private copy of every chunk, out of mesh mode, then tell
/// the parent.
pub(super) fn fork_child() {
    privatize_once();
    FORK.store(FORK_NONE, Ordering::Release);
    close_pipe(0);
    if let Some(fd) = PIPE.get(1).map(|s| s.load(Ordering::Relaxed))
        && fd >= 0
    {
        let byte = 1u8;
        // SAFETY: one byte from `byte`.
        unsafe { libc::write(fd, (&raw const byte).cast(), 1) };
    }
    close_pipe(1);
}
