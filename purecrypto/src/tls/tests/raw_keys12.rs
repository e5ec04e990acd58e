//! Raw public keys (RFC 7250) in TLS 1.2, in memory: server
//! authentication with each key type and the Certificate in RFC 7250
//! section 3's form (the SPKI alone), client authentication, the fall
//! back to X.509 and the refusals when the types do not meet, a wrong or
//! malformed key (edited into the plaintext server flight), and
//! resumption by ticket and by session ID restoring both sides' raw keys.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::raw_keys::{client_key, key, spki};
use super::{exchange, pump, rng, server_config};
use crate::tls::msgs::{self, HandshakeType};
use crate::tls::*;

/// A TLS 1.2 client that accepts exactly the raw key `pinned`.
fn client12(pinned: Vec<u8>) -> ClientConfig {
    let mut cc = ClientConfig::with_server_raw_key(Arc::new(PinnedRawKeys::new().with_spki(pinned)));
    cc.max_version = ProtocolVersion::Tls12;
    cc
}

/// A TLS 1.2 server with only the raw key `kind`.
fn raw_server12(kind: &str) -> ServerConfig {
    let mut sc = ServerConfig::with_raw_public_key(key(kind)).unwrap();
    sc.max_version = ProtocolVersion::Tls12;
    sc
}

fn handshake(cc: ClientConfig, sc: ServerConfig) -> (Connection, Connection, (Option<Error>, Option<Error>)) {
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(11)).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(12)).unwrap();
    let errors = pump(&mut c, &mut s);
    (c, s, errors)
}

/// The handshake messages of a plaintext TLS 1.2 flight.
fn messages(flight: &[u8]) -> Vec<(HandshakeType, Vec<u8>)> {
    let mut handshake = Vec::new();
    let mut at = 0;
    while at + 5 <= flight.len() {
        let len = usize::from(u16::from_be_bytes([flight[at + 3], flight[at + 4]]));
        assert_eq!(flight[at], 22, "a plaintext handshake record");
        handshake.extend_from_slice(&flight[at + 5..at + 5 + len]);
        at += 5 + len;
    }
    let mut out = Vec::new();
    let mut rest = &handshake[..];
    while let Some((typ, n)) = msgs::split_message(rest).unwrap() {
        out.push((typ, rest[..n].to_vec()));
        rest = &rest[n..];
    }
    out
}

/// Frames `messages` back into one plaintext handshake record.
fn record(messages: &[(HandshakeType, Vec<u8>)]) -> Vec<u8> {
    let body: Vec<u8> = messages.iter().flat_map(|(_, m)| m.iter().copied()).collect();
    let mut out = alloc::vec![22, 3, 3];
    out.extend_from_slice(&u16::try_from(body.len()).unwrap().to_be_bytes());
    out.extend_from_slice(&body);
    out
}

/// Runs the handshake to the client's reading of the server's first
/// flight, passed through `edit`; returns the client's error and the
/// alert it sends.
fn tampered(
    cc: ClientConfig,
    sc: ServerConfig,
    edit: impl Fn(&mut Vec<(HandshakeType, Vec<u8>)>),
) -> (Error, Option<AlertDescription>) {
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(21)).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(22)).unwrap();
    let mut hello = Vec::new();
    c.write_tls(&mut hello);
    s.read_tls(&hello).unwrap();
    let mut flight = Vec::new();
    s.write_tls(&mut flight);
    let mut msgs = messages(&flight);
    edit(&mut msgs);
    let err = c.read_tls(&record(&msgs)).unwrap_err();
    let mut alert = Vec::new();
    c.write_tls(&mut alert);
    // A plaintext alert record: level, description.
    let description = (alert.len() == 7 && alert[0] == 21).then(|| AlertDescription(alert[6]));
    (err, description)
}

/// Replaces the body of the server's Certificate.
fn certificate_body(body: Vec<u8>) -> impl Fn(&mut Vec<(HandshakeType, Vec<u8>)>) {
    move |msgs| {
        for (typ, m) in msgs.iter_mut() {
            if *typ == HandshakeType::Certificate {
                *m = msgs::frame(HandshakeType::Certificate, |o| o.extend_from_slice(&body));
            }
        }
    }
}

fn u24(n: usize) -> [u8; 3] {
    let b = u32::try_from(n).unwrap().to_be_bytes();
    [b[1], b[2], b[3]]
}

#[test]
fn tls12_raw_key_server_authentication_for_each_key_type() {
    for kind in ["ed25519", "p256", "p384", "rsa2048"] {
        let (mut c, mut s, errors) = handshake(client12(spki(kind)), raw_server12(kind));
        assert_eq!(errors, (None, None), "{kind}");
        assert_eq!(c.protocol_version(), Some(ProtocolVersion::Tls12), "{kind}");
        assert_eq!(c.peer_raw_public_key(), Some(&spki(kind)[..]), "{kind}");
        assert!(c.peer_certificates().is_empty(), "{kind}");
        assert_eq!(s.peer_raw_public_key(), None);
        exchange(&mut c, &mut s, 1000);
    }
}

/// RFC 7250 section 3: in TLS 1.2 the Certificate body is
/// `opaque ASN.1_subjectPublicKeyInfo<1..2^24-1>`, one length and the
/// SPKI, not a certificate list; the ServerHello answers the type.
#[test]
fn tls12_raw_key_certificate_is_the_spki_alone() {
    let mut c = Connection::client(Arc::new(client12(spki("p256"))), "localhost", rng(1)).unwrap();
    let mut s = Connection::server(Arc::new(raw_server12("p256")), rng(2)).unwrap();
    let mut hello = Vec::new();
    c.write_tls(&mut hello);
    s.read_tls(&hello).unwrap();
    let mut flight = Vec::new();
    s.write_tls(&mut flight);
    let msgs = messages(&flight);
    let types: Vec<HandshakeType> = msgs.iter().map(|(t, _)| *t).collect();
    assert_eq!(
        types,
        [
            HandshakeType::ServerHello,
            HandshakeType::Certificate,
            HandshakeType::ServerKeyExchange,
            HandshakeType::ServerHelloDone
        ]
    );
    let sh = msgs::ServerHello::decode(msgs::body(&msgs[0].1)).unwrap();
    assert_eq!(sh.tls12.server_cert_type, Some(CertificateType::RAW_PUBLIC_KEY));
    assert_eq!(sh.tls12.client_cert_type, None, "no client_certificate_type offered, none answered");
    let want = [&u24(spki("p256").len())[..], &spki("p256")].concat();
    assert_eq!(msgs::body(&msgs[1].1), &want[..]);
}

#[test]
fn tls12_raw_key_client_authentication() {
    for kind in ["p256", "ed25519", "rsa2048"] {
        let client_spki = client_key(kind).spki_der().unwrap();
        let mut sc = raw_server12("ed25519");
        sc.client_raw_key_verifier = Some(Arc::new(PinnedRawKeys::new().with_spki(client_spki.clone())));
        let mut cc = client12(spki("ed25519"));
        cc.client_raw_key = Some(RawKeyIdentity::new(client_key(kind)).unwrap());
        let (mut c, mut s, errors) = handshake(cc, sc);
        assert_eq!(errors, (None, None), "{kind}");
        assert_eq!(s.protocol_version(), Some(ProtocolVersion::Tls12));
        assert!(c.sent_client_certificate(), "{kind}");
        assert_eq!(s.peer_raw_public_key(), Some(&client_spki[..]), "{kind}");
        assert!(s.peer_certificates().is_empty());
        exchange(&mut c, &mut s, 100);
    }
}

#[test]
fn tls12_raw_key_client_authentication_failures() {
    let server = |verifier: PinnedRawKeys| {
        let mut sc = server_config("p256");
        sc.max_version = ProtocolVersion::Tls12;
        sc.client_raw_key_verifier = Some(Arc::new(verifier));
        sc
    };
    let pin = || PinnedRawKeys::new().with_spki(client_key("p256").spki_der().unwrap());
    let with_key = |kind: &str| {
        let mut cc = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
        cc.max_version = ProtocolVersion::Tls12;
        cc.client_raw_key = Some(RawKeyIdentity::new(client_key(kind)).unwrap());
        cc
    };
    // A key that is not pinned.
    let (c, _, errors) = handshake(with_key("ed25519"), server(pin()));
    assert_eq!(errors.1, Some(Error::BadCertificate { what: "raw public key is not pinned" }));
    assert_eq!(errors.0, Some(Error::AlertReceived(AlertDescription::BAD_CERTIFICATE)));
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::Tls12));
    // The pinned key, with an X.509 server certificate.
    let (c, s, errors) = handshake(with_key("p256"), server(pin()));
    assert_eq!(errors, (None, None));
    assert_eq!(c.peer_certificates().len(), 1);
    assert!(s.peer_raw_public_key().is_some());
    // A client with no raw key to offer, against a mandatory raw-key
    // verifier: no type in common.
    let mut cc = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    cc.max_version = ProtocolVersion::Tls12;
    let (_, _, errors) = handshake(cc.clone(), server(pin()));
    assert!(matches!(errors.1, Some(Error::UnsupportedCertificate { .. })), "{errors:?}");
    assert_eq!(errors.0, Some(Error::AlertReceived(AlertDescription::UNSUPPORTED_CERTIFICATE)));
    // An optional one lets it through unauthenticated.
    let (_, s, errors) = handshake(cc, server(pin().optional()));
    assert_eq!(errors, (None, None));
    assert!(s.peer_raw_public_key().is_none());
}

/// The client's raw-key Certificate with no key in it (three zero
/// bytes) is "no key": refused with handshake_failure by a mandatory
/// verifier (RFC 5246 section 7.4.6).
#[test]
fn tls12_an_empty_raw_key_certificate_is_no_key() {
    use crate::tls::tls12::msgs::{decode_raw_key_certificate, encode_raw_key_certificate};
    let mut out = Vec::new();
    encode_raw_key_certificate(None, &mut out);
    assert_eq!(out, [0, 0, 0]);
    assert!(decode_raw_key_certificate(&out).unwrap().is_empty());
    assert!(decode_raw_key_certificate(&[0, 0, 1, 0x30, 0]).is_err(), "trailing bytes");

    let mut sc = server_config("p256");
    sc.max_version = ProtocolVersion::Tls12;
    let client_spki = client_key("ed25519").spki_der().unwrap();
    sc.client_raw_key_verifier = Some(Arc::new(PinnedRawKeys::new().with_spki(client_spki)));
    let mut cc = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    cc.max_version = ProtocolVersion::Tls12;
    cc.client_raw_key = Some(RawKeyIdentity::new(client_key("ed25519")).unwrap());
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(1)).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(2)).unwrap();
    let mut buf = Vec::new();
    c.write_tls(&mut buf);
    s.read_tls(&buf).unwrap();
    buf.clear();
    s.write_tls(&mut buf);
    c.read_tls(&buf).unwrap();
    buf.clear();
    c.write_tls(&mut buf);
    // The plaintext records before ChangeCipherSpec: Certificate,
    // ClientKeyExchange, CertificateVerify.
    let mut at = 0;
    while buf[at] == 22 {
        at += 5 + usize::from(u16::from_be_bytes([buf[at + 3], buf[at + 4]]));
    }
    let mut msgs = messages(&buf[..at]);
    assert_eq!(msgs[0].0, HandshakeType::Certificate);
    let want = [&u24(client_key("ed25519").spki_der().unwrap().len())[..], &client_key("ed25519").spki_der().unwrap()]
        .concat();
    assert_eq!(msgs::body(&msgs[0].1), &want[..], "the client's raw key alone (RFC 7250 section 3)");
    msgs[0].1 = msgs::frame(HandshakeType::Certificate, |o| o.extend_from_slice(&[0, 0, 0]));
    msgs.retain(|(t, _)| *t != HandshakeType::CertificateVerify);
    let err = s.read_tls(&record(&msgs)).unwrap_err();
    assert_eq!(err, Error::HandshakeFailure { what: "client raw public key required" });
    assert_eq!(err.alert(), Some(AlertDescription::HANDSHAKE_FAILURE));
}

#[test]
fn tls12_certificate_types_that_do_not_meet() {
    // A raw-key-only client and a certificate-only TLS 1.2 server.
    let mut sc = server_config("p256");
    sc.max_version = ProtocolVersion::Tls12;
    let (_, _, errors) = handshake(client12(spki("p256")), sc);
    assert!(matches!(errors.1, Some(Error::UnsupportedCertificate { .. })), "{errors:?}");
    assert_eq!(errors.0, Some(Error::AlertReceived(AlertDescription::UNSUPPORTED_CERTIFICATE)));
    // A raw-key-only TLS 1.2 server and a client that offers nothing.
    let mut cc = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    cc.max_version = ProtocolVersion::Tls12;
    let (_, _, errors) = handshake(cc, raw_server12("p256"));
    assert!(matches!(errors.1, Some(Error::UnsupportedCertificate { .. })), "{errors:?}");
    assert_eq!(errors.0, Some(Error::AlertReceived(AlertDescription::UNSUPPORTED_CERTIFICATE)));
    // A client that takes either falls back to the certificate of a
    // server without a raw key (RFC 7250 section 4.2).
    let mut cc = client12(spki("p256"));
    cc.verifier = Arc::new(DangerousAcceptAnyVerifier);
    cc.server_certificate_types = alloc::vec![CertificateType::RAW_PUBLIC_KEY, CertificateType::X509];
    let tls12_server = || {
        let mut sc = server_config("p256");
        sc.max_version = ProtocolVersion::Tls12;
        sc
    };
    let (c, _, errors) = handshake(cc, tls12_server());
    assert_eq!(errors, (None, None));
    assert_eq!((c.protocol_version(), c.peer_certificates().len()), (Some(ProtocolVersion::Tls12), 1));
    assert_eq!(c.peer_raw_public_key(), None);
    // ...and takes the raw key of a server that has both (client order).
    let mut sc = tls12_server();
    sc.raw_key = Some(RawKeyIdentity::new(key("ed25519")).unwrap());
    let mut cc = client12(spki("ed25519"));
    cc.verifier = Arc::new(DangerousAcceptAnyVerifier);
    cc.server_certificate_types = alloc::vec![CertificateType::RAW_PUBLIC_KEY, CertificateType::X509];
    let (c, _, errors) = handshake(cc, sc);
    assert_eq!(errors, (None, None));
    assert_eq!(c.peer_raw_public_key(), Some(&spki("ed25519")[..]));
}

#[test]
fn tls12_a_wrong_or_malformed_server_key_is_refused() {
    let both = PinnedRawKeys::new().with_spki(spki("p256")).with_spki(spki("p384"));
    let client = || {
        let mut cc = ClientConfig::with_server_raw_key(Arc::new(both.clone()));
        cc.max_version = ProtocolVersion::Tls12;
        cc
    };
    // A pin on another key.
    let (_, _, errors) = handshake(client12(spki("ed25519")), raw_server12("p256"));
    assert_eq!(errors.0, Some(Error::BadCertificate { what: "raw public key is not pinned" }));
    assert_eq!(errors.1, Some(Error::AlertReceived(AlertDescription::BAD_CERTIFICATE)));
    // A pinned key that did not sign the ServerKeyExchange: the
    // signature is checked under the raw key sent.
    let p384 = spki("p384");
    let (err, alert) =
        tampered(client(), raw_server12("p256"), certificate_body([&u24(p384.len())[..], &p384].concat()));
    assert!(matches!(err, Error::DecryptError { .. }), "{err:?}");
    assert_eq!(alert, Some(AlertDescription::DECRYPT_ERROR));
    // The TLS 1.3 form (a certificate list around the SPKI) is not an
    // SPKI; nor is an empty body, nor trailing bytes.
    let p256 = spki("p256");
    let entry = [&u24(p256.len())[..], &p256].concat();
    let listed = [&u24(entry.len())[..], &entry].concat();
    let mut trailing = entry.clone();
    trailing.push(0);
    for (body, want) in [
        (listed, "raw public key: malformed SubjectPublicKeyInfo"),
        (alloc::vec![0, 0, 0], "raw public key: exactly one entry expected"),
    ] {
        let (err, alert) = tampered(client(), raw_server12("p256"), certificate_body(body));
        assert_eq!(err, Error::BadCertificate { what: want });
        assert_eq!(alert, Some(AlertDescription::BAD_CERTIFICATE));
    }
    let (err, alert) = tampered(client(), raw_server12("p256"), certificate_body(trailing));
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(alert, Some(AlertDescription::DECODE_ERROR));
    // A ServerHello answering RawPublicKey to a client that never offered it.
    let (err, alert) = tampered(
        {
            let mut cc = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
            cc.max_version = ProtocolVersion::Tls12;
            cc
        },
        {
            let mut sc = server_config("p256");
            sc.max_version = ProtocolVersion::Tls12;
            sc
        },
        |msgs| {
            let mut sh = msgs::ServerHello::decode(msgs::body(&msgs[0].1)).unwrap();
            sh.tls12.server_cert_type = Some(CertificateType::RAW_PUBLIC_KEY);
            msgs[0].1 = msgs::frame(HandshakeType::ServerHello, |o| sh.encode(o));
        },
    );
    assert_eq!(err, Error::UnsupportedExtension { what: "certificate type not offered" });
    assert_eq!(alert, Some(AlertDescription::UNSUPPORTED_EXTENSION));
    // A server that ignores the extension (no answer means X.509) and a
    // raw-key-only client: unsupported_certificate (RFC 7250 section 4.2).
    let (err, alert) = tampered(client(), raw_server12("p256"), |msgs| {
        let mut sh = msgs::ServerHello::decode(msgs::body(&msgs[0].1)).unwrap();
        sh.tls12.server_cert_type = None;
        msgs[0].1 = msgs::frame(HandshakeType::ServerHello, |o| sh.encode(o));
    });
    assert!(matches!(err, Error::UnsupportedCertificate { .. }), "{err:?}");
    assert_eq!(alert, Some(AlertDescription::UNSUPPORTED_CERTIFICATE));
}

/// Resumption by ticket and by session ID: both sides' resumed
/// connections report the raw keys of the full handshake, also after the
/// client's session went through its stored bytes.
#[test]
fn tls12_resumption_restores_both_raw_keys() {
    const T0: u64 = 1_893_456_000;
    let client_spki = client_key("p256").spki_der().unwrap();
    for by_ticket in [true, false] {
        let store = Arc::new(InMemorySessionStore::new(4));
        let mut cc = client12(spki("ed25519"));
        cc.client_raw_key = Some(RawKeyIdentity::new(client_key("p256")).unwrap());
        cc.session_store = Some(store.clone());
        cc.tls12_session_tickets = by_ticket;
        let mut sc = raw_server12("ed25519");
        sc.client_raw_key_verifier = Some(Arc::new(PinnedRawKeys::new().with_spki(client_spki.clone())));
        if by_ticket {
            sc.ticketer = Some(Arc::new(Ticketer::new(&mut *rng(77)).unwrap()));
        } else {
            sc.session_cache = Some(Arc::new(InMemoryServerSessionCache::new(4)));
        }
        let (cc, sc) = (Arc::new(cc), Arc::new(sc));
        let connect = |t: u64| {
            let mut c = Connection::client_at(cc.clone(), "localhost", rng(t), t).unwrap();
            let mut s = Connection::server(sc.clone(), rng(t + 1)).unwrap();
            s.set_now(t);
            assert_eq!(pump(&mut c, &mut s), (None, None));
            exchange(&mut c, &mut s, 100);
            (c, s)
        };
        let (first, _) = connect(T0);
        assert!(!first.is_resumed());
        let stored = store.tls12("localhost").expect("a session");
        assert_eq!(stored.has_ticket(), by_ticket);
        assert_eq!(stored.peer_raw_key.as_deref(), Some(&spki("ed25519")[..]));
        store.insert_tls12("localhost", Tls12Session::from_bytes(&stored.to_bytes()).unwrap());
        let (c, s) = connect(T0 + 10);
        assert!(c.is_resumed() && s.is_resumed(), "by ticket: {by_ticket}");
        assert_eq!(c.peer_raw_public_key(), Some(&spki("ed25519")[..]), "by ticket: {by_ticket}");
        assert!(c.peer_certificates().is_empty());
        assert_eq!(s.peer_raw_public_key(), Some(&client_spki[..]), "by ticket: {by_ticket}");
        assert!(s.peer_certificates().is_empty());
    }
}
