//! RSA keys and the two raw primitives (RSAEP/RSAVP1 and RSADP/RSASP1 of
//! RFC 8017 section 5).
//!
//! Entry points: [`RsaPublicKey::new`], [`RsaPrivateKey::from_components`]
//! and their `dangerous_` variants for keys below 2048 bits. The private
//! operation uses the CRT, blinds its input with a fresh `r^e`, and checks
//! its result with the public exponent before releasing it (a fault in
//! either half of the CRT would otherwise leak a factor of `n`).

use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroize;

use crate::Error;
use crate::bignum::limbs;
use crate::bignum::{Modulus, inv_mod_odd, inv_small_mod};
use crate::rng::CryptoRng;

/// Smallest modulus accepted by the ordinary constructors.
pub const MIN_BITS: usize = 2048;
/// Smallest modulus accepted by the `dangerous_` constructors.
pub const DANGEROUS_MIN_BITS: usize = 512;
/// Largest modulus accepted (the 16384-bit bignum limit).
pub const MAX_BITS: usize = 16384;

/// An RSA public key `(n, e)`.
///
/// Enforced: `n` odd with `MIN_BITS <= bits(n) <= MAX_BITS` (or from
/// [`DANGEROUS_MIN_BITS`] with the `dangerous_` constructor); `e` odd,
/// `3 <= e < 2^64` and `e < n`. (FIPS 186-5 asks `2^16 < e < 2^256` for
/// keys it generates; imported keys with `e = 3` still verify, as the
/// Wycheproof suites expect, and [`RsaPrivateKey::generate_with_exponent`]
/// only makes `e > 2^16`.)
#[derive(Clone)]
pub struct RsaPublicKey {
    pub(crate) n: Modulus,
    pub(crate) e: u64,
    /// `k`: the modulus length in bytes.
    pub(crate) size: usize,
    pub(crate) bits: usize,
}

impl fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPublicKey").field("bits", &self.bits).field("e", &self.e).finish_non_exhaustive()
    }
}

impl PartialEq for RsaPublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.e == other.e && self.n.as_limbs() == other.n.as_limbs()
    }
}

impl Eq for RsaPublicKey {}

/// Strips leading zero bytes (public values only).
pub(crate) fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// Big-endian bytes to limbs of exactly `width` limbs.
pub(crate) fn to_limbs(bytes: &[u8], width: usize) -> Result<Vec<u64>, Error> {
    let mut out = vec![0u64; width];
    if limbs::from_be_bytes(&mut out, bytes) != 0 {
        out.zeroize();
        return Err(Error::InvalidKey { reason: "component wider than the modulus" });
    }
    Ok(out)
}

impl RsaPublicKey {
    /// A public key from the big-endian modulus and exponent (leading
    /// zero bytes allowed), at least 2048 bits.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when a bound above is violated.
    pub fn new(n: &[u8], e: &[u8]) -> Result<Self, Error> {
        Self::with_min_bits(n, e, MIN_BITS)
    }

    /// As [`RsaPublicKey::new`] but accepting moduli down to 512 bits.
    /// Keys below 2048 bits are breakable or close to it: only for
    /// verifying legacy data and test vectors.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when a bound is violated.
    pub fn dangerous_new_allow_small(n: &[u8], e: &[u8]) -> Result<Self, Error> {
        Self::with_min_bits(n, e, DANGEROUS_MIN_BITS)
    }

    fn with_min_bits(n: &[u8], e: &[u8], min_bits: usize) -> Result<Self, Error> {
        let n = strip_zeros(n);
        if n.len() > MAX_BITS / 8 {
            return Err(Error::InvalidKey { reason: "modulus larger than 16384 bits" });
        }
        let e = strip_zeros(e);
        if e.len() > 8 {
            return Err(Error::InvalidKey { reason: "public exponent of 2^64 or more" });
        }
        let e = e.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
        if e < 3 || e & 1 == 0 {
            return Err(Error::InvalidKey { reason: "public exponent must be odd and at least 3" });
        }
        let width = n.len().div_ceil(8);
        let n_limbs = to_limbs(n, width)?;
        let bits = limbs::bits_vartime(&n_limbs);
        if bits < min_bits {
            return Err(Error::InvalidKey { reason: "modulus too small" });
        }
        if n_limbs.first().is_none_or(|w| w & 1 == 0) {
            return Err(Error::InvalidKey { reason: "modulus must be odd" });
        }
        if limbs::ct_lt(&n_limbs, &[e]) == 1 {
            return Err(Error::InvalidKey { reason: "public exponent not below the modulus" });
        }
        let n = Modulus::new(&n_limbs).map_err(|_| Error::InvalidKey { reason: "bad modulus" })?;
        Ok(Self { n, e, size: bits.div_ceil(8), bits })
    }

    /// The modulus length in bytes (`k` in RFC 8017).
    #[must_use]
    pub fn size(&self) -> usize {
        self.size
    }

    /// The modulus length in bits.
    #[must_use]
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// The public exponent.
    #[must_use]
    pub fn e(&self) -> u64 {
        self.e
    }

    /// The modulus, big-endian, `size()` bytes.
    #[must_use]
    pub fn n_bytes(&self) -> Vec<u8> {
        let mut out = vec![0u8; self.size];
        limbs::write_be_bytes(self.n.as_limbs(), &mut out);
        out
    }

    /// The public exponent, big-endian, minimal.
    #[must_use]
    pub fn e_bytes(&self) -> Vec<u8> {
        strip_zeros(&self.e.to_be_bytes()).to_vec()
    }

    /// RSAEP / RSAVP1: `x^e mod n` on a `size()`-byte big-endian input,
    /// rejecting `x >= n`.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a wrong-length input,
    /// [`Error::VerificationFailed`] when `x >= n`.
    pub fn raw_public(&self, input: &[u8]) -> Result<Vec<u8>, Error> {
        if input.len() != self.size {
            return Err(Error::InvalidLength {
                what: "RSA input",
                expected: "the modulus length",
                actual: input.len(),
            });
        }
        let x = to_limbs(input, self.n.limbs())?;
        if limbs::ct_lt(&x, self.n.as_limbs()) != 1 {
            return Err(Error::VerificationFailed);
        }
        let y = self.n.pow_vartime(&x, &[self.e]);
        let mut out = vec![0u8; self.size];
        limbs::write_be_bytes(&y, &mut out);
        Ok(out)
    }
}

/// A blinding pair in Montgomery form modulo `n`: `a = r^e` and
/// `ai = r^-1` for a secret random `r`. Squaring both gives the pair for
/// `r^2`, so one inversion serves [`BLINDING_REFRESH`] operations (the
/// scheme OpenSSL uses); with `std` the pair lives in the key behind a
/// mutex, without it every operation draws a fresh `r`.
struct Blinding {
    a: Vec<u64>,
    ai: Vec<u64>,
    /// Squarings since the inversion (only a stored pair counts them).
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    uses: u32,
}

impl Drop for Blinding {
    fn drop(&mut self) {
        self.a.zeroize();
        self.ai.zeroize();
    }
}

/// Operations per blinding value before a fresh `r` is drawn.
#[cfg(feature = "std")]
const BLINDING_REFRESH: u32 = 32;

/// An RSA private key with its CRT parameters.
///
/// Invariants (checked on import): `p * q == n`, `d * e == 1` modulo
/// `p - 1` and `q - 1` (so modulo `lcm(p - 1, q - 1)`), `dp == d mod (p - 1)`,
/// `dq == d mod (q - 1)`, `qinv * q == 1 mod p`. Every secret is zeroized
/// on drop and `Debug` shows only the size.
pub struct RsaPrivateKey {
    pub(crate) public: RsaPublicKey,
    pub(crate) d: Vec<u64>,
    pub(crate) p: Modulus,
    pub(crate) q: Modulus,
    pub(crate) dp: Vec<u64>,
    pub(crate) dq: Vec<u64>,
    pub(crate) qinv: Vec<u64>,
    /// `qinv` in Montgomery form modulo `p`.
    pub(crate) qinv_m: Vec<u64>,
    #[cfg(feature = "std")]
    blinding: std::sync::Mutex<Option<Blinding>>,
}

impl Clone for RsaPrivateKey {
    fn clone(&self) -> Self {
        Self {
            public: self.public.clone(),
            d: self.d.clone(),
            p: self.p.clone(),
            q: self.q.clone(),
            dp: self.dp.clone(),
            dq: self.dq.clone(),
            qinv: self.qinv.clone(),
            qinv_m: self.qinv_m.clone(),
            #[cfg(feature = "std")]
            blinding: std::sync::Mutex::new(None),
        }
    }
}

impl fmt::Debug for RsaPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPrivateKey").field("bits", &self.public.bits).finish_non_exhaustive()
    }
}

impl Drop for RsaPrivateKey {
    fn drop(&mut self) {
        self.d.zeroize();
        self.dp.zeroize();
        self.dq.zeroize();
        self.qinv.zeroize();
        self.qinv_m.zeroize();
        // p and q zeroize themselves (Modulus implements Drop).
    }
}

/// The big-endian components of an RSA private key (RFC 8017 A.1.2),
/// for [`RsaPrivateKey::from_components`]. The CRT values are optional
/// and computed when absent.
#[derive(Clone, Copy, Debug, Default)]
pub struct RsaComponents<'a> {
    /// Modulus.
    pub n: &'a [u8],
    /// Public exponent.
    pub e: &'a [u8],
    /// Private exponent.
    pub d: &'a [u8],
    /// First prime.
    pub p: &'a [u8],
    /// Second prime.
    pub q: &'a [u8],
    /// `d mod (p - 1)`.
    pub dp: Option<&'a [u8]>,
    /// `d mod (q - 1)`.
    pub dq: Option<&'a [u8]>,
    /// `q^-1 mod p`.
    pub qinv: Option<&'a [u8]>,
}

/// `x mod m` for any `m > 0` (bit-serial, constant time in the values).
pub(crate) fn rem_any(x: &[u64], m: &[u64]) -> Vec<u64> {
    let (mut quotient, r) = div_rem_any(x, m);
    quotient.zeroize();
    r
}

/// `(x / m, x mod m)` for any `m > 0`, bit-serial long division in time
/// independent of the values.
pub(crate) fn div_rem_any(x: &[u64], m: &[u64]) -> (Vec<u64>, Vec<u64>) {
    let k = m.len();
    let mut r = vec![0u64; k + 1];
    let mut t = vec![0u64; k + 1];
    let mut quotient = vec![0u64; x.len()];
    for i in (0..64 * x.len()).rev() {
        let bit = x.get(i / 64).map_or(0, |w| (w >> (i % 64)) & 1);
        limbs::shl1(&mut r);
        if let Some(first) = r.first_mut() {
            *first |= bit;
        }
        t.copy_from_slice(&r);
        let borrow = limbs::sub_assign(&mut t, m);
        limbs::select_assign(&mut r, &t, 1 ^ borrow);
        if let Some(w) = quotient.get_mut(i / 64) {
            *w |= (1 ^ borrow) << (i % 64);
        }
    }
    t.zeroize();
    r.truncate(k);
    (quotient, r)
}

/// Trims a secret prime given big-endian to the limbs its byte length
/// needs (the length of a prime is treated as public).
fn prime_limbs(bytes: &[u8]) -> Result<Vec<u64>, Error> {
    let bytes = strip_zeros(bytes);
    if bytes.is_empty() || bytes.len() > MAX_BITS / 8 {
        return Err(Error::InvalidKey { reason: "prime out of range" });
    }
    to_limbs(bytes, bytes.len().div_ceil(8))
}

impl RsaPrivateKey {
    /// Imports a key from its components, checking every invariant listed
    /// on the type; moduli of at least 2048 bits.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] naming the failed check.
    pub fn from_components(c: &RsaComponents<'_>) -> Result<Self, Error> {
        Self::import(c, RsaPublicKey::new(c.n, c.e)?)
    }

    /// As [`RsaPrivateKey::from_components`] but accepting moduli down to
    /// 512 bits (legacy keys and test vectors only).
    ///
    /// # Errors
    /// [`Error::InvalidKey`] naming the failed check.
    pub fn dangerous_from_components_allow_small(c: &RsaComponents<'_>) -> Result<Self, Error> {
        Self::import(c, RsaPublicKey::dangerous_new_allow_small(c.n, c.e)?)
    }

    /// Imports a key given only `(n, e, d)` (as some formats and test
    /// suites carry it), recovering `p` and `q` by the method of NIST SP
    /// 800-56B appendix C: write `d e - 1 = 2^t r`, and for bases
    /// `g = 2, 3, 5, ...` look for a nontrivial square root of 1 among
    /// `g^r, g^2r, ...`; its gcd with `n` is a factor. The search branches
    /// on secret values (hence `_vartime`): use it for one-off imports,
    /// not in a loop an attacker can time.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when no factorization is found or the result
    /// fails the checks of [`RsaPrivateKey::from_components`].
    pub fn from_n_e_d_vartime(n: &[u8], e: &[u8], d: &[u8]) -> Result<Self, Error> {
        Self::recover(RsaPublicKey::new(n, e)?, d)
    }

    /// As [`RsaPrivateKey::from_n_e_d_vartime`], accepting moduli down to
    /// 512 bits (legacy keys and test vectors only).
    ///
    /// # Errors
    /// As [`RsaPrivateKey::from_n_e_d_vartime`].
    pub fn dangerous_from_n_e_d_vartime_allow_small(n: &[u8], e: &[u8], d: &[u8]) -> Result<Self, Error> {
        Self::recover(RsaPublicKey::dangerous_new_allow_small(n, e)?, d)
    }

    fn recover(public: RsaPublicKey, d: &[u8]) -> Result<Self, Error> {
        let n = &public.n;
        let kn = n.limbs();
        let mut d_limbs = to_limbs(strip_zeros(d), kn)?;
        let mut k = vec![0u64; kn + 1];
        limbs::mul_into(&mut k, &d_limbs, &[public.e]);
        if limbs::sub_assign(&mut k, &[1]) != 0 || k.first().is_none_or(|w| w & 1 == 1) {
            return Err(Error::InvalidKey { reason: "d * e - 1 must be even and positive" });
        }
        let mut t = 0usize;
        while k.first().is_some_and(|w| w & 1 == 0) && t < 64 * (kn + 1) {
            limbs::shr1(&mut k, 0);
            t += 1;
        }
        let mut one = vec![0u64; kn];
        if let Some(f) = one.first_mut() {
            *f = 1;
        }
        let mut n_minus_1 = n.as_limbs().to_vec();
        limbs::sub_assign(&mut n_minus_1, &[1]);
        let mut factor = None;
        'bases: for g in
            [2u64, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]
        {
            let mut base = vec![0u64; kn];
            if let Some(f) = base.first_mut() {
                *f = g;
            }
            let mut y = n.pow(&base, &k, 64 * (kn + 1));
            if limbs::ct_eq(&y, &one) == 1 || limbs::ct_eq(&y, &n_minus_1) == 1 {
                continue;
            }
            for _ in 0..t {
                let mut x = vec![0u64; 2 * kn];
                limbs::square_into(&mut x, &y);
                let x = n.reduce_below_nr(&x);
                if limbs::ct_eq(&x, &one) == 1 {
                    limbs::sub_assign(&mut y, &[1]);
                    factor = Some(crate::bignum::gcd_odd(&y, n.as_limbs()));
                    break 'bases;
                }
                if limbs::ct_eq(&x, &n_minus_1) == 1 {
                    continue 'bases;
                }
                y = x;
            }
        }
        k.zeroize();
        let Some(mut p) = factor else {
            d_limbs.zeroize();
            return Err(Error::InvalidKey { reason: "could not factor n from d" });
        };
        let (mut q, mut rem) = div_rem_any(n.as_limbs(), &p);
        if limbs::ct_is_zero(&rem) != 1 {
            return Err(Error::InvalidKey { reason: "could not factor n from d" });
        }
        rem.zeroize();
        let width = 8 * kn;
        let be = |v: &[u64]| {
            let mut out = vec![0u8; width];
            limbs::write_be_bytes(v, &mut out);
            out
        };
        let (n_b, e_b) = (public.n_bytes(), public.e_bytes());
        let (mut d_b, mut p_b, mut q_b) = (be(&d_limbs), be(&p), be(&q));
        // Keep p > q, the usual order.
        if limbs::ct_lt(&p, &q) == 1 {
            core::mem::swap(&mut p_b, &mut q_b);
        }
        let c = RsaComponents { n: &n_b, e: &e_b, d: &d_b, p: &p_b, q: &q_b, dp: None, dq: None, qinv: None };
        let key = Self::import(&c, public.clone());
        for v in [&mut d_b, &mut p_b, &mut q_b] {
            v.zeroize();
        }
        for v in [&mut p, &mut q, &mut d_limbs] {
            v.zeroize();
        }
        key
    }

    fn import(c: &RsaComponents<'_>, public: RsaPublicKey) -> Result<Self, Error> {
        let p = prime_limbs(c.p)?;
        let q = prime_limbs(c.q)?;
        let kn = public.n.limbs();
        let d_bytes = strip_zeros(c.d);
        let d = to_limbs(d_bytes, kn)?;
        // p * q == n.
        let mut pq = vec![0u64; p.len() + q.len()];
        limbs::mul_into(&mut pq, &p, &q);
        if limbs::ct_eq(&pq, public.n.as_limbs()) != 1 {
            return Err(Error::InvalidKey { reason: "p * q != n" });
        }
        if p.first().is_none_or(|w| w & 1 == 0) || q.first().is_none_or(|w| w & 1 == 0) {
            return Err(Error::InvalidKey { reason: "even prime factor" });
        }
        let p_mod = Modulus::new(&p).map_err(|_| Error::InvalidKey { reason: "bad prime p" })?;
        let q_mod = Modulus::new(&q).map_err(|_| Error::InvalidKey { reason: "bad prime q" })?;
        let mut p1 = p.clone();
        limbs::sub_assign(&mut p1, &[1]);
        let mut q1 = q.clone();
        limbs::sub_assign(&mut q1, &[1]);
        // d * e == 1 mod (p - 1) and mod (q - 1).
        let mut de = vec![0u64; kn + 1];
        limbs::mul_into(&mut de, &d, &[public.e]);
        limbs::sub_assign(&mut de, &[1]);
        let ok_p = limbs::ct_is_zero(&rem_any(&de, &p1));
        let ok_q = limbs::ct_is_zero(&rem_any(&de, &q1));
        de.zeroize();
        if ok_p & ok_q != 1 {
            return Err(Error::InvalidKey { reason: "d * e != 1 mod lcm(p - 1, q - 1)" });
        }
        let dp = rem_any(&d, &p1);
        let dq = rem_any(&d, &q1);
        p1.zeroize();
        q1.zeroize();
        let check = |given: Option<&[u8]>, want: &[u64], reason: &'static str| -> Result<(), Error> {
            if let Some(bytes) = given {
                let mut v = to_limbs(strip_zeros(bytes), want.len().max(strip_zeros(bytes).len().div_ceil(8)))
                    .map_err(|_| Error::InvalidKey { reason })?;
                let same = limbs::ct_eq(&v, want);
                v.zeroize();
                if same != 1 {
                    return Err(Error::InvalidKey { reason });
                }
            }
            Ok(())
        };
        check(c.dp, &dp, "dp != d mod (p - 1)")?;
        check(c.dq, &dq, "dq != d mod (q - 1)")?;
        let q_mod_p = if q.len() <= p.len() { p_mod.reduce(&q) } else { rem_any(&q, &p) };
        let (qinv, ok) = inv_mod_odd(&q_mod_p, &p);
        if ok != 1 {
            return Err(Error::InvalidKey { reason: "q not invertible mod p" });
        }
        check(c.qinv, &qinv, "qinv != q^-1 mod p")?;
        Ok(Self::assemble(public, d, p_mod, q_mod, dp, dq, qinv))
    }

    /// Builds the key from checked parts.
    pub(crate) fn assemble(
        public: RsaPublicKey,
        d: Vec<u64>,
        p: Modulus,
        q: Modulus,
        dp: Vec<u64>,
        dq: Vec<u64>,
        qinv: Vec<u64>,
    ) -> Self {
        let qinv_m = p.to_monty(&qinv);
        Self {
            public,
            d,
            p,
            q,
            dp,
            dq,
            qinv,
            qinv_m,
            #[cfg(feature = "std")]
            blinding: std::sync::Mutex::new(None),
        }
    }

    /// The public half.
    #[must_use]
    pub fn public_key(&self) -> &RsaPublicKey {
        &self.public
    }

    /// The modulus length in bytes.
    #[must_use]
    pub fn size(&self) -> usize {
        self.public.size
    }

    /// The components, big-endian: `(d, p, q, dp, dq, qinv)`; each
    /// returned buffer holds secret material the caller must zeroize.
    #[must_use]
    pub fn secret_components(&self) -> [Vec<u8>; 6] {
        let be = |v: &[u64]| {
            let mut out = vec![0u8; 8 * v.len()];
            limbs::write_be_bytes(v, &mut out);
            let cut = out.iter().position(|&b| b != 0).unwrap_or(out.len().saturating_sub(1));
            let trimmed = out.get(cut..).map(<[u8]>::to_vec).unwrap_or_default();
            out.zeroize();
            trimmed
        };
        [be(&self.d), be(self.p.as_limbs()), be(self.q.as_limbs()), be(&self.dp), be(&self.dq), be(&self.qinv)]
    }

    /// RSADP / RSASP1 on a `size()`-byte big-endian input `x < n`, with
    /// CRT, blinding and the fault check.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a wrong-length input,
    /// [`Error::DecryptionFailed`] when `x >= n` or the fault check fails;
    /// what the generator reports.
    pub fn raw_private(&self, rng: &mut impl CryptoRng, input: &[u8]) -> Result<Vec<u8>, Error> {
        let (out, ok) = self.raw_private_masked(rng, input)?;
        if ok != 1 {
            return Err(Error::DecryptionFailed);
        }
        Ok(out)
    }

    /// [`RsaPrivateKey::raw_private`] without the final branch: returns the
    /// output and 1 when the fault check passed (0 otherwise, with the
    /// output zeroed). For the constant-time harness and the callers that
    /// must fold the check into their own masks.
    #[doc(hidden)]
    pub fn raw_private_masked(&self, rng: &mut impl CryptoRng, input: &[u8]) -> Result<(Vec<u8>, u64), Error> {
        let n = &self.public.n;
        let kn = n.limbs();
        if input.len() != self.public.size {
            return Err(Error::InvalidLength {
                what: "RSA input",
                expected: "the modulus length",
                actual: input.len(),
            });
        }
        let x = to_limbs(input, kn)?;
        // The input is public (a ciphertext or an encoded message).
        if limbs::ct_lt(&x, n.as_limbs()) != 1 {
            return Err(Error::DecryptionFailed);
        }
        // Blinding: x' = x * r^e.
        let blinding = self.next_blinding(rng)?;
        let mut xb = vec![0u64; kn];
        n.mul(&mut xb, &x, &blinding.a); // x (r^e R) R^-1 = x r^e
        let mut m = self.crt_exp(&xb);
        // Fault check: m^e == x' (mod n).
        let back = n.pow_vartime(&m, &[self.public.e]);
        let ok = limbs::ct_eq(&back, &xb);
        // Unblind: m * r^-1.
        let mut y = vec![0u64; kn];
        n.mul(&mut y, &m, &blinding.ai);
        let keep = limbs::mask(ok);
        for w in &mut y {
            *w &= keep;
        }
        let mut out = vec![0u8; self.public.size];
        limbs::write_be_bytes(&y, &mut out);
        drop(blinding);
        for v in [&mut xb, &mut m, &mut y] {
            v.zeroize();
        }
        Ok((out, ok))
    }

    /// The blinding pair for this operation (a copy; the stored pair moves
    /// on to its square).
    fn next_blinding(&self, rng: &mut impl CryptoRng) -> Result<Blinding, Error> {
        #[cfg(feature = "std")]
        if let Ok(mut slot) = self.blinding.lock() {
            if let Some(b) = slot.as_mut().filter(|b| b.uses < BLINDING_REFRESH) {
                let out = Blinding { a: b.a.clone(), ai: b.ai.clone(), uses: 0 };
                let n = &self.public.n;
                let mut t = vec![0u64; n.limbs()];
                n.sqr(&mut t, &b.a);
                b.a.copy_from_slice(&t);
                n.sqr(&mut t, &b.ai);
                b.ai.copy_from_slice(&t);
                t.zeroize();
                b.uses += 1;
                return Ok(out);
            }
            let fresh = self.fresh_blinding(rng)?;
            *slot = Some(Blinding { a: fresh.a.clone(), ai: fresh.ai.clone(), uses: BLINDING_REFRESH });
            // Square the stored copy right away so it is never reused as is.
            if let Some(b) = slot.as_mut() {
                let n = &self.public.n;
                let mut t = vec![0u64; n.limbs()];
                n.sqr(&mut t, &b.a);
                b.a.copy_from_slice(&t);
                n.sqr(&mut t, &b.ai);
                b.ai.copy_from_slice(&t);
                b.uses = 1;
            }
            return Ok(fresh);
        }
        self.fresh_blinding(rng)
    }

    /// A new `r` uniform in `[1, n)` and invertible, as a blinding pair.
    fn fresh_blinding(&self, rng: &mut impl CryptoRng) -> Result<Blinding, Error> {
        let n = &self.public.n;
        let kn = n.limbs();
        let mut r_bytes = vec![0u8; 8 * kn];
        loop {
            rng.try_fill_bytes(&mut r_bytes)?;
            let mut r = vec![0u64; kn];
            limbs::from_be_bytes(&mut r, &r_bytes);
            let mut r = n.reduce(&r);
            let (mut r_inv, ok) = inv_mod_odd(&r, n.as_limbs());
            if ok == 1 {
                let mut re = n.pow_vartime(&r, &[self.public.e]);
                let out = Blinding { a: n.to_monty(&re), ai: n.to_monty(&r_inv), uses: 0 };
                for v in [&mut r, &mut r_inv, &mut re] {
                    v.zeroize();
                }
                r_bytes.zeroize();
                return Ok(out);
            }
        }
    }

    /// `x^d mod n` through the CRT (Garner): `m1 = x^dp mod p`,
    /// `m2 = x^dq mod q`, `h = qinv (m1 - m2) mod p`, `m = m2 + h q`.
    fn crt_exp(&self, x: &[u64]) -> Vec<u64> {
        let (p, q) = (&self.p, &self.q);
        let (kp, kq, kn) = (p.limbs(), q.limbs(), self.public.n.limbs());
        // x < n = p q; when q fits p's width, x < p R_p and the
        // Montgomery reduction applies (and symmetrically).
        let mut xp = if kq <= kp { p.reduce_below_nr(x) } else { rem_any(x, p.as_limbs()) };
        let mut xq = if kp <= kq { q.reduce_below_nr(x) } else { rem_any(x, q.as_limbs()) };
        // The exponent widths are the primes' widths (public).
        let [mut m1, mut m2] = Modulus::pow_pair(p, q, [&xp, &xq], [&self.dp, &self.dq], [64 * kp, 64 * kq]);
        let mut m2p = if kq <= kp { p.reduce(&m2) } else { rem_any(&m2, p.as_limbs()) };
        // diff = m1 - m2 mod p
        let borrow = limbs::sub_assign(&mut m1, &m2p);
        let mut fix = m1.clone();
        limbs::add_assign(&mut fix, p.as_limbs());
        limbs::select_assign(&mut m1, &fix, borrow);
        // h = qinv * diff mod p: (qinv R) * diff * R^-1.
        let mut h = vec![0u64; kp];
        p.mul(&mut h, &self.qinv_m, &m1);
        let mut hq = vec![0u64; kp + kq];
        limbs::mul_into(&mut hq, &h, q.as_limbs());
        limbs::add_assign(&mut hq, &m2);
        let mut m = vec![0u64; kn];
        for (o, &w) in m.iter_mut().zip(&hq) {
            *o = w;
        }
        for v in [&mut m1, &mut m2, &mut m2p, &mut fix, &mut h, &mut hq, &mut xp, &mut xq] {
            v.zeroize();
        }
        m
    }

    /// The secret limbs, for the constant-time harness to mark as secret.
    #[doc(hidden)]
    #[must_use]
    pub fn dangerous_secret_limbs(&self) -> Vec<&[u64]> {
        vec![&self.d, self.p.as_limbs(), self.q.as_limbs(), &self.dp, &self.dq, &self.qinv, &self.qinv_m]
    }

    /// `d`, for key generation tests and the PKCS#1 encoder.
    pub(crate) fn d_limbs(&self) -> &[u64] {
        &self.d
    }
}

/// `e^-1` modulo `p - 1`, used by key generation.
pub(crate) fn crt_exponent(e: u64, p: &[u64]) -> (Vec<u64>, u64) {
    let mut p1 = p.to_vec();
    limbs::sub_assign(&mut p1, &[1]);
    let out = inv_small_mod(e, &p1);
    p1.zeroize();
    out
}
