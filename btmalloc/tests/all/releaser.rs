//! The background releaser end to end: a C program compiled at test time
//! runs under `LD_PRELOAD`, fills 64 MiB with 4000-byte blocks, frees them
//! all and then, touching nothing, waits (bounded loop) for its resident
//! set (`/proc/self/statm`) to drop. Then the same in a forked child, whose
//! releaser must be a new one. With `BTMALLOC_RELEASE_MS=0` (no releaser)
//! nothing may drop after the frees, and that run's reading is the
//! baseline: with the releaser the settled set must be at least 3 MiB below
//! it (the pages the heap keeps committed for reuse, 4-8 MiB). The program
//! waits for exactly that target, handed to it per process: waiting for a
//! drop measured from its own "after the frees" reading could stop halfway
//! through a pass under load (a child's reading is ~2 MiB above the
//! baseline's), and the test then saw a set that was still settling.

use std::process::Command;

use crate::support::{TempDir, have, preload_lib};

/// The C programs' resident set in KiB (`/proc/self/statm`), pasted in
/// after their includes.
const RSS_KIB: &str = r#"
static long rss_kib(void) {
    long size = 0, res = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &size, &res) != 2) res = -1;
    fclose(f);
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}
"#;

/// `program` with [`RSS_KIB`] after its last `#include` line.
fn with_rss_kib(program: &str) -> String {
    let cut = program.rfind("#include").and_then(|i| program[i..].find('\n').map(|n| i + n + 1)).unwrap_or(0);
    format!("{}{RSS_KIB}{}", &program[..cut], &program[cut..])
}

const PROGRAM: &str = r#"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#define N 16384
static void *blocks[N];
/* Waits up to max_wait_ms for the set to reach target_kib (0: waits it all). */
static void run(const char *who, int max_wait_ms, long target_kib) {
    for (int i = 0; i < N; i++) { blocks[i] = malloc(4000); memset(blocks[i], 7, 4000); }
    long peak = rss_kib();
    for (int i = 0; i < N; i++) free(blocks[i]);
    long freed = rss_kib(), settled = freed;
    int waited = 0;
    while (waited < max_wait_ms && settled > target_kib) { usleep(20000); waited += 20; settled = rss_kib(); }
    printf("%s %ld %ld %ld\n", who, peak, freed, settled);
    fflush(stdout);
}
int main(int argc, char **argv) {
    int max_wait_ms = atoi(argv[1]);
    run("parent", max_wait_ms, atol(argv[2]));
    pid_t pid = fork();
    if (pid == 0) { run("child", max_wait_ms, atol(argv[3])); _exit(0); }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
"#;

/// Runs the program, which waits up to `max_wait_ms` for the parent's and
/// the child's set to reach `targets` (KiB; 0 waits the whole time);
/// returns `(who, peak, after_free, settled)` per line (KiB).
fn run(
    exe: &std::path::Path,
    max_wait_ms: u32,
    targets: [i64; 2],
    release_ms: Option<&str>,
) -> Vec<(String, i64, i64, i64)> {
    let mut c = Command::new(exe);
    // The RSS only drops at once with MADV_DONTNEED (MADV_FREE pages stay
    // resident until the kernel needs them; the mesh suite checks that mode).
    c.arg(max_wait_ms.to_string()).args(targets.map(|t| t.to_string()));
    c.env("LD_PRELOAD", preload_lib()).env("BTMALLOC_PURGE", "dontneed");
    match release_ms {
        Some(ms) => c.env("BTMALLOC_RELEASE_MS", ms),
        None => c.env_remove("BTMALLOC_RELEASE_MS"),
    };
    let out = c.output().unwrap();
    assert!(out.status.success(), "program failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            (f[0].to_owned(), f[1].parse().unwrap(), f[2].parse().unwrap(), f[3].parse().unwrap())
        })
        .collect()
}

#[test]
fn rss_drops_after_frees_settle_also_in_a_forked_child() {
    if !have("cc") {
        return;
    }
    let dir = TempDir::new("releaser");
    let src = dir.0.join("rss.c");
    std::fs::write(&src, with_rss_kib(PROGRAM)).unwrap();
    let exe = dir.0.join("rss");
    let cc = Command::new("cc").args(["-O1", "-o"]).arg(&exe).arg(&src).output().unwrap();
    assert!(cc.status.success(), "cc failed: {}", String::from_utf8_lossy(&cc.stderr));

    // Without the releaser nothing returns the retained pages: this run
    // is also the baseline, since under load the releaser may already
    // purge while the frees run, before the program's own "after the
    // frees" reading.
    let baseline = run(&exe, 300, [0, 0], Some("0"));
    assert_eq!(baseline.iter().map(|l| l.0.as_str()).collect::<Vec<_>>(), ["parent", "child"]);
    for (who, _, freed, settled) in &baseline {
        assert!(*settled > freed - 3072, "{who}: RSS dropped from {freed} to {settled} KiB with no releaser");
    }

    let targets = [baseline[0].2 - 3072, baseline[1].2 - 3072];
    let lines = run(&exe, 10_000, targets, None);
    assert_eq!(lines.iter().map(|l| l.0.as_str()).collect::<Vec<_>>(), ["parent", "child"]);
    for ((who, peak, _, settled), (_, _, retained, _)) in lines.iter().zip(&baseline) {
        assert!(*peak > 60 * 1024, "{who}: 64 MiB were touched, peak {peak} KiB");
        assert!(
            *settled <= retained - 3072,
            "{who}: RSS still {settled} KiB 10 s after the frees; without the releaser {retained} KiB stay"
        );
    }
}

/// Bins of 21 size classes (512 B-16 KiB, one call site) each grow to
/// 512 KiB of slabs, then every block is freed, newest first: each bin
/// releases its slabs but keeps the last two (64 KiB each) as a reserve.
/// The program then waits (bounded) for its resident set to reach the
/// target it is given, prints it, and prints `malloc_stats`.
const RESERVES: &str = r#"
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#define SIZES 32
#define PER (512 * 1024)
static void *blocks[SIZES][PER / 512];
static int counts[SIZES];
int main(int argc, char **argv) {
    int max_wait_ms = atoi(argv[1]);
    long target = atol(argv[2]);
    for (int k = 0; k < SIZES; k++) {
        size_t size = 512 + (size_t)k * 512;
        for (size_t used = 0; used + size <= PER; used += size) {
            void *p = malloc(size);
            memset(p, 7, size);
            blocks[k][counts[k]++] = p;
        }
    }
    for (int k = 0; k < SIZES; k++) for (int i = counts[k] - 1; i >= 0; i--) free(blocks[k][i]);
    long freed = rss_kib(), settled = freed;
    int waited = 0;
    while (waited < max_wait_ms && settled > target) { usleep(20000); waited += 20; settled = rss_kib(); }
    printf("%ld %ld\n", freed, settled);
    fflush(stdout);
    malloc_stats();
    /* The bins carve their decommitted reserves afresh: every block must
       be distinct and keep its bytes. */
    for (int k = 0; k < SIZES; k++) {
        size_t size = 512 + (size_t)k * 512;
        for (int i = 0; i < counts[k]; i++) { blocks[k][i] = malloc(size); memset(blocks[k][i], i & 0xff, size); }
    }
    for (int k = 0; k < SIZES; k++) {
        size_t size = 512 + (size_t)k * 512;
        for (int i = 0; i < counts[k]; i++)
            for (size_t b = 0; b < size; b += 61)
                if (((unsigned char *)blocks[k][i])[b] != (i & 0xff)) { printf("block %d/%d lost its bytes\n", k, i); return 1; }
    }
    return 0;
}
"#;

/// The value `malloc_stats` printed after `label` (hex).
fn stat(err: &str, label: &str) -> usize {
    let line = err.lines().find(|l| l.contains(label)).unwrap_or_else(|| panic!("no {label:?} in {err}"));
    usize::from_str_radix(line.rsplit("0x").next().unwrap().trim(), 16).unwrap()
}

#[test]
fn releaser_decommits_the_empty_slabs_bins_keep_in_reserve() {
    if !have("cc") {
        return;
    }
    let dir = TempDir::new("reserves");
    let src = dir.0.join("reserves.c");
    std::fs::write(&src, with_rss_kib(RESERVES)).unwrap();
    let exe = dir.0.join("reserves");
    let cc = Command::new("cc").args(["-O1", "-o"]).arg(&exe).arg(&src).output().unwrap();
    assert!(cc.status.success(), "cc failed: {}", String::from_utf8_lossy(&cc.stderr));
    let go = |max_wait_ms: u32, target: i64, release_ms: Option<&str>| {
        let mut c = Command::new(&exe);
        c.arg(max_wait_ms.to_string()).arg(target.to_string());
        c.env("LD_PRELOAD", preload_lib()).env("BTMALLOC_PURGE", "dontneed").env_remove("BTMALLOC_MESH");
        match release_ms {
            Some(ms) => c.env("BTMALLOC_RELEASE_MS", ms),
            None => c.env_remove("BTMALLOC_RELEASE_MS"),
        };
        let out = c.output().unwrap();
        assert!(out.status.success(), "program failed: {}", String::from_utf8_lossy(&out.stderr));
        let v: Vec<i64> = String::from_utf8_lossy(&out.stdout).split_whitespace().map(|w| w.parse().unwrap()).collect();
        (v[1], String::from_utf8_lossy(&out.stderr).into_owned())
    };
    // No releaser: the reserves stay resident (each bin keeps its newest
    // two slabs, 64 KiB each, one of them partly carved), and so do the
    // free pages of the slabs the bins released.
    let (retained, err) = go(300, 0, Some("0"));
    let kept = stat(&err, "census: reserve pages");
    let dirty = stat(&err, "census: committed free pages");
    assert!(kept >= 21 * 16, "only {kept} reserve pages resident without the releaser");
    assert_eq!(stat(&err, "census: reserve slabs purged"), 0);
    // Slabs of 64 KiB take the chunk's lowest descriptors, so a chunk's
    // header and descriptors stay within a few pages (192 bytes for every
    // 4 KiB page would be 24).
    let (chunks, meta) = (stat(&err, "census: chunks"), stat(&err, "census: metadata pages"));
    assert!(meta <= 6 * chunks, "{meta} metadata pages resident for {chunks} chunks");

    // With it, once the heap is quiet, the free pages and at least half of
    // the reserves' pages are decommitted: the target is well below what
    // purging the free pages alone would reach.
    let target = retained - 4 * (dirty + kept / 2) as i64;
    let (settled, err) = go(10_000, target, None);
    assert!(
        settled <= target,
        "RSS still {settled} KiB 10 s after the frees ({retained} KiB without the releaser, \
         {dirty} free and {kept} reserve pages)"
    );
    let left = stat(&err, "census: reserve pages");
    assert!(left <= kept / 2, "{left} of {kept} reserve pages still resident");
    assert!(stat(&err, "census: reserve slabs purged") >= 21, "reserve slabs were not purged");
}
