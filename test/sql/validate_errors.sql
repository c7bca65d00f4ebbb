-- What synth_validate and synth_report refuse: tables that cannot be read.
-- Everything else (rows synthdata did not write, wrong types inside the JSON)
-- is counted, never an error. Also: privileges, row-level security, a hostile
-- search_path, and cancellation of a long read.
\set VERBOSITY default
CREATE SCHEMA synth_validate_errors;
SET search_path = synth_validate_errors, public;

-- No such table: the regclass argument itself fails, as for any function.
SELECT synth_validate('no_such_table');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_report('no_such_table');
\echo :LAST_ERROR_SQLSTATE
-- An OID that names no relation.
SELECT synth_validate(0::oid::regclass);
\echo :LAST_ERROR_SQLSTATE
-- NULL arguments where a value is needed.
SELECT synth_validate(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT synth_validate('pg_class', only_active => NULL);
\echo :LAST_ERROR_SQLSTATE

-- Relations that hold no rows to read.
CREATE TABLE plain (id int PRIMARY KEY, note text);
CREATE SEQUENCE a_sequence;
CREATE TYPE a_composite AS (a int);
SELECT synth_validate('plain_pkey');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_validate('a_sequence');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_validate('a_composite');
\echo :LAST_ERROR_SQLSTATE

-- No usable columns: the message says which are needed.
SELECT synth_validate('plain');
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE text_result (prompt_text text, enhancement_result text);
SELECT synth_validate('text_result');
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE text_features (feature_vector text[], effectiveness_score float8);
SELECT synth_validate('text_features');
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE scalar_features (feature_vector float8, effectiveness_score float8);
SELECT synth_validate('scalar_features');
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE text_score (feature_vector float8[], effectiveness_score text);
SELECT synth_validate('text_score');
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE no_score (feature_vector float8[]);
SELECT synth_validate('no_score');
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE int_active (prompt_text text, enhancement_result jsonb, is_active int);
SELECT synth_validate('int_active');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_validate('int_active', only_active => false)->'sample_count' AS samples;

-- Rows synthdata did not write are counted, never an error: the pipeline's
-- real rows, JSON of every shape, NULL documents.
CREATE TABLE odd_rows (prompt_text text, enhancement_result jsonb);
INSERT INTO odd_rows VALUES
  ('real row', '{"enhanced_prompt": "a human-written prompt", "rating": 4}'),
  ('scalar', '42'), ('string', '"text"'), ('null', 'null'), ('array', '[1, 2]'),
  ('nested', '{"feature_vector": {"clarity": 0.5}, "effectiveness_score": {"v": 1}}'),
  ('deep', (repeat('[', 2000) || repeat(']', 2000))::jsonb), ('sql null', NULL),
  (NULL, '{"feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5], "effectiveness_score": 0.5}');
SELECT r->'sample_count' AS samples, r->'valid_count' AS valid, r->'invalid' AS invalid,
       r->'distinct_prompts' AS prompts
FROM synth_validate('odd_rows') r;

-- Privileges: the caller reads with its own rights (SECURITY INVOKER).
CREATE TABLE training_prompts (id serial, prompt_text text, enhancement_result jsonb,
                               data_source varchar(50), is_active boolean DEFAULT true);
INSERT INTO training_prompts (prompt_text, enhancement_result, data_source)
SELECT 'p' || g, jsonb_build_object('feature_vector', jsonb_build_array(g / 10.0, 100, 0.5, 3, 0.5, 0.5),
         'effectiveness_score', g / 10.0), CASE WHEN g % 2 = 0 THEN 'synthetic' ELSE 'real' END
FROM generate_series(1, 10) g;
CREATE ROLE regress_synth_validate_reader;
GRANT USAGE ON SCHEMA synth_validate_errors TO regress_synth_validate_reader;
SET ROLE regress_synth_validate_reader;
SELECT synth_validate();
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_report();
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
-- Column privileges are enough, for the columns the read touches.
GRANT SELECT (prompt_text, enhancement_result, is_active) ON training_prompts
  TO regress_synth_validate_reader;
SET ROLE regress_synth_validate_reader;
SELECT synth_validate()->'sample_count' AS samples;
SELECT synth_validate(data_source => 'synthetic');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
GRANT SELECT ON training_prompts TO regress_synth_validate_reader;
SET ROLE regress_synth_validate_reader;
SELECT synth_validate(data_source => 'synthetic')->'sample_count' AS samples;
RESET ROLE;

-- Row-level security applies: the reader sees only its rows.
ALTER TABLE training_prompts ENABLE ROW LEVEL SECURITY;
CREATE POLICY only_synthetic ON training_prompts FOR SELECT TO regress_synth_validate_reader
  USING (data_source = 'synthetic');
SET ROLE regress_synth_validate_reader;
SELECT synth_validate()->'sample_count' AS samples_seen_by_reader;
RESET ROLE;
SELECT synth_validate()->'sample_count' AS samples_seen_by_owner;

-- A hostile search_path changes nothing: the function runs with its own, and
-- its query names every table and operator with its schema.
CREATE SCHEMA synth_validate_evil;
CREATE FUNCTION synth_validate_evil.never(text, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS 'SELECT false';
CREATE OPERATOR synth_validate_evil.= (LEFTARG = text, RIGHTARG = text,
                                       FUNCTION = synth_validate_evil.never);
SET search_path = synth_validate_evil, synth_validate_errors, public;
SELECT synth_validate(data_source => 'synthetic')->'sample_count' AS samples;
SET search_path = synth_validate_errors, public;

-- A long read is cancellable, and the session stays usable: a view over
-- 100 million generated rows never finishes within the timeout.
CREATE VIEW endless AS
  SELECT '{"feature_vector": [0.5, 100, 0.5, 3, 0.5, 0.5], "effectiveness_score": 0.5}'::jsonb
           AS enhancement_result, 'p' || (g % 1000) AS prompt_text
  FROM generate_series(1, 100000000) g;
-- (terse: the timeout may strike before or inside the function's query)
\set VERBOSITY terse
SET statement_timeout = '200ms';
SELECT synth_validate('endless');
\echo :LAST_ERROR_SQLSTATE
RESET statement_timeout;
\set VERBOSITY default
SELECT synth_validate('odd_rows')->'valid_count' AS still_works;

RESET search_path;
DROP SCHEMA synth_validate_evil CASCADE;
DROP SCHEMA synth_validate_errors CASCADE;
DROP ROLE regress_synth_validate_reader;
