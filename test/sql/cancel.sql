-- Long calls stay cancellable and bounded: statement_timeout stops a huge
-- synth_generate (materialized in FROM, streamed in the SELECT list), a huge
-- synth_insert and a long synth_validate with 57014, commits nothing, leaves
-- no temporary file behind and leaves the session usable; temp_file_limit
-- stops the tuplestore of a huge generate in FROM with 53400.
CREATE PROCEDURE pg_temp.try(statement text)
LANGUAGE plpgsql AS $$
DECLARE
  v_result text;
  v_state text;
  v_message text;
BEGIN
  EXECUTE statement INTO v_result;
  RAISE NOTICE 'ok: %', coalesce(v_result, 'no result');
EXCEPTION WHEN query_canceled OR OTHERS THEN  -- OTHERS alone does not catch a cancel
  GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
  RAISE NOTICE '%: %', v_state, v_message;
END $$;
\set SHOW_CONTEXT never
-- This backend's temporary files (a cancelled tuplestore must not leave any).
CREATE VIEW pg_temp.my_temp_files AS
SELECT count(*) AS temp_files FROM pg_ls_tmpdir() WHERE name LIKE 'pgsql_tmp' || pg_backend_pid() || '.%';

CREATE SCHEMA synth_cancel_test;
SET search_path = synth_cancel_test, public;
CREATE TABLE training_prompts (
    id serial PRIMARY KEY,
    prompt_text varchar(10000) NOT NULL,
    enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL,
    training_priority integer NOT NULL,
    created_at timestamp NOT NULL,
    is_active boolean NOT NULL DEFAULT true
);
CREATE INDEX ON training_prompts (data_source);

SET statement_timeout = '500ms';
-- synth_generate in FROM fills a tuplestore (spilling to disk) until cancelled.
CALL pg_temp.try($$SELECT count(*) FROM synth_generate(1000000000, 1)$$);
-- In the SELECT list it streams.
CALL pg_temp.try($$SELECT count(*) FROM (SELECT synth_generate(1000000000, 1)) s$$);
-- A top-level cancel, outside any PL/pgSQL block.
SELECT count(*) FROM synth_generate(1000000000, 1);
-- synth_insert streams rows into the table until cancelled: nothing stays.
CALL pg_temp.try($$SELECT synth_insert('training_prompts', 100000000, 1)$$);
SELECT synth_insert('training_prompts', 100000000, 1, priority => 20);
RESET statement_timeout;
SELECT count(*) FROM training_prompts;
SELECT * FROM pg_temp.my_temp_files;

-- synth_validate over a few thousand rows, again and again in one statement:
-- the timeout lands inside one of the calls.
SELECT synth_insert('training_prompts', 5000, 1);
SET statement_timeout = '500ms';
CALL pg_temp.try($$SELECT sum(length(synth_validate('training_prompts', only_active => g > 0)::text))
                   FROM generate_series(1, 100000) g$$);
CALL pg_temp.try($$SELECT sum(length(r))
                   FROM generate_series(1, 100000) g, LATERAL synth_report('training_prompts', only_active => g > 0) r$$);
-- synth_fit, synth_compare and profile-driven generation stop at a cancel too
CALL pg_temp.try($$SELECT sum(length(synth_fit('training_prompts', 'synthetic', only_active => g > 0)::text))
                   FROM generate_series(1, 100000) g$$);
-- (every_row has no data_source column: each of its rows counts as real)
CREATE VIEW every_row AS SELECT enhancement_result, prompt_text, is_active FROM training_prompts;
CALL pg_temp.try($$SELECT sum(length(synth_compare('every_row', 'training_prompts', bootstrap => 200 + g % 2)::text))
                   FROM generate_series(1, 100000) g$$);
RESET statement_timeout;
SELECT synth_fit('training_prompts', 'synthetic') AS cancel_profile \gset
SET statement_timeout = '500ms';
CALL pg_temp.try(format($$SELECT count(*) FROM synth_generate(1000000000, 1, profile => %L)$$, :'cancel_profile'));
CALL pg_temp.try(format($$SELECT synth_insert('training_prompts', 100000000, 1, profile => %L)$$, :'cancel_profile'));
CALL pg_temp.try($$SELECT synth_refresh('training_prompts', min_rows => 100000000, seed => 1)$$);
RESET statement_timeout;
SELECT count(*) FROM training_prompts;

-- A cancel inside a transaction block aborts it (ROLLBACK discards the batch
-- before it too); after a savepoint, ROLLBACK TO keeps the earlier batch.
BEGIN;
SELECT synth_insert('training_prompts', 10, 2);
SET LOCAL statement_timeout = '500ms';
SELECT synth_insert('training_prompts', 100000000, 3);
SELECT 1;
ROLLBACK;
BEGIN;
SELECT synth_insert('training_prompts', 10, 2);
SAVEPOINT before_big;
SET LOCAL statement_timeout = '500ms';
SELECT synth_insert('training_prompts', 100000000, 3);
ROLLBACK TO before_big;
SET LOCAL statement_timeout = 0;
COMMIT;
SELECT enhancement_result->'metadata'->>'seed' AS seed, count(*) FROM training_prompts GROUP BY 1 ORDER BY 1;

-- temp_file_limit: the tuplestore of a huge generate in FROM hits it cleanly.
SET temp_file_limit = '1MB';
CALL pg_temp.try($$SELECT count(*) FROM synth_generate(1000000000, 1)$$);
RESET temp_file_limit;
SELECT * FROM pg_temp.my_temp_files;

-- Everything still works.
SELECT count(*) FROM synth_generate(1000, 1);
SELECT synth_insert('training_prompts', 10, 4);
SELECT count(*) FROM training_prompts;
SELECT synth_validate('training_prompts')->'sample_count' AS sample_count;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA synth_cancel_test CASCADE;
RESET client_min_messages;
