-- synth_compare / synth_compare_report: the report's keys, the scores of
-- identical and shifted sides, both layouts, one table split by data_source,
-- a holdout, the bootstrap switch and its determinism.
\set VERBOSITY default
CREATE SCHEMA synth_compare_test;
SET search_path = synth_compare_test;
SELECT setseed(0.25);
CREATE TABLE real_rows AS
  SELECT ARRAY[x, x * 100 + random() * 10, random(), floor(random() * 5)] AS feature_vector,
         least(1, greatest(0, x + (random() - 0.5) * 0.2)) AS effectiveness_score,
         (ARRAY['technical', 'creative', 'analytical'])[1 + (i % 3)] AS domain,
         true AS is_active
  FROM (SELECT i, random() AS x FROM generate_series(1, 1500) AS i) AS g;
CREATE TABLE shifted_rows AS
  SELECT ARRAY[f[1] + 0.3, f[2], f[3], f[4]] AS feature_vector, effectiveness_score, domain
  FROM (SELECT feature_vector AS f, effectiveness_score, domain FROM real_rows) AS r;
-- Features decoupled from the scores: every column keeps its distribution.
CREATE TABLE shuffled_rows AS
  SELECT a.feature_vector, b.effectiveness_score, a.domain
  FROM (SELECT feature_vector, domain, row_number() OVER (ORDER BY random()) AS k FROM real_rows) AS a
  JOIN (SELECT effectiveness_score, row_number() OVER (ORDER BY random()) AS k FROM real_rows) AS b USING (k);
-- One inactive row: every active row of each table is compared.
INSERT INTO real_rows VALUES ('{1,2,3,4}', 0.5, 'technical', false);

-- The keys are the contract.
SELECT array_agg(k ORDER BY k) AS top FROM jsonb_object_keys(public.synth_compare('real_rows', 'real_rows', bootstrap => 0)) AS k;
WITH r AS (SELECT public.synth_compare('real_rows', 'shifted_rows', bootstrap => 20) AS r)
SELECT (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(r->'quality') AS k) AS quality,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(r->'quality'->'column_shapes'->'columns'->0) AS k) AS shape,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(r->'quality'->'column_pair_trends'->'pairs'->0) AS k) AS pair,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(r->'detection') AS k) AS detection,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(r->'efficacy') AS k) AS efficacy,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(r->'privacy') AS k) AS privacy,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(r->'real') AS k) AS side,
       r->'columns' AS columns, r->'bootstrap' AS bootstrap
FROM r;

-- Identical sides: every shape and pair scores 1, all rows are copies.
WITH r AS (SELECT public.synth_compare('real_rows', 'real_rows', bootstrap => 0) AS r)
SELECT r->'quality'->'score' AS quality, r->'real'->'rows' AS real_rows, r->'real'->'rows_read' AS read,
       (SELECT bool_and((c->>'score')::float8 = 1) FROM jsonb_array_elements(r->'quality'->'column_shapes'->'columns') c) AS shapes_one,
       (SELECT bool_and((p->>'score')::float8 = 1) FROM jsonb_array_elements(r->'quality'->'column_pair_trends'->'pairs') p) AS pairs_one,
       r->'quality'->'column_pair_trends'->'counted' AS counted_pairs,
       (r->'detection'->>'score')::float8 > 0.9 AS detection_high,
       abs((r->'efficacy'->>'ratio')::float8 - 1) < 0.1 AS ratio_near_one,
       r->'privacy'->'exact_copies' AS copies, r->'privacy'->'dcr_median' AS dcr,
       r->'quality'->'interval' AS no_interval
FROM r;

-- The pairs that show a trend in the real data count; f1 and f2 move together.
SELECT p->'columns' AS columns, p->>'metric' AS metric, p->'counted' AS counted
FROM jsonb_array_elements(public.synth_compare('real_rows', 'real_rows', bootstrap => 0)->'quality'->'column_pair_trends'->'pairs') p
WHERE (p->>'counted')::boolean;

-- A shifted first feature: its KS score drops and detection finds it; the
-- other columns keep their shapes.
WITH r AS (SELECT public.synth_compare('real_rows', 'shifted_rows', bootstrap => 50) AS r)
SELECT c->>'name' AS name, (c->>'score')::float8 < 0.8 AS low,
       (c->'interval'->>0)::float8 <= (c->>'score')::float8 AND (c->>'score')::float8 <= (c->'interval'->>1)::float8 AS inside
FROM r, jsonb_array_elements(r->'quality'->'column_shapes'->'columns') c;
WITH r AS (SELECT public.synth_compare('real_rows', 'shifted_rows', bootstrap => 50) AS r)
SELECT (r->'detection'->>'score')::float8 < 0.5 AS detected,
       (r->'quality'->>'score')::float8 < 0.99 AS quality_lower,
       jsonb_array_length(r->'detection'->'interval') AS interval_length,
       r->'privacy'->'exact_copies' AS copies
FROM r;

-- Shuffled scores: the shapes all match, but a model trained on the
-- synthetic rows transfers far worse than one trained on real rows.
WITH r AS (SELECT public.synth_compare('real_rows', 'shuffled_rows', bootstrap => 0) AS r)
SELECT (r->'quality'->'column_shapes'->>'score')::float8 = 1 AS shapes_one,
       (r->'efficacy'->>'tstr_auc')::float8 < (r->'efficacy'->>'trtr_auc')::float8 - 0.15 AS tstr_low,
       (r->'efficacy'->>'trtr_auc')::float8 > 0.9 AS trtr_high,
       (r->'efficacy'->>'ratio')::float8 < 0.85 AS ratio_low
FROM r;

-- Verdicts that mean something: on rows whose features say nothing about the
-- score (label_noise 1) TRTR is barely above chance, so the page does not say
-- the synthetic rows transfer, however near 1 the ratio; on rows whose
-- features predict it (the default) it does.
CREATE TABLE noise_real AS SELECT * FROM public.synth_generate(3000, seed => 1, label_noise => 1);
CREATE TABLE noise_synthetic AS SELECT * FROM public.synth_generate(3000, seed => 2, label_noise => 1);
CREATE TABLE learnable_real AS SELECT * FROM public.synth_generate(3000, seed => 3);
CREATE TABLE learnable_synthetic AS SELECT * FROM public.synth_generate(3000, seed => 4);
WITH r AS (SELECT public.synth_compare('noise_real', 'noise_synthetic', bootstrap => 0) AS r)
SELECT (r->'efficacy'->>'ratio')::float8 > 0.9 AS ratio_high,
       (r->'efficacy'->>'trtr_low')::float8 < 0.6 AS trtr_low_near_chance,
       r->'efficacy'->'above_chance' AS above_chance
FROM r;
SELECT line FROM public.synth_compare_report('noise_real', 'noise_synthetic', bootstrap => 0) AS line
WHERE line ~ 'transfer|chance';
WITH r AS (SELECT public.synth_compare('learnable_real', 'learnable_synthetic', bootstrap => 0) AS r)
SELECT (r->'efficacy'->>'ratio')::float8 > 0.9 AS ratio_high,
       (r->'efficacy'->>'trtr_low')::float8 > 0.6 AS trtr_low_above,
       r->'efficacy'->'above_chance' AS above_chance
FROM r;
SELECT line FROM public.synth_compare_report('learnable_real', 'learnable_synthetic', bootstrap => 0) AS line
WHERE line ~ 'transfer|chance';

-- Same seed, same report; another seed moves only the intervals.
SELECT public.synth_compare('real_rows', 'shifted_rows', bootstrap => 30, seed => 5)
     = public.synth_compare('real_rows', 'shifted_rows', bootstrap => 30, seed => 5) AS same,
       public.synth_compare('real_rows', 'shifted_rows', bootstrap => 30, seed => 5)->'quality'->'interval'
     = public.synth_compare('real_rows', 'shifted_rows', bootstrap => 30, seed => 6)->'quality'->'interval' AS same_interval;

-- A holdout of fresh real rows: synthetic copies of real_rows sit nearer the
-- real rows than the holdout.
CREATE TABLE holdout_rows AS
  SELECT ARRAY[x, x * 100 + random() * 10, random(), floor(random() * 5)] AS feature_vector,
         least(1, greatest(0, x + (random() - 0.5) * 0.2)) AS effectiveness_score,
         (ARRAY['technical', 'creative', 'analytical'])[1 + (i % 3)] AS domain
  FROM (SELECT i, random() AS x FROM generate_series(1, 1500) AS i) AS g;
SELECT (r->'privacy'->'holdout'->>'closer_to_real')::float8 > 0.9 AS copies_closer,
       r->'privacy'->'holdout'->'rows' AS rows, r->'holdout'->'rows' AS holdout_rows
FROM public.synth_compare('real_rows', 'real_rows', holdout => 'holdout_rows', bootstrap => 0) r;
-- Fresh rows from the same source are as near the holdout as the real rows.
CREATE TABLE fresh_rows AS
  SELECT ARRAY[x, x * 100 + random() * 10, random(), floor(random() * 5)] AS feature_vector,
         least(1, greatest(0, x + (random() - 0.5) * 0.2)) AS effectiveness_score,
         (ARRAY['technical', 'creative', 'analytical'])[1 + (i % 3)] AS domain
  FROM (SELECT i, random() AS x FROM generate_series(1, 1500) AS i) AS g;
SELECT abs((r->'privacy'->'holdout'->>'closer_to_real')::float8 - 0.5) < 0.1 AS fresh_near_half
FROM public.synth_compare('real_rows', 'fresh_rows', holdout => 'holdout_rows', bootstrap => 0) r;

-- One pipeline table, real rows against synthetic ones (jsonb documents with
-- feature names); a row of another dimension is counted and left out.
CREATE TABLE training_prompts (id serial PRIMARY KEY, prompt_text text, enhancement_result jsonb,
                               data_source text, is_active boolean DEFAULT true);
INSERT INTO training_prompts (prompt_text, enhancement_result, data_source)
SELECT 'prompt ' || i,
       jsonb_build_object('improved_prompt', 'better ' || i, 'feature_vector', feature_vector,
                          'effectiveness_score', effectiveness_score,
                          'metadata', jsonb_build_object('domain', domain, 'feature_names',
                                                         '["clarity","length","specificity","steps"]'::jsonb)),
       CASE WHEN i % 2 = 0 THEN 'real' ELSE 'synthetic' END
FROM (SELECT row_number() OVER () AS i, * FROM real_rows WHERE is_active) AS r;
INSERT INTO training_prompts (prompt_text, enhancement_result, data_source)
VALUES ('odd', '{"feature_vector": [1, 2], "effectiveness_score": 0.5}', 'real');
WITH r AS (SELECT public.synth_compare('training_prompts', bootstrap => 0) AS r)
SELECT r->'columns' AS columns, r->'real'->'rows' AS real_rows, r->'real'->'invalid'->'wrong_dimension' AS other_dimension,
       r->'synthetic'->'rows' AS synthetic_rows, r->'real'->'data_source' AS source,
       (r->'quality'->>'score')::float8 > 0.9 AS close
FROM r;

-- The page: 80 columns at most, ending in a verdict.
SELECT max(length(line)) <= 78 AS fits, count(*) > 10 AS lines
FROM public.synth_compare_report('real_rows', 'shifted_rows', bootstrap => 0) AS line;
SELECT line FROM public.synth_compare_report('real_rows', 'shifted_rows', bootstrap => 0) AS line
WHERE line ~ '^(verdict|quality|detection)';
-- What the page says besides its figures: no name cut (a title too wide is
-- wrapped, a pair too wide for its cell gets a line of its own), a legend for
-- the intervals, the metrics, the pair markers, the domain bars and DCR.
CREATE TABLE rows_the_pipeline_recorded_from_its_own_use_this_quarter AS SELECT * FROM real_rows;
SELECT line FROM public.synth_compare_report('rows_the_pipeline_recorded_from_its_own_use_this_quarter',
                                             'shifted_rows', bootstrap => 20) AS line
WHERE line !~ '[0-9]\.[0-9]{3}';

DROP SCHEMA synth_compare_test CASCADE;
