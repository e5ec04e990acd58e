#!/usr/bin/env bash
# Runs the ML-KEM criterion benches (purecrypto, RustCrypto `ml-kem`,
# `libcrux-ml-kem` with its AVX2 backend) in one go and prints the median
# time per operation and the ours/peer speed ratios (peer time / our
# time: above 1 means we are faster).
#
#   bench/compare-mlkem.sh [SECONDS] [SETS...]
#
# SECONDS is criterion's measurement time per case (default 3); SETS
# default to mlkem512 mlkem768 mlkem1024.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-3}
shift || true
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(mlkem512 mlkem768 mlkem1024)
filter="^($(IFS='|'; echo "${sets[*]}"))-"
target=${CARGO_TARGET_DIR:-target}

cargo bench --locked --bench mlkem -- --warm-up-time 1 --measurement-time "$secs" --noplot "$filter" >&2

median_us() {
    local f="$target/criterion/$1/$2/new/estimates.json"
    [ -f "$f" ] || { echo 0; return; }
    python3 -c "import json,sys; print(f\"{json.load(open(sys.argv[1]))['median']['point_estimate']/1e3:.2f}\")" "$f"
}
ratio() { python3 -c "a,b=float('$1'),float('$2'); print(f'{b/a:.2f}' if a and b else '-')"; }

printf '%-18s %10s %10s %10s %9s %9s\n' op 'ours us' 'rc us' 'libcrux us' ours/rc ours/lc
for set in "${sets[@]}"; do
    for op in keygen encaps decaps; do
        ours=$(median_us "$set-$op" purecrypto); rc=$(median_us "$set-$op" rustcrypto); lc=$(median_us "$set-$op" libcrux)
        printf '%-18s %10s %10s %10s %9s %9s\n' "$set-$op" "$ours" "$rc" "$lc" "$(ratio "$ours" "$rc")" "$(ratio "$ours" "$lc")"
    done
done
