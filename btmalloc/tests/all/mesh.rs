//! Purge modes and mesh mode end to end, in C programs compiled at test
//! time and run under `LD_PRELOAD` (each mode is read from the environment
//! once per process, so each needs its own process).
//!
//! - `purge_modes_*`: 64 MiB of 4000-byte blocks freed and trimmed; with
//!   `BTMALLOC_PURGE=dontneed` the RSS drops at once, with `free` the pages
//!   stay resident as `LazyFree` (and the reused blocks may keep their old
//!   bytes: the program counts them), and in both `calloc` of the reused
//!   pages returns zeros and every reused block holds what was written.
//! - `mesh_*`: a deterministic fragmentation pattern (one 128-byte block in
//!   eight kept, at offsets that differ from page to page) whose footprint
//!   (`Pss`, which counts a physical page mapped twice once) must drop under
//!   `malloc_trim` with `BTMALLOC_MESH=1` and not without it, and also
//!   without `malloc_trim` once the program allocates new slabs after its
//!   frees, with every
//!   object intact, through new allocations and a `fork` (the child's
//!   writes must not reach the parent); and a 4-thread stress of remote
//!   frees and rewrites racing `malloc_trim` meshing and a `fork` (whose
//!   child clobbers every block it sees).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{TempDir, have, preload_lib};

const PURGE: &str = r#"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <unistd.h>
static long field_kib(const char *path, const char *name) {
    FILE *f = fopen(path, "r"); char line[256]; long v = -1; size_t n = strlen(name);
    if (!f) return -1;
    while (fgets(line, sizeof line, f)) if (!strncmp(line, name, n)) { v = atol(line + n); break; }
    fclose(f);
    return v;
}
#define N 16384
#define SIZE 4000
static unsigned char *blocks[N];
int main(void) {
    for (int i = 0; i < N; i++) { blocks[i] = malloc(SIZE); memset(blocks[i], 0xa5, SIZE); }
    long peak = field_kib("/proc/self/status", "VmRSS:");
    for (int i = 0; i < N; i++) free(blocks[i]);
    malloc_trim(0); /* purges every free page now, in the chosen mode */
    long rss = field_kib("/proc/self/status", "VmRSS:");
    long lazy = field_kib("/proc/self/smaps_rollup", "LazyFree:");
    /* Reuse the purged pages: calloc must clear them even where MADV_FREE
       left the old bytes; malloc'ed blocks must be fully usable. */
    long stale = 0;
    for (int i = 0; i < N; i++) {
        unsigned char *p = (i & 1) ? calloc(1, SIZE) : malloc(SIZE);
        if (!p) return 2;
        if (i & 1) { for (int k = 0; k < SIZE; k++) if (p[k]) { printf("calloc block not zero\n"); return 3; } }
        else if (p[SIZE - 1] == 0xa5) stale++;
        memset(p, i & 0xff, SIZE);
        blocks[i] = p;
    }
    for (int i = 0; i < N; i++) for (int k = 0; k < SIZE; k += 97) if (blocks[i][k] != (i & 0xff)) { printf("lost\n"); return 4; }
    printf("%ld %ld %ld %ld\n", peak, rss, lazy, stale);
    return 0;
}
"#;

const FRAG: &str = r#"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <unistd.h>
#include <sys/wait.h>
/* Footprint in KiB: Pss counts a physical page mapped at two addresses once
   (Rss would count it twice), and excludes nothing of ours. */
static long pss_kib(void) {
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    char line[256]; long v = -1;
    if (!f) return -1;
    while (fgets(line, sizeof line, f)) if (sscanf(line, "Pss: %ld", &v) == 1) break;
    fclose(f);
    return v;
}
#define N 262144
#define SIZE 128
static unsigned char *blocks[N];
static int keep(int i) { return ((i / 32) + i) % 8 == 0; }
static unsigned char fill(int i, int round) { return (unsigned char)(i * 7 + round * 13 + 1); }
static int check(int round) {
    for (int i = 0; i < N; i++) {
        if (!blocks[i]) continue;
        if (*(int *)blocks[i] != i) return 1;
        for (int k = 4; k < SIZE; k++) if (blocks[i][k] != fill(i, round)) return 1;
    }
    return 0;
}
static void write_all(int round) {
    for (int i = 0; i < N; i++) if (blocks[i]) { memset(blocks[i], fill(i, round), SIZE); *(int *)blocks[i] = i; }
}
/* argv[1] "trim": mesh at malloc_trim; "alloc": no malloc_trim, the next
   allocations after the frees (new slabs of another size) mesh. */
int main(int argc, char **argv) {
    int trim = argc < 2 || argv[1][0] == 't';
    for (int i = 0; i < N; i++) { blocks[i] = malloc(SIZE); if (!blocks[i]) return 2; }
    write_all(0);
    long before = pss_kib();
    for (int i = 0; i < N; i++) if (!keep(i)) { free(blocks[i]); blocks[i] = 0; }
    if (trim) malloc_trim(0);
    else {
        void *other[64];
        for (int i = 0; i < 64; i++) { other[i] = malloc(3000); memset(other[i], 1, 3000); }
        for (int i = 0; i < 64; i++) free(other[i]);
    }
    long after = pss_kib();
    if (check(0)) { printf("contents lost by meshing\n"); return 3; }
    write_all(1);
    if (check(1)) { printf("contents lost rewriting\n"); return 4; }
    /* New allocations must not land on live (meshed) objects. */
    void *fresh[4096];
    for (int i = 0; i < 4096; i++) { fresh[i] = malloc(SIZE); memset(fresh[i], 0x5a, SIZE); }
    if (check(1)) { printf("new blocks overlap meshed ones\n"); return 5; }
    pid_t pid = fork();
    if (pid == 0) {
        if (check(1)) _exit(6);
        write_all(2);
        for (int i = 0; i < N; i += 3) if (blocks[i]) { free(blocks[i]); blocks[i] = 0; }
        if (check(2)) _exit(7);
        _exit(0);
    }
    int st; waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) { printf("child failed %d\n", WEXITSTATUS(st)); return 8; }
    if (check(1)) { printf("child writes reached the parent\n"); return 9; }
    for (int i = 0; i < 4096; i++) free(fresh[i]);
    for (int i = 0; i < N; i++) free(blocks[i]);
    malloc_trim(0);
    long drained = pss_kib();
    printf("%ld %ld %ld\n", before, after, drained);
    return 0;
}
"#;

const STRESS: &str = r#"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <unistd.h>
#include <sys/wait.h>
/* Threads fill a shared table with blocks (64-256 B) stamped with their
   slot and a round number, free 7/8 of them at random (mostly blocks other
   threads allocated: remote frees), then each calls malloc_trim (meshing its
   own sparse slabs) while the others keep rewriting and checking every
   surviving block, including those on pages being meshed; once, thread 0
   forks meanwhile. */
#define THREADS 4
#define PER 30000
#define SLOTS (THREADS * PER)
#define ROUNDS 3
static _Atomic(unsigned char *) slot[SLOTS];
static pthread_barrier_t bar;
static atomic_int bad;
static unsigned rnd(unsigned *s) { *s = *s * 1103515245u + 12345u; return *s >> 8; }
static size_t size_of(int i) { return 64 + (i * 37) % 193; }
static void stamp(unsigned char *p, int i, unsigned char r) { size_t n = size_of(i); memset(p, r ^ (unsigned char)i, n); memcpy(p, &i, sizeof i); }
static void verify(unsigned char *p, int i) {
    int got; memcpy(&got, p, sizeof got);
    if (got != i) { atomic_fetch_add(&bad, 1); return; }
    unsigned char r = p[sizeof i];
    for (size_t k = sizeof i; k < size_of(i); k++) if (p[k] != r) { atomic_fetch_add(&bad, 1); return; }
}
static void *run(void *arg) {
    int t = (int)(long)arg; unsigned s = 77 + t;
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = t * PER; i < (t + 1) * PER; i++) { unsigned char *p = malloc(size_of(i)); stamp(p, i, round); atomic_store(&slot[i], p); }
        pthread_barrier_wait(&bar);
        for (int k = 0; k < PER * 7 / 8; k++) {
            int i = rnd(&s) % SLOTS; unsigned char *p = atomic_exchange(&slot[i], NULL);
            if (p) { verify(p, i); free(p); }
        }
        pthread_barrier_wait(&bar);
        if (t % 2 == 0) {
            malloc_trim(0);
            if (t == 0 && round == 1) {
                /* fork while the other threads rewrite their blocks: the
                   child clobbers and frees every block it sees, which must
                   not reach the parent (the threads verify as they go). */
                pid_t pid = fork();
                if (pid == 0) {
                    for (int i = 0; i < SLOTS; i++) {
                        unsigned char *p = atomic_load(&slot[i]);
                        if (p) { memset(p, 0xee, size_of(i)); free(p); }
                    }
                    for (int i = 0; i < 10000; i++) { unsigned char *p = malloc(size_of(i)); memset(p, 0xdd, size_of(i)); free(p); }
                    _exit(0);
                }
                int st = 0;
                waitpid(pid, &st, 0);
                if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) atomic_fetch_add(&bad, 1000);
            }
        } else for (int pass = 0; pass < 3; pass++)
            for (int i = 0; i < SLOTS; i++) {
                unsigned char *p = atomic_exchange(&slot[i], NULL);
                if (p) { verify(p, i); stamp(p, i, (unsigned char)(round * 3 + pass)); atomic_store(&slot[i], p); }
            }
        pthread_barrier_wait(&bar);
        if (t % 2 == 1) malloc_trim(0);
        else for (int i = 0; i < SLOTS; i++) {
            unsigned char *p = atomic_exchange(&slot[i], NULL);
            if (p) { verify(p, i); stamp(p, i, (unsigned char)round); atomic_store(&slot[i], p); }
        }
        pthread_barrier_wait(&bar);
        for (int i = t; i < SLOTS; i += THREADS) { unsigned char *p = atomic_exchange(&slot[i], NULL); if (p) { verify(p, i); free(p); } }
        pthread_barrier_wait(&bar);
    }
    return 0;
}
int main(void) {
    pthread_t th[THREADS];
    pthread_barrier_init(&bar, 0, THREADS);
    for (long t = 0; t < THREADS; t++) pthread_create(&th[t], 0, run, (void *)t);
    for (int t = 0; t < THREADS; t++) pthread_join(th[t], 0);
    malloc_stats();
    printf("bad %d\n", atomic_load(&bad));
    return atomic_load(&bad) != 0;
}
"#;

/* Batches freed and refilled (the bench's `lifo`): 400 rounds of 1,000
blocks of 16 B-16 KiB, each round freed, last first. */
const BATCHES: &str = r#"
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    static void *v[1000];
    unsigned s = 42;
    for (int round = 0; round < 400; round++) {
        for (int i = 0; i < 1000; i++) {
            s = s * 1103515245u + 12345u;
            size_t n = (size_t)16 << ((s >> 8) % 11);
            v[i] = malloc(n);
            memset(v[i], i, n < 64 ? n : 64);
        }
        for (int i = 999; i >= 0; i--) free(v[i]);
    }
    malloc_stats();
    printf("done\n");
    return 0;
}
"#;

/// Compiles `src` into `dir`; None (skipped loudly, or a CI failure) if no cc.
fn compile(dir: &TempDir, name: &str, src: &str) -> Option<PathBuf> {
    if !have("cc") {
        return None;
    }
    let c = dir.0.join(format!("{name}.c"));
    std::fs::write(&c, src).unwrap();
    let exe = dir.0.join(name);
    let out = Command::new("cc").args(["-O1", "-pthread", "-o"]).arg(&exe).arg(&c).output().unwrap();
    assert!(out.status.success(), "cc failed: {}", String::from_utf8_lossy(&out.stderr));
    Some(exe)
}

/// Runs `exe` under the preload with `vars` set (and the knobs this suite
/// sets cleared otherwise); asserts success; returns stdout's numbers.
fn run(exe: &Path, vars: &[(&str, &str)]) -> (Vec<i64>, Output) {
    run_args(exe, &[], vars)
}

/// [`run`] with arguments.
fn run_args(exe: &Path, args: &[&str], vars: &[(&str, &str)]) -> (Vec<i64>, Output) {
    let mut c = Command::new(exe);
    c.args(args);
    c.env("LD_PRELOAD", preload_lib());
    for k in ["BTMALLOC_PURGE", "BTMALLOC_MESH", "BTMALLOC_RELEASE_MS"] {
        c.env_remove(k);
    }
    c.envs(vars.iter().copied());
    let out = c.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{} {vars:?} failed ({:?}): {stdout} {}",
        exe.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    (stdout.split_whitespace().filter_map(|w| w.parse().ok()).collect(), out)
}

/// The value `malloc_stats` printed after `label` (hex).
fn stat(out: &Output, label: &str) -> usize {
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err.lines().find(|l| l.contains(label)).unwrap_or_else(|| panic!("no {label:?} in {err}"));
    let hex = line.rsplit("0x").next().unwrap();
    usize::from_str_radix(hex.trim(), 16).unwrap()
}

#[test]
fn purge_modes_dontneed_drops_rss_and_free_leaves_lazyfree_pages() {
    let dir = TempDir::new("purge");
    let Some(exe) = compile(&dir, "purge", PURGE) else { return };
    // No background releaser: only malloc_trim purges, in the chosen mode.
    let (v, _) = run(&exe, &[("BTMALLOC_PURGE", "dontneed"), ("BTMALLOC_RELEASE_MS", "0")]);
    let (peak, rss, lazy) = (v[0], v[1], v[2]);
    assert!(peak > 60 * 1024, "64 MiB touched, peak {peak} KiB");
    assert!(rss < peak - 50 * 1024, "dontneed: RSS {rss} KiB after trim, peak {peak} KiB");
    assert!(lazy < 8 * 1024, "dontneed: {lazy} KiB LazyFree");

    let (v, _) = run(&exe, &[("BTMALLOC_PURGE", "free"), ("BTMALLOC_RELEASE_MS", "0")]);
    let (peak, rss, lazy, stale) = (v[0], v[1], v[2], v[3]);
    // MADV_FREE pages stay in the RSS until the kernel needs them; what the
    // purge gave back is visible as LazyFree (or, if the kernel already
    // reclaimed them, as a lower RSS).
    assert!(rss - lazy < peak - 50 * 1024, "free: RSS {rss} KiB, LazyFree {lazy} KiB, peak {peak} KiB");
    assert!(lazy > 32 * 1024 || rss < peak - 32 * 1024, "free: no lazily freed pages ({lazy} KiB)");
    // Informational: malloc'ed blocks on reused pages that kept old bytes
    // (why calloc must clear); the program checked calloc returns zeros.
    let _ = writeln_stderr(&format!("purge=free: {stale} of 8192 reused blocks kept their old bytes"));
}

fn writeln_stderr(s: &str) -> std::io::Result<()> {
    use std::io::Write;
    writeln!(std::io::stderr(), "{s}")
}

#[test]
fn mesh_compacts_a_fragmented_heap_and_keeps_every_object_across_fork() {
    let dir = TempDir::new("mesh-frag");
    let Some(exe) = compile(&dir, "frag", FRAG) else { return };
    // Control: trim alone cannot return pages holding one live block in 8.
    let (v, _) = run(&exe, &[]);
    let (before, after) = (v[0], v[1]);
    assert!(before > 25 * 1024, "32 MiB touched, footprint {before} KiB");
    assert!(after > 25 * 1024, "without meshing the footprint fell to {after} KiB");

    let (v, _) = run(&exe, &[("BTMALLOC_MESH", "1")]);
    let (before, after, drained) = (v[0], v[1], v[2]);
    assert!(before > 25 * 1024, "32 MiB touched, footprint {before} KiB");
    // 4 MiB live: meshing must bring the footprint near it.
    assert!(after < 14 * 1024, "mesh: footprint {after} KiB after trim (was {before})");
    assert!(drained < after, "mesh: {drained} KiB after freeing everything");
}

#[test]
fn mesh_runs_without_trim_when_allocations_follow_a_burst_of_frees() {
    let dir = TempDir::new("mesh-auto");
    let Some(exe) = compile(&dir, "frag", FRAG) else { return };
    // Control: without mesh mode nothing is given back.
    let (v, _) = run_args(&exe, &["alloc"], &[]);
    let (before, after) = (v[0], v[1]);
    assert!(after > 25 * 1024, "without meshing the footprint fell from {before} to {after} KiB");
    // Mesh mode: the 28 MiB of slabs the frees left sparse (over the
    // 16 MiB that triggers a pass) are meshed by the first new slab.
    let (v, _) = run_args(&exe, &["alloc"], &[("BTMALLOC_MESH", "1")]);
    let (before, after, drained) = (v[0], v[1], v[2]);
    assert!(before > 25 * 1024, "32 MiB touched, footprint {before} KiB");
    assert!(after < 14 * 1024, "mesh: footprint {after} KiB after the frees and new allocations (was {before})");
    assert!(drained < after, "mesh: {drained} KiB after freeing everything");
}

#[test]
fn mesh_leaves_batches_that_are_freed_and_refilled_alone() {
    let dir = TempDir::new("mesh-batches");
    let Some(exe) = compile(&dir, "batches", BATCHES) else { return };
    // Its slabs thin out far more often than the heap is large: meshing
    // them would freeze slabs the next batch needs and unmesh them when
    // freed (this took 30x the time of the plain allocator).
    let (_, out) = run(&exe, &[("BTMALLOC_MESH", "1")]);
    assert_eq!(stat(&out, "given back by meshing"), 0, "refilled batches were meshed");
}

#[test]
fn mesh_stress_threads_write_and_free_while_others_mesh() {
    let dir = TempDir::new("mesh-stress");
    let Some(exe) = compile(&dir, "stress", STRESS) else { return };
    let (_, out) = run(&exe, &[("BTMALLOC_MESH", "1")]);
    let meshed = stat(&out, "given back by meshing");
    assert!(meshed > 0, "the stress never meshed a page");
    assert_eq!(stat(&out, "invalid frees"), 0);
    assert_eq!(stat(&out, "double frees"), 0);
    assert_eq!(stat(&out, "corrupted freelist links"), 0);
}
