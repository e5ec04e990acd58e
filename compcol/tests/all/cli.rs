//! The `compcol` binary: compress/decompress files and pipes, -k/-c/-f/-t/
//! -l/-o, refusal to overwrite, corrupt input leaving no output, exit
//! codes, and interop with gzip.

use crate::common::{compcol_in as compcol, have, scratch};
use std::process::Command;

fn text() -> Vec<u8> {
    b"compcol command line test line\n".repeat(500)
}

#[test]
fn compress_then_decompress_a_file_in_place() {
    let dir = scratch("cli1");
    std::fs::write(dir.join("a.txt"), text()).unwrap();
    let o = compcol(&dir, &["-9", "a.txt"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!dir.join("a.txt").exists() && dir.join("a.txt.gz").exists());
    let o = compcol(&dir, &["-t", "-v", "a.txt.gz"], b"");
    assert_eq!(o.status.code(), Some(0));
    let o = compcol(&dir, &["-l", "a.txt.gz"], b"");
    assert!(String::from_utf8_lossy(&o.stdout).contains(&text().len().to_string()));
    let o = compcol(&dir, &["-d", "-k", "a.txt.gz"], b"");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read(dir.join("a.txt")).unwrap(), text());
    assert!(dir.join("a.txt.gz").exists(), "-k keeps the input");
    // Refuses to overwrite without -f; -f overwrites.
    let o = compcol(&dir, &["-d", "a.txt.gz"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("a.txt"));
    let o = compcol(&dir, &["-d", "-f", "a.txt.gz"], b"");
    assert_eq!(o.status.code(), Some(0));
    // Already compressed / unknown suffix are warnings (exit 2).
    std::fs::write(dir.join("b.gz"), b"x").unwrap();
    assert_eq!(compcol(&dir, &["b.gz"], b"").status.code(), Some(2));
    std::fs::write(dir.join("c.bin"), b"x").unwrap();
    assert_eq!(compcol(&dir, &["-d", "c.bin"], b"").status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn pipes_formats_and_output_option() {
    let dir = scratch("cli2");
    for fmt in ["gzip", "zlib", "deflate", "store"] {
        let packed = compcol(&dir, &["-c", "-F", fmt], &text());
        assert_eq!(packed.status.code(), Some(0));
        let args: Vec<&str> = if matches!(fmt, "deflate" | "store") { vec!["-dc", "-F", fmt] } else { vec!["-dc"] };
        let plain = compcol(&dir, &args, &packed.stdout);
        assert_eq!(plain.status.code(), Some(0), "{fmt}: {}", String::from_utf8_lossy(&plain.stderr));
        assert_eq!(plain.stdout, text(), "{fmt}");
    }
    let o = compcol(&dir, &["-o", "out.gz"], &text());
    assert_eq!(o.status.code(), Some(0));
    let o = compcol(&dir, &["-dc", "out.gz"], b"");
    assert_eq!(o.stdout, text());
    assert!(dir.join("out.gz").exists(), "-c keeps the input");
    assert_eq!(compcol(&dir, &["-F", "nope"], b"").status.code(), Some(1));
    assert_eq!(compcol(&dir, &["--bogus"], b"").status.code(), Some(1));
    assert_eq!(compcol(&dir, &["-h"], b"").status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn corrupt_input_leaves_no_output_and_keeps_the_input() {
    let dir = scratch("cli3");
    let mut packed = compcol::gzip::compress_to_vec(&text(), 6).unwrap();
    let n = packed.len();
    packed[n - 6] ^= 0xff; // CRC
    std::fs::write(dir.join("bad.gz"), &packed).unwrap();
    packed.truncate(n / 2);
    std::fs::write(dir.join("short.gz"), &packed).unwrap();
    for f in ["bad.gz", "short.gz"] {
        let o = compcol(&dir, &["-d", f], b"");
        assert_eq!(o.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&o.stderr).contains(f));
        assert!(dir.join(f).exists(), "input kept");
        assert!(!dir.join(f.trim_end_matches(".gz")).exists(), "no output left");
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "temp files cleaned up: {leftovers:?}");
    // Several files: errors make the exit code 1 but good ones still work.
    std::fs::write(dir.join("good"), text()).unwrap();
    let o = compcol(&dir, &["-t", "bad.gz", "short.gz"], b"");
    assert_eq!(o.status.code(), Some(1));
    let o = compcol(&dir, &["-k", "good", "missing"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(dir.join("good.gz").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_output_interoperates_with_gzip() {
    if !have("gzip", &["--version"]) {
        return;
    }
    let dir = scratch("cli4");
    let packed = compcol(&dir, &["-c", "-1"], &text()).stdout;
    std::fs::write(dir.join("x.gz"), &packed).unwrap();
    let o = Command::new("gzip").args(["-t", "x.gz"]).current_dir(&dir).output().unwrap();
    assert!(o.status.success());
    std::fs::write(dir.join("y"), text()).unwrap();
    assert!(Command::new("gzip").args(["-9", "y"]).current_dir(&dir).status().unwrap().success());
    let o = compcol(&dir, &["-d", "y.gz"], b"");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read(dir.join("y")).unwrap(), text());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn parallel_gzip_is_one_member_gzip_accepts() {
    let dir = scratch("cli5");
    // 10 MB: ten 1 MiB chunks, more than -T2 or -T3 keep in flight, so
    // workers are reused and results are reordered.
    let mut data = Vec::new();
    let mut i = 0u32;
    while data.len() < 10_000_000 {
        data.extend_from_slice(format!("line {i} {}\n", i.wrapping_mul(7919) % 1000).as_bytes());
        i += 1;
    }
    for (threads, input) in [("2", &data[..]), ("3", &data[..3_000_000]), ("2", b"")] {
        let o = compcol(&dir, &["-c", "-T", threads, "-1"], input);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let mut dec = compcol::gzip::GzipDecoder::new();
        let plain = compcol::decompress_to_vec(&mut dec, &o.stdout, 1 << 24).unwrap();
        assert!(plain == input, "-T {threads}");
        assert_eq!(dec.members(), 1);
        if have("gzip", &["--version"]) {
            std::fs::write(dir.join("p.gz"), &o.stdout).unwrap();
            let g = Command::new("gzip").args(["-dc", "p.gz"]).current_dir(&dir).output().unwrap();
            assert!(g.status.success() && g.stdout == input);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn refuses_to_write_compressed_data_to_a_terminal() {
    // `script` runs the command with a pseudo-terminal as its stdout.
    if !have("script", &["--version"]) {
        return;
    }
    let dir = scratch("cli6");
    std::fs::write(dir.join("in.txt"), text()).unwrap();
    let cmd = format!("{} -c in.txt", env!("CARGO_BIN_EXE_compcol"));
    let o = Command::new("script").args(["-qec", &cmd, "/dev/null"]).current_dir(&dir).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(String::from_utf8_lossy(&o.stdout).contains("not written to a terminal"));
    let cmd = format!("{} -c -f in.txt > /dev/null", env!("CARGO_BIN_EXE_compcol"));
    let o = Command::new("script").args(["-qec", &cmd, "/dev/null"]).current_dir(&dir).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn trailing_garbage_is_a_warning() {
    let dir = scratch("cli7");
    let mut packed = compcol::gzip::compress_to_vec(&text(), 6).unwrap();
    packed.extend_from_slice(b"garbage");
    std::fs::write(dir.join("t.gz"), &packed).unwrap();
    let o = compcol(&dir, &["-d", "t.gz"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("trailing garbage ignored"));
    assert_eq!(std::fs::read(dir.join("t")).unwrap(), text());
    let o = compcol(&dir, &["-dc"], &packed);
    assert_eq!((o.status.code(), o.stdout == text()), (Some(2), true));
    let o = compcol(&dir, &["-dcq"], &packed[..packed.len() - 7]);
    assert_eq!(o.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(feature = "xz")]
#[test]
fn xz_and_lzma_through_the_cli() {
    let dir = scratch("clixz");
    std::fs::write(dir.join("a.txt"), text()).unwrap();
    let o = compcol(&dir, &["-F", "xz", "-9", "-k", "a.txt"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let packed = std::fs::read(dir.join("a.txt.xz")).unwrap();
    assert_eq!(compcol::factory::detect(&packed), Some("xz"));
    if have("xz", &["--version"]) {
        assert_eq!(crate::common::pipe_tool("xz", &["-dc"], &packed), text());
        // And the other way: xz's output, format found from the magic.
        let theirs = crate::common::pipe_tool("xz", &["-c", "-e"], &text());
        let o = compcol(&dir, &["-dc"], &theirs);
        assert_eq!(o.stdout, text());
        let lz = crate::common::pipe_tool("xz", &["-c", "--format=lzma"], &text());
        let o = compcol(&dir, &["-dc"], &lz);
        assert_eq!(o.stdout, text(), "the .lzma header sniff finds the format");
    }
    let o = compcol(&dir, &["-d", "-c", "a.txt.xz"], b"");
    assert_eq!(o.stdout, text());
    let o = compcol(&dir, &["-c", "-F", "lzma"], &text());
    assert_eq!(compcol(&dir, &["-dc", "-F", "lzma"], &o.stdout).stdout, text());
    // -e (extreme) and --memory: the -9 stream needs a 64 MiB dictionary.
    let e = compcol(&dir, &["-c", "-F", "xz", "-7", "-e"], &text());
    assert_eq!(e.status.code(), Some(0), "{}", String::from_utf8_lossy(&e.stderr));
    assert_eq!(compcol(&dir, &["-dc"], &e.stdout).stdout, text());
    let o = compcol(&dir, &["-dc", "--memory=32MiB", "a.txt.xz"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("memory limit"), "{}", String::from_utf8_lossy(&o.stderr));
    let o = compcol(&dir, &["-dc", "--memory=65MiB", "a.txt.xz"], b"");
    assert_eq!(o.stdout, text());
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(feature = "brotli")]
#[test]
fn brotli_through_the_cli() {
    let dir = scratch("clibr");
    std::fs::write(dir.join("a.txt"), text()).unwrap();
    let o = compcol(&dir, &["-F", "br", "--level", "11", "a.txt"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let packed = std::fs::read(dir.join("a.txt.br")).unwrap();
    if have("brotli", &["--version"]) {
        assert_eq!(crate::common::pipe_tool("brotli", &["-dc"], &packed), text());
    }
    // No magic number: a .br name selects brotli, and -d strips it.
    let o = compcol(&dir, &["-d", "a.txt.br"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(dir.join("a.txt")).unwrap(), text());
    assert!(!dir.join("a.txt.br").exists());
    // Pipes need -F.
    let o = compcol(&dir, &["-c", "-F", "brotli", "-1"], &text());
    assert_eq!(compcol(&dir, &["-dc", "-F", "brotli"], &o.stdout).stdout, text());
    assert_eq!(compcol(&dir, &["-dc"], &o.stdout).status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}
