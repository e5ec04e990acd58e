//! Handshake message codec (RFC 8446 section 4): ClientHello, ServerHello
//! and HelloRetryRequest, EncryptedExtensions, Certificate,
//! CertificateVerify, Finished, NewSessionTicket and KeyUpdate.
//!
//! Entry points: [`HandshakeType`], [`split_message`] (framing), and each
//! message's `decode` / `encode`. Every decoder is strict: trailing bytes,
//! empty vectors the RFC forbids, odd-length lists and duplicate
//! extensions are errors; extensions that may not appear in a message are
//! refused rather than ignored.

use alloc::vec::Vec;

use super::cert_compression::{self as cc, CertificateCompressionAlgorithm};
use super::codec::{Reader, put_u16, put_vec, put_vec8, put_vec16, put_vec24};
use super::error::{Error, decode};
use super::rpk::{self, CertificateType};
use super::suites::{CipherSuite, NamedGroup, SignatureScheme};

/// Largest handshake message accepted (a long certificate chain fits).
pub const MAX_HANDSHAKE_MESSAGE: usize = 1 << 18;

/// The TLS 1.3 version number.
pub(crate) const TLS13: u16 = 0x0304;
/// `legacy_version` in hellos.
pub(crate) const TLS12: u16 = 0x0303;

/// The ServerHello random that marks a HelloRetryRequest (SHA-256 of
/// "HelloRetryRequest", RFC 8446 section 4.1.3).
pub(crate) const HRR_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11,
    0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

/// Handshake message types.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[allow(missing_docs)]
pub enum HandshakeType {
    HelloRequest,
    ClientHello,
    ServerHello,
    NewSessionTicket,
    EndOfEarlyData,
    EncryptedExtensions,
    Certificate,
    ServerKeyExchange,
    CertificateRequest,
    ServerHelloDone,
    CertificateVerify,
    ClientKeyExchange,
    Finished,
    KeyUpdate,
    /// RFC 8879 CompressedCertificate.
    CompressedCertificate,
    /// TLS 1.2 stapled OCSP response (RFC 6066 section 8).
    CertificateStatus,
    MessageHash,
}

impl HandshakeType {
    /// The wire byte.
    #[must_use]
    pub const fn to_u8(self) -> u8 {
        match self {
            Self::HelloRequest => 0,
            Self::ClientHello => 1,
            Self::ServerHello => 2,
            Self::NewSessionTicket => 4,
            Self::EndOfEarlyData => 5,
            Self::EncryptedExtensions => 8,
            Self::Certificate => 11,
            Self::ServerKeyExchange => 12,
            Self::CertificateRequest => 13,
            Self::ServerHelloDone => 14,
            Self::CertificateVerify => 15,
            Self::ClientKeyExchange => 16,
            Self::Finished => 20,
            Self::KeyUpdate => 24,
            Self::CompressedCertificate => 25,
            Self::CertificateStatus => 22,
            Self::MessageHash => 254,
        }
    }

    /// Decodes a wire byte; `None` for types neither TLS 1.3 nor the
    /// TLS 1.2 subset spoken here defines.
    #[must_use]
    pub const fn from_u8(v: u8) -> Option<Self> {
        Some(match v {
            0 => Self::HelloRequest,
            1 => Self::ClientHello,
            2 => Self::ServerHello,
            4 => Self::NewSessionTicket,
            5 => Self::EndOfEarlyData,
            8 => Self::EncryptedExtensions,
            11 => Self::Certificate,
            12 => Self::ServerKeyExchange,
            13 => Self::CertificateRequest,
            14 => Self::ServerHelloDone,
            15 => Self::CertificateVerify,
            16 => Self::ClientKeyExchange,
            20 => Self::Finished,
            22 => Self::CertificateStatus,
            24 => Self::KeyUpdate,
            25 => Self::CompressedCertificate,
            254 => Self::MessageHash,
            _ => return None,
        })
    }
}

/// Extension code points used here.
pub(crate) mod ext {
    pub(crate) const SERVER_NAME: u16 = 0;
    pub(crate) const MAX_FRAGMENT_LENGTH: u16 = 1;
    pub(crate) const STATUS_REQUEST: u16 = 5;
    pub(crate) const SUPPORTED_GROUPS: u16 = 10;
    pub(crate) const EC_POINT_FORMATS: u16 = 11;
    pub(crate) const SIGNATURE_ALGORITHMS: u16 = 13;
    pub(crate) const ALPN: u16 = 16;
    pub(crate) const CLIENT_CERTIFICATE_TYPE: u16 = 19;
    pub(crate) const SERVER_CERTIFICATE_TYPE: u16 = 20;
    pub(crate) const EXTENDED_MASTER_SECRET: u16 = 23;
    pub(crate) const COMPRESS_CERTIFICATE: u16 = 27;
    pub(crate) const RECORD_SIZE_LIMIT: u16 = 28;
    pub(crate) const SESSION_TICKET: u16 = 35;
    pub(crate) const PRE_SHARED_KEY: u16 = 41;
    pub(crate) const EARLY_DATA: u16 = 42;
    pub(crate) const SUPPORTED_VERSIONS: u16 = 43;
    pub(crate) const COOKIE: u16 = 44;
    pub(crate) const PSK_KEY_EXCHANGE_MODES: u16 = 45;
    pub(crate) const POST_HANDSHAKE_AUTH: u16 = 49;
    pub(crate) const KEY_SHARE: u16 = 51;
    pub(crate) const RENEGOTIATION_INFO: u16 = 0xff01;
}

/// Splits one complete handshake message off the front of `buf`:
/// `Ok(Some((type, whole message including header)))`, `Ok(None)` when
/// incomplete. Unknown types are `unexpected_message`; a declared length
/// over [`MAX_HANDSHAKE_MESSAGE`] is a decode error.
pub(crate) fn split_message(buf: &[u8]) -> Result<Option<(HandshakeType, usize)>, Error> {
    let Some(&[t, a, b, c]) = buf.get(..4) else {
        return Ok(None);
    };
    let typ = HandshakeType::from_u8(t).ok_or(Error::UnexpectedMessage { what: "unknown handshake type" })?;
    let len = usize::from(a) << 16 | usize::from(b) << 8 | usize::from(c);
    if len > MAX_HANDSHAKE_MESSAGE {
        return Err(decode("handshake message length"));
    }
    Ok(if buf.len() >= 4 + len { Some((typ, 4 + len)) } else { None })
}

/// Wraps a body in a handshake header.
pub(crate) fn frame(typ: HandshakeType, body: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = alloc::vec![typ.to_u8()];
    put_vec(&mut out, 3, body);
    out
}

/// The body of a framed message (after the four header bytes).
pub(crate) fn body(message: &[u8]) -> &[u8] {
    message.get(4..).unwrap_or_default()
}

/// Iterates an extensions block, rejecting duplicates (`illegal_parameter`)
/// and calling `f(type, body)` for each.
fn for_each_extension<'a>(
    r: &mut Reader<'a>,
    mut f: impl FnMut(u16, Reader<'a>, bool) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut exts = r.sub16()?;
    let mut seen: Vec<u16> = Vec::new();
    while !exts.is_empty() {
        let typ = exts.u16()?;
        let body = exts.sub16()?;
        if seen.contains(&typ) {
            return Err(Error::IllegalParameter { what: "duplicate extension" });
        }
        seen.push(typ);
        f(typ, body, exts.is_empty())?;
    }
    Ok(())
}

fn u16_list<T>(r: &mut Reader<'_>, what: &'static str, wrap: impl Fn(u16) -> T) -> Result<Vec<T>, Error> {
    let mut list = r.sub16()?;
    if list.is_empty() || list.rest().len() % 2 != 0 {
        return Err(decode(what));
    }
    let mut out = Vec::new();
    while !list.is_empty() {
        out.push(wrap(list.u16()?));
    }
    Ok(out)
}

fn put_u16_list(out: &mut Vec<u8>, items: impl Iterator<Item = u16>) {
    put_vec(out, 2, |o| items.for_each(|v| put_u16(o, v)));
}

fn put_ext(out: &mut Vec<u8>, typ: u16, body: impl FnOnce(&mut Vec<u8>)) {
    put_u16(out, typ);
    put_vec(out, 2, body);
}

fn alpn_list(r: &mut Reader<'_>) -> Result<Vec<Vec<u8>>, Error> {
    let mut list = r.sub16()?;
    if list.is_empty() {
        return Err(decode("ALPN"));
    }
    let mut out = Vec::new();
    while !list.is_empty() {
        let name = list.vec8()?;
        if name.is_empty() {
            return Err(decode("ALPN protocol name"));
        }
        out.push(name.to_vec());
    }
    Ok(out)
}

fn put_alpn(out: &mut Vec<u8>, protocols: &[Vec<u8>]) {
    put_vec(out, 2, |o| protocols.iter().for_each(|p| put_vec8(o, p)));
}

/// Smallest `record_size_limit` a peer may advertise (RFC 8449 section 4).
pub(crate) const MIN_RECORD_SIZE_LIMIT: u16 = 64;

/// The `record_size_limit` body: one u16, at least
/// [`MIN_RECORD_SIZE_LIMIT`] (`illegal_parameter` otherwise).
fn record_size_limit(e: &mut Reader<'_>) -> Result<u16, Error> {
    let limit = e.u16()?;
    if limit < MIN_RECORD_SIZE_LIMIT {
        return Err(Error::IllegalParameter { what: "record_size_limit below 64" });
    }
    Ok(limit)
}

/// `CertificateStatusType.ocsp` (RFC 6066 section 8).
const STATUS_TYPE_OCSP: u8 = 1;

/// A ClientHello's `status_request` body: whether it asks for an OCSP
/// response. Responder IDs and request extensions are read (so their
/// lengths are checked) and not used: the server staples what it has.
/// Other status types are not an error and ask for nothing.
fn status_request(e: &mut Reader<'_>) -> Result<bool, Error> {
    if e.u8()? != STATUS_TYPE_OCSP {
        e.take(e.rest().len())?;
        return Ok(false);
    }
    e.vec16()?;
    e.vec16()?;
    Ok(true)
}

/// The `CertificateStatus` body (RFC 6066 section 8): an OCSP response,
/// DER, non-empty. The TLS 1.2 handshake message and the TLS 1.3
/// leaf-entry extension share it.
pub(crate) fn decode_certificate_status(r: &mut Reader<'_>) -> Result<Vec<u8>, Error> {
    if r.u8()? != STATUS_TYPE_OCSP {
        return Err(Error::IllegalParameter { what: "CertificateStatus type" });
    }
    let response = r.vec24()?;
    if response.is_empty() {
        return Err(decode("empty OCSP response"));
    }
    Ok(response.to_vec())
}

/// Encodes a `CertificateStatus` body carrying `response`.
pub(crate) fn encode_certificate_status(out: &mut Vec<u8>, response: &[u8]) {
    out.push(STATUS_TYPE_OCSP);
    put_vec24(out, response);
}

/// A key share entry: group and public value.
pub(crate) type KeyShareEntry = (NamedGroup, Vec<u8>);

/// A PSK identity offered in ClientHello.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PskIdentity {
    pub(crate) identity: Vec<u8>,
    pub(crate) obfuscated_age: u32,
}

/// The `pre_shared_key` extension of a ClientHello.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OfferedPsks {
    pub(crate) identities: Vec<PskIdentity>,
    pub(crate) binders: Vec<Vec<u8>>,
}

/// ClientHello (section 4.1.2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ClientHello {
    pub(crate) legacy_version: u16,
    pub(crate) random: [u8; 32],
    pub(crate) session_id: Vec<u8>,
    pub(crate) cipher_suites: Vec<CipherSuite>,
    pub(crate) server_name: Option<Vec<u8>>,
    pub(crate) supported_versions: Vec<u16>,
    pub(crate) supported_groups: Vec<NamedGroup>,
    pub(crate) signature_algorithms: Vec<SignatureScheme>,
    pub(crate) key_shares: Option<Vec<KeyShareEntry>>,
    pub(crate) alpn: Vec<Vec<u8>>,
    pub(crate) psk_modes: Vec<u8>,
    pub(crate) cookie: Option<Vec<u8>>,
    pub(crate) early_data: bool,
    pub(crate) psk: Option<OfferedPsks>,
    /// TLS 1.2: `extended_master_secret` (RFC 7627).
    pub(crate) extended_master_secret: bool,
    /// TLS 1.2: `renegotiation_info` (RFC 5746), its
    /// `renegotiated_connection`.
    pub(crate) renegotiation_info: Option<Vec<u8>>,
    /// TLS 1.2: `ec_point_formats` (RFC 8422).
    pub(crate) ec_point_formats: Option<Vec<u8>>,
    /// TLS 1.2: `session_ticket` (RFC 5077): empty asks for a ticket,
    /// non-empty offers one.
    pub(crate) session_ticket: Option<Vec<u8>>,
    /// `record_size_limit` (RFC 8449): the largest record we accept.
    pub(crate) record_size_limit: Option<u16>,
    /// `status_request` (RFC 6066 section 8) of type OCSP.
    pub(crate) status_request: bool,
    /// `compress_certificate` (RFC 8879): algorithms the client can
    /// decompress a server Certificate with (empty: absent).
    pub(crate) compress_certificate: Vec<CertificateCompressionAlgorithm>,
    /// `post_handshake_auth` (section 4.2.6): the client answers a
    /// CertificateRequest after the handshake.
    pub(crate) post_handshake_auth: bool,
    /// `client_certificate_type` (RFC 7250): the types the client can
    /// authenticate with, most preferred first (`None`: absent).
    pub(crate) client_cert_types: Option<Vec<CertificateType>>,
    /// `server_certificate_type` (RFC 7250): the types the client accepts
    /// from the server, most preferred first (`None`: absent).
    pub(crate) server_cert_types: Option<Vec<CertificateType>>,
}

impl ClientHello {
    /// Decodes a ClientHello body.
    pub(crate) fn decode(body: &[u8]) -> Result<Self, Error> {
        const W: &str = "ClientHello";
        let mut r = Reader::new(body, W);
        let legacy_version = r.u16()?;
        let mut ch = Self { legacy_version, random: r.array()?, ..Self::default() };
        ch.session_id = r.vec8()?.to_vec();
        if ch.session_id.len() > 32 {
            return Err(decode("ClientHello session id"));
        }
        ch.cipher_suites = u16_list(&mut r, W, CipherSuite)?;
        let compression = r.vec8()?;
        let ext_present = !r.is_empty();
        if ext_present {
            for_each_extension(&mut r, |typ, mut e, last| {
                match typ {
                    ext::SERVER_NAME => {
                        let mut list = e.sub16()?;
                        let name_type = list.u8()?;
                        let name = list.vec16()?;
                        list.finish()?;
                        if name_type != 0 || name.is_empty() {
                            return Err(Error::IllegalParameter { what: "server_name" });
                        }
                        ch.server_name = Some(name.to_vec());
                    }
                    ext::SUPPORTED_GROUPS => ch.supported_groups = u16_list(&mut e, W, NamedGroup)?,
                    ext::SIGNATURE_ALGORITHMS => ch.signature_algorithms = u16_list(&mut e, W, SignatureScheme)?,
                    ext::SUPPORTED_VERSIONS => {
                        let mut list = e.sub8()?;
                        if list.is_empty() || list.rest().len() % 2 != 0 {
                            return Err(decode("supported_versions"));
                        }
                        while !list.is_empty() {
                            ch.supported_versions.push(list.u16()?);
                        }
                    }
                    ext::KEY_SHARE => {
                        let mut list = e.sub16()?;
                        let mut shares: Vec<KeyShareEntry> = Vec::new();
                        while !list.is_empty() {
                            let group = NamedGroup(list.u16()?);
                            let key = list.vec16()?;
                            if key.is_empty() {
                                return Err(decode("key_share"));
                            }
                            if shares.iter().any(|(g, _)| *g == group) {
                                return Err(Error::IllegalParameter { what: "duplicate key share group" });
                            }
                            shares.push((group, key.to_vec()));
                        }
                        ch.key_shares = Some(shares);
                    }
                    ext::ALPN => ch.alpn = alpn_list(&mut e)?,
                    ext::PSK_KEY_EXCHANGE_MODES => {
                        let modes = e.vec8()?;
                        if modes.is_empty() {
                            return Err(decode("psk_key_exchange_modes"));
                        }
                        ch.psk_modes = modes.to_vec();
                    }
                    ext::COOKIE => {
                        let c = e.vec16()?;
                        if c.is_empty() {
                            return Err(decode("cookie"));
                        }
                        ch.cookie = Some(c.to_vec());
                    }
                    ext::EARLY_DATA => ch.early_data = true,
                    ext::POST_HANDSHAKE_AUTH => ch.post_handshake_auth = true,
                    ext::CLIENT_CERTIFICATE_TYPE => ch.client_cert_types = Some(rpk::decode_offer(&mut e)?),
                    ext::SERVER_CERTIFICATE_TYPE => ch.server_cert_types = Some(rpk::decode_offer(&mut e)?),
                    ext::RECORD_SIZE_LIMIT => ch.record_size_limit = Some(record_size_limit(&mut e)?),
                    ext::STATUS_REQUEST => ch.status_request = status_request(&mut e)?,
                    ext::COMPRESS_CERTIFICATE => ch.compress_certificate = cc::decode_algorithms(&mut e)?,
                    ext::EXTENDED_MASTER_SECRET => ch.extended_master_secret = true,
                    ext::SESSION_TICKET => ch.session_ticket = Some(e.take(e.rest().len())?.to_vec()),
                    ext::RENEGOTIATION_INFO => ch.renegotiation_info = Some(e.vec8()?.to_vec()),
                    ext::EC_POINT_FORMATS => {
                        let formats = e.vec8()?;
                        if formats.is_empty() {
                            return Err(decode("ec_point_formats"));
                        }
                        ch.ec_point_formats = Some(formats.to_vec());
                    }
                    ext::PRE_SHARED_KEY => {
                        if !last {
                            return Err(Error::IllegalParameter { what: "pre_shared_key not last" });
                        }
                        ch.psk = Some(decode_offered_psks(&mut e)?);
                    }
                    _ => return Ok(()),
                }
                e.finish()
            })?;
        }
        r.finish()?;
        // TLS 1.3 hellos carry exactly the null compression method.
        if ch.supported_versions.contains(&TLS13) && compression != [0] {
            return Err(Error::IllegalParameter { what: "compression methods" });
        }
        if !compression.contains(&0) {
            return Err(Error::IllegalParameter { what: "compression methods" });
        }
        Ok(ch)
    }

    /// Encodes the body (without the handshake header).
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        put_u16(out, self.legacy_version);
        out.extend_from_slice(&self.random);
        put_vec8(out, &self.session_id);
        put_u16_list(out, self.cipher_suites.iter().map(|s| s.0));
        put_vec8(out, &[0]);
        put_vec(out, 2, |o| {
            if let Some(name) = &self.server_name {
                put_ext(o, ext::SERVER_NAME, |o| {
                    put_vec(o, 2, |o| {
                        o.push(0);
                        put_vec16(o, name);
                    });
                });
            }
            // Empty lists are not encodable (the decoder refuses them), so
            // an empty field means "extension absent".
            if !self.supported_versions.is_empty() {
                put_ext(o, ext::SUPPORTED_VERSIONS, |o| {
                    put_vec(o, 1, |o| self.supported_versions.iter().for_each(|v| put_u16(o, *v)));
                });
            }
            if !self.supported_groups.is_empty() {
                put_ext(o, ext::SUPPORTED_GROUPS, |o| put_u16_list(o, self.supported_groups.iter().map(|g| g.0)));
            }
            if !self.signature_algorithms.is_empty() {
                put_ext(o, ext::SIGNATURE_ALGORITHMS, |o| {
                    put_u16_list(o, self.signature_algorithms.iter().map(|s| s.0));
                });
            }
            if let Some(shares) = &self.key_shares {
                put_ext(o, ext::KEY_SHARE, |o| {
                    put_vec(o, 2, |o| {
                        for (g, k) in shares {
                            put_u16(o, g.0);
                            put_vec16(o, k);
                        }
                    });
                });
            }
            if !self.alpn.is_empty() {
                put_ext(o, ext::ALPN, |o| put_alpn(o, &self.alpn));
            }
            if let Some(cookie) = &self.cookie {
                put_ext(o, ext::COOKIE, |o| put_vec16(o, cookie));
            }
            if let Some(formats) = &self.ec_point_formats {
                put_ext(o, ext::EC_POINT_FORMATS, |o| put_vec8(o, formats));
            }
            if self.extended_master_secret {
                put_ext(o, ext::EXTENDED_MASTER_SECRET, |_| {});
            }
            if let Some(ri) = &self.renegotiation_info {
                put_ext(o, ext::RENEGOTIATION_INFO, |o| put_vec8(o, ri));
            }
            if let Some(ticket) = &self.session_ticket {
                put_ext(o, ext::SESSION_TICKET, |o| o.extend_from_slice(ticket));
            }
            if self.status_request {
                // OCSP, no responder IDs, no request extensions.
                put_ext(o, ext::STATUS_REQUEST, |o| o.extend_from_slice(&[STATUS_TYPE_OCSP, 0, 0, 0, 0]));
            }
            if let Some(limit) = self.record_size_limit {
                put_ext(o, ext::RECORD_SIZE_LIMIT, |o| put_u16(o, limit));
            }
            if !self.compress_certificate.is_empty() {
                put_ext(o, ext::COMPRESS_CERTIFICATE, |o| cc::encode_algorithms(o, &self.compress_certificate));
            }
            if self.post_handshake_auth {
                put_ext(o, ext::POST_HANDSHAKE_AUTH, |_| {});
            }
            if let Some(types) = &self.client_cert_types {
                put_ext(o, ext::CLIENT_CERTIFICATE_TYPE, |o| rpk::encode_offer(o, types));
            }
            if let Some(types) = &self.server_cert_types {
                put_ext(o, ext::SERVER_CERTIFICATE_TYPE, |o| rpk::encode_offer(o, types));
            }
            if !self.psk_modes.is_empty() {
                put_ext(o, ext::PSK_KEY_EXCHANGE_MODES, |o| put_vec8(o, &self.psk_modes));
            }
            if self.early_data {
                put_ext(o, ext::EARLY_DATA, |_| {});
            }
            if let Some(psk) = &self.psk {
                put_ext(o, ext::PRE_SHARED_KEY, |o| {
                    put_vec(o, 2, |o| {
                        for id in &psk.identities {
                            put_vec16(o, &id.identity);
                            o.extend_from_slice(&id.obfuscated_age.to_be_bytes());
                        }
                    });
                    put_vec(o, 2, |o| psk.binders.iter().for_each(|b| put_vec8(o, b)));
                });
            }
        });
    }
}

fn decode_offered_psks(e: &mut Reader<'_>) -> Result<OfferedPsks, Error> {
    let mut ids = e.sub16()?;
    let mut identities = Vec::new();
    while !ids.is_empty() {
        let identity = ids.vec16()?;
        if identity.is_empty() {
            return Err(decode("PSK identity"));
        }
        identities.push(PskIdentity { identity: identity.to_vec(), obfuscated_age: ids.u32()? });
    }
    let mut bs = e.sub16()?;
    let mut binders = Vec::new();
    while !bs.is_empty() {
        let b = bs.vec8()?;
        if b.len() < 32 {
            return Err(decode("PSK binder"));
        }
        binders.push(b.to_vec());
    }
    if identities.is_empty() || identities.len() != binders.len() {
        return Err(Error::IllegalParameter { what: "PSK identities and binders" });
    }
    Ok(OfferedPsks { identities, binders })
}

/// ServerHello or HelloRetryRequest (section 4.1.3-4.1.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ServerHello {
    pub(crate) legacy_version: u16,
    pub(crate) random: [u8; 32],
    pub(crate) session_id: Vec<u8>,
    pub(crate) cipher_suite: CipherSuite,
    pub(crate) supported_version: Option<u16>,
    /// ServerHello: the server's share.
    pub(crate) key_share: Option<KeyShareEntry>,
    /// HelloRetryRequest: the group the client must use.
    pub(crate) selected_group: Option<NamedGroup>,
    pub(crate) cookie: Option<Vec<u8>>,
    pub(crate) selected_psk: Option<u16>,
    /// TLS 1.2 only (refused in a TLS 1.3 ServerHello): the extensions
    /// a TLS 1.2 server answers with.
    pub(crate) tls12: Tls12ServerExtensions,
}

/// What a TLS 1.2 ServerHello can carry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tls12ServerExtensions {
    pub(crate) extended_master_secret: bool,
    pub(crate) renegotiation_info: Option<Vec<u8>>,
    pub(crate) alpn: Option<Vec<u8>>,
    pub(crate) ec_point_formats: Option<Vec<u8>>,
    pub(crate) server_name_ack: bool,
    /// `session_ticket` (RFC 5077): a NewSessionTicket will follow.
    pub(crate) session_ticket: bool,
    /// `record_size_limit` (RFC 8449).
    pub(crate) record_size_limit: Option<u16>,
    /// `status_request` (empty): a CertificateStatus will follow.
    pub(crate) status_request: bool,
    /// `client_certificate_type` / `server_certificate_type` (RFC 7250):
    /// the server's choices, which this implementation only takes as
    /// X.509 in TLS 1.2.
    pub(crate) client_cert_type: Option<CertificateType>,
    pub(crate) server_cert_type: Option<CertificateType>,
}

impl Tls12ServerExtensions {
    fn any(&self) -> bool {
        *self != Self::default()
    }
}

impl ServerHello {
    pub(crate) fn is_retry(&self) -> bool {
        self.random == HRR_RANDOM
    }

    /// Decodes a ServerHello or HelloRetryRequest body.
    pub(crate) fn decode(body: &[u8]) -> Result<Self, Error> {
        const W: &str = "ServerHello";
        let mut r = Reader::new(body, W);
        let legacy_version = r.u16()?;
        let random: [u8; 32] = r.array()?;
        let session_id = r.vec8()?.to_vec();
        if session_id.len() > 32 {
            return Err(decode("ServerHello session id"));
        }
        let cipher_suite = CipherSuite(r.u16()?);
        let compression = r.u8()?;
        let is_retry = random == HRR_RANDOM;
        let mut sh = Self {
            legacy_version,
            random,
            session_id,
            cipher_suite,
            supported_version: None,
            key_share: None,
            selected_group: None,
            cookie: None,
            selected_psk: None,
            tls12: Tls12ServerExtensions::default(),
        };
        if compression != 0 {
            return Err(Error::IllegalParameter { what: "ServerHello compression" });
        }
        if r.is_empty() {
            // A TLS 1.2-or-older ServerHello without extensions.
            return Ok(sh);
        }
        for_each_extension(&mut r, |typ, mut e, _| {
            match typ {
                ext::SUPPORTED_VERSIONS => sh.supported_version = Some(e.u16()?),
                ext::KEY_SHARE if is_retry => sh.selected_group = Some(NamedGroup(e.u16()?)),
                ext::KEY_SHARE => {
                    let group = NamedGroup(e.u16()?);
                    let key = e.vec16()?;
                    if key.is_empty() {
                        return Err(decode("key_share"));
                    }
                    sh.key_share = Some((group, key.to_vec()));
                }
                ext::COOKIE if is_retry => {
                    let c = e.vec16()?;
                    if c.is_empty() {
                        return Err(decode("cookie"));
                    }
                    sh.cookie = Some(c.to_vec());
                }
                ext::PRE_SHARED_KEY if !is_retry => sh.selected_psk = Some(e.u16()?),
                ext::EXTENDED_MASTER_SECRET => sh.tls12.extended_master_secret = true,
                ext::RENEGOTIATION_INFO => sh.tls12.renegotiation_info = Some(e.vec8()?.to_vec()),
                ext::SERVER_NAME => sh.tls12.server_name_ack = true,
                ext::SESSION_TICKET => sh.tls12.session_ticket = true,
                ext::RECORD_SIZE_LIMIT => sh.tls12.record_size_limit = Some(record_size_limit(&mut e)?),
                ext::STATUS_REQUEST => sh.tls12.status_request = true,
                ext::CLIENT_CERTIFICATE_TYPE => sh.tls12.client_cert_type = Some(rpk::decode_choice(&mut e)?),
                ext::SERVER_CERTIFICATE_TYPE => sh.tls12.server_cert_type = Some(rpk::decode_choice(&mut e)?),
                ext::EC_POINT_FORMATS => {
                    let formats = e.vec8()?;
                    if formats.is_empty() {
                        return Err(decode("ec_point_formats"));
                    }
                    sh.tls12.ec_point_formats = Some(formats.to_vec());
                }
                ext::ALPN => {
                    let list = alpn_list(&mut e)?;
                    let [one] = <[Vec<u8>; 1]>::try_from(list)
                        .map_err(|_| Error::IllegalParameter { what: "ALPN selects one protocol" })?;
                    sh.tls12.alpn = Some(one);
                }
                _ => return Err(Error::UnsupportedExtension { what: "in ServerHello" }),
            }
            e.finish()
        })?;
        r.finish()?;
        if sh.supported_version.is_some() {
            // Appendix D.5: SSL 3.0 or less is protocol_version even here.
            if legacy_version <= 0x0300 {
                return Err(Error::ProtocolVersion);
            }
            if legacy_version != TLS12 {
                return Err(Error::IllegalParameter { what: "ServerHello legacy fields" });
            }
            if sh.tls12.any() {
                return Err(Error::UnsupportedExtension { what: "TLS 1.2 extension in a TLS 1.3 ServerHello" });
            }
        } else if sh.key_share.is_some()
            || sh.selected_group.is_some()
            || sh.cookie.is_some()
            || sh.selected_psk.is_some()
        {
            return Err(Error::UnsupportedExtension { what: "TLS 1.3 extension without supported_versions" });
        }
        Ok(sh)
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        put_u16(out, self.legacy_version);
        out.extend_from_slice(&self.random);
        put_vec8(out, &self.session_id);
        put_u16(out, self.cipher_suite.0);
        out.push(0);
        put_vec(out, 2, |o| {
            if let Some(v) = self.supported_version {
                put_ext(o, ext::SUPPORTED_VERSIONS, |o| put_u16(o, v));
            }
            if let Some((g, k)) = &self.key_share {
                put_ext(o, ext::KEY_SHARE, |o| {
                    put_u16(o, g.0);
                    put_vec16(o, k);
                });
            }
            if let Some(g) = self.selected_group {
                put_ext(o, ext::KEY_SHARE, |o| put_u16(o, g.0));
            }
            if let Some(c) = &self.cookie {
                put_ext(o, ext::COOKIE, |o| put_vec16(o, c));
            }
            if let Some(i) = self.selected_psk {
                put_ext(o, ext::PRE_SHARED_KEY, |o| put_u16(o, i));
            }
            let t = &self.tls12;
            if let Some(ri) = &t.renegotiation_info {
                put_ext(o, ext::RENEGOTIATION_INFO, |o| put_vec8(o, ri));
            }
            if t.extended_master_secret {
                put_ext(o, ext::EXTENDED_MASTER_SECRET, |_| {});
            }
            if t.server_name_ack {
                put_ext(o, ext::SERVER_NAME, |_| {});
            }
            if let Some(f) = &t.ec_point_formats {
                put_ext(o, ext::EC_POINT_FORMATS, |o| put_vec8(o, f));
            }
            if let Some(p) = &t.alpn {
                put_ext(o, ext::ALPN, |o| put_alpn(o, core::slice::from_ref(p)));
            }
            if t.session_ticket {
                put_ext(o, ext::SESSION_TICKET, |_| {});
            }
            if let Some(limit) = t.record_size_limit {
                put_ext(o, ext::RECORD_SIZE_LIMIT, |o| put_u16(o, limit));
            }
            if t.status_request {
                put_ext(o, ext::STATUS_REQUEST, |_| {});
            }
            if let Some(c) = t.client_cert_type {
                put_ext(o, ext::CLIENT_CERTIFICATE_TYPE, |o| o.push(c.0));
            }
            if let Some(c) = t.server_cert_type {
                put_ext(o, ext::SERVER_CERTIFICATE_TYPE, |o| o.push(c.0));
            }
        });
    }
}

/// EncryptedExtensions (section 4.3.1): what the client cares about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct EncryptedExtensions {
    pub(crate) alpn: Option<Vec<u8>>,
    pub(crate) server_name_ack: bool,
    pub(crate) early_data: bool,
    /// `record_size_limit` (RFC 8449).
    pub(crate) record_size_limit: Option<u16>,
    /// `client_certificate_type` (RFC 7250): what the client is to
    /// authenticate with.
    pub(crate) client_cert_type: Option<CertificateType>,
    /// `server_certificate_type` (RFC 7250): what the server's
    /// Certificate carries.
    pub(crate) server_cert_type: Option<CertificateType>,
}

impl EncryptedExtensions {
    pub(crate) fn decode(body: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(body, "EncryptedExtensions");
        let mut ee = Self::default();
        for_each_extension(&mut r, |typ, mut e, _| {
            match typ {
                ext::SERVER_NAME => ee.server_name_ack = true,
                // The server's group preference: informational only.
                ext::SUPPORTED_GROUPS => {
                    u16_list(&mut e, "supported_groups", NamedGroup)?;
                }
                ext::ALPN => {
                    let list = alpn_list(&mut e)?;
                    let [one] = <[Vec<u8>; 1]>::try_from(list)
                        .map_err(|_| Error::IllegalParameter { what: "ALPN selects one protocol" })?;
                    ee.alpn = Some(one);
                }
                ext::EARLY_DATA => ee.early_data = true,
                ext::RECORD_SIZE_LIMIT => ee.record_size_limit = Some(record_size_limit(&mut e)?),
                ext::CLIENT_CERTIFICATE_TYPE => ee.client_cert_type = Some(rpk::decode_choice(&mut e)?),
                ext::SERVER_CERTIFICATE_TYPE => ee.server_cert_type = Some(rpk::decode_choice(&mut e)?),
                // RFC 8446 section 4.4.2.1: the OCSP response rides in the
                // leaf's CertificateEntry, never here.
                ext::STATUS_REQUEST => {
                    return Err(Error::IllegalParameter { what: "status_request in EncryptedExtensions" });
                }
                ext::MAX_FRAGMENT_LENGTH => return Err(Error::UnsupportedExtension { what: "max_fragment_length" }),
                _ => return Err(Error::UnsupportedExtension { what: "in EncryptedExtensions" }),
            }
            e.finish()
        })?;
        r.finish()?;
        Ok(ee)
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        put_vec(out, 2, |o| {
            if self.server_name_ack {
                put_ext(o, ext::SERVER_NAME, |_| {});
            }
            if let Some(p) = &self.alpn {
                put_ext(o, ext::ALPN, |o| put_alpn(o, core::slice::from_ref(p)));
            }
            if self.early_data {
                put_ext(o, ext::EARLY_DATA, |_| {});
            }
            if let Some(limit) = self.record_size_limit {
                put_ext(o, ext::RECORD_SIZE_LIMIT, |o| put_u16(o, limit));
            }
            if let Some(t) = self.client_cert_type {
                put_ext(o, ext::CLIENT_CERTIFICATE_TYPE, |o| o.push(t.0));
            }
            if let Some(t) = self.server_cert_type {
                put_ext(o, ext::SERVER_CERTIFICATE_TYPE, |o| o.push(t.0));
            }
        });
    }
}

/// Certificate (section 4.4.2): the DER certificates, leaf first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CertificateMsg {
    pub(crate) context: Vec<u8>,
    pub(crate) chain: Vec<Vec<u8>>,
    /// The leaf entry's `status_request` extension: a stapled OCSP
    /// response (DER).
    pub(crate) ocsp_response: Option<Vec<u8>>,
}

impl CertificateMsg {
    /// Decodes. Entries may carry `status_request`, of which the leaf's
    /// is kept (whether it was asked for is the handshake's business); any
    /// other per-entry extension is refused since this implementation
    /// requests none (SCT).
    pub(crate) fn decode(body: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(body, "Certificate");
        let context = r.vec8()?.to_vec();
        let mut list = r.sub24()?;
        let mut chain = Vec::new();
        let mut ocsp_response = None;
        while !list.is_empty() {
            let cert = list.vec24()?;
            if cert.is_empty() {
                return Err(decode("certificate entry"));
            }
            let leaf = chain.is_empty();
            for_each_extension(&mut list, |typ, mut e, _| match typ {
                ext::STATUS_REQUEST => {
                    let response = decode_certificate_status(&mut e)?;
                    // An intermediate's response (RFC 8446 section 4.4.2.1
                    // allows it) is checked for form and dropped.
                    if leaf {
                        ocsp_response = Some(response);
                    }
                    e.finish()
                }
                _ => Err(Error::UnsupportedExtension { what: "in Certificate entry" }),
            })?;
            chain.push(cert.to_vec());
        }
        r.finish()?;
        Ok(Self { context, chain, ocsp_response })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        put_vec8(out, &self.context);
        put_vec(out, 3, |o| {
            for (i, c) in self.chain.iter().enumerate() {
                put_vec24(o, c);
                put_vec(o, 2, |o| {
                    if let Some(response) = self.ocsp_response.as_ref().filter(|_| i == 0) {
                        put_ext(o, ext::STATUS_REQUEST, |o| encode_certificate_status(o, response));
                    }
                });
            }
        });
    }
}

/// CertificateVerify (section 4.4.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CertificateVerify {
    pub(crate) scheme: SignatureScheme,
    pub(crate) signature: Vec<u8>,
}

impl CertificateVerify {
    pub(crate) fn decode(body: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(body, "CertificateVerify");
        let scheme = SignatureScheme(r.u16()?);
        let signature = r.vec16()?.to_vec();
        r.finish()?;
        if signature.is_empty() {
            return Err(decode("CertificateVerify"));
        }
        Ok(Self { scheme, signature })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        put_u16(out, self.scheme.0);
        put_vec16(out, &self.signature);
    }
}

/// CertificateRequest (section 4.3.2): the context (empty during the
/// handshake), the schemes the client's CertificateVerify may use and
/// the algorithms the server can decompress a client Certificate with
/// (RFC 8879 `compress_certificate`; empty: absent). Other extensions
/// (certificate_authorities, oid_filters, signature_algorithms_cert) are
/// accepted and ignored: the client has one certificate and offers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CertificateRequest {
    pub(crate) context: Vec<u8>,
    pub(crate) signature_algorithms: Vec<SignatureScheme>,
    pub(crate) compress_certificate: Vec<CertificateCompressionAlgorithm>,
}

impl CertificateRequest {
    pub(crate) fn decode(body: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(body, "CertificateRequest");
        let context = r.vec8()?.to_vec();
        let mut signature_algorithms = Vec::new();
        let mut compress_certificate = Vec::new();
        for_each_extension(&mut r, |typ, mut e, _| {
            match typ {
                ext::SIGNATURE_ALGORITHMS => {
                    signature_algorithms = u16_list(&mut e, "signature_algorithms", SignatureScheme)?;
                }
                ext::COMPRESS_CERTIFICATE => compress_certificate = cc::decode_algorithms(&mut e)?,
                _ => return Ok(()),
            }
            e.finish()
        })?;
        r.finish()?;
        if signature_algorithms.is_empty() {
            return Err(Error::MissingExtension { what: "signature_algorithms in CertificateRequest" });
        }
        Ok(Self { context, signature_algorithms, compress_certificate })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        put_vec8(out, &self.context);
        put_vec(out, 2, |o| {
            put_ext(o, ext::SIGNATURE_ALGORITHMS, |o| {
                put_u16_list(o, self.signature_algorithms.iter().map(|s| s.0));
            });
            if !self.compress_certificate.is_empty() {
                put_ext(o, ext::COMPRESS_CERTIFICATE, |o| cc::encode_algorithms(o, &self.compress_certificate));
            }
        });
    }
}

/// NewSessionTicket (section 4.6.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NewSessionTicket {
    pub(crate) lifetime: u32,
    pub(crate) age_add: u32,
    pub(crate) nonce: Vec<u8>,
    pub(crate) ticket: Vec<u8>,
    pub(crate) max_early_data: Option<u32>,
}

impl NewSessionTicket {
    pub(crate) fn decode(body: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(body, "NewSessionTicket");
        let lifetime = r.u32()?;
        let age_add = r.u32()?;
        let nonce = r.vec8()?.to_vec();
        let ticket = r.vec16()?.to_vec();
        if ticket.is_empty() {
            return Err(decode("NewSessionTicket ticket"));
        }
        let mut max_early_data = None;
        for_each_extension(&mut r, |typ, mut e, _| {
            if typ == ext::EARLY_DATA {
                max_early_data = Some(e.u32()?);
            }
            // Other (unknown) ticket extensions are ignored, as RFC 8446
            // section 4.6.1 allows.
            Ok(())
        })?;
        r.finish()?;
        // Seven days is the ceiling (section 4.6.1).
        if lifetime > 604_800 {
            return Err(Error::IllegalParameter { what: "ticket lifetime" });
        }
        Ok(Self { lifetime, age_add, nonce, ticket, max_early_data })
    }

    /// Encodes the body.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.lifetime.to_be_bytes());
        out.extend_from_slice(&self.age_add.to_be_bytes());
        put_vec8(out, &self.nonce);
        put_vec16(out, &self.ticket);
        put_vec(out, 2, |o| {
            if let Some(m) = self.max_early_data {
                put_ext(o, ext::EARLY_DATA, |o| o.extend_from_slice(&m.to_be_bytes()));
            }
        });
    }
}

/// KeyUpdate's one byte: whether the peer must update too.
pub(crate) fn decode_key_update(body: &[u8]) -> Result<bool, Error> {
    match body {
        [0] => Ok(false),
        [1] => Ok(true),
        [_] => Err(Error::IllegalParameter { what: "KeyUpdate request" }),
        _ => Err(decode("KeyUpdate")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_ch() -> ClientHello {
        ClientHello {
            legacy_version: TLS12,
            random: [1; 32],
            session_id: alloc::vec![2; 32],
            cipher_suites: CipherSuite::SUPPORTED.to_vec(),
            server_name: Some(b"example.com".to_vec()),
            supported_versions: alloc::vec![TLS13],
            supported_groups: NamedGroup::SUPPORTED.to_vec(),
            signature_algorithms: SignatureScheme::SUPPORTED.to_vec(),
            key_shares: Some(alloc::vec![(NamedGroup::X25519, alloc::vec![9; 32])]),
            alpn: alloc::vec![b"h2".to_vec(), b"http/1.1".to_vec()],
            psk_modes: alloc::vec![1],
            cookie: Some(b"cookie".to_vec()),
            early_data: false,
            psk: Some(OfferedPsks {
                identities: alloc::vec![PskIdentity { identity: b"id".to_vec(), obfuscated_age: 5 }],
                binders: alloc::vec![alloc::vec![3; 32]],
            }),
            extended_master_secret: true,
            renegotiation_info: Some(alloc::vec![]),
            ec_point_formats: Some(alloc::vec![0]),
            session_ticket: Some(b"ticket".to_vec()),
            record_size_limit: Some(16385),
            status_request: true,
            compress_certificate: alloc::vec![
                CertificateCompressionAlgorithm::ZSTD,
                CertificateCompressionAlgorithm(0x7777)
            ],
            post_handshake_auth: true,
            client_cert_types: Some(alloc::vec![CertificateType::RAW_PUBLIC_KEY, CertificateType::X509]),
            server_cert_types: Some(alloc::vec![CertificateType(0x42)]),
        }
    }

    #[test]
    fn client_hello_round_trips() {
        let ch = sample_ch();
        let mut out = Vec::new();
        ch.encode(&mut out);
        assert_eq!(ClientHello::decode(&out).unwrap(), ch);
    }

    #[test]
    fn server_hello_and_retry_round_trip() {
        let sh = ServerHello {
            legacy_version: TLS12,
            random: [5; 32],
            session_id: alloc::vec![],
            cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
            supported_version: Some(TLS13),
            key_share: Some((NamedGroup::X25519, alloc::vec![1; 32])),
            selected_group: None,
            cookie: None,
            selected_psk: Some(0),
            tls12: Tls12ServerExtensions::default(),
        };
        let mut out = Vec::new();
        sh.encode(&mut out);
        assert_eq!(ServerHello::decode(&out).unwrap(), sh);
        let hrr = ServerHello {
            random: HRR_RANDOM,
            key_share: None,
            selected_group: Some(NamedGroup::SECP256R1),
            cookie: Some(b"c".to_vec()),
            selected_psk: None,
            ..sh
        };
        let mut out = Vec::new();
        hrr.encode(&mut out);
        let back = ServerHello::decode(&out).unwrap();
        assert!(back.is_retry());
        assert_eq!(back, hrr);
    }

    #[test]
    fn duplicate_extension_is_illegal_parameter() {
        // supported_versions twice.
        let mut out = Vec::new();
        put_u16(&mut out, TLS12);
        out.extend_from_slice(&[0; 32]);
        put_vec8(&mut out, &[]);
        put_u16_list(&mut out, [0x1301].into_iter());
        put_vec8(&mut out, &[0]);
        put_vec(&mut out, 2, |o| {
            for _ in 0..2 {
                put_ext(o, ext::SUPPORTED_VERSIONS, |o| put_vec(o, 1, |o| put_u16(o, TLS13)));
            }
        });
        assert_eq!(ClientHello::decode(&out), Err(Error::IllegalParameter { what: "duplicate extension" }));
    }

    #[test]
    fn truncation_and_trailing_bytes_are_decode_errors() {
        let mut out = Vec::new();
        sample_ch().encode(&mut out);
        for cut in [1, 10, 40, out.len() - 1] {
            assert!(ClientHello::decode(&out[..cut]).is_err(), "cut {cut}");
        }
        out.push(0);
        assert!(matches!(ClientHello::decode(&out), Err(Error::Decode { .. })));
    }

    #[test]
    fn psk_must_be_last_and_key_update_is_strict() {
        let mut ch = sample_ch();
        ch.early_data = true;
        let mut out = Vec::new();
        ch.encode(&mut out);
        assert!(ClientHello::decode(&out).is_ok());
        assert_eq!(decode_key_update(&[2]), Err(Error::IllegalParameter { what: "KeyUpdate request" }));
        assert!(decode_key_update(&[0, 0]).is_err());
        assert_eq!(decode_key_update(&[1]), Ok(true));
    }

    #[test]
    fn encrypted_extensions_refuse_unrequested_extensions() {
        let ee = EncryptedExtensions {
            alpn: Some(b"h2".to_vec()),
            server_name_ack: true,
            early_data: false,
            record_size_limit: Some(64),
            client_cert_type: Some(CertificateType::X509),
            server_cert_type: Some(CertificateType::RAW_PUBLIC_KEY),
        };
        let mut out = Vec::new();
        ee.encode(&mut out);
        assert_eq!(EncryptedExtensions::decode(&out).unwrap(), ee);
        let mut bad = Vec::new();
        put_vec(&mut bad, 2, |o| put_ext(o, 0x1234, |_| {}));
        assert!(matches!(EncryptedExtensions::decode(&bad), Err(Error::UnsupportedExtension { .. })));
    }

    #[test]
    fn other_messages_round_trip() {
        let cert = CertificateMsg {
            context: alloc::vec![],
            chain: alloc::vec![alloc::vec![1, 2, 3], alloc::vec![4]],
            ocsp_response: None,
        };
        let mut out = Vec::new();
        cert.encode(&mut out);
        assert_eq!(CertificateMsg::decode(&out).unwrap(), cert);
        let cv = CertificateVerify { scheme: SignatureScheme::ED25519, signature: alloc::vec![7; 64] };
        let mut out = Vec::new();
        cv.encode(&mut out);
        assert_eq!(CertificateVerify::decode(&out).unwrap(), cv);
        let t = NewSessionTicket {
            lifetime: 7200,
            age_add: 9,
            nonce: alloc::vec![0],
            ticket: alloc::vec![1; 40],
            max_early_data: Some(0),
        };
        let mut out = Vec::new();
        t.encode(&mut out);
        assert_eq!(NewSessionTicket::decode(&out).unwrap(), t);
    }
}
