#!/usr/bin/env bash
# Runs the ML-DSA and SLH-DSA criterion benches (purecrypto against
# RustCrypto `ml-dsa` and `slh-dsa`) in one go and prints, per parameter
# set and operation, both medians and the speed-up ours/peer (peer time
# divided by our time: > 1 means we are faster). Criterion medians shrug
# off load spikes better than means; the machine's load still shows.
#
#   bench/compare-pqsig.sh [SECONDS]
#
# SECONDS is criterion's measurement time per case (default 3).
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-3}
target=${CARGO_TARGET_DIR:-target}

for bench in mldsa slhdsa; do
    cargo bench --locked --bench "$bench" -- --warm-up-time 1 --measurement-time "$secs" --noplot >&2
done

median_ns() {
    local f="$target/criterion/$1/$2/$3/new/estimates.json"
    [ -f "$f" ] || { echo 0; return; }
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["median"]["point_estimate"])' "$f"
}

printf '%-20s %-7s %14s %14s %10s\n' set op 'ours (us)' 'RustCrypto (us)' 'ours/peer'
for set in ml-dsa-44 ml-dsa-65 ml-dsa-87 slh-dsa-sha2-128f slh-dsa-shake-128f; do
    for op in keygen sign verify; do
        ours=$(median_ns "$set" purecrypto "$op")
        peer=$(median_ns "$set" rustcrypto "$op")
        python3 -c 'import sys
o, p = float(sys.argv[3]), float(sys.argv[4])
ratio = p / o if o > 0 else 0.0
print("%-20s %-7s %14.1f %14.1f %9.2fx" % (sys.argv[1], sys.argv[2], o / 1e3, p / 1e3, ratio))' "$set" "$op" "$ours" "$peer"
    done
done
