//! RSA unit tests on fixed keys (generated once with `openssl genrsa`).

use alloc::vec;

use super::*;
use crate::Error;
use crate::hash::HashAlgorithm;
use crate::rng::HmacDrbg;

const KEY2048: &[u8] = include_bytes!("../../tests/data/rsa/key2048.der");
const PUB2048: &[u8] = include_bytes!("../../tests/data/rsa/pub2048.der");

fn rng() -> HmacDrbg {
    HmacDrbg::new(HashAlgorithm::Sha256, &[42; 32], b"rsa unit tests", b"").unwrap()
}

#[test]
fn der_round_trips_and_public_half_matches() {
    let key = RsaPrivateKey::from_pkcs1_der(KEY2048).unwrap();
    assert_eq!(key.to_pkcs1_der(), KEY2048);
    let public = RsaPublicKey::from_pkcs1_der(PUB2048).unwrap();
    assert_eq!(&public, key.public_key());
    assert_eq!(public.to_pkcs1_der(), PUB2048);
    assert_eq!(RsaPublicKey::from_spki_der(&public.to_spki_der()).unwrap(), public);
    assert_eq!(public.bits(), 2048);
    assert_eq!(public.e(), 65537);
    assert_eq!(alloc::format!("{key:?}"), "RsaPrivateKey { bits: 2048, .. }");
}

#[test]
fn import_checks_reject_inconsistent_keys() {
    let key = RsaPrivateKey::from_pkcs1_der(KEY2048).unwrap();
    let [d, p, q, dp, dq, qinv] = key.secret_components();
    let n = key.public_key().n_bytes();
    let e = key.public_key().e_bytes();
    let good = RsaComponents { n: &n, e: &e, d: &d, p: &p, q: &q, dp: Some(&dp), dq: Some(&dq), qinv: Some(&qinv) };
    assert!(RsaPrivateKey::from_components(&good).is_ok());
    assert!(RsaPrivateKey::from_components(&RsaComponents { dp: None, dq: None, qinv: None, ..good }).is_ok());
    let mut bad = d.clone();
    *bad.last_mut().unwrap() ^= 2;
    let err = RsaPrivateKey::from_components(&RsaComponents { d: &bad, ..good }).unwrap_err();
    assert_eq!(err, Error::InvalidKey { reason: "d * e != 1 mod lcm(p - 1, q - 1)" });
    let mut bad_p = p.clone();
    *bad_p.last_mut().unwrap() ^= 2;
    assert_eq!(
        RsaPrivateKey::from_components(&RsaComponents { p: &bad_p, ..good }).unwrap_err(),
        Error::InvalidKey { reason: "p * q != n" }
    );
    let mut bad_qinv = qinv.clone();
    *bad_qinv.last_mut().unwrap() ^= 2;
    assert!(RsaPrivateKey::from_components(&RsaComponents { qinv: Some(&bad_qinv), ..good }).is_err());
    let mut bad_dq = dq.clone();
    *bad_dq.last_mut().unwrap() ^= 2;
    assert!(RsaPrivateKey::from_components(&RsaComponents { dq: Some(&bad_dq), ..good }).is_err());
    // Exponent bounds.
    assert!(RsaPublicKey::new(&n, &[1]).is_err());
    assert!(RsaPublicKey::new(&n, &[4]).is_err());
    assert!(RsaPublicKey::new(&n, &[1; 9]).is_err());
    assert!(RsaPublicKey::new(&n[..128], &e).is_err());
    assert!(RsaPublicKey::dangerous_new_allow_small(&n[..128], &e).is_err()); // even
    let mut small = n[..128].to_vec();
    *small.last_mut().unwrap() |= 1;
    assert!(RsaPublicKey::dangerous_new_allow_small(&small, &e).is_ok());
}

#[test]
fn signatures_round_trip_and_reject_tampering() {
    let key = RsaPrivateKey::from_pkcs1_der(KEY2048).unwrap();
    let public = key.public_key();
    let mut r = rng();
    for hash in [HashAlgorithm::Sha256, HashAlgorithm::Sha512, HashAlgorithm::Sha3_256, HashAlgorithm::Sha512_224] {
        let sig = key.sign_pkcs1v15(&mut r, hash, b"hello").unwrap();
        public.verify_pkcs1v15(hash, b"hello", &sig).unwrap();
        assert!(public.verify_pkcs1v15(hash, b"hellO", &sig).is_err());
        let mut bad = sig.clone();
        bad[10] ^= 1;
        assert!(public.verify_pkcs1v15(hash, b"hello", &bad).is_err());
        // Deterministic.
        assert_eq!(key.sign_pkcs1v15(&mut r, hash, b"hello").unwrap(), sig);

        let params = PssParams::new(hash);
        let sig = key.sign_pss(&mut r, &params, b"hello").unwrap();
        public.verify_pss(&params, b"hello", &sig).unwrap();
        public.verify_pss(&PssParams { salt: SaltLength::Auto, ..params }, b"hello", &sig).unwrap();
        assert!(public.verify_pss(&PssParams { salt: SaltLength::Exact(0), ..params }, b"hello", &sig).is_err());
        assert!(public.verify_pss(&params, b"hellO", &sig).is_err());
    }
    assert!(key.sign_pkcs1v15(&mut r, HashAlgorithm::Sha1, b"x").is_err());
    let shake = PssParams { hash: PssHash::Shake256, mgf: Mgf::Shake256, salt: SaltLength::Exact(64) };
    let sig = key.sign_pss(&mut r, &shake, b"xof").unwrap();
    public.verify_pss(&shake, b"xof", &sig).unwrap();
}

#[test]
fn encryption_round_trips() {
    let key = RsaPrivateKey::from_pkcs1_der(KEY2048).unwrap();
    let public = key.public_key();
    let mut r = rng();
    let params = OaepParams { label: b"label", ..OaepParams::new(HashAlgorithm::Sha256) };
    let ct = public.encrypt_oaep(&mut r, &params, b"secret").unwrap();
    assert_eq!(key.decrypt_oaep(&mut r, &params, &ct).unwrap(), b"secret");
    assert!(key.decrypt_oaep(&mut r, &OaepParams::new(HashAlgorithm::Sha256), &ct).is_err());
    let max = vec![7u8; 256 - 2 * 32 - 2];
    let ct = public.encrypt_oaep(&mut r, &params, &max).unwrap();
    assert_eq!(key.decrypt_oaep(&mut r, &params, &ct).unwrap(), max);
    assert!(public.encrypt_oaep(&mut r, &params, &[0; 256 - 2 * 32 - 1]).is_err());

    let ct = public.encrypt_pkcs1v15(&mut r, b"premaster").unwrap();
    assert_eq!(key.decrypt_pkcs1v15(&mut r, &ct).unwrap(), b"premaster");
    assert_eq!(key.decrypt_pkcs1v15_implicit(&mut r, &ct).unwrap(), b"premaster");
    // A ciphertext of a badly padded block: explicit error vs synthetic.
    let bogus = public.raw_public(&[0x00; 256].map(|_| 0x01)).unwrap();
    assert_eq!(key.decrypt_pkcs1v15(&mut r, &bogus), Err(Error::DecryptionFailed));
    let synthetic = key.decrypt_pkcs1v15_implicit(&mut r, &bogus).unwrap();
    assert_eq!(key.decrypt_pkcs1v15_implicit(&mut r, &bogus).unwrap(), synthetic);
    assert!(synthetic.len() <= 256 - 11);
}

#[test]
fn raw_private_inverts_raw_public() {
    let key = RsaPrivateKey::from_pkcs1_der(KEY2048).unwrap();
    let mut r = rng();
    let mut x = vec![0x5au8; 256];
    x[0] = 0x12;
    let y = key.public_key().raw_public(&x).unwrap();
    assert_eq!(key.raw_private(&mut r, &y).unwrap(), x);
    // x >= n is refused.
    assert!(key.raw_private(&mut r, &[0xff; 256]).is_err());
    assert!(key.raw_private(&mut r, &[0x01; 255]).is_err());
}

#[test]
fn generated_key_is_consistent() {
    let mut r = rng();
    let key = RsaPrivateKey::generate(&mut r, 2048).unwrap();
    assert_eq!(key.public_key().bits(), 2048);
    let again = RsaPrivateKey::from_pkcs1_der(&key.to_pkcs1_der()).unwrap();
    let sig = again.sign_pkcs1v15(&mut r, HashAlgorithm::Sha256, b"m").unwrap();
    key.public_key().verify_pkcs1v15(HashAlgorithm::Sha256, b"m", &sig).unwrap();
    assert!(RsaPrivateKey::generate(&mut r, 1024).is_err());
    assert!(RsaPrivateKey::generate_with_exponent(&mut r, 2048, 3).is_err());
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn decoders_never_panic(data in proptest::collection::vec(any::<u8>(), 0..600)) {
            crate::rsa::fuzz::fuzz_rsa_decode(&data);
        }

        #[test]
        fn decoders_never_panic_on_mutated_keys(pos in 0usize..KEY2048.len(), byte in any::<u8>()) {
            let mut der = KEY2048.to_vec();
            der[pos] = byte;
            crate::rsa::fuzz::fuzz_rsa_decode(&der);
            let mut der = PUB2048.to_vec();
            let pos = pos % der.len();
            der[pos] = byte;
            crate::rsa::fuzz::fuzz_rsa_decode(&der);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]

        #[test]
        fn sign_verify_and_encrypt_round_trip(msg in proptest::collection::vec(any::<u8>(), 0..190)) {
            let key = RsaPrivateKey::from_pkcs1_der(KEY2048).unwrap();
            let mut r = rng();
            let sig = key.sign_pss(&mut r, &PssParams::new(HashAlgorithm::Sha256), &msg).unwrap();
            prop_assert!(key.public_key().verify_pss(&PssParams::new(HashAlgorithm::Sha256), &msg, &sig).is_ok());
            let ct = key.public_key().encrypt_oaep(&mut r, &OaepParams::new(HashAlgorithm::Sha256), &msg).unwrap();
            prop_assert_eq!(key.decrypt_oaep(&mut r, &OaepParams::new(HashAlgorithm::Sha256), &ct).unwrap(), msg.clone());
            crate::rsa::fuzz::fuzz_rsa_ops(&key, &sig);
        }
    }
}
