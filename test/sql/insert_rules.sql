-- synth_insert and rewrite rules on its target: an ON INSERT DO INSTEAD rule
-- is refused with 0A000 before anything runs; ALSO rules and disabled rules
-- leave the INSERT, and its count, as they are.
--
-- pg_temp.try runs a statement and reports its outcome as a NOTICE with the
-- SQLSTATE; show_detail => true adds DETAIL and HINT.
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

CREATE SCHEMA synth_rules_test;
SET search_path = synth_rules_test, public;

-- INSERT rules. An INSTEAD rule (NOTHING, NOTIFY, another command) would
-- swallow the rows: refused before anything runs. An ALSO rule runs beside
-- the INSERT, which still inserts and counts every row.
CREATE TABLE ruled (feature_vector float8[] NOT NULL, effectiveness_score float8 NOT NULL);
CREATE TABLE ruled_log (n int);
CREATE RULE swallow AS ON INSERT TO ruled DO INSTEAD NOTHING;
CALL pg_temp.try($$SELECT synth_insert('ruled', 5)$$, show_detail => true);
DROP RULE swallow ON ruled;
CREATE RULE notify AS ON INSERT TO ruled DO INSTEAD NOTIFY ruled_channel;
CALL pg_temp.try($$SELECT synth_insert('ruled', 5)$$);
DROP RULE notify ON ruled;
CREATE RULE redirect AS ON INSERT TO ruled WHERE new.effectiveness_score > 0.5
  DO INSTEAD INSERT INTO ruled_log VALUES (1);
CALL pg_temp.try($$SELECT synth_insert('ruled', 5)$$);
-- A disabled rule does not fire, so it does not stand in the way.
ALTER TABLE ruled DISABLE RULE redirect;
CALL pg_temp.try($$SELECT synth_insert('ruled', 5)$$);
DROP RULE redirect ON ruled;
CREATE RULE logged AS ON INSERT TO ruled DO ALSO INSERT INTO ruled_log VALUES (1);
CALL pg_temp.try($$SELECT synth_insert('ruled', 5)$$);
SELECT (SELECT count(*) FROM ruled) AS ruled_rows, (SELECT count(*) FROM ruled_log) AS logged_rows;

SET client_min_messages = warning;
DROP SCHEMA synth_rules_test CASCADE;
RESET client_min_messages;
