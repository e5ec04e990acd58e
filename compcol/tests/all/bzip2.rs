//! bzip2 against bzip2 1.0.8 (the CLI) and Python's `bz2` (libbzip2): our
//! output must be byte-identical to `bzip2 -c -N` for N in 1..=9 on the
//! corpus and the edge inputs, and we decode everything they write,
//! including multi-stream files and a randomised-block fixture; proptest
//! round trips and decode-no-panic.

use crate::common::{all_inputs, have, large_input, manifest_streams, pipe_tool, scratch, sha256_hex};
use compcol::bzip2::{Bzip2Decoder, Bzip2Encoder, compress_to_vec, decompress_to_vec};
use compcol::{Decoder, Status};
use proptest::prelude::*;
use std::path::Path;

const CAP: usize = 1 << 27;

/// The shared edge inputs plus the ones that exercise bzip2's stages:
/// runs around the RLE1 limit of 255, periodic blocks (equal rotations),
/// more than one 900k block, incompressible data.
fn inputs() -> Vec<(String, Vec<u8>)> {
    let mut v = all_inputs();
    let mut x = 0x9e37_79b9u32;
    let mut random = Vec::with_capacity(300_000);
    for _ in 0..300_000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        random.push(x as u8);
    }
    let mut runs = Vec::new();
    for len in [1usize, 3, 4, 5, 254, 255, 256, 259, 510, 1000] {
        runs.extend(std::iter::repeat_n(b'r', len));
        runs.push(b'.');
    }
    v.extend([
        ("run255".into(), vec![b'a'; 255]),
        ("run256".into(), vec![b'a'; 256]),
        ("run1020".into(), vec![b'a'; 1020]),
        ("runs".into(), runs),
        ("ab-periodic".into(), b"ab".repeat(50_000)),
        ("xyz-periodic".into(), b"xyz".repeat(40_000)),
        ("random300k".into(), random),
    ]);
    v
}

fn decode_ours(packed: &[u8]) -> Vec<u8> {
    decompress_to_vec(packed, CAP).unwrap()
}

#[test]
fn byte_identical_to_bzip2_at_every_level_and_decodes_it() {
    if !have("bzip2", &["--help"]) {
        return;
    }
    let dir = scratch("bzip2");
    let mut inputs = inputs();
    inputs.push(("large".into(), large_input()));
    let mut compared = 0;
    for (name, data) in &inputs {
        let file = dir.join("in");
        std::fs::write(&file, data).unwrap();
        let levels: &[u32] = if name == "large" { &[1, 9] } else { &[1, 2, 3, 4, 5, 6, 7, 8, 9] };
        for &level in levels {
            let ours = compress_to_vec(data, level).unwrap();
            let theirs = pipe_tool("bzip2", &["-c", &format!("-{level}"), file.to_str().unwrap()], b"");
            assert!(ours == theirs, "not byte-identical to bzip2 -{level} on {name}");
            assert!(decode_ours(&theirs) == *data, "decode bzip2 -{level} {name}");
            compared += 1;
        }
        // bzip2 itself reads ours (identical, but check the pipe too).
        let ours = compress_to_vec(data, 9).unwrap();
        assert!(pipe_tool("bzip2", &["-dc"], &ours) == *data, "bzip2 -d of ours {name}");
    }
    assert!(compared > 100, "compared {compared}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn python_bz2_agrees_both_ways() {
    if !have("python3", &["-c", "import bz2"]) {
        return;
    }
    let script = "import bz2,sys\nd=sys.stdin.buffer.read()\nsys.stdout.buffer.write(bz2.decompress(d) if sys.argv[1]=='d' else bz2.compress(d, int(sys.argv[1])))";
    for (name, data) in inputs().iter().filter(|(n, _)| !n.contains("periodic")) {
        for level in [1u32, 6, 9] {
            let ours = compress_to_vec(data, level).unwrap();
            let theirs = pipe_tool("python3", &["-c", script, &level.to_string()], data);
            assert!(ours == theirs, "not byte-identical to bz2.compress(level={level}) on {name}");
        }
        let ours = compress_to_vec(data, 9).unwrap();
        assert!(pipe_tool("python3", &["-c", script, "d"], &ours) == *data, "bz2.decompress of ours {name}");
    }
}

#[test]
fn multi_stream_files_decode_as_one() {
    if !have("bzip2", &["--help"]) {
        return;
    }
    let (a, b) = (b"first stream, level 1\n".repeat(5000), b"second stream, level 9\n".repeat(3));
    let mut cat = pipe_tool("bzip2", &["-c", "-1"], &a);
    cat.extend(pipe_tool("bzip2", &["-c", "-9"], &b));
    cat.extend(pipe_tool("bzip2", &["-c"], b""));
    let mut dec = Bzip2Decoder::new();
    let plain = compcol::decompress_to_vec(&mut dec, &cat, CAP).unwrap();
    assert!(plain == [a.as_slice(), b.as_slice()].concat());
    assert_eq!(dec.streams(), 3);
    // And the other way: `cat` of our streams through bzip2 -d.
    let mut ours = compress_to_vec(&a, 2).unwrap();
    ours.extend(compress_to_vec(&b, 8).unwrap());
    assert!(pipe_tool("bzip2", &["-dc"], &ours) == [a.as_slice(), b.as_slice()].concat());
}

#[test]
fn one_byte_at_a_time_decodes_bzip2_output() {
    if !have("bzip2", &["--help"]) {
        return;
    }
    let data = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus/fields.c")).unwrap();
    let packed = pipe_tool("bzip2", &["-c", "-1"], &data);
    let mut dec = Bzip2Decoder::new();
    let (mut out, mut pos, mut byte) = (Vec::new(), 0, [0u8; 1]);
    loop {
        let p = dec.decode(&packed[pos..(pos + 1).min(packed.len())], &mut byte).unwrap();
        pos += p.consumed;
        out.extend_from_slice(&byte[..p.produced]);
        if p.status == Status::StreamEnd {
            break;
        }
        assert!(p.consumed + p.produced > 0 || pos < packed.len(), "stalled at {pos}");
    }
    assert!(out == data);
}

#[test]
fn randomised_block_fixture_decodes_to_the_manifest() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bzip2");
    let rows = manifest_streams(&dir);
    assert_eq!(rows.len(), 1, "manifest rows");
    for (file, size, sha) in rows {
        let packed = std::fs::read(dir.join(&file)).unwrap();
        // The randomised flag is set in the first block header (the bit
        // after magic and CRC).
        assert_eq!(packed[14] & 0x80, 0x80, "{file} is not randomised");
        let plain = decode_ours(&packed);
        assert_eq!((plain.len(), sha256_hex(&plain)), (size, sha), "{file}");
    }
}

#[test]
fn randomised_blocks_we_write_are_read_by_bzip2() {
    if !have("bzip2", &["--help"]) {
        return;
    }
    let data = b"randomised blocks of bzip2 0.9.0 ".repeat(10_000);
    let packed = compcol::compress_to_vec(&mut Bzip2Encoder::new(1).with_randomised_blocks(), &data).unwrap();
    assert!(pipe_tool("bzip2", &["-dc"], &packed) == data);
    assert!(decode_ours(&packed) == data);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn round_trips(data in proptest::collection::vec(0u8..6, 0..40_000), level in 1u32..=9) {
        let packed = compress_to_vec(&data, level).unwrap();
        prop_assert_eq!(decompress_to_vec(&packed, CAP).unwrap(), data);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..3000), digit in 0u8..10) {
        let mut s = vec![b'B', b'Z', b'h', b'0' + digit, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59];
        s.extend_from_slice(&bytes);
        let _ = decompress_to_vec(&s, 1 << 20);
    }

    #[test]
    fn flipped_bits_in_a_valid_stream_never_panic(pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut packed = compress_to_vec(&b"mutation target, mutation target ".repeat(200), 1).unwrap();
        let i = pos.index(packed.len());
        packed[i] ^= 1 << bit;
        let _ = decompress_to_vec(&packed, 1 << 20);
    }
}

#[test]
fn cli_writes_bz2_files_like_bzip2_and_detects_them() {
    use std::process::Command;
    if !have("bzip2", &["--help"]) {
        return;
    }
    let dir = scratch("bzip2-cli");
    let data = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus/alice29.txt")).unwrap();
    std::fs::write(dir.join("a.txt"), &data).unwrap();
    let run =
        |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_compcol")).args(args).current_dir(&dir).output().unwrap();
    let o = run(&["-F", "bzip2", "-7", "-k", "a.txt"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let packed = std::fs::read(dir.join("a.txt.bz2")).unwrap();
    assert!(packed == pipe_tool("bzip2", &["-c", "-7"], &data), "compcol -F bzip2 -7 differs from bzip2 -7");
    // -d finds the format by its magic; -F bz2 names it by extension.
    let o = run(&["-dc", "a.txt.bz2"]);
    assert!(o.status.success() && o.stdout == data);
    let o = run(&["-dc", "-F", "bz2", "a.txt.bz2"]);
    assert!(o.status.success() && o.stdout == data);
    std::fs::remove_file(dir.join("a.txt")).unwrap();
    let o = run(&["-d", "a.txt.bz2"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read(dir.join("a.txt")).unwrap() == data, ".bz2 suffix stripped on -d");
    let _ = std::fs::remove_dir_all(&dir);
}
