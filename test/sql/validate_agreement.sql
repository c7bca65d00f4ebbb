-- synth_validate's statistics, computed again in plain SQL over the same rows
-- (the same filter, the gate's rules written as a CASE), must agree to 1e-9.
-- Only the comparison is printed, so the output does not depend on how the
-- numbers are formatted.
CREATE SCHEMA synth_validate_agree;
SET search_path = synth_validate_agree, public;

CREATE TABLE agree (id int, prompt_text text, enhancement_result jsonb,
                    data_source text, is_active boolean);
-- 600 rows with features and scores from deterministic formulas, six domain
-- names (one not among the five), prompts repeating ...
INSERT INTO agree
SELECT g, 'prompt ' || (g % 250),
  jsonb_build_object(
    'feature_vector', jsonb_build_array(
        round((0.5 + 0.45 * sin(g))::numeric, 6),
        60 + (g * 37) % 241,
        round((0.5 + 0.4 * cos(g * 1.7))::numeric, 6),
        (g * 7) % 11,
        round(((g * 0.618034) % 1)::numeric, 6),
        round((0.3 + 0.7 * abs(sin(g * 0.37)))::numeric, 6)),
    'effectiveness_score',
        round(least(1, greatest(0, 0.5 + 0.35 * sin(g) + 0.15 * cos(g * 3)))::numeric, 6),
    'metadata', jsonb_build_object('domain', (ARRAY['technical', 'creative', 'analytical',
        'instructional', 'conversational', 'poetry'])[1 + g % 6])),
  CASE WHEN g % 5 = 0 THEN 'real' ELSE 'synthetic' END, g % 7 <> 0
FROM generate_series(1, 600) g;
-- ... and rows the gate drops, for every reason.
INSERT INTO agree
SELECT 1000 + g, 'broken ' || g, doc::jsonb, 'synthetic', true
FROM generate_series(1, 3) g, (VALUES
  ('{"effectiveness_score": 0.5}'),
  ('{"feature_vector": [], "effectiveness_score": 0.5}'),
  ('{"feature_vector": [1, 2, 3], "effectiveness_score": 0.5}'),
  ('{"feature_vector": [0.5, 100, "x", 3, 0.5, 0.5], "effectiveness_score": 0.5}'),
  ('{"feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5], "effectiveness_score": "0.5"}'),
  ('{"feature_vector": [0.5, 1e999, 0.5, 3, 0.5, 0.5], "effectiveness_score": 0.5}'),
  ('{"feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5]}'),
  ('{"feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5], "effectiveness_score": 1.5}')) d(doc);

CREATE VIEW plain_sql AS
WITH c AS (
  SELECT fv, s, e->'metadata'->>'domain' AS domain, prompt_text,
    CASE
      WHEN fv IS NULL OR fv = 'null'::jsonb OR fv = '[]'::jsonb THEN 'missing_features'
      WHEN jsonb_typeof(fv) <> 'array' THEN 'non_numeric'
      WHEN jsonb_array_length(fv) <> 6 THEN 'wrong_dimension'
      WHEN jsonb_typeof(fv->0) <> 'number' OR jsonb_typeof(fv->1) <> 'number'
        OR jsonb_typeof(fv->2) <> 'number' OR jsonb_typeof(fv->3) <> 'number'
        OR jsonb_typeof(fv->4) <> 'number' OR jsonb_typeof(fv->5) <> 'number'
        OR jsonb_typeof(s) IN ('string', 'boolean', 'array', 'object') THEN 'non_numeric'
      WHEN greatest(abs((fv->0)::numeric), abs((fv->1)::numeric), abs((fv->2)::numeric),
                    abs((fv->3)::numeric), abs((fv->4)::numeric), abs((fv->5)::numeric),
                    CASE WHEN jsonb_typeof(s) = 'number' THEN abs(s::numeric) END)
           > 1.7976931348623157e308 THEN 'non_finite'
      WHEN s IS NULL OR s = 'null'::jsonb THEN 'missing_score'
      WHEN NOT (s::numeric BETWEEN 0 AND 1) THEN 'score_out_of_range'
    END AS reason
  FROM (SELECT enhancement_result AS e, enhancement_result->'feature_vector' AS fv,
               enhancement_result->'effectiveness_score' AS s, prompt_text
        FROM agree WHERE data_source = 'synthetic' AND is_active IS NOT FALSE) t
  OFFSET 0
), v AS (
  SELECT reason, domain, prompt_text,
    CASE WHEN reason IS NULL THEN (fv->0)::float8 END AS f0,
    CASE WHEN reason IS NULL THEN (fv->1)::float8 END AS f1,
    CASE WHEN reason IS NULL THEN (fv->2)::float8 END AS f2,
    CASE WHEN reason IS NULL THEN (fv->3)::float8 END AS f3,
    CASE WHEN reason IS NULL THEN (fv->4)::float8 END AS f4,
    CASE WHEN reason IS NULL THEN (fv->5)::float8 END AS f5,
    CASE WHEN reason IS NULL THEN s::float8 END AS sc
  FROM c OFFSET 0
)
SELECT count(*) AS sample_count, count(sc) AS valid_count,
  count(*) FILTER (WHERE reason = 'missing_features') AS missing_features,
  count(*) FILTER (WHERE reason = 'wrong_dimension') AS wrong_dimension,
  count(*) FILTER (WHERE reason = 'non_numeric') AS non_numeric,
  count(*) FILTER (WHERE reason = 'non_finite') AS non_finite,
  count(*) FILTER (WHERE reason = 'missing_score') AS missing_score,
  count(*) FILTER (WHERE reason = 'score_out_of_range') AS score_out_of_range,
  ARRAY[min(sc), max(sc), avg(sc), stddev_pop(sc)] AS score,
  ARRAY[min(f0), max(f0), avg(f0), stddev_pop(f0)] AS f0,
  ARRAY[min(f1), max(f1), avg(f1), stddev_pop(f1)] AS f1,
  ARRAY[min(f2), max(f2), avg(f2), stddev_pop(f2)] AS f2,
  ARRAY[min(f3), max(f3), avg(f3), stddev_pop(f3)] AS f3,
  ARRAY[min(f4), max(f4), avg(f4), stddev_pop(f4)] AS f4,
  ARRAY[min(f5), max(f5), avg(f5), stddev_pop(f5)] AS f5,
  ARRAY[corr(f0, f1), corr(f0, f2), corr(f0, f3), corr(f0, f4), corr(f0, f5),
        corr(f1, f2), corr(f1, f3), corr(f1, f4), corr(f1, f5), corr(f2, f3),
        corr(f2, f4), corr(f2, f5), corr(f3, f4), corr(f3, f5), corr(f4, f5)] AS pairs,
  ARRAY[corr(f0, sc), corr(f1, sc), corr(f2, sc), corr(f3, sc), corr(f4, sc), corr(f5, sc)]
    AS label,
  count(*) FILTER (WHERE sc BETWEEN 0 AND 0.3) AS tier_low,
  count(*) FILTER (WHERE sc BETWEEN 0.4 AND 0.6) AS tier_medium,
  count(*) FILTER (WHERE sc BETWEEN 0.7 AND 1) AS tier_high,
  count(*) FILTER (WHERE sc IS NOT NULL AND NOT (sc BETWEEN 0 AND 0.3 OR sc BETWEEN 0.4 AND 0.6
                                                 OR sc BETWEEN 0.7 AND 1)) AS tier_between,
  count(DISTINCT least(width_bucket(sc, 0, 1, 10), 10)) / 10.0 AS range_coverage,
  count(DISTINCT prompt_text) FILTER (WHERE sc IS NOT NULL) AS distinct_prompts,
  (SELECT jsonb_object_agg(coalesce(domain, 'unknown'), n) FROM
     (SELECT domain, count(*) AS n FROM v WHERE sc IS NOT NULL GROUP BY domain) d) AS domains
FROM v;

-- Each statistic: the report's value, plain SQL's, and whether they agree.
CREATE FUNCTION close(a double precision, b double precision) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $$SELECT abs(a - b) <= 1e-9$$;
WITH r AS (SELECT synth_validate('agree', 'synthetic') AS r), s AS (SELECT * FROM plain_sql),
names AS (SELECT ordinality - 1 AS i, name FROM unnest(ARRAY['clarity', 'length', 'specificity',
  'complexity', 'context_richness', 'actionability']) WITH ORDINALITY name)
SELECT statistic, agrees FROM r, s, LATERAL (VALUES
  ('sample_count', (r->>'sample_count')::bigint = s.sample_count),
  ('valid_count', (r->>'valid_count')::bigint = s.valid_count),
  ('invalid', r->'invalid' = jsonb_build_object('missing_features', s.missing_features,
     'wrong_dimension', s.wrong_dimension, 'non_numeric', s.non_numeric,
     'non_finite', s.non_finite, 'missing_score', s.missing_score,
     'score_out_of_range', s.score_out_of_range)),
  ('score min, max, mean, std',
     close((r->'effectiveness'->>'min')::float8, s.score[1])
     AND close((r->'effectiveness'->>'max')::float8, s.score[2])
     AND close((r->'effectiveness'->>'mean')::float8, s.score[3])
     AND close((r->'effectiveness'->>'std')::float8, s.score[4])),
  ('feature min, max, mean, std',
     (SELECT bool_and(close((f->>'min')::float8, a[1]) AND close((f->>'max')::float8, a[2])
                      AND close((f->>'mean')::float8, a[3]) AND close((f->>'std')::float8, a[4]))
      FROM jsonb_array_elements(r->'features') WITH ORDINALITY fe(f, k),
           LATERAL (SELECT (ARRAY[s.f0, s.f1, s.f2, s.f3, s.f4, s.f5]::float8[])[k:k][1:4]) x(a2),
           LATERAL (SELECT ARRAY[x.a2[1][1], x.a2[1][2], x.a2[1][3], x.a2[1][4]]) y(a))),
  ('max_correlation', close((r->'feature_correlations'->>'max_correlation')::float8,
     (SELECT max(abs(p)) FROM unnest(s.pairs) p))),
  ('mean_correlation', close((r->'feature_correlations'->>'mean_correlation')::float8,
     (SELECT avg(abs(p)) FROM unnest(s.pairs) p))),
  ('label correlations', (SELECT bool_and(close((r->'label_signal'->'correlations'->>name)::float8,
     s.label[i + 1])) FROM names)),
  ('tiers', r->'tiers' = jsonb_build_object('low', s.tier_low, 'medium', s.tier_medium,
     'high', s.tier_high, 'between', s.tier_between)),
  ('range_coverage', close((r->'effectiveness'->>'range_coverage')::float8, s.range_coverage)),
  ('distinct_prompts', (r->'distinct_prompts'->>'count')::bigint = s.distinct_prompts),
  ('domain_distribution', r->'domain_distribution' = s.domains
     || jsonb_build_object('unknown', coalesce((s.domains->>'unknown')::int, 0)))
) v(statistic, agrees);

-- The numbers themselves, rounded, for a reader of this file.
SELECT r->'sample_count' AS samples, r->'valid_count' AS valid, r->'invalid' AS invalid,
       round((r->'effectiveness'->>'mean')::numeric, 6) AS mean,
       round((r->'effectiveness'->>'std')::numeric, 6) AS std,
       round((r->'feature_correlations'->>'max_correlation')::numeric, 6) AS max_r,
       r->'feature_correlations'->'max_pair' AS max_pair
FROM synth_validate('agree', 'synthetic') r;

-- The same report as a page for psql, every line within 78 characters
-- (psql adds a space on each side: 80 columns).
SELECT * FROM synth_report('agree', 'synthetic');
SELECT max(length(synth_report)) AS widest_line FROM synth_report('agree', 'synthetic');

-- R^2 of the linear fit, where plain SQL has a closed form: with only two
-- features varying (the rest constant, so left out), R^2 =
-- (r1^2 + r2^2 - 2 r1 r2 r12) / (1 - r12^2).
CREATE TABLE two_features AS
SELECT 'p' AS prompt_text, jsonb_build_object(
  'feature_vector', jsonb_build_array(round((0.5 + 0.4 * sin(g))::numeric, 6), 100, 0.5, 3,
                                      round((0.5 + 0.4 * cos(g * 0.3))::numeric, 6), 0.5),
  'effectiveness_score', round((0.5 + 0.2 * sin(g) + 0.1 * cos(g * 0.3) + 0.1 * sin(g * 5))::numeric, 6))
  AS enhancement_result
FROM generate_series(1, 300) g;
WITH x AS (
  SELECT (enhancement_result->'feature_vector'->>0)::float8 AS a,
         (enhancement_result->'feature_vector'->>4)::float8 AS b,
         (enhancement_result->>'effectiveness_score')::float8 AS y
  FROM two_features),
c AS (SELECT corr(a, y) AS r1, corr(b, y) AS r2, corr(a, b) AS r12 FROM x)
SELECT close((synth_validate('two_features')->'label_signal'->>'linear_r2')::float8,
             (r1 * r1 + r2 * r2 - 2 * r1 * r2 * r12) / (1 - r12 * r12)) AS r2_agrees,
       round(((r1 * r1 + r2 * r2 - 2 * r1 * r2 * r12) / (1 - r12 * r12))::numeric, 6) AS r2
FROM c;

RESET search_path;
DROP SCHEMA synth_validate_agree CASCADE;
