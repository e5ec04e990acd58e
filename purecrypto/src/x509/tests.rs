//! Build -> parse -> verify round trips for certificates, requests and
//! CRLs, and a proptest over names, SANs and validity.

use alloc::string::ToString;
use alloc::vec;
use alloc::vec::Vec;

use proptest::prelude::*;

use super::*;
use crate::hash::HashAlgorithm;
use crate::rng::HmacDrbg;

fn rng() -> HmacDrbg {
    HmacDrbg::new(HashAlgorithm::Sha256, &[7; 32], b"", b"x509 tests").unwrap()
}

fn ed25519(seed: u8) -> SigningKey {
    SigningKey::Ed25519(crate::ed25519::SigningKey::from_seed(&[seed; 32]))
}

fn p256(seed: u8) -> SigningKey {
    let mut scalar = [seed; 32];
    scalar[0] = 0x11;
    SigningKey::P256(crate::ec::ecdsa::SigningKey::from_bytes(&scalar).unwrap())
}

const T0: i64 = 1_798_761_600;
const YEAR: i64 = 365 * 86_400;

/// Root (P-256) -> intermediate (Ed25519) -> leaf (Ed25519).
fn chain() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let (root_key, int_key, leaf_key) = (p256(1), ed25519(2), ed25519(3));
    let root_name = name::encode_name(&[("C", "US"), ("O", "Test"), ("CN", "Root")]).unwrap();
    let int_name = name::encode_name(&[("CN", "Intermediate")]).unwrap();
    let leaf_name = name::encode_name(&[("CN", "www.example.com")]).unwrap();
    let root = CertificateBuilder::new(&root_name, &root_key.spki_der(), T0 - YEAR, T0 + YEAR)
        .basic_constraints(true, None)
        .key_usage(KeyUsage(KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN))
        .key_identifiers(None)
        .unwrap()
        .sign(&root_key, &mut rng())
        .unwrap();
    let int = CertificateBuilder::new(&int_name, &int_key.spki_der(), T0 - YEAR, T0 + YEAR)
        .issuer(&root_name)
        .serial(&[2])
        .basic_constraints(true, Some(0))
        .key_usage(KeyUsage(KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN))
        .name_constraints(&[GeneralName::Dns("example.com")], &[GeneralName::Ip(&[10, 0, 0, 0, 255, 0, 0, 0])])
        .key_identifiers(Some(&root_key.spki_der()))
        .unwrap()
        .sign(&root_key, &mut rng())
        .unwrap();
    let leaf = CertificateBuilder::new(&leaf_name, &leaf_key.spki_der(), T0 - 10, T0 + 10)
        .issuer(&int_name)
        .serial(&[0x80, 3])
        .basic_constraints(false, None)
        .ext_key_usage(&[oids::EKU_SERVER_AUTH])
        .subject_alt_names(&[GeneralName::Dns("www.example.com"), GeneralName::Ip(&[192, 0, 2, 1])])
        .sign(&int_key, &mut rng())
        .unwrap();
    (root, int, leaf)
}

#[test]
fn built_chain_parses_and_verifies() {
    let (root, int, leaf) = chain();
    let c = Certificate::from_der(&leaf).unwrap();
    assert_eq!(c.version, 3);
    assert_eq!(c.serial, [0x80, 3]);
    assert_eq!(c.subject.to_string(), "CN = www.example.com");
    assert_eq!(c.issuer.to_string(), "CN = Intermediate");
    assert_eq!(c.extensions.dns_names().collect::<Vec<_>>(), ["www.example.com"]);
    let i = Certificate::from_der(&int).unwrap();
    assert_eq!(i.extensions.basic_constraints, Some(BasicConstraints { ca: true, path_len: Some(0) }));
    assert!(i.extensions.name_constraints.is_some());
    assert!(i.extensions.authority_key_id.is_some() && i.extensions.subject_key_id.is_some());
    c.verify_signed_by(i.spki).unwrap();
    assert!(c.verify_signed_by(Certificate::from_der(&root).unwrap().spki).is_err());

    let mut store = TrustStore::new();
    store.add_der(&root).unwrap();
    let options = Options {
        time: T0,
        purpose: Some(Purpose::ServerAuth),
        hostname: Some("www.example.com"),
        ..Options::default()
    };
    let path = verify_chain(&leaf, &[&int], &store, &options).unwrap();
    assert_eq!(path.chain, [&leaf[..], &int[..], &root[..]]);
    let late = Options { time: T0 + 11, ..options.clone() };
    assert_eq!(verify_chain(&leaf, &[&int], &store, &late).unwrap_err(), CertError::new(Reason::Expired, 0));
    let wrong_host = Options { hostname: Some("other.example.com"), ..options.clone() };
    assert_eq!(verify_chain(&leaf, &[&int], &store, &wrong_host).unwrap_err().reason, Reason::HostnameMismatch);
    let ip = Options { hostname: Some("192.0.2.1"), ..options.clone() };
    verify_chain(&leaf, &[&int], &store, &ip).unwrap();
    let client = Options { purpose: Some(Purpose::ClientAuth), ..options.clone() };
    assert_eq!(verify_chain(&leaf, &[&int], &store, &client).unwrap_err().reason, Reason::InvalidPurpose);
    assert_eq!(
        verify_chain(&leaf, &[], &store, &options).unwrap_err(),
        CertError::new(Reason::UnableToGetLocalIssuer, 0)
    );

    let verifier = ServerVerifier::new(store);
    verifier.verify_server(&[&leaf, &int], "www.example.com", T0 as u64).unwrap();
    assert!(matches!(
        verifier.verify_server(&[&leaf, &int], "www.example.org", T0 as u64),
        Err(crate::Error::Certificate(CertError { reason: Reason::HostnameMismatch, depth: 0 }))
    ));
    assert_eq!(leaf_spki(&leaf).unwrap(), ed25519(3).spki_der());
}

#[test]
fn crl_revokes_and_csr_verifies() {
    let (root, int, leaf) = chain();
    let int_key = ed25519(2);
    let int_name = name::encode_name(&[("CN", "Intermediate")]).unwrap();
    let crl = CrlBuilder::new(&int_name, T0 - 100, T0 + 100, 7)
        .revoke(&[0x80, 3], T0 - 50, Some(RevocationReason::KeyCompromise))
        .sign(&int_key, &mut rng())
        .unwrap();
    let parsed = Crl::from_der(&crl).unwrap();
    assert_eq!(parsed.revoked.len(), 1);
    let serial = Certificate::from_der(&leaf).unwrap().serial_der.to_vec();
    assert_eq!(serial, [0, 0x80, 3]);
    assert_eq!(parsed.revocation(&serial).unwrap().reason, Some(RevocationReason::KeyCompromise));
    assert!(parsed.revocation(&[0x80, 3]).is_none());
    parsed.verify_signed_by(&int_key.spki_der()).unwrap();
    let mut store = TrustStore::new();
    store.add_der(&root).unwrap();
    let crls = [&crl[..]];
    let options = Options { time: T0, crls: &crls, ..Options::default() };
    assert_eq!(verify_chain(&leaf, &[&int], &store, &options).unwrap_err(), CertError::new(Reason::Revoked, 0));
    let strict = Options { time: T0, require_crls: CrlCheck::All, ..Options::default() };
    assert_eq!(verify_chain(&leaf, &[&int], &store, &strict).unwrap_err(), CertError::new(Reason::UnableToGetCrl, 0));

    let key = p256(9);
    let subject = name::encode_name(&[("CN", "req.example")]).unwrap();
    let ext = Extension { oid: oids::BASIC_CONSTRAINTS, critical: true, value: &[0x30, 0x00] };
    let der = csr::build_request(&subject, &[ext], &key, &mut rng()).unwrap();
    let req = CertificateRequest::from_der(&der).unwrap();
    req.verify().unwrap();
    assert_eq!(req.extensions.basic_constraints, Some(BasicConstraints { ca: false, path_len: None }));
    let mut bad = der.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert!(CertificateRequest::from_der(&bad).unwrap().verify().is_err());
}

#[test]
fn truncations_never_parse() {
    let (_, int, _) = chain();
    for len in 0..int.len() {
        assert!(Certificate::from_der(&int[..len]).is_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn build_parse_round_trip(
        cn in "[a-zA-Z0-9 .,+-]{1,40}",
        org in "[ -~]{1,30}",
        dns in proptest::collection::vec("[a-z0-9]{1,10}(\\.[a-z0-9]{1,10}){1,3}", 1..4),
        ip in any::<[u8; 4]>(),
        not_before in -2_000_000_000i64..4_000_000_000,
        span in 0i64..2_000_000_000,
        serial in proptest::collection::vec(any::<u8>(), 1..20),
        ca in any::<bool>(),
        path_len in proptest::option::of(0u64..10),
        usage in 0u16..0x200,
    ) {
        let key = ed25519(5);
        let subject = name::encode_name(&[("O", &org), ("CN", &cn)]).unwrap();
        let mut sans: Vec<GeneralName<'_>> = dns.iter().map(|d| GeneralName::Dns(d)).collect();
        sans.push(GeneralName::Ip(&ip));
        let der = CertificateBuilder::new(&subject, &key.spki_der(), not_before, not_before + span)
            .serial(&serial)
            .basic_constraints(ca, path_len)
            .key_usage(KeyUsage(usage))
            .subject_alt_names(&sans)
            .sign(&key, &mut rng())
            .unwrap();
        let cert = Certificate::from_der(&der).unwrap();
        let trimmed: Vec<u8> = serial.iter().copied().skip_while(|&b| b == 0).collect();
        let expected_serial = if trimmed.is_empty() { vec![0] } else { trimmed };
        prop_assert_eq!(cert.serial, &expected_serial[..]);
        prop_assert_eq!(cert.not_before, not_before);
        prop_assert_eq!(cert.not_after, not_before + span);
        prop_assert_eq!(cert.subject.common_names(), vec![cn.clone()]);
        prop_assert_eq!(cert.extensions.basic_constraints, Some(BasicConstraints { ca, path_len }));
        prop_assert_eq!(cert.extensions.key_usage, Some(KeyUsage(usage)));
        prop_assert_eq!(cert.extensions.subject_alt_names.as_ref(), Some(&sans));
        prop_assert!(cert.verify_signed_by(cert.spki).is_ok());
    }

    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        fuzz::fuzz_certificate(&bytes);
        fuzz::fuzz_csr(&bytes);
        fuzz::fuzz_crl(&bytes);
    }
}

/// An `id-RSASSA-PSS` key (the TLS `rsapss` test certificate, self-signed
/// with RSASSA-PSS): chain policy counts its modulus like an
/// rsaEncryption key's, and key parameters bind the signature's (RFC 4055
/// section 3.3).
#[test]
fn rsa_pss_keys_verify_and_their_parameters_bind_signatures() {
    let der = include_bytes!("../../tests/data/tls/rsapss.crt.der");
    let cert = Certificate::from_der(der).unwrap();
    assert_eq!(cert.public_key_info().algorithm, crate::asn1::oid::RSASSA_PSS);
    assert_eq!(algorithm::public_key_bits(cert.spki).unwrap(), 2048);
    let mut store = TrustStore::new();
    store.add_der(der).unwrap();
    let options = Options { time: 1_893_456_000, hostname: Some("localhost"), ..Options::default() };
    verify_chain(der, &[], &store, &options).unwrap();

    let SignatureAlgorithm::RsaPss { hash, mgf_hash, salt_len } = cert.signature_algorithm else {
        panic!("{:?}", cert.signature_algorithm)
    };
    assert_eq!((hash, mgf_hash, salt_len), (HashAlgorithm::Sha256, HashAlgorithm::Sha256, 222));
    let with_params = |params: crate::pkey::RsassaPssParams| {
        let p = params.to_der();
        let spki = crate::asn1::spki::SubjectPublicKeyInfo {
            algorithm: crate::asn1::oid::RSASSA_PSS,
            parameters: Some(&p),
            public_key: cert.public_key_info().public_key,
        };
        spki.to_der()
    };
    let verify = |spki: &[u8]| algorithm::verify_signature(&cert.signature_algorithm, spki, cert.tbs, cert.signature);
    let sha256 = crate::pkey::RsassaPssParams::new(HashAlgorithm::Sha256);
    verify(&with_params(sha256)).unwrap();
    verify(&with_params(crate::pkey::RsassaPssParams { salt_len: 222, ..sha256 })).unwrap();
    for bad in [
        crate::pkey::RsassaPssParams::new(HashAlgorithm::Sha384),
        crate::pkey::RsassaPssParams { mgf1_hash: HashAlgorithm::Sha512, ..sha256 },
        crate::pkey::RsassaPssParams { salt_len: 223, ..sha256 },
    ] {
        assert!(matches!(verify(&with_params(bad)), Err(crate::Error::Unsupported { .. })), "{bad:?}");
    }
}

/// Extensions as `X509V3_EXT_print` gives them at indent 0 (what curl's
/// certificate info shows), checked against `openssl x509 -text` of the
/// same file: the decoded ones, and an unknown one as its raw bytes.
#[test]
fn extension_fields_are_openssls_one_line_values() {
    let pem = include_bytes!("../../tests/data/x509/leaf-critical-unknown.pem");
    let der = pem_certificates(pem).unwrap().remove(0);
    let cert = Certificate::from_der(&der).unwrap();
    let fields = text::extension_fields(&cert);
    let want = [
        ("X509v3 Basic Constraints", "CA:FALSE"),
        ("X509v3 Key Usage", "Digital Signature, Key Encipherment"),
        ("X509v3 Subject Key Identifier", "44:7D:96:41:98:52:A4:74:55:C7:94:C2:D0:03:9E:82:D8:B7:47:7F"),
        ("X509v3 Authority Key Identifier", "71:79:CC:A4:E2:18:B3:0E:3D:3A:2F:EB:EE:60:D5:C3:38:C8:DE:6C"),
        ("X509v3 Extended Key Usage", "TLS Web Server Authentication"),
        ("X509v3 Subject Alternative Name", "DNS:www.example.com"),
        ("1.2.3.4.5", ".."),
    ];
    let got: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert_eq!(got, want);
    assert_eq!(text::public_key_algorithm_name(&cert.public_key_info()), "rsaEncryption");
}
