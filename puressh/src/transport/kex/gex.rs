//! diffie-hellman-group-exchange-sha256 (RFC 4419), client side: we ask
//! for a group of 2048 to 8192 bits, preferably 3072 (message 34), check
//! the server's `p` and `g` (message 31), then run classic DH in it
//! (messages 32 and 33). The exchange hash carries the request and the
//! group between `K_S` and `e`.
//!
//! Entry points: [`request_body`], [`Group::parse`] (with the sanity
//! checks), [`GroupExchange`] (the [`KexMethod`] for the second round).
//!
//! Checks on the group (OpenSSH's client does fewer): `p` odd, its size
//! within the request, `p` and `(p - 1) / 2` probable primes (a safe
//! prime, what every `moduli` file holds), `1 < g < p - 1`. The
//! server's `f` must satisfy `1 < f < p - 1`; no subgroup check, since a
//! `moduli` generator may generate the whole group.

use super::{KexMethod, KexOutcome, mpint_secret};
use crate::error::KexError;
use crate::msg::MsgNumber;
use crate::wire::{Reader, Writer};
use purecrypto::bignum::{BoxedUint, Modulus, prime};
use purecrypto::hash::HashAlgorithm;
use purecrypto::rng::CryptoRng;
use zeroize::{Zeroize, Zeroizing};

/// SSH_MSG_KEX_DH_GEX_REQUEST.
pub const MSG_REQUEST: MsgNumber = MsgNumber(34);
/// SSH_MSG_KEX_DH_GEX_GROUP (the number ECDH uses for its reply).
pub const MSG_GROUP: MsgNumber = MsgNumber(31);
/// SSH_MSG_KEX_DH_GEX_INIT.
pub const MSG_INIT: MsgNumber = MsgNumber(32);
/// SSH_MSG_KEX_DH_GEX_REPLY.
pub const MSG_REPLY: MsgNumber = MsgNumber(33);

/// Smallest group we accept, in bits.
pub const MIN_BITS: u32 = 2048;
/// The size we ask for (128-bit security, NIST SP 800-57).
pub const PREFERRED_BITS: u32 = 3072;
/// Largest group we accept.
pub const MAX_BITS: u32 = 8192;

/// Miller-Rabin rounds for `p` and `(p - 1) / 2`: a sanity check against
/// a careless server, not a proof (the server is authenticated by the
/// signature over a hash that covers the group).
const PRIME_ROUNDS: usize = 2;

/// The body of message 34: `min`, `n`, `max`.
#[must_use]
pub fn request_body() -> Vec<u8> {
    let mut w = Writer::new();
    w.u32(MIN_BITS).u32(PREFERRED_BITS).u32(MAX_BITS);
    w.into_bytes()
}

/// A group the server chose, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The prime, big-endian, no leading zero.
    p: Vec<u8>,
    /// The generator, big-endian, no leading zero.
    g: Vec<u8>,
}

fn bad(what: &'static str) -> KexError {
    KexError::BadPublicValue { what }
}

/// The magnitude of a positive mpint (without its sign byte).
fn magnitude(bytes: &[u8]) -> &[u8] {
    match bytes {
        [0, rest @ ..] => rest,
        other => other,
    }
}

impl Group {
    /// Parses and checks message 31's body (`mpint p, mpint g`).
    ///
    /// # Errors
    /// [`KexError::BadPublicValue`] naming the failed check.
    pub fn parse(body: &[u8], rng: &mut impl CryptoRng) -> Result<Self, KexError> {
        let mut r = Reader::new(body);
        let p = r.mpint().map_err(|_| bad("GEX p"))?;
        let g = r.mpint().map_err(|_| bad("GEX g"))?;
        r.finish().map_err(|_| bad("GEX group"))?;
        if p.first().is_none_or(|b| b & 0x80 != 0) || g.first().is_none_or(|b| b & 0x80 != 0) {
            return Err(bad("GEX group (negative or zero)"));
        }
        let group = Self { p: magnitude(p).to_vec(), g: magnitude(g).to_vec() };
        group.check(rng)?;
        Ok(group)
    }

    /// A group from its parts, checked (for tests and a future server).
    ///
    /// # Errors
    /// As [`Self::parse`].
    pub fn new(p: &[u8], g: &[u8], rng: &mut impl CryptoRng) -> Result<Self, KexError> {
        let strip =
            |b: &[u8]| b.iter().position(|&x| x != 0).and_then(|i| b.get(i..)).map(<[u8]>::to_vec).unwrap_or_default();
        let group = Self { p: strip(p), g: strip(g) };
        group.check(rng)?;
        Ok(group)
    }

    fn bits(&self) -> u32 {
        let top = self.p.first().copied().unwrap_or(0);
        (self.p.len() as u32).saturating_mul(8).saturating_sub(top.leading_zeros())
    }

    fn check(&self, rng: &mut impl CryptoRng) -> Result<(), KexError> {
        let bits = self.bits();
        if !(MIN_BITS..=MAX_BITS).contains(&bits) {
            return Err(bad("GEX p outside the requested size"));
        }
        if self.p.last().is_none_or(|b| b & 1 == 0) {
            return Err(bad("GEX p even"));
        }
        // 1 < g < p - 1: g has at least two bits and is below p - 1
        // (p is odd, so p - 1 only differs from p in its last bit).
        let mut p_minus_1 = self.p.clone();
        if let Some(last) = p_minus_1.last_mut() {
            *last &= !1;
        }
        if self.g.is_empty() || self.g == [1] || !less_than(&self.g, &p_minus_1) {
            return Err(bad("GEX g out of range"));
        }
        let mut is_prime = |n: &[u8]| prime::is_probable_prime_vartime(n, PRIME_ROUNDS, &mut *rng).unwrap_or(false);
        if !is_prime(&self.p) {
            return Err(bad("GEX p not prime"));
        }
        let q = shift_right_one(&p_minus_1);
        if !is_prime(&q) {
            return Err(bad("GEX p not a safe prime"));
        }
        Ok(())
    }

    /// The prime, big-endian.
    #[must_use]
    pub fn prime(&self) -> &[u8] {
        &self.p
    }

    /// The generator, big-endian.
    #[must_use]
    pub fn generator(&self) -> &[u8] {
        &self.g
    }

    /// The exponent size for this group: twice the security strength of
    /// its size (NIST SP 800-57 part 1, table 2).
    fn exponent_bits(&self) -> usize {
        match self.bits() {
            0..=2048 => 224,
            2049..=3072 => 256,
            3073..=7680 => 384,
            _ => 512,
        }
    }
}

/// `a < b` for big-endian magnitudes without leading zeros (public values).
fn less_than(a: &[u8], b: &[u8]) -> bool {
    (a.len(), a) < (b.len(), b)
}

/// `n >> 1` for a big-endian magnitude.
fn shift_right_one(n: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(n.len());
    let mut carry = 0u8;
    for &b in n {
        out.push((b >> 1) | carry);
        carry = b << 7;
    }
    out
}

/// The DH half of a group exchange, in the server's group.
pub struct GroupExchange {
    group: Group,
    modulus: Modulus,
    limbs: usize,
    x: Zeroizing<Vec<u64>>,
    x_bits: usize,
    e: Vec<u8>,
}

impl GroupExchange {
    /// A fresh exponent in `group`; `None` when the generator fails.
    pub fn generate(group: Group, rng: &mut impl CryptoRng) -> Option<Self> {
        let mut x = Zeroizing::new(vec![0u8; group.exponent_bits() / 8]);
        rng.try_fill_bytes(&mut x).ok()?;
        Self::with_exponent(group, &x)
    }

    /// A fixed exponent, for known-answer tests. `None` for an exponent
    /// of zero or a group the arithmetic cannot hold.
    #[must_use]
    pub fn with_exponent(group: Group, x: &[u8]) -> Option<Self> {
        let modulus = Modulus::from_be_bytes_vartime(&group.p).ok()?;
        let limbs = modulus.limbs();
        let x_bits = 8 * x.len();
        let x = BoxedUint::from_be_bytes(x, limbs.max(x.len().div_ceil(8))).ok()?;
        let x = Zeroizing::new(x.as_limbs().to_vec());
        if x.iter().all(|&w| w == 0) {
            return None;
        }
        let g = BoxedUint::from_be_bytes(&group.g, limbs).ok()?;
        let e_limbs = modulus.pow(g.as_limbs(), &x, x_bits);
        let e = BoxedUint::from_limbs(&e_limbs).ok()?.to_be_bytes(group.p.len()).ok()?;
        Some(Self { group, modulus, limbs, x, x_bits, e })
    }

    /// The transcript fields between `K_S` and `e`: `min`, `n`, `max`
    /// (uint32) and `p`, `g` (mpint).
    #[must_use]
    pub fn hash_fields(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u32(MIN_BITS).u32(PREFERRED_BITS).u32(MAX_BITS).mpint_unsigned(&self.group.p).mpint_unsigned(&self.group.g);
        w.into_bytes()
    }
}

impl KexMethod for GroupExchange {
    fn name(&self) -> &'static str {
        crate::names::DH_GEX_SHA256
    }

    fn hash(&self) -> HashAlgorithm {
        HashAlgorithm::Sha256
    }

    fn client_public(&self) -> Vec<u8> {
        self.e.clone()
    }

    fn public_is_mpint(&self) -> bool {
        true
    }

    fn exchange_hash_fields(&self) -> Vec<u8> {
        self.hash_fields()
    }

    fn finish(self: Box<Self>, server_public: &[u8]) -> Result<KexOutcome, KexError> {
        // 1 < f < p - 1 (RFC 4253 §8); the parser already refused a
        // negative or non-minimal f.
        let f = magnitude(server_public);
        let mut p_minus_1 = self.group.p.clone();
        if let Some(last) = p_minus_1.last_mut() {
            *last &= !1;
        }
        let f_stripped = f.iter().position(|&b| b != 0).map_or(&[][..], |i| f.get(i..).unwrap_or_default());
        if f_stripped.is_empty() || f_stripped == [1] || !less_than(f_stripped, &p_minus_1) {
            return Err(bad("f"));
        }
        let f_limbs = BoxedUint::from_be_bytes(f_stripped, self.limbs).map_err(|_| bad("f"))?;
        let mut k = self.modulus.pow(f_limbs.as_limbs(), &self.x, self.x_bits);
        let k_bytes = BoxedUint::from_limbs(&k).and_then(|b| b.to_be_bytes(self.group.p.len()));
        k.zeroize();
        let k_bytes = Zeroizing::new(k_bytes.map_err(|_| bad("f"))?);
        let mut w = Writer::new();
        w.mpint_unsigned(&self.e);
        let encoded = w.into_bytes();
        let client_value = Reader::new(&encoded).string().map(<[u8]>::to_vec).unwrap_or_default();
        Ok(KexOutcome { client_value, shared_secret: mpint_secret(&k_bytes) })
    }
}
