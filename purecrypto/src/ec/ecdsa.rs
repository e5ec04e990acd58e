//! ECDSA (FIPS 186-5 section 6) over any [`Curve`]: deterministic nonces
//! (RFC 6979), hedged nonces (RFC 6979 section 3.6 with caller entropy),
//! signatures as fixed-size `r || s` (IEEE P1363) or DER
//! `ECDSA-Sig-Value`, and public-key recovery with a recovery id.
//!
//! Entry points: [`SigningKey::sign`] / [`SigningKey::sign_prehash`]
//! (and `_hedged`), [`VerifyingKey::verify`] /
//! [`VerifyingKey::verify_prehash`], [`Signature`] with
//! [`Signature::from_p1363`], [`Signature::from_der`],
//! [`Signature::normalize_s`], and [`VerifyingKey::recover_from_prehash`].
//!
//! A digest longer than the order is truncated to its leftmost bits
//! (`bits2int`); a shorter one is used whole. Signing is constant-time in
//! the key, the nonce and the digest; verification runs in variable time
//! on public values.

use alloc::vec::Vec;
use core::fmt;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, CtOption};
use zeroize::Zeroizing;

use super::curve::Curve;
use super::field::Field;
use super::keys::{PublicKey, SecretKey};
use super::point::ProjectivePoint;
use super::rfc6979;
use crate::Error;
use crate::asn1::der::{Reader, Writer};
use crate::hash::HashAlgorithm;
use crate::rng::CryptoRng;

/// An ECDSA signature `(r, s)` with `1 <= r, s < n`.
#[derive(Clone, Copy)]
pub struct Signature<C: Curve> {
    r: C::Scalar,
    s: C::Scalar,
}

impl<C: Curve> fmt::Debug for Signature<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature<{}>(", C::NAME)?;
        for b in self.to_p1363() {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

impl<C: Curve> PartialEq for Signature<C> {
    fn eq(&self, other: &Self) -> bool {
        (self.r.ct_eq(&other.r) & self.s.ct_eq(&other.s)).unwrap_u8() == 1
    }
}
impl<C: Curve> Eq for Signature<C> {}

impl<C: Curve> ConditionallySelectable for Signature<C> {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        Self {
            r: C::Scalar::conditional_select(&a.r, &b.r, choice),
            s: C::Scalar::conditional_select(&a.s, &b.s, choice),
        }
    }
}

impl<C: Curve> Default for Signature<C> {
    fn default() -> Self {
        Self { r: C::Scalar::ONE, s: C::Scalar::ONE }
    }
}

/// Big-endian bytes of a scalar, order length.
fn scalar_to_vec<S: Field>(s: &S) -> Vec<u8> {
    let mut out = alloc::vec![0u8; S::BYTES];
    s.write_be_bytes(&mut out);
    out
}

/// A scalar in `[1, n-1]` from big-endian bytes of any length whose
/// value fits (leading zeros allowed).
fn scalar_in_range<S: Field>(bytes: &[u8]) -> Option<S> {
    let stripped = {
        let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        bytes.get(first..).unwrap_or_default()
    };
    if stripped.len() > S::BYTES {
        return None;
    }
    let mut padded = alloc::vec![0u8; S::BYTES];
    padded.get_mut(S::BYTES - stripped.len()..)?.copy_from_slice(stripped);
    let v = Option::<S>::from(S::from_be_bytes(&padded))?;
    if v.is_zero().unwrap_u8() == 1 { None } else { Some(v) }
}

impl<C: Curve> Signature<C> {
    /// Builds a signature from `r` and `s` given as big-endian integers
    /// (leading zeros allowed).
    ///
    /// # Errors
    /// [`Error::Malformed`] when either is zero or not below `n`.
    pub fn from_scalars(r: &[u8], s: &[u8]) -> Result<Self, Error> {
        const BAD: Error = Error::Malformed { what: "ECDSA signature", reason: "r or s not in [1, n-1]" };
        let r = scalar_in_range::<C::Scalar>(r).ok_or(BAD)?;
        let s = scalar_in_range::<C::Scalar>(s).ok_or(BAD)?;
        Ok(Self { r, s })
    }

    /// Decodes IEEE P1363 `r || s` (each exactly the order length).
    ///
    /// # Errors
    /// [`Error::Malformed`] for a wrong length or an out-of-range value.
    pub fn from_p1363(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() != 2 * C::Scalar::BYTES {
            return Err(Error::Malformed { what: "ECDSA signature", reason: "P1363 length is not 2 * order length" });
        }
        let (r, s) = bytes.split_at(C::Scalar::BYTES);
        Self::from_scalars(r, s)
    }

    /// IEEE P1363 `r || s`.
    #[must_use]
    pub fn to_p1363(&self) -> Vec<u8> {
        let mut out = scalar_to_vec(&self.r);
        out.extend_from_slice(&scalar_to_vec(&self.s));
        out
    }

    /// Decodes a DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`
    /// with the crate's strict DER reader (minimal lengths and integers,
    /// no trailing bytes).
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad DER or out-of-range values.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        let mut reader = Reader::new(der);
        let mut seq = reader.sequence()?;
        let r = seq.unsigned_integer()?;
        let s = seq.unsigned_integer()?;
        seq.finish()?;
        reader.finish()?;
        Self::from_scalars(r, s)
    }

    /// DER `ECDSA-Sig-Value`.
    #[must_use]
    pub fn to_der(&self) -> Vec<u8> {
        let (r, s) = (scalar_to_vec(&self.r), scalar_to_vec(&self.s));
        let mut w = Writer::new();
        w.sequence(|w| {
            w.unsigned_integer(&r);
            w.unsigned_integer(&s);
        });
        w.finish()
    }

    /// `r`, big-endian, order length.
    #[must_use]
    pub fn r_bytes(&self) -> Vec<u8> {
        scalar_to_vec(&self.r)
    }

    /// `s`, big-endian, order length.
    #[must_use]
    pub fn s_bytes(&self) -> Vec<u8> {
        scalar_to_vec(&self.s)
    }

    /// Whether `s <= n / 2` (the "low-S" form Bitcoin requires).
    #[must_use]
    pub fn is_low_s(&self) -> bool {
        // s > n/2  <=>  n - s < s.
        scalar_to_vec(&self.s) <= scalar_to_vec(&self.s.neg())
    }

    /// The low-S twin: `(r, n - s)` when `s > n / 2`, unchanged otherwise.
    /// Both verify; low-S removes the malleability.
    #[must_use]
    pub fn normalize_s(&self) -> Self {
        if self.is_low_s() { *self } else { Self { r: self.r, s: self.s.neg() } }
    }
}

/// The result of [`SigningKey::sign_prehash_recoverable`]: bit 0 is the
/// parity of `R.y`, bit 1 says `R.x >= n` (`r` was reduced).
pub type RecoveryId = u8;

/// A private key that signs.
#[derive(Clone)]
pub struct SigningKey<C: Curve> {
    secret: SecretKey<C>,
    public: PublicKey<C>,
}

impl<C: Curve> fmt::Debug for SigningKey<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey").field("public", &self.public).finish_non_exhaustive()
    }
}

impl<C: Curve> From<SecretKey<C>> for SigningKey<C> {
    fn from(secret: SecretKey<C>) -> Self {
        let public = secret.public_key();
        Self { secret, public }
    }
}

impl<C: Curve> SigningKey<C> {
    /// Imports a big-endian private scalar (order length).
    ///
    /// # Errors
    /// As [`SecretKey::from_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        SecretKey::from_bytes(bytes).map(Self::from)
    }

    /// A fresh random key.
    ///
    /// # Errors
    /// Whatever the generator reports.
    pub fn generate(rng: &mut impl CryptoRng) -> Result<Self, Error> {
        SecretKey::generate(rng).map(Self::from)
    }

    /// The private key.
    #[must_use]
    pub fn secret_key(&self) -> &SecretKey<C> {
        &self.secret
    }

    /// The matching public key.
    #[must_use]
    pub fn verifying_key(&self) -> VerifyingKey<C> {
        VerifyingKey { public: self.public }
    }

    /// Hashes `msg` with `hash` and signs with an RFC 6979 nonce.
    ///
    /// # Errors
    /// Only in the negligible case that `r` or `s` is zero for the
    /// deterministic nonce ([`Error::InvalidParameter`]).
    pub fn sign(&self, hash: HashAlgorithm, msg: &[u8]) -> Result<Signature<C>, Error> {
        self.sign_prehash(hash, &hash.hash(msg))
    }

    /// Signs a digest computed elsewhere with `hash` (which also keys the
    /// RFC 6979 HMAC).
    ///
    /// # Errors
    /// As [`Self::sign`].
    pub fn sign_prehash(&self, hash: HashAlgorithm, digest: &[u8]) -> Result<Signature<C>, Error> {
        self.sign_prehash_with_extra(hash, digest, &[])
    }

    /// Hashes and signs with a hedged nonce: RFC 6979 seeded also with
    /// fresh bytes from `rng` (section 3.6).
    ///
    /// # Errors
    /// The generator's error, or as [`Self::sign`].
    pub fn sign_hedged(
        &self,
        hash: HashAlgorithm,
        msg: &[u8],
        rng: &mut impl CryptoRng,
    ) -> Result<Signature<C>, Error> {
        self.sign_prehash_hedged(hash, &hash.hash(msg), rng)
    }

    /// Signs a digest with a hedged nonce.
    ///
    /// # Errors
    /// As [`Self::sign_hedged`].
    pub fn sign_prehash_hedged(
        &self,
        hash: HashAlgorithm,
        digest: &[u8],
        rng: &mut impl CryptoRng,
    ) -> Result<Signature<C>, Error> {
        let mut extra = Zeroizing::new(alloc::vec![0u8; C::Scalar::BYTES]);
        rng.try_fill_bytes(&mut extra)?;
        self.sign_prehash_with_extra(hash, digest, &extra)
    }

    fn sign_prehash_with_extra(&self, hash: HashAlgorithm, digest: &[u8], extra: &[u8]) -> Result<Signature<C>, Error> {
        let k = Zeroizing::new(rfc6979::generate_k::<C::Scalar>(hash, self.secret.scalar(), digest, extra));
        let (sig, _, ok) = self.sign_core(&k, digest);
        if ok.unwrap_u8() == 1 {
            Ok(sig)
        } else {
            Err(Error::InvalidParameter { what: "ECDSA nonce", reason: "r or s was zero" })
        }
    }

    /// Signs a digest with a caller-chosen nonce `k` (big-endian, order
    /// length). Reusing or biasing `k` reveals the key: this exists for
    /// known-answer tests (NIST ACVP SigGen) and protocol experiments.
    /// The returned option is empty when `k` is out of range or `r` / `s`
    /// is zero; nothing branches on the secret values.
    #[must_use]
    pub fn dangerous_sign_prehash_with_nonce(&self, digest: &[u8], k: &[u8]) -> CtOption<Signature<C>> {
        let k_opt = if k.len() == C::Scalar::BYTES {
            C::Scalar::from_be_bytes(k)
        } else {
            CtOption::new(C::Scalar::ZERO, Choice::from(0))
        };
        let k_ok = k_opt.is_some();
        let k = Zeroizing::new(k_opt.unwrap_or(C::Scalar::ZERO));
        let (sig, _, ok) = self.sign_core(&k, digest);
        CtOption::new(sig, ok & k_ok)
    }

    /// Signs a digest (RFC 6979 nonce) and also returns the recovery id;
    /// with `low_s` the signature is normalised (`s <= n/2`, recovery id
    /// adjusted), as Bitcoin and Ethereum require.
    ///
    /// # Errors
    /// As [`Self::sign`].
    pub fn sign_prehash_recoverable(
        &self,
        hash: HashAlgorithm,
        digest: &[u8],
        low_s: bool,
    ) -> Result<(Signature<C>, RecoveryId), Error> {
        let k = Zeroizing::new(rfc6979::generate_k::<C::Scalar>(hash, self.secret.scalar(), digest, &[]));
        let (sig, recid, ok) = self.sign_core(&k, digest);
        if ok.unwrap_u8() != 1 {
            return Err(Error::InvalidParameter { what: "ECDSA nonce", reason: "r or s was zero" });
        }
        if low_s && !sig.is_low_s() { Ok((sig.normalize_s(), recid ^ 1)) } else { Ok((sig, recid)) }
    }

    /// The signing equation, branch-free: `R = k*G`, `r = R.x mod n`,
    /// `s = k^-1 (e + r*d) mod n`; also the recovery id.
    fn sign_core(&self, k: &C::Scalar, digest: &[u8]) -> (Signature<C>, RecoveryId, Choice) {
        let e = rfc6979::digest_to_scalar::<C::Scalar>(digest);
        let big_r = ProjectivePoint::<C>::mul_base(k);
        let (x, y, finite) = big_r.affine_parts();
        let mut xb = [0u8; super::point::MAX_BYTES];
        let xb = xb.get_mut(..C::Fe::BYTES).unwrap_or_default();
        x.write_be_bytes(xb);
        let r = C::Scalar::reduce_be_bytes(xb);
        // x >= n exactly when reducing changed it.
        let mut rb = [0u8; super::point::MAX_BYTES];
        let rb = rb.get_mut(..C::Scalar::BYTES).unwrap_or_default();
        r.write_be_bytes(rb);
        let overflow = !rb.ct_eq(xb);
        let recid = y.is_odd().unwrap_u8() | (overflow.unwrap_u8() << 1);
        let s = k.invert().mul(&e.add(&r.mul(self.secret.scalar())));
        let ok = finite & !r.is_zero() & !s.is_zero() & !k.is_zero();
        (Signature { r, s }, recid, ok)
    }
}

/// A public key that verifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyingKey<C: Curve> {
    public: PublicKey<C>,
}

impl<C: Curve> From<PublicKey<C>> for VerifyingKey<C> {
    fn from(public: PublicKey<C>) -> Self {
        Self { public }
    }
}

impl<C: Curve> VerifyingKey<C> {
    /// Decodes a SEC1 point.
    ///
    /// # Errors
    /// As [`PublicKey::from_sec1`].
    pub fn from_sec1(bytes: &[u8]) -> Result<Self, Error> {
        PublicKey::from_sec1(bytes).map(Self::from)
    }

    /// The public key.
    #[must_use]
    pub fn public_key(&self) -> &PublicKey<C> {
        &self.public
    }

    /// Hashes `msg` with `hash` and verifies.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`].
    pub fn verify(&self, hash: HashAlgorithm, msg: &[u8], sig: &Signature<C>) -> Result<(), Error> {
        self.verify_prehash(&hash.hash(msg), sig)
    }

    /// Verifies a signature over a digest.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`].
    pub fn verify_prehash(&self, digest: &[u8], sig: &Signature<C>) -> Result<(), Error> {
        let e = rfc6979::digest_to_scalar::<C::Scalar>(digest);
        let w = sig.s.invert();
        let u1 = e.mul(&w);
        let u2 = sig.r.mul(&w);
        let big_r = ProjectivePoint::mul2_vartime(&u1, &u2, self.public.point());
        if big_r.x_matches_vartime(&sig.r) { Ok(()) } else { Err(Error::VerificationFailed) }
    }

    /// Verifies a DER-encoded signature over `msg`.
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad DER, [`Error::VerificationFailed`].
    pub fn verify_der(&self, hash: HashAlgorithm, msg: &[u8], der: &[u8]) -> Result<(), Error> {
        self.verify(hash, msg, &Signature::from_der(der)?)
    }

    /// Recovers the public key from a signature over `digest` and its
    /// recovery id (SEC1 section 4.1.6): `Q = r^-1 (s*R - e*G)`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an id above 3, [`Error::VerificationFailed`]
    /// when no key fits.
    pub fn recover_from_prehash(digest: &[u8], sig: &Signature<C>, recid: RecoveryId) -> Result<Self, Error> {
        if recid > 3 {
            return Err(Error::InvalidParameter { what: "ECDSA recovery id", reason: "0 to 3" });
        }
        let mut rb = alloc::vec![0u8; C::Fe::BYTES];
        sig.r.write_be_bytes(&mut rb);
        let r_fe = Option::<C::Fe>::from(C::Fe::from_be_bytes(&rb)).ok_or(Error::VerificationFailed)?;
        let x = if recid & 2 != 0 {
            let mut p_minus_n = alloc::vec![0u8; C::Fe::BYTES];
            C::ORDER.neg().write_be_bytes(&mut p_minus_n);
            if rb >= p_minus_n {
                return Err(Error::VerificationFailed);
            }
            r_fe.add(&C::ORDER)
        } else {
            r_fe
        };
        let mut enc = alloc::vec![0x02 | (recid & 1)];
        let mut xb = alloc::vec![0u8; C::Fe::BYTES];
        x.write_be_bytes(&mut xb);
        enc.extend_from_slice(&xb);
        let big_r = ProjectivePoint::<C>::from_sec1(&enc).map_err(|_| Error::VerificationFailed)?;
        let e = rfc6979::digest_to_scalar::<C::Scalar>(digest);
        let r_inv = sig.r.invert();
        let u1 = e.neg().mul(&r_inv);
        let u2 = sig.s.mul(&r_inv);
        let q = ProjectivePoint::mul2_vartime(&u1, &u2, &big_r);
        let key = PublicKey::from_point(q).map_err(|_| Error::VerificationFailed)?;
        let vk = Self::from(key);
        vk.verify_prehash(digest, sig)?;
        Ok(vk)
    }
}

#[cfg(test)]
mod tests {
    use hex_literal::hex;

    use super::*;
    use crate::ec::{P256, P384, P521, Secp256k1};

    /// RFC 6979 A.2.5: P-256, SHA-256, "sample".
    #[test]
    fn rfc6979_p256_sample_signature() {
        let key =
            SigningKey::<P256>::from_bytes(&hex!("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721"))
                .unwrap();
        let sig = key.sign(HashAlgorithm::Sha256, b"sample").unwrap();
        assert_eq!(
            sig.to_p1363(),
            hex!(
                "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"
                "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"
            )
        );
        let vk = key.verifying_key();
        vk.verify(HashAlgorithm::Sha256, b"sample", &sig).unwrap();
        assert_eq!(vk.verify(HashAlgorithm::Sha256, b"samplf", &sig), Err(Error::VerificationFailed));
        let der = sig.to_der();
        assert_eq!(Signature::<P256>::from_der(&der).unwrap(), sig);
        vk.verify_der(HashAlgorithm::Sha256, b"sample", &der).unwrap();
    }

    fn round_trip<C: Curve>() {
        let key = SigningKey::<C>::generate(&mut crate::rng::OsRng).unwrap();
        let vk = key.verifying_key();
        for hash in [HashAlgorithm::Sha256, HashAlgorithm::Sha512] {
            let sig = key.sign(hash, b"round trip").unwrap();
            vk.verify(hash, b"round trip", &sig).unwrap();
            let hedged = key.sign_hedged(hash, b"round trip", &mut crate::rng::OsRng).unwrap();
            vk.verify(hash, b"round trip", &hedged).unwrap();
            assert_ne!(hedged, sig);
            assert_eq!(Signature::<C>::from_p1363(&sig.to_p1363()).unwrap(), sig);
            assert!(vk.verify(hash, b"round trip", &sig.normalize_s()).is_ok());
            let digest = hash.hash(b"recover me");
            let (rsig, recid) = key.sign_prehash_recoverable(hash, &digest, true).unwrap();
            assert!(rsig.is_low_s());
            assert_eq!(VerifyingKey::<C>::recover_from_prehash(&digest, &rsig, recid).unwrap(), vk);
        }
    }

    #[test]
    fn round_trips() {
        round_trip::<P256>();
        round_trip::<P384>();
        round_trip::<P521>();
        round_trip::<Secp256k1>();
    }

    #[test]
    fn debug_hides_the_secret() {
        let key = SigningKey::<P256>::from_bytes(&[0x11; 32]).unwrap();
        let text = alloc::format!("{key:?} {:?}", key.secret_key());
        assert!(!text.contains("1111"));
    }
}
