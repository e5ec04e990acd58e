"""What compare.py reads about a process: CPU time and faults, and its
resident memory the way src/main.rs's `footprint_kib` counts it."""
from collections import namedtuple

# User and system CPU seconds and minor page faults of one run.
Usage = namedtuple("Usage", "ru_utime ru_stime ru_minflt")


def _fields(path):
    out = {}
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                    out[parts[0][:-1]] = int(parts[1])
    except OSError:
        pass
    return out


def rss_kib(pid):
    """(VmHWM, VmRSS) of a live process, in KiB."""
    status = _fields(f"/proc/{pid}/status")
    return status.get("VmHWM", 0), status.get("VmRSS", 0)


def footprint_kib(pid):
    """VmRSS less lazily freed pages (`LazyFree`, taken back by the kernel
    without I/O), with shared-memory pages counted once (`Pss_Shmem`
    instead of `RssShmem`): the same figure as `footprint_kib` in
    src/main.rs, for another process."""
    status = _fields(f"/proc/{pid}/status")
    rollup = _fields(f"/proc/{pid}/smaps_rollup")
    rss = status.get("VmRSS", 0) + rollup.get("Pss_Shmem", 0)
    return max(rss - status.get("RssShmem", 0) - rollup.get("LazyFree", 0), 0)
