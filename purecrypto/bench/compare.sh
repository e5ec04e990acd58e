#!/bin/sh
# Runs purecrypto's hash benches next to their peers (RustCrypto, ring,
# blake3) and `openssl speed -evp`, then prints throughput ratios
# ours/peer per size (> 1.00 means purecrypto is faster).
#
# Usage: bench/compare.sh [SECONDS]   (criterion measurement time per case,
# default 1; openssl runs the same number of seconds per size, with
# -elapsed so both sides are divided by wall-clock time). On a shared
# machine the figures are noisy: run it twice and compare.
set -eu
cd "$(dirname "$0")"
secs="${1:-1}"
target="${CARGO_TARGET_DIR:-$(pwd)/target}"
export CARGO_TARGET_DIR="$target"

for b in sha2 sha3 blake3; do
    cargo bench --locked --bench "$b" -- --warm-up-time 0.3 --measurement-time "$secs" >/dev/null 2>&1
done

ossl="$(mktemp)"
trap 'rm -f "$ossl"' EXIT
if command -v openssl >/dev/null 2>&1; then
    for alg in sha256 sha512 sha3-256; do
        openssl speed -elapsed -seconds "$secs" -evp "$alg" 2>/dev/null | grep -E "^$alg " >>"$ossl" || true
    done
else
    echo "SKIPPED: openssl not installed (no OpenSSL column)" >&2
fi

python3 - "$target/criterion" "$ossl" <<'PY'
import json, os, sys
root, ossl_file = sys.argv[1], sys.argv[2]
sizes = [16, 64, 256, 1024, 8192, 16384]

def mbps(group, impl, size):
    path = os.path.join(root, group, impl, str(size), "new", "estimates.json")
    try:
        with open(path) as f:
            ns = json.load(f)["mean"]["point_estimate"]
    except (OSError, KeyError, ValueError):
        return None
    return size / ns * 1e3  # bytes per ns -> MB/s

openssl = {}
with open(ossl_file) as f:
    for line in f:
        parts = line.split()
        if parts:
            openssl[parts[0]] = [float(x.rstrip("k")) / 1e3 for x in parts[1:]]  # MB/s

rows = [("sha256", "sha256", ["rustcrypto", "ring"]), ("sha512", "sha512", ["rustcrypto", "ring"]),
        ("sha3-256", "sha3-256", ["rustcrypto"]), ("blake3", None, ["blake3"])]
print("%-10s %-11s" % ("algorithm", "peer") + "".join("%9d" % s for s in sizes))
for group, ossl_name, peers in rows:
    ours = [mbps(group, "purecrypto", s) for s in sizes]
    print("%-10s %-11s" % (group, "ours MB/s") + "".join("%9.0f" % o if o else "        -" for o in ours))
    for peer in peers:
        theirs = [mbps(group, peer, s) for s in sizes]
        cells = ["%9.2f" % (o / t) if o and t else "        -" for o, t in zip(ours, theirs)]
        print("%-10s %-11s" % ("", peer) + "".join(cells))
    if ossl_name and ossl_name in openssl:
        theirs = openssl[ossl_name]
        cells = ["%9.2f" % (o / t) if o and t else "        -" for o, t in zip(ours, theirs)]
        print("%-10s %-11s" % ("", "openssl") + "".join(cells))
PY
