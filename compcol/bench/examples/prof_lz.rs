//! Profiling helper for the LZ4 / Snappy block decoders: decodes one
//! corpus file in a loop (args: file, "lz4"|"snappy", "ours"|"peer"|"both",
//! passes). "both" alternates ours and the peer (liblz4 or snap) pass by
//! pass and prints each best time and the peer/ours ratio.
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "alice29.txt".into());
    let codec = args.next().unwrap_or_else(|| "lz4".into());
    let who = args.next().unwrap_or_else(|| "both".into());
    let passes: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let data = std::fs::read(compcol_bench::corpus_dir().join(&name)).unwrap();
    let n = data.len();
    let lz4 = codec == "lz4";
    let packed = if lz4 {
        lz4::block::compress(&data, None, false).unwrap()
    } else {
        snap::raw::Encoder::new().compress_vec(&data).unwrap()
    };
    let mut out = vec![0u8; n];
    let mut best = [f64::MAX; 2];
    for _ in 0..passes {
        for (slot, peer) in [(0, false), (1, true)] {
            if (who == "ours" && peer) || (who == "peer" && !peer) {
                continue;
            }
            let t = Instant::now();
            let got = match (lz4, peer) {
                (true, false) => compcol::lz4::block::decompress(&packed, &mut out).unwrap(),
                (true, true) => lz4::block::decompress_to_buffer(&packed, Some(n as i32), &mut out).unwrap(),
                (false, false) => compcol::snappy::raw::decompress(&packed, &mut out).unwrap(),
                (false, true) => snap::raw::Decoder::new().decompress(&packed, &mut out).unwrap(),
            };
            best[slot] = best[slot].min(t.elapsed().as_secs_f64());
            assert_eq!(got, n);
        }
    }
    assert!(out == data);
    println!(
        "{name:<12} {codec:<6} ours {:8.1} us  peer {:8.1} us  peer/ours {:.2}",
        best[0] * 1e6,
        best[1] * 1e6,
        best[1] / best[0]
    );
}
