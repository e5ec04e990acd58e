//! P-256 ECDH / sign / verify CPU time per operation (the thread's
//! CPU clock, so time spent waiting for a shared machine's other jobs
//! is not counted; Linux only), as the
//! minimum and median over batches. A quick A/B tool next to
//! `compare-ec.sh`; `openssl speed` without `-elapsed` also counts CPU
//! time.
//!
//!   cargo run --release --example ec_time -- [BATCHES] [OPS_PER_BATCH] [OP]

use std::hint::black_box;

use purecrypto::ec::P256;
use purecrypto::ec::ecdsa::SigningKey;
use purecrypto::ec::{SecretKey, ecdh};
use purecrypto::hash::HashAlgorithm;

#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

unsafe extern "C" {
    fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
}

/// This thread's CPU time so far, in nanoseconds.
fn cpu_ns() -> f64 {
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec (the C layout on
    // 64-bit Linux).
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0);
    ts.sec as f64 * 1e9 + ts.nsec as f64
}

fn time(name: &str, batches: usize, per: usize, mut op: impl FnMut()) {
    let mut ns: Vec<f64> = (0..batches)
        .map(|_| {
            let t = cpu_ns();
            for _ in 0..per {
                op();
            }
            (cpu_ns() - t) / per as f64
        })
        .collect();
    ns.sort_by(f64::total_cmp);
    let (min, med) = (ns[0], ns[ns.len() / 2]);
    println!("{name:<12} min {min:>9.0} ns ({:>8.0} op/s)  median {med:>9.0} ns ({:>8.0} op/s)", 1e9 / min, 1e9 / med);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let batches = args.first().map_or(30, |a| a.parse().unwrap());
    let per = args.get(1).map_or(200, |a| a.parse().unwrap());
    let only = args.get(2).cloned().unwrap_or_default();
    let run = |name: &str| only.is_empty() || name.starts_with(only.as_str());
    let key = [0x3cu8; 32];
    let sk = SigningKey::<P256>::from_bytes(&key).unwrap();
    let vk = sk.verifying_key();
    let msg = b"benchmark message";
    let sig = sk.sign(HashAlgorithm::Sha256, msg).unwrap();
    let a = SecretKey::<P256>::from_bytes(&key).unwrap();
    let mut other = key.to_vec();
    other.reverse();
    let peer = SecretKey::<P256>::from_bytes(&other).unwrap().public_key();
    if run("ecdh") {
        time("ecdh-p256", batches, per, || {
            black_box(ecdh::diffie_hellman(&a, &peer).unwrap());
        });
    }
    if run("sign") {
        time("sign-p256", batches, per, || {
            black_box(sk.sign(HashAlgorithm::Sha256, msg).unwrap());
        });
    }
    if run("verify") {
        time("verify-p256", batches, per, || {
            black_box(vk.verify(HashAlgorithm::Sha256, msg, &sig)).unwrap();
        });
    }
}
