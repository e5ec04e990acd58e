use super::*;
use crate::asn1::oid;
use crate::pkcs5::EncryptOptions;
use crate::pkcs5::tests::test_rng;
use hex_literal::hex;
use proptest::prelude::*;

/// RFC 8410 section 10.3: an Ed25519 key, v1.
const ED25519_V1: [u8; 48] =
    hex!("302e020100300506032b657004220420d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842");

/// RFC 8410 section 10.3: the same key as v2 with an attribute and the
/// public key.
const ED25519_V2: [u8; 116] = hex!(
    "307202010130 0506032b6570 04220420d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842"
    "a01f301d060a2a864886f70d01090914310f0c0d437572646c6520436861697273"
    "81210019bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1"
);

#[test]
fn reads_rfc8410_v1() {
    let key = PrivateKeyInfo::from_der(&ED25519_V1).unwrap();
    assert_eq!(key.version, Version::V1);
    assert_eq!(key.algorithm, oid::ED25519);
    assert_eq!(key.parameters, None);
    assert_eq!(key.private_key.len(), 34);
    assert_eq!((key.attributes, key.public_key), (None, None));
    assert_eq!(key.to_der().as_slice(), ED25519_V1);
}

#[test]
fn reads_rfc8410_v2_with_attributes_and_public_key() {
    let key = PrivateKeyInfo::from_der(&ED25519_V2).unwrap();
    assert_eq!(key.version, Version::V2);
    assert_eq!(key.public_key.unwrap(), hex!("19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1"));
    assert_eq!(key.attributes.unwrap().len(), 31);
    assert_eq!(key.to_der().as_slice(), ED25519_V2);
    // A v1 structure may not carry the public key.
    let mut v1 = ED25519_V2;
    v1[4] = 0;
    assert!(PrivateKeyInfo::from_der(&v1).is_err());
}

#[test]
fn debug_hides_the_key() {
    let key = PrivateKeyInfo::from_der(&ED25519_V1).unwrap();
    let text = alloc::format!("{key:?}");
    assert!(text.contains("1.3.101.112"));
    assert!(!text.to_lowercase().contains("d4ee") && !text.contains("212"), "{text}");
}

#[test]
fn rejects_bad_structures() {
    for len in 0..ED25519_V2.len() {
        assert!(PrivateKeyInfo::from_der(&ED25519_V2[..len]).is_err());
    }
    let mut version = ED25519_V1;
    version[4] = 2;
    assert!(PrivateKeyInfo::from_der(&version).is_err());
    let mut trailing = ED25519_V1.to_vec();
    trailing.push(0);
    assert!(PrivateKeyInfo::from_der(&trailing).is_err());
}

#[test]
fn encrypt_then_read_any_form() {
    let mut rng = test_rng();
    let der = encrypt(&ED25519_V1, b"secret", &EncryptOptions::DEFAULT, &mut rng).unwrap();
    let info = EncryptedPrivateKeyInfo::from_der(&der).unwrap();
    assert_eq!(info.to_der(), der);
    assert_eq!(info.decrypt(b"secret", &Limits::DEFAULT).unwrap().as_slice(), ED25519_V1);
    assert_eq!(info.decrypt(b"Secret", &Limits::DEFAULT), Err(Error::DecryptionFailed));

    let pem_text = encrypt_pem(&ED25519_V1, b"secret", &EncryptOptions::DEFAULT, &mut rng).unwrap();
    assert!(pem_text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
    let plain_pem = PrivateKeyInfo::from_der(&ED25519_V1).unwrap().to_pem();
    for input in [&der[..], pem_text.as_bytes(), &ED25519_V1[..], plain_pem.as_bytes()] {
        assert_eq!(read(input, Some(b"secret"), &Limits::DEFAULT).unwrap().as_slice(), ED25519_V1);
    }
    assert!(matches!(read(&der, None, &Limits::DEFAULT), Err(Error::InvalidParameter { .. })));
    assert_eq!(read(pem_text.as_bytes(), Some(b"x"), &Limits::DEFAULT), Err(Error::DecryptionFailed));
    assert!(encrypt(b"not a key", b"pw", &EncryptOptions::DEFAULT, &mut rng).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn encrypted_round_trip(key in proptest::collection::vec(any::<u8>(), 0..200), password in proptest::collection::vec(any::<u8>(), 0..20)) {
        let der = PrivateKeyInfo::new(oid::X25519, None, &key).to_der();
        let options = EncryptOptions::new(
            crate::pkcs5::KdfChoice::Pbkdf2 { prf: crate::pkcs5::Prf::HmacSha256, iterations: 2 },
            crate::pkcs5::Cipher::Aes128Cbc,
        );
        let sealed = encrypt(&der, &password, &options, &mut test_rng()).unwrap();
        let back = read(&sealed, Some(&password), &Limits::DEFAULT).unwrap();
        prop_assert_eq!(back.as_slice(), der.as_slice());
    }

    #[test]
    fn write_read_round_trip(
        key in proptest::collection::vec(any::<u8>(), 0..70000),
        params in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)),
        public in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..100)),
        v2 in any::<bool>(),
    ) {
        let params_der = params.map(|p| { let mut w = Writer::new(); w.octet_string(&p); w.finish() });
        let info = PrivateKeyInfo {
            version: if v2 || public.is_some() { Version::V2 } else { Version::V1 },
            algorithm: oid::EC_PUBLIC_KEY,
            parameters: params_der.as_deref(),
            private_key: &key,
            attributes: None,
            public_key: public.as_deref(),
        };
        let der = info.to_der();
        // Sized exactly: no reallocation copied the key around.
        prop_assert_eq!(der.len(), der.capacity());
        prop_assert_eq!(PrivateKeyInfo::from_der(&der).unwrap(), info);
        let pem_text = info.to_pem();
        let back = read(pem_text.as_bytes(), None, &Limits::DEFAULT).unwrap();
        prop_assert_eq!(back.as_slice(), der.as_slice());
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = PrivateKeyInfo::from_der(&data);
        let _ = EncryptedPrivateKeyInfo::from_der(&data);
        let _ = read(&data, Some(b"pw"), &Limits::new(10, 1 << 16));
    }
}
