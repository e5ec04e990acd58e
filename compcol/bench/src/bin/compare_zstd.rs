//! Prints compcol/libzstd ratios per corpus file: compression at levels 1,
//! 3 and 19 (speed and size) and decompression of a libzstd level-3 frame,
//! all timed in this one process (best of `COMPARE_REPS` runs, default 5).
//! `COMPARE_OPS=dec` prints only the decompression rows.

use compcol_bench::*;
use std::time::{Duration, Instant};

fn best<T>(reps: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..reps {
        let t = Instant::now();
        std::hint::black_box(f());
        best = best.min(t.elapsed());
    }
    best
}

fn main() {
    let reps: usize = std::env::var("COMPARE_REPS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let levels: &[i32] = if std::env::var("COMPARE_OPS").is_ok_and(|s| s == "dec") { &[] } else { &[1, 3, 19] };
    println!("zstd; speed = libzstd time / compcol time (>1: compcol faster); size = compcol bytes / libzstd bytes");
    println!("{:<14} {:>5} {:>11} {:>8} {:>10} {:>10}", "file", "op", "vs libzstd", "size", "ours MB/s", "peer MB/s");
    for (name, data) in corpus() {
        let n = data.len();
        let mbs = |d: Duration| n as f64 / d.as_secs_f64() / 1e6;
        for &level in levels {
            let ours = zstd_compress_ours(&data, level);
            let peer = zstd_compress_libzstd(&data, level);
            assert_eq!(zstd_decompress_libzstd(&ours, n), data);
            assert_eq!(zstd_decompress_ours(&peer, n), data);
            let r = if level == 19 { reps.min(2) } else { reps };
            let t_ours = best(r, || zstd_compress_ours(&data, level));
            let t_peer = best(r, || zstd_compress_libzstd(&data, level));
            println!(
                "{:<14} {:>5} {:>11.2} {:>8.3} {:>10.1} {:>10.1}",
                name,
                format!("L{level}"),
                t_peer.as_secs_f64() / t_ours.as_secs_f64(),
                ours.len() as f64 / peer.len() as f64,
                mbs(t_ours),
                mbs(t_peer)
            );
        }
        let packed = zstd_compress_libzstd(&data, 3);
        assert_eq!(zstd_decompress_ours(&packed, n), data);
        let t_ours = best(reps, || zstd_decompress_ours(&packed, n));
        let t_peer = best(reps, || zstd_decompress_libzstd(&packed, n));
        println!(
            "{:<14} {:>5} {:>11.2} {:>8} {:>10.1} {:>10.1}",
            name,
            "dec",
            t_peer.as_secs_f64() / t_ours.as_secs_f64(),
            "-",
            mbs(t_ours),
            mbs(t_peer)
        );
    }
}
