//! Profiling helper: compresses a corpus file 20 times
//! (args: level, file, "ours"|"zlib-rs").
fn main() {
    let level: i32 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(6);
    let name = std::env::args().nth(2).unwrap_or_else(|| "alice29.txt".into());
    let peer = std::env::args().nth(3).is_some_and(|s| s == "zlib-rs");
    let data = std::fs::read(compcol_bench::corpus_dir().join(&name)).unwrap();
    let mut total = 0;
    for _ in 0..20 {
        total += if peer {
            compcol_bench::compress_zlibrs(&data, level).len()
        } else {
            compcol_bench::compress_ours(&data, level).len()
        };
    }
    println!("{total}");
}
