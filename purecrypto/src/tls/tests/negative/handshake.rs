//! The handshake half of the TLS 1.3 negative audit: ClientHello field
//! misuse, unrequested server extensions, a CertificateVerify scheme not
//! offered, HelloRetryRequest misuse on both sides, and every other
//! handshake type in each client and server state, during and after the
//! handshake. Helpers come from the parent module.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::*;

// ---- ClientHello ----

#[test]
fn client_hello_field_misuse_ends_with_the_rfc_alert() {
    let base = decoded_client_hello();
    let psk = || OfferedPsks {
        identities: alloc::vec![PskIdentity { identity: alloc::vec![1; 16], obfuscated_age: 0 }],
        binders: alloc::vec![alloc::vec![0; 32]],
    };
    type Edit = fn(&mut msgs::ClientHello, &dyn Fn() -> OfferedPsks);
    let cases: [(&str, Edit, Error); 9] = [
        ("no supported_versions", |ch, _| ch.supported_versions.clear(), Error::ProtocolVersion),
        ("only TLS 1.2", |ch, _| ch.supported_versions = alloc::vec![0x0303], Error::ProtocolVersion),
        (
            "no common suite",
            |ch, _| ch.cipher_suites = alloc::vec![CipherSuite(0x00ff), CipherSuite(0xc02b)],
            Error::HandshakeFailure { what: "no common cipher suite" },
        ),
        (
            "no common group",
            |ch, _| {
                ch.supported_groups = alloc::vec![NamedGroup(0x0a0a)];
                ch.key_shares = Some(alloc::vec![(NamedGroup(0x0a0a), alloc::vec![1; 32])]);
            },
            Error::HandshakeFailure { what: "no common group" },
        ),
        (
            "no common signature scheme",
            |ch, _| ch.signature_algorithms = alloc::vec![SignatureScheme(0x0201)],
            Error::HandshakeFailure { what: "no common signature scheme" },
        ),
        (
            "key share outside supported_groups",
            |ch, _| ch.supported_groups = alloc::vec![NamedGroup::SECP256R1],
            Error::IllegalParameter { what: "key share for a group not in supported_groups" },
        ),
        (
            "duplicate key share group",
            |ch, _| {
                let shares = ch.key_shares.as_mut().unwrap();
                let first = shares[0].clone();
                shares.push(first);
            },
            Error::IllegalParameter { what: "duplicate key share group" },
        ),
        (
            "psk without psk_key_exchange_modes",
            |ch, psk| {
                ch.psk_modes.clear();
                ch.psk = Some(psk());
            },
            Error::MissingExtension { what: "psk_key_exchange_modes" },
        ),
        (
            "session id of 33 bytes",
            |ch, _| ch.session_id = alloc::vec![7; 33],
            Error::Decode { what: "ClientHello session id" },
        ),
    ];
    for (name, edit, err) in cases {
        let mut ch = base.clone();
        edit(&mut ch, &psk);
        let (r, alert) = server_verdict(&encoded(&ch));
        assert_eq!(r, Err(err.clone()), "{name}");
        assert_eq!(alert, err.alert(), "{name}");
    }

    // Byte-level edits the struct cannot express.
    let body = encoded(&base);
    let [_, cs, comp, exts] = client_hello_offsets(&body);
    // An empty cipher suite list (`<2..2^16-2>`).
    let mut b = body[..cs].to_vec();
    b.extend_from_slice(&[0, 0]);
    b.extend_from_slice(&body[comp..]);
    let (r, alert) = server_verdict(&b);
    assert_eq!(r, Err(Error::Decode { what: "ClientHello" }));
    assert_eq!(alert, Some(AlertDescription::DECODE_ERROR));
    // Compression methods other than exactly null.
    for methods in [&[1u8][..], &[0, 1], &[1, 0]] {
        let mut b = body[..comp].to_vec();
        b.push(methods.len() as u8);
        b.extend_from_slice(methods);
        b.extend_from_slice(&body[exts..]);
        let (r, alert) = server_verdict(&b);
        assert_eq!(r, Err(Error::IllegalParameter { what: "compression methods" }), "{methods:?}");
        assert_eq!(alert, Some(AlertDescription::ILLEGAL_PARAMETER));
    }
    // pre_shared_key followed by another extension.
    let mut ch = base.clone();
    ch.psk = Some(psk());
    let mut msg = alloc::vec![1u8];
    codec::put_vec24(&mut msg, &encoded(&ch));
    push_extension(&mut msg, exts, &[0xfa, 0xfa, 0, 0]);
    let (r, alert) = server_verdict(msgs::body(&msg));
    assert_eq!(r, Err(Error::IllegalParameter { what: "pre_shared_key not last" }));
    assert_eq!(alert, Some(AlertDescription::ILLEGAL_PARAMETER));
}

#[test]
fn legacy_version_is_ignored_beside_supported_versions_down_to_tls10() {
    // Appendix D.5: SSL 3.0 or less is protocol_version, always.
    for legacy in [0x0300u16, 0x0200, 0x0002] {
        let mut ch = decoded_client_hello();
        ch.legacy_version = legacy;
        let (r, alert) = server_verdict(&encoded(&ch));
        assert_eq!(r, Err(Error::ProtocolVersion), "{legacy:#06x}");
        assert_eq!(alert, Some(AlertDescription::PROTOCOL_VERSION));
    }
    for legacy in [0x0301u16, 0x0302, 0x0304, 0x7f1c] {
        let mut ch = decoded_client_hello();
        ch.legacy_version = legacy;
        let mut s = server_of(server13());
        assert!(s.read_tls(&hello_record(&encoded(&ch))).is_ok(), "{legacy:#06x}");
        assert_eq!(s.protocol_version(), Some(ProtocolVersion::Tls13));
    }
}

#[test]
fn heartbeat_grease_and_unknown_extensions_are_ignored() {
    let body = encoded(&decoded_client_hello());
    let exts = client_hello_offsets(&body)[3];
    let mut msg = alloc::vec![1u8];
    codec::put_vec24(&mut msg, &body);
    // GREASE first (not last: pre_shared_key is absent), heartbeat
    // (RFC 6520, peer_allowed_to_send), an unassigned code point.
    let mut extra = Vec::new();
    for (typ, data) in [(0x0a0au16, &[][..]), (15, &[1]), (0xfe77, &[9, 9, 9])] {
        extra.extend_from_slice(&typ.to_be_bytes());
        codec::put_vec16(&mut extra, data);
    }
    push_extension(&mut msg, exts, &extra);
    let mut s = server_of(server13());
    assert!(s.read_tls(&record(22, &msg)).is_ok());
    assert!(s.wants_write());
    assert_eq!(s.protocol_version(), Some(ProtocolVersion::Tls13));
}

// ---- ServerHello, EncryptedExtensions, CertificateVerify from the server ----

#[test]
fn unrequested_server_extensions_are_unsupported_extension() {
    // An unknown extension in the ServerHello.
    let mut c = client_of(client13());
    let mut s = server_of(server13());
    s.tamper_handshake_for_test(edit_first(2, |mut m| {
        let body = msgs::body(&m);
        let exts = 2 + 32 + 1 + usize::from(body[34]) + 3;
        push_extension(&mut m, exts, &[0xfe, 0x77, 0, 0]);
        m
    }));
    let (ce, se) = pump(&mut c, &mut s);
    assert_alerted(ce, se, &Error::UnsupportedExtension { what: "in ServerHello" });

    // In EncryptedExtensions: an unknown one, ALPN the client never
    // offered, server_name acknowledged though none was sent.
    let alpn = [0, 16, 0, 5, 0, 3, 2, b'h', b'2'];
    let cases: [(&[u8], bool, Error); 3] = [
        (&[0xfe, 0x77, 0, 0], true, Error::UnsupportedExtension { what: "in EncryptedExtensions" }),
        (&alpn, true, Error::UnsupportedExtension { what: "ALPN not offered" }),
        (&[0, 0, 0, 0], false, Error::UnsupportedExtension { what: "server_name not sent" }),
    ];
    for (ext, sni, err) in cases {
        let mut cc = client13();
        cc.enable_sni = sni;
        let mut c = client_of(cc);
        let mut s = server_of(server13());
        let ext = ext.to_vec();
        s.tamper_handshake_for_test(edit_first(8, move |mut m| {
            push_extension(&mut m, 0, &ext);
            m
        }));
        let (ce, se) = pump(&mut c, &mut s);
        assert_alerted(ce, se, &err);
    }
}

#[test]
fn a_certificate_verify_with_a_scheme_not_offered_is_illegal_parameter() {
    let mut cc = client13();
    cc.signature_schemes.retain(|s| *s != SignatureScheme::ECDSA_SECP384R1_SHA384);
    let mut c = client_of(cc);
    let mut s = server_of(server13());
    s.tamper_handshake_for_test(edit_first(15, |mut m| {
        m[4..6].copy_from_slice(&SignatureScheme::ECDSA_SECP384R1_SHA384.0.to_be_bytes());
        m
    }));
    let (ce, se) = pump(&mut c, &mut s);
    assert_alerted(ce, se, &Error::IllegalParameter { what: "signature scheme not offered" });
}

// ---- HelloRetryRequest ----

/// A client offering one X25519 share to a server that wants P-256:
/// the server sends a HelloRetryRequest, which `edit` may rewrite.
fn retry_pair(edit: impl FnMut(Vec<u8>) -> Vec<u8> + Send + 'static) -> (Connection, Connection) {
    let mut sc = server13();
    sc.groups = alloc::vec![NamedGroup::SECP256R1];
    let c = client_of(client13());
    let mut s = server_of(sc);
    s.tamper_handshake_for_test(edit);
    (c, s)
}

fn edit_hrr(f: fn(&mut ServerHello)) -> impl FnMut(Vec<u8>) -> Vec<u8> + Send + 'static {
    edit_first(2, move |m| {
        let mut hrr = ServerHello::decode(msgs::body(&m)).unwrap();
        assert!(hrr.is_retry());
        f(&mut hrr);
        msgs::frame(HandshakeType::ServerHello, |o| hrr.encode(o))
    })
}

#[test]
fn hello_retry_request_misuse_is_refused_by_the_client() {
    type Edit = fn(&mut ServerHello);
    let cases: [(Edit, Error); 4] = [
        (|h| h.selected_group = Some(NamedGroup::X25519), Error::IllegalParameter { what: "HelloRetryRequest group" }),
        (
            |h| h.selected_group = Some(NamedGroup::SECP521R1),
            Error::IllegalParameter { what: "HelloRetryRequest group" },
        ),
        (|h| h.selected_group = None, Error::IllegalParameter { what: "HelloRetryRequest changes nothing" }),
        (|h| h.cipher_suite = CipherSuite(0x1305), Error::IllegalParameter { what: "HelloRetryRequest" }),
    ];
    for (edit, err) in cases {
        let (mut c, mut s) = retry_pair(edit_hrr(edit));
        let (ce, se) = pump(&mut c, &mut s);
        assert_alerted(ce, se, &err);
    }

    // A second HelloRetryRequest in place of the ServerHello.
    let mut first: Option<Vec<u8>> = None;
    let (mut c, mut s) = retry_pair(move |m| {
        if m.first() != Some(&2) {
            return m;
        }
        match &first {
            None => {
                first = Some(m.clone());
                m
            }
            Some(hrr) => hrr.clone(),
        }
    });
    let (ce, se) = pump(&mut c, &mut s);
    assert_alerted(ce, se, &Error::UnexpectedMessage { what: "second HelloRetryRequest" });
}

#[test]
fn a_hello_retry_request_cookie_is_echoed() {
    let (mut c, mut s) = retry_pair(edit_hrr(|h| h.cookie = Some(b"opaque state".to_vec())));
    relay(&mut c, &mut s).unwrap();
    relay(&mut s, &mut c).unwrap();
    let mut out = Vec::new();
    c.write_tls(&mut out);
    // The middlebox-compatibility change_cipher_spec, then the ClientHello.
    let (ccs, hello) = out.split_at(6);
    assert_eq!(ccs, [20, 3, 3, 0, 1, 1]);
    let second = msgs::ClientHello::decode(&hello[9..]).unwrap();
    assert_eq!(second.cookie.as_deref(), Some(&b"opaque state"[..]));
    assert_eq!(second.key_shares.as_ref().map(|k| k[0].0), Some(NamedGroup::SECP256R1));
}

#[test]
fn a_second_client_hello_that_changes_is_refused_by_the_server() {
    type Edit = fn(&mut msgs::ClientHello);
    let cases: [(Edit, Error); 3] = [
        (
            |ch| ch.cipher_suites = alloc::vec![CipherSuite::TLS_CHACHA20_POLY1305_SHA256],
            Error::IllegalParameter { what: "cipher suite changed after retry" },
        ),
        (
            |ch| {
                let share = ch.key_shares.as_ref().unwrap()[0].1.clone();
                ch.key_shares =
                    Some(alloc::vec![(NamedGroup::X25519, alloc::vec![9; 32]), (NamedGroup::SECP256R1, share)]);
            },
            Error::IllegalParameter { what: "retried ClientHello key share" },
        ),
        (|ch| ch.early_data = true, Error::IllegalParameter { what: "early_data after a HelloRetryRequest" }),
    ];
    for (edit, err) in cases {
        let (mut c, mut s) = retry_pair(|m| m);
        c.tamper_handshake_for_test(edit_first(1, move |m| {
            let mut ch = msgs::ClientHello::decode(msgs::body(&m)).unwrap();
            edit(&mut ch);
            msgs::frame(HandshakeType::ClientHello, |o| ch.encode(o))
        }));
        let (ce, se) = pump(&mut c, &mut s);
        assert_alerted(se, ce, &err);
    }
}

// ---- unexpected handshake messages in every state ----

#[test]
fn every_other_handshake_type_in_each_client_state_is_unexpected_message() {
    // The server's ServerHello, EncryptedExtensions, Certificate (sent
    // compressed when both sides allow), CertificateVerify, Finished.
    let states: [(u8, &[u8]); 5] = [(2, &[2]), (8, &[8]), (11, &[11, 13]), (15, &[15]), (20, &[20])];
    let err = Error::UnexpectedMessage { what: "handshake message out of order (client)" };
    for (from, allowed) in states {
        for to in TYPES.into_iter().filter(|t| !allowed.contains(t)) {
            let [ce, se] = swap_type(client13(), server13(), true, from, to);
            assert_eq!(ce.as_ref(), Some(&err), "{from} -> {to}");
            assert_eq!(se, Some(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)), "{from} -> {to}");
        }
    }
}

#[test]
fn every_other_handshake_type_in_each_server_state_is_unexpected_message() {
    let err = Error::UnexpectedMessage { what: "handshake message out of order (server)" };
    // Before the ClientHello: the ClientHello retyped.
    let hello = client_hello_message();
    for to in TYPES.into_iter().filter(|t| *t != 1) {
        let mut m = hello.clone();
        m[0] = to;
        let mut s = server_of(server13());
        assert_eq!(s.read_tls(&record(22, &m)), Err(err.clone()), "1 -> {to}");
        assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::UNEXPECTED_MESSAGE));
    }
    // After a HelloRetryRequest: the second ClientHello retyped.
    for to in TYPES.into_iter().filter(|t| *t != 1) {
        let (mut c, mut s) = retry_pair(|m| m);
        c.tamper_handshake_for_test(retype_first(1, to));
        let (ce, se) = pump(&mut c, &mut s);
        assert_alerted(se, ce, &err);
    }
    // The client's Finished; then, with client authentication, its
    // Certificate, CertificateVerify and Finished.
    let (_, crt, key) = CLIENT_KEYS[0];
    for auth in [false, true] {
        let states: &[(u8, &[u8])] = if auth { &[(11, &[11, 25]), (15, &[15]), (20, &[20])] } else { &[(20, &[20])] };
        for &(from, allowed) in states {
            for to in TYPES.into_iter().filter(|t| !allowed.contains(t)) {
                let mut cc = client13();
                let mut sc = server13();
                if auth {
                    cc = cc
                        .with_client_cert(alloc::vec![crt.to_vec()], SigningKey::from_pkcs8_der(key).unwrap())
                        .unwrap();
                    sc.client_verifier = Some(Arc::new(verifier()));
                }
                let [ce, se] = swap_type(cc, sc, false, from, to);
                assert_eq!(se.as_ref(), Some(&err), "auth {auth}: {from} -> {to}");
                assert_eq!(ce, Some(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)), "{from} -> {to}");
            }
        }
    }
}

#[test]
fn handshake_messages_after_the_handshake_are_unexpected_message() {
    // Client: only NewSessionTicket, KeyUpdate and (when offered)
    // CertificateRequest may come.
    for to in TYPES.into_iter().filter(|t| ![4, 24].contains(t)) {
        let (mut c, mut s) = connect(client13(), server13());
        s.send_handshake_for_test(&msgs::frame(HandshakeType::from_u8(to).unwrap(), |o| o.extend_from_slice(&[0; 8])))
            .unwrap();
        let ce = relay(&mut s, &mut c).err();
        assert!(matches!(ce, Some(Error::UnexpectedMessage { .. })), "{to}: {ce:?}");
        assert_eq!(relay(&mut c, &mut s), Err(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)), "{to}");
    }
    // Server: only KeyUpdate, and the answer to its own CertificateRequest.
    for to in TYPES.into_iter().filter(|t| *t != 24) {
        let (mut c, mut s) = connect(client13(), server13());
        c.send_handshake_for_test(&msgs::frame(HandshakeType::from_u8(to).unwrap(), |o| o.extend_from_slice(&[0; 8])))
            .unwrap();
        let se = relay(&mut c, &mut s).err();
        assert!(matches!(se, Some(Error::UnexpectedMessage { .. })), "{to}: {se:?}");
        assert_eq!(relay(&mut s, &mut c), Err(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)), "{to}");
    }
}

#[test]
fn end_of_early_data_without_early_data_is_unexpected_message() {
    let mut c = client_of(client13());
    let mut s = server_of(server13());
    c.tamper_handshake_for_test(edit_first(20, |fin| {
        let mut m = alloc::vec![5, 0, 0, 0];
        m.extend_from_slice(&fin);
        m
    }));
    let (ce, se) = pump(&mut c, &mut s);
    assert_alerted(se, ce, &Error::UnexpectedMessage { what: "handshake message out of order (server)" });
}

#[test]
fn server_hello_misuse_is_refused_by_the_client() {
    type Edit = fn(&mut ServerHello);
    let cases: [(&str, Edit, Error); 11] = [
        (
            "session id not echoed",
            |h| h.session_id = alloc::vec![1; 32],
            Error::IllegalParameter { what: "session id echo" },
        ),
        (
            "suite not offered",
            |h| h.cipher_suite = CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
            Error::IllegalParameter { what: "cipher suite" },
        ),
        ("a TLS 1.2 suite", |h| h.cipher_suite = CipherSuite(0xc02b), Error::IllegalParameter { what: "cipher suite" }),
        (
            "key share of a group not offered",
            |h| h.key_share.as_mut().unwrap().0 = NamedGroup::SECP256R1,
            Error::IllegalParameter { what: "key share group not offered" },
        ),
        ("no key share", |h| h.key_share = None, Error::MissingExtension { what: "key_share" }),
        (
            "a PSK nobody offered",
            |h| h.selected_psk = Some(0),
            Error::IllegalParameter { what: "pre_shared_key not offered" },
        ),
        (
            "supported_versions naming TLS 1.2",
            |h| h.supported_version = Some(0x0303),
            Error::IllegalParameter { what: "supported_versions in ServerHello" },
        ),
        (
            "supported_versions naming an unknown version",
            |h| h.supported_version = Some(0x0305),
            Error::IllegalParameter { what: "supported_versions in ServerHello" },
        ),
        (
            "legacy_version other than TLS 1.2",
            |h| h.legacy_version = 0x0301,
            Error::IllegalParameter { what: "ServerHello legacy fields" },
        ),
        ("legacy_version SSL 3.0", |h| h.legacy_version = 0x0300, Error::ProtocolVersion),
        (
            "a TLS 1.2 extension",
            |h| h.tls12.extended_master_secret = true,
            Error::UnsupportedExtension { what: "TLS 1.2 extension in a TLS 1.3 ServerHello" },
        ),
    ];
    for (name, edit, err) in cases {
        let mut cc = client13();
        cc.cipher_suites = alloc::vec![CipherSuite::TLS_AES_128_GCM_SHA256];
        let mut c = client_of(cc);
        let mut s = server_of(server13());
        s.tamper_handshake_for_test(edit_first(2, move |m| {
            let mut sh = ServerHello::decode(msgs::body(&m)).unwrap();
            edit(&mut sh);
            msgs::frame(HandshakeType::ServerHello, |o| sh.encode(o))
        }));
        let (ce, se) = pump(&mut c, &mut s);
        assert_eq!(ce.as_ref(), Some(&err), "{name}");
        assert_eq!(se, Some(Error::AlertReceived(err.alert().unwrap())), "{name}");
    }
    // A TLS 1.2 ServerHello to a TLS 1.3-only client, and a compression
    // method other than null.
    let mut c = client_of(client13());
    let mut s = server_of(server13());
    s.tamper_handshake_for_test(edit_first(2, |m| {
        let mut sh = ServerHello::decode(msgs::body(&m)).unwrap();
        sh.supported_version = None;
        sh.key_share = None;
        msgs::frame(HandshakeType::ServerHello, |o| sh.encode(o))
    }));
    let (ce, se) = pump(&mut c, &mut s);
    assert_alerted(ce, se, &Error::ProtocolVersion);
    let mut c = client_of(client13());
    let mut s = server_of(server13());
    s.tamper_handshake_for_test(edit_first(2, |mut m| {
        let at = 4 + 2 + 32 + 1 + usize::from(m[4 + 34]) + 2;
        m[at] = 1;
        m
    }));
    let (ce, se) = pump(&mut c, &mut s);
    assert_alerted(ce, se, &Error::IllegalParameter { what: "ServerHello compression" });
}
