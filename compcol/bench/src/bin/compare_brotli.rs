//! Prints compcol/brotli-crate ratios per corpus file and quality:
//! speed = peer time / compcol time (>1: compcol faster), size = compcol
//! bytes / peer bytes (<1: compcol smaller), best of `COMPARE_REPS` runs
//! (default 3) in this one process. The peer is the `brotli` crate (a
//! pure-Rust port of the reference C library). Decoding is timed on the
//! peer's output at the same quality.

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
    let reps: usize = std::env::var("COMPARE_REPS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    println!("corpus: {}", compcol_bench::corpus_dir().display());
    println!("speed = brotli crate time / compcol time (>1: compcol faster); size = compcol bytes / brotli bytes");
    println!("{:<14} {:>7} {:>10} {:>10} {:>10}", "file", "quality", "enc speed", "size", "dec speed");
    for (name, data) in compcol_bench::corpus() {
        for q in [1, 5, 9, 11] {
            let ours = compcol::brotli::compress_to_vec(&data, q).expect("ours");
            let theirs = compcol_bench::compress_brotli(&data, q);
            assert_eq!(compcol_bench::decompress_brotli(&ours), data, "the brotli crate decodes ours");
            let t_ours = best(reps, || compcol::brotli::compress_to_vec(&data, q).expect("ours"));
            let t_peer = best(reps, || compcol_bench::compress_brotli(&data, q));
            let d_ours = best(reps, || compcol::brotli::decompress_to_vec(&theirs, data.len()).expect("ours"));
            let d_peer = best(reps, || compcol_bench::decompress_brotli(&theirs));
            println!(
                "{:<14} {:>7} {:>10.2} {:>10.3} {:>10.2}",
                name,
                q,
                t_peer.as_secs_f64() / t_ours.as_secs_f64(),
                ours.len() as f64 / theirs.len() as f64,
                d_peer.as_secs_f64() / d_ours.as_secs_f64(),
            );
        }
    }
}
