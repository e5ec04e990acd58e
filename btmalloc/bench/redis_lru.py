"""The Redis LRU size-shift workload for compare.py.

redis-server runs under the allocator as an LRU cache (`maxmemory 64mb`,
`allkeys-lru`, no persistence). redis-benchmark first fills it with
100-byte values over a keyspace larger than fits, then shifts to 1000-byte
values over the same keys, so the cache evicts small blocks scattered over
the heap to make room for large ones: an allocator that cannot reuse or give
back the holes grows. One second after the last request the server's
settled footprint is read against redis's own count of live bytes
(`used_memory`).

Result: the same tuple as the harness's runs (ns per request, peak RSS
KiB, settled footprint KiB, live KiB, user s, system s, minor faults), the
CPU and faults being the server's own (from wait4 after SHUTDOWN).
"""
import os
import shutil
import socket
import subprocess
import sys
import time

import procstat

MAXMEMORY = "64mb"
KEYSPACE = "1000000"
# (requests, value bytes) per phase.
PHASES = [(400_000, 100), (100_000, 1000)]
TOOLS = ("redis-server", "redis-cli", "redis-benchmark")


def missing_tools():
    """The redis programs that are not installed."""
    return [t for t in TOOLS if shutil.which(t) is None]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(port, *args):
    out = subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True, timeout=30)
    return out.stdout


def _info_field(info, name):
    for line in info.splitlines():
        if line.startswith(name + ":"):
            return int(line.split(":", 1)[1].strip())
    sys.exit(f"redis-lru: INFO has no {name}")


def run(env, expect):
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--maxmemory", MAXMEMORY, "--maxmemory-policy", "allkeys-lru"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if _cli(port, "ping").startswith("PONG"):
                break
            time.sleep(0.05)
        else:
            sys.exit(f"redis-lru: redis-server under {expect} did not answer PING")
        with open(f"/proc/{server.pid}/maps") as f:
            maps = f.read()
        if expect != "glibc" and expect not in maps:
            sys.exit(f"redis-lru: preload {expect} is NOT active in redis-server")
        requests = 0
        start = time.perf_counter_ns()
        for n, size in PHASES:
            bench = subprocess.run(
                ["redis-benchmark", "-p", str(port), "-q", "-t", "set", "-n", str(n), "-r", KEYSPACE,
                 "-d", str(size), "-P", "16", "-c", "8"],
                capture_output=True, text=True, timeout=600)
            if bench.returncode != 0:
                sys.exit(f"redis-lru: redis-benchmark failed under {expect}: {bench.stderr.strip()}")
            requests += n
        ns = (time.perf_counter_ns() - start) / requests
        time.sleep(1)
        live = _info_field(_cli(port, "info", "memory"), "used_memory")
        peak, _ = procstat.rss_kib(server.pid)
        settled = procstat.footprint_kib(server.pid)
        _cli(port, "shutdown", "nosave")
        _, status, usage = os.wait4(server.pid, 0)
        server.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if server.returncode is None:
            server.kill()
            server.wait()
    return ns, peak, settled, live // 1024, usage.ru_utime, usage.ru_stime, usage.ru_minflt
