//! Criterion: CRC-32, CRC-32C and Adler-32, dispatched (SIMD when available) vs the
//! portable kernels, over a fixed size ladder.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let data: Vec<u8> = (0..1u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let mut g = c.benchmark_group("checksum");
    for size in [64usize, 4096, 1 << 20] {
        let d = &data[..size];
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_with_input(BenchmarkId::new("crc32", size), d, |b, d| {
            b.iter(|| compcol::checksum::crc32(black_box(d)))
        });
        g.bench_with_input(BenchmarkId::new("crc32-portable", size), d, |b, d| {
            b.iter(|| compcol::checksum::portable::crc32_update(!0, black_box(d)))
        });
        g.bench_with_input(BenchmarkId::new("crc32c", size), d, |b, d| {
            b.iter(|| compcol::checksum::crc32c(black_box(d)))
        });
        g.bench_with_input(BenchmarkId::new("crc32c-portable", size), d, |b, d| {
            b.iter(|| compcol::checksum::portable::crc32c_update(!0, black_box(d)))
        });
        g.bench_with_input(BenchmarkId::new("adler32", size), d, |b, d| {
            b.iter(|| compcol::checksum::adler32(black_box(d)))
        });
        g.bench_with_input(BenchmarkId::new("adler32-portable", size), d, |b, d| {
            b.iter(|| compcol::checksum::portable::adler32_update(1, black_box(d)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
