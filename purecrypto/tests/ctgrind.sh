#!/usr/bin/env bash
# Secret-independence ("ctgrind") check: builds the integration test
# binary and runs its payload under valgrind memcheck, with keys, nonces
# and messages marked undefined. Any branch or address that depends on
# them fails the run (exit 1). Pass RUSTFLAGS='--cfg purecrypto_backend="soft"'
# to check the portable backends instead of the accelerated ones.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "SKIPPED: valgrind not installed" >&2; [ -z "${CI:-}" ] || exit 1; exit 0; }
exe=$(cargo test --locked --test all --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json,sys
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="all" and m.get("executable"): print(m["executable"])' | tail -1)
PURECRYPTO_UNDER_VALGRIND=1 valgrind --error-exitcode=1 --track-origins=yes "$exe" \
    --exact ctgrind::payload --test-threads=1
echo "ctgrind: no secret-dependent branch or address found"
