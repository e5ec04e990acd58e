//! Contract drivers shared by every codec's tests.
//!
//! Entry point: [`assert_roundtrip_every_split`]: encodes and decodes with
//! every input chunk size and output window size in 1..=17 (STYLE.md rule
//! 30) and checks that each split gives the same bytes as one big call.

use crate::{Decoder, Encoder, Error, Flush, Status};
use alloc::vec;
use alloc::vec::Vec;

/// Calls without progress tolerated before a driver declares a hang.
const MAX_IDLE_CALLS: usize = 4;

/// Edge inputs every codec must round-trip.
pub(crate) fn sample_inputs() -> Vec<Vec<u8>> {
    let mut pseudo_random = Vec::with_capacity(4096);
    let mut x: u32 = 0x9e37_79b9;
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        pseudo_random.push(x.to_le_bytes()[0]);
    }
    vec![
        Vec::new(),
        vec![0x42],
        vec![0u8; 65_536],
        (0..=255u8).collect(),
        b"abracadabra abracadabra abracadabra".to_vec(),
        pseudo_random,
    ]
}

/// Every file of `tests/data/corpus` (name, bytes), built into the test
/// binary so `no_std` unit tests can read them.
#[cfg(any(feature = "lz4", feature = "snappy"))]
pub(crate) fn corpus() -> [(&'static str, &'static [u8]); 6] {
    [
        ("alice29.txt", include_bytes!("../tests/data/corpus/alice29.txt")),
        ("cp.html", include_bytes!("../tests/data/corpus/cp.html")),
        ("fields.c", include_bytes!("../tests/data/corpus/fields.c")),
        ("kennedy.xls", include_bytes!("../tests/data/corpus/kennedy.xls")),
        ("ptt5", include_bytes!("../tests/data/corpus/ptt5")),
        ("sum", include_bytes!("../tests/data/corpus/sum")),
    ]
}

/// Decodes `data` fed in input chunks cycling through `ins` into output
/// windows cycling through `outs` (all sizes at least 1), to the end of
/// the stream or of the input.
#[cfg(any(feature = "lz4", feature = "snappy"))]
pub(crate) fn decode_shaped<D: Decoder>(
    dec: &mut D,
    data: &[u8],
    ins: &[usize],
    outs: &[usize],
) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    let mut window = vec![0u8; outs.iter().copied().max().unwrap_or(1)];
    let (mut pos, mut call, mut idle) = (0, 0, 0);
    loop {
        let end = data.len().min(pos + ins[call % ins.len()]);
        let w = outs[call % outs.len()];
        call += 1;
        let p = dec.decode(&data[pos..end], &mut window[..w])?;
        pos += p.consumed;
        out.extend_from_slice(&window[..p.produced]);
        if p.status == Status::StreamEnd {
            return Ok(out);
        }
        idle = if p.consumed == 0 && p.produced == 0 { idle + 1 } else { 0 };
        if idle > MAX_IDLE_CALLS * ins.len().max(outs.len()) {
            assert_eq!(pos, data.len(), "decoder stalled at input {pos}");
            return Ok(out);
        }
    }
}

/// A reflected 32-bit CRC with polynomial `poly` (initial and final value
/// all ones), a bit at a time straight from the definition: the reference
/// the table and SIMD kernels are tested against.
pub(crate) fn crc32_bitwise(poly: u32, data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 { (c >> 1) ^ poly } else { c >> 1 };
        }
    }
    !c
}

/// Checks that a frame decoder's direct path (64 KiB output windows, whole
/// input) and its buffered path (1000-byte windows) give `data` back from
/// `packed`, and, with one byte flipped every 331 bytes, the same bytes or
/// the same error at the same offset.
#[cfg(any(feature = "lz4", feature = "snappy"))]
pub(crate) fn assert_direct_and_buffered_agree<D: Decoder>(new_decoder: impl Fn() -> D, packed: &[u8], data: &[u8]) {
    let shapes: [&[usize]; 2] = [&[65_536, 100_000], &[1000]];
    let decode = |bytes: &[u8], outs: &[usize]| decode_shaped(&mut new_decoder(), bytes, &[usize::MAX >> 40], outs);
    assert!(decode(packed, shapes[0]).unwrap() == data);
    assert!(decode(packed, shapes[1]).unwrap() == data);
    for i in (0..packed.len()).step_by(331) {
        let mut bad = packed.to_vec();
        bad[i] ^= 0x24;
        match (decode(&bad, shapes[0]), decode(&bad, shapes[1])) {
            (Ok(a), Ok(b)) => assert!(a == b, "flip at {i}"),
            (Err(a), Err(b)) => assert_eq!((a.kind(), a.offset()), (b.kind(), b.offset()), "flip at {i}"),
            (a, b) => panic!("flip at {i}: {:?} vs {:?}", a.map(|v| v.len()), b.map(|v| v.len())),
        }
    }
}

/// Encodes `data` fed `in_chunk` bytes at a time into windows of
/// `out_chunk` bytes, finishing the stream.
pub(crate) fn encode_all<E: Encoder>(
    enc: &mut E,
    data: &[u8],
    in_chunk: usize,
    out_chunk: usize,
) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    let mut window = vec![0u8; out_chunk.min(1 << 16)];
    let mut pos: usize = 0;
    let mut idle = 0;
    loop {
        let end = data.len().min(pos.saturating_add(in_chunk));
        let flush = if end == data.len() { Flush::Finish } else { Flush::None };
        let p = enc.encode(&data[pos..end], &mut window, flush)?;
        assert!(p.consumed <= end - pos && p.produced <= window.len(), "codec overran its slices");
        pos += p.consumed;
        out.extend_from_slice(&window[..p.produced]);
        if p.status == Status::StreamEnd {
            assert_eq!(pos, data.len(), "encoder ended before consuming its input");
            return Ok(out);
        }
        idle = if p.consumed == 0 && p.produced == 0 { idle + 1 } else { 0 };
        assert!(idle < MAX_IDLE_CALLS, "encoder made no progress ({:?})", p.status);
    }
}

/// Decodes `data` fed `in_chunk` bytes at a time into windows of
/// `out_chunk` bytes, until end of stream or end of input.
pub(crate) fn decode_all<D: Decoder>(
    dec: &mut D,
    data: &[u8],
    in_chunk: usize,
    out_chunk: usize,
) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    let mut window = vec![0u8; out_chunk.min(1 << 16)];
    let mut pos: usize = 0;
    let mut idle = 0;
    loop {
        let end = data.len().min(pos.saturating_add(in_chunk));
        let p = dec.decode(&data[pos..end], &mut window)?;
        assert!(p.consumed <= end - pos && p.produced <= window.len(), "codec overran its slices");
        pos += p.consumed;
        out.extend_from_slice(&window[..p.produced]);
        if p.status == Status::StreamEnd || (pos == data.len() && p.status == Status::NeedInput) {
            return Ok(out);
        }
        idle = if p.consumed == 0 && p.produced == 0 { idle + 1 } else { 0 };
        assert!(idle < MAX_IDLE_CALLS, "decoder made no progress ({:?})", p.status);
    }
}

/// Checks that every split of input and output in 1..=17 bytes encodes to
/// the same stream as one big call, and decodes back to `data`.
pub(crate) fn assert_roundtrip_every_split<E, D>(new_encoder: impl Fn() -> E, new_decoder: impl Fn() -> D, data: &[u8])
where
    E: Encoder,
    D: Decoder,
{
    let reference = encode_all(&mut new_encoder(), data, usize::MAX, usize::MAX).unwrap();
    assert_eq!(decode_all(&mut new_decoder(), &reference, usize::MAX, usize::MAX).unwrap(), data);
    for in_chunk in 1..=17 {
        for out_chunk in 1..=17 {
            let packed = encode_all(&mut new_encoder(), data, in_chunk, out_chunk).unwrap();
            assert_eq!(packed, reference, "encoding differs at input {in_chunk} / output {out_chunk}");
            let plain = decode_all(&mut new_decoder(), &packed, in_chunk, out_chunk).unwrap();
            assert_eq!(plain, data, "decoding differs at input {in_chunk} / output {out_chunk}");
        }
    }
}
