use super::*;
use crate::testutil::{assert_roundtrip_every_split, sample_inputs};
use crate::{Decoder, Status};
use alloc::vec;

fn text(n: usize) -> Vec<u8> {
    let words = ["alpha ", "beta ", "gamma ", "delta ", "epsilon\n", "zeta, ", "eta; ", "theta "];
    let mut x = 7u32;
    let mut out = Vec::new();
    while out.len() < n {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        out.extend_from_slice(words[(x >> 16) as usize % words.len()].as_bytes());
    }
    out.truncate(n);
    out
}

#[test]
fn round_trips_every_level() {
    let mut inputs = sample_inputs();
    inputs.push(text(300_000));
    for data in &inputs {
        for level in [-7, -1, 1, 2, 3, 4, 5, 7, 9, 12, 16, 19, 22] {
            let packed = compress_to_vec(data, level).unwrap();
            let back = decompress_to_vec(&packed, data.len() + 1).unwrap();
            assert!(back == *data, "level {level} len {}", data.len());
        }
    }
}

#[test]
fn every_split_gives_the_same_bytes() {
    for data in sample_inputs() {
        if data.len() > 5000 {
            continue;
        }
        assert_roundtrip_every_split(|| ZstdEncoder::new(3).unwrap(), ZstdDecoder::new, &data);
    }
}

#[test]
fn compresses_text() {
    let data = text(200_000);
    let packed = compress_to_vec(&data, 3).unwrap();
    assert!(packed.len() < data.len() / 3, "{}", packed.len());
}

#[test]
fn window_limit_is_a_typed_error() {
    let data = text(10_000);
    let mut enc = ZstdEncoder::with_options(&Options::new(3).long(27)).unwrap();
    let mut packed = vec![0u8; 20_000];
    let p1 = enc.encode(&data, &mut packed, crate::Flush::None).unwrap();
    assert_eq!(p1.consumed, data.len());
    let (_, rest) = packed.split_at_mut(p1.produced);
    let p2 = enc.encode(&[], rest, crate::Flush::Finish).unwrap();
    assert_eq!(p2.status, Status::StreamEnd);
    packed.truncate(p1.produced + p2.produced);
    let mut dec = ZstdDecoder::new().with_window_limit(1 << 20);
    let mut out = vec![0u8; 100];
    let e = dec.decode(&packed, &mut out).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MemoryLimit);
    assert!(e.detail().contains("128 MiB"), "{e}");
    assert!(dec.decode(&packed, &mut out).is_err());
    let p = ZstdDecoder::new().decode(&packed, &mut vec![0u8; 20_000]).unwrap();
    assert_eq!(p.status, Status::StreamEnd);
}
