//! Ed448 signatures (RFC 8032 section 5.2): Ed448 and Ed448ph, each with
//! an optional context of up to 255 bytes, hashed with SHAKE256.
//!
//! Entry points: [`SigningKey::from_seed`] / [`SigningKey::generate`],
//! [`SigningKey::sign`] / [`SigningKey::sign_prehashed`],
//! [`VerifyingKey::from_bytes`], [`VerifyingKey::verify`] /
//! [`VerifyingKey::verify_prehashed`].
//!
//! Verification is strict in the same way as [`crate::ed25519`]: public
//! keys must be canonical points of large order, S must be below q (with a
//! zero last byte), and R is compared as bytes with the canonical encoding
//! of R' = `[S]B` - `[k]A` (computed in variable time), so non-canonical R
//! never verifies. Signing is constant time.

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;
use crate::curve448::edwards::EdwardsPoint;
use crate::curve448::scalar::Scalar;
use crate::hash::Shake256;
use crate::rng::CryptoRng;

/// Seed (private key) length in bytes.
pub const SEED_LEN: usize = 57;
/// Public key length in bytes.
pub const PUBLIC_KEY_LEN: usize = 57;
/// Signature length in bytes.
pub const SIGNATURE_LEN: usize = 114;
/// Longest context RFC 8032 allows.
pub const MAX_CONTEXT_LEN: usize = 255;

/// Starts a SHAKE256 with dom4(phflag, context) absorbed.
fn dom4(prehash: bool, context: &[u8]) -> Result<Shake256, Error> {
    if context.len() > MAX_CONTEXT_LEN {
        return Err(Error::InvalidLength { what: "Ed448 context", expected: "at most 255", actual: context.len() });
    }
    let mut h = Shake256::new();
    h.update(b"SigEd448");
    // Length checked above.
    h.update(&[u8::from(prehash), context.len() as u8]);
    h.update(context);
    Ok(h)
}

fn finish_wide(h: Shake256) -> [u8; 114] {
    let mut out = [0u8; 114];
    h.finalize_xof().read(&mut out);
    out
}

/// The 64-byte SHAKE256 prehash of Ed448ph.
fn prehash(message: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    Shake256::digest(message, &mut out);
    out
}

/// An Ed448 signature: R (57 bytes) || S (57 bytes).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature([u8; SIGNATURE_LEN]);

impl Signature {
    /// Wraps 114 bytes; checked by verification.
    #[must_use]
    pub const fn from_bytes(bytes: &[u8; SIGNATURE_LEN]) -> Self {
        Self(*bytes)
    }

    /// From a slice.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] unless it is 114 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        let array = <[u8; SIGNATURE_LEN]>::try_from(bytes).map_err(|_| Error::InvalidLength {
            what: "Ed448 signature",
            expected: "114",
            actual: bytes.len(),
        })?;
        Ok(Self(array))
    }

    /// The 114 bytes.
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; SIGNATURE_LEN] {
        self.0
    }
}

impl core::fmt::Debug for Signature {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Signature(")?;
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

/// A validated Ed448 public key.
#[derive(Clone, Copy)]
pub struct VerifyingKey {
    bytes: [u8; PUBLIC_KEY_LEN],
    point: EdwardsPoint,
}

impl VerifyingKey {
    /// Decodes and validates a public key.
    ///
    /// # Errors
    /// [`Error::Malformed`] for a non-canonical or off-curve encoding;
    /// [`Error::InvalidKey`] for a point of small order.
    pub fn from_bytes(bytes: &[u8; PUBLIC_KEY_LEN]) -> Result<Self, Error> {
        let point = EdwardsPoint::decompress(bytes)
            .ok_or(Error::Malformed { what: "Ed448 public key", reason: "not a canonical curve point" })?;
        if bool::from(point.is_small_order()) {
            return Err(Error::InvalidKey { reason: "Ed448 public key has small order" });
        }
        Ok(Self { bytes: *bytes, point })
    }

    /// From a slice.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] unless it is 57 bytes, then as
    /// [`VerifyingKey::from_bytes`].
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        let array = <[u8; PUBLIC_KEY_LEN]>::try_from(bytes).map_err(|_| Error::InvalidLength {
            what: "Ed448 public key",
            expected: "57",
            actual: bytes.len(),
        })?;
        Self::from_bytes(&array)
    }

    /// The 57-byte encoding.
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; PUBLIC_KEY_LEN] {
        self.bytes
    }

    /// The encoding recomputed from the decoded point (equal to the input
    /// bytes for every accepted key: the fuzz target checks it).
    pub(crate) fn reencoded(&self) -> [u8; PUBLIC_KEY_LEN] {
        self.point.compress()
    }

    /// Verifies an Ed448 signature with `context` (empty for none).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a context over 255 bytes,
    /// [`Error::VerificationFailed`] for an invalid signature.
    pub fn verify(&self, context: &[u8], message: &[u8], signature: &Signature) -> Result<(), Error> {
        self.verify_with(false, context, message, signature)
    }

    /// Verifies an Ed448ph signature (over SHAKE256(`message`, 64)).
    ///
    /// # Errors
    /// As [`VerifyingKey::verify`].
    pub fn verify_prehashed(&self, context: &[u8], message: &[u8], signature: &Signature) -> Result<(), Error> {
        self.verify_with(true, context, &prehash(message), signature)
    }

    fn verify_with(&self, ph: bool, context: &[u8], message: &[u8], signature: &Signature) -> Result<(), Error> {
        let mut h = dom4(ph, context)?;
        let (r_bytes, s_bytes) = signature.0.split_at(57);
        let s_array = <[u8; 57]>::try_from(s_bytes).map_err(|_| Error::VerificationFailed)?;
        let s = Option::<Scalar>::from(Scalar::from_canonical_bytes(&s_array)).ok_or(Error::VerificationFailed)?;
        h.update(r_bytes);
        h.update(&self.bytes);
        h.update(message);
        let k = Scalar::from_bytes_mod_order(&finish_wide(h));
        let r = self.point.neg().double_scalar_mul_vartime(&k, &s);
        if r.compress().as_slice() == r_bytes { Ok(()) } else { Err(Error::VerificationFailed) }
    }
}

impl PartialEq for VerifyingKey {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for VerifyingKey {}

impl core::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("VerifyingKey(")?;
        for b in self.bytes {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

/// An Ed448 private key (57-byte seed and its expansion). Zeroized on
/// drop; `Debug` shows only the public key.
#[derive(Clone)]
pub struct SigningKey {
    seed: [u8; SEED_LEN],
    scalar: Scalar,
    prefix: [u8; 57],
    public: VerifyingKey,
}

impl SigningKey {
    /// Derives the key pair from a 57-byte seed (RFC 8032 5.2.5).
    #[must_use]
    pub fn from_seed(seed: &[u8; SEED_LEN]) -> Self {
        let mut h = [0u8; 114];
        Shake256::digest(seed, &mut h);
        let mut a = [0u8; 57];
        let mut prefix = [0u8; 57];
        let (lo, hi) = h.split_at(57);
        a.copy_from_slice(lo);
        prefix.copy_from_slice(hi);
        h.zeroize();
        a[0] &= 252;
        a[56] = 0;
        a[55] |= 0x80;
        let scalar = Scalar::from_bytes_mod_order(&a);
        a.zeroize();
        let point = EdwardsPoint::mul_base(&scalar);
        Self { seed: *seed, scalar, prefix, public: VerifyingKey { bytes: point.compress(), point } }
    }

    /// A fresh key pair from `rng`.
    pub fn generate(rng: &mut impl CryptoRng) -> Self {
        let mut seed = [0u8; SEED_LEN];
        rng.fill_bytes(&mut seed);
        let key = Self::from_seed(&seed);
        seed.zeroize();
        key
    }

    /// The seed.
    #[must_use]
    pub fn to_seed(&self) -> [u8; SEED_LEN] {
        self.seed
    }

    /// The public key.
    #[must_use]
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.public
    }

    /// Signs `message` with Ed448 and `context` (empty for none).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a context over 255 bytes.
    pub fn sign(&self, context: &[u8], message: &[u8]) -> Result<Signature, Error> {
        self.sign_with(false, context, message)
    }

    /// Signs with Ed448ph (over SHAKE256(`message`, 64)).
    ///
    /// # Errors
    /// As [`SigningKey::sign`].
    pub fn sign_prehashed(&self, context: &[u8], message: &[u8]) -> Result<Signature, Error> {
        self.sign_with(true, context, &prehash(message))
    }

    fn sign_with(&self, ph: bool, context: &[u8], message: &[u8]) -> Result<Signature, Error> {
        let mut h = dom4(ph, context)?;
        let mut k_hash = h.clone();
        h.update(&self.prefix);
        h.update(message);
        let mut wide = finish_wide(h);
        let mut r = Scalar::from_bytes_mod_order(&wide);
        wide.zeroize();
        let r_bytes = EdwardsPoint::mul_base(&r).compress();
        k_hash.update(&r_bytes);
        k_hash.update(&self.public.bytes);
        k_hash.update(message);
        let k = Scalar::from_bytes_mod_order(&finish_wide(k_hash));
        let s = k.mul_add(&self.scalar, &r);
        r.zeroize();
        let mut sig = [0u8; SIGNATURE_LEN];
        let (rs, ss) = sig.split_at_mut(57);
        rs.copy_from_slice(&r_bytes);
        ss.copy_from_slice(&s.to_bytes());
        Ok(Signature(sig))
    }
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.seed.zeroize();
        self.scalar.zeroize();
        self.prefix.zeroize();
    }
}

impl ZeroizeOnDrop for SigningKey {}

impl PartialEq for SigningKey {
    fn eq(&self, other: &Self) -> bool {
        self.seed.ct_eq(&other.seed).into()
    }
}

impl Eq for SigningKey {}

impl core::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SigningKey").field("public", &self.public).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;
