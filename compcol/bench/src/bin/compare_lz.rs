//! Prints compcol/peer ratios for LZ4 and Snappy blocks per corpus file:
//! speed = peer time / compcol time (>1: compcol faster), size = compcol
//! bytes / peer bytes (<1: compcol smaller). Peers: liblz4 (the `lz4`
//! crate), lz4_flex, snap. Every row times compcol and its peers in
//! alternation in this one process (`COMPARE_REPS` rounds, default 15;
//! each sample repeats the call for about a millisecond) and divides the
//! median times; decode rows also print the spread of the per-round
//! ratios against the first peer (25th..75th percentile), as do the LZ4
//! encode rows.
//! `COMPARE_LZ_ONLY=dec` prints only the decode rows (quick to rerun while
//! tuning a decoder), `COMPARE_LZ_ONLY=enc` only the LZ4 encode rows.
//!
//! Like for like: LZ4 rows are raw blocks on both sides (no frame, no
//! checksum): `LZ4_decompress_safe` through `lz4::block`, lz4_flex's
//! safe block decoder and compcol's `lz4::block`; Snappy rows are raw
//! streams (no framing, no CRC-32C). Every decoder writes into the same
//! preallocated buffer of exactly the decoded size.

use compcol_bench::timing::{alternating, ratio, spread};

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
    let reps: usize = std::env::var("COMPARE_REPS").ok().and_then(|s| s.parse().ok()).unwrap_or(15);
    let only = std::env::var("COMPARE_LZ_ONLY").unwrap_or_default();
    let encode_rows = only != "dec";
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
            let ([t_ours, t_lib, t_flex], r) = alternating(
                reps,
                [
                    &mut || drop(std::hint::black_box(ours_lz4(&data, level))),
                    &mut || drop(std::hint::black_box(liblz4(&data, level))),
                    &mut || drop(std::hint::black_box(lz4_flex::block::compress(&data))),
                ],
            );
            let (flex_speed, flex_size) = if level == 1 {
                (format!("{:.2}", ratio(t_flex, t_ours)), format!("{:.3}", ours.len() as f64 / flex.len() as f64))
            } else {
                ("-".into(), "-".into())
            };
            println!(
                "{:<14} {:>10} {:>10.2} {:>10.3} {:>10} {:>10}   (per-round vs liblz4 {})",
                name,
                format!("lz4 L{level}"),
                ratio(t_lib, t_ours),
                ours.len() as f64 / theirs.len() as f64,
                flex_speed,
                flex_size,
                spread(r)
            );
        }
        if only == "enc" {
            continue;
        }
        let packed = liblz4(&data, 1);
        let mut out2 = vec![0u8; n];
        let mut out3 = vec![0u8; n];
        let ([t_ours, t_lib, t_flex], r) = alternating(
            reps,
            [
                &mut || assert_eq!(compcol::lz4::block::decompress(&packed, &mut out).expect("ours"), n),
                &mut || {
                    let got = lz4::block::decompress_to_buffer(&packed, Some(n as i32), &mut out2).expect("lib");
                    assert_eq!(got, n);
                },
                &mut || assert_eq!(lz4_flex::block::decompress_into(&packed, &mut out3).expect("flex"), n),
            ],
        );
        assert!(out == data && out2 == data && out3 == data);
        println!(
            "{:<14} {:>10} {:>10.2} {:>10} {:>10.2} {:>10}   (per-round vs liblz4 {})",
            name,
            "lz4 dec",
            ratio(t_lib, t_ours),
            "-",
            ratio(t_flex, t_ours),
            "-",
            spread(r)
        );
        let ours = {
            let mut v = Vec::new();
            compcol::snappy::raw::compress(&data, &mut v);
            v
        };
        let theirs = snap::raw::Encoder::new().compress_vec(&data).expect("snap");
        assert_eq!(snap::raw::Decoder::new().decompress_vec(&ours).expect("snap decodes ours"), data);
        if encode_rows {
            let ([t_ours, t_snap], _) = alternating(
                reps,
                [
                    &mut || {
                        let mut v = Vec::with_capacity(compcol::snappy::raw::max_compressed_len(n));
                        compcol::snappy::raw::compress(&data, &mut v);
                        std::hint::black_box(v);
                    },
                    &mut || drop(std::hint::black_box(snap::raw::Encoder::new().compress_vec(&data).expect("snap"))),
                ],
            );
            println!(
                "{:<14} {:>10} {:>10.2} {:>10.3}   (vs snap)",
                name,
                "snappy enc",
                ratio(t_snap, t_ours),
                ours.len() as f64 / theirs.len() as f64
            );
        }
        let ([t_ours, t_snap], r) = alternating(
            reps,
            [&mut || assert_eq!(compcol::snappy::raw::decompress(&theirs, &mut out).expect("ours"), n), &mut || {
                assert_eq!(snap::raw::Decoder::new().decompress(&theirs, &mut out2).expect("snap"), n)
            }],
        );
        assert!(out == data && out2 == data);
        println!(
            "{:<14} {:>10} {:>10.2} {:>10}   (vs snap; per-round {})",
            name,
            "snappy dec",
            ratio(t_snap, t_ours),
            "-",
            spread(r)
        );
    }
}
