//! `purecrypto speed` rows for public-key operations, printed in
//! `openssl speed`'s layout: an `op  op/s` table for key exchanges and a
//! `sign  verify  sign/s verify/s` table for signatures.
//!
//! Entry points: [`find`] (a row by name, accepting openssl's names such
//! as `ecdhx25519`) and [`run`]. Each row is one entry of [`ROWS`]; other
//! public-key algorithms add rows here.

use std::string::String;
use std::time::{Duration, Instant};
use std::vec::Vec;

/// What a row measures.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One shared-secret computation per op.
    Exchange,
    /// Signing and verification of a short message.
    Signature,
}

/// One public-key row: `measure` returns ops/s (sign/s and verify/s for
/// signatures; the second value is unused for exchanges).
#[derive(Clone, Copy)]
pub(super) struct Row {
    names: &'static [&'static str],
    /// `openssl speed`'s label, e.g. `253 bits EdDSA (Ed25519)`.
    label: &'static str,
    kind: Kind,
    measure: fn(&Timer) -> [f64; 2],
}

/// How long to run each operation, and with which clock.
pub(super) struct Timer {
    pub(super) duration: Duration,
    pub(super) elapsed: bool,
}

impl Timer {
    /// Calls `op` repeatedly for the configured time; returns calls per
    /// second of CPU time (wall time with `-elapsed`).
    fn rate(&self, op: &mut dyn FnMut()) -> f64 {
        let clock = || if self.elapsed { None } else { crate::arch::os_time::process_cpu_time() };
        let wall = Instant::now();
        let cpu_start = clock();
        let spent = || match (cpu_start, clock()) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => wall.elapsed(),
        };
        let mut count = 0u64;
        while spent() < self.duration {
            op();
            count += 1;
        }
        count as f64 / spent().as_secs_f64().max(1e-9)
    }
}

const MESSAGE: &[u8] = b"the quick brown fox jumps over the lazy dog";

fn ed25519(t: &Timer) -> [f64; 2] {
    let key = crate::ed25519::SigningKey::from_seed(&[0x42; 32]);
    let sig = key.sign(MESSAGE);
    let sign = t.rate(&mut || {
        let _ = core::hint::black_box(key.sign(core::hint::black_box(MESSAGE)));
    });
    let vk = key.verifying_key();
    let verify = t.rate(&mut || {
        let _ = core::hint::black_box(vk.verify(core::hint::black_box(MESSAGE), &sig));
    });
    [sign, verify]
}

fn ed448(t: &Timer) -> [f64; 2] {
    let key = crate::ed448::SigningKey::from_seed(&[0x42; 57]);
    let sig = key.sign(b"", MESSAGE).unwrap_or_else(|_| crate::ed448::Signature::from_bytes(&[0; 114]));
    let sign = t.rate(&mut || {
        let _ = core::hint::black_box(key.sign(b"", core::hint::black_box(MESSAGE)));
    });
    let vk = key.verifying_key();
    let verify = t.rate(&mut || {
        let _ = core::hint::black_box(vk.verify(b"", core::hint::black_box(MESSAGE), &sig));
    });
    [sign, verify]
}

fn x25519(t: &Timer) -> [f64; 2] {
    let ours = crate::x25519::PrivateKey::from_bytes([0x42; 32]);
    let peer = crate::x25519::PrivateKey::from_bytes([0x24; 32]).public_key();
    [
        t.rate(&mut || {
            let _ = core::hint::black_box(ours.diffie_hellman(core::hint::black_box(&peer)));
        }),
        0.0,
    ]
}

fn x448(t: &Timer) -> [f64; 2] {
    let ours = crate::x448::PrivateKey::from_bytes([0x42; 56]);
    let peer = crate::x448::PrivateKey::from_bytes([0x24; 56]).public_key();
    [
        t.rate(&mut || {
            let _ = core::hint::black_box(ours.diffie_hellman(core::hint::black_box(&peer)));
        }),
        0.0,
    ]
}

/// Every public-key row, in the order `speed` prints them.
static ROWS: &[Row] = &[
    Row { names: &["x25519", "ecdhx25519"], label: "253 bits ecdh (X25519)", kind: Kind::Exchange, measure: x25519 },
    Row { names: &["x448", "ecdhx448"], label: "448 bits ecdh (X448)", kind: Kind::Exchange, measure: x448 },
    Row { names: &["ed25519"], label: "253 bits EdDSA (Ed25519)", kind: Kind::Signature, measure: ed25519 },
    Row { names: &["ed448"], label: "456 bits EdDSA (Ed448)", kind: Kind::Signature, measure: ed448 },
];

/// The row called `name` (case-insensitive).
pub(super) fn find(name: &str) -> Option<Row> {
    ROWS.iter().copied().find(|r| r.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
}

/// Measures `rows` and returns the report (exchange table, then
/// signature table), with one `Doing ...` progress line per measurement
/// for stderr.
pub(super) fn run(rows: &[Row], timer: &Timer) -> (String, Vec<String>) {
    let mut progress = Vec::new();
    let mut results = Vec::new();
    for row in rows {
        let rates = (row.measure)(timer);
        progress.push(std::format!("Doing {} for {}s", row.label, timer.duration.as_secs()));
        results.push((*row, rates));
    }
    let mut out = String::new();
    for (kind, header) in [(Kind::Exchange, "op      op/s"), (Kind::Signature, "sign    verify    sign/s verify/s")] {
        let of_kind: Vec<_> = results.iter().filter(|(r, _)| r.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        out.push_str(&std::format!("{:30}{header}\n", ""));
        for (row, [a, b]) in of_kind {
            let seconds = |rate: f64| if rate > 0.0 { 1.0 / rate } else { 0.0 };
            match kind {
                Kind::Exchange => out.push_str(&std::format!(" {} {:8.4}s {:8.1}\n", row.label, seconds(*a), a)),
                Kind::Signature => out.push_str(&std::format!(
                    " {} {:8.4}s {:8.4}s {:8.1} {:8.1}\n",
                    row.label,
                    seconds(*a),
                    seconds(*b),
                    a,
                    b
                )),
            }
        }
    }
    (out, progress)
}
