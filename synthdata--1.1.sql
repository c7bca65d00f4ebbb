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
    slice_rows bigint DEFAULT NULL,
    profile jsonb DEFAULT NULL)
RETURNS TABLE (sample_id bigint, domain text, tier text, original_prompt text,
               enhanced_prompt text, feature_vector float8[], effectiveness_score float8)
AS 'MODULE_PATHNAME', 'synth_generate'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL RESTRICTED SECURITY INVOKER
ROWS 1000;

COMMENT ON FUNCTION @extschema@.synth_generate(bigint, bigint, jsonb, float8[], float8, bigint, bigint, jsonb) IS
'rows sample_id in [slice_start, slice_start + slice_rows) of the dataset defined by (n, seed, options); '
'a row is a pure function of (seed, n, options, profile, sample_id); a NULL seed draws a fresh one; '
'with a profile (from synth_fit) rows follow it instead of the design table';
-- END synth_generate

-- BEGIN synth_insert
-- The row source of synth_insert (internal; its arguments are checked like synth_generate's).
CREATE TYPE @extschema@._synth_row AS (
    sample_id bigint, domain text, tier text, original_prompt text, enhanced_prompt text,
    feature_vector float8[], effectiveness_score float8,
    enhancement_jsonb jsonb, enhancement_json json);

CREATE FUNCTION @extschema@._synth_rows(
    n bigint, seed bigint, domain_weights jsonb, tier_shares float8[], label_noise float8,
    document_format integer, report_progress boolean, slice_start bigint, slice_rows bigint,
    profile jsonb DEFAULT NULL)
RETURNS SETOF @extschema@._synth_row
AS 'MODULE_PATHNAME', '_synth_rows'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL RESTRICTED SECURITY INVOKER
ROWS 1000;

COMMENT ON FUNCTION @extschema@._synth_rows(bigint, bigint, jsonb, float8[], float8, integer, boolean, bigint, bigint, jsonb) IS
'internal: rows [slice_start, slice_start + slice_rows) of a dataset with the pipeline document (document_format 1 jsonb, 2 json, 0 none), from a profile when one is given';

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
    slice_start bigint DEFAULT 0, slice_rows bigint DEFAULT NULL, profile jsonb DEFAULT NULL)
RETURNS SETOF @extschema@._synth_row
AS 'MODULE_PATHNAME', '_synth_rows'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL RESTRICTED SECURITY INVOKER
ROWS 1000;

COMMENT ON FUNCTION @extschema@.synth_rows(bigint, bigint, jsonb, float8[], float8, integer, boolean, bigint, bigint, jsonb) IS
'rows [slice_start, slice_start + slice_rows) of a dataset as synth_insert writes them, with the pipeline document '
'(document_format 1 jsonb, 2 json, 0 none), drawn from profile (a synth_fit profile) when one is given; '
'for INSERT ... SELECT loads of your own';

-- One row of a dataset per call: the row synth_rows (and synth_insert) makes
-- for sample_id, a function of its arguments (a seed is required) and of the
-- transaction's start time, which the document carries: hence STABLE, not
-- IMMUTABLE. It keeps its sampler between calls, so an INSERT ... SELECT
-- over a table of ids costs about what synth_rows does. Citus pushes such an
-- INSERT ... SELECT down to the shards when the ids come from a table
-- colocated with the target: every worker generates and inserts its own rows
-- (README, "Loading at scale"; examples/citus_load.sql).
CREATE FUNCTION @extschema@.synth_row(
    n bigint, seed bigint, sample_id bigint, domain_weights jsonb DEFAULT NULL,
    tier_shares float8[] DEFAULT '{0.25,0.5,0.25}', label_noise float8 DEFAULT 0.05,
    document_format integer DEFAULT 1, profile jsonb DEFAULT NULL)
RETURNS @extschema@._synth_row
AS 'MODULE_PATHNAME', '_synth_row'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE SECURITY INVOKER;

COMMENT ON FUNCTION @extschema@.synth_row(bigint, bigint, bigint, jsonb, float8[], float8, integer, jsonb) IS
'row sample_id of a dataset as synth_rows and synth_insert make it (document_format 1 jsonb, 2 json, 0 none), '
'drawn from profile when one is given; a function of its arguments and the transaction start, for INSERT ... SELECT loads over a table of ids';
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

-- BEGIN synth_fit
CREATE FUNCTION @extschema@.synth_fit(
    source regclass DEFAULT 'training_prompts'::text::regclass,
    data_source text DEFAULT 'real',
    only_active boolean DEFAULT true)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'synth_fit'
LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY INVOKER
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@.synth_fit(regclass, text, boolean) IS
'a profile of the real rows of source (pipeline or flat layout), read with the caller''s rights: per domain, '
'marginals of every feature and of the score, score-band shares and a Gaussian copula; pass it to '
'synth_generate or synth_insert as profile; the same rows in any order give the same profile';

CREATE FUNCTION @extschema@.synth_profile_hash(profile jsonb)
RETURNS text
AS 'MODULE_PATHNAME', 'synth_profile_hash'
LANGUAGE C STABLE STRICT PARALLEL SAFE SECURITY INVOKER;

COMMENT ON FUNCTION @extschema@.synth_profile_hash(jsonb) IS
'the content hash (32 hex digits) of a profile''s canonical form, as fitted rows name it in metadata.profile_hash';

-- Every profile synth_insert used, so a row's metadata (seed, n, sample_id,
-- profile_hash) regenerates it. pg_dump carries the rows. Callers cannot
-- write the table: they store a profile through _synth_keep_profile, which
-- validates it and computes its hash itself, so no row can claim a hash its
-- profile does not have. Reading is for the owner and whom it grants, since
-- a profile describes real rows (quantiles of every column).
CREATE TABLE @extschema@.synth_profiles (
    profile_hash text PRIMARY KEY,
    profile jsonb NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT pg_catalog.now());
SELECT pg_catalog.pg_extension_config_dump('@extschema@.synth_profiles', '');
REVOKE ALL ON @extschema@.synth_profiles FROM PUBLIC;

COMMENT ON TABLE @extschema@.synth_profiles IS
'profiles used by synth_insert, by content hash (metadata.profile_hash of each fitted row)';

CREATE FUNCTION @extschema@._synth_keep_profile(profile jsonb)
RETURNS text
LANGUAGE sql VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  INSERT INTO @extschema@.synth_profiles (profile_hash, profile)
  VALUES (@extschema@.synth_profile_hash($1), $1)
  ON CONFLICT (profile_hash) DO NOTHING;
  SELECT @extschema@.synth_profile_hash($1);
$$;

COMMENT ON FUNCTION @extschema@._synth_keep_profile(jsonb) IS
'internal: stores a validated profile in synth_profiles under the hash it computes; returns the hash';
-- END synth_fit

-- BEGIN synth_refresh
-- The last refresh of each table: what it saw and what it wrote. A caller
-- sees and writes only the rows of tables it may UPDATE (row-level
-- security), since synth_refresh runs with the caller's rights.
CREATE TABLE @extschema@.synth_refreshes (
    target regclass PRIMARY KEY,
    real_rows bigint NOT NULL,
    real_rows_hash text NOT NULL,
    synthetic_rows bigint NOT NULL,
    profile_hash text,
    seed bigint NOT NULL,
    refreshed_at timestamptz NOT NULL DEFAULT pg_catalog.now());
SELECT pg_catalog.pg_extension_config_dump('@extschema@.synth_refreshes', '');
ALTER TABLE @extschema@.synth_refreshes ENABLE ROW LEVEL SECURITY;
CREATE POLICY synth_refreshes_of_writable_tables ON @extschema@.synth_refreshes
    USING (pg_catalog.has_table_privilege(target, 'UPDATE'))
    WITH CHECK (pg_catalog.has_table_privilege(target, 'UPDATE'));
GRANT SELECT, INSERT, UPDATE ON @extschema@.synth_refreshes TO PUBLIC;

COMMENT ON TABLE @extschema@.synth_refreshes IS
'the last synth_refresh of each table: real rows seen (count and hash), synthetic rows written, profile and seed';

-- synth_refresh's one read of the real rows (internal).
CREATE FUNCTION @extschema@._synth_fit_real_rows(
    target regclass, fit_min_rows bigint,
    OUT real_rows bigint, OUT real_rows_hash text, OUT profile jsonb)
AS 'MODULE_PATHNAME', '_synth_fit_real_rows'
LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED SECURITY INVOKER
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@._synth_fit_real_rows(regclass, bigint) IS
'internal (synth_refresh): one read of the active real rows of target with the caller''s rights: their count, '
'an order-free digest of what was read from them (domain, features, score, prompt, feature names), and the '
'profile synth_fit would return, when there are at least fit_min_rows of them (else NULL)';

CREATE FUNCTION @extschema@.synth_refresh(
    target regclass DEFAULT 'training_prompts'::text::regclass,
    min_rows bigint DEFAULT 1000,
    synthetic_ratio float8 DEFAULT 0.3,
    seed bigint DEFAULT NULL,
    fit_min_rows bigint DEFAULT 10,
    priority integer DEFAULT 10)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  real_count bigint;
  real_hash text;
  wanted bigint;
  last record;
  fitted jsonb;
  fitted_hash text;
  batch_seed bigint;
  deactivated bigint := 0;
  inserted bigint := 0;
  stamp text := '';
  quality jsonb;
BEGIN
  IF target IS NULL THEN
    RAISE EXCEPTION 'target must not be NULL' USING ERRCODE = '22004',
      HINT = 'Name the training table, e.g. target => ''training_prompts''.';
  END IF;
  IF min_rows IS NULL OR min_rows < 0 THEN
    RAISE EXCEPTION 'min_rows must be a non-negative number, got %', min_rows USING ERRCODE = '22023';
  END IF;
  IF synthetic_ratio IS NULL OR NOT (synthetic_ratio >= 0 AND synthetic_ratio <= 100) THEN
    RAISE EXCEPTION 'synthetic_ratio must lie in [0, 100], got %', synthetic_ratio USING ERRCODE = '22023',
      HINT = 'The pipeline reads about 0.3 synthetic rows per real row.';
  END IF;
  IF fit_min_rows IS NULL OR fit_min_rows < 10 THEN
    RAISE EXCEPTION 'fit_min_rows must be at least 10, got %', fit_min_rows USING ERRCODE = '22023',
      DETAIL = 'synth_fit needs at least 10 real rows.';
  END IF;
  -- The lock the UPDATE and INSERT below take anyway, taken before the
  -- catalog is read: a concurrent ALTER TABLE either committed before these
  -- looks at its columns or waits until this transaction ends.
  EXECUTE pg_catalog.format('LOCK TABLE %s IN ROW EXCLUSIVE MODE', target);
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = target AND a.attname = 'data_source' AND NOT a.attisdropped)
     OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = target AND a.attname = 'is_active' AND NOT a.attisdropped) THEN
    RAISE EXCEPTION 'synth_refresh needs data_source and is_active columns in "%"', target USING ERRCODE = '42703',
      DETAIL = 'It tells real rows from synthetic ones by data_source and retires synthetic rows with is_active = false.',
      HINT = 'Use synth_insert for tables without them.';
  END IF;

  -- One refresh per table at a time; whoever waited sees the winner's
  -- commit in its next statement (READ COMMITTED) and finds nothing to do.
  -- Under REPEATABLE READ or SERIALIZABLE the loser fails with 40001 instead.
  PERFORM pg_catalog.pg_advisory_xact_lock(1398361685, target::oid::integer);  -- 'SYNU'

  -- One read of the real rows gives their count, a digest of what a fit
  -- reads from them, and (with enough of them) the profile: all from one
  -- snapshot, so the rows counted are the rows fitted.
  SELECT f.real_rows, f.real_rows_hash, f.profile INTO real_count, real_hash, fitted
  FROM @extschema@._synth_fit_real_rows(target, fit_min_rows) f;
  wanted := greatest(min_rows - real_count, ceil(synthetic_ratio * real_count)::bigint, 0);

  SELECT * INTO last FROM @extschema@.synth_refreshes r WHERE r.target = synth_refresh.target FOR UPDATE;
  IF FOUND AND last.real_rows = real_count AND last.real_rows_hash = real_hash AND last.synthetic_rows = wanted
     AND (synth_refresh.seed IS NULL OR last.seed = synth_refresh.seed) THEN
    RETURN pg_catalog.jsonb_build_object(
      'refreshed', false, 'reason', 'the real rows and the synthetic size are unchanged since the last refresh',
      'real_rows', real_count, 'synthetic_rows', wanted, 'deactivated', 0, 'inserted', 0,
      'fitted', last.profile_hash IS NOT NULL, 'profile_hash', last.profile_hash, 'seed', last.seed,
      'quality_score', NULL, 'quality_note', 'no new batch');
  END IF;

  IF fitted IS NOT NULL THEN
    fitted_hash := @extschema@.synth_profile_hash(fitted);
  END IF;
  -- The same real rows give the same batch unless a seed is named.
  batch_seed := coalesce(synth_refresh.seed, pg_catalog.hashtextextended(real_hash, 0) & 9223372036854775807);

  IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = target AND a.attname = 'updated_at' AND NOT a.attisdropped) THEN
    stamp := stamp || ', updated_at = pg_catalog.now()';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = target AND a.attname = 'deleted_at' AND NOT a.attisdropped) THEN
    stamp := stamp || ', deleted_at = pg_catalog.now()';
  END IF;
  EXECUTE pg_catalog.format(
    'UPDATE %s SET is_active = false%s WHERE data_source::text OPERATOR(pg_catalog.=) ''synthetic'' AND is_active',
    target, stamp);
  GET DIAGNOSTICS deactivated = ROW_COUNT;

  IF wanted > 0 THEN
    inserted := @extschema@.synth_insert(target, wanted, batch_seed, priority, profile => fitted);
  END IF;

  -- The new batch (the only active synthetic rows now) against the active
  -- real rows, by synth_compare's quality score; without bootstrap
  -- intervals, which a refresh does not need. Needs the fit's minimum of
  -- real rows to mean anything.
  IF inserted > 0 AND real_count >= 10 THEN
    quality := @extschema@.synth_compare(target, bootstrap => 0);
  END IF;

  INSERT INTO @extschema@.synth_refreshes AS r (target, real_rows, real_rows_hash, synthetic_rows, profile_hash, seed)
  VALUES (synth_refresh.target, real_count, real_hash, wanted, fitted_hash, batch_seed)
  ON CONFLICT ON CONSTRAINT synth_refreshes_pkey DO UPDATE
    SET real_rows = excluded.real_rows, real_rows_hash = excluded.real_rows_hash,
        synthetic_rows = excluded.synthetic_rows, profile_hash = excluded.profile_hash,
        seed = excluded.seed, refreshed_at = pg_catalog.now();

  RETURN pg_catalog.jsonb_build_object(
    'refreshed', true, 'real_rows', real_count, 'synthetic_rows', wanted,
    'deactivated', deactivated, 'inserted', inserted,
    'fitted', fitted IS NOT NULL, 'profile_hash', fitted_hash, 'seed', batch_seed,
    'quality_score', (quality->'quality'->>'score')::float8,
    'quality_note', CASE WHEN quality IS NOT NULL THEN 'synth_compare quality score of the new batch against the real rows'
                         WHEN inserted = 0 THEN 'no new batch'
                         ELSE 'fewer than 10 real rows to compare against' END);
END
$$;

COMMENT ON FUNCTION @extschema@.synth_refresh(regclass, bigint, float8, bigint, bigint, integer) IS
'keeps the synthetic rows of target matched to its real rows, in one transaction: fits the active real rows '
'(design table below fit_min_rows), retires the earlier synthetic rows and inserts max(min_rows - R, '
'ceil(synthetic_ratio * R)) new ones; one refresh at a time per table, a no-op when nothing changed';
-- END synth_refresh
