//! Curve448 operations per second (X448, Ed448). No pure-Rust peer is
//! benchmarked here; `compare-curve25519.sh` sets these next to
//! `openssl speed ed448 ecdhx448`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

const MESSAGE: &[u8] = b"the quick brown fox jumps over the lazy dog";

fn curve448(c: &mut Criterion) {
    let key = purecrypto::ed448::SigningKey::from_seed(&[0x42; 57]);
    let sig = key.sign(b"", MESSAGE).unwrap();
    let vk = *key.verifying_key();
    let mut g = c.benchmark_group("ed448-sign");
    g.bench_function("purecrypto", |b| b.iter(|| black_box(key.sign(b"", black_box(MESSAGE)).is_ok())));
    g.finish();
    let mut g = c.benchmark_group("ed448-verify");
    g.bench_function("purecrypto", |b| b.iter(|| black_box(vk.verify(b"", black_box(MESSAGE), &sig).is_ok())));
    g.finish();

    let ours = purecrypto::x448::PrivateKey::from_bytes([0x42; 56]);
    let peer = purecrypto::x448::PrivateKey::from_bytes([0x24; 56]).public_key();
    let mut g = c.benchmark_group("x448");
    g.bench_function("purecrypto", |b| b.iter(|| black_box(ours.diffie_hellman(black_box(&peer)).is_ok())));
    g.finish();
}

criterion_group!(benches, curve448);
criterion_main!(benches);
