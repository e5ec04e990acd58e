//! `compcol -F zstd -T N`: inputs spanning several jobs at levels 1, 3,
//! 19, negative and ultra, with `-D` and `--long`, read back by `zstd -d`
//! and by `compcol -d`; one frame per job, each exactly the frame the
//! library writes for that job; output independent of N and of how the
//! input arrives; empty input; `-T` on a format without a parallel path.

use crate::common::{compcol_in, corpus, have, large_input, scratch};
use compcol::zstd::{Dictionary, Options, ZstdDecoder, ZstdEncoder, train_dictionary};
use std::path::Path;
use std::process::{Command, Output, Stdio};

const CAP: usize = 1 << 26;

fn compcol(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let out = compcol_in(dir, args, stdin);
    assert!(out.status.success(), "compcol {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// What the multi-threaded path must write: one frame per `job` bytes,
/// each with content size and checksum, concatenated.
fn expected(data: &[u8], job: usize, opts: &Options) -> Vec<u8> {
    let mut out = Vec::new();
    for piece in data.chunks(job) {
        let o = opts.clone().pledged_size(piece.len() as u64);
        out.extend(compcol::compress_to_vec(&mut ZstdEncoder::with_options(&o).unwrap(), piece).unwrap());
    }
    out
}

/// Decodes `packed` with our decoder (and `dict`); returns (plain, frames).
fn decode(packed: &[u8], dict: Option<&[u8]>) -> (Vec<u8>, u64) {
    let mut dec = ZstdDecoder::new().with_window_limit(1 << 30);
    if let Some(d) = dict {
        dec = dec.with_dictionary(Dictionary::parse(d).unwrap());
    }
    // Streaming: `decompress_all` neither takes a dictionary nor counts frames.
    let plain = compcol::decompress_to_vec(&mut dec, packed, CAP).unwrap();
    (plain, dec.frames())
}

/// Checks `packed` against zstd (when installed) and `compcol -d`.
fn both_decoders_return(dir: &Path, packed: &[u8], input: &[u8], dict: Option<&str>, what: &str) {
    let mut args = vec!["-d", "-c", "-q", "--long=31"];
    if let Some(d) = dict {
        args.extend(["-D", d]);
    }
    if have("zstd", &["--version"]) {
        std::fs::write(dir.join("in.zst"), packed).unwrap();
        let mut zargs = args.clone();
        zargs.push("in.zst");
        let o = Command::new("zstd").args(&zargs).current_dir(dir).output().unwrap();
        assert!(o.status.success(), "zstd -d, {what}: {}", String::from_utf8_lossy(&o.stderr));
        assert!(o.stdout == input, "zstd -d returned other bytes, {what}");
    }
    let back = compcol(dir, &args, packed).stdout;
    assert!(back == input, "compcol -d returned other bytes, {what}");
}

#[test]
fn zstd_mt_frames_per_job_at_levels_1_3_19() {
    let dir = scratch("zstd-mt-levels");
    let big = large_input();
    // (level flags, library level, input, job size): several jobs each.
    let cases: [(&[&str], i32, &[u8], usize); 5] = [
        (&["-1"], 1, &big, 1 << 20),
        (&["-3"], 3, &big, 1 << 20),
        (&["-19"], 19, &big[..600_000], 128 << 10),
        (&["--fast=5"], -5, &big, 1 << 20),
        (&["--ultra", "-20"], 20, &big[..300_000], 100_000),
    ];
    for (flags, level, input, job) in cases {
        let block = format!("--block-size={job}");
        let mut outputs = Vec::new();
        for threads in ["-T2", "-T3"] {
            let mut args = vec!["-F", "zstd", "-c", threads, &block];
            args.extend(flags);
            let packed = compcol(&dir, &args, input).stdout;
            let (plain, frames) = decode(&packed, None);
            assert!(plain == input, "{args:?}");
            assert_eq!(frames, input.len().div_ceil(job) as u64, "{args:?}: one frame per job");
            assert!(frames >= 3, "{args:?}: the input should span several jobs");
            both_decoders_return(&dir, &packed, input, None, &format!("{args:?}"));
            outputs.push(packed);
        }
        assert!(outputs[0] == outputs[1], "{flags:?}: -T2 and -T3 wrote different bytes");
        assert!(outputs[0] == expected(input, job, &Options::new(level)), "{flags:?}: not the library's frames");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn zstd_mt_default_jobs_are_four_windows_of_at_least_4_mib() {
    let dir = scratch("zstd-mt-default");
    // Level 1's window is 512 KiB, so jobs are the 4 MiB minimum: 2 frames.
    let big = large_input();
    assert!(big.len() > 4 << 20 && big.len() < 8 << 20);
    let packed = compcol(&dir, &["-F", "zstd", "-c", "-T2", "-1"], &big).stdout;
    assert_eq!(decode(&packed, None), (big.clone(), 2));
    assert!(packed == expected(&big, 4 << 20, &Options::new(1)));
    // --long=27: a 128 MiB window, so one job holds all of it.
    let packed = compcol(&dir, &["-F", "zstd", "-c", "-T2", "-1", "--long=27"], &big).stdout;
    assert_eq!(decode(&packed, None), (big.clone(), 1));
    both_decoders_return(&dir, &packed, &big, None, "--long=27");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn zstd_mt_with_a_dictionary() {
    let dir = scratch("zstd-mt-dict");
    let samples: Vec<Vec<u8>> =
        corpus().into_iter().flat_map(|(_, d)| d.chunks(4096).map(<[u8]>::to_vec).collect::<Vec<_>>()).collect();
    let refs: Vec<&[u8]> = samples.iter().map(Vec::as_slice).collect();
    let dict = train_dictionary(&refs, 16 << 10).unwrap();
    std::fs::write(dir.join("d.dict"), &dict).unwrap();
    let input = &large_input()[..1_500_000];
    for level in ["-3", "-19"] {
        let input = if level == "-19" { &input[..400_000] } else { input };
        let packed =
            compcol(&dir, &["-F", "zstd", "-c", "-T2", level, "-D", "d.dict", "--block-size=128K"], input).stdout;
        let (plain, frames) = decode(&packed, Some(&dict));
        assert!(plain == input);
        assert_eq!(frames, input.len().div_ceil(128 << 10) as u64);
        let lib_level = level.trim_start_matches('-').parse().unwrap();
        let opts = Options::new(lib_level).dictionary(Dictionary::parse(&dict).unwrap());
        assert!(packed == expected(input, 128 << 10, &opts), "{level}: not the library's frames");
        // Every frame names the dictionary: without it decoding fails.
        assert!(compcol::decompress_to_vec(&mut ZstdDecoder::new(), &packed, CAP).is_err());
        both_decoders_return(&dir, &packed, input, Some("d.dict"), level);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn zstd_mt_empty_input_is_one_empty_frame() {
    let dir = scratch("zstd-mt-empty");
    let single = compcol(&dir, &["-F", "zstd", "-c"], b"").stdout;
    for t in ["-T2", "-T3"] {
        let packed = compcol(&dir, &["-F", "zstd", "-c", t], b"").stdout;
        assert_eq!(packed, single, "{t}");
        assert_eq!(decode(&packed, None), (Vec::new(), 1));
        both_decoders_return(&dir, &packed, b"", None, t);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn zstd_mt_output_does_not_depend_on_how_input_arrives() {
    let dir = scratch("zstd-mt-arrival");
    let input = &large_input()[..2_500_000];
    std::fs::write(dir.join("a.bin"), input).unwrap();
    let args = ["-F", "zstd", "-c", "-T2", "-3", "--block-size=512K"];
    let from_pipe = compcol(&dir, &args, input).stdout;
    let mut file_args = args.to_vec();
    file_args.push("a.bin");
    let from_file = compcol(&dir, &file_args, b"").stdout;
    assert!(from_pipe == from_file, "stdin and file inputs gave different frames");
    // Through `cat`, whose writes the pipe splits as it likes.
    if have("cat", &["--version"]) {
        let mut cat = Command::new("cat").arg("a.bin").current_dir(&dir).stdout(Stdio::piped()).spawn().unwrap();
        let piped = cat.stdout.take().unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_compcol")).args(args).stdin(piped).output().unwrap();
        assert!(cat.wait().unwrap().success());
        assert!(o.status.success() && o.stdout == from_file);
    }
    // Compressing to a file (x.zst) writes the same bytes.
    let o = compcol(&dir, &["-F", "zstd", "-k", "-T3", "-3", "--block-size=512K", "a.bin"], b"");
    assert!(o.status.success());
    assert!(std::fs::read(dir.join("a.bin.zst")).unwrap() == from_file);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn threads_with_a_format_without_a_parallel_path_use_one_thread() {
    let dir = scratch("zstd-mt-zlib");
    let input = &large_input()[..300_000];
    let one = compcol(&dir, &["-F", "zlib", "-c"], input).stdout;
    let two = compcol(&dir, &["-F", "zlib", "-c", "-T2"], input).stdout;
    assert!(one == two, "-T changed zlib output");
    // And zstd -T1 stays the single-threaded stream: one frame.
    let packed = compcol(&dir, &["-F", "zstd", "-c", "-T1", "-1"], &large_input()).stdout;
    assert_eq!(decode(&packed, None).1, 1);
    let _ = std::fs::remove_dir_all(&dir);
}
