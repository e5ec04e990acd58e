//! Prints compcol/peer ratios per corpus file and level: throughput ratios
//! (>1 means compcol is faster) and size ratios (<1 means compcol's output
//! is smaller), against flate2 on zlib-rs and against miniz_oxide, all
//! timed in this one process (best of `COMPARE_REPS` runs, default 5).

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

fn ratio(peer: Duration, ours: Duration) -> f64 {
    peer.as_secs_f64() / ours.as_secs_f64()
}

fn main() {
    let reps: usize = std::env::var("COMPARE_REPS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    println!("corpus: {}", corpus_dir().display());
    println!("speed = peer time / compcol time (>1: compcol faster); size = compcol bytes / peer bytes");
    println!("{:<14} {:>5} {:>10} {:>10} {:>10} {:>10}", "file", "op", "vs zlib-rs", "size", "vs miniz", "size");
    for (name, data) in corpus() {
        let n = data.len();
        for level in [1, 6, 9] {
            let ours = compress_ours(&data, level);
            let zr = compress_zlibrs(&data, level);
            let mz = compress_miniz(&data, level);
            assert_eq!(decompress_ours(&zr, n), data);
            assert_eq!(decompress_zlibrs(&ours, n), data);
            let t_ours = best(reps, || compress_ours(&data, level));
            let t_zr = best(reps, || compress_zlibrs(&data, level));
            let t_mz = best(reps, || compress_miniz(&data, level));
            println!(
                "{:<14} {:>5} {:>10.2} {:>10.3} {:>10.2} {:>10.3}",
                name,
                format!("L{level}"),
                ratio(t_zr, t_ours),
                ours.len() as f64 / zr.len() as f64,
                ratio(t_mz, t_ours),
                ours.len() as f64 / mz.len() as f64
            );
        }
        let packed = compress_zlibrs(&data, 6);
        let t_ours = best(reps, || decompress_ours(&packed, n));
        let t_zr = best(reps, || decompress_zlibrs(&packed, n));
        let t_mz = best(reps, || decompress_miniz(&packed, n));
        println!(
            "{:<14} {:>5} {:>10.2} {:>10} {:>10.2} {:>10}",
            name,
            "infl",
            ratio(t_zr, t_ours),
            "-",
            ratio(t_mz, t_ours),
            "-"
        );
        let gz = compcol::gzip::compress_to_vec(&data, 6).expect("gzip");
        let t_gz = best(reps, || gunzip_ours(&gz, n));
        let t_zgz = best(reps, || gunzip_zlibrs(&gz, n));
        println!(
            "{:<14} {:>5} {:>10.2} {:>10} {:>10} {:>10}   (ours: gzip decode / raw inflate throughput {:.2})",
            name,
            "gunz",
            ratio(t_zgz, t_gz),
            "-",
            "-",
            "-",
            ratio(t_ours, t_gz)
        );
    }
}
