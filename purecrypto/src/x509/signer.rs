//! Private keys that sign certificates, CSRs and CRLs, loaded from
//! PKCS #8: RSA (PKCS #1 v1.5 or PSS with SHA-256), ECDSA P-256/384/521
//! (with SHA-256/384/512 to match the curve), Ed25519 and Ed448.
//!
//! Entry points: [`SigningKey::from_pkcs8_der`], [`SigningKey::from_pem`],
//! [`SigningKey::sign`], [`SigningKey::spki_der`].

use alloc::vec::Vec;

use super::algorithm::SignatureAlgorithm;
use crate::Error;
use crate::asn1::der::Reader;
use crate::asn1::oid;
use crate::asn1::spki::SubjectPublicKeyInfo;
use crate::ec::{P256, P384, P521, ecdsa, sec1};
use crate::hash::HashAlgorithm;
use crate::pkcs8::PrivateKeyInfo;
use crate::rng::CryptoRng;
use crate::rsa::{PssParams, RsaPrivateKey};

/// A signing key (zeroized on drop by the key types themselves).
#[derive(Debug)]
#[non_exhaustive]
pub enum SigningKey {
    /// RSA; `pss` picks RSASSA-PSS (SHA-256, 32-byte salt) over PKCS #1 v1.5.
    Rsa {
        /// The key.
        key: RsaPrivateKey,
        /// Sign with PSS rather than PKCS #1 v1.5.
        pss: bool,
    },
    /// ECDSA P-256 with SHA-256.
    P256(ecdsa::SigningKey<P256>),
    /// ECDSA P-384 with SHA-384.
    P384(ecdsa::SigningKey<P384>),
    /// ECDSA P-521 with SHA-512.
    P521(ecdsa::SigningKey<P521>),
    /// Ed25519.
    Ed25519(crate::ed25519::SigningKey),
    /// Ed448.
    Ed448(crate::ed448::SigningKey),
}

fn unsupported() -> Error {
    Error::Unsupported { what: "private key algorithm for X.509 signing" }
}

impl SigningKey {
    /// Loads an unencrypted PKCS #8 `PrivateKeyInfo`.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for other algorithms or curves; decode errors.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, Error> {
        let info = PrivateKeyInfo::from_der(der)?;
        match info.algorithm {
            oid::RSA_ENCRYPTION => Ok(Self::Rsa { key: RsaPrivateKey::from_pkcs1_der(info.private_key)?, pss: false }),
            oid::EC_PUBLIC_KEY => {
                let mut r = Reader::new(info.parameters.ok_or_else(unsupported)?);
                match r.oid()? {
                    oid::SECP256R1 => Ok(Self::P256(sec1::decode_private_key::<P256>(info.private_key)?.into())),
                    oid::SECP384R1 => Ok(Self::P384(sec1::decode_private_key::<P384>(info.private_key)?.into())),
                    oid::SECP521R1 => Ok(Self::P521(sec1::decode_private_key::<P521>(info.private_key)?.into())),
                    _ => Err(unsupported()),
                }
            }
            oid::ED25519 => {
                let seed = Reader::new(info.private_key).octet_string()?;
                let seed: &[u8; 32] =
                    seed.try_into().map_err(|_| Error::InvalidKey { reason: "Ed25519 seed length" })?;
                Ok(Self::Ed25519(crate::ed25519::SigningKey::from_seed(seed)))
            }
            oid::ED448 => {
                let seed = Reader::new(info.private_key).octet_string()?;
                let seed: &[u8; 57] = seed.try_into().map_err(|_| Error::InvalidKey { reason: "Ed448 seed length" })?;
                Ok(Self::Ed448(crate::ed448::SigningKey::from_seed(seed)))
            }
            _ => Err(unsupported()),
        }
    }

    /// Loads the first `PRIVATE KEY` PEM block.
    ///
    /// # Errors
    /// As [`from_pkcs8_der`](Self::from_pkcs8_der), plus PEM errors.
    pub fn from_pem(pem: &[u8]) -> Result<Self, Error> {
        let block = crate::asn1::pem::decode_label(pem, "PRIVATE KEY")?;
        Self::from_pkcs8_der(&block.contents)
    }

    /// The algorithm [`sign`](Self::sign) uses.
    #[must_use]
    pub const fn algorithm(&self) -> SignatureAlgorithm {
        match self {
            Self::Rsa { pss: false, .. } => SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256),
            Self::Rsa { pss: true, .. } => SignatureAlgorithm::RsaPss {
                hash: HashAlgorithm::Sha256,
                mgf_hash: HashAlgorithm::Sha256,
                salt_len: 32,
            },
            Self::P256(_) => SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256),
            Self::P384(_) => SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha384),
            Self::P521(_) => SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha512),
            Self::Ed25519(_) => SignatureAlgorithm::Ed25519,
            Self::Ed448(_) => SignatureAlgorithm::Ed448,
        }
    }

    /// The public key as a DER `SubjectPublicKeyInfo`.
    #[must_use]
    pub fn spki_der(&self) -> Vec<u8> {
        match self {
            Self::Rsa { key, .. } => key.public_key().to_spki_der(),
            Self::P256(k) => sec1::encode_spki(k.verifying_key().public_key()),
            Self::P384(k) => sec1::encode_spki(k.verifying_key().public_key()),
            Self::P521(k) => sec1::encode_spki(k.verifying_key().public_key()),
            Self::Ed25519(k) => {
                let pk = k.verifying_key().to_bytes();
                SubjectPublicKeyInfo { algorithm: oid::ED25519, parameters: None, public_key: &pk }.to_der()
            }
            Self::Ed448(k) => {
                let pk = k.verifying_key().to_bytes();
                SubjectPublicKeyInfo { algorithm: oid::ED448, parameters: None, public_key: &pk }.to_der()
            }
        }
    }

    /// Signs `message` with [`algorithm`](Self::algorithm); the result is
    /// what goes in the signature BIT STRING (DER `ECDSA-Sig-Value` for
    /// ECDSA).
    ///
    /// # Errors
    /// Whatever the primitive reports (RSA blinding needs `rng`).
    pub fn sign(&self, rng: &mut impl CryptoRng, message: &[u8]) -> Result<Vec<u8>, Error> {
        match self {
            Self::Rsa { key, pss: false } => key.sign_pkcs1v15(rng, HashAlgorithm::Sha256, message),
            Self::Rsa { key, pss: true } => key.sign_pss(rng, &PssParams::new(HashAlgorithm::Sha256), message),
            Self::P256(k) => Ok(k.sign(HashAlgorithm::Sha256, message)?.to_der()),
            Self::P384(k) => Ok(k.sign(HashAlgorithm::Sha384, message)?.to_der()),
            Self::P521(k) => Ok(k.sign(HashAlgorithm::Sha512, message)?.to_der()),
            Self::Ed25519(k) => Ok(k.sign(message).to_bytes().to_vec()),
            Self::Ed448(k) => Ok(k.sign(&[], message)?.to_bytes().to_vec()),
        }
    }
}
