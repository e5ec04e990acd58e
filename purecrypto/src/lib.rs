//! purecrypto: pure-Rust cryptography with no C anywhere below it.
//!
//! This release holds the constant-time helpers in [`ct`], run-time CPU
//! feature detection in [`arch`], the hashes in [`hash`], MACs in [`mac`]
//! (HMAC, KMAC, Poly1305, CMAC, GMAC), key derivation in [`kdf`], AES and
//! ChaCha20 with their modes in [`cipher`], the AEADs in [`aead`], random
//! generators in [`rng`], the known-answer test runner in [`vectors`] and
//! the crate [`Error`]. The Curve25519 / Curve448 family is in [`x25519`],
//! [`x448`], [`ed25519`], [`ed448`] and [`ristretto255`] (on
//! [`curve25519`]); the other public-key algorithms and TLS arrive in
//! later releases (see the README's status table).
//!
//! ```
//! use purecrypto::hash::{Hash, HashAlgorithm, Sha256};
//! use purecrypto::mac::Hmac;
//! use purecrypto::{ct, kdf};
//!
//! let digest = Sha256::digest(b"abc");
//! assert_eq!(digest[..4], [0xba, 0x78, 0x16, 0xbf]);
//! assert_eq!(HashAlgorithm::Sha256.hash(b"abc"), digest);
//!
//! // MACs are checked in constant time.
//! let tag = Hmac::<Sha256>::mac(b"key", b"message");
//! let mut m = Hmac::<Sha256>::new(b"key");
//! m.update(b"message");
//! assert!(m.verify(&tag).is_ok());
//!
//! let mut okm = [0u8; 42];
//! kdf::hkdf(HashAlgorithm::Sha256, Some(b"salt"), b"input key", b"info", &mut okm)?;
//!
//! // Compare a received tag with the expected one without leaking where
//! // they differ.
//! assert!(ct::eq(b"expected tag", b"expected tag"));
//! assert!(!ct::eq(b"expected tag", b"expected tap"));
//! # Ok::<(), purecrypto::Error>(())
//! ```
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod aead;
pub mod arch;
pub mod asn1;
pub mod bignum;
pub mod cipher;
#[cfg(feature = "std")]
#[doc(hidden)]
pub mod cli;
pub mod ct;
pub mod curve25519;
mod curve448;
pub mod ec;
pub mod ed25519;
pub mod ed448;
mod error;
pub mod ffdh;
pub mod hash;
pub mod hybrid;
#[doc(hidden)]
pub mod internal;
pub mod kdf;
pub mod mac;
pub mod mldsa;
pub mod mlkem;
pub mod pkcs12;
pub mod pkcs5;
pub mod pkcs8;
pub mod pkey;
pub mod ristretto255;
pub mod rng;
pub mod rsa;
pub mod slhdsa;
pub mod sntrup761;
pub mod tls;
pub mod vectors;
pub mod x25519;
pub mod x448;
pub mod x509;

pub use error::Error;
