//! Reading a PFX: MAC first, then each safe (plain or PBES2-encrypted),
//! then each bag.
//!
//! Entry point: [`read`].

use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::mac::MacData;
use super::{CertEntry, KeyEntry, Pkcs12};
use crate::Error;
use crate::asn1::der::{Reader, TAG_OCTET_STRING};
use crate::asn1::oid;
use crate::pkcs5::{Limits, Pbes2Params};
use crate::pkcs8::PrivateKeyInfo;

/// `BMPString`.
const TAG_BMP_STRING: u8 = 0x1e;
/// `[0] IMPLICIT OCTET STRING`, primitive (DER).
const TAG_ENCRYPTED_CONTENT: u8 = 0x80;
/// Each encrypted safe or shrouded key costs a full key derivation, whose
/// cost the file chooses; this bounds how many one file may ask for.
const MAX_DECRYPTIONS: usize = 64;

fn malformed(reason: &'static str) -> Error {
    Error::Malformed { what: "PKCS #12", reason }
}

/// Parses `der`, verifies its MAC (when present) and decrypts its
/// contents with `password`, within `limits`.
///
/// # Errors
/// [`Error::VerificationFailed`] when the MAC does not verify (a wrong
/// password, or a tampered file); [`Error::DecryptionFailed`] when a safe
/// or key does not decrypt; [`Error::Unsupported`] for legacy or
/// public-key modes (named); [`Error::InvalidParameter`] when a cost
/// exceeds `limits` or the file asks for more than 64 decryptions;
/// [`Error::Malformed`] otherwise.
pub fn read(der: &[u8], password: &[u8], limits: &Limits) -> Result<Pkcs12, Error> {
    let mut outer = Reader::new(der);
    let mut pfx = outer.sequence()?;
    if pfx.small_unsigned()? != 3 {
        return Err(malformed("version is not 3"));
    }
    let auth_safe = data_content(&mut pfx)?;
    let mac = if pfx.is_empty() { None } else { Some(MacData::read(&mut pfx)?) };
    pfx.finish()?;
    outer.finish()?;
    if let Some(mac) = &mac {
        mac.verify(password, auth_safe, limits)?;
    }

    let mut state = State {
        out: Pkcs12 { keys: Vec::new(), certificates: Vec::new(), mac_verified: mac.is_some(), skipped_bags: 0 },
        password,
        limits,
        decryptions: 0,
    };
    let mut top = Reader::new(auth_safe);
    let mut safes = top.sequence()?;
    top.finish()?;
    while !safes.is_empty() {
        let mut info = safes.sequence()?;
        let content_type = info.oid()?;
        let mut content = info.explicit(0)?;
        info.finish()?;
        if content_type == oid::PKCS7_DATA {
            let octets = content.octet_string()?;
            content.finish()?;
            state.safe_contents(octets)?;
        } else if content_type == oid::PKCS7_ENCRYPTED_DATA {
            let plain = state.encrypted_data(&mut content)?;
            content.finish()?;
            state.safe_contents(&plain)?;
        } else {
            return Err(Error::Unsupported { what: "PKCS #12 public-key privacy mode (envelopedData)" });
        }
    }
    Ok(state.out)
}

/// Reads `ContentInfo { data, [0] EXPLICIT OCTET STRING }`; returns the
/// octets.
fn data_content<'a>(r: &mut Reader<'a>) -> Result<&'a [u8], Error> {
    let mut info = r.sequence()?;
    if info.oid()? != oid::PKCS7_DATA {
        return Err(Error::Unsupported { what: "PKCS #12 public-key integrity mode (signedData)" });
    }
    let mut content = info.explicit(0)?;
    info.finish()?;
    let octets = content.octet_string()?;
    content.finish()?;
    Ok(octets)
}

struct State<'p> {
    out: Pkcs12,
    password: &'p [u8],
    limits: &'p Limits,
    decryptions: usize,
}

impl State<'_> {
    fn count_decryption(&mut self) -> Result<(), Error> {
        self.decryptions += 1;
        if self.decryptions > MAX_DECRYPTIONS {
            return Err(Error::InvalidParameter { what: "PKCS #12 encrypted items", reason: "at most 64 per file" });
        }
        Ok(())
    }

    /// `EncryptedData ::= SEQUENCE { version, EncryptedContentInfo {
    /// contentType, contentEncryptionAlgorithm, [0] IMPLICIT encrypted
    /// content }, [1] unprotectedAttrs OPTIONAL }`.
    fn encrypted_data(&mut self, r: &mut Reader<'_>) -> Result<Zeroizing<Vec<u8>>, Error> {
        let mut seq = r.sequence()?;
        if !matches!(seq.small_unsigned()?, 0 | 2) {
            return Err(malformed("unknown EncryptedData version"));
        }
        let mut eci = seq.sequence()?;
        // The trailing [1] unprotected attributes are allowed and ignored.
        if seq.peek_tag().is_some_and(|t| t != 0xa1) {
            return Err(malformed("trailing data in EncryptedData"));
        }
        if eci.oid()? != oid::PKCS7_DATA {
            return Err(malformed("encrypted content is not data"));
        }
        let algorithm = eci.any_raw()?;
        if eci.peek_tag() != Some(TAG_ENCRYPTED_CONTENT) {
            return Err(malformed("missing or constructed encrypted content"));
        }
        let (_, ciphertext) = eci.any()?;
        eci.finish()?;
        self.decrypt(algorithm, ciphertext)
    }

    /// Decrypts under the `AlgorithmIdentifier` `algorithm`: PBES2 (the
    /// password as UTF-8 bytes) or a legacy PKCS #12 scheme.
    fn decrypt(&mut self, algorithm: &[u8], ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
        self.count_decryption()?;
        let mut r = Reader::new(algorithm);
        let scheme = r.clone().sequence()?.oid()?;
        if scheme == oid::PBES2 {
            let params = Pbes2Params::from_algorithm_identifier(&mut r)?;
            r.finish()?;
            return params.decrypt(self.password, ciphertext, self.limits);
        }
        let mut id = r.sequence()?;
        let scheme = id.oid()?;
        let mut params = id.sequence()?;
        id.finish()?;
        r.finish()?;
        let plain = super::legacy::decrypt(scheme, &mut params, self.password, ciphertext, self.limits)?;
        params.finish()?;
        Ok(plain)
    }

    /// `SafeContents ::= SEQUENCE OF SafeBag`.
    fn safe_contents(&mut self, der: &[u8]) -> Result<(), Error> {
        let mut outer = Reader::new(der);
        let mut bags = outer.sequence()?;
        outer.finish()?;
        while !bags.is_empty() {
            self.bag(bags.sequence()?)?;
        }
        Ok(())
    }

    /// `SafeBag ::= SEQUENCE { bagId, [0] EXPLICIT bagValue, bagAttributes
    /// SET OPTIONAL }`.
    fn bag(&mut self, mut bag: Reader<'_>) -> Result<(), Error> {
        let bag_id = bag.oid()?;
        let mut value = bag.explicit(0)?;
        let (friendly_name, local_key_id) = attributes(&mut bag)?;
        bag.finish()?;
        if bag_id == oid::PKCS12_KEY_BAG {
            let der = value.any_raw()?;
            PrivateKeyInfo::from_der(der)?;
            self.out.keys.push(KeyEntry {
                private_key_info: Zeroizing::new(der.to_vec()),
                friendly_name,
                local_key_id,
            });
        } else if bag_id == oid::PKCS12_SHROUDED_KEY_BAG {
            // EncryptedPrivateKeyInfo, with PBES2 or a legacy scheme.
            let mut encrypted = value.sequence()?;
            let algorithm = encrypted.any_raw()?;
            let ciphertext = encrypted.octet_string()?;
            encrypted.finish()?;
            let private_key_info = self.decrypt(algorithm, ciphertext)?;
            if PrivateKeyInfo::from_der(&private_key_info).is_err() {
                return Err(Error::DecryptionFailed);
            }
            self.out.keys.push(KeyEntry { private_key_info, friendly_name, local_key_id });
        } else if bag_id == oid::PKCS12_CERT_BAG {
            let mut cert_bag = value.sequence()?;
            let cert_type = cert_bag.oid()?;
            let mut cert_value = cert_bag.explicit(0)?;
            cert_bag.finish()?;
            if cert_type == oid::PKCS9_X509_CERTIFICATE {
                let der = cert_value.octet_string()?.to_vec();
                cert_value.finish()?;
                self.out.certificates.push(CertEntry { der, friendly_name, local_key_id });
            } else {
                self.out.skipped_bags += 1;
            }
            return Ok(());
        } else {
            self.out.skipped_bags += 1;
            return Ok(());
        }
        value.finish()
    }
}

/// Reads the optional bag attributes; returns `friendlyName` and
/// `localKeyID`, ignoring the others.
fn attributes(bag: &mut Reader<'_>) -> Result<(Option<String>, Option<Vec<u8>>), Error> {
    let (mut name, mut key_id) = (None, None);
    if bag.is_empty() {
        return Ok((name, key_id));
    }
    let mut set = bag.set()?;
    while !set.is_empty() {
        let mut attribute = set.sequence()?;
        let id = attribute.oid()?;
        let mut values = attribute.set()?;
        attribute.finish()?;
        if id == oid::PKCS9_FRIENDLY_NAME {
            name = Some(bmp_to_string(values.expect(TAG_BMP_STRING, "PKCS #12 friendlyName")?)?);
            values.finish()?;
        } else if id == oid::PKCS9_LOCAL_KEY_ID {
            key_id = Some(values.expect(TAG_OCTET_STRING, "PKCS #12 localKeyID")?.to_vec());
            values.finish()?;
        }
    }
    Ok((name, key_id))
}

/// Decodes a `BMPString` (UTF-16BE; surrogate pairs accepted, as
/// Windows writes them).
pub(crate) fn bmp_to_string(bytes: &[u8]) -> Result<String, Error> {
    if !bytes.len().is_multiple_of(2) {
        return Err(malformed("BMPString of odd length"));
    }
    let units = bytes
        .chunks_exact(2)
        .map(|p| u16::from_be_bytes([p.first().copied().unwrap_or(0), p.get(1).copied().unwrap_or(0)]));
    char::decode_utf16(units).collect::<Result<String, _>>().map_err(|_| malformed("BMPString with a lone surrogate"))
}
