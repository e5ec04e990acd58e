//! PKCS #12 (RFC 7292): the password-protected PFX bundle of private keys
//! and certificates (`.p12`, `.pfx`).
//!
//! Entry points: [`read`] (verify the MAC, decrypt, return a [`Pkcs12`]),
//! [`write()`] with [`WriteOptions`], and [`write_key_and_certificates`],
//! which lays a file out as `openssl pkcs12 -export` does.
//!
//! Supported: password integrity with the HMAC-SHA-1/2 `MacData` and the
//! appendix B KDF; privacy with PBES2 (PBKDF2 or scrypt, AES-CBC), the
//! OpenSSL 3 default; `keyBag`, `pkcs8ShroudedKeyBag` and `certBag`
//! (X.509, kept as opaque DER) with their `friendlyName` and `localKeyID`
//! attributes. Other bag types (CRLs, secrets, nested safe contents) are
//! skipped. The legacy schemes of `openssl pkcs12 -legacy` (3DES and RC2
//! with the appendix B KDF, SHA-1 MAC) are read but never written; RC4,
//! the PBMAC1 MAC and the public-key modes (`envelopedData`,
//! `signedData`) are refused with an
//! [`Error::Unsupported`](crate::Error::Unsupported) naming them.
//!
//! Passwords: the MAC key takes the password as a `BMPString` (UTF-16BE
//! of the UTF-8 text); PBES2 takes the UTF-8 bytes unchanged, as OpenSSL
//! does.

mod kdf;
mod legacy;
mod mac;
mod read;
mod write;

pub use read::read;
pub use write::{WriteOptions, write, write_key_and_certificates};

use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// A private key from a PFX, with its bag attributes.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyEntry {
    /// The plain PKCS #8 `PrivateKeyInfo` DER.
    pub private_key_info: Zeroizing<Vec<u8>>,
    /// The `friendlyName` attribute.
    pub friendly_name: Option<String>,
    /// The `localKeyID` attribute (OpenSSL: SHA-1 of the matching
    /// certificate).
    pub local_key_id: Option<Vec<u8>>,
}

impl core::fmt::Debug for KeyEntry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyEntry")
            .field("friendly_name", &self.friendly_name)
            .field("local_key_id", &self.local_key_id)
            .finish_non_exhaustive()
    }
}

/// An X.509 certificate from a PFX, with its bag attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertEntry {
    /// The certificate DER, as stored (not parsed here).
    pub der: Vec<u8>,
    /// The `friendlyName` attribute.
    pub friendly_name: Option<String>,
    /// The `localKeyID` attribute.
    pub local_key_id: Option<Vec<u8>>,
}

/// The decoded contents of a PFX.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pkcs12 {
    /// Private keys, in file order.
    pub keys: Vec<KeyEntry>,
    /// Certificates, in file order.
    pub certificates: Vec<CertEntry>,
    /// Whether a MAC was present (and verified: a wrong MAC is an error).
    /// `false` for files written without integrity (`-nomac`).
    pub mac_verified: bool,
    /// Bags of types this module does not read (CRLs, secrets...).
    pub skipped_bags: usize,
}

#[cfg(test)]
mod tests;
