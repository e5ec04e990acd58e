//! The operating system's entropy source (`getrandom(2)` through libc).
//!
//! Entry point: [`OsRng`]. This is the one place purecrypto reads OS
//! entropy; the system call itself is in `arch::os_entropy`, the only
//! module allowed `unsafe`.

use super::{CryptoRng, RngCore};
use crate::Error;

/// Random bytes straight from the kernel (`getrandom(2)`).
#[derive(Debug, Clone, Copy, Default)]
pub struct OsRng;

impl RngCore for OsRng {
    /// Fills `dest` from the kernel. If the kernel refuses (no
    /// `getrandom(2)` and no way to continue safely), the process aborts
    /// rather than hand out predictable bytes.
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        if self.try_fill_bytes(dest).is_err() {
            std::process::abort();
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Error> {
        crate::arch::os_entropy::fill(dest).map_err(|_| Error::EntropyUnavailable)
    }
}

impl CryptoRng for OsRng {}
