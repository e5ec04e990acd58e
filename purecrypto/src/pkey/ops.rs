//! Signing, verification, encryption, decryption and key agreement for
//! every key type of the facade, under a named scheme.
//!
//! Entry points: [`sign`], [`sign_digest`], [`verify`],
//! [`verify_digest`], [`encrypt`], [`decrypt`], [`derive`]; the
//! [`PrivateKey`] / [`PublicKey`] methods of the same names call them.
//! A scheme that does not fit the key is [`Error::Unsupported`].

use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::scheme::{EncryptionScheme, PssSalt, SignatureScheme};
use super::{PrivateKey, PublicKey, RsassaPssParams};
use crate::Error;
use crate::hash::HashAlgorithm;
use crate::rng::CryptoRng;
use crate::rsa::{Mgf, OaepParams, PssHash, PssParams, RsaPublicKey, SaltLength};
use crate::{ed448, ed25519};

fn mismatch() -> Error {
    Error::Unsupported { what: "signature scheme for this key type" }
}

/// The longest salt the modulus allows: `emLen - hLen - 2`.
fn max_salt(key: &RsaPublicKey, hash: HashAlgorithm) -> usize {
    let em_len = (key.bits() - 1).div_ceil(8);
    em_len.saturating_sub(hash.output_len() + 2)
}

fn pss_params(key: &RsaPublicKey, hash: HashAlgorithm, mgf1: HashAlgorithm, salt: PssSalt, signing: bool) -> PssParams {
    let salt = match salt {
        PssSalt::Digest => SaltLength::Exact(hash.output_len()),
        PssSalt::Exact(n) => SaltLength::Exact(n),
        PssSalt::Max => SaltLength::Exact(max_salt(key, hash)),
        PssSalt::Auto if signing => SaltLength::Exact(max_salt(key, hash)),
        PssSalt::Auto => SaltLength::Auto,
    };
    PssParams { hash: PssHash::Fixed(hash), mgf: Mgf::Mgf1(mgf1), salt }
}

/// [`pss_params`] under an `id-RSASSA-PSS` key's `restrictions` (RFC 4055
/// §3.1): the hashes must be the key's, and the salt at least its minimum.
/// [`PssSalt::Auto`] signs with the minimum salt (as OpenSSL does for such
/// keys) and verifies any salt of at least the minimum.
///
/// # Errors
/// [`Error::InvalidParameter`] for another hash or MGF1 hash, or a salt
/// length below the minimum.
fn restricted_pss_params(
    key: &RsaPublicKey,
    restrictions: Option<&RsassaPssParams>,
    (hash, mgf1, salt): (HashAlgorithm, HashAlgorithm, PssSalt),
    signing: bool,
) -> Result<PssParams, Error> {
    let Some(r) = restrictions else { return Ok(pss_params(key, hash, mgf1, salt, signing)) };
    if hash != r.hash || mgf1 != r.mgf1_hash {
        return Err(Error::InvalidParameter {
            what: "PSS hash",
            reason: "the key is restricted to other message or MGF1 hashes",
        });
    }
    let params = match salt {
        PssSalt::Auto if signing => pss_params(key, hash, mgf1, PssSalt::Exact(r.salt_len), true),
        PssSalt::Auto => {
            PssParams { salt: SaltLength::AtLeast(r.salt_len), ..pss_params(key, hash, mgf1, salt, false) }
        }
        other => pss_params(key, hash, mgf1, other, signing),
    };
    match params.salt {
        SaltLength::Exact(n) if n < r.salt_len => {
            Err(Error::InvalidParameter { what: "PSS salt length", reason: "below the key's minimum salt length" })
        }
        _ => Ok(params),
    }
}

fn pure_ed25519_sign(k: &ed25519::SigningKey, ctx: &[u8], msg: &[u8]) -> Result<Vec<u8>, Error> {
    let sig = if ctx.is_empty() { k.sign(msg) } else { k.sign_ctx(ctx, msg)? };
    Ok(sig.to_bytes().to_vec())
}

/// Signs `msg` under `scheme` (`ctx` is the context string of the pure
/// schemes that have one). `rng` blinds RSA, salts PSS, hedges ECDSA and
/// randomizes ML-DSA / SLH-DSA.
///
/// # Errors
/// [`Error::Unsupported`] for a scheme the key cannot use; the
/// primitive's errors.
pub(super) fn sign(
    key: &PrivateKey,
    scheme: SignatureScheme,
    msg: &[u8],
    ctx: &[u8],
    rng: &mut impl CryptoRng,
) -> Result<Vec<u8>, Error> {
    match (key, scheme) {
        (PrivateKey::Rsa(k), SignatureScheme::RsaPss { hash, mgf1, salt }) => {
            k.sign_pss(rng, &pss_params(k.public_key(), hash, mgf1, salt, true), msg)
        }
        (PrivateKey::RsaPss(k, r), SignatureScheme::RsaPss { hash, mgf1, salt }) => {
            k.sign_pss(rng, &restricted_pss_params(k.public_key(), r.as_ref(), (hash, mgf1, salt), true)?, msg)
        }
        (PrivateKey::Rsa(k), SignatureScheme::RsaPkcs1v15(hash)) => k.sign_pkcs1v15(rng, hash, msg),
        (PrivateKey::Ec(k), SignatureScheme::Ecdsa(hash)) => k.sign(hash, msg, rng),
        (PrivateKey::Ed25519(k), SignatureScheme::Pure) => pure_ed25519_sign(k, ctx, msg),
        (PrivateKey::Ed448(k), SignatureScheme::Pure) => Ok(k.sign(ctx, msg)?.to_bytes().to_vec()),
        (PrivateKey::MlDsa(k), SignatureScheme::Pure) => k.sign(msg, ctx, Some(rng)),
        (PrivateKey::SlhDsa(k), SignatureScheme::Pure) => k.sign(msg, ctx, Some(rng)),
        _ => Err(mismatch()),
    }
}

/// Signs a digest computed elsewhere (RSA and ECDSA only, as `openssl
/// pkeyutl -sign -pkeyopt digest:ALG` does).
///
/// # Errors
/// [`Error::InvalidLength`] for a digest of the wrong length;
/// [`Error::Unsupported`] for other keys or schemes.
pub(super) fn sign_digest(
    key: &PrivateKey,
    scheme: SignatureScheme,
    digest: &[u8],
    rng: &mut impl CryptoRng,
) -> Result<Vec<u8>, Error> {
    check_digest(scheme, digest)?;
    match (key, scheme) {
        (PrivateKey::Rsa(k), SignatureScheme::RsaPss { hash, mgf1, salt }) => {
            k.sign_pss_prehashed(rng, &pss_params(k.public_key(), hash, mgf1, salt, true), digest)
        }
        (PrivateKey::RsaPss(k, r), SignatureScheme::RsaPss { hash, mgf1, salt }) => {
            let params = restricted_pss_params(k.public_key(), r.as_ref(), (hash, mgf1, salt), true)?;
            k.sign_pss_prehashed(rng, &params, digest)
        }
        (PrivateKey::Rsa(k), SignatureScheme::RsaPkcs1v15(hash)) => k.sign_pkcs1v15_prehashed(rng, hash, digest),
        (PrivateKey::Ec(k), SignatureScheme::Ecdsa(hash)) => k.sign_digest(hash, digest, rng),
        _ => Err(mismatch()),
    }
}

fn check_digest(scheme: SignatureScheme, digest: &[u8]) -> Result<(), Error> {
    match scheme.hash() {
        Some(h) if h.output_len() != digest.len() => {
            Err(Error::InvalidLength { what: "digest", expected: "the hash's output length", actual: digest.len() })
        }
        _ => Ok(()),
    }
}

/// Verifies `sig` on `msg` under `scheme`.
///
/// # Errors
/// [`Error::VerificationFailed`] (or [`Error::InvalidLength`] /
/// [`Error::Malformed`] for a signature of the wrong shape);
/// [`Error::Unsupported`] for a scheme the key cannot use.
pub(super) fn verify(
    key: &PublicKey,
    scheme: SignatureScheme,
    msg: &[u8],
    ctx: &[u8],
    sig: &[u8],
) -> Result<(), Error> {
    match (key, scheme) {
        (PublicKey::Rsa(k), SignatureScheme::RsaPss { hash, mgf1, salt }) => {
            k.key().verify_pss(&pss_params(k.key(), hash, mgf1, salt, false), msg, sig)
        }
        (PublicKey::RsaPss(k, r), SignatureScheme::RsaPss { hash, mgf1, salt }) => {
            k.key().verify_pss(&restricted_pss_params(k.key(), r.as_ref(), (hash, mgf1, salt), false)?, msg, sig)
        }
        (PublicKey::Rsa(k), SignatureScheme::RsaPkcs1v15(hash)) => k.key().verify_pkcs1v15(hash, msg, sig),
        (PublicKey::Ec(k), SignatureScheme::Ecdsa(hash)) => k.verify(hash, msg, sig),
        (PublicKey::Ed25519(k), SignatureScheme::Pure) => {
            let sig = ed25519::Signature::from_slice(sig)?;
            if ctx.is_empty() { k.key().verify(msg, &sig) } else { k.key().verify_ctx(ctx, msg, &sig) }
        }
        (PublicKey::Ed448(k), SignatureScheme::Pure) => k.key().verify(ctx, msg, &ed448::Signature::from_slice(sig)?),
        (PublicKey::MlDsa(k), SignatureScheme::Pure) => k.verify(msg, ctx, sig),
        (PublicKey::SlhDsa(k), SignatureScheme::Pure) => k.verify(msg, ctx, sig),
        _ => Err(mismatch()),
    }
}

/// Verifies `sig` on a digest computed elsewhere (RSA and ECDSA only).
///
/// # Errors
/// As [`verify`], and [`Error::InvalidLength`] for a digest of the wrong
/// length.
pub(super) fn verify_digest(key: &PublicKey, scheme: SignatureScheme, digest: &[u8], sig: &[u8]) -> Result<(), Error> {
    check_digest(scheme, digest)?;
    match (key, scheme) {
        (PublicKey::Rsa(k), SignatureScheme::RsaPss { hash, mgf1, salt }) => {
            k.key().verify_pss_prehashed(&pss_params(k.key(), hash, mgf1, salt, false), digest, sig)
        }
        (PublicKey::RsaPss(k, r), SignatureScheme::RsaPss { hash, mgf1, salt }) => {
            let params = restricted_pss_params(k.key(), r.as_ref(), (hash, mgf1, salt), false)?;
            k.key().verify_pss_prehashed(&params, digest, sig)
        }
        (PublicKey::Rsa(k), SignatureScheme::RsaPkcs1v15(hash)) => k.key().verify_pkcs1v15_prehashed(hash, digest, sig),
        (PublicKey::Ec(k), SignatureScheme::Ecdsa(_)) => k.verify_digest(digest, sig),
        _ => Err(mismatch()),
    }
}

/// Encrypts `msg` to an RSA key (not RSA-PSS keys, which only sign).
///
/// # Errors
/// [`Error::Unsupported`] for other keys; [`Error::InvalidLength`] for a
/// message too long for the padding.
pub(super) fn encrypt(
    key: &PublicKey,
    scheme: EncryptionScheme<'_>,
    msg: &[u8],
    rng: &mut impl CryptoRng,
) -> Result<Vec<u8>, Error> {
    let PublicKey::Rsa(k) = key else {
        return Err(Error::Unsupported { what: "encryption with this key type" });
    };
    match scheme {
        EncryptionScheme::RsaPkcs1v15 => k.key().encrypt_pkcs1v15(rng, msg),
        EncryptionScheme::RsaOaep { hash, mgf1, label } => {
            k.key().encrypt_oaep(rng, &OaepParams { hash, mgf: Mgf::Mgf1(mgf1), label }, msg)
        }
    }
}

/// Decrypts `ct` with an RSA key.
///
/// # Errors
/// [`Error::DecryptionFailed`] for a bad ciphertext or padding;
/// [`Error::Unsupported`] for other keys.
pub(super) fn decrypt(
    key: &PrivateKey,
    scheme: EncryptionScheme<'_>,
    ct: &[u8],
    rng: &mut impl CryptoRng,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let PrivateKey::Rsa(k) = key else {
        return Err(Error::Unsupported { what: "decryption with this key type" });
    };
    let plain = match scheme {
        EncryptionScheme::RsaPkcs1v15 => k.decrypt_pkcs1v15(rng, ct)?,
        EncryptionScheme::RsaOaep { hash, mgf1, label } => {
            k.decrypt_oaep(rng, &OaepParams { hash, mgf: Mgf::Mgf1(mgf1), label }, ct)?
        }
    };
    Ok(Zeroizing::new(plain))
}

/// The shared secret of `key` and `peer` (ECDH: the x-coordinate;
/// X25519 / X448: the u-coordinate, all-zero results refused).
///
/// # Errors
/// [`Error::Unsupported`] for keys that do not agree;
/// [`Error::InvalidKey`] for a peer of another type or curve, or a
/// small-order peer.
pub(super) fn derive(key: &PrivateKey, peer: &PublicKey) -> Result<Zeroizing<Vec<u8>>, Error> {
    let other = || Error::InvalidKey { reason: "the peer key is of another type" };
    match key {
        PrivateKey::Ec(k) => match peer {
            PublicKey::Ec(p) => k.derive(p),
            _ => Err(other()),
        },
        PrivateKey::X25519(k) => match peer {
            PublicKey::X25519(p) => Ok(Zeroizing::new(k.diffie_hellman(p)?.as_bytes().to_vec())),
            _ => Err(other()),
        },
        PrivateKey::X448(k) => match peer {
            PublicKey::X448(p) => Ok(Zeroizing::new(k.diffie_hellman(p.key())?.as_bytes().to_vec())),
            _ => Err(other()),
        },
        _ => Err(Error::Unsupported { what: "key agreement with this key type" }),
    }
}
