//! SLH-DSA-SHA2-128f and SLH-DSA-SHAKE-128f key generation, signing and
//! verification: purecrypto against RustCrypto `slh-dsa`, same seeds and
//! messages, one run.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const MSG: &[u8] = b"a 32-byte message to be signed..";

macro_rules! bench_set {
    ($c:expr, $label:literal, $ours:ty, $peer:ty) => {{
        let (s1, s2, s3) = ([1u8; 16], [2u8; 16], [3u8; 16]);
        let mut group = $c.benchmark_group($label);
        group.sample_size(10);
        group.bench_function(BenchmarkId::new("purecrypto", "keygen"), |b| {
            b.iter(|| purecrypto::slhdsa::SigningKey::<$ours>::from_seeds(black_box(&s1), &s2, &s3).unwrap())
        });
        group.bench_function(BenchmarkId::new("rustcrypto", "keygen"), |b| {
            b.iter(|| slh_dsa::SigningKey::<$peer>::slh_keygen_internal(black_box(&s1), &s2, &s3))
        });
        let ours = purecrypto::slhdsa::SigningKey::<$ours>::from_seeds(&s1, &s2, &s3).unwrap();
        let ours_vk = ours.verifying_key();
        let peer = slh_dsa::SigningKey::<$peer>::slh_keygen_internal(&s1, &s2, &s3);
        let peer_vk: &slh_dsa::VerifyingKey<$peer> = peer.as_ref();
        group.bench_function(BenchmarkId::new("purecrypto", "sign"), |b| {
            b.iter(|| ours.sign_deterministic(black_box(MSG), b"").unwrap())
        });
        group.bench_function(BenchmarkId::new("rustcrypto", "sign"), |b| {
            b.iter(|| peer.try_sign_with_context(black_box(MSG), b"", None).unwrap())
        });
        let ours_sig = ours.sign_deterministic(MSG, b"").unwrap();
        let peer_sig = peer.try_sign_with_context(MSG, b"", None).unwrap();
        group.bench_function(BenchmarkId::new("purecrypto", "verify"), |b| {
            b.iter(|| ours_vk.verify(black_box(MSG), b"", &ours_sig).unwrap())
        });
        group.bench_function(BenchmarkId::new("rustcrypto", "verify"), |b| {
            b.iter(|| peer_vk.try_verify_with_context(black_box(MSG), b"", &peer_sig).unwrap())
        });
        group.finish();
    }};
}

fn bench(c: &mut Criterion) {
    bench_set!(c, "slh-dsa-sha2-128f", purecrypto::slhdsa::SlhDsaSha2_128f, slh_dsa::Sha2_128f);
    bench_set!(c, "slh-dsa-shake-128f", purecrypto::slhdsa::SlhDsaShake128f, slh_dsa::Shake128f);
}

criterion_group!(benches, bench);
criterion_main!(benches);
