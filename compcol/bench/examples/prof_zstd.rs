//! Profiling driver: `prof_zstd (dec|sdec|LEVEL) FILE [libzstd] [N]` runs
//! N (default 50) zstd decodes of FILE's libzstd level-3 frame (`sdec`:
//! compcol's streaming decoder into a buffer of the decoded size), or N
//! compressions at LEVEL, with compcol or libzstd, for `perf`.

use compcol_bench::*;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = std::fs::read(&args[2]).expect("file");
    let peer = args.get(3).is_some_and(|a| a == "libzstd");
    let n: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(50);
    let t = std::time::Instant::now();
    if args[1] == "sdec" {
        let packed = zstd_compress_libzstd(&data, 3);
        let mut out = vec![0u8; data.len()];
        let mut dec = compcol::zstd::ZstdDecoder::new();
        for _ in 0..n {
            compcol::Decoder::reset(&mut dec);
            let p = compcol::Decoder::decode(&mut dec, &packed, &mut out).expect("compcol zstd stream");
            assert_eq!(p.produced, data.len());
        }
        assert!(out == data);
    } else if args[1] == "dec" {
        let packed = zstd_compress_libzstd(&data, 3);
        for _ in 0..n {
            let out = if peer {
                zstd_decompress_libzstd(&packed, data.len())
            } else {
                zstd_decompress_ours(&packed, data.len())
            };
            assert_eq!(out.len(), data.len());
        }
    } else {
        let level: i32 = args[1].parse().expect("level");
        for _ in 0..n {
            let out = if peer { zstd_compress_libzstd(&data, level) } else { zstd_compress_ours(&data, level) };
            std::hint::black_box(out);
        }
    }
    let s = t.elapsed().as_secs_f64();
    println!("{:.1} MB/s", (data.len() * n) as f64 / s / 1e6);
}
