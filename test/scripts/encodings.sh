#!/usr/bin/env bash
# synth_validate and synth_report in UTF8, LATIN1, EUC_JP and SQL_ASCII
# databases: domain names are reported as stored (a long one cut at a
# character boundary of the server encoding, never an error), a JSON \u
# escape becomes the character only in UTF8 (elsewhere its escape text is
# kept), and the report page is ASCII outside UTF8. Runs in the cluster the
# test command started. Prints "ok NAME" / "not ok NAME".
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
  # characters: 63 bytes at most; SQL_ASCII counts bytes), and an escaped
  # name and how it reads back.
  case $enc in
    UTF8)      short='café'; long=$(printf 'é%.0s' {1..40}); cut=31; escape='caf\u00e9'; seen='café' ;;
    LATIN1)    short='café'; long=$(printf 'é%.0s' {1..70}); cut=63; escape='caf\u00e9'; seen='caf\u00e9' ;;
    EUC_JP)    short='日本語'; long=$(printf '日%.0s' {1..40}); cut=31; escape='\u65e5'; seen='\u65e5' ;;
    SQL_ASCII) short='café'; long=$(printf 'é%.0s' {1..40}); cut=62; escape='caf\u00e9'; seen='caf\u00e9' ;;
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
SQL
  check="ok $name"
  dist=$(q "$db" "SELECT synth_validate('training_prompts')->'domain_distribution' ? '$short'" 2>&1)
  [ "$dist" = t ] || check="not ok $name - '$short' not reported as stored: $dist"
  got=$(q "$db" "SELECT synth_validate('training_prompts')->'domain_distribution' ? left('$long', $cut)" 2>&1)
  [ "$got" = t ] || check="not ok $name - the long name not cut to $cut characters: $got"
  got=$(q "$db" "SELECT (synth_validate('escaped')->'domain_distribution'->>'$seen')::int" 2>&1)
  [ "$got" = 20 ] || check="not ok $name - the escaped name does not read as '$seen': $got"
  page=$(q "$db" "SELECT * FROM synth_report('training_prompts')" 2>&1)
  [ $? = 0 ] || check="not ok $name - synth_report failed: $(tail -1 <<<"$page")"
  grep -q "$short" <<<"$page" || check="not ok $name - synth_report does not show '$short'"
  blocks=$(grep -c '│' <<<"$page")
  if [ "$enc" = UTF8 ]; then
    [ "$blocks" -gt 0 ] || check="not ok $name - a UTF8 page without block characters"
  else
    [ "$blocks" = 0 ] || check="not ok $name - a $enc page with block characters"
  fi
  echo "$check"
done
