-- synth_insert's slices: disjoint slices covering [0, n), run in any order and
-- from several sessions, leave exactly the rows of one synth_insert(n, seed);
-- the slice is checked against n; skip_if_present skips a slice whose rows are
-- already there and nothing else.
CREATE SCHEMA slices;
SET search_path = slices, public;
CREATE PROCEDURE try(statement text)
LANGUAGE plpgsql AS $$
DECLARE
  v_result text;
  v_state text;
  v_message text;
BEGIN
  EXECUTE statement INTO v_result;
  RAISE NOTICE 'ok: %', coalesce(v_result, 'no result');
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
  RAISE NOTICE '%: %', v_state, v_message;
END $$;
\set SHOW_CONTEXT never
\i examples/training_prompts.sql
CREATE TABLE whole (LIKE training_prompts INCLUDING ALL);

-- The rows of a table as one digest, in sample_id order: the prompt and the
-- document minus its generation timestamp (created_at is left out too).
CREATE FUNCTION fingerprint(t regclass) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
  EXECUTE format($q$SELECT md5(string_agg(prompt_text || (enhancement_result #- '{metadata,generation_timestamp}')::text,
                   E'\n' ORDER BY (enhancement_result #>> '{metadata,sample_id}')::bigint)) FROM %s$q$, t) INTO d;
  RETURN d;
END $$;

SELECT synth_insert('whole', 2500, 77);

-- Five slices out of order, one of them empty, one in a transaction of its
-- own with another, one from a second session.
SELECT synth_insert('training_prompts', 2500, 77, slice_start => 1800);
SELECT synth_insert('training_prompts', 2500, 77, slice_start => 0, slice_rows => 1);
BEGIN;
SELECT synth_insert('training_prompts', 2500, 77, slice_start => 1000, slice_rows => 800);
SELECT synth_insert('training_prompts', 2500, 77, slice_start => 1000, slice_rows => 0);
COMMIT;
\c
\set SHOW_CONTEXT never
SET search_path = slices, public;
SELECT synth_insert('training_prompts', 2500, 77, slice_start => 1, slice_rows => 999);

SELECT count(*) AS rows, count(DISTINCT enhancement_result #>> '{metadata,sample_id}') AS sample_ids,
       min((enhancement_result #>> '{metadata,sample_id}')::int), max((enhancement_result #>> '{metadata,sample_id}')::int)
FROM training_prompts;
SELECT fingerprint('training_prompts') = fingerprint('whole') AS same_rows;
-- The timestamps differ (the slices ran in other transactions), the rest does not.
SELECT count(*) AS documents_differing_only_in_time
FROM training_prompts s JOIN whole w
  ON s.enhancement_result #> '{metadata,sample_id}' = w.enhancement_result #> '{metadata,sample_id}'
WHERE s.enhancement_result <> w.enhancement_result
  AND s.enhancement_result #- '{metadata,generation_timestamp}' = w.enhancement_result #- '{metadata,generation_timestamp}';

-- Quotas are exact over the whole: the same tier and domain counts as one call
-- and as synth_generate over [0, n).
SELECT enhancement_result #>> '{metadata,tier}' AS tier, count(*) FROM training_prompts GROUP BY 1 ORDER BY 1;
SELECT (SELECT array_agg(c ORDER BY k) FROM (SELECT enhancement_result #>> '{metadata,tier}' || '/' ||
                                                    (enhancement_result #>> '{metadata,domain}') AS k, count(*) AS c
                                             FROM training_prompts GROUP BY 1) a)
     = (SELECT array_agg(c ORDER BY k) FROM (SELECT tier || '/' || domain AS k, count(*) AS c
                                             FROM synth_generate(2500, 77) GROUP BY 1) b) AS quotas_as_generate;

-- A slice is rows sample_id in [slice_start, slice_start + slice_rows) of synth_generate.
CREATE TABLE flat (sample_id bigint, tier text, feature_vector float8[], effectiveness_score float8,
                   original_prompt text, data_source text);
SELECT synth_insert('flat', 2500, 77, slice_start => 2400, slice_rows => 100);
SELECT count(*) AS rows_unlike_generate FROM (
  SELECT sample_id, tier, feature_vector, effectiveness_score, original_prompt FROM flat
  EXCEPT
  SELECT sample_id, tier, feature_vector, effectiveness_score, original_prompt
  FROM synth_generate(2500, 77, slice_start => 2400, slice_rows => 100)) d;

-- The slice is checked against n, with synth_generate's messages and SQLSTATEs.
CALL try($$SELECT synth_insert('training_prompts', 100, 1, slice_start => 101)$$);
CALL try($$SELECT synth_insert('training_prompts', 100, 1, slice_start => -1)$$);
CALL try($$SELECT synth_insert('training_prompts', 100, 1, slice_start => 50, slice_rows => 51)$$);
CALL try($$SELECT synth_insert('training_prompts', 100, 1, slice_rows => -1)$$);
CALL try($$SELECT synth_insert('training_prompts', 100, 1, slice_start => NULL)$$);
CALL try($$SELECT synth_insert('training_prompts', 100, NULL, slice_start => 10)$$);
CALL try($$SELECT synth_insert('training_prompts', 100, NULL, slice_rows => 10)$$);
-- The end of the dataset is a valid empty slice; a whole call may still draw its seed.
CALL try($$SELECT synth_insert('training_prompts', 100, 1, slice_start => 100)$$);
CALL try($$SELECT synth_insert('whole', 3, NULL, slice_start => 0, slice_rows => NULL)$$);
SELECT count(*) FROM training_prompts WHERE (enhancement_result #>> '{metadata,n}')::int = 100;

-- skip_if_present for a slice: skipped when a synthetic row of this dataset
-- (seed and n) with a sample_id in the slice is there, loaded otherwise.
TRUNCATE training_prompts;
SELECT synth_insert('training_prompts', 1000, 5, slice_start => 0, slice_rows => 300, skip_if_present => true);
SELECT synth_insert('training_prompts', 1000, 5, slice_start => 0, slice_rows => 300, skip_if_present => true);
-- overlapping the loaded slice: skipped too (a restart must reuse the slicing)
SELECT synth_insert('training_prompts', 1000, 5, slice_start => 299, slice_rows => 10, skip_if_present => true);
-- the next slice, other datasets (seed, n) over the same range: loaded
SELECT synth_insert('training_prompts', 1000, 5, slice_start => 300, skip_if_present => true);
SELECT synth_insert('training_prompts', 1000, 6, slice_start => 0, slice_rows => 300, skip_if_present => true);
SELECT synth_insert('training_prompts', 999, 5, slice_start => 0, slice_rows => 300, skip_if_present => true);
-- rows relabelled after synthdata wrote them (a BEFORE trigger, an UPDATE) still
-- count, by the document's metadata.source ...
UPDATE training_prompts SET data_source = 'real'
WHERE enhancement_result @> '{"metadata": {"seed": 6}}';
SELECT synth_insert('training_prompts', 1000, 6, slice_start => 0, slice_rows => 300, skip_if_present => true);
-- ... while rows that neither column marks as synthdata's do not
UPDATE training_prompts SET enhancement_result = jsonb_set(enhancement_result, '{metadata,source}', '"pipeline"')
WHERE enhancement_result @> '{"metadata": {"seed": 6}}';
SELECT synth_insert('training_prompts', 1000, 6, slice_start => 0, slice_rows => 300, skip_if_present => true);
-- a whole call keeps its meaning: skipped when the table holds any synthetic row
SELECT synth_insert('training_prompts', 1000, 7, skip_if_present => true);
SELECT enhancement_result #>> '{metadata,seed}' AS seed, enhancement_result #>> '{metadata,n}' AS n,
       data_source, count(*) FROM training_prompts GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
-- and the table now holds dataset (1000, 5) exactly once
SELECT count(*) = 1000 AND count(DISTINCT enhancement_result #>> '{metadata,sample_id}') = 1000 AS exactly_once
FROM training_prompts WHERE enhancement_result @> '{"metadata": {"seed": 5, "n": 1000}}';
-- a flat table is judged by its sample_id column alone; without one the slice cannot be told
SELECT synth_insert('flat', 2500, 78, slice_start => 2450, slice_rows => 10, skip_if_present => true);
SELECT synth_insert('flat', 2500, 78, slice_start => 2300, slice_rows => 10, skip_if_present => true);
CREATE TABLE flat_anonymous (feature_vector float8[], effectiveness_score float8);
CALL try($$SELECT synth_insert('flat_anonymous', 10, 1, slice_start => 5, skip_if_present => true)$$);
SELECT synth_insert('flat_anonymous', 10, 1, slice_start => 5);


-- A slice is skipped only for rows of the same dataset: everything that makes
-- its rows (seed, n, the profile or the design table, domain_weights,
-- tier_shares, label_noise, generator_version) as the documents carry it.
-- Anything else is another dataset whose rows are not there yet.
CREATE TABLE datasets (LIKE training_prompts INCLUDING ALL);
CREATE TABLE real_rows (domain text, feature_vector float8[], effectiveness_score float8);
INSERT INTO real_rows
SELECT CASE WHEN g % 3 = 0 THEN 'harbour' ELSE 'meadow' END,
       ARRAY[g % 7, (g * 13) % 9, g % 5, (g * 7) % 11, g % 3, (g * 3) % 8]::float8[],
       round((((g * 37) % 100) / 100.0)::numeric, 4)::float8
FROM generate_series(1, 120) g;
SELECT synth_fit('real_rows', NULL) AS p \gset
UPDATE real_rows SET effectiveness_score = 1 - effectiveness_score;
SELECT synth_fit('real_rows', NULL) AS q \gset
CREATE FUNCTION load(label text, call text) RETURNS TABLE (dataset text, inserted bigint)
LANGUAGE plpgsql AS $$
BEGIN
  dataset := label;
  EXECUTE 'SELECT ' || call INTO inserted;
  RETURN NEXT;
END $$;
SET client_min_messages = warning;
SELECT * FROM load('design', $$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true)$$);
SELECT * FROM load('design again', $$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true)$$);
SELECT * FROM load('profile p', format($$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, profile => %L)$$, :'p'));
SELECT * FROM load('profile p again', format($$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, profile => %L)$$, :'p'));
SELECT * FROM load('profile q', format($$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, profile => %L)$$, :'q'));
SELECT * FROM load('profile p, weighted', format($$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, profile => %L, domain_weights => '{"harbour": 1, "meadow": 3}')$$, :'p'));
SELECT * FROM load('profile p, weighted again', format($$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, profile => %L, domain_weights => '{"harbour": 1, "meadow": 3}')$$, :'p'));
SELECT * FROM load('profile p, weighted otherwise', format($$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, profile => %L, domain_weights => '{"harbour": 1}')$$, :'p'));
SELECT * FROM load('label_noise', $$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, label_noise => 0.1)$$);
SELECT * FROM load('tier_shares', $$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, tier_shares => '{0.25,0.25,0.5}')$$);
SELECT * FROM load('tier_shares reversed', $$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, tier_shares => '{0.5,0.25,0.25}')$$);
SELECT * FROM load('domain_weights', $$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, domain_weights => '{"technical": 2}')$$);
SELECT * FROM load('domain_weights again', $$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, domain_weights => '{"technical": 2}')$$);
SELECT * FROM load('domain_weights otherwise', $$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, domain_weights => '{"technical": 2, "creative": 1}')$$);
-- Rows of another generator_version (as an older synthdata wrote them) are another dataset.
UPDATE datasets SET enhancement_result = jsonb_set(enhancement_result, '{metadata,generator_version}', '1');
SELECT * FROM load('design, newer generator', $$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true)$$);
SELECT * FROM load('profile p, newer generator', format($$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, profile => %L)$$, :'p'));
RESET client_min_messages;
SELECT enhancement_result #>> '{metadata,generator_version}' = '1' AS older,
       enhancement_result->'metadata' ? 'profile_hash' AS fitted, count(*)
FROM datasets GROUP BY 1, 2 ORDER BY 1, 2;
-- A json column holds the same datasets in JSON text (numbers as written):
-- a retry finds them there too, and other options do not.
CREATE TABLE datasets_json (LIKE training_prompts INCLUDING ALL);
ALTER TABLE datasets_json ALTER COLUMN enhancement_result TYPE json;
SET client_min_messages = warning;
SELECT * FROM load('json: design', $$synth_insert('datasets_json', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, label_noise => 0.07, tier_shares => '{0.3,0.3,0.4}', domain_weights => '{"technical": 0.1}')$$);
SELECT * FROM load('json: design again', $$synth_insert('datasets_json', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, label_noise => 0.07, tier_shares => '{0.3,0.3,0.4}', domain_weights => '{"technical": 0.1}')$$);
SELECT * FROM load('json: profile p', format($$synth_insert('datasets_json', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, profile => %L)$$, :'p'));
SELECT * FROM load('json: profile p again', format($$synth_insert('datasets_json', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, profile => %L)$$, :'p'));
-- An option of 17 significant digits, which a jsonb document keeps to 15 (0.3)
-- and a json document as written.
SELECT * FROM load('jsonb: long label_noise', $$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, label_noise => 0.1::float8 + 0.2::float8)$$);
SELECT * FROM load('jsonb: long label_noise again', $$synth_insert('datasets', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, label_noise => 0.1::float8 + 0.2::float8)$$);
SELECT * FROM load('json: long label_noise', $$synth_insert('datasets_json', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, label_noise => 0.1::float8 + 0.2::float8)$$);
SELECT * FROM load('json: long label_noise again', $$synth_insert('datasets_json', 500, 9, slice_start => 0, slice_rows => 100, skip_if_present => true, label_noise => 0.1::float8 + 0.2::float8)$$);
RESET client_min_messages;
SELECT (SELECT DISTINCT enhancement_result #>> '{metadata,label_noise}' FROM datasets
        WHERE (enhancement_result #>> '{metadata,label_noise}')::numeric BETWEEN 0.29 AND 0.31) AS in_jsonb,
       (SELECT DISTINCT enhancement_result::jsonb #>> '{metadata,label_noise}' FROM datasets_json
        WHERE (enhancement_result::jsonb #>> '{metadata,label_noise}')::numeric BETWEEN 0.29 AND 0.31) AS in_json;

DROP SCHEMA slices CASCADE;
