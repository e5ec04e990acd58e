#!/usr/bin/env bash
# Server-side TLS handshakes per second, ours against OpenSSL's, measured
# in one run: the same client (`openssl s_time`, fetching `/` from the
# `-www` status page) against `openssl s_server -www` and then against
# `purecrypto s_server -www`, both single-threaded on loopback with the
# ECDSA P-256 test certificate and X25519. Rows: full handshakes (`-new`)
# and resumed ones (`-reuse`), TLS 1.3 and TLS 1.2; ratio = ours / openssl.
#
#   bench/compare-tls-server.sh [SECONDS]
#
# SECONDS is s_time's -time per row and server (default 5). The client
# costs the same in both columns, so a ratio above 1 means our server
# side is cheaper; on a 2-core machine client and server each get a core.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
target=${CARGO_TARGET_DIR:-target}
data=tests/data/tls

command -v openssl >/dev/null || { echo "compare-tls-server: needs openssl (s_server and s_time)" >&2; exit 1; }
cargo build --locked --release --bin purecrypto >&2
ours_bin=$target/release/purecrypto

# free_port, wait_port
source bench/loopback.sh

# rate PORT MODE VERSION: connections per real second from s_time.
rate() {
    # "1234 connections in 5 real seconds, 1510 bytes read per connection"
    openssl s_time -connect "127.0.0.1:$1" "-$2" "-$3" -time "$secs" -www / 2>/dev/null |
        awk '/connections in .* real seconds/ { printf "%.1f\n", $1 / $4; found = 1 } END { if (!found) print 0 }'
}

# measure NAME COMMAND...: starts the server, prints one rate per row.
declare -A result
measure() {
    local name=$1; shift
    local port pid
    port=$(free_port)
    "$@" -accept "127.0.0.1:$port" >/dev/null 2>&1 &
    pid=$!
    wait_port "$port"
    for version in tls1_3 tls1_2; do
        for mode in new reuse; do
            result[$name/$version/$mode]=$(rate "$port" "$mode" "$version")
        done
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

measure openssl openssl s_server -www -quiet -cert "$data/p256.crt.pem" -key "$data/p256.key.pem" -groups X25519
measure ours "$ours_bin" s_server -www -quiet -cert "$data/p256.crt.pem" -key "$data/p256.key.pem" -groups x25519

ratio() { python3 -c "a,b=float('$1'),float('$2'); print(f'{a/b:.2f}' if b else '-')"; }
printf '%-22s %12s %12s %10s\n' 'handshakes (P-256)' 'ours/s' 'openssl/s' ours/ossl
for version in tls1_3 tls1_2; do
    for mode in new reuse; do
        o=${result[ours/$version/$mode]}; p=${result[openssl/$version/$mode]}
        printf '%-22s %12s %12s %10s\n' "$version $mode" "$o" "$p" "$(ratio "$o" "$p")"
    done
done
