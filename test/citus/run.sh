#!/usr/bin/env bash
# The Citus suite on the server of PG_CONFIG: builds the Citus release for that
# server once (scripts/vendor-citus: 13.2.2 for PostgreSQL 15, 14.0.1 for 16-18,
# see citus_version_for in scripts/lib.sh; CITUS_VERSION overrides), lays out a
# private server root holding Citus and this tree's synthdata, starts a
# coordinator and two workers on Unix sockets only, registers the workers, runs
# the pg_regress suite in test/citus/sql against the coordinator, and stops the
# cluster. The same expected output serves every Citus release: the suite
# asserts properties (one task per shard, no row through the coordinator, equal
# md5s), not the text of a plan.
#
# Prints "ok citus_pgN/NAME" / "not ok citus_pgN/NAME - reason" per test, or
# "skipped citus_pgN - why" when the vendored Citus source for that server is
# not there. Called by scripts/test after synthdata is built; usable alone:
#   VENDOR_DIR=../shared/vendor test/citus/run.sh
#   VENDOR_DIR=../shared/vendor PG_CONFIG=$(bash scripts/vendor-postgres) test/citus/run.sh
# With CITUS_KEEP=1 the cluster is left running (its folder is printed) for a
# look by hand or bench/citus; stop it with test/citus/run.sh stop DIR.
set -uo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$ROOT_DIR"

if [ "${1:-}" = stop ]; then
  for node in coordinator worker1 worker2; do
    [ -d "$2/$node" ] && (cd "$2" && runuser -u postgres -- "$(cat "$2/bindir")/pg_ctl" -D "$2/$node" -m fast stop) >/dev/null 2>&1
  done
  # The private root the kept cluster ran from, when run.sh made it.
  [ -s "$2/own_root" ] && rm -rf "$(cat "$2/own_root")"
  rm -rf "$2"
  exit 0
fi

major=$("$PG_CONFIG" --version | sed -n 's/^PostgreSQL \([0-9]*\).*/\1/p')
suite=citus_pg$major
version=${CITUS_VERSION:-$(citus_version_for "$major")} ||
  { echo "skipped $suite - no vendored Citus release builds against PostgreSQL $major"; exit 0; }
if [ -z "${VENDOR_DIR:-}" ]; then
  echo "skipped $suite - no vendored sources (../shared/vendor is absent and VENDOR_DIR is unset)"
  exit 0
fi
if [ ! -f "$VENDOR_DIR/citus-$version.tar.gz" ]; then
  echo "skipped $suite - no vendored Citus $version source ($VENDOR_DIR has no citus-$version.tar.gz)"
  exit 0
fi

started=$(date +%s)
if ! citus_cache=$(bash "$ROOT_DIR/scripts/vendor-citus" "$version"); then
  echo "not ok $suite/build - scripts/vendor-citus $version failed against PostgreSQL $major"
  exit 0
fi
# The tree as built for this server (scripts/test has built it; alone, build it).
build_for_server || { echo "not ok $suite/synthdata_build - synthdata does not build against PostgreSQL $major"; exit 0; }

# A private root: the server's own files linked in, synthdata installed from
# this tree, Citus copied from its cache (never into the system's directories).
root=${CITUS_SERVER_ROOT:-}
own_root=
if [ -z "$root" ]; then root=$(mktemp -d /tmp/synthdata-citus-root.XXXXXX); own_root=1; fi
private_server "$root"
make -C "$ROOT_DIR" -s PG_CONFIG="$PG_CONFIG" DESTDIR="$root" install >/dev/null ||
  { echo "not ok $suite/install - make install into $root failed"; exit 0; }
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
[ -n "$own_root" ] && echo "$root" >"$dir/own_root"
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
    echo "not ok $suite/cluster - $node did not start"; tail -n 20 "$dir/$node.log" >&2; exit 0
  fi
  port=$((port + 1))
done

export PGHOST=$dir PGUSER=postgres PGPORT=$base PGDATABASE=citus_suite
for p in "$base" $((base + 1)) $((base + 2)); do
  psql -X -q -p "$p" -d postgres -c "CREATE DATABASE citus_suite" &&
  psql -X -q -p "$p" -c "CREATE EXTENSION citus" || { echo "not ok $suite/cluster - CREATE EXTENSION citus on port $p"; exit 0; }
done
# The nodes reach each other through the socket folder: libpq takes a host
# that starts with a slash as one. No TCP port is opened.
if ! psql -X -q -v ON_ERROR_STOP=1 <<SQL >/dev/null
SELECT citus_set_coordinator_host('$dir', $base);
SELECT citus_add_node('$dir', $((base + 1)));
SELECT citus_add_node('$dir', $((base + 2)));
CREATE EXTENSION synthdata;
SQL
then echo "not ok $suite/cluster - could not register the workers"; exit 0; fi
log "Citus cluster up in $(( $(date +%s) - started ))s (coordinator port $base, workers $((base + 1)), $((base + 2)))"

if [ "${CITUS_KEEP:-}" = 1 ]; then
  echo "citus cluster kept at $dir (PGHOST=$dir PGPORT=$base PGDATABASE=citus_suite)"
  exit 0
fi

PGXS_DIR=$(dirname "$("$PG_CONFIG" --pgxs)")/../..
out=$ROOT_DIR/build/$suite
rm -rf "$out"; mkdir -p "$out"
tests=$(ls test/citus/sql/*.sql | sed 's|.*/||; s|\.sql$||' | sort)
"$PGXS_DIR/src/test/regress/pg_regress" --use-existing --inputdir=test/citus --outputdir="$out" \
  --bindir="$bindir" --dbname=citus_suite $tests >"$out/log" 2>&1
# pg_regress prints "test NAME ... ok" up to 15 and TAP ("ok 1 - NAME", "not ok 2 - NAME") from 16.
while read -r name result; do
  if [ "$result" = ok ]; then echo "ok $suite/$name"; else echo "not ok $suite/$name - see $out/regression.diffs"; fi
done < <(sed -nE 's/^test ([a-z_0-9]+) +\.\.\. (ok|FAILED|failed).*/\1 \2/p
                 s/^ok [0-9]+ +- +([a-z_0-9]+) .*/\1 ok/p
                 s/^not ok [0-9]+ +- +([a-z_0-9]+) .*/\1 FAILED/p' "$out/log")
grep -qE '^test .* \.\.\. |^(not )?ok [0-9]+ ' "$out/log" ||
  { echo "not ok $suite/pg_regress - pg_regress did not run"; cat "$out/log" >&2; }
[ -s "$out/regression.diffs" ] && cat "$out/regression.diffs" >&2
# Every node must have survived the suite: a crashed backend, a failed
# assertion or a PANIC on any of them fails it even when the output matched.
crashes=$(grep -HE 'terminated by signal|PANIC|TRAP' "$dir"/coordinator.log "$dir"/worker[12].log)
if [ -n "$crashes" ]; then
  echo "not ok $suite/server_logs - a node's log holds crash lines"; echo "$crashes" >&2
else
  echo "ok $suite/server_logs"
fi
log "Citus $version suite on PostgreSQL $major done in $(( $(date +%s) - started ))s"
exit 0
