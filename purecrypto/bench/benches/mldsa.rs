//! ML-DSA-44/65/87 key generation, signing and verification: purecrypto
//! against RustCrypto `ml-dsa`, same seeds and messages, one run.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const MSG: &[u8] = b"a 32-byte message to be signed..";

macro_rules! bench_set {
    ($c:expr, $label:literal, $ours:ty, $peer:ty) => {{
        let seed = [7u8; 32];
        let mut group = $c.benchmark_group($label);
        group.bench_function(BenchmarkId::new("purecrypto", "keygen"), |b| {
            b.iter(|| purecrypto::mldsa::SigningKey::<$ours>::from_seed(black_box(&seed)))
        });
        group.bench_function(BenchmarkId::new("rustcrypto", "keygen"), |b| {
            b.iter(|| ml_dsa::SigningKey::<$peer>::from_seed(black_box(&seed.into())))
        });
        let ours = purecrypto::mldsa::SigningKey::<$ours>::from_seed(&seed);
        let ours_vk = ours.verifying_key();
        let peer_key = ml_dsa::SigningKey::<$peer>::from_seed(&seed.into());
        let peer = peer_key.expanded_key();
        let peer_vk = peer.verifying_key();
        group.bench_function(BenchmarkId::new("purecrypto", "sign"), |b| {
            b.iter(|| ours.sign_deterministic(black_box(MSG), b"").unwrap())
        });
        group.bench_function(BenchmarkId::new("rustcrypto", "sign"), |b| {
            b.iter(|| peer.sign_deterministic(black_box(MSG), b"").unwrap())
        });
        let ours_sig = ours.sign_deterministic(MSG, b"").unwrap();
        let peer_sig = peer.sign_deterministic(MSG, b"").unwrap();
        group.bench_function(BenchmarkId::new("purecrypto", "verify"), |b| {
            b.iter(|| ours_vk.verify(black_box(MSG), b"", &ours_sig).unwrap())
        });
        group.bench_function(BenchmarkId::new("rustcrypto", "verify"), |b| {
            b.iter(|| assert!(peer_vk.verify_with_context(black_box(MSG), b"", &peer_sig)))
        });
        group.finish();
    }};
}

fn bench(c: &mut Criterion) {
    bench_set!(c, "ml-dsa-44", purecrypto::mldsa::MlDsa44, ml_dsa::MlDsa44);
    bench_set!(c, "ml-dsa-65", purecrypto::mldsa::MlDsa65, ml_dsa::MlDsa65);
    bench_set!(c, "ml-dsa-87", purecrypto::mldsa::MlDsa87, ml_dsa::MlDsa87);
}

criterion_group!(benches, bench);
criterion_main!(benches);
