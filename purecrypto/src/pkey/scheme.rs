//! Named signature and encryption schemes for the classical keys, the
//! choices `openssl pkeyutl -pkeyopt` makes (`rsa_padding_mode`,
//! `rsa_pss_saltlen`, `rsa_oaep_md`, `rsa_mgf1_md`, `digest`).
//!
//! Entry points: [`SignatureScheme`] (with
//! [`SignatureScheme::default_for`]), [`PssSalt`], [`EncryptionScheme`].

use super::Algorithm;
use crate::hash::HashAlgorithm;

/// The salt length of an RSA-PSS signature, in OpenSSL's vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PssSalt {
    /// As long as the digest (`rsa_pss_saltlen:digest`).
    Digest,
    /// As long as the modulus allows (`max`).
    Max,
    /// Signing: [`Max`](Self::Max); verifying: whatever the signature
    /// holds (`auto`, OpenSSL 3.0's default).
    Auto,
    /// Exactly this many bytes.
    Exact(usize),
}

/// How a signature is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureScheme {
    /// The key's only scheme: Ed25519 / Ed448 (pure, empty context),
    /// ML-DSA / SLH-DSA (pure, empty context).
    Pure,
    /// RSASSA-PKCS1-v1_5 with this hash.
    RsaPkcs1v15(HashAlgorithm),
    /// RSASSA-PSS.
    RsaPss {
        /// The message hash.
        hash: HashAlgorithm,
        /// The MGF1 hash (usually the same).
        mgf1: HashAlgorithm,
        /// The salt length.
        salt: PssSalt,
    },
    /// ECDSA with this hash; the signature is a DER `ECDSA-Sig-Value`.
    Ecdsa(HashAlgorithm),
}

impl SignatureScheme {
    /// What `openssl pkeyutl -sign -rawin` uses for a key of this type
    /// when only the digest is chosen: PKCS #1 v1.5 for RSA, PSS (salt
    /// [`PssSalt::Auto`]) for RSA-PSS keys, ECDSA for EC keys, the pure
    /// scheme otherwise.
    #[must_use]
    pub fn default_for(algorithm: Algorithm, hash: HashAlgorithm) -> Self {
        match algorithm {
            Algorithm::Rsa => Self::RsaPkcs1v15(hash),
            Algorithm::RsaPss => Self::RsaPss { hash, mgf1: hash, salt: PssSalt::Auto },
            Algorithm::Ec(_) => Self::Ecdsa(hash),
            _ => Self::Pure,
        }
    }

    /// The message hash, if the scheme hashes with a chosen one.
    #[must_use]
    pub const fn hash(self) -> Option<HashAlgorithm> {
        match self {
            Self::Pure => None,
            Self::RsaPkcs1v15(h) | Self::Ecdsa(h) | Self::RsaPss { hash: h, .. } => Some(h),
        }
    }
}

/// How RSA encryption pads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncryptionScheme<'a> {
    /// RSAES-PKCS1-v1_5 (decryption reports padding errors, as OpenSSL
    /// 3.0's `pkeyutl` does).
    RsaPkcs1v15,
    /// RSAES-OAEP.
    RsaOaep {
        /// The label hash (`rsa_oaep_md`).
        hash: HashAlgorithm,
        /// The MGF1 hash (`rsa_mgf1_md`, by default the label hash).
        mgf1: HashAlgorithm,
        /// The label (`rsa_oaep_label`), usually empty.
        label: &'a [u8],
    },
}

impl EncryptionScheme<'_> {
    /// OAEP with SHA-1 for both hashes and no label: OpenSSL's default
    /// for `rsa_padding_mode:oaep`.
    pub const OAEP_SHA1: Self = Self::RsaOaep { hash: HashAlgorithm::Sha1, mgf1: HashAlgorithm::Sha1, label: b"" };
}
