#!/usr/bin/env bash
# The maps of the tree match the tree: src/engine/README.md and
# src/pg/README.md name every source file of their floor (by its stem:
# x.hpp and x.cpp are one row) and no file that is gone.
# synthdata-check: once
set -uo pipefail
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT_DIR"
check_map() {  # $1: map, $2...: folders whose files it must name
  local map=$1; shift
  local missing=() stale=() stem named
  if [ ! -f "$map" ]; then echo "not ok layout_map $map - no such file"; return; fi
  for dir in "$@"; do
    for f in "$dir"/*.cpp "$dir"/*.hpp; do
      [ -e "$f" ] || continue
      stem=$(basename "${f%.*}")
      grep -q "\`$stem\`" "$map" || missing+=("$f")
    done
  done
  # Every name the map gives in backquotes at the start of a table row must exist.
  while read -r named; do
    found=0
    for dir in "$@"; do
      { [ -e "$dir/$named.cpp" ] || [ -e "$dir/$named.hpp" ]; } && found=1
    done
    [ $found = 1 ] || stale+=("$named")
  done < <(sed -n 's/^| `\([A-Za-z0-9_]*\)`.*/\1/p' "$map")
  if [ ${#missing[@]} -eq 0 ] && [ ${#stale[@]} -eq 0 ]; then
    echo "ok layout_map $map"
  else
    echo "not ok layout_map $map - not named: ${missing[*]:-none}; named but gone: ${stale[*]:-none}"
  fi
}
check_map src/engine/README.md src/engine/*/
check_map src/pg/README.md src/pg
exit 0
