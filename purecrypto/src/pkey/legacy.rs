//! The "traditional" key files OpenSSL still reads and writes beside
//! PKCS #8 / SPKI: PKCS #1 `RSA PRIVATE KEY` and `RSA PUBLIC KEY`, SEC1
//! `EC PRIVATE KEY`, in PEM or DER, and the sniffing that tells the
//! formats apart.
//!
//! Entry points: [`read_private`], [`read_public`], [`to_traditional_der`].
//! Legacy PEM encryption (`Proc-Type: 4,ENCRYPTED`) of the two private
//! key labels is read and written through [`encryption`].

mod encryption;

pub use encryption::LegacyCipher;

use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::classical::rsa_public;
use super::ec::EcPrivateKey;
use super::{PUBLIC_KEY_PEM_LABEL, PrivateKey, PublicKey};
use crate::Error;
use crate::asn1::pem;
use crate::pkcs5::Limits;
use crate::pkcs8;
use crate::rsa::{RsaPrivateKey, RsaPublicKey};

/// PEM label of a PKCS #1 `RSAPrivateKey`.
pub const RSA_PRIVATE_KEY_PEM_LABEL: &str = "RSA PRIVATE KEY";
/// PEM label of a PKCS #1 `RSAPublicKey`.
pub const RSA_PUBLIC_KEY_PEM_LABEL: &str = "RSA PUBLIC KEY";
/// PEM label of an RFC 5915 `ECPrivateKey`.
pub const EC_PRIVATE_KEY_PEM_LABEL: &str = "EC PRIVATE KEY";

fn looks_like_der(input: &[u8]) -> bool {
    input.iter().find(|b| !b.is_ascii_whitespace()) == Some(&crate::asn1::der::TAG_SEQUENCE)
}

/// Reads any private key: PKCS #8 (plain or encrypted), PKCS #1 RSA or
/// SEC1 EC, PEM or DER.
///
/// # Errors
/// The PKCS #8 error when DER input is none of the three; otherwise the
/// errors of the matching decoder.
pub(super) fn read_private(input: &[u8], password: Option<&[u8]>) -> Result<PrivateKey, Error> {
    if looks_like_der(input) {
        return match pkcs8::read(input, password, &Limits::DEFAULT) {
            Ok(der) => PrivateKey::from_pkcs8_der(&der),
            Err(pkcs8_error) => RsaPrivateKey::from_pkcs1_der(input)
                .map(PrivateKey::Rsa)
                .or_else(|_| EcPrivateKey::from_sec1_der_any_curve(input).map(PrivateKey::Ec))
                .map_err(|_| pkcs8_error),
        };
    }
    let (block, headers) = pem::decode_with_headers(input)?;
    let encryption = encryption::parse_headers(&headers)?;
    let traditional = matches!(block.label, RSA_PRIVATE_KEY_PEM_LABEL | EC_PRIVATE_KEY_PEM_LABEL);
    let contents = match encryption {
        None => block.contents,
        Some((cipher, iv)) if traditional => encryption::decrypt(cipher, &iv, &block.contents, password)?,
        Some(_) => return Err(Error::Malformed { what: "PEM", reason: "encryption headers on a PKCS #8 block" }),
    };
    match block.label {
        RSA_PRIVATE_KEY_PEM_LABEL => Ok(PrivateKey::Rsa(RsaPrivateKey::from_pkcs1_der(&contents)?)),
        EC_PRIVATE_KEY_PEM_LABEL => Ok(PrivateKey::Ec(EcPrivateKey::from_sec1_der_any_curve(&contents)?)),
        _ => PrivateKey::from_pkcs8_der(&pkcs8::read(input, password, &Limits::DEFAULT)?),
    }
}

/// The traditional encoding of `key` as PEM with legacy encryption under
/// `password`, as `openssl pkey -traditional -aes256` writes it.
///
/// # Errors
/// As [`to_traditional_der`].
pub(super) fn to_traditional_encrypted_pem(
    key: &PrivateKey,
    cipher: LegacyCipher,
    password: &[u8],
    rng: &mut impl crate::rng::CryptoRng,
) -> Result<String, Error> {
    let (der, label) = to_traditional_der(key)?;
    encryption::encrypt_pem(label, &der, cipher, password, rng)
}

/// Reads any public key: SPKI or PKCS #1 `RSAPublicKey`, PEM or DER.
///
/// # Errors
/// The SPKI error when DER input is neither; [`Error::Malformed`] for
/// another PEM label.
pub(super) fn read_public(input: &[u8]) -> Result<PublicKey, Error> {
    if looks_like_der(input) {
        return PublicKey::from_spki_der(input).or_else(|spki_error| {
            RsaPublicKey::from_pkcs1_der(input).map(|k| PublicKey::Rsa(rsa_public(k))).map_err(|_| spki_error)
        });
    }
    let block = pem::decode(input)?;
    match block.label {
        PUBLIC_KEY_PEM_LABEL => PublicKey::from_spki_der(&block.contents),
        RSA_PUBLIC_KEY_PEM_LABEL => Ok(PublicKey::Rsa(rsa_public(RsaPublicKey::from_pkcs1_der(&block.contents)?))),
        _ => Err(Error::Malformed { what: "PEM", reason: "not a public key label" }),
    }
}

/// The traditional encoding of a private key and its PEM label: PKCS #1
/// for RSA (also RSA-PSS keys, which lose the PSS marking, as in
/// OpenSSL), SEC1 for EC.
///
/// # Errors
/// [`Error::Unsupported`] for key types without one (OpenSSL writes
/// PKCS #8 for those; so does the CLI).
pub(super) fn to_traditional_der(key: &PrivateKey) -> Result<(Zeroizing<Vec<u8>>, &'static str), Error> {
    match key {
        PrivateKey::Rsa(k) | PrivateKey::RsaPss(k, _) => {
            Ok((Zeroizing::new(k.to_pkcs1_der()), RSA_PRIVATE_KEY_PEM_LABEL))
        }
        PrivateKey::Ec(k) => Ok((k.to_sec1_der(), EC_PRIVATE_KEY_PEM_LABEL)),
        _ => Err(Error::Unsupported { what: "traditional encoding for this key type" }),
    }
}
