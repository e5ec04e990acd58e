//! The optional AES-CCM suites in memory: TLS 1.3's CCM and CCM_8 (RFC
//! 8446 appendix B.4) and TLS 1.2's ECDHE_ECDSA CCM and CCM_8 (RFC 7251)
//! handshake and carry data when both sides list them; a tampered record
//! is `bad_record_mac`, a flipped bit of CCM_8's 8-byte tag too; and
//! without them listed they are neither offered nor accepted.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::{client_config, connect, decoded_client_hello, exchange, last_plaintext_alert, rng, server_config};
use crate::tls::{AlertDescription, CipherSuite, ClientConfig, Connection, Error, NamedGroup, ProtocolVersion};

/// Every CCM suite, its version and its tag length.
const CCM: &[(CipherSuite, ProtocolVersion, usize)] = &[
    (CipherSuite::TLS_AES_128_CCM_SHA256, ProtocolVersion::Tls13, 16),
    (CipherSuite::TLS_AES_128_CCM_8_SHA256, ProtocolVersion::Tls13, 8),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CCM, ProtocolVersion::Tls12, 16),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CCM, ProtocolVersion::Tls12, 16),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, ProtocolVersion::Tls12, 8),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8, ProtocolVersion::Tls12, 8),
];

/// A client offering only `suite` (and P-256, the ECDSA certificates'
/// curve, after `group`), and a server listing it after its defaults.
fn configs(suite: CipherSuite, kind: &str, group: NamedGroup) -> (ClientConfig, crate::tls::ServerConfig) {
    let mut cc = client_config();
    cc.cipher_suites = alloc::vec![suite];
    cc.groups = alloc::vec![group];
    if group != NamedGroup::SECP256R1 {
        cc.groups.push(NamedGroup::SECP256R1);
    }
    let mut sc = server_config(kind);
    sc.cipher_suites.push(suite);
    sc.groups = cc.groups.clone();
    (cc, sc)
}

#[test]
fn every_ccm_suite_handshakes_and_exchanges_data_in_both_versions() {
    let groups = [NamedGroup::X25519, NamedGroup::SECP256R1, NamedGroup::SECP384R1];
    let mut n = 0;
    for (i, &(suite, version, _)) in CCM.iter().enumerate() {
        // TLS 1.2 CCM suites are ECDHE_ECDSA only (EdDSA counts, RFC
        // 8422); TLS 1.3 suites do not care about the key.
        let kinds: &[&str] =
            if version == ProtocolVersion::Tls12 { &["p256", "ed25519"] } else { &["p256", "rsa2048", "ed448"] };
        for (j, kind) in kinds.iter().enumerate() {
            let group = groups[(i + j) % groups.len()];
            let (cc, sc) = configs(suite, kind, group);
            let (mut c, mut s) = connect(cc, sc);
            assert_eq!((c.protocol_version(), s.protocol_version()), (Some(version), Some(version)), "{suite:?}");
            assert_eq!((c.cipher_suite(), s.cipher_suite()), (Some(suite), Some(suite)));
            assert_eq!(s.negotiated_group(), Some(group));
            // More than one full record each way.
            exchange(&mut c, &mut s, 40_000);
            if version == ProtocolVersion::Tls13 {
                c.refresh_traffic_keys().unwrap();
                exchange(&mut c, &mut s, 100);
            }
            n += 1;
        }
    }
    assert_eq!(n, 2 * 3 + 4 * 2);
}

/// Writes one `hello` record from `c` and returns it; `at` picks a byte
/// to flip by its distance from the end.
fn tampered_record(c: &mut Connection, from_end: usize, bit: u8) -> Vec<u8> {
    c.write_plaintext(b"hello").unwrap();
    let mut wire = Vec::new();
    c.write_tls(&mut wire);
    let at = wire.len() - from_end;
    wire[at] ^= bit;
    wire
}

#[test]
fn tampered_ccm_record_is_bad_record_mac_in_both_versions() {
    for &(suite, version, tag_len) in CCM {
        let (cc, sc) = configs(suite, "p256", NamedGroup::X25519);
        let (mut c, mut s) = connect(cc, sc);
        // The record is header, (TLS 1.2: 8-byte explicit nonce), the
        // text (TLS 1.3: and its content type), then the tag.
        let inner = if version == ProtocolVersion::Tls12 { 8 + 5 } else { 5 + 1 };
        c.write_plaintext(b"hello").unwrap();
        let mut wire = Vec::new();
        c.write_tls(&mut wire);
        assert_eq!(wire.len(), 5 + inner + tag_len, "{suite:?}");
        // The last ciphertext byte, just before the tag.
        let wire = {
            let mut w = wire;
            let at = w.len() - tag_len - 1;
            w[at] ^= 0x20;
            w
        };
        assert_eq!(s.read_tls(&wire), Err(Error::BadRecordMac), "{suite:?}");
        let mut alert = Vec::new();
        s.write_tls(&mut alert);
        assert_eq!(c.read_tls(&alert), Err(Error::AlertReceived(AlertDescription::BAD_RECORD_MAC)), "{suite:?}");
        assert!(!c.wants_write());
    }
}

/// CCM_8's tag is 8 bytes, so a flipped bit in any of them, the first
/// included, is caught (a 16-byte-tag reading would take that byte for
/// ciphertext).
#[test]
fn ccm_8_refuses_a_record_with_a_flipped_tag_bit() {
    for &(suite, _, tag_len) in CCM.iter().filter(|(_, _, t)| *t == 8) {
        for (from_end, bit) in [(1, 0x01), (tag_len, 0x80)] {
            let (cc, sc) = configs(suite, "p256", NamedGroup::SECP256R1);
            let (mut c, mut s) = connect(cc, sc);
            let wire = tampered_record(&mut c, from_end, bit);
            assert_eq!(s.read_tls(&wire), Err(Error::BadRecordMac), "{suite:?} byte -{from_end}");
            assert_eq!(last_plaintext_alert(&mut s), None, "the alert is protected");
            // And the other way round, server to client.
            let (cc, sc) = configs(suite, "p256", NamedGroup::SECP256R1);
            let (mut c, mut s) = connect(cc, sc);
            let wire = tampered_record(&mut s, from_end, bit);
            assert_eq!(c.read_tls(&wire), Err(Error::BadRecordMac), "{suite:?} byte -{from_end}");
        }
    }
}

#[test]
fn default_client_does_not_offer_ccm() {
    let ch = decoded_client_hello();
    assert!(!ch.cipher_suites.is_empty());
    for &(suite, _, _) in CCM {
        assert!(!ch.cipher_suites.contains(&suite), "{suite:?} offered by default");
    }
    // The default configs list none either.
    assert!(CCM.iter().all(|(s, _, _)| !client_config().cipher_suites.contains(s)));
    assert!(CCM.iter().all(|(s, _, _)| !server_config("p256").cipher_suites.contains(s)));
    // Listed, it is offered.
    let mut cc = client_config();
    cc.cipher_suites.push(CipherSuite::TLS_AES_128_CCM_8_SHA256);
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(21)).unwrap();
    let mut out = Vec::new();
    c.write_tls(&mut out);
    let ch = crate::tls::msgs::ClientHello::decode(&out[9..]).unwrap();
    assert!(ch.cipher_suites.contains(&CipherSuite::TLS_AES_128_CCM_8_SHA256));
}

#[test]
fn server_without_ccm_refuses_a_ccm_only_client_with_handshake_failure() {
    for &(suite, version, _) in CCM {
        let mut cc = client_config();
        cc.cipher_suites = alloc::vec![suite];
        let mut c = Connection::client(Arc::new(cc), "localhost", rng(22)).unwrap();
        let mut s = Connection::server(Arc::new(server_config("p256")), rng(23)).unwrap();
        let mut out = Vec::new();
        c.write_tls(&mut out);
        assert!(matches!(s.read_tls(&out), Err(Error::HandshakeFailure { .. })), "{suite:?} {version:?}");
        let mut alert = Vec::new();
        s.write_tls(&mut alert);
        assert_eq!(alert, [21, 3, 3, 0, 2, 2, 40], "{suite:?}");
        assert_eq!(c.read_tls(&alert), Err(Error::AlertReceived(AlertDescription::HANDSHAKE_FAILURE)));
    }
    // A server that lists CCM still prefers its defaults when the client
    // offers both.
    let mut cc = client_config();
    cc.cipher_suites.insert(0, CipherSuite::TLS_AES_128_CCM_SHA256);
    let mut sc = server_config("p256");
    sc.cipher_suites.push(CipherSuite::TLS_AES_128_CCM_SHA256);
    let (c, _) = connect(cc, sc);
    assert_eq!(c.cipher_suite(), Some(CipherSuite::TLS_AES_128_GCM_SHA256));
}
