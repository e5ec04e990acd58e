//! Client certificates in memory, TLS 1.3 and 1.2: every client key type
//! authenticates against an [`X509ClientVerifier`]; a missing, untrusted,
//! wrong-purpose or wrongly signed certificate ends with the alert each
//! version prescribes and a typed error on both sides.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::{pump, rng, server_config};
use crate::tls::*;
use crate::x509::{Reason, TrustStore};

/// 2030-01-01: inside every test certificate's validity.
const NOW: u64 = 1_893_456_000;

pub(super) const CLIENT_CA: &[u8] = include_bytes!("../../../tests/data/tls/client-ca.crt.der");
pub(super) const CLIENT_KEYS: &[(&str, &[u8], &[u8])] = &[
    (
        "p256",
        include_bytes!("../../../tests/data/tls/client-p256.crt.der"),
        include_bytes!("../../../tests/data/tls/client-p256.key.der"),
    ),
    (
        "rsa2048",
        include_bytes!("../../../tests/data/tls/client-rsa2048.crt.der"),
        include_bytes!("../../../tests/data/tls/client-rsa2048.key.der"),
    ),
    (
        "ed25519",
        include_bytes!("../../../tests/data/tls/client-ed25519.crt.der"),
        include_bytes!("../../../tests/data/tls/client-ed25519.key.der"),
    ),
];
pub(super) const SERVER_ONLY: (&[u8], &[u8]) = (
    include_bytes!("../../../tests/data/tls/client-serveronly.crt.der"),
    include_bytes!("../../../tests/data/tls/client-serveronly.key.der"),
);

pub(super) fn verifier() -> X509ClientVerifier {
    let mut store = TrustStore::new();
    store.add_der(CLIENT_CA).unwrap();
    X509ClientVerifier::new(store)
}

fn client(version: ProtocolVersion, cert: Option<(&[u8], &[u8])>) -> ClientConfig {
    let mut c = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    c.min_version = version;
    c.max_version = version;
    match cert {
        Some((crt, key)) => {
            c.with_client_cert(alloc::vec![crt.to_vec()], SigningKey::from_pkcs8_der(key).unwrap()).unwrap()
        }
        None => c,
    }
}

fn server(verifier: X509ClientVerifier) -> ServerConfig {
    let mut s = server_config("p256");
    s.client_verifier = Some(Arc::new(verifier));
    s
}

fn run(cc: ClientConfig, sc: ServerConfig) -> (Connection, Connection, Option<Error>, Option<Error>) {
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(3)).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(4)).unwrap();
    c.set_now(NOW);
    s.set_now(NOW);
    let (ce, se) = pump(&mut c, &mut s);
    (c, s, ce, se)
}

const VERSIONS: [ProtocolVersion; 2] = [ProtocolVersion::Tls13, ProtocolVersion::Tls12];

#[test]
fn every_client_key_type_authenticates_in_both_versions() {
    for version in VERSIONS {
        for (kind, crt, key) in CLIENT_KEYS {
            let (mut c, mut s, ce, se) = run(client(version, Some((crt, key))), server(verifier()));
            assert_eq!((ce, se), (None, None), "{version:?} {kind}");
            assert_eq!(s.protocol_version(), Some(version));
            assert_eq!(s.peer_certificates(), &[crt.to_vec()], "{version:?} {kind}");
            assert!(c.sent_client_certificate());
            super::exchange(&mut c, &mut s, 100);
        }
    }
}

#[test]
fn a_missing_certificate_is_refused_or_allowed_as_configured() {
    for (version, alert, error) in [
        (ProtocolVersion::Tls13, AlertDescription::CERTIFICATE_REQUIRED, Error::CertificateRequired),
        (
            ProtocolVersion::Tls12,
            AlertDescription::HANDSHAKE_FAILURE,
            Error::HandshakeFailure { what: "client certificate required" },
        ),
    ] {
        let (c, _, ce, se) = run(client(version, None), server(verifier()));
        assert_eq!(se, Some(error), "{version:?}");
        assert_eq!(ce, Some(Error::AlertReceived(alert)), "{version:?}");
        assert!(!c.sent_client_certificate());

        let (c, mut s, ce, se) = run(client(version, None), server(verifier().allow_unauthenticated()));
        assert_eq!((ce, se), (None, None), "{version:?}");
        assert!(s.peer_certificates().is_empty() && !c.sent_client_certificate());
        assert_eq!(s.poll_event(), Some(Event::HandshakeComplete));
    }
}

#[test]
fn untrusted_or_wrong_purpose_certificates_are_rejected() {
    let (_, p256_crt, p256_key) = super::KEYS.iter().find(|(k, _, _)| *k == "p256").unwrap();
    for version in VERSIONS {
        // Wrong purpose: extKeyUsage serverAuth only.
        let (_, _, ce, se) = run(client(version, Some(SERVER_ONLY)), server(verifier()));
        assert!(matches!(se, Some(Error::CertificateRejected(e)) if e.reason == Reason::InvalidPurpose), "{se:?}");
        assert_eq!(ce, Some(Error::AlertReceived(AlertDescription::UNSUPPORTED_CERTIFICATE)));
        // A self-signed certificate the store does not hold.
        let (_, _, ce, se) = run(client(version, Some((p256_crt, p256_key))), server(verifier()));
        assert!(matches!(se, Some(Error::CertificateRejected(_))), "{se:?}");
        assert!(matches!(ce, Some(Error::AlertReceived(_))), "{ce:?}");
    }
}

#[test]
fn a_certificate_verify_by_another_key_is_decrypt_error() {
    let (_, p256_crt, _) = CLIENT_KEYS[0];
    for version in VERSIONS {
        let mut cc = client(version, None);
        // The fields are public, so a caller can pair a chain with the
        // wrong key; the server must catch it.
        cc.client_cert = Some(CertifiedKey {
            chain: alloc::vec![p256_crt.to_vec()],
            key: Arc::new(SigningKey::from_pkcs8_der(SERVER_ONLY.1).unwrap()),
        });
        let (_, _, ce, se) = run(cc, server(verifier()));
        assert!(matches!(se, Some(Error::DecryptError { .. })), "{version:?} {se:?}");
        assert_eq!(ce, Some(Error::AlertReceived(AlertDescription::DECRYPT_ERROR)));
    }
}

#[test]
fn certified_key_checks_the_pair_and_no_request_means_no_certificate() {
    let (_, crt, _) = CLIENT_KEYS[0];
    let wrong = SigningKey::from_pkcs8_der(SERVER_ONLY.1).unwrap();
    assert_eq!(
        CertifiedKey::new(alloc::vec![crt.to_vec()], wrong).unwrap_err(),
        Error::Config { what: "key does not match the certificate" }
    );
    assert!(CertifiedKey::new(Vec::new(), SigningKey::from_pkcs8_der(CLIENT_KEYS[0].2).unwrap()).is_err());
    // A server that asks for nothing gets nothing, in both versions.
    for version in VERSIONS {
        let (_, crt, key) = CLIENT_KEYS[2];
        let (c, s, ce, se) = run(client(version, Some((crt, key))), server_config("p256"));
        assert_eq!((ce, se), (None, None));
        assert!(!c.sent_client_certificate() && s.peer_certificates().is_empty());
    }
}

#[test]
fn certificate_request_codecs_round_trip_and_refuse_junk() {
    let req = msgs::CertificateRequest {
        context: Vec::new(),
        signature_algorithms: alloc::vec![SignatureScheme::ED25519, SignatureScheme::RSA_PSS_RSAE_SHA256],
        compress_certificate: alloc::vec![CertificateCompressionAlgorithm::ZLIB],
    };
    let mut out = Vec::new();
    req.encode(&mut out);
    assert_eq!(msgs::CertificateRequest::decode(&out).unwrap(), req);
    // No signature_algorithms: missing_extension.
    assert!(matches!(msgs::CertificateRequest::decode(&[0, 0, 0]), Err(Error::MissingExtension { .. })));
    assert!(msgs::CertificateRequest::decode(&out[..out.len() - 1]).is_err());

    let req = tls12::msgs::CertificateRequest12 {
        cert_types: alloc::vec![1, 64],
        schemes: alloc::vec![SignatureScheme::ED25519],
    };
    let mut out = Vec::new();
    req.encode(&mut out);
    assert_eq!(tls12::msgs::CertificateRequest12::decode(&out).unwrap(), req);
    assert!(tls12::msgs::CertificateRequest12::decode(&[0, 0, 0, 0, 0]).is_err());
    out.push(0);
    assert!(tls12::msgs::CertificateRequest12::decode(&out).is_err());
}
