//! AVX2 kernels for ML-DSA's NTT, inverse NTT and pointwise product.
//!
//! Entry points: [`ntt`], [`inv_ntt`], [`pointwise`]; each returns `false`
//! when AVX2 is unavailable (or the soft backend is forced) so the caller
//! runs the portable code in `crate::mldsa`.

/// A polynomial of ML-DSA (256 coefficients modulo q).
type Poly = [i32; 256];

/// Forward NTT; `false` when the portable code must run instead.
pub(crate) fn ntt(_a: &mut Poly) -> bool {
    false
}

/// Inverse NTT; `false` when the portable code must run instead.
pub(crate) fn inv_ntt(_a: &mut Poly) -> bool {
    false
}

/// Pointwise Montgomery product; `false` when the portable code must run.
pub(crate) fn pointwise(_c: &mut Poly, _a: &Poly, _b: &Poly) -> bool {
    false
}
