#!/usr/bin/env bash
# The quality-epsilon curve of private profiles on public data sets
# (test/scripts/privacy_curve.py): a benchmark that prints its figures (the
# table in docs/privacy.md comes from it), not a timed test. It checks only
# what must hold whatever the noise: every private profile carries the
# privacy block of the epsilon it was fitted at (else the script stops), and
# on average over the points fitted at both, the quality at epsilon 10 is at
# least that at 0.5 (a fit refused for too few noisy rows is counted, not
# scored; at epsilon 10 none may be refused).
# Runs in the cluster the test command started, in a database of its own; it
# sets synthdata.privacy_budget, so it runs as a superuser.
set -uo pipefail
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PYTHON=/usr/bin/python3
DB=synth_privacy_curve_$$
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT

if ! createdb "$DB" >/dev/null 2>&1 || ! psql -qX -d "$DB" -c 'CREATE EXTENSION synthdata' >/dev/null 2>&1; then
  echo "not ok privacy_curve - could not create a database with synthdata"
  exit 0
fi
out=$("$PYTHON" "$ROOT_DIR/test/scripts/privacy_curve.py" "dbname=$DB" 2>&1)
status=$?
echo "$out" | sed 's/^/# /'
if [ $status -ne 0 ]; then
  echo "not ok privacy_curve - privacy_curve.py failed"
  exit 0
fi
if echo "$out" | "$PYTHON" -c "
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.startswith('{')]
key = lambda r: (r['data_set'], r['bounds'])
top = {key(r): r for r in rows if r['epsilon'] == 10}
low = {key(r): r for r in rows if r['epsilon'] == 0.5}
both = [k for k in top if k in low and low[k]['quality'] is not None]
ok = (top and len(top) == len(low) and all(r['refused'] == 0 for r in top.values())
      and sum(top[k]['quality'] for k in both) >= sum(low[k]['quality'] for k in both))
sys.exit(0 if ok else 1)"; then
  echo "ok privacy_curve"
else
  echo "not ok privacy_curve - a fit at epsilon 10 was refused, or the quality there is below that at 0.5 on average"
fi
