//! Random number generation: the [`RngCore`] / [`CryptoRng`] traits, the
//! SP 800-90A [`HmacDrbg`] and [`CtrDrbg`], and (with `std`) the OS source
//! [`OsRng`].
//!
//! Entry points: [`HmacDrbg::new`], [`OsRng`], and the traits that every
//! API needing randomness takes as `&mut impl RngCore + CryptoRng`. There
//! is no implicit global generator: callers pass one in.

pub mod ctr_drbg;
mod hmac_drbg;
#[cfg(feature = "std")]
mod os;

pub use ctr_drbg::CtrDrbg;
pub use hmac_drbg::HmacDrbg;
#[cfg(feature = "std")]
pub use os::OsRng;

use crate::Error;

/// A source of random bytes.
pub trait RngCore {
    /// Fills `dest` with random bytes. Implementations that can fail
    /// document what they do instead (never return predictable bytes).
    fn fill_bytes(&mut self, dest: &mut [u8]);

    /// Fills `dest`, reporting failure instead of handling it internally.
    ///
    /// # Errors
    /// Whatever the source reports (e.g. a DRBG that needs reseeding).
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Error> {
        self.fill_bytes(dest);
        Ok(())
    }

    /// A random `u32`.
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }

    /// A random `u64`.
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }
}

/// Marker: the generator is fit for keys, nonces and signatures.
pub trait CryptoRng: RngCore {}

impl<R: RngCore + ?Sized> RngCore for &mut R {
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        (**self).fill_bytes(dest);
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Error> {
        (**self).try_fill_bytes(dest)
    }
}

impl<R: CryptoRng + ?Sized> CryptoRng for &mut R {}

/// With `std`, a [`CtrDrbg`] is a generator like any other: requests are
/// split at [`ctr_drbg::MAX_REQUEST`], and when a reseed falls due
/// `fill_bytes` reseeds from [`OsRng`]. Without `std` there is no entropy
/// to reseed from, so only the explicit `generate` / `reseed` API exists.
#[cfg(feature = "std")]
impl RngCore for CtrDrbg {
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(ctr_drbg::MAX_REQUEST) {
            if self.generate(chunk, &[]).is_err() {
                let mut fresh = [0u8; ctr_drbg::MIN_ENTROPY];
                OsRng.fill_bytes(&mut fresh);
                // Reseeding with MIN_ENTROPY bytes and no additional input
                // cannot fail its length checks, nor can the retry.
                let reseeded = self.reseed(&fresh, &[]);
                zeroize::Zeroize::zeroize(&mut fresh);
                debug_assert!(reseeded.is_ok());
                let retried = self.generate(chunk, &[]);
                debug_assert!(retried.is_ok());
            }
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Error> {
        for chunk in dest.chunks_mut(ctr_drbg::MAX_REQUEST) {
            self.generate(chunk, &[])?;
        }
        Ok(())
    }
}

#[cfg(feature = "std")]
impl CryptoRng for CtrDrbg {}
