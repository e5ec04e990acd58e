//! lzop unit tests: every-split round trips at both levels, header
//! checks, and corruption at every offset.

use super::*;
use crate::ErrorKind;
use crate::testutil::{assert_roundtrip_every_split, sample_inputs};

#[test]
fn every_split_round_trips() {
    for data in sample_inputs() {
        for level in [1, 9] {
            assert_roundtrip_every_split(|| LzopEncoder::new(level), LzopDecoder::new, &data);
        }
    }
}

#[test]
fn multi_block_and_concatenated_members() {
    let data: Vec<u8> = (0..700_000u32).map(|i| (i / 13 % 97) as u8 ^ (i % 7) as u8).collect();
    for level in [1, 9] {
        let mut packed = compress_to_vec(&data, level).unwrap();
        assert!(packed.len() < data.len() / 2);
        packed.extend(compress_to_vec(b"tail", level).unwrap());
        let mut want = data.clone();
        want.extend_from_slice(b"tail");
        assert_eq!(decompress_to_vec(&packed, 1 << 21).unwrap(), want);
    }
}

#[test]
fn corruption_and_truncation_at_every_offset_are_typed_errors() {
    let data: Vec<u8> = b"lzop corruption test ".iter().copied().cycle().take(3000).collect();
    let packed = compress_to_vec(&data, 1).unwrap();
    for cut in 0..packed.len() {
        let e = decompress_to_vec(&packed[..cut], 1 << 20).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Truncated | ErrorKind::Corrupt), "cut {cut}: {e}");
    }
    for i in 0..packed.len() {
        for bit in [0, 4, 7] {
            let mut bad = packed.clone();
            bad[i] ^= 1 << bit;
            if let Ok(out) = decompress_to_vec(&bad, 1 << 20) {
                assert_eq!(out, data, "flip at {i} bit {bit} changed the data silently");
            }
        }
    }
}
