//! SHA-256 and SHA-512: purecrypto against RustCrypto `sha2` and `ring`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use purecrypto::hash::{Hash, Sha256, Sha512};
use sha2::Digest;
use std::hint::black_box;

/// The `openssl speed` size ladder.
const SIZES: [usize; 6] = [16, 64, 256, 1024, 8192, 16384];

fn bench(c: &mut Criterion) {
    for (name, ring_alg) in [("sha256", &ring::digest::SHA256), ("sha512", &ring::digest::SHA512)] {
        let mut group = c.benchmark_group(name);
        for size in SIZES {
            let data = vec![0x5au8; size];
            group.throughput(Throughput::Bytes(size as u64));
            group.bench_with_input(BenchmarkId::new("purecrypto", size), &data, |b, d| {
                if name == "sha256" {
                    b.iter(|| Sha256::digest(black_box(d)));
                } else {
                    b.iter(|| Sha512::digest(black_box(d)));
                }
            });
            group.bench_with_input(BenchmarkId::new("rustcrypto", size), &data, |b, d| {
                if name == "sha256" {
                    b.iter(|| sha2::Sha256::digest(black_box(d)));
                } else {
                    b.iter(|| sha2::Sha512::digest(black_box(d)));
                }
            });
            group.bench_with_input(BenchmarkId::new("ring", size), &data, |b, d| {
                b.iter(|| ring::digest::digest(ring_alg, black_box(d)));
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
