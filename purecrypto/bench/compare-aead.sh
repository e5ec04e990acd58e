#!/usr/bin/env bash
# Runs the AEAD criterion benches (purecrypto, RustCrypto, ring) and
# `openssl speed -evp` in one go and prints throughput and ours/peer ratios
# per algorithm and size (criterion medians, which shrug off load spikes
# better than means).
#
#   bench/compare-aead.sh [SECONDS] [SIZES...]
#
# SECONDS is criterion's measurement time per case and openssl's -seconds
# (default 2); SIZES default to 16 64 256 1024 8192 16384.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-2}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(16 64 256 1024 8192 16384)
filter="/($(IFS='|'; echo "${sizes[*]}"))\$"
target=${CARGO_TARGET_DIR:-target}

cargo bench --locked --bench aead -- --warm-up-time 1 --measurement-time "$secs" --noplot "$filter" >&2

declare -A openssl_kbs
if command -v openssl >/dev/null; then
    for alg in aes-128-gcm aes-256-gcm chacha20-poly1305; do
        for size in "${sizes[@]}"; do
            # The last line of `openssl speed` is "<alg> <N>.<M>k" in 1000s of bytes/s.
            line=$(openssl speed -evp "$alg" -seconds "$secs" -bytes "$size" 2>/dev/null | tail -1)
            openssl_kbs[$alg/$size]=$(echo "$line" | awk '{print $NF}' | tr -d k)
        done
    done
else
    echo "SKIPPED: openssl not installed (no openssl column)" >&2
fi

printf '%-18s %6s %10s %10s %10s %10s %8s %8s %8s\n' alg size 'ours MB/s' 'rc MB/s' 'ring MB/s' 'ossl MB/s' ours/rc ours/ring ours/ossl
for alg in aes-128-gcm aes-256-gcm chacha20-poly1305; do
    for size in "${sizes[@]}"; do
        mbs() {
            local f="$target/criterion/$alg/$1/$size/new/estimates.json"
            [ -f "$f" ] || { echo 0; return; }
            python3 -c "import json,sys; ns=json.load(open(sys.argv[1]))['median']['point_estimate']; print(f'{$size/ns*1e3:.1f}')" "$f"
        }
        ours=$(mbs purecrypto); rc=$(mbs rustcrypto); ring=$(mbs ring)
        ossl=$(python3 -c "print(f'{float(\"${openssl_kbs[$alg/$size]:-0}\")/1000:.1f}')")
        ratio() { python3 -c "a,b=float('$1'),float('$2'); print(f'{a/b:.2f}' if b else '-')"; }
        printf '%-18s %6s %10s %10s %10s %10s %8s %8s %8s\n' "$alg" "$size" "$ours" "$rc" "$ring" "$ossl" \
            "$(ratio "$ours" "$rc")" "$(ratio "$ours" "$ring")" "$(ratio "$ours" "$ossl")"
    done
done
