#!/usr/bin/env bash
# The Citus suite: builds Citus once (scripts/vendor-citus), lays out a private
# server root holding Citus and this tree's synthdata, starts a coordinator and
# two workers on Unix sockets only, registers the workers, runs the pg_regress
# suite in test/citus/sql against the coordinator, and stops the cluster.
#
# Prints "ok NAME" / "not ok NAME - reason" per test, or "skipped citus - why"
# when the vendored Citus source is not there. Called by scripts/test after
# synthdata is built; usable alone:
#   VENDOR_DIR=../shared/vendor test/citus/run.sh
# With CITUS_KEEP=1 the cluster is left running (its folder is printed) for a
# look by hand or bench/citus; stop it with test/citus/run.sh stop DIR.
set -uo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$ROOT_DIR"

if [ "${1:-}" = stop ]; then
  for node in coordinator worker1 worker2; do
    [ -d "$2/$node" ] && (cd "$2" && runuser -u postgres -- "$(cat "$2/bindir")/pg_ctl" -D "$2/$node" -m fast stop) >/dev/null 2>&1
  done
  rm -rf "$2"
  exit 0
fi

if [ -z "${VENDOR_DIR:-}" ] || [ ! -f "$VENDOR_DIR/citus-13.2.2.tar.gz" ]; then
  echo "skipped citus - no vendored Citus source (VENDOR_DIR=${VENDOR_DIR:-unset} has no citus-13.2.2.tar.gz)"
  exit 0
fi

started=$(date +%s)
if ! citus_cache=$(bash "$ROOT_DIR/scripts/vendor-citus"); then
  echo "not ok citus_build - scripts/vendor-citus failed"
  exit 0
fi

# A private root: the server's own files linked in, synthdata installed from
# this tree, Citus copied from its cache (never into the system's directories).
root=${CITUS_SERVER_ROOT:-}
own_root=
if [ -z "$root" ]; then root=$(mktemp -d /tmp/synthdata-citus-root.XXXXXX); own_root=1; fi
private_server "$root"
make -C "$ROOT_DIR" -s PG_CONFIG="$PG_CONFIG" DESTDIR="$root" install >/dev/null ||
  { echo "not ok citus_install - make install into $root failed"; exit 0; }
for f in "$citus_cache/stage$("$PG_CONFIG" --pkglibdir)"/*; do
  # JIT bitcode is left out: the root's bitcode folder links to the server's.
  [ "$(basename "$f")" = bitcode ] || cp -a "$f" "$root$("$PG_CONFIG" --pkglibdir)/"
done
cp -a "$citus_cache/stage$("$PG_CONFIG" --sharedir)/extension/." "$root$("$PG_CONFIG" --sharedir)/extension/"
chmod -R a+rX "$root"
bindir=$root$("$PG_CONFIG" --bindir)

base=${CITUS_PORT:-$(( ${PGPORT:-54329} + 10 ))}
dir=$(mktemp -d /tmp/synthdata-citus.XXXXXX)
echo "$bindir" >"$dir/bindir"
run=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; run=(runuser -u postgres --); fi

stop_all() {
  for node in coordinator worker1 worker2; do
    [ -d "$dir/$node" ] && (cd "$dir" && "${run[@]}" "$bindir/pg_ctl" -D "$dir/$node" -m immediate stop) >/dev/null 2>&1
  done
  rm -rf "$dir"
  [ -n "$own_root" ] && rm -rf "$root"
}
[ "${CITUS_KEEP:-}" = 1 ] || trap stop_all EXIT

# One line: pg_ctl hands the options to a shell, where a newline would end the command.
opts="-k $dir -c listen_addresses='' -c fsync=off -c shared_preload_libraries=citus"
opts+=" -c max_prepared_transactions=40 -c max_connections=60 -c max_wal_size=4GB"
port=$base
for node in coordinator worker1 worker2; do
  if ! (cd "$dir" &&
        "${run[@]}" "$bindir/initdb" -D "$dir/$node" -U postgres -A trust --no-sync >/dev/null &&
        "${run[@]}" "$bindir/pg_ctl" -D "$dir/$node" -l "$dir/$node.log" -w -o \
          "$opts -p $port" start >/dev/null); then
    echo "not ok citus_cluster - $node did not start"; tail -n 20 "$dir/$node.log" >&2; exit 0
  fi
  port=$((port + 1))
done

export PGHOST=$dir PGUSER=postgres PGPORT=$base PGDATABASE=citus_suite
for p in "$base" $((base + 1)) $((base + 2)); do
  psql -X -q -p "$p" -d postgres -c "CREATE DATABASE citus_suite" &&
  psql -X -q -p "$p" -c "CREATE EXTENSION citus" || { echo "not ok citus_cluster - CREATE EXTENSION citus on port $p"; exit 0; }
done
# The nodes reach each other through the socket folder: libpq takes a host
# that starts with a slash as one. No TCP port is opened.
if ! psql -X -q -v ON_ERROR_STOP=1 <<SQL >/dev/null
SELECT citus_set_coordinator_host('$dir', $base);
SELECT citus_add_node('$dir', $((base + 1)));
SELECT citus_add_node('$dir', $((base + 2)));
CREATE EXTENSION synthdata;
SQL
then echo "not ok citus_cluster - could not register the workers"; exit 0; fi
log "Citus cluster up in $(( $(date +%s) - started ))s (coordinator port $base, workers $((base + 1)), $((base + 2)))"

if [ "${CITUS_KEEP:-}" = 1 ]; then
  echo "citus cluster kept at $dir (PGHOST=$dir PGPORT=$base PGDATABASE=citus_suite)"
  exit 0
fi

PGXS_DIR=$(dirname "$("$PG_CONFIG" --pgxs)")/../..
out=$ROOT_DIR/build/citus
rm -rf "$out"; mkdir -p "$out"
tests=$(ls test/citus/sql/*.sql | sed 's|.*/||; s|\.sql$||' | sort)
"$PGXS_DIR/src/test/regress/pg_regress" --use-existing --inputdir=test/citus --outputdir="$out" \
  --bindir="$bindir" --dbname=citus_suite $tests >"$out/log" 2>&1
while read -r name result; do
  if [ "$result" = ok ]; then echo "ok citus/$name"; else echo "not ok citus/$name - see $out/regression.diffs"; fi
done < <(sed -n 's/^test \([a-z_0-9]*\) *\.\.\. \(ok\|FAILED\|failed\).*/\1 \2/p' "$out/log")
grep -qE '^test .* \.\.\. ' "$out/log" || { echo "not ok citus_suite - pg_regress did not run"; cat "$out/log" >&2; }
[ -s "$out/regression.diffs" ] && cat "$out/regression.diffs" >&2
log "Citus suite done in $(( $(date +%s) - started ))s"
exit 0
