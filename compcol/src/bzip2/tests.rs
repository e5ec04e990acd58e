use super::*;
use crate::testutil;
use crate::{Decoder, Encoder, ErrorKind, Flush, Status};
use alloc::vec;
use alloc::vec::Vec;

fn sample(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|i| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            if i % 7 < 3 { b'a' + (x >> 28) as u8 } else { (x >> 24) as u8 }
        })
        .collect()
}

#[test]
fn round_trips_at_every_level() {
    let inputs: Vec<Vec<u8>> =
        vec![Vec::new(), b"x".to_vec(), vec![b'a'; 1000], vec![7u8; 255 * 4], sample(5000, 1), b"abab".repeat(300)];
    for data in &inputs {
        for level in [1, 5, 9] {
            let packed = compress_to_vec(data, level).unwrap();
            assert_eq!(decompress_to_vec(&packed, 1 << 24).unwrap(), *data, "level {level} len {}", data.len());
        }
    }
}

#[test]
fn empty_input_is_the_fourteen_byte_stream() {
    let packed = compress_to_vec(b"", 9).unwrap();
    assert_eq!(packed, [b'B', b'Z', b'h', b'9', 0x17, 0x72, 0x45, 0x38, 0x50, 0x90, 0, 0, 0, 0]);
}

#[test]
fn one_byte_windows_decode_the_same() {
    let data = sample(20_000, 3);
    let packed = compress_to_vec(&data, 1).unwrap();
    let plain = testutil::decode_all(&mut Bzip2Decoder::new(), &packed, 1, 1).unwrap();
    assert_eq!(plain, data);
}

#[test]
fn every_split_gives_the_same_bytes() {
    for data in testutil::sample_inputs() {
        testutil::assert_roundtrip_every_split(|| Bzip2Encoder::new(1), Bzip2Decoder::new, &data);
    }
}

#[test]
fn multi_stream_and_sync_flush() {
    let mut a = compress_to_vec(b"first ", 3).unwrap();
    a.extend(compress_to_vec(b"second", 9).unwrap());
    assert_eq!(decompress_to_vec(&a, 100).unwrap(), b"first second");

    let mut enc = Bzip2Encoder::new(9);
    let mut out = vec![0u8; 4096];
    let p = enc.encode(b"hello ", &mut out, Flush::Sync).unwrap();
    assert_eq!((p.consumed, p.status), (6, Status::NeedInput));
    // The sync point is a complete stream.
    assert_eq!(decompress_to_vec(&out[..p.produced], 100).unwrap(), b"hello ");
    let mut all = out[..p.produced].to_vec();
    let q = enc.encode(b"world", &mut out, Flush::Finish).unwrap();
    assert_eq!(q.status, Status::StreamEnd);
    all.extend_from_slice(&out[..q.produced]);
    assert_eq!(decompress_to_vec(&all, 100).unwrap(), b"hello world");
}

#[test]
fn corruption_is_a_typed_error_and_sticky() {
    let data = sample(3000, 9);
    let packed = compress_to_vec(&data, 9).unwrap();
    let mut bad = packed.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x10;
    let err = decompress_to_vec(&bad, 1 << 20).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Corrupt | ErrorKind::Checksum), "{err}");
    let mut dec = Bzip2Decoder::new();
    let mut out = vec![0u8; 10_000];
    assert!(dec.decode(b"BZh0", &mut out).is_err());
    assert_eq!(dec.decode(b"", &mut out).unwrap_err().kind(), ErrorKind::Poisoned);
    let trunc = decompress_to_vec(&packed[..packed.len() - 3], 1 << 20).unwrap_err();
    assert_eq!(trunc.kind(), ErrorKind::Truncated);
}

#[test]
fn randomised_blocks_decode() {
    // Long enough that many bytes are flipped (the first gap is 619).
    let data = sample(250_000, 11);
    let mut enc = Bzip2Encoder::new(1).with_randomised_blocks();
    let packed = crate::compress_to_vec(&mut enc, &data).unwrap();
    assert_ne!(packed, compress_to_vec(&data, 1).unwrap());
    assert_eq!(decompress_to_vec(&packed, 1 << 20).unwrap(), data);
}
