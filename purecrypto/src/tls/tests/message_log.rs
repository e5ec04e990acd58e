//! The message log: a full TLS 1.3 and TLS 1.2 handshake log the same
//! messages on both sides, mirrored, in order, with the version in effect;
//! post-handshake messages (NewSessionTicket, KeyUpdate, post-handshake
//! authentication) and alerts are logged; off, nothing is.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::{client_config, connect, pump, rng, server_config};
use crate::tls::*;

use HandshakeType as H;
use MessageDirection::{Received as In, Sent as Out};

/// A logged event without its length.
type Brief = (MessageDirection, MessageKind, ProtocolVersion);

fn brief(log: Vec<MessageEvent>) -> Vec<Brief> {
    log.into_iter().map(|e| (e.direction, e.kind, e.version)).collect()
}

fn hs(direction: MessageDirection, typ: HandshakeType, version: ProtocolVersion) -> Brief {
    (direction, MessageKind::Handshake(typ), version)
}

/// `log` seen from the other side.
fn mirrored(log: &[Brief]) -> Vec<Brief> {
    let flip = |d| if d == Out { In } else { Out };
    log.iter().map(|&(d, k, v)| (flip(d), k, v)).collect()
}

fn logging_pair(max: ProtocolVersion) -> (ClientConfig, ServerConfig) {
    let mut cc = client_config();
    cc.max_version = max;
    cc.message_log = true;
    // Uncompressed certificates (the `cert-compression` feature would
    // send a CompressedCertificate).
    cc.cert_compression = Vec::new();
    let mut sc = server_config("p256");
    // Before agreeing, each side logs its own newest version.
    sc.max_version = max;
    sc.message_log = true;
    (cc, sc)
}

#[test]
fn tls13_handshake_is_logged_on_both_sides() {
    let (mut cc, mut sc) = logging_pair(ProtocolVersion::Tls13);
    // A client that keeps tickets, so the server sends one.
    cc.session_store = Some(Arc::new(InMemorySessionStore::new(8)));
    sc.ticketer = Some(Arc::new(Ticketer::new(&mut *rng(77)).unwrap()));
    let (mut c, mut s) = connect(cc, sc);
    let v = ProtocolVersion::Tls13;
    let client = brief(c.take_message_log());
    assert_eq!(
        client,
        [
            hs(Out, H::ClientHello, v),
            hs(In, H::ServerHello, v),
            // Middlebox compatibility (RFC 8446 appendix D.4), both ways.
            (In, MessageKind::ChangeCipherSpec, v),
            hs(In, H::EncryptedExtensions, v),
            hs(In, H::Certificate, v),
            hs(In, H::CertificateVerify, v),
            hs(In, H::Finished, v),
            (Out, MessageKind::ChangeCipherSpec, v),
            hs(Out, H::Finished, v),
            hs(In, H::NewSessionTicket, v),
        ]
    );
    assert_eq!(brief(s.take_message_log()), mirrored(&client));
    assert!(c.take_message_log().is_empty(), "taken once");

    // Post-handshake: a KeyUpdate asking for one back, then close_notify.
    c.refresh_traffic_keys().unwrap();
    assert_eq!(pump(&mut c, &mut s), (None, None));
    s.send_close_notify();
    assert_eq!(pump(&mut c, &mut s), (None, None));
    let close = MessageKind::Alert { level: 1, description: AlertDescription::CLOSE_NOTIFY };
    let client = brief(c.take_message_log());
    assert_eq!(client, [hs(Out, H::KeyUpdate, v), hs(In, H::KeyUpdate, v), (In, close, v)]);
    assert_eq!(brief(s.take_message_log()), mirrored(&client));
}

#[test]
fn tls12_handshake_is_logged_with_change_cipher_spec() {
    let (cc, sc) = logging_pair(ProtocolVersion::Tls12);
    let (mut c, mut s) = connect(cc, sc);
    let v = ProtocolVersion::Tls12;
    let ccs = MessageKind::ChangeCipherSpec;
    let log = c.take_message_log();
    assert_eq!(log.first().map(|e| e.len), Some(c_hello_len(&log)));
    let client = brief(log);
    assert_eq!(
        client,
        [
            hs(Out, H::ClientHello, v),
            hs(In, H::ServerHello, v),
            hs(In, H::Certificate, v),
            hs(In, H::ServerKeyExchange, v),
            hs(In, H::ServerHelloDone, v),
            hs(Out, H::ClientKeyExchange, v),
            (Out, ccs, v),
            hs(Out, H::Finished, v),
            (In, ccs, v),
            hs(In, H::Finished, v),
        ]
    );
    assert_eq!(brief(s.take_message_log()), mirrored(&client));
}

/// The first event's length, checked against the message's header.
fn c_hello_len(log: &[MessageEvent]) -> usize {
    let len = log.first().map_or(0, |e| e.len);
    assert!(len > 4 + 38, "a ClientHello with its header: {len}");
    len
}

#[test]
fn a_fatal_alert_is_logged_by_both_sides() {
    // The client offers only TLS 1.3 with a 1.2-only server: the server
    // refuses with protocol_version, logged as sent and as received.
    let (mut cc, mut sc) = logging_pair(ProtocolVersion::Tls13);
    cc.min_version = ProtocolVersion::Tls13;
    sc.max_version = ProtocolVersion::Tls12;
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(1)).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(2)).unwrap();
    let (ce, se) = pump(&mut c, &mut s);
    assert!(ce.is_some() && se.is_some());
    let server = brief(s.take_message_log());
    let last = server.last().copied().unwrap();
    assert_eq!(last.0, Out);
    let MessageKind::Alert { level: 2, description } = last.1 else { panic!("{server:?}") };
    // Versions differ: neither side knows the other's before agreeing.
    let kinds = |log: Vec<Brief>| log.into_iter().map(|(d, k, _)| (d, k)).collect::<Vec<_>>();
    assert_eq!(kinds(brief(c.take_message_log())), kinds(mirrored(&server)));
    assert_eq!(ce, Some(Error::AlertReceived(description)));
}

#[test]
fn off_by_default_and_switchable() {
    let (mut c, mut s) = connect(client_config(), server_config("p256"));
    assert!(c.take_message_log().is_empty() && s.take_message_log().is_empty());
    c.set_message_log(true);
    c.refresh_traffic_keys().unwrap();
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert_eq!(brief(c.take_message_log()).len(), 2, "KeyUpdate out and back in");
    assert!(s.take_message_log().is_empty());
    c.set_message_log(false);
    c.refresh_traffic_keys().unwrap();
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert!(c.take_message_log().is_empty());
}

#[test]
fn post_handshake_authentication_is_logged() {
    let (_, crt, key) = super::client_auth::CLIENT_KEYS[0];
    let (mut cc, sc) = logging_pair(ProtocolVersion::Tls13);
    cc.post_handshake_auth = true;
    let cc = cc.with_client_cert(alloc::vec![crt.to_vec()], SigningKey::from_pkcs8_der(key).unwrap()).unwrap();
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(11)).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(12)).unwrap();
    // 2030-01-01: inside the test certificates' validity.
    c.set_now(1_893_456_000);
    s.set_now(1_893_456_000);
    assert_eq!(pump(&mut c, &mut s), (None, None));
    c.take_message_log();
    s.take_message_log();
    s.request_client_certificate(Arc::new(super::client_auth::verifier())).unwrap();
    assert_eq!(pump(&mut c, &mut s), (None, None));
    let v = ProtocolVersion::Tls13;
    let client = brief(c.take_message_log());
    assert_eq!(
        client,
        [
            hs(In, H::CertificateRequest, v),
            hs(Out, H::Certificate, v),
            hs(Out, H::CertificateVerify, v),
            hs(Out, H::Finished, v),
        ]
    );
    assert_eq!(brief(s.take_message_log()), mirrored(&client));
}
