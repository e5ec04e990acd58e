#!/usr/bin/env bash
# Instructions per operation under callgrind for the PQC rows of
# compare-pq-targets.sh, ours and the peers', from examples/pq_count.rs:
# (Ir(N + 1 runs) - Ir(1 run)) / N, so key setup is not counted. A
# load-independent second opinion on wall-clock ratios (not a substitute:
# SIMD-heavy and scalar code retire instructions at different rates).
#
#   bench/callgrind-pq.sh [N] [OP...]
#
# OPs as in examples/pq_count.rs; default: the ML-KEM-768 rows.
set -euo pipefail
cd "$(dirname "$0")"
n=${1:-20}
shift || true
ops=("$@")
[ ${#ops[@]} -gt 0 ] || ops=(mlkem768-{keygen,encaps,decaps}-{ours,libcrux,rustcrypto})
cargo build --locked --profile bench --example pq_count >&2
bin=${CARGO_TARGET_DIR:-target}/release/examples/pq_count
ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 | awk '/Collected/ {print $4}'; }
for op in "${ops[@]}"; do
    a=$(ir "$op" 1)
    b=$(ir "$op" $((n + 1)))
    printf '%-32s %10d\n' "$op" $(((b - a) / n))
done
