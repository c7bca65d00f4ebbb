#!/usr/bin/env bash
# The picture of a comparison, proven real: in a database of its own, a pipeline table gets
# real rows (five named features, three domains), synth_refresh fits them and inserts fitted
# synthetic rows, and examples/plot_compare.py draws real against synthetic into one PNG. The
# PNG must be a real picture: a plausible file size, the dimensions the figure asks for,
# pixels that are not all one colour, and one panel per column plus the two heatmaps.
# With COMPARE_PICTURE_OUT=path the rendered PNG is kept there (docs/compare.png is made so).
# Runs in the cluster scripts/test started (PGHOST/PGPORT/PGUSER exported). Prints one
# "ok NAME" or "not ok NAME - reason" line per check and exits 0 whatever they say.
set -uo pipefail

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PYTHON=/usr/bin/python3          # Debian's, with python3-matplotlib, -numpy and -psycopg2
PLOT="$ROOT_DIR/examples/plot_compare.py"
CHECKS=(picture_rendered picture_file_size picture_dimensions picture_not_blank picture_panels)
MIN_BYTES=20000                  # a figure of 9 drawn panels; an empty canvas is a few KB
MAX_BYTES=400000

DB=synth_picture_$$
WORK=$(mktemp -d /tmp/synth_picture.XXXXXX)
declare -A RESULT=()

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  dropdb --if-exists "$DB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

pass() { RESULT[$1]="ok $1"; }
fail() { RESULT[$1]="not ok $1 - $2"; }
fail_all() { local name; for name in "${CHECKS[@]}"; do fail "$name" "$1"; done; }

# Real rows in the pipeline's layout: clarity drives specificity, ambiguity and the score,
# steps is a whole number 1..5, novelty is noise; three domains.
setup_db() {
  createdb "$DB" &&
    PGDATABASE=$DB psql -X -v ON_ERROR_STOP=1 -q -c 'CREATE EXTENSION synthdata' \
      -f "$ROOT_DIR/examples/training_prompts.sql" -f - <<'SQL'
SELECT setseed(0.25);
INSERT INTO training_prompts (prompt_text, enhancement_result, data_source, training_priority, created_at)
SELECT 'a real prompt, number ' || g,
       jsonb_build_object(
         'feature_vector', jsonb_build_array(
             round(q, 3),
             round(least(1, greatest(0, 0.7 * q + 0.3 * random()))::numeric, 3),
             (1 + floor(random() * 5))::int,
             round(random()::numeric, 3),
             round(least(1, greatest(0, 1 - q + 0.2 * (random() - 0.5)))::numeric, 3)),
         'effectiveness_score', round(least(1, greatest(0, 0.6 * q + 0.4 * random()))::numeric, 3),
         'metadata', jsonb_build_object(
             'domain', (ARRAY['technical', 'creative', 'support'])[1 + g % 3],
             'feature_names', jsonb_build_array('clarity', 'specificity', 'steps', 'novelty', 'ambiguity'))),
       'user', 100, '2024-01-01'
FROM (SELECT g, random()::numeric AS q FROM generate_series(1, 800) g) s;
SELECT synth_refresh('training_prompts', min_rows => 1600);
SQL
}

check_picture() {
  local png="$WORK/compare.png" line panels columns size facts width height spread inked
  if ! line=$(PGDATABASE=$DB "$PYTHON" "$PLOT" "$png" training_prompts 2>"$WORK/plot.err"); then
    fail_all "plot_compare.py failed: $(tail -n 1 "$WORK/plot.err")"
    return
  fi
  if [ ! -s "$png" ]; then
    fail_all "plot_compare.py said \"$line\" but wrote no $png"
    return
  fi
  pass picture_rendered
  echo "# $line"
  if [ -n "${COMPARE_PICTURE_OUT:-}" ]; then cp "$png" "$COMPARE_PICTURE_OUT"; fi

  size=$(stat -c %s "$png")
  if [ "$size" -ge "$MIN_BYTES" ] && [ "$size" -le "$MAX_BYTES" ]; then pass picture_file_size
  else fail picture_file_size "$size bytes, not between $MIN_BYTES and $MAX_BYTES"; fi

  # Width, height, the pixels' standard deviation and the share of pixels that are not
  # background, read back from the file with matplotlib's own PNG reader.
  facts=$("$PYTHON" - "$png" <<'PY' 2>"$WORK/read.err"
import sys
import matplotlib.image as mpimg
import numpy as np
image = mpimg.imread(sys.argv[1])[..., :3]
background = np.all(image > 0.97, axis=-1)
print(image.shape[1], image.shape[0], "%.4f" % image.std(), "%.4f" % (1 - background.mean()))
PY
  )
  if [ -z "$facts" ]; then
    fail picture_dimensions "cannot read the PNG back: $(tail -n 1 "$WORK/read.err")"
    fail picture_not_blank "cannot read the PNG back: $(tail -n 1 "$WORK/read.err")"
  else
    read -r width height spread inked <<<"$facts"
    echo "# $width x $height pixels, $size bytes, pixel std $spread, non-background share $inked"
    # 7 columns, 4 a row in 4.2 x 3.0 inch cells, and a 5 inch row of heatmaps, at 80 dpi: 1344 x 880.
    if [ "$width" = 1344 ] && [ "$height" = 880 ]; then pass picture_dimensions
    else fail picture_dimensions "$width x $height pixels, want 1344 x 880"; fi
    if "$PYTHON" -c 'import sys; sys.exit(0 if float(sys.argv[1]) > 0.1 and 0.05 < float(sys.argv[2]) < 0.95 else 1)' \
         "$spread" "$inked"; then
      pass picture_not_blank
    else
      fail picture_not_blank "pixel std $spread (want > 0.1), non-background share $inked (want 0.05..0.95)"
    fi
  fi

  # One panel per column of the comparison, as the database counts them, plus two heatmaps.
  columns=$(PGDATABASE=$DB psql -X -At -c \
    "SELECT jsonb_array_length(synth_compare_detail('training_prompts')->'distributions')" 2>&1)
  panels=$(sed -n 's/.*: \([0-9]*\) panels for \([0-9]*\) columns$/\1/p' <<<"$line")
  if [ "$columns" = 7 ] && [ "$panels" = $((columns + 2)) ]; then pass picture_panels
  else fail picture_panels "drew ${panels:-?} panels for $columns columns (want 7 columns, 9 panels)"; fi
}

if ! "$PYTHON" -c 'import matplotlib, numpy, psycopg2' 2>"$WORK/import.err"; then
  fail_all "Debian's python3-matplotlib is missing ($(tail -n 1 "$WORK/import.err")): scripts/lib.sh install_deps installs it"
elif setup_db >"$WORK/setup.log" 2>&1; then
  check_picture
else
  fail_all "cannot set up database $DB: $(grep -m 1 -E 'ERROR|error' "$WORK/setup.log")"
fi

for name in "${CHECKS[@]}"; do
  echo "${RESULT[$name]:-not ok $name - the check did not run}"
done
exit 0
