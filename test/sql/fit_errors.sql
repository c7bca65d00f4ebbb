-- synth_fit and profile => (issue 12): bad sources and bad profiles are
-- refused with a clear message and SQLSTATE, before anything is written.
CREATE TABLE few (domain text, feature_vector float8[], effectiveness_score float8);
INSERT INTO few SELECT 'a', ARRAY[g, g * 2]::float8[], g / 10.0 FROM generate_series(1, 9) g;
SELECT synth_fit('few', NULL);
\echo :LAST_ERROR_SQLSTATE
-- Rows the ML gate would drop do not count.
INSERT INTO few VALUES ('a', ARRAY['NaN']::float8[], 0.5), ('a', ARRAY[1, 2], 1.5), ('a', '{}', 0.5);
SELECT synth_fit('few', NULL);
\echo :LAST_ERROR_SQLSTATE
-- Mixed dimensions: the dominant one (9 rows of dimension 2) is fitted, and
-- still too few; then 11 rows of dimension 3 are the dominant ones, fitted
-- with a NOTICE that counts the others.
INSERT INTO few SELECT 'b', ARRAY[g, g, g]::float8[], 0.5 FROM generate_series(1, 4) g;
SELECT synth_fit('few', NULL);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO few SELECT 'b', ARRAY[g, g, g]::float8[], 0.5 FROM generate_series(5, 11) g;
SELECT p->'dimension' AS dimension, p->'rows' AS rows FROM synth_fit('few', NULL) p;
-- No usable columns at all.
CREATE TABLE nothing (x int);
SELECT synth_fit('nothing', NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit(NULL);
\echo :LAST_ERROR_SQLSTATE

DELETE FROM few WHERE domain = 'b';
INSERT INTO few SELECT 'a', ARRAY[g, g * 2]::float8[], g / 100.0 FROM generate_series(10, 40) g;
SELECT synth_fit('few', NULL) AS p \gset
-- A profile with options that contradict it.
SELECT count(*) FROM synth_generate(10, 1, tier_shares => '{0.5,0.25,0.25}', profile => :'p');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM synth_generate(10, 1, label_noise => 0.2, profile => :'p');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM synth_generate(10, 1, '{"zzz": 1}', profile => :'p');
\echo :LAST_ERROR_SQLSTATE
-- Malformed or foreign profiles.
SELECT count(*) FROM synth_generate(10, 1, profile => jsonb_set(:'p', '{format_version}', '2'));
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM synth_generate(10, 1, profile => :'p'::jsonb - 'band_shares');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM synth_generate(10, 1, profile => jsonb_set(:'p', '{dimension}', '3'));
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM synth_generate(10, 1, profile => jsonb_set(:'p', '{band_shares,low}', '0.9'));
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM synth_generate(10, 1, profile => jsonb_set(:'p', '{pooled,correlation,0,1}', '1'));
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM synth_generate(10, 1, profile => '[1, 2]');
\echo :LAST_ERROR_SQLSTATE
-- jsonb holds no NaN: a "NaN" string, and a number beyond float8, are refused too
SELECT count(*) FROM synth_generate(10, 1, profile => jsonb_set(:'p', '{band_shares,low}', '"NaN"'));
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM synth_generate(10, 1, profile => jsonb_set(:'p', '{band_shares,low}', '1e400'));
\echo :LAST_ERROR_SQLSTATE
-- Nothing is written when synth_insert refuses a profile.
CREATE TABLE target (domain text, feature_vector float8[], effectiveness_score float8,
                     original_prompt text, enhanced_prompt text, sample_id bigint, tier text);
SELECT synth_insert('target', 10, 1, profile => jsonb_set(:'p', '{format_version}', '2'));
\echo :LAST_ERROR_SQLSTATE
SELECT synth_insert('target', 10, 1, tier_shares => '{0.5,0.25,0.25}', profile => :'p');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS written FROM target;
SELECT count(*) AS kept FROM synth_profiles WHERE profile_hash = synth_profile_hash(:'p');
-- A flat target takes the rows with their real dimension.
SELECT synth_insert('target', 10, 1, profile => :'p') AS inserted;
SELECT count(*) FILTER (WHERE array_length(feature_vector, 1) = 2) AS dimension_2 FROM target;
SELECT count(*) AS kept FROM synth_profiles WHERE profile_hash = synth_profile_hash(:'p');
-- A NULL tier_shares beside a profile leaves the bands to the profile: it
-- reaches the row source as NULL (it once arrived as a null pointer).
BEGIN;
SELECT synth_insert('target', 10, 1, tier_shares => NULL, profile => :'p') AS inserted;
ROLLBACK;
-- A profile of another dimension than the target's active rows: a clear
-- error, nothing written, the profile not kept.
CREATE TABLE wider (domain text, feature_vector float8[], effectiveness_score float8);
INSERT INTO wider SELECT 'support', ARRAY[g, g % 4, g * 0.5], (g % 10) / 10.0 FROM generate_series(1, 12) g;
SELECT synth_fit('wider', NULL) AS wide \gset
SELECT synth_insert('target', 10, 1, profile => :'wide');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS written FROM target;
SELECT count(*) AS kept FROM synth_profiles WHERE profile_hash = synth_profile_hash(:'wide');
-- Rows without features count for no dimension: then the table takes it.
UPDATE target SET feature_vector = NULL;
SELECT synth_insert('target', 10, 1, profile => :'wide') AS inserted;
