//! LZ4 unit tests: every-split round trips at each level and option,
//! linked blocks, dictionaries, skippable/legacy/concatenated frames, and
//! corruption at every offset.

use super::*;
use crate::testutil::{assert_roundtrip_every_split, decode_all, encode_all, sample_inputs};
use crate::{Decoder, ErrorKind, Status};
use alloc::vec;

fn text(n: usize) -> Vec<u8> {
    let words = ["lz4 ", "frame ", "block ", "match ", "literal ", "offset ", "\n"];
    let mut x = 7u32;
    let mut v = Vec::new();
    while v.len() < n {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        v.extend_from_slice(words[(x >> 16) as usize % words.len()].as_bytes());
    }
    v.truncate(n);
    v
}

fn round_trip(opts: FrameOptions, data: &[u8]) -> Vec<u8> {
    let packed = encode_all(&mut Lz4Encoder::with_options(opts), data, usize::MAX, usize::MAX).unwrap();
    let plain = decode_all(&mut Lz4Decoder::new(), &packed, usize::MAX, usize::MAX).unwrap();
    assert!(plain == data, "round trip differs");
    packed
}

#[test]
fn every_split_round_trips_fast_and_hc() {
    for data in sample_inputs() {
        for level in [1, 9] {
            assert_roundtrip_every_split(|| Lz4Encoder::new(level), Lz4Decoder::new, &data);
        }
    }
}

#[test]
fn every_level_and_block_size_round_trips() {
    let data = text(300_000);
    let mut last = usize::MAX;
    for level in 1..=12 {
        let packed = round_trip(FrameOptions::new(level), &data);
        if level >= 3 {
            assert!(packed.len() <= last + last / 50, "level {level} much bigger than the one below");
        }
        last = packed.len();
        assert!(packed.len() < data.len() / 2, "level {level} does not compress text");
    }
    for bs in [BlockSize::Max64KiB, BlockSize::Max256KiB, BlockSize::Max1MiB, BlockSize::Max4MiB] {
        for linked in [false, true] {
            let opts = FrameOptions::new(1)
                .block_size(bs)
                .independent_blocks(!linked)
                .block_checksum(true)
                .content_size(data.len() as u64);
            round_trip(opts.clone(), &data);
            round_trip(FrameOptions { level: 9, ..opts }.content_checksum(false), &data);
        }
    }
}

#[test]
fn linked_blocks_reach_into_the_previous_block() {
    let unit = text(40_000);
    let mut data = unit.clone();
    data.extend_from_slice(&unit);
    let independent = round_trip(FrameOptions::new(1).block_size(BlockSize::Max64KiB), &data);
    let linked = round_trip(FrameOptions::new(1).block_size(BlockSize::Max64KiB).independent_blocks(false), &data);
    assert!(linked.len() < independent.len(), "{} vs {}", linked.len(), independent.len());
}

#[test]
fn dictionary_frames_need_the_dictionary() {
    let dict = text(5000);
    let data = dict[1000..3000].to_vec();
    let opts = FrameOptions::new(1).dictionary(&dict, Some(77));
    let packed = encode_all(&mut Lz4Encoder::with_options(opts), &data, usize::MAX, usize::MAX).unwrap();
    let plain = decode_all(&mut Lz4Decoder::with_dictionary(&dict), &packed, usize::MAX, usize::MAX).unwrap();
    assert_eq!(plain, data);
    let mut dec = Lz4Decoder::new();
    let mut out = vec![0u8; 4000];
    let p = dec.decode(&packed, &mut out).unwrap();
    assert_eq!(p.status, Status::NeedDictionary(77));
    dec.set_dictionary(&dict);
    let q = dec.decode(&packed[p.consumed..], &mut out).unwrap();
    // After the frame: NeedInput (another frame may follow).
    assert_eq!((q.status, &out[..q.produced]), (Status::NeedInput, &data[..]));
    assert!(!dec.has_end_marker());
    // Smaller than without the dictionary.
    assert!(packed.len() < round_trip(FrameOptions::new(1), &data).len());
}

#[test]
fn concatenated_skippable_and_legacy_frames() {
    let a = compress_to_vec(b"first frame ", 1).unwrap();
    let b = compress_to_vec(b"second frame", 9).unwrap();
    let mut s = a.clone();
    s.extend_from_slice(&[0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
    s.extend_from_slice(&b);
    // A legacy frame: magic, then one block with literals "legacy".
    s.extend_from_slice(&[0x02, 0x21, 0x4c, 0x18, 7, 0, 0, 0, 0x60]);
    s.extend_from_slice(b"legacy");
    let mut dec = Lz4Decoder::new();
    let plain = decode_all(&mut dec, &s, 5, 7).unwrap();
    assert_eq!(plain, b"first frame second framelegacy");
    assert_eq!(crate::util::decompress_to_vec(&mut Lz4Decoder::new(), &s, 100).unwrap(), plain);
}

#[test]
fn corruption_and_truncation_at_every_offset_are_typed_errors() {
    let data = text(3000);
    for opts in [FrameOptions::new(1).block_checksum(true), FrameOptions::new(9).content_size(3000)] {
        let packed = encode_all(&mut Lz4Encoder::with_options(opts), &data, usize::MAX, usize::MAX).unwrap();
        for cut in 0..packed.len() {
            let e = crate::util::decompress_to_vec(&mut Lz4Decoder::new(), &packed[..cut], 1 << 20).unwrap_err();
            assert!(matches!(e.kind(), ErrorKind::Truncated | ErrorKind::Corrupt), "cut {cut}: {e}");
        }
        for i in 0..packed.len() {
            for bit in [0, 3, 7] {
                let mut bad = packed.clone();
                bad[i] ^= 1 << bit;
                if let Ok(out) = crate::util::decompress_to_vec(&mut Lz4Decoder::new(), &bad, 1 << 20) {
                    // Only a flip the format cannot see may pass, and then the
                    // checksum would have caught changed data.
                    assert_eq!(out, data, "flip at {i} bit {bit} changed the data silently");
                }
            }
        }
    }
}

#[test]
fn oversized_block_sizes_are_refused_before_allocating() {
    let mut s = FrameOptions::new(1).block_size(BlockSize::Max64KiB).header();
    s.extend_from_slice(&0x7fff_ffffu32.to_le_bytes());
    let e = crate::util::decompress_to_vec(&mut Lz4Decoder::new(), &s, 1 << 20).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Corrupt);
}

#[test]
fn block_api_round_trips() {
    for data in sample_inputs() {
        for level in [1, 2, 3, 9, 12] {
            let mut packed = Vec::new();
            block::compress(&data, level, &mut packed);
            assert!(packed.len() <= block::compress_bound(data.len()));
            let mut out = vec![0u8; data.len()];
            assert_eq!(block::decompress(&packed, &mut out).unwrap(), data.len());
            assert_eq!(out, data);
        }
    }
}

/// Bytes past the fast loop's margins, so a test block can end in it.
const TAIL: usize = 100;

/// Both block decoders on `block` into `cap`-byte outputs after `start`
/// bytes of history: the fast one must match the careful one exactly,
/// result and bytes (error kind and offset included).
fn assert_fast_matches_careful(block: &[u8], start: usize, cap: usize, what: &str) -> Option<Vec<u8>> {
    let history: Vec<u8> = (0..start).map(|i| (i * 7 + 3) as u8).collect();
    let mut fast = vec![0u8; start + cap];
    let mut careful = vec![0u8; start + cap];
    fast[..start].copy_from_slice(&history);
    careful[..start].copy_from_slice(&history);
    let a = block::decompress_with_prefix(block, &mut fast, start);
    let b = block::decompress_careful(block, &mut careful, start);
    match (a, b) {
        (Ok(x), Ok(y)) => {
            assert_eq!(x, y, "{what}: lengths differ");
            assert!(fast[..x] == careful[..y], "{what}: bytes differ");
            Some(fast[start..x].to_vec())
        }
        (Err(x), Err(y)) => {
            assert_eq!((x.kind(), x.offset()), (y.kind(), y.offset()), "{what}: errors differ");
            None
        }
        (x, y) => panic!("{what}: fast {x:?}, careful {y:?}"),
    }
}

#[test]
fn fast_and_careful_block_loops_agree_on_the_corpus() {
    for (name, data) in crate::testutil::corpus() {
        for level in [1, 9] {
            let mut packed = Vec::new();
            block::compress(data, level, &mut packed);
            let n = data.len();
            // Output slack around the fast loop's margins, history prefixes
            // that shift every alignment.
            for (start, slack) in [(0, 0), (0, 1), (0, 31), (0, 64), (0, 65), (3, 0), (17, 7), (1000, 128)] {
                let out = assert_fast_matches_careful(&packed, start, n + slack, name);
                assert!(out.as_deref() == Some(data), "{name} L{level} start {start} slack {slack}");
            }
            // Too little output: the same error from both.
            for short in [1, 2, 40, 64, 65, 1000] {
                if short <= n {
                    assert_fast_matches_careful(&packed, 0, n - short, name);
                }
            }
            // Truncations and flipped bytes at spread-out offsets and all
            // through the end, where the fast loop hands over.
            let cuts = (0..packed.len()).step_by(997).chain(packed.len().saturating_sub(TAIL)..packed.len());
            for cut in cuts {
                assert_fast_matches_careful(&packed[..cut], 0, n, name);
                let mut bad = packed.clone();
                bad[cut] ^= 0x5a;
                assert_fast_matches_careful(&bad, 0, n + 64, name);
            }
        }
    }
}

#[test]
fn frames_decode_alike_at_every_chunk_shape() {
    // Small linked blocks: every block decodes after a 64 KiB history.
    let shapes: [(&[usize], &[usize]); 5] = [
        (&[1], &[usize::MAX >> 40]),
        (&[7, 1, 300], &[1, 65, 4096]),
        (&[4096], &[17]),
        (&[65_536 + 11], &[100_000]),
        (&[usize::MAX >> 40], &[3, 1 << 20]),
    ];
    for (name, data) in crate::testutil::corpus() {
        for linked in [false, true] {
            let opts = FrameOptions::new(1).block_size(BlockSize::Max64KiB).independent_blocks(!linked);
            let packed = encode_all(&mut Lz4Encoder::with_options(opts), data, usize::MAX, usize::MAX).unwrap();
            let whole = decompress_to_vec(&packed, 1 << 24).unwrap();
            assert!(whole == data, "{name} one-shot");
            for (ins, outs) in shapes {
                if ins == [1] && data.len() > 200_000 {
                    continue; // one byte at a time: the small files suffice
                }
                let got = crate::testutil::decode_shaped(&mut Lz4Decoder::new(), &packed, ins, outs).unwrap();
                assert!(got == whole, "{name} linked {linked} shape {ins:?}/{outs:?}");
            }
        }
    }
}

/// `seed` literals, a match of `len` at distance `dist`, then `TAIL`
/// literals: one LZ4 block, and the bytes it must decode to.
fn overlap_block(dist: usize, len: usize) -> (Vec<u8>, Vec<u8>) {
    let seed: Vec<u8> = (0..dist).map(|i| (i * 29 + 1) as u8).collect();
    let tail: Vec<u8> = (0..TAIL).map(|i| (i * 13 + 5) as u8).collect();
    let mut block = Vec::new();
    block::put_sequence(&mut block, &seed, dist, len);
    block::put_last_literals(&mut block, &tail);
    let mut want = seed.clone();
    for i in 0..len {
        want.push(want[i]);
    }
    want.extend_from_slice(&tail);
    (block, want)
}

#[test]
fn overlapping_matches_with_short_offsets_and_long_lengths() {
    let lens = (4..=70).chain([95, 96, 97, 127, 128, 129, 255, 256, 270, 1000, 4099, 65_536]);
    for dist in 1..=32 {
        for len in lens.clone() {
            let (blk, want) = overlap_block(dist, len);
            for slack in [0, 1, 64] {
                let got = assert_fast_matches_careful(&blk, 0, want.len() + slack, "overlap");
                assert!(got.as_deref() == Some(&want[..]), "dist {dist} len {len} slack {slack}");
            }
        }
    }
    // A match reaching one byte before the output (and the history) start
    // is refused by both loops.
    for dist in 1..=16 {
        let (mut blk, _) = overlap_block(dist, 40);
        // The offset follows the token, a length byte for 15+ literals,
        // and the literals.
        let at = if dist >= 15 { 2 + dist } else { 1 + dist };
        blk[at] = (dist + 1) as u8;
        assert!(assert_fast_matches_careful(&blk, 0, 4000, "far").is_none(), "dist {} accepted", dist + 1);
        let got = assert_fast_matches_careful(&blk, 1, 4000, "history").unwrap();
        assert_eq!(got.len(), dist + 40 + TAIL);
    }
}

/// A random valid block of about `n` sequences and what it decodes to:
/// literal runs of 0..=40 bytes (some past 15), offsets of 1..=40 or
/// anywhere behind, match lengths of 4..=300 (mostly short), and a
/// closing literal run of 0..=20 bytes, so matches also end right at the
/// end of the output.
fn random_block(seed: u64, n: usize) -> (Vec<u8>, Vec<u8>) {
    let mut x = seed | 1;
    let mut next = move |m: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % m as u64) as usize
    };
    let (mut block, mut want) = (Vec::new(), Vec::new());
    for _ in 0..n {
        let lit = if next(4) == 0 { next(41) } else { next(15) };
        let literals: Vec<u8> = (0..lit).map(|_| next(256) as u8).collect();
        want.extend_from_slice(&literals);
        if want.is_empty() {
            continue;
        }
        let dist = if next(3) == 0 { 1 + next(want.len()) } else { 1 + next(want.len().min(40)) };
        let len = if next(5) == 0 { 4 + next(297) } else { 4 + next(15) };
        block::put_sequence(&mut block, &literals, dist, len);
        for _ in 0..len {
            want.push(want[want.len() - dist]);
        }
    }
    let tail: Vec<u8> = (0..next(21)).map(|_| next(256) as u8).collect();
    block::put_last_literals(&mut block, &tail);
    want.extend_from_slice(&tail);
    (block, want)
}

#[test]
fn fast_and_careful_block_loops_agree_on_random_blocks() {
    for seed in 0..300u64 {
        let (blk, want) = random_block(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15), 1 + seed as usize % 60);
        for (start, slack) in [(0, 0), (0, 1), (0, 33), (5, 64)] {
            let got = assert_fast_matches_careful(&blk, start, want.len() + slack, "random");
            assert!(got.as_deref() == Some(&want[..]), "seed {seed} start {start} slack {slack}");
        }
        if !want.is_empty() {
            assert_fast_matches_careful(&blk, 0, want.len() - 1, "random short");
        }
        for cut in [blk.len() / 2, blk.len().saturating_sub(3)] {
            assert_fast_matches_careful(&blk[..cut], 0, want.len() + 64, "random cut");
        }
    }
}

#[test]
fn short_offset_matches_at_the_end_of_the_output() {
    // `seed` literals, a match at every offset 1..=32, then 0..=6 closing
    // literals: the match ends within the last bytes of an exact output.
    for dist in 1..=32 {
        for len in (4..=40).chain([64, 65, 100]) {
            for tail in 0..=6 {
                let seed: Vec<u8> = (0..dist + 70).map(|i| (i * 31 + 7) as u8).collect();
                let mut block = Vec::new();
                block::put_sequence(&mut block, &seed, dist, len);
                let closing: Vec<u8> = (0..tail).map(|i| (i * 5 + 1) as u8).collect();
                block::put_last_literals(&mut block, &closing);
                let mut want = seed.clone();
                for _ in 0..len {
                    want.push(want[want.len() - dist]);
                }
                want.extend_from_slice(&closing);
                for slack in [0, 1, 17, 64] {
                    let got = assert_fast_matches_careful(&block, 0, want.len() + slack, "end");
                    assert!(got.as_deref() == Some(&want[..]), "dist {dist} len {len} tail {tail} slack {slack}");
                }
            }
        }
    }
}

#[test]
fn direct_and_windowed_block_decoding_agree_on_data_and_errors() {
    // 64 KiB output windows and whole input take the direct path for
    // 64 KiB independent blocks; 1000-byte windows never do. Both must
    // give the same bytes, or the same error at the same offset.
    let text = text(200_000);
    // Incompressible: stored blocks.
    let mut x = 1u32;
    let noise: Vec<u8> = (0..150_000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 23) as u8
        })
        .collect();
    let b64 = |level| FrameOptions::new(level).block_size(BlockSize::Max64KiB);
    for (data, opts) in [
        (&text, b64(1).block_checksum(true)),
        (&text, b64(9).content_checksum(true)),
        (&text, b64(1).independent_blocks(false)),
        (&noise, b64(1).content_checksum(true)),
    ] {
        let packed = encode_all(&mut Lz4Encoder::with_options(opts), data, usize::MAX, usize::MAX).unwrap();
        crate::testutil::assert_direct_and_buffered_agree(Lz4Decoder::new, &packed, data);
    }
}
