//! Entry points for the cargo-fuzz targets in `fuzz/` (not a stable API).
//!
//! Entry points: [`fuzz_inflate`], [`fuzz_zlib`], [`fuzz_gzip`] (decode
//! arbitrary bytes: errors are fine, panics and hangs are bugs) and
//! [`fuzz_roundtrip`] (compress arbitrary bytes with settings taken from
//! the first bytes, decode, compare).

// A fuzz target reports a bug by panicking: that is its whole job.
#![allow(clippy::panic)]

use crate::{Decoder, Status};
use alloc::vec;

/// Output cap for the decode targets.
const CAP: usize = 1 << 22;

#[cfg_attr(not(any(feature = "deflate", feature = "zlib", feature = "gzip")), allow(dead_code))]
/// Decodes `data` in small odd-sized chunks, as a hostile stream would
/// arrive, checking the streaming contract as it goes.
fn decode_chunked<D: Decoder>(mut dec: D, data: &[u8]) {
    let mut out = vec![0u8; 1021];
    let mut pos = 0;
    let mut total = 0;
    let mut idle = 0;
    while total < CAP {
        let end = data.len().min(pos + 97);
        let Ok(p) = dec.decode(data.get(pos..end).unwrap_or(&[]), &mut out) else { return };
        assert!(p.consumed <= end - pos && p.produced <= out.len(), "codec overran its slices");
        pos += p.consumed;
        total += p.produced;
        if p.status == Status::StreamEnd {
            return;
        }
        idle = if p.consumed == 0 && p.produced == 0 { idle + 1 } else { 0 };
        if idle > 3 {
            assert!(pos == data.len() || matches!(p.status, Status::NeedDictionary(_)), "decoder stalled");
            return;
        }
    }
}

/// Fuzz target body: raw deflate decoding.
#[cfg(feature = "deflate")]
pub fn fuzz_inflate(data: &[u8]) {
    decode_chunked(crate::deflate::DeflateDecoder::new(), data);
}

/// Fuzz target body: zlib decoding.
#[cfg(feature = "zlib")]
pub fn fuzz_zlib(data: &[u8]) {
    decode_chunked(crate::zlib::ZlibDecoder::new(), data);
}

/// Fuzz target body: gzip decoding.
#[cfg(feature = "gzip")]
pub fn fuzz_gzip(data: &[u8]) {
    decode_chunked(crate::gzip::GzipDecoder::new(), data);
}

/// Fuzz target body: compress with fuzzer-chosen settings and chunking,
/// then decode and compare.
#[cfg(feature = "deflate")]
pub fn fuzz_roundtrip(data: &[u8]) {
    use crate::deflate::{DeflateDecoder, DeflateEncoder, Options, Strategy};
    use crate::{Encoder, Flush};
    use alloc::vec::Vec;
    let (cfg, payload) = data.split_at(data.len().min(3));
    let c = |i: usize| cfg.get(i).copied().unwrap_or(0);
    let strategy = match c(0) >> 4 & 3 {
        0 => Strategy::Default,
        1 => Strategy::Filtered,
        2 => Strategy::HuffmanOnly,
        _ => Strategy::Rle,
    };
    let opts = Options::new(i32::from(c(0) % 10)).strategy(strategy).window_bits(9 + c(1) % 7);
    let Ok(mut enc) = DeflateEncoder::with_options(&opts) else { return };
    let chunk = usize::from(c(2)).max(1);
    let mut packed = Vec::new();
    let mut out = vec![0u8; chunk.max(7)];
    let mut pos = 0;
    loop {
        let end = payload.len().min(pos + chunk);
        let flush = if end == payload.len() {
            Flush::Finish
        } else if c(2) & 1 == 1 && pos % 3 == 0 {
            Flush::Sync
        } else {
            Flush::None
        };
        let Ok(p) = enc.encode(payload.get(pos..end).unwrap_or(&[]), &mut out, flush) else {
            panic!("encoder failed on valid input")
        };
        pos += p.consumed;
        packed.extend_from_slice(out.get(..p.produced).unwrap_or(&[]));
        if p.status == Status::StreamEnd {
            break;
        }
    }
    match crate::util::decompress_to_vec(&mut DeflateDecoder::new(), &packed, payload.len() + 1) {
        Ok(plain) => assert!(plain == payload, "round trip changed the data"),
        Err(e) => panic!("our own stream failed to decode: {e}"),
    }
}

#[cfg(all(test, feature = "deflate", feature = "zlib", feature = "gzip"))]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn targets_accept_garbage_and_round_trip() {
        let mut x = 1u32;
        for n in [0usize, 1, 2, 3, 10, 100, 1000, 5000] {
            let data: Vec<u8> = (0..n)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (x >> 16) as u8
                })
                .collect();
            fuzz_inflate(&data);
            fuzz_zlib(&data);
            fuzz_gzip(&data);
            fuzz_roundtrip(&data);
            let mut gz = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
            gz.extend_from_slice(&data);
            fuzz_gzip(&gz);
        }
    }
}
