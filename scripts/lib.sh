# Shared steps of the two set-up commands: dependencies, build, a throwaway cluster.
# Sourced by scripts/main and scripts/test; not meant to be run alone.

PG_MAJOR=${PG_MAJOR:-15}
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PG_MAJOR/bin/pg_config}
PG_BIN=$("$PG_CONFIG" --bindir 2>/dev/null || echo "/usr/lib/postgresql/$PG_MAJOR/bin")
export PG_CONFIG PG_BIN
SYNTH_BASE_PATH=${SYNTH_BASE_PATH:-$PATH}
export PATH="$PG_BIN:$SYNTH_BASE_PATH"

# Switches every later step (build, cluster, psql, pg_regress) to the server of
# the given pg_config: `use_server /var/cache/synthdata/postgresql-18.3-*/bin/pg_config`.
use_server() {
  PG_CONFIG=$1
  PG_BIN=$("$PG_CONFIG" --bindir)
  export PG_CONFIG PG_BIN PATH="$PG_BIN:$SYNTH_BASE_PATH"
}
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Where vendored third-party builds are kept between runs: outside the clone,
# one folder per tarball checksum (see vendor_cache_dir).
SYNTH_CACHE=${SYNTH_CACHE:-/var/cache/synthdata}

log() { printf '==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages we build and test with, only if something is missing.
install_deps() {
  local wanted=(postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR postgresql-contrib
                libboost-random-dev g++ make cmake libgtest-dev clang clang-format
                python3 python3-psycopg2 python3-numpy python3-sklearn python3-scipy python3-pandas python3-statsmodels
                python3-matplotlib
                debhelper postgresql-server-dev-all dpkg-dev fakeroot lintian "$@")
  local missing=()
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages (a few minutes on a fresh machine): ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

# With SYNTH_SERVER_ROOT=/some/dir the extension is installed into, and the
# cluster run from, a private copy of the server's directories instead of the
# system-wide ones: PostgreSQL finds its lib/ and share/ relative to its own
# binary, so copies of postgres, initdb and pg_ctl beside links to everything
# else load this tree's synthdata while another checkout's stays untouched.
private_server() {
  local root=$1 bindir pkglibdir sharedir f
  bindir=$("$PG_CONFIG" --bindir); pkglibdir=$("$PG_CONFIG" --pkglibdir); sharedir=$("$PG_CONFIG" --sharedir)
  mkdir -p "$root$bindir" "$root$pkglibdir" "$root$sharedir/extension"
  for f in "$bindir"/*; do
    case $(basename "$f") in
      postgres|initdb|pg_ctl) cp -f "$f" "$root$bindir/" ;;
      *) ln -sfn "$f" "$root$bindir/" ;;
    esac
  done
  for f in "$pkglibdir"/*; do
    case $(basename "$f") in synthdata*) ;; *) ln -sfn "$f" "$root$pkglibdir/" ;; esac
  done
  for f in "$sharedir"/*; do
    [ "$(basename "$f")" = extension ] || ln -sfn "$f" "$root$sharedir/"
  done
  for f in "$sharedir"/extension/*; do
    case $(basename "$f") in synthdata*) ;; *) ln -sfn "$f" "$root$sharedir/extension/" ;; esac
  done
  chmod -R a+rX "$root"
}

# Builds the extension (PGXS) for the server of PG_CONFIG, without installing it.
# Objects built against another server's headers are not reused: PGXS's
# dependency files do not see a change of server.
build_for_server() {
  local stamp="$ROOT_DIR/build/built-for-pg_config"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$PG_CONFIG" ]; then
    make -C "$ROOT_DIR" -s clean PG_CONFIG="$PG_CONFIG" >/dev/null 2>&1 || true
  fi
  make -C "$ROOT_DIR" -s -j2 PG_CONFIG="$PG_CONFIG" "$@" >/dev/null || return 1
  mkdir -p "$ROOT_DIR/build" && echo "$PG_CONFIG" >"$stamp"
}

# Builds and installs the extension into the server's directories (PGXS).
build_and_install() {
  log "building synthdata against $("$PG_CONFIG" --version)${*:+ ($*)}: a minute or two on 2 cores"
  # A server built into the cache is shared by every checkout on the machine
  # and never installed into: without a private root, make one.
  if [ -z "${SYNTH_SERVER_ROOT:-}" ] && [[ $("$PG_CONFIG" --bindir) == "$SYNTH_CACHE"/* ]]; then
    SYNTH_SERVER_ROOT=$(mktemp -d /tmp/synthdata-server.XXXXXX)
    log "installing into a private copy of the cached server at $SYNTH_SERVER_ROOT"
  fi
  build_for_server "$@" || return 1
  if [ -n "${SYNTH_SERVER_ROOT:-}" ]; then
    private_server "$SYNTH_SERVER_ROOT"
    make -C "$ROOT_DIR" -s PG_CONFIG="$PG_CONFIG" DESTDIR="$SYNTH_SERVER_ROOT" install "$@" >/dev/null || return 1
    PG_BIN="$SYNTH_SERVER_ROOT$("$PG_CONFIG" --bindir)"
    export PG_BIN PATH="$PG_BIN:$PATH"
  else
    as_root make -C "$ROOT_DIR" -s PG_CONFIG="$PG_CONFIG" install "$@" >/dev/null
  fi
}

# A cache folder for a vendored tarball, outside the clone and named by the
# tarball's checksum, so a later run on the same machine reuses the build:
#   dir=$(vendor_cache_dir citus-13.2.2 ../shared/vendor/citus-13.2.2.tar.gz [extra-file...])
# Extra files (a patch, the headers' pg_config.h) are part of the key too.
vendor_cache_dir() {
  local name=$1; shift
  local sum
  sum=$(cat "$@" | sha256sum | cut -c1-16)
  echo "$SYNTH_CACHE/$name-$sum"
}

# The vendored Citus release that builds against a server major version:
# 13.2.2 for PostgreSQL 15 (it supports 15-17), 14.0.1 for 16-18 (it dropped 15).
citus_version_for() {  # $1: the server's major version
  case $1 in
    15) echo 13.2.2 ;;
    16|17|18) echo 14.0.1 ;;
    *) return 1 ;;
  esac
}

# The vendored sources given beside the clone; empty when they are absent.
VENDOR_DIR=${VENDOR_DIR:-$(cd "$ROOT_DIR/../shared/vendor" 2>/dev/null && pwd || true)}

# Starts a throwaway cluster on a Unix socket in a temp dir and exports
# PGHOST/PGPORT/PGUSER for psql, pg_regress and the examples. Stopped on exit.
start_cluster() {
  CLUSTER_DIR=$(mktemp -d /tmp/synthdata-cluster.XXXXXX)
  export PGPORT=${PGPORT:-54329} PGHOST=$CLUSTER_DIR PGUSER=postgres PGDATABASE=postgres
  local run=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$CLUSTER_DIR"
    run=(runuser -u postgres --)
  fi
  CLUSTER_RUN=("${run[@]}")
  # Run from the cluster's folder: the server user may not be able to enter
  # the caller's working directory (a clone under a root-only folder).
  (cd "$CLUSTER_DIR" &&
   "${run[@]}" "$PG_BIN/initdb" -D "$CLUSTER_DIR/data" -U postgres -A trust --no-sync >/dev/null &&
   "${run[@]}" "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w \
     -o "-k $CLUSTER_DIR -p $PGPORT -c listen_addresses='' -c fsync=off -c max_prepared_transactions=8 ${CLUSTER_OPTS:-}" start >/dev/null)
  trap stop_cluster EXIT
  log "throwaway cluster at $CLUSTER_DIR (port $PGPORT)"
}

stop_cluster() {
  if [ -n "${CLUSTER_DIR:-}" ] && [ -d "$CLUSTER_DIR/data" ]; then
    (cd "$CLUSTER_DIR" && "${CLUSTER_RUN[@]}" "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m immediate stop) >/dev/null 2>&1 || true
    rm -rf "$CLUSTER_DIR"
  fi
}

# The pipeline's training table, exactly as docs/design.md §1 lays it out.
create_training_table() {
  psql -v ON_ERROR_STOP=1 -q -f "$ROOT_DIR/examples/training_prompts.sql"
}
