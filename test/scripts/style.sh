#!/usr/bin/env bash
# Style that checks itself: every C++ file of the tree is as clang-format
# (the repository's .clang-format) writes it; the generated Beta tables
# aside. Prints "ok style_format" or "not ok style_format" with the files and
# the command that fixes them. (The lengths of files and functions: sizes.sh.)
# synthdata-check: once
set -uo pipefail
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT_DIR"
FORMAT=${CLANG_FORMAT:-clang-format}
if ! command -v "$FORMAT" >/dev/null; then
  echo "not ok style_format - $FORMAT is not installed"
  exit 0
fi
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' | grep -v '^src/engine/generate/beta_quantile_tables.cpp$')
[ ${#files[@]} -gt 0 ] || mapfile -t files < <(find src test tools -name '*.cpp' -o -name '*.hpp' | grep -v beta_quantile_tables)
bad=()
for f in "${files[@]}"; do
  "$FORMAT" --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -eq 0 ]; then
  echo "ok style_format (${#files[@]} C++ files as clang-format writes them)"
else
  echo "not ok style_format - ${#bad[@]} of ${#files[@]} C++ files differ from clang-format: ${bad[*]}"
  echo "# fix with: clang-format -i ${bad[*]}"
fi
exit 0
