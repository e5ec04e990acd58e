//! deflate round trips, split invariance, flushes, dictionaries and
//! corrupt-input cases.

use super::*;
use crate::testutil::{assert_roundtrip_every_split, decode_all, encode_all, sample_inputs};
use crate::{ErrorKind, Status};
use alloc::vec;
use alloc::vec::Vec;

fn roundtrip(opts: &Options, data: &[u8]) -> Vec<u8> {
    let packed = encode_all(&mut DeflateEncoder::with_options(opts).unwrap(), data, usize::MAX, usize::MAX).unwrap();
    let dict = opts.dictionary_value();
    let mut dec = if dict.is_empty() { DeflateDecoder::new() } else { DeflateDecoder::with_dictionary(dict) };
    let plain = decode_all(&mut dec, &packed, usize::MAX, usize::MAX).unwrap();
    assert!(plain == data, "round trip differs (len {} vs {})", plain.len(), data.len());
    packed
}

fn text(n: usize) -> Vec<u8> {
    let words =
        [&b"the "[..], b"quick ", b"brown ", b"fox ", b"jumps ", b"over ", b"lazy ", b"dog\n", b"zlib ", b"gzip "];
    let mut out = Vec::with_capacity(n + 8);
    let mut x: u32 = 12345;
    while out.len() < n {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        out.extend_from_slice(words[(x >> 16) as usize % words.len()]);
    }
    out.truncate(n);
    out
}

#[test]
fn every_level_and_strategy_round_trips() {
    let mut inputs = sample_inputs();
    inputs.push(text(200_000));
    for data in &inputs {
        for level in 0..=9 {
            for strategy in [Strategy::Default, Strategy::Filtered, Strategy::HuffmanOnly, Strategy::Rle] {
                roundtrip(&Options::new(level).strategy(strategy), data);
            }
        }
    }
}

#[test]
fn window_bits_and_dictionaries_round_trip() {
    let data = text(100_000);
    for bits in 9..=15 {
        roundtrip(&Options::new(6).window_bits(bits), &data);
    }
    let dict = text(5000);
    let with = roundtrip(&Options::new(9).dictionary(&dict), &dict[1000..3000]);
    let without = roundtrip(&Options::new(9), &dict[1000..3000]);
    assert!(with.len() * 4 < without.len(), "dictionary did not help: {} vs {}", with.len(), without.len());
}

#[test]
fn levels_trade_size_as_expected() {
    let data = text(300_000);
    let sizes: Vec<usize> = (0..=9).map(|l| roundtrip(&Options::new(l), &data).len()).collect();
    assert!(sizes[0] > data.len());
    assert!(sizes[1] < data.len() / 2);
    assert!(sizes[9] <= sizes[6] && sizes[6] < sizes[1], "{sizes:?}");
}

#[test]
fn round_trips_at_every_split() {
    for data in sample_inputs().iter().filter(|d| d.len() <= 4096) {
        for level in [0, 1, 6, 9] {
            assert_roundtrip_every_split(|| DeflateEncoder::new(level), DeflateDecoder::new, data);
        }
    }
}

#[test]
fn sync_and_full_flush_make_decodable_prefixes() {
    let data = text(50_000);
    for flush in [Flush::Sync, Flush::Full] {
        let mut enc = DeflateEncoder::new(6);
        let mut dec = DeflateDecoder::new();
        let mut out = vec![0u8; 100_000];
        let mut plain = vec![0u8; 100_000];
        let mut got = Vec::new();
        for part in data.chunks(7000) {
            let p = enc.encode(part, &mut out, flush).unwrap();
            assert_eq!((p.consumed, p.status), (part.len(), Status::NeedInput));
            assert_eq!(out[p.produced - 4..p.produced], [0, 0, 0xff, 0xff]);
            // A repeated flush with no new input writes nothing.
            assert_eq!(enc.encode(&[], &mut out[p.produced..], flush).unwrap().produced, 0);
            let d = dec.decode(&out[..p.produced], &mut plain).unwrap();
            assert_eq!(d.consumed, p.produced);
            got.extend_from_slice(&plain[..d.produced]);
            assert_eq!(got, data[..got.len()]);
        }
        let p = enc.encode(&[], &mut out, Flush::Finish).unwrap();
        assert_eq!(p.status, Status::StreamEnd);
        let d = dec.decode(&out[..p.produced], &mut plain).unwrap();
        assert_eq!(d.status, Status::StreamEnd);
        got.extend_from_slice(&plain[..d.produced]);
        assert_eq!(got, data);
    }
}

#[test]
fn full_flush_lets_decoding_restart() {
    let data = text(20_000);
    let mut enc = DeflateEncoder::new(6);
    let mut first = vec![0u8; 40_000];
    let p1 = enc.encode(&data[..10_000], &mut first, Flush::Full).unwrap();
    let mut second = vec![0u8; 40_000];
    let p2 = enc.encode(&data[10_000..], &mut second, Flush::Finish).unwrap();
    let plain = decode_all(&mut DeflateDecoder::new(), &second[..p2.produced], usize::MAX, usize::MAX).unwrap();
    assert_eq!(plain, data[10_000..]);
    assert!(p1.produced > 0);
}

#[test]
fn bad_options_are_rejected() {
    assert_eq!(DeflateEncoder::with_options(&Options::new(10)).unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(
        DeflateEncoder::with_options(&Options::new(1).window_bits(8)).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert!(DeflateEncoder::with_options(&Options::new(-1)).is_ok());
}

#[test]
fn input_after_finish_poisons() {
    let mut enc = DeflateEncoder::new(1);
    let mut out = [0u8; 64];
    assert_eq!(enc.encode(b"abc", &mut out, Flush::Finish).unwrap().status, Status::StreamEnd);
    assert_eq!(enc.encode(b"", &mut out, Flush::Finish).unwrap().status, Status::StreamEnd);
    assert_eq!(enc.encode(b"x", &mut out, Flush::None).unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(enc.encode(b"", &mut out, Flush::None).unwrap_err().kind(), ErrorKind::Poisoned);
    enc.reset();
    assert_eq!(enc.encode(b"x", &mut out, Flush::Finish).unwrap().status, Status::StreamEnd);
}

fn decode_err(stream: &[u8]) -> crate::Error {
    let mut dec = DeflateDecoder::new();
    let mut out = vec![0u8; 1 << 16];
    let e = dec.decode(stream, &mut out).unwrap_err();
    assert_eq!(dec.decode(stream, &mut out).unwrap_err().kind(), ErrorKind::Poisoned);
    dec.reset();
    e
}

/// Packs (value, bit count) pairs LSB-first.
fn bits(fields: &[(u32, u32)]) -> Vec<u8> {
    let mut w = trees::BitWriter::default();
    for &(v, n) in fields {
        w.put(v, n);
    }
    w.align();
    w.out
}

#[test]
fn malformed_streams_give_typed_errors() {
    // BTYPE = 3.
    let e = decode_err(&[0b111]);
    assert_eq!((e.kind(), e.detail()), (ErrorKind::Corrupt, "invalid block type 3"));
    // Stored length with a wrong complement.
    let e = decode_err(&[0x01, 0x05, 0x00, 0xfa, 0xfe]);
    assert_eq!(e.detail(), "stored block length does not match its complement");
    // Distance before the start: fixed block, literal 'a', then length 3
    // (symbol 257, code 0000001) at distance 2 (code 00001).
    let e = decode_err(&bits(&[(0b011, 3), (0x89, 8), (0b1000000, 7), (0b10000, 5), (0, 7)]));
    assert_eq!(e.detail(), "distance beyond the start of the output");
    // Dynamic block whose code-length code is over-subscribed: HCLEN = 4
    // lengths all 1.
    let e = decode_err(&bits(&[(0b101, 3), (0, 5), (0, 5), (0, 4), (1, 3), (1, 3), (1, 3), (1, 3)]));
    assert_eq!(e.detail(), "over-subscribed code-length code");
    // Incomplete code-length code: only symbols 16 and 17 with length 2.
    let e = decode_err(&bits(&[(0b101, 3), (0, 5), (0, 5), (0, 4), (2, 3), (2, 3), (0, 3), (0, 3)]));
    assert_eq!(e.detail(), "incomplete code-length code");
    // Literal/length code over-subscribed: code-length code {0: 1, 1: 1}
    // (slots for 0 and 1 are 4th and 18th), then 257 ones... use 18 zeros
    // and check via an all-length-1 litlen set instead: lengths 1 for
    // symbols 0, 1 and 256 (three 1-bit codes).
    let mut f = vec![(0b101u32, 3u32), (0, 5), (0, 5), (14, 4)];
    // 18 slots in CL_ORDER: 16,17,18,0,8,7,9,6,10,5,11,4,12,3,13,2,14,1
    let mut cl = [0u32; 18];
    cl[3] = 1; // symbol 0 -> "0"
    cl[17] = 1; // symbol 1 -> "1"
    for l in cl {
        f.push((l, 3));
    }
    // Lengths: sym0 = 1, sym1 = 1, then 255 zeros... then sym 256 = 1: the
    // code-length alphabet only has 0 and 1, so write each explicitly.
    let mut lens = vec![1u32, 1];
    lens.extend(core::iter::repeat_n(0, 254));
    lens.push(1); // 256
    lens.push(1); // distance code 0
    for l in lens {
        f.push((l, 1));
    }
    let e = decode_err(&bits(&f));
    assert_eq!(e.detail(), "over-subscribed literal/length code");
}

#[test]
fn truncation_and_bit_flips_never_panic() {
    let data = text(3000);
    for level in [1, 6] {
        let packed = encode_all(&mut DeflateEncoder::new(level), &data, usize::MAX, usize::MAX).unwrap();
        for cut in 0..packed.len() {
            let mut dec = DeflateDecoder::new();
            let mut out = vec![0u8; 8192];
            // A truncated stream never reports its end.
            if let Ok(p) = dec.decode(&packed[..cut], &mut out) {
                assert_ne!(p.status, Status::StreamEnd, "cut {cut}");
                assert_eq!(out[..p.produced], data[..p.produced]);
            }
        }
        for bit in 0..packed.len() * 8 {
            let mut bad = packed.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            let _ = decode_all(&mut DeflateDecoder::new(), &bad, 97, 1000);
        }
    }
}
