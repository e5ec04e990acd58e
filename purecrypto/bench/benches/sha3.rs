//! SHA3-256: purecrypto against RustCrypto `sha3`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use purecrypto::hash::{Hash, Sha3_256};
use sha3::Digest;
use std::hint::black_box;

/// The `openssl speed` size ladder.
const SIZES: [usize; 6] = [16, 64, 256, 1024, 8192, 16384];

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("sha3-256");
    for size in SIZES {
        let data = vec![0x5au8; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("purecrypto", size), &data, |b, d| {
            b.iter(|| Sha3_256::digest(black_box(d)));
        });
        group.bench_with_input(BenchmarkId::new("rustcrypto", size), &data, |b, d| {
            b.iter(|| sha3::Sha3_256::digest(black_box(d)));
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
