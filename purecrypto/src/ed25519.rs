//! Ed25519 signatures (RFC 8032 section 5.1): pure Ed25519, Ed25519ctx and
//! Ed25519ph (SHA-512 prehash).
//!
//! Entry points: [`SigningKey::from_seed`] / [`SigningKey::generate`],
//! [`SigningKey::sign`] (and `sign_ctx`, `sign_prehashed`),
//! [`VerifyingKey::from_bytes`] and [`VerifyingKey::verify`] (and
//! `verify_ctx`, `verify_prehashed`), [`Signature::from_bytes`].
//!
//! Verification is strict. A public key must be a canonical encoding of a
//! curve point of large order (small-order keys are rejected: any
//! signature "verifies" under them for some messages). A signature is
//! rejected when S >= L, and R is never decoded: the verifier computes
//! R' = `[S]B` - `[k]A` (k = SHA-512(dom2 || R || A || M) mod L) in variable
//! time and accepts only when the canonical encoding of R' equals the 32
//! received bytes, so a non-canonical or off-curve R never matches. This
//! is the cofactorless equation `[S]B` = R + `[k]A` of RFC 8032 5.1.7, checked
//! on encodings. Signing is constant time (fixed-base table lookups by
//! scan, Montgomery scalar arithmetic).
//!
//! ```
//! use purecrypto::ed25519::SigningKey;
//! let key = SigningKey::from_seed(&[7; 32]);
//! let sig = key.sign(b"message");
//! assert!(key.verifying_key().verify(b"message", &sig).is_ok());
//! assert!(key.verifying_key().verify(b"massage", &sig).is_err());
//! ```

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;
use crate::curve25519::Scalar;
use crate::curve25519::edwards::EdwardsPoint;
use crate::hash::{Hash, Sha512};
use crate::rng::CryptoRng;

/// Seed length in bytes.
pub const SEED_LEN: usize = 32;
/// Public key length in bytes.
pub const PUBLIC_KEY_LEN: usize = 32;
/// Signature length in bytes.
pub const SIGNATURE_LEN: usize = 64;
/// Longest context RFC 8032 allows.
pub const MAX_CONTEXT_LEN: usize = 255;

/// Which of the three RFC 8032 variants, with its dom2 prefix.
#[derive(Clone, Copy)]
enum Variant<'a> {
    /// Ed25519: no prefix.
    Pure,
    /// Ed25519ctx (phflag 0) with a context.
    Ctx(&'a [u8]),
    /// Ed25519ph (phflag 1) with a context.
    Ph(&'a [u8]),
}

impl Variant<'_> {
    fn check(self) -> Result<(), Error> {
        match self {
            Variant::Pure => Ok(()),
            Variant::Ctx(c) | Variant::Ph(c) if c.len() > MAX_CONTEXT_LEN => {
                Err(Error::InvalidLength { what: "Ed25519 context", expected: "at most 255", actual: c.len() })
            }
            Variant::Ctx(_) | Variant::Ph(_) => Ok(()),
        }
    }

    /// Absorbs dom2(phflag, context).
    fn dom2(self, h: &mut Sha512) {
        let (flag, ctx) = match self {
            Variant::Pure => return,
            Variant::Ctx(c) => (0u8, c),
            Variant::Ph(c) => (1u8, c),
        };
        h.update(b"SigEd25519 no Ed25519 collisions");
        // check() bounds the length by 255.
        h.update(&[flag, ctx.len() as u8]);
        h.update(ctx);
    }
}

/// An Ed25519 signature: R (32 bytes) || S (32 bytes).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature([u8; SIGNATURE_LEN]);

impl Signature {
    /// Wraps 64 bytes; their validity is checked by verification.
    #[must_use]
    pub const fn from_bytes(bytes: &[u8; SIGNATURE_LEN]) -> Self {
        Self(*bytes)
    }

    /// From a slice.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] unless it is 64 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        let array = <[u8; SIGNATURE_LEN]>::try_from(bytes).map_err(|_| Error::InvalidLength {
            what: "Ed25519 signature",
            expected: "64",
            actual: bytes.len(),
        })?;
        Ok(Self(array))
    }

    /// The 64 bytes.
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; SIGNATURE_LEN] {
        self.0
    }

    fn split(&self) -> ([u8; 32], [u8; 32]) {
        let (r, s) = self.0.split_at(32);
        let mut rb = [0u8; 32];
        let mut sb = [0u8; 32];
        rb.copy_from_slice(r);
        sb.copy_from_slice(s);
        (rb, sb)
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

/// A validated Ed25519 public key.
#[derive(Clone, Copy)]
pub struct VerifyingKey {
    bytes: [u8; PUBLIC_KEY_LEN],
    point: EdwardsPoint,
}

impl VerifyingKey {
    /// Decodes and validates a public key.
    ///
    /// # Errors
    /// [`Error::Malformed`] for a non-canonical encoding or a y with no
    /// point on the curve; [`Error::InvalidKey`] for a point of small order.
    pub fn from_bytes(bytes: &[u8; PUBLIC_KEY_LEN]) -> Result<Self, Error> {
        let point = EdwardsPoint::decompress(bytes)
            .ok_or(Error::Malformed { what: "Ed25519 public key", reason: "not a canonical curve point" })?;
        if bool::from(point.is_small_order()) {
            return Err(Error::InvalidKey { reason: "Ed25519 public key has small order" });
        }
        Ok(Self { bytes: *bytes, point })
    }

    /// From a slice.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] unless it is 32 bytes, then as
    /// [`VerifyingKey::from_bytes`].
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        let array = <[u8; PUBLIC_KEY_LEN]>::try_from(bytes).map_err(|_| Error::InvalidLength {
            what: "Ed25519 public key",
            expected: "32",
            actual: bytes.len(),
        })?;
        Self::from_bytes(&array)
    }

    /// The 32-byte encoding.
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; PUBLIC_KEY_LEN] {
        self.bytes
    }

    /// Verifies an Ed25519 signature on `message`.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`] for any invalid signature.
    pub fn verify(&self, message: &[u8], signature: &Signature) -> Result<(), Error> {
        self.verify_with(Variant::Pure, &[message], signature)
    }

    /// Verifies an Ed25519ctx signature.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a context over 255 bytes;
    /// [`Error::VerificationFailed`] for an invalid signature.
    pub fn verify_ctx(&self, context: &[u8], message: &[u8], signature: &Signature) -> Result<(), Error> {
        self.verify_with(Variant::Ctx(context), &[message], signature)
    }

    /// Verifies an Ed25519ph signature over SHA-512(`message`).
    ///
    /// # Errors
    /// As [`VerifyingKey::verify_ctx`].
    pub fn verify_prehashed(&self, context: &[u8], message: &[u8], signature: &Signature) -> Result<(), Error> {
        self.verify_prehash_digest(context, &Sha512::digest(message), signature)
    }

    /// Verifies an Ed25519ph signature given the SHA-512 digest of the
    /// message.
    ///
    /// # Errors
    /// As [`VerifyingKey::verify_ctx`].
    pub fn verify_prehash_digest(&self, context: &[u8], digest: &[u8; 64], signature: &Signature) -> Result<(), Error> {
        self.verify_with(Variant::Ph(context), &[digest], signature)
    }

    fn verify_with(&self, variant: Variant<'_>, message: &[&[u8]], signature: &Signature) -> Result<(), Error> {
        variant.check()?;
        let (r_bytes, s_bytes) = signature.split();
        let s = Option::<Scalar>::from(Scalar::from_canonical_bytes(&s_bytes)).ok_or(Error::VerificationFailed)?;
        let k = challenge(variant, &r_bytes, &self.bytes, message);
        let r = self.point.neg().double_scalar_mul_base_vartime(&k, &s);
        if r.compress() == r_bytes { Ok(()) } else { Err(Error::VerificationFailed) }
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

/// k = SHA-512(dom2 || R || A || M) mod L.
fn challenge(variant: Variant<'_>, r: &[u8; 32], a: &[u8; 32], message: &[&[u8]]) -> Scalar {
    let mut h = Sha512::new();
    variant.dom2(&mut h);
    h.update(r);
    h.update(a);
    for part in message {
        h.update(part);
    }
    Scalar::from_bytes_mod_order_wide(&h.finalize())
}

/// An Ed25519 private key: the 32-byte seed and what RFC 8032 derives from
/// it. Zeroized on drop; `Debug` prints only the public key.
#[derive(Clone)]
pub struct SigningKey {
    seed: [u8; SEED_LEN],
    /// The clamped secret scalar, reduced modulo L.
    scalar: Scalar,
    /// The second half of SHA-512(seed), keying the nonce derivation.
    prefix: [u8; 32],
    public: VerifyingKey,
}

impl SigningKey {
    /// Derives the key pair from a 32-byte seed (RFC 8032 5.1.5).
    #[must_use]
    pub fn from_seed(seed: &[u8; SEED_LEN]) -> Self {
        let mut h = Sha512::digest(seed);
        let mut a = [0u8; 32];
        let mut prefix = [0u8; 32];
        let (lo, hi) = h.split_at(32);
        a.copy_from_slice(lo);
        prefix.copy_from_slice(hi);
        h.zeroize();
        a[0] &= 248;
        a[31] &= 127;
        a[31] |= 64;
        let point = EdwardsPoint::mul_base_bytes(&a);
        let scalar = Scalar::from_bytes_mod_order(&a);
        a.zeroize();
        let bytes = point.compress();
        Self { seed: *seed, scalar, prefix, public: VerifyingKey { bytes, point } }
    }

    /// A fresh key pair from `rng`.
    pub fn generate(rng: &mut impl CryptoRng) -> Self {
        let mut seed = [0u8; SEED_LEN];
        rng.fill_bytes(&mut seed);
        let key = Self::from_seed(&seed);
        seed.zeroize();
        key
    }

    /// The seed (the RFC 8032 private key).
    #[must_use]
    pub fn to_seed(&self) -> [u8; SEED_LEN] {
        self.seed
    }

    /// The public key.
    #[must_use]
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.public
    }

    /// Signs `message` with pure Ed25519.
    #[must_use]
    pub fn sign(&self, message: &[u8]) -> Signature {
        self.sign_with(Variant::Pure, &[message])
    }

    /// Signs with Ed25519ctx.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a context over 255 bytes.
    pub fn sign_ctx(&self, context: &[u8], message: &[u8]) -> Result<Signature, Error> {
        let v = Variant::Ctx(context);
        v.check()?;
        Ok(self.sign_with(v, &[message]))
    }

    /// Signs with Ed25519ph: the signature covers SHA-512(`message`).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a context over 255 bytes.
    pub fn sign_prehashed(&self, context: &[u8], message: &[u8]) -> Result<Signature, Error> {
        self.sign_prehash_digest(context, &Sha512::digest(message))
    }

    /// Signs with Ed25519ph given the SHA-512 digest of the message.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a context over 255 bytes.
    pub fn sign_prehash_digest(&self, context: &[u8], digest: &[u8; 64]) -> Result<Signature, Error> {
        let v = Variant::Ph(context);
        v.check()?;
        Ok(self.sign_with(v, &[digest]))
    }

    fn sign_with(&self, variant: Variant<'_>, message: &[&[u8]]) -> Signature {
        let mut h = Sha512::new();
        variant.dom2(&mut h);
        h.update(&self.prefix);
        for part in message {
            h.update(part);
        }
        let mut wide = h.finalize();
        let mut r = Scalar::from_bytes_mod_order_wide(&wide);
        wide.zeroize();
        let r_bytes = EdwardsPoint::mul_base(&r).compress();
        let k = challenge(variant, &r_bytes, &self.public.bytes, message);
        let s = k.mul_add(&self.scalar, &r);
        r.zeroize();
        let mut sig = [0u8; SIGNATURE_LEN];
        let (rs, ss) = sig.split_at_mut(32);
        rs.copy_from_slice(&r_bytes);
        ss.copy_from_slice(&s.to_bytes());
        Signature(sig)
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

pub(crate) mod fuzz;
#[cfg(test)]
mod tests;
