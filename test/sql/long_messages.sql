-- Messages longer than the error buffer (a domain_weights key of 1000
-- accented characters, a table of 120 accented column names) must arrive as
-- valid text with their own SQLSTATE, in the server's encoding and in a
-- client's other one.
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

CREATE SCHEMA synth_messages_test;
SET search_path = synth_messages_test, public;

-- Messages longer than the error buffer are cut at a character boundary of
-- the server encoding: what arrives is still valid text, so a client in
-- another encoding gets the real error and PL/pgSQL can read it.
CREATE FUNCTION valid_text(t text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  PERFORM convert_from(convert_to(t, pg_catalog.getdatabaseencoding()), pg_catalog.getdatabaseencoding());
  RETURN true;
EXCEPTION WHEN character_not_in_repertoire THEN
  RETURN false;
END $$;
CREATE FUNCTION error_text(statement text) RETURNS TABLE (sqlstate text, part text, valid boolean, bytes int, tail text)
LANGUAGE plpgsql AS $$
DECLARE
  v_state text;
  v_message text;
  v_detail text;
BEGIN
  EXECUTE statement;
  RETURN QUERY SELECT 'none'::text, 'none'::text, true, 0, ''::text;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL;
  RETURN QUERY SELECT v_state, 'message', valid_text(v_message), octet_length(v_message),
                      CASE WHEN valid_text(v_message) THEN right(v_message, 12) END
               UNION ALL
               SELECT v_state, 'detail', valid_text(v_detail), octet_length(v_detail),
                      CASE WHEN valid_text(v_detail) THEN right(v_detail, 12) END;
END $$;
-- A domain_weights key of 1000 two-byte characters (the message names it).
SELECT * FROM error_text($$SELECT count(*) FROM synth_generate(1, 1, jsonb_build_object(repeat('é', 1000), 1))$$);
-- ... and of 1000 three-byte characters.
SELECT * FROM error_text($$SELECT count(*) FROM synth_generate(1, 1, jsonb_build_object(repeat('€', 1000), 1))$$);
-- A table of 120 accented column names: the detail lists them all.
DO $$
BEGIN
  EXECUTE 'CREATE TABLE wide (' ||
          (SELECT string_agg(format('%I int', 'colonne_élevée_' || i), ', ') FROM generate_series(1, 120) AS i) || ')';
END $$;
SELECT * FROM error_text($$SELECT synth_insert('wide', 1)$$);
-- A client in another encoding receives the real error (only its SQLSTATE is
-- shown here, the text would be in LATIN1).
\set VERBOSITY sqlstate
SET client_encoding = 'LATIN1';
SELECT count(*) FROM synth_generate(1, 1, jsonb_build_object(repeat('é', 1000), 1));
SELECT synth_insert('wide', 1);
RESET client_encoding;
\set VERBOSITY default

SET client_min_messages = warning;
DROP SCHEMA synth_messages_test CASCADE;
RESET client_min_messages;
