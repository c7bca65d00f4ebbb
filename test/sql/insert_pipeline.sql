-- The pipeline's side of synth_insert (docs/design.md §1): it reads rows with
-- data_source = 'synthetic' AND is_active ORDER BY training_priority DESC,
-- takes feature_vector and effectiveness_score from the JSON and the domain
-- from metadata.domain, and its ML gate drops a row with empty, non-numeric,
-- NaN or infinite features or a score outside [0, 1]. Every inserted row must
-- pass, and its metadata must regenerate it with synth_generate.
CREATE SCHEMA synth_pipeline_test;
SET search_path = synth_pipeline_test, public;

CREATE TABLE user_sessions (
    id varchar(255) PRIMARY KEY
);
CREATE TABLE training_prompts (
    id serial PRIMARY KEY,
    prompt_text varchar(10000) NOT NULL,
    enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL,
    training_priority integer NOT NULL,
    created_at timestamp NOT NULL,
    updated_at timestamp NULL,
    deleted_at timestamp NULL,
    is_active boolean NOT NULL DEFAULT true,
    session_id varchar(255) NULL REFERENCES user_sessions (id),
    CONSTRAINT training_prompts_data_source_check
        CHECK (data_source IN ('synthetic', 'real', 'user', 'api', 'batch')),
    CONSTRAINT training_prompts_priority_check
        CHECK (training_priority BETWEEN 1 AND 1000)
);
CREATE INDEX ix_training_prompts_prompt_text ON training_prompts (prompt_text);
CREATE INDEX ix_training_prompts_data_source ON training_prompts (data_source);
CREATE INDEX ix_training_prompts_is_active ON training_prompts (is_active);
CREATE INDEX ix_training_prompts_created_at ON training_prompts (created_at);
CREATE INDEX ix_training_prompts_training_priority ON training_prompts (training_priority);

-- A fixed-seed batch at the default priority, a fresh-seed batch read first
-- (priority 20), and rows the pipeline must not read.
SELECT synth_insert('training_prompts', 1000, 42);
SELECT synth_insert('training_prompts', 300, NULL, priority => 20);
INSERT INTO training_prompts (prompt_text, enhancement_result, data_source, training_priority, created_at)
VALUES ('real', '{"effectiveness_score": 2}', 'real', 100, '2024-01-01');
SELECT synth_insert('training_prompts', 10, 7, priority => 999);
UPDATE training_prompts SET is_active = false, deleted_at = '2024-01-02' WHERE training_priority = 999;

-- The pipeline's reader, as a view.
CREATE VIEW pipeline_rows AS
SELECT row_number() OVER (ORDER BY training_priority DESC, id) AS read_order,
       id, prompt_text, training_priority,
       enhancement_result->'feature_vector' AS features,
       enhancement_result->'effectiveness_score' AS score,
       enhancement_result->'metadata'->>'domain' AS domain,
       enhancement_result->'metadata'->>'tier' AS tier,
       enhancement_result->'metadata' AS metadata,
       enhancement_result->>'enhanced_prompt' AS enhanced_prompt
FROM training_prompts
WHERE data_source = 'synthetic' AND is_active;

-- The ML gate's row filter: 6 numeric, finite features; a numeric score in [0, 1].
CREATE FUNCTION gate_keeps(features jsonb, score jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_typeof(features) = 'array'
     AND jsonb_array_length(features) = 6
     AND NOT EXISTS (SELECT FROM jsonb_array_elements(features) f WHERE jsonb_typeof(f) <> 'number')
     AND NOT EXISTS (SELECT FROM jsonb_array_elements_text(features) f
                     WHERE f::float8 IN ('NaN', 'Infinity', '-Infinity'))
     AND jsonb_typeof(score) = 'number'
     AND score::text::float8 BETWEEN 0 AND 1
$$;

-- Read order: the priority 20 batch first, then the priority 10 one; the
-- inactive batch and the real row are not read.
SELECT training_priority, count(*), min(read_order), max(read_order)
FROM pipeline_rows GROUP BY 1 ORDER BY 1 DESC;

-- Every row read is usable, with a domain of the five and a tier whose score
-- band (docs/design.md §2) holds the score.
SELECT count(*) AS rows_read,
       count(*) FILTER (WHERE gate_keeps(features, score)) AS gate_keeps,
       count(*) FILTER (WHERE domain IN ('technical', 'creative', 'analytical', 'instructional',
                                         'conversational')) AS known_domain,
       count(*) FILTER (WHERE CASE tier
                                WHEN 'low' THEN score::text::float8 BETWEEN 0.0 AND 0.3
                                WHEN 'medium' THEN score::text::float8 BETWEEN 0.4 AND 0.6
                                WHEN 'high' THEN score::text::float8 BETWEEN 0.7 AND 1.0
                              END) AS score_in_tier_band,
       count(*) FILTER (WHERE prompt_text <> '' AND enhanced_prompt <> ''
                          AND length(enhanced_prompt) > length(prompt_text)) AS prompts,
       count(*) FILTER (WHERE metadata->'feature_names'
                              = '["clarity", "length", "specificity", "complexity", "context_richness", "actionability"]'
                          AND metadata->'quality_validated' = 'true'
                          AND metadata ? 'source' AND metadata ? 'generation_timestamp') AS pipeline_metadata,
       count(*) FILTER (WHERE jsonb_typeof(metadata->'seed') = 'number'
                          AND jsonb_typeof(metadata->'sample_id') = 'number'
                          AND jsonb_typeof(metadata->'n') = 'number') AS regenerable
FROM pipeline_rows;

-- The gate's set checks and the plan's targets, per batch: 1000+ rows (the
-- fixed-seed batch), 3 tiers, 5 domains, score std >= 0.15 (population),
-- more than 2 distinct scores, the 0..1 range covered.
SELECT training_priority, count(*) AS rows,
       count(DISTINCT tier) AS tiers, count(DISTINCT domain) AS domains,
       stddev_pop(score::text::float8) >= 0.15 AS std_ok,
       count(DISTINCT score::text::float8) >= 2 AS distinct_scores_ok,
       min(score::text::float8) < 0.1 AND max(score::text::float8) > 0.9 AS range_covered
FROM pipeline_rows GROUP BY 1 ORDER BY 1 DESC;

-- The fixed-seed batch carries its seed, and synth_generate(n, seed)
-- regenerates it exactly: same original prompt, enhanced prompt, domain,
-- tier, features and score for every sample_id.
SELECT metadata->'seed' AS seed, metadata->'n' AS n, count(*)
FROM pipeline_rows WHERE training_priority = 10 GROUP BY 1, 2;

CREATE FUNCTION regenerated(batch_priority integer)
RETURNS TABLE (rows bigint, sample_ids bigint, matched bigint, identical bigint)
LANGUAGE sql AS $$
  WITH batch AS (
    SELECT * FROM pipeline_rows WHERE training_priority = batch_priority
  ), params AS (
    SELECT DISTINCT (metadata->>'n')::bigint AS n, (metadata->>'seed')::bigint AS seed FROM batch
  )
  SELECT count(*), count(DISTINCT (b.metadata->>'sample_id')::bigint), count(g.sample_id),
         count(*) FILTER (WHERE b.prompt_text = g.original_prompt
                            AND b.enhanced_prompt = g.enhanced_prompt
                            AND b.domain = g.domain
                            AND b.tier = g.tier
                            AND b.score::text::float8 = g.effectiveness_score
                            AND ARRAY(SELECT jsonb_array_elements_text(b.features)::float8) = g.feature_vector)
  FROM batch b
  LEFT JOIN (SELECT g.* FROM params p, LATERAL synth_generate(p.n, p.seed) g) g
    ON g.sample_id = (b.metadata->>'sample_id')::bigint
$$;
SELECT * FROM regenerated(10);

-- With seed NULL, the batch shares one fresh seed, kept in its metadata, and
-- that seed regenerates the batch. (Its value is random: only properties here.)
SELECT count(DISTINCT metadata->'seed') AS seeds, min((metadata->>'seed')::bigint) >= 0 AS non_negative,
       min(metadata->>'n') AS n
FROM pipeline_rows WHERE training_priority = 20;
SELECT * FROM regenerated(20);
-- Two fresh-seed batches get different seeds.
CREATE TABLE fresh (LIKE training_prompts INCLUDING DEFAULTS);
SELECT synth_insert('fresh', 5), synth_insert('fresh', 5);
SELECT count(DISTINCT enhancement_result->'metadata'->'seed') AS seeds FROM fresh;

-- A negative seed is kept as given and regenerates its batch too.
TRUNCATE fresh;
SELECT synth_insert('fresh', 50, -5, priority => 5);
SELECT DISTINCT enhancement_result->'metadata'->'seed' AS seed FROM fresh;
SELECT count(*) FILTER (WHERE f.prompt_text = g.original_prompt
                          AND (f.enhancement_result->>'effectiveness_score')::float8 = g.effectiveness_score) AS identical
FROM fresh f JOIN synth_generate(50, -5) g
  ON g.sample_id = (f.enhancement_result->'metadata'->>'sample_id')::bigint;

-- The same holds for a json column.
CREATE TABLE json_prompts (prompt_text text NOT NULL, enhancement_result json NOT NULL,
                           data_source text, is_active boolean, training_priority int);
SELECT synth_insert('json_prompts', 200, 11);
SELECT count(*) AS rows,
       count(*) FILTER (WHERE gate_keeps(enhancement_result::jsonb->'feature_vector',
                                         enhancement_result::jsonb->'effectiveness_score')) AS gate_keeps,
       count(*) FILTER (WHERE j.prompt_text = g.original_prompt
                          AND (enhancement_result->>'effectiveness_score')::float8 = g.effectiveness_score
                          AND ARRAY(SELECT json_array_elements_text(enhancement_result->'feature_vector')::float8)
                              = g.feature_vector
                          AND enhancement_result->'metadata'->>'domain' = g.domain) AS identical
FROM json_prompts j
JOIN synth_generate(200, 11) g ON g.sample_id = (j.enhancement_result->'metadata'->>'sample_id')::bigint
WHERE data_source = 'synthetic' AND is_active;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA synth_pipeline_test CASCADE;
RESET client_min_messages;
