# Shared steps of the two set-up commands: dependencies, build, a throwaway cluster.
# Sourced by scripts/main and scripts/test; not meant to be run alone.

PG_MAJOR=${PG_MAJOR:-15}
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
export PATH="$PG_BIN:$PATH"
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf '==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages we build and test with, only if something is missing.
install_deps() {
  local wanted=(postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR postgresql-contrib
                libboost-random-dev g++ make cmake libgtest-dev clang
                python3 python3-psycopg2 python3-numpy python3-sklearn "$@")
  local missing=()
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

# Builds and installs the extension into the server's directories (PGXS).
build_and_install() {
  log "building synthdata ($*)"
  make -C "$ROOT_DIR" -s -j2 PG_CONFIG="$PG_BIN/pg_config" "$@" >/dev/null
  as_root make -C "$ROOT_DIR" -s PG_CONFIG="$PG_BIN/pg_config" install "$@" >/dev/null
}

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
  "${run[@]}" "$PG_BIN/initdb" -D "$CLUSTER_DIR/data" -U postgres -A trust --no-sync >/dev/null
  "${run[@]}" "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w \
    -o "-k $CLUSTER_DIR -p $PGPORT -c listen_addresses='' -c fsync=off ${CLUSTER_OPTS:-}" start >/dev/null
  trap stop_cluster EXIT
  log "throwaway cluster at $CLUSTER_DIR (port $PGPORT)"
}

stop_cluster() {
  if [ -n "${CLUSTER_DIR:-}" ] && [ -d "$CLUSTER_DIR/data" ]; then
    "${CLUSTER_RUN[@]}" "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$CLUSTER_DIR"
  fi
}

# The pipeline's training table, exactly as DESIGN.md §1 of the contract lays it out.
create_training_table() {
  psql -v ON_ERROR_STOP=1 -q -f "$ROOT_DIR/examples/training_prompts.sql"
}
