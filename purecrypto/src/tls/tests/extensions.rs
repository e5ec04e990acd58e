//! record_size_limit (RFC 8449) and OCSP stapling (RFC 6066 section 8,
//! RFC 8446 section 4.4.2.1) between our client and server, in TLS 1.3
//! and 1.2, and the malformed forms of both extensions.

use super::*;

/// The body length of every record in `wire`.
fn record_lens(wire: &[u8]) -> Vec<usize> {
    let mut lens = Vec::new();
    let mut rest = wire;
    while let Some(h) = record::parse_header(rest).unwrap() {
        lens.push(h.len);
        rest = &rest[record::HEADER_LEN + h.len..];
    }
    assert!(rest.is_empty());
    lens
}

/// Writes `len` bytes from `from`, checks `to` reads them back, and
/// returns the largest record body `from` sent.
fn largest_record(from: &mut Connection, to: &mut Connection, len: usize) -> usize {
    let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
    from.write_plaintext(&data).unwrap();
    let mut wire = Vec::new();
    from.write_tls(&mut wire);
    to.read_tls(&wire).unwrap();
    let mut got = alloc::vec![0u8; len + 1];
    assert_eq!(to.read_plaintext(&mut got), len);
    assert_eq!(&got[..len], &data[..]);
    record_lens(&wire).into_iter().max().unwrap()
}

fn limited(client: Option<u16>, server: Option<u16>, tls12: bool) -> (ClientConfig, ServerConfig) {
    let mut cc = client_config();
    cc.record_size_limit = client;
    if tls12 {
        cc.max_version = ProtocolVersion::Tls12;
    }
    let mut sc = server_config("p256");
    sc.record_size_limit = server;
    (cc, sc)
}

#[test]
fn tls13_records_fit_the_peer_limit_with_content_type_and_padding() {
    let (mut cc, sc) = limited(Some(256), Some(1000), false);
    cc.padding_block = 100;
    let (mut c, mut s) = connect(cc, sc);
    // Inner plaintext (data, type, padding) at most the limit; a 16-byte
    // tag on top. The client pads to 100 but never past the server's 1000.
    assert_eq!(largest_record(&mut s, &mut c, 5000), 256 + 16);
    assert_eq!(largest_record(&mut c, &mut s, 5000), 1000 + 16);
    exchange(&mut c, &mut s, 3000);
}

#[test]
fn tls12_records_fit_the_peer_limit() {
    let (mut cc, mut sc) = limited(Some(300), Some(16385), true);
    cc.cipher_suites = alloc::vec![CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];
    sc.cipher_suites = cc.cipher_suites.clone();
    let (mut c, mut s) = connect(cc, sc);
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::Tls12));
    // TLS 1.2 counts the plaintext alone; AES-GCM adds an 8-byte nonce
    // and a 16-byte tag. Our 16385 is answered as 2^14.
    assert_eq!(largest_record(&mut s, &mut c, 5000), 300 + 24);
    assert_eq!(largest_record(&mut c, &mut s, 20000), MAX_PLAINTEXT + 24);
}

#[test]
fn without_both_sides_the_limit_is_not_in_force() {
    for (client, server) in [(None, Some(256)), (Some(256), None)] {
        let (cc, sc) = limited(client, server, false);
        let (mut c, mut s) = connect(cc, sc);
        assert_eq!(largest_record(&mut s, &mut c, 20000), MAX_PLAINTEXT + 1 + 16);
        assert_eq!(largest_record(&mut c, &mut s, 20000), MAX_PLAINTEXT + 1 + 16);
    }
}

#[test]
fn a_record_over_our_limit_is_record_overflow() {
    for tls12 in [false, true] {
        let (cc, sc) = limited(Some(128), Some(16385), tls12);
        let (mut c, mut s) = connect(cc, sc);
        s.ignore_peer_record_limit_for_test();
        s.write_plaintext(&[7; 200]).unwrap();
        let mut wire = Vec::new();
        s.write_tls(&mut wire);
        assert_eq!(c.read_tls(&wire), Err(Error::RecordOverflow), "tls12 {tls12}");
        // The alert is protected; the server opens it.
        let mut alert = Vec::new();
        c.write_tls(&mut alert);
        assert_eq!(s.read_tls(&alert), Err(Error::AlertReceived(AlertDescription::RECORD_OVERFLOW)));
    }
}

#[test]
fn limits_below_64_are_refused() {
    let mut cc = client_config();
    cc.record_size_limit = Some(63);
    assert!(matches!(Connection::client(Arc::new(cc), "localhost", rng(1)), Err(Error::Config { .. })));
    let mut sc = server_config("p256");
    sc.record_size_limit = Some(16386);
    assert!(matches!(Connection::server(Arc::new(sc), rng(1)), Err(Error::Config { .. })));

    let mut ch = decoded_client_hello();
    ch.record_size_limit = Some(63);
    let mut body = Vec::new();
    ch.encode(&mut body);
    let mut s = fresh_server();
    assert_eq!(s.read_tls(&hello_record(&body)), Err(Error::IllegalParameter { what: "record_size_limit below 64" }));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::ILLEGAL_PARAMETER));

    let ee = msgs::EncryptedExtensions { record_size_limit: Some(10), ..Default::default() };
    let mut out = Vec::new();
    ee.encode(&mut out);
    assert!(matches!(msgs::EncryptedExtensions::decode(&out), Err(Error::IllegalParameter { .. })));
}

/// An extensions block holding one extension of `typ` with `body`.
fn one_extension(typ: u16, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    codec::put_vec(&mut out, 2, |o| {
        codec::put_u16(o, typ);
        codec::put_vec16(o, body);
    });
    out
}

#[test]
fn malformed_extension_bodies_are_decode_errors() {
    // record_size_limit of one and of three bytes.
    for body in [&[0x40][..], &[0x40, 0x00, 0x00]] {
        let ee = one_extension(28, body);
        assert!(matches!(msgs::EncryptedExtensions::decode(&ee), Err(Error::Decode { .. })), "{body:?}");
    }
    // status_request whose responder_id_list runs past its end.
    let mut ch = decoded_client_hello();
    ch.status_request = true;
    let mut body = Vec::new();
    ch.encode(&mut body);
    let pos = body.windows(5).position(|w| w == [0x00, 0x05, 0x00, 0x05, 0x01]).unwrap();
    body[pos + 6] = 9;
    assert!(matches!(msgs::ClientHello::decode(&body), Err(Error::Decode { .. })));
    // Another status type asks for nothing and is not an error.
    body[pos + 4] = 2;
    body[pos + 6] = 0;
    assert!(!msgs::ClientHello::decode(&body).unwrap().status_request);
}

#[test]
fn extensions_round_trip() {
    let mut ch = decoded_client_hello();
    ch.record_size_limit = Some(1024);
    ch.status_request = true;
    let mut out = Vec::new();
    ch.encode(&mut out);
    assert_eq!(msgs::ClientHello::decode(&out).unwrap(), ch);
    let cert = msgs::CertificateMsg {
        context: Vec::new(),
        chain: alloc::vec![alloc::vec![1, 2], alloc::vec![3]],
        ocsp_response: Some(alloc::vec![0x30, 0]),
    };
    let mut out = Vec::new();
    cert.encode(&mut out);
    assert_eq!(msgs::CertificateMsg::decode(&out).unwrap(), cert);
}

/// A Certificate body with `entries` of (certificate, extensions block).
fn certificate_msg(entries: &[(&[u8], Vec<u8>)]) -> Vec<u8> {
    let mut out = alloc::vec![0];
    codec::put_vec(&mut out, 3, |o| {
        for (cert, exts) in entries {
            codec::put_vec24(o, cert);
            o.extend_from_slice(exts);
        }
    });
    out
}

#[test]
fn status_request_only_where_it_belongs() {
    let status = |typ: u8, response: &[u8]| {
        let mut b = alloc::vec![typ];
        codec::put_vec24(&mut b, response);
        b
    };
    let good = one_extension(5, &status(1, b"ocsp"));
    let empty = alloc::vec![0u8, 0];
    // On the leaf: fine.
    let leaf = certificate_msg(&[(b"leaf", good.clone()), (b"ca", empty.clone())]);
    assert_eq!(msgs::CertificateMsg::decode(&leaf).unwrap().ocsp_response, Some(b"ocsp".to_vec()));
    // On an intermediate: read, not kept. An unknown entry extension:
    // refused.
    let ca = certificate_msg(&[(b"leaf", empty.clone()), (b"ca", good)]);
    assert_eq!(msgs::CertificateMsg::decode(&ca).unwrap().ocsp_response, None);
    let bad_ca = certificate_msg(&[(b"leaf", empty.clone()), (b"ca", one_extension(5, &status(1, b"")))]);
    assert!(matches!(msgs::CertificateMsg::decode(&bad_ca), Err(Error::Decode { .. })));
    let sct = certificate_msg(&[(b"leaf", one_extension(18, &[])), (b"ca", empty.clone())]);
    assert!(matches!(msgs::CertificateMsg::decode(&sct), Err(Error::UnsupportedExtension { .. })));
    // Wrong status type, empty response, trailing byte.
    let bad_type = certificate_msg(&[(b"leaf", one_extension(5, &status(2, b"ocsp")))]);
    assert!(matches!(msgs::CertificateMsg::decode(&bad_type), Err(Error::IllegalParameter { .. })));
    let no_response = certificate_msg(&[(b"leaf", one_extension(5, &status(1, b"")))]);
    assert!(matches!(msgs::CertificateMsg::decode(&no_response), Err(Error::Decode { .. })));
    let mut long = status(1, b"ocsp");
    long.push(0);
    let trailing = certificate_msg(&[(b"leaf", one_extension(5, &long))]);
    assert!(matches!(msgs::CertificateMsg::decode(&trailing), Err(Error::Decode { .. })));
    // The TLS 1.2 message is as strict.
    assert_eq!(tls12::msgs::decode_certificate_status(&status(1, b"ocsp")), Ok(b"ocsp".to_vec()));
    assert!(matches!(tls12::msgs::decode_certificate_status(&long), Err(Error::Decode { .. })));
    assert!(tls12::msgs::decode_certificate_status(&[1, 0, 0]).is_err());
    // Never in EncryptedExtensions, nor in a TLS 1.3 ServerHello.
    assert!(matches!(msgs::EncryptedExtensions::decode(&one_extension(5, &[])), Err(Error::IllegalParameter { .. })));
    let sh = msgs::ServerHello {
        legacy_version: msgs::TLS12,
        random: [5; 32],
        session_id: Vec::new(),
        cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
        supported_version: Some(msgs::TLS13),
        key_share: Some((NamedGroup::X25519, alloc::vec![1; 32])),
        selected_group: None,
        cookie: None,
        selected_psk: None,
        tls12: msgs::Tls12ServerExtensions { status_request: true, ..Default::default() },
    };
    let mut out = Vec::new();
    sh.encode(&mut out);
    assert!(matches!(msgs::ServerHello::decode(&out), Err(Error::UnsupportedExtension { .. })));
}

/// Stands in for a DER OCSP response: the TLS layer carries it opaquely.
const RESPONSE: &[u8] = b"\x30\x03\x0a\x01\x00";

#[test]
fn stapled_response_reaches_a_client_that_asks_in_both_versions() {
    for tls12 in [false, true] {
        for (ask, have, expect) in
            [(true, true, Some(RESPONSE)), (false, true, None), (true, false, None), (false, false, None)]
        {
            let (mut cc, mut sc) = limited(None, Some(16385), tls12);
            cc.request_ocsp = ask;
            sc.ocsp_response = have.then(|| RESPONSE.to_vec());
            let (mut c, mut s) = connect(cc, sc);
            assert_eq!(c.ocsp_response(), expect, "tls12 {tls12} ask {ask} have {have}");
            assert_eq!(s.ocsp_response(), None);
            exchange(&mut c, &mut s, 10);
        }
    }
}

#[test]
fn empty_ocsp_response_is_a_config_error() {
    let mut sc = server_config("p256");
    sc.ocsp_response = Some(Vec::new());
    assert!(matches!(Connection::server(Arc::new(sc), rng(1)), Err(Error::Config { .. })));
}
