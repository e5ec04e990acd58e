//! Criterion: zstd compression (levels 1, 3, 19) and decompression,
//! compcol vs libzstd (the `zstd` crate), per corpus file.

use compcol_bench::*;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    for (name, data) in corpus() {
        let n = data.len();
        let mut g = c.benchmark_group(format!("zstd/{name}"));
        g.throughput(Throughput::Bytes(n as u64));
        g.sample_size(10);
        for level in [1, 3, 19] {
            g.bench_with_input(BenchmarkId::new("compcol", level), &data, |b, d| {
                b.iter(|| zstd_compress_ours(black_box(d), level))
            });
            g.bench_with_input(BenchmarkId::new("libzstd", level), &data, |b, d| {
                b.iter(|| zstd_compress_libzstd(black_box(d), level))
            });
        }
        g.finish();
        // Both decoders read the same libzstd level-3 frame.
        let packed = zstd_compress_libzstd(&data, 3);
        let mut g = c.benchmark_group(format!("unzstd/{name}"));
        g.throughput(Throughput::Bytes(n as u64));
        g.sample_size(20);
        g.bench_function("compcol", |b| b.iter(|| zstd_decompress_ours(black_box(&packed), n)));
        g.bench_function("libzstd", |b| b.iter(|| zstd_decompress_libzstd(black_box(&packed), n)));
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
