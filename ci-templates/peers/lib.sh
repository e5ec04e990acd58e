# Shared functions of the peer scripts (sourced, not run).
#
# A peer script is `peers/<name> install|start|stop DIR`:
#   install  apt-get installs the peer when it is absent;
#   start    installs if needed, starts the peer on 127.0.0.1 at a free high
#            port with a config generated into a fresh temp dir, and prints
#            KEY=VALUE lines (always PORT=, PID=, DIR=) for tests to read;
#   stop DIR kills exactly the PID recorded in DIR and removes DIR.
# Daemons run in the foreground of their own session with stdin, stdout and
# stderr redirected, so the caller's pipes close when `start` returns.

set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# need_packages PKG...: installs the Debian packages that are missing.
need_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "peers: installing ${missing[*]}" >&2
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_tcp PORT PID: waits up to 10 s for PORT to accept; fails early if PID died.
wait_tcp() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# work_dir NAME: a fresh temp dir that daemons dropping privileges can traverse.
work_dir() {
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/peer-$1-XXXXXX")
  chmod 755 "$dir"
  echo "$dir"
}

# launch DIR COMMAND...: starts COMMAND in its own session, logs to DIR/log,
# records its PID in DIR/pid and prints it.
launch() {
  local dir=$1; shift
  setsid "$@" </dev/null >"$dir/log" 2>&1 &
  echo $! >"$dir/pid"
  echo $!
}

# started DIR PORT PID [KEY=VALUE...]: waits for the port, prints the lines.
started() {
  local dir=$1 port=$2 pid=$3; shift 3
  if ! wait_tcp "$port" "$pid"; then
    echo "peers: $(basename "$dir") did not start; its log:" >&2
    cat "$dir/log" >&2
    stop_peer "$dir"
    exit 1
  fi
  printf 'PORT=%s\nPID=%s\nDIR=%s\n' "$port" "$pid" "$dir"
  for kv in "$@"; do printf '%s\n' "$kv"; done
}

# stop_peer DIR: kills the recorded PID (TERM, then KILL) and removes DIR.
stop_peer() {
  local dir=${1:?stop needs the DIR printed by start}
  [ -d "$dir" ] || return 0
  case $dir in "${TMPDIR:-/tmp}"/peer-*) ;; *) echo "peers: refusing to remove $dir" >&2; return 1 ;; esac
  if [ -f "$dir/pid" ]; then
    local pid
    pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

# make_ca DIR: a throwaway CA and a server certificate for localhost and
# 127.0.0.1 signed by it (ECDSA P-256), as DIR/ca.crt, DIR/server.{crt,key}.
make_ca() {
  local dir=$1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=peers throwaway CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' >"$dir/ext.cnf"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$dir/ext.cnf" -out "$dir/server.crt" 2>/dev/null
  chmod 644 "$dir"/*.key   # test-only keys; daemons read them after dropping privileges
}

# peer_main INSTALL_FN START_FN "$@": the subcommand dispatcher.
peer_main() {
  local install=$1 start=$2; shift 2
  case ${1:-} in
    install) "$install" ;;
    start) "$install"; "$start" ;;
    stop) stop_peer "${2:-}" ;;
    *) echo "usage: $(basename "$0") install|start|stop DIR" >&2; exit 2 ;;
  esac
}
