//! In-memory client <-> server handshakes over every suite, group and key
//! type; the RFC 8448 known-answer test; negative tests, each ending with
//! the right alert on the wire and a typed error.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::*;
use crate::rng::{CryptoRng, RngCore};

mod ccm;
#[cfg(feature = "cert-compression")]
mod cert_compression;
mod client_auth;
mod early_data;
mod extensions;
mod groups;
mod keylog;
mod message_log;
mod middlebox_compat;
pub(crate) mod negative;
mod ocsp;
mod post_handshake_auth;
mod raw_keys;
mod raw_keys12;
mod resumed_identity;
mod resumption;
mod resumption12;
mod rsa_pss;

/// Deterministic test generator.
struct TestRng(u64);

impl RngCore for TestRng {
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for b in dest {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            *b = (self.0 >> 33) as u8;
        }
    }
}

impl CryptoRng for TestRng {}

pub(crate) fn rng(seed: u64) -> Box<dyn CryptoRng + Send> {
    Box::new(TestRng(seed))
}

pub(crate) const KEYS: &[(&str, &[u8], &[u8])] = &[
    (
        "rsa2048",
        include_bytes!("../../tests/data/tls/rsa2048.crt.der"),
        include_bytes!("../../tests/data/tls/rsa2048.key.der"),
    ),
    (
        "rsapss",
        include_bytes!("../../tests/data/tls/rsapss.crt.der"),
        include_bytes!("../../tests/data/tls/rsapss.key.der"),
    ),
    ("p256", include_bytes!("../../tests/data/tls/p256.crt.der"), include_bytes!("../../tests/data/tls/p256.key.der")),
    ("p384", include_bytes!("../../tests/data/tls/p384.crt.der"), include_bytes!("../../tests/data/tls/p384.key.der")),
    (
        "ed25519",
        include_bytes!("../../tests/data/tls/ed25519.crt.der"),
        include_bytes!("../../tests/data/tls/ed25519.key.der"),
    ),
    (
        "ed448",
        include_bytes!("../../tests/data/tls/ed448.crt.der"),
        include_bytes!("../../tests/data/tls/ed448.key.der"),
    ),
];

pub(crate) fn server_config(kind: &str) -> ServerConfig {
    let (_, cert, key) = KEYS.iter().find(|(k, _, _)| *k == kind).unwrap();
    ServerConfig::new(alloc::vec![cert.to_vec()], SigningKey::from_pkcs8_der(key).unwrap()).unwrap()
}

pub(crate) fn client_config() -> ClientConfig {
    ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier))
}

/// Moves bytes both ways until neither side has output. Returns the
/// first error either side reported (client's, server's).
pub(crate) fn pump(c: &mut Connection, s: &mut Connection) -> (Option<Error>, Option<Error>) {
    let (mut ce, mut se) = (None, None);
    for _ in 0..50 {
        let mut buf = Vec::new();
        c.write_tls(&mut buf);
        let c_sent = !buf.is_empty();
        if c_sent
            && se.is_none()
            && let Err(e) = s.read_tls(&buf)
        {
            se = Some(e);
        }
        let mut buf = Vec::new();
        s.write_tls(&mut buf);
        let s_sent = !buf.is_empty();
        if s_sent
            && ce.is_none()
            && let Err(e) = c.read_tls(&buf)
        {
            ce = Some(e);
        }
        if !c_sent && !s_sent {
            break;
        }
    }
    (ce, se)
}

pub(crate) fn connect(cc: ClientConfig, sc: ServerConfig) -> (Connection, Connection) {
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(1)).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(2)).unwrap();
    let (ce, se) = pump(&mut c, &mut s);
    assert_eq!((ce, se), (None, None));
    assert!(!c.is_handshaking() && !s.is_handshaking());
    assert_eq!(c.poll_event(), Some(Event::HandshakeComplete));
    assert_eq!(s.poll_event(), Some(Event::HandshakeComplete));
    (c, s)
}

pub(crate) fn exchange(c: &mut Connection, s: &mut Connection, len: usize) {
    let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
    c.write_plaintext(&data).unwrap();
    assert_eq!(pump(c, s), (None, None));
    let mut got = alloc::vec![0u8; len + 1];
    assert_eq!(s.read_plaintext(&mut got), len);
    assert_eq!(&got[..len], &data[..]);
    s.write_plaintext(b"pong").unwrap();
    assert_eq!(pump(c, s), (None, None));
    let mut got = [0u8; 8];
    assert_eq!(c.read_plaintext(&mut got), 4);
    assert_eq!(&got[..4], b"pong");
}

#[test]
fn every_suite_group_and_key_type_handshakes_and_exchanges_data() {
    for &suite in CipherSuite::SUPPORTED {
        for &group in NamedGroup::SUPPORTED {
            for (kind, _, _) in KEYS {
                let mut cc = client_config();
                cc.cipher_suites = alloc::vec![suite];
                cc.groups = alloc::vec![group];
                let (mut c, mut s) = connect(cc, server_config(kind));
                assert_eq!(c.cipher_suite(), Some(suite));
                assert_eq!(s.negotiated_group(), Some(group));
                assert!(!c.had_hello_retry());
                exchange(&mut c, &mut s, 100);
            }
        }
    }
}

#[test]
fn hello_retry_request_sni_alpn_large_data_and_padding() {
    let mut cc = client_config();
    cc.groups = alloc::vec![NamedGroup::X25519, NamedGroup::SECP384R1];
    cc.initial_key_shares = 1;
    cc.alpn_protocols = alloc::vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    cc.padding_block = 64;
    cc.max_fragment_len = 1000;
    let mut sc = server_config("p256");
    sc.groups = alloc::vec![NamedGroup::SECP384R1];
    sc.alpn_protocols = alloc::vec![b"http/1.1".to_vec()];
    let (mut c, mut s) = connect(cc, sc);
    assert!(c.had_hello_retry() && s.had_hello_retry());
    assert_eq!(c.negotiated_group(), Some(NamedGroup::SECP384R1));
    assert_eq!(c.alpn_protocol(), Some(&b"http/1.1"[..]));
    assert_eq!(s.server_name(), Some(&b"localhost"[..]));
    assert_eq!(c.peer_certificates().len(), 1);
    exchange(&mut c, &mut s, 100_000);
}

#[test]
fn key_update_both_ways_then_close_notify() {
    let (mut c, mut s) = connect(client_config(), server_config("ed25519"));
    c.refresh_traffic_keys().unwrap();
    exchange(&mut c, &mut s, 10);
    s.refresh_traffic_keys().unwrap();
    exchange(&mut c, &mut s, 10);
    for _ in 0..3 {
        c.refresh_traffic_keys().unwrap();
    }
    exchange(&mut c, &mut s, 10);
    c.send_close_notify();
    assert_eq!(c.write_plaintext(b"x"), Err(Error::Closed));
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert!(s.peer_closed());
    assert_eq!(s.poll_event(), Some(Event::ApplicationData));
}

/// `update_requested` decides whether the peer answers with its own
/// KeyUpdate: one record back for `K`, nothing for `k`.
#[test]
fn key_update_with_and_without_a_request_for_the_peer() {
    let (mut c, mut s) = connect(client_config(), server_config("p256"));
    for request_peer in [false, true, false] {
        c.update_traffic_keys(request_peer).unwrap();
        let mut out = Vec::new();
        c.write_tls(&mut out);
        s.read_tls(&out).unwrap();
        assert_eq!(s.wants_write(), request_peer, "request_peer {request_peer}");
        exchange(&mut c, &mut s, 10);
    }
}

#[test]
fn data_written_before_the_handshake_is_sent_after_it() {
    let mut c = Connection::client(Arc::new(client_config()), "localhost", rng(3)).unwrap();
    let mut s = Connection::server(Arc::new(server_config("p256")), rng(4)).unwrap();
    c.write_plaintext(b"early bird").unwrap();
    assert_eq!(pump(&mut c, &mut s), (None, None));
    let mut got = [0u8; 32];
    assert_eq!(s.read_plaintext(&mut got), 10);
    assert_eq!(&got[..10], b"early bird");
}

/// Asserts `conn`'s output ends with a plaintext or protected alert; for
/// plaintext ones, that it is exactly `desc`.
pub(crate) fn last_plaintext_alert(conn: &mut Connection) -> Option<AlertDescription> {
    let mut out = Vec::new();
    conn.write_tls(&mut out);
    match out.as_slice() {
        [.., 21, 3, 3, 0, 2, 2, d] => Some(AlertDescription(*d)),
        _ => None,
    }
}

fn fresh_server() -> Connection {
    Connection::server(Arc::new(server_config("p256")), rng(5)).unwrap()
}

/// A ClientHello with one X25519 share, whose offsets the tests below patch.
fn client_hello_bytes() -> Vec<u8> {
    let mut cc = client_config();
    cc.groups = NamedGroup::ECDHE.to_vec();
    cc.initial_key_shares = 1;
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(6)).unwrap();
    let mut out = Vec::new();
    c.write_tls(&mut out);
    out
}

#[test]
fn malformed_records_end_with_the_right_alert() {
    let cases: &[(&[u8], Error, AlertDescription)] = &[
        (
            &[99, 3, 3, 0, 1, 0],
            Error::UnexpectedMessage { what: "unknown record type" },
            AlertDescription::UNEXPECTED_MESSAGE,
        ),
        (&[22, 3, 3, 0x41, 0x01], Error::RecordOverflow, AlertDescription::RECORD_OVERFLOW),
        (&[22, 3, 3, 0x40, 0x01], Error::RecordOverflow, AlertDescription::RECORD_OVERFLOW),
        (&[22, 9, 3, 0, 1, 1], Error::Decode { what: "record version" }, AlertDescription::DECODE_ERROR),
        (
            &[22, 3, 3, 0, 0],
            Error::UnexpectedMessage { what: "empty handshake record" },
            AlertDescription::UNEXPECTED_MESSAGE,
        ),
        (
            &[23, 3, 3, 0, 1, 0],
            Error::UnexpectedMessage { what: "application data before keys" },
            AlertDescription::UNEXPECTED_MESSAGE,
        ),
        (
            &[20, 3, 3, 0, 1, 2],
            Error::UnexpectedMessage { what: "change_cipher_spec" },
            AlertDescription::UNEXPECTED_MESSAGE,
        ),
        (&[21, 3, 3, 0, 3, 2, 40, 0], Error::Decode { what: "alert" }, AlertDescription::DECODE_ERROR),
        // A handshake message of an unknown type.
        (
            &[22, 3, 3, 0, 4, 99, 0, 0, 0],
            Error::UnexpectedMessage { what: "unknown handshake type" },
            AlertDescription::UNEXPECTED_MESSAGE,
        ),
        // Finished before ClientHello.
        (
            &[22, 3, 3, 0, 8, 20, 0, 0, 4, 0, 0, 0, 0],
            Error::UnexpectedMessage { what: "handshake message out of order (server)" },
            AlertDescription::UNEXPECTED_MESSAGE,
        ),
        // A ClientHello whose body is truncated inside a field.
        (
            &[22, 3, 3, 0, 8, 1, 0, 0, 4, 3, 3, 0, 0],
            Error::Decode { what: "ClientHello" },
            AlertDescription::DECODE_ERROR,
        ),
    ];
    for (input, err, alert) in cases {
        let mut s = fresh_server();
        assert_eq!(s.read_tls(input).as_ref(), Err(err), "input {input:?}");
        assert_eq!(last_plaintext_alert(&mut s), Some(*alert), "input {input:?}");
        // Poisoned: the same error again, and no second alert.
        assert_eq!(s.read_tls(&[]).as_ref(), Err(err));
        assert!(!s.wants_write());
    }
}

/// Re-frames a ClientHello body into one record.
pub(crate) fn hello_record(body: &[u8]) -> Vec<u8> {
    let mut msg = alloc::vec![1u8];
    codec::put_vec24(&mut msg, body);
    let mut rec = alloc::vec![22, 3, 1];
    codec::put_vec16(&mut rec, &msg);
    rec
}

pub(crate) fn decoded_client_hello() -> msgs::ClientHello {
    let rec = client_hello_bytes();
    msgs::ClientHello::decode(&rec[9..]).unwrap()
}

#[test]
fn hello_level_failures_end_with_the_right_alert() {
    let mut ch = decoded_client_hello();
    ch.supported_versions = alloc::vec![0x0302];
    let mut body = Vec::new();
    ch.encode(&mut body);
    let mut s = fresh_server();
    assert_eq!(s.read_tls(&hello_record(&body)), Err(Error::ProtocolVersion));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::PROTOCOL_VERSION));

    let mut ch = decoded_client_hello();
    ch.cipher_suites = alloc::vec![CipherSuite(0x1305)];
    let mut body = Vec::new();
    ch.encode(&mut body);
    let mut s = fresh_server();
    assert!(matches!(s.read_tls(&hello_record(&body)), Err(Error::HandshakeFailure { .. })));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::HANDSHAKE_FAILURE));

    let mut ch = decoded_client_hello();
    ch.key_shares = None;
    let mut body = Vec::new();
    ch.encode(&mut body);
    let mut s = fresh_server();
    assert_eq!(s.read_tls(&hello_record(&body)), Err(Error::MissingExtension { what: "key_share" }));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::MISSING_EXTENSION));

    // ALPN with no overlap.
    let mut ch = decoded_client_hello();
    ch.alpn = alloc::vec![b"spdy".to_vec()];
    let mut body = Vec::new();
    ch.encode(&mut body);
    let mut sc = server_config("p256");
    sc.alpn_protocols = alloc::vec![b"h2".to_vec()];
    let mut s = Connection::server(Arc::new(sc), rng(7)).unwrap();
    assert_eq!(s.read_tls(&hello_record(&body)), Err(Error::NoApplicationProtocol));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::NO_APPLICATION_PROTOCOL));

    // Duplicate extension: append a second copy of the last extension
    // (psk_key_exchange_modes is absent, so add the same one twice).
    let mut body = Vec::new();
    decoded_client_hello().encode(&mut body);
    let dup = [0x00, 0x2d, 0x00, 0x02, 0x01, 0x01];
    let ext_len_at = body.len() - {
        let mut r = codec::Reader::new(&body, "t");
        r.take(2 + 32).unwrap();
        r.vec8().unwrap();
        r.vec16().unwrap();
        r.vec8().unwrap();
        r.rest().len()
    };
    body.extend_from_slice(&dup);
    body.extend_from_slice(&dup);
    let new_len = (body.len() - ext_len_at - 2) as u16;
    body[ext_len_at..ext_len_at + 2].copy_from_slice(&new_len.to_be_bytes());
    let mut s = fresh_server();
    assert_eq!(s.read_tls(&hello_record(&body)), Err(Error::IllegalParameter { what: "duplicate extension" }));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::ILLEGAL_PARAMETER));

    // A wrong length inside an extension (key_share list longer than its
    // extension) is a decode error.
    let mut body = Vec::new();
    decoded_client_hello().encode(&mut body);
    let pos = body.windows(4).position(|w| w == [0x00, 0x33, 0x00, 0x26]).unwrap();
    body[pos + 5] += 1;
    let mut s = fresh_server();
    assert!(matches!(s.read_tls(&hello_record(&body)), Err(Error::Decode { .. })));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::DECODE_ERROR));
}

#[test]
fn tampered_protected_record_is_bad_record_mac_and_alerts_reach_the_peer() {
    let (mut c, mut s) = connect(client_config(), server_config("p384"));
    c.write_plaintext(b"hello").unwrap();
    let mut wire = Vec::new();
    c.write_tls(&mut wire);
    let last = wire.len() - 1;
    wire[last] ^= 0x80;
    assert_eq!(s.read_tls(&wire), Err(Error::BadRecordMac));
    // The alert is protected; the client decrypts it and reports it.
    let mut alert = Vec::new();
    s.write_tls(&mut alert);
    assert_eq!(c.read_tls(&alert), Err(Error::AlertReceived(AlertDescription::BAD_RECORD_MAC)));
    // Neither answers an alert with another one.
    assert!(!c.wants_write());
}

#[test]
fn bad_finished_and_bad_signature_are_decrypt_errors() {
    // Server signs with a key that does not match its certificate.
    let (_, cert, _) = KEYS[2];
    let (_, _, other_key) = KEYS[3];
    let bad_p384 = SigningKey::from_pkcs8_der(other_key).unwrap();
    let sc = ServerConfig::new(alloc::vec![cert.to_vec()], bad_p384).unwrap();
    let mut c = Connection::client(Arc::new(client_config()), "localhost", rng(8)).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(9)).unwrap();
    let (ce, se) = pump(&mut c, &mut s);
    assert!(matches!(ce, Some(Error::IllegalParameter { .. })), "{ce:?}");
    assert_eq!(se, Some(Error::AlertReceived(AlertDescription::ILLEGAL_PARAMETER)));

    // Same-curve wrong key: the signature itself fails.
    let sc = ServerConfig::new(
        alloc::vec![KEYS[2].1.to_vec()],
        SigningKey::EcdsaP256(crate::ec::ecdsa::SigningKey::from_bytes(&[7u8; 32]).unwrap()),
    )
    .unwrap();
    let mut c = Connection::client(Arc::new(client_config()), "localhost", rng(8)).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(9)).unwrap();
    let (ce, se) = pump(&mut c, &mut s);
    assert_eq!(ce, Some(Error::DecryptError { what: "CertificateVerify signature" }));
    assert_eq!(se, Some(Error::AlertReceived(AlertDescription::DECRYPT_ERROR)));

    // A corrupted server Finished.
    let mut c = Connection::client(Arc::new(client_config()), "localhost", rng(10)).unwrap();
    let mut s = Connection::server(Arc::new(server_config("ed25519")), rng(11)).unwrap();
    s.corrupt_next_finished_for_test();
    let (ce, se) = pump(&mut c, &mut s);
    assert_eq!(ce, Some(Error::DecryptError { what: "Finished" }));
    assert_eq!(se, Some(Error::AlertReceived(AlertDescription::DECRYPT_ERROR)));

    // A corrupted client Finished.
    let mut c = Connection::client(Arc::new(client_config()), "localhost", rng(12)).unwrap();
    let mut s = Connection::server(Arc::new(server_config("ed25519")), rng(13)).unwrap();
    c.corrupt_next_finished_for_test();
    let (ce, se) = pump(&mut c, &mut s);
    assert_eq!(se, Some(Error::DecryptError { what: "Finished" }));
    assert_eq!(ce, Some(Error::AlertReceived(AlertDescription::DECRYPT_ERROR)));
}

#[test]
fn pinned_verifier_accepts_the_pin_and_rejects_others() {
    let leaf = KEYS[4].1;
    for (pin, ok) in [
        (PinnedCertVerifier::Certificate(leaf.to_vec()), true),
        (PinnedCertVerifier::Spki(leaf_spki(leaf).unwrap().to_vec()), true),
        (PinnedCertVerifier::Certificate(KEYS[2].1.to_vec()), false),
        (PinnedCertVerifier::Spki(leaf_spki(KEYS[2].1).unwrap().to_vec()), false),
    ] {
        let cc = ClientConfig::new(Arc::new(pin));
        let mut c = Connection::client(Arc::new(cc), "localhost", rng(14)).unwrap();
        let mut s = Connection::server(Arc::new(server_config("ed25519")), rng(15)).unwrap();
        let (ce, se) = pump(&mut c, &mut s);
        if ok {
            assert_eq!((ce, se), (None, None));
        } else {
            assert!(matches!(ce, Some(Error::BadCertificate { .. })));
            assert_eq!(se, Some(Error::AlertReceived(AlertDescription::BAD_CERTIFICATE)));
        }
    }
}

#[test]
fn leaf_spki_is_strict() {
    let cert = KEYS[0].1;
    let spki = leaf_spki(cert).unwrap();
    assert!(crate::rsa::RsaPublicKey::from_spki_der(spki).is_ok());
    assert!(leaf_spki(&cert[..cert.len() - 1]).is_err());
    let mut longer = cert.to_vec();
    longer.push(0);
    assert!(leaf_spki(&longer).is_err());
    assert!(leaf_spki(&[0x30, 0]).is_err());
}

fn rfc8448() -> Vec<(String, Vec<u8>)> {
    let text = include_str!("../../tests/data/tls/rfc8448-simple-1rtt.txt");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (k, v) = l.split_once(" = ").unwrap();
            let v = (0..v.len()).step_by(2).map(|i| u8::from_str_radix(&v[i..i + 2], 16).unwrap()).collect();
            (k.into(), v)
        })
        .collect()
}

#[test]
fn rfc_8448_simple_1rtt_key_schedule_and_messages() {
    use crate::hash::HashAlgorithm::Sha256;
    let v = rfc8448();
    let get = |k: &str| v.iter().find(|(n, _)| n == k).map(|(_, b)| b.clone()).unwrap();
    assert_eq!(v.len(), 29);

    let client_sk = crate::x25519::PrivateKey::from_bytes(get("client_private").try_into().unwrap());
    assert_eq!(client_sk.public_key().to_bytes().to_vec(), get("client_public"));
    let client_share = suites::KeyShareSecret::X25519(client_sk);

    // The RFC's hellos decode with our strict codec.
    let ch_msg = get("client_hello");
    assert_eq!(msgs::split_message(&ch_msg).unwrap(), Some((HandshakeType::ClientHello, ch_msg.len())));
    let ch = msgs::ClientHello::decode(msgs::body(&ch_msg)).unwrap();
    assert_eq!(ch.server_name.as_deref(), Some(&b"server"[..]));
    assert_eq!(ch.key_shares.as_ref().unwrap()[0], (NamedGroup::X25519, get("client_public")));
    let sh_msg = get("server_hello");
    let sh = msgs::ServerHello::decode(msgs::body(&sh_msg)).unwrap();
    assert_eq!(sh.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
    assert_eq!(sh.key_share, Some((NamedGroup::X25519, get("server_public"))));
    let ecdhe = client_share.agree(&get("server_public")).unwrap();
    assert_eq!(ecdhe.to_vec(), get("ecdhe"));

    let mut t = transcript::Transcript::new();
    t.add(&ch_msg);
    t.start_hash(Sha256);
    t.add(&sh_msg);
    assert_eq!(t.current_hash(), get("hello_hash"));

    let early = key_schedule::KeySchedule::early(Sha256, None);
    assert_eq!(early.current(), get("early_secret"));
    let hs = early.into_handshake(&ecdhe).unwrap();
    assert_eq!(hs.current(), get("handshake_secret"));
    let th = t.current_hash();
    let chs = hs.derive(b"c hs traffic", &th).unwrap();
    let shs = hs.derive(b"s hs traffic", &th).unwrap();
    assert_eq!(chs.to_vec(), get("client_hs_traffic"));
    assert_eq!(shs.to_vec(), get("server_hs_traffic"));
    for (secret, key, iv) in [(&shs, "server_hs_key", "server_hs_iv"), (&chs, "client_hs_key", "client_hs_iv")] {
        let (k, i) = key_schedule::traffic_key_iv(Sha256, secret, 16).unwrap();
        assert_eq!((k.to_vec(), i.to_vec()), (get(key), get(iv)));
    }

    // EncryptedExtensions carries record_size_limit: 2^14 + 1.
    let ee = get("encrypted_extensions");
    assert_eq!(msgs::EncryptedExtensions::decode(msgs::body(&ee)).unwrap().record_size_limit, Some(16385));
    t.add(&ee);
    let cert_msg = get("certificate");
    let cert = msgs::CertificateMsg::decode(msgs::body(&cert_msg)).unwrap();
    t.add(&cert_msg);
    let cv_msg = get("certificate_verify");
    let cv = msgs::CertificateVerify::decode(msgs::body(&cv_msg)).unwrap();
    assert_eq!(cv.scheme, SignatureScheme::RSA_PSS_RSAE_SHA256);
    // The RFC's server key is RSA-1024, below our minimum, so check the
    // signature with the small-key escape hatch directly.
    let spki = crate::asn1::spki::SubjectPublicKeyInfo::from_der(leaf_spki(&cert.chain[0]).unwrap()).unwrap();
    let rsa = crate::rsa::RsaPublicKey::dangerous_from_pkcs1_der_allow_small(spki.public_key).unwrap();
    let content = cert::signed_content(true, &t.current_hash());
    rsa.verify_pss(&crate::rsa::PssParams::new(Sha256), &content, &cv.signature).unwrap();
    let mut bad = content.clone();
    bad[70] ^= 1;
    assert!(rsa.verify_pss(&crate::rsa::PssParams::new(Sha256), &bad, &cv.signature).is_err());
    t.add(&cv_msg);

    let sf = key_schedule::finished_verify_data(Sha256, &shs, &t.current_hash()).unwrap();
    assert_eq!(sf, get("server_finished"));
    key_schedule::check_finished(Sha256, &shs, &t.current_hash(), &get("server_finished")).unwrap();
    assert!(key_schedule::check_finished(Sha256, &chs, &t.current_hash(), &get("server_finished")).is_err());
    t.add(&msgs::frame(HandshakeType::Finished, |o| o.extend_from_slice(&sf)));
    let th = t.current_hash();
    assert_eq!(th, get("hash_through_server_finished"));
    assert_eq!(key_schedule::finished_verify_data(Sha256, &chs, &th).unwrap(), get("client_finished"));

    let master = hs.into_master().unwrap();
    assert_eq!(master.current(), get("master_secret"));
    let cap = master.derive(b"c ap traffic", &th).unwrap();
    let sap = master.derive(b"s ap traffic", &th).unwrap();
    assert_eq!(cap.to_vec(), get("client_ap_traffic"));
    assert_eq!(sap.to_vec(), get("server_ap_traffic"));
    for (secret, key, iv) in [(&sap, "server_ap_key", "server_ap_iv"), (&cap, "client_ap_key", "client_ap_iv")] {
        let (k, i) = key_schedule::traffic_key_iv(Sha256, secret, 16).unwrap();
        assert_eq!((k.to_vec(), i.to_vec()), (get(key), get(iv)));
    }
}
