//! Prints compcol/peer ratios for LZ4 and Snappy blocks per corpus file:
//! speed = peer time / compcol time (>1: compcol faster), size = compcol
//! bytes / peer bytes (<1: compcol smaller), all timed in this one process
//! (best of `COMPARE_REPS` runs, default 5). Peers: liblz4 (the `lz4`
//! crate), lz4_flex, snap. `COMPARE_LZ_ONLY=dec` prints only the decode
//! rows (quick to rerun while tuning a decoder).

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

fn ours_lz4(data: &[u8], level: i32) -> Vec<u8> {
    let mut out = Vec::with_capacity(compcol::lz4::block::compress_bound(data.len()));
    compcol::lz4::block::compress(data, level, &mut out);
    out
}

fn liblz4(data: &[u8], level: i32) -> Vec<u8> {
    let mode = if level >= 3 { Some(lz4::block::CompressionMode::HIGHCOMPRESSION(level)) } else { None };
    lz4::block::compress(data, mode, false).expect("liblz4")
}

fn main() {
    let reps: usize = std::env::var("COMPARE_REPS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let encode_rows = std::env::var("COMPARE_LZ_ONLY").map_or(true, |v| v != "dec");
    println!("corpus: {}", compcol_bench::corpus_dir().display());
    println!("speed = peer time / compcol time (>1: compcol faster); size = compcol bytes / peer bytes");
    println!("{:<14} {:>10} {:>10} {:>10} {:>10} {:>10}", "file", "op", "vs liblz4", "size", "vs flex", "size");
    for (name, data) in compcol_bench::corpus() {
        let n = data.len();
        let mut out = vec![0u8; n];
        for level in [1, 9, 12].into_iter().filter(|_| encode_rows) {
            let ours = ours_lz4(&data, level);
            let theirs = liblz4(&data, level);
            let flex = lz4_flex::block::compress(&data);
            assert_eq!(lz4_flex::block::decompress(&ours, n).expect("flex decodes ours"), data);
            let t_ours = best(reps, || ours_lz4(&data, level));
            let t_lib = best(reps, || liblz4(&data, level));
            let t_flex = best(reps, || lz4_flex::block::compress(&data));
            let (flex_speed, flex_size) = if level == 1 {
                (format!("{:.2}", ratio(t_flex, t_ours)), format!("{:.3}", ours.len() as f64 / flex.len() as f64))
            } else {
                ("-".into(), "-".into())
            };
            println!(
                "{:<14} {:>10} {:>10.2} {:>10.3} {:>10} {:>10}",
                name,
                format!("lz4 L{level}"),
                ratio(t_lib, t_ours),
                ours.len() as f64 / theirs.len() as f64,
                flex_speed,
                flex_size
            );
        }
        let packed = liblz4(&data, 1);
        let t_ours = best(reps, || compcol::lz4::block::decompress(&packed, &mut out).expect("ours"));
        let t_lib = best(reps, || lz4::block::decompress_to_buffer(&packed, Some(n as i32), &mut out).expect("lib"));
        let t_flex = best(reps, || lz4_flex::block::decompress_into(&packed, &mut out).expect("flex"));
        println!(
            "{:<14} {:>10} {:>10.2} {:>10} {:>10.2} {:>10}",
            name,
            "lz4 dec",
            ratio(t_lib, t_ours),
            "-",
            ratio(t_flex, t_ours),
            "-"
        );
        let ours = {
            let mut v = Vec::new();
            compcol::snappy::raw::compress(&data, &mut v);
            v
        };
        let theirs = snap::raw::Encoder::new().compress_vec(&data).expect("snap");
        assert_eq!(snap::raw::Decoder::new().decompress_vec(&ours).expect("snap decodes ours"), data);
        if encode_rows {
            let t_ours = best(reps, || {
                let mut v = Vec::with_capacity(compcol::snappy::raw::max_compressed_len(n));
                compcol::snappy::raw::compress(&data, &mut v);
                v
            });
            let t_snap = best(reps, || snap::raw::Encoder::new().compress_vec(&data).expect("snap"));
            println!(
                "{:<14} {:>10} {:>10.2} {:>10.3}   (vs snap)",
                name,
                "snappy enc",
                ratio(t_snap, t_ours),
                ours.len() as f64 / theirs.len() as f64
            );
        }
        let t_ours = best(reps, || compcol::snappy::raw::decompress(&theirs, &mut out).expect("ours"));
        let t_snap = best(reps, || snap::raw::Decoder::new().decompress(&theirs, &mut out).expect("snap"));
        println!("{:<14} {:>10} {:>10.2} {:>10}   (vs snap)", name, "snappy dec", ratio(t_snap, t_ours), "-");
    }
}
