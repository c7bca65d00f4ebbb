-- synth_citus_load on a server without Citus (the Citus suite, test/citus,
-- runs it on a cluster): a clear error with its SQLSTATE and a hint naming
-- what to run instead, before any id is reserved or any table made.
CREATE SCHEMA synth_citus_test;
SET search_path = synth_citus_test, public;
CREATE TABLE training_prompts (
    id serial PRIMARY KEY,
    prompt_text varchar(10000) NOT NULL,
    enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL,
    training_priority integer NOT NULL,
    created_at timestamp NOT NULL,
    is_active boolean NOT NULL DEFAULT true);
SELECT count(*) AS citus_installed FROM pg_extension WHERE extname = 'citus';

-- It is part of the extension, with a pinned search_path.
SELECT p.proname, p.prokind, p.prosecdef, p.proconfig,
       pg_get_function_identity_arguments(p.oid) AS args
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'synthdata'
WHERE p.proname = 'synth_citus_load';

\set VERBOSITY default
-- The default target, the pipeline's table in the caller's search_path.
CALL synth_citus_load(1000, 42);
\echo :LAST_ERROR_SQLSTATE
-- A target named, and the example's arguments by name.
CALL synth_citus_load(1000, 42, priority => 20, profile => NULL, target => 'training_prompts');
\echo :LAST_ERROR_SQLSTATE
-- Without Citus, the environment is the first thing said, even with bad arguments.
CALL synth_citus_load(0, NULL, label_noise => 2);
\echo :LAST_ERROR_SQLSTATE
-- A NULL target.
CALL synth_citus_load(1000, 42, target => NULL);
\echo :LAST_ERROR_SQLSTATE
-- No default target in the search_path: the caller's name, resolved at the call.
SET search_path = public;
CALL synth_citus_load(1000, 42);
\echo :LAST_ERROR_SQLSTATE
SET search_path = synth_citus_test, public;

-- Nothing reserved, nothing made, nothing written.
SELECT last_value, is_called FROM training_prompts_id_seq;
SELECT count(*) AS rows FROM training_prompts;
SELECT count(*) AS ids_tables FROM pg_class WHERE relname = 'synth_load_ids';

-- synth_insert writes the rows the hint points to.
SELECT synth_insert('training_prompts', 100, 42);
RESET search_path;
DROP SCHEMA synth_citus_test CASCADE;
