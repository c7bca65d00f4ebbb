-- The error wall between C++ and PostgreSQL (issue 2).
--
-- Each C++ exception kind thrown deep in the engine reaches SQL as a clean
-- ERROR with its SQLSTATE, and the session keeps working; a PostgreSQL ERROR
-- raised under C++ frames keeps its own SQLSTATE and message, and the C++
-- destructors on the way out run.
--
-- The SQLSTATE is pinned with psql's LAST_ERROR_SQLSTATE after each error
-- rather than with VERBOSITY verbose, whose LOCATION lines carry source line
-- numbers that change with every edit of the C++ (or a PostgreSQL update).

-- Test-only entry points: the extension does not install them (issue 25,
-- item 9); this test creates them from the module, not executable by PUBLIC.
SELECT count(*) AS installed_test_functions
FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND p.proname LIKE '\_synth\_test\_%';
CREATE FUNCTION _synth_test_throw(kind text)
RETURNS void
AS '$libdir/synthdata', '_synth_test_throw'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE SECURITY INVOKER;

CREATE FUNCTION _synth_test_backend_error(input text)
RETURNS integer
AS '$libdir/synthdata', '_synth_test_backend_error'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE SECURITY INVOKER;

CREATE FUNCTION _synth_test_cleanup_count()
RETURNS integer
AS '$libdir/synthdata', '_synth_test_cleanup_count'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE SECURITY INVOKER;

REVOKE ALL ON FUNCTION _synth_test_throw(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION _synth_test_backend_error(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION _synth_test_cleanup_count() FROM PUBLIC;
SELECT p.proname, has_function_privilege('public', p.oid, 'EXECUTE') AS public_can_execute
FROM pg_proc p
WHERE p.oid IN ('_synth_test_throw(text)'::regprocedure, '_synth_test_backend_error(text)'::regprocedure,
                '_synth_test_cleanup_count()'::regprocedure)
ORDER BY p.proname;

-- C++ exceptions -> SQLSTATEs.
SELECT _synth_test_throw('bad_alloc');
\echo :LAST_ERROR_SQLSTATE
SELECT 1 AS still_working;
SELECT _synth_test_throw('invalid_argument');
\echo :LAST_ERROR_SQLSTATE
SELECT 1 AS still_working;
SELECT _synth_test_throw('length_error');
\echo :LAST_ERROR_SQLSTATE
SELECT 1 AS still_working;
SELECT _synth_test_throw('range_error');
\echo :LAST_ERROR_SQLSTATE
SELECT 1 AS still_working;
SELECT _synth_test_throw('synth_error');
\echo :LAST_ERROR_SQLSTATE
SELECT 1 AS still_working;
SELECT _synth_test_throw('non_std');
\echo :LAST_ERROR_SQLSTATE
SELECT 1 AS still_working;
SELECT _synth_test_throw('no_such_kind');
\echo :LAST_ERROR_SQLSTATE
SELECT 1 AS still_working;
-- STRICT: a NULL kind never reaches C++.
SELECT _synth_test_throw(NULL) IS NULL AS strict_null;

-- The same inside a transaction: the savepoint rolls back, the transaction goes on.
BEGIN;
SAVEPOINT s;
SELECT _synth_test_throw('synth_error');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
SELECT 1 AS still_in_transaction;
COMMIT;
-- Many in a row: nothing leaks or wedges.
DO $$
DECLARE
  k text;
  caught int := 0;
BEGIN
  FOR i IN 1..50 LOOP
    FOREACH k IN ARRAY ARRAY['bad_alloc', 'invalid_argument', 'length_error', 'range_error',
                             'synth_error', 'non_std', 'no_such_kind'] LOOP
      BEGIN
        PERFORM _synth_test_throw(k);
      EXCEPTION WHEN OTHERS THEN
        caught := caught + 1;
      END;
    END LOOP;
  END LOOP;
  RAISE NOTICE 'caught % errors', caught;
END $$;
SELECT 1 AS still_working;

-- A PostgreSQL ERROR under a C++ frame that owns memory: PostgreSQL's own
-- SQLSTATE and message, and the frame's destructor runs exactly once.
SELECT _synth_test_cleanup_count() AS cleanups_before \gset
SELECT :cleanups_before AS cleanups_before;
SELECT _synth_test_backend_error('not a number');
\echo :LAST_ERROR_SQLSTATE
SELECT _synth_test_cleanup_count() - :cleanups_before AS cleanups_during_error;
-- Without an error the call returns the parsed value (its probe is destroyed on return too).
SELECT _synth_test_backend_error('41');
SELECT _synth_test_cleanup_count() - :cleanups_before AS cleanups_after_success;
SELECT _synth_test_backend_error('99999999999');
\echo :LAST_ERROR_SQLSTATE
SELECT _synth_test_cleanup_count() - :cleanups_before AS cleanups_after_second_error;
SELECT 1 AS still_working;
-- The module says which extension version it was built as: the newest one
-- its SQL scripts define (it serves the older ones too).
SELECT synth_version()->>'extension_version' = (SELECT default_version FROM pg_available_extensions
                                                WHERE name = 'synthdata') AS module_is_default_version;

-- The test-only functions go with this test.
DROP FUNCTION _synth_test_throw(text), _synth_test_backend_error(text), _synth_test_cleanup_count();
