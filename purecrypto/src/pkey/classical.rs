//! The classical key types in the standard containers: which
//! [`Algorithm`] an `AlgorithmIdentifier` names (and its parameter
//! rules), the PKCS #8 private-key octets and the `subjectPublicKey` bits
//! of RSA, RSA-PSS, EC, Ed25519, Ed448, X25519 and X448 keys.
//!
//! Entry points: [`identify`], [`parameters`], [`generate`],
//! [`private_from_octets`], [`private_octets`], [`public_from_bits`].
//!
//! Parameters follow what OpenSSL writes and RFC 4055 / 5480 / 8410
//! allow: `NULL` (or absent) for `rsaEncryption`, absent for
//! `id-RSASSA-PSS` (or its `RSASSA-PSS-params` restrictions), a named
//! curve for `id-ecPublicKey`, absent for the RFC 8410 curves.

use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::ec::{EcCurve, EcPrivateKey, EcPublicKey};
use super::raw::{Encoded, unwrap_octet_string, wrap_octet_string};
use super::{Algorithm, PrivateKey, PublicKey, RsassaPssParams};
use crate::asn1::oid;
use crate::rng::CryptoRng;
use crate::rsa::{RsaPrivateKey, RsaPublicKey};
use crate::{Error, ed448, ed25519, x448, x25519};

/// The DER of an ASN.1 `NULL`.
const NULL: [u8; 2] = [0x05, 0x00];

/// RSA modulus size of [`generate`] when none is chosen (OpenSSL's).
pub(super) const DEFAULT_RSA_BITS: usize = 2048;

fn absent(parameters: Option<&[u8]>, algorithm: Algorithm) -> Result<Algorithm, Error> {
    match parameters {
        None => Ok(algorithm),
        Some(_) => Err(Error::Malformed { what: "algorithm identifier", reason: "parameters must be absent" }),
    }
}

/// The key type an `AlgorithmIdentifier` names, its parameters checked.
///
/// # Errors
/// [`Error::Unsupported`] for an unknown OID or curve, or RSA-PSS
/// restrictions naming an unknown hash or mask; [`Error::Malformed`] for parameters that must be absent.
pub(super) fn identify(algorithm: &[u8], parameters: Option<&[u8]>) -> Result<Algorithm, Error> {
    match algorithm {
        oid::RSA_ENCRYPTION => match parameters {
            None => Ok(Algorithm::Rsa),
            Some(p) if p == NULL => Ok(Algorithm::Rsa),
            Some(_) => Err(Error::Malformed { what: "rsaEncryption parameters", reason: "must be NULL" }),
        },
        oid::RSASSA_PSS => match parameters {
            None => Ok(Algorithm::RsaPss),
            Some(p) => RsassaPssParams::from_der(p).map(|_| Algorithm::RsaPss),
        },
        oid::EC_PUBLIC_KEY => {
            let params = parameters.ok_or(Error::Unsupported { what: "EC key without curve parameters" })?;
            Ok(Algorithm::Ec(EcCurve::from_parameters(params)?))
        }
        oid::ED25519 => absent(parameters, Algorithm::Ed25519),
        oid::ED448 => absent(parameters, Algorithm::Ed448),
        oid::X25519 => absent(parameters, Algorithm::X25519),
        oid::X448 => absent(parameters, Algorithm::X448),
        other => {
            let algorithm = Algorithm::from_oid(other).ok_or(Error::Unsupported { what: "key algorithm OID" })?;
            absent(parameters, algorithm)
        }
    }
}

/// The PSS restrictions in an `id-RSASSA-PSS` identifier's parameters
/// (`None` for other algorithms and for a PSS key without them).
///
/// # Errors
/// As [`RsassaPssParams::from_der`].
pub(super) fn pss_restrictions(algorithm: &[u8], parameters: Option<&[u8]>) -> Result<Option<RsassaPssParams>, Error> {
    match (algorithm, parameters) {
        (oid::RSASSA_PSS, Some(p)) => RsassaPssParams::from_der(p).map(Some),
        _ => Ok(None),
    }
}

/// The `AlgorithmIdentifier` parameters written for a key of type
/// `algorithm` with PSS `restrictions`.
pub(super) fn key_parameters(algorithm: Algorithm, restrictions: Option<&RsassaPssParams>) -> Option<Vec<u8>> {
    match (algorithm, restrictions) {
        (Algorithm::RsaPss, Some(r)) => Some(r.to_der()),
        _ => parameters(algorithm),
    }
}

/// The `AlgorithmIdentifier` parameters written for `algorithm`.
pub(super) fn parameters(algorithm: Algorithm) -> Option<Vec<u8>> {
    match algorithm {
        Algorithm::Rsa => Some(NULL.to_vec()),
        Algorithm::Ec(curve) => Some(curve.parameters()),
        _ => None,
    }
}

/// A fresh classical key (RSA at [`DEFAULT_RSA_BITS`]); `None` for the
/// post-quantum types.
pub(super) fn generate(algorithm: Algorithm, rng: &mut (impl CryptoRng + ?Sized)) -> Option<Result<PrivateKey, Error>> {
    let mut rng = rng;
    let key = match algorithm {
        Algorithm::Rsa => RsaPrivateKey::generate(&mut rng, DEFAULT_RSA_BITS).map(PrivateKey::Rsa),
        Algorithm::RsaPss => RsaPrivateKey::generate(&mut rng, DEFAULT_RSA_BITS).map(|k| PrivateKey::RsaPss(k, None)),
        Algorithm::Ec(curve) => EcPrivateKey::generate(curve, rng).map(PrivateKey::Ec),
        Algorithm::Ed25519 => Ok(PrivateKey::Ed25519(ed25519::SigningKey::generate(&mut rng))),
        Algorithm::Ed448 => Ok(PrivateKey::Ed448(ed448::SigningKey::generate(&mut rng))),
        Algorithm::X25519 => Ok(PrivateKey::X25519(x25519::PrivateKey::generate(&mut rng))),
        Algorithm::X448 => Ok(PrivateKey::X448(x448::PrivateKey::generate(&mut rng))),
        Algorithm::MlKem(_) | Algorithm::MlDsa(_) | Algorithm::SlhDsa(_) => return None,
    };
    Some(key)
}

/// Decodes the PKCS #8 `privateKey` octets of a classical key.
///
/// # Errors
/// Decode and key-check errors of the primitive; [`Error::Unsupported`]
/// for a post-quantum `algorithm` (handled elsewhere).
pub(super) fn private_from_octets(algorithm: Algorithm, octets: &[u8]) -> Result<PrivateKey, Error> {
    Ok(match algorithm {
        Algorithm::Rsa => PrivateKey::Rsa(RsaPrivateKey::from_pkcs1_der(octets)?),
        Algorithm::RsaPss => PrivateKey::RsaPss(RsaPrivateKey::from_pkcs1_der(octets)?, None),
        Algorithm::Ec(curve) => PrivateKey::Ec(EcPrivateKey::from_sec1_der(curve, octets)?),
        Algorithm::Ed25519 => {
            let seed = unwrap_octet_string(octets, ed25519::SEED_LEN, "Ed25519 private key")?;
            let seed: &[u8; ed25519::SEED_LEN] = seed.try_into().map_err(|_| bad_length())?;
            PrivateKey::Ed25519(ed25519::SigningKey::from_seed(seed))
        }
        Algorithm::Ed448 => {
            let seed = unwrap_octet_string(octets, ed448::SEED_LEN, "Ed448 private key")?;
            let seed: &[u8; ed448::SEED_LEN] = seed.try_into().map_err(|_| bad_length())?;
            PrivateKey::Ed448(ed448::SigningKey::from_seed(seed))
        }
        Algorithm::X25519 => {
            let raw = unwrap_octet_string(octets, 32, "X25519 private key")?;
            let mut scalar = Zeroizing::new([0u8; 32]);
            scalar.copy_from_slice(raw);
            PrivateKey::X25519(x25519::PrivateKey::from_bytes(*scalar))
        }
        Algorithm::X448 => {
            let raw = unwrap_octet_string(octets, x448::KEY_LEN, "X448 private key")?;
            let mut scalar = Zeroizing::new([0u8; x448::KEY_LEN]);
            scalar.copy_from_slice(raw);
            PrivateKey::X448(x448::PrivateKey::from_bytes(*scalar))
        }
        Algorithm::MlKem(_) | Algorithm::MlDsa(_) | Algorithm::SlhDsa(_) => {
            return Err(Error::Unsupported { what: "post-quantum key in the classical decoder" });
        }
    })
}

fn bad_length() -> Error {
    Error::InvalidKey { reason: "curve private key has the wrong length" }
}

/// The PKCS #8 `privateKey` octets of a classical key; `None` for the
/// post-quantum types.
pub(super) fn private_octets(key: &PrivateKey) -> Option<Zeroizing<Vec<u8>>> {
    Some(match key {
        PrivateKey::Rsa(k) | PrivateKey::RsaPss(k, _) => Zeroizing::new(k.to_pkcs1_der()),
        PrivateKey::Ec(k) => k.to_pkcs8_octets(),
        PrivateKey::Ed25519(k) => wrap_octet_string(&Zeroizing::new(k.to_seed())[..]),
        PrivateKey::Ed448(k) => wrap_octet_string(&Zeroizing::new(k.to_seed())[..]),
        PrivateKey::X25519(k) => wrap_octet_string(&Zeroizing::new(k.to_bytes())[..]),
        PrivateKey::X448(k) => wrap_octet_string(&Zeroizing::new(k.to_bytes())[..]),
        PrivateKey::MlKem(_) | PrivateKey::MlDsa(_) | PrivateKey::SlhDsa(_) => return None,
    })
}

/// The public key of a classical private key; `None` for the
/// post-quantum types.
pub(super) fn public_of(key: &PrivateKey) -> Option<PublicKey> {
    Some(match key {
        PrivateKey::Rsa(k) => PublicKey::Rsa(rsa_public(k.public_key().clone())),
        PrivateKey::RsaPss(k, r) => PublicKey::RsaPss(rsa_public(k.public_key().clone()), *r),
        PrivateKey::Ec(k) => PublicKey::Ec(k.public_key()),
        PrivateKey::Ed25519(k) => {
            let vk = *k.verifying_key();
            PublicKey::Ed25519(Encoded::new(vk, vk.to_bytes().to_vec()))
        }
        PrivateKey::Ed448(k) => {
            let vk = *k.verifying_key();
            PublicKey::Ed448(Encoded::new(vk, vk.to_bytes().to_vec()))
        }
        PrivateKey::X25519(k) => PublicKey::X25519(k.public_key()),
        PrivateKey::X448(k) => {
            let pk = k.public_key();
            PublicKey::X448(Encoded::new(pk, pk.to_bytes().to_vec()))
        }
        PrivateKey::MlKem(_) | PrivateKey::MlDsa(_) | PrivateKey::SlhDsa(_) => return None,
    })
}

/// An RSA public key with its PKCS #1 encoding.
pub(super) fn rsa_public(key: RsaPublicKey) -> Encoded<RsaPublicKey> {
    let der = key.to_pkcs1_der();
    Encoded::new(key, der)
}

/// Decodes the `subjectPublicKey` bits of a classical key.
///
/// # Errors
/// Decode and key-check errors of the primitive.
pub(super) fn public_from_bits(algorithm: Algorithm, bits: &[u8]) -> Result<PublicKey, Error> {
    Ok(match algorithm {
        Algorithm::Rsa => PublicKey::Rsa(rsa_public(RsaPublicKey::from_pkcs1_der(bits)?)),
        Algorithm::RsaPss => PublicKey::RsaPss(rsa_public(RsaPublicKey::from_pkcs1_der(bits)?), None),
        Algorithm::Ec(curve) => PublicKey::Ec(EcPublicKey::from_sec1(curve, bits)?),
        Algorithm::Ed25519 => PublicKey::Ed25519(Encoded::new(ed25519::VerifyingKey::from_slice(bits)?, bits.to_vec())),
        Algorithm::Ed448 => PublicKey::Ed448(Encoded::new(ed448::VerifyingKey::from_slice(bits)?, bits.to_vec())),
        Algorithm::X25519 => PublicKey::X25519(x25519::PublicKey::from_bytes(fixed(bits, "X25519 public key")?)),
        Algorithm::X448 => {
            PublicKey::X448(Encoded::new(x448::PublicKey::from_bytes(fixed(bits, "X448 public key")?), bits.to_vec()))
        }
        Algorithm::MlKem(_) | Algorithm::MlDsa(_) | Algorithm::SlhDsa(_) => {
            return Err(Error::Unsupported { what: "post-quantum key in the classical decoder" });
        }
    })
}

fn fixed<const N: usize>(bits: &[u8], what: &'static str) -> Result<[u8; N], Error> {
    bits.try_into().map_err(|_| Error::InvalidLength { what, expected: "the curve's key length", actual: bits.len() })
}
