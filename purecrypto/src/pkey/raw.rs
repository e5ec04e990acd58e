//! Public keys kept together with their encoding, so
//! [`PublicKey::as_bytes`](super::PublicKey::as_bytes) can lend the
//! `subjectPublicKey` bits of every key type; and the `CurvePrivateKey`
//! wrapping (RFC 8410: an `OCTET STRING` inside the PKCS #8 octets) of
//! the Edwards and Montgomery keys.
//!
//! Entry points: [`Encoded`], [`wrap_octet_string`],
//! [`unwrap_octet_string`].

use alloc::vec::Vec;
use zeroize::Zeroizing;

use crate::Error;
use crate::asn1::der::Reader;

/// A public key and its encoding (PKCS #1 `RSAPublicKey` DER for RSA, the
/// raw key for Ed25519 / Ed448). Equality compares the encodings.
#[derive(Clone)]
pub struct Encoded<K> {
    key: K,
    bytes: Vec<u8>,
}

impl<K> Encoded<K> {
    pub(super) const fn new(key: K, bytes: Vec<u8>) -> Self {
        Self { key, bytes }
    }

    /// The key.
    #[must_use]
    pub const fn key(&self) -> &K {
        &self.key
    }

    /// Its encoding.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl<K> PartialEq for Encoded<K> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl<K> Eq for Encoded<K> {}

impl<K: core::fmt::Debug> core::fmt::Debug for Encoded<K> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.key.fmt(f)
    }
}

/// `OCTET STRING { raw }` DER, built in one zeroizing buffer (the raw
/// bytes are a private key).
pub(super) fn wrap_octet_string(raw: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(raw.len() + 2));
    out.push(0x04);
    // Curve keys are at most 57 bytes: a one-byte length.
    out.push(u8::try_from(raw.len()).unwrap_or(0));
    out.extend_from_slice(raw);
    out
}

/// The contents of the `OCTET STRING` that must fill `octets` and hold
/// exactly `len` bytes.
pub(super) fn unwrap_octet_string<'a>(octets: &'a [u8], len: usize, what: &'static str) -> Result<&'a [u8], Error> {
    let mut r = Reader::new(octets);
    let raw = r.octet_string()?;
    r.finish()?;
    if raw.len() != len {
        return Err(Error::InvalidLength { what, expected: "the curve's key length", actual: raw.len() });
    }
    Ok(raw)
}
