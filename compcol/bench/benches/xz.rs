//! xz speed, compcol vs liblzma (the `xz2` crate), on the corpus: presets
//! 1 and 6 compression and decoding of liblzma's -6 output.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::io::Read;

fn liblzma_compress(data: &[u8], preset: u32) -> Vec<u8> {
    let mut out = Vec::new();
    xz2::read::XzEncoder::new(data, preset).read_to_end(&mut out).expect("liblzma");
    out
}

fn liblzma_decompress(data: &[u8], n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    xz2::read::XzDecoder::new(data).read_to_end(&mut out).expect("liblzma");
    out
}

fn bench(c: &mut Criterion) {
    let files: Vec<_> = compcol_bench::corpus()
        .into_iter()
        .filter(|(n, _)| matches!(n.as_str(), "alice29.txt" | "kennedy.xls" | "ptt5"))
        .collect();
    for (name, data) in &files {
        let n = data.len();
        let mut g = c.benchmark_group(format!("xz/{name}"));
        g.throughput(Throughput::Bytes(n as u64));
        for preset in [1, 6] {
            g.bench_function(BenchmarkId::new(format!("compress-{preset}"), "compcol"), |b| {
                b.iter(|| compcol::xz::compress_to_vec(black_box(data), preset).expect("ours"))
            });
            g.bench_function(BenchmarkId::new(format!("compress-{preset}"), "liblzma"), |b| {
                b.iter(|| liblzma_compress(black_box(data), preset))
            });
        }
        let packed = liblzma_compress(data, 6);
        g.bench_function(BenchmarkId::new("decompress", "compcol"), |b| {
            b.iter(|| compcol::xz::decompress_to_vec(black_box(&packed), n).expect("ours"))
        });
        g.bench_function(BenchmarkId::new("decompress", "liblzma"), |b| {
            b.iter(|| liblzma_decompress(black_box(&packed), n))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
