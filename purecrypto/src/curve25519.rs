//! Curve25519 arithmetic shared by [`crate::x25519`], [`crate::ed25519`]
//! and [`crate::ristretto255`]: the field GF(2^255 - 19), the edwards25519
//! group and its scalars.
//!
//! Entry point: [`Scalar`], the integers modulo the prime group order L
//! (public because ristretto255 exposes scalar arithmetic). Points and
//! field elements stay crate-private; the public types live in the
//! protocol modules.

mod basepoint_table;
pub(crate) mod edwards;
pub(crate) mod field;
pub(crate) mod modn;
mod scalar;

pub use scalar::Scalar;
