//! Snappy unit tests: every-split round trips (framed and raw), chunk
//! types, concatenation, and corruption at every offset.

use super::*;
use crate::testutil::{assert_roundtrip_every_split, decode_all, encode_all, sample_inputs};
use crate::{ErrorKind, util};
use alloc::vec;

#[test]
fn every_split_round_trips() {
    for data in sample_inputs() {
        assert_roundtrip_every_split(SnappyEncoder::new, SnappyDecoder::new, &data);
        assert_roundtrip_every_split(SnappyRawEncoder::new, SnappyRawDecoder::new, &data);
    }
}

#[test]
fn large_input_spans_many_chunks() {
    let data: Vec<u8> = (0..300_000u32).map(|i| (i / 7 % 251) as u8 ^ (i % 3) as u8).collect();
    let packed = compress_to_vec(&data).unwrap();
    assert!(packed.len() < data.len());
    assert_eq!(decompress_to_vec(&packed, 1 << 20).unwrap(), data);
    let raw = encode_all(&mut SnappyRawEncoder::new(), &data, 1000, 777).unwrap();
    assert_eq!(decode_all(&mut SnappyRawDecoder::new(), &raw, 13, 4099).unwrap(), data);
}

#[test]
fn padding_skippable_uncompressed_and_concatenated_streams() {
    let mut s = frame::STREAM_ID.to_vec();
    s.extend_from_slice(&[0xfe, 2, 0, 0, 0, 0]); // padding
    s.extend_from_slice(&[0x80, 1, 0, 0, 9]); // skippable
    s.push(0x01);
    s.extend_from_slice(&[7, 0, 0]);
    s.extend_from_slice(&crate::checksum::crc32c_masked(b"abc").to_le_bytes());
    s.extend_from_slice(b"abc");
    s.extend(compress_to_vec(b"def").unwrap());
    assert_eq!(decompress_to_vec(&s, 100).unwrap(), b"abcdef");
    // A reserved unskippable chunk type.
    let mut bad = frame::STREAM_ID.to_vec();
    bad.extend_from_slice(&[0x02, 0, 0, 0]);
    assert_eq!(decompress_to_vec(&bad, 100).unwrap_err().kind(), ErrorKind::Unsupported);
    // No stream identifier.
    assert_eq!(decompress_to_vec(&[0x01, 4, 0, 0, 0, 0, 0, 0], 100).unwrap_err().kind(), ErrorKind::Corrupt);
}

#[test]
fn corruption_and_truncation_at_every_offset_are_typed_errors() {
    let data: Vec<u8> = b"snappy snappy framing test ".iter().copied().cycle().take(3000).collect();
    let packed = compress_to_vec(&data).unwrap();
    for cut in 0..packed.len() {
        match decompress_to_vec(&packed[..cut], 1 << 20) {
            // Right after the stream identifier: a valid empty stream.
            Ok(out) => assert!((cut == 0 || cut == frame::STREAM_ID.len()) && out.is_empty(), "cut {cut} decoded"),
            Err(e) => assert!(matches!(e.kind(), ErrorKind::Truncated | ErrorKind::Corrupt), "cut {cut}: {e}"),
        }
    }
    for i in 0..packed.len() {
        for bit in [0, 4, 7] {
            let mut bad = packed.clone();
            bad[i] ^= 1 << bit;
            if let Ok(out) = decompress_to_vec(&bad, 1 << 20) {
                // The one undetectable flip: the chunk type turning the data
                // chunk into a skippable one (0x00 -> 0x80), which drops it.
                let dropped = i == frame::STREAM_ID.len() && bit == 7 && out.is_empty();
                assert!(out == data || dropped, "flip at {i} bit {bit} changed the data silently");
            }
        }
    }
    let mut raw = Vec::new();
    raw::compress(&data, &mut raw);
    for cut in 0..raw.len() {
        let e = util::decompress_to_vec(&mut SnappyRawDecoder::new(), &raw[..cut], 1 << 20).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Truncated | ErrorKind::Corrupt), "raw cut {cut}: {e}");
    }
    for i in 0..raw.len() {
        let mut bad = raw.clone();
        bad[i] ^= 0x21;
        let _ = util::decompress_to_vec(&mut SnappyRawDecoder::new(), &bad, 1 << 20);
        let _ = raw::decompress(&bad, &mut vec![0u8; 4000]);
    }
}

#[test]
fn huge_declared_raw_length_is_refused_before_allocating() {
    let e = util::decompress_to_vec(&mut SnappyRawDecoder::new(), &[0xff, 0xff, 0xff, 0xff, 0x0f], 100).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MemoryLimit);
}
