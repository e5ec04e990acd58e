#!/usr/bin/env bash
# Runs the elliptic-curve criterion bench (purecrypto, RustCrypto p256 /
# p384 / k256, ring) and `openssl speed ecdsap256 ecdsap384 ecdhp256` in
# one go and prints operations per second and ours/peer ratios
# (criterion medians, which shrug off load spikes better than means).
#
#   bench/compare-ec.sh [SECONDS]
#
# SECONDS is criterion's measurement time per case and openssl's
# -seconds (default 3).
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-3}
target=${CARGO_TARGET_DIR:-target}

cargo bench --locked --bench ec -- --warm-up-time 1 --measurement-time "$secs" --noplot >&2

declare -A ossl
if command -v openssl >/dev/null; then
    out=$(openssl speed -seconds "$secs" ecdsap256 ecdsap384 ecdhp256 2>/dev/null)
    # " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  44963.0  15462.1"
    ossl[ecdsa-p256-sign]=$(echo "$out" | awk '/bits ecdsa \(nistp256\)/ {print $(NF-1)}')
    ossl[ecdsa-p256-verify]=$(echo "$out" | awk '/bits ecdsa \(nistp256\)/ {print $NF}')
    ossl[ecdsa-p384-sign]=$(echo "$out" | awk '/bits ecdsa \(nistp384\)/ {print $(NF-1)}')
    ossl[ecdsa-p384-verify]=$(echo "$out" | awk '/bits ecdsa \(nistp384\)/ {print $NF}')
    ossl[ecdh-p256]=$(echo "$out" | awk '/bits ecdh \(nistp256\)/ {print $NF}')
else
    echo "SKIPPED: openssl not installed (no openssl column)" >&2
fi

ops() {
    local f="$target/criterion/$1/$2/new/estimates.json"
    [ -f "$f" ] || { echo 0; return; }
    python3 -c "import json,sys; ns=json.load(open(sys.argv[1]))['median']['point_estimate']; print(f'{1e9/ns:.1f}')" "$f"
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
