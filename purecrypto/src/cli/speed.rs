//! `purecrypto speed`: throughput for 16 .. 16384-byte blocks in
//! `openssl speed`'s table layout, divided by CPU time like openssl's
//! default (`-elapsed` divides by wall-clock time instead).
//!
//! Entry point: [`run`]. Each algorithm is one row of [`ALGORITHMS`]: a
//! name and a function that processes one buffer; adding a primitive to
//! `speed` is adding a row. Public-key rows (`ecdsap256`, `ecdhp256`,
//! ...) live in [`PK_ALGORITHMS`] and print `openssl speed ecdsa`'s
//! sign/s and verify/s (or op/s) table.

use std::boxed::Box;
use std::string::{String, ToString};
use std::time::{Duration, Instant};
use std::vec::Vec;

mod kem;
mod pkey;

use super::{CliError, Io, value};
use crate::hash::{HashAlgorithm, Hasher};

/// The block sizes `openssl speed` uses.
const SIZES: [usize; 6] = [16, 64, 256, 1024, 8192, 16384];

/// One benchmarkable primitive: processes one whole buffer per call (in
/// place for ciphers, which is how `openssl speed -evp` runs them).
#[derive(Clone, Copy)]
struct Algorithm {
    name: &'static str,
    run: fn(&mut [u8]),
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
    Algorithm { name: "aes-128-gcm", run: |d| seal_in_place(&AES_128_GCM, d) },
    Algorithm { name: "aes-256-gcm", run: |d| seal_in_place(&AES_256_GCM, d) },
    Algorithm { name: "chacha20-poly1305", run: |d| seal_in_place(&CHACHA20_POLY1305, d) },
];

/// An AEAD keyed once per process, as `openssl speed -evp` sets its key
/// once: the rows time sealing, not key setup.
type SpeedAead = std::sync::LazyLock<Option<Box<dyn crate::aead::Aead + Send + Sync>>>;

static AES_128_GCM: SpeedAead = std::sync::LazyLock::new(|| {
    crate::aead::gcm::AesGcm::new(&[7; 16]).ok().map(|a| Box::new(a) as Box<dyn crate::aead::Aead + Send + Sync>)
});
static AES_256_GCM: SpeedAead = std::sync::LazyLock::new(|| {
    crate::aead::gcm::AesGcm::new(&[7; 32]).ok().map(|a| Box::new(a) as Box<dyn crate::aead::Aead + Send + Sync>)
});
static CHACHA20_POLY1305: SpeedAead = std::sync::LazyLock::new(|| {
    crate::aead::chacha20poly1305::ChaCha20Poly1305::new(&[7; 32])
        .ok()
        .map(|a| Box::new(a) as Box<dyn crate::aead::Aead + Send + Sync>)
});

/// Seals `data` in place under a fixed nonce (the output is thrown away).
fn seal_in_place(aead: &SpeedAead, data: &mut [u8]) {
    if let Some(aead) = aead.as_ref() {
        drop(core::hint::black_box(aead.encrypt_in_place_detached(&[0; 12], b"", data)));
    }
}

/// A signature scheme row: operations per second for key generation,
/// signing (deterministic, 32-byte message) and verification.
#[derive(Clone, Copy)]
struct SignatureScheme {
    name: &'static str,
    run: fn(Duration) -> [f64; 3],
}

/// Calls `op` until `budget` of wall time has passed; returns ops/s.
fn per_second(budget: Duration, mut op: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut count = 0u64;
    while start.elapsed() < budget || count == 0 {
        op();
        count += 1;
    }
    count as f64 / start.elapsed().as_secs_f64().max(1e-9)
}

fn mldsa_rates<P: crate::mldsa::ParameterSet>(budget: Duration) -> [f64; 3] {
    use crate::mldsa::SigningKey;
    let sk = SigningKey::<P>::from_seed(&[7; 32]);
    let vk = sk.verifying_key();
    let Ok(sig) = sk.sign_deterministic(&[1; 32], b"") else { return [0.0; 3] };
    [
        per_second(budget, || drop(core::hint::black_box(SigningKey::<P>::from_seed(&[7; 32])))),
        per_second(budget, || drop(core::hint::black_box(sk.sign_deterministic(&[1; 32], b"")))),
        per_second(budget, || drop(core::hint::black_box(vk.verify(&[1; 32], b"", &sig)))),
    ]
}

fn slhdsa_rates<P: crate::slhdsa::ParameterSet>(budget: Duration) -> [f64; 3] {
    use crate::slhdsa::SigningKey;
    let seed = [7u8; 32];
    let seed = seed.get(..P::N).unwrap_or_default();
    let keygen = || SigningKey::<P>::from_seeds(seed, seed, seed);
    let Ok(sk) = keygen() else { return [0.0; 3] };
    let vk = sk.verifying_key();
    let Ok(sig) = sk.sign_deterministic(&[1; 32], b"") else { return [0.0; 3] };
    [
        per_second(budget, || drop(core::hint::black_box(keygen()))),
        per_second(budget, || drop(core::hint::black_box(sk.sign_deterministic(&[1; 32], b"")))),
        per_second(budget, || drop(core::hint::black_box(vk.verify(&[1; 32], b"", &sig)))),
    ]
}

/// The signature schemes `speed` knows (run only when named).
static SIGNATURE_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme { name: "mldsa44", run: mldsa_rates::<crate::mldsa::MlDsa44> },
    SignatureScheme { name: "mldsa65", run: mldsa_rates::<crate::mldsa::MlDsa65> },
    SignatureScheme { name: "mldsa87", run: mldsa_rates::<crate::mldsa::MlDsa87> },
    SignatureScheme { name: "slhdsa-sha2-128s", run: slhdsa_rates::<crate::slhdsa::SlhDsaSha2_128s> },
    SignatureScheme { name: "slhdsa-sha2-128f", run: slhdsa_rates::<crate::slhdsa::SlhDsaSha2_128f> },
    SignatureScheme { name: "slhdsa-sha2-192s", run: slhdsa_rates::<crate::slhdsa::SlhDsaSha2_192s> },
    SignatureScheme { name: "slhdsa-sha2-192f", run: slhdsa_rates::<crate::slhdsa::SlhDsaSha2_192f> },
    SignatureScheme { name: "slhdsa-sha2-256s", run: slhdsa_rates::<crate::slhdsa::SlhDsaSha2_256s> },
    SignatureScheme { name: "slhdsa-sha2-256f", run: slhdsa_rates::<crate::slhdsa::SlhDsaSha2_256f> },
    SignatureScheme { name: "slhdsa-shake-128s", run: slhdsa_rates::<crate::slhdsa::SlhDsaShake128s> },
    SignatureScheme { name: "slhdsa-shake-128f", run: slhdsa_rates::<crate::slhdsa::SlhDsaShake128f> },
    SignatureScheme { name: "slhdsa-shake-192s", run: slhdsa_rates::<crate::slhdsa::SlhDsaShake192s> },
    SignatureScheme { name: "slhdsa-shake-192f", run: slhdsa_rates::<crate::slhdsa::SlhDsaShake192f> },
    SignatureScheme { name: "slhdsa-shake-256s", run: slhdsa_rates::<crate::slhdsa::SlhDsaShake256s> },
    SignatureScheme { name: "slhdsa-shake-256f", run: slhdsa_rates::<crate::slhdsa::SlhDsaShake256f> },
];

/// Prints the keygen/s, sign/s, verify/s table for the named schemes.
fn run_signatures(schemes: &[SignatureScheme], seconds: u64, io: &mut Io<'_>) -> Result<(), CliError> {
    let budget = Duration::from_secs(seconds.max(1));
    let mut out = std::format!("{:<20} {:>12} {:>12} {:>12}\n", "", "keygen/s", "sign/s", "verify/s");
    for s in schemes {
        let _ = writeln!(io.stderr, "Doing {} keygen, sign and verify for {}s each", s.name, budget.as_secs());
        let [k, g, v] = (s.run)(budget);
        out.push_str(&std::format!("{:<20} {k:12.1} {g:12.1} {v:12.1}\n", s.name));
    }
    io.stdout.write_all(out.as_bytes()).map_err(CliError::io("stdout"))
}

/// RSA sizes `speed` knows (`rsa2048` ...), measured as sign/s and
/// verify/s like `openssl speed rsa2048`.
const RSA_SIZES: [usize; 4] = [2048, 3072, 4096, 8192];

fn rsa_bits(name: &str) -> Option<usize> {
    let bits: usize = name.to_ascii_lowercase().strip_prefix("rsa")?.parse().ok()?;
    RSA_SIZES.contains(&bits).then_some(bits)
}

/// Runs `op` for `duration` of CPU time (wall time with `elapsed`);
/// returns the count and the seconds spent.
fn time_op(duration: Duration, elapsed: bool, mut op: impl FnMut()) -> (u64, f64) {
    let clock = || if elapsed { None } else { crate::arch::os_time::process_cpu_time() };
    let wall = Instant::now();
    let cpu_start = clock();
    let spent = || match (cpu_start, clock()) {
        (Some(a), Some(b)) => b.saturating_sub(a),
        _ => wall.elapsed(),
    };
    let mut count = 0u64;
    while spent() < duration {
        op();
        count += 1;
    }
    (count, spent().as_secs_f64().max(1e-9))
}

/// The RSA rows: a key generated from a fixed seed (like openssl's
/// built-in test keys, the same key every run), PKCS#1 v1.5 SHA-256
/// signatures over a 36-byte digest-sized message.
fn rsa_rows(sizes: &[usize], duration: Duration, elapsed: bool, io: &mut Io<'_>) -> Result<String, CliError> {
    use crate::rsa::RsaPrivateKey;
    let mut rng = crate::rng::HmacDrbg::new(HashAlgorithm::Sha256, &[0x5a; 32], b"speed", b"rsa")
        .map_err(|e| CliError::usage(e.to_string()))?;
    let mut out = String::from("                  sign    verify    sign/s verify/s\n");
    let msg = [0x42u8; 36];
    for &bits in sizes {
        let key = RsaPrivateKey::generate(&mut rng, bits).map_err(|e| CliError::usage(e.to_string()))?;
        let sig =
            key.sign_pkcs1v15(&mut rng, HashAlgorithm::Sha256, &msg).map_err(|e| CliError::usage(e.to_string()))?;
        let (signs, sign_secs) = time_op(duration, elapsed, || {
            drop(core::hint::black_box(key.sign_pkcs1v15(&mut rng, HashAlgorithm::Sha256, &msg)));
        });
        let _ = writeln!(
            io.stderr,
            "Doing {bits} bits private rsa's for {}s: {signs} {bits} bits private RSA's in {sign_secs:.2}s",
            duration.as_secs()
        );
        let public = key.public_key();
        let (verifies, verify_secs) = time_op(duration, elapsed, || {
            drop(core::hint::black_box(public.verify_pkcs1v15(HashAlgorithm::Sha256, &msg, &sig)));
        });
        let _ = writeln!(
            io.stderr,
            "Doing {bits} bits public rsa's for {}s: {verifies} {bits} bits public RSA's in {verify_secs:.2}s",
            duration.as_secs()
        );
        let (sign_rate, verify_rate) = (signs as f64 / sign_secs, verifies as f64 / verify_secs);
        out.push_str(&std::format!(
            "rsa {bits:4} bits {:8.6}s {:8.6}s {:8.1} {:8.1}\n",
            1.0 / sign_rate.max(1e-9),
            1.0 / verify_rate.max(1e-9),
            sign_rate,
            verify_rate
        ));
    }
    Ok(out)
}

fn find(name: &str) -> Option<Algorithm> {
    let canonical = HashAlgorithm::from_name(name).map(HashAlgorithm::name);
    ALGORITHMS.iter().copied().find(|a| a.name.eq_ignore_ascii_case(canonical.unwrap_or(name)))
}

/// Runs `alg` on a `size`-byte buffer for `duration` of CPU time (wall
/// time with `elapsed`); returns the count and bytes per second.
fn measure(alg: Algorithm, size: usize, duration: Duration, elapsed: bool) -> (u64, f64) {
    let mut data: Vec<u8> = (0..size).map(|i| i as u8).collect();
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
            (alg.run)(&mut data);
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
    let signatures: Vec<SignatureScheme> = names
        .iter()
        .filter_map(|n| SIGNATURE_SCHEMES.iter().copied().find(|s| s.name.eq_ignore_ascii_case(n)))
        .collect();
    if !signatures.is_empty() {
        names.retain(|n| !SIGNATURE_SCHEMES.iter().any(|s| s.name.eq_ignore_ascii_case(n)));
        run_signatures(&signatures, seconds, io)?;
        if names.is_empty() && kems.is_empty() {
            return Ok(0);
        }
    }
    let rsa: Vec<usize> = names.iter().filter_map(|n| rsa_bits(n)).collect();
    names.retain(|n| rsa_bits(n).is_none());
    if !rsa.is_empty() {
        let table = rsa_rows(&rsa, Duration::from_secs(seconds.max(1)), elapsed, io)?;
        io.stdout.write_all(table.as_bytes()).map_err(CliError::io("stdout"))?;
        if names.is_empty() && kems.is_empty() {
            return Ok(0);
        }
    }
    let (pk_names, names): (Vec<String>, Vec<String>) = names.into_iter().partition(|n| find_pk(n).is_some());
    if !pk_names.is_empty() && names.is_empty() && kems.is_empty() {
        return run_pk(&pk_names, Duration::from_secs(seconds.max(1)), elapsed, io);
    }
    let mut names = names;
    // Public-key rows (`ed25519`, `x25519`, ...) have their own tables.
    let pkey_rows: Vec<pkey::Row> = names.iter().filter_map(|n| pkey::find(n)).collect();
    names.retain(|n| pkey::find(n).is_none());
    let selected: Vec<Algorithm> = if (names.is_empty() && !pkey_rows.is_empty()) || kem_only {
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
    if selected.is_empty() {
        let timer = pkey::Timer { duration: Duration::from_secs(seconds.max(1)), elapsed };
        let (report, progress) = pkey::run(&pkey_rows, &timer);
        for line in progress {
            let _ = writeln!(io.stderr, "{line}");
        }
        io.stdout.write_all(report.as_bytes()).map_err(CliError::io("stdout"))?;
        return Ok(0);
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
    if !pkey_rows.is_empty() {
        let timer = pkey::Timer { duration, elapsed };
        out.push_str(&pkey::run(&pkey_rows, &timer).0);
    }
    if kem_only {
        out.clear();
    }
    if !kems.is_empty() {
        let mut log = |line: String| drop(writeln!(io.stderr, "{line}"));
        out.push_str(&kem::run(&kems, seconds, elapsed, &mut log));
    }
    io.stdout.write_all(out.as_bytes()).map_err(CliError::io("stdout"))?;
    if pk_names.is_empty() { Ok(0) } else { run_pk(&pk_names, duration, elapsed, io) }
}

/// The timed operations of a public-key row, built once per run.
type PkOps = Vec<Box<dyn FnMut()>>;

/// A public-key row: `ecdsa*` rows time sign and verify, `ecdh*` rows
/// time one key agreement (the peer key already decoded, as openssl).
#[derive(Clone, Copy)]
struct PkAlgorithm {
    name: &'static str,
    bits: u32,
    /// The curve as `openssl speed` prints it.
    curve: &'static str,
    ops: fn() -> PkOps,
}

fn ecdsa_ops<C: crate::ec::Curve>() -> PkOps {
    use crate::ec::ecdsa::SigningKey;
    let hash = C::DEFAULT_HASH;
    let digest = hash.hash(b"speed");
    // A leading zero byte keeps the fixed key below every order (P-521's
    // starts 0x01ff).
    let mut d = std::vec![0x5a; <C::Scalar as crate::ec::field::Field>::BYTES];
    if let Some(b) = d.first_mut() {
        *b = 0;
    }
    let Ok(key) = SigningKey::<C>::from_bytes(&d) else {
        return Vec::new();
    };
    let vk = key.verifying_key();
    let Ok(sig) = key.sign_prehash(hash, &digest) else { return Vec::new() };
    let d2 = digest.clone();
    std::vec![
        Box::new(move || drop(core::hint::black_box(key.sign_prehash(hash, &digest)))),
        Box::new(move || drop(core::hint::black_box(vk.verify_prehash(&d2, &sig)))),
    ]
}

fn ecdh_ops<C: crate::ec::Curve>() -> PkOps {
    use crate::ec::{SecretKey, ecdh};
    let len = <C::Scalar as crate::ec::field::Field>::BYTES;
    let (mut da, mut db) = (std::vec![0x5a; len], std::vec![0x3c; len]);
    for v in [&mut da, &mut db] {
        if let Some(b) = v.first_mut() {
            *b = 0;
        }
    }
    let (Ok(a), Ok(b)) = (SecretKey::<C>::from_bytes(&da), SecretKey::<C>::from_bytes(&db)) else {
        return Vec::new();
    };
    let peer = b.public_key();
    std::vec![Box::new(move || drop(core::hint::black_box(ecdh::diffie_hellman(&a, &peer))))]
}

static PK_ALGORITHMS: &[PkAlgorithm] = &[
    PkAlgorithm { name: "ecdsap256", bits: 256, curve: "nistp256", ops: ecdsa_ops::<crate::ec::P256> },
    PkAlgorithm { name: "ecdsap384", bits: 384, curve: "nistp384", ops: ecdsa_ops::<crate::ec::P384> },
    PkAlgorithm { name: "ecdsap521", bits: 521, curve: "nistp521", ops: ecdsa_ops::<crate::ec::P521> },
    PkAlgorithm { name: "ecdsasecp256k1", bits: 256, curve: "secp256k1", ops: ecdsa_ops::<crate::ec::Secp256k1> },
    PkAlgorithm { name: "ecdhp256", bits: 256, curve: "nistp256", ops: ecdh_ops::<crate::ec::P256> },
    PkAlgorithm { name: "ecdhp384", bits: 384, curve: "nistp384", ops: ecdh_ops::<crate::ec::P384> },
    PkAlgorithm { name: "ecdhp521", bits: 521, curve: "nistp521", ops: ecdh_ops::<crate::ec::P521> },
    PkAlgorithm { name: "ecdhsecp256k1", bits: 256, curve: "secp256k1", ops: ecdh_ops::<crate::ec::Secp256k1> },
];

fn find_pk(name: &str) -> Option<PkAlgorithm> {
    PK_ALGORITHMS.iter().copied().find(|a| a.name.eq_ignore_ascii_case(name))
}

/// The public-key tables, in `openssl speed ecdsa` / `ecdh` layout.
fn run_pk(names: &[String], duration: Duration, elapsed: bool, io: &mut Io<'_>) -> Result<i32, CliError> {
    let mut ecdsa = String::new();
    let mut ecdh = String::new();
    for name in names {
        let alg = find_pk(name).ok_or_else(|| CliError::usage(std::format!("unknown algorithm {name}")))?;
        let mut rates = Vec::new();
        for (op, label) in (alg.ops)().iter_mut().zip(["sign", "verify"]) {
            let (count, secs) = time_op(duration, elapsed, op);
            let rate = count as f64 / secs;
            let what = if alg.name.starts_with("ecdh") { "ECDH" } else { label };
            let _ = writeln!(
                io.stderr,
                "Doing {} bits {what} ecdsa/ecdh ({})'s for {}s: {count} ops",
                alg.bits,
                alg.curve,
                duration.as_secs()
            );
            rates.push(rate);
        }
        let inv = |r: &f64| if *r > 0.0 { 1.0 / r } else { 0.0 };
        match rates.as_slice() {
            [s, v] => ecdsa.push_str(&std::format!(
                " {:3} bits ecdsa ({})   {:8.4}s {:8.4}s {:8.1} {:8.1}\n",
                alg.bits,
                alg.curve,
                inv(s),
                inv(v),
                s,
                v
            )),
            [o] => {
                ecdh.push_str(&std::format!(" {:3} bits ecdh ({})   {:8.4}s {:8.1}\n", alg.bits, alg.curve, inv(o), o))
            }
            _ => {}
        }
    }
    let mut out = String::new();
    if !ecdsa.is_empty() {
        out.push_str("                              sign    verify    sign/s verify/s\n");
        out.push_str(&ecdsa);
    }
    if !ecdh.is_empty() {
        out.push_str("                              op      op/s\n");
        out.push_str(&ecdh);
    }
    io.stdout.write_all(out.as_bytes()).map_err(CliError::io("stdout"))?;
    Ok(0)
}
