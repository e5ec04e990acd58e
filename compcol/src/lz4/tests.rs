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
