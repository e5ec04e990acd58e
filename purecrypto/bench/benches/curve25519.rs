//! Curve25519 operations per second: purecrypto next to ed25519-dalek,
//! x25519-dalek, curve25519-dalek (ristretto255) and ring, one criterion
//! group per operation. Run by `compare-curve25519.sh`, which adds
//! `openssl speed` and prints ratios.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

const MESSAGE: &[u8] = b"the quick brown fox jumps over the lazy dog";
const SEED: [u8; 32] = [0x42; 32];

fn ed25519(c: &mut Criterion) {
    use ed25519_dalek::{Signer as _, Verifier as _};
    use ring::signature::KeyPair as _;

    let ours = purecrypto::ed25519::SigningKey::from_seed(&SEED);
    let ours_sig = ours.sign(MESSAGE);
    let ours_vk = *ours.verifying_key();
    let dalek = ed25519_dalek::SigningKey::from_bytes(&SEED);
    let dalek_sig = dalek.sign(MESSAGE);
    let dalek_vk = dalek.verifying_key();
    let ring_key = ring::signature::Ed25519KeyPair::from_seed_unchecked(&SEED).unwrap();
    let ring_sig = ring_key.sign(MESSAGE);
    let ring_vk =
        ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, ring_key.public_key().as_ref().to_vec());
    assert_eq!(ours_sig.to_bytes(), dalek_sig.to_bytes());
    assert_eq!(ours_sig.to_bytes().as_slice(), ring_sig.as_ref());

    let mut g = c.benchmark_group("ed25519-sign");
    g.bench_function("purecrypto", |b| b.iter(|| black_box(ours.sign(black_box(MESSAGE)))));
    g.bench_function("dalek", |b| b.iter(|| black_box(dalek.sign(black_box(MESSAGE)))));
    g.bench_function("ring", |b| b.iter(|| black_box(ring_key.sign(black_box(MESSAGE)))));
    g.finish();

    let mut g = c.benchmark_group("ed25519-verify");
    g.bench_function("purecrypto", |b| b.iter(|| black_box(ours_vk.verify(black_box(MESSAGE), &ours_sig).is_ok())));
    g.bench_function("dalek", |b| b.iter(|| black_box(dalek_vk.verify(black_box(MESSAGE), &dalek_sig).is_ok())));
    g.bench_function("ring", |b| b.iter(|| black_box(ring_vk.verify(black_box(MESSAGE), ring_sig.as_ref()).is_ok())));
    g.finish();
}

fn x25519(c: &mut Criterion) {
    let ours = purecrypto::x25519::PrivateKey::from_bytes(SEED);
    let ours_peer = purecrypto::x25519::PrivateKey::from_bytes([0x24; 32]).public_key();
    let dalek = x25519_dalek::StaticSecret::from(SEED);
    let dalek_peer = x25519_dalek::PublicKey::from(ours_peer.to_bytes());
    assert_eq!(ours.diffie_hellman(&ours_peer).unwrap().as_bytes(), dalek.diffie_hellman(&dalek_peer).as_bytes());

    let mut g = c.benchmark_group("x25519");
    g.bench_function("purecrypto", |b| b.iter(|| black_box(ours.diffie_hellman(black_box(&ours_peer)).is_ok())));
    g.bench_function("dalek", |b| b.iter(|| black_box(dalek.diffie_hellman(black_box(&dalek_peer)))));
    g.finish();

    let mut g = c.benchmark_group("x25519-public-key");
    g.bench_function("purecrypto", |b| b.iter(|| black_box(black_box(&ours).public_key())));
    g.bench_function("dalek", |b| b.iter(|| black_box(x25519_dalek::PublicKey::from(black_box(&dalek)))));
    g.finish();
}

fn ristretto255(c: &mut Criterion) {
    use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
    use curve25519_dalek::scalar::Scalar;

    let wide = [0x37u8; 64];
    let ours_s = purecrypto::ristretto255::Scalar::from_bytes_mod_order_wide(&wide);
    let dalek_s = Scalar::from_bytes_mod_order_wide(&wide);
    let ours_p = purecrypto::ristretto255::RistrettoPoint::mul_base(&ours_s);
    let dalek_p = RistrettoPoint::mul_base(&dalek_s);
    let encoded = ours_p.to_bytes();
    assert_eq!(encoded, dalek_p.compress().to_bytes());

    let mut g = c.benchmark_group("ristretto255-mul-base");
    g.bench_function("purecrypto", |b| {
        b.iter(|| black_box(purecrypto::ristretto255::RistrettoPoint::mul_base(black_box(&ours_s))))
    });
    g.bench_function("dalek", |b| b.iter(|| black_box(RistrettoPoint::mul_base(black_box(&dalek_s)))));
    g.finish();

    let mut g = c.benchmark_group("ristretto255-mul");
    g.bench_function("purecrypto", |b| b.iter(|| black_box(black_box(ours_p) * ours_s)));
    g.bench_function("dalek", |b| b.iter(|| black_box(black_box(dalek_p) * dalek_s)));
    g.finish();

    let mut g = c.benchmark_group("ristretto255-decode");
    g.bench_function("purecrypto", |b| {
        b.iter(|| black_box(purecrypto::ristretto255::RistrettoPoint::from_bytes(black_box(&encoded)).is_ok()))
    });
    g.bench_function("dalek", |b| b.iter(|| black_box(CompressedRistretto(black_box(encoded)).decompress())));
    g.finish();

    let mut g = c.benchmark_group("ristretto255-from-uniform-bytes");
    g.bench_function("purecrypto", |b| {
        b.iter(|| black_box(purecrypto::ristretto255::RistrettoPoint::from_uniform_bytes(black_box(&wide))))
    });
    g.bench_function("dalek", |b| b.iter(|| black_box(RistrettoPoint::from_uniform_bytes(black_box(&wide)))));
    g.finish();
}

criterion_group!(benches, ed25519, x25519, ristretto255);
criterion_main!(benches);
