#!/usr/bin/env bash
# Usage: [RUNS=N] rsurl/bench/compare.sh [SIZE_MIB]
#
# rsurl against curl, side by side in one run, same machine, same local
# nginx (started by ci-templates/peers/nginx): wall time and peak RSS for
# a SIZE_MIB download (default 1024), 1000 small requests over one
# keep-alive connection, and -Z of 100 files. Prints ours/curl ratios
# (below 1.0 is faster / smaller). Each figure is the median of RUNS runs
# (default 7), rsurl and curl alternating.
# The HTTPS rows use TLS 1.3 with AES-128-GCM, verified against nginx's CA.
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-1024}
runs=${RUNS:-7}
cargo build --release --quiet --manifest-path rsurl/Cargo.toml
target=$(cargo metadata --format-version 1 --no-deps --manifest-path rsurl/Cargo.toml |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
rsurl="$target/release/rsurl"
curl=/usr/bin/curl

eval "$(ci-templates/peers/nginx start)"
trap 'ci-templates/peers/nginx stop "$DIR" >/dev/null 2>&1 || true' EXIT
head -c $((size << 20)) /dev/urandom >"$DOCROOT/big.bin"
for i in $(seq 1 100); do head -c 100000 /dev/urandom >"$DOCROOT/f$i.bin"; done
echo "small" >"$DOCROOT/small.txt"
base="http://127.0.0.1:$HTTP_PORT"
work=$(mktemp -d)
trap 'ci-templates/peers/nginx stop "$DIR" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# once PROGRAM ARGS...: prints "seconds peak_kib cpu_seconds" of one run
# (CPU: user + system, steadier than wall time on a busy machine).
once() {
  local t0=$EPOCHREALTIME
  if ! /usr/bin/time -o "$work/time" -f '%M %U %S' "$@" >/dev/null 2>"$work/err"; then
    echo "failed: $* ($(tail -2 "$work/err" | tr '\n' ' '))" >&2
    exit 1
  fi
  # Wall time from the shell's microsecond clock (time's %e has 10 ms steps).
  echo "$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.4f", b-a}') $(tail -1 "$work/time" | awk '{printf "%s %.2f", $1, $2 + $3}')"
}

# row NAME ARGS...: RUNS runs of each client, alternating (so load
# changes hit both alike); prints the medians and their ratios.
row() {
  local name=$1; shift
  local ours="" theirs=""
  for _ in $(seq "$runs"); do
    ours+="$(cd "$work" && once "$rsurl" "$@")"$'\n'
    theirs+="$(cd "$work" && once "$curl" "$@")"$'\n'
  done
  python3 - "$name" "$ours" "$theirs" <<'PY'
import statistics, sys
name, a, b = sys.argv[1], sys.argv[2], sys.argv[3]
def med(text, col):
    return statistics.median(float(l.split()[col]) for l in text.split("\n") if l.strip())
t, m = med(a, 0) / med(b, 0), med(a, 1) / med(b, 1)
c = f"{med(a, 2) / med(b, 2):.2f}x" if med(b, 2) > 0 else "-"
print(f"{name:<38} rsurl {med(a, 0):7.4f}s {med(a, 1):6.0f} KiB {med(a, 2):5.2f}s cpu"
      f" | curl {med(b, 0):7.4f}s {med(b, 1):6.0f} KiB {med(b, 2):5.2f}s cpu | time {t:.2f}x rss {m:.2f}x cpu {c}")
PY
}

echo "rsurl vs curl ($($curl --version | head -1 | cut -d' ' -f1-2)), nginx on 127.0.0.1, medians of $runs alternating runs"
row "download ${size} MiB (HTTP)" -s -o /dev/null "$base/big.bin"
row "1000 small requests, keep-alive" -s -o /dev/null "$base/small.txt?[1-1000]"
urls=(); for i in $(seq 1 100); do urls+=("$base/f$i.bin"); done
row "-Z 100 files of 100 kB" -s -Z -o /dev/null "${urls[@]}"

# HTTPS: TLS 1.3 with AES-128-GCM for both clients, certificate verified
# against the throwaway CA. nginx offers h2 by ALPN, which both clients
# take by default; --http1.1 rows measure the HTTP/1.1 path.
tls=(--cacert "$CA" --tls13-ciphers TLS_AES_128_GCM_SHA256)
sbase="https://localhost:$PORT"
resolve=(--resolve "localhost:$PORT:127.0.0.1")
row "download ${size} MiB (HTTPS, h2)" -s -o /dev/null "${tls[@]}" "${resolve[@]}" "$sbase/big.bin"
row "download ${size} MiB (HTTPS, http/1.1)" -s -o /dev/null --http1.1 "${tls[@]}" "${resolve[@]}" "$sbase/big.bin"
row "1000 small requests (HTTPS, h2)" -s -o /dev/null "${tls[@]}" "${resolve[@]}" "$sbase/small.txt?[1-1000]"
row "1000 small requests (HTTPS, http/1.1)" -s -o /dev/null --http1.1 "${tls[@]}" "${resolve[@]}" "$sbase/small.txt?[1-1000]"
surls=(); for i in $(seq 1 100); do surls+=("$sbase/f$i.bin"); done
row "-Z 100 files of 100 kB (HTTPS)" -s -Z -o /dev/null "${tls[@]}" "${resolve[@]}" "${surls[@]}"
