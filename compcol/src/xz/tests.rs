//! Unit tests: the .lzma sniff, encoder/decoder round trips through every
//! entry point, and one-byte streaming of our own output.
use super::*;
use crate::testutil;

#[test]
fn lzma_sniff_is_narrow() {
    let packed = crate::util::compress_to_vec(&mut LzmaEncoder::new(6), b"sniff me").unwrap();
    assert!(looks_like_lzma(&packed));
    assert!(!looks_like_lzma(&packed[..12]));
    assert!(!looks_like_lzma(b"]this is text, not lzma"));
    let mut odd = packed.clone();
    odd[1] = 0x37; // dictionary 0x..37: not a size xz writes
    assert!(!looks_like_lzma(&odd));
}

#[test]
fn round_trips_every_split() {
    for data in testutil::sample_inputs() {
        testutil::assert_roundtrip_every_split(|| XzEncoder::new(1), XzDecoder::new, &data);
        testutil::assert_roundtrip_every_split(|| LzmaEncoder::new(0), LzmaDecoder::new, &data);
        testutil::assert_roundtrip_every_split(|| Lzma2Encoder::new(0), || Lzma2Decoder::new(1 << 18), &data);
    }
}

#[test]
fn presets_follow_xz_dictionary_sizes() {
    let sizes: alloc::vec::Vec<u32> = (0..=9).map(|p| Lzma2Encoder::new(p).dict_size()).collect();
    let mib = 1 << 20;
    assert_eq!(sizes, [256 << 10, mib, 2 * mib, 4 * mib, 4 * mib, 8 * mib, 8 * mib, 16 * mib, 32 * mib, 64 * mib]);
}
