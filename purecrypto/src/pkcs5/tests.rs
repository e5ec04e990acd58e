use super::*;
use crate::rng::HmacDrbg;

pub(crate) fn test_rng() -> HmacDrbg {
    HmacDrbg::new(HashAlgorithm::Sha256, &[7; 32], b"pkcs5 test", b"").unwrap()
}

fn parse(algorithm: &[u8]) -> Result<Pbes2Params<'_>, Error> {
    let mut r = Reader::new(algorithm);
    let params = Pbes2Params::from_algorithm_identifier(&mut r)?;
    r.finish()?;
    Ok(params)
}

#[test]
fn default_matches_openssl_3_layout() {
    let sealed = encrypt(&EncryptOptions::DEFAULT, b"pw", b"secret", &mut test_rng()).unwrap();
    let params = parse(&sealed.algorithm).unwrap();
    let Kdf::Pbkdf2 { salt, iterations, prf } = params.kdf else { panic!("not PBKDF2") };
    assert_eq!((salt.len(), iterations, prf, params.cipher), (16, 2048, Prf::HmacSha256, Cipher::Aes256Cbc));
    // SEQUENCE { PBES2, SEQUENCE { SEQUENCE { PBKDF2, SEQUENCE { salt,
    // 2048, SEQUENCE { hmacWithSHA256, NULL } } }, SEQUENCE { aes-256-cbc,
    // IV } } }
    let mut expected = hex_literal::hex!("305f06092a864886f70d01050d3052303106092a864886f70d01050c30240410").to_vec();
    expected.extend_from_slice(salt);
    expected
        .extend_from_slice(&hex_literal::hex!("02020800300c06082a864886f70d02090500301d060960864801650304012a0410"));
    expected.extend_from_slice(params.iv);
    assert_eq!(sealed.algorithm, expected);
    assert_eq!(sealed.ciphertext.len(), 16);
}

#[test]
fn round_trips_every_kdf_and_cipher() {
    let prfs = [Prf::HmacSha1, Prf::HmacSha224, Prf::HmacSha256, Prf::HmacSha384, Prf::HmacSha512];
    let ciphers = [Cipher::Aes128Cbc, Cipher::Aes192Cbc, Cipher::Aes256Cbc];
    let mut rng = test_rng();
    for (i, prf) in prfs.into_iter().enumerate() {
        for cipher in ciphers {
            let options = EncryptOptions::new(KdfChoice::Pbkdf2 { prf, iterations: 3 + i as u32 }, cipher);
            let message = alloc::vec![i as u8; 5 + 7 * i];
            let sealed = encrypt(&options, b"password", &message, &mut rng).unwrap();
            let params = parse(&sealed.algorithm).unwrap();
            assert_eq!(params.cipher, cipher);
            let opened = params.decrypt(b"password", &sealed.ciphertext, &Limits::DEFAULT).unwrap();
            assert_eq!(opened.as_slice(), message.as_slice());
        }
    }
    let options = EncryptOptions::new(KdfChoice::Scrypt { n: 16, r: 2, p: 3 }, Cipher::Aes128Cbc);
    let sealed = encrypt(&options, b"pw", b"scrypt message", &mut rng).unwrap();
    let params = parse(&sealed.algorithm).unwrap();
    assert!(matches!(params.kdf, Kdf::Scrypt { n: 16, r: 2, p: 3, .. }));
    assert_eq!(params.decrypt(b"pw", &sealed.ciphertext, &Limits::DEFAULT).unwrap().as_slice(), b"scrypt message");
}

#[test]
fn wrong_password_is_decryption_failed() {
    let sealed = encrypt(&EncryptOptions::DEFAULT, b"right", &[0x30; 40], &mut test_rng()).unwrap();
    let params = parse(&sealed.algorithm).unwrap();
    // A wrong key gives valid padding about once in 256 tries; these
    // passwords were not chosen, so check that none of several succeeds
    // with the right plaintext.
    for wrong in [&b"wrong"[..], b"", b"righ", b"right "] {
        match params.decrypt(wrong, &sealed.ciphertext, &Limits::DEFAULT) {
            Err(e) => assert_eq!(e, Error::DecryptionFailed),
            Ok(p) => assert_ne!(p.as_slice(), &[0x30; 40]),
        }
    }
    let truncated = sealed.ciphertext.get(..sealed.ciphertext.len() - 1).unwrap();
    assert_eq!(params.decrypt(b"right", truncated, &Limits::DEFAULT), Err(Error::DecryptionFailed));
}

#[test]
fn limits_are_checked_before_deriving() {
    let options = EncryptOptions::new(KdfChoice::Pbkdf2 { prf: Prf::HmacSha256, iterations: 1000 }, Cipher::Aes128Cbc);
    let sealed = encrypt(&options, b"pw", b"m", &mut test_rng()).unwrap();
    let params = parse(&sealed.algorithm).unwrap();
    let tight = Limits::new(999, 0);
    assert!(matches!(params.decrypt(b"pw", &sealed.ciphertext, &tight), Err(Error::InvalidParameter { .. })));
    let options = EncryptOptions::new(KdfChoice::Scrypt { n: 1024, r: 8, p: 1 }, Cipher::Aes128Cbc);
    let sealed = encrypt(&options, b"pw", b"m", &mut test_rng()).unwrap();
    let params = parse(&sealed.algorithm).unwrap();
    let tight = Limits::new(u32::MAX, 1024 * 1024);
    assert!(matches!(params.decrypt(b"pw", &sealed.ciphertext, &tight), Err(Error::InvalidParameter { .. })));
    let enough = Limits::new(u32::MAX, 2 * 1024 * 1024);
    assert_eq!(params.decrypt(b"pw", &sealed.ciphertext, &enough).unwrap().as_slice(), b"m");
}

#[test]
fn malformed_and_foreign_parameters() {
    let sealed = encrypt(&EncryptOptions::DEFAULT, b"pw", b"m", &mut test_rng()).unwrap();
    for len in 0..sealed.algorithm.len() {
        assert!(parse(&sealed.algorithm[..len]).is_err());
    }
    // A legacy PKCS #12 scheme is named.
    let mut w = Writer::new();
    w.sequence(|w| {
        w.oid(oid::PBE_SHA1_3DES);
        w.sequence(|w| {
            w.octet_string(&[1; 8]);
            w.small_unsigned(2048);
        });
    });
    let legacy = w.finish();
    assert!(matches!(parse(&legacy), Err(Error::Unsupported { what }) if what.contains("TripleDES")));
    // keyLength that agrees or disagrees with AES-256.
    let with_len = |len: u64| {
        let mut w = Writer::new();
        w.sequence(|w| {
            w.oid(oid::PBES2);
            w.sequence(|w| {
                w.sequence(|w| {
                    w.oid(oid::PBKDF2);
                    w.sequence(|w| {
                        w.octet_string(&[1; 8]);
                        w.small_unsigned(1);
                        w.small_unsigned(len);
                    });
                });
                w.sequence(|w| {
                    w.oid(oid::AES256_CBC);
                    w.octet_string(&[0; 16]);
                });
            });
        });
        w.finish()
    };
    let good = with_len(32);
    let parsed = parse(&good).unwrap();
    assert_eq!(parsed.kdf, Kdf::Pbkdf2 { salt: &[1; 8], iterations: 1, prf: Prf::HmacSha1 });
    assert!(matches!(parse(&with_len(16)), Err(Error::Malformed { .. })));
}
