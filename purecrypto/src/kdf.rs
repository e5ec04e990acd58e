//! Key derivation: HKDF, PBKDF2, the TLS 1.2 PRF and TLS 1.3 key schedule
//! helpers, scrypt, Argon2 and OpenSSH's bcrypt_pbkdf.
//!
//! Entry points: [`hkdf`] ([`Hkdf`] when the hash is fixed at compile
//! time), [`pbkdf2`], [`tls12_prf`], [`hkdf_expand_label`] /
//! [`derive_secret`], [`scrypt`], [`argon2`], [`bcrypt_pbkdf`]. The
//! HMAC-based ones are written once over the crate-private `Prf` trait,
//! which both the generic [`Hmac`] and the run-time [`DynHmac`] implement.

mod argon2;
mod bcrypt_pbkdf;
mod hkdf;
mod pbkdf2;
mod scrypt;
mod tls;

pub use argon2::{Argon2Params, Argon2Variant, argon2};
pub use bcrypt_pbkdf::bcrypt_pbkdf;
pub use hkdf::{Hkdf, hkdf, hkdf_expand, hkdf_extract};
pub use pbkdf2::{pbkdf2, pbkdf2_hmac};
pub use scrypt::{ScryptParams, scrypt};
pub use tls::{derive_secret, hkdf_expand_label, tls12_prf};

use crate::hash::Hash;
use crate::mac::{DynHmac, Hmac};

/// Largest PRF output (SHA-512, BLAKE2b-512).
pub(crate) const MAX_PRF_LEN: usize = 64;

/// A keyed pseudo-random function whose keyed state can be cloned cheaply
/// (HMAC with its key already absorbed).
pub(crate) trait Prf: Clone {
    /// Output length in bytes (at most [`MAX_PRF_LEN`]).
    fn output_len(&self) -> usize;
    /// Absorbs input.
    fn absorb(&mut self, data: &[u8]);
    /// Writes the output into `out[..output_len]`.
    fn finish(self, out: &mut [u8; MAX_PRF_LEN]);
}

impl<H: Hash> Prf for Hmac<H> {
    fn output_len(&self) -> usize {
        H::OUTPUT_LEN
    }

    fn absorb(&mut self, data: &[u8]) {
        self.update(data);
    }

    fn finish(self, out: &mut [u8; MAX_PRF_LEN]) {
        let tag = self.finalize();
        for (o, t) in out.iter_mut().zip(tag.as_ref()) {
            *o = *t;
        }
    }
}

impl Prf for DynHmac {
    fn output_len(&self) -> usize {
        self.algorithm().output_len()
    }

    fn absorb(&mut self, data: &[u8]) {
        self.update(data);
    }

    fn finish(self, out: &mut [u8; MAX_PRF_LEN]) {
        let mut tag = self.finalize();
        for (o, t) in out.iter_mut().zip(tag.iter()) {
            *o = *t;
        }
        zeroize::Zeroize::zeroize(&mut tag);
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use crate::hash::HashAlgorithm;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Any output length is either produced or refused with an error,
        /// never a panic; the limits are exactly the specified ones.
        #[test]
        fn any_lengths_are_handled(len in 0usize..9000, label in 0usize..300, context in 0usize..300) {
            let mut out = alloc::vec![0u8; len];
            let r = hkdf(HashAlgorithm::Sha256, None, b"ikm", b"info", &mut out);
            prop_assert_eq!(r.is_ok(), len <= 255 * 32);
            tls12_prf(HashAlgorithm::Sha384, b"secret", b"label", b"seed", &mut out);
            let r = hkdf_expand_label(HashAlgorithm::Sha256, &[1; 32], &alloc::vec![b'a'; label], &alloc::vec![0; context], &mut out);
            prop_assert_eq!(r.is_ok(), label <= 249 && context <= 255 && len <= 255 * 32);
            let short = out.get_mut(..len.min(100)).unwrap();
            prop_assert!(pbkdf2(HashAlgorithm::Sha1, b"pw", b"salt", 2, short).is_ok());
        }

        #[test]
        fn bcrypt_pbkdf_lengths(len in 0usize..1100, rounds in 0u32..2) {
            let mut out = alloc::vec![0u8; len];
            let r = bcrypt_pbkdf(b"pw", b"salt", rounds, &mut out);
            prop_assert_eq!(r.is_ok(), rounds >= 1 && (1..=1024).contains(&len));
        }
    }
}
