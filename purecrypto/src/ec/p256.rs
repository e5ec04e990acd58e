//! NIST P-256 (secp256r1, prime256v1): parameters from SEC 2 / FIPS 186-5, and the curve's
//! fixed-base table; the base field's special-form Montgomery kernels
//! live in `p256/montgomery.rs`, the group order's in `p256/scalar.rs`.
//!
//! Entry point: [`P256`], the [`Curve`] marker type used with
//! `SigningKey<P256>`, `PublicKey<P256>` and friends.

pub(crate) mod montgomery;
mod scalar;

use super::curve::Curve;
use super::field::{Fe, FieldParams};
use super::point::BaseTable;
use crate::hash::HashAlgorithm;

/// The base field modulus of P-256.
#[derive(Debug, Clone, Copy)]
pub struct FieldParamsP256;

impl FieldParams<4> for FieldParamsP256 {
    const MODULUS: [u64; 4] = montgomery::P;
    const BITS: usize = 256;
    const BYTES: usize = 32;

    #[inline(always)]
    fn add_mod(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
        montgomery::add(a, b)
    }

    #[inline(always)]
    fn sub_mod(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
        montgomery::sub(a, b)
    }

    #[inline(always)]
    fn mont_mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
        montgomery::mont_mul(a, b)
    }

    #[inline(always)]
    fn mont_square(a: &[u64; 4]) -> [u64; 4] {
        montgomery::mont_square(a)
    }

    fn mont_invert(a: &[u64; 4]) -> [u64; 4] {
        montgomery::invert(a)
    }
}

/// The group order of P-256.
#[derive(Debug, Clone, Copy)]
pub struct ScalarParamsP256;

impl FieldParams<4> for ScalarParamsP256 {
    const MODULUS: [u64; 4] = scalar::N;
    const BITS: usize = 256;
    const BYTES: usize = 32;

    #[inline(always)]
    fn mont_mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
        scalar::mont_mul(a, b)
    }

    #[inline(always)]
    fn mont_square(a: &[u64; 4]) -> [u64; 4] {
        scalar::mont_square(a)
    }

    /// The nonce inversion of every ECDSA signature: safegcd, constant
    /// time (verification's `s^-1` comes here too).
    fn mont_invert(a: &[u64; 4]) -> [u64; 4] {
        scalar::invert(a)
    }
}

/// An element of the P-256 base field.
pub type FieldP256 = Fe<FieldParamsP256, 4>;
/// A scalar modulo the P-256 group order.
pub type ScalarP256 = Fe<ScalarParamsP256, 4>;

/// NIST P-256 (secp256r1, prime256v1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct P256;

impl Curve for P256 {
    type Fe = FieldP256;
    type Scalar = ScalarP256;
    const NAME: &'static str = "P-256";
    const A_IS_MINUS_3: bool = true;
    const B: FieldP256 = FieldP256::from_canonical_limbs(&[
        0x3bce3c3e27d2604b,
        0x651d06b0cc53b0f6,
        0xb3ebbd55769886bc,
        0x5ac635d8aa3a93e7,
    ]);
    const B3: FieldP256 = FieldP256::from_canonical_limbs(&[
        0xb36ab4ba777720e2,
        0x2f57141164fb12e2,
        0x1bc3380063c99435,
        0x1052a18afeafbbb6,
    ]);
    const GX: FieldP256 = FieldP256::from_canonical_limbs(&[
        0xf4a13945d898c296,
        0x77037d812deb33a0,
        0xf8bce6e563a440f2,
        0x6b17d1f2e12c4247,
    ]);
    const GY: FieldP256 = FieldP256::from_canonical_limbs(&[
        0xcbb6406837bf51f5,
        0x2bce33576b315ece,
        0x8ee7eb4a7c0f9e16,
        0x4fe342e2fe1a7f9b,
    ]);
    const ORDER: FieldP256 = FieldP256::from_canonical_limbs(&[
        0xf3b9cac2fc632551,
        0xbce6faada7179e84,
        0xffffffffffffffff,
        0xffffffff00000000,
    ]);
    const OID: &'static [u8] = crate::asn1::oid::SECP256R1;
    const DEFAULT_HASH: HashAlgorithm = HashAlgorithm::Sha256;

    fn base_table() -> Option<&'static BaseTable<Self>> {
        #[cfg(feature = "std")]
        {
            static TABLE: std::sync::OnceLock<BaseTable<P256>> = std::sync::OnceLock::new();
            Some(TABLE.get_or_init(BaseTable::new))
        }
        #[cfg(not(feature = "std"))]
        {
            None
        }
    }
}
