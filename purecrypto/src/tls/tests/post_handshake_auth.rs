//! Post-handshake client authentication in memory (RFC 8446 section
//! 4.6.2): a server asks after the handshake, repeatedly and across
//! KeyUpdates; an empty answer is allowed or `certificate_required` as
//! the verifier says; a request the client did not allow, an unrequested
//! Certificate, a wrong context, a bad signature or Finished end with
//! their alert and a typed error on both sides.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::client_auth::{CLIENT_KEYS, SERVER_ONLY, verifier};
use super::{client_config, exchange, pump, rng, server_config};
use crate::tls::*;

/// 2030-01-01: inside every test certificate's validity.
const NOW: u64 = 1_893_456_000;

fn pha_client(cert: Option<(&[u8], &[u8])>) -> ClientConfig {
    let mut c = client_config();
    c.post_handshake_auth = true;
    match cert {
        Some((crt, key)) => {
            c.with_client_cert(alloc::vec![crt.to_vec()], SigningKey::from_pkcs8_der(key).unwrap()).unwrap()
        }
        None => c,
    }
}

/// A finished handshake with a server that authenticated nobody.
fn connected(cc: ClientConfig) -> (Connection, Connection) {
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(11)).unwrap();
    let mut s = Connection::server(Arc::new(server_config("p256")), rng(12)).unwrap();
    c.set_now(NOW);
    s.set_now(NOW);
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert_eq!(c.poll_event(), Some(Event::HandshakeComplete));
    assert_eq!(s.poll_event(), Some(Event::HandshakeComplete));
    assert!(s.peer_certificates().is_empty());
    (c, s)
}

fn handshake_frame(typ: u8, body: &[u8]) -> Vec<u8> {
    let len = u32::try_from(body.len()).unwrap().to_be_bytes();
    let mut m = alloc::vec![typ, len[1], len[2], len[3]];
    m.extend_from_slice(body);
    m
}

#[test]
fn every_client_key_type_authenticates_after_the_handshake_repeatedly() {
    for (kind, crt, key) in CLIENT_KEYS {
        let (mut c, mut s) = connected(pha_client(Some((crt, key))));
        assert!(!c.sent_client_certificate());
        for round in 0..3 {
            // A KeyUpdate either way moves the secret the Finished is
            // keyed from.
            match round {
                1 => c.refresh_traffic_keys().unwrap(),
                2 => s.refresh_traffic_keys().unwrap(),
                _ => {}
            }
            s.request_client_certificate(Arc::new(verifier())).unwrap();
            assert_eq!(pump(&mut c, &mut s), (None, None), "{kind} {round}");
            assert_eq!(s.poll_event(), Some(Event::PostHandshakeAuth { authenticated: true }), "{kind}");
            assert_eq!(s.peer_certificates(), &[crt.to_vec()], "{kind}");
            assert!(c.sent_client_certificate());
            exchange(&mut c, &mut s, 100);
            while s.poll_event().is_some() {}
        }
    }
}

#[test]
fn application_data_interleaves_with_the_exchange() {
    let (_, crt, key) = CLIENT_KEYS[0];
    let (mut c, mut s) = connected(pha_client(Some((crt, key))));
    s.request_client_certificate(Arc::new(verifier())).unwrap();
    s.write_plaintext(b"after the request").unwrap();
    c.write_plaintext(b"before the answer").unwrap();
    assert_eq!(pump(&mut c, &mut s), (None, None));
    let mut buf = [0u8; 64];
    let n = c.read_plaintext(&mut buf);
    assert_eq!(&buf[..n], b"after the request");
    let n = s.read_plaintext(&mut buf);
    assert_eq!(&buf[..n], b"before the answer");
    assert_eq!(s.poll_event(), Some(Event::ApplicationData));
    assert_eq!(s.poll_event(), Some(Event::PostHandshakeAuth { authenticated: true }));
}

#[test]
fn an_empty_answer_is_allowed_or_certificate_required_as_the_verifier_says() {
    let (mut c, mut s) = connected(pha_client(None));
    s.request_client_certificate(Arc::new(verifier().allow_unauthenticated())).unwrap();
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert_eq!(s.poll_event(), Some(Event::PostHandshakeAuth { authenticated: false }));
    assert!(s.peer_certificates().is_empty() && !c.sent_client_certificate());
    exchange(&mut c, &mut s, 10);

    s.request_client_certificate(Arc::new(verifier())).unwrap();
    let (ce, se) = pump(&mut c, &mut s);
    assert_eq!(se, Some(Error::CertificateRequired));
    assert_eq!(ce, Some(Error::AlertReceived(AlertDescription::CERTIFICATE_REQUIRED)));
}

#[test]
fn a_request_needs_the_clients_offer_a_tls13_server_and_no_other_outstanding() {
    let (_, crt, key) = CLIENT_KEYS[0];
    // Without the offer the server refuses to ask, and the connection
    // carries on.
    let mut cc = pha_client(Some((crt, key)));
    cc.post_handshake_auth = false;
    let (mut c, mut s) = connected(cc);
    let e = s.request_client_certificate(Arc::new(verifier())).unwrap_err();
    assert_eq!(e, Error::Config { what: "the client did not offer post_handshake_auth" });
    exchange(&mut c, &mut s, 10);

    let (mut c, mut s) = connected(pha_client(Some((crt, key))));
    assert!(matches!(c.request_client_certificate(Arc::new(verifier())), Err(Error::UnexpectedMessage { .. })));
    s.request_client_certificate(Arc::new(verifier())).unwrap();
    assert!(matches!(s.request_client_certificate(Arc::new(verifier())), Err(Error::Config { .. })));
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert_eq!(s.poll_event(), Some(Event::PostHandshakeAuth { authenticated: true }));

    // TLS 1.2 has no such thing; the client does not offer it either.
    let mut cc = pha_client(Some((crt, key)));
    cc.max_version = ProtocolVersion::Tls12;
    let (_, mut s) = connected(cc);
    assert!(matches!(s.request_client_certificate(Arc::new(verifier())), Err(Error::UnexpectedMessage { .. })));
    // Nor during the handshake.
    let mut s = Connection::server(Arc::new(server_config("p256")), rng(3)).unwrap();
    assert!(matches!(s.request_client_certificate(Arc::new(verifier())), Err(Error::UnexpectedMessage { .. })));
}

#[test]
fn a_certificate_request_the_client_did_not_allow_is_unexpected_message() {
    let (mut c, mut s) = connected(client_config());
    let request = msgs::CertificateRequest {
        context: alloc::vec![1, 2, 3],
        signature_algorithms: alloc::vec![SignatureScheme::ECDSA_SECP256R1_SHA256],
        compress_certificate: Vec::new(),
    };
    let mut body = Vec::new();
    request.encode(&mut body);
    s.send_handshake_for_test(&handshake_frame(13, &body)).unwrap();
    let (ce, se) = pump(&mut c, &mut s);
    assert_eq!(ce, Some(Error::UnexpectedMessage { what: "CertificateRequest without post_handshake_auth" }));
    assert_eq!(se, Some(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)));
}

#[test]
fn an_unrequested_or_wrong_context_certificate_is_refused() {
    let (_, crt, _) = CLIENT_KEYS[0];
    let mut cert_body = Vec::new();
    msgs::CertificateMsg { context: alloc::vec![9; 16], chain: alloc::vec![crt.to_vec()], ocsp_response: None }
        .encode(&mut cert_body);
    let certificate = handshake_frame(11, &cert_body);

    // Nothing asked: unexpected_message.
    let (mut c, mut s) = connected(pha_client(None));
    c.send_handshake_for_test(&certificate).unwrap();
    let (ce, se) = pump(&mut c, &mut s);
    assert_eq!(se, Some(Error::UnexpectedMessage { what: "handshake message after the handshake" }));
    assert_eq!(ce, Some(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)));

    // Asked, but a context the server did not pick: illegal_parameter.
    // (The request never reaches this client, so the server's alert,
    // one record further on, is a bad_record_mac there.)
    let (mut c, mut s) = connected(pha_client(None));
    s.request_client_certificate(Arc::new(verifier())).unwrap();
    let mut request = Vec::new();
    s.write_tls(&mut request);
    c.send_handshake_for_test(&certificate).unwrap();
    let (ce, se) = pump(&mut c, &mut s);
    assert_eq!(se, Some(Error::IllegalParameter { what: "certificate_request_context" }));
    assert_eq!(ce, Some(Error::BadRecordMac));

    // A Finished where the Certificate belongs: unexpected_message.
    let (mut c, mut s) = connected(pha_client(None));
    s.request_client_certificate(Arc::new(verifier())).unwrap();
    s.write_tls(&mut request);
    c.send_handshake_for_test(&handshake_frame(20, &[0; 32])).unwrap();
    let (_, se) = pump(&mut c, &mut s);
    assert!(matches!(se, Some(Error::UnexpectedMessage { .. })), "{se:?}");
}

#[test]
fn bad_answers_end_with_their_alert() {
    let (_, crt, key) = CLIENT_KEYS[0];
    // A chain the verifier does not trust.
    let (_, p256_crt, p256_key) = super::KEYS.iter().find(|(k, _, _)| *k == "p256").unwrap();
    let (mut c, mut s) = connected(pha_client(Some((p256_crt, p256_key))));
    s.request_client_certificate(Arc::new(verifier())).unwrap();
    let (ce, se) = pump(&mut c, &mut s);
    assert!(matches!(se, Some(Error::CertificateRejected(_))), "{se:?}");
    assert!(matches!(ce, Some(Error::AlertReceived(_))), "{ce:?}");

    // A CertificateVerify by another key.
    let mut cc = pha_client(None);
    cc.client_cert = Some(CertifiedKey {
        chain: alloc::vec![crt.to_vec()],
        key: Arc::new(SigningKey::from_pkcs8_der(SERVER_ONLY.1).unwrap()),
    });
    let (mut c, mut s) = connected(cc);
    s.request_client_certificate(Arc::new(verifier())).unwrap();
    let (ce, se) = pump(&mut c, &mut s);
    assert!(matches!(se, Some(Error::DecryptError { .. })), "{se:?}");
    assert_eq!(ce, Some(Error::AlertReceived(AlertDescription::DECRYPT_ERROR)));

    // A corrupted Finished: the chain is not taken.
    let (mut c, mut s) = connected(pha_client(Some((crt, key))));
    c.corrupt_next_finished_for_test();
    s.request_client_certificate(Arc::new(verifier())).unwrap();
    let (ce, se) = pump(&mut c, &mut s);
    assert_eq!(se, Some(Error::DecryptError { what: "Finished" }));
    assert_eq!(ce, Some(Error::AlertReceived(AlertDescription::DECRYPT_ERROR)));
    assert!(s.peer_certificates().is_empty());
    assert_eq!(s.poll_event(), None);
}

#[test]
fn the_extension_is_empty_and_round_trips() {
    let mut ch = msgs::ClientHello {
        legacy_version: msgs::TLS12,
        cipher_suites: alloc::vec![CipherSuite::TLS_AES_128_GCM_SHA256],
        ..Default::default()
    };
    let mut plain = Vec::new();
    ch.encode(&mut plain);
    // No extension: an empty extension block ends the hello.
    let head = plain.strip_suffix(&[0, 0]).unwrap();
    ch.post_handshake_auth = true;
    let mut out = Vec::new();
    ch.encode(&mut out);
    assert_eq!(out, [head, &[0, 4, 0, 49, 0, 0]].concat());
    assert!(msgs::ClientHello::decode(&out).unwrap().post_handshake_auth);
    assert!(!msgs::ClientHello::decode(&plain).unwrap().post_handshake_auth);
    // One byte of data in it is a decode error.
    let bad = [head, &[0, 5, 0, 49, 0, 1, 0]].concat();
    assert!(
        matches!(msgs::ClientHello::decode(&bad), Err(Error::Decode { .. })),
        "{:?}",
        msgs::ClientHello::decode(&bad)
    );
}
