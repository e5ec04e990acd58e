//! Constant-time inversion modulo an odd 256-bit modulus by the
//! Bernstein–Yang "safegcd" divstep iteration ("Fast constant-time gcd
//! computation and modular inversion", CHES 2019).
//!
//! Entry point: [`invert`]. P-256 inverts both its secret ECDSA nonce
//! (`p256/scalar.rs`) and the `Z` of each result's affine conversion
//! (`p256/montgomery.rs`) with it, and secp256k1 both its scalars and
//! its base field elements (`secp256k1/`).
//!
//! Shape: `f = m`, `g = x`, `d = 0`, `e = 1` with `f == d*x` and
//! `g == e*x (mod m)`. The steps are the paper's divsteps with `delta`
//! starting at `1/2` rather than `1` ("half-delta" divsteps, analysed by
//! Pieter Wuille for libsecp256k1's inversion), which reach `g = 0` for
//! 256-bit inputs within 590 steps instead of 742: a sixth fewer
//! batches. Each batch runs 62 divsteps on the low 64 bits of
//! `f` and `g` alone, collecting a transition matrix `[u v; q r]` with
//! `2^62 (f', g') = (u f + v g, q f + r g)` (entries at most `2^62` in
//! magnitude); the matrix is then applied to the full `f, g` (exactly
//! divisible by `2^62`) and to `d, e` (made divisible by adding a
//! multiple of `m`). After [`BATCHES`] batches `g = 0` and `f = ±1`, so
//! `x^-1 = ±d`. Big numbers are five signed 62-bit limbs (value
//! `sum l_i 2^(62 i)`, limbs 0..3 in `[0, 2^62)`, the top one signed).
//! Every step is masks and shifts: nothing branches on or indexes by the
//! values.
// Limb arrays of fixed length 5 indexed by constant loop bounds.
#![allow(clippy::indexing_slicing)]

use crate::arch::value_barrier;

/// Divsteps per batch: the matrix entries stay within `2^62`, so `u f`
/// products and their sums fit `i128` with room to spare.
const STEPS: usize = 62;

/// Batches: `10 * 62 = 620` divsteps, at least the 590 half-delta
/// divsteps that suffice for every input `0 <= g <= f < 2^256` to reach
/// `g = 0` (Wuille's convex-hull bound for this variant, from the
/// analysis of libsecp256k1's `modinv64`; the plain divsteps of the
/// paper's theorem 11.2 need `floor((49 d + 80) / 17) = 742`).
const BATCHES: usize = 10;

const M62: u64 = (1 << 62) - 1;

/// Five signed 62-bit limbs.
type Signed62 = [i64; 5];

/// A 256-bit odd modulus with the constant the `d, e` update needs.
pub(crate) struct Modulus {
    /// The modulus in signed 62-bit limbs.
    m: Signed62,
    /// `m^-1 mod 2^62`.
    m_inv62: u64,
}

impl Modulus {
    /// Prepares an odd modulus below `2^256` (little-endian limbs).
    pub(crate) const fn new(m: &[u64; 4]) -> Self {
        // Newton: each step doubles the number of correct low bits.
        let mut inv = 1u64;
        let mut i = 0;
        while i < 6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(m[0].wrapping_mul(inv)));
            i += 1;
        }
        Self { m: to_signed62(m), m_inv62: inv & M62 }
    }
}

const fn to_signed62(a: &[u64; 4]) -> Signed62 {
    [
        (a[0] & M62) as i64,
        ((a[0] >> 62 | a[1] << 2) & M62) as i64,
        ((a[1] >> 60 | a[2] << 4) & M62) as i64,
        ((a[2] >> 58 | a[3] << 6) & M62) as i64,
        (a[3] >> 56) as i64,
    ]
}

/// Back to 64-bit limbs, for a value in `[0, 2^256)`.
fn from_signed62(a: &Signed62) -> [u64; 4] {
    let l = a.map(|x| x as u64);
    [l[0] | l[1] << 62, l[1] >> 2 | l[2] << 60, l[2] >> 4 | l[3] << 58, l[3] >> 6 | l[4] << 56]
}

/// 62 divsteps on the low words of `f` (odd) and `g`: the new `zeta`
/// and the matrix `[u, v, q, r]`. A divstep is `(delta, f, g) ->`
/// `(1 - delta, g, (g - f) / 2)` when `delta > 0` and `g` is odd, else
/// `(1 + delta, f, (g + (g odd) f) / 2)`. `delta` is a half-integer (it
/// starts at `1/2`), tracked as the integer `zeta = -(delta + 1/2)`:
/// `delta > 0` is `zeta < 0`, `1 + delta` is `zeta - 1` and `1 - delta`
/// is `-zeta - 2 = !zeta - 1`.
///
/// Each step, branch-free: when `g` is odd, add `f` to `g`, negated
/// first when `zeta < 0` (so `g - f` on a swap, `g + f` otherwise); on a
/// swap then add the new `g` to `f`, which makes `f = g - f + f` the
/// old `g`; the rows `(u, v)` and `(q, r)` follow the same two
/// additions. Then `g /= 2`, recorded by doubling `f`'s row instead.
/// The chain from one step's `g` to the next is four instructions
/// (`and`, `neg`, `and`, `add`, then the shift), against about twice
/// that for a masked swap of `(f, g)` followed by the addition.
#[inline(always)]
fn divsteps(mut zeta: i64, mut f: u64, mut g: u64) -> (i64, [i64; 4]) {
    let (mut u, mut v, mut q, mut r) = (1u64, 0u64, 0u64, 1u64);
    for _ in 0..STEPS {
        // All ones when zeta < 0 (delta > 0), and when g is odd.
        let neg = (zeta >> 63) as u64;
        let odd = value_barrier((g & 1).wrapping_neg());
        let (x, y, z) = ((f ^ neg).wrapping_sub(neg), (u ^ neg).wrapping_sub(neg), (v ^ neg).wrapping_sub(neg));
        g = g.wrapping_add(x & odd);
        q = q.wrapping_add(y & odd);
        r = r.wrapping_add(z & odd);
        let swap = value_barrier(neg & odd);
        zeta = (zeta ^ swap as i64).wrapping_sub(1);
        f = f.wrapping_add(g & swap);
        u = u.wrapping_add(q & swap);
        v = v.wrapping_add(r & swap);
        g >>= 1;
        u <<= 1;
        v <<= 1;
    }
    (zeta, [u as i64, v as i64, q as i64, r as i64])
}

/// `acc + a * b`, wrapping: every sum here is bounded well inside
/// `i128` (see the callers), and the wrapping form keeps the overflow
/// checks of test builds from branching on secret values.
#[inline(always)]
fn mac(acc: i128, a: i64, b: i64) -> i128 {
    acc.wrapping_add(i128::from(a).wrapping_mul(i128::from(b)))
}

/// `(f, g) <- (u f + v g, q f + r g) / 2^62`, exact by construction.
/// Each product is below `2^62 * 2^62`, so a limb's sum stays below
/// `2^126`.
#[inline(always)]
fn update_fg(f: &mut Signed62, g: &mut Signed62, t: &[i64; 4]) {
    let [u, v, q, r] = *t;
    let mut cf = mac(mac(0, u, f[0]), v, g[0]) >> 62;
    let mut cg = mac(mac(0, q, f[0]), r, g[0]) >> 62;
    for i in 1..5 {
        cf = mac(mac(cf, u, f[i]), v, g[i]);
        cg = mac(mac(cg, q, f[i]), r, g[i]);
        f[i - 1] = (cf as u64 & M62) as i64;
        g[i - 1] = (cg as u64 & M62) as i64;
        cf >>= 62;
        cg >>= 62;
    }
    f[4] = cf as i64;
    g[4] = cg as i64;
}

/// `(d, e) <- (u d + v e, q d + r e) / 2^62 mod m`, for `d, e` in
/// `(-2m, m)`, keeping them there: first `m` times the matrix entries of
/// any negative input is added (the sum is then that of `d + m`,
/// `e + m` when negative), then the multiple of `m` that clears the low
/// 62 bits. Three products per limb: below `2^127`.
#[inline(always)]
fn update_de(d: &mut Signed62, e: &mut Signed62, t: &[i64; 4], md: &Modulus) {
    let [u, v, q, r] = *t;
    let sd = value_barrier((d[4] >> 63) as u64) as i64;
    let se = value_barrier((e[4] >> 63) as u64) as i64;
    let mut mdd = (u & sd).wrapping_add(v & se);
    let mut mde = (q & sd).wrapping_add(r & se);
    let cd = mac(mac(0, u, d[0]), v, e[0]);
    let ce = mac(mac(0, q, d[0]), r, e[0]);
    // Adjust the multipliers so that cd + mdd * m == 0 (mod 2^62).
    mdd = mdd.wrapping_sub((md.m_inv62.wrapping_mul(cd as u64).wrapping_add(mdd as u64) & M62) as i64);
    mde = mde.wrapping_sub((md.m_inv62.wrapping_mul(ce as u64).wrapping_add(mde as u64) & M62) as i64);
    let mut cd = mac(cd, mdd, md.m[0]) >> 62;
    let mut ce = mac(ce, mde, md.m[0]) >> 62;
    for i in 1..5 {
        cd = mac(mac(mac(cd, u, d[i]), v, e[i]), mdd, md.m[i]);
        ce = mac(mac(mac(ce, q, d[i]), r, e[i]), mde, md.m[i]);
        d[i - 1] = (cd as u64 & M62) as i64;
        e[i - 1] = (ce as u64 & M62) as i64;
        cd >>= 62;
        ce >>= 62;
    }
    d[4] = cd as i64;
    e[4] = ce as i64;
}

/// `a + m` where `mask` is all ones, carried through the limbs.
fn add_masked(a: &mut Signed62, m: &Signed62, mask: i64) {
    let mut c = 0i64;
    for i in 0..4 {
        c = c.wrapping_add(a[i]).wrapping_add(m[i] & mask);
        a[i] = c & M62 as i64;
        c >>= 62;
    }
    a[4] = a[4].wrapping_add(c).wrapping_add(m[4] & mask);
}

/// `-a` where `mask` is all ones, carried through the limbs.
fn neg_masked(a: &mut Signed62, mask: i64) {
    let mut c = 0i64;
    let (low, top) = a.split_at_mut(4);
    for limb in low {
        c = c.wrapping_add((*limb ^ mask).wrapping_sub(mask));
        *limb = c & M62 as i64;
        c >>= 62;
    }
    for limb in top {
        *limb = (*limb ^ mask).wrapping_sub(mask).wrapping_add(c);
    }
}

/// `x^-1 mod m` for `x < m` (canonical little-endian limbs, `m` odd and
/// prime so every nonzero `x` is invertible); zero maps to zero. The
/// running time depends on nothing but the fixed batch count.
pub(crate) fn invert(x: &[u64; 4], md: &Modulus) -> [u64; 4] {
    let mut f = md.m;
    let mut g = to_signed62(x);
    let mut d: Signed62 = [0; 5];
    let mut e: Signed62 = [1, 0, 0, 0, 0];
    // delta = 1/2.
    let mut zeta = -1i64;
    for _ in 0..BATCHES {
        let (nz, t) = divsteps(zeta, f[0] as u64 | (f[1] as u64) << 62, g[0] as u64 | (g[1] as u64) << 62);
        zeta = nz;
        update_fg(&mut f, &mut g, &t);
        update_de(&mut d, &mut e, &t, md);
    }
    // g = 0, f = ±1 (or ±m... only for x = 0, when d = 0 anyway) and
    // d in (-2m, m): bring d to [0, m), negate it when f < 0, reduce.
    let neg = value_barrier((d[4] >> 63) as u64) as i64;
    add_masked(&mut d, &md.m, neg);
    let neg = value_barrier((d[4] >> 63) as u64) as i64;
    add_masked(&mut d, &md.m, neg);
    let f_neg = value_barrier((f[4] >> 63) as u64) as i64;
    neg_masked(&mut d, f_neg);
    let neg = value_barrier((d[4] >> 63) as u64) as i64;
    add_masked(&mut d, &md.m, neg);
    from_signed62(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limb_conversion_round_trips() {
        for a in [[0u64; 4], [u64::MAX; 4], [1, 2, 3, 4], [1 << 63, 1 << 62, 1 << 61, 1 << 60]] {
            assert_eq!(from_signed62(&to_signed62(&a)), a);
        }
    }

    /// The batched, branch-free [`divsteps`] against the definition run
    /// step by step on exact integers (`delta` kept doubled, so
    /// `1/2` is 1): same final `delta` and, for the matrix,
    /// `2^62 (f', g') = (u f + v g, q f + r g)`. Inputs below `2^60`
    /// keep every value and product inside `i128`.
    #[test]
    fn divsteps_match_the_definition() {
        let mut state = 0x853c_49e6_748f_ea9bu64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..2000 {
            let f0 = i128::from((next() >> 4) | 1);
            let g0 = i128::from(next() >> 4 >> (round % 60));
            // Start from delta = 1/2 or from a random half-integer.
            let delta2_0 = if round % 3 == 0 { 1 } else { 2 * (next() % 41) as i64 - 39 };
            let (mut f, mut g, mut delta2) = (f0, g0, delta2_0);
            for _ in 0..STEPS {
                if delta2 > 0 && g & 1 == 1 {
                    (delta2, f, g) = (2 - delta2, g, (g - f) / 2);
                } else {
                    (delta2, g) = (2 + delta2, (g + (g & 1) * f) / 2);
                }
            }
            let zeta0 = -(delta2_0 + 1) / 2;
            let (zeta, [u, v, q, r]) = divsteps(zeta0, f0 as u64, g0 as u64);
            assert_eq!(zeta, -(delta2 + 1) / 2, "delta after {f0:#x}, {g0:#x}");
            let (u, v, q, r) = (i128::from(u), i128::from(v), i128::from(q), i128::from(r));
            assert_eq!(u * f0 + v * g0, f << STEPS, "f row for {f0:#x}, {g0:#x}");
            assert_eq!(q * f0 + r * g0, g << STEPS, "g row for {f0:#x}, {g0:#x}");
        }
    }

    #[test]
    fn m_inv62_is_an_inverse() {
        let m = [0xf3b9_cac2_fc63_2551, 0xbce6_faad_a717_9e84, u64::MAX, 0xffff_ffff_0000_0000];
        let md = Modulus::new(&m);
        assert_eq!(md.m_inv62.wrapping_mul(m[0]) & M62, 1);
    }
}
