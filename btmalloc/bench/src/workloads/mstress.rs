//! mstress-style stress: threads allocate a skewed size mix (mostly small,
//! some medium, a few large blocks), free at random, and trade blocks
//! through a shared exchange array, so a block is often freed by a thread
//! other than the one that allocated it; every round the threads exit and
//! hand half their blocks to the next generation of threads, so blocks
//! also outlive the thread (and thread cache) that allocated them.

use std::sync::Arc;
use std::sync::atomic::{AtomicPtr, Ordering};

use super::{Rng, alloc, release};

const THREADS: usize = 4;
const ROUNDS: usize = 10;
const STEPS: usize = 60_000;
/// Blocks one thread holds at most.
const LOCAL: usize = 600;
/// Slots of the exchange array.
const EXCHANGE: usize = 1024;

/// 90% 8-256 B, 9% 256 B-8 KiB, 1% 8-256 KiB.
fn size(rng: &mut Rng) -> usize {
    match rng.next() % 100 {
        0 => rng.size(8 << 10, 256 << 10),
        1..=9 => rng.size(256, 8 << 10),
        _ => rng.size(8, 256),
    }
}

/// A held block (raw pointer moved between threads).
struct Held(Vec<*mut u8>);
// SAFETY: raw blocks handed between threads, each freed exactly once.
unsafe impl Send for Held {}

impl Held {
    /// The blocks (a method, so a closure moves the whole `Held`, not
    /// its non-`Send` field).
    fn into_vec(self) -> Vec<*mut u8> {
        self.0
    }
}

/// One thread's generation: `STEPS` random steps over its `local` blocks;
/// returns the blocks it passes on and the operations it performed.
fn worker(seed: u64, mut local: Vec<*mut u8>, exchange: &[AtomicPtr<u8>]) -> (Vec<*mut u8>, u64) {
    let mut rng = Rng(seed);
    let mut ops = 0u64;
    for _ in 0..STEPS {
        match rng.next() % 100 {
            0..45 => {
                if local.len() >= LOCAL {
                    let i = rng.next() as usize % local.len();
                    release(local.swap_remove(i));
                    ops += 1;
                }
                local.push(alloc(rng.next() as usize, size(&mut rng)));
                ops += 1;
            }
            45..85 => {
                if !local.is_empty() {
                    let i = rng.next() as usize % local.len();
                    release(local.swap_remove(i));
                    ops += 1;
                }
            }
            _ => {
                // Give one block (or nothing) and take whatever was there.
                let give = if local.is_empty() {
                    std::ptr::null_mut()
                } else {
                    local.swap_remove(rng.next() as usize % local.len())
                };
                let slot = exchange.get(rng.next() as usize % EXCHANGE);
                let got = slot.map_or(give, |s| s.swap(give, Ordering::AcqRel));
                if !got.is_null() {
                    local.push(got);
                }
            }
        }
    }
    // Free half, pass the rest on to the next thread of this slot.
    let keep = local.split_off(local.len() / 2);
    ops += local.len() as u64;
    local.into_iter().for_each(release);
    (keep, ops)
}

/// Runs the stress; returns the operation count.
pub(crate) fn run() -> u64 {
    let exchange: Arc<Vec<AtomicPtr<u8>>> =
        Arc::new((0..EXCHANGE).map(|_| AtomicPtr::new(std::ptr::null_mut())).collect());
    let mut carried: Vec<Held> = (0..THREADS).map(|_| Held(Vec::new())).collect();
    let mut ops = 0u64;
    for round in 0..ROUNDS {
        let handles: Vec<_> = carried
            .into_iter()
            .enumerate()
            .map(|(t, held)| {
                let exchange = Arc::clone(&exchange);
                let seed = (round * THREADS + t) as u64 * 0x9e37_79b9 + 1;
                std::thread::spawn(move || {
                    let (keep, n) = worker(seed, held.into_vec(), &exchange);
                    (Held(keep), n)
                })
            })
            .collect();
        carried = handles
            .into_iter()
            .map(|h| {
                let (held, n) = h.join().unwrap_or((Held(Vec::new()), 0));
                ops += n;
                held
            })
            .collect();
    }
    for held in carried {
        ops += held.0.len() as u64;
        held.0.into_iter().for_each(release);
    }
    for slot in exchange.iter() {
        let p = slot.swap(std::ptr::null_mut(), Ordering::AcqRel);
        if !p.is_null() {
            release(p);
            ops += 1;
        }
    }
    ops
}
