//! brotli against the reference CLI (`brotli` 1.x): we decode what it
//! writes at every quality and at the window extremes, it decodes what we
//! write at every quality and window, dictionary references with
//! transforms decode, one-byte streaming both ways, flushes, truncation
//! and bit flips give typed errors; the decoder's fast and careful paths
//! agree at every input and output split; proptest round trips and
//! decode-no-panic.

use crate::common::{all_inputs, corpus, have, pipe_tool};
use compcol::brotli::{BrotliDecoder, BrotliEncoder, compress_to_vec, decompress_to_vec};
use compcol::{Decoder, Encoder, ErrorKind, Flush, Status};
use proptest::prelude::*;

const CAP: usize = 1 << 26;

fn decode_ours(packed: &[u8]) -> Vec<u8> {
    decompress_to_vec(packed, CAP).unwrap()
}

fn theirs(data: &[u8], args: &[&str]) -> Vec<u8> {
    let mut a = vec!["-c"];
    a.extend_from_slice(args);
    pipe_tool("brotli", &a, data)
}

/// The corpus files cheap enough for all 12 qualities of the reference
/// encoder (ptt5 and the edge inputs get a representative few).
fn small_corpus() -> Vec<(String, Vec<u8>)> {
    corpus().into_iter().filter(|(n, _)| n != "ptt5").collect()
}

#[test]
fn decodes_the_reference_at_every_quality() {
    if !have("brotli", &["--version"]) {
        return;
    }
    let mut checked = 0;
    for (name, data) in small_corpus() {
        for q in 0..=11 {
            let packed = theirs(&data, &["-q", &q.to_string()]);
            assert!(decode_ours(&packed) == data, "brotli -q {q} {name}");
            checked += 1;
        }
    }
    for (name, data) in all_inputs() {
        for q in [0, 1, 5, 9, 11] {
            let packed = theirs(&data, &["-q", &q.to_string()]);
            assert!(decode_ours(&packed) == data, "brotli -q {q} {name}");
            checked += 1;
        }
    }
    // ptt5 (513 KB) at the cheap qualities only.
    for (name, data) in corpus().into_iter().filter(|(n, _)| n == "ptt5") {
        for q in [0, 4, 7] {
            let packed = theirs(&data, &["-q", &q.to_string()]);
            assert!(decode_ours(&packed) == data, "brotli -q {q} {name}");
            checked += 1;
        }
    }
    assert!(checked > 60, "checked {checked}");
}

#[test]
fn decodes_the_reference_at_window_extremes() {
    if !have("brotli", &["--version"]) {
        return;
    }
    let (_, alice) = corpus().into_iter().find(|(n, _)| n == "alice29.txt").unwrap();
    // Far repeats, so large windows get long distances.
    let mut far = alice[..60_000].to_vec();
    far.extend_from_slice(&alice[..60_000]);
    for (w, q) in [("10", "2"), ("10", "6"), ("10", "11"), ("16", "6"), ("24", "2"), ("24", "6"), ("24", "11")] {
        {
            let packed = theirs(&far, &["-q", q, "-w", w]);
            assert!(decode_ours(&packed) == far, "brotli -q {q} -w {w}");
        }
    }
}

#[test]
fn reference_decodes_ours_at_every_quality_and_window() {
    if !have("brotli", &["--version"]) {
        return;
    }
    let mut inputs = small_corpus();
    inputs.extend(all_inputs());
    for (name, data) in &inputs {
        for q in 0..=11 {
            let packed = compress_to_vec(data, q).unwrap();
            assert!(pipe_tool("brotli", &["-dc"], &packed) == *data, "brotli -d of ours q{q} {name}");
            assert!(decode_ours(&packed) == *data, "ours q{q} {name}");
        }
    }
    let (_, alice) = corpus().into_iter().find(|(n, _)| n == "alice29.txt").unwrap();
    for lgwin in [10, 16, 17, 24] {
        for q in [1, 5, 11] {
            let mut enc = BrotliEncoder::try_new(q, lgwin).unwrap();
            let packed = compcol::compress_to_vec(&mut enc, &alice).unwrap();
            assert!(pipe_tool("brotli", &["-dc"], &packed) == alice, "brotli -d of ours q{q} lgwin {lgwin}");
        }
    }
}

#[test]
fn dictionary_words_with_transforms_decode() {
    if !have("brotli", &["--version"]) {
        return;
    }
    // Distinct dictionary words under prefixes, suffixes and
    // upper-casing (the unit tests count the dictionary references the
    // committed fixtures make; here the reference encodes fresh text).
    let text: &[u8] = b"The Time of the People. NUMBER and Found, with LIFE; ous Water ful TEXT. About their \
                 Children's Information, government. system of the Services: REVIEW from Nature (the Country) ";
    for q in ["5", "9", "11"] {
        let packed = theirs(text, &["-q", q]);
        assert_eq!(decode_ours(&packed), text, "q{q}");
    }
    // Every word on its own line, short streams of single references.
    for word in ["time", "Time", "TIME", " the ", "life ", "ing ", "Children", "\u{a0}about"] {
        let packed = theirs(word.as_bytes(), &["-q", "11"]);
        assert_eq!(decode_ours(&packed), word.as_bytes(), "{word:?}");
    }
}

#[test]
fn one_byte_at_a_time_both_ways() {
    let (_, data) = corpus().into_iter().find(|(n, _)| n == "fields.c").unwrap();
    let packed = compress_to_vec(&data, 9).unwrap();
    // Encoding one byte in, one byte out gives the same stream.
    let mut enc = BrotliEncoder::new(9);
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let mut b = [0u8; 1];
        let end = (pos + 1).min(data.len());
        let flush = if end == data.len() { Flush::Finish } else { Flush::None };
        let p = enc.encode(&data[pos..end], &mut b, flush).unwrap();
        pos += p.consumed;
        out.extend_from_slice(&b[..p.produced]);
        if p.status == Status::StreamEnd {
            break;
        }
    }
    assert_eq!(out, packed);
    // Decoding one byte in, one byte out, ours and the reference's.
    let mut streams = vec![packed];
    if have("brotli", &["--version"]) {
        streams.push(theirs(&data, &["-q", "11"]));
    }
    for stream in streams {
        let mut dec = BrotliDecoder::new();
        let (mut pos, mut plain) = (0, Vec::new());
        loop {
            let mut b = [0u8; 1];
            let end = (pos + 1).min(stream.len());
            let p = dec.decode(&stream[pos..end], &mut b).unwrap();
            pos += p.consumed;
            plain.extend_from_slice(&b[..p.produced]);
            if p.status == Status::StreamEnd {
                break;
            }
            assert!(pos <= stream.len());
        }
        assert_eq!(pos, stream.len());
        assert_eq!(plain, data);
    }
}

#[test]
fn sync_flush_makes_everything_decodable() {
    let mut enc = BrotliEncoder::new(6);
    let mut buf = vec![0u8; 1 << 16];
    let p = enc.encode(b"first part, first part, ", &mut buf, Flush::Sync).unwrap();
    assert_eq!(p.status, Status::NeedInput);
    let mut dec = BrotliDecoder::new();
    let mut plain = vec![0u8; 1024];
    let q = dec.decode(&buf[..p.produced], &mut plain).unwrap();
    assert_eq!((&plain[..q.produced], q.status), (&b"first part, first part, "[..], Status::NeedInput));
    // A second Sync without input adds nothing.
    assert_eq!(enc.encode(b"", &mut buf, Flush::Sync).unwrap().produced, 0);
    let mut stream = buf[..p.produced].to_vec();
    let p = enc.encode(b"second part", &mut buf, Flush::Full).unwrap();
    stream.extend_from_slice(&buf[..p.produced]);
    let p = enc.encode(b" and the end", &mut buf, Flush::Finish).unwrap();
    assert_eq!(p.status, Status::StreamEnd);
    stream.extend_from_slice(&buf[..p.produced]);
    let want = b"first part, first part, second part and the end";
    assert_eq!(decode_ours(&stream), want);
    if have("brotli", &["--version"]) {
        assert_eq!(pipe_tool("brotli", &["-dc"], &stream), want);
    }
}

#[test]
fn truncation_and_bit_flips_give_typed_errors() {
    let (_, data) = corpus().into_iter().find(|(n, _)| n == "fields.c").unwrap();
    let data = &data[..4000];
    let mut streams = vec![compress_to_vec(data, 11).unwrap(), compress_to_vec(data, 0).unwrap()];
    if have("brotli", &["--version"]) {
        streams.push(theirs(data, &["-q", "11"]));
    }
    for packed in &streams {
        for cut in 0..packed.len() {
            let e = decompress_to_vec(&packed[..cut], CAP).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Truncated, "cut at {cut}: {e}");
        }
        for bit in (0..packed.len() * 8).step_by(7) {
            let mut bad = packed.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            // No checksum: a flip may still decode; it must never panic.
            // The cap keeps a flipped length from decoding megabytes.
            if let Err(e) = decompress_to_vec(&bad, 2 * data.len()) {
                assert!(matches!(e.kind(), ErrorKind::Corrupt | ErrorKind::Truncated | ErrorKind::OutputLimit), "{e}");
            }
        }
    }
    // Large-window streams are refused clearly.
    let e = decompress_to_vec(&[0x11, 0x00], CAP).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert!(e.detail().contains("large-window"), "{e}");
}

#[test]
fn large_input_round_trips() {
    let data = crate::common::large_input();
    for q in [1, 5] {
        let packed = compress_to_vec(&data, q).unwrap();
        assert!(packed.len() < data.len() / 2);
        assert!(decode_ours(&packed) == data, "q{q}");
        if have("brotli", &["--version"]) {
            assert!(pipe_tool("brotli", &["-dc"], &packed) == data, "brotli -d q{q}");
        }
    }
}

/// Decodes `stream` fed `in_chunk` bytes at a time into output windows of
/// `out_chunk` bytes.
fn decode_chunked(stream: &[u8], in_chunk: usize, out_chunk: usize) -> Vec<u8> {
    let mut dec = BrotliDecoder::new();
    let (mut pos, mut plain, mut buf) = (0, Vec::new(), vec![0u8; out_chunk]);
    loop {
        let end = (pos + in_chunk).min(stream.len());
        let p = dec.decode(&stream[pos..end], &mut buf).unwrap();
        pos += p.consumed;
        plain.extend_from_slice(&buf[..p.produced]);
        if p.status == Status::StreamEnd {
            break;
        }
        assert!(p.consumed + p.produced > 0 || end < stream.len(), "no progress at input byte {pos}");
    }
    assert_eq!(pos, stream.len(), "stream end at the end of the input");
    plain
}

/// The fast path (whole commands while the input has >= 16 bytes and the
/// output >= 64 bytes of room) hands over to the careful one mid-command
/// at every split; the two must give the same bytes. Streams from our
/// encoder (and the reference CLI when present) at several qualities and
/// windows (10 bits: the ring wraps; copies reach into the window from
/// before the current output slice).
#[test]
fn fast_and_careful_paths_agree_at_every_split() {
    let splits: &[(usize, usize)] = &[
        (usize::MAX, usize::MAX),
        (usize::MAX, 1),
        (usize::MAX, 7),
        (usize::MAX, 64),
        (usize::MAX, 65),
        (usize::MAX, 4096),
        (1, usize::MAX),
        (1, 1),
        (7, 64),
        (17, 4096),
        (16, 80),
        (4096, 7),
        (100, 64),
    ];
    for (name, data) in corpus() {
        // Whole files at the cheap splits, a prefix at the byte-wise ones.
        let data = if data.len() > 200_000 { data[..200_000].to_vec() } else { data };
        let mut streams = Vec::new();
        for (q, w) in [(1, 22), (5, 10), (9, 16), (11, 22)] {
            let mut enc = BrotliEncoder::try_new(q, w).unwrap();
            streams.push((format!("ours q{q} w{w}"), compcol::compress_to_vec(&mut enc, &data).unwrap()));
        }
        if have("brotli", &["--version"]) {
            for args in [["-q", "5"], ["-q", "11"], ["-w", "10"]] {
                streams.push((format!("brotli {}", args.join(" ")), theirs(&data, &args)));
            }
        }
        for (label, stream) in &streams {
            assert!(decode_ours(stream) == data, "{name} {label}: one-shot");
            for &(i, o) in splits {
                let i = i.min(stream.len().max(1));
                let o = o.min(data.len() + 1);
                if (i < 8 || o < 8) && data.len() > 40_000 {
                    continue;
                }
                assert!(decode_chunked(stream, i, o) == data, "{name} {label}: input chunks {i}, output {o}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn round_trip_with_random_chunks(
        data in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), any::<u8>()], 0..3000),
        q in 0u32..=11,
        chunk in 1usize..600,
        out_chunk in 1usize..600,
    ) {
        let mut enc = BrotliEncoder::new(q);
        let mut packed = Vec::new();
        let mut pos = 0;
        loop {
            let end = (pos + chunk).min(data.len());
            let flush = if end == data.len() { Flush::Finish } else { Flush::None };
            let mut out = vec![0u8; out_chunk];
            let p = enc.encode(&data[pos..end], &mut out, flush).unwrap();
            pos += p.consumed;
            packed.extend_from_slice(&out[..p.produced]);
            if p.status == Status::StreamEnd { break; }
        }
        let mut dec = BrotliDecoder::new();
        let (mut pos, mut plain) = (0, Vec::new());
        loop {
            let end = (pos + chunk).min(packed.len());
            let mut out = vec![0u8; out_chunk];
            let p = dec.decode(&packed[pos..end], &mut out).unwrap();
            pos += p.consumed;
            plain.extend_from_slice(&out[..p.produced]);
            if p.status == Status::StreamEnd { break; }
        }
        prop_assert_eq!(plain, data);
    }

    #[test]
    fn decode_never_panics(data in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = decompress_to_vec(&data, 1 << 20);
    }
}
