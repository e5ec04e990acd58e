//! TLS 1.2 in memory: every suite with every fitting key type, every
//! group, version negotiation both ways, and the failures the protocol
//! insists on (missing extended master secret, un-offered suite or
//! group, downgrade sentinel, renegotiation, bad Finished, malformed or
//! misplaced messages), each ending in a typed error and the right
//! alert, never a panic.

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::tls::codec;
use crate::tls::msgs::{self, ClientHello, ServerHello};
use crate::tls::tests::{client_config, connect, exchange, last_plaintext_alert, pump, rng, server_config};
use crate::tls::{
    AlertDescription, CipherSuite, ClientConfig, Connection, Error, Event, NamedGroup, ProtocolVersion, ServerConfig,
};

mod negative;

fn client12() -> ClientConfig {
    let mut c = client_config();
    c.max_version = ProtocolVersion::Tls12;
    c
}

fn server12(kind: &str) -> ServerConfig {
    let mut s = server_config(kind);
    s.max_version = ProtocolVersion::Tls12;
    s
}

/// The handshake messages in a run of plaintext handshake records.
fn messages(records: &[u8]) -> Vec<Vec<u8>> {
    let mut hs = Vec::new();
    let mut rest = records;
    while rest.len() >= 5 {
        assert_eq!(rest[0], 22, "plaintext handshake records only");
        let len = usize::from(u16::from_be_bytes([rest[3], rest[4]]));
        hs.extend_from_slice(&rest[5..5 + len]);
        rest = &rest[5 + len..];
    }
    let mut out = Vec::new();
    while let Some((_, len)) = msgs::split_message(&hs).unwrap() {
        out.push(hs.drain(..len).collect());
    }
    out
}

/// Each message in its own plaintext record.
fn records(messages: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in messages {
        out.extend_from_slice(&[22, 3, 3]);
        codec::put_vec16(&mut out, m);
    }
    out
}

fn reframe(typ: msgs::HandshakeType, encode: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    msgs::frame(typ, encode)
}

/// A client and server where `edit_ch` may rewrite the ClientHello the
/// server sees and `edit_flight` the server's first flight the client
/// sees. Returns (client result, server result) of feeding them.
fn tampered(
    cc: ClientConfig,
    sc: ServerConfig,
    edit_ch: impl FnOnce(&mut ClientHello),
    edit_flight: impl FnOnce(&mut Vec<Vec<u8>>),
) -> (Connection, Connection, Result<usize, Error>, Result<usize, Error>) {
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(11)).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(12)).unwrap();
    let mut out = Vec::new();
    c.write_tls(&mut out);
    let mut ch_msgs = messages(&out);
    let mut ch = ClientHello::decode(msgs::body(&ch_msgs[0])).unwrap();
    edit_ch(&mut ch);
    ch_msgs[0] = reframe(msgs::HandshakeType::ClientHello, |o| ch.encode(o));
    let sr = s.read_tls(&records(&ch_msgs));
    if sr.is_err() {
        return (c, s, Ok(0), sr);
    }
    let mut out = Vec::new();
    s.write_tls(&mut out);
    let mut flight = messages(&out);
    edit_flight(&mut flight);
    let cr = c.read_tls(&records(&flight));
    (c, s, cr, sr)
}

fn edit_server_hello(flight: &mut [Vec<u8>], edit: impl FnOnce(&mut ServerHello)) {
    let mut sh = ServerHello::decode(msgs::body(&flight[0])).unwrap();
    edit(&mut sh);
    flight[0] = reframe(msgs::HandshakeType::ServerHello, |o| sh.encode(o));
}

/// `group`, plus the curve of an ECDSA certificate `kind`, which RFC 8422
/// section 5.1 says the client must list too.
fn with_cert_curve(group: NamedGroup, kind: &str) -> Vec<NamedGroup> {
    let mut groups = alloc::vec![group];
    let curve = match kind {
        "p256" => Some(NamedGroup::SECP256R1),
        "p384" => Some(NamedGroup::SECP384R1),
        _ => None,
    };
    if let Some(c) = curve
        && c != group
    {
        groups.push(c);
    }
    groups
}

/// A server whose group preference puts `group` first.
fn server_preferring(kind: &str, group: NamedGroup) -> ServerConfig {
    let mut sc = server_config(kind);
    sc.groups = core::iter::once(group).chain(NamedGroup::ECDHE.iter().copied().filter(|g| *g != group)).collect();
    sc
}

#[test]
fn every_tls12_suite_with_every_fitting_key_and_group() {
    let groups = NamedGroup::ECDHE;
    let mut n = 0;
    for (i, &suite) in CipherSuite::SUPPORTED_TLS12.iter().enumerate() {
        let kinds: &[&str] =
            if suite.tls12_rsa_auth() { &["rsa2048", "rsapss"] } else { &["p256", "p384", "ed25519", "ed448"] };
        for (j, kind) in kinds.iter().enumerate() {
            let group = groups[(i + j) % groups.len()];
            let mut cc = client_config();
            cc.cipher_suites = alloc::vec![suite];
            cc.groups = with_cert_curve(group, kind);
            let (mut c, mut s) = connect(cc, server_preferring(kind, group));
            assert_eq!(c.protocol_version(), Some(ProtocolVersion::Tls12));
            assert_eq!(s.protocol_version(), Some(ProtocolVersion::Tls12));
            assert_eq!((c.cipher_suite(), s.cipher_suite()), (Some(suite), Some(suite)));
            assert_eq!((c.negotiated_group(), s.negotiated_group()), (Some(group), Some(group)));
            assert!(!c.peer_certificates().is_empty());
            exchange(&mut c, &mut s, 40_000);
            n += 1;
        }
    }
    assert_eq!(n, 18);
    // Every group once more with a fixed suite, and both RSA signature
    // families (PSS preferred, PKCS #1 v1.5 when that is all offered).
    for &group in groups {
        let mut cc = client12();
        cc.groups = with_cert_curve(group, "p256");
        let (mut c, mut s) = connect(cc, server_preferring("p256", group));
        assert_eq!(c.negotiated_group(), Some(group));
        exchange(&mut c, &mut s, 10);
    }
    for scheme in [crate::tls::SignatureScheme::RSA_PKCS1_SHA384, crate::tls::SignatureScheme::RSA_PSS_RSAE_SHA512] {
        let mut cc = client12();
        cc.signature_schemes = alloc::vec![scheme];
        let (mut c, mut s) = connect(cc, server_config("rsa2048"));
        exchange(&mut c, &mut s, 10);
    }
}

#[test]
fn close_notify_alpn_and_sni_in_tls12() {
    let mut cc = client12();
    cc.alpn_protocols = alloc::vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let mut sc = server_config("p384");
    sc.alpn_protocols = alloc::vec![b"http/1.1".to_vec()];
    let (mut c, mut s) = connect(cc, sc);
    assert_eq!(c.alpn_protocol(), Some(&b"http/1.1"[..]));
    assert_eq!(s.server_name(), Some(&b"localhost"[..]));
    assert!(c.refresh_traffic_keys().is_err(), "no KeyUpdate in TLS 1.2");
    c.send_close_notify();
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert_eq!(s.poll_event(), Some(Event::Closed));
}

#[test]
fn version_negotiation_both_ways() {
    // 1.3 + 1.2 client against a 1.2-only server: 1.2, no sentinel
    // (the server does not speak 1.3).
    let (c, _) = connect(client_config(), server12("p256"));
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::Tls12));
    // 1.2-only client against a 1.3 + 1.2 server: 1.2 (the sentinel is
    // set but this client did not offer 1.3, so it does not care).
    let (c, s) = connect(client12(), server_config("p256"));
    assert_eq!(
        (c.protocol_version(), s.protocol_version()),
        (Some(ProtocolVersion::Tls12), Some(ProtocolVersion::Tls12))
    );
    // Defaults on both sides: 1.3.
    let (c, _) = connect(client_config(), server_config("p256"));
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::Tls13));

    // 1.3-only client, 1.2-only server; 1.2-only client, 1.3-only server.
    let mut cc13 = client_config();
    cc13.min_version = ProtocolVersion::Tls13;
    let mut sc13 = server_config("p256");
    sc13.min_version = ProtocolVersion::Tls13;
    for (cc, sc) in [(cc13, server12("p256")), (client12(), sc13)] {
        let mut c = Connection::client(Arc::new(cc), "localhost", rng(3)).unwrap();
        let mut s = Connection::server(Arc::new(sc), rng(4)).unwrap();
        let mut out = Vec::new();
        c.write_tls(&mut out);
        assert_eq!(s.read_tls(&out), Err(Error::ProtocolVersion));
        assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::PROTOCOL_VERSION));
    }

    // A 1.2-only client answered with a TLS 1.3 ServerHello.
    let mut c = Connection::client(Arc::new(client12()), "localhost", rng(3)).unwrap();
    let mut s = Connection::server(Arc::new(server_config("p256")), rng(4)).unwrap();
    let mut out = Vec::new();
    c.write_tls(&mut out);
    let mut ch_msgs = messages(&out);
    let mut ch = ClientHello::decode(msgs::body(&ch_msgs[0])).unwrap();
    ch.supported_versions = alloc::vec![0x0304];
    ch.cipher_suites.push(CipherSuite::TLS_AES_128_GCM_SHA256);
    ch.key_shares = Some(alloc::vec![(NamedGroup::X25519, alloc::vec![9; 32])]);
    ch_msgs[0] = reframe(msgs::HandshakeType::ClientHello, |o| ch.encode(o));
    s.read_tls(&records(&ch_msgs)).unwrap();
    let mut out = Vec::new();
    s.write_tls(&mut out);
    let sh_len = 5 + usize::from(u16::from_be_bytes([out[3], out[4]]));
    assert!(matches!(c.read_tls(&out[..sh_len]), Err(Error::IllegalParameter { .. })));
    assert_eq!(last_plaintext_alert(&mut c), Some(AlertDescription::ILLEGAL_PARAMETER));

    // A configuration that enables no version is refused up front.
    let mut bad = client_config();
    bad.min_version = ProtocolVersion::Tls13;
    bad.cipher_suites = CipherSuite::SUPPORTED_TLS12.to_vec();
    assert!(matches!(Connection::client(Arc::new(bad), "x", rng(1)), Err(Error::Config { .. })));
}

#[test]
fn downgrade_sentinel_is_set_and_checked() {
    // An attacker strips TLS 1.3 from the ClientHello: the 1.3-capable
    // server negotiates 1.2 but marks its random, and the client, which
    // did offer 1.3, notices.
    let (mut c, _s, cr, sr) = tampered(
        client_config(),
        server_config("p256"),
        |ch| {
            ch.supported_versions.retain(|v| *v != 0x0304);
        },
        |_| {},
    );
    assert!(sr.is_ok());
    assert_eq!(cr, Err(Error::IllegalParameter { what: "TLS 1.2 downgrade sentinel" }));
    assert_eq!(last_plaintext_alert(&mut c), Some(AlertDescription::ILLEGAL_PARAMETER));
    // A 1.2-only server sets no sentinel, so the same stripping gives a
    // working 1.2 handshake (whose Finished then catches the tampering).
    let (_c, _s, cr, _) =
        tampered(client_config(), server12("p256"), |ch| ch.supported_versions.retain(|v| *v != 0x0304), |_| {});
    assert!(cr.is_ok());
}

#[test]
fn extended_master_secret_and_renegotiation_indication_are_required() {
    // Server side: a ClientHello without EMS.
    let (_c, mut s, _, sr) =
        tampered(client12(), server_config("p256"), |ch| ch.extended_master_secret = false, |_| {});
    assert_eq!(sr, Err(Error::HandshakeFailure { what: "extended master secret required" }));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::HANDSHAKE_FAILURE));
    // Without renegotiation_info and without the SCSV.
    let (_c, mut s, _, sr) = tampered(client12(), server_config("p256"), |ch| ch.renegotiation_info = None, |_| {});
    assert_eq!(sr, Err(Error::HandshakeFailure { what: "secure renegotiation indication" }));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::HANDSHAKE_FAILURE));
    // The SCSV alone is enough.
    let (_c, _s, cr, sr) = tampered(
        client12(),
        server_config("p256"),
        |ch| {
            ch.renegotiation_info = None;
            ch.cipher_suites.push(CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
        },
        |_| {},
    );
    assert!(sr.is_ok() && cr.is_ok());

    // Client side: a ServerHello without EMS, with a non-empty or no
    // renegotiation_info.
    type Edit = fn(&mut ServerHello);
    let cases: [(Edit, &str); 3] = [
        (|sh| sh.tls12.extended_master_secret = false, "extended master secret required"),
        (|sh| sh.tls12.renegotiation_info = Some(alloc::vec![1; 24]), "secure renegotiation indication"),
        (|sh| sh.tls12.renegotiation_info = None, "secure renegotiation indication"),
    ];
    for (edit, what) in cases {
        let (mut c, _s, cr, _) = tampered(client12(), server_config("p256"), |_| {}, |f| edit_server_hello(f, edit));
        assert_eq!(cr, Err(Error::HandshakeFailure { what }));
        assert_eq!(last_plaintext_alert(&mut c), Some(AlertDescription::HANDSHAKE_FAILURE));
    }
}

#[test]
fn unoffered_suite_or_group_is_illegal_parameter() {
    let mut cc = client12();
    cc.cipher_suites = alloc::vec![CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];
    let (mut c, _s, cr, _) = tampered(
        cc,
        server_config("p256"),
        |_| {},
        |f| {
            edit_server_hello(f, |sh| sh.cipher_suite = CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384);
        },
    );
    assert_eq!(cr, Err(Error::IllegalParameter { what: "cipher suite not offered" }));
    assert_eq!(last_plaintext_alert(&mut c), Some(AlertDescription::ILLEGAL_PARAMETER));
    // A TLS 1.3 suite in a TLS 1.2 ServerHello.
    let (mut c, _s, cr, _) = tampered(
        client_config(),
        server12("p256"),
        |_| {},
        |f| {
            edit_server_hello(f, |sh| sh.cipher_suite = CipherSuite::TLS_AES_128_GCM_SHA256);
        },
    );
    assert_eq!(cr, Err(Error::IllegalParameter { what: "cipher suite not offered" }));
    assert_eq!(last_plaintext_alert(&mut c), Some(AlertDescription::ILLEGAL_PARAMETER));
    // An ECDSA certificate on a curve the client did not list.
    let mut cc = client12();
    cc.groups = alloc::vec![NamedGroup::X25519];
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(3)).unwrap();
    let mut s = Connection::server(Arc::new(server_config("p384")), rng(4)).unwrap();
    let mut out = Vec::new();
    c.write_tls(&mut out);
    assert_eq!(s.read_tls(&out), Err(Error::HandshakeFailure { what: "certificate curve not in supported_groups" }));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::HANDSHAKE_FAILURE));
    // The server is told the client supports P-256 only, the client
    // offered X25519 only: the ServerKeyExchange group is not offered.
    let mut cc = client12();
    cc.groups = alloc::vec![NamedGroup::X25519];
    let (mut c, _s, cr, _) =
        tampered(cc, server_config("p256"), |ch| ch.supported_groups = alloc::vec![NamedGroup::SECP256R1], |_| {});
    assert_eq!(cr, Err(Error::IllegalParameter { what: "ServerKeyExchange group not offered" }));
    assert_eq!(last_plaintext_alert(&mut c), Some(AlertDescription::ILLEGAL_PARAMETER));
}

#[test]
fn renegotiation_is_refused_and_the_connection_carries_on() {
    let (mut c, mut s) = connect(client12(), server_config("p256"));
    // The server asks for renegotiation (HelloRequest): the client
    // answers no_renegotiation as a warning.
    s.send_handshake_for_test(&[0, 0, 0, 0]).unwrap();
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert_eq!(s.poll_event(), Some(Event::AlertReceived(AlertDescription::NO_RENEGOTIATION)));
    exchange(&mut c, &mut s, 100);
    while c.poll_event().is_some() {}
    // The client starts a renegotiation (a new ClientHello): refused.
    let mut hello = Connection::client(Arc::new(client12()), "localhost", rng(9)).unwrap();
    let mut out = Vec::new();
    hello.write_tls(&mut out);
    c.send_handshake_for_test(&messages(&out)[0]).unwrap();
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert_eq!(c.poll_event(), Some(Event::AlertReceived(AlertDescription::NO_RENEGOTIATION)));
    exchange(&mut c, &mut s, 100);
    // Any other handshake message after the handshake is fatal.
    c.send_handshake_for_test(&[20, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).unwrap();
    let (_, se) = pump(&mut c, &mut s);
    assert!(matches!(se, Some(Error::UnexpectedMessage { .. })));
}

#[test]
fn bad_finished_is_decrypt_error() {
    for corrupt_client in [true, false] {
        let mut c = Connection::client(Arc::new(client12()), "localhost", rng(1)).unwrap();
        let mut s = Connection::server(Arc::new(server_config("rsa2048")), rng(2)).unwrap();
        if corrupt_client {
            c.corrupt_next_finished_for_test();
        } else {
            s.corrupt_next_finished_for_test();
        }
        let (ce, se) = pump(&mut c, &mut s);
        let expect = Some(Error::DecryptError { what: "Finished" });
        if corrupt_client {
            assert_eq!(se, expect);
            assert_eq!(ce, Some(Error::AlertReceived(AlertDescription::DECRYPT_ERROR)));
        } else {
            assert_eq!(ce, expect);
            assert_eq!(se, Some(Error::AlertReceived(AlertDescription::DECRYPT_ERROR)));
        }
    }
}

#[test]
fn misplaced_and_malformed_messages_are_typed_errors() {
    // Finished before the peer's ChangeCipherSpec (client side): the
    // server's flight, then a plaintext Finished instead of CCS.
    let mut c = Connection::client(Arc::new(client12()), "localhost", rng(1)).unwrap();
    let mut s = Connection::server(Arc::new(server_config("p256")), rng(2)).unwrap();
    let mut out = Vec::new();
    c.write_tls(&mut out);
    s.read_tls(&out).unwrap();
    let mut flight = Vec::new();
    s.write_tls(&mut flight);
    c.read_tls(&flight).unwrap();
    let fin = records(&[alloc::vec![20, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
    assert_eq!(c.read_tls(&fin), Err(Error::UnexpectedMessage { what: "Finished before ChangeCipherSpec" }));
    assert_eq!(last_plaintext_alert(&mut c).map(|_| ()), None, "alert is encrypted now");

    // A ChangeCipherSpec before any key exchange (server side).
    let mut c = Connection::client(Arc::new(client12()), "localhost", rng(1)).unwrap();
    let mut s = Connection::server(Arc::new(server_config("p256")), rng(2)).unwrap();
    let mut out = Vec::new();
    c.write_tls(&mut out);
    s.read_tls(&out).unwrap();
    assert_eq!(s.read_tls(&[20, 3, 3, 0, 1, 1]), Err(Error::UnexpectedMessage { what: "change_cipher_spec" }));

    // Every single-byte corruption of the server flight, and every
    // truncation of each of its messages, ends in an error or a wait,
    // never a panic; decoding errors carry a decode/illegal alert.
    let mut c0 = Connection::client(Arc::new(client12()), "localhost", rng(1)).unwrap();
    let mut s = Connection::server(Arc::new(server_config("p256")), rng(2)).unwrap();
    let mut out = Vec::new();
    c0.write_tls(&mut out);
    s.read_tls(&out).unwrap();
    let mut flight = Vec::new();
    s.write_tls(&mut flight);
    let msgs_in = messages(&flight);
    let mut errors = 0;
    for (i, m) in msgs_in.iter().enumerate() {
        for pos in (4..m.len()).step_by(7) {
            let mut edited = msgs_in.clone();
            edited[i][pos] ^= 0x41;
            let mut c = Connection::client(Arc::new(client12()), "localhost", rng(1)).unwrap();
            if let Err(e) = c.read_tls(&records(&edited)) {
                assert!(e.alert().is_some(), "{e:?}");
                errors += 1;
            }
        }
        for cut in [4, m.len() / 2, m.len() - 1].into_iter().filter(|c| *c >= 4 && *c < m.len()) {
            let mut edited = msgs_in.clone();
            let len = cut - 4;
            edited[i].truncate(cut);
            edited[i][1..4].copy_from_slice(&(len as u32).to_be_bytes()[1..]);
            let mut c = Connection::client(Arc::new(client12()), "localhost", rng(1)).unwrap();
            let r = c.read_tls(&records(&edited));
            assert!(r.is_err(), "message {i} cut at {cut} accepted");
            errors += 1;
        }
    }
    assert!(errors > 20);
}

#[test]
fn fuzz_session_driver_completes_clean_and_survives_corruption() {
    for mode in 0x80..0x90u8 {
        assert!(crate::tls::fuzz::corrupted_session(mode, &[]), "mode {mode:#x}");
    }
    // Pseudo-random single and triple corruptions all over the session:
    // none panics, and nearly all break the handshake.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut broken = 0;
    for i in 0..120u32 {
        let mut m = Vec::new();
        for _ in 0..(1 + i % 3) {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let pos = ((x >> 33) % 2600) as u16;
            m.extend_from_slice(&pos.to_be_bytes());
            m.push(1 << (x % 8));
        }
        if !crate::tls::fuzz::corrupted_session(0x80 | (i % 16) as u8, &m) {
            broken += 1;
        }
    }
    assert!(broken > 60, "{broken}");
}
