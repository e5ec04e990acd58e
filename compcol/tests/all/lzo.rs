//! lzop / LZO1X against the `lzop` tool (both directions, fast and -999
//! levels, Adler-32 and CRC-32 checksums), the libarchive fixtures,
//! proptest round trips and decode-no-panic.

use crate::common::{all_inputs, have, large_input, manifest_streams, pipe_tool, scratch, sha256_hex};
use compcol::lzo::{LzopDecoder, LzopEncoder};
use compcol::{compress_to_vec, decompress_to_vec};
use proptest::prelude::*;
use std::path::Path;

const CAP: usize = 1 << 27;

#[test]
fn lzop_cli_both_directions() {
    if !have("lzop", &["--version"]) {
        return;
    }
    let dir = scratch("lzop");
    let mut inputs = all_inputs();
    inputs.push(("large".into(), large_input()));
    for (name, data) in &inputs {
        for level in [1, 9] {
            let ours = compress_to_vec(&mut LzopEncoder::new(level), data).unwrap();
            assert!(pipe_tool("lzop", &["-d", "-c"], &ours) == *data, "lzop -d of our level {level} {name}");
        }
        let file = dir.join("in");
        std::fs::write(&file, data).unwrap();
        let f = file.to_str().unwrap();
        let runs: &[&[&str]] = if name == "large" {
            &[&["-1"], &["-9"]]
        } else {
            &[&["-1"], &["-3"], &["-7"], &["-9"], &["--crc32"], &["-9", "--crc32"]]
        };
        for args in runs {
            let mut a = args.to_vec();
            a.extend(["-c", f]);
            let theirs = pipe_tool("lzop", &a, b"");
            assert!(decompress_to_vec(&mut LzopDecoder::new(), &theirs, CAP).unwrap() == *data, "lzop {args:?} {name}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fixtures_decode_to_the_manifest() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/lzo");
    let rows = manifest_streams(&dir);
    assert_eq!(rows.len(), 5, "manifest rows");
    for (file, size, sha) in rows {
        let packed = std::fs::read(dir.join(&file)).unwrap();
        let plain = decompress_to_vec(&mut LzopDecoder::new(), &packed, CAP).unwrap();
        assert_eq!((plain.len(), sha256_hex(&plain)), (size, sha), "{file}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn round_trips(data in proptest::collection::vec(0u8..6, 0..300_000), best in any::<bool>()) {
        let packed = compress_to_vec(&mut LzopEncoder::new(if best { 9 } else { 1 }), &data).unwrap();
        prop_assert_eq!(decompress_to_vec(&mut LzopDecoder::new(), &packed, CAP).unwrap(), data);
    }

    #[test]
    fn arbitrary_lzo1x_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        let mut out = vec![0u8; 1 << 16];
        let _ = compcol::lzo::lzo1x::decompress(&bytes, &mut out);
        let mut s = compcol::lzo::compress_to_vec(b"x", 1).unwrap();
        s.truncate(s.len() - 4);
        s.extend_from_slice(&bytes);
        let _ = decompress_to_vec(&mut LzopDecoder::new(), &s, 1 << 20);
    }
}
