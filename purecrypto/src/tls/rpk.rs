//! Raw public keys (RFC 7250): a peer authenticates with a bare
//! `SubjectPublicKeyInfo` instead of a certificate chain, and the other
//! side trusts the key itself (a pin), not a CA.
//!
//! This file holds what is particular to raw keys and shared by both
//! versions: the certificate-type code points and the bodies of the
//! `client_certificate_type` (19) and `server_certificate_type` (20)
//! extensions, the server's choice of a type (its own, `choose`; the
//! client's, `client_auth_type`), the checks of a received key
//! (`server_key`, `client_key`), the [`RawKeyVerifier`] trait with its
//! pinning implementation [`PinnedRawKeys`], and [`RawKeyIdentity`] (a key
//! with its SPKI, what a side presents). The handshakes call in here.
//! TLS 1.3 (`client.rs`, `server.rs`, RFC 8446 section 4.4.2) answers the
//! extensions in EncryptedExtensions and sends the usual Certificate with
//! a single entry whose `cert_data` is the SPKI DER; TLS 1.2
//! (`tls12/client.rs`, `tls12/server.rs`) answers them in the ServerHello
//! and sends the SPKI as the whole Certificate body,
//! `opaque ASN.1_subjectPublicKeyInfo<1..2^24-1>` (RFC 7250 section 3).
//!
//! Entry points: [`CertificateType`], [`RawKeyVerifier`],
//! [`PinnedRawKeys`], [`RawKeyIdentity`].
//!
//! Resumption: a resumed connection reports the peer's identity the
//! original handshake verified, on both sides and in both versions
//! (clients keep it in their stored sessions, servers in their tickets
//! and session cache). Not covered: post-handshake authentication
//! verifies X.509 chains only, so it fails after a raw client key.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use super::cert::{SigningKey, leaf_spki};
use super::codec::{Reader, put_vec};
use super::config::{ClientConfig, ServerConfig};
use super::conn::Negotiated;
use super::error::{Error, decode};
use crate::asn1::oid;
use crate::asn1::spki::SubjectPublicKeyInfo;
use crate::hash::{Hash, Sha256};

/// A certificate type (the TLS "TLS Certificate Types" registry). Open:
/// a peer may list values this crate does not know; they print as hex
/// and are never chosen.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CertificateType(pub u8);

impl CertificateType {
    /// `X509`: a certificate chain (the default when nothing is negotiated).
    pub const X509: Self = Self(0);
    /// `RawPublicKey`: a bare DER `SubjectPublicKeyInfo` (RFC 7250).
    pub const RAW_PUBLIC_KEY: Self = Self(2);

    /// Whether this crate can send and receive the type.
    #[must_use]
    pub const fn is_supported(self) -> bool {
        matches!(self, Self::X509 | Self::RAW_PUBLIC_KEY)
    }
}

impl fmt::Debug for CertificateType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::X509 => f.write_str("X509"),
            Self::RAW_PUBLIC_KEY => f.write_str("RawPublicKey"),
            Self(v) => write!(f, "CertificateType({v:#04x})"),
        }
    }
}

/// A ClientHello's list body: `CertificateType types<1..2^8-1>`, kept in
/// the client's order of preference, unknown values included (the server
/// skips them).
pub(crate) fn decode_offer(e: &mut Reader<'_>) -> Result<Vec<CertificateType>, Error> {
    let list = e.vec8()?;
    if list.is_empty() {
        return Err(decode("certificate type list"));
    }
    Ok(list.iter().copied().map(CertificateType).collect())
}

/// Encodes a ClientHello's list body.
pub(crate) fn encode_offer(out: &mut Vec<u8>, types: &[CertificateType]) {
    put_vec(out, 1, |o| o.extend(types.iter().map(|t| t.0)));
}

/// A server's answer body (EncryptedExtensions): the one type chosen.
pub(crate) fn decode_choice(e: &mut Reader<'_>) -> Result<CertificateType, Error> {
    Ok(CertificateType(e.u8()?))
}

/// Checks the server's answer against what we `offered` (`None`: the
/// extension was not sent). An answer to an extension never sent is
/// `unsupported_extension`; a type we did not list is
/// `illegal_parameter`. With no answer the type is X.509, which must be
/// one we accept (`unsupported_certificate` otherwise).
pub(crate) fn check_choice(
    offered: Option<&[CertificateType]>,
    chosen: Option<CertificateType>,
) -> Result<CertificateType, Error> {
    match (offered, chosen) {
        (None, Some(_)) => Err(Error::UnsupportedExtension { what: "certificate type not offered" }),
        (Some(list), Some(t)) if !list.contains(&t) => {
            Err(Error::IllegalParameter { what: "certificate type not in the offered list" })
        }
        (_, Some(t)) => Ok(t),
        (Some(list), None) if !list.contains(&CertificateType::X509) => {
            Err(Error::UnsupportedCertificate { what: "server answered X.509 to a raw-public-key-only offer" })
        }
        (_, None) => Ok(CertificateType::X509),
    }
}

/// The server's pick from a client's `offered` list (client order, RFC
/// 7250 section 4.2), among the types it can do (`raw`, `x509`). Without
/// the extension the client takes only X.509. Nothing in common is
/// `unsupported_certificate`.
pub(crate) fn choose(offered: Option<&[CertificateType]>, raw: bool, x509: bool) -> Result<CertificateType, Error> {
    let can = |t: &CertificateType| match *t {
        CertificateType::RAW_PUBLIC_KEY => raw,
        CertificateType::X509 => x509,
        _ => false,
    };
    match offered {
        None if x509 => Ok(CertificateType::X509),
        None => Err(Error::UnsupportedCertificate { what: "client offers only X.509; no certificate configured" }),
        Some(list) => list
            .iter()
            .copied()
            .find(can)
            .ok_or(Error::UnsupportedCertificate { what: "no certificate type in common" }),
    }
}

/// The DER `SubjectPublicKeyInfo` a peer sent as its raw key, checked for
/// form before any verifier sees it: one entry, a well-formed SPKI with
/// no trailing bytes, of an algorithm TLS signs with. Anything else is
/// `bad_certificate`.
pub(crate) fn peer_key(chain: &[Vec<u8>]) -> Result<&[u8], Error> {
    let [spki] = chain else {
        return Err(Error::BadCertificate { what: "raw public key: exactly one entry expected" });
    };
    let parsed = SubjectPublicKeyInfo::from_der(spki)
        .map_err(|_| Error::BadCertificate { what: "raw public key: malformed SubjectPublicKeyInfo" })?;
    let known = [oid::EC_PUBLIC_KEY, oid::RSA_ENCRYPTION, oid::RSASSA_PSS, oid::ED25519, oid::ED448];
    if !known.contains(&parsed.algorithm) {
        return Err(Error::BadCertificate { what: "raw public key: unsupported algorithm" });
    }
    Ok(spki)
}

/// The server's raw key in `chain` (the entries of a TLS 1.3
/// Certificate, or the one SPKI of a TLS 1.2 one), checked for form and
/// judged by the client's
/// [`server_raw_key_verifier`](ClientConfig::server_raw_key_verifier).
pub(crate) fn server_key(config: &ClientConfig, chain: &[Vec<u8>], now_unix: u64) -> Result<Vec<u8>, Error> {
    let spki = peer_key(chain)?;
    let verifier = config
        .server_raw_key_verifier
        .as_ref()
        .ok_or(Error::UnsupportedCertificate { what: "raw public key without server_raw_key_verifier" })?;
    verifier.verify(spki, now_unix)?;
    if config.require_ocsp_good {
        return Err(Error::BadCertificateStatus { what: "no OCSP for a raw public key" });
    }
    Ok(spki.to_vec())
}

/// The client's raw key in `chain` as [`server_key`] checks the
/// server's, judged by the server's
/// [`client_raw_key_verifier`](ServerConfig::client_raw_key_verifier).
/// `Ok(None)`: the client sent nothing and the verifier lets it through
/// (a mandatory one answers `certificate_required`; TLS 1.2 callers map
/// that to `handshake_failure`, as RFC 5246 section 7.4.6 asks).
pub(crate) fn client_key(config: &ServerConfig, chain: &[Vec<u8>], now_unix: u64) -> Result<Option<Vec<u8>>, Error> {
    let verifier = config.client_raw_key_verifier.as_ref().ok_or(Error::UnexpectedMessage { what: "Certificate" })?;
    if chain.is_empty() {
        return if verifier.client_auth_mandatory() { Err(Error::CertificateRequired) } else { Ok(None) };
    }
    let spki = peer_key(chain)?;
    verifier.verify(spki, now_unix)?;
    Ok(Some(spki.to_vec()))
}

/// The key that signs for what our Certificate carries: the raw key
/// when `cert_type` is RawPublicKey, the chain's key otherwise.
pub(crate) fn server_signing_key(config: &ServerConfig, cert_type: CertificateType) -> Arc<SigningKey> {
    match &config.raw_key {
        Some(r) if cert_type == CertificateType::RAW_PUBLIC_KEY => r.key.clone(),
        _ => config.key.clone(),
    }
}

/// What to ask the client to authenticate with (RFC 7250 section 4.2),
/// `None` for no CertificateRequest: the first type of the client's
/// `client_certificate_type` list `offered` (X.509 without one) that a
/// configured verifier judges. With none in common a mandatory verifier
/// refuses the client (`unsupported_certificate`); optional ones let it
/// through unauthenticated.
pub(crate) fn client_auth_type(
    config: &ServerConfig,
    offered: Option<&[CertificateType]>,
) -> Result<Option<CertificateType>, Error> {
    let raw = config.client_raw_key_verifier.as_ref();
    let x509 = config.client_verifier.as_ref();
    if raw.is_none() && x509.is_none() {
        return Ok(None);
    }
    match choose(offered, raw.is_some(), x509.is_some()) {
        Ok(t) => Ok(Some(t)),
        Err(e) if config.client_auth_mandatory() => Err(e),
        Err(_) => Ok(None),
    }
}

/// The SPKI the peer's signatures verify under: its raw key, else its
/// chain's leaf key.
pub(crate) fn peer_spki(negotiated: &Negotiated) -> Result<&[u8], Error> {
    match &negotiated.peer_raw_key {
        Some(spki) => Ok(spki),
        None => leaf_spki(negotiated.peer_chain.first().ok_or(Error::BadCertificate { what: "no leaf" })?),
    }
}

/// Decides whether a peer's raw public key is acceptable. The
/// connection has already checked the SPKI's form and checks the
/// CertificateVerify signature itself, so a verifier only judges the key.
pub trait RawKeyVerifier: Send + Sync {
    /// `spki` is the peer's DER `SubjectPublicKeyInfo`.
    ///
    /// # Errors
    /// [`Error::BadCertificate`] (or another variant whose alert fits
    /// better) when the key is not trusted.
    fn verify(&self, spki: &[u8], now_unix: u64) -> Result<(), Error>;

    /// Only asked by a server judging clients: whether a client that
    /// sends no key is refused (`certificate_required`). Default `true`.
    fn client_auth_mandatory(&self) -> bool {
        true
    }
}

/// Trusts a fixed set of keys, each pinned by its whole SPKI DER or by
/// the SHA-256 of it (the form `gnutls-cli`'s trust-on-first-use and
/// DANE-style pins take).
#[derive(Clone, Debug, Default)]
pub struct PinnedRawKeys {
    spkis: Vec<Vec<u8>>,
    sha256: Vec<[u8; 32]>,
    optional: bool,
}

impl PinnedRawKeys {
    /// An empty set (trusts nothing until pins are added).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a pin on a whole DER `SubjectPublicKeyInfo`.
    #[must_use]
    pub fn with_spki(mut self, spki_der: Vec<u8>) -> Self {
        self.spkis.push(spki_der);
        self
    }

    /// Adds a pin on the SHA-256 of a DER `SubjectPublicKeyInfo`.
    #[must_use]
    pub fn with_spki_sha256(mut self, digest: [u8; 32]) -> Self {
        self.sha256.push(digest);
        self
    }

    /// As a server's client verifier: let clients without a key through
    /// unauthenticated instead of refusing them.
    #[must_use]
    pub const fn optional(mut self) -> Self {
        self.optional = true;
        self
    }
}

impl RawKeyVerifier for PinnedRawKeys {
    fn verify(&self, spki: &[u8], _now_unix: u64) -> Result<(), Error> {
        let digest = Sha256::digest(spki);
        let pinned = self.spkis.iter().any(|p| p.as_slice() == spki) || self.sha256.iter().any(|p| p[..] == digest[..]);
        if pinned { Ok(()) } else { Err(Error::BadCertificate { what: "raw public key is not pinned" }) }
    }

    fn client_auth_mandatory(&self) -> bool {
        !self.optional
    }
}

/// A private key and the DER `SubjectPublicKeyInfo` of its public half:
/// what a side sends when RawPublicKey is negotiated.
#[derive(Clone)]
pub struct RawKeyIdentity {
    /// The DER `SubjectPublicKeyInfo` sent as the Certificate entry.
    pub spki: Vec<u8>,
    /// Signs CertificateVerify.
    pub key: Arc<SigningKey>,
}

impl RawKeyIdentity {
    /// Derives the SPKI from `key`.
    ///
    /// # Errors
    /// [`Error::Config`] for an RSA-PSS (`id-RSASSA-PSS`) key, whose SPKI
    /// carries parameters this side does not rebuild: pass it with
    /// [`RawKeyIdentity::with_spki`].
    pub fn new(key: SigningKey) -> Result<Self, Error> {
        let spki = key.spki_der()?;
        Ok(Self { spki, key: Arc::new(key) })
    }

    /// Pairs `key` with a given `spki`, checking that they belong together.
    ///
    /// # Errors
    /// [`Error::Config`] when the SPKI does not decode or is not `key`'s.
    pub fn with_spki(key: SigningKey, spki: Vec<u8>) -> Result<Self, Error> {
        peer_key(core::slice::from_ref(&spki)).map_err(|_| Error::Config { what: "raw public key SPKI" })?;
        key.check_matches(&spki)?;
        Ok(Self { spki, key: Arc::new(key) })
    }
}

impl fmt::Debug for RawKeyIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawKeyIdentity").field("spki_len", &self.spki.len()).field("key", &self.key).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offer_round_trips_and_keeps_unknown_types() {
        let types = [CertificateType::RAW_PUBLIC_KEY, CertificateType(0xee), CertificateType::X509];
        let mut out = Vec::new();
        encode_offer(&mut out, &types);
        assert_eq!(out, [3, 2, 0xee, 0]);
        let mut r = Reader::new(&out, "test");
        assert_eq!(decode_offer(&mut r).unwrap(), types);
        assert_eq!(alloc::format!("{:?}", CertificateType(0xee)), "CertificateType(0xee)");
    }

    #[test]
    fn empty_offer_is_a_decode_error() {
        let mut r = Reader::new(&[0], "test");
        assert!(matches!(decode_offer(&mut r), Err(Error::Decode { .. })));
    }

    #[test]
    fn server_choice_follows_client_order_and_skips_unknown() {
        let rpk = CertificateType::RAW_PUBLIC_KEY;
        let x509 = CertificateType::X509;
        let offer = [CertificateType(7), rpk, x509];
        assert_eq!(choose(Some(&offer), true, true).unwrap(), rpk);
        assert_eq!(choose(Some(&offer), false, true).unwrap(), x509);
        assert_eq!(choose(None, true, true).unwrap(), x509);
        assert!(matches!(choose(None, true, false), Err(Error::UnsupportedCertificate { .. })));
        assert!(matches!(choose(Some(&[rpk]), false, true), Err(Error::UnsupportedCertificate { .. })));
        assert!(matches!(choose(Some(&[CertificateType(7)]), true, true), Err(Error::UnsupportedCertificate { .. })));
    }

    #[test]
    fn client_checks_the_answer() {
        let rpk = CertificateType::RAW_PUBLIC_KEY;
        let x509 = CertificateType::X509;
        assert!(matches!(check_choice(None, Some(rpk)), Err(Error::UnsupportedExtension { .. })));
        assert!(matches!(check_choice(Some(&[x509]), Some(rpk)), Err(Error::IllegalParameter { .. })));
        assert!(matches!(check_choice(Some(&[rpk]), None), Err(Error::UnsupportedCertificate { .. })));
        assert_eq!(check_choice(Some(&[rpk, x509]), None).unwrap(), x509);
        assert_eq!(check_choice(Some(&[rpk]), Some(rpk)).unwrap(), rpk);
        assert_eq!(check_choice(None, None).unwrap(), x509);
    }

    #[test]
    fn malformed_or_plural_keys_are_bad_certificates() {
        let good = SigningKey::Ed25519(crate::ed25519::SigningKey::from_seed(&[7; 32])).spki_der().unwrap();
        assert_eq!(peer_key(core::slice::from_ref(&good)).unwrap(), good.as_slice());
        let mut trailing = good.clone();
        trailing.push(0);
        let garbage = alloc::vec![0x30, 0x03, 1, 2];
        let chains =
            [alloc::vec![], alloc::vec![good.clone(), good.clone()], alloc::vec![trailing], alloc::vec![garbage]];
        for chain in chains {
            assert!(matches!(peer_key(&chain), Err(Error::BadCertificate { .. })), "{chain:?}");
        }
    }

    #[test]
    fn pins_by_spki_and_by_hash() {
        let spki = SigningKey::Ed25519(crate::ed25519::SigningKey::from_seed(&[1; 32])).spki_der().unwrap();
        let other = SigningKey::Ed25519(crate::ed25519::SigningKey::from_seed(&[2; 32])).spki_der().unwrap();
        let by_der = PinnedRawKeys::new().with_spki(spki.clone());
        assert!(by_der.verify(&spki, 0).is_ok());
        assert!(matches!(by_der.verify(&other, 0), Err(Error::BadCertificate { .. })));
        let mut digest = [0u8; 32];
        digest.copy_from_slice(&Sha256::digest(&spki)[..]);
        let by_hash = PinnedRawKeys::new().with_spki_sha256(digest);
        assert!(by_hash.verify(&spki, 0).is_ok());
        assert!(by_hash.verify(&other, 0).is_err());
        assert!(by_hash.client_auth_mandatory());
        assert!(!by_hash.optional().client_auth_mandatory());
    }
}
