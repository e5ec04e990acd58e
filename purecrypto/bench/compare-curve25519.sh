#!/bin/sh
# Runs purecrypto's Curve25519 / Curve448 benches next to ed25519-dalek,
# x25519-dalek, curve25519-dalek and ring (criterion), and
# `openssl speed -seconds N ed25519 ecdhx25519 ed448 ecdhx448` in the same
# run, then prints operations per second and the ratios ours/peer
# (> 1.00 means purecrypto is faster).
#
# Usage: bench/compare-curve25519.sh [SECONDS]   (default 3: criterion
# measurement time per case and openssl's -seconds). openssl divides by
# CPU time, criterion by wall time; on a shared machine both are noisy:
# run it twice and compare.
set -eu
cd "$(dirname "$0")"
secs="${1:-3}"
target="${CARGO_TARGET_DIR:-$(pwd)/target}"
export CARGO_TARGET_DIR="$target"

for b in curve25519 curve448; do
    cargo bench --locked --bench "$b" -- --warm-up-time 1 --measurement-time "$secs" >/dev/null 2>&1
done

ossl="$(mktemp)"
trap 'rm -f "$ossl"' EXIT
if command -v openssl >/dev/null 2>&1; then
    # OpenSSL 3 names the key exchanges ecdhx25519 / ecdhx448.
    openssl speed -seconds "$secs" ed25519 ecdhx25519 ed448 ecdhx448 2>/dev/null >"$ossl" || true
else
    echo "SKIPPED: openssl not installed (no OpenSSL column)" >&2
fi

python3 - "$target/criterion" "$ossl" <<'PY'
import json, os, re, sys
root, ossl_file = sys.argv[1], sys.argv[2]

def ops(group, impl):
    path = os.path.join(root, group, impl, "new", "estimates.json")
    try:
        with open(path) as f:
            return 1e9 / json.load(f)["mean"]["point_estimate"]
    except (OSError, KeyError, ValueError):
        return None

openssl = {}
with open(ossl_file) as f:
    for line in f:
        m = re.search(r"ecdh \((X25519|X448)\)\s+\S+s\s+([\d.]+)", line)
        if m:
            openssl[m.group(1).lower()] = float(m.group(2))
        m = re.search(r"EdDSA \((Ed25519|Ed448)\)\s+\S+s\s+\S+s\s+([\d.]+)\s+([\d.]+)", line)
        if m:
            openssl[m.group(1).lower() + "-sign"] = float(m.group(2))
            openssl[m.group(1).lower() + "-verify"] = float(m.group(3))

rows = [("ed25519-sign", ["dalek", "ring"]), ("ed25519-verify", ["dalek", "ring"]),
        ("x25519", ["dalek"]), ("x25519-public-key", ["dalek"]),
        ("ristretto255-mul-base", ["dalek"]), ("ristretto255-mul", ["dalek"]),
        ("ristretto255-decode", ["dalek"]), ("ristretto255-from-uniform-bytes", ["dalek"]),
        ("ed448-sign", []), ("ed448-verify", []), ("x448", [])]
print("%-32s %12s  %s" % ("operation", "ours op/s", "ours/peer"))
for group, peers in rows:
    ours = ops(group, "purecrypto")
    cells = []
    for peer in peers:
        theirs = ops(group, peer)
        cells.append("%s %.2f" % (peer, ours / theirs) if ours and theirs else "%s -" % peer)
    if group in openssl:
        cells.append("openssl %.2f" % (ours / openssl[group]) if ours else "openssl -")
    print("%-32s %12s  %s" % (group, "%.0f" % ours if ours else "-", "  ".join(cells)))
PY
