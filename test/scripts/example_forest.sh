#!/usr/bin/env bash
# The pipeline's Python side, proven against synth_insert: examples/train_forest.py reads the rows
# as the pipeline does, applies its ML gate and cross-validates its random forest (docs/design.md §1).
# Runs in the cluster scripts/test started (PGHOST/PGPORT/PGUSER exported), in a database of its
# own that it creates and drops. Prints one "ok NAME" or "not ok NAME - reason" line per check and
# exits 0 whatever the checks say: scripts/test counts the lines.
set -uo pipefail

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PYTHON=/usr/bin/python3          # Debian's, with python3-psycopg2, -numpy and -sklearn
FOREST="$ROOT_DIR/examples/train_forest.py"
NOISE_STEPS=(0 0.25 0.5 0.75 1.0)
TOLERANCE=0.03
CHECKS=(forest_accuracy_default forest_noise_sweep_monotone pipeline_gate_accepts
        bootstrap_rows_rejected)

DB=synth_example_$$
WORK=$(mktemp -d /tmp/synth_example.XXXXXX)
declare -A RESULT=()

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  dropdb --if-exists "$DB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

pass() { RESULT[$1]="ok $1"; }
fail() { RESULT[$1]="not ok $1 - $2"; }

# One JSON field of a report file, printed as JSON ("null" when absent).
field() {
  "$PYTHON" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])).get(sys.argv[2])))' \
    "$1" "$2" 2>/dev/null
}

# Is the float comparison "$1" (a Python expression over a, b) true for a=$2, b=$3?
holds() {
  "$PYTHON" -c 'import sys; a, b = float(sys.argv[2]), float(sys.argv[3]); sys.exit(0 if eval(sys.argv[1]) else 1)' \
    "$1" "$2" "$3" 2>/dev/null
}

# A number to 3 decimals (anything else as it is).
r3() { printf '%.3f' "$1" 2>/dev/null || printf '%s' "$1"; }

# Runs train_forest.py in the example database; the report goes to $WORK/$1.json, stderr to
# $WORK/$1.err; returns its exit status.
forest() {
  local name=$1; shift
  PGDATABASE=$DB "$PYTHON" "$FOREST" --json "$@" >"$WORK/$name.json" 2>"$WORK/$name.err"
}

# A short reason from a failed run: train_forest.py's own message, else the last line of stderr
# (a traceback's exception, a psql error).
why() {
  local err="$WORK/$1.err" line
  line=$(grep -m 1 '^train_forest' "$err" 2>/dev/null) || line=$(tail -n 1 "$err" 2>/dev/null)
  printf '%s' "${line:0:200}"
}

# A fresh database with the extension; the first --bootstrap creates training_prompts in it.
setup_db() {
  createdb "$DB" >"$WORK/setup.err" 2>&1 &&
    psql -d "$DB" -v ON_ERROR_STOP=1 -q -c 'CREATE EXTENSION synthdata' >>"$WORK/setup.err" 2>&1
}

check_default() {
  if ! forest default --bootstrap 1000 --seed 42 --reset; then
    fail forest_accuracy_default "train_forest.py failed: $(why default)"
    fail pipeline_gate_accepts "train_forest.py failed: $(why default)"
    return
  fi
  local acc nread kept ndomains
  acc=$(field "$WORK/default.json" accuracy)
  echo "# default label_noise: accuracy $(r3 "$acc")"
  if holds 'a >= b' "$acc" 0.7; then pass forest_accuracy_default
  else fail forest_accuracy_default "accuracy $(r3 "$acc") < 0.7"; fi

  nread=$(field "$WORK/default.json" rows_read)
  kept=$(field "$WORK/default.json" rows_kept)
  ndomains=$("$PYTHON" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["domains"]))' \
    "$WORK/default.json" 2>/dev/null)
  if [ "$nread" = 1000 ] && [ "$kept" = 1000 ] && [ "$ndomains" = 5 ]; then
    pass pipeline_gate_accepts
  else
    fail pipeline_gate_accepts "rows_read $nread, rows_kept $kept, domains $ndomains (want 1000, 1000, 5)"
  fi
}

check_noise_sweep() {
  local x acc prev="" prev_x="" accs=() problems=()
  for x in "${NOISE_STEPS[@]}"; do
    if ! forest "noise_$x" --bootstrap 1000 --seed 42 --label-noise "$x" --reset; then
      fail forest_noise_sweep_monotone "train_forest.py failed at label_noise $x: $(why "noise_$x")"
      return
    fi
    acc=$(field "$WORK/noise_$x.json" accuracy)
    accs+=("$x:$(r3 "$acc")")
    if [ -n "$prev" ] && ! holds "b <= a + $TOLERANCE" "$prev" "$acc"; then
      problems+=("rises by more than $TOLERANCE from $(r3 "$prev") at $prev_x to $(r3 "$acc") at $x")
    fi
    prev=$acc prev_x=$x
  done
  holds 'a <= b' "$prev" 0.6 || problems+=("accuracy $(r3 "$prev") at label_noise $prev_x is above 0.6")
  echo "# label_noise sweep, accuracies: ${accs[*]}"
  if [ ${#problems[@]} = 0 ]; then pass forest_noise_sweep_monotone
  else fail forest_noise_sweep_monotone "$(IFS=';'; echo "${problems[*]}") (sweep ${accs[*]})"; fi
}

# The pipeline's old bootstrap: 200 rows, 5 string pairs repeated, no features and no score.
insert_old_bootstrap() {
  PGDATABASE=$DB psql -v ON_ERROR_STOP=1 -q -f "$ROOT_DIR/examples/training_prompts.sql" -f - <<'SQL'
TRUNCATE training_prompts;
INSERT INTO training_prompts (prompt_text, enhancement_result, data_source, training_priority,
                              created_at)
SELECT p.original,
       jsonb_build_object('enhanced_prompt', p.enhanced,
                          'metadata', jsonb_build_object('source', 'bootstrap')),
       'synthetic', 10, now()
FROM generate_series(1, 40) AS g,
     (VALUES ('Write a function', 'Write a Python function that validates email addresses and returns a boolean'),
             ('Explain this', 'Explain how this sorting algorithm works, step by step, for a beginner'),
             ('Summarize the text', 'Summarize the following article in three bullet points for an executive'),
             ('Make it better', 'Rewrite this paragraph to be clearer and more concise, keeping its meaning'),
             ('Help me plan', 'Help me plan a week-long study schedule for a statistics exam')) AS p(original, enhanced);
SQL
}

check_old_bootstrap() {
  if ! insert_old_bootstrap >"$WORK/old_insert.err" 2>&1; then
    fail bootstrap_rows_rejected "could not insert the old bootstrap rows: $(why old_insert)"
    return
  fi
  if forest old; then
    fail bootstrap_rows_rejected "the gate accepted the old bootstrap rows (accuracy $(field "$WORK/old.json" accuracy))"
    return
  fi
  local nread kept message
  nread=$(field "$WORK/old.json" rows_read)
  kept=$(field "$WORK/old.json" rows_kept)
  message=$(cat "$WORK/old.err")
  if [ "$nread" != 200 ] || [ "$kept" != 0 ]; then
    fail bootstrap_rows_rejected "rows_read $nread, rows_kept $kept (want 200, 0): $(why old)"
  elif ! grep -q "refuses this set: .*fewer than 10" <<<"$message"; then
    fail bootstrap_rows_rejected "refused without saying why: $(why old)"
  else
    pass bootstrap_rows_rejected
  fi
}

if setup_db; then
  check_default
  check_noise_sweep
  check_old_bootstrap
else
  reason="cannot set up database $DB: $(head -n 1 "$WORK/setup.err")"
  for name in "${CHECKS[@]}"; do fail "$name" "$reason"; done
fi

for name in "${CHECKS[@]}"; do
  echo "${RESULT[$name]:-not ok $name - the check did not run}"
done
exit 0
