//! Round trips, every verification failure, OpenSSL-made fixtures and a
//! no-panic property for both decoders.

use alloc::vec::Vec;

use proptest::prelude::*;

use super::*;
use crate::hash::HashAlgorithm;
use crate::rng::HmacDrbg;
use crate::x509::name::encode_name;
use crate::x509::{Certificate, CertificateBuilder, KeyUsage, RevocationReason, SigningKey, oids};

const GOOD_FIXTURE: &[u8] = include_bytes!("../../../tests/data/ocsp/good.der");
const REVOKED_FIXTURE: &[u8] = include_bytes!("../../../tests/data/ocsp/revoked.der");
const FIXTURE_SERIAL: &str = "4656C33194AF5529A4B0B2C83ADA4228F1E787CB";
const FIXTURE_ISSUER: &[u8] = include_bytes!("../../../tests/data/tls/p256.crt.pem");

const T0: i64 = 1_798_761_600;
const DAY: i64 = 86_400;

fn rng() -> HmacDrbg {
    HmacDrbg::new(HashAlgorithm::Sha256, &[9; 32], b"", b"ocsp tests").unwrap()
}

fn key(seed: u8) -> SigningKey {
    SigningKey::Ed25519(crate::ed25519::SigningKey::from_seed(&[seed; 32]))
}

/// A CA, a leaf (serial 0x1234) and responders, all Ed25519.
struct Pki {
    ca_key: SigningKey,
    ca: Vec<u8>,
    leaf: Vec<u8>,
    /// Issued by the CA with id-kp-OCSPSigning.
    delegate_key: SigningKey,
    delegate: Vec<u8>,
    /// Issued by the CA without the EKU.
    no_eku: Vec<u8>,
    /// Another CA, self-signed, with the EKU (trusted only by option).
    other_key: SigningKey,
    other: Vec<u8>,
}

fn cert(subject: &str, key: &SigningKey, issuer: Option<(&str, &SigningKey)>, serial: &[u8], eku: bool) -> Vec<u8> {
    let subject_name = encode_name(&[("CN", subject)]).unwrap();
    let mut b = CertificateBuilder::new(&subject_name, &key.spki_der(), T0 - 30 * DAY, T0 + 30 * DAY).serial(serial);
    let signer = match issuer {
        Some((name, k)) => {
            b = b.issuer(&encode_name(&[("CN", name)]).unwrap());
            k
        }
        None => {
            b = b.basic_constraints(true, None).key_usage(KeyUsage(KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN));
            key
        }
    };
    if eku {
        b = b.ext_key_usage(&[oids::EKU_OCSP_SIGNING]);
    }
    b.sign(signer, &mut rng()).unwrap()
}

fn pki() -> Pki {
    let (ca_key, leaf_key, delegate_key, other_key) = (key(1), key(2), key(3), key(4));
    let ca = cert("OCSP Test CA", &ca_key, None, &[1], false);
    let leaf = cert("leaf", &leaf_key, Some(("OCSP Test CA", &ca_key)), &[0x12, 0x34], false);
    let delegate = cert("Responder", &delegate_key, Some(("OCSP Test CA", &ca_key)), &[5], true);
    let no_eku = cert("Responder", &delegate_key, Some(("OCSP Test CA", &ca_key)), &[6], false);
    let other = cert("Other CA", &other_key, None, &[7], true);
    Pki { ca_key, ca, leaf, delegate_key, delegate, no_eku, other_key, other }
}

fn id(p: &Pki, hash: HashAlgorithm) -> CertId {
    CertId::for_certificate(hash, &Certificate::from_der(&p.ca).unwrap(), &Certificate::from_der(&p.leaf).unwrap())
}

/// A response from `responder` (signed by `key`) about the leaf.
fn respond(p: &Pki, responder: &[u8], key: &SigningKey, status: CertStatus, window: (i64, Option<i64>)) -> Vec<u8> {
    ResponseBuilder::new(&Certificate::from_der(responder).unwrap(), T0)
        .add(id(p, HashAlgorithm::Sha1), status, window.0, window.1)
        .sign(key, &mut rng())
        .unwrap()
}

fn check(p: &Pki, der: &[u8], options: &VerifyOptions<'_>) -> Result<CertStatus, OcspError> {
    let response = OcspResponse::from_der(der).unwrap();
    let ca = Certificate::from_der(&p.ca).unwrap();
    let leaf = Certificate::from_der(&p.leaf).unwrap();
    verify_response(&response, &ca, leaf.serial_der, options)
}

const WINDOW: (i64, Option<i64>) = (T0 - 60, Some(T0 + DAY));

#[test]
fn request_round_trip_and_text() {
    let p = pki();
    for hash in [HashAlgorithm::Sha1, HashAlgorithm::Sha256] {
        let request = OcspRequest::new(id(&p, hash)).with_random_nonce(&mut rng());
        let der = request.to_der();
        let back = OcspRequest::from_der(&der).unwrap();
        assert_eq!(back, request);
        assert_eq!(back.nonce.as_ref().map(Vec::len), Some(18));
        let text = back.text();
        assert!(text.contains(&alloc::format!("Hash Algorithm: {}\n", hash.name())), "{text}");
        assert!(text.contains("Serial Number: 1234\n"), "{text}");
        assert!(text.contains("OCSP Nonce:"), "{text}");
    }
    let plain = OcspRequest::new(id(&p, HashAlgorithm::Sha1));
    assert_eq!(OcspRequest::from_der(&plain.to_der()).unwrap().nonce, None);
    // The SHA-1 hashes are the issuer's subject and key bits.
    let ca = Certificate::from_der(&p.ca).unwrap();
    let sha1 = id(&p, HashAlgorithm::Sha1);
    assert_eq!(sha1.issuer_name_hash, HashAlgorithm::Sha1.hash(ca.subject.der));
    assert_eq!(sha1.issuer_key_hash, HashAlgorithm::Sha1.hash(&p.ca_key.spki_der()[12..]));
}

#[test]
fn request_rejects_bad_shapes() {
    let p = pki();
    let der = OcspRequest::new(id(&p, HashAlgorithm::Sha1)).to_der();
    for cut in 0..der.len() {
        assert!(OcspRequest::from_der(&der[..cut]).is_err(), "cut {cut}");
    }
    // No certificates.
    let empty = OcspRequest { ids: Vec::new(), nonce: None }.to_der();
    assert!(OcspRequest::from_der(&empty).is_err());
    // Too many.
    let many = OcspRequest { ids: alloc::vec![id(&p, HashAlgorithm::Sha1); MAX_ENTRIES + 1], nonce: None };
    assert!(OcspRequest::from_der(&many.to_der()).is_err());
    // A hash of the wrong length for the algorithm.
    let mut short = id(&p, HashAlgorithm::Sha256);
    short.issuer_key_hash.pop();
    assert!(OcspRequest::from_der(&OcspRequest::new(short).to_der()).is_err());
    // A nonce over the limit.
    let long = OcspRequest::new(id(&p, HashAlgorithm::Sha1)).with_nonce(&[1; MAX_NONCE]);
    assert!(OcspRequest::from_der(&long.to_der()).is_err());
}

#[test]
fn response_round_trip_and_statuses() {
    let p = pki();
    let revoked = CertStatus::Revoked { time: T0 - DAY, reason: Some(RevocationReason::KeyCompromise) };
    for status in [CertStatus::Good, revoked, CertStatus::Unknown] {
        let der = respond(&p, &p.ca, &p.ca_key, status, WINDOW);
        let response = OcspResponse::from_der(&der).unwrap();
        let basic = response.basic.as_ref().unwrap();
        assert_eq!(basic.produced_at, T0);
        assert_eq!(basic.responses[0].status, status);
        assert_eq!(basic.responses[0].next_update, WINDOW.1);
        assert_eq!(check(&p, &der, &VerifyOptions::new(T0)), Ok(status));
    }
    let text = OcspResponse::from_der(&respond(&p, &p.ca, &p.ca_key, revoked, WINDOW)).unwrap().text();
    assert!(text.contains("    Responder Id: CN = OCSP Test CA\n"), "{text}");
    assert!(text.contains("    Cert Status: revoked\n"), "{text}");
    assert!(text.contains("    Revocation Reason: keyCompromise (0x1)\n"), "{text}");
}

#[test]
fn delegated_and_trusted_responders() {
    let p = pki();
    let good = CertStatus::Good;
    // Delegated, certificate included, named by key.
    let der = ResponseBuilder::new(&Certificate::from_der(&p.delegate).unwrap(), T0)
        .by_key(&Certificate::from_der(&p.delegate).unwrap())
        .add(id(&p, HashAlgorithm::Sha256), good, WINDOW.0, WINDOW.1)
        .cert(&p.delegate)
        .sign(&p.delegate_key, &mut rng())
        .unwrap();
    assert_eq!(check(&p, &der, &VerifyOptions::new(T0)), Ok(good));
    // The delegate's certificate outside its validity.
    assert_eq!(check(&p, &der, &VerifyOptions::new(T0 + 40 * DAY)), Err(OcspError::UnauthorizedResponder));
    // Without the EKU.
    let der = ResponseBuilder::new(&Certificate::from_der(&p.no_eku).unwrap(), T0)
        .add(id(&p, HashAlgorithm::Sha1), good, WINDOW.0, WINDOW.1)
        .cert(&p.no_eku)
        .sign(&p.delegate_key, &mut rng())
        .unwrap();
    assert_eq!(check(&p, &der, &VerifyOptions::new(T0)), Err(OcspError::UnauthorizedResponder));
    // Another CA with the EKU: refused unless trusted by the caller.
    let mut with_cert = respond(&p, &p.other, &p.other_key, good, WINDOW);
    assert_eq!(check(&p, &with_cert, &VerifyOptions::new(T0)), Err(OcspError::UnauthorizedResponder));
    let mut trusting = VerifyOptions::new(T0);
    trusting.trusted_responders.push(&p.other);
    assert_eq!(check(&p, &with_cert, &trusting), Ok(good));
    with_cert = ResponseBuilder::new(&Certificate::from_der(&p.other).unwrap(), T0)
        .add(id(&p, HashAlgorithm::Sha1), good, WINDOW.0, WINDOW.1)
        .cert(&p.other)
        .sign(&p.other_key, &mut rng())
        .unwrap();
    assert_eq!(check(&p, &with_cert, &VerifyOptions::new(T0)), Err(OcspError::UnauthorizedResponder));
}

#[test]
fn every_failure_kind() {
    let p = pki();
    let good = CertStatus::Good;
    let opts = VerifyOptions::new(T0);
    // Named as the CA, signed by another key.
    let forged = respond(&p, &p.ca, &p.other_key, good, WINDOW);
    assert_eq!(check(&p, &forged, &opts), Err(OcspError::BadSignature));
    // Expired, not yet valid, too old; the skew lets 300 s through.
    let old = respond(&p, &p.ca, &p.ca_key, good, (T0 - 2 * DAY, Some(T0 - DAY)));
    assert_eq!(check(&p, &old, &opts), Err(OcspError::Expired));
    assert_eq!(check(&p, &old, &VerifyOptions::new(T0 - DAY + 299)), Ok(good));
    let future = respond(&p, &p.ca, &p.ca_key, good, (T0 + 600, None));
    assert_eq!(check(&p, &future, &opts), Err(OcspError::NotYetValid));
    let mut strict = VerifyOptions::new(T0 + 10 * DAY);
    strict.max_age = Some(DAY);
    let no_next = respond(&p, &p.ca, &p.ca_key, good, (T0, None));
    assert_eq!(check(&p, &no_next, &VerifyOptions::new(T0 + 10 * DAY)), Ok(good));
    assert_eq!(check(&p, &no_next, &strict), Err(OcspError::TooOld));
    // Nonces.
    let request = OcspRequest::new(id(&p, HashAlgorithm::Sha1)).with_nonce(b"0123456789abcdef");
    let sent = request.nonce.as_deref();
    let mut with_nonce = VerifyOptions::new(T0);
    with_nonce.nonce = sent;
    assert_eq!(check(&p, &respond(&p, &p.ca, &p.ca_key, good, WINDOW), &with_nonce), Err(OcspError::NonceMissing));
    let echo = |n: &[u8]| {
        ResponseBuilder::new(&Certificate::from_der(&p.ca).unwrap(), T0)
            .add(id(&p, HashAlgorithm::Sha1), good, WINDOW.0, WINDOW.1)
            .nonce(Some(n))
            .sign(&p.ca_key, &mut rng())
            .unwrap()
    };
    assert_eq!(check(&p, &echo(sent.unwrap()), &with_nonce), Ok(good));
    assert_eq!(check(&p, &echo(b"\x04\x01x"), &with_nonce), Err(OcspError::NonceMismatch));
    // Another serial, and an ID for another issuer.
    let mut other_serial = id(&p, HashAlgorithm::Sha1);
    other_serial.serial = alloc::vec![0x12, 0x35];
    let mut other_issuer = id(&p, HashAlgorithm::Sha1);
    other_issuer.issuer_key_hash[0] ^= 1;
    for wrong in [other_serial, other_issuer] {
        let der = ResponseBuilder::new(&Certificate::from_der(&p.ca).unwrap(), T0)
            .add(wrong, good, WINDOW.0, WINDOW.1)
            .sign(&p.ca_key, &mut rng())
            .unwrap();
        assert_eq!(check(&p, &der, &opts), Err(OcspError::CertificateNotCovered));
    }
    // An error status.
    for status in [ResponseStatus::TRY_LATER, ResponseStatus::UNAUTHORIZED] {
        let der = error_response(status);
        assert_eq!(check(&p, &der, &opts), Err(OcspError::Unsuccessful(status)));
        assert!(OcspResponse::from_der(&der).unwrap().text().contains(status.name()));
    }
}

#[test]
fn malformed_responses_are_errors() {
    let p = pki();
    let der = respond(&p, &p.delegate, &p.delegate_key, CertStatus::Good, WINDOW);
    for cut in 0..der.len() {
        assert!(OcspResponse::from_der(&der[..cut]).is_err(), "cut {cut}");
    }
    let mut trailing = der.clone();
    trailing.push(0);
    assert!(OcspResponse::from_der(&trailing).is_err());
    // A two-byte status; successful without an answer.
    assert!(OcspResponse::from_der(&[0x30, 0x04, 0x0a, 0x02, 0x00, 0x00]).is_err());
    assert!(OcspResponse::from_der(&[0x30, 0x03, 0x0a, 0x01, 0x00]).is_err());
    // No answers at all.
    let none = ResponseBuilder::new(&Certificate::from_der(&p.ca).unwrap(), T0).sign(&p.ca_key, &mut rng());
    assert!(none.is_err());
}

#[test]
fn reads_openssl_responses() {
    let issuer_der = crate::x509::pem_certificates(FIXTURE_ISSUER).unwrap().remove(0);
    let issuer = Certificate::from_der(&issuer_der).unwrap();
    let good = OcspResponse::from_der(GOOD_FIXTURE).unwrap();
    let basic = good.basic.as_ref().unwrap();
    assert_eq!(basic.responses[0].status, CertStatus::Good);
    let text = good.text();
    assert!(text.contains("    OCSP Response Status: successful (0x0)\n"), "{text}");
    assert!(text.contains(&alloc::format!("      Serial Number: {FIXTURE_SERIAL}\n    Cert Status: good\n")), "{text}");
    let opts = VerifyOptions::new(basic.produced_at);
    assert_eq!(verify_response(&good, &issuer, issuer.serial_der, &opts), Ok(CertStatus::Good));

    let revoked = OcspResponse::from_der(REVOKED_FIXTURE).unwrap();
    // 2026-11-01T00:00:00Z, keyCompromise.
    let expected = CertStatus::Revoked { time: 1_793_491_200, reason: Some(RevocationReason::KeyCompromise) };
    assert_eq!(verify_response(&revoked, &issuer, issuer.serial_der, &opts), Ok(expected));
    let text = revoked.text();
    assert!(text.contains("    Cert Status: revoked\n    Revocation Time: Nov  1 00:00:00 2026 GMT\n"), "{text}");
    assert!(text.contains("    Revocation Reason: keyCompromise (0x1)\n"), "{text}");
    // tryLater, no responseBytes.
    let r = OcspResponse::from_der(&[0x30, 0x03, 0x0a, 0x01, 0x03]).unwrap();
    assert!(r.text().contains("OCSP Response Status: tryLater (0x3)"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary bytes never panic either decoder.
    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = OcspResponse::from_der(&data);
        let _ = OcspRequest::from_der(&data);
        crate::x509::fuzz::fuzz_ocsp(&data);
        crate::x509::fuzz::fuzz_ocsp_request(&data);
    }

    /// Single-byte corruptions of a valid request and response never
    /// panic, and a response that still decodes never verifies as
    /// something it did not say.
    #[test]
    fn corrupted_messages_never_panic(at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let p = pki();
        let mut request = OcspRequest::new(id(&p, HashAlgorithm::Sha1)).with_nonce(b"n").to_der();
        let i = at.index(request.len());
        request[i] = byte;
        crate::x509::fuzz::fuzz_ocsp_request(&request);
        let mut response = respond(&p, &p.ca, &p.ca_key, CertStatus::Unknown, WINDOW);
        let i = at.index(response.len());
        response[i] ^= byte | 1;
        if let Ok(r) = OcspResponse::from_der(&response) {
            let ca = Certificate::from_der(&p.ca).unwrap();
            let leaf = Certificate::from_der(&p.leaf).unwrap();
            let verdict = verify_response(&r, &ca, leaf.serial_der, &VerifyOptions::new(T0));
            prop_assert!(matches!(verdict, Err(_) | Ok(CertStatus::Unknown)), "{verdict:?}");
        }
    }
}
