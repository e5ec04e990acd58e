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

/// Bytes past the fast loop's margins, so a test stream can end in it.
const TAIL: usize = 130;

/// Both raw decoders on `raw` into a `cap`-byte output: the fast one must
/// match the careful one exactly (error kind and offset included).
fn assert_fast_matches_careful(raw: &[u8], cap: usize, what: &str) -> Option<Vec<u8>> {
    let mut fast = vec![0u8; cap];
    let mut careful = vec![0u8; cap];
    match (raw::decompress(raw, &mut fast), raw::decompress_careful(raw, &mut careful)) {
        (Ok(x), Ok(y)) => {
            assert_eq!(x, y, "{what}: lengths differ");
            assert!(fast[..x] == careful[..y], "{what}: bytes differ");
            Some(fast[..x].to_vec())
        }
        (Err(x), Err(y)) => {
            assert_eq!((x.kind(), x.offset()), (y.kind(), y.offset()), "{what}: errors differ");
            None
        }
        (x, y) => panic!("{what}: fast {x:?}, careful {y:?}"),
    }
}

#[test]
fn fast_and_careful_raw_loops_agree_on_the_corpus() {
    for (name, data) in crate::testutil::corpus() {
        let mut packed = Vec::new();
        raw::compress(data, &mut packed);
        let n = data.len();
        for slack in [0, 1, 96, 1000] {
            let out = assert_fast_matches_careful(&packed, n + slack, name);
            assert!(out.as_deref() == Some(data), "{name} slack {slack}");
        }
        let cuts = (0..packed.len()).step_by(991).chain(packed.len().saturating_sub(TAIL)..packed.len());
        for cut in cuts {
            assert_fast_matches_careful(&packed[..cut], n, name);
            let mut bad = packed.clone();
            bad[cut] ^= 0x5a;
            assert_fast_matches_careful(&bad, n + 64, name);
        }
    }
}

#[test]
fn streams_decode_alike_at_every_chunk_shape() {
    let shapes: [(&[usize], &[usize]); 5] = [
        (&[1], &[usize::MAX >> 40]),
        (&[7, 1, 300], &[1, 65, 4096]),
        (&[95, 96, 97], &[17]),
        (&[65_536 + 11], &[100_000]),
        (&[usize::MAX >> 40], &[3, 1 << 20]),
    ];
    for (name, data) in crate::testutil::corpus() {
        let mut raw_stream = Vec::new();
        raw::compress(data, &mut raw_stream);
        let framed = compress_to_vec(data).unwrap();
        for (ins, outs) in shapes {
            if ins == [1] && data.len() > 200_000 {
                continue; // one byte at a time: the small files suffice
            }
            let what = alloc::format!("{name} shape {ins:?}/{outs:?}");
            let got = crate::testutil::decode_shaped(&mut SnappyRawDecoder::new(), &raw_stream, ins, outs).unwrap();
            assert!(got == data, "raw {what}");
            let got = crate::testutil::decode_shaped(&mut SnappyDecoder::new(), &framed, ins, outs).unwrap();
            assert!(got == data, "framed {what}");
        }
    }
}

#[test]
fn overlapping_copies_with_short_offsets_and_long_lengths() {
    for dist in 1..=32 {
        for len in (1..=70).chain([127, 128, 129, 255, 1000, 4099]) {
            let seed: Vec<u8> = (0..dist).map(|i| (i * 29 + 1) as u8).collect();
            let tail: Vec<u8> = (0..TAIL).map(|i| (i * 13 + 5) as u8).collect();
            let mut want = seed.clone();
            for i in 0..len {
                want.push(want[i]);
            }
            want.extend_from_slice(&tail);
            let mut s = Vec::new();
            raw::put_varint(&mut s, want.len() as u64);
            s.push(((dist - 1) as u8) << 2);
            s.extend_from_slice(&seed);
            // 2-byte-offset copies of at most 64 bytes each.
            let first_copy = s.len();
            let mut left = len;
            while left > 0 {
                let n = left.min(64);
                s.push(((n - 1) as u8) << 2 | 2);
                s.extend_from_slice(&(dist as u16).to_le_bytes());
                left -= n;
            }
            // A literal with a 1-byte length.
            s.extend_from_slice(&[60 << 2, (TAIL - 1) as u8]);
            s.extend_from_slice(&tail);
            let got = assert_fast_matches_careful(&s, want.len(), "overlap");
            assert!(got.as_deref() == Some(&want[..]), "dist {dist} len {len}");
            // One period too far back: refused by both loops.
            let mut bad = s.clone();
            bad[first_copy + 1] = (dist + 1) as u8;
            assert!(assert_fast_matches_careful(&bad, want.len(), "far").is_none(), "dist {} accepted", dist + 1);
        }
    }
}

/// A random valid raw stream of about `n` elements and what it decodes
/// to: literals of 1..=40 bytes (short tags and 1-byte lengths), copies of
/// every kind (1-, 2- and 4-byte offsets) at offsets 1..=40 or anywhere
/// behind, and a closing literal of 0..=20 bytes, so copies also end right
/// at the end of the output.
fn random_stream(seed: u64, n: usize) -> (Vec<u8>, Vec<u8>) {
    let mut x = seed | 1;
    let mut next = move |m: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % m as u64) as usize
    };
    let mut body = Vec::new();
    let mut want: Vec<u8> = Vec::new();
    // Literal bytes from a hash of their position (`next` is borrowed).
    let literal = |body: &mut Vec<u8>, want: &mut Vec<u8>, len: usize, long: bool| {
        if long || len > 60 {
            body.extend_from_slice(&[60 << 2, (len - 1) as u8]);
        } else {
            body.push(((len - 1) as u8) << 2);
        }
        for _ in 0..len {
            let b = ((want.len() as u32 ^ seed as u32).wrapping_mul(2_654_435_761) >> 24) as u8;
            body.push(b);
            want.push(b);
        }
    };
    for k in 0..n {
        if want.is_empty() || k % 3 == 0 {
            let (len, long) = (1 + next(40), next(4) == 0);
            literal(&mut body, &mut want, len, long);
            continue;
        }
        let dist = if next(3) == 0 { 1 + next(want.len()) } else { 1 + next(want.len().min(40)) };
        let len = match next(3) {
            0 if dist < 2048 => {
                let len = 4 + next(8);
                body.extend_from_slice(&[((dist >> 8) as u8) << 5 | ((len - 4) as u8) << 2 | 1, dist as u8]);
                len
            }
            1 => {
                let len = 1 + next(64);
                body.push(((len - 1) as u8) << 2 | 3);
                body.extend_from_slice(&(dist as u32).to_le_bytes());
                len
            }
            _ => {
                let len = 1 + next(64);
                body.push(((len - 1) as u8) << 2 | 2);
                body.extend_from_slice(&(dist as u16).to_le_bytes());
                len
            }
        };
        for _ in 0..len {
            want.push(want[want.len() - dist]);
        }
    }
    let tail = next(21);
    if tail > 0 {
        literal(&mut body, &mut want, tail, false);
    }
    let mut s = Vec::new();
    raw::put_varint(&mut s, want.len() as u64);
    s.extend_from_slice(&body);
    (s, want)
}

#[test]
fn fast_and_careful_raw_loops_agree_on_random_streams() {
    for seed in 0..300u64 {
        let (s, want) = random_stream(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15), 1 + seed as usize % 80);
        for slack in [0, 1, 33, 100] {
            let got = assert_fast_matches_careful(&s, want.len() + slack, "random");
            assert!(got.as_deref() == Some(&want[..]), "seed {seed} slack {slack}");
        }
        for cut in [s.len() / 2, s.len().saturating_sub(3)] {
            assert_fast_matches_careful(&s[..cut], want.len(), "random cut");
        }
        let mut bad = s.clone();
        let at = s.len() / 3;
        bad[at] ^= 0x41;
        assert_fast_matches_careful(&bad, want.len() + 100, "random flip");
    }
}

#[test]
fn direct_and_buffered_chunk_decoding_agree_on_data_and_errors() {
    // 64 KiB output windows and whole input take the direct path; 1000-byte
    // windows never do. Both must give the same bytes, or the same error
    // at the same offset. Noise makes uncompressed chunks.
    let mut x = 1u32;
    let noise: Vec<u8> = (0..150_000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 23) as u8
        })
        .collect();
    let text: Vec<u8> = crate::testutil::corpus()[0].1.to_vec();
    for data in [&text, &noise] {
        let packed = encode_all(&mut SnappyEncoder::new(), data, usize::MAX, usize::MAX).unwrap();
        crate::testutil::assert_direct_and_buffered_agree(SnappyDecoder::new, &packed, data);
    }
}
