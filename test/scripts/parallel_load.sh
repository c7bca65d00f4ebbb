#!/usr/bin/env bash
# examples/parallel_load.py: K sessions, one slice each, leave exactly the rows
# of one synth_insert(n, seed), in both modes; a failed slice leaves the others
# (commit mode, and a rerun with --skip-if-present fills in the gap) or nothing
# at all (twophase mode). Runs in the cluster scripts/test started, in a
# database of its own. Prints "ok NAME" / "not ok NAME - reason" per check.
set -uo pipefail

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PYTHON=/usr/bin/python3
LOAD="$ROOT_DIR/examples/parallel_load.py"
DB=synth_parallel_$$
export PGDATABASE=$DB
N=20000
SEED=31

cleanup() { dropdb --if-exists "$DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT

q() { psql -X -qAt -v ON_ERROR_STOP=1 -c "$1"; }
check() {  # name, condition text, actual, expected
  if [ "$3" = "$4" ]; then echo "ok $1"; else echo "not ok $1 - $2: got '$3', want '$4'"; fi
}

createdb "$DB" || { echo "not ok parallel_load_setup - createdb failed"; exit 0; }
q "CREATE EXTENSION synthdata" && psql -X -q -v ON_ERROR_STOP=1 -f "$ROOT_DIR/examples/training_prompts.sql" >/dev/null &&
q "CREATE TABLE whole (LIKE training_prompts INCLUDING ALL);
   SELECT synth_insert('whole', $N, $SEED);" >/dev/null ||
  { echo "not ok parallel_load_setup - could not create the tables"; exit 0; }

digest() {
  q "SELECT count(*) || ' ' || md5(string_agg(prompt_text || (enhancement_result #- '{metadata,generation_timestamp}')::text,
       E'\n' ORDER BY (enhancement_result #>> '{metadata,sample_id}')::bigint)) FROM $1"
}
want=$(digest whole)

for mode in commit twophase; do
  q "TRUNCATE training_prompts"
  if [ "$mode" = twophase ] && [ "$(q 'SHOW max_prepared_transactions')" -lt 3 ]; then
    echo "not ok parallel_load_twophase_same_rows - the test cluster has max_prepared_transactions < 3"
    continue
  fi
  out=$("$PYTHON" "$LOAD" -n $N --seed $SEED -k 3 --mode $mode 2>&1)
  check "parallel_load_${mode}_same_rows" "$out" "$(digest training_prompts)" "$want"
done

# A slice that fails: a constraint that sample_id 15000 (in the last slice of three) breaks.
q "TRUNCATE training_prompts;
   ALTER TABLE training_prompts ADD CONSTRAINT no_15000
     CHECK ((enhancement_result #>> '{metadata,sample_id}')::int <> 15000)"
"$PYTHON" "$LOAD" -n $N --seed $SEED -k 3 --mode commit >/dev/null 2>&1
check parallel_load_commit_failure_keeps_others "rows after one failed slice" "$(q 'SELECT count(*) FROM training_prompts')" 13333
q "ALTER TABLE training_prompts DROP CONSTRAINT no_15000"
out=$("$PYTHON" "$LOAD" -n $N --seed $SEED -k 3 --mode commit --skip-if-present 2>&1)
check parallel_load_restart_fills_gap "$out" "$(digest training_prompts)" "$want"

if [ "$(q 'SHOW max_prepared_transactions')" -ge 3 ]; then
  q "TRUNCATE training_prompts;
     ALTER TABLE training_prompts ADD CONSTRAINT no_15000
       CHECK ((enhancement_result #>> '{metadata,sample_id}')::int <> 15000)"
  "$PYTHON" "$LOAD" -n $N --seed $SEED -k 3 --mode twophase >/dev/null 2>&1
  rc=$?
  check parallel_load_twophase_all_or_nothing "rows and prepared transactions left, exit code" \
    "$(q "SELECT count(*) FROM training_prompts")/$(q "SELECT count(*) FROM pg_prepared_xacts WHERE gid LIKE 'synthdata-%'")/$rc" "0/0/1"
fi
exit 0
