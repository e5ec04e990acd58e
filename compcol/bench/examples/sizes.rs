//! Prints exact compressed sizes, compcol vs zlib-rs, per file and level.
fn main() {
    for (name, data) in compcol_bench::corpus() {
        for level in [1, 6, 9] {
            let ours = compcol_bench::compress_ours(&data, level).len();
            let zr = compcol_bench::compress_zlibrs(&data, level).len();
            println!("{name:<14} L{level} ours {ours:>8} zlib-rs {zr:>8} ratio {:.4}", ours as f64 / zr as f64);
        }
    }
}
