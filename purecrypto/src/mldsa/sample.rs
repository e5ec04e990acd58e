//! Sampling from seeds (FIPS 204 §7.3): RejNTTPoly / ExpandA, RejBoundedPoly
//! / ExpandS, ExpandMask and SampleInBall, all on SHAKE from
//! [`crate::hash`].
//!
//! Entry points: [`expand_a_entry`] / [`expand_a_entries`], [`expand_s`],
//! [`expand_mask`], [`sample_in_ball`], [`h`]. ExpandA, ExpandS and
//! ExpandMask draw four polynomials at a time from the four-way SHAKE
//! ([`Shake128x4`] / [`Shake256x4`], AVX2 Keccak when present); each lane's
//! output is exactly the one-way SHAKE's, so the polynomials are those of
//! FIPS 204. Rejection sampling in ExpandS runs on the
//! secret seed during key generation (as in FIPS 204: the number of
//! SHAKE blocks consumed depends on it); the signing path uses ExpandMask,
//! which has no rejection.

use zeroize::Zeroize;

use super::arith::{N, Poly, Q};
use super::encode;
use crate::hash::{Shake128, Shake128x4, Shake256, Shake256x4, XofReader};

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
        rej_ntt_block(&block, &mut out, &mut filled);
    }
    out
}

/// RejNTTPoly's inner loop over one SHAKE128 block: appends the accepted
/// coefficients to `out[*filled..]`.
fn rej_ntt_block(block: &[u8; SHAKE128_RATE], out: &mut Poly, filled: &mut usize) {
    for t in block.chunks_exact(3) {
        let [b0, b1, b2] = [t.first(), t.get(1), t.get(2)].map(|b| i32::from(b.copied().unwrap_or(0)));
        let v = b0 | (b1 << 8) | ((b2 & 0x7f) << 16);
        if v < Q
            && let Some(slot) = out.get_mut(*filled)
        {
            *slot = v;
            *filled += 1;
        }
    }
}

/// Four entries of A at once: `out[i]` = RejNTTPoly(rho || s || r) for
/// `(r, s) = coords[i]` (equal to [`expand_a_entry`]).
pub(crate) fn expand_a_entries(rho: &[u8; 32], coords: [(u8, u8); 4], out: &mut [Poly; 4]) {
    let inputs: [[u8; 34]; 4] = coords.map(|(row, col)| {
        let mut buf = [0u8; 34];
        let (head, tail) = buf.split_at_mut(32);
        head.copy_from_slice(rho);
        tail.copy_from_slice(&[col, row]);
        buf
    });
    let [i0, i1, i2, i3] = &inputs;
    let Ok(mut x) = Shake128x4::new([i0, i1, i2, i3]) else {
        // Equal lengths by construction; keep the one-way path regardless.
        for (o, (row, col)) in out.iter_mut().zip(coords) {
            *o = expand_a_entry(rho, row, col);
        }
        return;
    };
    let mut filled = [0usize; 4];
    let mut blocks = [[0u8; SHAKE128_RATE]; 4];
    while filled.iter().any(|&f| f < N) {
        let [b0, b1, b2, b3] = &mut blocks;
        if x.squeeze([b0, b1, b2, b3]).is_err() {
            break;
        }
        for ((block, o), f) in blocks.iter().zip(out.iter_mut()).zip(filled.iter_mut()) {
            rej_ntt_block(block, o, f);
        }
    }
}

/// RejBoundedPoly(rho' || nonce): coefficients uniform in [-eta, eta].
fn rej_bounded(rho_prime: &[u8; 64], nonce: u16, eta: i32) -> Poly {
    let mut reader = h_reader(&[rho_prime, &nonce.to_le_bytes()]);
    let mut out = [0i32; N];
    let mut filled = 0usize;
    let mut block = [0u8; SHAKE256_RATE];
    while filled < N {
        reader.read(&mut block);
        rej_bounded_block(&block, eta, &mut out, &mut filled);
    }
    block.zeroize();
    out
}

/// RejBoundedPoly's inner loop over one SHAKE256 block.
fn rej_bounded_block(block: &[u8; SHAKE256_RATE], eta: i32, out: &mut Poly, filled: &mut usize) {
    for &byte in block {
        for t in [i32::from(byte & 15), i32::from(byte >> 4)] {
            let accepted =
                if eta == 2 { (t < 15).then(|| 2 - (t - ((205 * t) >> 10) * 5)) } else { (t < 9).then(|| 4 - t) };
            if let (Some(v), Some(slot)) = (accepted, out.get_mut(*filled)) {
                *slot = v;
                *filled += 1;
            }
        }
    }
}

/// SHAKE256(rho' || nonce) for four nonces, as a four-way reader.
fn shake256_x4_nonces(seed: &[u8; 64], nonces: [u16; 4]) -> Option<Shake256x4> {
    let mut inputs: [[u8; 66]; 4] = nonces.map(|nonce| {
        let mut buf = [0u8; 66];
        let (head, tail) = buf.split_at_mut(64);
        head.copy_from_slice(seed);
        tail.copy_from_slice(&nonce.to_le_bytes());
        buf
    });
    let [i0, i1, i2, i3] = &inputs;
    let x = Shake256x4::new([i0, i1, i2, i3]).ok();
    inputs.as_flattened_mut().zeroize();
    x
}

/// RejBoundedPoly for four nonces at once (equal to [`rej_bounded`]).
fn rej_bounded_x4(rho_prime: &[u8; 64], nonces: [u16; 4], eta: i32, out: &mut [Poly; 4]) {
    let Some(mut x) = shake256_x4_nonces(rho_prime, nonces) else {
        for (o, nonce) in out.iter_mut().zip(nonces) {
            *o = rej_bounded(rho_prime, nonce, eta);
        }
        return;
    };
    let mut filled = [0usize; 4];
    let mut blocks = [[0u8; SHAKE256_RATE]; 4];
    while filled.iter().any(|&f| f < N) {
        let [b0, b1, b2, b3] = &mut blocks;
        if x.squeeze([b0, b1, b2, b3]).is_err() {
            break;
        }
        for ((block, o), f) in blocks.iter().zip(out.iter_mut()).zip(filled.iter_mut()) {
            rej_bounded_block(block, eta, o, f);
        }
    }
    blocks.as_flattened_mut().zeroize();
}

/// Runs `each(group, polys)` over `polys` four at a time: `group` holds
/// the four indices (the last repeated to fill a short final group) and
/// `polys` the scratch outputs to copy back.
fn by_fours(polys: &mut [&mut Poly], mut each: impl FnMut([usize; 4], &mut [Poly; 4])) {
    let count = polys.len();
    let mut scratch = [[0i32; N]; 4];
    for start in (0..count).step_by(4) {
        let idx: [usize; 4] = core::array::from_fn(|l| (start + l).min(count - 1));
        each(idx, &mut scratch);
        for (p, s) in polys.iter_mut().skip(start).zip(&scratch) {
            **p = *s;
        }
    }
    scratch.as_flattened_mut().zeroize();
}

/// ExpandS: s1 from nonces 0..l and s2 from nonces l..l+k.
pub(crate) fn expand_s(rho_prime: &[u8; 64], eta: i32, s1: &mut [Poly], s2: &mut [Poly]) {
    let mut polys: alloc::vec::Vec<&mut Poly> = s1.iter_mut().chain(s2.iter_mut()).collect();
    by_fours(&mut polys, |idx, out| rej_bounded_x4(rho_prime, idx.map(|i| i as u16), eta, out));
}

/// ExpandMask: y[r] from SHAKE256(rho'' || kappa + r), coefficients in
/// (-gamma1, gamma1].
pub(crate) fn expand_mask(rho_pp: &[u8; 64], kappa: u16, gamma1_bits: u32, y: &mut [Poly]) {
    let bits = gamma1_bits + 1;
    let len = encode::poly_bytes(bits);
    let mut bufs = [[0u8; encode::poly_bytes(20)]; 4];
    let mut polys: alloc::vec::Vec<&mut Poly> = y.iter_mut().collect();
    by_fours(&mut polys, |idx, out| {
        let nonces = idx.map(|r| kappa.wrapping_add(r as u16));
        let [b0, b1, b2, b3] = &mut bufs;
        let outs = [b0, b1, b2, b3].map(|b| b.get_mut(..len).unwrap_or_default());
        let squeezed = shake256_x4_nonces(rho_pp, nonces).map(|mut x| x.squeeze(outs).is_ok());
        if squeezed != Some(true) {
            for (b, nonce) in bufs.iter_mut().zip(nonces) {
                h(&[rho_pp, &nonce.to_le_bytes()], b.get_mut(..len).unwrap_or_default());
            }
        }
        for (p, b) in out.iter_mut().zip(&bufs) {
            encode::unpack(p, b.get(..len).unwrap_or_default(), bits, Some(1 << gamma1_bits));
        }
    });
    bufs.as_flattened_mut().zeroize();
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

    /// The four-way samplers (AVX2 Keccak when present) give exactly the
    /// one-way polynomials.
    #[test]
    fn four_way_sampling_matches_one_way() {
        let rho = [0x3c; 32];
        let coords = [(0, 0), (2, 3), (7, 6), (1, 4)];
        let mut a = [[0; N]; 4];
        expand_a_entries(&rho, coords, &mut a);
        for (got, (r, s)) in a.iter().zip(coords) {
            assert_eq!(*got, expand_a_entry(&rho, r, s));
        }
        let seed = [0x5e; 64];
        for eta in [2, 4] {
            let (mut s1, mut s2) = ([[0; N]; 7], [[0; N]; 6]);
            expand_s(&seed, eta, &mut s1, &mut s2);
            for (nonce, p) in s1.iter().chain(&s2).enumerate() {
                assert_eq!(*p, rej_bounded(&seed, nonce as u16, eta), "eta {eta} nonce {nonce}");
            }
        }
        for (gamma1_bits, l) in [(17, 4), (19, 5), (19, 7)] {
            let mut y = [[0; N]; 7];
            expand_mask(&seed, 700, gamma1_bits, &mut y[..l]);
            let bits = gamma1_bits + 1;
            let mut bytes = [0u8; 640];
            for (r, got) in y[..l].iter().enumerate() {
                let b = &mut bytes[..encode::poly_bytes(bits)];
                h(&[&seed, &(700 + r as u16).to_le_bytes()], b);
                let mut want = [0; N];
                encode::unpack(&mut want, b, bits, Some(1 << gamma1_bits));
                assert_eq!(*got, want, "gamma1 2^{gamma1_bits} r {r}");
            }
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
