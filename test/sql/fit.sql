-- synth_fit and profile => (issue 12): a profile of real rows, and rows drawn
-- from it that keep its exact strata, bounds and integers, reproducibly.
CREATE TABLE real_flat (domain text, feature_vector float8[], effectiveness_score float8);
-- Skewed, integer and correlated columns under domains the design table does not know.
INSERT INTO real_flat
SELECT CASE WHEN g % 4 = 0 THEN 'harbour' WHEN g % 4 = 1 THEN 'meadow' ELSE 'summit' END,
       ARRAY[round((exp(((g * 37) % 100) / 40.0) + (g % 7))::numeric, 3)::float8,
             ((g * 13) % 9)::float8,
             round((((g * 37) % 100) / 100.0 * 5 + ((g * 11) % 10) / 10.0)::numeric, 2)::float8],
       round((((g * 37) % 100) / 100.0)::numeric, 4)::float8
FROM generate_series(1, 400) g;

SELECT synth_fit('real_flat', NULL) AS p \gset
-- Every top-level key, and what the profile says of the rows.
SELECT jsonb_object_keys(:'p'::jsonb) AS key ORDER BY 1;
SELECT p->'format_version' AS version, p->'rows' AS rows, p->'dimension' AS dimension,
       p->'feature_names' AS names, p->'integer_features' AS integers,
       p->'band_shares' AS bands
FROM (SELECT :'p'::jsonb AS p) s;
SELECT d->>'name' AS domain, d->'rows' AS rows, d->'share' AS share, d->'borrowed' AS borrowed,
       jsonb_array_length(d->'features') AS marginals, jsonb_array_length(d->'correlation') AS copula_rows,
       jsonb_array_length(d->'features'->0->'knots') AS knots
FROM jsonb_array_elements(:'p'::jsonb->'domains') d;

-- The same rows in another physical order give the same profile, byte for byte.
CREATE TABLE real_shuffled AS SELECT * FROM real_flat ORDER BY md5(feature_vector::text) DESC;
SELECT synth_fit('real_shuffled', NULL)::text = :'p' AS same_profile,
       synth_profile_hash(synth_fit('real_shuffled', NULL)) = synth_profile_hash(:'p') AS same_hash,
       length(synth_profile_hash(:'p')) AS hash_digits;

-- Exact strata for any n: domain counts by largest remainder of the shares
-- (100/100/200 of 400 real rows), band counts by the real band shares.
SELECT n, domain, count(*)
FROM (VALUES (7), (1000)) v(n), synth_generate(n, 42, profile => :'p')
GROUP BY 1, 2 ORDER BY 1, 2;
WITH real AS (SELECT CASE WHEN effectiveness_score <= 0.3 THEN 'low'
                          WHEN effectiveness_score BETWEEN 0.4 AND 0.6 THEN 'medium'
                          WHEN effectiveness_score >= 0.7 THEN 'high' ELSE 'between' END AS band,
                     count(*) AS real_rows FROM real_flat GROUP BY 1),
     fake AS (SELECT tier AS band, count(*) AS fitted_rows FROM synth_generate(2000, 42, profile => :'p') GROUP BY 1)
SELECT band, real_rows, fitted_rows, fitted_rows = real_rows * 5 AS exact FROM real JOIN fake USING (band) ORDER BY 1;

-- Inside the observed bounds, integers stay integers, scores in their band.
WITH fake AS (SELECT * FROM synth_generate(3000, 7, profile => :'p')),
     bounds AS (SELECT min(feature_vector[1]) lo1, max(feature_vector[1]) hi1, min(feature_vector[3]) lo3,
                       max(feature_vector[3]) hi3, min(effectiveness_score) los, max(effectiveness_score) his
                FROM real_flat)
SELECT count(*) AS rows,
       count(*) FILTER (WHERE feature_vector[1] BETWEEN lo1 AND hi1 AND feature_vector[3] BETWEEN lo3 AND hi3
                          AND effectiveness_score BETWEEN los AND his) AS inside,
       count(*) FILTER (WHERE feature_vector[2] = trunc(feature_vector[2]) AND feature_vector[2] BETWEEN 0 AND 8) AS integral,
       count(*) FILTER (WHERE array_length(feature_vector, 1) = 3) AS dimension_3,
       count(*) FILTER (WHERE (tier = 'low' AND effectiveness_score <= 0.3)
                           OR (tier = 'medium' AND effectiveness_score BETWEEN 0.4 AND 0.6)
                           OR (tier = 'high' AND effectiveness_score >= 0.7)
                           OR (tier = 'between' AND effectiveness_score > 0.3 AND effectiveness_score < 0.7
                               AND NOT effectiveness_score BETWEEN 0.4 AND 0.6)) AS in_band
FROM fake, bounds;
-- The dependence survives: feature 3 moves with the score, in real and fitted rows alike.
SELECT round(corr(feature_vector[3], effectiveness_score)::numeric, 1) AS real_corr FROM real_flat;
SELECT round(corr(feature_vector[3], effectiveness_score)::numeric, 1) AS fitted_corr
FROM synth_generate(5000, 3, profile => :'p');
-- No real feature vector is copied.
SELECT count(*) AS copies FROM synth_generate(5000, 3, profile => :'p') f
JOIN real_flat r ON r.feature_vector = f.feature_vector;

-- Pure: the same seed gives the same rows, a slice the same rows of the whole,
-- in FROM and in the SELECT list alike.
SELECT count(*) AS differing
FROM synth_generate(500, 9, profile => :'p') a
FULL JOIN synth_generate(500, 9, slice_start => 200, slice_rows => 300, profile => :'p') b USING (sample_id)
WHERE b.sample_id IS NOT NULL AND (a IS DISTINCT FROM b);
SELECT count(*) AS differing
FROM (SELECT (synth_generate(50, 9, profile => :'p')).*) a
JOIN synth_generate(50, 9, profile => :'p') b USING (sample_id)
WHERE (a.domain, a.tier, a.feature_vector, a.effectiveness_score, a.enhanced_prompt)
      IS DISTINCT FROM (b.domain, b.tier, b.feature_vector, b.effectiveness_score, b.enhanced_prompt);
-- Unknown domains get the neutral vocabulary.
SELECT domain, original_prompt, enhanced_prompt FROM synth_generate(3, 1, profile => :'p') ORDER BY sample_id;
-- Explicit domain_weights still override the shares.
SELECT domain, count(*) FROM synth_generate(100, 1, '{"harbour": 1, "summit": 3}', profile => :'p') GROUP BY 1 ORDER BY 1;

-- synth_insert with a profile: pipeline documents of the real dimension,
-- naming the profile, which synthdata keeps.
CREATE TABLE training_prompts (
    id serial PRIMARY KEY, prompt_text varchar(10000) NOT NULL, enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL, training_priority integer NOT NULL, created_at timestamp NOT NULL,
    updated_at timestamp, deleted_at timestamp, is_active boolean NOT NULL DEFAULT true);
SELECT synth_insert('training_prompts', 200, 5, profile => :'p') AS inserted;
SELECT count(*) AS rows,
       count(*) FILTER (WHERE enhancement_result->'metadata'->>'profile_hash' = synth_profile_hash(:'p')) AS named,
       count(*) FILTER (WHERE enhancement_result->>'original_prompt' = prompt_text) AS original_prompt,
       count(*) FILTER (WHERE jsonb_array_length(enhancement_result->'feature_vector') = 3) AS dimension_3,
       count(DISTINCT enhancement_result->'metadata'->'feature_names') AS name_lists
FROM training_prompts;
SELECT profile_hash = synth_profile_hash(:'p') AS kept, profile = :'p'::jsonb AS same FROM synth_profiles;
-- The inserted rows are the rows synth_generate gives for the same call.
SELECT count(*) AS differing
FROM training_prompts t JOIN synth_generate(200, 5, profile => :'p') g
  ON g.sample_id = (t.enhancement_result->'metadata'->>'sample_id')::bigint
WHERE t.prompt_text <> g.original_prompt
   OR (t.enhancement_result->>'effectiveness_score')::float8 <> g.effectiveness_score;
-- A profile fitted on the pipeline layout, with its feature names. While
-- the table mixes dimensions, the dominant one (the 300 design-table rows of
-- dimension 6) is fitted and the others are counted in a NOTICE; a view
-- picks one dimension.
SELECT synth_insert('training_prompts', 300, 1) AS design_rows;
SELECT p->'dimension' AS dimension, p->'rows' AS rows FROM synth_fit('training_prompts', 'synthetic') p;
CREATE VIEW design_only AS
SELECT * FROM training_prompts WHERE NOT enhancement_result->'metadata' ? 'profile_hash';
SELECT p->'dimension' AS dimension, p->'feature_names' AS names, p->'rows' AS rows,
       p->'integer_features' AS integers, jsonb_array_length(p->'domains') AS domains
FROM (SELECT synth_fit('design_only', 'synthetic') AS p) s;
-- Design-table documents carry original_prompt too.
SELECT count(*) FILTER (WHERE enhancement_result->>'original_prompt' = prompt_text) AS with_original
FROM training_prompts WHERE enhancement_result->'metadata'->>'profile_hash' IS NULL;
-- synth_rows, the public row source for INSERT ... SELECT loads, takes the
-- profile too: the same rows synth_generate draws from it, none from the design table.
SELECT count(*) AS rows,
       count(*) FILTER (WHERE (r.domain, r.feature_vector, r.effectiveness_score, r.enhanced_prompt)
                              IS NOT DISTINCT FROM (g.domain, g.feature_vector, g.effectiveness_score, g.enhanced_prompt)) AS same,
       count(*) FILTER (WHERE array_length(r.feature_vector, 1) = 3) AS dimension_3
FROM synth_rows(50, 11, profile => :'p', document_format => 'none') r
JOIN synth_generate(50, 11, profile => :'p') g USING (sample_id);
