#!/usr/bin/env bash
# Every SQL function that can run long stops within 0.25 s of a cancel
# (pg_cancel_backend from another connection) or a statement_timeout: each
# is started at a size that runs far past the cancel, and the time from the
# cancel to its return is measured (worst case printed per function).
# Runs in the cluster the test command started. Prints "ok NAME" / "not ok NAME".
set -uo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PYTHON=/usr/bin/python3  # Debian's, with psycopg2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
db="synth_cancel_latency_$$"
trap '"$PG_BIN/dropdb" --if-exists "$db" >/dev/null 2>&1' EXIT
if ! "$PG_BIN/createdb" "$db" 2>/dev/null; then
  echo "not ok cancel_latency - createdb failed"
  exit 0
fi
"$PYTHON" "$ROOT/test/scripts/cancel_latency.py" "$db" "$@" || true
