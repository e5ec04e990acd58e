//! purecrypto: pure-Rust cryptography with no C anywhere below it.
//!
//! This release holds the foundations the primitives are built on: the
//! constant-time helpers in [`ct`], run-time CPU feature detection in
//! [`arch`], the known-answer test runner in [`vectors`] and the crate
//! [`Error`], plus the symmetric ciphers: AES and ChaCha20 with their
//! modes in [`cipher`], the AEADs in [`aead`], Poly1305 / CMAC / GMAC in
//! [`mac`] and CTR_DRBG in [`rng`]. Hashes, public-key algorithms and TLS
//! arrive in later releases (see the README's status table).
//!
//! ```
//! use purecrypto::ct;
//!
//! // Compare a received tag with the expected one without leaking where
//! // they differ.
//! assert!(ct::eq(b"expected tag", b"expected tag"));
//! assert!(!ct::eq(b"expected tag", b"expected tap"));
//! ```
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod aead;
pub mod arch;
pub mod cipher;
pub mod ct;
mod error;
#[doc(hidden)]
pub mod internal;
pub mod mac;
/// Random generators. (`ctr_drbg` lands here; the lead merges it with
/// the RNG traits and the OS source from the parallel branch.)
pub mod rng {
    pub mod ctr_drbg;
}
pub mod vectors;

pub use error::Error;
