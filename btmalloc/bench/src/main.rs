//! btmalloc-bench: one allocator workload per process, run under
//! `LD_PRELOAD` by `compare.py`.
//!
//! Usage: `btmalloc-bench EXPECT WORKLOAD`. EXPECT is the file name of the
//! preloaded allocator (`libjemalloc.so.2`...), or `glibc` for none; the
//! harness reads `/proc/self/maps` and exits with an error if the preload
//! is not what was asked for. It prints one line:
//! `RESULT workload ns_per_op peak_rss_kib end_rss_kib live_kib table_kib`
//! (`table_kib`: the harness's own live heap tables, see `Outcome`).

mod sites;
mod workloads;

use std::time::Instant;

/// Allocators the harness knows how to recognise in `/proc/self/maps`.
const KNOWN: &[&str] = &["libjemalloc", "libmimalloc", "libtcmalloc", "libbtmalloc"];

fn check_preload(expect: &str) -> Result<(), String> {
    let maps = std::fs::read_to_string("/proc/self/maps").map_err(|e| e.to_string())?;
    if expect == "glibc" {
        if let Some(k) = KNOWN.iter().find(|k| maps.contains(*k)) {
            return Err(format!("expected glibc malloc but {k} is mapped"));
        }
        return Ok(());
    }
    if !maps.contains(expect) {
        return Err(format!("preload {expect} is NOT active (not in /proc/self/maps)"));
    }
    Ok(())
}

/// The resident footprint in KiB, for the settled measurement: `VmRSS`
/// minus the pages the allocator gave back with `MADV_FREE` that the kernel
/// has not reclaimed yet (`LazyFree`: still counted in the RSS, but the
/// kernel takes them without any I/O as soon as it needs memory), with
/// shared-memory pages counted once however many addresses map them
/// (`Pss_Shmem` instead of `RssShmem`: btmalloc's mesh mode maps one
/// physical page at several addresses). For an allocator that uses neither,
/// this is `VmRSS`.
pub(crate) fn footprint_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let rollup = std::fs::read_to_string("/proc/self/smaps_rollup").unwrap_or_default();
    let field = |text: &str, name: &str| -> u64 {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    let rss = field(&status, "VmRSS:");
    let shmem_rss = field(&status, "RssShmem:");
    let shmem_pss = field(&rollup, "Pss_Shmem:");
    let lazy = field(&rollup, "LazyFree:");
    (rss + shmem_pss).saturating_sub(shmem_rss + lazy)
}

/// `(VmHWM, VmRSS)` in KiB.
pub(crate) fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(expect), Some(name)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: btmalloc-bench EXPECT WORKLOAD  (workloads: {})", workloads::NAMES.join(" "));
        std::process::exit(2);
    };
    if let Err(e) = check_preload(expect) {
        eprintln!("btmalloc-bench: {e}");
        std::process::exit(3);
    }
    let start = Instant::now();
    let Some(outcome) = workloads::run(name) else {
        eprintln!("unknown workload {name}");
        std::process::exit(2);
    };
    let ns = start.elapsed().as_nanos() as f64 - outcome.excluded_ns;
    let (peak, end) = rss_kib();
    println!(
        "RESULT {name} {:.2} {peak} {} {} {}",
        ns / outcome.ops as f64,
        outcome.settled_kib.unwrap_or(end),
        outcome.live_bytes / 1024,
        outcome.table_bytes / 1024
    );
}
