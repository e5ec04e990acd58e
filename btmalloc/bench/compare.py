#!/usr/bin/env python3
"""Runs every workload of btmalloc-bench under every allocator (LD_PRELOAD)
three times and prints markdown tables of medians: ns/op with the ratio to
mimalloc, user and system CPU time and minor page faults (of the process
that allocates), peak RSS, and end RSS (for `frag` and `cohort`: the
settled footprint 1 s after freeing, which is VmRSS less `LazyFree` pages,
with shared pages counted once; see `footprint_kib` in src/main.rs), and
that footprint over the live bytes, without and with the harness's own
pointer table (allocated through the allocator under test) counted as live.

Besides the harness's workloads: `python3` (dicts, lists, strings, JSON)
and `redis-lru` (redis-server as an LRU cache under the allocator, filled
with small values and then shifted to large ones; skipped with a message
when redis-server or redis-benchmark is missing).

Usage: python3 bench/compare.py [--runs N] [--only WORKLOAD,...]
Run from btmalloc/ or btmalloc/bench/. Builds libbtmalloc.so and the harness
in release mode first. Allocators whose library is missing are reported and
skipped (install: libjemalloc2 libmimalloc2.0 libtcmalloc-minimal4).
"""
import math
import os
import resource
import statistics
import subprocess
import sys

import redis_lru
from procstat import Usage

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LIBDIR = "/usr/lib/x86_64-linux-gnu"
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))


def build():
    subprocess.run(["cargo", "build", "--release", "--lib", "--features", "preload", "--target-dir",
                    os.path.join(TARGET, "bench-so")], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--target-dir", os.path.join(TARGET, "bench")],
                   cwd=HERE, check=True)
    return (os.path.join(TARGET, "bench-so", "release", "libbtmalloc.so"),
            os.path.join(TARGET, "bench", "release", "btmalloc-bench"))


def allocators(btm):
    je, mi, tc = (os.path.join(LIBDIR, n) for n in
                  ("libjemalloc.so.2", "libmimalloc.so.2", "libtcmalloc_minimal.so.4"))
    return [
        ("glibc", None, "glibc", {}),
        ("glibc-trim", None, "glibc", {"BTMALLOC_BENCH_TRIM": "1"}),
        ("jemalloc", je, "libjemalloc", {}),
        ("jemalloc-prompt", je, "libjemalloc", {"MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0"}),
        ("mimalloc", mi, "libmimalloc", {}),
        ("mimalloc-prompt", mi, "libmimalloc", {"MIMALLOC_PAGE_RESET": "1", "MIMALLOC_DECOMMIT_DELAY": "0"}),
        ("tcmalloc", tc, "libtcmalloc", {}),
        ("btmalloc-P64", btm, "libbtmalloc", {"BTMALLOC_PARTITIONS": "64"}),
        ("btmalloc-P1", btm, "libbtmalloc", {"BTMALLOC_PARTITIONS": "1"}),
        # Mesh mode without malloc_trim: a heap meshes at its next new slab
        # once enough of its slabs lost blocks (until 2026-11-29 this column
        # also set BTMALLOC_BENCH_TRIM=1, meshing at malloc_trim only).
        ("btmalloc-P64-mesh", btm, "libbtmalloc", {"BTMALLOC_PARTITIONS": "64", "BTMALLOC_MESH": "1"}),
    ]


# The python3 workload: dicts, lists, strings and JSON; it checks its own
# /proc/self/maps like the harness does. 200,000 "ops" (dict entries).
PYTHON = r"""
import json, sys, time
maps = open("/proc/self/maps").read()
expect = sys.argv[1]
known = ["libjemalloc", "libmimalloc", "libtcmalloc", "libbtmalloc"]
if (expect == "glibc" and any(k in maps for k in known)) or (expect != "glibc" and expect not in maps):
    sys.exit("preload %s is NOT active" % expect)
t = time.perf_counter_ns()
d = {}
for i in range(200000):
    d["key%d" % i] = [i, str(i) * (i % 5), {"v": i}]
s = json.dumps(d)
back = json.loads(s)
words = sorted(s.split(",")[:200000])
del d, back, words
ns = (time.perf_counter_ns() - t) / 200000
hwm = [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM:")][0]
print("RESULT python3 %.2f %s" % (ns, hwm))
"""


def run_python(lib, env, expect):
    out, err, code, usage = run_measured(["python3", "-c", PYTHON, expect], env)
    if code != 0:
        sys.exit(f"python3 under {expect} failed: {err.strip()}")
    _, _, ns, hwm = out.split()
    return float(ns), int(hwm), int(hwm), 0, usage.ru_utime, usage.ru_stime, usage.ru_minflt


def run_measured(argv, env, timeout=300):
    """Runs argv to completion; returns (stdout, stderr, returncode, usage)
    where usage holds the child's user / system seconds and minor faults
    (the difference in RUSAGE_CHILDREN: nothing else runs meanwhile)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        out = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout)
        result = out.stdout, out.stderr, out.returncode
    except subprocess.TimeoutExpired as e:
        result = e.stdout or "", f"{e.stderr or ''}\n(timed out after {timeout} s)", -9
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (*result, Usage(after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime,
                           after.ru_minflt - before.ru_minflt))


def run_once(exe, lib, expect, extra, workload):
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    env.update(extra)
    if lib:
        env["LD_PRELOAD"] = lib
    if workload == "python3":
        return run_python(lib, env, expect)
    if workload == "redis-lru":
        return redis_lru.run(env, expect)
    out, err, code, usage = run_measured([exe, expect, workload], env)
    if code != 0:
        sys.exit(f"{workload} under {expect} failed ({code}): {err.strip()}")
    for line in out.splitlines():
        if line.startswith("RESULT "):
            _, _, ns, peak, end, live, table = line.split()
            return (float(ns), int(peak), int(end), int(live), usage.ru_utime, usage.ru_stime, usage.ru_minflt,
                    int(table))
    sys.exit(f"{workload} under {expect}: no RESULT line")


def main():
    runs = 3
    only = None
    args = sys.argv[1:]
    while args:
        a = args.pop(0)
        if a == "--runs":
            runs = int(args.pop(0))
        elif a == "--only":
            only = args.pop(0).split(",")
    btm, exe = build()
    names = subprocess.run([exe], capture_output=True, text=True).stderr
    workloads = names.split("workloads: ")[1].rstrip(")\n").split() + ["python3"]
    missing = redis_lru.missing_tools()
    if missing:
        print(f"SKIPPED: redis-lru: {', '.join(missing)} not installed (apt-get install redis-server)",
              file=sys.stderr)
    else:
        workloads.append("redis-lru")
    if only:
        workloads = [w for w in workloads if w in only]
    allocs = []
    for name, lib, expect, extra in allocators(btm):
        if lib and not os.path.exists(lib):
            print(f"SKIPPED: {name}: {lib} not installed", file=sys.stderr)
            continue
        allocs.append((name, lib, expect, extra))
    res = {}
    for w in workloads:
        # Runs are interleaved across allocators so that a burst of load from
        # elsewhere on the machine does not land on one allocator only.
        rows = {name: [] for name, _, _, _ in allocs}
        for _ in range(runs):
            for name, lib, expect, extra in allocs:
                rows[name].append(run_once(exe, lib, expect, extra, w))
        for name, _, _, _ in allocs:
            res[(w, name)] = tuple(statistics.median(r[i] if i < len(r) else 0 for r in rows[name]) for i in range(8))
            print(f"  {w:8} {name:16} {res[(w, name)][0]:9.1f} ns/op", file=sys.stderr)
    names = [a[0] for a in allocs]
    base = "mimalloc" if "mimalloc" in names else names[0]

    print(f"### ns/op (median of {runs}; ratio to {base} in parentheses)\n")
    print("| workload | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    logs = {n: [] for n in names}
    for w in workloads:
        cells = []
        for n in names:
            ns = res[(w, n)][0]
            ratio = ns / res[(w, base)][0]
            logs[n].append(math.log(ratio))
            cells.append(f"{ns:.1f} ({ratio:.2f})")
        print(f"| {w} | " + " | ".join(cells) + " |")
    print("| geomean ratio | " + " | ".join(f"{math.exp(sum(l) / len(l)):.2f}" for l in logs.values()) + " |")

    def table(title, cell):
        print(f"\n### {title}\n")
        print("| workload | " + " | ".join(names) + " |")
        print("|---" * (len(names) + 1) + "|")
        for w in workloads:
            print(f"| {w} | " + " | ".join(cell(res[(w, n)]) for n in names) + " |")

    table(f"user + system CPU seconds (median of {runs}; redis-lru: the server process)",
          lambda r: f"{r[4]:.2f} + {r[5]:.2f}")
    table(f"minor page faults, thousands (median of {runs})", lambda r: f"{r[6] / 1000:.1f}")

    print(f"\n### peak RSS MiB / end RSS MiB (frag, cohort, redis-lru: settled 1 s after the last free or request; python3: peak only; live MiB in the last column: redis-lru's is redis's `used_memory` in the first allocator's run)\n")
    print("| workload | " + " | ".join(names) + " | live |")
    print("|---" * (len(names) + 2) + "|")
    for w in workloads:
        cells = [f"{res[(w, n)][1] / 1024:.0f} / {res[(w, n)][2] / 1024:.0f}" for n in names]
        print(f"| {w} | " + " | ".join(cells) + f" | {res[(w, names[0])][3] / 1024:.0f} |")
    settled = [w for w in ("frag", "cohort", "redis-lru") if w in workloads]
    if settled:
        print("\n### settled RSS / live bytes\n")
        print("| workload | " + " | ".join(names) + " |")
        print("|---" * (len(names) + 1) + "|")
        for w in settled:
            cells = [f"{res[(w, n)][2] / max(res[(w, n)][3], 1):.2f}" for n in names]
            print(f"| {w} | " + " | ".join(cells) + " |")
        tabled = [w for w in settled if res[(w, names[0])][7] > 0]
        if tabled:
            print("\n### settled RSS / (live bytes + the harness's own live table)\n")
            print("(The harness holds its block pointers in a vector allocated through the allocator under "
                  "test: " + ", ".join(f"{w} {res[(w, names[0])][7] / 1024:.1f} MiB" for w in tabled) + ".)\n")
            print("| workload | " + " | ".join(names) + " |")
            print("|---" * (len(names) + 1) + "|")
            for w in tabled:
                cells = [f"{res[(w, n)][2] / max(res[(w, n)][3] + res[(w, n)][7], 1):.2f}" for n in names]
                print(f"| {w} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
