-- synthdata 1.1: synthetic training rows for prompt-improvement pipelines.
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
CREATE FUNCTION @extschema@.synth_generate(
    n bigint,
    seed bigint DEFAULT NULL,
    domain_weights jsonb DEFAULT NULL,
    tier_shares float8[] DEFAULT '{0.25,0.5,0.25}',
    label_noise float8 DEFAULT 0.05,
    slice_start bigint DEFAULT 0,
    slice_rows bigint DEFAULT NULL)
RETURNS TABLE (sample_id bigint, domain text, tier text, original_prompt text,
               enhanced_prompt text, feature_vector float8[], effectiveness_score float8)
AS 'MODULE_PATHNAME', 'synth_generate'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL RESTRICTED SECURITY INVOKER
ROWS 1000;

COMMENT ON FUNCTION @extschema@.synth_generate(bigint, bigint, jsonb, float8[], float8, bigint, bigint) IS
'rows sample_id in [slice_start, slice_start + slice_rows) of the dataset defined by (n, seed, options); '
'a row is a pure function of (seed, n, options, sample_id); a NULL seed draws a fresh one';
-- END synth_generate

-- BEGIN synth_insert
-- The row source of synth_insert (internal; its arguments are checked like synth_generate's).
CREATE TYPE @extschema@._synth_row AS (
    sample_id bigint, domain text, tier text, original_prompt text, enhanced_prompt text,
    feature_vector float8[], effectiveness_score float8,
    enhancement_jsonb jsonb, enhancement_json json);

CREATE FUNCTION @extschema@._synth_rows(
    n bigint, seed bigint, domain_weights jsonb, tier_shares float8[], label_noise float8,
    document_format integer, report_progress boolean, slice_start bigint, slice_rows bigint)
RETURNS SETOF @extschema@._synth_row
AS 'MODULE_PATHNAME', '_synth_rows'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL RESTRICTED SECURITY INVOKER
ROWS 1000;

COMMENT ON FUNCTION @extschema@._synth_rows(bigint, bigint, jsonb, float8[], float8, integer, boolean, bigint, bigint) IS
'internal: rows [slice_start, slice_start + slice_rows) of a dataset with the pipeline document (document_format 1 jsonb, 2 json, 0 none)';

CREATE FUNCTION @extschema@.synth_insert(
    target regclass DEFAULT 'training_prompts'::text::regclass,
    n bigint DEFAULT 1000,
    seed bigint DEFAULT NULL,
    priority integer DEFAULT 10,
    skip_if_present boolean DEFAULT false,
    domain_weights jsonb DEFAULT NULL,
    tier_shares float8[] DEFAULT '{0.25,0.5,0.25}',
    label_noise float8 DEFAULT 0.05,
    slice_start bigint DEFAULT 0,
    slice_rows bigint DEFAULT NULL,
    profile jsonb DEFAULT NULL)
RETURNS bigint
AS 'MODULE_PATHNAME', 'synth_insert'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@.synth_insert(regclass, bigint, bigint, integer, boolean, jsonb, float8[], float8, bigint, bigint, jsonb) IS
'inserts n generated rows into target (pipeline or flat layout), all or none, with the caller''s rights; '
'returns the rows inserted (0 when skip_if_present finds synthetic rows)';
-- The row source of synth_insert under a public name, for INSERT ... SELECT
-- forms synth_insert cannot write itself, such as a load that runs on every
-- node of a Citus cluster (README, "Loading at scale"). document_format 1 fills
-- enhancement_jsonb, 2 enhancement_json, 0 neither.
CREATE FUNCTION @extschema@.synth_rows(
    n bigint, seed bigint, domain_weights jsonb DEFAULT NULL,
    tier_shares float8[] DEFAULT '{0.25,0.5,0.25}', label_noise float8 DEFAULT 0.05,
    document_format integer DEFAULT 1, report_progress boolean DEFAULT false,
    slice_start bigint DEFAULT 0, slice_rows bigint DEFAULT NULL)
RETURNS SETOF @extschema@._synth_row
AS 'MODULE_PATHNAME', '_synth_rows'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL RESTRICTED SECURITY INVOKER
ROWS 1000;

COMMENT ON FUNCTION @extschema@.synth_rows(bigint, bigint, jsonb, float8[], float8, integer, boolean, bigint, bigint) IS
'rows [slice_start, slice_start + slice_rows) of a dataset as synth_insert writes them, with the pipeline document '
'(document_format 1 jsonb, 2 json, 0 none); for INSERT ... SELECT loads of your own';
-- END synth_insert

-- BEGIN synth_validate
-- The target default is cast through text so the name is resolved at each
-- call (in the caller's search_path), not once when the extension is created.
CREATE FUNCTION @extschema@.synth_validate(
    target regclass DEFAULT 'training_prompts'::text::regclass,
    data_source text DEFAULT NULL,
    only_active boolean DEFAULT true,
    dimension integer DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'synth_validate'
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY INVOKER
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@.synth_validate(regclass, text, boolean, integer) IS
'quality report of a training table as jsonb, judging rows by the given feature dimension or the table''s most common: rows the ML gate drops (by reason), score and feature statistics, tiers, domains, correlations, label signal, distinct prompts, and every check with its threshold; reads with the caller''s rights';

CREATE FUNCTION @extschema@.synth_report(
    target regclass DEFAULT 'training_prompts'::text::regclass,
    data_source text DEFAULT NULL,
    only_active boolean DEFAULT true,
    dimension integer DEFAULT NULL)
RETURNS SETOF text
AS 'MODULE_PATHNAME', 'synth_report'
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY INVOKER
ROWS 60
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@.synth_report(regclass, text, boolean, integer) IS
'the synth_validate report as a page of text for psql (80 columns): histograms, domains and a list of checks';
-- END synth_validate

-- BEGIN synth_compare
CREATE FUNCTION @extschema@.synth_compare(
    "real" regclass,
    synthetic regclass DEFAULT NULL,
    holdout regclass DEFAULT NULL,
    bootstrap integer DEFAULT 200,
    seed bigint DEFAULT 0)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'synth_compare'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL RESTRICTED SECURITY INVOKER
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@.synth_compare(regclass, regclass, regclass, integer, bigint) IS
'how close synthetic rows are to real ones, as jsonb: SDMetrics'' quality scores (column shapes, column pair trends), '
'a detection score, train-synthetic-test-real efficacy and privacy distances, each with a 95% bootstrap interval; '
'without synthetic, compares the data_source = ''real'' and ''synthetic'' rows of one table; reads with the caller''s rights';

CREATE FUNCTION @extschema@.synth_compare_report(
    "real" regclass,
    synthetic regclass DEFAULT NULL,
    holdout regclass DEFAULT NULL,
    bootstrap integer DEFAULT 200,
    seed bigint DEFAULT 0)
RETURNS SETOF text
AS 'MODULE_PATHNAME', 'synth_compare_report'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL RESTRICTED SECURITY INVOKER
ROWS 40
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@.synth_compare_report(regclass, regclass, regclass, integer, bigint) IS
'the synth_compare report as a page of text for psql (80 columns): real and synthetic side by side per column, the worst pairs, detection, efficacy, privacy and a verdict';
-- END synth_compare
