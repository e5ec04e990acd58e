//! Alternating timing for the `compare_*` tables: on a shared, loaded
//! machine a best-of-N block per library swings 10-20% with whatever else
//! runs at that moment, so the libraries are timed in turns instead and
//! compared by medians, with the spread of the per-round ratios printed
//! so a reader can tell a real difference from noise.

use std::time::{Duration, Instant};

/// Calls of `f` per sample, so that a sample lasts about a millisecond.
fn calls_per_sample(f: &mut dyn FnMut()) -> u32 {
    let t = Instant::now();
    f();
    let once = t.elapsed().as_secs_f64().max(1e-7);
    ((1e-3 / once) as u32).clamp(1, 10_000)
}

/// Times the functions in alternation (a, b, c, a, b, c, ...; the order
/// rotates each round so no one always runs first) and returns each one's
/// median time per call, plus the per-round ratios `fs[1] / fs[0]`.
pub fn alternating<const K: usize>(reps: usize, mut fs: [&mut dyn FnMut(); K]) -> ([Duration; K], Vec<f64>) {
    let calls: [u32; K] = std::array::from_fn(|k| calls_per_sample(&mut *fs[k]));
    let mut samples: [Vec<f64>; K] = std::array::from_fn(|_| Vec::with_capacity(reps));
    for round in 0..reps {
        for j in 0..K {
            let k = (j + round) % K;
            let t = Instant::now();
            for _ in 0..calls[k] {
                fs[k]();
            }
            samples[k].push(t.elapsed().as_secs_f64() / f64::from(calls[k]));
        }
    }
    let ratios = if K > 1 { samples[1].iter().zip(&samples[0]).map(|(p, o)| p / o).collect() } else { Vec::new() };
    (std::array::from_fn(|k| Duration::from_secs_f64(median(&mut samples[k]))), ratios)
}

/// The median of `v` (sorts it).
pub fn median(v: &mut [f64]) -> f64 {
    quantile(v, 0.5)
}

/// The `q` quantile of `v` (nearest rank; sorts it).
pub fn quantile(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * q).round() as usize]
}

/// "p25..p75" of the per-round ratios.
pub fn spread(mut r: Vec<f64>) -> String {
    format!("{:.2}..{:.2}", quantile(&mut r, 0.25), quantile(&mut r, 0.75))
}

/// Peer time over our time: above 1, compcol is faster.
pub fn ratio(peer: Duration, ours: Duration) -> f64 {
    peer.as_secs_f64() / ours.as_secs_f64()
}
