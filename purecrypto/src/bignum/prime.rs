//! Probable-prime testing and generation: trial division by small primes,
//! then Miller-Rabin with random bases (FIPS 186-5 appendix B.3).
//!
//! Entry points: [`is_probable_prime_vartime`] for public numbers (the
//! Wycheproof primality suite, peer-supplied group parameters) and
//! [`random_prime`] for secret RSA primes, whose exponentiations run in
//! constant time through [`Modulus::pow`]. What a rejected candidate leaks
//! does not matter (it is discarded); for the accepted one the trial
//! divisions and the Miller-Rabin squaring loop branch on facts such as
//! the number of trailing zero bits of `p - 1`, a few bits at most.

use alloc::vec;
use alloc::vec::Vec;

use zeroize::Zeroize;

use super::limbs;
use super::monty::Modulus;
use crate::Error;
use crate::rng::CryptoRng;

/// How many odd primes the trial division uses.
const SMALL_PRIME_COUNT: usize = 1024;

/// The first [`SMALL_PRIME_COUNT`] odd primes (3, 5, 7, ...).
static SMALL_PRIMES: [u32; SMALL_PRIME_COUNT] = small_primes();

#[allow(clippy::indexing_slicing)] // const evaluation; count < SMALL_PRIME_COUNT by the loop condition
const fn small_primes() -> [u32; SMALL_PRIME_COUNT] {
    let mut out = [0u32; SMALL_PRIME_COUNT];
    let mut count = 0;
    let mut candidate = 3u32;
    while count < SMALL_PRIME_COUNT {
        let mut d = 3u32;
        let mut prime = true;
        while d * d <= candidate {
            if candidate.is_multiple_of(d) {
                prime = false;
                break;
            }
            d += 2;
        }
        if prime {
            out[count] = candidate;
            count += 1;
        }
        candidate += 2;
    }
    out
}

/// `x mod d` for a small `d` (variable time in `x`: see the module note).
fn rem_u32(x: &[u64], d: u32) -> u32 {
    let d = u128::from(d);
    let mut r = 0u128;
    for &w in x.iter().rev() {
        r = ((r << 64) | u128::from(w)) % d;
    }
    r as u32
}

/// Miller-Rabin rounds for a prime factor of `bits` bits of an RSA modulus
/// (FIPS 186-5 table B.1, the stricter error-probability column: 2^-112 for
/// 1024-bit factors, 2^-128 for 1536, 2^-144 for 2048 and up).
#[must_use]
pub fn rsa_mr_rounds(bits: usize) -> usize {
    match bits {
        0..=1023 => 7,
        1024..=1535 => 5,
        _ => 4,
    }
}

/// Outcome of trial division on an odd `n`.
enum Trial {
    Composite,
    Prime,
    Unknown,
}

fn trial_division(n: &[u64]) -> Trial {
    for &p in &SMALL_PRIMES {
        if rem_u32(n, p) == 0 {
            return if limbs::ct_eq(n, &[u64::from(p)]) == 1 { Trial::Prime } else { Trial::Composite };
        }
    }
    Trial::Unknown
}

/// `rounds` Miller-Rabin rounds with random bases in `[2, n - 2]`; `n` odd
/// and above the small-prime table. `secret` picks the constant-time
/// exponentiation.
fn miller_rabin(m: &Modulus, rounds: usize, rng: &mut impl CryptoRng, secret: bool) -> Result<bool, Error> {
    let n = m.as_limbs();
    let k = n.len();
    let mut n_minus_1 = n.to_vec();
    limbs::sub_assign(&mut n_minus_1, &[1]);
    // n - 1 = 2^s * d with d odd.
    let mut s = 0usize;
    while n_minus_1.get(s / 64).is_some_and(|w| (w >> (s % 64)) & 1 == 0) {
        s += 1;
    }
    let mut d = n_minus_1.clone();
    for _ in 0..s {
        limbs::shr1(&mut d, 0);
    }
    let one_normal: Vec<u64> = {
        let mut v = vec![0u64; k];
        if let Some(f) = v.first_mut() {
            *f = 1;
        }
        v
    };
    let exp_bits = 64 * k;
    let mut bytes = vec![0u8; 8 * k];
    let mut base = vec![0u64; k];
    let mut tmp = vec![0u64; k];
    let mut verdict = true;
    'rounds: for _ in 0..rounds {
        // A base in [2, n - 2], drawn by rejection.
        loop {
            rng.try_fill_bytes(&mut bytes)?;
            limbs::from_be_bytes(&mut base, &bytes);
            base = m.reduce(&base);
            if limbs::ct_lt(&base, &[2]) == 0 && limbs::ct_lt(&base, &n_minus_1) == 1 {
                break;
            }
        }
        let mut x = if secret { m.pow(&base, &d, exp_bits) } else { m.pow_vartime(&base, &d) };
        if limbs::ct_eq(&x, &one_normal) == 1 || limbs::ct_eq(&x, &n_minus_1) == 1 {
            x.zeroize();
            continue;
        }
        let mut xm = m.to_monty(&x);
        let minus_one_m = m.to_monty(&n_minus_1);
        for _ in 1..s {
            m.sqr(&mut tmp, &xm);
            xm.copy_from_slice(&tmp);
            if limbs::ct_eq(&xm, &minus_one_m) == 1 {
                xm.zeroize();
                x.zeroize();
                continue 'rounds;
            }
            if limbs::ct_eq(&xm, m.one()) == 1 {
                break;
            }
        }
        xm.zeroize();
        x.zeroize();
        verdict = false;
        break;
    }
    n_minus_1.zeroize();
    d.zeroize();
    bytes.zeroize();
    base.zeroize();
    tmp.zeroize();
    Ok(verdict)
}

/// Whether the public number `n` (big-endian) is a probable prime:
/// trial division, then `rounds` Miller-Rabin rounds with random bases.
///
/// # Errors
/// Only what the generator reports.
pub fn is_probable_prime_vartime(n_be: &[u8], rounds: usize, rng: &mut impl CryptoRng) -> Result<bool, Error> {
    let start = n_be.iter().position(|&b| b != 0).unwrap_or(n_be.len());
    let bytes = n_be.get(start..).unwrap_or_default();
    if bytes.is_empty() {
        return Ok(false);
    }
    if bytes.len() > super::monty::MAX_LIMBS * 8 {
        return Err(Error::InvalidParameter { what: "primality candidate", reason: "at most 16384 bits" });
    }
    let mut n = vec![0u64; bytes.len().div_ceil(8)];
    limbs::from_be_bytes(&mut n, bytes);
    if limbs::ct_eq(&n, &[2]) == 1 {
        return Ok(true);
    }
    if n.first().is_none_or(|w| w & 1 == 0) || limbs::ct_lt(&n, &[3]) == 1 {
        return Ok(false);
    }
    match trial_division(&n) {
        Trial::Composite => return Ok(false),
        Trial::Prime => return Ok(true),
        Trial::Unknown => {}
    }
    let m = Modulus::new(&n)?;
    miller_rabin(&m, rounds, rng, false)
}

/// Tests a secret odd candidate of fixed width: trial division, then
/// `rounds` constant-time Miller-Rabin rounds.
pub(crate) fn is_probable_prime_secret(n: &[u64], rounds: usize, rng: &mut impl CryptoRng) -> Result<bool, Error> {
    if !matches!(trial_division(n), Trial::Unknown) {
        return Ok(false);
    }
    let m = Modulus::new(n)?;
    miller_rabin(&m, rounds, rng, true)
}

/// A random probable prime of exactly `bits` bits (the top two bits set,
/// so a product of two such primes has exactly `2 * bits` bits) for which
/// `accept` holds (the RSA generator checks `gcd(p - 1, e) == 1` there).
///
/// # Errors
/// [`Error::InvalidParameter`] for `bits` outside 64..=8192; what the
/// generator reports.
pub fn random_prime(
    bits: usize,
    rng: &mut impl CryptoRng,
    mut accept: impl FnMut(&[u64]) -> bool,
) -> Result<Vec<u64>, Error> {
    if !(64..=8192).contains(&bits) {
        return Err(Error::InvalidParameter { what: "prime size", reason: "64 to 8192 bits" });
    }
    let k = bits.div_ceil(64);
    let mut bytes = vec![0u8; 8 * k];
    let mut p = vec![0u64; k];
    let rounds = rsa_mr_rounds(bits);
    loop {
        rng.try_fill_bytes(&mut bytes)?;
        limbs::from_be_bytes(&mut p, &bytes);
        // Keep `bits` bits, set the top two and the bottom one.
        let top = bits - 1;
        for i in bits..64 * k {
            if let Some(w) = p.get_mut(i / 64) {
                *w &= !(1u64 << (i % 64));
            }
        }
        for i in [top, top - 1, 0] {
            if let Some(w) = p.get_mut(i / 64) {
                *w |= 1u64 << (i % 64);
            }
        }
        if accept(&p) && is_probable_prime_secret(&p, rounds, rng)? {
            bytes.zeroize();
            return Ok(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::HmacDrbg;

    fn rng() -> HmacDrbg {
        HmacDrbg::new(crate::hash::HashAlgorithm::Sha256, b"prime tests entropy 0123456789abcdef", b"", b"").unwrap()
    }

    #[test]
    fn small_numbers_and_pseudoprimes() {
        let mut r = rng();
        let check = |n: u64, r: &mut HmacDrbg| is_probable_prime_vartime(&n.to_be_bytes(), 20, r).unwrap();
        for p in [2u64, 3, 5, 8191, 65537, 0xffff_ffff_ffff_ffc5] {
            assert!(check(p, &mut r), "{p}");
        }
        // 0, 1, even, Carmichael numbers, a strong pseudoprime to base 2.
        for c in [0u64, 1, 4, 561, 41041, 3_215_031_751, 0xffff_ffff_ffff_ffc7] {
            assert!(!check(c, &mut r), "{c}");
        }
    }

    #[test]
    fn generated_prime_has_its_size_and_passes() {
        let mut r = rng();
        let p = random_prime(256, &mut r, |_| true).unwrap();
        assert_eq!(limbs::bits_vartime(&p), 256);
        let mut be = [0u8; 32];
        limbs::write_be_bytes(&p, &mut be);
        assert!(is_probable_prime_vartime(&be, 20, &mut r).unwrap());
    }
}
