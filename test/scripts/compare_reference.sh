#!/usr/bin/env bash
# synth_compare's quality scores against scipy / numpy / pandas on the same
# rows (to 1e-9), and detection / efficacy moving the right way. Runs in the
# cluster scripts/test started, in a database of its own; prints "ok NAME" /
# "not ok NAME - reason" lines and exits 0 whatever they say.
set -uo pipefail
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PYTHON=/usr/bin/python3  # Debian's, with numpy, scipy, pandas and psycopg2
DB=synth_compare_ref_$$
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
if ! createdb "$DB" >/dev/null 2>&1; then
  echo "not ok compare_reference - could not create a database"
  exit 0
fi
PGDATABASE=$DB "$PYTHON" "$ROOT_DIR/test/scripts/compare_reference.py" 2>&1 ||
  echo "not ok compare_reference - the script failed"
exit 0
