//! The record layer: framing, the 2^14 limits, and AEAD record
//! protection. TLS 1.3 (RFC 8446 section 5): the per-record nonce
//! `iv XOR sequence number`, inner content type and zero padding.
//! TLS 1.2: the outer content type is the real one and the additional
//! data is `seq || type || version || length` (RFC 5246 section
//! 6.2.3.3); AES-GCM and AES-CCM send an 8-byte explicit nonce after a
//! 4-byte implicit salt (RFC 5288, RFC 6655), ChaCha20-Poly1305 uses the
//! TLS 1.3 style XORed nonce with no explicit part (RFC 7905). The tag is
//! 16 bytes but for the `_CCM_8` suites' 8.
//!
//! Entry points: [`ContentType`], [`RecordCipher`] (one direction's
//! keys and sequence number) and [`parse_header`].

use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::error::Error;
use super::key_schedule::traffic_key_iv;
use super::suites::{AeadKind, CipherSuite};
use crate::aead::Aead;
use crate::aead::ccm::AesCcm;
use crate::aead::chacha20poly1305::ChaCha20Poly1305;
use crate::aead::gcm::AesGcm;
use crate::hash::HashAlgorithm;

/// Largest plaintext fragment (2^14).
pub const MAX_PLAINTEXT: usize = 1 << 14;
/// Largest `record_size_limit` (RFC 8449): a TLS 1.3 inner plaintext,
/// 2^14 bytes plus the content type.
pub(crate) const MAX_RECORD_SIZE_LIMIT: u16 = (MAX_PLAINTEXT + 1) as u16;
/// Largest protected record body: 2^14 + 256.
pub const MAX_CIPHERTEXT: usize = MAX_PLAINTEXT + 256;
/// Record header length.
pub(crate) const HEADER_LEN: usize = 5;
/// The tag length of every suite but the `_CCM_8` ones (8 bytes).
pub(crate) const TAG_LEN: usize = 16;

/// A record's content type.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ContentType {
    ChangeCipherSpec,
    Alert,
    Handshake,
    ApplicationData,
}

impl ContentType {
    pub(crate) const fn to_u8(self) -> u8 {
        match self {
            Self::ChangeCipherSpec => 20,
            Self::Alert => 21,
            Self::Handshake => 22,
            Self::ApplicationData => 23,
        }
    }

    pub(crate) const fn from_u8(v: u8) -> Option<Self> {
        match v {
            20 => Some(Self::ChangeCipherSpec),
            21 => Some(Self::Alert),
            22 => Some(Self::Handshake),
            23 => Some(Self::ApplicationData),
            _ => None,
        }
    }
}

/// A parsed record header.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Header {
    pub(crate) content_type: ContentType,
    pub(crate) len: usize,
}

/// Parses a header from the first five bytes; `Ok(None)` when fewer are
/// available. An unknown type is `unexpected_message`, a length over
/// 2^14 + 256 is `record_overflow`, and a version byte pair other than
/// 0x03xx is a decode error.
pub(crate) fn parse_header(bytes: &[u8]) -> Result<Option<Header>, Error> {
    let Some(&[t, major, _minor, hi, lo]) = bytes.get(..HEADER_LEN) else {
        return Ok(None);
    };
    let content_type = ContentType::from_u8(t).ok_or(Error::UnexpectedMessage { what: "unknown record type" })?;
    if major != 3 {
        return Err(Error::Decode { what: "record version" });
    }
    let len = usize::from(u16::from_be_bytes([hi, lo]));
    if len > MAX_CIPHERTEXT {
        return Err(Error::RecordOverflow);
    }
    Ok(Some(Header { content_type, len }))
}

/// Appends a record header.
pub(crate) fn write_header(out: &mut Vec<u8>, content_type: ContentType, len: usize) {
    out.push(content_type.to_u8());
    // 0x0303 for every record but the first ClientHello's, where 0x0301
    // is also allowed; 0x0303 everywhere is what RFC 8446 section 5.1 says
    // peers must accept.
    out.extend_from_slice(&[3, 3]);
    out.extend_from_slice(&(len as u16).to_be_bytes());
}

enum AeadImpl {
    // Boxed: the AES key schedules (and GCM's tables) dwarf the ChaCha key.
    Gcm(alloc::boxed::Box<AesGcm>),
    ChaCha(ChaCha20Poly1305),
    /// AES-CCM, with the tag length of the suite; it uses the AES
    /// backend `Aes` picks (AES-NI where present).
    Ccm(alloc::boxed::Box<AesCcm>),
}

impl AeadImpl {
    fn new(kind: AeadKind, key: &[u8]) -> Result<Self, Error> {
        Ok(match kind {
            AeadKind::AesGcm => Self::Gcm(alloc::boxed::Box::new(AesGcm::new(key)?)),
            AeadKind::ChaCha20Poly1305 => Self::ChaCha(ChaCha20Poly1305::new(key)?),
            AeadKind::AesCcm | AeadKind::AesCcm8 => {
                Self::Ccm(alloc::boxed::Box::new(AesCcm::new(key, kind.tag_len())?))
            }
        })
    }

    fn aead(&self) -> &dyn Aead {
        match self {
            Self::Gcm(a) => &**a,
            Self::ChaCha(a) => a,
            Self::Ccm(a) => &**a,
        }
    }
}

/// How records are framed around the AEAD.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Framing {
    Tls13,
    /// TLS 1.2 AES-GCM and AES-CCM: explicit 8-byte nonce on the wire.
    Tls12ExplicitNonce,
    /// TLS 1.2 ChaCha20-Poly1305: no explicit nonce.
    Tls12,
}

/// Explicit nonce length of TLS 1.2 AES-GCM and AES-CCM records.
const EXPLICIT_NONCE_LEN: usize = 8;

/// One direction's record protection: the AEAD, its static IV and the
/// 64-bit sequence number. `tag_len == aead.tag_len()`.
pub(crate) struct RecordCipher {
    aead: AeadImpl,
    iv: Zeroizing<[u8; 12]>,
    seq: u64,
    framing: Framing,
    tag_len: usize,
}

impl RecordCipher {
    /// Keys for `suite` from a traffic secret.
    pub(crate) fn new(suite: CipherSuite, hash: HashAlgorithm, secret: &[u8]) -> Result<Self, Error> {
        if !suite.is_tls13() {
            return Err(Error::Config { what: "unsupported cipher suite" });
        }
        let (key, iv) = traffic_key_iv(hash, secret, suite.key_len())?;
        let kind = suite.aead();
        let aead = AeadImpl::new(kind, &key)?;
        Ok(Self { aead, iv: Zeroizing::new(iv), seq: 0, framing: Framing::Tls13, tag_len: kind.tag_len() })
    }

    /// TLS 1.2 keys for `suite` from its key block slices: the write
    /// key and the write IV (4 bytes of salt for AES-GCM and AES-CCM, 12
    /// for ChaCha20-Poly1305).
    pub(crate) fn new_tls12(suite: CipherSuite, key: &[u8], iv: &[u8]) -> Result<Self, Error> {
        let mut full_iv = Zeroizing::new([0u8; 12]);
        let kind = suite.aead();
        let framing = if kind == AeadKind::ChaCha20Poly1305 { Framing::Tls12 } else { Framing::Tls12ExplicitNonce };
        let aead = AeadImpl::new(kind, key)?;
        let dst = full_iv.get_mut(..iv.len()).ok_or(Error::Config { what: "TLS 1.2 IV length" })?;
        dst.copy_from_slice(iv);
        Ok(Self { aead, iv: full_iv, seq: 0, framing, tag_len: kind.tag_len() })
    }

    /// Whether records are TLS 1.2 framed (real outer content type).
    pub(crate) fn is_tls12(&self) -> bool {
        self.framing != Framing::Tls13
    }

    /// Bytes a protected record body adds to its (TLS 1.3: inner)
    /// plaintext: the tag, and TLS 1.2 AES-GCM's and AES-CCM's explicit
    /// nonce.
    pub(crate) fn overhead(&self) -> usize {
        match self.framing {
            Framing::Tls12ExplicitNonce => EXPLICIT_NONCE_LEN + self.tag_len,
            Framing::Tls13 | Framing::Tls12 => self.tag_len,
        }
    }

    fn tls12_aad(&self, content_type: ContentType, len: usize) -> [u8; 13] {
        let mut aad = [0u8; 13];
        for (d, s) in aad.iter_mut().zip(self.seq.to_be_bytes()) {
            *d = s;
        }
        let tail = [content_type.to_u8(), 3, 3, (len >> 8) as u8, len as u8];
        for (d, s) in aad.iter_mut().skip(8).zip(tail) {
            *d = s;
        }
        aad
    }

    /// TLS 1.2: protects one fragment as a record of `content_type`.
    fn seal_tls12(&mut self, content_type: ContentType, fragment: &[u8], out: &mut Vec<u8>) -> Result<(), Error> {
        if fragment.len() > MAX_PLAINTEXT {
            return Err(Error::Config { what: "record fragment too long" });
        }
        let explicit = if self.framing == Framing::Tls12ExplicitNonce { EXPLICIT_NONCE_LEN } else { 0 };
        let aad = self.tls12_aad(content_type, fragment.len());
        let seq = self.seq.to_be_bytes();
        let nonce = self.next_nonce()?;
        let start = out.len();
        write_header(out, content_type, explicit + fragment.len() + self.tag_len);
        if explicit != 0 {
            // The explicit part is the sequence number: unique per key.
            out.extend_from_slice(&seq);
        }
        let body_start = out.len();
        out.extend_from_slice(fragment);
        let body = out.get_mut(body_start..).unwrap_or_default();
        match self.aead.aead().encrypt_in_place_detached(&nonce, &aad, body) {
            Ok(tag) => {
                out.extend_from_slice(tag.as_bytes());
                Ok(())
            }
            Err(e) => {
                out.truncate(start);
                Err(e.into())
            }
        }
    }

    /// TLS 1.2: opens one record body of `content_type` in place.
    pub(crate) fn open_tls12(&mut self, content_type: ContentType, body: &mut Vec<u8>) -> Result<(), Error> {
        let explicit = if self.framing == Framing::Tls12ExplicitNonce { EXPLICIT_NONCE_LEN } else { 0 };
        let Some(plain_len) = body.len().checked_sub(explicit + self.tag_len) else {
            return Err(Error::BadRecordMac);
        };
        if plain_len > MAX_PLAINTEXT {
            return Err(Error::RecordOverflow);
        }
        let aad = self.tls12_aad(content_type, plain_len);
        let mut nonce = self.next_nonce()?;
        if explicit != 0 {
            // AES-GCM and AES-CCM: salt || the explicit nonce the sender
            // chose.
            for (n, e) in nonce.iter_mut().skip(4).zip(body.drain(..explicit)) {
                *n = e;
            }
        }
        self.aead.aead().decrypt_in_place(&nonce, &aad, body).map_err(|_| Error::BadRecordMac)
    }

    fn nonce(&self) -> [u8; 12] {
        let mut nonce = *self.iv;
        for (n, s) in nonce.iter_mut().skip(4).zip(self.seq.to_be_bytes()) {
            *n ^= s;
        }
        nonce
    }

    /// Takes the next sequence number; refuses to wrap (the connection
    /// must KeyUpdate long before 2^64 records).
    fn next_nonce(&mut self) -> Result<[u8; 12], Error> {
        let nonce = self.nonce();
        self.seq = self.seq.checked_add(1).ok_or(Error::Config { what: "record sequence number exhausted" })?;
        Ok(nonce)
    }

    /// Protects one fragment (at most 2^14 bytes) as a complete record
    /// appended to `out`, padding the inner plaintext with `padding` zeros.
    pub(crate) fn seal(
        &mut self,
        content_type: ContentType,
        fragment: &[u8],
        padding: usize,
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        if self.is_tls12() {
            return self.seal_tls12(content_type, fragment, out);
        }
        let inner_len = fragment.len() + 1 + padding;
        if fragment.len() > MAX_PLAINTEXT || inner_len > MAX_PLAINTEXT + 1 {
            return Err(Error::Config { what: "record fragment too long" });
        }
        let len = inner_len + self.tag_len;
        let start = out.len();
        write_header(out, ContentType::ApplicationData, len);
        let aad: [u8; HEADER_LEN] = [23, 3, 3, (len >> 8) as u8, len as u8];
        let body_start = out.len();
        out.extend_from_slice(fragment);
        out.push(content_type.to_u8());
        out.resize(body_start + inner_len, 0);
        let nonce = self.next_nonce()?;
        let body = out.get_mut(body_start..).unwrap_or_default();
        match self.aead.aead().encrypt_in_place_detached(&nonce, &aad, body) {
            Ok(tag) => {
                out.extend_from_slice(tag.as_bytes());
                Ok(())
            }
            Err(e) => {
                out.truncate(start);
                Err(e.into())
            }
        }
    }

    /// Opens one protected record body in place: on success `body` holds
    /// the inner content and the real content type is returned. A failed
    /// tag is `bad_record_mac`; inner plaintext over 2^14 bytes is
    /// `record_overflow`; all-zero inner plaintext is `unexpected_message`.
    pub(crate) fn open(&mut self, header_len: usize, body: &mut Vec<u8>) -> Result<ContentType, Error> {
        let aad: [u8; HEADER_LEN] = [23, 3, 3, (header_len >> 8) as u8, header_len as u8];
        if body.len() < self.tag_len {
            return Err(Error::BadRecordMac);
        }
        // The sequence number moves on only for a record that opens: a
        // server skipping rejected early data (RFC 8446 section 4.2.10)
        // tries the next record under the same number.
        let nonce = self.nonce();
        self.aead.aead().decrypt_in_place(&nonce, &aad, body).map_err(|_| Error::BadRecordMac)?;
        self.next_nonce()?;
        if body.len() > MAX_PLAINTEXT + 1 {
            return Err(Error::RecordOverflow);
        }
        // Strip the padding: the content type is the last non-zero byte.
        while let Some(&last) = body.last() {
            body.pop();
            if last != 0 {
                return ContentType::from_u8(last)
                    .filter(|t| *t != ContentType::ChangeCipherSpec)
                    .ok_or(Error::UnexpectedMessage { what: "inner content type" });
            }
        }
        Err(Error::UnexpectedMessage { what: "record with no content type" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(suite: CipherSuite) -> (RecordCipher, RecordCipher) {
        let hash = suite.hash().unwrap();
        let secret = [7u8; 48];
        let s = &secret[..hash.output_len()];
        (RecordCipher::new(suite, hash, s).unwrap(), RecordCipher::new(suite, hash, s).unwrap())
    }

    #[test]
    fn seal_open_round_trip_with_padding_for_every_suite() {
        for &suite in CipherSuite::SUPPORTED.iter().chain(CipherSuite::OPTIONAL) {
            let (mut w, mut r) = pair(suite);
            for (data, pad) in [(&b"hello"[..], 0), (b"", 10), (&[1u8; MAX_PLAINTEXT][..], 0)] {
                let mut out = Vec::new();
                w.seal(ContentType::Handshake, data, pad, &mut out).unwrap();
                let h = parse_header(&out).unwrap().unwrap();
                assert_eq!(h.content_type, ContentType::ApplicationData);
                let mut body = out[HEADER_LEN..].to_vec();
                assert_eq!(body.len(), h.len);
                assert_eq!(r.open(h.len, &mut body).unwrap(), ContentType::Handshake);
                assert_eq!(body, data);
            }
        }
    }

    #[test]
    fn tampering_replay_and_limits_are_rejected() {
        let (mut w, mut r) = pair(CipherSuite::TLS_AES_128_GCM_SHA256);
        let mut out = Vec::new();
        w.seal(ContentType::ApplicationData, b"x", 0, &mut out).unwrap();
        let mut body = out[HEADER_LEN..].to_vec();
        body[0] ^= 1;
        assert_eq!(r.open(body.len(), &mut body), Err(Error::BadRecordMac));
        // A record that fails leaves the sequence number alone (a server
        // trial-decrypting skipped early data relies on it; anywhere else
        // the failure is fatal), so the untouched record still opens,
        // once: a replay of it is refused.
        let mut body = out[HEADER_LEN..].to_vec();
        assert_eq!(r.open(body.len(), &mut body), Ok(ContentType::ApplicationData));
        let mut body = out[HEADER_LEN..].to_vec();
        assert_eq!(r.open(body.len(), &mut body), Err(Error::BadRecordMac));
        assert!(w.seal(ContentType::ApplicationData, &[0; MAX_PLAINTEXT + 1], 0, &mut out).is_err());
        assert_eq!(parse_header(&[23, 3, 3, 0x41, 0x01]).unwrap_err(), Error::RecordOverflow);
        assert!(parse_header(&[99, 3, 3, 0, 1]).is_err());
        assert!(parse_header(&[23, 3, 3]).unwrap().is_none());
    }

    /// TLS 1.2 (client write, server read) ciphers for `suite` from a
    /// fixed key block slice.
    fn pair12(suite: CipherSuite) -> (RecordCipher, RecordCipher) {
        let key = [9u8; 32];
        let key = &key[..suite.key_len()];
        let iv = [5u8; 12];
        let iv = &iv[..if suite.is_chacha() { 12 } else { 4 }];
        (RecordCipher::new_tls12(suite, key, iv).unwrap(), RecordCipher::new_tls12(suite, key, iv).unwrap())
    }

    /// The CCM suites' record sizes (RFC 8446 B.4, RFC 6655 section 3:
    /// an 8-byte explicit nonce in TLS 1.2, a 16- or 8-byte tag), and a
    /// flipped bit anywhere in the tag or body is `bad_record_mac`.
    #[test]
    fn ccm_records_have_the_right_size_and_a_flipped_bit_fails() {
        for &suite in CipherSuite::OPTIONAL.iter().chain(CipherSuite::OPTIONAL_TLS12) {
            let tls12 = suite.is_tls12();
            let ccm8 = [
                CipherSuite::TLS_AES_128_CCM_8_SHA256,
                CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
                CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8,
            ];
            let tag = if ccm8.contains(&suite) { 8 } else { 16 };
            let (mut w, mut r) = if tls12 { pair12(suite) } else { pair(suite) };
            let mut out = Vec::new();
            w.seal(ContentType::ApplicationData, b"hello", 0, &mut out).unwrap();
            let expected = if tls12 { 8 + 5 + tag } else { 5 + 1 + tag };
            assert_eq!(out.len(), HEADER_LEN + expected, "{suite:?}");
            assert_eq!(w.overhead(), if tls12 { 8 + tag } else { tag }, "{suite:?}");
            // Flip a bit of the last tag byte, then of the first
            // ciphertext byte: both refused, and the sequence number
            // stays, so the untouched record still opens.
            for at in [out.len() - 1, HEADER_LEN + if tls12 { 8 } else { 0 }] {
                let mut bad = out.clone();
                bad[at] ^= 0x01;
                let mut body = bad[HEADER_LEN..].to_vec();
                let got = if tls12 {
                    r.open_tls12(ContentType::ApplicationData, &mut body).map(|()| ContentType::ApplicationData)
                } else {
                    r.open(body.len(), &mut body)
                };
                assert_eq!(got, Err(Error::BadRecordMac), "{suite:?} byte {at}");
                if tls12 {
                    // TLS 1.2 takes the sequence number before opening
                    // (a failure is fatal there); start over.
                    (w, r) = pair12(suite);
                    out.clear();
                    w.seal(ContentType::ApplicationData, b"hello", 0, &mut out).unwrap();
                }
            }
            let mut body = out[HEADER_LEN..].to_vec();
            if tls12 {
                r.open_tls12(ContentType::ApplicationData, &mut body).unwrap();
            } else {
                assert_eq!(r.open(body.len(), &mut body), Ok(ContentType::ApplicationData));
            }
            assert_eq!(body, b"hello", "{suite:?}");
        }
    }

    /// A record that opens but carries too much: a TLS 1.3 inner
    /// plaintext over 2^14 + 1 bytes, a TLS 1.2 plaintext over 2^14
    /// (refused before decrypting). `seal` cannot make either, so the
    /// TLS 1.3 one is sealed by hand.
    #[test]
    fn opened_records_over_the_plaintext_limit_are_record_overflow() {
        for (inner, expect) in
            [(MAX_PLAINTEXT + 1, Ok(ContentType::ApplicationData)), (MAX_PLAINTEXT + 2, Err(Error::RecordOverflow))]
        {
            let (mut w, mut r) = pair(CipherSuite::TLS_AES_128_GCM_SHA256);
            let mut raw = alloc::vec![0u8; inner];
            raw[0] = 1;
            raw[inner - 1] = 23;
            let len = inner + TAG_LEN;
            let aad = [23, 3, 3, (len >> 8) as u8, len as u8];
            let nonce = w.next_nonce().unwrap();
            let tag = w.aead.aead().encrypt_in_place_detached(&nonce, &aad, &mut raw).unwrap();
            raw.extend_from_slice(tag.as_bytes());
            assert_eq!(r.open(len, &mut raw), expect, "inner {inner}");
        }
        let (_, mut r) = pair12(CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
        let mut body = alloc::vec![0u8; 8 + MAX_PLAINTEXT + 1 + TAG_LEN];
        assert_eq!(r.open_tls12(ContentType::ApplicationData, &mut body), Err(Error::RecordOverflow));
        let mut body = alloc::vec![0u8; 8 + MAX_PLAINTEXT + TAG_LEN];
        assert_eq!(r.open_tls12(ContentType::ApplicationData, &mut body), Err(Error::BadRecordMac));
    }

    /// An inner content type no version defines (heartbeat, 24) is
    /// `unexpected_message`, like a protected ChangeCipherSpec.
    #[test]
    fn unknown_inner_content_types_are_unexpected_message() {
        for typ in [24u8, 20, 99] {
            let (mut w, mut r) = pair(CipherSuite::TLS_AES_128_GCM_SHA256);
            let mut raw = alloc::vec![1, 0, 16, typ];
            let len = raw.len() + TAG_LEN;
            let aad = [23, 3, 3, 0, len as u8];
            let nonce = w.next_nonce().unwrap();
            let tag = w.aead.aead().encrypt_in_place_detached(&nonce, &aad, &mut raw).unwrap();
            raw.extend_from_slice(tag.as_bytes());
            assert_eq!(r.open(len, &mut raw), Err(Error::UnexpectedMessage { what: "inner content type" }), "{typ}");
        }
    }

    #[test]
    fn all_padding_record_is_unexpected_message() {
        let (mut w, mut r) = pair(CipherSuite::TLS_CHACHA20_POLY1305_SHA256);
        let mut out = Vec::new();
        w.seal(ContentType::Handshake, b"", 3, &mut out).unwrap();
        // Zero the content-type byte by sealing a hand-made inner plaintext.
        let mut raw = alloc::vec![0u8; 4];
        let nonce = w.next_nonce().unwrap();
        let aad = [23, 3, 3, 0, 20];
        let tag = w.aead.aead().encrypt_in_place_detached(&nonce, &aad, &mut raw).unwrap();
        raw.extend_from_slice(tag.as_bytes());
        let mut first = out[HEADER_LEN..].to_vec();
        r.open(first.len(), &mut first).unwrap();
        assert!(matches!(r.open(raw.len(), &mut raw), Err(Error::UnexpectedMessage { .. })));
    }
}
