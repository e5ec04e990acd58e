#!/usr/bin/env bash
# Runs the elliptic-curve criterion bench (purecrypto, RustCrypto p256 /
# p384 / k256, ring) and `openssl speed -elapsed ecdsap256 ecdsap384
# ecdhp256` in one go and prints operations per second and ours/peer
# ratios (criterion medians, which shrug off load spikes better than
# means). Criterion's output is found where cargo put it (so
# CARGO_TARGET_DIR, absolute or relative, and CRITERION_HOME work) and
# matched by benchmark id, not by a guessed directory name.
#
#   bench/compare-ec.sh [SECONDS]
#
# SECONDS is criterion's measurement time per case and openssl's
# -seconds (default 3).
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

cargo bench --locked --bench ec -- --warm-up-time 1 --measurement-time "$secs" --noplot >&2

# Where criterion wrote its estimates: $CRITERION_HOME, else the target
# directory cargo itself used (CARGO_TARGET_DIR, a config's
# build.target-dir, or bench/target), as criterion resolves it.
if [ -n "${CRITERION_HOME:-}" ]; then
    criterion=$CRITERION_HOME
else
    criterion=$(cargo metadata --locked --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/criterion
fi
[ -d "$criterion" ] || { echo "no criterion output under $criterion" >&2; exit 1; }

declare -A ossl
if command -v openssl >/dev/null; then
    # -elapsed: wall-clock time, as criterion measures ours.
    out=$(openssl speed -elapsed -seconds "$secs" ecdsap256 ecdsap384 ecdhp256 2>/dev/null)
    # " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  44963.0  15462.1"
    ossl[ecdsa-p256-sign]=$(echo "$out" | awk '/bits ecdsa \(nistp256\)/ {print $(NF-1)}')
    ossl[ecdsa-p256-verify]=$(echo "$out" | awk '/bits ecdsa \(nistp256\)/ {print $NF}')
    ossl[ecdsa-p384-sign]=$(echo "$out" | awk '/bits ecdsa \(nistp384\)/ {print $(NF-1)}')
    ossl[ecdsa-p384-verify]=$(echo "$out" | awk '/bits ecdsa \(nistp384\)/ {print $NF}')
    ossl[ecdh-p256]=$(echo "$out" | awk '/bits ecdh \(nistp256\)/ {print $NF}')
else
    echo "SKIPPED: openssl not installed (no openssl column)" >&2
fi

# Criterion names a result's directory after its id with `/` made `_`
# (`ecdsa-p256-sign_purecrypto`) when the id is a plain function name, so
# look results up by the `full_id` each `benchmark.json` records instead
# of guessing the path.
ops() {
    python3 - "$criterion" "$1/$2" <<'PY'
import json, pathlib, sys
root, want = pathlib.Path(sys.argv[1]), sys.argv[2]
for meta in root.glob("*/new/benchmark.json"):
    if json.loads(meta.read_text()).get("full_id") == want:
        ns = json.loads((meta.parent / "estimates.json").read_text())["median"]["point_estimate"]
        print(f"{1e9 / ns:.1f}")
        break
else:
    print(0)
PY
}
ratio() { python3 -c "a,b=float('$1'),float('$2'); print(f'{a/b:.2f}' if b else '-')"; }

printf '%-22s %10s %10s %10s %10s %8s %8s %8s\n' operation 'ours op/s' 'rc op/s' 'ring op/s' 'ossl op/s' ours/rc ours/ring ours/ossl
for op in ecdsa-p256-sign ecdsa-p256-verify ecdh-p256 ecdsa-p384-sign ecdsa-p384-verify ecdh-p384 \
    ecdsa-secp256k1-sign ecdsa-secp256k1-verify ecdh-secp256k1; do
    ours=$(ops "$op" purecrypto); rc=$(ops "$op" rustcrypto); ring=$(ops "$op" ring)
    o=${ossl[$op]:-0}
    printf '%-22s %10s %10s %10s %10s %8s %8s %8s\n' "$op" "$ours" "$rc" "$ring" "$o" \
        "$(ratio "$ours" "$rc")" "$(ratio "$ours" "$ring")" "$(ratio "$ours" "$o")"
done
