-- Messages that name the real mistake: weights too small for a float8,
-- nested objects under unknown names, real[] tier shares, and targets that
-- are foreign tables or sequences.
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

CREATE SCHEMA synth_clear_test;
SET search_path = synth_clear_test, public;

-- Clearer messages for weights and shares.
-- A positive weight too small for a float8 is named as such, not as "no weight".
CALL pg_temp.try($$SELECT count(*) FROM synth_generate(10, 1, '{"technical": 1e-400}')$$, show_detail => true);
CALL pg_temp.try($$SELECT count(*) FROM synth_generate(10, 1, '{"technical": 1e-400, "creative": 1}')$$);
-- The smallest double still counts.
SELECT domain, count(*) FROM synth_generate(10, 1, '{"technical": 5e-324}') GROUP BY domain;
-- A nested object under an unknown name: the unknown domain comes first.
CALL pg_temp.try($$SELECT count(*) FROM synth_generate(10, 1, '{"a": {"b": 1}}')$$);
CALL pg_temp.try($$SELECT count(*) FROM synth_generate(10, 1, '{"technical": {"b": 1}}')$$);
CALL pg_temp.try($$SELECT count(*) FROM synth_generate(10, 1, '{"nope": 1e-400}')$$);
-- real[] tier shares carry float4 rounding: accepted.
SELECT tier, count(*) FROM synth_generate(10, 1, tier_shares => '{0.2,0.3,0.5}'::real[]) GROUP BY tier ORDER BY tier;
SELECT tier, count(*) FROM synth_generate(7, 1, tier_shares => ARRAY[0.1, 0.6, 0.3]::real[]) GROUP BY tier ORDER BY tier;
-- ... but not a float8 sum as far off, nor real[] shares really off.
CALL pg_temp.try($$SELECT count(*) FROM synth_generate(10, 1, tier_shares => '{0.2,0.3,0.5000001}')$$, show_detail => true);
CALL pg_temp.try($$SELECT count(*) FROM synth_generate(10, 1, tier_shares => '{0.2,0.3,0.501}'::real[])$$);

-- A foreign table is refused with advice that fits it.
CREATE EXTENSION file_fdw;
CREATE SERVER edge_files FOREIGN DATA WRAPPER file_fdw;
CREATE FOREIGN TABLE remote_prompts (feature_vector float8[], effectiveness_score float8)
  SERVER edge_files OPTIONS (filename '/nonexistent/prompts.csv', format 'csv');
CALL pg_temp.try($$SELECT synth_insert('remote_prompts', 5)$$, show_detail => true);
CREATE SEQUENCE edge_sequence;
CALL pg_temp.try($$SELECT synth_insert('edge_sequence', 5)$$, show_detail => true);

SET client_min_messages = warning;
DROP SCHEMA synth_clear_test CASCADE;  -- file_fdw and its server live in it
RESET client_min_messages;
