#!/usr/bin/env bash
# The README's Quickstart, run exactly as written: the shell block between the
# "quickstart" markers, from the source tree, against a fresh database of its
# own in the cluster scripts/test started (PGHOST/PGPORT/PGUSER exported).
# Prints "ok quickstart" or "not ok quickstart - reason"; exits 0 either way.
set -uo pipefail

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DB=synth_quickstart_$$
WORK=$(mktemp -d /tmp/synth_quickstart.XXXXXX)
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  dropdb --if-exists "$DB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The fenced block after the opening marker, up to its closing fence.
sed -n '/^<!-- quickstart/,/^<!-- \/quickstart -->/p' "$ROOT_DIR/README.md" |
  sed -n '/^```sh$/,/^```$/p' | sed '1d;$d' >"$WORK/block.sh"
lines=$(grep -c . "$WORK/block.sh")
if [ "$lines" -lt 3 ]; then
  echo "not ok quickstart - the README holds no quickstart block ($lines lines found)"
  exit 0
fi

if ! createdb "$DB" >"$WORK/createdb.log" 2>&1; then
  echo "not ok quickstart - createdb failed: $(cat "$WORK/createdb.log")"
  exit 0
fi
if (cd "$ROOT_DIR" && PGDATABASE=$DB bash -e "$WORK/block.sh") >"$WORK/out.log" 2>&1; then
  # What a reader is promised: 1000 rows, a report that passes, a trained model.
  if grep -q '^ *1000$' "$WORK/out.log" && grep -qi 'accuracy' "$WORK/out.log" &&
     grep -q 'PASS' "$WORK/out.log"; then
    echo "ok quickstart ($lines commands run as written)"
  else
    echo "not ok quickstart - ran, but the output lacks the inserted count, a PASS verdict or the accuracy:"
    sed 's/^/# /' "$WORK/out.log" | tail -40
  fi
else
  echo "not ok quickstart - a command of the block failed:"
  sed 's/^/# /' "$WORK/out.log" | tail -40
fi
