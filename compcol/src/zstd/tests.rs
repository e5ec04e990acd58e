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
    // Over one block, so the first block (and header) is written before
    // the size is known: not single-segment, the window is 2^27.
    let data = text(300_000);
    let mut enc = ZstdEncoder::with_options(&Options::new(3).long(27)).unwrap();
    let mut packed = vec![0u8; 400_000];
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
    assert_eq!(dec.decode(&packed, &mut out).unwrap_err().kind(), ErrorKind::Poisoned);
    assert_eq!(decompress_to_vec(&packed, 400_000).unwrap(), data);
}

#[test]
fn corrupt_and_truncated_input_is_a_typed_error_at_every_offset() {
    let data = text(3000);
    for level in [1, 9] {
        let packed = compress_to_vec(&data, level).unwrap();
        for cut in 0..packed.len() {
            let e = decompress_to_vec(&packed[..cut], 10_000).unwrap_err();
            assert!(matches!(e.kind(), ErrorKind::Truncated | ErrorKind::Corrupt), "cut {cut}: {e}");
            // The streaming path too.
            let e = crate::util::decompress_to_vec(&mut ZstdDecoder::new(), &packed[..cut], 10_000).unwrap_err();
            assert!(matches!(e.kind(), ErrorKind::Truncated | ErrorKind::Corrupt), "streaming cut {cut}: {e}");
        }
        for at in 0..packed.len() {
            for flip in [1u8, 0x80, 0xff] {
                let mut bad = packed.clone();
                bad[at] ^= flip;
                // Any outcome but a panic or hang; a changed stream that
                // still decodes must have been caught by the checksum.
                if let Ok(out) = decompress_to_vec(&bad, 10_000) {
                    assert_eq!(out, data, "flip {flip:#x} at {at} decoded to other bytes");
                }
                if let Ok(out) = crate::util::decompress_to_vec(&mut ZstdDecoder::new(), &bad, 10_000) {
                    assert_eq!(out, data, "streaming: flip {flip:#x} at {at} decoded to other bytes");
                }
            }
        }
    }
}

#[test]
fn skippable_and_concatenated_frames() {
    let a = compress_to_vec(b"first frame ", 3).unwrap();
    let b = compress_to_vec(b"second frame", 19).unwrap();
    let mut all = vec![0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3];
    all.extend_from_slice(&a);
    all.extend_from_slice(&[0x5f, 0x2a, 0x4d, 0x18, 0, 0, 0, 0]);
    all.extend_from_slice(&b);
    assert_eq!(decompress_to_vec(&all, 100).unwrap(), b"first frame second frame");
}

#[test]
fn dictionaries_round_trip_and_are_required() {
    let samples: Vec<Vec<u8>> = (0..40)
        .map(|i| {
            alloc::format!("{{\"id\": {i}, \"name\": \"user{i}\", \"role\": \"member\", \"active\": true}}")
                .into_bytes()
        })
        .collect();
    let refs: Vec<&[u8]> = samples.iter().map(Vec::as_slice).collect();
    let dict_bytes = train_dictionary(&refs, 4096).unwrap();
    let dict = Dictionary::parse(&dict_bytes).unwrap();
    assert_ne!(dict.id(), 0);
    let msg = b"{\"id\": 99, \"name\": \"user99\", \"role\": \"member\", \"active\": true}";
    for level in [1, 3, 9, 19] {
        let opts = Options::new(level).dictionary(dict.clone());
        let packed = crate::util::compress_to_vec(&mut ZstdEncoder::with_options(&opts).unwrap(), msg).unwrap();
        let plain = compress_to_vec(msg, level).unwrap();
        assert!(packed.len() < plain.len(), "dictionary helps at level {level}");
        let mut dec = ZstdDecoder::new().with_dictionary(dict.clone());
        assert_eq!(crate::util::decompress_to_vec(&mut dec, &packed, 1000).unwrap(), msg);
        // Without it, the decoder asks for the dictionary by id.
        let mut out = vec![0u8; 200];
        let p = ZstdDecoder::new().decode(&packed, &mut out).unwrap();
        assert_eq!(p.status, Status::NeedDictionary(dict.id()));
        let mut dec = ZstdDecoder::new();
        let p = dec.decode(&packed, &mut out).unwrap();
        dec.set_dictionary(&dict_bytes).unwrap();
        let q = dec.decode(&packed[p.consumed..], &mut out).unwrap();
        assert_eq!(&out[..q.produced], msg);
    }
    // Raw-content dictionaries work too.
    let raw = Dictionary::raw(&samples.concat());
    let packed = crate::util::compress_to_vec(
        &mut ZstdEncoder::with_options(&Options::new(3).dictionary(raw.clone())).unwrap(),
        msg,
    )
    .unwrap();
    let mut dec = ZstdDecoder::new().with_dictionary(raw);
    assert_eq!(crate::util::decompress_to_vec(&mut dec, &packed, 1000).unwrap(), msg);
}

#[test]
fn checksum_mismatch_is_reported() {
    let mut packed = compress_to_vec(b"checksummed content here", 3).unwrap();
    let n = packed.len();
    packed[n - 1] ^= 1;
    assert_eq!(decompress_to_vec(&packed, 100).unwrap_err().kind(), ErrorKind::Checksum);
}

#[test]
fn long_mode_finds_far_matches() {
    let chunk = {
        let mut x = 99u32;
        (0..3_000_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect::<Vec<u8>>()
    };
    let mut data = chunk.clone();
    data.extend_from_slice(&chunk);
    let opts = Options::new(1).long(23);
    let packed = crate::util::compress_to_vec(&mut ZstdEncoder::with_options(&opts).unwrap(), &data).unwrap();
    assert!(packed.len() < data.len() * 6 / 10, "long mode found the repeat: {}", packed.len());
    assert_eq!(decompress_to_vec(&packed, data.len()).unwrap(), data);
}
