//! zlib framing: header, FDICT, Adler-32, splits and corruption.

use super::*;
use crate::testutil::{assert_roundtrip_every_split, decode_all, encode_all, sample_inputs};
use alloc::vec;

#[test]
fn round_trips_at_every_split() {
    for data in sample_inputs().iter().filter(|d| d.len() <= 4096) {
        assert_roundtrip_every_split(|| ZlibEncoder::new(6), ZlibDecoder::new, data);
    }
}

#[test]
fn known_stream_from_rfc_tools_decodes() {
    // zlib.compress(b"hello") from CPython.
    let packed = [0x78, 0x9c, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x06, 0x2c, 0x02, 0x15];
    assert_eq!(decompress_to_vec(&packed, 100).unwrap(), b"hello");
    assert_eq!(compress_to_vec(b"hello", 6).unwrap(), packed);
}

#[test]
fn header_and_checksum_errors() {
    let packed = compress_to_vec(b"hello hello", 6).unwrap();
    let mut bad = packed.clone();
    bad[0] = 0x79;
    assert_eq!(decompress_to_vec(&bad, 100).unwrap_err().detail(), "compression method is not deflate");
    let mut bad = packed.clone();
    bad[1] ^= 1;
    assert_eq!(decompress_to_vec(&bad, 100).unwrap_err().detail(), "header check bits are wrong");
    let mut bad = packed.clone();
    let n = bad.len();
    bad[n - 1] ^= 1;
    assert_eq!(decompress_to_vec(&bad, 100).unwrap_err().kind(), ErrorKind::Checksum);
    for cut in 0..packed.len() {
        let e = decompress_to_vec(&packed[..cut], 100).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Truncated, "cut {cut}");
    }
}

#[test]
fn preset_dictionary_round_trip_and_need_dictionary() {
    let dict = b"the quick brown fox jumps over the lazy dog";
    let data = b"the lazy dog jumps over the quick brown fox";
    let mut enc = ZlibEncoder::with_options(&Options::new(9).dictionary(dict)).unwrap();
    let packed = encode_all(&mut enc, data, usize::MAX, usize::MAX).unwrap();
    assert_eq!(packed[1] & 0x20, 0x20, "FDICT set");
    // Known ahead of time.
    let plain = decode_all(&mut ZlibDecoder::with_dictionary(dict), &packed, 3, 5).unwrap();
    assert_eq!(plain, data);
    // Asked for by id.
    let mut dec = ZlibDecoder::new();
    let mut out = vec![0u8; 100];
    let p = dec.decode(&packed, &mut out).unwrap();
    assert_eq!(p.status, Status::NeedDictionary(adler32(dict)));
    assert_eq!(p.consumed, 6);
    assert_eq!(dec.set_dictionary(b"wrong").unwrap_err().kind(), ErrorKind::InvalidArgument);
    dec.set_dictionary(dict).unwrap();
    let q = dec.decode(&packed[6..], &mut out).unwrap();
    assert_eq!((q.status, &out[..q.produced]), (Status::StreamEnd, &data[..]));
}
