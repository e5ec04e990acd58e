//! Sampling of the public matrix and the secret noise (FIPS 203
//! algorithms 7 and 8, and the PRF of section 4.1).
//!
//! Entry points: [`sample_matrix_into`] (`SampleNTT` for every entry of Â, four
//! entries at a time with SHAKE128 x4), [`sample_noise`] (`SamplePolyCBD`
//! over `PRF_eta`, four polynomials at a time with SHAKE256 x4) and
//! [`rej_uniform`], the rejection step. Matrix sampling is variable time
//! on purpose: it reads only the public seed rho. Noise sampling is
//! branch-free on its secret input.

use zeroize::Zeroize;

use super::poly::{N, Poly, Q};
use crate::hash::{Shake128x4, Shake256x4};

/// SHAKE128 output taken before the first rejection pass: three blocks
/// are enough for 256 coefficients in all but a tiny fraction of cases.
const MATRIX_FIRST_BYTES: usize = 3 * Shake128x4::RATE;

/// Appends the 12-bit values below q read from `buf` (two per three bytes,
/// FIPS 203 algorithm 7) to `p[filled..]`; returns the new fill count.
pub(crate) fn rej_uniform(p: &mut [i16; N], filled: usize, buf: &[u8]) -> usize {
    if filled < N
        && let Some((n, used)) = crate::arch::x86_avx2_mlkem::rej_uniform(p, filled, buf)
    {
        return rej_uniform_soft(p, n, buf.get(used..).unwrap_or_default());
    }
    rej_uniform_soft(p, filled, buf)
}

/// The portable rejection step. Branch-free per candidate (the store
/// always happens, the count advances only for an accepted value), which
/// runs faster than a branch that mispredicts one time in five.
pub(crate) fn rej_uniform_soft(p: &mut [i16; N], filled: usize, buf: &[u8]) -> usize {
    // Room for the last candidates to be written past N and dropped.
    let mut out = [0i16; N + 2];
    let mut n = filled.min(N);
    for b in buf.chunks_exact(3) {
        if n >= N {
            break;
        }
        if let [b0, b1, b2] = b {
            let (b0, b1, b2) = (u16::from(*b0), u16::from(*b1), u16::from(*b2));
            for d in [b0 | ((b1 & 0x0f) << 8), (b1 >> 4) | (b2 << 4)] {
                if let Some(slot) = out.get_mut(n) {
                    *slot = d as i16;
                }
                n += usize::from(d < Q as u16);
            }
        }
    }
    let n = n.min(N);
    if let (Some(dst), Some(src)) = (p.get_mut(filled..n), out.get(filled..n)) {
        dst.copy_from_slice(src);
    }
    n
}

/// [`sample_matrix_into`] returning the matrix (tests).
#[cfg(test)]
pub(crate) fn sample_matrix<const K: usize>(rho: &[u8; 32], transpose: bool) -> [[Poly; K]; K] {
    let mut a: [[Poly; K]; K] = core::array::from_fn(|_| core::array::from_fn(|_| Poly::zero()));
    sample_matrix_into(rho, transpose, &mut a);
    a
}

/// Â (or its transpose) from `rho` into `a`: entry `(i, j)` is
/// `SampleNTT(rho || j || i)`, or `SampleNTT(rho || i || j)` when
/// `transpose`. Entries are produced in batches of four.
pub(crate) fn sample_matrix_into<const K: usize>(rho: &[u8; 32], transpose: bool, a: &mut [[Poly; K]; K]) {
    // Lanes past the last entry (K = 3: three in the last batch) repeat
    // it into these.
    let mut spare: [Poly; 3] = core::array::from_fn(|_| Poly::zero());
    for (batch, entries) in a.as_flattened_mut().chunks_mut(4).enumerate() {
        let seeds: [[u8; 34]; 4] = core::array::from_fn(|t| {
            let idx = (4 * batch + t).min(K * K - 1);
            let (i, j) = (idx / K, idx % K);
            let mut s = [0u8; 34];
            s[..32].copy_from_slice(rho);
            let (x, y) = if transpose { (i, j) } else { (j, i) };
            s[32] = x as u8;
            s[33] = y as u8;
            s
        });
        let mut outs = entries.iter_mut().chain(spare.iter_mut());
        if let (Some(p0), Some(p1), Some(p2), Some(p3)) = (outs.next(), outs.next(), outs.next(), outs.next()) {
            sample_ntt_x4(&seeds, [p0, p1, p2, p3]);
        }
    }
}

/// Four `SampleNTT` runs on the given 34-byte seeds, into `out`.
fn sample_ntt_x4(seeds: &[[u8; 34]; 4], mut out: [&mut Poly; 4]) {
    // Equal lengths by construction, so neither call can fail.
    let Ok(mut xof) = Shake128x4::new([&seeds[0], &seeds[1], &seeds[2], &seeds[3]]) else { return };
    let mut buf = [[0u8; MATRIX_FIRST_BYTES]; 4];
    {
        let [b0, b1, b2, b3] = &mut buf;
        let _ = xof.squeeze([b0, b1, b2, b3]);
    }
    let mut filled = [0usize; 4];
    for ((p, f), b) in out.iter_mut().zip(filled.iter_mut()).zip(&buf) {
        *f = rej_uniform(&mut p.c, 0, b);
    }
    while filled.iter().any(|&f| f < N) {
        let mut block = [[0u8; Shake128x4::RATE]; 4];
        {
            let [b0, b1, b2, b3] = &mut block;
            let _ = xof.squeeze([b0, b1, b2, b3]);
        }
        for ((p, f), b) in out.iter_mut().zip(filled.iter_mut()).zip(&block) {
            *f = rej_uniform(&mut p.c, *f, b);
        }
    }
}

/// `SamplePolyCBD_eta` (FIPS 203 algorithm 8) on `64 eta` bytes; eta is 2
/// or 3. Branch-free: each coefficient is a difference of bit counts.
pub(crate) fn cbd(bytes: &[u8], eta: usize) -> Poly {
    let mut p = Poly::zero();
    if eta == 2 {
        for (coeffs, word) in p.c.chunks_exact_mut(8).zip(bytes.chunks_exact(4)) {
            let mut w = [0u8; 4];
            w.copy_from_slice(word);
            let t = u32::from_le_bytes(w);
            let d = (t & 0x5555_5555) + ((t >> 1) & 0x5555_5555);
            for (j, c) in coeffs.iter_mut().enumerate() {
                let a = (d >> (4 * j)) & 3;
                let b = (d >> (4 * j + 2)) & 3;
                *c = (a as i16).wrapping_sub(b as i16);
            }
        }
    } else {
        for (coeffs, word) in p.c.chunks_exact_mut(4).zip(bytes.chunks_exact(3)) {
            let mut w = [0u8; 4];
            w[..3].copy_from_slice(word);
            let t = u32::from_le_bytes(w);
            let d = (t & 0x0024_9249) + ((t >> 1) & 0x0024_9249) + ((t >> 2) & 0x0024_9249);
            for (j, c) in coeffs.iter_mut().enumerate() {
                let a = (d >> (6 * j)) & 7;
                let b = (d >> (6 * j + 3)) & 7;
                *c = (a as i16).wrapping_sub(b as i16);
            }
        }
    }
    p
}

/// Fills `out[t]` with `SamplePolyCBD_{etas[t]}(PRF(sigma, first_nonce + t))`,
/// four polynomials per SHAKE256 x4 run.
pub(crate) fn sample_noise(sigma: &[u8; 32], first_nonce: u8, etas: &[usize], out: &mut [Poly]) {
    let mut buf = [[0u8; 64 * 3]; 4];
    for (chunk, (etas, polys)) in etas.chunks(4).zip(out.chunks_mut(4)).enumerate() {
        let seeds: [[u8; 33]; 4] = core::array::from_fn(|t| {
            let mut s = [0u8; 33];
            s[..32].copy_from_slice(sigma);
            s[32] = first_nonce.wrapping_add((4 * chunk + t) as u8);
            s
        });
        let len = 64 * etas.iter().copied().max().unwrap_or(2);
        if let Ok(mut prf) = Shake256x4::new([&seeds[0], &seeds[1], &seeds[2], &seeds[3]]) {
            let [b0, b1, b2, b3] = buf.each_mut().map(|b| b.get_mut(..len).unwrap_or_default());
            let _ = prf.squeeze([b0, b1, b2, b3]);
        }
        for ((p, &eta), b) in polys.iter_mut().zip(etas).zip(&buf) {
            *p = cbd(b.get(..64 * eta).unwrap_or_default(), eta);
        }
    }
    buf.as_flattened_mut().zeroize();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::{Shake128, Shake256};

    #[test]
    fn matrix_entries_equal_single_sample_ntt() {
        let rho: [u8; 32] = core::array::from_fn(|i| i as u8 * 3);
        let a = sample_matrix::<3>(&rho, false);
        let at = sample_matrix::<3>(&rho, true);
        for i in 0..3 {
            for j in 0..3 {
                let mut seed = [0u8; 34];
                seed[..32].copy_from_slice(&rho);
                seed[32] = j as u8;
                seed[33] = i as u8;
                let mut stream = [0u8; 168 * 5];
                Shake128::digest(&seed, &mut stream);
                let mut p = [0i16; N];
                assert_eq!(rej_uniform_soft(&mut p, 0, &stream), N);
                assert_eq!(a[i][j].c, p);
                assert_eq!(at[j][i].c, p);
            }
        }
    }

    #[test]
    fn dispatched_rej_uniform_equals_soft() {
        // Buffers with many rejections (high bytes) and few, every start
        // fill from empty to full, lengths around the 24/32-byte steps.
        let mut x = 0x9e37_79b9u32;
        for round in 0..200 {
            let len = 3 * (round % 70);
            let buf: alloc::vec::Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    if round % 3 == 0 { (x >> 24) as u8 | 0xc0 } else { (x >> 24) as u8 }
                })
                .collect();
            for filled in [0, 1, 100, 223, 239, 240, 241, 250, 255, 256] {
                let start: [i16; N] = core::array::from_fn(|i| if i < filled { i as i16 } else { 0 });
                let (mut a, mut b) = (start, start);
                let na = rej_uniform(&mut a, filled, &buf);
                let nb = rej_uniform_soft(&mut b, filled, &buf);
                assert_eq!(na, nb, "round {round} filled {filled}");
                assert_eq!(a[..na], b[..nb], "round {round} filled {filled}");
            }
        }
    }

    #[test]
    fn noise_equals_single_prf() {
        let sigma = [9u8; 32];
        let etas = [3, 3, 2, 2, 2];
        let mut out: [Poly; 5] = core::array::from_fn(|_| Poly::zero());
        sample_noise(&sigma, 4, &etas, &mut out);
        for (t, &eta) in etas.iter().enumerate() {
            let mut seed = [9u8; 33];
            seed[32] = 4 + t as u8;
            let mut bytes = [0u8; 192];
            Shake256::digest(&seed, &mut bytes[..64 * eta]);
            assert!(out[t] == cbd(&bytes[..64 * eta], eta));
            assert!(out[t].c.iter().all(|c| c.unsigned_abs() as usize <= eta));
        }
    }

    #[test]
    fn cbd_counts_bits() {
        // All-ones input: a = b = eta everywhere, so every coefficient is 0;
        // bytes 0x03 (eta 2): first coefficient a = 2, b = 0.
        assert!(cbd(&[0xff; 128], 2).c.iter().all(|&c| c == 0));
        let mut bytes = [0u8; 128];
        bytes[0] = 0x03;
        let p = cbd(&bytes, 2);
        assert_eq!(p.c[0], 2);
        bytes[0] = 0x0c;
        assert_eq!(cbd(&bytes, 2).c[0], -2);
        let mut b3 = [0u8; 192];
        b3[0] = 0x38; // bits 3..5 set: b = 3
        assert_eq!(cbd(&b3, 3).c[0], -3);
    }
}
