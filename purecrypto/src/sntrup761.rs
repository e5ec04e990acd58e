//! Streamlined NTRU Prime `sntrup761`, the KEM of OpenSSH's
//! `sntrup761x25519-sha512` key exchange, implemented from the NTRU Prime
//! round-3 specification (parameters `p = 761`, `q = 4591`, `w = 286`;
//! see also draft-josefsson-ntruprime-streamlined).
//!
//! Entry points: [`generate`] (a key pair), [`EncapsulationKey::encapsulate`]
//! and [`DecapsulationKey::decapsulate`] (implicit rejection: a
//! ciphertext that does not re-encrypt to itself yields a pseudorandom
//! key derived from the secret `rho`, never an error).
//!
//! The KEM wraps the core scheme: the private key is a short `f` (weight
//! `w`) and `1/g` in `R/3`; the public key is `h = g / (3 f)` in `R/q`.
//! Encapsulation picks a short `r`, sends `Round(h r)` and a confirmation
//! hash, and derives `K = Hash_session(1, r, C)`. Hashes are the first
//! 32 bytes of SHA-512 over a one-byte domain prefix and the input.
//!
//! Key generation and decapsulation do not branch on or index by secret
//! data (division steps and sorting by masks; see `arith` and `sort`);
//! secret intermediates are zeroized. Key generation retries `g` until it
//! is invertible mod 3, which reveals only that discarded candidates were
//! not.
//!
//! ```
//! use purecrypto::sntrup761;
//! use purecrypto::rng::OsRng;
//!
//! let (dk, ek) = sntrup761::generate(&mut OsRng)?;
//! let (ct, k1) = ek.encapsulate(&mut OsRng)?;
//! let k2 = dk.decapsulate(&ct);
//! assert_eq!(k1, k2);
//! # Ok::<(), purecrypto::Error>(())
//! ```

mod arith;
mod encode;
mod sort;

use alloc::vec::Vec;
use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::Error;
use crate::hash::{Hash, Sha512};
use crate::rng::CryptoRng;
use arith::{Fq, Small};
use encode::{ROUNDED_BYTES, RQ_BYTES, SMALL_BYTES};

/// The ring degree `p`.
const P: usize = 761;
/// The modulus `q`.
const Q: i32 = 4591;
/// `(q - 1) / 2`.
const Q12: i32 = (Q - 1) / 2;
/// The weight `w` of short polynomials.
const W: usize = 286;
/// Bytes of the confirmation hash and of every hash output.
const HASH_BYTES: usize = 32;

/// Bytes of an encapsulation (public) key.
pub const PUBLIC_KEY_LEN: usize = RQ_BYTES;
/// Bytes of a decapsulation (secret) key: `f`, `1/g`, the public key,
/// `rho` and the public key's hash.
pub const SECRET_KEY_LEN: usize = 2 * SMALL_BYTES + PUBLIC_KEY_LEN + SMALL_BYTES + HASH_BYTES;
/// Bytes of a ciphertext: the rounded product and the confirmation hash.
pub const CIPHERTEXT_LEN: usize = ROUNDED_BYTES + HASH_BYTES;
/// Bytes of a shared secret.
pub const SHARED_SECRET_LEN: usize = 32;

/// `Hash_prefix(b, x)`: the first 32 bytes of SHA-512(`b || x...`).
fn hash_prefix(b: u8, parts: &[&[u8]]) -> [u8; HASH_BYTES] {
    let mut h = Sha512::new();
    h.update(&[b]);
    for p in parts {
        h.update(p);
    }
    let mut full = h.finalize();
    let mut out = [0u8; HASH_BYTES];
    out.copy_from_slice(full.as_ref().get(..HASH_BYTES).unwrap_or(&[0; HASH_BYTES]));
    full.as_mut().zeroize();
    out
}

/// `Hash_confirm(r, pk)` = `Hash_prefix(2, Hash_prefix(3, r) || Hash_prefix(4, pk))`.
fn hash_confirm(r_enc: &[u8], pk_hash: &[u8; HASH_BYTES]) -> [u8; HASH_BYTES] {
    let inner = Zeroizing::new(hash_prefix(3, &[r_enc]));
    hash_prefix(2, &[inner.as_ref(), pk_hash])
}

/// `Hash_session(b, y, C)` = `Hash_prefix(b, Hash_prefix(3, y) || C)`.
fn hash_session(b: u8, y: &[u8], ct: &[u8]) -> [u8; HASH_BYTES] {
    let inner = Zeroizing::new(hash_prefix(3, &[y]));
    hash_prefix(b, &[inner.as_ref(), ct])
}

/// A random small polynomial (each coefficient `((u mod 2^30) * 3) >> 30) - 1`
/// for a random little-endian `u32` `u`).
fn small_random(rng: &mut (impl CryptoRng + ?Sized)) -> Result<Small, Error> {
    let mut bytes = Zeroizing::new([0u8; 4 * P]);
    rng.try_fill_bytes(bytes.as_mut())?;
    let mut s = [0i8; P];
    for (c, chunk) in s.iter_mut().zip(bytes.chunks_exact(4)) {
        let u = u32::from_le_bytes(chunk.try_into().unwrap_or([0; 4]));
        *c = ((((u & 0x3fff_ffff) * 3) >> 30) as i8) - 1;
    }
    Ok(s)
}

/// A random short polynomial (weight exactly `w`): `w` values marked
/// `±1` and `p - w` marked 0, in random order by a constant-time sort
/// on random keys.
fn short_random(rng: &mut (impl CryptoRng + ?Sized)) -> Result<Small, Error> {
    let mut bytes = Zeroizing::new([0u8; 4 * P]);
    rng.try_fill_bytes(bytes.as_mut())?;
    let mut keys = Zeroizing::new([0u32; P]);
    for (i, (k, chunk)) in keys.iter_mut().zip(bytes.chunks_exact(4)).enumerate() {
        let u = u32::from_le_bytes(chunk.try_into().unwrap_or([0; 4]));
        *k = if i < W { u & !1 } else { (u & !3) | 1 };
    }
    sort::sort_u32(keys.as_mut());
    let mut s = [0i8; P];
    for (c, &k) in s.iter_mut().zip(keys.iter()) {
        *c = ((k & 3) as i8) - 1;
    }
    Ok(s)
}

/// `Round(h r)` encoded, followed by the confirmation hash.
fn hide(r: &Small, h: &Fq, pk_hash: &[u8; HASH_BYTES]) -> (Vec<u8>, Zeroizing<[u8; SMALL_BYTES]>) {
    let r_enc = Zeroizing::new(encode::small_encode(r));
    let mut c = arith::round(&arith::mult_small(h, r));
    let mut ct = encode::rounded_encode(&c);
    c.zeroize();
    ct.extend_from_slice(&hash_confirm(r_enc.as_ref(), pk_hash));
    (ct, r_enc)
}

/// Generates a key pair.
///
/// # Errors
/// The generator's error.
pub fn generate(rng: &mut (impl CryptoRng + ?Sized)) -> Result<(DecapsulationKey, EncapsulationKey), Error> {
    let (mut g, mut g_inv) = loop {
        let mut g = small_random(rng)?;
        if let Some(inv) = arith::recip_3(&g) {
            break (g, inv);
        }
        g.zeroize();
    };
    let mut f = short_random(rng)?;
    let mut f3_inv = arith::recip_3q(&f);
    let h = arith::mult_small(&f3_inv, &g);
    f3_inv.zeroize();
    g.zeroize();
    let pk = encode::rq_encode(&h);
    let mut sk = Zeroizing::new([0u8; SECRET_KEY_LEN]);
    let mut at = 0;
    for part in [&encode::small_encode(&f)[..], &encode::small_encode(&g_inv)[..], &pk[..]] {
        if let Some(dst) = sk.get_mut(at..at + part.len()) {
            dst.copy_from_slice(part);
        }
        at += part.len();
    }
    f.zeroize();
    g_inv.zeroize();
    if let Some(rho) = sk.get_mut(at..at + SMALL_BYTES) {
        rng.try_fill_bytes(rho)?;
    }
    at += SMALL_BYTES;
    let pk_hash = hash_prefix(4, &[&pk]);
    if let Some(dst) = sk.get_mut(at..) {
        dst.copy_from_slice(&pk_hash);
    }
    let ek = EncapsulationKey::from_bytes(&pk)?;
    Ok((DecapsulationKey { bytes: sk }, ek))
}

/// A public key: `h` in `R/q`, encoded.
#[derive(Clone, PartialEq, Eq)]
pub struct EncapsulationKey {
    bytes: Vec<u8>,
    hash: [u8; HASH_BYTES],
}

impl fmt::Debug for EncapsulationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("sntrup761::EncapsulationKey").finish_non_exhaustive()
    }
}

impl EncapsulationKey {
    /// A public key from its [`PUBLIC_KEY_LEN`] bytes. Every byte string
    /// of that length decodes (the format has no invalid values).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for any other length.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() != PUBLIC_KEY_LEN {
            return Err(Error::InvalidLength { what: "sntrup761 public key", expected: "1158", actual: bytes.len() });
        }
        Ok(Self { bytes: bytes.to_vec(), hash: hash_prefix(4, &[bytes]) })
    }

    /// The encoded key.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// A fresh shared secret and its ciphertext.
    ///
    /// # Errors
    /// The generator's error.
    pub fn encapsulate(&self, rng: &mut (impl CryptoRng + ?Sized)) -> Result<(Ciphertext, SharedSecret), Error> {
        let mut r = short_random(rng)?;
        let h = encode::rq_decode(&self.bytes);
        let (ct, r_enc) = hide(&r, &h, &self.hash);
        r.zeroize();
        let k = hash_session(1, r_enc.as_ref(), &ct);
        Ok((Ciphertext(ct), SharedSecret(k)))
    }
}

/// A secret key in the specification's byte layout. Zeroized on drop;
/// never printed.
pub struct DecapsulationKey {
    bytes: Zeroizing<[u8; SECRET_KEY_LEN]>,
}

impl fmt::Debug for DecapsulationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sntrup761::DecapsulationKey(..)")
    }
}

impl DecapsulationKey {
    /// A secret key from its [`SECRET_KEY_LEN`] bytes.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for another length.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let mut sk = Zeroizing::new([0u8; SECRET_KEY_LEN]);
        if bytes.len() != SECRET_KEY_LEN {
            return Err(Error::InvalidLength { what: "sntrup761 secret key", expected: "1763", actual: bytes.len() });
        }
        sk.copy_from_slice(bytes);
        Ok(Self { bytes: sk })
    }

    /// The encoded secret key.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; SECRET_KEY_LEN] {
        &self.bytes
    }

    /// The public key stored inside the secret key.
    #[must_use]
    pub fn encapsulation_key(&self) -> EncapsulationKey {
        let (_, pk, _, pk_hash) = self.parts();
        let mut hash = [0u8; HASH_BYTES];
        hash.copy_from_slice(pk_hash);
        EncapsulationKey { bytes: pk.to_vec(), hash }
    }

    /// `(f || 1/g, pk, rho, Hash_prefix(4, pk))`.
    fn parts(&self) -> (&[u8], &[u8], &[u8], &[u8]) {
        let (secret, rest) = self.bytes.split_at(2 * SMALL_BYTES);
        let (pk, rest) = rest.split_at(PUBLIC_KEY_LEN);
        let (rho, pk_hash) = rest.split_at(SMALL_BYTES);
        (secret, pk, rho, pk_hash)
    }

    /// The shared secret of `ct`: decrypt to `r`, re-encrypt, and hash
    /// `r` when the result equals `ct`, else `rho` (implicit rejection,
    /// selected by mask).
    #[must_use]
    pub fn decapsulate(&self, ct: &Ciphertext) -> SharedSecret {
        let (secret, pk, rho, pk_hash) = self.parts();
        let mut f_bytes = Zeroizing::new([0u8; SMALL_BYTES]);
        let mut v_bytes = Zeroizing::new([0u8; SMALL_BYTES]);
        let (fb, vb) = secret.split_at(SMALL_BYTES);
        f_bytes.copy_from_slice(fb);
        v_bytes.copy_from_slice(vb);
        let mut f = encode::small_decode(&f_bytes);
        let mut v = encode::small_decode(&v_bytes);
        let (c_bytes, _) = ct.0.split_at(ROUNDED_BYTES);
        let c = encode::rounded_decode(c_bytes);

        // e = 3 f c in R/q, read mod 3; r = e / g in R/3.
        let mut cf3 = arith::times_3(&arith::mult_small(&c, &f));
        let mut e = arith::to_r3(&cf3);
        let mut ev = arith::mult_3(&e, &v);
        let mut r = arith::select_weight_w(&ev);
        for x in [&mut f, &mut v, &mut e, &mut ev] {
            x.zeroize();
        }
        cf3.zeroize();

        let h = encode::rq_decode(pk);
        let mut hash = [0u8; HASH_BYTES];
        hash.copy_from_slice(pk_hash);
        let (mut ct_new, mut r_enc) = hide(&r, &h, &hash);
        r.zeroize();
        // 0 when equal, 0xff when different; never a branch.
        let differ = !ct_new.as_slice().ct_eq(ct.0.as_slice()).unwrap_u8() & 1;
        let mask = 0u8.wrapping_sub(differ);
        for (x, &rb) in r_enc.iter_mut().zip(rho) {
            *x ^= mask & (*x ^ rb);
        }
        ct_new.zeroize();
        SharedSecret(hash_session(1 - differ, r_enc.as_ref(), &ct.0))
    }
}

impl Drop for DecapsulationKey {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

/// A ciphertext ([`CIPHERTEXT_LEN`] bytes).
#[derive(Clone, PartialEq, Eq)]
pub struct Ciphertext(Vec<u8>);

impl fmt::Debug for Ciphertext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("sntrup761::Ciphertext").finish_non_exhaustive()
    }
}

impl Ciphertext {
    /// A ciphertext from its bytes. Every string of the right length is
    /// accepted; a forged one decapsulates to an unrelated key.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for another length.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() != CIPHERTEXT_LEN {
            return Err(Error::InvalidLength { what: "sntrup761 ciphertext", expected: "1039", actual: bytes.len() });
        }
        Ok(Self(bytes.to_vec()))
    }

    /// The encoded ciphertext.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// A 32-byte shared secret. Compared in constant time; zeroized on drop;
/// never printed.
#[derive(Clone)]
pub struct SharedSecret([u8; SHARED_SECRET_LEN]);

impl SharedSecret {
    /// The secret's bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; SHARED_SECRET_LEN] {
        &self.0
    }
}

impl PartialEq for SharedSecret {
    fn eq(&self, other: &Self) -> bool {
        bool::from(self.0.ct_eq(&other.0))
    }
}

impl Eq for SharedSecret {}

impl fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sntrup761::SharedSecret(..)")
    }
}

impl Drop for SharedSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests;
