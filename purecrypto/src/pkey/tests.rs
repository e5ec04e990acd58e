use super::*;
use crate::asn1::oid;
use crate::hash::HashAlgorithm;
use crate::rng::{HmacDrbg, RngCore};

fn rng() -> HmacDrbg {
    HmacDrbg::new(HashAlgorithm::Sha256, &[9; 32], b"pkey unit tests", b"").unwrap()
}

/// The DER prefix `SEQUENCE { INTEGER 0, SEQUENCE { OID } , OCTET STRING`
/// of a PKCS #8 key for a 9-byte NIST OID, written out by hand.
fn pkcs8_prefix(total_len: &[u8], algorithm: &[u8], octets_header: &[u8]) -> Vec<u8> {
    let mut out = alloc::vec![0x30];
    out.extend_from_slice(total_len);
    out.extend_from_slice(&[0x02, 0x01, 0x00, 0x30, 0x0b, 0x06, 0x09]);
    out.extend_from_slice(algorithm);
    out.extend_from_slice(octets_header);
    out
}

#[test]
fn names_and_oids_are_unique_and_round_trip() {
    for alg in Algorithm::ALL {
        assert_eq!(Algorithm::from_name(alg.name()), Some(alg));
        assert_eq!(Algorithm::from_name(&alg.name().to_ascii_lowercase()), Some(alg));
        assert_eq!(Algorithm::from_oid(alg.oid()), Some(alg));
    }
    assert_eq!(Algorithm::from_name("SLH-DSA-SHA2-128f").map(Algorithm::oid), Some(oid::SLH_DSA_SHA2_128F));
    assert_eq!(Algorithm::from_name("ML-KEM-999"), None);
}

#[test]
fn mlkem_768_forms_have_the_lamps_structure() {
    let seed = [0x42u8; 64];
    let key = PrivateKey::MlKem(MlKemPrivateKey::from_seed(MlKemSet::MlKem768, &seed));
    let expanded = match &key {
        PrivateKey::MlKem(k) => k.expanded().to_vec(),
        _ => unreachable!(),
    };
    assert_eq!(expanded.len(), 2400);

    let mut want = pkcs8_prefix(&[0x54], oid::ML_KEM_768, &[0x04, 0x42, 0x80, 0x40]);
    want.extend_from_slice(&seed);
    assert_eq!(*key.to_pkcs8_der(PrivateKeyForm::Seed).unwrap(), want);

    let mut want =
        pkcs8_prefix(&[0x82, 0x09, 0x78], oid::ML_KEM_768, &[0x04, 0x82, 0x09, 0x64, 0x04, 0x82, 0x09, 0x60]);
    want.extend_from_slice(&expanded);
    assert_eq!(*key.to_pkcs8_der(PrivateKeyForm::Expanded).unwrap(), want);

    let mut want = pkcs8_prefix(
        &[0x82, 0x09, 0xbe],
        oid::ML_KEM_768,
        &[0x04, 0x82, 0x09, 0xaa, 0x30, 0x82, 0x09, 0xa6, 0x04, 0x40],
    );
    want.extend_from_slice(&seed);
    want.extend_from_slice(&[0x04, 0x82, 0x09, 0x60]);
    want.extend_from_slice(&expanded);
    assert_eq!(*key.to_pkcs8_der(PrivateKeyForm::Both).unwrap(), want);
    assert_eq!(*key.to_pkcs8_der(PrivateKeyForm::Default).unwrap(), want, "OpenSSL's default is seed-priv");

    // SPKI: SEQUENCE { SEQUENCE { OID }, BIT STRING (1184 bytes + pad) }.
    let spki = key.public_key().to_spki_der();
    let mut want = alloc::vec![0x30, 0x82, 0x04, 0xb2, 0x30, 0x0b, 0x06, 0x09];
    want.extend_from_slice(oid::ML_KEM_768);
    want.extend_from_slice(&[0x03, 0x82, 0x04, 0xa1, 0x00]);
    want.extend_from_slice(&expanded[1152..1152 + 1184]);
    assert_eq!(spki, want);
}

#[test]
fn mldsa_44_forms_have_the_lamps_structure() {
    let seed = [0x17u8; 32];
    let key = PrivateKey::MlDsa(MlDsaPrivateKey::from_seed(MlDsaSet::MlDsa44, &seed));
    let mut want = pkcs8_prefix(&[0x34], oid::ML_DSA_44, &[0x04, 0x22, 0x80, 0x20]);
    want.extend_from_slice(&seed);
    assert_eq!(*key.to_pkcs8_der(PrivateKeyForm::Seed).unwrap(), want);
    let both = key.to_pkcs8_der(PrivateKeyForm::Both).unwrap();
    assert_eq!(both.len(), 4 + 3 + 13 + 4 + 4 + 34 + 4 + 2560);
    let spki = key.public_key().to_spki_der();
    assert_eq!(spki[..4], [0x30, 0x82, 0x05, 0x32]);
    assert_eq!(spki[17..22], [0x03, 0x82, 0x05, 0x21, 0x00]);
}

#[test]
fn slhdsa_private_key_is_the_raw_key() {
    let raw: Vec<u8> = (0..64u8).collect();
    let key = PrivateKey::SlhDsa(SlhDsaPrivateKey::from_pkcs8_octets(SlhDsaSet::Sha2_128s, &raw).unwrap());
    let mut want = pkcs8_prefix(&[0x52], oid::SLH_DSA_SHA2_128S, &[0x04, 0x40]);
    want.extend_from_slice(&raw);
    for form in [PrivateKeyForm::Default, PrivateKeyForm::Seed, PrivateKeyForm::Both] {
        assert_eq!(*key.to_pkcs8_der(form).unwrap(), want);
    }
    let spki = key.public_key().to_spki_der();
    let mut want = alloc::vec![0x30, 0x30, 0x30, 0x0b, 0x06, 0x09];
    want.extend_from_slice(oid::SLH_DSA_SHA2_128S);
    want.extend_from_slice(&[0x03, 0x21, 0x00]);
    want.extend_from_slice(&raw[32..]);
    assert_eq!(spki, want);
}

#[test]
fn every_algorithm_round_trips_in_every_form() {
    let mut rng = rng();
    for alg in Algorithm::ALL {
        let key = match alg {
            // Skip key generation for the slow SLH-DSA sets: the encoding
            // takes the root as given.
            Algorithm::SlhDsa(set) => {
                let mut raw = alloc::vec![0u8; set.secret_key_len()];
                rng.try_fill_bytes(&mut raw).unwrap();
                PrivateKey::SlhDsa(SlhDsaPrivateKey::from_pkcs8_octets(set, &raw).unwrap())
            }
            _ => PrivateKey::generate(alg, &mut rng).unwrap(),
        };
        assert_eq!(key.algorithm(), alg);
        let public = key.public_key();
        let spki = public.to_spki_der();
        assert_eq!(PublicKey::from_spki_der(&spki).unwrap(), public);
        assert_eq!(PublicKey::from_spki_pem(public.to_spki_pem().as_bytes()).unwrap(), public);
        for form in [PrivateKeyForm::Default, PrivateKeyForm::Seed, PrivateKeyForm::Expanded, PrivateKeyForm::Both] {
            let der = key.to_pkcs8_der(form).unwrap();
            let back = PrivateKey::from_pkcs8_der(&der).unwrap();
            assert_eq!(back.public_key(), public, "{} {form:?}", alg.name());
            assert_eq!(*back.to_pkcs8_der(form).unwrap(), *der);
            let pem = key.to_pkcs8_pem(form).unwrap();
            assert_eq!(*PrivateKey::from_pkcs8_pem(pem.as_bytes()).unwrap().to_pkcs8_der(form).unwrap(), *der);
            assert_eq!(*PrivateKey::read(pem.as_bytes(), None).unwrap().to_pkcs8_der(form).unwrap(), *der);
        }
    }
}

#[test]
fn expanded_only_keys_cannot_invent_a_seed() {
    let mut rng = rng();
    for alg in [Algorithm::MlKem(MlKemSet::MlKem512), Algorithm::MlDsa(MlDsaSet::MlDsa65)] {
        let key = PrivateKey::generate(alg, &mut rng).unwrap();
        let expanded = key.to_pkcs8_der(PrivateKeyForm::Expanded).unwrap();
        let loaded = PrivateKey::from_pkcs8_der(&expanded).unwrap();
        assert_eq!(loaded.public_key(), key.public_key());
        assert_eq!(*loaded.to_pkcs8_der(PrivateKeyForm::Default).unwrap(), *expanded);
        for form in [PrivateKeyForm::Seed, PrivateKeyForm::Both] {
            assert!(matches!(loaded.to_pkcs8_der(form), Err(Error::InvalidParameter { .. })));
        }
    }
}

/// Replaces the last byte of the expanded key inside a "both" encoding.
fn flip_last_byte(der: &[u8]) -> Vec<u8> {
    let mut der = der.to_vec();
    let last = der.len() - 1;
    der[last] ^= 1;
    der
}

#[test]
fn both_with_mismatched_halves_is_an_invalid_key() {
    let mut rng = rng();
    for alg in [Algorithm::MlKem(MlKemSet::MlKem1024), Algorithm::MlDsa(MlDsaSet::MlDsa87)] {
        let key = PrivateKey::generate(alg, &mut rng).unwrap();
        let both = key.to_pkcs8_der(PrivateKeyForm::Both).unwrap();
        let err = PrivateKey::from_pkcs8_der(&flip_last_byte(&both)).unwrap_err();
        assert!(matches!(err, Error::InvalidKey { .. }), "{}: {err:?}", alg.name());
    }
}

#[test]
fn rejects_parameters_unknown_oids_and_bad_lengths() {
    let mut rng = rng();
    let key = PrivateKey::generate(Algorithm::MlDsa(MlDsaSet::MlDsa44), &mut rng).unwrap();
    let seed = *match &key {
        PrivateKey::MlDsa(k) => k.seed().unwrap(),
        _ => unreachable!(),
    };
    let null = [0x05, 0x00];
    let mut octets = alloc::vec![0x80, 0x20];
    octets.extend_from_slice(&seed);
    let with_params = PrivateKeyInfo::new(oid::ML_DSA_44, Some(&null), &octets).to_der();
    assert!(matches!(PrivateKey::from_pkcs8_der(&with_params), Err(Error::Malformed { .. })));
    let unknown = PrivateKeyInfo::new(oid::SHA256, None, &octets).to_der();
    assert!(matches!(PrivateKey::from_pkcs8_der(&unknown), Err(Error::Unsupported { .. })));
    // A 32-byte seed under the ML-KEM OID (which needs 64).
    let wrong_set = PrivateKeyInfo::new(oid::ML_KEM_512, None, &octets).to_der();
    assert!(matches!(PrivateKey::from_pkcs8_der(&wrong_set), Err(Error::InvalidLength { .. })));
    // A constructed [0] is not the seed.
    octets[0] = 0xa0;
    let constructed = PrivateKeyInfo::new(oid::ML_DSA_44, None, &octets).to_der();
    assert!(matches!(PrivateKey::from_pkcs8_der(&constructed), Err(Error::Malformed { .. })));

    let spki = key.public_key().to_spki_der();
    let parsed = SubjectPublicKeyInfo::from_der(&spki).unwrap();
    let with_params = SubjectPublicKeyInfo { parameters: Some(&null), ..parsed }.to_der();
    assert!(matches!(PublicKey::from_spki_der(&with_params), Err(Error::Malformed { .. })));
    let short = SubjectPublicKeyInfo { public_key: &parsed.public_key[1..], ..parsed }.to_der();
    assert!(matches!(PublicKey::from_spki_der(&short), Err(Error::InvalidLength { .. })));
}

#[test]
fn v2_public_key_must_match() {
    let mut rng = rng();
    let key = PrivateKey::generate(Algorithm::MlKem(MlKemSet::MlKem512), &mut rng).unwrap();
    let other = PrivateKey::generate(Algorithm::MlKem(MlKemSet::MlKem512), &mut rng).unwrap();
    let octets = match &key {
        PrivateKey::MlKem(k) => k.to_pkcs8_octets(PrivateKeyForm::Seed).unwrap(),
        _ => unreachable!(),
    };
    let mut info = PrivateKeyInfo::new(oid::ML_KEM_512, None, &octets);
    let own = key.public_key();
    info.public_key = Some(own.as_bytes());
    assert!(PrivateKey::from_pkcs8_der(&info.to_der()).is_ok());
    let foreign = other.public_key();
    info.public_key = Some(foreign.as_bytes());
    assert!(matches!(PrivateKey::from_pkcs8_der(&info.to_der()), Err(Error::InvalidKey { .. })));
}

#[test]
fn encrypted_pkcs8_round_trips() {
    let mut rng = rng();
    let key = PrivateKey::generate(Algorithm::MlKem(MlKemSet::MlKem768), &mut rng).unwrap();
    let pem = key.to_pkcs8_encrypted_pem(PrivateKeyForm::Seed, b"hunter2", &mut rng).unwrap();
    assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    let back = PrivateKey::read(pem.as_bytes(), Some(b"hunter2")).unwrap();
    assert_eq!(back.public_key(), key.public_key());
    assert!(matches!(PrivateKey::read(pem.as_bytes(), Some(b"wrong")), Err(Error::DecryptionFailed)));
    assert!(PrivateKey::read(pem.as_bytes(), None).is_err());
}

#[test]
fn sign_verify_and_kem_through_the_facade() {
    let mut rng = rng();
    for alg in [
        Algorithm::MlDsa(MlDsaSet::MlDsa44),
        Algorithm::SlhDsa(SlhDsaSet::Sha2_128f),
        Algorithm::SlhDsa(SlhDsaSet::Shake128f),
    ] {
        let key = PrivateKey::generate(alg, &mut rng).unwrap();
        let public = key.public_key();
        let sig = key.sign(b"message", b"ctx", Some(&mut rng)).unwrap();
        public.verify(b"message", b"ctx", &sig).unwrap();
        assert_eq!(public.verify(b"message", b"", &sig), Err(Error::VerificationFailed));
        let det = key.sign::<HmacDrbg>(b"message", b"", None).unwrap();
        assert_eq!(det, key.sign::<HmacDrbg>(b"message", b"", None).unwrap());
        public.verify(b"message", b"", &det).unwrap();
        assert!(matches!(key.decapsulate(&[0; 768]), Err(Error::Unsupported { .. })));
        assert!(matches!(public.encapsulate(&mut rng), Err(Error::Unsupported { .. })));
    }
    let key = PrivateKey::generate(Algorithm::MlKem(MlKemSet::MlKem768), &mut rng).unwrap();
    let (ct, sent) = key.public_key().encapsulate(&mut rng).unwrap();
    assert_eq!(key.decapsulate(&ct).unwrap(), sent);
    assert!(matches!(key.sign::<HmacDrbg>(b"m", b"", None), Err(Error::Unsupported { .. })));
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn seeded_keys_round_trip(which in 0usize..6, form in 0usize..4, seed in proptest::array::uniform32(any::<u8>())) {
            let alg = Algorithm::ALL[which];
            let mut full = [0u8; 64];
            full[..32].copy_from_slice(&seed);
            full[32..].copy_from_slice(&seed);
            let key = match alg {
                Algorithm::MlKem(set) => PrivateKey::MlKem(MlKemPrivateKey::from_seed(set, &full)),
                Algorithm::MlDsa(set) => PrivateKey::MlDsa(MlDsaPrivateKey::from_seed(set, &seed)),
                _ => unreachable!(),
            };
            let form = [PrivateKeyForm::Default, PrivateKeyForm::Seed, PrivateKeyForm::Expanded, PrivateKeyForm::Both][form];
            let der = key.to_pkcs8_der(form).unwrap();
            let back = PrivateKey::from_pkcs8_der(&der).unwrap();
            prop_assert_eq!(back.public_key(), key.public_key());
            prop_assert_eq!(&*back.to_pkcs8_der(form).unwrap(), &*der);
            let spki = key.public_key().to_spki_der();
            prop_assert_eq!(PublicKey::from_spki_der(&spki).unwrap(), key.public_key());
        }

        #[test]
        fn decoders_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = PrivateKey::from_pkcs8_der(&data);
            let _ = PublicKey::from_spki_der(&data);
            crate::pkey::fuzz::fuzz_pkey(&data);
        }

        #[test]
        fn mutated_keys_never_panic(which in 0usize..18, flip in any::<usize>(), bit in 0u8..8) {
            let alg = Algorithm::ALL[which];
            let octets = match alg {
                Algorithm::SlhDsa(set) => alloc::vec![7u8; set.secret_key_len()],
                Algorithm::MlKem(_) => [&[0x80u8, 0x40][..], &[3u8; 64]].concat(),
                Algorithm::MlDsa(_) => [&[0x80u8, 0x20][..], &[3u8; 32]].concat(),
                _ => unreachable!("ALL holds the post-quantum types"),
            };
            let mut der = PrivateKeyInfo::new(alg.oid(), None, &octets).to_der().to_vec();
            let at = flip % der.len();
            der[at] ^= 1 << bit;
            let _ = PrivateKey::from_pkcs8_der(&der);
        }
    }
}
