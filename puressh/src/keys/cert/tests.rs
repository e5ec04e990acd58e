//! Certificates made by OpenSSH 9.2's `ssh-keygen -s` (see
//! tests/data/certs/README.md for the commands).

use super::*;
use crate::keys::EcCurve;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/data/certs/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn cert(name: &str) -> Certificate {
    Certificate::from_openssh_line(&fixture(name)).unwrap().0
}

fn public(name: &str) -> PublicKey {
    PublicKey::from_openssh_line(&fixture(name)).unwrap().0
}

/// 2020-01-01T00:00:00Z, 2030-01-01 and 2040-01-01.
const Y2020: u64 = 1_577_836_800;
const Y2030: u64 = 1_893_456_000;
const Y2040: u64 = 2_208_988_800;
const NOW: u64 = 1_795_000_000;

#[test]
fn user_certificates_parse_as_ssh_keygen_prints_them() {
    let c = cert("user_ed25519-cert.pub");
    assert_eq!(c.key_type(), names::SSH_ED25519_CERT);
    assert_eq!(c.key, public("user_ed25519.pub"));
    assert_eq!(c.signature_key, public("ca_ed25519.pub"));
    assert_eq!((c.serial, c.cert_type, c.key_id.as_str()), (7, CertType::User, "user-ed25519-id"));
    assert_eq!(c.principals, ["alice", "bob"]);
    assert_eq!((c.valid_after, c.valid_before), (Y2020, Y2040));
    assert!(c.critical_options.is_empty());
    let extensions: Vec<&str> = c.extensions.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        extensions,
        ["permit-X11-forwarding", "permit-agent-forwarding", "permit-port-forwarding", "permit-pty", "permit-user-rc"]
    );
    assert_eq!(c.nonce.len(), 32);

    let c = cert("user_ecdsa-cert.pub");
    assert_eq!(c.key_type(), names::ECDSA_SHA2_NISTP256_CERT);
    assert!(matches!(c.key, PublicKey::Ecdsa { curve: EcCurve::P256, .. }));
    assert_eq!(c.key, public("user_ecdsa.pub"));
    // Option values are strings inside the data field.
    let mut force = crate::wire::Writer::new();
    force.string(b"/bin/true");
    assert_eq!(
        c.critical_options,
        [
            ("force-command".to_owned(), force.into_bytes()),
            ("source-address".to_owned(), {
                let mut w = crate::wire::Writer::new();
                w.string(b"127.0.0.1/32");
                w.into_bytes()
            })
        ]
    );

    let c = cert("user_rsa-cert.pub");
    assert_eq!(c.key_type(), names::SSH_RSA_CERT);
    assert_eq!(c.key, public("user_rsa.pub"));
    assert!(matches!(c.signature_key, PublicKey::Ecdsa { curve: EcCurve::P384, .. }));
}

#[test]
fn line_and_blob_round_trip() {
    for name in ["user_ed25519-cert.pub", "user_ecdsa-cert.pub", "user_rsa-cert.pub", "host_ed25519-cert.pub"] {
        let text = fixture(name);
        let (c, comment) = Certificate::from_openssh_line(&text).unwrap();
        assert_eq!(c.to_openssh_line(&comment), text.trim(), "{name}");
        assert_eq!(Certificate::from_blob(c.blob()).unwrap(), c);
    }
}

#[test]
fn ca_signatures_verify_with_each_ca_key_type() {
    for name in ["user_ed25519-cert.pub", "user_ecdsa-cert.pub", "user_rsa-cert.pub", "host_ed25519-cert.pub"] {
        cert(name).verify_signature().unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    // The RSA CA signed with rsa-sha2-512 as asked.
    let c = cert("user_ecdsa-cert.pub");
    assert!(c.signature.starts_with(b"\0\0\0\x0crsa-sha2-512"));
}

#[test]
fn any_flipped_bit_breaks_the_signature_or_the_parse() {
    let c = cert("host_ed25519-cert.pub");
    let blob = c.blob().to_vec();
    for at in (0..blob.len()).step_by(7) {
        let mut bad = blob.clone();
        if let Some(b) = bad.get_mut(at) {
            *b ^= 0x10;
        }
        if let Ok(parsed) = Certificate::from_blob(&bad) {
            assert!(parsed.verify_signature().is_err(), "flip at {at} still verifies");
        }
    }
}

#[test]
fn sha1_ca_signatures_are_refused() {
    let c = cert("host_sha1-cert.pub");
    assert!(c.signature.starts_with(b"\0\0\0\x07ssh-rsa"));
    assert_eq!(c.verify_signature(), Err(KeyError::AlgorithmMismatch { algorithm: "ssh-rsa".into() }));
}

#[test]
fn host_checks_follow_openssh() {
    let c = cert("host_ed25519-cert.pub");
    assert_eq!(c.principals, ["host.example", "*.example.org", "127.0.0.1"]);
    assert_eq!((c.valid_after, c.valid_before), (Y2020, Y2030));
    c.check(CertType::Host, "host.example", NOW).unwrap();
    c.check(CertType::Host, "127.0.0.1", NOW).unwrap();
    // Wildcards in host principals, case folded as host names are.
    c.check(CertType::Host, "a.example.org", NOW).unwrap();
    c.check(CertType::Host, "A.Example.ORG", NOW).unwrap();
    let reason = |r: Result<(), KeyError>| match r {
        Err(KeyError::Certificate { reason }) => reason,
        other => panic!("{other:?}"),
    };
    assert!(reason(c.check(CertType::Host, "other.example", NOW)).contains("does not name \"other.example\""));
    assert_eq!(reason(c.check(CertType::Host, "host.example", Y2020 - 1)), "certificate is not yet valid");
    c.check(CertType::Host, "host.example", Y2020).unwrap();
    assert_eq!(reason(c.check(CertType::Host, "host.example", Y2030)), "certificate has expired");
    assert!(reason(c.check(CertType::User, "host.example", NOW)).contains("a host certificate where a user one"));

    // No principals and no window: any host, any time.
    let any = cert("host_any-cert.pub");
    assert!(any.principals.is_empty());
    assert_eq!((any.valid_after, any.valid_before), (0, u64::MAX));
    any.check(CertType::Host, "whatever.example", u64::MAX - 1).unwrap();
}

#[test]
fn user_checks_want_exact_principals_and_no_critical_options_for_hosts() {
    let c = cert("user_ed25519-cert.pub");
    c.check(CertType::User, "alice", NOW).unwrap();
    c.check(CertType::User, "bob", NOW).unwrap();
    assert!(c.check(CertType::User, "Alice", NOW).is_err());
    assert!(c.check(CertType::User, "al*", NOW).is_err());
    // User certificates may carry critical options (the server applies them).
    cert("user_ecdsa-cert.pub").check(CertType::User, "alice", NOW).unwrap();
}

#[test]
fn algorithm_names_map_both_ways() {
    assert_eq!(signature_algorithm(names::RSA_SHA2_256_CERT), Some(names::RSA_SHA2_256));
    assert_eq!(signature_algorithm(names::SSH_ED25519_CERT), Some(names::SSH_ED25519));
    assert_eq!(signature_algorithm(names::SSH_ED25519), None);
    assert_eq!(certificate_algorithm(names::RSA_SHA2_512), Some(names::RSA_SHA2_512_CERT));
    assert_eq!(certificate_algorithm(names::ECDSA_SHA2_NISTP384), Some(names::ECDSA_SHA2_NISTP384_CERT));
    let rsa = cert("user_rsa-cert.pub");
    assert!(rsa.fits(names::RSA_SHA2_512_CERT) && rsa.fits(names::RSA_SHA2_256_CERT));
    assert!(!rsa.fits(names::SSH_ED25519_CERT) && !rsa.fits(names::RSA_SHA2_256));
}

#[test]
fn malformed_certificates_are_typed_errors() {
    let blob = cert("user_ed25519-cert.pub").blob().to_vec();
    // Every truncation fails cleanly.
    for len in 0..blob.len() {
        assert!(Certificate::from_blob(blob.get(..len).unwrap_or_default()).is_err(), "prefix {len}");
    }
    let mut trailing = blob.clone();
    trailing.push(0);
    assert_eq!(Certificate::from_blob(&trailing), Err(MALFORMED));
    // A plain key is not a certificate.
    let plain = public("user_ed25519.pub").to_blob();
    assert!(matches!(Certificate::from_blob(&plain), Err(KeyError::Unsupported { .. })));
    // A line whose type field disagrees with the blob.
    let line = fixture("user_ed25519-cert.pub").replacen("ssh-ed25519-cert", "ssh-rsa-cert", 1);
    assert!(Certificate::from_openssh_line(&line).is_err());
}

#[test]
fn unsorted_or_repeated_options_are_refused() {
    let pair = |name: &str| {
        let mut w = crate::wire::Writer::new();
        w.string(name.as_bytes()).string(b"");
        w.into_bytes()
    };
    let list = |names: &[&str]| names.iter().flat_map(|n| pair(n)).collect::<Vec<u8>>();
    assert_eq!(options(&list(&["a", "b"])).unwrap().len(), 2);
    assert_eq!(options(&list(&["b", "a"])), Err(MALFORMED));
    assert_eq!(options(&list(&["a", "a"])), Err(MALFORMED));
}
