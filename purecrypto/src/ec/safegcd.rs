//! Constant-time modular inversion for 256-bit odd moduli by the
//! Bernstein-Yang "safegcd" divsteps (TCHES 2019, "Fast constant-time
//! gcd computation and modular inversion"), in the signed 62-bit limb
//! layout that libsecp256k1's design notes describe.
//!
//! Entry point: [`invert`] (`x^-1 mod m` for a canonical `x`, zero for
//! zero). `FieldParams::mont_invert` overrides use it where it beats the
//! Fermat power: the P-256 group order (ECDSA's `k^-1`), whose modulus
//! has no special form for the Montgomery product to exploit.
//!
//! How: `(f, g) = (m, x)` is walked towards `(±1, 0)` by divsteps,
//! 62 at a time on the low 64 bits only (a 2x2 transition matrix with
//! entries at most `2^62`), and the matrix is then applied to the full
//! `f, g` and to the coefficients `d, e` with `f = d*x`, `g = e*x
//! (mod m)`; each application divides by `2^62`, made exact for `d, e`
//! by adding a multiple of `m`. 12 rounds, 744 divsteps, cover the
//! paper's bound `floor((49*256 + 57) / 17) = 741` for 256-bit inputs.
//! At the end `f = ±1` and `x^-1 = ±d`. Every step is straight-line code
//! on masks, so the time and memory accesses do not depend on `x`.

// Every index below is into a fixed-size array with a constant bound
// (limbs 0..5), in bounds by construction.
#![allow(clippy::indexing_slicing)]

/// The low 62 bits.
const M62: i64 = (1 << 62) - 1;
/// Divsteps per round.
const STEPS: u32 = 62;
/// Rounds: `12 * 62 = 744 >= 741`.
const ROUNDS: usize = 12;

/// A signed integer `sum v[i] * 2^(62 i)`: limbs 0..4 in `[0, 2^62)`
/// after normalisation, the top one signed.
type Signed62 = [i64; 5];

/// The transition matrix of 62 divsteps, scaled by `2^62`:
/// `(f', g') = ((u f + v g), (q f + r g)) / 2^62`.
struct Matrix {
    u: i64,
    v: i64,
    q: i64,
    r: i64,
}

/// 62 divsteps on the low bits of `f` (odd) and `g`, from `delta`.
///
/// One divstep: if `delta > 0` and `g` is odd, `(delta, f, g) <-
/// (1 - delta, g, (g - f) / 2)`; else if `g` is odd `(1 + delta, f,
/// (g + f) / 2)`; else `(1 + delta, f, g / 2)`. Written as: swap `f`
/// and `g` negating the new `g` (under a mask), add `f` to `g` when `g`
/// is odd, halve `g` and double the row of `f` (the common `2^62`
/// denominator).
#[inline(always)]
fn divsteps(mut delta: i64, f0: u64, g0: u64) -> (i64, Matrix) {
    let (mut f, mut g) = (f0, g0);
    let (mut u, mut v, mut q, mut r) = (1i64, 0i64, 0i64, 1i64);
    for _ in 0..STEPS {
        // All ones when delta > 0 and g is odd.
        let swap = ((delta.wrapping_neg() >> 63) & (g & 1).wrapping_neg() as i64) as u64;
        let s = swap as i64;
        let t = (f ^ g) & swap;
        f ^= t;
        g ^= t;
        g = (g ^ swap).wrapping_sub(swap);
        let t = (u ^ q) & s;
        u ^= t;
        q ^= t;
        q = (q ^ s).wrapping_sub(s);
        let t = (v ^ r) & s;
        v ^= t;
        r ^= t;
        r = (r ^ s).wrapping_sub(s);
        delta = (delta ^ s).wrapping_sub(s);
        // g is odd now exactly when it was odd before: add f.
        let odd = (g & 1).wrapping_neg();
        g = g.wrapping_add(f & odd);
        q = q.wrapping_add(u & odd as i64);
        r = r.wrapping_add(v & odd as i64);
        g >>= 1;
        u = u.wrapping_shl(1);
        v = v.wrapping_shl(1);
        delta = delta.wrapping_add(1);
    }
    (delta, Matrix { u, v, q, r })
}

/// `a * x + b * y` in 128 bits. Wrapping operations throughout this file
/// (the values never overflow): with overflow checks on, as in test
/// builds, plain `+` and `*` would branch on secret data, which the
/// valgrind secret-independence test reports.
#[inline(always)]
fn mac2(a: i128, x: i64, b: i128, y: i64) -> i128 {
    a.wrapping_mul(i128::from(x)).wrapping_add(b.wrapping_mul(i128::from(y)))
}

/// `(f, g) <- ((u f + v g) / 2^62, (q f + r g) / 2^62)`, exact divisions.
#[inline(always)]
fn update_fg(f: &mut Signed62, g: &mut Signed62, t: &Matrix) {
    let (u, v, q, r) = (i128::from(t.u), i128::from(t.v), i128::from(t.q), i128::from(t.r));
    let mut cf = mac2(u, f[0], v, g[0]);
    let mut cg = mac2(q, f[0], r, g[0]);
    cf >>= 62;
    cg >>= 62;
    for i in 1..5 {
        cf = cf.wrapping_add(mac2(u, f[i], v, g[i]));
        cg = cg.wrapping_add(mac2(q, f[i], r, g[i]));
        f[i - 1] = cf as i64 & M62;
        g[i - 1] = cg as i64 & M62;
        cf >>= 62;
        cg >>= 62;
    }
    f[4] = cf as i64;
    g[4] = cg as i64;
}

/// `(d, e) <- ((u d + v e + md m) / 2^62, (q d + r e + me m) / 2^62)`
/// with `md, me` chosen to make the divisions exact. Keeps `d, e` in
/// `(-2m, m)`: adding `u, q` (resp. `v, r`) to `md, me` when `d` (resp.
/// `e`) is negative offsets the negative input, as in libsecp256k1's
/// analysis.
#[inline(always)]
fn update_de(d: &mut Signed62, e: &mut Signed62, t: &Matrix, m: &Signed62, m_inv62: u64) {
    let (u, v, q, r) = (t.u, t.v, t.q, t.r);
    let sd = d[4] >> 63;
    let se = e[4] >> 63;
    let mut md = (u & sd).wrapping_add(v & se);
    let mut me = (q & sd).wrapping_add(r & se);
    let (u, v, q, r) = (i128::from(u), i128::from(v), i128::from(q), i128::from(r));
    let mut cd = mac2(u, d[0], v, e[0]);
    let mut ce = mac2(q, d[0], r, e[0]);
    // md = -(cd / m) mod 2^62, shifted by the offset above.
    md = md.wrapping_sub((m_inv62.wrapping_mul(cd as u64).wrapping_add(md as u64) & M62 as u64) as i64);
    me = me.wrapping_sub((m_inv62.wrapping_mul(ce as u64).wrapping_add(me as u64) & M62 as u64) as i64);
    let (md, me) = (i128::from(md), i128::from(me));
    cd = cd.wrapping_add(md.wrapping_mul(i128::from(m[0])));
    ce = ce.wrapping_add(me.wrapping_mul(i128::from(m[0])));
    cd >>= 62;
    ce >>= 62;
    for i in 1..5 {
        cd = cd.wrapping_add(mac2(u, d[i], v, e[i])).wrapping_add(md.wrapping_mul(i128::from(m[i])));
        ce = ce.wrapping_add(mac2(q, d[i], r, e[i])).wrapping_add(me.wrapping_mul(i128::from(m[i])));
        d[i - 1] = cd as i64 & M62;
        e[i - 1] = ce as i64 & M62;
        cd >>= 62;
        ce >>= 62;
    }
    d[4] = cd as i64;
    e[4] = ce as i64;
}

/// Propagates carries so limbs 0..4 are in `[0, 2^62)` (arithmetic
/// shifts carry negative limbs down correctly).
#[inline(always)]
fn carry(a: &mut Signed62) {
    for i in 0..4 {
        let c = a[i] >> 62;
        a[i] &= M62;
        a[i + 1] = a[i + 1].wrapping_add(c);
    }
}

/// `a + m` when `a < 0`, else `a` (masked).
#[inline(always)]
fn add_m_if_negative(a: &mut Signed62, m: &Signed62) {
    let neg = a[4] >> 63;
    for (ai, mi) in a.iter_mut().zip(m) {
        *ai = ai.wrapping_add(mi & neg);
    }
    carry(a);
}

fn to_signed62(x: &[u64; 4]) -> Signed62 {
    let mut out = [0i64; 5];
    for (i, limb) in out.iter_mut().enumerate() {
        let bit = 62 * i;
        let (w, s) = (bit / 64, bit % 64);
        let lo = x.get(w).copied().unwrap_or(0) >> s;
        let hi = if s > 2 { x.get(w + 1).copied().unwrap_or(0) << (64 - s) } else { 0 };
        *limb = ((lo | hi) & M62 as u64) as i64;
    }
    out
}

fn from_signed62(a: &Signed62) -> [u64; 4] {
    let mut out = [0u64; 4];
    for (w, limb) in out.iter_mut().enumerate() {
        let bit = 64 * w;
        let (i, s) = (bit / 62, bit % 62);
        // Bits s.. of limb i, then limb i + 1 from bit 62 - s (s <= 6
        // here, so two limbs cover the word).
        let lo = (a.get(i).copied().unwrap_or(0) as u64) >> s;
        let hi = a.get(i + 1).copied().unwrap_or(0) as u64;
        *limb = lo | hi << (62 - s);
    }
    out
}

/// `x^-1 mod m` for an odd 256-bit `m` and `x < m` (zero for zero), in
/// constant time. `m_inv62` is `m^-1 mod 2^62`.
pub(crate) fn invert(x: &[u64; 4], m: &[u64; 4], m_inv62: u64) -> [u64; 4] {
    let ms = to_signed62(m);
    let (mut f, mut g) = (ms, to_signed62(x));
    let (mut d, mut e) = ([0i64; 5], [1i64, 0, 0, 0, 0]);
    let mut delta = 1i64;
    for _ in 0..ROUNDS {
        let (nd, t) = divsteps(delta, f[0] as u64 | (f[1] as u64) << 62, g[0] as u64 | (g[1] as u64) << 62);
        delta = nd;
        update_fg(&mut f, &mut g, &t);
        update_de(&mut d, &mut e, &t, &ms, m_inv62);
    }
    // f = ±1: x^-1 = sign(f) * d, with d in (-2m, m).
    add_m_if_negative(&mut d, &ms);
    let s = f[4] >> 63;
    for limb in &mut d {
        *limb = (*limb ^ s).wrapping_sub(s);
    }
    carry(&mut d);
    add_m_if_negative(&mut d, &ms);
    from_signed62(&d)
}

#[cfg(test)]
mod tests;
