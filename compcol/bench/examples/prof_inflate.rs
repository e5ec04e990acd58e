//! Profiling helper: inflates a corpus file (argument: file name) 200 times.
fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "kennedy.xls".into());
    let data = std::fs::read(compcol_bench::corpus_dir().join(&name)).unwrap();
    let packed = compcol_bench::compress_zlibrs(&data, 6);
    let mut total = 0;
    for _ in 0..200 {
        total += compcol_bench::decompress_ours(&packed, data.len()).len();
    }
    println!("{total}");
}
