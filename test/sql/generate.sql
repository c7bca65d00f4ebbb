-- synth_generate (issue 3): the SQL surface, exact quotas, slices,
-- determinism, ranges and text/feature agreement, and pinned rows.

-- The declaration: arguments with defaults, result columns, labels.
SELECT pg_get_function_arguments('synth_generate'::regproc) AS arguments;
SELECT pg_get_function_result('synth_generate'::regproc) AS result;
SELECT provolatile, proparallel, prosecdef, proisstrict, proretset, prorows
FROM pg_proc WHERE oid = 'synth_generate'::regproc;
SELECT pg_typeof(sample_id) AS sample_id, pg_typeof(domain) AS domain, pg_typeof(tier) AS tier,
       pg_typeof(original_prompt) AS original_prompt, pg_typeof(enhanced_prompt) AS enhanced_prompt,
       pg_typeof(feature_vector) AS feature_vector, pg_typeof(effectiveness_score) AS effectiveness_score
FROM synth_generate(1, 1);

-- Row counts and sample_ids 0 .. n-1.
SELECT count(*), count(DISTINCT sample_id), min(sample_id), max(sample_id) FROM synth_generate(1000, 1);
SELECT count(*) FROM synth_generate(0, 1);
SELECT count(*) FROM synth_generate(1, 1);

-- Exact quotas by largest remainder. n = 1000: the shares exactly.
SELECT domain, count(*) FROM synth_generate(1000, 1) GROUP BY domain ORDER BY domain;
SELECT tier, count(*) FROM synth_generate(1000, 1) GROUP BY tier ORDER BY tier;
-- n = 7: domains 1.75 1.4 1.4 1.4 1.05 -> 2 2 1 1 1 (leftovers to technical .75 and
-- creative, the first of three tied at .4); tiers 1.75 3.5 1.75 -> 2 3 2.
SELECT domain, count(*) FROM synth_generate(7, 1) GROUP BY domain ORDER BY domain;
SELECT tier, count(*) FROM synth_generate(7, 1) GROUP BY tier ORDER BY tier;
-- The same counts for any seed.
SELECT domain, count(*) FROM synth_generate(7, 123456789) GROUP BY domain ORDER BY domain;
-- Weights are relative; unnamed domains get none: 3:1 of 1001 is 750.75 : 250.25 -> 751 : 250.
SELECT domain, count(*) FROM synth_generate(1001, 1, '{"technical": 3, "creative": 1}') GROUP BY domain ORDER BY domain;
-- Tier shares: everything high, scores inside the high band.
SELECT tier, count(*), min(effectiveness_score) >= 0.7 AS in_band_low, max(effectiveness_score) <= 1.0 AS in_band_high
FROM synth_generate(500, 1, tier_shares => '{0,0,1}') GROUP BY tier;
-- Quotas take the shares exactly as given: decimal ties go to the lower index,
-- a share larger in its last digit takes the spare row, and slices agree.
SELECT tier, count(*) FROM synth_generate(5, 1, tier_shares => '{0.3,0.1,0.6}') GROUP BY tier ORDER BY tier;
SELECT tier FROM synth_generate(1, 1, tier_shares => '{0.3333333333333333,0.3333333333333333,0.3333333333333334}');
SELECT tier, count(*) FROM synth_generate(4, 1, tier_shares => '{0.3333333333333333,0.3333333333333333,0.3333333333333334}')
GROUP BY tier ORDER BY tier;
SELECT count(*) AS differing FROM (
  SELECT * FROM synth_generate(4, 1, tier_shares => '{0.3333333333333333,0.3333333333333333,0.3333333333333334}')
  EXCEPT ALL
  (SELECT * FROM synth_generate(4, 1, tier_shares => '{0.3333333333333333,0.3333333333333333,0.3333333333333334}',
                                slice_start => 0, slice_rows => 3)
   UNION ALL
   SELECT * FROM synth_generate(4, 1, tier_shares => '{0.3333333333333333,0.3333333333333333,0.3333333333333334}',
                                slice_start => 3))) d;

-- A slice equals the same rows of the whole dataset, both ways round.
SELECT count(*) FROM synth_generate(1000, 42, slice_start => 100, slice_rows => 50);
SELECT count(*) AS missing FROM (
  SELECT * FROM synth_generate(1000, 42) WHERE sample_id BETWEEN 100 AND 149
  EXCEPT ALL
  SELECT * FROM synth_generate(1000, 42, slice_start => 100, slice_rows => 50)) d;
SELECT count(*) AS extra FROM (
  SELECT * FROM synth_generate(1000, 42, slice_start => 100, slice_rows => 50)
  EXCEPT ALL
  SELECT * FROM synth_generate(1000, 42) WHERE sample_id BETWEEN 100 AND 149) d;
-- Three slices cover the whole; slice_rows NULL runs to the end.
SELECT count(*) AS differences FROM (
  (SELECT * FROM synth_generate(1000, 42)
   EXCEPT ALL
   (SELECT * FROM synth_generate(1000, 42, slice_rows => 300)
    UNION ALL SELECT * FROM synth_generate(1000, 42, slice_start => 300, slice_rows => 400)
    UNION ALL SELECT * FROM synth_generate(1000, 42, slice_start => 700)))
  UNION ALL
  ((SELECT * FROM synth_generate(1000, 42, slice_rows => 300)
    UNION ALL SELECT * FROM synth_generate(1000, 42, slice_start => 300, slice_rows => 400)
    UNION ALL SELECT * FROM synth_generate(1000, 42, slice_start => 700))
   EXCEPT ALL
   SELECT * FROM synth_generate(1000, 42))) d;
SELECT min(sample_id), max(sample_id), count(*) FROM synth_generate(1000, 42, slice_start => 990);
SELECT count(*) FROM synth_generate(1000, 42, slice_start => 1000);
SELECT count(*) FROM synth_generate(1000, 42, slice_start => 10, slice_rows => 0);
-- The streaming path (SELECT list) makes the same rows as the materialized one (FROM).
SELECT count(*) AS differences FROM (
  (SELECT (synth_generate(1000, 42, slice_start => 500, slice_rows => 200)).*
   EXCEPT ALL SELECT * FROM synth_generate(1000, 42) WHERE sample_id BETWEEN 500 AND 699)
  UNION ALL
  (SELECT * FROM synth_generate(1000, 42) WHERE sample_id BETWEEN 500 AND 699
   EXCEPT ALL SELECT (synth_generate(1000, 42, slice_start => 500, slice_rows => 200)).*)) d;

-- Same seed, same rows; another seed, other rows.
SELECT count(*) AS differences FROM (
  SELECT * FROM synth_generate(2000, 7) EXCEPT ALL SELECT * FROM synth_generate(2000, 7)) d;
SELECT count(*) > 1900 AS mostly_different FROM (
  SELECT * FROM synth_generate(2000, 7) EXCEPT ALL SELECT * FROM synth_generate(2000, 8)) d;
-- Negative seeds are seeds too.
SELECT count(*) AS differences FROM (
  SELECT * FROM synth_generate(200, -1) EXCEPT ALL SELECT * FROM synth_generate(200, -1)) d;
SELECT count(*) > 190 AS mostly_different FROM (
  SELECT * FROM synth_generate(200, -1) EXCEPT ALL SELECT * FROM synth_generate(200, 1)) d;
-- A NULL seed (the default) draws a fresh one per call.
SELECT (SELECT array_agg(enhanced_prompt || effectiveness_score ORDER BY sample_id) FROM synth_generate(100))
       IS DISTINCT FROM
       (SELECT array_agg(enhanced_prompt || effectiveness_score ORDER BY sample_id) FROM synth_generate(100, NULL))
       AS null_seeds_differ;
-- ... but still with exact quotas.
SELECT tier, count(*) FROM synth_generate(1000) GROUP BY tier ORDER BY tier;

-- Every row inside the ranges of docs/design.md §2, for several noise levels.
CREATE TEMP TABLE domain_ranges (domain text PRIMARY KEY, lo float8[], hi float8[]);
INSERT INTO domain_ranges VALUES
  ('technical',      '{0.4,150,0.7,4,0.5,0.8}', '{0.9,300,1.0,8,0.9,1.0}'),
  ('creative',       '{0.3,80,0.4,2,0.6,0.5}',  '{0.8,250,0.9,7,1.0,0.9}'),
  ('analytical',     '{0.5,120,0.6,3,0.7,0.6}', '{0.9,280,1.0,7,1.0,0.9}'),
  ('instructional',  '{0.6,100,0.5,2,0.6,0.7}', '{1.0,220,0.8,6,0.9,1.0}'),
  ('conversational', '{0.4,60,0.3,1,0.5,0.4}',  '{0.9,180,0.7,5,0.8,0.8}');
CREATE TEMP TABLE tier_bands (tier text PRIMARY KEY, lo float8, hi float8);
INSERT INTO tier_bands VALUES ('low', 0.0, 0.3), ('medium', 0.4, 0.6), ('high', 0.7, 1.0);
SELECT noise.label_noise, count(*) AS rows,
       count(*) FILTER (WHERE cardinality(g.feature_vector) <> 6) AS not_six_features,
       count(*) FILTER (WHERE EXISTS (SELECT FROM unnest(g.feature_vector || g.effectiveness_score) v
                                      WHERE v IN ('NaN', 'Infinity', '-Infinity'))) AS non_finite,
       count(*) FILTER (WHERE EXISTS (SELECT FROM generate_series(1, 6) i
                                      WHERE NOT g.feature_vector[i] BETWEEN r.lo[i] AND r.hi[i])) AS out_of_range,
       count(*) FILTER (WHERE g.feature_vector[4] <> trunc(g.feature_vector[4])) AS fractional_complexity,
       count(*) FILTER (WHERE NOT g.effectiveness_score BETWEEN t.lo AND t.hi) AS score_outside_tier,
       count(*) FILTER (WHERE g.feature_vector[2] <> char_length(g.enhanced_prompt)) AS length_mismatch,
       count(*) FILTER (WHERE g.feature_vector[4] <> cardinality(string_to_array(
                                split_part(g.enhanced_prompt, 'Requirements: ', 2), '; '))) AS clause_mismatch,
       count(*) FILTER (WHERE octet_length(g.enhanced_prompt) <> char_length(g.enhanced_prompt)) AS non_ascii
FROM (VALUES (0.0::float8), (0.05), (0.5), (1.0)) AS noise (label_noise)
CROSS JOIN LATERAL synth_generate(5000, 11, label_noise => noise.label_noise) AS g
JOIN domain_ranges r ON r.domain = g.domain
JOIN tier_bands t ON t.tier = g.tier
GROUP BY noise.label_noise ORDER BY noise.label_noise;
-- Features and scores cover their ranges (not squeezed into a corner).
SELECT min(effectiveness_score) < 0.05 AS low_scores, max(effectiveness_score) > 0.95 AS high_scores,
       count(DISTINCT effectiveness_score) > 1000 AS many_scores
FROM synth_generate(10000, 3);
-- Thousands of distinct prompt pairs, hundreds of distinct originals per domain.
SELECT count(DISTINCT (original_prompt, enhanced_prompt)) >= 5000 AS pairs_ok
FROM synth_generate(100000, 42);
SELECT domain, count(DISTINCT original_prompt) >= 500 AS originals_ok
FROM synth_generate(100000, 42) GROUP BY domain ORDER BY domain;

-- Huge datasets: the SELECT list streams (stops after LIMIT), slices start anywhere.
SET statement_timeout = '60s';
SELECT (synth_generate(1000000000, 1)).sample_id LIMIT 3;
SELECT sample_id FROM synth_generate(1000000000, 1, slice_rows => 5);
SELECT sample_id FROM synth_generate(1000000000, 1, slice_start => 999999998);
SELECT sample_id FROM synth_generate(1000000000000, 1, slice_start => 999999999999);
SELECT count(*) AS differences FROM (
  (SELECT (synth_generate(1000000000, 1)).* LIMIT 5)
  EXCEPT ALL SELECT * FROM synth_generate(1000000000, 1, slice_rows => 5)) d;
RESET statement_timeout;

-- The first rows of seed 42, n 1000, pinned (as in test/unit/test_pinned_rows.cpp).
-- A change here must bump kGeneratorVersion in src/engine/model/version.hpp.
\x on
SELECT * FROM synth_generate(1000, 42, slice_rows => 3) ORDER BY sample_id;
\x off
