#!/usr/bin/env bash
# The refresh fuzzer (test/scripts/refresh_fuzz.py): synth_refresh called
# twice on each of 2,000 random real-row tables, under a statement_timeout;
# prints the cases, the failures grouped by kind with a reproducer each, the
# seconds, and one "ok"/"not ok" line per property. FUZZ_REFRESH_CASES,
# FUZZ_REFRESH_SEED, FUZZ_REFRESH_JOBS and FUZZ_REFRESH_TIMEOUT change the run.
# Runs in the cluster scripts/test started, in a database of its own.
set -uo pipefail
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PYTHON=/usr/bin/python3  # Debian's, with psycopg2
DB=synth_refresh_fuzz_$$
CHECKS="refresh_fuzz_errors refresh_fuzz_hangs refresh_fuzz_text refresh_fuzz_rows refresh_fuzz_noop"
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
if ! createdb "$DB" >/dev/null 2>&1 || ! psql -qX -d "$DB" -c 'CREATE EXTENSION synthdata' >/dev/null 2>&1; then
  for c in $CHECKS; do echo "not ok $c - could not create a database with synthdata"; done
  exit 0
fi
out=$(PGDATABASE=$DB "$PYTHON" "$ROOT_DIR/test/scripts/refresh_fuzz.py" 2>&1)
status=$?
echo "$out" | grep -Ev '^(not )?ok ' | sed 's/^/# /'
echo "$out" | grep -E '^(not )?ok '
if [ $status -ne 0 ] || ! echo "$out" | grep -qE '^(not )?ok refresh_fuzz_noop'; then
  for c in $CHECKS; do echo "not ok $c - refresh_fuzz.py failed"; done
fi
exit 0
