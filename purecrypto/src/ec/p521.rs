//! NIST P-521 (secp521r1): parameters from SEC 2 / FIPS 186-5, and the curve's
//! fixed-base table.
//!
//! Entry point: [`P521`], the [`Curve`] marker type used with
//! `SigningKey<P521>`, `PublicKey<P521>` and friends.

use super::curve::Curve;
use super::field::{Fe, FieldParams};
use super::point::BaseTable;
use crate::hash::HashAlgorithm;

/// The base field modulus of P-521.
#[derive(Debug, Clone, Copy)]
pub struct FieldParamsP521;

impl FieldParams<9> for FieldParamsP521 {
    const MODULUS: [u64; 9] = [
        0xffffffffffffffff,
        0xffffffffffffffff,
        0xffffffffffffffff,
        0xffffffffffffffff,
        0xffffffffffffffff,
        0xffffffffffffffff,
        0xffffffffffffffff,
        0xffffffffffffffff,
        0x00000000000001ff,
    ];
    const BITS: usize = 521;
    const BYTES: usize = 66;
}

/// The group order of P-521.
#[derive(Debug, Clone, Copy)]
pub struct ScalarParamsP521;

impl FieldParams<9> for ScalarParamsP521 {
    const MODULUS: [u64; 9] = [
        0xbb6fb71e91386409,
        0x3bb5c9b8899c47ae,
        0x7fcc0148f709a5d0,
        0x51868783bf2f966b,
        0xfffffffffffffffa,
        0xffffffffffffffff,
        0xffffffffffffffff,
        0xffffffffffffffff,
        0x00000000000001ff,
    ];
    const BITS: usize = 521;
    const BYTES: usize = 66;
}

/// An element of the P-521 base field.
pub type FieldP521 = Fe<FieldParamsP521, 9>;
/// A scalar modulo the P-521 group order.
pub type ScalarP521 = Fe<ScalarParamsP521, 9>;

/// NIST P-521 (secp521r1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct P521;

impl Curve for P521 {
    type Fe = FieldP521;
    type Scalar = ScalarP521;
    const NAME: &'static str = "P-521";
    const A_IS_MINUS_3: bool = true;
    const B: FieldP521 = FieldP521::from_canonical_limbs(&[
        0xef451fd46b503f00,
        0x3573df883d2c34f1,
        0x1652c0bd3bb1bf07,
        0x56193951ec7e937b,
        0xb8b489918ef109e1,
        0xa2da725b99b315f3,
        0x929a21a0b68540ee,
        0x953eb9618e1c9a1f,
        0x0000000000000051,
    ]);
    const B3: FieldP521 = FieldP521::from_canonical_limbs(&[
        0xcdcf5f7d41f0bd00,
        0xa05b9e98b7849ed5,
        0x42f84237b3153d15,
        0x024babf5c57bba71,
        0x2a1d9cb4acd31da4,
        0xe88f5712cd1941db,
        0xb7ce64e2238fc2cb,
        0xbfbc2c24aa55ce5e,
        0x00000000000000f4,
    ]);
    const GX: FieldP521 = FieldP521::from_canonical_limbs(&[
        0xf97e7e31c2e5bd66,
        0x3348b3c1856a429b,
        0xfe1dc127a2ffa8de,
        0xa14b5e77efe75928,
        0xf828af606b4d3dba,
        0x9c648139053fb521,
        0x9e3ecb662395b442,
        0x858e06b70404e9cd,
        0x00000000000000c6,
    ]);
    const GY: FieldP521 = FieldP521::from_canonical_limbs(&[
        0x88be94769fd16650,
        0x353c7086a272c240,
        0xc550b9013fad0761,
        0x97ee72995ef42640,
        0x17afbd17273e662c,
        0x98f54449579b4468,
        0x5c8a5fb42c7d1bd9,
        0x39296a789a3bc004,
        0x0000000000000118,
    ]);
    const ORDER: FieldP521 = FieldP521::from_canonical_limbs(&[
        0xbb6fb71e91386409,
        0x3bb5c9b8899c47ae,
        0x7fcc0148f709a5d0,
        0x51868783bf2f966b,
        0xfffffffffffffffa,
        0xffffffffffffffff,
        0xffffffffffffffff,
        0xffffffffffffffff,
        0x00000000000001ff,
    ]);
    const OID: &'static [u8] = crate::asn1::oid::SECP521R1;
    const DEFAULT_HASH: HashAlgorithm = HashAlgorithm::Sha512;

    fn base_table() -> Option<&'static BaseTable<Self>> {
        #[cfg(feature = "std")]
        {
            static TABLE: std::sync::OnceLock<BaseTable<P521>> = std::sync::OnceLock::new();
            Some(TABLE.get_or_init(BaseTable::new))
        }
        #[cfg(not(feature = "std"))]
        {
            None
        }
    }
}
