//! Prints compcol/liblzma ratios for `.xz` per corpus file and preset:
//! speed = liblzma time / compcol time (>1: compcol faster), size =
//! compcol bytes / liblzma bytes (<1: compcol smaller), best of
//! `COMPARE_REPS` runs (default 5) in this one process. Decoding is timed
//! on liblzma's output at the same preset.

use std::io::Read;
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

fn liblzma(data: &[u8], preset: u32) -> Vec<u8> {
    let mut out = Vec::new();
    xz2::read::XzEncoder::new(data, preset).read_to_end(&mut out).expect("liblzma");
    out
}

fn unliblzma(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    xz2::read::XzDecoder::new(data).read_to_end(&mut out).expect("liblzma");
    out
}

fn main() {
    let reps: usize = std::env::var("COMPARE_REPS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    println!("corpus: {}", compcol_bench::corpus_dir().display());
    println!("speed = liblzma time / compcol time (>1: compcol faster); size = compcol bytes / liblzma bytes");
    println!("{:<14} {:>7} {:>10} {:>10} {:>10}", "file", "preset", "enc speed", "size", "dec speed");
    for (name, data) in compcol_bench::corpus() {
        for preset in [0, 1, 6, 9] {
            let ours = compcol::xz::compress_to_vec(&data, preset).expect("ours");
            let theirs = liblzma(&data, preset);
            assert_eq!(unliblzma(&ours), data, "liblzma decodes ours");
            let t_ours = best(reps, || compcol::xz::compress_to_vec(&data, preset).expect("ours"));
            let t_lib = best(reps, || liblzma(&data, preset));
            let d_ours = best(reps, || compcol::xz::decompress_to_vec(&theirs, data.len()).expect("ours"));
            let d_lib = best(reps, || unliblzma(&theirs));
            println!(
                "{:<14} {:>7} {:>10.2} {:>10.3} {:>10.2}",
                name,
                format!("-{preset}"),
                t_lib.as_secs_f64() / t_ours.as_secs_f64(),
                ours.len() as f64 / theirs.len() as f64,
                d_lib.as_secs_f64() / d_ours.as_secs_f64(),
            );
        }
    }
}
