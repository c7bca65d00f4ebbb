#!/usr/bin/env bash
# synth_validate and synth_report in UTF8, LATIN1, EUC_JP and SQL_ASCII
# databases: domain names are reported as stored (a long one cut at a
# character boundary of the server encoding, never an error), a JSON \u
# escape in a json column becomes its character in the server encoding where
# that encoding has it, as PostgreSQL's json does (synth_validate, synth_fit
# and synth_compare alike), and makes the name unknown where it has not
# (counted, never an error), a long feature name is cut by synth_fit at the
# same boundary as a domain name, and the report page is ASCII outside UTF8. Runs
# in the cluster the test command started. Prints "ok NAME" / "not ok NAME".
set -uo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export PGCLIENTENCODING=UTF8
dbs=()
cleanup() { for d in "${dbs[@]}"; do "$PG_BIN/dropdb" --if-exists "$d" >/dev/null 2>&1; done; }
trap cleanup EXIT
q() { "$PG_BIN/psql" -X -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

for enc in UTF8 LATIN1 EUC_JP SQL_ASCII; do
  db="synth_enc_$(tr 'A-Z' 'a-z' <<<"$enc")_$$"
  dbs+=("$db")
  name="encoding_${enc}"
  if ! "$PG_BIN/createdb" -E "$enc" -T template0 --lc-collate=C --lc-ctype=C "$db" 2>/dev/null; then
    echo "not ok $name - createdb failed"; continue
  fi
  # Per encoding: a short name it can hold, a long one (its cut in
  # characters: 63 bytes at most; SQL_ASCII counts bytes), the short name
  # escaped and how it reads back, and an escape the encoding has no
  # character for (SQL_ASCII has none beyond ASCII) and how that reads.
  case $enc in
    UTF8)      short='café'; long=$(printf 'é%.0s' {1..40}); cut=31; escape='caf\u00e9'; seen='café'
               bad='x\ud83d\ude00'; bad_seen='x😀' ;;
    LATIN1)    short='café'; long=$(printf 'é%.0s' {1..70}); cut=63; escape='caf\u00e9'; seen='café'
               bad='x\u65e5'; bad_seen=unknown ;;
    EUC_JP)    short='日本語'; long=$(printf '日%.0s' {1..40}); cut=31; escape='\u65e5\u672c\u8a9e'; seen='日本語'
               bad='x\ud83d\ude00'; bad_seen=unknown ;;
    SQL_ASCII) short='café'; long=$(printf 'é%.0s' {1..40}); cut=62; escape='caf\u00e9'; seen=unknown
               bad='x\u00e9'; bad_seen=unknown ;;
  esac
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null 2>&1 <<SQL || { echo "not ok $name - setup failed"; continue; }
CREATE EXTENSION synthdata;
\i $ROOT/examples/training_prompts.sql
SELECT synth_insert('training_prompts', 60, seed => 1);
UPDATE training_prompts SET enhancement_result = jsonb_set(enhancement_result, '{metadata,domain}', to_jsonb('$short'::text)) WHERE id % 3 = 0;
UPDATE training_prompts SET enhancement_result = jsonb_set(enhancement_result, '{metadata,domain}', to_jsonb('$long'::text)) WHERE id % 3 = 1;
CREATE TABLE escaped AS SELECT * FROM training_prompts;
ALTER TABLE escaped ALTER COLUMN enhancement_result TYPE json
  USING replace(enhancement_result::text, '"domain": "$short"', '"domain": "$escape"')::json;
CREATE TABLE untranslatable AS SELECT * FROM training_prompts;
ALTER TABLE untranslatable ALTER COLUMN enhancement_result TYPE json
  USING replace(enhancement_result::text, '"domain": "$short"', '"domain": "$bad"')::json;
CREATE TABLE named AS SELECT * FROM training_prompts;
UPDATE named SET enhancement_result = jsonb_set(enhancement_result, '{metadata,feature_names}',
  jsonb_build_array('$long'::text, 'b', 'c', 'd', 'e', 'f'));
-- The copies stand for real rows: synth_fit and synth_compare read those.
UPDATE escaped SET data_source = 'real';
UPDATE untranslatable SET data_source = 'real';
UPDATE named SET data_source = 'real';
SQL
  failures=()
  fail() { failures+=("$1"); }
  dist=$(q "$db" "SELECT synth_validate('training_prompts')->'domain_distribution' ? '$short'" 2>&1)
  [ "$dist" = t ] || fail "'$short' not reported as stored: $dist"
  got=$(q "$db" "SELECT synth_validate('training_prompts')->'domain_distribution' ? left('$long', $cut)" 2>&1)
  [ "$got" = t ] || fail "the long name not cut to $cut characters: $got"
  got=$(q "$db" "SELECT (synth_validate('escaped')->'domain_distribution'->>'$seen')::int" 2>&1)
  [ "$got" = 20 ] || fail "the escaped name does not read as '$seen' in synth_validate: $got"
  got=$(q "$db" "SELECT d->'rows' FROM jsonb_array_elements(synth_fit('escaped', NULL)->'domains') d
                 WHERE d->>'name' = '$seen'" 2>&1)
  [ "$got" = 20 ] || fail "the escaped name does not read as '$seen' in synth_fit: $got"
  got=$(q "$db" "SELECT synth_fit('named', NULL)->'feature_names'->>0 = left('$long', $cut)" 2>&1)
  [ "$got" = t ] || fail "the long feature name not cut to $cut characters by synth_fit: $got"
  # The escaped rows against the same rows with the name stored: one
  # distribution of domains (TVComplement 1) where the escape reads as the name.
  got=$(q "$db" "SELECT c->>'score' FROM jsonb_array_elements(synth_compare('escaped', 'training_prompts',
                   bootstrap => 0)->'quality'->'column_shapes'->'columns') c WHERE c->>'name' = 'domain'" 2>&1)
  if [ "$seen" = "$short" ] && [ "$got" != 1 ]; then
    fail "synth_compare's domain TVComplement is $got, not 1"
  fi
  got=$(q "$db" "SELECT (synth_validate('untranslatable')->'domain_distribution'->>'$bad_seen')::int" 2>&1)
  [ "$got" = 20 ] || fail "'$bad' does not read as '$bad_seen' in synth_validate: $got"
  got=$(q "$db" "SELECT d->'rows' FROM jsonb_array_elements(synth_fit('untranslatable', NULL)->'domains') d
                 WHERE d->>'name' = '$bad_seen'" 2>&1)
  [ "$got" = 20 ] || fail "'$bad' does not read as '$bad_seen' in synth_fit: $got"
  page=$(q "$db" "SELECT * FROM synth_report('training_prompts')" 2>&1)
  [ $? = 0 ] || fail "synth_report failed: $(tail -1 <<<"$page")"
  grep -q "$short" <<<"$page" || fail "synth_report does not show '$short'"
  blocks=$(grep -c '│' <<<"$page")
  if [ "$enc" = UTF8 ]; then
    [ "$blocks" -gt 0 ] || fail "a UTF8 page without block characters"
  else
    [ "$blocks" = 0 ] || fail "a $enc page with block characters"
  fi
  if [ ${#failures[@]} = 0 ]; then
    echo "ok $name"
  else
    echo "not ok $name - $(IFS=';'; echo "${failures[*]}")"
  fi
done
