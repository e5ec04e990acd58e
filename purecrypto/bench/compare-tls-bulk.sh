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
#
# The common client caps the server rows' wall-clock figures (both servers
# wait on it), so the server rows also print each server's own CPU time
# (user + system, from /proc, over the whole fetch) as MiB per CPU second:
# the throughput one core of that server sustains, which the client does
# not limit. Best of ROUNDS too.
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
cleanup() {
    # `serve` runs in a command substitution, so its servers' pids are in
    # files, not in a variable of this shell.
    for f in "$site"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
    rm -rf "$site"
}
trap cleanup EXIT
head -c "$((mib * 1024 * 1024))" /dev/urandom >"$site/bulk.bin"
# What `-WWW` puts before the file.
expected=$((mib * 1024 * 1024 + $(printf 'HTTP/1.0 200 ok\r\nContent-type: text/plain\r\n\r\n' | wc -c)))

# free_port, wait_port
source bench/loopback.sh

# serve NAME SUITE: starts that server on a free port in the site dir;
# prints the port (its pid is in $site/PORT.pid).
serve() {
    local port
    port=$(free_port)
    case $1 in
        openssl) (cd "$site" && exec openssl s_server -WWW -quiet -accept "127.0.0.1:$port" -tls1_3 \
            -ciphersuites "$2" -cert "$data/p256.crt.pem" -key "$data/p256.key.pem" >/dev/null 2>&1) & ;;
        ours) (cd "$site" && exec "$ours_bin" s_server -WWW -quiet -accept "127.0.0.1:$port" -tls1_3 \
            -ciphersuites "$2" -cert "$data/p256.crt.pem" -key "$data/p256.key.pem" >/dev/null 2>&1) & ;;
    esac
    echo $! >"$site/$port.pid"
    wait_port "$port" >&2
    echo "$port"
}

# cpu_ticks PORT: user + system clock ticks of the server on PORT so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$(cat "$site/$1.pid")/stat"; }

# fetch CLIENT PORT: "WALL CPU" seconds for one whole fetch (fails on a
# short one), CPU being the server's.
fetch() {
    local start end got ticks_before ticks_after
    ticks_before=$(cpu_ticks "$2")
    start=$(date +%s.%N)
    case $1 in
        openssl) got=$(printf 'GET /bulk.bin HTTP/1.0\r\n\r\n' |
            openssl s_client -quiet -connect "127.0.0.1:$2" 2>/dev/null | wc -c) ;;
        ours) got=$(printf 'GET /bulk.bin HTTP/1.0\r\n\r\n' |
            "$ours_bin" s_client -quiet -connect "127.0.0.1:$2" 2>/dev/null | wc -c) ;;
    esac
    end=$(date +%s.%N)
    ticks_after=$(cpu_ticks "$2")
    [ "$got" -eq "$expected" ] || { echo "compare-tls-bulk: $1 client got $got of $expected bytes" >&2; exit 1; }
    python3 -c "print($end - $start, ($ticks_after - $ticks_before) / $(getconf CLK_TCK))"
}

# best CLIENT PORT: "WALL CPU" in MiB/s (wall) and MiB per server CPU
# second, each of the fastest of ROUNDS fetches.
best() {
    local t wall= cpu=
    for _ in $(seq "$rounds"); do
        t=$(fetch "$1" "$2")
        wall=$(python3 -c "print(min(float('${t% *}'), float('${wall:-inf}')))")
        cpu=$(python3 -c "print(min(float('${t#* }'), float('${cpu:-inf}')))")
    done
    python3 -c "print(f'{$mib / $wall:.0f} {$mib / max($cpu, 0.01):.0f}')"
}

ratio() { python3 -c "a,b=float('$1'),float('$2'); print(f'{a/b:.2f}' if b else '-')"; }
row() { printf '%-40s %10s %12s %10s\n' "$@"; }
row "TLS 1.3, $mib MiB, best of $rounds" 'ours MiB/s' 'openssl MiB/s' ours/ossl
for suite in TLS_AES_128_GCM_SHA256 TLS_CHACHA20_POLY1305_SHA256; do
    openssl_port=$(serve openssl "$suite")
    ours_port=$(serve ours "$suite")
    read -r server_ours server_ours_cpu < <(best ours "$ours_port")
    read -r server_openssl server_openssl_cpu < <(best ours "$openssl_port")
    read -r client_ours _ < <(best ours "$openssl_port")
    read -r client_openssl _ < <(best openssl "$openssl_port")
    row "server $suite" "$server_ours" "$server_openssl" "$(ratio "$server_ours" "$server_openssl")"
    row "server $suite, per CPU s" "$server_ours_cpu" "$server_openssl_cpu" \
        "$(ratio "$server_ours_cpu" "$server_openssl_cpu")"
    row "client $suite" "$client_ours" "$client_openssl" "$(ratio "$client_ours" "$client_openssl")"
done
