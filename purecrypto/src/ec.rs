//! Elliptic-curve cryptography on the short-Weierstrass curves P-256,
//! P-384, P-521 and secp256k1: ECDSA (FIPS 186-5, RFC 6979 deterministic
//! and hedged nonces, P1363 and DER signatures, public-key recovery) and
//! ECDH (SEC1 / SP 800-56A, shared secret = x-coordinate).
//!
//! Entry points: the curve markers [`P256`], [`P384`], [`P521`],
//! [`Secp256k1`]; keys [`SecretKey`] / [`PublicKey`] (SEC1 point
//! encodings, and the RFC 5915 `ECPrivateKey` in [`sec1`]); signing with
//! [`ecdsa::SigningKey`], verification with [`ecdsa::VerifyingKey`];
//! key agreement with [`ecdh::diffie_hellman`].
//!
//! Layers, bottom up: `limbs` (fixed-width Montgomery kernels, `const
//! fn`), [`field`] (one generic prime field type for every base and
//! scalar field), [`point`] (complete projective formulas, constant-time
//! scalar multiplication, the variable-time double multiplication used
//! only by verification), per-curve parameter modules, then the
//! protocols. Every operation on a secret scalar is constant-time; the
//! only variable-time routines take public inputs and say so in their
//! names (`*_vartime`).
//!
//! ```
//! use purecrypto::ec::{P256, SecretKey, ecdh, ecdsa::SigningKey};
//! use purecrypto::hash::HashAlgorithm;
//!
//! let key = SigningKey::<P256>::from_bytes(&[0x11; 32])?;
//! let sig = key.sign(HashAlgorithm::Sha256, b"message")?;
//! key.verifying_key().verify(HashAlgorithm::Sha256, b"message", &sig)?;
//!
//! let alice = SecretKey::<P256>::from_bytes(&[0x22; 32])?;
//! let bob = SecretKey::<P256>::from_bytes(&[0x33; 32])?;
//! let ab = ecdh::diffie_hellman(&alice, &bob.public_key())?;
//! let ba = ecdh::diffie_hellman(&bob, &alice.public_key())?;
//! assert_eq!(ab.as_bytes(), ba.as_bytes());
//! # Ok::<(), purecrypto::Error>(())
//! ```

mod curve;
pub mod ecdh;
pub mod ecdsa;
pub mod field;
mod keys;
mod limbs;
mod p256;
mod p384;
mod p521;
pub mod point;
mod rfc6979;
mod safegcd;
pub mod sec1;
mod secp256k1;

pub use curve::Curve;
pub use keys::{PublicKey, SecretKey};
pub use p256::{FieldP256, P256, ScalarP256};
pub use p384::{FieldP384, P384, ScalarP384};
pub use p521::{FieldP521, P521, ScalarP521};
pub use point::ProjectivePoint;
pub use secp256k1::{FieldSecp256k1, ScalarSecp256k1, Secp256k1};
