//! Writing a PFX in OpenSSL 3's layout: certificates in a PBES2
//! `encryptedData` safe, keys as `pkcs8ShroudedKeyBag`s in a `data` safe,
//! an HMAC-SHA-256 `MacData`.
//!
//! Entry points: [`write()`], [`write_key_and_certificates`].

use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::mac;
use super::{CertEntry, KeyEntry};
use crate::Error;
use crate::asn1::der::Writer;
use crate::asn1::oid;
use crate::hash::{Hash, HashAlgorithm, Sha1};
use crate::pkcs5::{self, EncryptOptions};
use crate::pkcs8;
use crate::rng::CryptoRng;

/// `BMPString`.
const TAG_BMP_STRING: u8 = 0x1e;
/// `[0] IMPLICIT OCTET STRING`, primitive.
const TAG_ENCRYPTED_CONTENT: u8 = 0x80;

/// Choices for [`write()`]. The default matches `openssl pkcs12 -export` in
/// OpenSSL 3: PBES2 (PBKDF2-HMAC-SHA-256, 2048 iterations, AES-256-CBC)
/// for keys and certificates, MAC HMAC-SHA-256 with 2048 iterations and
/// an 8-byte salt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WriteOptions {
    /// Encryption of the shrouded keys and the certificate safe.
    pub encryption: EncryptOptions,
    /// Whether the certificates are encrypted too (OpenSSL's default) or
    /// stored in a plain `data` safe (`-certpbe NONE`).
    pub encrypt_certificates: bool,
    /// The MAC digest (SHA-1 or SHA-2), `None` for no MAC (`-nomac`).
    pub mac: Option<HashAlgorithm>,
    /// The MAC's KDF iteration count.
    pub mac_iterations: u32,
}

impl WriteOptions {
    /// The OpenSSL 3 defaults described above.
    pub const DEFAULT: Self = Self {
        encryption: EncryptOptions::DEFAULT,
        encrypt_certificates: true,
        mac: Some(HashAlgorithm::Sha256),
        mac_iterations: 2048,
    };
}

impl Default for WriteOptions {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Writes the bag attributes (a DER `SET OF`, so sorted by encoding).
fn write_attributes(w: &mut Writer, friendly_name: Option<&str>, local_key_id: Option<&[u8]>) {
    let mut encoded: Vec<Vec<u8>> = Vec::new();
    if let Some(name) = friendly_name {
        let bmp: Vec<u8> = name.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let mut a = Writer::new();
        a.sequence(|a| {
            a.oid(oid::PKCS9_FRIENDLY_NAME);
            a.set(|a| a.tlv(TAG_BMP_STRING, &bmp));
        });
        encoded.push(a.finish());
    }
    if let Some(id) = local_key_id {
        let mut a = Writer::new();
        a.sequence(|a| {
            a.oid(oid::PKCS9_LOCAL_KEY_ID);
            a.set(|a| a.octet_string(id));
        });
        encoded.push(a.finish());
    }
    if encoded.is_empty() {
        return;
    }
    encoded.sort();
    w.set(|w| {
        for attribute in &encoded {
            w.raw(attribute);
        }
    });
}

/// `ContentInfo { contentType, [0] EXPLICIT content }`.
fn content_info(w: &mut Writer, content_type: &[u8], body: impl FnOnce(&mut Writer)) {
    w.sequence(|w| {
        w.oid(content_type);
        w.explicit(0, body);
    });
}

/// Writes a PFX holding `keys` (each shrouded with PBES2) and
/// `certificates`, protected by `password`.
///
/// # Errors
/// [`Error::Malformed`] when a key is not a `PrivateKeyInfo`; the
/// errors of [`pkcs5::encrypt`] and of the RNG.
pub fn write(
    keys: &[KeyEntry],
    certificates: &[CertEntry],
    password: &[u8],
    options: &WriteOptions,
    rng: &mut impl CryptoRng,
) -> Result<Vec<u8>, Error> {
    let mut cert_bags = Writer::new();
    cert_bags.sequence(|w| {
        for cert in certificates {
            w.sequence(|w| {
                w.oid(oid::PKCS12_CERT_BAG);
                w.explicit(0, |w| {
                    w.sequence(|w| {
                        w.oid(oid::PKCS9_X509_CERTIFICATE);
                        w.explicit(0, |w| w.octet_string(&cert.der));
                    });
                });
                write_attributes(w, cert.friendly_name.as_deref(), cert.local_key_id.as_deref());
            });
        }
    });
    let cert_bags = cert_bags.finish();

    let mut shrouded = Vec::with_capacity(keys.len());
    for key in keys {
        shrouded.push(pkcs8::encrypt(&key.private_key_info, password, &options.encryption, rng)?);
    }
    let mut key_bags = Writer::new();
    key_bags.sequence(|w| {
        for (key, encrypted) in keys.iter().zip(&shrouded) {
            w.sequence(|w| {
                w.oid(oid::PKCS12_SHROUDED_KEY_BAG);
                w.explicit(0, |w| w.raw(encrypted));
                write_attributes(w, key.friendly_name.as_deref(), key.local_key_id.as_deref());
            });
        }
    });
    let key_bags = key_bags.finish();

    let encrypted_certs = if options.encrypt_certificates && !certificates.is_empty() {
        Some(pkcs5::encrypt(&options.encryption, password, &cert_bags, rng)?)
    } else {
        None
    };

    let mut safes = Writer::new();
    safes.sequence(|w| {
        if let Some(sealed) = &encrypted_certs {
            content_info(w, oid::PKCS7_ENCRYPTED_DATA, |w| {
                w.sequence(|w| {
                    w.small_unsigned(0);
                    w.sequence(|w| {
                        w.oid(oid::PKCS7_DATA);
                        w.raw(&sealed.algorithm);
                        w.tlv(TAG_ENCRYPTED_CONTENT, &sealed.ciphertext);
                    });
                });
            });
        } else if !certificates.is_empty() {
            content_info(w, oid::PKCS7_DATA, |w| w.octet_string(&cert_bags));
        }
        if !keys.is_empty() {
            content_info(w, oid::PKCS7_DATA, |w| w.octet_string(&key_bags));
        }
    });
    let auth_safe = safes.finish();

    let mut mac_data = Writer::new();
    if let Some(alg) = options.mac {
        let mut salt = [0u8; 8];
        rng.try_fill_bytes(&mut salt)?;
        mac::write(&mut mac_data, alg, password, &salt, options.mac_iterations, &auth_safe)?;
    }
    let mac_data = mac_data.finish();

    let mut pfx = Writer::new();
    pfx.sequence(|w| {
        w.small_unsigned(3);
        content_info(w, oid::PKCS7_DATA, |w| w.octet_string(&auth_safe));
        w.raw(&mac_data);
    });
    Ok(pfx.finish())
}

/// Writes a PFX as `openssl pkcs12 -export -inkey KEY -in CERT [-certfile
/// CHAIN] [-name NAME]` does: the key and its certificate share a
/// `localKeyID` (the SHA-1 of the certificate) and the `friendlyName`;
/// the chain certificates carry no attributes.
///
/// # Errors
/// As [`write()`].
#[allow(clippy::too_many_arguments)]
pub fn write_key_and_certificates(
    private_key_info: &[u8],
    certificate: &[u8],
    chain: &[&[u8]],
    friendly_name: Option<&str>,
    password: &[u8],
    options: &WriteOptions,
    rng: &mut impl CryptoRng,
) -> Result<Vec<u8>, Error> {
    let local_key_id = Sha1::digest(certificate).to_vec();
    let name = friendly_name.map(alloc::string::ToString::to_string);
    let keys = [KeyEntry {
        private_key_info: Zeroizing::new(private_key_info.to_vec()),
        friendly_name: name.clone(),
        local_key_id: Some(local_key_id.clone()),
    }];
    let mut certificates =
        alloc::vec![CertEntry { der: certificate.to_vec(), friendly_name: name, local_key_id: Some(local_key_id) }];
    certificates.extend(chain.iter().map(|c| CertEntry { der: c.to_vec(), friendly_name: None, local_key_id: None }));
    write(&keys, &certificates, password, options, rng)
}
