//! secp256k1 (the SEC 2 Koblitz curve used by Bitcoin): parameters from SEC 2 / FIPS 186-5, and the curve's
//! fixed-base table; the base field's plain-value kernels for
//! `p = 2^256 - 2^32 - 977` live in `secp256k1/field.rs`, the group
//! order's inversion in `secp256k1/scalar.rs`.
//!
//! Entry point: [`Secp256k1`], the [`Curve`] marker type used with
//! `SigningKey<Secp256k1>`, `PublicKey<Secp256k1>` and friends.

mod field;
mod scalar;

use super::curve::Curve;
use super::field::{Fe, FieldParams};
use super::point::BaseTable;
use super::point::jacobian::glv::Glv;
use crate::hash::HashAlgorithm;

/// The base field modulus of secp256k1.
#[derive(Debug, Clone, Copy)]
pub struct FieldParamsSecp256k1;

impl FieldParams<4> for FieldParamsSecp256k1 {
    const MODULUS: [u64; 4] = field::P;
    const BITS: usize = 256;
    const BYTES: usize = 32;
    const PLAIN: bool = true;

    #[inline(always)]
    fn mont_mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
        field::mul(a, b)
    }

    #[inline(always)]
    fn mont_square(a: &[u64; 4]) -> [u64; 4] {
        field::square(a)
    }

    #[inline(always)]
    fn add_mod(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
        field::add(a, b)
    }

    #[inline(always)]
    fn sub_mod(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
        field::sub(a, b)
    }

    fn mont_invert(a: &[u64; 4]) -> [u64; 4] {
        field::invert(a)
    }
}

/// The group order of secp256k1.
#[derive(Debug, Clone, Copy)]
pub struct ScalarParamsSecp256k1;

impl FieldParams<4> for ScalarParamsSecp256k1 {
    const MODULUS: [u64; 4] = scalar::N;
    const BITS: usize = 256;
    const BYTES: usize = 32;

    /// Safegcd: the nonce inverse of every signature, constant time.
    fn mont_invert(a: &[u64; 4]) -> [u64; 4] {
        scalar::invert(a)
    }
}

/// An element of the secp256k1 base field.
pub type FieldSecp256k1 = Fe<FieldParamsSecp256k1, 4>;
/// A scalar modulo the secp256k1 group order.
pub type ScalarSecp256k1 = Fe<ScalarParamsSecp256k1, 4>;

/// secp256k1 (the SEC 2 Koblitz curve used by Bitcoin).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Secp256k1;

impl Curve for Secp256k1 {
    type Fe = FieldSecp256k1;
    type Scalar = ScalarSecp256k1;
    const NAME: &'static str = "secp256k1";
    const A_IS_MINUS_3: bool = false;
    const B: FieldSecp256k1 = FieldSecp256k1::from_canonical_limbs(&[
        0x0000000000000007,
        0x0000000000000000,
        0x0000000000000000,
        0x0000000000000000,
    ]);
    const B3: FieldSecp256k1 = FieldSecp256k1::from_canonical_limbs(&[
        0x0000000000000015,
        0x0000000000000000,
        0x0000000000000000,
        0x0000000000000000,
    ]);
    const GX: FieldSecp256k1 = FieldSecp256k1::from_canonical_limbs(&[
        0x59f2815b16f81798,
        0x029bfcdb2dce28d9,
        0x55a06295ce870b07,
        0x79be667ef9dcbbac,
    ]);
    const GY: FieldSecp256k1 = FieldSecp256k1::from_canonical_limbs(&[
        0x9c47d08ffb10d4b8,
        0xfd17b448a6855419,
        0x5da4fbfc0e1108a8,
        0x483ada7726a3c465,
    ]);
    const ORDER: FieldSecp256k1 = FieldSecp256k1::from_canonical_limbs(&[
        0xbfd25e8cd0364141,
        0xbaaedce6af48a03b,
        0xfffffffffffffffe,
        0xffffffffffffffff,
    ]);
    const OID: &'static [u8] = crate::asn1::oid::SECP256K1;
    const DEFAULT_HASH: HashAlgorithm = HashAlgorithm::Sha256;

    /// `beta` (a cube root of one mod p) with `lambda * (x, y) = (beta*x, y)`
    /// for `lambda = 0x5363ad4c...1b23bd72`, and the short lattice basis
    /// `a1 = 0x3086...eb15`, `b1 = -0xe443...e4c3`, `a2 = 0x1_14ca...4cfd8`,
    /// `b2 = a1` of Gallant, Lambert and Vanstone; checked by the tests of
    /// `point/jacobian/glv.rs` (`lambda*G`, and halves that recombine).
    const GLV: Option<Glv<Self>> = Some(Glv {
        beta: FieldSecp256k1::from_canonical_limbs(&[
            0xc139_6c28_7195_01ee,
            0x9cf0_4975_12f5_8995,
            0x6e64_479e_ac34_34e9,
            0x7ae9_6a2b_657c_0710,
        ]),
        a1: ScalarSecp256k1::from_canonical_limbs(&[0xe86c_90e4_9284_eb15, 0x3086_d221_a7d4_6bcd, 0, 0]),
        b1: ScalarSecp256k1::from_canonical_limbs(&[
            0x507d_dee3_c576_5c7e,
            0xd66b_5e10_ae3a_1813,
            0xffff_ffff_ffff_fffd,
            0xffff_ffff_ffff_ffff,
        ]),
        a2: ScalarSecp256k1::from_canonical_limbs(&[0x57c1_108d_9d44_cfd8, 0x14ca_50f7_a8e2_f3f6, 1, 0]),
        b2: ScalarSecp256k1::from_canonical_limbs(&[0xe86c_90e4_9284_eb15, 0x3086_d221_a7d4_6bcd, 0, 0]),
        g1: [0xe893_209a_45db_b031, 0x3daa_8a14_71e8_ca7f, 0xe86c_90e4_9284_eb15, 0x3086_d221_a7d4_6bcd],
        g2: [0x1571_b4ae_8ac4_7f71, 0x2212_08ac_9df5_06c6, 0x6f54_7fa9_0abf_e4c4, 0xe443_7ed6_010e_8828],
    });

    fn base_table() -> Option<&'static BaseTable<Self>> {
        #[cfg(feature = "std")]
        {
            static TABLE: std::sync::OnceLock<BaseTable<Secp256k1>> = std::sync::OnceLock::new();
            Some(TABLE.get_or_init(BaseTable::new))
        }
        #[cfg(not(feature = "std"))]
        {
            None
        }
    }
}
