//! ML-KEM polynomial arithmetic with AVX2 (x86_64): stub, kernels to come.
#![allow(clippy::missing_const_for_fn)]

/// Forward NTT.
pub(crate) fn ntt(_f: &mut [i16; 256]) -> bool {
    false
}
/// Inverse NTT.
pub(crate) fn inv_ntt(_f: &mut [i16; 256]) -> bool {
    false
}
/// Basemul accumulate.
pub(crate) fn basemul_acc(
    _out: &mut [i16; 256],
    _a: &[crate::mlkem::for_arch::Poly],
    _b: &[crate::mlkem::for_arch::Poly],
) -> bool {
    false
}
/// Barrett reduction.
pub(crate) fn reduce(_f: &mut [i16; 256]) -> bool {
    false
}
/// Compression.
pub(crate) fn compress(_out: &mut [u16; 256], _f: &[i16; 256], _d: u32) -> bool {
    false
}
/// Rejection sampling.
pub(crate) fn rej_uniform(_p: &mut [i16; 256], _filled: usize, _buf: &[u8]) -> Option<usize> {
    None
}
