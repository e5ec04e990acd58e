//! Criterion: deflate compression (levels 1, 6, 9), inflate and gzip
//! decode, compcol vs flate2 (zlib-rs) vs miniz_oxide, per corpus file.

use compcol_bench::*;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    for (name, data) in corpus() {
        let n = data.len();
        let mut g = c.benchmark_group(format!("deflate/{name}"));
        g.throughput(Throughput::Bytes(n as u64));
        g.sample_size(10);
        for level in [1, 6, 9] {
            g.bench_with_input(BenchmarkId::new("compcol", level), &data, |b, d| {
                b.iter(|| compress_ours(black_box(d), level))
            });
            g.bench_with_input(BenchmarkId::new("zlib-rs", level), &data, |b, d| {
                b.iter(|| compress_zlibrs(black_box(d), level))
            });
            g.bench_with_input(BenchmarkId::new("miniz_oxide", level), &data, |b, d| {
                b.iter(|| compress_miniz(black_box(d), level))
            });
        }
        g.finish();
        let packed = compress_zlibrs(&data, 6);
        let gz = compcol::gzip::compress_to_vec(&data, 6).expect("gzip");
        let mut g = c.benchmark_group(format!("inflate/{name}"));
        g.throughput(Throughput::Bytes(n as u64));
        g.sample_size(20);
        g.bench_function("compcol", |b| b.iter(|| decompress_ours(black_box(&packed), n)));
        g.bench_function("zlib-rs", |b| b.iter(|| decompress_zlibrs(black_box(&packed), n)));
        g.bench_function("miniz_oxide", |b| b.iter(|| decompress_miniz(black_box(&packed), n)));
        g.bench_function("compcol-gzip", |b| b.iter(|| gunzip_ours(black_box(&gz), n)));
        g.bench_function("zlib-rs-gzip", |b| b.iter(|| gunzip_zlibrs(black_box(&gz), n)));
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
