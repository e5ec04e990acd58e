//! PKCS #8 private keys: `PrivateKeyInfo` (RFC 5208) and its successor
//! `OneAsymmetricKey` (RFC 5958), plain or password-encrypted.
//!
//! Entry points: [`PrivateKeyInfo::from_der`] / [`PrivateKeyInfo::to_der`]
//! for the plain structure, [`EncryptedPrivateKeyInfo`] and [`encrypt`]
//! for the PBES2-encrypted one, and [`read`], which takes PEM or DER,
//! plain or encrypted, and returns the plain DER.
//!
//! The algorithm's own private-key encoding (an RSA `RSAPrivateKey`, a
//! SEC1 `ECPrivateKey`, an RFC 8410 `CurvePrivateKey`...) stays opaque
//! here: the algorithm modules interpret the octets. Every buffer this
//! module allocates for key material is [`Zeroizing`], and `Debug` never
//! prints key bytes.

mod encrypted;

pub use encrypted::{EncryptedPrivateKeyInfo, encrypt, encrypt_pem};

use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

use crate::Error;
use crate::asn1::der::{Reader, TAG_BIT_STRING, Writer};
use crate::asn1::pem;
use crate::pkcs5::Limits;

/// PEM label of a plain PKCS #8 key.
pub const PEM_LABEL: &str = "PRIVATE KEY";
/// PEM label of an encrypted PKCS #8 key.
pub const ENCRYPTED_PEM_LABEL: &str = "ENCRYPTED PRIVATE KEY";

/// `[0] IMPLICIT Attributes`, constructed.
const TAG_ATTRIBUTES: u8 = 0xa0;
/// `[1] IMPLICIT PublicKey` (a BIT STRING), primitive.
const TAG_PUBLIC_KEY: u8 = 0x81;

fn malformed(reason: &'static str) -> Error {
    Error::Malformed { what: "PKCS #8 private key", reason }
}

/// The structure's version number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Version {
    /// v1 (0): RFC 5208 `PrivateKeyInfo`, no public key.
    V1,
    /// v2 (1): RFC 5958 `OneAsymmetricKey`, which may carry the public key.
    V2,
}

/// A decoded `PrivateKeyInfo` / `OneAsymmetricKey`, borrowing from the
/// input (which the caller owns, and should zeroize).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PrivateKeyInfo<'a> {
    /// v1 or v2. [`to_der`](Self::to_der) writes v2 whenever a public key
    /// is present, since v1 cannot carry one.
    pub version: Version,
    /// The algorithm OID's contents (compare with
    /// [`oid`](crate::asn1::oid)).
    pub algorithm: &'a [u8],
    /// The algorithm parameters' whole encoding (tag included), `None`
    /// when absent.
    pub parameters: Option<&'a [u8]>,
    /// The `privateKey` octets, in the algorithm's own encoding.
    pub private_key: &'a [u8],
    /// The contents of the `[0]` attributes (a sequence of encoded
    /// `Attribute`s), `None` when absent.
    pub attributes: Option<&'a [u8]>,
    /// The `[1]` public key's bytes (v2 only), `None` when absent.
    pub public_key: Option<&'a [u8]>,
}

impl core::fmt::Debug for PrivateKeyInfo<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PrivateKeyInfo")
            .field("version", &self.version)
            .field("algorithm", &crate::asn1::oid::to_dotted(self.algorithm))
            .field("public_key", &self.public_key.is_some())
            .finish_non_exhaustive()
    }
}

impl<'a> PrivateKeyInfo<'a> {
    /// A v1 structure for `algorithm` (and its encoded `parameters`) with
    /// the given private-key octets.
    #[must_use]
    pub const fn new(algorithm: &'a [u8], parameters: Option<&'a [u8]>, private_key: &'a [u8]) -> Self {
        Self { version: Version::V1, algorithm, parameters, private_key, attributes: None, public_key: None }
    }

    /// Decodes DER; nothing may follow the structure.
    ///
    /// # Errors
    /// [`Error::Malformed`] on any deviation from strict DER, an unknown
    /// version, or a public key in a v1 structure.
    pub fn from_der(der: &'a [u8]) -> Result<Self, Error> {
        let mut outer = Reader::new(der);
        let mut seq = outer.sequence()?;
        let version = match seq.small_unsigned()? {
            0 => Version::V1,
            1 => Version::V2,
            _ => return Err(malformed("unknown version")),
        };
        let mut algorithm_id = seq.sequence()?;
        let algorithm = algorithm_id.oid()?;
        let parameters = if algorithm_id.is_empty() { None } else { Some(algorithm_id.any_raw()?) };
        algorithm_id.finish()?;
        let private_key = seq.octet_string()?;
        let attributes = if seq.peek_tag() == Some(TAG_ATTRIBUTES) {
            let (_, contents) = seq.any()?;
            check_attributes(contents)?;
            Some(contents)
        } else {
            None
        };
        let public_key = if seq.peek_tag() == Some(TAG_PUBLIC_KEY) {
            if version == Version::V1 {
                return Err(malformed("public key in a version 1 structure"));
            }
            let (_, contents) = seq.any()?;
            // Reuse the BIT STRING checks on the re-tagged contents.
            let mut w = Writer::new();
            w.tlv(TAG_BIT_STRING, contents);
            let bits = w.finish();
            Reader::new(&bits).bit_string()?;
            Some(contents.get(1..).unwrap_or_default())
        } else {
            None
        };
        seq.finish()?;
        outer.finish()?;
        Ok(Self { version, algorithm, parameters, private_key, attributes, public_key })
    }

    /// The DER encoding (zeroized on drop: it holds the private key).
    ///
    /// The key octets are copied exactly once, into a buffer allocated at
    /// its final size: the nested [`Writer`]s used for the public parts
    /// would otherwise leave copies of the key in freed memory.
    #[must_use]
    pub fn to_der(&self) -> Zeroizing<Vec<u8>> {
        let version = if self.public_key.is_some() { Version::V2 } else { self.version };
        let mut before = Writer::new();
        before.small_unsigned(match version {
            Version::V1 => 0,
            Version::V2 => 1,
        });
        before.sequence(|w| {
            w.oid(self.algorithm);
            if let Some(parameters) = self.parameters {
                w.raw(parameters);
            }
        });
        let before = before.finish();
        let mut after = Writer::new();
        if let Some(attributes) = self.attributes {
            after.tlv(TAG_ATTRIBUTES, attributes);
        }
        if let Some(public_key) = self.public_key {
            let mut bits = Vec::with_capacity(public_key.len() + 1);
            bits.push(0);
            bits.extend_from_slice(public_key);
            after.tlv(TAG_PUBLIC_KEY, &bits);
        }
        let after = after.finish();

        let key_len = self.private_key.len();
        let body_len = before.len() + header_len(key_len) + key_len + after.len();
        let mut out = Zeroizing::new(Vec::with_capacity(header_len(body_len) + body_len));
        push_header(&mut out, crate::asn1::der::TAG_SEQUENCE, body_len);
        out.extend_from_slice(&before);
        push_header(&mut out, crate::asn1::der::TAG_OCTET_STRING, key_len);
        out.extend_from_slice(self.private_key);
        out.extend_from_slice(&after);
        out
    }

    /// PEM (`-----BEGIN PRIVATE KEY-----`), zeroized on drop.
    #[must_use]
    pub fn to_pem(&self) -> Zeroizing<String> {
        Zeroizing::new(pem::encode(PEM_LABEL, &self.to_der()))
    }
}

/// Bytes of a DER tag and length header for `len` content bytes.
fn header_len(len: usize) -> usize {
    let significant = (usize::BITS - len.leading_zeros()).div_ceil(8) as usize;
    if len < 0x80 { 2 } else { 2 + significant }
}

/// Appends a DER tag and minimal length.
fn push_header(out: &mut Vec<u8>, tag: u8, len: usize) {
    out.push(tag);
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        let significant = bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
}

/// Checks that attribute contents are a sequence of `Attribute ::=
/// SEQUENCE { type OID, values SET }`.
fn check_attributes(contents: &[u8]) -> Result<(), Error> {
    let mut r = Reader::new(contents);
    while !r.is_empty() {
        let mut attribute = r.sequence()?;
        attribute.oid()?;
        attribute.set()?;
        attribute.finish()?;
    }
    Ok(())
}

/// Reads a private key given as PEM (`PRIVATE KEY` or `ENCRYPTED PRIVATE
/// KEY`) or DER (plain or encrypted), decrypting with `password` when it
/// is encrypted; returns the plain `PrivateKeyInfo` DER, validated.
///
/// # Errors
/// [`Error::InvalidParameter`] when the key is encrypted and no password
/// was given or its KDF cost exceeds `limits`; [`Error::DecryptionFailed`]
/// for a wrong password; [`Error::Malformed`] / [`Error::Unsupported`] for
/// anything else.
pub fn read(input: &[u8], password: Option<&[u8]>, limits: &Limits) -> Result<Zeroizing<Vec<u8>>, Error> {
    let trimmed = input.iter().position(|b| !b.is_ascii_whitespace()).and_then(|i| input.get(i..)).unwrap_or_default();
    let looks_like_der = trimmed.first() == Some(&crate::asn1::der::TAG_SEQUENCE);
    let (der, encrypted) = if looks_like_der {
        // Plain v1/v2 starts SEQUENCE { INTEGER ...; encrypted starts
        // SEQUENCE { SEQUENCE ...
        let mut r = Reader::new(input);
        let is_encrypted = r.sequence()?.peek_tag() == Some(crate::asn1::der::TAG_SEQUENCE);
        (Zeroizing::new(input.to_vec()), is_encrypted)
    } else {
        let block = pem::decode(input)?;
        match block.label {
            PEM_LABEL => (block.contents.clone(), false),
            ENCRYPTED_PEM_LABEL => (block.contents.clone(), true),
            _ => return Err(Error::Malformed { what: "PEM", reason: "not a PKCS #8 private key label" }),
        }
    };
    if encrypted {
        let password = password
            .ok_or(Error::InvalidParameter { what: "password", reason: "required for an encrypted private key" })?;
        EncryptedPrivateKeyInfo::from_der(&der)?.decrypt(password, limits)
    } else {
        PrivateKeyInfo::from_der(&der)?;
        Ok(der)
    }
}

#[cfg(test)]
mod tests;
