-- synthdata 1.0: synthetic training rows for prompt-improvement pipelines.
\echo Use "CREATE EXTENSION synthdata" to load this file. \quit

CREATE FUNCTION @extschema@.synth_version()
RETURNS jsonb
AS 'MODULE_PATHNAME', 'synth_version'
LANGUAGE C STABLE STRICT PARALLEL SAFE SECURITY INVOKER;

COMMENT ON FUNCTION @extschema@.synth_version() IS
'extension version and generator version; rows change only when generator_version changes';

-- Test-only entry points for the error wall; not for applications.
CREATE FUNCTION @extschema@._synth_test_throw(kind text)
RETURNS void
AS 'MODULE_PATHNAME', '_synth_test_throw'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE SECURITY INVOKER;

CREATE FUNCTION @extschema@._synth_test_backend_error(input text)
RETURNS integer
AS 'MODULE_PATHNAME', '_synth_test_backend_error'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE SECURITY INVOKER;

CREATE FUNCTION @extschema@._synth_test_cleanup_count()
RETURNS integer
AS 'MODULE_PATHNAME', '_synth_test_cleanup_count'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE SECURITY INVOKER;

REVOKE ALL ON FUNCTION @extschema@._synth_test_throw(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._synth_test_backend_error(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._synth_test_cleanup_count() FROM PUBLIC;

-- BEGIN synth_generate
-- END synth_generate

-- BEGIN synth_insert
-- END synth_insert

-- BEGIN synth_validate
-- END synth_validate
