//! Codecs of the TLS 1.2 handshake messages TLS 1.3 does not share:
//! Certificate (no context, no per-entry extensions), the ECDHE
//! ServerKeyExchange (RFC 8422 section 5.4), ClientKeyExchange, and the
//! empty ServerHelloDone and HelloRequest; plus the downgrade sentinel.
//!
//! Entry points: [`decode_certificate`], [`decode_raw_key_certificate`]
//! (RFC 7250's form of the message), [`ServerKeyExchange`],
//! [`decode_client_key_exchange`]. Decoders are strict like `msgs.rs`.

use alloc::vec::Vec;

use crate::tls::codec::{Reader, put_u16, put_vec, put_vec8, put_vec16, put_vec24};
use crate::tls::error::{Error, decode};
use crate::tls::suites::{NamedGroup, SignatureScheme};

/// The last eight bytes of a TLS 1.3-capable server's random when it
/// negotiates TLS 1.2 (RFC 8446 section 4.1.3).
pub(crate) const DOWNGRADE_TLS12: [u8; 8] = *b"DOWNGRD\x01";

/// `ECCurveType.named_curve`.
const NAMED_CURVE: u8 = 3;

/// Certificate: DER certificates, leaf first. An empty list is a decode
/// error here (only a client may send one: [`decode_client_certificate`]).
pub(crate) fn decode_certificate(body: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    let chain = decode_client_certificate(body)?;
    if chain.is_empty() {
        return Err(decode("empty certificate list"));
    }
    Ok(chain)
}

/// A client's Certificate, which may be empty (no certificate to offer,
/// RFC 5246 section 7.4.6).
pub(crate) fn decode_client_certificate(body: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    let mut r = Reader::new(body, "Certificate");
    let chain = read_certificate_list(&mut r)?;
    r.finish()?;
    Ok(chain)
}

/// A certificate list as [`encode_certificate`] writes it (also the form
/// stored sessions keep the server's chain in): possibly empty, every
/// entry not.
pub(crate) fn read_certificate_list(r: &mut Reader<'_>) -> Result<Vec<Vec<u8>>, Error> {
    let mut list = r.sub24()?;
    let mut chain = Vec::new();
    while !list.is_empty() {
        let cert = list.vec24()?;
        if cert.is_empty() {
            return Err(decode("certificate entry"));
        }
        chain.push(cert.to_vec());
    }
    Ok(chain)
}

/// A Certificate carrying a raw public key (RFC 7250 section 3): the
/// body is `opaque ASN.1_subjectPublicKeyInfo<1..2^24-1>`, the SPKI
/// itself, not a list. Returned as a one-entry list (what the
/// version-neutral checks in `rpk.rs` take); an empty body length means
/// no key (a client with nothing to send writes the same three zero
/// bytes an empty certificate list is).
pub(crate) fn decode_raw_key_certificate(body: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    let mut r = Reader::new(body, "Certificate");
    let spki = r.vec24()?;
    r.finish()?;
    Ok(if spki.is_empty() { Vec::new() } else { alloc::vec![spki.to_vec()] })
}

/// Writes a raw-key Certificate body (`None`: no key, a zero length).
pub(crate) fn encode_raw_key_certificate(spki: Option<&[u8]>, out: &mut Vec<u8>) {
    put_vec24(out, spki.unwrap_or_default());
}

/// CertificateStatus (RFC 6066 section 8): the stapled OCSP response.
pub(crate) fn decode_certificate_status(body: &[u8]) -> Result<Vec<u8>, Error> {
    let mut r = Reader::new(body, "CertificateStatus");
    let response = crate::tls::msgs::decode_certificate_status(&mut r)?;
    r.finish()?;
    Ok(response)
}

/// NewSessionTicket of RFC 5077 section 3.3: a lifetime hint in seconds
/// (0: unspecified) and the opaque ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NewSessionTicket12 {
    pub(crate) lifetime_hint: u32,
    pub(crate) ticket: Vec<u8>,
}

impl NewSessionTicket12 {
    pub(crate) fn decode(body: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(body, "NewSessionTicket");
        let lifetime_hint = r.u32()?;
        let ticket = r.vec16()?.to_vec();
        r.finish()?;
        Ok(Self { lifetime_hint, ticket })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.lifetime_hint.to_be_bytes());
        put_vec16(out, &self.ticket);
    }
}

/// `ClientCertificateType` values we ask for: `rsa_sign` and
/// `ecdsa_sign` (which covers Ed25519, RFC 8422 section 5.5).
pub(crate) const CERT_TYPES: [u8; 2] = [1, 64];

/// CertificateRequest (RFC 5246 section 7.4.4): certificate types, the
/// signature schemes CertificateVerify may use, and acceptable CA names
/// (ignored on receipt: the client has one certificate).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CertificateRequest12 {
    pub(crate) cert_types: Vec<u8>,
    pub(crate) schemes: Vec<SignatureScheme>,
}

impl CertificateRequest12 {
    pub(crate) fn decode(body: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(body, "CertificateRequest");
        let cert_types = r.vec8()?.to_vec();
        let mut list = r.sub16()?;
        if cert_types.is_empty() || list.is_empty() || list.rest().len() % 2 != 0 {
            return Err(decode("CertificateRequest"));
        }
        let mut schemes = Vec::new();
        while !list.is_empty() {
            schemes.push(SignatureScheme(list.u16()?));
        }
        let mut names = r.sub16()?;
        while !names.is_empty() {
            names.vec16()?;
        }
        r.finish()?;
        Ok(Self { cert_types, schemes })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        put_vec8(out, &self.cert_types);
        put_vec(out, 2, |o| self.schemes.iter().for_each(|s| put_u16(o, s.0)));
        put_u16(out, 0);
    }
}

pub(crate) fn encode_certificate(chain: &[Vec<u8>], out: &mut Vec<u8>) {
    put_vec(out, 3, |o| chain.iter().for_each(|c| put_vec24(o, c)));
}

/// ServerKeyExchange for ECDHE: the curve and public point, and the
/// signature over `client_random || server_random || params`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ServerKeyExchange {
    pub(crate) group: NamedGroup,
    pub(crate) public: Vec<u8>,
    pub(crate) scheme: SignatureScheme,
    pub(crate) signature: Vec<u8>,
}

impl ServerKeyExchange {
    pub(crate) fn decode(body: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(body, "ServerKeyExchange");
        if r.u8()? != NAMED_CURVE {
            return Err(Error::IllegalParameter { what: "ECCurveType" });
        }
        let group = NamedGroup(r.u16()?);
        let public = r.vec8()?.to_vec();
        let scheme = SignatureScheme(r.u16()?);
        let signature = r.vec16()?.to_vec();
        r.finish()?;
        if public.is_empty() || signature.is_empty() {
            return Err(decode("ServerKeyExchange"));
        }
        Ok(Self { group, public, scheme, signature })
    }

    /// The `ServerECDHParams` bytes as signed.
    pub(crate) fn params(&self) -> Vec<u8> {
        let mut out = alloc::vec![NAMED_CURVE];
        put_u16(&mut out, self.group.0);
        put_vec8(&mut out, &self.public);
        out
    }

    /// What the signature covers.
    pub(crate) fn signed_content(&self, client_random: &[u8; 32], server_random: &[u8; 32]) -> Vec<u8> {
        let mut m = Vec::with_capacity(64 + 4 + self.public.len());
        m.extend_from_slice(client_random);
        m.extend_from_slice(server_random);
        m.extend_from_slice(&self.params());
        m
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.params());
        put_u16(out, self.scheme.0);
        put_vec16(out, &self.signature);
    }
}

/// ClientKeyExchange for ECDHE: the client's public point.
pub(crate) fn decode_client_key_exchange(body: &[u8]) -> Result<&[u8], Error> {
    let mut r = Reader::new(body, "ClientKeyExchange");
    let public = r.vec8()?;
    r.finish()?;
    if public.is_empty() {
        return Err(decode("ClientKeyExchange"));
    }
    Ok(public)
}

pub(crate) fn encode_client_key_exchange(public: &[u8], out: &mut Vec<u8>) {
    put_vec8(out, public);
}

/// ServerHelloDone and HelloRequest carry nothing.
pub(crate) fn decode_empty(body: &[u8], what: &'static str) -> Result<(), Error> {
    if body.is_empty() { Ok(()) } else { Err(decode(what)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_and_reject_junk() {
        let nst = NewSessionTicket12 { lifetime_hint: 7200, ticket: alloc::vec![7; 40] };
        let mut out = Vec::new();
        nst.encode(&mut out);
        assert_eq!(&out[..6], &[0, 0, 0x1c, 0x20, 0, 40]);
        assert_eq!(NewSessionTicket12::decode(&out).unwrap(), nst);
        for cut in 0..out.len() {
            assert!(NewSessionTicket12::decode(&out[..cut]).is_err(), "cut {cut}");
        }
        out.push(0);
        assert!(NewSessionTicket12::decode(&out).is_err());

        let ske = ServerKeyExchange {
            group: NamedGroup::X25519,
            public: alloc::vec![9; 32],
            scheme: SignatureScheme::ED25519,
            signature: alloc::vec![1; 64],
        };
        let mut out = Vec::new();
        ske.encode(&mut out);
        assert_eq!(ServerKeyExchange::decode(&out).unwrap(), ske);
        out.push(0);
        assert!(matches!(ServerKeyExchange::decode(&out), Err(Error::Decode { .. })));
        out[0] = 1;
        assert!(matches!(ServerKeyExchange::decode(&out), Err(Error::IllegalParameter { .. })));

        let chain = alloc::vec![alloc::vec![1, 2], alloc::vec![3]];
        let mut out = Vec::new();
        encode_certificate(&chain, &mut out);
        assert_eq!(decode_certificate(&out).unwrap(), chain);
        assert!(decode_certificate(&[0, 0, 0]).is_err());
        assert!(decode_certificate(&out[..out.len() - 1]).is_err());

        let mut out = Vec::new();
        encode_client_key_exchange(&[4; 65], &mut out);
        assert_eq!(decode_client_key_exchange(&out).unwrap(), &[4; 65][..]);
        assert!(decode_client_key_exchange(&[0]).is_err());
        assert!(decode_empty(&[0], "ServerHelloDone").is_err());
    }
}
