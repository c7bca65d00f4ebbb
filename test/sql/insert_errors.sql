-- synth_insert's refusals: bad arguments, targets that are not tables or do
-- not fit, and what the table itself refuses at run time (constraints,
-- privileges, row-level security, triggers). Each must fail with its own
-- SQLSTATE, leave no row behind and leave the session usable.
--
-- pg_temp.try runs a statement and reports its outcome as a NOTICE, with the
-- SQLSTATE (which psql hides) and without the C++ source location (which
-- VERBOSITY verbose would show); show_detail => true adds DETAIL and HINT.
CREATE PROCEDURE pg_temp.try(statement text, show_detail boolean DEFAULT false)
LANGUAGE plpgsql AS $$
DECLARE
  v_result text;
  v_state text;
  v_message text;
  v_detail text;
  v_hint text;
BEGIN
  EXECUTE statement INTO v_result;
  RAISE NOTICE 'ok: %', coalesce(v_result, 'no result');
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                          v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
  IF show_detail AND v_detail <> '' AND v_hint <> '' THEN
    RAISE NOTICE USING MESSAGE = v_state || ': ' || v_message, DETAIL = v_detail, HINT = v_hint;
  ELSIF show_detail AND v_detail <> '' THEN
    RAISE NOTICE USING MESSAGE = v_state || ': ' || v_message, DETAIL = v_detail;
  ELSIF show_detail AND v_hint <> '' THEN
    RAISE NOTICE USING MESSAGE = v_state || ': ' || v_message, HINT = v_hint;
  ELSE
    RAISE NOTICE '%: %', v_state, v_message;
  END IF;
END $$;
\set SHOW_CONTEXT never

CREATE SCHEMA synth_errors_test;
SET search_path = synth_errors_test, public;
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
    CONSTRAINT training_prompts_priority_check
        CHECK (training_priority BETWEEN 1 AND 1000)
);

-- Bad arguments.
CALL pg_temp.try($$SELECT synth_insert('training_prompts', 5, 1, priority => 0)$$, true);
CALL pg_temp.try($$SELECT synth_insert('training_prompts', 5, 1, priority => 1001)$$);
CALL pg_temp.try($$SELECT synth_insert('training_prompts', 5, 1, priority => -2147483648)$$);
CALL pg_temp.try($$SELECT synth_insert(NULL, 5, 1)$$, true);
CALL pg_temp.try($$SELECT synth_insert('training_prompts', NULL, 1)$$);
CALL pg_temp.try($$SELECT synth_insert('training_prompts', 5, 1, priority => NULL)$$);
CALL pg_temp.try($$SELECT synth_insert('training_prompts', -1, 1)$$);
CALL pg_temp.try($$SELECT synth_insert('training_prompts', 1000000000001, 1)$$);
CALL pg_temp.try($$SELECT synth_insert('training_prompts', 5, 1, label_noise => 1.5)$$);
CALL pg_temp.try($$SELECT synth_insert('training_prompts', 5, 1, label_noise => 'NaN')$$);
CALL pg_temp.try($$SELECT synth_insert('training_prompts', 5, 1, label_noise => NULL)$$);
CALL pg_temp.try($$SELECT synth_insert('training_prompts', 5, 1, tier_shares => '{0.5,0.5}')$$);
CALL pg_temp.try($$SELECT synth_insert('training_prompts', 5, 1, tier_shares => NULL)$$);
CALL pg_temp.try($$SELECT synth_insert('training_prompts', 5, 1, domain_weights => '[1]')$$);
CALL pg_temp.try($$SELECT synth_insert('training_prompts', 5, 1, domain_weights => '{"poetry": 1}')$$);
-- Errors outside a PL/pgSQL block too: the session goes on.
SELECT synth_insert('training_prompts', 5, 1, priority => 0);
SELECT synth_insert(NULL, 5, 1);
SELECT count(*) FROM training_prompts;

-- Targets that are missing or not tables.
CALL pg_temp.try($$SELECT synth_insert('no_such_table', 5, 1)$$);
CALL pg_temp.try($$SELECT synth_insert('no_such_schema.training_prompts', 5, 1)$$);
CALL pg_temp.try($$SELECT synth_insert('"Training_Prompts"', 5, 1)$$);
CREATE VIEW prompts_view AS SELECT * FROM training_prompts;
CALL pg_temp.try($$SELECT synth_insert('prompts_view', 5, 1)$$, true);
CREATE MATERIALIZED VIEW prompts_matview AS SELECT * FROM training_prompts;
CALL pg_temp.try($$SELECT synth_insert('prompts_matview', 5, 1)$$);
CREATE SEQUENCE prompts_seq;
CALL pg_temp.try($$SELECT synth_insert('prompts_seq', 5, 1)$$);
CALL pg_temp.try($$SELECT synth_insert('training_prompts_pkey', 5, 1)$$);
CREATE TYPE prompt_pair AS (prompt_text text, enhancement_result jsonb);
CALL pg_temp.try($$SELECT synth_insert('prompt_pair', 5, 1)$$);
SELECT count(*) FROM training_prompts;

-- Tables that fit neither layout, or whose columns cannot hold the values.
CREATE TABLE wrong_layout (id int, prompt text, result jsonb);
CALL pg_temp.try($$SELECT synth_insert('wrong_layout', 5, 1)$$, true);
CREATE TABLE no_document (prompt_text text NOT NULL, data_source text);
CALL pg_temp.try($$SELECT synth_insert('no_document', 5, 1)$$, true);
CREATE TABLE half_flat (feature_vector float8[]);
CALL pg_temp.try($$SELECT synth_insert('half_flat', 5, 1)$$, true);
CREATE TABLE no_columns ();
CALL pg_temp.try($$SELECT synth_insert('no_columns', 5, 1)$$, true);
CREATE TABLE text_document (prompt_text text NOT NULL, enhancement_result text NOT NULL);
CALL pg_temp.try($$SELECT synth_insert('text_document', 5, 1)$$, true);
CREATE TABLE int_prompt (prompt_text integer, enhancement_result jsonb);
CALL pg_temp.try($$SELECT synth_insert('int_prompt', 5, 1)$$, true);
CREATE TABLE int_active (prompt_text text, enhancement_result jsonb, is_active integer);
CALL pg_temp.try($$SELECT synth_insert('int_active', 5, 1)$$);
CREATE TABLE text_priority (prompt_text text, enhancement_result jsonb, training_priority point);
CALL pg_temp.try($$SELECT synth_insert('text_priority', 5, 1)$$);
CREATE TABLE jsonb_features (feature_vector jsonb, effectiveness_score float8);
CALL pg_temp.try($$SELECT synth_insert('jsonb_features', 5, 1)$$, true);
CREATE TABLE bool_score (feature_vector float8[], effectiveness_score boolean);
CALL pg_temp.try($$SELECT synth_insert('bool_score', 5, 1)$$);
-- A flat table whose feature_vector is text or int[], or whose score is an
-- integer, is refused with 42804 before anything is written: an assignment
-- cast would store the array as text or round every value to an integer.
CREATE TABLE text_features (feature_vector text, effectiveness_score float8);
CALL pg_temp.try($$SELECT synth_insert('text_features', 5, 1)$$, true);
CREATE TABLE int_features (feature_vector int[], effectiveness_score float8);
CALL pg_temp.try($$SELECT synth_insert('int_features', 5, 1)$$, true);
CREATE TABLE int_score (feature_vector float8[], effectiveness_score integer);
CALL pg_temp.try($$SELECT synth_insert('int_score', 5, 1)$$, true);
SELECT (SELECT count(*) FROM text_features) + (SELECT count(*) FROM int_features)
       + (SELECT count(*) FROM int_score) AS rows;
-- A column too narrow fails when the first value does not fit.
CREATE TABLE narrow_source (prompt_text text, enhancement_result jsonb, data_source varchar(5));
CALL pg_temp.try($$SELECT synth_insert('narrow_source', 5, 1)$$);
CREATE TABLE narrow_prompt (prompt_text varchar(10), enhancement_result jsonb);
CALL pg_temp.try($$SELECT synth_insert('narrow_prompt', 5, 1)$$);
SELECT (SELECT count(*) FROM narrow_source) + (SELECT count(*) FROM narrow_prompt) AS rows;

-- A NOT NULL column without a default that synthdata does not fill.
CREATE TABLE needs_reviewer (LIKE training_prompts INCLUDING DEFAULTS, reviewer text NOT NULL);
CALL pg_temp.try($$SELECT synth_insert('needs_reviewer', 5, 1)$$, true);
CREATE TABLE needs_session (prompt_text text NOT NULL, enhancement_result jsonb NOT NULL,
                            session_id varchar(255) NOT NULL REFERENCES user_sessions (id));
CALL pg_temp.try($$SELECT synth_insert('needs_session', 5, 1)$$);
-- ... while a default, an identity or a serial is enough.
ALTER TABLE needs_session ALTER COLUMN session_id SET DEFAULT 'batch-session';
INSERT INTO user_sessions VALUES ('batch-session');
CALL pg_temp.try($$SELECT synth_insert('needs_session', 5, 1)$$);

-- A column synthdata must write that is generated; an optional generated
-- column is left to the table.
CREATE TABLE generated_prompt (prompt_text text GENERATED ALWAYS AS ('x') STORED, enhancement_result jsonb);
CALL pg_temp.try($$SELECT synth_insert('generated_prompt', 5, 1)$$, true);
CREATE TABLE generated_score (feature_vector float8[], effectiveness_score float8 GENERATED ALWAYS AS (0.5) STORED);
CALL pg_temp.try($$SELECT synth_insert('generated_score', 5, 1)$$);
CREATE TABLE generated_optional (prompt_text text NOT NULL, enhancement_result jsonb NOT NULL,
                                 data_source text GENERATED ALWAYS AS ('generated') STORED,
                                 training_priority int GENERATED ALWAYS AS IDENTITY);
CALL pg_temp.try($$SELECT synth_insert('generated_optional', 5, 1)$$);
SELECT data_source, min(training_priority), max(training_priority) FROM generated_optional GROUP BY 1;

-- A CHECK constraint that some rows of the batch violate: 23514, and the rows
-- before the failing one, which were written (a BEFORE trigger counts the rows
-- on a sequence, which does not roll back), are gone with the statement.
CREATE TABLE checked (LIKE training_prompts INCLUDING DEFAULTS,
                      CONSTRAINT first_rows_only CHECK ((enhancement_result->'metadata'->>'sample_id')::int < 37));
CREATE SEQUENCE checked_rows_seen;
CREATE FUNCTION count_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('synth_errors_test.checked_rows_seen');
  RETURN NEW;
END $$;
CREATE TRIGGER count_rows BEFORE INSERT ON checked FOR EACH ROW EXECUTE FUNCTION count_row();
INSERT INTO checked (prompt_text, enhancement_result, data_source, training_priority, created_at)
VALUES ('real', '{"metadata": {"sample_id": 0}}', 'real', 100, '2024-01-01');
CALL pg_temp.try($$SELECT synth_insert('checked', 100, 4)$$);
SELECT count(*) AS rows, (SELECT last_value FROM checked_rows_seen) - 1 AS synthetic_rows_tried
FROM checked;
-- The same with a constraint on the prompt (some prompts are longer than 40).
CREATE TABLE short_prompts (LIKE training_prompts INCLUDING DEFAULTS,
                            CONSTRAINT short_prompts CHECK (length(prompt_text) < 40));
CALL pg_temp.try($$SELECT synth_insert('short_prompts', 200, 4)$$);
SELECT count(*) FROM short_prompts;
-- The table's own CHECK constraints apply too.
CREATE TABLE no_synthetic (LIKE training_prompts INCLUDING DEFAULTS,
                           CHECK (data_source <> 'synthetic'));
CALL pg_temp.try($$SELECT synth_insert('no_synthetic', 5, 1)$$);
CREATE TABLE priority_cap (LIKE training_prompts INCLUDING DEFAULTS, CHECK (training_priority <= 100));
CALL pg_temp.try($$SELECT synth_insert('priority_cap', 5, 1, priority => 500)$$);
CALL pg_temp.try($$SELECT synth_insert('priority_cap', 5, 1, priority => 100)$$);

-- UNIQUE: a second batch (any seed) repeats the sample_ids 0, 1, ...
CREATE TABLE unique_samples (sample_id bigint UNIQUE, feature_vector float8[], effectiveness_score float8);
CALL pg_temp.try($$SELECT synth_insert('unique_samples', 20, 1)$$);
CALL pg_temp.try($$SELECT synth_insert('unique_samples', 30, 2)$$);
SELECT count(*) FROM unique_samples;

-- FOREIGN KEY: data_source must name a known source.
CREATE TABLE sources (name varchar(50) PRIMARY KEY);
INSERT INTO sources VALUES ('real'), ('batch');
CREATE TABLE sourced (LIKE training_prompts INCLUDING DEFAULTS,
                      FOREIGN KEY (data_source) REFERENCES sources (name));
CALL pg_temp.try($$SELECT synth_insert('sourced', 5, 1)$$);
SELECT count(*) FROM sourced;
INSERT INTO sources VALUES ('synthetic');
CALL pg_temp.try($$SELECT synth_insert('sourced', 5, 1)$$);

-- A partitioned table with no partition for synthetic rows.
CREATE TABLE by_source (LIKE training_prompts INCLUDING DEFAULTS) PARTITION BY LIST (data_source);
CREATE TABLE by_source_real PARTITION OF by_source FOR VALUES IN ('real');
CALL pg_temp.try($$SELECT synth_insert('by_source', 5, 1)$$);
SELECT count(*) FROM by_source;

-- BEFORE triggers: one returning NULL skips rows, and synth_insert returns the
-- rows actually inserted (here: all but the low tier); one that raises fails
-- the batch with the trigger's SQLSTATE.
CREATE TABLE skipping (LIKE training_prompts INCLUDING DEFAULTS);
CREATE FUNCTION skip_low_tier() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.enhancement_result->'metadata'->>'tier' = 'low' THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER skip_low BEFORE INSERT ON skipping FOR EACH ROW EXECUTE FUNCTION skip_low_tier();
SELECT synth_insert('skipping', 100, 1);
SELECT enhancement_result->'metadata'->>'tier' AS tier, count(*) FROM skipping GROUP BY 1 ORDER BY 1;
CREATE FUNCTION skip_all() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER skip_all BEFORE INSERT ON skipping FOR EACH ROW EXECUTE FUNCTION skip_all();
SELECT synth_insert('skipping', 100, 2);
SELECT count(*) FROM skipping;

CREATE TABLE raising (LIKE training_prompts INCLUDING DEFAULTS);
CREATE FUNCTION refuse_technical() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.enhancement_result->'metadata'->>'domain' = 'technical' THEN
    RAISE EXCEPTION 'no technical prompts here' USING ERRCODE = 'SY001', DETAIL = 'a trigger refused the row';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER refuse BEFORE INSERT ON raising FOR EACH ROW EXECUTE FUNCTION refuse_technical();
CALL pg_temp.try($$SELECT synth_insert('raising', 50, 1)$$, true);
CALL pg_temp.try($$SELECT synth_insert('raising', 50, 1, domain_weights => '{"creative": 1}')$$);
SELECT count(*) FROM raising;

-- A BEFORE trigger may fill columns; an AFTER statement trigger sees one
-- statement with every row of the batch.
CREATE TABLE audited (LIKE training_prompts INCLUDING DEFAULTS);
CREATE TABLE audit_log (statements int, rows bigint);
CREATE FUNCTION set_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.session_id := 'batch-session';
  RETURN NEW;
END $$;
CREATE TRIGGER set_session BEFORE INSERT ON audited FOR EACH ROW EXECUTE FUNCTION set_session();
-- Trigger functions run under synth_insert's search_path (pg_catalog,
-- pg_temp), so like any trigger that may be called from such a function they
-- qualify the names they use (or SET their own search_path).
CREATE FUNCTION log_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO synth_errors_test.audit_log SELECT 1, count(*) FROM new_rows;
  RETURN NULL;
END $$;
CREATE TRIGGER log_statement AFTER INSERT ON audited REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION log_statement();
SELECT synth_insert('audited', 40, 1);
SELECT * FROM audit_log;
SELECT session_id, count(*) FROM audited GROUP BY 1;
CREATE FUNCTION log_unqualified() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log SELECT 2, count(*) FROM new_rows;
  RETURN NULL;
END $$;
CREATE TRIGGER log_unqualified AFTER INSERT ON audited REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION log_unqualified();
CALL pg_temp.try($$SELECT synth_insert('audited', 40, 1)$$);
ALTER FUNCTION log_unqualified() SET search_path = synth_errors_test;
CALL pg_temp.try($$SELECT synth_insert('audited', 40, 1)$$);
SELECT * FROM audit_log ORDER BY 1;

-- Privileges: the caller's rights apply. No INSERT privilege, INSERT on only
-- some columns, or no USAGE on the schema: 42501.
CREATE ROLE regress_synth_writer;
GRANT USAGE ON SCHEMA synth_errors_test TO regress_synth_writer;
GRANT USAGE ON SEQUENCE training_prompts_id_seq TO regress_synth_writer;
CREATE TABLE guarded (LIKE training_prompts INCLUDING DEFAULTS);
GRANT SELECT ON guarded TO regress_synth_writer;
SET ROLE regress_synth_writer;
CALL pg_temp.try($$SELECT synth_insert('guarded', 5, 1)$$);
RESET ROLE;
GRANT INSERT (prompt_text, enhancement_result) ON guarded TO regress_synth_writer;
SET ROLE regress_synth_writer;
CALL pg_temp.try($$SELECT synth_insert('guarded', 5, 1)$$);
RESET ROLE;
GRANT INSERT ON guarded TO regress_synth_writer;
SET ROLE regress_synth_writer;
CALL pg_temp.try($$SELECT synth_insert('guarded', 5, 1)$$);
CALL pg_temp.try($$SELECT synth_insert('guarded', 5, 1, skip_if_present => true)$$);
-- With INSERT but without SELECT, the cold-start presence check fails with
-- 42501 (an error raised inside a guard nested in another guard), and the
-- session goes on.
RESET ROLE;
CREATE TABLE insert_only (LIKE training_prompts INCLUDING DEFAULTS);
GRANT INSERT ON insert_only TO regress_synth_writer;
SET ROLE regress_synth_writer;
CALL pg_temp.try($$SELECT synth_insert('insert_only', 5, 1, skip_if_present => true)$$);
SELECT 1 AS still_connected;
-- No USAGE on the table's schema: 42501.
RESET ROLE;
CREATE SCHEMA synth_errors_private;
CREATE TABLE synth_errors_private.hidden (LIKE training_prompts INCLUDING DEFAULTS);
GRANT ALL ON synth_errors_private.hidden TO regress_synth_writer;
SET ROLE regress_synth_writer;
CALL pg_temp.try($$SELECT synth_insert('synth_errors_private.hidden', 5, 1)$$);
RESET ROLE;
SELECT (SELECT count(*) FROM guarded) AS guarded, (SELECT count(*) FROM synth_errors_private.hidden) AS hidden;

-- Row-level security: a policy that forbids synthetic rows stops the batch;
-- one that allows them lets it through.
CREATE TABLE policed (LIKE training_prompts INCLUDING DEFAULTS);
ALTER TABLE policed ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON policed FOR SELECT USING (true);
CREATE POLICY real_only ON policed FOR INSERT WITH CHECK (data_source = 'real');
GRANT SELECT, INSERT ON policed TO regress_synth_writer;
SET ROLE regress_synth_writer;
CALL pg_temp.try($$SELECT synth_insert('policed', 5, 1)$$);
RESET ROLE;
SELECT count(*) FROM policed;
CREATE POLICY synthetic_low_priority ON policed FOR INSERT WITH CHECK (data_source = 'synthetic' AND training_priority < 50);
SET ROLE regress_synth_writer;
CALL pg_temp.try($$SELECT synth_insert('policed', 5, 1, priority => 60)$$);
CALL pg_temp.try($$SELECT synth_insert('policed', 5, 1)$$);
RESET ROLE;
-- A (non-superuser) owner is subject to the policies only when they are forced.
ALTER TABLE policed OWNER TO regress_synth_writer;
SET ROLE regress_synth_writer;
CALL pg_temp.try($$SELECT synth_insert('policed', 5, 1, priority => 60)$$);
ALTER TABLE policed FORCE ROW LEVEL SECURITY;
CALL pg_temp.try($$SELECT synth_insert('policed', 5, 1, priority => 70)$$);
RESET ROLE;
SELECT training_priority, count(*) FROM policed GROUP BY 1 ORDER BY 1;

-- After all of this the session still works.
SELECT synth_insert('training_prompts', 5, 1);
SELECT count(*) FROM training_prompts;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA synth_errors_test CASCADE;
DROP SCHEMA synth_errors_private CASCADE;
RESET client_min_messages;
DROP ROLE regress_synth_writer;
