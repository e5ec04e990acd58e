//! Constant-time modular inversion.
//!
//! Entry points: [`inv_mod_odd`] (any `a` modulo an odd `m`, by a binary
//! extended GCD with a fixed number of steps and masked swaps) and
//! [`inv_small_mod`] (`e^-1 mod m` for a small public odd `e` and any
//! secret `m` coprime to it, even ones such as `p - 1`: the RSA private
//! exponents come from here).

use alloc::vec;
use alloc::vec::Vec;

use zeroize::Zeroize;

use super::limbs::{self, mask};

/// `a^-1 mod m` for odd `m` (`a` and `m` of the same width, `a < m`), and
/// 1 when the inverse exists (gcd(a, m) == 1), 0 otherwise (the returned
/// value is then meaningless). Runs `2 * 64 * m.len()` identical steps.
///
/// Invariant of the loop: `x1 * a == u` and `x2 * a == v (mod m)`; each
/// step halves `u` after making it even (swapping first so that `u >= v`),
/// so `bits(u) + bits(v)` drops by at least one per step and `v` ends at
/// the gcd.
#[must_use]
pub fn inv_mod_odd(a: &[u64], m: &[u64]) -> (Vec<u64>, u64) {
    let (inv, mut gcd) = inv_and_gcd(a, m);
    let mut one = vec![0u64; m.len()];
    if let Some(first) = one.first_mut() {
        *first = 1;
    }
    let ok = limbs::ct_eq(&gcd, &one);
    gcd.zeroize();
    (inv, ok)
}

/// `gcd(a, m)` for odd `m` (same algorithm and cost as [`inv_mod_odd`]).
#[must_use]
pub fn gcd_odd(a: &[u64], m: &[u64]) -> Vec<u64> {
    let (mut inv, gcd) = inv_and_gcd(a, m);
    inv.zeroize();
    gcd
}

/// The shared loop: `(x2, v)` with `v = gcd(a, m)` and `x2 a == v (mod m)`.
fn inv_and_gcd(a: &[u64], m: &[u64]) -> (Vec<u64>, Vec<u64>) {
    let k = m.len();
    let mut u = vec![0u64; k];
    if let Some(dst) = u.get_mut(..a.len().min(k)) {
        dst.copy_from_slice(a.get(..k.min(a.len())).unwrap_or_default());
    }
    let mut v = m.to_vec();
    let mut x1 = vec![0u64; k];
    let mut x2 = vec![0u64; k];
    if let Some(first) = x1.first_mut() {
        *first = 1;
    }
    let mut t = vec![0u64; k];
    for _ in 0..2 * 64 * k {
        let u_odd = u.first().map_or(0, |w| w & 1);
        let swap = u_odd & limbs::ct_lt(&u, &v);
        limbs::cswap(&mut u, &mut v, swap);
        limbs::cswap(&mut x1, &mut x2, swap);
        // When u is odd: u -= v, x1 -= x2 (mod m).
        t.copy_from_slice(&u);
        limbs::sub_assign(&mut t, &v);
        limbs::select_assign(&mut u, &t, u_odd);
        t.copy_from_slice(&x1);
        let borrow = limbs::sub_assign(&mut t, &x2);
        add_masked(&mut t, m, borrow);
        limbs::select_assign(&mut x1, &t, u_odd);
        // u is even now: halve it, and x1 with it (adding m first when odd).
        limbs::shr1(&mut u, 0);
        let x1_odd = x1.first().map_or(0, |w| w & 1);
        let carry = add_masked(&mut x1, m, x1_odd);
        limbs::shr1(&mut x1, carry);
    }
    u.zeroize();
    x1.zeroize();
    t.zeroize();
    (x2, v)
}

/// `a += m` when `choice` is 1; returns the carry out.
fn add_masked(a: &mut [u64], m: &[u64], choice: u64) -> u64 {
    let msk = mask(choice);
    let mut carry = 0;
    for (x, &y) in a.iter_mut().zip(m) {
        (*x, carry) = limbs::adc(*x, y & msk, carry);
    }
    carry
}

/// `x mod e` for a one-limb public `e`, constant time in `x`.
fn rem_small(x: &[u64], e: u64) -> u64 {
    let mut r: u128 = 0;
    for i in (0..64 * x.len()).rev() {
        let bit = x.get(i / 64).map_or(0, |w| (w >> (i % 64)) & 1);
        r = (r << 1) | u128::from(bit);
        let (d, borrow) = r.overflowing_sub(u128::from(e));
        let keep = u128::from(mask(u64::from(!borrow))) | u128::from(mask(u64::from(!borrow))) << 64;
        r = (d & keep) | (r & !keep);
    }
    r as u64
}

/// `e^-1 mod m` for an odd public `e > 1` and a secret `m > 1` of any
/// parity, with 1 when it exists. Uses `d = (1 + m * (e - (m^-1 mod e))) / e`:
/// the numerator is a multiple of `e` and `d * e == 1 (mod m)`, `d < m`.
/// The exact division by `e` is a multiplication by `e^-1 mod 2^64` limb
/// by limb, so nothing here divides a secret.
#[must_use]
pub fn inv_small_mod(e: u64, m: &[u64]) -> (Vec<u64>, u64) {
    let k = m.len();
    if e & 1 == 0 || e < 3 {
        return (vec![0u64; k], 0);
    }
    let r = rem_small(m, e);
    let (y, ok) = inv_mod_odd(&[r], &[e]);
    let y = y.first().copied().unwrap_or(0);
    // numerator = 1 + m * (e - y), one limb wider than m.
    let mut num = vec![0u64; k + 1];
    limbs::mul_into(&mut num, m, &[e.wrapping_sub(y)]);
    limbs::add_assign(&mut num, &[1]);
    // Exact division by e: q_i = (x_i - borrow) * e^-1 mod 2^64.
    let mut e_inv = 1u64;
    for _ in 0..6 {
        e_inv = e_inv.wrapping_mul(2u64.wrapping_sub(e.wrapping_mul(e_inv)));
    }
    let mut d = vec![0u64; k];
    let mut borrow = 0u64;
    for (i, &x) in num.iter().enumerate() {
        let (xi, b1) = limbs::sbb(x, borrow, 0);
        let q = xi.wrapping_mul(e_inv);
        if let Some(di) = d.get_mut(i) {
            *di = q;
        }
        let hi = ((u128::from(q) * u128::from(e)) >> 64) as u64;
        borrow = hi.wrapping_add(b1);
    }
    num.zeroize();
    (d, ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_inverses_match_brute_force() {
        for m in [3u64, 7, 9, 15, 101, 65537] {
            for a in 0..m.min(200) {
                let (inv, ok) = inv_mod_odd(&[a], &[m]);
                let brute = (1..m).find(|x| (a as u128 * *x as u128) % m as u128 == 1);
                match brute {
                    Some(x) => assert_eq!((inv[0], ok), (x, 1), "a={a} m={m}"),
                    None => assert_eq!(ok, 0, "a={a} m={m}"),
                }
            }
        }
    }

    #[test]
    fn inverse_of_small_exponent_modulo_even_numbers() {
        for m in [[0xffff_fffe_0000_0000u64, 7], [12, 1], [65536 * 3, 0]] {
            let (d, ok) = inv_small_mod(65537, &m);
            assert_eq!(ok, 1);
            let mut prod = [0u64; 3];
            limbs::mul_into(&mut prod, &d, &[65537]);
            let mm = ((m[1] as u128) << 64) | m[0] as u128;
            let mut r: u128 = 0;
            for i in (0..192).rev() {
                r = (r << 1) | ((prod[i / 64] >> (i % 64)) & 1) as u128;
                if r >= mm {
                    r -= mm;
                }
            }
            assert_eq!(r, 1);
            assert_eq!(limbs::ct_lt(&d, &m), 1);
        }
        // gcd(3, 9) != 1
        assert_eq!(inv_small_mod(3, &[9]).1, 0);
    }
}
