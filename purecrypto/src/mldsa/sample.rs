//! Sampling from seeds (FIPS 204 §7.3): RejNTTPoly / ExpandA, RejBoundedPoly
//! / ExpandS, ExpandMask and SampleInBall, all on SHAKE from
//! [`crate::hash`].
//!
//! Entry points: [`expand_a_entry`], [`expand_s`], [`expand_mask`],
//! [`sample_in_ball`], [`h`]. Rejection sampling in ExpandS runs on the
//! secret seed during key generation (as in FIPS 204: the number of
//! SHAKE blocks consumed depends on it); the signing path uses ExpandMask,
//! which has no rejection.

use super::arith::{N, Poly, Q};
use super::encode;
use crate::hash::{Shake128, Shake256, XofReader};

/// SHAKE128's rate in bytes.
const SHAKE128_RATE: usize = 168;
/// SHAKE256's rate in bytes.
const SHAKE256_RATE: usize = 136;

/// H: SHAKE256 of the concatenated `parts`, `out.len()` bytes.
pub(crate) fn h(parts: &[&[u8]], out: &mut [u8]) {
    h_reader(parts).read(out);
}

/// H as a reader, for callers that squeeze in pieces.
pub(crate) fn h_reader(parts: &[&[u8]]) -> XofReader {
    let mut x = Shake256::new();
    for p in parts {
        x.update(p);
    }
    x.finalize_xof()
}

/// RejNTTPoly(rho || s || r): entry (r, s) of A, already in NTT form.
pub(crate) fn expand_a_entry(rho: &[u8; 32], row: u8, col: u8) -> Poly {
    let mut x = Shake128::new();
    x.update(rho);
    x.update(&[col, row]);
    let mut reader = x.finalize_xof();
    let mut out = [0i32; N];
    let mut filled = 0usize;
    let mut block = [0u8; SHAKE128_RATE];
    while filled < N {
        reader.read(&mut block);
        for t in block.chunks_exact(3) {
            let [b0, b1, b2] = [t.first(), t.get(1), t.get(2)].map(|b| i32::from(b.copied().unwrap_or(0)));
            let v = b0 | (b1 << 8) | ((b2 & 0x7f) << 16);
            if v < Q
                && let Some(slot) = out.get_mut(filled)
            {
                *slot = v;
                filled += 1;
            }
        }
    }
    out
}

/// RejBoundedPoly(rho' || nonce): coefficients uniform in [-eta, eta].
fn rej_bounded(rho_prime: &[u8; 64], nonce: u16, eta: i32) -> Poly {
    let mut reader = h_reader(&[rho_prime, &nonce.to_le_bytes()]);
    let mut out = [0i32; N];
    let mut filled = 0usize;
    let mut block = [0u8; SHAKE256_RATE];
    while filled < N {
        reader.read(&mut block);
        for &byte in &block {
            for t in [i32::from(byte & 15), i32::from(byte >> 4)] {
                let accepted =
                    if eta == 2 { (t < 15).then(|| 2 - (t - ((205 * t) >> 10) * 5)) } else { (t < 9).then(|| 4 - t) };
                if let (Some(v), Some(slot)) = (accepted, out.get_mut(filled)) {
                    *slot = v;
                    filled += 1;
                }
            }
        }
    }
    out
}

/// ExpandS: s1 from nonces 0..l and s2 from nonces l..l+k.
pub(crate) fn expand_s(rho_prime: &[u8; 64], eta: i32, s1: &mut [Poly], s2: &mut [Poly]) {
    for (nonce, p) in s1.iter_mut().chain(s2.iter_mut()).enumerate() {
        *p = rej_bounded(rho_prime, nonce as u16, eta);
    }
}

/// ExpandMask: y[r] from SHAKE256(rho'' || kappa + r), coefficients in
/// (-gamma1, gamma1].
pub(crate) fn expand_mask(rho_pp: &[u8; 64], kappa: u16, gamma1_bits: u32, y: &mut [Poly]) {
    let bits = gamma1_bits + 1;
    let mut buf = [0u8; encode::poly_bytes(20)];
    let bytes = buf.get_mut(..encode::poly_bytes(bits)).unwrap_or_default();
    for (r, p) in y.iter_mut().enumerate() {
        let nonce = kappa.wrapping_add(r as u16);
        h(&[rho_pp, &nonce.to_le_bytes()], bytes);
        encode::unpack(p, bytes, bits, Some(1 << gamma1_bits));
    }
    zeroize::Zeroize::zeroize(&mut buf);
}

/// SampleInBall: a polynomial with `tau` coefficients in {-1, 1}, the rest
/// zero, from the commitment hash c~.
///
/// The positions come from rejection sampling on SHAKE output of c~; c~ is
/// published with the signature, and the attempts that are rejected are
/// discarded along with their c~.
pub(crate) fn sample_in_ball(c_tilde: &[u8], tau: usize) -> Poly {
    let mut reader = h_reader(&[c_tilde]);
    let mut block = [0u8; SHAKE256_RATE];
    reader.read(&mut block);
    let mut signs = 0u64;
    for (i, b) in block.iter().take(8).enumerate() {
        signs |= u64::from(*b) << (8 * i);
    }
    let mut pos = 8usize;
    let mut c = [0i32; N];
    for i in N - tau..N {
        let j = loop {
            if pos == SHAKE256_RATE {
                reader.read(&mut block);
                pos = 0;
            }
            let j = usize::from(block.get(pos).copied().unwrap_or(0));
            pos += 1;
            if j <= i {
                break j;
            }
        };
        let cj = c.get(j).copied().unwrap_or(0);
        if let Some(ci) = c.get_mut(i) {
            *ci = cj;
        }
        if let Some(cj) = c.get_mut(j) {
            *cj = 1 - 2 * (signs & 1) as i32;
        }
        signs >>= 1;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_in_ball_has_tau_signs() {
        for tau in [39, 49, 60] {
            let c = sample_in_ball(&[7u8; 32], tau);
            assert_eq!(c.iter().filter(|&&x| x != 0).count(), tau);
            assert!(c.iter().all(|&x| (-1..=1).contains(&x)));
        }
    }

    #[test]
    fn rejection_samplers_stay_in_range() {
        let a = expand_a_entry(&[1; 32], 2, 3);
        assert!(a.iter().all(|&x| (0..Q).contains(&x)));
        for eta in [2, 4] {
            let s = rej_bounded(&[9; 64], 5, eta);
            assert!(s.iter().all(|&x| (-eta..=eta).contains(&x)));
        }
    }
}
