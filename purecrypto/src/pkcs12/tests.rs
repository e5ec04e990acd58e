use super::*;
use crate::Error;
use crate::hash::Hash;
use crate::pkcs5::tests::test_rng;
use crate::pkcs5::{Cipher, EncryptOptions, KdfChoice, Limits, Prf};
use hex_literal::hex;

/// RFC 8410 section 10.3's Ed25519 key.
const KEY: [u8; 48] =
    hex!("302e020100300506032b657004220420d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842");
/// Certificates are opaque here; any bytes do.
const CERT: &[u8] = b"\x30\x03\x02\x01\x05 leaf certificate bytes";
const CA: &[u8] = b"ca certificate bytes";

/// Cheap options so the tests run quickly.
fn fast() -> WriteOptions {
    let mut options = WriteOptions::DEFAULT;
    options.encryption =
        EncryptOptions::new(KdfChoice::Pbkdf2 { prf: Prf::HmacSha256, iterations: 3 }, Cipher::Aes128Cbc);
    options.mac_iterations = 5;
    options
}

#[test]
fn round_trip_like_openssl_export() {
    let pfx =
        write_key_and_certificates(&KEY, CERT, &[CA], Some("my k\u{e9}y"), b"pw", &fast(), &mut test_rng()).unwrap();
    let p12 = read(&pfx, b"pw", &Limits::DEFAULT).unwrap();
    assert!(p12.mac_verified);
    assert_eq!(p12.keys.len(), 1);
    assert_eq!(p12.keys[0].private_key_info.as_slice(), KEY);
    assert_eq!(p12.keys[0].friendly_name.as_deref(), Some("my k\u{e9}y"));
    let id = crate::hash::Sha1::digest(CERT);
    assert_eq!(p12.keys[0].local_key_id.as_deref(), Some(&id[..]));
    assert_eq!(p12.certificates.len(), 2);
    assert_eq!(p12.certificates[0].der, CERT);
    assert_eq!(p12.certificates[0].local_key_id.as_deref(), Some(&id[..]));
    assert_eq!(p12.certificates[1], CertEntry { der: CA.to_vec(), friendly_name: None, local_key_id: None });
    assert_eq!(p12.skipped_bags, 0);
    assert!(!alloc::format!("{:?}", p12.keys[0]).contains("d4ee"));
}

#[test]
fn default_options_round_trip() {
    let pfx = write_key_and_certificates(&KEY, CERT, &[], None, b"", &WriteOptions::DEFAULT, &mut test_rng()).unwrap();
    let p12 = read(&pfx, b"", &Limits::DEFAULT).unwrap();
    assert_eq!(p12.keys[0].private_key_info.as_slice(), KEY);
    assert_eq!(p12.keys[0].friendly_name, None);
}

#[test]
fn wrong_password_and_tampering_fail_the_mac() {
    let pfx = write_key_and_certificates(&KEY, CERT, &[], None, b"pw", &fast(), &mut test_rng()).unwrap();
    assert_eq!(read(&pfx, b"pW", &Limits::DEFAULT), Err(Error::VerificationFailed));
    // Flip a byte inside the authenticated safe (well past the headers).
    let mut tampered = pfx.clone();
    let at = tampered.len() / 2;
    tampered[at] ^= 1;
    assert!(read(&tampered, b"pw", &Limits::DEFAULT).is_err());
    for len in (0..pfx.len()).step_by(7) {
        assert!(read(&pfx[..len], b"pw", &Limits::DEFAULT).is_err());
    }
    // Limits apply to the MAC and to the decryptions.
    assert!(matches!(read(&pfx, b"pw", &Limits::new(4, 0)), Err(Error::InvalidParameter { .. })));
}

#[test]
fn without_mac_and_plain_certificates() {
    let mut options = fast();
    options.mac = None;
    options.encrypt_certificates = false;
    let pfx = write_key_and_certificates(&KEY, CERT, &[], Some("n"), b"pw", &options, &mut test_rng()).unwrap();
    let p12 = read(&pfx, b"pw", &Limits::DEFAULT).unwrap();
    assert!(!p12.mac_verified);
    assert_eq!(p12.certificates[0].der, CERT);
    // The key is still shrouded: a wrong password fails its decryption.
    assert_eq!(read(&pfx, b"x", &Limits::DEFAULT), Err(Error::DecryptionFailed));
}

#[test]
fn bmp_strings() {
    assert_eq!(read::bmp_to_string(&hex!("0041d83dde00")).unwrap(), "A\u{1f600}");
    assert!(read::bmp_to_string(&hex!("00")).is_err());
    assert!(read::bmp_to_string(&hex!("d83d")).is_err());
}
