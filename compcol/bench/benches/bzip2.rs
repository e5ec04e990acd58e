//! bzip2 speed, compcol vs libbzip2 (the `bzip2` crate, C backend), on
//! the corpus: compression at -9 (the outputs are byte-identical, so this
//! is the same work) and decompression of libbzip2's -9 stream.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::io::{Read, Write};

fn libbzip2_compress(data: &[u8]) -> Vec<u8> {
    let mut w = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::new(9));
    w.write_all(data).expect("libbzip2");
    w.finish().expect("libbzip2")
}

fn libbzip2_decompress(packed: &[u8], n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    bzip2::read::BzDecoder::new(packed).read_to_end(&mut out).expect("libbzip2");
    out
}

fn bench(c: &mut Criterion) {
    let files: Vec<_> = compcol_bench::corpus()
        .into_iter()
        .filter(|(n, _)| matches!(n.as_str(), "alice29.txt" | "kennedy.xls" | "ptt5"))
        .collect();
    for (name, data) in &files {
        let n = data.len();
        let mut g = c.benchmark_group(format!("bzip2/{name}"));
        g.throughput(Throughput::Bytes(n as u64));
        g.sample_size(10);
        g.bench_function(BenchmarkId::new("compress-9", "compcol"), |b| {
            b.iter(|| compcol::bzip2::compress_to_vec(black_box(data), 9).expect("ours"))
        });
        g.bench_function(BenchmarkId::new("compress-9", "libbzip2"), |b| b.iter(|| libbzip2_compress(black_box(data))));
        let packed = libbzip2_compress(data);
        assert!(compcol::bzip2::compress_to_vec(data, 9).expect("ours") == packed, "not byte-identical");
        g.bench_function(BenchmarkId::new("decompress", "compcol"), |b| {
            b.iter(|| compcol::bzip2::decompress_to_vec(black_box(&packed), n + 1).expect("ours"))
        });
        g.bench_function(BenchmarkId::new("decompress", "libbzip2"), |b| {
            b.iter(|| libbzip2_decompress(black_box(&packed), n))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
