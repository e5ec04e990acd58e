//! BLAKE3: purecrypto (portable) against the official `blake3` crate.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use purecrypto::hash::{Blake3, Hash};
use std::hint::black_box;

/// The `openssl speed` size ladder.
const SIZES: [usize; 6] = [16, 64, 256, 1024, 8192, 16384];

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("blake3");
    for size in SIZES {
        let data = vec![0x5au8; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("purecrypto", size), &data, |b, d| {
            b.iter(|| Blake3::digest(black_box(d)));
        });
        group.bench_with_input(BenchmarkId::new("blake3", size), &data, |b, d| {
            b.iter(|| blake3::hash(black_box(d)));
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
