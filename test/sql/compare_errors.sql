-- synth_compare's refusals: each a clear error with its SQLSTATE, nothing written.
\set VERBOSITY default
CREATE SCHEMA synth_compare_errors;
SET search_path = synth_compare_errors;
CREATE TABLE six (feature_vector float8[], effectiveness_score float8, domain text);
INSERT INTO six SELECT ARRAY[i, i % 7, 0, 1, 2, i * 2], (i % 10) / 10.0, 'technical' FROM generate_series(1, 20) AS i;
CREATE TABLE five (feature_vector float8[], effectiveness_score float8);
INSERT INTO five SELECT ARRAY[i, i % 7, 0, 1, 2], (i % 10) / 10.0 FROM generate_series(1, 20) AS i;
CREATE TABLE empty_rows (feature_vector float8[], effectiveness_score float8);
CREATE TABLE one_row (feature_vector float8[], effectiveness_score float8);
INSERT INTO one_row VALUES ('{1,2,3,4,5,6}', 0.5);
CREATE TABLE all_invalid (feature_vector float8[], effectiveness_score float8);
INSERT INTO all_invalid VALUES ('{1,2,3,4,5,6}', 2), (NULL, 0.5), ('{1,NaN,3,4,5,6}', 0.5);
CREATE TABLE no_columns (id int);
CREATE TABLE split (feature_vector float8[], effectiveness_score float8, data_source text);
INSERT INTO split SELECT feature_vector, effectiveness_score, 'real' FROM six;
CREATE TABLE named_a (enhancement_result jsonb);
CREATE TABLE named_b (enhancement_result jsonb);
INSERT INTO named_a SELECT jsonb_build_object('feature_vector', to_jsonb(ARRAY[i, 1]), 'effectiveness_score', 0.5,
                                              'metadata', '{"feature_names": ["x", "y"]}'::jsonb) FROM generate_series(1, 5) AS i;
INSERT INTO named_b SELECT jsonb_build_object('feature_vector', to_jsonb(ARRAY[i, 1]), 'effectiveness_score', 0.5,
                                              'metadata', '{"feature_names": ["u", "v"]}'::jsonb) FROM generate_series(1, 5) AS i;

SELECT public.synth_compare('six', 'five');
\echo :LAST_ERROR_SQLSTATE
SELECT public.synth_compare('six', 'empty_rows');
\echo :LAST_ERROR_SQLSTATE
SELECT public.synth_compare('one_row', 'six');
\echo :LAST_ERROR_SQLSTATE
SELECT public.synth_compare('six', 'all_invalid');
\echo :LAST_ERROR_SQLSTATE
SELECT public.synth_compare('six', 'no_columns');
\echo :LAST_ERROR_SQLSTATE
SELECT public.synth_compare('named_a', 'named_b');
\echo :LAST_ERROR_SQLSTATE
SELECT public.synth_compare('six', 'six', holdout => 'five');
\echo :LAST_ERROR_SQLSTATE
SELECT public.synth_compare('missing_table', 'six');
\echo :LAST_ERROR_SQLSTATE
SELECT public.synth_compare('six', 'six', bootstrap => -1);
\echo :LAST_ERROR_SQLSTATE
SELECT public.synth_compare('six', 'six', bootstrap => 10001);
\echo :LAST_ERROR_SQLSTATE
SELECT public.synth_compare('six', 'six', bootstrap => NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT public.synth_compare(NULL);
\echo :LAST_ERROR_SQLSTATE
-- One table without synthetic rows: the synthetic side is empty.
SELECT public.synth_compare('split');
\echo :LAST_ERROR_SQLSTATE
-- A one-table comparison needs data_source.
SELECT public.synth_compare('six');
\echo :LAST_ERROR_SQLSTATE
-- The caller's rights: no SELECT, no comparison.
CREATE ROLE regress_synth_compare_reader;
GRANT USAGE ON SCHEMA synth_compare_errors TO regress_synth_compare_reader;
GRANT SELECT ON six TO regress_synth_compare_reader;
SET ROLE regress_synth_compare_reader;
SELECT public.synth_compare('six', 'five');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM public.synth_compare_report('five', 'six');
\echo :LAST_ERROR_SQLSTATE
-- ... but with it, a result.
SELECT (public.synth_compare('six', 'six', bootstrap => 0)->'quality'->>'score')::float8 = 1 AS same;
RESET ROLE;
-- Nothing was written anywhere.
SELECT count(*) AS six_rows FROM six;
DROP SCHEMA synth_compare_errors CASCADE;
DROP ROLE regress_synth_compare_reader;
