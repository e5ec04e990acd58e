#!/usr/bin/env bash
# Runs the RSA criterion bench (purecrypto, ring, RustCrypto `rsa`) and
# `openssl speed -elapsed rsa2048 rsa4096` (wall clock, like criterion) in one go and prints operations per
# second and ours/peer ratios (criterion medians, which shrug off load
# spikes better than means).
#
#   bench/compare-rsa.sh [SECONDS]
#
# SECONDS is criterion's measurement time per case and openssl's
# -seconds (default 3).
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-3}
target=${CARGO_TARGET_DIR:-target}

cargo bench --locked --bench rsa -- --warm-up-time 1 --measurement-time "$secs" --noplot >&2

declare -A ossl
if command -v openssl >/dev/null; then
    # Rows look like "rsa 2048 bits 0.000304s 0.000016s   3285.7  61640.8".
    while read -r _ bits _ _ _ sign verify; do
        ossl[$bits/sign]=$sign
        ossl[$bits/verify]=$verify
    done < <(openssl speed -elapsed -seconds "$secs" rsa2048 rsa4096 2>/dev/null | grep '^rsa ')
else
    echo "SKIPPED: openssl not installed (no openssl column)" >&2
fi

ops() {
    local f="$target/criterion/$1/$2/new/estimates.json"
    [ -f "$f" ] || { echo 0; return; }
    python3 -c "import json,sys; ns=json.load(open(sys.argv[1]))['median']['point_estimate']; print(f'{1e9/ns:.1f}')" "$f"
}
ratio() { python3 -c "a,b=float('$1'),float('$2'); print(f'{a/b:.2f}' if b else '-')"; }

printf '%-14s %10s %10s %10s %10s %8s %8s %8s\n' op 'ours/s' 'ring/s' 'rc/s' 'ossl/s' ours/ring ours/rc ours/ossl
for bits in 2048 4096; do
    for op in sign verify; do
        ours=$(ops "rsa$bits-$op" purecrypto); ring=$(ops "rsa$bits-$op" ring); rc=$(ops "rsa$bits-$op" rustcrypto)
        o=${ossl[$bits/$op]:-0}
        printf '%-14s %10s %10s %10s %10s %8s %8s %8s\n' "rsa$bits-$op" "$ours" "$ring" "$rc" "$o" \
            "$(ratio "$ours" "$ring")" "$(ratio "$ours" "$rc")" "$(ratio "$ours" "$o")"
    done
done
