//! Arithmetic in `R/q = Z_q[x]/(x^p - x - 1)` and `R/3 = Z_3[x]/(x^p - x - 1)`
//! for Streamlined NTRU Prime 761: reduction to centred representatives,
//! schoolbook products, the constant-time reciprocals (the `2p - 1`
//! division-step loop of the NTRU Prime specification, section 3), rounding
//! and the weight test.
//!
//! Every function runs in time independent of the coefficient values:
//! reductions go through a division by a constant (compiled to a
//! multiply and shift), swaps and selections through masks, and loop
//! bounds depend only on `p`.

use super::{P, Q, Q12, W};

/// A polynomial over `Z_q`, coefficients centred in `[-(q-1)/2, (q-1)/2]`.
pub(super) type Fq = [i16; P];
/// A small polynomial, coefficients in `{-1, 0, 1}`.
pub(super) type Small = [i8; P];

/// `x mod q`, centred; valid for `|x| < 2^30`.
#[inline]
pub(super) fn freeze_q(x: i32) -> i16 {
    // OFFSET is a multiple of q above 2^30: the sum is never negative.
    const OFFSET: i64 = Q as i64 * 234_000;
    let u = (i64::from(x) + OFFSET + i64::from(Q12)) as u32;
    ((u % Q as u32) as i32 - Q12) as i16
}

/// `x mod 3`, centred in `{-1, 0, 1}`; valid for `|x| < 2^30`.
#[inline]
pub(super) fn freeze_3(x: i32) -> i8 {
    const OFFSET: i64 = 3 * 357_913_942;
    let u = (i64::from(x) + OFFSET + 1) as u32;
    ((u % 3) as i32 - 1) as i8
}

/// All ones when `x != 0`, else zero.
#[inline]
fn nonzero_mask(x: i32) -> i32 {
    // (x | -x) has its sign bit set exactly when x != 0 (|x| < 2^31).
    let y = i64::from(x);
    ((y | -y) >> 63) as i32
}

/// All ones when `x < 0`, else zero.
#[inline]
fn negative_mask(x: i32) -> i32 {
    x >> 31
}

/// Folds a product of degree `2p - 2` into `R` (`x^p = x + 1`).
#[allow(clippy::indexing_slicing)] // i - P + 1 < P <= i < 2P - 1 by the loop bounds
fn fold(product: &mut [i32; 2 * P - 1]) {
    for i in (P..2 * P - 1).rev() {
        let t = product[i];
        product[i - P] += t;
        product[i - P + 1] += t;
    }
}

/// `h * s` in `R/q` for a small `s`.
#[allow(clippy::indexing_slicing)] // i + j < 2P - 1 by the loop bounds
pub(super) fn mult_small(h: &Fq, s: &Small) -> Fq {
    let mut product = [0i32; 2 * P - 1];
    for (i, &hi) in h.iter().enumerate() {
        let row = &mut product[i..i + P];
        for (acc, &sj) in row.iter_mut().zip(s) {
            *acc += i32::from(hi) * i32::from(sj);
        }
    }
    fold(&mut product);
    let mut out = [0i16; P];
    for (o, &x) in out.iter_mut().zip(&product) {
        *o = freeze_q(x);
    }
    out
}

/// `a * b` in `R/3`.
#[allow(clippy::indexing_slicing)] // i + j < 2P - 1 by the loop bounds
pub(super) fn mult_3(a: &Small, b: &Small) -> Small {
    let mut product = [0i32; 2 * P - 1];
    for (i, &ai) in a.iter().enumerate() {
        let row = &mut product[i..i + P];
        for (acc, &bj) in row.iter_mut().zip(b) {
            *acc += i32::from(ai) * i32::from(bj);
        }
    }
    fold(&mut product);
    let mut out = [0i8; P];
    for (o, &x) in out.iter_mut().zip(&product) {
        *o = freeze_3(x);
    }
    out
}

/// `3 * h` in `R/q`.
pub(super) fn times_3(h: &Fq) -> Fq {
    h.map(|c| freeze_q(3 * i32::from(c)))
}

/// The centred residues mod 3 of the (centred) coefficients of `h`.
pub(super) fn to_r3(h: &Fq) -> Small {
    h.map(|c| freeze_3(i32::from(c)))
}

/// Rounds every coefficient to the nearest multiple of 3 (`Round`).
pub(super) fn round(h: &Fq) -> Fq {
    h.map(|c| c - i16::from(freeze_3(i32::from(c))))
}

/// `a^(q-2) = a^-1 mod q` for `a != 0`, by a fixed addition chain
/// (square-and-multiply over the public exponent).
fn recip_q(a: i16) -> i16 {
    let mut acc: i32 = 1;
    let base = i32::from(a);
    let e = Q - 2;
    for bit in (0..13).rev() {
        acc = i32::from(freeze_q(acc * acc));
        let mul = i32::from(freeze_q(acc * base));
        // Select by the public exponent bit.
        acc = if (e >> bit) & 1 == 1 { mul } else { acc };
    }
    freeze_q(acc)
}

/// Shifts `v` up by one coefficient (multiplies by `x`).
fn shift_up<T: Copy + Default>(v: &mut [T; P + 1]) {
    v.copy_within(0..P, 1);
    v[0] = T::default();
}

/// Shifts `g` down by one coefficient (divides by `x`; `g[0]` is zero).
fn shift_down<T: Copy + Default>(g: &mut [T; P + 1]) {
    g.copy_within(1..=P, 0);
    g[P] = T::default();
}

/// `1 / s` in `R/3`, and whether it exists (`Ok` only when it does).
/// The division steps run the same number of times whatever `s` is;
/// only the final verdict, about a value the caller then discards or
/// keeps, is a branch.
#[allow(clippy::indexing_slicing)] // every index is at most P on arrays of P + 1
pub(super) fn recip_3(s: &Small) -> Option<Small> {
    let mut f = [0i8; P + 1];
    let mut g = [0i8; P + 1];
    let mut v = [0i8; P + 1];
    let mut r = [0i8; P + 1];
    r[0] = 1;
    // f = x^p - x - 1, stored reversed.
    f[0] = 1;
    f[P - 1] = -1;
    f[P] = -1;
    for (i, &c) in s.iter().enumerate() {
        g[P - 1 - i] = c;
    }
    let mut delta: i32 = 1;
    for _ in 0..2 * P - 1 {
        shift_up(&mut v);
        let sign = -i32::from(g[0]) * i32::from(f[0]);
        let swap = negative_mask(-delta) & nonzero_mask(i32::from(g[0]));
        delta ^= swap & (delta ^ -delta);
        delta += 1;
        let m = swap as i8;
        for i in 0..=P {
            let t = m & (f[i] ^ g[i]);
            f[i] ^= t;
            g[i] ^= t;
            let t = m & (v[i] ^ r[i]);
            v[i] ^= t;
            r[i] ^= t;
        }
        for i in 0..=P {
            g[i] = freeze_3(i32::from(g[i]) + sign * i32::from(f[i]));
            r[i] = freeze_3(i32::from(r[i]) + sign * i32::from(v[i]));
        }
        shift_down(&mut g);
    }
    let sign = f[0];
    let mut out = [0i8; P];
    for (i, o) in out.iter_mut().enumerate() {
        *o = sign * v[P - 1 - i];
    }
    let invertible = delta == 0;
    zeroize::Zeroize::zeroize(&mut f);
    zeroize::Zeroize::zeroize(&mut g);
    zeroize::Zeroize::zeroize(&mut v);
    zeroize::Zeroize::zeroize(&mut r);
    invertible.then_some(out)
}

/// `1 / (3 s)` in `R/q` for a nonzero small `s` (always invertible: `q`
/// is prime and `x^p - x - 1` irreducible mod `q`).
#[allow(clippy::indexing_slicing)] // every index is at most P on arrays of P + 1
pub(super) fn recip_3q(s: &Small) -> Fq {
    let mut f = [0i16; P + 1];
    let mut g = [0i16; P + 1];
    let mut v = [0i16; P + 1];
    let mut r = [0i16; P + 1];
    r[0] = recip_q(3);
    f[0] = 1;
    f[P - 1] = -1;
    f[P] = -1;
    for (i, &c) in s.iter().enumerate() {
        g[P - 1 - i] = i16::from(c);
    }
    let mut delta: i32 = 1;
    for _ in 0..2 * P - 1 {
        shift_up(&mut v);
        let swap = negative_mask(-delta) & nonzero_mask(i32::from(g[0]));
        delta ^= swap & (delta ^ -delta);
        delta += 1;
        let m = swap as i16;
        for i in 0..=P {
            let t = m & (f[i] ^ g[i]);
            f[i] ^= t;
            g[i] ^= t;
            let t = m & (v[i] ^ r[i]);
            v[i] ^= t;
            r[i] ^= t;
        }
        let f0 = i32::from(f[0]);
        let g0 = i32::from(g[0]);
        for i in 0..=P {
            g[i] = freeze_q(f0 * i32::from(g[i]) - g0 * i32::from(f[i]));
            r[i] = freeze_q(f0 * i32::from(r[i]) - g0 * i32::from(v[i]));
        }
        shift_down(&mut g);
    }
    let scale = i32::from(recip_q(f[0]));
    let mut out = [0i16; P];
    for (i, o) in out.iter_mut().enumerate() {
        *o = freeze_q(scale * i32::from(v[P - 1 - i]));
    }
    zeroize::Zeroize::zeroize(&mut f);
    zeroize::Zeroize::zeroize(&mut g);
    zeroize::Zeroize::zeroize(&mut v);
    zeroize::Zeroize::zeroize(&mut r);
    out
}

/// Zero when `s` has exactly `w` nonzero coefficients, else all ones.
pub(super) fn weight_w_mask(s: &Small) -> i16 {
    let weight: i32 = s.iter().map(|&c| i32::from(c & 1)).sum();
    nonzero_mask(weight - W as i32) as i16
}

/// `r` when it has weight `w`, else the fixed `(1, ..., 1, 0, ..., 0)`
/// of weight `w`: decryption's output is always a valid short input.
pub(super) fn select_weight_w(ev: &Small) -> Small {
    let mask = weight_w_mask(ev) as i8;
    let mut out = [0i8; P];
    for (i, (o, &c)) in out.iter_mut().zip(ev).enumerate() {
        *o = if i < W { ((c ^ 1) & !mask) ^ 1 } else { c & !mask };
    }
    out
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn freeze_matches_euclidean_remainder() {
        for x in [-1 << 29, -4591 * 3, -2296, -2295, -1, 0, 1, 2295, 2296, 4590, 1 << 29, 123_456_789] {
            let r = i32::from(freeze_q(x));
            assert!((-Q12..=Q12).contains(&r));
            assert_eq!((x - r).rem_euclid(Q), 0, "{x}");
            let t = i32::from(freeze_3(x));
            assert!((-1..=1).contains(&t));
            assert_eq!((x - t).rem_euclid(3), 0, "{x}");
        }
    }

    #[test]
    fn recip_q_inverts() {
        for a in [1i16, 2, 3, -1, 2295, -2295, 1000] {
            assert_eq!(freeze_q(i32::from(a) * i32::from(recip_q(a))), 1, "{a}");
        }
    }

    #[test]
    fn reciprocals_invert() {
        let mut s = [0i8; P];
        for (i, c) in s.iter_mut().enumerate() {
            *c = [1, 0, -1, 1, 1, 0, -1][i % 7];
        }
        let inv = recip_3(&s).unwrap();
        let mut one = [0i8; P];
        one[0] = 1;
        assert_eq!(mult_3(&s, &inv), one);
        let inv_q = recip_3q(&s);
        // (1 / 3s) * s * 3 = 1.
        let prod = times_3(&mult_small(&inv_q, &s));
        let mut one_q = [0i16; P];
        one_q[0] = 1;
        assert_eq!(prod, one_q);
        // Zero is not invertible.
        assert!(recip_3(&[0; P]).is_none());
    }

    #[test]
    fn rounding_gives_multiples_of_three() {
        let mut h = [0i16; P];
        for (i, c) in h.iter_mut().enumerate() {
            *c = freeze_q(i as i32 * 37 - 9000);
        }
        for (&a, &b) in round(&h).iter().zip(&h) {
            assert_eq!(a % 3, 0);
            assert!((a - b).abs() <= 1);
        }
    }
}
