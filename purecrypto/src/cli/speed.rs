//! `purecrypto speed`: throughput for 16 .. 16384-byte blocks in
//! `openssl speed`'s table layout, divided by CPU time like openssl's
//! default (`-elapsed` divides by wall-clock time instead).
//!
//! Entry point: [`run`]. Each algorithm is one row of [`ALGORITHMS`]: a
//! name and a function that processes one buffer; adding a primitive to
//! `speed` is adding a row.

use std::string::{String, ToString};
use std::time::{Duration, Instant};
use std::vec::Vec;

mod kem;

use super::{CliError, Io, value};
use crate::hash::{HashAlgorithm, Hasher};

/// The block sizes `openssl speed` uses.
const SIZES: [usize; 6] = [16, 64, 256, 1024, 8192, 16384];

/// One benchmarkable primitive: processes one whole buffer per call.
#[derive(Clone, Copy)]
struct Algorithm {
    name: &'static str,
    run: fn(&[u8]),
}

fn hash_with(alg: HashAlgorithm, data: &[u8]) {
    let mut h = Hasher::new(alg);
    h.update(data);
    core::hint::black_box(h.finalize());
}

/// A row for a fixed-output hash.
macro_rules! hash_row {
    ($name:literal, $alg:ident) => {
        Algorithm { name: $name, run: |d| hash_with(HashAlgorithm::$alg, d) }
    };
}

/// Every algorithm `speed` knows, in the order it runs them by default.
/// Other primitives add `Algorithm { name, run }` rows here.
static ALGORITHMS: &[Algorithm] = &[
    hash_row!("md5", Md5),
    hash_row!("sha1", Sha1),
    hash_row!("sha224", Sha224),
    hash_row!("sha256", Sha256),
    hash_row!("sha384", Sha384),
    hash_row!("sha512", Sha512),
    hash_row!("sha512-224", Sha512_224),
    hash_row!("sha512-256", Sha512_256),
    hash_row!("sha3-224", Sha3_224),
    hash_row!("sha3-256", Sha3_256),
    hash_row!("sha3-384", Sha3_384),
    hash_row!("sha3-512", Sha3_512),
    hash_row!("blake2b512", Blake2b512),
    hash_row!("blake2s256", Blake2s256),
    hash_row!("blake3", Blake3),
    Algorithm {
        name: "hmac-sha256",
        run: |d| drop(core::hint::black_box(crate::mac::hmac(HashAlgorithm::Sha256, b"key", d))),
    },
];

fn find(name: &str) -> Option<Algorithm> {
    let canonical = HashAlgorithm::from_name(name).map(HashAlgorithm::name);
    ALGORITHMS.iter().copied().find(|a| a.name.eq_ignore_ascii_case(canonical.unwrap_or(name)))
}

/// Runs `alg` on a `size`-byte buffer for `duration` of CPU time (wall
/// time with `elapsed`); returns the count and bytes per second.
fn measure(alg: Algorithm, size: usize, duration: Duration, elapsed: bool) -> (u64, f64) {
    let data: Vec<u8> = (0..size).map(|i| i as u8).collect();
    let clock = || if elapsed { None } else { crate::arch::os_time::process_cpu_time() };
    let wall = Instant::now();
    let cpu_start = clock();
    let spent = || match (cpu_start, clock()) {
        (Some(a), Some(b)) => b.saturating_sub(a),
        _ => wall.elapsed(),
    };
    let mut count = 0u64;
    while spent() < duration {
        for _ in 0..16 {
            (alg.run)(&data);
        }
        count += 16;
    }
    let secs = spent().as_secs_f64().max(1e-9);
    (count, count as f64 * size as f64 / secs)
}

/// `speed [-seconds N] [-bytes N] [-elapsed] [-evp ALG] [ALG...]`.
pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let mut seconds = 3u64;
    let mut sizes: Vec<usize> = SIZES.to_vec();
    let mut names: Vec<String> = Vec::new();
    let mut elapsed = false;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        match arg.as_str() {
            "-seconds" => {
                seconds = value(args, &mut i, "-seconds")?.parse().map_err(|_| CliError::usage("bad -seconds"))?;
            }
            "-bytes" => {
                let n: usize = value(args, &mut i, "-bytes")?.parse().map_err(|_| CliError::usage("bad -bytes"))?;
                if n == 0 || n > 1 << 26 {
                    return Err(CliError::usage("-bytes must be 1..=64 MiB"));
                }
                sizes = std::vec![n];
            }
            "-elapsed" => elapsed = true,
            "-evp" => names.push(value(args, &mut i, "-evp")?.to_string()),
            opt if opt.starts_with('-') => return Err(CliError::usage(std::format!("unknown option {opt}"))),
            name => names.push(name.to_string()),
        }
        i += 1;
    }
    // KEMs (`mlkem768`...) get their own table, after the throughput one.
    let kems: Vec<kem::Kem> =
        if names.is_empty() { kem::KEMS.to_vec() } else { names.iter().filter_map(|n| kem::find(n)).collect() };
    let kem_only = !names.is_empty() && names.len() == kems.len();
    names.retain(|n| kem::find(n).is_none());
    let selected: Vec<Algorithm> = if kem_only {
        Vec::new()
    } else if names.is_empty() {
        ALGORITHMS.to_vec()
    } else {
        names
            .iter()
            .map(|n| find(n).ok_or_else(|| CliError::usage(std::format!("unknown algorithm {n}"))))
            .collect::<Result<_, _>>()?
    };
    let duration = Duration::from_secs(seconds.max(1));
    let mut table = Vec::new();
    for alg in &selected {
        let mut row = Vec::new();
        for &size in &sizes {
            let (count, rate) = measure(*alg, size, duration, elapsed);
            let _ = writeln!(
                io.stderr,
                "Doing {} for {}s on {} size blocks: {} {}'s in {:.2}s",
                alg.name,
                seconds.max(1),
                size,
                count,
                alg.name,
                duration.as_secs_f64()
            );
            row.push(rate);
        }
        table.push((alg.name, row));
    }
    let mut out = String::from("The 'numbers' are in 1000s of bytes per second processed.\ntype        ");
    for size in &sizes {
        out.push_str(&std::format!("{size:7} bytes"));
    }
    out.push('\n');
    for (name, row) in table {
        out.push_str(&std::format!("{name:<13}"));
        for rate in row {
            if rate > 10000.0 {
                out.push_str(&std::format!(" {:11.2}k", rate / 1e3));
            } else {
                out.push_str(&std::format!(" {rate:11.2} "));
            }
        }
        out.push('\n');
    }
    if kem_only {
        out.clear();
    }
    if !kems.is_empty() {
        let mut log = |line: String| drop(writeln!(io.stderr, "{line}"));
        out.push_str(&kem::run(&kems, seconds, elapsed, &mut log));
    }
    io.stdout.write_all(out.as_bytes()).map_err(CliError::io("stdout"))?;
    Ok(0)
}
