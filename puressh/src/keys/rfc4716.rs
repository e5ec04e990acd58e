//! Public keys outside OpenSSH's one-line form: the SSH2 public key file
//! of RFC 4716 (`ssh-keygen -e` / `-i`, the default `-m RFC4716`), and
//! the OpenSSL PEM forms of `-m PKCS8` (`PUBLIC KEY`, a
//! SubjectPublicKeyInfo) and `-m PEM` (`RSA PUBLIC KEY` for RSA).
//!
//! Entry points: [`to_rfc4716`], [`from_rfc4716`], [`to_pem`],
//! [`from_pem`]. Ed25519 has no PEM form here, as in OpenSSH 9.2.

use super::{EcCurve, PublicKey};
use crate::error::KeyError;
use purecrypto::ec::{P256, P384, P521, sec1};

const BEGIN: &str = "---- BEGIN SSH2 PUBLIC KEY ----";
const END: &str = "---- END SSH2 PUBLIC KEY ----";
const MALFORMED: KeyError = KeyError::Malformed { what: "RFC 4716 public key" };
/// Largest file accepted: a 16384-bit RSA key is under 3 KB; headers
/// may add some, never this much.
pub const MAX_RFC4716_LEN: usize = 64 * 1024;
/// Longest header tag (RFC 4716 §3.3: 64 bytes).
const MAX_TAG_LEN: usize = 64;
/// Base64 line length `ssh-keygen -e` writes (RFC 4716 caps lines at 72).
const LINE: usize = 70;

/// The RFC 4716 file for `key`, with a `Comment:` header when `comment`
/// is not empty (quoted, as `ssh-keygen` writes it).
#[must_use]
pub fn to_rfc4716(key: &PublicKey, comment: &str) -> String {
    let mut out = String::from(BEGIN);
    out.push('\n');
    if !comment.is_empty() {
        out.push_str(&format!("Comment: \"{comment}\"\n"));
    }
    let b64 = crate::base64::encode(&key.to_blob());
    for chunk in b64.as_bytes().chunks(LINE) {
        out.push_str(core::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(END);
    out.push('\n');
    out
}

/// A parsed RFC 4716 file: the key and its `Comment:` header, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rfc4716 {
    /// The key.
    pub key: PublicKey,
    /// The `Comment` header's value without quotes.
    pub comment: Option<String>,
}

/// Parses an RFC 4716 public key file: the BEGIN line, headers (`Tag:
/// value`, continued by a trailing backslash), base64 body, END line.
/// Text around the markers is ignored, as `ssh-keygen -i` does.
///
/// # Errors
/// [`KeyError::Malformed`] for a missing marker, a bad header or body,
/// or input over [`MAX_RFC4716_LEN`]; [`KeyError::Unsupported`] for an
/// unknown key type.
pub fn from_rfc4716(text: &str) -> Result<Rfc4716, KeyError> {
    if text.len() > MAX_RFC4716_LEN {
        return Err(MALFORMED);
    }
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
    lines.by_ref().find(|l| l.trim() == BEGIN).ok_or(MALFORMED)?;
    let mut comment = None;
    let mut body = String::new();
    let mut ended = false;
    let mut header: Option<String> = None;
    for line in lines.by_ref() {
        if let Some(partial) = header.as_mut() {
            // Continuation of a header that ended in a backslash.
            match line.strip_suffix('\\') {
                Some(more) => partial.push_str(more),
                None => {
                    partial.push_str(line);
                    let done = header.take().unwrap_or_default();
                    take_header(&done, &mut comment)?;
                }
            }
            continue;
        }
        if line.trim() == END {
            ended = true;
            break;
        }
        if line.contains(':') && body.is_empty() {
            match line.strip_suffix('\\') {
                Some(start) => header = Some(start.to_owned()),
                None => take_header(line, &mut comment)?,
            }
            continue;
        }
        body.push_str(line.trim());
    }
    if !ended || header.is_some() {
        return Err(MALFORMED);
    }
    let blob = crate::base64::decode(&body).ok_or(MALFORMED)?;
    Ok(Rfc4716 { key: PublicKey::from_blob(&blob)?, comment })
}

/// Checks one `Tag: value` header and keeps the comment.
fn take_header(line: &str, comment: &mut Option<String>) -> Result<(), KeyError> {
    let (tag, value) = line.split_once(':').ok_or(MALFORMED)?;
    if tag.is_empty() || tag.len() > MAX_TAG_LEN || !tag.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(MALFORMED);
    }
    if tag.eq_ignore_ascii_case("Comment") {
        let value = value.trim();
        let unquoted = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
        *comment = Some(unquoted.to_owned());
    }
    Ok(())
}

/// Which PEM form [`to_pem`] writes (`ssh-keygen -m`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PemForm {
    /// `PUBLIC KEY`: a SubjectPublicKeyInfo.
    Pkcs8,
    /// `RSA PUBLIC KEY` (PKCS #1) for RSA, SubjectPublicKeyInfo for ECDSA.
    Pem,
}

/// The key in an OpenSSL PEM form.
///
/// # Errors
/// [`KeyError::Unsupported`] for Ed25519 (as `ssh-keygen` 9.2),
/// [`KeyError::Malformed`] for a key purecrypto refuses.
pub fn to_pem(key: &PublicKey, form: PemForm) -> Result<String, KeyError> {
    const BAD: KeyError = KeyError::Malformed { what: "public key" };
    let spki = match key {
        PublicKey::Rsa { e, n } => {
            let rsa = purecrypto::rsa::RsaPublicKey::new(n, e).map_err(|_| BAD)?;
            if form == PemForm::Pem {
                return Ok(purecrypto::asn1::pem::encode("RSA PUBLIC KEY", &rsa.to_pkcs1_der()));
            }
            rsa.to_spki_der()
        }
        PublicKey::Ecdsa { curve, point } => match curve {
            EcCurve::P256 => sec1::encode_spki(&purecrypto::ec::PublicKey::<P256>::from_sec1(point).map_err(|_| BAD)?),
            EcCurve::P384 => sec1::encode_spki(&purecrypto::ec::PublicKey::<P384>::from_sec1(point).map_err(|_| BAD)?),
            EcCurve::P521 => sec1::encode_spki(&purecrypto::ec::PublicKey::<P521>::from_sec1(point).map_err(|_| BAD)?),
        },
        PublicKey::Ed25519(_) => return Err(KeyError::Unsupported { what: "key type ED25519".into() }),
    };
    Ok(purecrypto::asn1::pem::encode("PUBLIC KEY", &spki))
}

/// Reads a `PUBLIC KEY` (RSA or ECDSA P-256/384/521) or `RSA PUBLIC KEY`
/// PEM block.
///
/// # Errors
/// [`KeyError::Malformed`], [`KeyError::Unsupported`].
pub fn from_pem(text: &str) -> Result<PublicKey, KeyError> {
    const BAD: KeyError = KeyError::Malformed { what: "PEM public key" };
    let block = purecrypto::asn1::pem::decode(text.as_bytes()).map_err(|_| BAD)?;
    let rsa = |k: purecrypto::rsa::RsaPublicKey| PublicKey::Rsa { e: k.e_bytes(), n: k.n_bytes() };
    let ec = |curve: EcCurve, point: Vec<u8>| PublicKey::Ecdsa { curve, point };
    match block.label {
        "RSA PUBLIC KEY" => purecrypto::rsa::RsaPublicKey::from_pkcs1_der(&block.contents).map(rsa).map_err(|_| BAD),
        "PUBLIC KEY" => {
            let der = &block.contents;
            if let Ok(k) = purecrypto::rsa::RsaPublicKey::from_spki_der(der) {
                return Ok(rsa(k));
            }
            if let Ok(k) = sec1::decode_spki::<P256>(der) {
                return Ok(ec(EcCurve::P256, k.to_sec1(false)));
            }
            if let Ok(k) = sec1::decode_spki::<P384>(der) {
                return Ok(ec(EcCurve::P384, k.to_sec1(false)));
            }
            let k =
                sec1::decode_spki::<P521>(der).map_err(|_| KeyError::Unsupported { what: "SPKI key type".into() })?;
            Ok(ec(EcCurve::P521, k.to_sec1(false)))
        }
        other => Err(KeyError::Unsupported { what: format!("PEM block {other}") }),
    }
}

#[cfg(test)]
mod tests;
