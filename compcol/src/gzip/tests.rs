//! gzip framing: header fields, multi-member, trailer checks, splits.

use super::*;
use crate::testutil::{assert_roundtrip_every_split, decode_all, encode_all, sample_inputs};
use alloc::vec;

#[test]
fn round_trips_at_every_split() {
    for data in sample_inputs().iter().filter(|d| d.len() <= 4096) {
        assert_roundtrip_every_split(|| GzipEncoder::new(6), GzipDecoder::new, data);
    }
}

#[test]
fn header_fields_round_trip_with_hcrc() {
    let h = GzHeader::new()
        .name(b"file.txt")
        .comment(b"a comment")
        .extra(b"AB\x02\x00hi")
        .mtime(1_234_567_890)
        .text(true)
        .header_crc(true)
        .os(3);
    let mut enc = GzipEncoder::with_header(&Options::new(9), &h).unwrap();
    let packed = encode_all(&mut enc, b"payload payload", 1, 3).unwrap();
    assert_eq!(packed[3], 0b1_1111);
    assert_eq!(packed[8], 2, "XFL for level 9");
    let mut dec = GzipDecoder::new();
    assert_eq!(decode_all(&mut dec, &packed, 1, 1).unwrap(), b"payload payload");
    let got = dec.header().unwrap();
    assert_eq!(got.filename.as_deref(), Some(&b"file.txt"[..]));
    assert_eq!(got.comment.as_deref(), Some(&b"a comment"[..]));
    assert_eq!(got.extra.as_deref(), Some(&b"AB\x02\x00hi"[..]));
    assert_eq!((got.mtime, got.text, got.hcrc, got.os), (1_234_567_890, true, true, 3));
    // A corrupted header CRC is caught.
    let hdr_len = 10 + 2 + 6 + 9 + 10;
    let mut bad = packed.clone();
    bad[hdr_len] ^= 0xff;
    assert_eq!(decompress_to_vec(&bad, 100).unwrap_err().detail(), "header CRC-16 does not match");
}

#[test]
fn multi_member_streams_concatenate() {
    let mut packed = compress_to_vec(b"first ", 1).unwrap();
    packed.extend(compress_to_vec(b"", 6).unwrap());
    packed.extend(compress_to_vec(b"second", 9).unwrap());
    let mut dec = GzipDecoder::new();
    assert_eq!(decode_all(&mut dec, &packed, 5, 2).unwrap(), b"first second");
    assert_eq!(dec.members(), 3);
    // Trailing non-gzip bytes stay unconsumed.
    let mut with_junk = packed.clone();
    with_junk.extend_from_slice(b"junk");
    let mut out = vec![0u8; 64];
    let p = GzipDecoder::new().decode(&with_junk, &mut out).unwrap();
    assert_eq!((p.status, p.consumed), (Status::StreamEnd, packed.len()));
}

#[test]
fn trailer_and_header_errors() {
    let packed = compress_to_vec(b"some data to check", 6).unwrap();
    let n = packed.len();
    let mut bad = packed.clone();
    bad[n - 8] ^= 1;
    assert_eq!(decompress_to_vec(&bad, 100).unwrap_err().detail(), "CRC-32 of the data does not match");
    let mut bad = packed.clone();
    bad[n - 1] ^= 1;
    assert_eq!(decompress_to_vec(&bad, 100).unwrap_err().detail(), "ISIZE does not match the data length");
    let mut bad = packed.clone();
    bad[1] = 0;
    assert_eq!(decompress_to_vec(&bad, 100).unwrap_err().detail(), "not a gzip stream (bad magic)");
    let mut bad = packed.clone();
    bad[3] = 0x80;
    assert_eq!(decompress_to_vec(&bad, 100).unwrap_err().kind(), ErrorKind::Corrupt);
    for cut in 0..n {
        assert_eq!(decompress_to_vec(&packed[..cut], 100).unwrap_err().kind(), ErrorKind::Truncated, "cut {cut}");
    }
    assert_eq!(decompress_to_vec(&packed, 5).unwrap_err().kind(), ErrorKind::OutputLimit);
}

#[test]
fn overlong_name_is_a_memory_limit() {
    let mut s = vec![0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 255];
    s.extend(core::iter::repeat_n(b'a', header::MAX_TEXT_FIELD + 1));
    assert_eq!(decompress_to_vec(&s, 100).unwrap_err().kind(), ErrorKind::MemoryLimit);
}
