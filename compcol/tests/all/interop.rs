//! Interop, both directions, at every level, against `gzip`, `pigz` and
//! Python's `zlib` (zlib, raw deflate and preset dictionaries), plus
//! multi-member, FHCRC and FEXTRA streams made by the reference tools.

use crate::common::{all_inputs, have, scratch};
use compcol::deflate::{DeflateDecoder, DeflateEncoder, Options};
use compcol::gzip::{GzHeader, GzipDecoder, GzipEncoder};
use compcol::zlib::{ZlibDecoder, ZlibEncoder};
use compcol::{compress_to_vec, decompress_to_vec};
use std::io::Write;
use std::process::{Command, Stdio};

const CAP: usize = 1 << 26;

/// Runs `cmd args` with `input` on stdin; returns stdout (asserting success).
fn pipe(cmd: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new(cmd)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(out.status.success(), "{cmd} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn gzip_ours(data: &[u8], level: i32) -> Vec<u8> {
    compress_to_vec(&mut GzipEncoder::with_header(&Options::new(level), &GzHeader::new()).unwrap(), data).unwrap()
}

fn tool_round_trips(tool: &str) {
    if !have(tool, &["--version"]) {
        return;
    }
    for (name, data) in all_inputs() {
        for level in 0..=9 {
            // Ours -> tool.
            let packed = gzip_ours(&data, level);
            assert!(pipe(tool, &["-d", "-c"], &packed) == data, "{tool} -d of our level {level} {name}");
            // Tool -> ours (gzip/pigz have no level 0; pigz -0 stores).
            if level == 0 && tool == "gzip" {
                continue;
            }
            let theirs = pipe(tool, &[&format!("-{level}"), "-c", "-n"], &data);
            let plain = decompress_to_vec(&mut GzipDecoder::new(), &theirs, CAP).unwrap();
            assert!(plain == data, "our decode of {tool} -{level} {name}");
        }
    }
}

#[test]
fn gzip_cli_both_directions_every_level() {
    tool_round_trips("gzip");
}

#[test]
fn pigz_cli_both_directions_every_level() {
    tool_round_trips("pigz");
}

/// Python script: for each `NAME.L.{zz,raw}` we wrote, decompress and
/// compare with `NAME`; then write `NAME.L.py.{zz,raw}` and dictionary
/// streams for us to decode.
const PY: &str = r#"
import os, sys, zlib
d = sys.argv[1]
names = [n for n in os.listdir(d) if '.' not in n and n != 'DICT']
dic = open(os.path.join(d, 'DICT'), 'rb').read() if os.path.exists(os.path.join(d, 'DICT')) else b''
bad = []
for n in names:
    data = open(os.path.join(d, n), 'rb').read()
    for l in range(10):
        z = open(os.path.join(d, '%s.%d.zz' % (n, l)), 'rb').read()
        if zlib.decompress(z) != data: bad.append('zlib %s %d' % (n, l))
        r = open(os.path.join(d, '%s.%d.raw' % (n, l)), 'rb').read()
        if zlib.decompress(r, -15) != data: bad.append('raw %s %d' % (n, l))
        for wbits in (9, 12):
            zw = open(os.path.join(d, '%s.%d.ours.w%d.zz' % (n, l, wbits)), 'rb').read()
            if zlib.decompress(zw) != data: bad.append('wbits %d %s %d' % (wbits, n, l))
        zd = open(os.path.join(d, '%s.%d.dict.zz' % (n, l)), 'rb').read()
        o = zlib.decompressobj(zdict=dic)
        if o.decompress(zd) + o.flush() != data: bad.append('dict %s %d' % (n, l))
        open(os.path.join(d, '%s.%d.py.zz' % (n, l)), 'wb').write(zlib.compress(data, l))
        c = zlib.compressobj(l, zlib.DEFLATED, -15)
        open(os.path.join(d, '%s.%d.py.raw' % (n, l)), 'wb').write(c.compress(data) + c.flush())
        c = zlib.compressobj(l, zlib.DEFLATED, 15, zdict=dic)
        open(os.path.join(d, '%s.%d.py.dict.zz' % (n, l)), 'wb').write(c.compress(data) + c.flush())
        for wbits in (9, 12):
            c = zlib.compressobj(l, zlib.DEFLATED, wbits)
            open(os.path.join(d, '%s.%d.py.w%d.zz' % (n, l, wbits)), 'wb').write(c.compress(data) + c.flush())
if bad:
    print('\n'.join(bad)); sys.exit(1)
"#;

#[test]
fn python_zlib_both_directions_every_level_with_dictionaries() {
    if !have("python3", &["-c", "import zlib"]) {
        return;
    }
    let dir = scratch("py");
    let dict: Vec<u8> = b"<html><head><title>the quick brown fox</title></head><body>".repeat(20);
    std::fs::write(dir.join("DICT"), &dict).unwrap();
    let inputs = all_inputs();
    for (name, data) in &inputs {
        std::fs::write(dir.join(name.replace('.', "_")), data).unwrap();
        for level in 0..=9 {
            let n = name.replace('.', "_");
            let z = compress_to_vec(&mut ZlibEncoder::new(level), data).unwrap();
            std::fs::write(dir.join(format!("{n}.{level}.zz")), z).unwrap();
            let r = compress_to_vec(&mut DeflateEncoder::new(level), data).unwrap();
            std::fs::write(dir.join(format!("{n}.{level}.raw")), r).unwrap();
            for w in [9u8, 12] {
                let mut enc = ZlibEncoder::with_options(&Options::new(level).window_bits(w)).unwrap();
                let z = compress_to_vec(&mut enc, data).unwrap();
                std::fs::write(dir.join(format!("{n}.{level}.ours.w{w}.zz")), z).unwrap();
            }
            let mut enc = ZlibEncoder::with_options(&Options::new(level).dictionary(&dict)).unwrap();
            std::fs::write(dir.join(format!("{n}.{level}.dict.zz")), compress_to_vec(&mut enc, data).unwrap()).unwrap();
        }
    }
    let out = Command::new("python3").arg("-c").arg(PY).arg(&dir).output().unwrap();
    assert!(
        out.status.success(),
        "python rejected our streams:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for (name, data) in &inputs {
        let n = name.replace('.', "_");
        for level in 0..=9 {
            let read = |suffix: &str| std::fs::read(dir.join(format!("{n}.{level}.{suffix}"))).unwrap();
            assert!(decompress_to_vec(&mut ZlibDecoder::new(), &read("py.zz"), CAP).unwrap() == *data, "{n} {level}");
            assert!(decompress_to_vec(&mut DeflateDecoder::new(), &read("py.raw"), CAP).unwrap() == *data);
            let mut dec = ZlibDecoder::with_dictionary(&dict);
            assert!(decompress_to_vec(&mut dec, &read("py.dict.zz"), CAP).unwrap() == *data, "dict {n} {level}");
            for w in [9, 12] {
                let s = read(&format!("py.w{w}.zz"));
                assert!(decompress_to_vec(&mut ZlibDecoder::new(), &s, CAP).unwrap() == *data);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn reference_multi_member_fhcrc_and_fextra_streams() {
    if !have("python3", &["-c", "import gzip"]) {
        return;
    }
    // Python's gzip writes FNAME and MTIME; build FHCRC + FEXTRA members
    // by hand in Python (zlib for the body) and concatenate members.
    let script = r#"
import sys, zlib, struct, gzip
def member(data, flags_extra=b'', name=b'', hcrc=False, level=6):
    flg = (4 if flags_extra else 0) | (8 if name else 0) | (2 if hcrc else 0)
    h = b'\x1f\x8b\x08' + bytes([flg]) + struct.pack('<I', 1700000000) + b'\x00\x03'
    if flags_extra: h += struct.pack('<H', len(flags_extra)) + flags_extra
    if name: h += name + b'\x00'
    if hcrc: h += struct.pack('<H', zlib.crc32(h) & 0xffff)
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return h + c.compress(data) + c.flush() + struct.pack('<II', zlib.crc32(data), len(data) & 0xffffffff)
out = member(b'alpha ' * 1000, flags_extra=b'XY\x03\x00abc', hcrc=True)
out += member(b'', name=b'empty.txt')
out += gzip.compress(b'gamma' * 77, 9)
sys.stdout.buffer.write(out)
"#;
    let out = Command::new("python3").arg("-c").arg(script).output().unwrap();
    assert!(out.status.success());
    let mut dec = GzipDecoder::new();
    let plain = decompress_to_vec(&mut dec, &out.stdout, CAP).unwrap();
    let mut want = b"alpha ".repeat(1000);
    want.extend(b"gamma".repeat(77));
    assert!(plain == want);
    assert_eq!(dec.members(), 3);
    let h = dec.header().unwrap();
    assert_eq!((h.extra.as_deref(), h.hcrc, h.mtime, h.os), (Some(&b"XY\x03\x00abc"[..]), true, 1_700_000_000, 3));
    // And ours with FHCRC + FEXTRA + FNAME + FCOMMENT passes gzip -t.
    if have("gzip", &["--version"]) {
        let hdr = GzHeader::new().name(b"n.txt").comment(b"c").extra(b"AB\x01\x00z").header_crc(true).mtime(5);
        let mut enc = GzipEncoder::with_header(&Options::new(6), &hdr).unwrap();
        let mut packed = compress_to_vec(&mut enc, b"hello").unwrap();
        packed.extend(gzip_ours(b" world", 1));
        assert_eq!(pipe("gzip", &["-d", "-c"], &packed), b"hello world");
    }
}
