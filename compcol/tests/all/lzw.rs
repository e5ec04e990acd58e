//! LZW (`.Z`) against ncompress: our output must be byte-identical to
//! `compress -c -b N` for N in 10..=16 and decode with `uncompress` and
//! `gzip -d`; we decode everything `compress` writes; the libarchive and
//! sharpcompress fixtures; proptest round trips and decode-no-panic.

use crate::common::{all_inputs, have, large_input, manifest_streams, pipe_tool, scratch, sha256_hex};
use compcol::lzw::{LzwDecoder, LzwEncoder};
use compcol::{compress_to_vec, decompress_to_vec};
use proptest::prelude::*;
use std::path::Path;

const CAP: usize = 1 << 27;

#[test]
fn byte_identical_to_compress_and_decoded_by_uncompress_and_gzip() {
    if !have("compress", &["-V"]) || !have("gzip", &["--version"]) {
        return;
    }
    let dir = scratch("lzw");
    let mut inputs = all_inputs();
    inputs.push(("large".into(), large_input()));
    for (name, data) in &inputs {
        let file = dir.join("in");
        std::fs::write(&file, data).unwrap();
        let bits_list: &[u32] = if name == "large" { &[12, 16] } else { &[10, 11, 12, 13, 14, 15, 16] };
        for &bits in bits_list {
            let ours = compress_to_vec(&mut LzwEncoder::with_bits(bits), data).unwrap();
            let theirs = pipe_tool("compress", &["-c", &format!("-b{bits}"), file.to_str().unwrap()], b"");
            // compress writes nothing for empty input; we write the header.
            if !data.is_empty() {
                assert!(ours == theirs, "not byte-identical to compress -b{bits} on {name}");
            }
            assert!(
                decompress_to_vec(&mut LzwDecoder::new(), &theirs, CAP).unwrap() == *data,
                "decode -b{bits} {name}"
            );
            assert!(pipe_tool("uncompress", &["-c"], &ours) == *data, "uncompress of ours -b{bits} {name}");
            assert!(pipe_tool("gzip", &["-d", "-c"], &ours) == *data, "gzip -d of ours -b{bits} {name}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fixtures_decode_to_the_manifest() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/Z");
    let rows = manifest_streams(&dir);
    assert_eq!(rows.len(), 4, "manifest rows");
    for (file, size, sha) in rows {
        let packed = std::fs::read(dir.join(&file)).unwrap();
        let plain = decompress_to_vec(&mut LzwDecoder::new(), &packed, CAP).unwrap();
        assert_eq!((plain.len(), sha256_hex(&plain)), (size, sha), "{file}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn round_trips(data in proptest::collection::vec(0u8..8, 0..60_000), bits in 10u32..=16) {
        let packed = compress_to_vec(&mut LzwEncoder::with_bits(bits), &data).unwrap();
        prop_assert_eq!(decompress_to_vec(&mut LzwDecoder::new(), &packed, CAP).unwrap(), data);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..3000), flags in any::<u8>()) {
        let mut s = vec![0x1f, 0x9d, flags];
        s.extend_from_slice(&bytes);
        let _ = decompress_to_vec(&mut LzwDecoder::new(), &s, 1 << 20);
    }
}
