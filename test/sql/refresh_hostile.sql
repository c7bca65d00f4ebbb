-- synth_refresh on what real tables hold (issue 21): a defined outcome for
-- any mix of real rows, the reason in the result and a NOTICE, errors only
-- for misuse, with messages that name synth_refresh's own arguments.
\set SHOW_CONTEXT never
CREATE FUNCTION pg_temp.real_rows(t regclass, n integer, dimension integer, first integer DEFAULT 1,
                                  names jsonb DEFAULT NULL, score_of_bad float8 DEFAULT NULL, bad integer DEFAULT 0)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format($q$
    INSERT INTO %s (prompt_text, enhancement_result, data_source, training_priority, created_at)
    SELECT 'real prompt ' || g,
           jsonb_build_object(
             'feature_vector', (SELECT jsonb_agg(((g * 7 + k * 3) %% 13) + k) FROM generate_series(1, $2) k),
             'effectiveness_score', CASE WHEN g - $3 < $6 THEN $5 ELSE round(((g * 37) %% 100) / 100.0, 2) END,
             'metadata', jsonb_build_object('domain', CASE WHEN g %% 3 = 0 THEN 'billing' ELSE 'support' END)
                         || CASE WHEN $4 IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('feature_names', $4) END),
           'real', 100, '2024-01-01'
    FROM generate_series($3, $3 + $1 - 1) g$q$, t)
  USING n, dimension, first, names, score_of_bad, bad;
END $$;
CREATE FUNCTION pg_temp.active(t regclass) RETURNS TABLE (data_source text, dimension integer, rows bigint)
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY EXECUTE format($q$
    SELECT data_source::text, jsonb_array_length(enhancement_result->'feature_vector'), count(*)
    FROM %s WHERE is_active GROUP BY 1, 2 ORDER BY 1, 2$q$, t);
END $$;
CREATE TABLE hostile (
    id serial PRIMARY KEY, prompt_text varchar(10000) NOT NULL, enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL, training_priority integer NOT NULL, created_at timestamp NOT NULL,
    updated_at timestamp, deleted_at timestamp, is_active boolean NOT NULL DEFAULT true);

-- Finding 3: 10 <= R < fit_min_rows real rows of dimension 4. The design
-- table's rows (dimension 6) would not match them: the earlier design batch
-- is retired and none is written, with the reason (1.1: 22000 "feature
-- dimensions differ" from the quality check, on every call).
SELECT r->'source' AS source, r->'synthetic_rows' AS s FROM synth_refresh('hostile', min_rows => 40) r;
SELECT pg_temp.real_rows('hostile', 15, 4);
SELECT r - 'seed' AS result FROM synth_refresh('hostile', min_rows => 40, fit_min_rows => 20) r;
SELECT * FROM pg_temp.active('hostile');
-- Again: a no-op, the batch (of no rows) is all there.
SELECT r->'refreshed' AS refreshed, r->>'reason' AS reason FROM synth_refresh('hostile', min_rows => 40, fit_min_rows => 20) r;
-- Enough rows to fit: a fitted batch of their dimension.
SELECT r->'refreshed' AS refreshed, r->'source' AS source, r->'inserted' AS inserted, r->>'reason' AS reason
FROM synth_refresh('hostile', min_rows => 40) r;
SELECT * FROM pg_temp.active('hostile');

-- Finding 4: the no-op test covers the batch being there and every setting.
DELETE FROM hostile WHERE data_source = 'synthetic';
SELECT r->'refreshed' AS refreshed, r->'inserted' AS inserted, r->>'reason' AS reason
FROM synth_refresh('hostile', min_rows => 40) r;
SELECT * FROM pg_temp.active('hostile');
SELECT r->'refreshed' AS refreshed FROM synth_refresh('hostile', min_rows => 40) r;
SELECT r->'refreshed' AS refreshed, r->'inserted' AS inserted FROM synth_refresh('hostile', min_rows => 40, priority => 20) r;
SELECT DISTINCT training_priority FROM hostile WHERE data_source = 'synthetic' AND is_active;
SELECT r->'refreshed' AS refreshed FROM synth_refresh('hostile', min_rows => 40, priority => 20) r;
SELECT r->'refreshed' AS refreshed FROM synth_refresh('hostile', min_rows => 40, priority => 20, fit_min_rows => 11) r;
SELECT fit_min_rows, priority, generator_version = (synth_version()->>'generator_version')::integer AS generator
FROM synth_refreshes WHERE target = 'hostile'::regclass;

-- Finding 9: one real row of another dimension. The 15 rows of dimension 4
-- are fitted, the other is counted and named (1.1: 22000 "mixed feature
-- dimensions" on every call). synth_fit fits the same rows, with a NOTICE.
SELECT pg_temp.real_rows('hostile', 1, 5, first => 100);
SELECT r->'refreshed' AS refreshed, r->'real_rows' AS r, r->'other_dimension_rows' AS other,
       r->'dimension' AS dimension, r->'inserted' AS inserted, r->>'reason' AS reason
FROM synth_refresh('hostile', min_rows => 40) r;
SELECT * FROM pg_temp.active('hostile');
SELECT p->'dimension' AS dimension, p->'rows' AS rows FROM synth_fit('hostile') p;
-- A tie goes to the smaller dimension, as synth_compare and synth_validate choose theirs.
SELECT pg_temp.real_rows('hostile', 14, 5, first => 101);
SELECT r->'real_rows' AS r, r->'other_dimension_rows' AS other, r->'dimension' AS dimension
FROM synth_refresh('hostile', min_rows => 40) r;
DELETE FROM hostile WHERE jsonb_array_length(enhancement_result->'feature_vector') = 5;

-- Finding 8: metadata.feature_names that repeat a name: the fit names the
-- features f1..fd, as it does for empty names (1.1: 22023 "names "x" twice").
UPDATE hostile SET enhancement_result = jsonb_set(enhancement_result, '{metadata,feature_names}', '["x", "y", "x", "z"]')
WHERE data_source = 'real';
SELECT r->'refreshed' AS refreshed, r->'fitted' AS fitted, r->'inserted' AS inserted, r->>'quality_note' AS quality
FROM synth_refresh('hostile', min_rows => 40) r;
SELECT p->'feature_names' AS names FROM synth_fit('hostile') p;
-- Names the fit had to cut leave the batch unscored, with the reason.
UPDATE hostile SET enhancement_result = jsonb_set(enhancement_result, '{metadata,feature_names}',
  jsonb_build_array(repeat('n', 70), 'b', 'c', 'd'))
WHERE data_source = 'real';
SELECT r->'inserted' AS inserted, r->'quality_score' AS score, r->>'quality_note' AS quality
FROM synth_refresh('hostile', min_rows => 40) r;
-- Names are cut to 63 bytes at a character boundary; names equal after the cut are duplicates too.
UPDATE hostile SET enhancement_result = jsonb_set(enhancement_result, '{metadata,feature_names}',
  jsonb_build_array(repeat('é', 40) || 'a', repeat('é', 40) || 'b', 'c', 'd'))
WHERE data_source = 'real';
SELECT p->'feature_names' AS names FROM synth_fit('hostile') p;
UPDATE hostile SET enhancement_result = jsonb_set(enhancement_result, '{metadata,feature_names}',
  jsonb_build_array(repeat('é', 40), 'b', 'c', 'd'))
WHERE data_source = 'real';
SELECT octet_length(p->'feature_names'->>0) AS bytes, p->'feature_names'->1 AS second FROM synth_fit('hostile') p;

-- Finding 5: R counts usable rows. 15 real rows of dimension 6, 6 of them
-- with a score of 1.5: R = 9 < fit_min_rows, so the design table, with the
-- unusable rows counted (1.1: 22000 "needs at least 10 usable rows, found 9").
CREATE TABLE usable (LIKE hostile INCLUDING DEFAULTS);
SELECT pg_temp.real_rows('usable', 15, 6, score_of_bad => 1.5, bad => 6);
SELECT r - 'seed' AS result FROM synth_refresh('usable', min_rows => 20) r;
SELECT * FROM pg_temp.active('usable');

-- Other active rows (a data_source real_sources leaves out) mostly of
-- another dimension: synth_insert keeps a fitted batch out of such a table.
-- No synthetic rows, the reason, and the next call changes nothing. (By
-- default every data_source but 'synthetic' is real: see real_sources.sql.)
CREATE TABLE crowded (LIKE hostile INCLUDING DEFAULTS);
SELECT pg_temp.real_rows('crowded', 12, 4);
SELECT pg_temp.real_rows('crowded', 20, 6, first => 50);
UPDATE crowded SET data_source = 'imported' WHERE id IN (SELECT id FROM crowded ORDER BY id DESC LIMIT 20);
SELECT r->'refreshed' AS refreshed, r->'source' AS source, r->'synthetic_rows' AS s, r->'inserted' AS inserted,
       r->>'reason' AS reason
FROM synth_refresh('crowded', min_rows => 20, real_sources => '{real}') r;
SELECT r->'refreshed' AS refreshed, r->'deactivated' AS deactivated, r->'inserted' AS inserted
FROM synth_refresh('crowded', min_rows => 20, real_sources => '{real}') r;
SELECT * FROM pg_temp.active('crowded');

-- More domains than a profile holds (300 of one row each): the 256 with the
-- most rows (ties by name) are fitted, the rest left out with a NOTICE; and
-- rows no profile can hold, more than 64 features (no rows).
CREATE TABLE many_domains (LIKE hostile INCLUDING DEFAULTS);
SELECT pg_temp.real_rows('many_domains', 300, 6);
UPDATE many_domains SET enhancement_result = jsonb_set(enhancement_result, '{metadata,domain}', to_jsonb('d' || id));
SELECT r->'source' AS source, r->'inserted' AS inserted, r->>'reason' AS reason
FROM synth_refresh('many_domains', min_rows => 20, synthetic_ratio => 0.1) r;
SELECT jsonb_array_length(synth_fit('many_domains')->'domains') AS fitted_domains;
CREATE TABLE wide (LIKE hostile INCLUDING DEFAULTS);
SELECT pg_temp.real_rows('wide', 12, 70);
SELECT r->'source' AS source, r->'dimension' AS dimension, r->'inserted' AS inserted, r->>'reason' AS reason
FROM synth_refresh('wide', min_rows => 20) r;
SELECT r->'refreshed' AS refreshed FROM synth_refresh('wide', min_rows => 20) r;

-- Finding 11: updated_at and deleted_at of types that hold no time are left
-- alone (1.1: 42804 from the retiring UPDATE, on every call).
CREATE TABLE odd_stamps (LIKE hostile INCLUDING DEFAULTS);
ALTER TABLE odd_stamps ALTER COLUMN updated_at TYPE bigint USING NULL, ALTER COLUMN deleted_at TYPE boolean USING NULL;
SELECT r->'inserted' AS inserted FROM synth_refresh('odd_stamps', min_rows => 20) r;
SELECT r->'deactivated' AS deactivated, r->'inserted' AS inserted FROM synth_refresh('odd_stamps', min_rows => 25) r;
SELECT is_active, count(*), count(updated_at) AS updated, count(deleted_at) AS deleted FROM odd_stamps GROUP BY 1 ORDER BY 1;
-- A date is stamped.
ALTER TABLE odd_stamps ALTER COLUMN deleted_at TYPE date USING NULL;
SELECT r->'deactivated' AS deactivated FROM synth_refresh('odd_stamps', min_rows => 30) r;
SELECT count(deleted_at) AS stamped FROM odd_stamps WHERE NOT is_active;

-- Finding 12: a target that is no relation (any OID fits in a regclass).
SELECT synth_refresh(0::regclass);
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE gone (LIKE hostile);
SELECT 'gone'::regclass::oid AS gone_oid \gset
DROP TABLE gone;
-- (its OID differs from run to run: the SQLSTATE only)
\set VERBOSITY sqlstate
SELECT synth_refresh(:gone_oid::regclass) IS NULL;
\set VERBOSITY default

-- Finding 13: a batch too large names synth_refresh's arguments, not n.
SELECT synth_refresh('usable', min_rows => 10000000000000);
\echo :LAST_ERROR_SQLSTATE
-- A trigger that relabels the rows synth_refresh inserts: a refresh-specific
-- error naming the cause, and the earlier batch stays (1.1: synth_compare's
-- "synthetic side ... has no valid rows").
CREATE FUNCTION pg_temp.relabel() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.data_source := 'imported'; RETURN NEW; END $$;
CREATE TRIGGER relabel BEFORE INSERT ON usable FOR EACH ROW EXECUTE FUNCTION pg_temp.relabel();
SELECT synth_refresh('usable', min_rows => 30);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM pg_temp.active('usable');
DROP TRIGGER relabel ON usable;

-- Finding 16: a rule that turns the retiring UPDATE into nothing: the
-- refresh fails and says so (1.1: "deactivated": 0, both batches active).
CREATE RULE keep_all AS ON UPDATE TO usable DO INSTEAD NOTHING;
SELECT synth_refresh('usable', min_rows => 30);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM pg_temp.active('usable');
DROP RULE keep_all ON usable;

-- Finding 10: a role with SELECT, INSERT and UPDATE on the columns a refresh
-- sets only (1.1: 42501 from synth_refreshes' policy after all the work).
CREATE ROLE regress_synth_refresher;
GRANT SELECT, INSERT, UPDATE (is_active, updated_at, deleted_at) ON usable TO regress_synth_refresher;
GRANT USAGE ON SEQUENCE hostile_id_seq TO regress_synth_refresher;
SET ROLE regress_synth_refresher;
SELECT r->'refreshed' AS refreshed, r->'inserted' AS inserted FROM synth_refresh('usable', min_rows => 30) r;
SELECT r->'refreshed' AS refreshed FROM synth_refresh('usable', min_rows => 30) r;
SELECT count(*) AS own_records FROM synth_refreshes;
-- Without UPDATE on is_active: 42501, nothing written.
RESET ROLE;
REVOKE UPDATE (is_active) ON usable FROM regress_synth_refresher;
SET ROLE regress_synth_refresher;
SELECT synth_refresh('usable', min_rows => 35);
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

-- Finding 6: _synth_keep_profile is not PUBLIC's to call; synth_insert
-- keeps the profile itself, but not for a temporary table, whose rows end
-- with the session (any role with TEMP could write synth_profiles so).
SELECT has_function_privilege('public', '_synth_keep_profile(jsonb)', 'EXECUTE') AS public_may_keep;
SELECT synth_fit('hostile') AS p \gset
SELECT count(*) AS kept_before FROM synth_profiles \gset
GRANT USAGE ON SCHEMA public TO regress_synth_refresher;
SET ROLE regress_synth_refresher;
SELECT _synth_keep_profile(:'p');
\echo :LAST_ERROR_SQLSTATE
CREATE TEMP TABLE scratch (domain text, feature_vector float8[], effectiveness_score float8);
SELECT synth_insert('pg_temp.scratch', 10, 1, profile => jsonb_set(:'p'::jsonb, '{feature_names,0}', '"mine"'));
RESET ROLE;
SELECT count(*) - :kept_before AS kept_from_temp FROM synth_profiles;
-- Into a table that outlives the session, synth_insert keeps it, for any
-- role allowed to insert there.
CREATE TABLE flat_fitted (domain text, feature_vector float8[], effectiveness_score float8);
GRANT SELECT, INSERT ON flat_fitted TO regress_synth_refresher;
SET ROLE regress_synth_refresher;
SELECT synth_insert('flat_fitted', 10, 1, profile => jsonb_set(:'p'::jsonb, '{feature_names,0}', '"mine"'));
RESET ROLE;
SELECT count(*) - :kept_before AS kept_from_table FROM synth_profiles;
-- A kept profile holds at most 64 MB.
SELECT _synth_keep_profile(jsonb_build_object('pad', repeat('x', 67108864)));
\echo :LAST_ERROR_SQLSTATE

DROP TABLE flat_fitted;
DROP OWNED BY regress_synth_refresher;
DROP ROLE regress_synth_refresher;

-- A json document that escapes U+0000 (which text cannot hold) in its
-- feature names: the names are passed over (f1..fd), never an error.
CREATE TABLE nul_names (id serial PRIMARY KEY, prompt_text text NOT NULL, enhancement_result json NOT NULL,
  data_source text NOT NULL, training_priority integer NOT NULL, created_at timestamp NOT NULL DEFAULT now(),
  is_active boolean NOT NULL DEFAULT true);
INSERT INTO nul_names (prompt_text, enhancement_result, data_source, training_priority)
SELECT 'p' || g, format('{"enhanced_prompt": "e", "effectiveness_score": %s, "feature_vector": [%s, %s],
  "metadata": {"domain": "d%s", "feature_names": ["a\u0000b", "c"]}}', (g % 10) / 10.0, g, g % 7, g % 2)::json,
  'real', 100
FROM generate_series(1, 30) g;
SELECT synth_fit('nul_names')->'feature_names' AS names;
SELECT r->>'source' AS source, r->>'dimension' AS dimension, r->>'synthetic_rows' AS synthetic_rows
FROM synth_refresh('nul_names', min_rows => 20) r;
SELECT count(*) AS active_synthetic FROM nul_names WHERE data_source = 'synthetic' AND is_active;
DROP TABLE nul_names;

-- The table's dimension is that of the rows the ML gate keeps: 36 rows of
-- 8 features with a score of 1.5 beside 11 usable rows of 32 features give a
-- fitted batch of 32 (before: synth_insert weighed every active row and
-- refused it, so the refresh wrote nothing).
CREATE TABLE dropped_majority (LIKE hostile INCLUDING DEFAULTS);
SELECT pg_temp.real_rows('dropped_majority', 11, 32);
SELECT pg_temp.real_rows('dropped_majority', 36, 8, 100, NULL, 1.5, 36);
SELECT r->'source' AS source, r->'dimension' AS dimension, r->'inserted' AS inserted
FROM synth_refresh('dropped_majority', min_rows => 20) r;
SELECT * FROM pg_temp.active('dropped_majority');
