-- synth_compare with a holdout: the synthetic rows against rows the fit never
-- saw beside the ceiling (the real rows against the same holdout), and
-- augmentation (the model trained with synthetic rows added, scored on the
-- holdout).
\set VERBOSITY default
CREATE SCHEMA synth_compare_holdout;
SET search_path = synth_compare_holdout;
SELECT setseed(0.5);
-- The score follows the first feature; the real rows and the holdout are
-- drawn alike.
CREATE TABLE train_rows AS
  SELECT ARRAY[x, random(), random()] AS feature_vector,
         least(1, greatest(0, x + (random() - 0.5) * 0.3)) AS effectiveness_score
  FROM (SELECT random() AS x FROM generate_series(1, 200)) AS g;
CREATE TABLE holdout_rows AS
  SELECT ARRAY[x, random(), random()] AS feature_vector,
         least(1, greatest(0, x + (random() - 0.5) * 0.3)) AS effectiveness_score
  FROM (SELECT random() AS x FROM generate_series(1, 2000)) AS g;
-- A memorising generator: each real row again, moved by a hair.
CREATE TABLE memorised_rows AS
  SELECT ARRAY[f[1] + 1e-9, f[2] + 1e-9, f[3] + 1e-9] AS feature_vector, effectiveness_score
  FROM (SELECT feature_vector AS f, effectiveness_score, generate_series(1, 5) FROM train_rows) AS r;
-- A faithful generator: fresh rows of the same kind.
CREATE TABLE fresh_rows AS
  SELECT ARRAY[x, random(), random()] AS feature_vector,
         least(1, greatest(0, x + (random() - 0.5) * 0.3)) AS effectiveness_score
  FROM (SELECT random() AS x FROM generate_series(1, 1000)) AS g;
-- A harmful generator: the score runs against the first feature.
CREATE TABLE reversed_rows AS
  SELECT ARRAY[x, random(), random()] AS feature_vector, 1 - x AS effectiveness_score
  FROM (SELECT random() AS x FROM generate_series(1, 2000)) AS g;

-- The keys; without a holdout both parts are null.
WITH r AS (SELECT public.synth_compare('train_rows', 'fresh_rows', holdout => 'holdout_rows', bootstrap => 20) AS r)
SELECT (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(r->'against_holdout') AS k) AS against_holdout,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(r->'augmentation') AS k) AS augmentation,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(r->'augmentation'->'loader') AS k) AS arm,
       jsonb_array_length(r->'against_holdout'->'columns') AS columns,
       r->'against_holdout'->'rows' AS rows
FROM r;
SELECT r->'against_holdout' AS against_holdout, r->'augmentation' AS augmentation
FROM public.synth_compare('train_rows', 'fresh_rows', bootstrap => 0) r;

-- Memorised rows score above the ceiling against their own train rows, and
-- no higher than it against the holdout: the ceiling shows the memorising.
WITH r AS (SELECT public.synth_compare('train_rows', 'memorised_rows', holdout => 'holdout_rows', bootstrap => 0) AS r)
SELECT (r->'quality'->>'score')::float8 > (r->'against_holdout'->'quality'->>'ceiling')::float8 + 0.02 AS above_ceiling_on_train,
       (r->'against_holdout'->'quality'->>'synthetic')::float8 <= (r->'against_holdout'->'quality'->>'ceiling')::float8 + 0.005 AS not_above_on_holdout,
       (r->'privacy'->'holdout'->>'closer_to_real')::float8 > 0.9 AS closer_to_real
FROM r;
-- Fresh rows reach the ceiling on quality, detection and every column.
WITH r AS (SELECT public.synth_compare('train_rows', 'fresh_rows', holdout => 'holdout_rows', bootstrap => 0) AS r)
SELECT abs((r->'against_holdout'->'quality'->>'synthetic')::float8 - (r->'against_holdout'->'quality'->>'ceiling')::float8) < 0.05 AS quality_at_ceiling,
       (r->'against_holdout'->'detection'->>'synthetic')::float8 > 0.8 AS detection_high,
       (r->'against_holdout'->'detection'->>'ceiling')::float8 > 0.8 AS ceiling_high,
       (SELECT bool_and(abs((c->>'synthetic')::float8 - (c->>'ceiling')::float8) < 0.1)
        FROM jsonb_array_elements(r->'against_holdout'->'columns') c) AS columns_at_ceiling
FROM r;
-- The reversed rows fail against the holdout as against the train rows,
-- while the ceiling stays high.
WITH r AS (SELECT public.synth_compare('train_rows', 'reversed_rows', holdout => 'holdout_rows', bootstrap => 0) AS r)
SELECT (r->'against_holdout'->'column_pair_trends'->>'synthetic')::float8 < 0.5 AS trend_lost,
       (r->'against_holdout'->'column_pair_trends'->>'ceiling')::float8 > 0.9 AS ceiling_trend_kept
FROM r;

-- Augmentation. The loader adds max(20 - R, floor(0.3 R)) synthetic rows to R
-- real ones: 60 to 200; the named ratio adds floor(ratio R).
WITH r AS (SELECT public.synth_compare('train_rows', 'reversed_rows', holdout => 'holdout_rows', bootstrap => 100,
                                       augment_ratio => 3) AS r)
SELECT r->'augmentation'->'real_rows' AS real_rows, r->'augmentation'->'holdout_rows' AS holdout_rows,
       r->'augmentation'->'loader'->'ratio' AS loader_ratio, r->'augmentation'->'loader'->'synthetic_rows' AS loader_rows,
       r->'augmentation'->'named'->'ratio' AS named_ratio, r->'augmentation'->'named'->'synthetic_rows' AS named_rows,
       (r->'augmentation'->>'real_accuracy')::float8 > 0.75 AS real_alone_good,
       -- Rows whose score runs the other way hurt, and three a row hurt more.
       (r->'augmentation'->'named'->>'difference')::float8 < -0.2 AS named_hurts,
       (r->'augmentation'->'named'->'interval'->>1)::float8 < 0 AS named_interval_below_zero,
       (r->'augmentation'->'named'->>'difference')::float8 < (r->'augmentation'->'loader'->>'difference')::float8 AS more_hurts_more,
       abs((r->'augmentation'->'loader'->>'accuracy')::float8 - (r->'augmentation'->>'real_accuracy')::float8
           - (r->'augmentation'->'loader'->>'difference')::float8) < 1e-12 AS difference_adds_up
FROM r;
-- Fresh rows of the same kind do not hurt.
WITH r AS (SELECT public.synth_compare('train_rows', 'fresh_rows', holdout => 'holdout_rows', bootstrap => 100,
                                       augment_ratio => 3) AS r)
SELECT (r->'augmentation'->'named'->>'difference')::float8 > -0.03 AS fresh_does_not_hurt,
       (r->'augmentation'->'named'->'interval'->>1)::float8 >= 0 AS interval_reaches_zero
FROM r;

-- The page shows both parts.
SELECT line FROM public.synth_compare_report('train_rows', 'reversed_rows', holdout => 'holdout_rows', bootstrap => 0,
                                             augment_ratio => 3) AS line
WHERE line ~ '^(against the holdout|  quality  |  detection  |augmentation|  \+ )';

-- augment_ratio's bounds name the argument.
SELECT public.synth_compare('train_rows', 'fresh_rows', augment_ratio => 0);
\echo :LAST_ERROR_SQLSTATE
SELECT public.synth_compare('train_rows', 'fresh_rows', augment_ratio => 10.5);
\echo :LAST_ERROR_SQLSTATE
SELECT public.synth_compare('train_rows', 'fresh_rows', augment_ratio => 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT public.synth_compare('train_rows', 'fresh_rows', augment_ratio => NULL);
\echo :LAST_ERROR_SQLSTATE

RESET search_path;
DROP SCHEMA synth_compare_holdout CASCADE;
