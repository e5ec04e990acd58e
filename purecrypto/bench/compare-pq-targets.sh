#!/usr/bin/env bash
# The PQC speed targets in one run: ML-KEM-768 against RustCrypto `ml-kem`
# 0.3 (>= 2.0x) and libcrux-ml-kem (>= 1.0x), ML-DSA-65 against
# RustCrypto `ml-dsa` (>= 2.0x), SLH-DSA-SHA2-128f / SHAKE-128f sign and
# verify against RustCrypto `slh-dsa` (>= 1.5x). Prints criterion medians,
# the ratio peer time / our time (> 1: we are faster), the target and
# whether it is met. The machine's load shows in the figures: rerun noisy
# rows (or compare callgrind instruction counts) before trusting them.
#
#   bench/compare-pq-targets.sh [SECONDS]
#
# SECONDS is criterion's measurement time per case (default 2; the whole
# run then takes a few minutes).
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-2}
target=${CARGO_TARGET_DIR:-target}
args=(--warm-up-time 1 --measurement-time "$secs" --noplot)

cargo bench --locked --bench mlkem -- "${args[@]}" '^mlkem768-' >&2
cargo bench --locked --bench mldsa -- "${args[@]}" '^ml-dsa-65/' >&2
cargo bench --locked --bench slhdsa -- "${args[@]}" '/(sign|verify)$' >&2

# median_us DIR: criterion's median estimate in microseconds (0 if absent).
median_us() {
    local f="$target/criterion/$1/new/estimates.json"
    [ -f "$f" ] || { echo 0; return; }
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["median"]["point_estimate"] / 1e3)' "$f"
}

row() { # row OP OURS_DIR PEER PEER_DIR TARGET
    python3 -c 'import sys
op, peer, o, p, t = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
r = p / o if o > 0 and p > 0 else 0.0
print("%-26s %10.1f %-12s %10.1f %7.2fx %6.1fx  %s" % (op, o, peer, p, r, t, "yes" if r >= t else "NO"))' \
        "$1" "$3" "$(median_us "$2")" "$(median_us "$4")" "$5"
}

printf '%-26s %10s %-12s %10s %8s %7s  %s\n' operation 'ours us' peer 'peer us' ratio target met
for op in keygen encaps decaps; do
    row "ML-KEM-768 $op" "mlkem768-$op/purecrypto" rustcrypto "mlkem768-$op/rustcrypto" 2.0
    row "ML-KEM-768 $op" "mlkem768-$op/purecrypto" libcrux "mlkem768-$op/libcrux" 1.0
done
for op in keygen sign verify; do
    row "ML-DSA-65 $op" "ml-dsa-65/purecrypto/$op" rustcrypto "ml-dsa-65/rustcrypto/$op" 2.0
done
for set in sha2 shake; do
    for op in sign verify; do
        row "SLH-DSA-${set^^}-128f $op" "slh-dsa-$set-128f/purecrypto/$op" rustcrypto "slh-dsa-$set-128f/rustcrypto/$op" 1.5
    done
done
