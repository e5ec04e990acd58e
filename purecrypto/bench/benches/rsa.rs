//! RSA-2048 and RSA-4096 PKCS#1 v1.5 SHA-256 sign and verify: purecrypto,
//! ring and the RustCrypto `rsa` crate on the same fixed keys
//! (`tests/data/rsa/key{2048,4096}.der`). Group names are
//! `rsa{bits}-{sign,verify}/{purecrypto,ring,rustcrypto}`, which
//! `compare-rsa.sh` reads back.

use criterion::{Criterion, criterion_group, criterion_main};
use purecrypto::hash::HashAlgorithm;
use purecrypto::rng::HmacDrbg;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;

const KEY2048: &[u8] = include_bytes!("../../tests/data/rsa/key2048.der");
const KEY4096: &[u8] = include_bytes!("../../tests/data/rsa/key4096.der");
const MSG: &[u8] = b"the quick brown fox jumps over the lazy dog";

fn bench_size(c: &mut Criterion, bits: usize, der: &[u8]) {
    let ours = purecrypto::rsa::RsaPrivateKey::from_pkcs1_der(der).unwrap();
    let mut drbg = HmacDrbg::new(HashAlgorithm::Sha256, &[1; 32], b"", b"bench").unwrap();
    let ring_key = ring::signature::RsaKeyPair::from_der(der).unwrap();
    let ring_rng = ring::rand::SystemRandom::new();
    let rc_key = rsa::RsaPrivateKey::from_pkcs1_der(der).unwrap();
    let rc_pub = rc_key.to_public_key();
    let sig = ours.sign_pkcs1v15(&mut drbg, HashAlgorithm::Sha256, MSG).unwrap();
    let digest = HashAlgorithm::Sha256.hash(MSG);
    assert_eq!(rc_pub.n().bits(), bits);

    let mut g = c.benchmark_group(format!("rsa{bits}-sign"));
    g.bench_function("purecrypto", |b| {
        b.iter(|| ours.sign_pkcs1v15(&mut drbg, HashAlgorithm::Sha256, MSG).unwrap());
    });
    g.bench_function("ring", |b| {
        let mut out = vec![0u8; ring_key.public().modulus_len()];
        b.iter(|| ring_key.sign(&ring::signature::RSA_PKCS1_SHA256, &ring_rng, MSG, &mut out).unwrap());
    });
    g.bench_function("rustcrypto", |b| {
        let mut rng = rsa::rand_core::OsRng;
        b.iter(|| {
            let d = HashAlgorithm::Sha256.hash(MSG);
            rc_key.sign_with_rng(&mut rng, rsa::Pkcs1v15Sign::new::<rsa::sha2::Sha256>(), &d).unwrap()
        });
    });
    g.finish();

    let mut g = c.benchmark_group(format!("rsa{bits}-verify"));
    let public = ours.public_key();
    g.bench_function("purecrypto", |b| {
        b.iter(|| public.verify_pkcs1v15(HashAlgorithm::Sha256, MSG, &sig).unwrap());
    });
    let ring_pub = ring::signature::UnparsedPublicKey::new(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        ring_key.public().as_ref().to_vec(),
    );
    g.bench_function("ring", |b| b.iter(|| ring_pub.verify(MSG, &sig).unwrap()));
    g.bench_function("rustcrypto", |b| {
        b.iter(|| {
            let d = HashAlgorithm::Sha256.hash(MSG);
            rc_pub.verify(rsa::Pkcs1v15Sign::new::<rsa::sha2::Sha256>(), &d, &sig).unwrap();
        });
    });
    g.finish();
    let _ = digest;
}

fn rsa(c: &mut Criterion) {
    bench_size(c, 2048, KEY2048);
    bench_size(c, 4096, KEY4096);
}

criterion_group!(benches, rsa);
criterion_main!(benches);
