//! LZ4 against the `lz4` tool (both directions, several levels and frame
//! options), the libarchive fixtures, one-byte streaming, truncation, and
//! proptest round trips / decode-no-panic.

use crate::common::{all_inputs, have, large_input, manifest_streams, pipe_tool, scratch, sha256_hex};
use compcol::lz4::{BlockSize, FrameOptions, Lz4Decoder, Lz4Encoder};
use compcol::{Decoder, Status, compress_to_vec, decompress_to_vec};
use proptest::prelude::*;
use std::path::Path;

const CAP: usize = 1 << 27;

fn ours(opts: FrameOptions, data: &[u8]) -> Vec<u8> {
    compress_to_vec(&mut Lz4Encoder::with_options(opts), data).unwrap()
}

fn decode(packed: &[u8]) -> Vec<u8> {
    decompress_to_vec(&mut Lz4Decoder::new(), packed, CAP).unwrap()
}

#[test]
fn sha256_helper_matches_fips_vector() {
    assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

#[test]
fn lz4_cli_decodes_ours_at_every_level_and_option() {
    if !have("lz4", &["--version"]) {
        return;
    }
    let mut inputs = all_inputs();
    inputs.push(("large".into(), large_input()));
    for (name, data) in &inputs {
        let levels: &[i32] = if name == "large" { &[1, 9] } else { &[1, 2, 3, 6, 9, 10, 12] };
        for &level in levels {
            let packed = ours(FrameOptions::new(level), data);
            assert!(pipe_tool("lz4", &["-d", "-c"], &packed) == *data, "lz4 -d of our level {level} {name}");
        }
        let opts = [
            FrameOptions::new(1).block_size(BlockSize::Max64KiB).independent_blocks(false).block_checksum(true),
            FrameOptions::new(9).block_size(BlockSize::Max256KiB).content_size(data.len() as u64),
            FrameOptions::new(1).block_size(BlockSize::Max1MiB).content_checksum(false),
        ];
        for o in opts {
            let packed = ours(o.clone(), data);
            assert!(pipe_tool("lz4", &["-d", "-c"], &packed) == *data, "lz4 -d of {o:?} {name}");
        }
    }
}

#[test]
fn we_decode_the_lz4_cli_at_every_level_and_option() {
    if !have("lz4", &["--version"]) {
        return;
    }
    let dir = scratch("lz4cli");
    let mut inputs = all_inputs();
    inputs.push(("large".into(), large_input()));
    for (name, data) in &inputs {
        let file = dir.join("in");
        std::fs::write(&file, data).unwrap();
        let f = file.to_str().unwrap();
        let runs: &[&[&str]] = if name == "large" {
            &[&["-1"], &["-9", "-BD"], &["-B4", "-BD", "-BX"], &["-l"]]
        } else {
            &[
                &["-1"],
                &["-3"],
                &["-9"],
                &["-12"],
                &["--fast=5"],
                &["-B4", "-BD"],
                &["-B5", "-BX"],
                &["-B6", "--content-size"],
                &["-B7", "--no-frame-crc"],
                &["-l"],
                &["-9", "-l"],
            ]
        };
        for args in runs {
            let mut a = args.to_vec();
            a.extend(["-c", f]);
            let theirs = pipe_tool("lz4", &a, b"");
            assert!(decode(&theirs) == *data, "our decode of lz4 {args:?} {name}");
        }
    }
    // Two frames concatenated, with a skippable frame between them.
    let mut multi = pipe_tool("lz4", &["-c"], b"one ");
    multi.extend_from_slice(&[0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 9, 9]);
    multi.extend(pipe_tool("lz4", &["-c", "-9"], b"two"));
    assert_eq!(decode(&multi), b"one two");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn libarchive_fixtures_decode_to_the_manifest() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/lz4");
    let rows = manifest_streams(&dir);
    assert!(rows.len() >= 7, "manifest rows missing");
    for (file, size, sha) in rows {
        let packed = std::fs::read(dir.join(&file)).unwrap();
        let plain = decode(&packed);
        assert_eq!((plain.len(), sha256_hex(&plain)), (size, sha), "{file}");
    }
    // The frame followed by junk (rejected by `lz4 -dc`, read by libarchive):
    // the frame decodes, the junk is left over.
    let packed = std::fs::read(dir.join("test_compat_lz4_2.tar.lz4")).unwrap();
    let one = std::fs::read(dir.join("test_compat_lz4_1.tar.lz4")).unwrap();
    assert_eq!(decode(&packed), decode(&one));
}

#[test]
fn one_byte_in_one_byte_out_equals_one_shot() {
    let (_, data) = crate::common::corpus().remove(0);
    let data = &data[..40_000];
    let packed = ours(FrameOptions::new(9).block_size(BlockSize::Max64KiB).independent_blocks(false), data);
    let mut dec = Lz4Decoder::new();
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let mut byte = [0u8; 1];
        let p = dec.decode(&packed[pos..(pos + 1).min(packed.len())], &mut byte).unwrap();
        pos += p.consumed;
        out.extend_from_slice(&byte[..p.produced]);
        // After the frame the decoder waits for another one (NeedInput) and
        // says the input may end there.
        if p.status == Status::StreamEnd || (pos == packed.len() && p.produced == 0 && !dec.has_end_marker()) {
            break;
        }
        assert!(p.consumed + p.produced > 0, "stalled");
    }
    assert!(out == data);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn round_trips_with_random_options(
        data in proptest::collection::vec(0u8..6, 0..70_000),
        level in 1i32..=12,
        linked in any::<bool>(),
        checks in 0u8..4,
    ) {
        let o = FrameOptions::new(level)
            .block_size(BlockSize::Max64KiB)
            .independent_blocks(!linked)
            .block_checksum(checks & 1 != 0)
            .content_checksum(checks & 2 != 0);
        let packed = ours(o, &data);
        prop_assert_eq!(decode(&packed), data);
    }

    #[test]
    fn arbitrary_bytes_never_panic(mut bytes in proptest::collection::vec(any::<u8>(), 0..2000), frame in any::<bool>()) {
        if frame {
            // A valid header (independent 64 KiB blocks), then the bytes.
            let hc = (compcol::checksum::xxh32(&[0x60, 0x40], 0) >> 8) as u8;
            let mut v = vec![0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, hc];
            v.append(&mut bytes);
            bytes = v;
        }
        let _ = decompress_to_vec(&mut Lz4Decoder::new(), &bytes, 1 << 20);
        let mut out = vec![0u8; 1 << 16];
        let _ = compcol::lz4::block::decompress(&bytes, &mut out);
    }
}

/// The CLI with each fast codec: `-F NAME` compresses to the codec's
/// extension, `-d` finds the codec by its magic number, and the reference
/// tool reads what the CLI wrote.
#[cfg(all(feature = "snappy", feature = "lzw", feature = "lzo"))]
#[test]
fn cli_compresses_and_detects_every_fast_codec() {
    use std::process::Command;
    let dir = scratch("lzcli");
    let text = b"compcol fast codec command line test\n".repeat(2000);
    for (format, ext, tool) in [
        ("lz4", "lz4", Some(("lz4", "-dc"))),
        ("snappy", "sz", None),
        ("lzw", "Z", Some(("gzip", "-dc"))),
        ("lzo", "lzo", Some(("lzop", "-dc"))),
    ] {
        let file = dir.join(format!("a-{format}.txt"));
        std::fs::write(&file, &text).unwrap();
        let run =
            |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_compcol")).args(args).current_dir(&dir).output().unwrap();
        let name = file.file_name().unwrap().to_str().unwrap().to_string();
        let o = run(&["-F", format, "--level", "9", &name]);
        assert_eq!(o.status.code(), Some(0), "{format}: {}", String::from_utf8_lossy(&o.stderr));
        let packed = dir.join(format!("{name}.{ext}"));
        assert!(packed.exists() && !file.exists(), "{format}: output name");
        if let Some((tool, flag)) = tool
            && have(tool, &["--version"])
        {
            assert!(pipe_tool(tool, &[flag, packed.to_str().unwrap()], b"") == text, "{tool} reads our {format}");
        }
        let o = run(&["-d", &format!("{name}.{ext}")]);
        assert_eq!(o.status.code(), Some(0), "{format} -d: {}", String::from_utf8_lossy(&o.stderr));
        assert!(std::fs::read(&file).unwrap() == text, "{format} round trip through the CLI");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
