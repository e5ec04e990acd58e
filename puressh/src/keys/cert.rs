//! OpenSSH certificates (`*-cert-v01@openssh.com`, OpenSSH's
//! PROTOCOL.certkeys): a public key, the names it is valid for, a
//! validity window and options, signed by a certificate authority.
//!
//! Entry points: [`Certificate::from_blob`] (host keys in a key
//! exchange, user certificates from `-cert.pub` files through
//! [`Certificate::from_openssh_line`]), [`Certificate::verify_signature`]
//! (the CA's signature) and [`Certificate::check`] (type, validity window,
//! principal, critical options), which together decide whether a
//! certificate may stand in for a trusted key.
//!
//! Policy matches OpenSSH 9's defaults: CA signatures made with `ssh-rsa`
//! (SHA-1) are refused (`CASignatureAlgorithms`), a certificate cannot be
//! signed by another certificate, and a host certificate with any critical
//! option is refused, as none is defined for hosts.

use super::PublicKey;
use crate::error::KeyError;
use crate::names;
use crate::wire::{Reader, WireError};

/// Whether a certificate names users or hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertType {
    /// `SSH_CERT_TYPE_USER` (1): principals are user names.
    User,
    /// `SSH_CERT_TYPE_HOST` (2): principals are host names.
    Host,
}

impl CertType {
    fn from_wire(value: u32) -> Option<Self> {
        match value {
            1 => Some(Self::User),
            2 => Some(Self::Host),
            _ => None,
        }
    }

    const fn label(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Host => "host",
        }
    }
}

/// A parsed certificate. The original blob is kept: it is what the key
/// exchange hash, `known_hosts` and authentication requests carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    blob: Vec<u8>,
    /// Length of the prefix the CA signed (everything before the
    /// signature field).
    signed_len: usize,
    /// The CA's random nonce.
    pub nonce: Vec<u8>,
    /// The certified key.
    pub key: PublicKey,
    /// The CA's serial number.
    pub serial: u64,
    /// User or host certificate.
    pub cert_type: CertType,
    /// Free-form key identifier (logged by servers).
    pub key_id: String,
    /// The names the certificate is valid for; empty means any.
    pub principals: Vec<String>,
    /// Seconds since the epoch from which it is valid.
    pub valid_after: u64,
    /// Seconds since the epoch from which it no longer is.
    pub valid_before: u64,
    /// Critical options: name and value (the value is itself a string
    /// when not empty), sorted by name.
    pub critical_options: Vec<(String, Vec<u8>)>,
    /// Extensions: name and value, sorted by name.
    pub extensions: Vec<(String, Vec<u8>)>,
    /// The CA key.
    pub signature_key: PublicKey,
    /// The CA's signature blob over the signed prefix.
    pub signature: Vec<u8>,
}

const MALFORMED: KeyError = KeyError::Malformed { what: "certificate" };

fn bad(_: WireError) -> KeyError {
    MALFORMED
}

/// Most principals, options or extensions accepted in one certificate
/// (OpenSSH allows 256 principals).
const MAX_ITEMS: usize = 256;

/// The plain key type behind a certificate key type, and the reverse.
const CERT_TYPES: [(&str, &str); 5] = [
    (names::SSH_ED25519_CERT, names::SSH_ED25519),
    (names::ECDSA_SHA2_NISTP256_CERT, names::ECDSA_SHA2_NISTP256),
    (names::ECDSA_SHA2_NISTP384_CERT, names::ECDSA_SHA2_NISTP384),
    (names::ECDSA_SHA2_NISTP521_CERT, names::ECDSA_SHA2_NISTP521),
    (names::SSH_RSA_CERT, names::SSH_RSA_SHA1),
];

/// Certificate algorithm names and the signature algorithm each one
/// signs with (the RSA certificate type serves three algorithms).
const CERT_ALGORITHMS: [(&str, &str); 7] = [
    (names::SSH_ED25519_CERT, names::SSH_ED25519),
    (names::ECDSA_SHA2_NISTP256_CERT, names::ECDSA_SHA2_NISTP256),
    (names::ECDSA_SHA2_NISTP384_CERT, names::ECDSA_SHA2_NISTP384),
    (names::ECDSA_SHA2_NISTP521_CERT, names::ECDSA_SHA2_NISTP521),
    (names::RSA_SHA2_512_CERT, names::RSA_SHA2_512),
    (names::RSA_SHA2_256_CERT, names::RSA_SHA2_256),
    (names::SSH_RSA_CERT, names::SSH_RSA_SHA1),
];

/// For a certificate algorithm (`rsa-sha2-256-cert-v01@openssh.com`),
/// the signature algorithm its key signs with (`rsa-sha2-256`); `None`
/// for any other name.
#[must_use]
pub fn signature_algorithm(cert_algorithm: &str) -> Option<&'static str> {
    CERT_ALGORITHMS.iter().find(|(c, _)| *c == cert_algorithm).map(|(_, s)| *s)
}

/// The certificate algorithm that signs with `algorithm`
/// (`rsa-sha2-512` gives `rsa-sha2-512-cert-v01@openssh.com`).
#[must_use]
pub fn certificate_algorithm(algorithm: &str) -> Option<&'static str> {
    CERT_ALGORITHMS.iter().find(|(_, s)| *s == algorithm).map(|(c, _)| *c)
}

/// Whether `name` is a certificate algorithm or key type.
#[must_use]
pub fn is_certificate_algorithm(name: &str) -> bool {
    signature_algorithm(name).is_some()
}

/// Reads a string holding a packed list of strings.
fn string_list(field: &[u8]) -> Result<Vec<String>, KeyError> {
    let mut r = Reader::new(field);
    let mut out = Vec::new();
    while r.remaining() > 0 {
        if out.len() == MAX_ITEMS {
            return Err(MALFORMED);
        }
        out.push(r.utf8("principal").map_err(bad)?.to_owned());
    }
    Ok(out)
}

/// Reads critical options or extensions: `(string name, string data)`
/// pairs in strictly increasing name order, as OpenSSH requires.
fn options(field: &[u8]) -> Result<Vec<(String, Vec<u8>)>, KeyError> {
    let mut r = Reader::new(field);
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    while r.remaining() > 0 {
        if out.len() == MAX_ITEMS {
            return Err(MALFORMED);
        }
        let name = r.utf8("option name").map_err(bad)?.to_owned();
        let data = r.string().map_err(bad)?.to_vec();
        if out.last().is_some_and(|(previous, _)| *previous >= name) {
            return Err(MALFORMED);
        }
        out.push((name, data));
    }
    Ok(out)
}

impl Certificate {
    /// Parses a certificate blob, refusing unknown types, trailing bytes,
    /// an unknown certificate type, unsorted or repeated options and a CA
    /// key that is itself a certificate.
    ///
    /// # Errors
    /// [`KeyError::Malformed`], [`KeyError::Unsupported`].
    pub fn from_blob(blob: &[u8]) -> Result<Self, KeyError> {
        let mut r = Reader::new(blob);
        let cert_type_name = r.utf8("key type").map_err(bad)?;
        let plain = CERT_TYPES
            .iter()
            .find(|(c, _)| *c == cert_type_name)
            .map(|(_, p)| *p)
            .ok_or_else(|| KeyError::Unsupported { what: cert_type_name.to_owned() })?;
        let nonce = r.string().map_err(bad)?.to_vec();
        // The key's fields are those of the plain blob, in the same order.
        let fields_start = blob.len() - r.remaining();
        match plain {
            names::SSH_ED25519 => {
                r.string().map_err(bad)?;
            }
            names::SSH_RSA_SHA1 => {
                r.mpint().map_err(bad)?;
                r.mpint().map_err(bad)?;
            }
            _ => {
                r.string().map_err(bad)?;
                r.string().map_err(bad)?;
            }
        }
        let fields_end = blob.len() - r.remaining();
        let mut plain_blob = crate::wire::Writer::new();
        plain_blob.string(plain.as_bytes());
        let mut plain_blob = plain_blob.into_bytes();
        plain_blob.extend_from_slice(blob.get(fields_start..fields_end).ok_or(MALFORMED)?);
        let key = PublicKey::from_blob(&plain_blob)?;
        let serial = r.u64().map_err(bad)?;
        let cert_type = CertType::from_wire(r.u32().map_err(bad)?).ok_or(MALFORMED)?;
        let key_id = r.utf8("key id").map_err(bad)?.to_owned();
        let principals = string_list(r.string().map_err(bad)?)?;
        let valid_after = r.u64().map_err(bad)?;
        let valid_before = r.u64().map_err(bad)?;
        let critical_options = options(r.string().map_err(bad)?)?;
        let extensions = options(r.string().map_err(bad)?)?;
        r.string().map_err(bad)?; // reserved
        let signature_key = PublicKey::from_blob(r.string().map_err(bad)?)
            .map_err(|_| KeyError::Malformed { what: "certificate authority key" })?;
        let signed_len = blob.len() - r.remaining();
        let signature = r.string().map_err(bad)?.to_vec();
        r.finish().map_err(bad)?;
        Ok(Self {
            blob: blob.to_vec(),
            signed_len,
            nonce,
            key,
            serial,
            cert_type,
            key_id,
            principals,
            valid_after,
            valid_before,
            critical_options,
            extensions,
            signature_key,
            signature,
        })
    }

    /// Parses a `-cert.pub` line (`type base64 [comment]`), returning the
    /// certificate and the comment.
    ///
    /// # Errors
    /// [`KeyError::Malformed`] (also when the type field differs from
    /// the blob's), [`KeyError::Unsupported`].
    pub fn from_openssh_line(line: &str) -> Result<(Self, String), KeyError> {
        const LINE: KeyError = KeyError::Malformed { what: "certificate line" };
        let (key_type, blob, comment) = super::text::split_line(line).ok_or(LINE)?;
        let cert = Self::from_blob(&blob)?;
        if cert.key_type() != key_type {
            return Err(LINE);
        }
        Ok((cert, comment))
    }

    /// The blob as received (what goes on the wire).
    #[must_use]
    pub fn blob(&self) -> &[u8] {
        &self.blob
    }

    /// The certificate key type (`ssh-ed25519-cert-v01@openssh.com`, and
    /// `ssh-rsa-cert-v01@openssh.com` for every RSA algorithm).
    #[must_use]
    pub fn key_type(&self) -> &'static str {
        let plain = self.key.key_type();
        CERT_TYPES.iter().find(|(_, p)| *p == plain).map_or(names::SSH_RSA_CERT, |(c, _)| *c)
    }

    /// Whether `algorithm` (a certificate algorithm name) can be used
    /// with this certificate.
    #[must_use]
    pub fn fits(&self, algorithm: &str) -> bool {
        signature_algorithm(algorithm).is_some_and(|plain| self.key.fits(plain))
    }

    /// Checks the CA's signature over the certificate. CA signatures with
    /// `ssh-rsa` (SHA-1) are refused, as OpenSSH's default
    /// `CASignatureAlgorithms` does.
    ///
    /// # Errors
    /// [`KeyError::BadSignature`], [`KeyError::AlgorithmMismatch`],
    /// [`KeyError::Malformed`].
    pub fn verify_signature(&self) -> Result<(), KeyError> {
        let algorithm = Reader::new(&self.signature)
            .utf8("signature algorithm")
            .map_err(|_| KeyError::Malformed { what: "certificate signature" })?;
        if algorithm == names::SSH_RSA_SHA1 {
            return Err(KeyError::AlgorithmMismatch { algorithm: algorithm.to_owned() });
        }
        let signed = self.blob.get(..self.signed_len).ok_or(MALFORMED)?;
        self.signature_key.verify(algorithm, signed, &self.signature)
    }

    /// Checks everything but the signature and the CA: the type is `kind`,
    /// `now` (seconds since the epoch) lies in the validity window, the
    /// principal list is empty or names `principal` (host certificates
    /// may carry `*`/`?` wildcards, as OpenSSH allows), and a host
    /// certificate carries no critical option.
    ///
    /// # Errors
    /// [`KeyError::Certificate`] with the reason.
    pub fn check(&self, kind: CertType, principal: &str, now: u64) -> Result<(), KeyError> {
        let fail = |reason: String| Err(KeyError::Certificate { reason });
        if self.cert_type != kind {
            return fail(format!("a {} certificate where a {} one is needed", self.cert_type.label(), kind.label()));
        }
        if now < self.valid_after {
            return fail("certificate is not yet valid".into());
        }
        if now >= self.valid_before {
            return fail("certificate has expired".into());
        }
        let named = |p: &String| match kind {
            CertType::Host => crate::pattern::wildcard_match(p, principal, true),
            CertType::User => p == principal,
        };
        if !self.principals.is_empty() && !self.principals.iter().any(named) {
            return fail(format!("certificate does not name \"{principal}\" among its principals"));
        }
        match self.critical_options.first() {
            Some((name, _)) if kind == CertType::Host => {
                fail(format!("host certificate carries a critical option ({name})"))
            }
            _ => Ok(()),
        }
    }

    /// The certificate as a `-cert.pub` line.
    #[must_use]
    pub fn to_openssh_line(&self, comment: &str) -> String {
        super::text::join_line(self.key_type(), &self.blob, comment)
    }
}

#[cfg(test)]
mod tests;
