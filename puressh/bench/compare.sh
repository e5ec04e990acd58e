#!/usr/bin/env bash
# Usage: puressh/bench/compare.sh [SIZE_MIB]
#
# `puressh ssh` against OpenSSH's `ssh`, side by side in one run, same
# machine, same local sshd (started by ci-templates/peers/sshd), same key,
# known_hosts and options: for chacha20-poly1305@openssh.com and
# aes128-gcm@openssh.com, SIZE_MIB (default 1024) uploaded through
# `cat > /dev/null` and downloaded by `cat FILE` (best of 3), and the wall
# time of connect + key exchange + auth + `true` (best of 10), the two
# clients' runs alternating. Prints
# ours/OpenSSH ratios measured in this run: for throughput above 1.0 means
# puressh is faster, for time and peak RSS below 1.0 means puressh is
# faster / smaller. Both clients run with -F /dev/null and no agent.
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-1024}
cargo build --release --quiet --manifest-path puressh/Cargo.toml --bin puressh
target=$(cargo metadata --format-version 1 --no-deps --manifest-path puressh/Cargo.toml |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
puressh="$target/release/puressh"
openssh=/usr/bin/ssh
unset SSH_AUTH_SOCK

eval "$(ci-templates/peers/sshd start)"
work=$(mktemp -d)
trap 'ci-templates/peers/sshd stop "$DIR" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
file="$work/big.bin"
head -c $((size << 20)) /dev/urandom >"$file"

# Options both clients get.
common=(-F /dev/null -p "$PORT" -i "$KEY" -o "UserKnownHostsFile=$KNOWN_HOSTS" -o StrictHostKeyChecking=yes -o BatchMode=yes)
client() { # client NAME: the command line prefix of one client
  case $1 in
    puressh) echo "$puressh ssh" ;;
    openssh) echo "$openssh" ;;
  esac
}

# timed OUT_FILE CMD...: runs CMD under /usr/bin/time, writes
# "seconds peak_kib status" (wall clock from date, to the nanosecond).
timed() {
  local out=$1; shift
  local start end status=0
  start=$(date +%s%N)
  /usr/bin/time -o "$work/time" -f '%M' "$@" || status=$?
  end=$(date +%s%N)
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.4f", (b-a)/1e9}') $(tail -1 "$work/time") $status" >"$out"
}

# pick BEST LINE: prints the faster of two "seconds peak_kib" figures
# ("" for none yet; LINE is "seconds peak_kib status", ignored unless
# status is 0).
pick() {
  local best=$1 line=$2
  [ "${line##* }" = 0 ] || { echo "$best"; return; }
  line=${line% *}
  if [ -z "$best" ] || awk -v a="$line" -v b="$best" 'BEGIN{split(a,x," ");split(b,y," ");exit !(x[1]<y[1])}'; then
    echo "$line"
  else
    echo "$best"
  fi
}

upload() { # upload CLIENT CIPHER
  # shellcheck disable=SC2046
  cat "$file" | timed "$work/one" $(client "$1") "${common[@]}" -o "Ciphers=$2" "$USER@127.0.0.1" 'cat > /dev/null'
}
download() {
  # shellcheck disable=SC2046
  timed "$work/one" $(client "$1") "${common[@]}" -o "Ciphers=$2" "$USER@127.0.0.1" "cat $file" >/dev/null </dev/null
}
login() { # login CLIENT CIPHER [MORE OPTIONS]
  local who=$1 cipher=$2; shift 2
  # shellcheck disable=SC2046
  timed "$work/one" $(client "$who") "${common[@]}" -o "Ciphers=$cipher" "$@" "$USER@127.0.0.1" true </dev/null
}

# row NAME KIND(mibs|ms) N FUNCTION ARGS...: both clients N times,
# alternating (puressh, OpenSSH, puressh, ...) so that load from other
# processes on this shared machine falls on both; the best run of each.
row() {
  local name=$1 kind=$2 n=$3 fn=$4; shift 4
  local ours="" theirs=""
  for _ in $(seq "$n"); do
    "$fn" puressh "$@"
    ours=$(pick "$ours" "$(cat "$work/one")")
    "$fn" openssh "$@"
    theirs=$(pick "$theirs" "$(cat "$work/one")")
  done
  ours=${ours:-fail} theirs=${theirs:-fail}
  awk -v n="$name" -v k="$kind" -v a="$ours" -v b="$theirs" -v mib="$size" 'BEGIN{
    if (a == "fail" || b == "fail") { printf "%-52s puressh %s | OpenSSH %s\n", n, a, b; exit }
    split(a,x," "); split(b,y," "); m = x[2]/y[2];
    if (k == "mibs") printf "%-52s %9.1f MiB/s %8d KiB | %9.1f MiB/s %8d KiB | %5.2fx | rss %5.2fx\n", n, mib/x[1], x[2], mib/y[1], y[2], y[1]/x[1], m;
    else printf "%-52s %9.1f ms    %8d KiB | %9.1f ms    %8d KiB | %5.2fx | rss %5.2fx\n", n, x[1]*1000, x[2], y[1]*1000, y[2], x[1]/y[1], m }'
}

echo "puressh ssh vs $($openssh -V 2>&1 | cut -d, -f1), sshd on 127.0.0.1, $(nproc) CPUs, $size MiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "throughput rows: best of 3, ratio = ours/OpenSSH throughput (>1.0: puressh faster)"
echo "login rows: best of 10, ratio = ours/OpenSSH wall time (<1.0: puressh faster); rss: ours/OpenSSH peak RSS (<1.0: smaller)"
printf '%-52s %-30s | %-30s | %-6s |\n' "" "puressh" "OpenSSH" "ratio"
for cipher in chacha20-poly1305@openssh.com aes128-gcm@openssh.com; do
  # Once, untimed: the bytes arrive intact both ways.
  "$puressh" ssh "${common[@]}" -o "Ciphers=$cipher" "$USER@127.0.0.1" "cat $file" </dev/null | cmp - "$file" ||
    { echo "compare: puressh download ($cipher) differs" >&2; exit 1; }
  "$puressh" ssh "${common[@]}" -o "Ciphers=$cipher" "$USER@127.0.0.1" "cmp - $file" <"$file" ||
    { echo "compare: puressh upload ($cipher) differs" >&2; exit 1; }
  row "upload $size MiB ($cipher)" mibs 3 upload "$cipher"
  row "download $size MiB ($cipher)" mibs 3 download "$cipher"
done
row "connect+auth+true (chacha20-poly1305)" ms 10 login chacha20-poly1305@openssh.com
row "connect+auth+true (aes128-gcm)" ms 10 login aes128-gcm@openssh.com
# The rows above use the default key exchange (sntrup761x25519-sha512 for
# both: OpenSSH 9.2 has no mlkem768x25519); this one isolates the rest.
row "connect+auth+true (chacha20, curve25519-sha256)" ms 10 login chacha20-poly1305@openssh.com \
  -o KexAlgorithms=curve25519-sha256
