//! LZW unit tests: every-split round trips at several widths, and bad
//! headers and codes.

use super::*;
use crate::testutil::{assert_roundtrip_every_split, sample_inputs};
use crate::{ErrorKind, util};

#[test]
fn every_split_round_trips() {
    for data in sample_inputs() {
        for bits in [10, 12, 16] {
            assert_roundtrip_every_split(|| LzwEncoder::with_bits(bits), LzwDecoder::new, &data);
        }
    }
}

#[test]
fn wide_inputs_fill_the_table_and_clear_it() {
    // Pseudo-random then text: the table fills, and the ratio drop when
    // the text turns random again triggers CLEAR.
    let mut data = Vec::new();
    let mut x = 1u32;
    for i in 0..400_000u32 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data.push(if (i / 50_000) % 2 == 0 { b"abcdefgh"[(x % 8) as usize] } else { x as u8 });
    }
    for bits in [10, 13, 16] {
        let packed = util::compress_to_vec(&mut LzwEncoder::with_bits(bits), &data).unwrap();
        assert_eq!(decompress_to_vec(&packed, 1 << 20).unwrap(), data, "bits {bits}");
    }
}

#[test]
fn bad_headers_and_codes_are_typed_errors() {
    let e = |s: &[u8]| decompress_to_vec(s, 1000).unwrap_err().kind();
    assert_eq!(e(&[0x1f, 0x8b, 0x90]), ErrorKind::Corrupt);
    assert_eq!(e(&[0x1f, 0x9d, 0x91]), ErrorKind::Unsupported);
    assert_eq!(e(&[0x1f, 0x9d, 0x88]), ErrorKind::Unsupported);
    assert_eq!(e(&[0x1f, 0x9d, 0xf0]), ErrorKind::Unsupported);
    // First code 300 (not a literal).
    assert_eq!(e(&[0x1f, 0x9d, 0x90, 0x2c, 0x01]), ErrorKind::Corrupt);
    // 'a' then code 300, beyond the next free entry (257).
    assert_eq!(e(&[0x1f, 0x9d, 0x90, 0x61, 0x58, 0x02]), ErrorKind::Corrupt);
    assert_eq!(e(&[0x1f]), ErrorKind::Truncated);
    // Header alone: an empty stream.
    assert_eq!(decompress_to_vec(&[0x1f, 0x9d, 0x90], 10).unwrap(), b"");
}
