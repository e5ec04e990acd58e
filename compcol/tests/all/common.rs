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
