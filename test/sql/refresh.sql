-- synth_refresh (issue 12): the synthetic set sized to the need and matched
-- to the real rows, in one transaction, a no-op when nothing changed.
-- (PL/pgSQL CONTEXT lines carry line numbers of the function: not pinned.)
\set SHOW_CONTEXT never
CREATE TABLE refresh_prompts (
    id serial PRIMARY KEY, prompt_text varchar(10000) NOT NULL, enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL, training_priority integer NOT NULL, created_at timestamp NOT NULL,
    updated_at timestamp, deleted_at timestamp, is_active boolean NOT NULL DEFAULT true);

-- No real rows: the design table fills min_rows.
SELECT r - 'seed' AS result FROM synth_refresh('refresh_prompts', min_rows => 50) r;
SELECT data_source, is_active, count(*),
       count(*) FILTER (WHERE enhancement_result ? 'original_prompt') AS with_original
FROM refresh_prompts GROUP BY 1, 2 ORDER BY 1, 2;
-- Again, unchanged: nothing happens.
SELECT r - 'seed' AS result FROM synth_refresh('refresh_prompts', min_rows => 50) r;

-- Real rows arrive (four features, two domains): fit, retire, insert.
INSERT INTO refresh_prompts (prompt_text, enhancement_result, data_source, training_priority, created_at)
SELECT 'real prompt ' || g,
       jsonb_build_object(
         'feature_vector', jsonb_build_array((g * 7) % 13, round(((g * 37) % 100) / 100.0 + (g % 3) / 10.0, 2),
                                             g % 5, round(((g * 11) % 17) / 17.0, 3)),
         'effectiveness_score', round(((g * 37) % 100) / 100.0, 2),
         'metadata', jsonb_build_object('domain', CASE WHEN g % 3 = 0 THEN 'billing' ELSE 'support' END,
                                        'feature_names', jsonb_build_array('steps', 'quality', 'retries', 'load'))),
       'real', 100, '2024-01-01'
FROM generate_series(1, 120) g;
SELECT r - 'seed' - 'profile_hash' - 'quality_score' AS result, length(r->>'profile_hash') AS hash_digits,
       r->>'quality_score' AS score
FROM synth_refresh('refresh_prompts', min_rows => 50) r \gset refreshed_
SELECT :'refreshed_result'::jsonb AS result, :'refreshed_hash_digits' AS hash_digits;
-- The score is synth_compare's, of the new batch against the real rows, and
-- high: a batch from the design table (or a broken fit) scores far lower here.
SELECT :'refreshed_score'::float8 BETWEEN 0.80 AND 1 AS good_quality,
       :'refreshed_score'::float8 = (synth_compare('refresh_prompts', bootstrap => 0)->'quality'->>'score')::float8
         AS score_is_compare;
-- S = max(50 - 120, ceil(0.3 * 120)) = 36 active synthetic rows of the real dimension;
-- the 50 earlier ones are retired with updated_at and deleted_at set.
SELECT data_source, is_active, count(*),
       count(*) FILTER (WHERE updated_at IS NOT NULL AND deleted_at IS NOT NULL) AS stamped,
       min(jsonb_array_length(enhancement_result->'feature_vector')) AS dimension,
       count(DISTINCT enhancement_result->'metadata'->>'domain') AS domains
FROM refresh_prompts GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(*) AS named_profile
FROM refresh_prompts t JOIN synth_refreshes r ON r.target = 'refresh_prompts'::regclass
WHERE t.is_active AND t.data_source = 'synthetic'
  AND t.enhancement_result->'metadata'->>'profile_hash' = r.profile_hash;
SELECT count(*) AS kept FROM synth_profiles p JOIN synth_refreshes r USING (profile_hash) WHERE r.target = 'refresh_prompts'::regclass;
-- Unchanged real rows: a no-op.
SELECT r->'refreshed' AS refreshed, r->'inserted' AS inserted FROM synth_refresh('refresh_prompts', min_rows => 50) r;
-- A real row changes: refresh again.
UPDATE refresh_prompts SET enhancement_result = jsonb_set(enhancement_result, '{effectiveness_score}', '0.99')
WHERE id = (SELECT min(id) FROM refresh_prompts WHERE data_source = 'real');
SELECT r->'refreshed' AS refreshed, r->'deactivated' AS deactivated, r->'inserted' AS inserted
FROM synth_refresh('refresh_prompts', min_rows => 50) r;

-- All or nothing: a failing insert leaves the earlier batch active.
CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
CREATE TRIGGER refuse BEFORE INSERT ON refresh_prompts FOR EACH ROW EXECUTE FUNCTION refuse();
SELECT synth_refresh('refresh_prompts', min_rows => 500);
SELECT count(*) AS still_active FROM refresh_prompts WHERE data_source = 'synthetic' AND is_active;
DROP TRIGGER refuse ON refresh_prompts;

-- Bad arguments.
SELECT synth_refresh('refresh_prompts', min_rows => -1);
\echo :LAST_ERROR_SQLSTATE
SELECT synth_refresh('refresh_prompts', synthetic_ratio => 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_refresh('refresh_prompts', fit_min_rows => 5);
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE flat_only (domain text, feature_vector float8[], effectiveness_score float8);
SELECT synth_refresh('flat_only');
\echo :LAST_ERROR_SQLSTATE

-- A json document: the same count, digest and no-op.
CREATE TABLE refresh_json (LIKE refresh_prompts INCLUDING DEFAULTS);
ALTER TABLE refresh_json ALTER COLUMN enhancement_result TYPE json;
ALTER TABLE refresh_json ALTER COLUMN id SET DEFAULT nextval('refresh_prompts_id_seq');
INSERT INTO refresh_json (prompt_text, enhancement_result, data_source, training_priority, created_at)
SELECT prompt_text, enhancement_result::json, data_source, training_priority, created_at
FROM refresh_prompts WHERE data_source = 'real';
SELECT r->'refreshed' AS refreshed, r->'real_rows' AS real_rows, r->'inserted' AS inserted
FROM synth_refresh('refresh_json', min_rows => 50) r;
-- The digest is of what a fit reads: the same rows in either layout digest alike.
SELECT j.real_rows_hash = p.real_rows_hash AS same_digest, j.real_rows
FROM synth_refreshes j, synth_refreshes p
WHERE j.target = 'refresh_json'::regclass AND p.target = 'refresh_prompts'::regclass;
SELECT r->'refreshed' AS refreshed FROM synth_refresh('refresh_json', min_rows => 50) r;
-- A column no fit reads changes: still a no-op (the batch would be the same).
UPDATE refresh_json SET training_priority = 99 WHERE id = (SELECT min(id) FROM refresh_json WHERE data_source = 'real');
SELECT r->'refreshed' AS refreshed FROM synth_refresh('refresh_json', min_rows => 50) r;
-- A prompt, a domain, a feature: each is a change.
UPDATE refresh_json SET prompt_text = prompt_text || '!' WHERE id = (SELECT min(id) FROM refresh_json WHERE data_source = 'real');
SELECT r->'refreshed' AS refreshed FROM synth_refresh('refresh_json', min_rows => 50) r;
UPDATE refresh_json SET enhancement_result = json_build_object('feature_vector', enhancement_result->'feature_vector',
    'effectiveness_score', enhancement_result->'effectiveness_score', 'metadata', json_build_object('domain', 'other'))
WHERE id = (SELECT max(id) FROM refresh_json WHERE data_source = 'real');
SELECT r->'refreshed' AS refreshed FROM synth_refresh('refresh_json', min_rows => 50) r;
UPDATE refresh_json SET enhancement_result = json_build_object('feature_vector', json_build_array(1, 2, 3, 5),
    'effectiveness_score', 0.5, 'metadata', json_build_object('domain', 'other'))
WHERE id = (SELECT max(id) FROM refresh_json WHERE data_source = 'real');
SELECT r->'refreshed' AS refreshed FROM synth_refresh('refresh_json', min_rows => 50) r;
SELECT r->'refreshed' AS refreshed FROM synth_refresh('refresh_json', min_rows => 50) r;
