-- synth_validate / synth_report on the pipeline layout: an empty table, one
-- row, the pipeline's own bootstrap, every reason the ML gate drops a row, the
-- order in which reasons apply, json against jsonb, and the row filters.
--
-- Errors show DETAIL and HINT (VERBOSITY default, no source locations); the
-- SQLSTATE is pinned with psql's LAST_ERROR_SQLSTATE after each one.
\set VERBOSITY default
CREATE SCHEMA synth_validate_test;
-- Only this schema: no other test's training_prompts can be found.
SET search_path = synth_validate_test;

-- The default target is resolved at each call: the extension was created in
-- a database without training_prompts, and the call fails only now ...
SELECT public.synth_validate();
\echo :LAST_ERROR_SQLSTATE

-- ... and finds the table once it exists (the pipeline's DDL, docs/design.md §1).
CREATE TABLE user_sessions (id varchar(255) PRIMARY KEY);
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
    CONSTRAINT training_prompts_priority_check CHECK (training_priority BETWEEN 1 AND 1000)
);

-- Empty table: the whole report, every number finite or null.
SELECT jsonb_pretty(public.synth_validate());
SELECT * FROM public.synth_report();

-- One valid row.
INSERT INTO training_prompts (prompt_text, enhancement_result, data_source, training_priority, created_at)
VALUES ('fix my code', '{"enhanced_prompt": "Fix the Python function so that ...",
  "effectiveness_score": 0.83, "feature_vector": [0.8, 210, 0.9, 5, 0.7, 0.95],
  "metadata": {"source": "hand", "domain": "technical"}}', 'synthetic', 10, '2024-01-01');
SELECT r->'sample_count' AS samples, r->'valid_count' AS valid, r->'effectiveness' AS score,
       r->'tiers' AS tiers, r->'domains_covered' AS domains,
       r->'feature_correlations' AS correlations, r->'label_signal'->'linear_r2' AS r2,
       r->'distinct_prompts' AS prompts, r->'overall_quality' AS overall
FROM public.synth_validate() r;
SELECT jsonb_pretty(public.synth_validate()->'features'->0) AS clarity;
SELECT c->>'name' AS check, c->'passed' AS passed, c->'value' AS value, c->'threshold' AS threshold
FROM jsonb_array_elements(public.synth_validate()->'checks') c;
TRUNCATE training_prompts;

-- The pipeline's own bootstrap: 200 rows from 5 string pairs, no features,
-- no scores. Every row is dropped, for the first reason: missing_features.
INSERT INTO training_prompts (prompt_text, enhancement_result, data_source, training_priority, created_at)
SELECT p.original, jsonb_build_object('enhanced_prompt', p.enhanced,
         'improvements', jsonb_build_array('clarity', 'specificity'),
         'metadata', jsonb_build_object('source', 'bootstrap')),
       'synthetic', 50, '2024-01-01'
FROM generate_series(1, 40) g,
     (VALUES ('Write code', 'Write a Python function that parses a CSV file and returns rows.'),
             ('Explain this', 'Explain recursion to a new programmer with one example.'),
             ('Summarize', 'Summarize the article in three bullet points for executives.'),
             ('Make it better', 'Rewrite the paragraph to be clearer and half as long.'),
             ('Help me plan', 'Draft a one-week study plan for learning SQL joins.')) p(original, enhanced);
SELECT r->'sample_count' AS samples, r->'valid_count' AS valid, r->'invalid' AS invalid,
       r->'no_invalid_values' AS clean, r->'min_samples_met' AS enough,
       r->'distinct_prompts' AS prompts, r->'domain_distribution'->'unknown' AS unknown
FROM public.synth_validate() r;
SELECT * FROM public.synth_report() WHERE synth_report ~ '^(rows:|Overall)|missing_features';
TRUNCATE training_prompts;

-- Hand-made rows, one per reason, each counted under its reason; rows with
-- several faults count under the first (order: missing_features,
-- wrong_dimension, non_numeric, non_finite, missing_score, score_out_of_range).
CREATE TABLE cases (label text, doc text);
INSERT INTO cases VALUES
  ('no vector',            '{"effectiveness_score": 0.5}'),
  ('null vector',          '{"feature_vector": null, "effectiveness_score": 0.5}'),
  ('empty vector',         '{"feature_vector": [], "effectiveness_score": 0.5}'),
  ('not an object',        '[0.5, 100, 0.5, 3, 0.5, 0.5]'),
  ('five features',        '{"feature_vector": [0.5, 100, 0.5, 3, 0.5], "effectiveness_score": 0.5}'),
  ('seven features',       '{"feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5, 1], "effectiveness_score": 0.5}'),
  ('string feature',       '{"feature_vector": [0.5, "100", 0.5, 3, 0.5, 0.5], "effectiveness_score": 0.5}'),
  ('boolean feature',      '{"feature_vector": [0.5, 100, true, 3, 0.5, 0.5], "effectiveness_score": 0.5}'),
  ('null feature',         '{"feature_vector": [0.5, 100, 0.5, null, 0.5, 0.5], "effectiveness_score": 0.5}'),
  ('nested feature',       '{"feature_vector": [0.5, 100, 0.5, 3, [0.5], 0.5], "effectiveness_score": 0.5}'),
  ('vector as string',     '{"feature_vector": "[0.5, 100, 0.5, 3, 0.5, 0.5]", "effectiveness_score": 0.5}'),
  ('string score',         '{"feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5], "effectiveness_score": "0.5"}'),
  ('boolean score',        '{"feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5], "effectiveness_score": true}'),
  ('huge feature',         '{"feature_vector": [0.5, 1e999, 0.5, 3, 0.5, 0.5], "effectiveness_score": 0.5}'),
  ('huge score',           '{"feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5], "effectiveness_score": -1e400}'),
  ('no score',             '{"feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5]}'),
  ('null score',           '{"feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5], "effectiveness_score": null}'),
  ('score above 1',        '{"feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5], "effectiveness_score": 1.0000001}'),
  ('score below 0',        '{"feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5], "effectiveness_score": -0.25}'),
  ('tiny number is fine',  '{"feature_vector": [1e-999, 100, 0.5, 3, 0.5, 0.5], "effectiveness_score": 0}'),
  ('score 1 is fine',      '{"feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5], "effectiveness_score": 1}'),
  ('order: 5 dims + text', '{"feature_vector": [0.5, "x", 0.5, 3, 0.5], "effectiveness_score": "x"}'),
  ('order: text + huge',   '{"feature_vector": [0.5, "x", 1e999, 3, 0.5, 0.5]}'),
  ('order: huge + none',   '{"feature_vector": [0.5, 100, 1e999, 3, 0.5, 0.5], "effectiveness_score": null}'),
  ('order: huge + string', '{"feature_vector": [0.5, 100, 1e999, 3, 0.5, 0.5], "effectiveness_score": "x"}'),
  ('order: none + vector', '{"effectiveness_score": 7}');

-- Each case alone, in a table of its own, under jsonb and under json.
CREATE TABLE one_jsonb (prompt_text text, enhancement_result jsonb);
CREATE TABLE one_json (prompt_text text, enhancement_result json);
CREATE FUNCTION verdict(doc text, kind text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  report jsonb;
  reasons text;
BEGIN
  EXECUTE format('TRUNCATE one_%s', kind);
  EXECUTE format('INSERT INTO one_%s VALUES (%L, %L::%s)', kind, 'p', doc, kind);
  report := public.synth_validate(format('one_%s', kind)::regclass, dimension => 6);  -- the pipeline's six
  SELECT string_agg(key, ',') INTO reasons
  FROM jsonb_each(report->'invalid') WHERE value <> '0';
  RETURN coalesce(reasons, CASE WHEN report->>'valid_count' = '1' THEN 'valid' END);
END $$;
SELECT label, verdict(doc, 'jsonb') AS jsonb, verdict(doc, 'json') AS json FROM cases;

-- All cases in one table: the counts by reason, the same for json and jsonb.
TRUNCATE one_jsonb, one_json;
INSERT INTO one_jsonb SELECT label, doc::jsonb FROM cases;
INSERT INTO one_json SELECT label, doc::json FROM cases;
SELECT r->'sample_count' AS samples, r->'valid_count' AS valid, jsonb_pretty(r->'invalid') AS invalid
FROM public.synth_validate('one_jsonb') r;
SELECT public.synth_validate('one_jsonb') - 'table' = public.synth_validate('one_json') - 'table'
  AS json_and_jsonb_agree;

-- json keeps what jsonb normalizes away: duplicate keys (the last one wins, as
-- in jsonb and in Python's json.loads), key order, escapes, whitespace.
TRUNCATE one_jsonb, one_json;
INSERT INTO one_json VALUES
  ('a', '{"effectiveness_score": "no", "feature_vector": [1], "effectiveness_score": 0.25,
          "feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5], "metadata": {"domain": "creative"}}'),
  ('b', '{"metadata": {"domain": "techn\u0069cal"}, "feature\u005fvector": [0.5,100,0.5,3,0.5,0.5],
          "effectiveness_score"  :  0.5 }'),
  ('c', '{"feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5], "effectiveness_score": 0.75,
          "metadata": {"domain": "creative"}, "metadata": {"source": "later"}}');
INSERT INTO one_jsonb SELECT prompt_text, enhancement_result::jsonb FROM one_json;
SELECT r->'valid_count' AS valid, r->'effectiveness'->'mean' AS mean_score,
       r->'domain_distribution' AS domains
FROM public.synth_validate('one_json') r;
SELECT public.synth_validate('one_jsonb') - 'table' = public.synth_validate('one_json') - 'table'
  AS json_and_jsonb_agree;

-- Tiers, bins, domains: scores on the band edges, between bands, and domains
-- outside the five (counted by name), missing, or literally "unknown".
TRUNCATE one_jsonb;
INSERT INTO one_jsonb
SELECT 'p' || s, jsonb_build_object('feature_vector', jsonb_build_array(s, 100, 0.5, 3, 0.5, 0.5),
         'effectiveness_score', s, 'metadata', jsonb_build_object('domain', d))
FROM (VALUES (0.0, 'technical'), (0.3, 'technical'), (0.35, 'poetry'), (0.4, 'creative'),
             (0.6, 'analytical'), (0.65, NULL), (0.7, 'instructional'), (1.0, 'conversational'),
             (0.99, 'unknown'), (0.05, 'poetry')) v(s, d);
SELECT r->'tiers' AS tiers, r->'effectiveness'->'range_coverage' AS coverage,
       r->'domain_distribution' AS domains, r->'domains_covered' AS covered,
       r->'distinct_prompts' AS prompts
FROM public.synth_validate('one_jsonb') r;

-- The filters: data_source (a parameter, compared as text) and is_active.
INSERT INTO training_prompts (prompt_text, enhancement_result, data_source, training_priority, created_at, is_active)
SELECT 'prompt ' || g, jsonb_build_object('feature_vector', jsonb_build_array(0.5, 100, 0.5, 3, 0.5, 0.5),
         'effectiveness_score', g / 10.0), src, 10, '2024-01-01', g % 3 <> 0
FROM generate_series(1, 9) g, (VALUES ('synthetic'), ('real')) s(src);
SELECT args, r->'sample_count' AS samples, r->'filter' AS filter
FROM (VALUES ('all rows', public.synth_validate(only_active => false)),
             ('active', public.synth_validate()),
             ('synthetic, active', public.synth_validate(data_source => 'synthetic')),
             ('real, all', public.synth_validate('training_prompts', 'real', false)),
             ('no match', public.synth_validate(data_source => 'api')),
             ('quote in value', public.synth_validate(data_source => $$x' OR true --$$)))
     v(args, r);

-- A table without is_active: only_active has nothing to filter.
SELECT r->'sample_count' AS samples, r->'filter' AS filter
FROM public.synth_validate('one_jsonb', only_active => true) r;

-- A data_source filter needs the column.
SELECT public.synth_validate('one_jsonb', 'synthetic');
\echo :LAST_ERROR_SQLSTATE

-- Labels: STABLE, PARALLEL RESTRICTED, SECURITY INVOKER, a pinned search_path.
SELECT proname, provolatile, proparallel, prosecdef, proconfig, prorettype::regtype, proretset
FROM pg_proc WHERE proname IN ('synth_validate', 'synth_report') ORDER BY proname;

RESET search_path;
DROP SCHEMA synth_validate_test CASCADE;
