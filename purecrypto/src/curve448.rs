//! Curve448 arithmetic shared by [`crate::x448`] and [`crate::ed448`]: the
//! field GF(2^448 - 2^224 - 1), the edwards448 group and its scalars.
//!
//! Entry points (crate-private): `field::Fe`, `edwards::EdwardsPoint`,
//! `scalar::Scalar`. The public types live in the protocol modules.

pub(crate) mod edwards;
pub(crate) mod field;
pub(crate) mod scalar;
