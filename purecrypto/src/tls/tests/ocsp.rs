//! `ClientConfig::require_ocsp_good` in memory, TLS 1.3 and 1.2: a good
//! staple passes; a revoked, missing or wrongly signed one ends the
//! handshake with `bad_certificate_status_response`.

use super::*;
use crate::x509::ocsp::{CertId, CertStatus, OcspResponse, ResponseBuilder};
use crate::x509::{Certificate, SigningKey as X509Key};

/// The OpenSSL-made staple saying the `p256` certificate is revoked.
const REVOKED: &[u8] = include_bytes!("../../../tests/data/ocsp/revoked.der");

fn p256() -> (&'static [u8], &'static [u8]) {
    let (_, cert, key) = KEYS.iter().find(|(k, _, _)| *k == "p256").unwrap();
    (cert, key)
}

/// The time the fixtures were made, plus a minute.
fn now() -> i64 {
    OcspResponse::from_der(REVOKED).unwrap().basic.unwrap().produced_at + 60
}

/// A response about the self-signed `p256` certificate (its own issuer)
/// saying `status`, signed by `key`.
fn staple(status: CertStatus, key: &X509Key) -> Vec<u8> {
    let (cert_der, _) = p256();
    let cert = Certificate::from_der(cert_der).unwrap();
    let id = CertId::for_certificate(crate::hash::HashAlgorithm::Sha1, &cert, &cert);
    ResponseBuilder::new(&cert, now())
        .add(id, status, now() - 60, Some(now() + 3600))
        .sign(key, &mut TestRng(3))
        .unwrap()
}

/// Handshakes with `staple` stapled; the client's error, if any.
fn handshake(staple: Option<Vec<u8>>, tls12: bool, require: bool) -> Option<Error> {
    let mut cc = client_config();
    cc.require_ocsp_good = require;
    if tls12 {
        cc.max_version = crate::tls::ProtocolVersion::Tls12;
    }
    let mut sc = server_config("p256");
    sc.ocsp_response = staple;
    let now = u64::try_from(now()).unwrap();
    let mut c = Connection::client_at(Arc::new(cc), "localhost", rng(1), now).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(2)).unwrap();
    let (ce, se) = pump(&mut c, &mut s);
    if ce.is_some() {
        let alert = Error::AlertReceived(AlertDescription::BAD_CERTIFICATE_STATUS_RESPONSE);
        assert_eq!(se, Some(alert), "the server hears why");
    } else {
        assert_eq!(se, None);
        assert!(!c.is_handshaking());
    }
    ce
}

#[test]
fn require_ocsp_good_accepts_good_and_refuses_the_rest() {
    let (_, key) = p256();
    let issuer_key = X509Key::from_pkcs8_der(key).unwrap();
    let other_key = X509Key::Ed25519(crate::ed25519::SigningKey::from_seed(&[5; 32]));
    let good = staple(CertStatus::Good, &issuer_key);
    for tls12 in [false, true] {
        assert_eq!(handshake(Some(good.clone()), tls12, true), None, "tls12 {tls12}");
        for (what, bad) in [
            ("revoked", Some(REVOKED.to_vec())),
            ("missing", None),
            ("wrongly signed", Some(staple(CertStatus::Good, &other_key))),
            ("unknown", Some(staple(CertStatus::Unknown, &issuer_key))),
            ("not OCSP", Some(alloc::vec![0x30, 0x00])),
        ] {
            let err = handshake(bad.clone(), tls12, true);
            assert!(matches!(err, Some(Error::BadCertificateStatus { .. })), "tls12 {tls12} {what}: {err:?}");
            assert_eq!(
                err.and_then(|e| e.alert()),
                Some(AlertDescription::BAD_CERTIFICATE_STATUS_RESPONSE),
                "tls12 {tls12} {what}"
            );
            // Without the option the same staple is only exposed.
            assert_eq!(handshake(bad, tls12, false), None, "tls12 {tls12} {what}");
        }
    }
}

/// The after-the-handshake check (`curl --cert-status`): each staple
/// gets the status or the error it deserves, the leaf's issuer found
/// among the certificates sent (here the self-signed leaf itself).
#[test]
fn verify_stapled_ocsp_reports_status_and_reason() {
    use crate::tls::{StapleError, verify_stapled_ocsp};
    use crate::x509::RevocationReason;
    use crate::x509::ocsp::OcspError;
    let (cert, key) = p256();
    let issuer_key = X509Key::from_pkcs8_der(key).unwrap();
    let other_key = X509Key::Ed25519(crate::ed25519::SigningKey::from_seed(&[5; 32]));
    let chain = [cert.to_vec()];
    let verifier =
        crate::tls::DangerousReportOnlyVerifier::new(crate::tls::X509Verifier::new(crate::x509::TrustStore::new()));
    let at = u64::try_from(now()).unwrap();
    let check = |staple: &[u8], at: u64| verify_stapled_ocsp(&verifier, &chain, staple, at);
    assert_eq!(check(&staple(CertStatus::Good, &issuer_key), at), Ok(CertStatus::Good));
    assert!(matches!(
        check(REVOKED, at),
        Ok(CertStatus::Revoked { reason: Some(RevocationReason::KeyCompromise), .. })
    ));
    assert_eq!(check(&staple(CertStatus::Unknown, &issuer_key), at), Ok(CertStatus::Unknown));
    assert_eq!(check(&staple(CertStatus::Good, &other_key), at), Err(StapleError::Refused(OcspError::BadSignature)));
    assert_eq!(check(&staple(CertStatus::Good, &issuer_key), at + 7200), Err(StapleError::Refused(OcspError::Expired)));
    assert_eq!(check(&[0x30, 0x00], at), Err(StapleError::Malformed));
    // The p256 staple for the (also self-signed, same-named) ed25519
    // leaf: its issuer's key did not sign it.
    let (_, other_cert, _) = KEYS.iter().find(|(k, _, _)| *k == "ed25519").unwrap();
    let good = staple(CertStatus::Good, &issuer_key);
    let e = verify_stapled_ocsp(&verifier, &[other_cert.to_vec()], &good, at);
    assert_eq!(e, Err(StapleError::Refused(OcspError::BadSignature)));
    // A leaf whose issuer neither the chain nor the verifier holds.
    let leaf =
        crate::asn1::pem::decode_label(include_bytes!("../../../tests/data/tls/client-p256.crt.pem"), "CERTIFICATE")
            .unwrap()
            .contents
            .to_vec();
    assert_eq!(verify_stapled_ocsp(&verifier, &[leaf], &good, at), Err(StapleError::NoIssuer));
}
