#!/usr/bin/env bash
# synthdata-check: once
# The Debian package, end to end: builds postgresql-NN-synthdata with Debian's
# tools (dpkg-buildpackage, pg_buildext) from a copy of the tree in a temp dir,
# so the checkout stays clean; lints the .deb (no E: tags allowed); unpacks it
# with dpkg -x into a private copy of the server's directories, never into the
# system; starts a throwaway cluster of that copy and runs the regression
# suite against the installed files (pg_regress runs CREATE EXTENSION
# synthdata). Prints "ok NAME" / "not ok NAME - reason"; exits 0 either way.
#
# It needs no cluster of the test command's, only Debian's PostgreSQL
# (postgresql-NN, postgresql-server-dev-all); it runs once per test run.
# DEB_CHECK_PORT (default PGPORT + 2) is the port of its own cluster.
set -uo pipefail
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d /tmp/synthdata-deb.XXXXXX)
export DEB_CHECK_PORT=${DEB_CHECK_PORT:-$(( ${PGPORT:-54329} + 2 ))}
chmod a+rx "$WORK"  # the server user reads the unpacked package from here
trap 'rm -rf "$WORK"' EXIT

version=$(sed -n '1s/^synthdata (\([^)]*\)).*/\1/p' "$ROOT_DIR/debian/changelog")
src="$WORK/synthdata-$version"

# 1. Build, from the files of the checkout (committed or not, less what .gitignore drops).
mkdir -p "$src"
if git -C "$ROOT_DIR" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$ROOT_DIR" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -xf - -C "$src"
else
  (cd "$ROOT_DIR" && tar --exclude=./build --exclude='*.o' --exclude='*.so' -cf - .) | tar -xf - -C "$src"
fi
# The package is built for every server major this machine has headers for:
# PG_UPDATECONTROL lets pg_buildext regenerate debian/control for them.
if (cd "$src" && PG_UPDATECONTROL=yes DEB_BUILD_OPTIONS="nocheck noautodbgsym parallel=2" \
      dpkg-buildpackage -us -uc -b) >"$WORK/build.log" 2>&1; then
  debs=$(ls "$WORK"/postgresql-*-synthdata_"$version"_*.deb 2>/dev/null)
fi
if [ -n "${debs:-}" ]; then
  echo "ok package_build ($(for d in $debs; do basename "$d"; done | tr '\n' ' ' | sed 's/ $//'))"
else
  tail -n 30 "$WORK/build.log" | sed 's/^/# /'
  echo "not ok package_build - dpkg-buildpackage failed"
  echo "not ok package_lintian - no package"
  echo "not ok package_regress - no package"
  exit 0
fi

# 2. Lintian: warnings are shown, errors fail.
lint=$(lintian --tag-display-limit 0 $debs 2>&1 | grep -v "^running with root privileges")
[ -z "$lint" ] || sed 's/^/# /' <<<"$lint"
if grep -q '^E: ' <<<"$lint"; then
  echo "not ok package_lintian - $(grep -c '^E: ' <<<"$lint") error(s)"
else
  echo "ok package_lintian"
fi

# 3. Each package, unpacked beside a private copy of its server, passes the regression suite.
tests=$(ls "$src"/test/sql/*.sql | sed 's|.*/sql/||; s|\.sql$||' | sort)
for deb in $debs; do
  major=$(basename "$deb" | sed -n 's/^postgresql-\([0-9]*\)-synthdata_.*/\1/p')
  name="package_regress_$major"
  (
    PG_CONFIG=/usr/lib/postgresql/$major/bin/pg_config
    source "$ROOT_DIR/scripts/lib.sh"
    root="$WORK/root-$major"
    private_server "$root"
    dpkg -x "$deb" "$root"
    chmod -R a+rX "$root"
    PG_BIN="$root$("$PG_CONFIG" --bindir)"
    [ -e "$root$("$PG_CONFIG" --pkglibdir)/synthdata.so" ] &&
      [ -e "$root$("$PG_CONFIG" --sharedir)/extension/synthdata.control" ] ||
      { echo "not ok $name - the package does not hold synthdata.so and synthdata.control"; exit 0; }
    export PGPORT=$DEB_CHECK_PORT
    start_cluster 2>/dev/null
    out="$WORK/regress-$major"
    mkdir -p "$out"
    chmod a+rwx "$out"
    pgxs=$(dirname "$("$PG_CONFIG" --pgxs)")/../..
    (cd "$src" && "$pgxs/src/test/regress/pg_regress" --inputdir=test --outputdir="$out" \
       --bindir="$PG_BIN" --load-extension=synthdata --dbname=contrib_regression $tests) \
       >"$out/log" 2>&1
    ok=$(grep -cE '\.\.\. ok|^ok [0-9]+ ' "$out/log"); bad=$(grep -cE '\.\.\. (FAILED|failed)|^not ok [0-9]+ ' "$out/log")
    if [ "$ok" -gt 0 ] && [ "$bad" = 0 ]; then
      echo "ok $name ($ok suites against the installed package)"
    else
      sed 's/^/# /' "$out/log"
      [ -s "$out/regression.diffs" ] && sed 's/^/# /' "$out/regression.diffs" | head -n 200
      echo "not ok $name - $bad of $((ok + bad)) suites failed"
    fi
  )
done
exit 0
