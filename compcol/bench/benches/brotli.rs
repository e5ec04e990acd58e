//! brotli speed, compcol vs the `brotli` crate (pure-Rust port of the
//! reference library), on the corpus: compression at qualities 1, 6 and
//! 11, and decompression of the peer's quality-11 stream.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let files: Vec<_> = compcol_bench::corpus()
        .into_iter()
        .filter(|(n, _)| matches!(n.as_str(), "alice29.txt" | "kennedy.xls"))
        .collect();
    for (name, data) in &files {
        let n = data.len();
        let mut g = c.benchmark_group(format!("brotli/{name}"));
        g.throughput(Throughput::Bytes(n as u64));
        g.sample_size(10);
        for q in [1u32, 6, 11] {
            g.bench_function(BenchmarkId::new(format!("compress-q{q}"), "compcol"), |b| {
                b.iter(|| compcol::brotli::compress_to_vec(black_box(data), q).expect("ours"))
            });
            g.bench_function(BenchmarkId::new(format!("compress-q{q}"), "brotli-crate"), |b| {
                b.iter(|| compcol_bench::compress_brotli(black_box(data), q))
            });
        }
        let packed = compcol_bench::compress_brotli(data, 11);
        g.bench_function(BenchmarkId::new("decompress", "compcol"), |b| {
            b.iter(|| compcol::brotli::decompress_to_vec(black_box(&packed), n + 1).expect("ours"))
        });
        g.bench_function(BenchmarkId::new("decompress", "brotli-crate"), |b| {
            b.iter(|| compcol_bench::decompress_brotli(black_box(&packed)))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
