//! RSA-PSS (`id-RSASSA-PSS`) certificate keys: which `rsa_pss_pss_*`
//! schemes a key signs with under its parameters, which schemes fit which
//! RSA key type, and handshakes in both versions and both roles.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::{KEYS, client_config, connect, exchange, pump, rng, server_config};
use crate::asn1::oid;
use crate::hash::HashAlgorithm;
use crate::pkcs8::PrivateKeyInfo;
use crate::pkey::RsassaPssParams;
use crate::tls::cert::{signed_content, verify_signature};
use crate::tls::*;
use crate::x509::TrustStore;

const PSS_PSS: [SignatureScheme; 3] =
    [SignatureScheme::RSA_PSS_PSS_SHA256, SignatureScheme::RSA_PSS_PSS_SHA384, SignatureScheme::RSA_PSS_PSS_SHA512];

/// 2030-01-01: inside the test certificate's validity.
const NOW: u64 = 1_893_456_000;

fn files(kind: &str) -> (&'static [u8], &'static [u8]) {
    let (_, cert, key) = KEYS.iter().find(|(k, _, _)| *k == kind).unwrap();
    (cert, key)
}

/// The `rsapss` test key re-wrapped with `restrictions` in its PKCS #8
/// `AlgorithmIdentifier`.
fn restricted_pkcs8(restrictions: &RsassaPssParams) -> Vec<u8> {
    let (_, key) = files("rsapss");
    let info = PrivateKeyInfo::from_der(key).unwrap();
    assert_eq!(info.algorithm, oid::RSASSA_PSS);
    assert_eq!(info.parameters, None, "openssl genpkey -algorithm RSA-PSS writes no parameters by default");
    let params = restrictions.to_der();
    PrivateKeyInfo::new(oid::RSASSA_PSS, Some(&params), info.private_key).to_der().to_vec()
}

/// The SPKI of the `rsapss` key with `restrictions`.
fn restricted_spki(restrictions: &RsassaPssParams) -> Vec<u8> {
    crate::pkey::PrivateKey::from_pkcs8_der(&restricted_pkcs8(restrictions)).unwrap().public_key().to_spki_der()
}

#[test]
fn key_parameters_decide_the_schemes() {
    let (_, key) = files("rsapss");
    let pem = include_bytes!("../../../tests/data/tls/rsapss.key.pem");
    for k in [SigningKey::from_pkcs8_der(key).unwrap(), SigningKey::from_pkcs8_pem(pem).unwrap()] {
        assert!(matches!(k, SigningKey::RsaPss(_, None)));
        assert_eq!(k.schemes(), PSS_PSS);
    }
    // An rsaEncryption key keeps to rsa_pss_rsae_*.
    let rsa = SigningKey::from_pkcs8_der(files("rsa2048").1).unwrap();
    assert!(rsa.schemes().iter().all(|s| !PSS_PSS.contains(s)));

    for (hash, scheme) in [HashAlgorithm::Sha256, HashAlgorithm::Sha384, HashAlgorithm::Sha512].into_iter().zip(PSS_PSS)
    {
        let k = SigningKey::from_pkcs8_der(&restricted_pkcs8(&RsassaPssParams::new(hash))).unwrap();
        assert_eq!(k.schemes(), [scheme], "{hash:?}");
        // A smaller minimum salt is still met by a digest-length salt.
        let short_salt = RsassaPssParams { salt_len: 20, ..RsassaPssParams::new(hash) };
        assert_eq!(SigningKey::from_pkcs8_der(&restricted_pkcs8(&short_salt)).unwrap().schemes(), [scheme]);
        let other = PSS_PSS.into_iter().find(|s| *s != scheme).unwrap();
        assert!(k.sign(other, b"m", &mut super::TestRng(1)).is_err(), "{hash:?} key signed with {other:?}");
        assert!(k.sign(SignatureScheme::RSA_PSS_RSAE_SHA256, b"m", &mut super::TestRng(1)).is_err());
    }
    // Parameters no TLS scheme meets: SHA-1 (the DEFAULT), another MGF1
    // hash, a minimum salt longer than the digest.
    let sha256 = RsassaPssParams::new(HashAlgorithm::Sha256);
    for bad in [
        RsassaPssParams::DEFAULT,
        RsassaPssParams { mgf1_hash: HashAlgorithm::Sha384, ..sha256 },
        RsassaPssParams { salt_len: 33, ..sha256 },
    ] {
        assert!(matches!(SigningKey::from_pkcs8_der(&restricted_pkcs8(&bad)), Err(Error::Config { .. })), "{bad:?}");
    }
}

#[test]
fn schemes_must_fit_the_key_type_and_parameters() {
    let mut rng = super::TestRng(5);
    let msg = signed_content(true, &[7; 32]);
    let pss_cert = leaf_spki(files("rsapss").0).unwrap();
    let rsa_cert = leaf_spki(files("rsa2048").0).unwrap();
    let pss = SigningKey::from_pkcs8_der(files("rsapss").1).unwrap();
    let rsa = SigningKey::from_pkcs8_der(files("rsa2048").1).unwrap();
    let illegal = |r: Result<(), Error>| matches!(r, Err(Error::IllegalParameter { .. }));

    for scheme in PSS_PSS {
        let sig = pss.sign(scheme, &msg, &mut rng).unwrap();
        verify_signature(pss_cert, scheme, &msg, &sig).unwrap();
        let mut bad = sig.clone();
        bad[9] ^= 1;
        assert!(matches!(verify_signature(pss_cert, scheme, &msg, &bad), Err(Error::DecryptError { .. })));
        // rsa_pss_pss_* never with an rsaEncryption key, even for a
        // signature that its key made.
        assert!(illegal(verify_signature(rsa_cert, scheme, &msg, &sig)));
        assert!(rsa.sign(scheme, &msg, &mut rng).is_err());
    }
    // rsa_pss_rsae_* never with an id-RSASSA-PSS key: the PSS encoding is
    // the same, so only the key type tells them apart.
    let sig = rsa.sign(SignatureScheme::RSA_PSS_RSAE_SHA256, &msg, &mut rng).unwrap();
    verify_signature(rsa_cert, SignatureScheme::RSA_PSS_RSAE_SHA256, &msg, &sig).unwrap();
    let sig = pss.sign(SignatureScheme::RSA_PSS_PSS_SHA256, &msg, &mut rng).unwrap();
    assert!(illegal(verify_signature(pss_cert, SignatureScheme::RSA_PSS_RSAE_SHA256, &msg, &sig)));
    assert!(pss.sign(SignatureScheme::RSA_PSS_RSAE_SHA256, &msg, &mut rng).is_err());

    // A key restricted to SHA-384 verifies rsa_pss_pss_sha384 only.
    let spki = restricted_spki(&RsassaPssParams::new(HashAlgorithm::Sha384));
    let sig384 = pss.sign(SignatureScheme::RSA_PSS_PSS_SHA384, &msg, &mut rng).unwrap();
    verify_signature(&spki, SignatureScheme::RSA_PSS_PSS_SHA384, &msg, &sig384).unwrap();
    for scheme in [SignatureScheme::RSA_PSS_PSS_SHA256, SignatureScheme::RSA_PSS_PSS_SHA512] {
        let sig = pss.sign(scheme, &msg, &mut rng).unwrap();
        assert!(illegal(verify_signature(&spki, scheme, &msg, &sig)), "{scheme:?}");
    }
    // A minimum salt longer than the digest: no TLS signature qualifies.
    let long_salt = restricted_spki(&RsassaPssParams { salt_len: 49, ..RsassaPssParams::new(HashAlgorithm::Sha384) });
    assert!(illegal(verify_signature(&long_salt, SignatureScheme::RSA_PSS_PSS_SHA384, &msg, &sig384)));
}

/// A server with the `rsapss` certificate whose key is restricted to
/// `hash`.
fn restricted_server(hash: HashAlgorithm, version: ProtocolVersion) -> ServerConfig {
    let key = SigningKey::from_pkcs8_der(&restricted_pkcs8(&RsassaPssParams::new(hash))).unwrap();
    let mut sc = ServerConfig::new(alloc::vec![files("rsapss").0.to_vec()], key).unwrap();
    sc.max_version = version;
    sc
}

#[test]
fn handshakes_use_only_the_schemes_the_key_allows() {
    for version in [ProtocolVersion::Tls13, ProtocolVersion::Tls12] {
        // Each scheme alone, with the unrestricted key.
        for scheme in PSS_PSS {
            let mut cc = client_config();
            cc.max_version = version;
            cc.signature_schemes = alloc::vec![scheme];
            let mut sc = server_config("rsapss");
            sc.max_version = version;
            let (mut c, mut s) = connect(cc, sc);
            assert_eq!(c.protocol_version(), Some(version));
            exchange(&mut c, &mut s, 10);
        }
        // The restricted key finds its scheme among others...
        let mut cc = client_config();
        cc.max_version = version;
        cc.signature_schemes = alloc::vec![SignatureScheme::RSA_PSS_PSS_SHA256, SignatureScheme::RSA_PSS_PSS_SHA512];
        let (mut c, mut s) = connect(cc, restricted_server(HashAlgorithm::Sha512, version));
        exchange(&mut c, &mut s, 10);
        // ...and fails when the client offers another hash, or only the
        // rsaEncryption schemes.
        for offered in [
            alloc::vec![SignatureScheme::RSA_PSS_PSS_SHA384],
            alloc::vec![
                SignatureScheme::RSA_PSS_RSAE_SHA256,
                SignatureScheme::RSA_PSS_RSAE_SHA384,
                SignatureScheme::RSA_PSS_RSAE_SHA512,
                SignatureScheme::RSA_PKCS1_SHA256,
            ],
        ] {
            let mut cc = client_config();
            cc.max_version = version;
            cc.signature_schemes = offered;
            let mut c = Connection::client(Arc::new(cc), "localhost", rng(1)).unwrap();
            let mut s =
                Connection::server(Arc::new(restricted_server(HashAlgorithm::Sha256, version)), rng(2)).unwrap();
            let (ce, se) = pump(&mut c, &mut s);
            assert!(matches!(se, Some(Error::HandshakeFailure { .. })), "{version:?} {se:?}");
            assert_eq!(ce, Some(Error::AlertReceived(AlertDescription::HANDSHAKE_FAILURE)), "{version:?}");
        }
    }
}

#[test]
fn rsa_pss_client_certificate_in_both_versions_through_the_x509_verifiers() {
    let (cert, key) = files("rsapss");
    let store = || {
        let mut store = TrustStore::new();
        store.add_der(cert).unwrap();
        store
    };
    for version in [ProtocolVersion::Tls13, ProtocolVersion::Tls12] {
        let mut cc = ClientConfig::new(Arc::new(X509Verifier::new(store())));
        cc.max_version = version;
        let cc = cc.with_client_cert(alloc::vec![cert.to_vec()], SigningKey::from_pkcs8_der(key).unwrap()).unwrap();
        let mut sc = server_config("rsapss");
        sc.max_version = version;
        sc.client_verifier = Some(Arc::new(X509ClientVerifier::new(store())));
        let mut c = Connection::client(Arc::new(cc), "localhost", rng(3)).unwrap();
        let mut s = Connection::server(Arc::new(sc), rng(4)).unwrap();
        c.set_now(NOW);
        s.set_now(NOW);
        assert_eq!(pump(&mut c, &mut s), (None, None), "{version:?}");
        assert_eq!(s.protocol_version(), Some(version));
        assert_eq!(s.peer_certificates(), &[cert.to_vec()]);
        assert!(c.sent_client_certificate());
        exchange(&mut c, &mut s, 100);
    }
}
