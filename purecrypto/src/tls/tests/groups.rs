//! The groups beyond the elliptic curves: RFC 7919 finite-field groups
//! and the ML-KEM hybrids (TLS 1.3 only), their default order, and what
//! a bad share from either side leads to.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::{client_config, connect, hello_record, last_plaintext_alert, pump, rng, server_config};
use crate::tls::codec;
use crate::tls::msgs::{self, ClientHello, HandshakeType, ServerHello};
use crate::tls::{AlertDescription, Connection, Error, NamedGroup, ProtocolVersion};

#[test]
fn defaults_prefer_the_hybrid_and_share_x25519_too() {
    let (c, s) = connect(client_config(), server_config("p256"));
    assert_eq!(
        (c.negotiated_group(), s.negotiated_group()),
        (Some(NamedGroup::X25519_MLKEM768), Some(NamedGroup::X25519_MLKEM768))
    );
    assert!(!c.had_hello_retry());

    // A server without ML-KEM takes the second share: no retry.
    let mut sc = server_config("p256");
    sc.groups = alloc::vec![NamedGroup::X25519, NamedGroup::SECP256R1];
    let (c, _) = connect(client_config(), sc);
    assert_eq!(c.negotiated_group(), Some(NamedGroup::X25519));
    assert!(!c.had_hello_retry());

    // One that wants a finite-field group asks for it.
    let mut sc = server_config("ed25519");
    sc.groups = alloc::vec![NamedGroup::FFDHE3072];
    let (mut c, mut s) = connect(client_config(), sc);
    assert!(c.had_hello_retry() && s.had_hello_retry());
    assert_eq!(s.negotiated_group(), Some(NamedGroup::FFDHE3072));
    super::exchange(&mut c, &mut s, 1000);
}

#[test]
fn openssl_names_find_every_group() {
    for &g in NamedGroup::SUPPORTED {
        let name = g.name().unwrap();
        assert_eq!(NamedGroup::from_openssl_name(name), Some(g));
        assert_eq!(NamedGroup::from_openssl_name(&name.to_ascii_uppercase()), Some(g));
    }
    assert_eq!(NamedGroup::from_openssl_name("prime256v1"), Some(NamedGroup::SECP256R1));
    assert_eq!(NamedGroup::from_openssl_name("x25519mlkem768"), Some(NamedGroup::X25519_MLKEM768));
    assert_eq!(NamedGroup::from_openssl_name("X448"), None);
    assert_eq!(NamedGroup::from_openssl_name(""), None);
}

/// A ClientHello from a client with one share, in `group`.
fn hello_for(group: NamedGroup) -> ClientHello {
    let mut cc = client_config();
    cc.groups = alloc::vec![group];
    cc.initial_key_shares = 1;
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(8)).unwrap();
    let mut rec = Vec::new();
    c.write_tls(&mut rec);
    ClientHello::decode(&rec[9..]).unwrap()
}

/// `p - 1` for ffdhe2048, and `p` itself.
fn ffdhe2048_edges() -> (Vec<u8>, Vec<u8>) {
    let p = crate::ffdh::Group::FFDHE2048.prime().to_vec();
    let mut p_minus_1 = p.clone();
    *p_minus_1.last_mut().unwrap() -= 1;
    (p_minus_1, p)
}

#[test]
fn bad_client_shares_are_illegal_parameter() {
    let (p_minus_1, p) = ffdhe2048_edges();
    let mut one = alloc::vec![0u8; 256];
    one[255] = 1;
    let short = alloc::vec![7u8; 255];
    let hybrid_short = alloc::vec![7u8; 1215];
    let cases: [(NamedGroup, &[u8]); 6] = [
        (NamedGroup::FFDHE2048, &one),
        (NamedGroup::FFDHE2048, &p_minus_1),
        (NamedGroup::FFDHE2048, &p),
        (NamedGroup::FFDHE2048, &short),
        (NamedGroup::X25519_MLKEM768, &hybrid_short),
        (NamedGroup::SECP256R1_MLKEM768, &[4; 65 + 1184]),
    ];
    for (group, share) in cases {
        let mut ch = hello_for(group);
        ch.key_shares = Some(alloc::vec![(group, share.to_vec())]);
        let mut body = Vec::new();
        ch.encode(&mut body);
        let mut s = Connection::server(Arc::new(server_config("p256")), rng(9)).unwrap();
        assert_eq!(s.read_tls(&hello_record(&body)), Err(Error::IllegalParameter { what: "key share" }), "{group:?}");
        assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::ILLEGAL_PARAMETER), "{group:?}");
    }
}

/// Runs a client offering `group` against a default server, with the
/// server's share in the ServerHello replaced by `share`; returns the
/// client's error.
fn client_error_with_server_share(group: NamedGroup, share: &[u8]) -> Option<Error> {
    let mut cc = client_config();
    cc.groups = alloc::vec![group];
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(10)).unwrap();
    let mut s = Connection::server(Arc::new(server_config("p256")), rng(11)).unwrap();
    let mut hello = Vec::new();
    c.write_tls(&mut hello);
    s.read_tls(&hello).unwrap();
    let mut flight = Vec::new();
    s.write_tls(&mut flight);
    // The first record is the plaintext ServerHello.
    let len = usize::from(u16::from_be_bytes([flight[3], flight[4]]));
    let mut sh = ServerHello::decode(&flight[9..5 + len]).unwrap();
    assert_eq!(sh.key_share.as_ref().map(|(g, _)| *g), Some(group));
    sh.key_share = Some((group, share.to_vec()));
    let msg = msgs::frame(HandshakeType::ServerHello, |o| sh.encode(o));
    let mut rec = alloc::vec![22, 3, 3];
    codec::put_vec16(&mut rec, &msg);
    rec.extend_from_slice(&flight[5 + len..]);
    c.read_tls(&rec).err()
}

#[test]
fn bad_server_shares_are_illegal_parameter() {
    let (p_minus_1, p) = ffdhe2048_edges();
    let cases: [(NamedGroup, &[u8]); 5] = [
        (NamedGroup::FFDHE2048, &p_minus_1),
        (NamedGroup::FFDHE2048, &p),
        (NamedGroup::FFDHE2048, &p[1..]),
        (NamedGroup::X25519_MLKEM768, &[1; 1088 + 31]),
        (NamedGroup::SECP384R1_MLKEM1024, &[4; 97 + 1567]),
    ];
    for (group, share) in cases {
        assert_eq!(
            client_error_with_server_share(group, share),
            Some(Error::IllegalParameter { what: "key share" }),
            "{group:?}"
        );
    }
}

#[test]
fn tls12_uses_only_elliptic_curve_groups() {
    // A client offering both versions lists every group; a TLS 1.2-only
    // server skips those ECDHE cannot use.
    let mut sc = server_config("p256");
    sc.max_version = ProtocolVersion::Tls12;
    sc.groups = alloc::vec![NamedGroup::FFDHE2048, NamedGroup::X25519_MLKEM768, NamedGroup::SECP256R1];
    let mut cc = client_config();
    cc.groups = alloc::vec![NamedGroup::FFDHE2048, NamedGroup::X25519_MLKEM768, NamedGroup::SECP256R1];
    let (c, _) = connect(cc, sc);
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::Tls12));
    assert_eq!(c.negotiated_group(), Some(NamedGroup::SECP256R1));

    // Nothing else in common: no group, whatever the client listed.
    let mut sc = server_config("ed25519");
    sc.max_version = ProtocolVersion::Tls12;
    sc.groups = alloc::vec![NamedGroup::FFDHE2048];
    let mut cc = client_config();
    cc.groups = alloc::vec![NamedGroup::FFDHE2048, NamedGroup::X25519];
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(12)).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(13)).unwrap();
    let (_, se) = pump(&mut c, &mut s);
    assert_eq!(se, Some(Error::HandshakeFailure { what: "no common group" }));

    // A TLS 1.2-only client does not list them at all.
    let mut cc = client_config();
    cc.max_version = ProtocolVersion::Tls12;
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(14)).unwrap();
    let mut rec = Vec::new();
    c.write_tls(&mut rec);
    let ch = ClientHello::decode(&rec[9..]).unwrap();
    assert_eq!(ch.supported_groups, NamedGroup::ECDHE);
}
