//! NIST P-384 (secp384r1): parameters from SEC 2 / FIPS 186-5, and the curve's
//! fixed-base table.
//!
//! Entry point: [`P384`], the [`Curve`] marker type used with
//! `SigningKey<P384>`, `PublicKey<P384>` and friends.

use super::curve::Curve;
use super::field::{Fe, FieldParams};
use super::point::BaseTable;
use crate::hash::HashAlgorithm;

/// The base field modulus of P-384.
#[derive(Debug, Clone, Copy)]
pub struct FieldParamsP384;

impl FieldParams<6> for FieldParamsP384 {
    const MODULUS: [u64; 6] = [
        0x00000000ffffffff,
        0xffffffff00000000,
        0xfffffffffffffffe,
        0xffffffffffffffff,
        0xffffffffffffffff,
        0xffffffffffffffff,
    ];
    const BITS: usize = 384;
    const BYTES: usize = 48;
}

/// The group order of P-384.
#[derive(Debug, Clone, Copy)]
pub struct ScalarParamsP384;

impl FieldParams<6> for ScalarParamsP384 {
    const MODULUS: [u64; 6] = [
        0xecec196accc52973,
        0x581a0db248b0a77a,
        0xc7634d81f4372ddf,
        0xffffffffffffffff,
        0xffffffffffffffff,
        0xffffffffffffffff,
    ];
    const BITS: usize = 384;
    const BYTES: usize = 48;
}

/// An element of the P-384 base field.
pub type FieldP384 = Fe<FieldParamsP384, 6>;
/// A scalar modulo the P-384 group order.
pub type ScalarP384 = Fe<ScalarParamsP384, 6>;

/// NIST P-384 (secp384r1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct P384;

impl Curve for P384 {
    type Fe = FieldP384;
    type Scalar = ScalarP384;
    const NAME: &'static str = "P-384";
    const A_IS_MINUS_3: bool = true;
    const B: FieldP384 = FieldP384::from_canonical_limbs(&[
        0x2a85c8edd3ec2aef,
        0xc656398d8a2ed19d,
        0x0314088f5013875a,
        0x181d9c6efe814112,
        0x988e056be3f82d19,
        0xb3312fa7e23ee7e4,
    ]);
    const B3: FieldP384 = FieldP384::from_canonical_limbs(&[
        0x7f915ac77bc480cf,
        0x5302acaa9e8c74d7,
        0x093c19adf03a9612,
        0x4858d54cfb83c336,
        0xc9aa1043abe8874b,
        0x19938ef7a6bcb7ad,
    ]);
    const GX: FieldP384 = FieldP384::from_canonical_limbs(&[
        0x3a545e3872760ab7,
        0x5502f25dbf55296c,
        0x59f741e082542a38,
        0x6e1d3b628ba79b98,
        0x8eb1c71ef320ad74,
        0xaa87ca22be8b0537,
    ]);
    const GY: FieldP384 = FieldP384::from_canonical_limbs(&[
        0x7a431d7c90ea0e5f,
        0x0a60b1ce1d7e819d,
        0xe9da3113b5f0b8c0,
        0xf8f41dbd289a147c,
        0x5d9e98bf9292dc29,
        0x3617de4a96262c6f,
    ]);
    const ORDER: FieldP384 = FieldP384::from_canonical_limbs(&[
        0xecec196accc52973,
        0x581a0db248b0a77a,
        0xc7634d81f4372ddf,
        0xffffffffffffffff,
        0xffffffffffffffff,
        0xffffffffffffffff,
    ]);
    const OID: &'static [u8] = crate::asn1::oid::SECP384R1;
    const DEFAULT_HASH: HashAlgorithm = HashAlgorithm::Sha384;

    fn base_table() -> Option<&'static BaseTable<Self>> {
        #[cfg(feature = "std")]
        {
            static TABLE: std::sync::OnceLock<BaseTable<P384>> = std::sync::OnceLock::new();
            Some(TABLE.get_or_init(BaseTable::new))
        }
        #[cfg(not(feature = "std"))]
        {
            None
        }
    }
}
