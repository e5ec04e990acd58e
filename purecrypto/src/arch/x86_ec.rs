//! BMI2 + ADX builds of the elliptic-curve point addition and doubling.
//!
//! Entry points: [`point_add`] and [`point_double`]. Each runs the
//! portable complete formulas of `crate::ec::point` (whose Montgomery
//! field arithmetic is fully inlined) compiled with `bmi2,adx` enabled,
//! so every field product in them uses `mulx`, the flag-free 64x64
//! multiply that lets the CIOS carry chains interleave. Dispatching once
//! per point operation rather than per field product keeps the field
//! code inlined in both builds. Both return `None` when the CPU lacks a
//! feature, and the caller runs the portable build.

use super::detect::{Feature, features};
use crate::ec::{Curve, ProjectivePoint};

#[inline(always)]
fn available() -> bool {
    let f = features();
    f.has(Feature::Bmi2) && f.has(Feature::Adx)
}

/// `p + q` (complete, constant time), if BMI2 and ADX are available.
#[inline(always)]
pub(crate) fn point_add<C: Curve>(p: &ProjectivePoint<C>, q: &ProjectivePoint<C>) -> Option<ProjectivePoint<C>> {
    if !available() {
        return None;
    }
    // SAFETY: the CPU has BMI2 and ADX (checked above); the body is safe
    // Rust compiled for those features.
    Some(unsafe { point_add_bmi2_adx(p, q) })
}

/// `2 * p` (constant time), if BMI2 and ADX are available.
#[inline(always)]
pub(crate) fn point_double<C: Curve>(p: &ProjectivePoint<C>) -> Option<ProjectivePoint<C>> {
    if !available() {
        return None;
    }
    // SAFETY: as in `point_add`.
    Some(unsafe { point_double_bmi2_adx(p) })
}

/// # Safety
/// The CPU must support BMI2 and ADX.
#[target_feature(enable = "bmi2,adx")]
unsafe fn point_add_bmi2_adx<C: Curve>(p: &ProjectivePoint<C>, q: &ProjectivePoint<C>) -> ProjectivePoint<C> {
    p.add_portable(q)
}

/// # Safety
/// The CPU must support BMI2 and ADX.
#[target_feature(enable = "bmi2,adx")]
unsafe fn point_double_bmi2_adx<C: Curve>(p: &ProjectivePoint<C>) -> ProjectivePoint<C> {
    p.double_portable()
}

#[cfg(test)]
mod tests {
    use crate::ec::field::Field;
    use crate::ec::{Curve, P256, P521, ProjectivePoint, Secp256k1};

    fn agrees<C: Curve>() {
        let g = ProjectivePoint::<C>::generator();
        let mut p = g.mul(&C::Scalar::from_u64(0xdead_beef).square());
        for _ in 0..16 {
            if let Some(fast) = super::point_add(&p, &g) {
                assert_eq!(fast, p.add_portable(&g));
            }
            if let Some(fast) = super::point_double(&p) {
                assert_eq!(fast, p.double_portable());
            }
            p = p.double_portable().add_portable(&g);
        }
    }

    #[test]
    fn bmi2_adx_build_agrees_with_portable() {
        agrees::<P256>();
        agrees::<P521>();
        agrees::<Secp256k1>();
    }
}
