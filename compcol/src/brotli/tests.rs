use super::dictionary::{self, MAX_WORD};
use super::*;
use crate::testutil::{assert_roundtrip_every_split, sample_inputs};
use crate::{Decoder, ErrorKind, Status};
use alloc::vec;
use alloc::vec::Vec;

#[test]
fn dictionary_is_the_rfc_one() {
    let digest = crate::checksum::sha256(dictionary::DICTIONARY);
    let hex: alloc::string::String = digest.iter().map(|b| alloc::format!("{b:02x}")).collect();
    assert_eq!(hex, dictionary::DICTIONARY_SHA256);
    assert_eq!(dictionary::DOFFSET[24] as usize + (24 << 5), dictionary::DICTIONARY.len());
}

fn word(len: usize, id: usize) -> Option<Vec<u8>> {
    let mut buf = [0u8; MAX_WORD];
    dictionary::word(len, id, &mut buf).map(|n| buf[..n].to_vec())
}

#[test]
fn transforms_follow_appendix_b() {
    // Word 0 of length 4 is "time"; transform ids sit above the index bits.
    let t = |transform: usize| word(4, transform << 10).unwrap();
    assert_eq!(t(0), b"time");
    assert_eq!(t(1), b"time ");
    assert_eq!(t(3), b"ime");
    assert_eq!(t(9), b"Time");
    assert_eq!(t(44), b"TIME");
    assert_eq!(t(12), b"tim");
    assert_eq!(t(49), b"timing ");
    assert_eq!(t(73), b" the time of the ");
    assert_eq!(t(102), b"\xc2\xa0time");
    assert_eq!(t(54), b"");
    assert!(word(4, 121 << 10).is_none());
    assert!(word(3, 0).is_none());
    assert!(word(25, 0).is_none());
    // The last word of length 24.
    assert_eq!(word(24, 31).unwrap().len(), 24);
}

#[test]
fn reference_streams_with_dictionary_words_decode() {
    let text = include_bytes!("../../tests/data/brotli/words.txt");
    for stream in [
        &include_bytes!("../../tests/data/brotli/words.txt.q11.br")[..],
        include_bytes!("../../tests/data/brotli/words.txt.q5w10.br"),
    ] {
        let mut dec = BrotliDecoder::new();
        let mut out = vec![0u8; 4096];
        let p = dec.decode(stream, &mut out).unwrap();
        assert_eq!((p.consumed, p.status), (stream.len(), Status::StreamEnd));
        assert_eq!(&out[..p.produced], &text[..]);
        assert!(dec.words > 5, "only {} dictionary words", dec.words);
        // Byte by byte, one byte of output at a time.
        let mut dec = BrotliDecoder::new();
        let (mut pos, mut plain) = (0, Vec::new());
        loop {
            let mut b = [0u8; 1];
            let p = dec.decode(&stream[pos..(pos + 1).min(stream.len())], &mut b).unwrap();
            pos += p.consumed;
            plain.extend_from_slice(&b[..p.produced]);
            if p.status == Status::StreamEnd {
                break;
            }
        }
        assert_eq!(plain, text);
    }
}

#[test]
fn round_trips_every_quality() {
    for q in 0..=11 {
        for data in sample_inputs() {
            let packed = compress_to_vec(&data, q).unwrap();
            assert_eq!(decompress_to_vec(&packed, 1 << 20).unwrap(), data, "quality {q}");
        }
    }
}

#[test]
fn every_split_gives_the_same_bytes() {
    for q in [0, 5, 11] {
        assert_roundtrip_every_split(
            || BrotliEncoder::new(q),
            BrotliDecoder::new,
            &b"split me, split me, split".repeat(9),
        );
    }
}

#[test]
fn errors_are_sticky_until_reset() {
    let mut dec = BrotliDecoder::new();
    let mut out = [0u8; 16];
    // WBITS code 0100001: large-window brotli.
    let e = dec.decode(&[0x11, 0x00], &mut out).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert_eq!(dec.decode(&[0x11], &mut out).unwrap_err().kind(), ErrorKind::Poisoned);
    dec.reset();
    let packed = compress_to_vec(b"x", 1).unwrap();
    let p = dec.decode(&packed, &mut out).unwrap();
    assert_eq!((&out[..p.produced], p.status), (&b"x"[..], Status::StreamEnd));
}

#[test]
fn corrupt_headers_are_typed() {
    // WBITS 16, ISLAST 0, MNIBBLES 4, MLEN 1, ISUNCOMPRESSED 0, NBLTYPESL
    // 1..3 = 1, NPOSTFIX 0, NDIRECT 0, mode 0, NTREESL 1, NTREESD 1, then a
    // complex literal code (HSKIP 0) whose code length code lengths are
    // 0, 0, 0 and then fifteen 5s: an incomplete code length code.
    let mut dec = BrotliDecoder::new();
    let mut out = [0u8; 16];
    let mut stream = vec![0x00, 0x00, 0x00, 0x00, 0x00, 0xfc];
    stream.extend_from_slice(&[0xff; 10]);
    let e = dec.decode(&stream, &mut out).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Corrupt, "{e}");
    // Truncated: a typed error through decompress_to_vec.
    let packed = compress_to_vec(b"truncate me, truncate me", 5).unwrap();
    let e = decompress_to_vec(&packed[..packed.len() - 1], 100).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Truncated);
}

#[test]
fn bad_parameters_are_refused() {
    assert_eq!(BrotliEncoder::try_new(12, 22).unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(BrotliEncoder::try_new(5, 9).unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(BrotliEncoder::try_new(5, 25).unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[test]
fn empty_stream_is_one_byte_at_lgwin_16() {
    let mut enc = BrotliEncoder::try_new(5, 16).unwrap();
    let packed = crate::compress_to_vec(&mut enc, b"").unwrap();
    // WBITS 0, ISLAST 1, ISLASTEMPTY 1.
    assert_eq!(packed, [0x06]);
    assert_eq!(decompress_to_vec(&packed, 10).unwrap(), b"");
}
