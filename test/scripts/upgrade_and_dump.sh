#!/usr/bin/env bash
# Checks of the extension's life cycle in a server: every update path from
# 1.0 works, and pg_dump/pg_restore of a database using synthdata round-trips
# the extension and the table data. Runs in the cluster the test command
# started (PGHOST/PGPORT/PGUSER exported). Prints "ok NAME" / "not ok NAME".
set -uo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
db="synth_lifecycle_$$"
restored="${db}_restored"
dump=$(mktemp /tmp/synthdata-dump.XXXXXX)
cleanup() {
  "$PG_BIN/dropdb" --if-exists "$db" >/dev/null 2>&1
  "$PG_BIN/dropdb" --if-exists "$restored" >/dev/null 2>&1
  rm -f "$dump"
}
trap cleanup EXIT
q() { "$PG_BIN/psql" -X -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

"$PG_BIN/createdb" "$db" || { echo "not ok update_paths - createdb failed"; echo "not ok dump_restore - createdb failed"; exit 0; }

# 1. Update paths: install the first version, then walk every path the server knows.
check="ok update_paths"
q "$db" "CREATE EXTENSION synthdata VERSION '1.0'" >/dev/null || check="not ok update_paths - CREATE EXTENSION failed"
paths=$(q "$db" "SELECT target FROM pg_extension_update_paths('synthdata') WHERE source = '1.0' AND path IS NOT NULL ORDER BY target")
for target in $paths; do
  q "$db" "ALTER EXTENSION synthdata UPDATE TO '$target'" >/dev/null || check="not ok update_paths - 1.0 -> $target failed"
  q "$db" "SELECT count(*) FROM synth_generate(10, 1)" | grep -qx 10 || check="not ok update_paths - synth_generate broken after $target"
  q "$db" "DROP EXTENSION synthdata; CREATE EXTENSION synthdata VERSION '1.0'" >/dev/null
done
q "$db" "ALTER EXTENSION synthdata UPDATE" >/dev/null 2>&1 || check="not ok update_paths - ALTER EXTENSION UPDATE failed"
default=$(q "$db" "SELECT default_version FROM pg_available_extensions WHERE name = 'synthdata'")
installed=$(q "$db" "SELECT extversion FROM pg_extension WHERE extname = 'synthdata'")
[ "$installed" = "$default" ] || check="not ok update_paths - installed $installed, default $default"
echo "$check (paths from 1.0: ${paths:-none})"

# 2. Dump and restore: the extension comes back as an extension, the rows byte for byte.
check="ok dump_restore"
q "$db" "CREATE TABLE training_prompts (id serial PRIMARY KEY, prompt_text varchar(10000) NOT NULL,
           enhancement_result jsonb NOT NULL, data_source varchar(50) NOT NULL,
           training_priority integer NOT NULL, created_at timestamp NOT NULL,
           is_active boolean NOT NULL DEFAULT true);
         SELECT synth_insert('training_prompts', 500, seed => 3);" >/dev/null || check="not ok dump_restore - setup failed"
digest="SELECT md5(string_agg(prompt_text || enhancement_result::text || training_priority, '|' ORDER BY id)) FROM training_prompts"
before=$(q "$db" "$digest")
"$PG_BIN/pg_dump" -Fc -f "$dump" "$db" || check="not ok dump_restore - pg_dump failed"
"$PG_BIN/createdb" "$restored" && "$PG_BIN/pg_restore" -d "$restored" "$dump" || check="not ok dump_restore - pg_restore failed"
after=$(q "$restored" "$digest" 2>/dev/null)
ext=$(q "$restored" "SELECT extversion FROM pg_extension WHERE extname = 'synthdata'" 2>/dev/null)
rows=$(q "$restored" "SELECT count(*) FROM synth_generate(5, 3)" 2>/dev/null)
[ -n "$before" ] && [ "$before" = "$after" ] || check="not ok dump_restore - data differs after restore ($before vs $after)"
[ "$ext" = "$default" ] || check="not ok dump_restore - extension not restored (got '$ext')"
[ "$rows" = 5 ] || check="not ok dump_restore - synth_generate unusable after restore"
echo "$check"
