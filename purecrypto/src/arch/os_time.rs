//! The process's CPU time (`clock_gettime(CLOCK_PROCESS_CPUTIME_ID)`).
//!
//! Entry point: [`process_cpu_time`]. `purecrypto speed` divides by CPU
//! time, as `openssl speed` does by default, so a busy machine does not
//! make either look slower than it is.

use std::time::Duration;

/// CPU time used by this process so far, or `None` if the clock failed.
pub(crate) fn process_cpu_time() -> Option<Duration> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a live, writable timespec for the whole call; the
    // clock id is a constant the kernel knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return None;
    }
    Some(Duration::new(u64::try_from(ts.tv_sec).ok()?, u32::try_from(ts.tv_nsec).ok()?))
}
