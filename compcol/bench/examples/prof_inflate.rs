//! Profiling helper: inflates a corpus file (args: file, "ours"|"zlib-rs")
//! 200 times.
fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "kennedy.xls".into());
    let peer = std::env::args().nth(2).is_some_and(|s| s == "zlib-rs");
    let data = std::fs::read(compcol_bench::corpus_dir().join(&name)).unwrap();
    let packed = compcol_bench::compress_zlibrs(&data, 6);
    let mut total = 0;
    for _ in 0..200 {
        total += if peer {
            compcol_bench::decompress_zlibrs(&packed, data.len()).len()
        } else {
            compcol_bench::decompress_ours(&packed, data.len()).len()
        };
    }
    println!("{total}");
}
