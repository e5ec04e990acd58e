//! LZ4 and Snappy block speed, compcol vs lz4_flex, liblz4 (the `lz4`
//! crate) and snap, on the corpus: fast compression, HC level 9, and
//! decoding.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn ours_lz4(data: &[u8], level: i32) -> Vec<u8> {
    let mut out = Vec::with_capacity(compcol::lz4::block::compress_bound(data.len()));
    compcol::lz4::block::compress(data, level, &mut out);
    out
}

fn bench(c: &mut Criterion) {
    let files: Vec<_> = compcol_bench::corpus()
        .into_iter()
        .filter(|(n, _)| matches!(n.as_str(), "alice29.txt" | "kennedy.xls" | "ptt5"))
        .collect();
    for (name, data) in &files {
        let n = data.len();
        let mut g = c.benchmark_group(format!("lz4/{name}"));
        g.throughput(Throughput::Bytes(n as u64));
        g.bench_function(BenchmarkId::new("compress-fast", "compcol"), |b| b.iter(|| ours_lz4(black_box(data), 1)));
        g.bench_function(BenchmarkId::new("compress-fast", "lz4_flex"), |b| {
            b.iter(|| lz4_flex::block::compress(black_box(data)))
        });
        g.bench_function(BenchmarkId::new("compress-fast", "liblz4"), |b| {
            b.iter(|| lz4::block::compress(black_box(data), None, false).expect("liblz4"))
        });
        g.bench_function(BenchmarkId::new("compress-hc9", "compcol"), |b| b.iter(|| ours_lz4(black_box(data), 9)));
        g.bench_function(BenchmarkId::new("compress-hc9", "liblz4"), |b| {
            b.iter(|| {
                lz4::block::compress(black_box(data), Some(lz4::block::CompressionMode::HIGHCOMPRESSION(9)), false)
                    .expect("liblz4")
            })
        });
        let packed = lz4::block::compress(data, None, false).expect("liblz4");
        let mut out = vec![0u8; n];
        g.bench_function(BenchmarkId::new("decompress", "compcol"), |b| {
            b.iter(|| compcol::lz4::block::decompress(black_box(&packed), &mut out).expect("ours"))
        });
        g.bench_function(BenchmarkId::new("decompress", "lz4_flex"), |b| {
            b.iter(|| lz4_flex::block::decompress_into(black_box(&packed), &mut out).expect("lz4_flex"))
        });
        g.bench_function(BenchmarkId::new("decompress", "liblz4"), |b| {
            b.iter(|| lz4::block::decompress_to_buffer(black_box(&packed), Some(n as i32), &mut out).expect("liblz4"))
        });
        g.finish();

        let mut g = c.benchmark_group(format!("snappy/{name}"));
        g.throughput(Throughput::Bytes(n as u64));
        g.bench_function(BenchmarkId::new("compress", "compcol"), |b| {
            b.iter(|| {
                let mut v = Vec::with_capacity(compcol::snappy::raw::max_compressed_len(n));
                compcol::snappy::raw::compress(black_box(data), &mut v);
                v
            })
        });
        g.bench_function(BenchmarkId::new("compress", "snap"), |b| {
            b.iter(|| snap::raw::Encoder::new().compress_vec(black_box(data)).expect("snap"))
        });
        let packed = snap::raw::Encoder::new().compress_vec(data).expect("snap");
        g.bench_function(BenchmarkId::new("decompress", "compcol"), |b| {
            b.iter(|| compcol::snappy::raw::decompress(black_box(&packed), &mut out).expect("ours"))
        });
        g.bench_function(BenchmarkId::new("decompress", "snap"), |b| {
            b.iter(|| snap::raw::Decoder::new().decompress(black_box(&packed), &mut out).expect("snap"))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
