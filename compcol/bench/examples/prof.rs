fn main() {
    let level: i32 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(6);
    let data = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/corpus/alice29.txt")).unwrap();
    let mut total = 0;
    for _ in 0..40 {
        total += compcol_bench::compress_ours(&data, level).len();
    }
    println!("{total}");
}
