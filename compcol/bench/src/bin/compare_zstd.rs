//! Prints compcol/libzstd ratios per corpus file: compression at levels 1,
//! 3 and 19 (speed and size) and decompression of a libzstd level-3 frame.
//! `COMPARE_OPS=dec` prints only the decompression rows.
//!
//! Every row times compcol and libzstd in alternation in this one process
//! (`COMPARE_REPS` rounds, default 15, level 19 at most 3; each sample
//! repeats the call for about a millisecond, the starting side rotates)
//! and divides the median times; rows also print the 25th..75th
//! percentile of the per-round ratios, so noise shows as a wide spread.
//! Outputs are checked after timing.
//!
//! Decode rows: `dec` is the one-shot path on both sides
//! (`zstd::decompress_to_vec` against `zstd::bulk::decompress`, each
//! allocating its output); `dec-stream` is compcol's streaming
//! `ZstdDecoder::decode` into a caller buffer of exactly the decoded size
//! against libzstd's `decompress_to_buffer` into the same kind of buffer.

use compcol::Decoder;
use compcol_bench::timing::{alternating, ratio, spread};
use compcol_bench::*;

fn main() {
    let reps: usize = std::env::var("COMPARE_REPS").ok().and_then(|s| s.parse().ok()).unwrap_or(15);
    let levels: &[i32] = if std::env::var("COMPARE_OPS").is_ok_and(|s| s == "dec") { &[] } else { &[1, 3, 19] };
    println!("corpus: {}", corpus_dir().display());
    println!("zstd; speed = libzstd time / compcol time (>1: compcol faster); size = compcol bytes / libzstd bytes");
    println!(
        "{:<14} {:>10} {:>10} {:>8} {:>10} {:>10}   per-round p25..p75",
        "file", "op", "vs libzstd", "size", "ours MB/s", "peer MB/s"
    );
    for (name, data) in corpus() {
        let n = data.len();
        let mbs = |d: std::time::Duration| n as f64 / d.as_secs_f64() / 1e6;
        let row = |op: &str, t: [std::time::Duration; 2], size: String, r: Vec<f64>| {
            let [t_ours, t_peer] = t;
            println!(
                "{:<14} {:>10} {:>10.2} {:>8} {:>10.1} {:>10.1}   {}",
                name,
                op,
                ratio(t_peer, t_ours),
                size,
                mbs(t_ours),
                mbs(t_peer),
                spread(r)
            );
        };
        for &level in levels {
            let ours = zstd_compress_ours(&data, level);
            let peer = zstd_compress_libzstd(&data, level);
            assert_eq!(zstd_decompress_libzstd(&ours, n), data);
            assert_eq!(zstd_decompress_ours(&peer, n), data);
            let r = if level == 19 { reps.min(3) } else { reps };
            let (t, spread) = alternating(
                r,
                [&mut || drop(std::hint::black_box(zstd_compress_ours(&data, level))), &mut || {
                    drop(std::hint::black_box(zstd_compress_libzstd(&data, level)))
                }],
            );
            row(&format!("L{level}"), t, format!("{:.3}", ours.len() as f64 / peer.len() as f64), spread);
        }
        let packed = zstd_compress_libzstd(&data, 3);
        let mut got_ours = Vec::new();
        let mut got_peer = Vec::new();
        let (t, r) = alternating(
            reps,
            [&mut || got_ours = zstd_decompress_ours(&packed, n), &mut || {
                got_peer = zstd_decompress_libzstd(&packed, n)
            }],
        );
        assert!(got_ours == data && got_peer == data, "{name}: one-shot decode differs");
        row("dec", t, "-".into(), r);

        let mut out_ours = vec![0u8; n];
        let mut out_peer = vec![0u8; n];
        let mut dec = compcol::zstd::ZstdDecoder::new();
        let mut peer = zstd::bulk::Decompressor::new().expect("libzstd decompressor");
        let (t, r) = alternating(
            reps,
            [
                &mut || {
                    dec.reset();
                    let p = dec.decode(&packed, &mut out_ours).expect("compcol zstd stream");
                    assert_eq!((p.consumed, p.produced, p.status), (packed.len(), n, compcol::Status::StreamEnd));
                },
                &mut || {
                    let got = peer.decompress_to_buffer(&packed, &mut out_peer[..]).expect("libzstd");
                    assert_eq!(got, n);
                },
            ],
        );
        assert!(out_ours == data && out_peer == data, "{name}: streaming decode differs");
        row("dec-stream", t, "-".into(), r);
    }
}
