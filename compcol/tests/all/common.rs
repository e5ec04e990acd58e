//! Shared helpers: tool detection, scratch directories, corpus and edge
//! inputs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

/// Whether `tool` runs. Missing under CI is a failure; otherwise a loud skip.
pub fn have(tool: &str, probe: &[&str]) -> bool {
    let ok = Command::new(tool).args(probe).output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "{tool} is required in CI but not installed");
        eprintln!("SKIPPED: {tool} not installed");
    }
    ok
}

/// A fresh scratch directory under the system temp dir.
pub fn scratch(tag: &str) -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "compcol-test-{}-{tag}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus")
}

/// Corpus files used by interop (kennedy.xls is left to the benches).
pub fn corpus() -> Vec<(String, Vec<u8>)> {
    ["alice29.txt", "cp.html", "fields.c", "ptt5", "sum"]
        .iter()
        .map(|n| (n.to_string(), std::fs::read(corpus_dir().join(n)).unwrap()))
        .collect()
}

fn xorshift(n: usize, mut x: u32) -> Vec<u8> {
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

/// The edge inputs named by the issue.
pub fn edge_inputs() -> Vec<(String, Vec<u8>)> {
    let random = xorshift(65_536, 0x1234_5678);
    let mut m258 = xorshift(300, 7);
    m258.extend_from_slice(&[b'x'; 259]);
    m258.extend(xorshift(100, 9));
    m258.extend_from_within(..258);
    let block = xorshift(32_768, 11);
    let mut d32k = block.clone();
    d32k.extend_from_slice(&block[..300]); // distance exactly 32768
    d32k.push(0);
    d32k.extend_from_slice(&block[..300]); // distance 32769: too far to match
    vec![
        ("empty".into(), Vec::new()),
        ("one".into(), vec![0x5a]),
        ("zeros64k".into(), vec![0; 65_536]),
        ("random".into(), random),
        ("bytes256".into(), (0..=255u8).collect()),
        ("match258".into(), m258),
        ("dist32k".into(), d32k),
    ]
}

/// Corpus plus edge inputs.
pub fn all_inputs() -> Vec<(String, Vec<u8>)> {
    let mut v = corpus();
    v.extend(edge_inputs());
    v
}

/// SHA-256 of `data`, lower-case hex: fixture manifests name decoded
/// outputs by it (FIPS 180-4, written out here to keep dev-dependencies
/// to proptest).
pub fn sha256_hex(data: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes(block[i * 4..i * 4 + 4].try_into().unwrap());
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

/// `(file, size, sha256)` of each `<decompressed stream>` row of a
/// fixture directory's `MANIFEST.tsv`.
pub fn manifest_streams(dir: &Path) -> Vec<(String, usize, String)> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f.len() >= 6 && f[2] == "OK" && f[3] == "<decompressed stream>")
        .map(|f| (f[0].to_string(), f[4].parse().unwrap(), f[5].to_string()))
        .collect()
}

/// Runs `cmd` with `input` on its stdin and waits for it. The input is
/// fed from a thread: a streaming filter (such as `compcol -T N`) writes
/// output before it has read all its input, and would block on a full
/// stdout pipe.
pub fn run_with_stdin(cmd: &mut Command, input: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

/// `compcol ARGS` in `dir` with `input` on stdin.
pub fn compcol_in(dir: &std::path::Path, args: &[&str], input: &[u8]) -> std::process::Output {
    run_with_stdin(Command::new(env!("CARGO_BIN_EXE_compcol")).args(args).current_dir(dir), input)
}

/// Runs `cmd args` with `input` on stdin; returns stdout (asserting success).
pub fn pipe_tool(cmd: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
    let out = run_with_stdin(Command::new(cmd).args(args), input);
    assert!(out.status.success(), "{cmd} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// An input larger than the biggest block of the fast codecs (4 MiB):
/// the corpus repeated with a varying byte between copies.
pub fn large_input() -> Vec<u8> {
    let mut v = Vec::new();
    let mut i = 0u8;
    while v.len() < (4 << 20) + 300_000 {
        for (_, d) in corpus() {
            v.extend_from_slice(&d);
            v.push(i);
            i = i.wrapping_add(1);
        }
    }
    v
}
