//! The workloads, modelled on published allocator benchmarks (own code).
//!
//! Entry point: [`run`]. Every block is touched (first byte written) so
//! lazily committed memory is really used.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use crate::sites::SITES;

mod cohort;
mod mstress;

unsafe extern "C" {
    fn free(p: *mut u8);
    fn malloc_trim(pad: usize) -> i32;
    fn malloc_stats();
}

/// What a workload reports besides its wall time.
pub(crate) struct Outcome {
    /// Allocation operations performed (malloc + free pairs count once).
    pub(crate) ops: u64,
    /// Nanoseconds of deliberate sleeping to leave out of ns/op.
    pub(crate) excluded_ns: f64,
    /// RSS after the settle period, if the workload measures one.
    pub(crate) settled_kib: Option<u64>,
    /// Bytes still live at the end (the workload's blocks).
    pub(crate) live_bytes: u64,
    /// Bytes of the harness's own heap tables live at the settle point
    /// (the vectors that hold the block pointers): allocated through the
    /// allocator under test and resident, though not among `live_bytes`.
    pub(crate) table_bytes: u64,
}

/// Workload names, in table order.
pub(crate) const NAMES: &[&str] = &[
    "churn1", "churn64", "lifo", "fifo", "random", "xthread", "larson", "gthread", "sweep", "pareto", "cthrash",
    "large", "frag", "mstress", "cohort",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Log-uniform size in `[lo, hi]`.
    fn size(&mut self, lo: usize, hi: usize) -> usize {
        let bits = (usize::BITS - (hi / lo).leading_zeros()) as u64;
        let s = lo << (self.next() % bits);
        (s + (self.next() as usize % s)).clamp(lo, hi)
    }
}

#[derive(Clone, Copy)]
struct Ptr(*mut u8);
// SAFETY: raw blocks handed between threads, each freed exactly once.
unsafe impl Send for Ptr {}

fn alloc(site: usize, size: usize) -> *mut u8 {
    let p = SITES.get(site % SITES.len()).map_or(std::ptr::null_mut(), |f| f(size));
    assert!(!p.is_null(), "malloc({size}) failed");
    // SAFETY: the block holds at least one byte (size >= 1 in every workload).
    unsafe { p.write(site as u8) };
    p
}

fn release(p: *mut u8) {
    // SAFETY: `p` came from malloc and is freed once.
    unsafe { free(p) };
}

/// Runs workload `name`.
pub(crate) fn run(name: &str) -> Option<Outcome> {
    let plain = |ops| Outcome { ops, excluded_ns: 0.0, settled_kib: None, live_bytes: 0, table_bytes: 0 };
    Some(match name {
        "churn1" => plain(churn(1)),
        "churn64" => plain(churn(64)),
        "lifo" => plain(order(Order::Lifo)),
        "fifo" => plain(order(Order::Fifo)),
        "random" => plain(order(Order::Random)),
        "xthread" => plain(xthread()),
        "larson" => plain(larson()),
        "gthread" => plain(gthread()),
        "sweep" => plain(sweep()),
        "pareto" => plain(pareto()),
        "cthrash" => plain(cthrash()),
        "large" => plain(large()),
        "frag" => frag(),
        "mstress" => plain(mstress::run()),
        "cohort" => cohort::run(),
        _ => return None,
    })
}

/// Single-thread churn: a ring of 2,000 live blocks of 16-512 B, each step
/// frees one and allocates one, from `sites` call sites.
fn churn(sites: usize) -> u64 {
    const OPS: usize = 3_000_000;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut ring = vec![std::ptr::null_mut::<u8>(); 2000];
    for i in 0..OPS {
        let slot = i % ring.len();
        if let Some(p) = ring.get_mut(slot) {
            if !p.is_null() {
                release(*p);
            }
            let site = if sites == 1 { 0 } else { (rng.next() % sites as u64) as usize };
            *p = alloc(site, rng.size(16, 512));
        }
    }
    ring.into_iter().filter(|p| !p.is_null()).for_each(release);
    OPS as u64
}

enum Order {
    Lifo,
    Fifo,
    Random,
}

/// Batches of 1,000 blocks of 16 B-16 KiB, freed in LIFO, FIFO or random order.
fn order(order: Order) -> u64 {
    const ROUNDS: usize = 400;
    const BATCH: usize = 1000;
    let mut rng = Rng(42);
    let mut v = Vec::with_capacity(BATCH);
    for round in 0..ROUNDS {
        for i in 0..BATCH {
            v.push(alloc((round + i) % 8, rng.size(16, 16 * 1024)));
        }
        match order {
            Order::Lifo => v.drain(..).rev().for_each(release),
            Order::Fifo => v.drain(..).for_each(release),
            Order::Random => {
                for i in (1..v.len()).rev() {
                    v.swap(i, rng.next() as usize % (i + 1));
                }
                v.drain(..).for_each(release);
            }
        }
    }
    (ROUNDS * BATCH) as u64
}

/// Producer / consumer: one thread allocates 16-256 B blocks in batches of
/// 256, another frees them (every free is a cross-thread free).
fn xthread() -> u64 {
    const TOTAL: usize = 2_000_128; // a multiple of BATCH
    const BATCH: usize = 256;
    let queue: Arc<(Mutex<VecDeque<Vec<Ptr>>>, Condvar)> = Arc::default();
    let q2 = Arc::clone(&queue);
    let consumer = std::thread::spawn(move || {
        let mut done = 0;
        while done < TOTAL {
            let batch = {
                let (lock, cv) = &*q2;
                let mut g = lock.lock().unwrap_or_else(|e| e.into_inner());
                loop {
                    if let Some(b) = g.pop_front() {
                        cv.notify_one();
                        break b;
                    }
                    g = cv.wait(g).unwrap_or_else(|e| e.into_inner());
                }
            };
            done += batch.len();
            batch.into_iter().for_each(|p| release(p.0));
        }
    });
    let mut rng = Rng(7);
    for b in 0..TOTAL / BATCH {
        let batch: Vec<Ptr> = (0..BATCH).map(|i| Ptr(alloc((b + i) % 4, rng.size(16, 256)))).collect();
        let (lock, cv) = &*queue;
        let mut g = lock.lock().unwrap_or_else(|e| e.into_inner());
        while g.len() >= 64 {
            g = cv.wait(g).unwrap_or_else(|e| e.into_inner());
        }
        g.push_back(batch);
        cv.notify_one();
    }
    let _ = consumer.join();
    TOTAL as u64
}

/// Larson-style: 2 threads each own 1,000 slots of 16-1024 B; each round a
/// thread replaces random slots, then hands its slots to a fresh thread
/// (so frees cross threads and threads churn).
fn larson() -> u64 {
    const THREADS: usize = 2;
    const ROUNDS: usize = 20;
    const STEPS: usize = 50_000;
    let mut handles: Vec<std::thread::JoinHandle<Vec<Ptr>>> =
        (0..THREADS).map(|t| std::thread::spawn(move || (0..1000).map(|i| Ptr(alloc(t + i, 64))).collect())).collect();
    for round in 0..ROUNDS {
        handles = handles
            .into_iter()
            .enumerate()
            .map(|(t, h)| {
                let mut slots = h.join().unwrap_or_default();
                std::thread::spawn(move || {
                    let mut rng = Rng((round * 131 + t + 1) as u64);
                    for _ in 0..STEPS {
                        let i = rng.next() as usize % slots.len();
                        if let Some(s) = slots.get_mut(i) {
                            release(s.0);
                            s.0 = alloc(i, rng.size(16, 1024));
                        }
                    }
                    slots
                })
            })
            .collect();
    }
    for h in handles {
        h.join().unwrap_or_default().into_iter().for_each(|p| release(p.0));
    }
    (THREADS * ROUNDS * STEPS) as u64
}

/// glibc-thread-style: 2 threads, each churning its own array of 4,000
/// slots with random sizes 16-2048 B (no sharing).
fn gthread() -> u64 {
    const STEPS: usize = 1_000_000;
    let workers: Vec<_> = (0..2u64)
        .map(|t| {
            std::thread::spawn(move || {
                let mut rng = Rng(t * 77 + 3);
                let mut slots = vec![std::ptr::null_mut::<u8>(); 4000];
                for _ in 0..STEPS {
                    let i = rng.next() as usize % slots.len();
                    if let Some(s) = slots.get_mut(i) {
                        if !s.is_null() {
                            release(*s);
                        }
                        *s = alloc(i, rng.size(16, 2048));
                    }
                }
                slots.into_iter().filter(|p| !p.is_null()).for_each(release);
            })
        })
        .collect();
    workers.into_iter().for_each(|w| {
        let _ = w.join();
    });
    2 * STEPS as u64
}

/// sh6bench-style size sweep: rounds allocate 2,000 blocks of sizes
/// sweeping 1-1000 B up and down, then free the older half.
fn sweep() -> u64 {
    const ROUNDS: usize = 300;
    let mut live: VecDeque<*mut u8> = VecDeque::new();
    let mut ops = 0;
    for round in 0..ROUNDS {
        for i in 0..2000usize {
            let size = if round % 2 == 0 { 1 + i / 2 } else { 1000 - i / 2 };
            live.push_back(alloc(i % 16, size));
        }
        while live.len() > 2000 {
            if let Some(p) = live.pop_front() {
                release(p);
            }
        }
        ops += 2000;
    }
    live.into_iter().for_each(release);
    ops
}

/// alloc-test-style: sizes from a Pareto-like distribution (mostly tiny,
/// a heavy tail to 64 KiB), a pool of 10,000 live blocks replaced at random.
fn pareto() -> u64 {
    const STEPS: usize = 2_000_000;
    let mut rng = Rng(11);
    let mut slots = vec![std::ptr::null_mut::<u8>(); 10_000];
    for _ in 0..STEPS {
        let u = (rng.next() % 1_000_000) as f64 / 1_000_000.0 + 1e-6;
        let size = ((8.0 / u.powf(1.0 / 1.2)) as usize).clamp(8, 64 * 1024);
        let i = rng.next() as usize % slots.len();
        if let Some(s) = slots.get_mut(i) {
            if !s.is_null() {
                release(*s);
            }
            *s = alloc(i, size);
        }
    }
    slots.into_iter().filter(|p| !p.is_null()).for_each(release);
    STEPS as u64
}

/// cache-thrash-style: 2 threads each allocate an 8-byte object, write it
/// 100 times, free it; objects of different threads must not share lines.
fn cthrash() -> u64 {
    const ITERS: usize = 1_000_000;
    let workers: Vec<_> = (0..2usize)
        .map(|t| {
            std::thread::spawn(move || {
                for i in 0..ITERS {
                    let p = alloc(t, 8);
                    for k in 0..100u8 {
                        // SAFETY: `p` holds at least 8 bytes.
                        unsafe { std::ptr::write_volatile(p, k ^ i as u8) };
                    }
                    release(p);
                }
            })
        })
        .collect();
    workers.into_iter().for_each(|w| {
        let _ = w.join();
    });
    2 * ITERS as u64
}

/// malloc-large-style: a ring of 20 live blocks of 64 KiB-4 MiB (log-uniform).
fn large() -> u64 {
    const OPS: usize = 20_000;
    let mut rng = Rng(5);
    let mut ring = vec![std::ptr::null_mut::<u8>(); 20];
    for i in 0..OPS {
        if let Some(p) = ring.get_mut(i % 20) {
            if !p.is_null() {
                release(*p);
            }
            *p = alloc(i % 4, rng.size(64 << 10, 4 << 20));
        }
    }
    ring.into_iter().filter(|p| !p.is_null()).for_each(release);
    OPS as u64
}

/// Fragmenting churn: fill ~150 MB with 64-256 B blocks, free 90% at random
/// positions, allocate 1-4 KiB blocks (another size range) for 40 MB, free
/// them, then sleep 1 s and measure the settled footprint (RSS less lazily
/// freed pages, see `footprint_kib`) against the live bytes.
fn frag() -> Outcome {
    let mut rng = Rng(99);
    let mut small: Vec<(Ptr, usize)> = Vec::with_capacity(1_000_000);
    let mut ops = 0u64;
    while small.iter().len() < 1_000_000 {
        let n = rng.size(64, 256);
        small.push((Ptr(alloc(small.len() % 16, n)), n));
        ops += 1;
    }
    let mut live = 0u64;
    for (i, (p, n)) in small.iter_mut().enumerate() {
        if i % 10 == 0 {
            live += *n as u64;
        } else {
            release(p.0);
            p.0 = std::ptr::null_mut();
            ops += 1;
        }
    }
    let mut big = Vec::new();
    let mut bytes = 0;
    while bytes < 40 << 20 {
        let n = rng.size(1024, 4096);
        big.push(Ptr(alloc(bytes % 16, n)));
        bytes += n;
        ops += 1;
    }
    ops += big.len() as u64;
    big.into_iter().for_each(|p| release(p.0));
    let table_bytes = (small.capacity() * std::mem::size_of::<(Ptr, usize)>()) as u64;
    let (excluded, settled) = settle("frag", live);
    for (p, _) in small {
        if !p.0.is_null() {
            release(p.0);
        }
    }
    Outcome { ops, excluded_ns: excluded, settled_kib: Some(settled), live_bytes: live, table_bytes }
}

/// The settle step of the footprint workloads, after their frees:
/// `malloc_trim(0)` under `BTMALLOC_BENCH_TRIM` (the prompt-release
/// setting for glibc, and btmalloc's mesh point), then 1 s of sleep;
/// returns the nanoseconds slept (left out of ns/op) and the footprint
/// then (RSS less lazily freed pages, see `footprint_kib`).
fn settle(name: &str, live: u64) -> (f64, u64) {
    if std::env::var_os("BTMALLOC_BENCH_TRIM").is_some() {
        // SAFETY: plain libc call.
        unsafe { malloc_trim(0) };
    }
    let t = Instant::now();
    std::thread::sleep(std::time::Duration::from_secs(1));
    let excluded = t.elapsed().as_nanos() as f64;
    let settled = crate::footprint_kib();
    if std::env::var_os("BTMALLOC_BENCH_VERBOSE").is_some() {
        eprintln!("{name}: VmRSS {} KiB, footprint {settled} KiB, live {} KiB", crate::rss_kib().1, live / 1024);
        // SAFETY: plain libc call (btmalloc's prints its census).
        unsafe { malloc_stats() };
    }
    (excluded, settled)
}
