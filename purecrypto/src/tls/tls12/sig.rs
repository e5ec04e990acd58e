//! ServerKeyExchange signatures in TLS 1.2. They differ from TLS 1.3's
//! CertificateVerify in two ways that matter: RSA PKCS #1 v1.5 is
//! allowed, and an `ecdsa_*` code point names only the hash (RFC 5246
//! section 7.4.1.4.1), not the curve, so a P-256 key may sign with
//! SHA-384. PSS and Ed25519 are checked by the shared `cert` code.
//!
//! Entry points: [`verify`], [`sign`], [`schemes`].

use alloc::vec::Vec;

use crate::asn1::der::Reader;
use crate::asn1::oid;
use crate::asn1::spki::SubjectPublicKeyInfo;
use crate::ec::{P256, P384, P521, ecdsa};
use crate::hash::HashAlgorithm;
use crate::rng::CryptoRng;
use crate::rsa::RsaPublicKey;
use crate::tls::cert::{SigningKey, verify_signature};
use crate::tls::error::Error;
use crate::tls::suites::SignatureScheme;

fn ecdsa_hash(scheme: SignatureScheme) -> Option<HashAlgorithm> {
    match scheme {
        SignatureScheme::ECDSA_SECP256R1_SHA256 => Some(HashAlgorithm::Sha256),
        SignatureScheme::ECDSA_SECP384R1_SHA384 => Some(HashAlgorithm::Sha384),
        SignatureScheme::ECDSA_SECP521R1_SHA512 => Some(HashAlgorithm::Sha512),
        _ => None,
    }
}

fn pkcs1_hash(scheme: SignatureScheme) -> Option<HashAlgorithm> {
    match scheme {
        SignatureScheme::RSA_PKCS1_SHA256 => Some(HashAlgorithm::Sha256),
        SignatureScheme::RSA_PKCS1_SHA384 => Some(HashAlgorithm::Sha384),
        SignatureScheme::RSA_PKCS1_SHA512 => Some(HashAlgorithm::Sha512),
        _ => None,
    }
}

/// Whether `scheme` is an RSA scheme (fits `ECDHE_RSA` suites); the
/// others fit `ECDHE_ECDSA`.
pub(crate) fn is_rsa(scheme: SignatureScheme) -> bool {
    pkcs1_hash(scheme).is_some()
        || matches!(
            scheme,
            SignatureScheme::RSA_PSS_RSAE_SHA256
                | SignatureScheme::RSA_PSS_RSAE_SHA384
                | SignatureScheme::RSA_PSS_RSAE_SHA512
                | SignatureScheme::RSA_PSS_PSS_SHA256
                | SignatureScheme::RSA_PSS_PSS_SHA384
                | SignatureScheme::RSA_PSS_PSS_SHA512
        )
}

/// Checks a ServerKeyExchange signature by the key in the DER `spki`.
/// A scheme that does not fit the key is `illegal_parameter`; a wrong
/// signature `decrypt_error`.
pub(crate) fn verify(spki_der: &[u8], scheme: SignatureScheme, message: &[u8], sig: &[u8]) -> Result<(), Error> {
    let mismatch = Error::IllegalParameter { what: "signature scheme does not fit the certificate key" };
    let failed = Error::DecryptError { what: "ServerKeyExchange signature" };
    let bad_key = Error::BadCertificate { what: "public key" };
    if let Some(hash) = ecdsa_hash(scheme) {
        let spki = SubjectPublicKeyInfo::from_der(spki_der).map_err(|_| bad_key.clone())?;
        if spki.algorithm != oid::EC_PUBLIC_KEY {
            return Err(mismatch);
        }
        let curve = spki.parameters.and_then(|p| Reader::new(p).oid().ok()).ok_or(bad_key.clone())?;
        let ok = if curve == oid::SECP256R1 {
            let key = ecdsa::VerifyingKey::<P256>::from_sec1(spki.public_key).map_err(|_| bad_key)?;
            key.verify_der(hash, message, sig).is_ok()
        } else if curve == oid::SECP384R1 {
            let key = ecdsa::VerifyingKey::<P384>::from_sec1(spki.public_key).map_err(|_| bad_key)?;
            key.verify_der(hash, message, sig).is_ok()
        } else if curve == oid::SECP521R1 {
            let key = ecdsa::VerifyingKey::<P521>::from_sec1(spki.public_key).map_err(|_| bad_key)?;
            key.verify_der(hash, message, sig).is_ok()
        } else {
            return Err(Error::BadCertificate { what: "unsupported EC curve" });
        };
        return if ok { Ok(()) } else { Err(failed) };
    }
    if let Some(hash) = pkcs1_hash(scheme) {
        let spki = SubjectPublicKeyInfo::from_der(spki_der).map_err(|_| bad_key.clone())?;
        if spki.algorithm != oid::RSA_ENCRYPTION {
            return Err(mismatch);
        }
        let key = RsaPublicKey::from_spki_der(spki_der).map_err(|_| bad_key)?;
        return key.verify_pkcs1v15(hash, message, sig).map_err(|_| failed);
    }
    // PSS (rsae and pss) and Ed25519 mean the same in both versions.
    verify_signature(spki_der, scheme, message, sig).map_err(|e| match e {
        Error::DecryptError { .. } => failed,
        other => other,
    })
}

/// The schemes a server key signs ServerKeyExchange with, best first.
pub(crate) fn schemes(key: &SigningKey) -> &'static [SignatureScheme] {
    match key {
        SigningKey::Rsa(_) => &[
            SignatureScheme::RSA_PSS_RSAE_SHA256,
            SignatureScheme::RSA_PSS_RSAE_SHA384,
            SignatureScheme::RSA_PSS_RSAE_SHA512,
            SignatureScheme::RSA_PKCS1_SHA256,
            SignatureScheme::RSA_PKCS1_SHA384,
            SignatureScheme::RSA_PKCS1_SHA512,
        ],
        other => other.schemes(),
    }
}

/// Signs `message` with `scheme` (one of [`schemes`] for `key`).
pub(crate) fn sign(
    key: &SigningKey,
    scheme: SignatureScheme,
    message: &[u8],
    rng: &mut impl CryptoRng,
) -> Result<Vec<u8>, Error> {
    match (key, pkcs1_hash(scheme)) {
        (SigningKey::Rsa(k), Some(hash)) => Ok(k.sign_pkcs1v15(rng, hash, message)?),
        _ => key.sign(scheme, message, rng),
    }
}
