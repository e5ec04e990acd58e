//! The [`Curve`] trait: what distinguishes one short-Weierstrass curve
//! `y^2 = x^3 + a*x + b` from another (its fields, `a`, `b`, generator,
//! order, OID and default hash), so the point, ECDSA and ECDH code is
//! written once for all four curves.

use core::fmt;

use super::field::Field;
use super::point::BaseTable;
use super::point::jacobian::glv::Glv;
use crate::hash::HashAlgorithm;

/// A short-Weierstrass curve of prime order with `a = -3` or `a = 0`.
pub trait Curve: 'static + Copy + Default + fmt::Debug + Send + Sync + PartialEq + Eq {
    /// The base field.
    type Fe: Field;
    /// The scalar field (integers modulo the group order `n`).
    type Scalar: Field;
    /// The curve's usual name ("P-256").
    const NAME: &'static str;
    /// `a = -3` (NIST curves); otherwise `a = 0` (secp256k1).
    const A_IS_MINUS_3: bool;
    /// The coefficient `b`.
    const B: Self::Fe;
    /// `3 * b`, used by the complete formulas.
    const B3: Self::Fe;
    /// Generator x-coordinate.
    const GX: Self::Fe;
    /// Generator y-coordinate.
    const GY: Self::Fe;
    /// The group order `n` as a base-field element (`n < p` on every
    /// curve here); public-key recovery adds it to `r`.
    const ORDER: Self::Fe;
    /// The named-curve OID (content bytes).
    const OID: &'static [u8];
    /// The hash conventionally paired with the curve for ECDSA.
    const DEFAULT_HASH: HashAlgorithm;

    /// The GLV endomorphism's constants, for curves that have one
    /// (secp256k1); verification then splits its scalars in half.
    const GLV: Option<Glv<Self>> = None;

    /// The fixed-base table of the generator, built on first use (with
    /// `std`); `None` without `std`, where signing falls back to the
    /// variable-base ladder.
    fn base_table() -> Option<&'static BaseTable<Self>>;
}
