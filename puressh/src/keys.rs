//! SSH public keys and signatures (RFC 4253 §6.6, RFC 5656 §3, RFC 8709,
//! RFC 8332): parsing key blobs, verifying signature blobs, and OpenSSH
//! private key files ([`private`]).
//!
//! Entry points: [`PublicKey::from_blob`] and [`PublicKey::verify`] (host
//! key signatures over the exchange hash), [`private::PrivateKey`] (user
//! authentication, generation and key files), the text forms
//! ([`PublicKey::from_openssh_line`], [`PublicKey::fingerprint`]) and
//! [`rfc4716`] (`ssh-keygen -e` / `-i`).
//!
//! `ssh-rsa` (SHA-1) signatures are verified only when the caller names
//! that algorithm, which the client does only when a configuration opts
//! in: by default the RSA host key algorithms are rsa-sha2-256/512.

pub mod cert;
pub mod private;
pub mod rfc4716;
mod text;

use crate::error::KeyError;
use crate::names;
use crate::wire::{Reader, Writer};
use purecrypto::ec::ecdsa::{Signature, VerifyingKey};
use purecrypto::ec::{Curve, P256, P384, P521};
use purecrypto::hash::HashAlgorithm;

/// The NIST curve of an ECDSA key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EcCurve {
    /// nistp256, signatures with SHA-256.
    P256,
    /// nistp384, signatures with SHA-384.
    P384,
    /// nistp521, signatures with SHA-512.
    P521,
}

impl EcCurve {
    /// The curve identifier inside the blob (`nistp256`...).
    #[must_use]
    pub const fn identifier(self) -> &'static str {
        match self {
            Self::P256 => "nistp256",
            Self::P384 => "nistp384",
            Self::P521 => "nistp521",
        }
    }

    /// The key type and signature algorithm name.
    #[must_use]
    pub const fn algorithm(self) -> &'static str {
        match self {
            Self::P256 => names::ECDSA_SHA2_NISTP256,
            Self::P384 => names::ECDSA_SHA2_NISTP384,
            Self::P521 => names::ECDSA_SHA2_NISTP521,
        }
    }

    /// The hash RFC 5656 §6.2.1 pairs with the curve.
    #[must_use]
    pub const fn hash(self) -> HashAlgorithm {
        match self {
            Self::P256 => HashAlgorithm::Sha256,
            Self::P384 => HashAlgorithm::Sha384,
            Self::P521 => HashAlgorithm::Sha512,
        }
    }

    fn from_algorithm(name: &str) -> Option<Self> {
        match name {
            names::ECDSA_SHA2_NISTP256 => Some(Self::P256),
            names::ECDSA_SHA2_NISTP384 => Some(Self::P384),
            names::ECDSA_SHA2_NISTP521 => Some(Self::P521),
            _ => None,
        }
    }
}

/// A public key as SSH carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicKey {
    /// `ssh-ed25519`.
    Ed25519([u8; 32]),
    /// `ecdsa-sha2-*`: the SEC1 uncompressed point.
    Ecdsa {
        /// The curve.
        curve: EcCurve,
        /// `0x04 || X || Y`.
        point: Vec<u8>,
    },
    /// `ssh-rsa` key (signatures rsa-sha2-256/512 or, opted in, ssh-rsa).
    Rsa {
        /// Public exponent, big-endian magnitude.
        e: Vec<u8>,
        /// Modulus, big-endian magnitude.
        n: Vec<u8>,
    },
}

const MALFORMED: KeyError = KeyError::Malformed { what: "public key blob" };

/// Smallest RSA modulus accepted for any signature check (host keys,
/// certificate authorities, user keys): stricter than OpenSSH 9.2's
/// default `RequiredRSASize` of 1024, as 1024-bit RSA is within reach.
pub const MIN_RSA_BITS: usize = 2048;

/// Strips an mpint's sign byte: key fields are positive.
fn positive(mpint: &[u8]) -> Result<Vec<u8>, KeyError> {
    match mpint.first() {
        Some(b) if b & 0x80 != 0 => Err(MALFORMED),
        None => Err(MALFORMED),
        _ => Ok(mpint.iter().copied().skip_while(|&b| b == 0).collect()),
    }
}

impl PublicKey {
    /// Parses a public key blob (`string type || fields`), refusing
    /// trailing bytes and unknown types.
    ///
    /// # Errors
    /// [`KeyError::Malformed`], [`KeyError::Unsupported`].
    pub fn from_blob(blob: &[u8]) -> Result<Self, KeyError> {
        let mut r = Reader::new(blob);
        let key_type = r.utf8("key type").map_err(|_| MALFORMED)?;
        let key = match key_type {
            names::SSH_ED25519 => {
                let raw = r.string().map_err(|_| MALFORMED)?;
                Self::Ed25519(raw.try_into().map_err(|_| MALFORMED)?)
            }
            names::SSH_RSA_SHA1 => {
                let e = positive(r.mpint().map_err(|_| MALFORMED)?)?;
                let n = positive(r.mpint().map_err(|_| MALFORMED)?)?;
                Self::Rsa { e, n }
            }
            other => {
                let curve = EcCurve::from_algorithm(other).ok_or(KeyError::Unsupported { what: other.to_owned() })?;
                let id = r.string().map_err(|_| MALFORMED)?;
                if id != curve.identifier().as_bytes() {
                    return Err(MALFORMED);
                }
                let point = r.string().map_err(|_| MALFORMED)?.to_vec();
                if point.first() != Some(&4) {
                    return Err(MALFORMED);
                }
                Self::Ecdsa { curve, point }
            }
        };
        r.finish().map_err(|_| MALFORMED)?;
        Ok(key)
    }

    /// The blob form (inverse of [`Self::from_blob`]).
    #[must_use]
    pub fn to_blob(&self) -> Vec<u8> {
        let mut w = Writer::new();
        match self {
            Self::Ed25519(k) => {
                w.string(names::SSH_ED25519.as_bytes()).string(k);
            }
            Self::Ecdsa { curve, point } => {
                w.string(curve.algorithm().as_bytes()).string(curve.identifier().as_bytes()).string(point);
            }
            Self::Rsa { e, n } => {
                w.string(names::SSH_RSA_SHA1.as_bytes()).mpint_unsigned(e).mpint_unsigned(n);
            }
        }
        w.into_bytes()
    }

    /// The key type name as known_hosts and blobs spell it.
    #[must_use]
    pub const fn key_type(&self) -> &'static str {
        match self {
            Self::Ed25519(_) => names::SSH_ED25519,
            Self::Ecdsa { curve, .. } => curve.algorithm(),
            Self::Rsa { .. } => names::SSH_RSA_SHA1,
        }
    }

    /// Whether signatures of `algorithm` can come from this key.
    #[must_use]
    pub fn fits(&self, algorithm: &str) -> bool {
        match self {
            Self::Rsa { .. } => matches!(algorithm, names::RSA_SHA2_256 | names::RSA_SHA2_512 | names::SSH_RSA_SHA1),
            other => other.key_type() == algorithm,
        }
    }

    /// Refuses RSA keys under [`MIN_RSA_BITS`].
    ///
    /// # Errors
    /// [`KeyError::RsaTooSmall`].
    pub fn check_size(&self) -> Result<(), KeyError> {
        match self {
            Self::Rsa { .. } if self.bits() < MIN_RSA_BITS => {
                Err(KeyError::RsaTooSmall { bits: self.bits(), min: MIN_RSA_BITS })
            }
            _ => Ok(()),
        }
    }

    /// Verifies an SSH signature blob (`string algorithm || string sig`)
    /// over `data`, requiring the blob's algorithm to be `algorithm`.
    ///
    /// # Errors
    /// [`KeyError::AlgorithmMismatch`], [`KeyError::Malformed`],
    /// [`KeyError::BadSignature`], [`KeyError::RsaTooSmall`].
    pub fn verify(&self, algorithm: &str, data: &[u8], signature: &[u8]) -> Result<(), KeyError> {
        const SIG: KeyError = KeyError::Malformed { what: "signature blob" };
        let mismatch = || KeyError::AlgorithmMismatch { algorithm: algorithm.to_owned() };
        if !self.fits(algorithm) {
            return Err(mismatch());
        }
        self.check_size()?;
        let mut r = Reader::new(signature);
        let named = r.utf8("signature algorithm").map_err(|_| SIG)?;
        if named != algorithm {
            return Err(mismatch());
        }
        let raw = r.string().map_err(|_| SIG)?;
        r.finish().map_err(|_| SIG)?;
        match self {
            Self::Ed25519(k) => {
                let key = purecrypto::ed25519::VerifyingKey::from_bytes(k).map_err(|_| MALFORMED)?;
                let sig = purecrypto::ed25519::Signature::from_slice(raw).map_err(|_| SIG)?;
                key.verify(data, &sig).map_err(|_| KeyError::BadSignature)
            }
            Self::Ecdsa { curve, point } => {
                // The signature is `mpint r || mpint s` (RFC 5656 §3.1.2).
                let mut rs = Reader::new(raw);
                let r_ = positive(rs.mpint().map_err(|_| SIG)?)?;
                let s_ = positive(rs.mpint().map_err(|_| SIG)?)?;
                rs.finish().map_err(|_| SIG)?;
                match curve {
                    EcCurve::P256 => ecdsa_verify::<P256>(point, curve.hash(), data, &r_, &s_),
                    EcCurve::P384 => ecdsa_verify::<P384>(point, curve.hash(), data, &r_, &s_),
                    EcCurve::P521 => ecdsa_verify::<P521>(point, curve.hash(), data, &r_, &s_),
                }
            }
            Self::Rsa { e, n } => {
                let hash = match algorithm {
                    names::RSA_SHA2_256 => HashAlgorithm::Sha256,
                    names::RSA_SHA2_512 => HashAlgorithm::Sha512,
                    _ => HashAlgorithm::Sha1,
                };
                let key = purecrypto::rsa::RsaPublicKey::new(n, e).map_err(|_| MALFORMED)?;
                // RFC 8332 §3: the signature is exactly the modulus length;
                // OpenSSH tolerates shorter ones by left-padding.
                let size = key.size();
                if raw.len() > size {
                    return Err(SIG);
                }
                let mut padded = vec![0u8; size - raw.len()];
                padded.extend_from_slice(raw);
                key.verify_pkcs1v15(hash, data, &padded).map_err(|_| KeyError::BadSignature)
            }
        }
    }
}

fn ecdsa_verify<C: Curve>(point: &[u8], hash: HashAlgorithm, data: &[u8], r: &[u8], s: &[u8]) -> Result<(), KeyError> {
    let key = VerifyingKey::<C>::from_sec1(point).map_err(|_| MALFORMED)?;
    let sig = Signature::<C>::from_scalars(r, s).map_err(|_| KeyError::BadSignature)?;
    key.verify(hash, data, &sig).map_err(|_| KeyError::BadSignature)
}

/// Builds a signature blob `string algorithm || string raw`.
#[must_use]
pub fn signature_blob(algorithm: &str, raw: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.string(algorithm.as_bytes()).string(raw);
    w.into_bytes()
}

#[cfg(test)]
mod tests;
