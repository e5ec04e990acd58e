//! RSA (RFC 8017): keys, key generation, PKCS#1 v1.5 and PSS signatures,
//! OAEP and PKCS#1 v1.5 encryption, and the PKCS#1 DER key formats.
//!
//! Entry points: [`RsaPrivateKey::generate`],
//! [`RsaPrivateKey::from_components`] / [`RsaPrivateKey::from_pkcs1_der`],
//! [`RsaPublicKey::new`] / [`RsaPublicKey::from_pkcs1_der`]; then
//! `sign_pkcs1v15` / `verify_pkcs1v15`, `sign_pss` / `verify_pss`,
//! `encrypt_oaep` / `decrypt_oaep`, `encrypt_pkcs1v15` /
//! `decrypt_pkcs1v15_implicit`. Every private operation takes a generator
//! (for blinding) and runs in time independent of the key; keys below
//! 2048 bits load only through the `dangerous_` constructors.
//!
//! ```
//! use purecrypto::hash::HashAlgorithm;
//! use purecrypto::rng::HmacDrbg;
//! use purecrypto::rsa::{PssParams, RsaPrivateKey};
//!
//! let mut rng = HmacDrbg::new(HashAlgorithm::Sha256, &[7; 32], b"nonce", b"doc")?;
//! let der = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/rsa/key2048.der"));
//! let key = RsaPrivateKey::from_pkcs1_der(der)?;
//! let sig = key.sign_pss(&mut rng, &PssParams::new(HashAlgorithm::Sha256), b"message")?;
//! key.public_key().verify_pss(&PssParams::new(HashAlgorithm::Sha256), b"message", &sig)?;
//! # Ok::<(), purecrypto::Error>(())
//! ```

#[doc(hidden)]
pub mod fuzz;
mod key;
mod keygen;
mod mgf;
mod oaep;
mod pkcs1;
mod pkcs1v15;
mod pss;

pub use key::{DANGEROUS_MIN_BITS, MAX_BITS, MIN_BITS, RsaComponents, RsaPrivateKey, RsaPublicKey};
pub use keygen::DEFAULT_EXPONENT;
pub use mgf::{Mgf, PssHash};
pub use oaep::OaepParams;
pub use pss::{PssParams, SaltLength};

#[cfg(test)]
mod tests;
