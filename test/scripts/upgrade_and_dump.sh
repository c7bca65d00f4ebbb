#!/usr/bin/env bash
# Checks of the extension's life cycle in a server: every update path from
# 1.0 works; ALTER EXTENSION synthdata UPDATE from 1.0 (and from every other
# version, e.g. 1.1) ends with exactly the catalog of a fresh install of the
# default version; rows inserted under 1.0
# still validate after the update; and pg_dump/pg_restore of a database using
# synthdata round-trips the extension, its objects and the table data. Runs in
# the cluster the test command started (PGHOST/PGPORT/PGUSER exported), on
# every server it tests. Prints "ok NAME" / "not ok NAME".
#
# The catalog comparison lists whatever objects belong to the extension
# (pg_depend), so objects added to 1.1 later are compared without changes here.
set -uo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
db="synth_lifecycle_$$"
fresh="${db}_fresh"
restored="${db}_restored"
work=$(mktemp -d /tmp/synthdata-lifecycle.XXXXXX)
dump="$work/dump"
cleanup() {
  for d in "$db" "$fresh" "$restored" "${db}_from"; do "$PG_BIN/dropdb" --if-exists "$d" >/dev/null 2>&1; done
  rm -rf "$work"
}
trap cleanup EXIT
q() { "$PG_BIN/psql" -X -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

# Every object of the extension, one block per object, in a stable order: what
# it is (pg_describe_object), its full definition where the catalog has one
# (pg_get_functiondef with argument defaults, volatility, parallel label,
# SET options; a type's attributes; a table's columns, constraints, indexes),
# its owner-independent privileges and its comment. Then the extension's own
# row: version, schema, relocatability and the tables pg_dump keeps (extconfig).
catalog_sql=$(cat <<'SQL'
WITH ext AS (SELECT * FROM pg_extension WHERE extname = 'synthdata'),
member AS (
  SELECT d.classid, d.objid, d.objsubid, pg_describe_object(d.classid, d.objid, d.objsubid) AS what
  FROM pg_depend d, ext
  WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
),
detail AS (
  SELECT m.what,
    CASE m.classid
    WHEN 'pg_proc'::regclass THEN (
      SELECT CASE WHEN p.prokind = 'a'
                  THEN 'aggregate ' || p.oid::regprocedure::text || ' returns ' || format_type(p.prorettype, NULL)
                  ELSE pg_get_functiondef(p.oid) END
             || E'\nacl: ' || coalesce(p.proacl::text, 'default')
      FROM pg_proc p WHERE p.oid = m.objid)
    WHEN 'pg_type'::regclass THEN (
      SELECT 'type ' || t.typtype::text || ' ' || format_type(t.oid, NULL)
             || coalesce(E'\n' || (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                                                     || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
                                                     E'\n' ORDER BY a.attnum)
                                   FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '')
             || coalesce(E'\nlabels: ' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                                           FROM pg_enum e WHERE e.enumtypid = t.oid), '')
             || CASE WHEN t.typtype = 'd' THEN E'\nbase: ' || format_type(t.typbasetype, t.typtypmod)
                  || coalesce(E'\n' || (SELECT string_agg(pg_get_constraintdef(c.oid), E'\n' ORDER BY c.conname)
                                        FROM pg_constraint c WHERE c.contypid = t.oid), '') ELSE '' END
             || E'\nacl: ' || coalesce(t.typacl::text, 'default')
      FROM pg_type t WHERE t.oid = m.objid)
    WHEN 'pg_class'::regclass THEN (
      SELECT 'relation ' || c.relkind::text
             || coalesce(E'\n' || (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                                                     || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                                                     || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), ''),
                                                     E'\n' ORDER BY a.attnum)
                                   FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                                   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')
             || coalesce(E'\n' || (SELECT string_agg(k.conname || ' ' || pg_get_constraintdef(k.oid), E'\n' ORDER BY k.conname)
                                   FROM pg_constraint k WHERE k.conrelid = c.oid), '')
             || coalesce(E'\n' || (SELECT string_agg(pg_get_indexdef(i.indexrelid), E'\n' ORDER BY 1)
                                   FROM pg_index i WHERE i.indrelid = c.oid), '')
             || coalesce(E'\n' || (SELECT string_agg('policy ' || pol.polname || ' ' || pol.polcmd::text
                                                     || ' using ' || coalesce(pg_get_expr(pol.polqual, pol.polrelid), '-')
                                                     || ' check ' || coalesce(pg_get_expr(pol.polwithcheck, pol.polrelid), '-'),
                                                     E'\n' ORDER BY pol.polname)
                                   FROM pg_policy pol WHERE pol.polrelid = c.oid), '')
             || CASE WHEN c.relrowsecurity THEN E'\nrow security' ELSE '' END
             || coalesce(E'\nview: ' || pg_get_viewdef(c.oid), '')
             || E'\nacl: ' || coalesce(c.relacl::text, 'default')
      FROM pg_class c WHERE c.oid = m.objid)
    ELSE '' END AS definition,
    coalesce(E'\ncomment: ' || (SELECT ds.description FROM pg_description ds
                                WHERE ds.classoid = m.classid AND ds.objoid = m.objid AND ds.objsubid = m.objsubid), '') AS comment
  FROM member m
)
SELECT '== ' || what || E'\n' || coalesce(definition, '') || comment FROM detail
UNION ALL
SELECT '== extension ' || extname || ' ' || extversion || ' in schema ' || extnamespace::regnamespace
       || ' relocatable ' || extrelocatable
       || ' config ' || coalesce((SELECT string_agg(c::regclass::text, ',' ORDER BY c::regclass::text) FROM unnest(extconfig) c), 'none')
       || coalesce(E'\ncomment: ' || obj_description(ext.oid, 'pg_extension'), '')
FROM ext
ORDER BY 1
SQL
)
catalog() { q "$1" "$catalog_sql" >"$2" 2>"$2.err" && [ -s "$2" ]; }

"$PG_BIN/createdb" "$db" && "$PG_BIN/createdb" "$fresh" ||
  { for c in update_paths update_catalog update_keeps_data dump_restore; do echo "not ok $c - createdb failed"; done; exit 0; }
default=$(q "$db" "SELECT default_version FROM pg_available_extensions WHERE name = 'synthdata'")

# 1. Update paths: install the first version, then walk every path the server knows.
check="ok update_paths"
q "$db" "CREATE EXTENSION synthdata VERSION '1.0'" >/dev/null || check="not ok update_paths - CREATE EXTENSION failed"
paths=$(q "$db" "SELECT target FROM pg_extension_update_paths('synthdata') WHERE source = '1.0' AND path IS NOT NULL ORDER BY target")
for target in $paths; do
  q "$db" "ALTER EXTENSION synthdata UPDATE TO '$target'" >/dev/null || check="not ok update_paths - 1.0 -> $target failed"
  q "$db" "SELECT count(*) FROM synth_generate(10, 1)" | grep -qx 10 || check="not ok update_paths - synth_generate broken after $target"
  q "$db" "DROP EXTENSION synthdata; CREATE EXTENSION synthdata VERSION '1.0'" >/dev/null
done
echo "$check (paths from 1.0: $(echo ${paths:-none}))"

# 2. Rows written under 1.0 (the pipeline's table, filled by 1.0's synth_insert), then
# ALTER EXTENSION UPDATE: the catalog equals a fresh install's, the rows still validate
# with the same report, and synth_generate still gives the same rows for the same seed.
setup_table="CREATE TABLE training_prompts (id serial PRIMARY KEY, prompt_text varchar(10000) NOT NULL,
    enhancement_result jsonb NOT NULL, data_source varchar(50) NOT NULL,
    training_priority integer NOT NULL, created_at timestamp NOT NULL,
    is_active boolean NOT NULL DEFAULT true)"
generated="SELECT md5(string_agg(g::text, '|')) FROM synth_generate(200, 11) g"
report="SELECT synth_validate('training_prompts')"
check="ok update_keeps_data"
q "$db" "$setup_table; SELECT synth_insert('training_prompts', 1000, seed => 5)" >/dev/null ||
  check="not ok update_keeps_data - synth_insert under 1.0 failed"
report_10=$(q "$db" "$report" 2>&1)
generated_10=$(q "$db" "$generated" 2>&1)
q "$db" "ALTER EXTENSION synthdata UPDATE" >/dev/null || check="not ok update_keeps_data - ALTER EXTENSION UPDATE failed"
installed=$(q "$db" "SELECT extversion FROM pg_extension WHERE extname = 'synthdata'")
report_11=$(q "$db" "$report" 2>&1)
generated_11=$(q "$db" "$generated" 2>&1)
quality=$(q "$db" "SELECT synth_validate('training_prompts')->>'overall_quality'" 2>&1)
[ "$installed" = "$default" ] || check="not ok update_keeps_data - installed $installed, default $default"
[ "$quality" = true ] || check="not ok update_keeps_data - rows of 1.0 do not validate under $installed (overall_quality: $quality)"
[ -n "$report_10" ] && [ "$report_10" = "$report_11" ] || check="not ok update_keeps_data - the report changed across the update"
[ -n "$generated_10" ] && [ "$generated_10" = "$generated_11" ] || check="not ok update_keeps_data - synth_generate(200, 11) changed across the update"
echo "$check"

check="ok update_catalog"
q "$fresh" "CREATE EXTENSION synthdata" >/dev/null || check="not ok update_catalog - CREATE EXTENSION failed"
if catalog "$db" "$work/updated.txt" && catalog "$fresh" "$work/fresh.txt"; then
  if ! diff -u "$work/fresh.txt" "$work/updated.txt" >"$work/catalog.diff"; then
    sed 's/^/# /' "$work/catalog.diff"
    check="not ok update_catalog - 1.0 updated to $installed differs from a fresh $default (diff above: - fresh, + updated)"
  else
    check="$check ($(grep -c '^== ' "$work/fresh.txt") objects alike)"
  fi
else
  cat "$work"/*.err
  check="not ok update_catalog - the catalog query failed"
fi
echo "$check"

# 2b. Every other version the server knows, installed and then updated to the default
# (1.1 -> 1.2 directly, 1.0 through every step above): the same catalog as a fresh
# install. Where the version has synth_refresh, a refresh before the update leaves its
# record and profile, and a refresh after the update works on them.
check="ok update_catalog_every_version"
versions=$(q "$db" "SELECT version FROM pg_available_extension_versions WHERE name = 'synthdata' AND version <> '$default' ORDER BY version")
from_db="${db}_from"
for version in $versions; do
  "$PG_BIN/dropdb" --if-exists "$from_db" >/dev/null 2>&1
  "$PG_BIN/createdb" "$from_db" || { check="not ok update_catalog_every_version - createdb failed"; break; }
  q "$from_db" "CREATE EXTENSION synthdata VERSION '$version'" >/dev/null ||
    { check="not ok update_catalog_every_version - CREATE EXTENSION VERSION '$version' failed"; continue; }
  refreshes=$(q "$from_db" "SELECT count(*) FROM pg_proc WHERE proname = 'synth_refresh'")
  if [ "$refreshes" != 0 ]; then
    q "$from_db" "$setup_table; SELECT synth_insert('training_prompts', 300, seed => 2);
                  UPDATE training_prompts SET data_source = 'real' WHERE id % 2 = 0;
                  SELECT synth_refresh('training_prompts', min_rows => 100, seed => 5)" >/dev/null ||
      check="not ok update_catalog_every_version - the refresh under $version failed"
  fi
  q "$from_db" "ALTER EXTENSION synthdata UPDATE" >/dev/null ||
    { check="not ok update_catalog_every_version - $version -> $default failed"; continue; }
  if [ "$refreshes" != 0 ]; then
    again=$(q "$from_db" "SELECT synth_refresh('training_prompts', min_rows => 100, seed => 5)->>'refreshed'" 2>&1)
    noop=$(q "$from_db" "SELECT synth_refresh('training_prompts', min_rows => 100, seed => 5)->>'refreshed'" 2>&1)
    # A record written before 1.2 lacks what the no-op test compares, so the first
    # refresh after such an update refits; from 1.2 on the record is complete and an
    # update that changes no rows must not cost a refit.
    case $version in 1.0 | 1.1) want=true ;; *) want=false ;; esac
    [ "$again" = "$want" ] && [ "$noop" = false ] ||
      check="not ok update_catalog_every_version - refresh after $version -> $default gave '$again' then '$noop' (want $want, false)"
  fi
  if catalog "$from_db" "$work/from.txt"; then
    if ! diff -u "$work/fresh.txt" "$work/from.txt" >"$work/from.diff"; then
      sed 's/^/# /' "$work/from.diff"
      check="not ok update_catalog_every_version - $version updated to $default differs from a fresh $default"
    fi
  else
    check="not ok update_catalog_every_version - the catalog query failed on $version"
  fi
done
"$PG_BIN/dropdb" --if-exists "$from_db" >/dev/null 2>&1
echo "$check (from: $(echo $versions))"

# 2c. document_format: 1.1 numbers it (1 jsonb, 2 json, 0 none), 1.2 names it. The
# module serves a database still at 1.1 with its integer declarations (synth_rows,
# synth_row, and synth_insert's own _synth_rows into a json column), and after the
# update the names give the same rows (the documents but their generation_timestamp).
check="ok update_document_format"
"$PG_BIN/dropdb" --if-exists "$from_db" >/dev/null 2>&1
json_table="CREATE TABLE json_prompts (id serial PRIMARY KEY, prompt_text text NOT NULL, enhancement_result json NOT NULL,
    data_source text NOT NULL, training_priority integer NOT NULL, created_at timestamp NOT NULL, is_active boolean NOT NULL)"
format_rows() {  # the rows of each format, then synth_insert's json documents, as one digest
  echo "SELECT md5(concat_ws('|',
    (SELECT string_agg(concat_ws(',', r.sample_id, r.original_prompt, r.enhancement_jsonb #- '{metadata,generation_timestamp}',
                                 r.enhancement_json IS NULL), ';' ORDER BY r.sample_id) FROM synth_rows(50, 3, document_format => $1) r),
    (SELECT string_agg(concat_ws(',', r.sample_id, r.enhancement_json::jsonb #- '{metadata,generation_timestamp}',
                                 r.enhancement_jsonb IS NULL), ';' ORDER BY r.sample_id) FROM synth_rows(50, 3, document_format => $2) r),
    (SELECT string_agg(concat_ws(',', r.sample_id, r.effectiveness_score, r.enhancement_json IS NULL AND r.enhancement_jsonb IS NULL), ';'
                       ORDER BY r.sample_id) FROM synth_rows(50, 3, document_format => $3) r),
    (SELECT (synth_row(50, 3, 7, document_format => $2)).enhancement_json::jsonb #- '{metadata,generation_timestamp}'),
    (SELECT string_agg((enhancement_result::jsonb #- '{metadata,generation_timestamp}')::text, ';'
                       ORDER BY enhancement_result->'metadata'->>'sample_id') FROM json_prompts)))"
}
if "$PG_BIN/createdb" "$from_db" && q "$from_db" "CREATE EXTENSION synthdata VERSION '1.1'; $json_table;
      SELECT synth_insert('json_prompts', 40, seed => 9)" >/dev/null; then
  under_11=$(q "$from_db" "$(format_rows 1 2 0)" 2>&1)
  q "$from_db" "ALTER EXTENSION synthdata UPDATE; TRUNCATE json_prompts; SELECT synth_insert('json_prompts', 40, seed => 9)" >/dev/null ||
    check="not ok update_document_format - the update or synth_insert after it failed"
  under_12=$(q "$from_db" "$(format_rows "'jsonb'" "'json'" "'none'")" 2>&1)
  old_spelling=$(q "$from_db" "SELECT count(*) FROM synth_rows(5, 1, document_format => 2)" 2>&1)
  [[ $under_11 =~ ^[0-9a-f]{32}$ ]] || check="not ok update_document_format - under 1.1: $under_11"
  [ "$under_11" = "$under_12" ] || check="not ok update_document_format - the named formats give other rows ($under_11, $under_12)"
  [[ $old_spelling == *"does not exist"* ]] || check="not ok update_document_format - 1.2 still takes a number: $old_spelling"
else
  check="not ok update_document_format - could not set up a database at 1.1"
fi
"$PG_BIN/dropdb" --if-exists "$from_db" >/dev/null 2>&1
echo "$check"

# 3. Dump and restore of a database on the default version: the extension comes back as an
# extension with the same objects, the rows byte for byte, the tables the extension
# registered with pg_extension_config_dump (fitted profiles) with their rows, and the
# report on the restored rows is the same.
check="ok dump_restore"
q "$fresh" "$setup_table; SELECT synth_insert('training_prompts', 500, seed => 3);
            CREATE TABLE flat_rows (sample_id bigint PRIMARY KEY, domain text, feature_vector float8[], effectiveness_score float8);
            SELECT synth_insert('flat_rows', 200, seed => 4)" >/dev/null ||
  check="not ok dump_restore - setup failed"
# Fitted profiles and refresh records: once synth_refresh exists, half the rows become real
# and a refresh fits them, keeps its profile and records itself, so the dump must carry both
# of the extension's tables with their rows.
has_refresh=$(q "$fresh" "SELECT count(*) FROM pg_proc WHERE proname = 'synth_refresh'")
if [ "$has_refresh" != 0 ]; then
  q "$fresh" "UPDATE training_prompts SET data_source = 'real' WHERE id % 2 = 0;
              SELECT synth_refresh('training_prompts', min_rows => 100, seed => 5)" >/dev/null ||
    check="not ok dump_restore - the refresh before the dump failed"
fi
# 1.3: a private fit records its spend in synth_privacy_ledger, which the dump must carry
# (a restored database must not forget what was spent), under the same table name.
has_ledger=$(q "$fresh" "SELECT count(*) FROM pg_class WHERE relname = 'synth_privacy_ledger'")
if [ "$has_ledger" != 0 ]; then
  q "$fresh" "SELECT synth_fit('training_prompts', epsilon => 2, domains => ARRAY(SELECT DISTINCT enhancement_result->'metadata'->>'domain' FROM training_prompts))" >/dev/null ||
    check="not ok dump_restore - the private fit before the dump failed"
fi
digest="SELECT md5(string_agg(prompt_text || enhancement_result::text || training_priority, '|' ORDER BY id)) FROM training_prompts"
digest_flat="SELECT md5(string_agg(f::text, '|' ORDER BY sample_id)) FROM flat_rows f"
# The rows of every configuration table of the extension, one digest per table (plain SQL
# per table: a server built without libxml has no query_to_xml).
config_digest() {
  local db=$1 t out=""
  for t in $(q "$db" "SELECT c::regclass::text FROM pg_extension, unnest(extconfig) c WHERE extname = 'synthdata' ORDER BY 1"); do
    out="$out${out:+,}$t:$(q "$db" "SELECT count(*) || '/' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM $t t")"
  done
  echo "${out:-none}"
}
before=$(q "$fresh" "$digest"); before_flat=$(q "$fresh" "$digest_flat")
before_config=$(config_digest "$fresh"); before_report=$(q "$fresh" "$report")
catalog "$fresh" "$work/before.txt"
"$PG_BIN/pg_dump" -Fc -f "$dump" "$fresh" || check="not ok dump_restore - pg_dump failed"
"$PG_BIN/createdb" "$restored" && "$PG_BIN/pg_restore" -d "$restored" "$dump" || check="not ok dump_restore - pg_restore failed"
after=$(q "$restored" "$digest" 2>/dev/null); after_flat=$(q "$restored" "$digest_flat" 2>/dev/null)
after_config=$(config_digest "$restored" 2>/dev/null); after_report=$(q "$restored" "$report" 2>/dev/null)
ext=$(q "$restored" "SELECT extversion FROM pg_extension WHERE extname = 'synthdata'" 2>/dev/null)
rows=$(q "$restored" "SELECT count(*) FROM synth_generate(5, 3)" 2>/dev/null)
[ -n "$before" ] && [ "$before" = "$after" ] || check="not ok dump_restore - data differs after restore ($before vs $after)"
[ -n "$before_flat" ] && [ "$before_flat" = "$after_flat" ] || check="not ok dump_restore - flat rows differ after restore"
[ "$before_config" = "$after_config" ] || check="not ok dump_restore - extension tables differ after restore ($before_config vs $after_config)"
if [ "$has_refresh" != 0 ]; then
  # Both tables registered, and neither empty before the dump (a count of 0 would make the
  # comparison above vacuous).
  case "$before_config" in
    *synth_profiles:0/*|*synth_refreshes:0/*|none) check="not ok dump_restore - the extension's tables were empty before the dump ($before_config)" ;;
    *synth_privacy_ledger:0/*) [ "$has_ledger" = 0 ] || check="not ok dump_restore - the privacy ledger was empty before the dump ($before_config)" ;;
    *synth_profiles:*synth_refreshes:*) ;;
    *) check="not ok dump_restore - the extension's tables are not both registered ($before_config)" ;;
  esac
fi
# The same report: every verdict, count and name equal, every other number to 1e-12
# relative. The restored table holds the rows in another physical order once rows have
# been updated, and the last digits of a mean or a correlation depend on the read order
# (README, "Same rows, same report").
same_report() {
  python3 - "$1" "$2" <<'PY'
import json, math, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
def same(x, y):
    if isinstance(x, bool) or isinstance(y, bool) or isinstance(x, str) or x is None:
        return x == y
    if isinstance(x, (int, float)) and isinstance(y, (int, float)):
        if isinstance(x, int) and isinstance(y, int):
            return x == y
        return math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-300)
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(same(x[k], y[k]) for k in x)
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(same(u, v) for u, v in zip(x, y))
    return False
sys.exit(0 if same(a, b) else 1)
PY
}
[ -n "$before_report" ] && [ -n "$after_report" ] && same_report "$before_report" "$after_report" ||
  check="not ok dump_restore - the report differs after restore"
[ "$ext" = "$default" ] || check="not ok dump_restore - extension not restored (got '$ext')"
[ "$rows" = 5 ] || check="not ok dump_restore - synth_generate unusable after restore"
if catalog "$restored" "$work/after.txt" && ! diff -u "$work/before.txt" "$work/after.txt" >"$work/restore.diff"; then
  sed 's/^/# /' "$work/restore.diff"
  check="not ok dump_restore - the extension's objects differ after restore"
fi
echo "$check (extension tables: $before_config)"
