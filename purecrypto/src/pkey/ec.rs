//! Elliptic-curve keys in the facade: P-256, P-384, P-521 and secp256k1,
//! PKCS #8 / SEC1 `ECPrivateKey` inside, `id-ecPublicKey` with a named
//! curve in `SubjectPublicKeyInfo` (RFC 5480 / RFC 5915).
//!
//! Entry points: [`EcCurve`], [`EcPrivateKey`], [`EcPublicKey`]. One enum
//! arm per curve, dispatched by the `per_curve!` macro, so the generic
//! `crate::ec` code does the work and this file only routes.

use alloc::vec::Vec;
use zeroize::Zeroizing;

use crate::Error;
use crate::asn1::der::{Reader, Writer};
use crate::asn1::oid;
use crate::ec::{Curve, P256, P384, P521, Secp256k1, ecdh, ecdsa, sec1};
use crate::hash::HashAlgorithm;
use crate::rng::CryptoRng;

/// A named curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EcCurve {
    /// NIST P-256 (`prime256v1`).
    P256,
    /// NIST P-384 (`secp384r1`).
    P384,
    /// NIST P-521 (`secp521r1`).
    P521,
    /// secp256k1.
    Secp256k1,
}

impl EcCurve {
    /// Every curve.
    pub const ALL: [Self; 4] = [Self::P256, Self::P384, Self::P521, Self::Secp256k1];

    /// The NIST name (`P-256`), or `secp256k1`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::P256 => "P-256",
            Self::P384 => "P-384",
            Self::P521 => "P-521",
            Self::Secp256k1 => "secp256k1",
        }
    }

    /// The ASN.1 / OpenSSL short name (`prime256v1`, `secp384r1`).
    #[must_use]
    pub const fn asn1_name(self) -> &'static str {
        match self {
            Self::P256 => "prime256v1",
            Self::P384 => "secp384r1",
            Self::P521 => "secp521r1",
            Self::Secp256k1 => "secp256k1",
        }
    }

    /// The curve named `name` in either spelling (case-insensitive), as
    /// `-pkeyopt ec_paramgen_curve:` takes it.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        let alias = |c: Self| match c {
            Self::P256 => "secp256r1",
            _ => c.asn1_name(),
        };
        Self::ALL.into_iter().find(|c| {
            name.eq_ignore_ascii_case(c.name())
                || name.eq_ignore_ascii_case(c.asn1_name())
                || name.eq_ignore_ascii_case(alias(*c))
        })
    }

    /// The named-curve OID's contents.
    #[must_use]
    pub const fn oid(self) -> &'static [u8] {
        match self {
            Self::P256 => oid::SECP256R1,
            Self::P384 => oid::SECP384R1,
            Self::P521 => oid::SECP521R1,
            Self::Secp256k1 => oid::SECP256K1,
        }
    }

    /// The curve whose OID has `contents`.
    #[must_use]
    pub fn from_oid(contents: &[u8]) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.oid() == contents)
    }

    /// The curve named by DER `ECParameters` (a `namedCurve` OID; explicit
    /// parameters are refused).
    ///
    /// # Errors
    /// [`Error::Unsupported`] for explicit parameters or another curve,
    /// [`Error::Malformed`] for bad DER.
    pub fn from_parameters(der: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(der);
        if r.peek_tag() != Some(0x06) {
            return Err(Error::Unsupported { what: "explicit or implicit EC curve parameters" });
        }
        let curve = r.oid()?;
        r.finish()?;
        Self::from_oid(curve).ok_or(Error::Unsupported { what: "EC curve" })
    }

    /// The DER `ECParameters` naming this curve.
    #[must_use]
    pub fn parameters(self) -> Vec<u8> {
        let mut w = Writer::new();
        w.oid(self.oid());
        w.finish()
    }

    /// The order's bit length (what `-text` prints).
    #[must_use]
    pub const fn bits(self) -> usize {
        match self {
            Self::P256 | Self::Secp256k1 => 256,
            Self::P384 => 384,
            Self::P521 => 521,
        }
    }

    /// The hash conventionally paired with the curve.
    #[must_use]
    pub const fn default_hash(self) -> HashAlgorithm {
        match self {
            Self::P256 | Self::Secp256k1 => HashAlgorithm::Sha256,
            Self::P384 => HashAlgorithm::Sha384,
            Self::P521 => HashAlgorithm::Sha512,
        }
    }
}

/// Runs `$body` with `$k` bound to the per-curve key inside `$value`.
macro_rules! per_curve {
    ($ty:ident, $value:expr, $k:ident => $body:expr) => {
        match $value {
            $ty::P256($k) => $body,
            $ty::P384($k) => $body,
            $ty::P521($k) => $body,
            $ty::Secp256k1($k) => $body,
        }
    };
}

/// An EC private key (an ECDSA signing key, also used for ECDH).
/// Zeroized on drop by the curve code; `Debug` prints only the curve.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum EcPrivateKey {
    /// On P-256.
    P256(ecdsa::SigningKey<P256>),
    /// On P-384.
    P384(ecdsa::SigningKey<P384>),
    /// On P-521.
    P521(ecdsa::SigningKey<P521>),
    /// On secp256k1.
    Secp256k1(ecdsa::SigningKey<Secp256k1>),
}

fn decode_sec1<C: Curve>(der: &[u8]) -> Result<ecdsa::SigningKey<C>, Error> {
    sec1::decode_private_key::<C>(der).map(Into::into)
}

impl EcPrivateKey {
    /// A fresh key on `curve`.
    ///
    /// # Errors
    /// The generator's error.
    pub fn generate(curve: EcCurve, rng: &mut (impl CryptoRng + ?Sized)) -> Result<Self, Error> {
        // The curve code wants a sized generator; `&mut R` is one.
        let mut rng = rng;
        Ok(match curve {
            EcCurve::P256 => Self::P256(ecdsa::SigningKey::generate(&mut rng)?),
            EcCurve::P384 => Self::P384(ecdsa::SigningKey::generate(&mut rng)?),
            EcCurve::P521 => Self::P521(ecdsa::SigningKey::generate(&mut rng)?),
            EcCurve::Secp256k1 => Self::Secp256k1(ecdsa::SigningKey::generate(&mut rng)?),
        })
    }

    /// Decodes an RFC 5915 `ECPrivateKey` on `curve`.
    ///
    /// # Errors
    /// As [`sec1::decode_private_key`].
    pub fn from_sec1_der(curve: EcCurve, der: &[u8]) -> Result<Self, Error> {
        Ok(match curve {
            EcCurve::P256 => Self::P256(decode_sec1(der)?),
            EcCurve::P384 => Self::P384(decode_sec1(der)?),
            EcCurve::P521 => Self::P521(decode_sec1(der)?),
            EcCurve::Secp256k1 => Self::Secp256k1(decode_sec1(der)?),
        })
    }

    /// Decodes a stand-alone RFC 5915 `ECPrivateKey` (`EC PRIVATE KEY`),
    /// which must name its curve in the `[0]` parameters.
    ///
    /// # Errors
    /// [`Error::Unsupported`] without named-curve parameters; as
    /// [`from_sec1_der`](Self::from_sec1_der).
    pub fn from_sec1_der_any_curve(der: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(der);
        let mut seq = r.sequence()?;
        seq.small_unsigned()?;
        seq.octet_string()?;
        let params = seq.optional_explicit(0)?.ok_or(Error::Unsupported { what: "EC private key without a curve" })?;
        let curve = {
            let mut params = params;
            let curve = EcCurve::from_oid(params.oid()?).ok_or(Error::Unsupported { what: "EC curve" })?;
            params.finish()?;
            curve
        };
        Self::from_sec1_der(curve, der)
    }

    /// The RFC 5915 `ECPrivateKey` DER (with curve and public key, as
    /// OpenSSL writes it).
    #[must_use]
    pub fn to_sec1_der(&self) -> Zeroizing<Vec<u8>> {
        per_curve!(Self, self, k => sec1::encode_private_key(k.secret_key()))
    }

    /// The `ECPrivateKey` as it sits inside PKCS #8: without the `[0]`
    /// curve (the `AlgorithmIdentifier` names it) but with the public key,
    /// byte for byte what OpenSSL writes.
    #[must_use]
    pub fn to_pkcs8_octets(&self) -> Zeroizing<Vec<u8>> {
        let scalar = self.scalar_bytes();
        let public = self.public_key();
        let mut w = Writer::new();
        w.sequence(|w| {
            w.small_unsigned(1);
            w.octet_string(&scalar);
            w.explicit(1, |w| w.bit_string(public.as_bytes()));
        });
        Zeroizing::new(w.finish())
    }

    /// The curve.
    #[must_use]
    pub const fn curve(&self) -> EcCurve {
        match self {
            Self::P256(_) => EcCurve::P256,
            Self::P384(_) => EcCurve::P384,
            Self::P521(_) => EcCurve::P521,
            Self::Secp256k1(_) => EcCurve::Secp256k1,
        }
    }

    /// The private scalar, big-endian at the order's length.
    #[must_use]
    pub fn scalar_bytes(&self) -> Zeroizing<Vec<u8>> {
        per_curve!(Self, self, k => k.secret_key().to_bytes())
    }

    /// The matching public key.
    #[must_use]
    pub fn public_key(&self) -> EcPublicKey {
        match self {
            Self::P256(k) => EcPublicKey::new(EcPoint::P256(k.verifying_key())),
            Self::P384(k) => EcPublicKey::new(EcPoint::P384(k.verifying_key())),
            Self::P521(k) => EcPublicKey::new(EcPoint::P521(k.verifying_key())),
            Self::Secp256k1(k) => EcPublicKey::new(EcPoint::Secp256k1(k.verifying_key())),
        }
    }

    /// An ECDSA signature (DER `ECDSA-Sig-Value`) over `msg` hashed with
    /// `hash`, with a hedged nonce (RFC 6979 plus fresh bytes of `rng`).
    ///
    /// # Errors
    /// The generator's error.
    pub fn sign(&self, hash: HashAlgorithm, msg: &[u8], rng: &mut impl CryptoRng) -> Result<Vec<u8>, Error> {
        per_curve!(Self, self, k => Ok(k.sign_hedged(hash, msg, rng)?.to_der()))
    }

    /// As [`sign`](Self::sign) over a digest computed elsewhere (`hash`
    /// names it for the nonce derivation).
    ///
    /// # Errors
    /// The generator's error.
    pub fn sign_digest(&self, hash: HashAlgorithm, digest: &[u8], rng: &mut impl CryptoRng) -> Result<Vec<u8>, Error> {
        per_curve!(Self, self, k => Ok(k.sign_prehash_hedged(hash, digest, rng)?.to_der()))
    }

    /// ECDH with `peer` (which must be on the same curve): the
    /// x-coordinate of the shared point.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for a peer on another curve.
    pub fn derive(&self, peer: &EcPublicKey) -> Result<Zeroizing<Vec<u8>>, Error> {
        let other = || Error::InvalidKey { reason: "the peer key is on another curve" };
        let secret = match (self, &peer.point) {
            (Self::P256(k), EcPoint::P256(p)) => ecdh::diffie_hellman(k.secret_key(), p.public_key())?,
            (Self::P384(k), EcPoint::P384(p)) => ecdh::diffie_hellman(k.secret_key(), p.public_key())?,
            (Self::P521(k), EcPoint::P521(p)) => ecdh::diffie_hellman(k.secret_key(), p.public_key())?,
            (Self::Secp256k1(k), EcPoint::Secp256k1(p)) => ecdh::diffie_hellman(k.secret_key(), p.public_key())?,
            _ => return Err(other()),
        };
        Ok(Zeroizing::new(secret.as_bytes().to_vec()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EcPoint {
    P256(ecdsa::VerifyingKey<P256>),
    P384(ecdsa::VerifyingKey<P384>),
    P521(ecdsa::VerifyingKey<P521>),
    Secp256k1(ecdsa::VerifyingKey<Secp256k1>),
}

/// An EC public key (checked on the curve), with its uncompressed SEC1
/// encoding kept for [`as_bytes`](Self::as_bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcPublicKey {
    point: EcPoint,
    sec1: Vec<u8>,
}

fn verifying<C: Curve>(bytes: &[u8]) -> Result<ecdsa::VerifyingKey<C>, Error> {
    ecdsa::VerifyingKey::from_sec1(bytes)
}

impl EcPublicKey {
    fn new(point: EcPoint) -> Self {
        let sec1 = per_curve!(EcPoint, &point, k => k.public_key().to_sec1(false));
        Self { point, sec1 }
    }

    /// Decodes a SEC1 point (compressed or not) on `curve`.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] / [`Error::Malformed`] for a bad point.
    pub fn from_sec1(curve: EcCurve, bytes: &[u8]) -> Result<Self, Error> {
        Ok(Self::new(match curve {
            EcCurve::P256 => EcPoint::P256(verifying(bytes)?),
            EcCurve::P384 => EcPoint::P384(verifying(bytes)?),
            EcCurve::P521 => EcPoint::P521(verifying(bytes)?),
            EcCurve::Secp256k1 => EcPoint::Secp256k1(verifying(bytes)?),
        }))
    }

    /// The curve.
    #[must_use]
    pub const fn curve(&self) -> EcCurve {
        match self.point {
            EcPoint::P256(_) => EcCurve::P256,
            EcPoint::P384(_) => EcCurve::P384,
            EcPoint::P521(_) => EcCurve::P521,
            EcPoint::Secp256k1(_) => EcCurve::Secp256k1,
        }
    }

    /// The uncompressed SEC1 point `04 || X || Y`.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.sec1
    }

    /// Verifies a DER ECDSA signature over `msg` hashed with `hash`.
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad DER, [`Error::VerificationFailed`].
    pub fn verify(&self, hash: HashAlgorithm, msg: &[u8], der: &[u8]) -> Result<(), Error> {
        per_curve!(EcPoint, &self.point, k => k.verify_der(hash, msg, der))
    }

    /// Verifies a DER ECDSA signature over a precomputed digest.
    ///
    /// # Errors
    /// As [`verify`](Self::verify).
    pub fn verify_digest(&self, digest: &[u8], der: &[u8]) -> Result<(), Error> {
        per_curve!(EcPoint, &self.point, k => k.verify_prehash(digest, &ecdsa::Signature::from_der(der)?))
    }
}
