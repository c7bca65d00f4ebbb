-- Security and catalog contract of the extension ("Security Considerations
-- for Extensions" in the manual, docs/design.md §5): honest volatility and
-- PARALLEL labels, no SECURITY DEFINER, a pinned search_path where a function
-- runs SQL on a caller's table, no CREATE OR REPLACE in the install script,
-- and nothing an attacker's search_path can hijack.
CREATE PROCEDURE pg_temp.try(statement text)
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

-- Every function of the extension with its labels.
CREATE VIEW pg_temp.synth_functions AS
SELECT p.oid, p.proname, pg_get_function_identity_arguments(p.oid) AS args, p.provolatile,
       p.proparallel, p.prosecdef, p.proconfig, p.proisstrict, p.proargtypes, p.pronamespace
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'synthdata';

SELECT proname, provolatile AS volatile, proparallel AS parallel, prosecdef AS secdef,
       proconfig, proisstrict AS strict
FROM pg_temp.synth_functions ORDER BY proname, args;

-- The contract, function by function (docs/design.md §5).
SELECT proname, provolatile, proparallel, prosecdef, ok
FROM (SELECT proname, provolatile, proparallel, prosecdef,
             CASE proname
               WHEN 'synth_version' THEN provolatile = 's' AND proparallel = 's'
               WHEN 'synth_generate' THEN provolatile = 'v' AND proparallel = 'r'
               WHEN 'synth_insert' THEN provolatile = 'v' AND proparallel = 'u'
               WHEN 'synth_rows' THEN provolatile = 'v' AND proparallel = 'r'
               WHEN 'synth_row' THEN provolatile = 's' AND proparallel = 's'
               WHEN 'synth_validate' THEN provolatile IN ('s', 'v') AND proparallel = 'r'
               WHEN 'synth_report' THEN provolatile IN ('s', 'v') AND proparallel = 'r'
             END AND NOT prosecdef AS ok
      FROM pg_temp.synth_functions
      WHERE proname IN ('synth_version', 'synth_generate', 'synth_insert', 'synth_rows', 'synth_row', 'synth_validate', 'synth_report')) x
ORDER BY proname;

-- Rules for all of them: never IMMUTABLE, never SECURITY DEFINER, and a
-- function that takes a table runs with search_path = pg_catalog, pg_temp.
-- The SECURITY DEFINER functions: _synth_keep_profile writes only a profile
-- it has validated, under the hash it computes itself, into a table callers
-- cannot write directly; _synth_spend_privacy (1.3, not PUBLIC's) writes only
-- a ledger entry under the budget's cap and a lock; _synth_private_profile
-- (1.3) returns only a kept profile the ledger records as private, by its
-- hash. Each has its search_path pinned (above).
SELECT proname, args FROM pg_temp.synth_functions WHERE provolatile = 'i';
SELECT proname, args FROM pg_temp.synth_functions WHERE prosecdef;
SELECT proname, args FROM pg_temp.synth_functions
WHERE 'regclass'::regtype::oid = ANY (proargtypes::oid[])
  AND NOT coalesce(proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false);
SELECT proname FROM pg_temp.synth_functions
WHERE proname = 'synth_insert' AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];

-- Every object of the extension lives in its schema.
SELECT count(*) AS objects_outside_schema FROM pg_temp.synth_functions
WHERE pronamespace <> (SELECT extnamespace FROM pg_extension WHERE extname = 'synthdata');

-- Public functions are documented; test-only ones are not executable by PUBLIC.
SELECT proname FROM pg_temp.synth_functions
WHERE proname NOT LIKE '\_%' AND obj_description(oid, 'pg_proc') IS NULL;
SELECT proname, has_function_privilege('public', oid, 'EXECUTE') AS public_execute
FROM pg_temp.synth_functions WHERE proname LIKE '\_synth\_test%' ORDER BY proname;


-- A hostile search_path: an attacker's schema first (ahead of pg_catalog),
-- with a count(anyelement) and a text = text that raise, look-alikes of
-- synthdata's own functions, and a pg_temp.training_prompts. None of them may
-- change what synth_insert or synth_validate do to a schema-qualified target.
CREATE SCHEMA synth_target;
CREATE TABLE synth_target.training_prompts (
    id serial PRIMARY KEY,
    prompt_text varchar(10000) NOT NULL,
    enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL,
    training_priority integer NOT NULL,
    created_at timestamp NOT NULL,
    updated_at timestamp NULL,
    deleted_at timestamp NULL,
    is_active boolean NOT NULL DEFAULT true
);
CREATE TABLE synth_target.clean_copy (LIKE synth_target.training_prompts INCLUDING DEFAULTS);

CREATE SCHEMA synth_attacker;
CREATE FUNCTION synth_attacker.count(anyelement) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'attacker count() called'; END $$;
CREATE FUNCTION synth_attacker.text_eq(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'attacker = called'; END $$;
CREATE OPERATOR synth_attacker.= (LEFTARG = text, RIGHTARG = text, FUNCTION = synth_attacker.text_eq);
CREATE FUNCTION synth_attacker.text_eq_true(varchar, varchar) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE OPERATOR synth_attacker.= (LEFTARG = varchar, RIGHTARG = varchar, FUNCTION = synth_attacker.text_eq_true);
CREATE FUNCTION synth_attacker.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT '2000-01-01'::timestamptz $$;
CREATE FUNCTION synth_attacker._synth_rows(n bigint, seed bigint, domain_weights jsonb, tier_shares float8[],
    label_noise float8, document_format text, report_progress boolean)
RETURNS SETOF public._synth_row LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'attacker _synth_rows called'; END $$;
CREATE FUNCTION synth_attacker.jsonb_typeof(jsonb) RETURNS text LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'attacker jsonb_typeof called'; END $$;
CREATE TEMP TABLE training_prompts (prompt_text text, enhancement_result jsonb, data_source text);
INSERT INTO pg_temp.training_prompts VALUES ('decoy', '{}', 'synthetic');

-- The reference: under a clean search_path.
SELECT synth_insert('synth_target.clean_copy', 200, 7);
SELECT synth_validate('synth_target.clean_copy') - 'table' AS clean_report \gset

SET search_path = synth_attacker, pg_catalog, public;
-- (The path is effective: an unqualified text = text runs the attacker's
-- operator, and an unqualified count() no longer resolves.)
CALL pg_temp.try($$SELECT 'a'::text = 'b'::text$$);
CALL pg_temp.try($$SELECT count(1)$$);
SELECT synth_insert('synth_target.training_prompts', 200, 7);
SELECT synth_insert('synth_target.training_prompts', 200, 7, skip_if_present => true);
SELECT (synth_validate('synth_target.training_prompts') - 'table') = :'clean_report'::jsonb AS same_report;
SELECT count(*) > 0 AS report_lines FROM synth_report('synth_target.training_prompts');
RESET search_path;

-- Same rows as under the clean search_path (but for the generation
-- timestamp), real timestamps, and the decoy untouched.
SELECT count(*) AS rows,
       count(*) FILTER (WHERE t.created_at > '2001-01-01') AS real_now,
       count(*) FILTER (WHERE c.prompt_text = t.prompt_text
                          AND c.enhancement_result #- '{metadata,generation_timestamp}'
                              = t.enhancement_result #- '{metadata,generation_timestamp}') AS same_as_clean
FROM synth_target.training_prompts t
JOIN synth_target.clean_copy c
  ON c.enhancement_result->'metadata'->'sample_id' = t.enhancement_result->'metadata'->'sample_id';
SELECT * FROM pg_temp.training_prompts;

-- Caller's rights: a role without INSERT (or SELECT) on the target gets 42501
-- from synth_insert and synth_validate, and finds no test-only functions
-- (the extension does not install them). Granting the privileges is what makes it work.
CREATE ROLE regress_synth_stranger;
GRANT USAGE ON SCHEMA synth_target TO regress_synth_stranger;
SET ROLE regress_synth_stranger;
CALL pg_temp.try($$SELECT synth_insert('synth_target.training_prompts', 5, 1)$$);
CALL pg_temp.try($$SELECT synth_validate('synth_target.training_prompts') IS NOT NULL$$);
CALL pg_temp.try($$SELECT count(*) FROM synth_report('synth_target.training_prompts')$$);
CALL pg_temp.try($$SELECT _synth_test_throw('runtime_error')$$);
CALL pg_temp.try($$SELECT _synth_test_cleanup_count()$$);
-- synth_generate touches no table: anyone may call it.
CALL pg_temp.try($$SELECT count(*) FROM synth_generate(5, 1)$$);
RESET ROLE;
GRANT SELECT, INSERT ON synth_target.training_prompts TO regress_synth_stranger;
GRANT USAGE ON SEQUENCE synth_target.training_prompts_id_seq TO regress_synth_stranger;
SET ROLE regress_synth_stranger;
CALL pg_temp.try($$SELECT synth_insert('synth_target.training_prompts', 5, 1)$$);
CALL pg_temp.try($$SELECT synth_validate('synth_target.training_prompts')->'sample_count'$$);
RESET ROLE;

SET client_min_messages = warning;
DROP SCHEMA synth_target CASCADE;
DROP SCHEMA synth_attacker CASCADE;
RESET client_min_messages;
DROP ROLE regress_synth_stranger;

-- No CREATE OR REPLACE in the install script: CREATE EXTENSION into a schema
-- that already has one of its functions fails (42723) instead of silently
-- taking the function over, and leaves nothing behind. A fresh database is
-- needed, since the extension is installed here already. (This part comes last:
-- the session's temporary objects do not survive \c.)
\set regress_database :DBNAME
CREATE DATABASE regression_synthdata_security;
\c regression_synthdata_security
CREATE SCHEMA synth_collide;
CREATE FUNCTION synth_collide.synth_version() RETURNS jsonb LANGUAGE sql
AS $$ SELECT '{"owner": "someone else"}'::jsonb $$;
DO $$ BEGIN CREATE EXTENSION synthdata SCHEMA synth_collide;
EXCEPTION WHEN OTHERS THEN RAISE NOTICE '%: %', SQLSTATE, SQLERRM; END $$;
SELECT synth_collide.synth_version();
SELECT count(*) AS extensions FROM pg_extension WHERE extname = 'synthdata';
SELECT proname FROM pg_proc WHERE pronamespace = 'synth_collide'::regnamespace ORDER BY 1;
-- The same for a colliding type, and for a colliding function further down the
-- script.
DROP FUNCTION synth_collide.synth_version();
CREATE TYPE synth_collide._synth_row AS (x int);
DO $$ BEGIN CREATE EXTENSION synthdata SCHEMA synth_collide;
EXCEPTION WHEN OTHERS THEN RAISE NOTICE '%: %', SQLSTATE, SQLERRM; END $$;
DROP TYPE synth_collide._synth_row;
CREATE FUNCTION synth_collide.synth_insert(target regclass, n bigint, seed bigint, priority integer,
    skip_if_present boolean, domain_weights jsonb, tier_shares float8[], label_noise float8,
    slice_start bigint, slice_rows bigint, profile jsonb)
RETURNS bigint LANGUAGE sql AS $$ SELECT -1::bigint $$;
DO $$ BEGIN CREATE EXTENSION synthdata SCHEMA synth_collide;
EXCEPTION WHEN OTHERS THEN RAISE NOTICE '%: %', SQLSTATE, SQLERRM; END $$;
SELECT synth_collide.synth_insert(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
DROP FUNCTION synth_collide.synth_insert;
-- Without a collision it installs into that schema.
CREATE EXTENSION synthdata SCHEMA synth_collide;
SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'synthdata';
SELECT count(*) > 0 AS ok FROM synth_collide.synth_generate(3, 1);
\c :regress_database
DROP DATABASE regression_synthdata_security;
