//! Proptest round trips with random chunking of input and output buffers,
//! and random corruption (typed errors only, no panics or hangs).

use compcol::deflate::{DeflateDecoder, DeflateEncoder};
use compcol::gzip::{GzipDecoder, GzipEncoder};
use compcol::zlib::{ZlibDecoder, ZlibEncoder};
use compcol::{Decoder, Encoder, Flush, Status};
use proptest::prelude::*;

/// Encodes with input/output chunk sizes cycling through `sizes`.
fn encode_chunked<E: Encoder>(enc: &mut E, data: &[u8], sizes: &[usize]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut i = 0;
    let mut idle = 0;
    loop {
        let ic = sizes[i % sizes.len()];
        let oc = sizes[(i + 1) % sizes.len()];
        i += 1;
        let end = data.len().min(pos + ic);
        let flush = if end == data.len() { Flush::Finish } else { Flush::None };
        let mut buf = vec![0u8; oc];
        let p = enc.encode(&data[pos..end], &mut buf, flush).unwrap();
        pos += p.consumed;
        out.extend_from_slice(&buf[..p.produced]);
        if p.status == Status::StreamEnd {
            return out;
        }
        idle = if p.consumed + p.produced == 0 { idle + 1 } else { 0 };
        assert!(idle < 4, "encoder stalled");
    }
}

/// Decodes with chunk sizes cycling through `sizes`; Err on codec errors
/// or truncation.
fn decode_chunked<D: Decoder>(dec: &mut D, data: &[u8], sizes: &[usize]) -> Result<Vec<u8>, compcol::Error> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut i = 0;
    let mut idle = 0;
    loop {
        let ic = sizes[i % sizes.len()];
        let oc = sizes[(i + 1) % sizes.len()];
        i += 1;
        let end = data.len().min(pos + ic);
        let mut buf = vec![0u8; oc];
        let p = dec.decode(&data[pos..end], &mut buf)?;
        pos += p.consumed;
        out.extend_from_slice(&buf[..p.produced]);
        if p.status == Status::StreamEnd {
            return Ok(out);
        }
        idle = if p.consumed + p.produced == 0 { idle + 1 } else { 0 };
        if idle >= 4 {
            assert_eq!(pos, data.len(), "decoder stalled with input left");
            return Err(compcol::Error::new(compcol::ErrorKind::Truncated, "test", ""));
        }
    }
}

fn data_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..3000),
        proptest::collection::vec(0u8..4, 0..20_000),
        (proptest::collection::vec(any::<u8>(), 1..50), 1usize..400).prop_map(|(unit, n)| unit
            .iter()
            .copied()
            .cycle()
            .take(unit.len() * n)
            .collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_chunking_round_trips(
        data in data_strategy(),
        level in 0i32..=9,
        sizes in proptest::collection::vec(1usize..300, 1..6),
    ) {
        let packed = encode_chunked(&mut DeflateEncoder::new(level), &data, &sizes);
        prop_assert_eq!(&packed, &encode_chunked(&mut DeflateEncoder::new(level), &data, &[1 << 20]));
        prop_assert_eq!(&decode_chunked(&mut DeflateDecoder::new(), &packed, &sizes).unwrap(), &data);
        let packed = encode_chunked(&mut ZlibEncoder::new(level), &data, &sizes);
        prop_assert_eq!(&decode_chunked(&mut ZlibDecoder::new(), &packed, &sizes).unwrap(), &data);
        let packed = encode_chunked(&mut GzipEncoder::new(level), &data, &sizes);
        prop_assert_eq!(&decode_chunked(&mut GzipDecoder::new(), &packed, &sizes).unwrap(), &data);
    }

    #[test]
    fn corruption_gives_errors_not_panics(
        data in data_strategy(),
        flips in proptest::collection::vec((any::<usize>(), 0u8..8), 1..4),
        cut in any::<usize>(),
    ) {
        let packed = encode_chunked(&mut GzipEncoder::new(6), &data, &[1 << 20]);
        let mut bad = packed.clone();
        for (at, bit) in flips {
            let i = at % bad.len();
            bad[i] ^= 1 << bit;
        }
        // Either an error, or (rarely) a stream that still checks out.
        if let Ok(out) = decode_chunked(&mut GzipDecoder::new(), &bad, &[97, 13]) {
            prop_assert_eq!(out, data.clone());
        }
        let cut = cut % packed.len();
        prop_assert!(decode_chunked(&mut GzipDecoder::new(), &packed[..cut], &[64]).is_err());
    }
}
