#!/usr/bin/env bash
# Runs the elliptic-curve criterion bench (purecrypto, RustCrypto p256 /
# p384 / k256, ring) and `openssl speed -elapsed ecdsap256 ecdsap384
# ecdhp256` in one go and prints operations per second and ours/peer
# ratios (criterion medians, which shrug off load spikes better than
# means). Criterion's output is found where cargo put it (so
# CARGO_TARGET_DIR, absolute or relative, and CRITERION_HOME work) and
# matched by benchmark id, not by a guessed directory name.
#
#   bench/compare-ec.sh [SECONDS] [ROUNDS] [FILTER]
#
# SECONDS is criterion's measurement time per case and openssl's
# -seconds (default 3). ROUNDS (default 1) alternates the criterion run
# and the openssl run that many times and prints the median of each
# column with its min..max spread, since a shared machine's load moves
# both. FILTER narrows the criterion run (a regex over benchmark ids,
# e.g. '(dh|sa|gen)-p256' for P-256 only: a bare 'p256' also matches
# secp256k1); rows left out print 0.
set -euo pipefail
# A relative CARGO_TARGET_DIR means relative to where the script was
# started; make it absolute before moving into bench/.
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
    case $CARGO_TARGET_DIR in
    /*) ;;
    *) CARGO_TARGET_DIR="$PWD/$CARGO_TARGET_DIR" ;;
    esac
    export CARGO_TARGET_DIR
fi
cd "$(dirname "$0")"
secs=${1:-3}
rounds=${2:-1}
filter=${3:-}

# Where criterion wrote its estimates: $CRITERION_HOME, else the target
# directory cargo itself used (CARGO_TARGET_DIR, a config's
# build.target-dir, or bench/target), as criterion resolves it.
if [ -n "${CRITERION_HOME:-}" ]; then
    criterion=$CRITERION_HOME
else
    criterion=$(cargo metadata --locked --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/criterion
fi
# One openssl run, appended to the openssl columns.
openssl_round() {
    command -v openssl >/dev/null || return 0
    # -elapsed: wall-clock time, as criterion measures ours.
    local out
    out=$(openssl speed -elapsed -seconds "$secs" ecdsap256 ecdsap384 ecdhp256 2>/dev/null)
    # " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  44963.0  15462.1"
    vals[ecdsa-p256-sign/openssl]+=" $(echo "$out" | awk '/bits ecdsa \(nistp256\)/ {print $(NF-1)}')"
    vals[ecdsa-p256-verify/openssl]+=" $(echo "$out" | awk '/bits ecdsa \(nistp256\)/ {print $NF}')"
    vals[ecdsa-p384-sign/openssl]+=" $(echo "$out" | awk '/bits ecdsa \(nistp384\)/ {print $(NF-1)}')"
    vals[ecdsa-p384-verify/openssl]+=" $(echo "$out" | awk '/bits ecdsa \(nistp384\)/ {print $NF}')"
    vals[ecdh-p256/openssl]+=" $(echo "$out" | awk '/bits ecdh \(nistp256\)/ {print $NF}')"
}
command -v openssl >/dev/null || echo "SKIPPED: openssl not installed (no openssl column)" >&2

# Criterion names a result's directory after its id with `/` made `_`
# (`ecdsa-p256-sign_purecrypto`) when the id is a plain function name, so
# look results up by the `full_id` each `benchmark.json` records instead
# of guessing the path.
ops() {
    python3 - "$criterion" "$1/$2" "$3" <<'PY'
import json, pathlib, sys
root, want, since = pathlib.Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
for meta in root.glob("*/new/benchmark.json"):
    if json.loads(meta.read_text()).get("full_id") == want:
        est = meta.parent / "estimates.json"
        # A result older than this round is a left-over of an earlier
        # run (the filter skipped the case): no value.
        if est.stat().st_mtime < since:
            break
        ns = json.loads(est.read_text())["median"]["point_estimate"]
        print(f"{1e9 / ns:.1f}")
        break
else:
    print(0)
PY
}
declare -A vals
for ((round = 1; round <= rounds; round++)); do
    started=$(date +%s)
    cargo bench --locked --bench ec -- --warm-up-time 1 --measurement-time "$secs" --noplot ${filter:+"$filter"} >&2
    [ -d "$criterion" ] || { echo "no criterion output under $criterion" >&2; exit 1; }
    for op in ecdsa-p256-sign ecdsa-p256-verify ecdh-p256 keygen-p256 ecdsa-p384-sign ecdsa-p384-verify ecdh-p384 keygen-p384 \
    ecdsa-secp256k1-sign ecdsa-secp256k1-verify ecdh-secp256k1 keygen-secp256k1; do
        for who in purecrypto rustcrypto ring; do
            vals[$op/$who]+=" $(ops "$op" "$who" "$started")"
        done
    done
    openssl_round
done

# The median of a column's rounds, and "min..max" when there were several.
median() { python3 -c 'import statistics, sys; v = [float(x) for x in sys.argv[1:]] or [0]; print(f"{statistics.median(v):.1f}")' $1; }
spread() { python3 -c 'import sys; v = [float(x) for x in sys.argv[1:]]; print(f"{min(v):.0f}..{max(v):.0f}" if len(v) > 1 else "")' $1; }
ratio() { python3 -c "a,b=float('$1'),float('$2'); print(f'{a/b:.2f}' if b else '-')"; }

printf '%-24s %10s %10s %10s %10s %8s %8s %8s  %s\n' operation 'ours op/s' 'rc op/s' 'ring op/s' 'ossl op/s' ours/rc ours/ring ours/ossl 'spread ours / ossl'
for op in ecdsa-p256-sign ecdsa-p256-verify ecdh-p256 keygen-p256 ecdsa-p384-sign ecdsa-p384-verify ecdh-p384 keygen-p384 \
    ecdsa-secp256k1-sign ecdsa-secp256k1-verify ecdh-secp256k1 keygen-secp256k1; do
    ours=$(median "${vals[$op/purecrypto]:-0}"); rc=$(median "${vals[$op/rustcrypto]:-0}")
    ring=$(median "${vals[$op/ring]:-0}"); o=$(median "${vals[$op/openssl]:-0}")
    printf '%-24s %10s %10s %10s %10s %8s %8s %8s  %s\n' "$op" "$ours" "$rc" "$ring" "$o" \
        "$(ratio "$ours" "$rc")" "$(ratio "$ours" "$ring")" "$(ratio "$ours" "$o")" \
        "$(spread "${vals[$op/purecrypto]:-0}") / $(spread "${vals[$op/openssl]:-0}")"
done
