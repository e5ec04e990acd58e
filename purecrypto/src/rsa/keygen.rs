//! RSA key generation (FIPS 186-5 appendix A.1.3, probable primes).
//!
//! Entry points: [`RsaPrivateKey::generate`] (e = 65537) and
//! [`RsaPrivateKey::generate_with_exponent`]. Each prime has the top two
//! bits set (so `p >= sqrt(2) 2^(nlen/2 - 1)` and `n` has exactly `nlen`
//! bits), `gcd(p - 1, e) == 1`, passes trial division and the Miller-Rabin
//! rounds of FIPS 186-5 table B.1; `|p - q| > 2^(nlen/2 - 100)`; and
//! `d > 2^(nlen/2)`, else the generator starts over.
//!
//! `d` is `e^-1 mod (p - 1)(q - 1)`; FIPS 186-5 asks for the inverse
//! modulo `lcm(p - 1, q - 1)`, which is smaller by the factor
//! `gcd(p - 1, q - 1)`. Both give the same signatures (the private
//! operation uses `dp`, `dq` only); the exported `d` is the larger one.

use alloc::vec;

use zeroize::Zeroize;

use super::key::{MAX_BITS, MIN_BITS, RsaPrivateKey, RsaPublicKey, crt_exponent};
use crate::Error;
use crate::bignum::limbs;
use crate::bignum::prime::random_prime;
use crate::bignum::{Modulus, inv_mod_odd, inv_small_mod};
use crate::rng::CryptoRng;

/// The default public exponent.
pub const DEFAULT_EXPONENT: u64 = 65537;

impl RsaPrivateKey {
    /// A fresh key of `bits` bits (2048 to 16384, a multiple of 128) with
    /// `e = 65537`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an unsupported size; what the
    /// generator reports.
    pub fn generate(rng: &mut impl CryptoRng, bits: usize) -> Result<Self, Error> {
        Self::generate_with_exponent(rng, bits, DEFAULT_EXPONENT)
    }

    /// A fresh key with public exponent `e` (odd, `2^16 < e < 2^64`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an unsupported size or exponent;
    /// what the generator reports.
    pub fn generate_with_exponent(rng: &mut impl CryptoRng, bits: usize, e: u64) -> Result<Self, Error> {
        if !(MIN_BITS..=MAX_BITS).contains(&bits) || !bits.is_multiple_of(128) {
            return Err(Error::InvalidParameter {
                what: "RSA key size",
                reason: "2048 to 16384 bits, multiple of 128",
            });
        }
        if e & 1 == 0 || e <= 1 << 16 {
            return Err(Error::InvalidParameter { what: "RSA public exponent", reason: "odd and above 2^16" });
        }
        let half = bits / 2;
        let coprime = |p: &[u64]| {
            let (mut inv, ok) = crt_exponent(e, p);
            inv.zeroize();
            ok == 1
        };
        loop {
            let p = random_prime(half, rng, coprime)?;
            let q = random_prime(half, rng, coprime)?;
            // |p - q| > 2^(half - 100).
            let mut diff = p.clone();
            if limbs::sub_assign(&mut diff, &q) == 1 {
                diff.clone_from(&q);
                limbs::sub_assign(&mut diff, &p);
            }
            let far_enough = limbs::bits_ct(&diff) > half - 100;
            diff.zeroize();
            if !far_enough {
                continue;
            }
            // Order so that p > q (the usual convention; qinv mod p).
            let (mut p, mut q) = if limbs::ct_lt(&p, &q) == 1 { (q, p) } else { (p, q) };
            let kn = bits / 64;
            let mut n = vec![0u64; kn];
            limbs::mul_into(&mut n, &p, &q);
            let mut phi_p = p.clone();
            limbs::sub_assign(&mut phi_p, &[1]);
            let mut phi_q = q.clone();
            limbs::sub_assign(&mut phi_q, &[1]);
            let mut phi = vec![0u64; kn];
            limbs::mul_into(&mut phi, &phi_p, &phi_q);
            let (d, ok) = inv_small_mod(e, &phi);
            phi.zeroize();
            phi_p.zeroize();
            phi_q.zeroize();
            if ok != 1 || limbs::bits_ct(&d) <= half {
                continue;
            }
            let (dp, ok_p) = crt_exponent(e, &p);
            let (dq, ok_q) = crt_exponent(e, &q);
            let p_mod = Modulus::new(&p)?;
            let q_mod = Modulus::new(&q)?;
            let (qinv, ok_inv) = inv_mod_odd(&p_mod.reduce(&q), &p);
            p.zeroize();
            q.zeroize();
            if ok_p & ok_q & ok_inv != 1 {
                continue;
            }
            let mut n_bytes = vec![0u8; bits / 8];
            limbs::write_be_bytes(&n, &mut n_bytes);
            let public = RsaPublicKey::new(&n_bytes, &e.to_be_bytes())?;
            return Ok(Self::assemble(public, d, p_mod, q_mod, dp, dq, qinv));
        }
    }
}
