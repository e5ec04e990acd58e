//! Unit tests of the classical key types in the facade: container round
//! trips, every named scheme, agreement, traditional files, the parameter
//! rules, and no-panic properties of the loaders.

use super::*;
use crate::asn1::oid;
use crate::hash::HashAlgorithm;
use crate::rng::HmacDrbg;

const RSA_2048: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/rsa/key2048.der"));

fn rng() -> HmacDrbg {
    HmacDrbg::new(HashAlgorithm::Sha256, &[5; 32], b"classical pkey tests", b"").unwrap()
}

/// One key of every classical type (RSA from the fixture: generation is
/// slow).
fn keys() -> Vec<PrivateKey> {
    let mut rng = rng();
    let rsa = RsaPrivateKey::from_pkcs1_der(RSA_2048).unwrap();
    let mut out = alloc::vec![PrivateKey::Rsa(rsa.clone()), PrivateKey::RsaPss(rsa, None)];
    for alg in Algorithm::CLASSICAL {
        if !matches!(alg, Algorithm::Rsa | Algorithm::RsaPss) {
            out.push(PrivateKey::generate(alg, &mut rng).unwrap());
        }
    }
    out
}

#[test]
fn names_and_oids() {
    for alg in Algorithm::CLASSICAL {
        assert_eq!(Algorithm::from_name(alg.name()), Some(alg), "{alg:?}");
        assert!(!alg.is_post_quantum());
    }
    assert_eq!(Algorithm::from_name("ec"), Some(Algorithm::Ec(EcCurve::P256)));
    assert_eq!(Algorithm::from_name("secp384r1"), Some(Algorithm::Ec(EcCurve::P384)));
    assert_eq!(Algorithm::from_name("prime256v1"), Some(Algorithm::Ec(EcCurve::P256)));
    assert_eq!(Algorithm::from_oid(oid::ED448), Some(Algorithm::Ed448));
    assert_eq!(Algorithm::from_oid(oid::EC_PUBLIC_KEY), None, "the curve is in the parameters");
    assert!(!Algorithm::X25519.is_signature());
    assert!(Algorithm::Ec(EcCurve::P521).is_signature());
}

#[test]
fn containers_round_trip() {
    for key in keys() {
        let alg = key.algorithm();
        let der = key.to_pkcs8_der(PrivateKeyForm::Default).unwrap();
        let back = PrivateKey::from_pkcs8_der(&der).unwrap();
        assert_eq!(back.algorithm(), alg);
        assert_eq!(back.public_key(), key.public_key(), "{alg:?}");
        assert_eq!(&*back.to_pkcs8_der(PrivateKeyForm::Default).unwrap(), &*der);
        let pem_text = key.to_pkcs8_pem(PrivateKeyForm::Default).unwrap();
        assert_eq!(PrivateKey::read(pem_text.as_bytes(), None).unwrap().public_key(), key.public_key());
        let enc = key.to_pkcs8_encrypted_pem(PrivateKeyForm::Default, b"pw", &mut rng()).unwrap();
        assert_eq!(PrivateKey::read(enc.as_bytes(), Some(b"pw")).unwrap().public_key(), key.public_key());

        let public = key.public_key();
        assert_eq!(public.algorithm(), alg);
        let spki = public.to_spki_der();
        assert_eq!(PublicKey::from_spki_der(&spki).unwrap(), public);
        assert_eq!(PublicKey::read(&spki).unwrap(), public);
        assert_eq!(PublicKey::read(public.to_spki_pem().as_bytes()).unwrap(), public);
        assert_eq!(PublicKey::from_raw(alg, public.as_bytes()).unwrap(), public);
    }
}

#[test]
fn traditional_files() {
    for key in keys() {
        match key.to_traditional_der() {
            Ok((der, label)) => {
                let back = PrivateKey::read(&der, None).unwrap();
                assert_eq!(back.public_key().as_bytes(), key.public_key().as_bytes());
                let text = pem::encode(label, &der);
                let back = PrivateKey::read(text.as_bytes(), None).unwrap();
                assert_eq!(back.public_key().as_bytes(), key.public_key().as_bytes());
            }
            Err(e) => {
                assert!(matches!(e, Error::Unsupported { .. }));
                assert!(!matches!(key, PrivateKey::Rsa(_) | PrivateKey::Ec(_)));
            }
        }
    }
    let rsa = PrivateKey::Rsa(RsaPrivateKey::from_pkcs1_der(RSA_2048).unwrap());
    let pkcs1 = rsa.public_key().to_pkcs1_der().unwrap();
    let text = pem::encode(RSA_PUBLIC_KEY_PEM_LABEL, &pkcs1);
    assert_eq!(PublicKey::read(text.as_bytes()).unwrap(), rsa.public_key());
    assert_eq!(PublicKey::read(&pkcs1).unwrap(), rsa.public_key());
    let ed = PrivateKey::generate(Algorithm::Ed25519, &mut rng()).unwrap();
    assert!(matches!(ed.public_key().to_pkcs1_der(), Err(Error::Unsupported { .. })));
}

#[test]
fn every_signature_scheme_verifies_and_binds() {
    let mut rng = rng();
    let sha256 = HashAlgorithm::Sha256;
    let pss = |salt| SignatureScheme::RsaPss { hash: sha256, mgf1: sha256, salt };
    for key in keys() {
        let schemes: Vec<SignatureScheme> = match key.algorithm() {
            Algorithm::Rsa => alloc::vec![
                SignatureScheme::RsaPkcs1v15(sha256),
                SignatureScheme::RsaPkcs1v15(HashAlgorithm::Sha512),
                pss(PssSalt::Digest),
                pss(PssSalt::Max),
                pss(PssSalt::Exact(7)),
            ],
            Algorithm::RsaPss => alloc::vec![pss(PssSalt::Auto)],
            Algorithm::Ec(curve) => alloc::vec![SignatureScheme::Ecdsa(curve.default_hash())],
            Algorithm::Ed25519 | Algorithm::Ed448 => alloc::vec![SignatureScheme::Pure],
            _ => {
                assert!(matches!(key.sign_with(SignatureScheme::Pure, b"m", &mut rng), Err(Error::Unsupported { .. })));
                continue;
            }
        };
        let public = key.public_key();
        for scheme in schemes {
            let sig = key.sign_with(scheme, b"message", &mut rng).unwrap();
            public.verify_with(scheme, b"message", &sig).unwrap();
            assert!(public.verify_with(scheme, b"massage", &sig).is_err(), "{scheme:?}");
            if let SignatureScheme::RsaPss { salt, .. } = scheme {
                // Auto recovers any salt length on verification.
                public.verify_with(pss(PssSalt::Auto), b"message", &sig).unwrap();
                if salt == PssSalt::Exact(7) {
                    assert!(public.verify_with(pss(PssSalt::Digest), b"message", &sig).is_err());
                }
            }
            if let Some(hash) = scheme.hash() {
                let digest = hash.hash(b"message");
                let sig = key.sign_digest(scheme, &digest, &mut rng).unwrap();
                public.verify_with(scheme, b"message", &sig).unwrap();
                public.verify_digest(scheme, &digest, &sig).unwrap();
                assert!(matches!(key.sign_digest(scheme, &digest[1..], &mut rng), Err(Error::InvalidLength { .. })));
            }
        }
    }
    // An RSA-PSS key refuses PKCS #1 v1.5.
    let pss_key = PrivateKey::RsaPss(RsaPrivateKey::from_pkcs1_der(RSA_2048).unwrap(), None);
    let v15 = SignatureScheme::RsaPkcs1v15(sha256);
    assert!(matches!(pss_key.sign_with(v15, b"m", &mut rng), Err(Error::Unsupported { .. })));
    // Pure signing with a context, and without a scheme for RSA.
    let ed = PrivateKey::generate(Algorithm::Ed448, &mut rng).unwrap();
    let sig = ed.sign::<HmacDrbg>(b"m", b"ctx", None).unwrap();
    ed.public_key().verify(b"m", b"ctx", &sig).unwrap();
    assert!(ed.public_key().verify(b"m", b"", &sig).is_err());
    assert!(matches!(pss_key.sign::<HmacDrbg>(b"m", b"", None), Err(Error::Unsupported { .. })));
}

/// An `id-RSASSA-PSS` key with restrictions signs and verifies only with
/// its hashes and at least its salt, and keeps them through PKCS #8 and
/// SPKI.
#[test]
fn pss_restrictions_are_kept_and_enforced() {
    let mut rng = rng();
    let sha256 = HashAlgorithm::Sha256;
    let r = RsassaPssParams { hash: sha256, mgf1_hash: sha256, salt_len: 32 };
    let key = PrivateKey::RsaPss(RsaPrivateKey::from_pkcs1_der(RSA_2048).unwrap(), Some(r));
    let der = key.to_pkcs8_der(PrivateKeyForm::Default).unwrap();
    let key = PrivateKey::from_pkcs8_der(&der).unwrap();
    assert_eq!(key.pss_restrictions(), Some(&r));
    let public = PublicKey::from_spki_der(&key.public_key().to_spki_der()).unwrap();
    assert_eq!(public.pss_restrictions(), Some(&r));
    let pss = |hash, mgf1, salt| SignatureScheme::RsaPss { hash, mgf1, salt };
    // Auto signs with the minimum salt: an exact-32 verifier accepts it.
    let sig = key.sign_with(pss(sha256, sha256, PssSalt::Auto), b"m", &mut rng).unwrap();
    public.verify_with(pss(sha256, sha256, PssSalt::Exact(32)), b"m", &sig).unwrap();
    public.verify_with(pss(sha256, sha256, PssSalt::Auto), b"m", &sig).unwrap();
    let long = key.sign_with(pss(sha256, sha256, PssSalt::Max), b"m", &mut rng).unwrap();
    public.verify_with(pss(sha256, sha256, PssSalt::Auto), b"m", &long).unwrap();
    // Another hash, another MGF1 hash or too little salt: refused both ways.
    let sha384 = HashAlgorithm::Sha384;
    for bad in [
        pss(sha384, sha384, PssSalt::Auto),
        pss(sha256, sha384, PssSalt::Auto),
        pss(sha256, sha256, PssSalt::Exact(31)),
    ] {
        assert!(matches!(key.sign_with(bad, b"m", &mut rng), Err(Error::InvalidParameter { .. })), "{bad:?}");
        assert!(matches!(public.verify_with(bad, b"m", &sig), Err(Error::InvalidParameter { .. })), "{bad:?}");
    }
    // A signature with less salt than the minimum, made by the same RSA key
    // without restrictions, fails `Auto` verification under them.
    let free = PrivateKey::RsaPss(RsaPrivateKey::from_pkcs1_der(RSA_2048).unwrap(), None);
    let short = free.sign_with(pss(sha256, sha256, PssSalt::Exact(16)), b"m", &mut rng).unwrap();
    free.public_key().verify_with(pss(sha256, sha256, PssSalt::Auto), b"m", &short).unwrap();
    assert!(matches!(
        public.verify_with(pss(sha256, sha256, PssSalt::Auto), b"m", &short),
        Err(Error::VerificationFailed)
    ));
}

#[test]
fn rsa_encryption_both_paddings() {
    let mut rng = rng();
    let key = PrivateKey::Rsa(RsaPrivateKey::from_pkcs1_der(RSA_2048).unwrap());
    let public = key.public_key();
    let sha256 = HashAlgorithm::Sha256;
    let schemes = [
        EncryptionScheme::RsaPkcs1v15,
        EncryptionScheme::OAEP_SHA1,
        EncryptionScheme::RsaOaep { hash: sha256, mgf1: sha256, label: b"label" },
    ];
    for scheme in schemes {
        let ct = public.encrypt(scheme, b"secret", &mut rng).unwrap();
        assert_eq!(&**key.decrypt(scheme, &ct, &mut rng).unwrap(), b"secret");
        let mut bad = ct.clone();
        bad[5] ^= 1;
        assert!(matches!(key.decrypt(scheme, &bad, &mut rng), Err(Error::DecryptionFailed)));
    }
    let other_label = EncryptionScheme::RsaOaep { hash: sha256, mgf1: sha256, label: b"other" };
    let ct = public.encrypt(schemes[2], b"secret", &mut rng).unwrap();
    assert!(key.decrypt(other_label, &ct, &mut rng).is_err());
    let ec = PrivateKey::generate(Algorithm::Ec(EcCurve::P256), &mut rng).unwrap();
    assert!(matches!(ec.public_key().encrypt(schemes[0], b"x", &mut rng), Err(Error::Unsupported { .. })));
}

#[test]
fn key_agreement_agrees() {
    let mut rng = rng();
    let agreeing = [
        Algorithm::Ec(EcCurve::P256),
        Algorithm::Ec(EcCurve::P384),
        Algorithm::Ec(EcCurve::P521),
        Algorithm::Ec(EcCurve::Secp256k1),
        Algorithm::X25519,
        Algorithm::X448,
    ];
    for alg in agreeing {
        let a = PrivateKey::generate(alg, &mut rng).unwrap();
        let b = PrivateKey::generate(alg, &mut rng).unwrap();
        let ab = a.derive(&b.public_key()).unwrap();
        assert_eq!(ab, b.derive(&a.public_key()).unwrap(), "{alg:?}");
        assert!(!ab.is_empty());
    }
    let p256 = PrivateKey::generate(Algorithm::Ec(EcCurve::P256), &mut rng).unwrap();
    let p384 = PrivateKey::generate(Algorithm::Ec(EcCurve::P384), &mut rng).unwrap();
    let x = PrivateKey::generate(Algorithm::X25519, &mut rng).unwrap();
    assert!(matches!(p256.derive(&p384.public_key()), Err(Error::InvalidKey { .. })));
    assert!(matches!(x.derive(&p256.public_key()), Err(Error::InvalidKey { .. })));
    let ed = PrivateKey::generate(Algorithm::Ed25519, &mut rng).unwrap();
    assert!(matches!(ed.derive(&x.public_key()), Err(Error::Unsupported { .. })));
    // A small-order X25519 peer (u = 0) gives an all-zero secret: refused.
    let zero = PublicKey::from_raw(Algorithm::X25519, &[0; 32]).unwrap();
    assert!(matches!(x.derive(&zero), Err(Error::InvalidKey { .. })));
}

#[test]
fn parameter_rules_and_malformed_keys() {
    let mut rng = rng();
    let null = [0x05, 0x00];
    let seed = [
        0x04, 0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
        28, 29, 30, 31, 32,
    ];
    let ok = PrivateKeyInfo::new(oid::ED25519, None, &seed).to_der();
    assert_eq!(PrivateKey::from_pkcs8_der(&ok).unwrap().algorithm(), Algorithm::Ed25519);
    let with_params = PrivateKeyInfo::new(oid::ED25519, Some(&null), &seed).to_der();
    assert!(matches!(PrivateKey::from_pkcs8_der(&with_params), Err(Error::Malformed { .. })));
    let wrong_len = PrivateKeyInfo::new(oid::X448, None, &seed).to_der();
    assert!(matches!(PrivateKey::from_pkcs8_der(&wrong_len), Err(Error::InvalidLength { .. })));
    let no_curve = PrivateKeyInfo::new(oid::EC_PUBLIC_KEY, None, &seed).to_der();
    assert!(matches!(PrivateKey::from_pkcs8_der(&no_curve), Err(Error::Unsupported { .. })));
    let pss_params = [0x30, 0x00];
    let rsa = RsaPrivateKey::from_pkcs1_der(RSA_2048).unwrap().to_pkcs1_der();
    // Empty RSASSA-PSS-params: every field at its DEFAULT (SHA-1, 20).
    let restricted = PrivateKeyInfo::new(oid::RSASSA_PSS, Some(&pss_params), &rsa).to_der();
    let key = PrivateKey::from_pkcs8_der(&restricted).unwrap();
    assert_eq!(key.pss_restrictions(), Some(&RsassaPssParams::DEFAULT));
    assert_eq!(*key.to_pkcs8_der(PrivateKeyForm::Default).unwrap(), *restricted);
    // Trailer field 2 is not RSASSA-PSS as anyone implements it.
    let trailer = [0x30, 0x05, 0xa3, 0x03, 0x02, 0x01, 0x02];
    let odd = PrivateKeyInfo::new(oid::RSASSA_PSS, Some(&trailer), &rsa).to_der();
    assert!(matches!(PrivateKey::from_pkcs8_der(&odd), Err(Error::Unsupported { .. })));
    let bad_null = PrivateKeyInfo::new(oid::RSA_ENCRYPTION, Some(&pss_params), &rsa).to_der();
    assert!(matches!(PrivateKey::from_pkcs8_der(&bad_null), Err(Error::Malformed { .. })));
    // rsaEncryption with absent parameters is accepted too.
    let absent = PrivateKeyInfo::new(oid::RSA_ENCRYPTION, None, &rsa).to_der();
    assert_eq!(PrivateKey::from_pkcs8_der(&absent).unwrap().algorithm(), Algorithm::Rsa);
    // A P-256 key under the P-384 OID.
    let p256 = PrivateKey::generate(Algorithm::Ec(EcCurve::P256), &mut rng).unwrap();
    let PrivateKey::Ec(ec) = &p256 else { unreachable!() };
    let p384_params = EcCurve::P384.parameters();
    let wrong_curve = PrivateKeyInfo::new(oid::EC_PUBLIC_KEY, Some(&p384_params), &ec.to_pkcs8_octets()).to_der();
    assert!(PrivateKey::from_pkcs8_der(&wrong_curve).is_err());
    // A point off the curve.
    let mut point = p256.public_key().as_bytes().to_vec();
    point[40] ^= 1;
    assert!(PublicKey::from_raw(Algorithm::Ec(EcCurve::P256), &point).is_err());
    assert!(matches!(PublicKey::from_raw(Algorithm::X448, &[1; 32]), Err(Error::InvalidLength { .. })));
    // Garbage PEM labels and legacy encryption are typed errors.
    assert!(matches!(
        PublicKey::read(b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n"),
        Err(Error::Malformed { .. })
    ));
    let legacy = b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMAA=\n-----END RSA PRIVATE KEY-----\n";
    assert!(PrivateKey::read(legacy, Some(b"pw")).is_err());
}

#[test]
fn text_matches_openssl_layout() {
    let rsa = PrivateKey::Rsa(RsaPrivateKey::from_pkcs1_der(RSA_2048).unwrap());
    let text = private_text(&rsa).unwrap();
    assert!(text.starts_with("Private-Key: (2048 bit, 2 primes)\nmodulus:\n    00:"), "{}", &text[..60]);
    assert!(text.contains("\npublicExponent: 65537 (0x10001)\nprivateExponent:\n"));
    let public = public_text(&rsa.public_key()).unwrap();
    assert!(public.starts_with("Public-Key: (2048 bit)\nModulus:\n"));
    // 256 + 1 bytes of modulus: 17 full lines of 15 and one of 2, the
    // last without a trailing colon.
    let modulus: Vec<&str> = public.lines().skip(2).take(18).collect();
    assert!(modulus[..17].iter().all(|l| l.len() == 4 + 15 * 3 && l.ends_with(':')));
    assert_eq!(modulus[17].len(), 4 + 5);
    let x = PrivateKey::generate(Algorithm::X25519, &mut rng()).unwrap();
    assert!(private_text(&x).unwrap().starts_with("X25519 Private-Key:\npriv:\n"));
    let mlkem = PrivateKey::generate(Algorithm::MlKem(MlKemSet::MlKem512), &mut rng()).unwrap();
    assert!(private_text(&mlkem).is_none());
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn loaders_never_panic(data in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = PrivateKey::read(&data, Some(b"pw"));
            let _ = PublicKey::read(&data);
            let _ = legacy::read_private(&data, None);
        }

        #[test]
        fn classical_octets_never_panic(which in 0usize..10, octets in proptest::collection::vec(any::<u8>(), 0..160)) {
            let alg = Algorithm::CLASSICAL[which];
            let params = classical::parameters(alg);
            let der = PrivateKeyInfo::new(alg.oid(), params.as_deref(), &octets).to_der();
            let _ = PrivateKey::from_pkcs8_der(&der);
            let _ = PublicKey::from_raw(alg, &octets);
        }

        #[test]
        fn mutated_classical_keys_never_panic(which in 0usize..10, flip in any::<usize>(), bit in 0u8..8) {
            let mut rng = rng();
            let alg = Algorithm::CLASSICAL[which];
            let key = if matches!(alg, Algorithm::Rsa | Algorithm::RsaPss) {
                PrivateKey::Rsa(RsaPrivateKey::from_pkcs1_der(RSA_2048).unwrap())
            } else {
                PrivateKey::generate(alg, &mut rng).unwrap()
            };
            let mut der = key.to_pkcs8_der(PrivateKeyForm::Default).unwrap().to_vec();
            let at = flip % der.len();
            der[at] ^= 1 << bit;
            let _ = PrivateKey::from_pkcs8_der(&der);
            let mut spki = key.public_key().to_spki_der();
            let at = flip % spki.len();
            spki[at] ^= 1 << bit;
            let _ = PublicKey::from_spki_der(&spki);
        }
    }
}
