//! `purecrypto speed mlkem512 mlkem768 mlkem1024`: key generations,
//! encapsulations and decapsulations per second, printed in the layout
//! OpenSSL 3.5's `speed` uses for KEMs (seconds per operation, then
//! operations per second), divided by CPU time unless `-elapsed`.
//!
//! Entry points: [`find`] (a command-line name to a [`Kem`] row) and
//! [`run`]. Each row of [`KEMS`] is a name and a function measuring the
//! three operations; adding a KEM is adding a row.

use std::string::String;
use std::time::{Duration, Instant};
use std::vec::Vec;

use crate::mlkem::{ml_kem_512, ml_kem_768, ml_kem_1024};

/// One KEM: its `speed` name, its display name and its measurement.
#[derive(Clone, Copy)]
pub(super) struct Kem {
    name: &'static str,
    display: &'static str,
    /// Counts and seconds for keygen, encaps and decaps.
    measure: fn(Duration, bool) -> [(u64, f64); 3],
}

/// Runs `op` repeatedly for `duration` of CPU time (wall time with
/// `elapsed`); returns the count and the seconds spent.
fn time_op(duration: Duration, elapsed: bool, mut op: impl FnMut(u64)) -> (u64, f64) {
    let clock = || if elapsed { None } else { crate::arch::os_time::process_cpu_time() };
    let wall = Instant::now();
    let cpu_start = clock();
    let spent = || match (cpu_start, clock()) {
        (Some(a), Some(b)) => b.saturating_sub(a),
        _ => wall.elapsed(),
    };
    let mut count = 0u64;
    while spent() < duration {
        for _ in 0..8 {
            op(count);
            count += 1;
        }
    }
    (count, spent().as_secs_f64().max(1e-9))
}

macro_rules! mlkem_measure {
    ($module:ident) => {
        |duration, elapsed| {
            let seed = |n: u64| {
                let mut s = [0x5au8; 64];
                s[..8].copy_from_slice(&n.to_le_bytes());
                s
            };
            let keygen =
                time_op(duration, elapsed, |n| drop(core::hint::black_box($module::generate_from_seed(&seed(n)))));
            let (dk, ek) = $module::generate_from_seed(&seed(0));
            let encaps = time_op(duration, elapsed, |n| {
                let mut m = [0xa5u8; 32];
                m[..8].copy_from_slice(&n.to_le_bytes());
                drop(core::hint::black_box(ek.encapsulate_derand(&m)));
            });
            let (ct, _) = ek.encapsulate_derand(&[1; 32]);
            let decaps = time_op(duration, elapsed, |_| drop(core::hint::black_box(dk.decapsulate(&ct))));
            [keygen, encaps, decaps]
        }
    };
}

/// Every KEM `speed` knows.
pub(super) static KEMS: &[Kem] = &[
    Kem { name: "mlkem512", display: "ML-KEM-512", measure: mlkem_measure!(ml_kem_512) },
    Kem { name: "mlkem768", display: "ML-KEM-768", measure: mlkem_measure!(ml_kem_768) },
    Kem { name: "mlkem1024", display: "ML-KEM-1024", measure: mlkem_measure!(ml_kem_1024) },
];

/// The row for `name` (`mlkem768` or `ML-KEM-768`, any case).
pub(super) fn find(name: &str) -> Option<Kem> {
    KEMS.iter().copied().find(|k| k.name.eq_ignore_ascii_case(name) || k.display.eq_ignore_ascii_case(name))
}

/// Measures `kems` and returns the table; progress lines go to `log`.
pub(super) fn run(kems: &[Kem], seconds: u64, elapsed: bool, log: &mut dyn FnMut(String)) -> String {
    let duration = Duration::from_secs(seconds.max(1));
    let mut out =
        String::from("                               keygen    encaps    decaps keygens/s  encaps/s  decaps/s\n");
    for kem in kems {
        let results = (kem.measure)(duration, elapsed);
        for (op, (count, secs)) in ["keygen", "encaps", "decaps"].iter().zip(results) {
            log(std::format!(
                "Doing {} {op} ops for {}s: {count} {} KEM {op} ops in {secs:.2}s",
                kem.display,
                seconds.max(1),
                kem.display
            ));
        }
        let per_op: Vec<f64> = results.iter().map(|(n, s)| s / (*n).max(1) as f64).collect();
        let rate: Vec<f64> = results.iter().map(|(n, s)| *n as f64 / s).collect();
        if let ([k, e, d], [kr, er, dr]) = (per_op.as_slice(), rate.as_slice()) {
            out.push_str(&std::format!("{:>29} {k:8.6}s {e:8.6}s {d:8.6}s {kr:9.1} {er:9.1} {dr:9.1}\n", kem.display));
        }
    }
    out
}
