#!/usr/bin/env bash
# Bulk TLS throughput, ours against OpenSSL's, measured in one run: one
# file of SIZE MiB (default 1024) fetched over loopback with TLS 1.3, once
# per AEAD (AES-128-GCM, ChaCha20-Poly1305) and role.
#
#   bench/compare-tls-bulk.sh [SIZE_MIB] [ROUNDS]
#
# Server rows: the same client fetches the file from `openssl s_server
# -WWW` and from `purecrypto s_server -WWW`. That client is ours: `openssl
# s_client -quiet` tops out below either server here (~170 MiB/s against
# ~300 for ours), so with it both server columns would show its limit.
# Client rows: `openssl s_client` and `purecrypto s_client` fetch it from
# the same `openssl s_server -WWW`. The other side costs the same in both
# columns, so a ratio above 1 means our side moves the bytes faster. Each
# figure is the best of ROUNDS (default 3) fetches; every fetch is checked
# to deliver the whole file. On a 2-core machine client and server each
# get a core.
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-1024}
rounds=${2:-3}
target=${CARGO_TARGET_DIR:-target}
data=$PWD/tests/data/tls

command -v openssl >/dev/null || { echo "compare-tls-bulk: needs openssl (s_server and s_client)" >&2; exit 1; }
cargo build --locked --release --bin purecrypto >&2
ours_bin=$PWD/$target/release/purecrypto
[ -x "$ours_bin" ] || ours_bin=$target/release/purecrypto

site=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$site"
}
trap cleanup EXIT
head -c "$((mib * 1024 * 1024))" /dev/urandom >"$site/bulk.bin"
# What `-WWW` puts before the file.
expected=$((mib * 1024 * 1024 + $(printf 'HTTP/1.0 200 ok\r\nContent-type: text/plain\r\n\r\n' | wc -c)))

# free_port, wait_port
source bench/loopback.sh

# serve NAME SUITE: starts that server on a free port in the site dir;
# prints the port.
serve() {
    local port
    port=$(free_port)
    case $1 in
        openssl) (cd "$site" && exec openssl s_server -WWW -quiet -accept "127.0.0.1:$port" -tls1_3 \
            -ciphersuites "$2" -cert "$data/p256.crt.pem" -key "$data/p256.key.pem" >/dev/null 2>&1) & ;;
        ours) (cd "$site" && exec "$ours_bin" s_server -WWW -quiet -accept "127.0.0.1:$port" -tls1_3 \
            -ciphersuites "$2" -cert "$data/p256.crt.pem" -key "$data/p256.key.pem" >/dev/null 2>&1) & ;;
    esac
    pids+=($!)
    wait_port "$port" >&2
    echo "$port"
}

# fetch CLIENT PORT: seconds for one whole fetch (fails on a short one).
fetch() {
    local start end got
    start=$(date +%s.%N)
    case $1 in
        openssl) got=$(printf 'GET /bulk.bin HTTP/1.0\r\n\r\n' |
            openssl s_client -quiet -connect "127.0.0.1:$2" 2>/dev/null | wc -c) ;;
        ours) got=$(printf 'GET /bulk.bin HTTP/1.0\r\n\r\n' |
            "$ours_bin" s_client -quiet -connect "127.0.0.1:$2" 2>/dev/null | wc -c) ;;
    esac
    end=$(date +%s.%N)
    [ "$got" -eq "$expected" ] || { echo "compare-tls-bulk: $1 client got $got of $expected bytes" >&2; exit 1; }
    python3 -c "print($end - $start)"
}

# best CLIENT PORT: MiB/s of the fastest of ROUNDS fetches.
best() {
    local t fastest=
    for _ in $(seq "$rounds"); do
        t=$(fetch "$1" "$2")
        fastest=$(python3 -c "print(min(float('$t'), float('${fastest:-inf}')))")
    done
    python3 -c "print(f'{$mib / $fastest:.0f}')"
}

ratio() { python3 -c "a,b=float('$1'),float('$2'); print(f'{a/b:.2f}' if b else '-')"; }
printf '%-34s %10s %12s %10s\n' "TLS 1.3, $mib MiB, best of $rounds" 'ours MiB/s' 'openssl MiB/s' ours/ossl
for suite in TLS_AES_128_GCM_SHA256 TLS_CHACHA20_POLY1305_SHA256; do
    openssl_port=$(serve openssl "$suite")
    ours_port=$(serve ours "$suite")
    server_ours=$(best ours "$ours_port")
    server_openssl=$(best ours "$openssl_port")
    client_ours=$(best ours "$openssl_port")
    client_openssl=$(best openssl "$openssl_port")
    printf '%-34s %10s %12s %10s\n' "server $suite" "$server_ours" "$server_openssl" "$(ratio "$server_ours" "$server_openssl")"
    printf '%-34s %10s %12s %10s\n' "client $suite" "$client_ours" "$client_openssl" "$(ratio "$client_ours" "$client_openssl")"
done
