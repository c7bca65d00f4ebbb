-- synthdata 1.3: synthetic training rows for prompt-improvement pipelines.
\echo Use "CREATE EXTENSION synthdata" to load this file. \quit

CREATE FUNCTION @extschema@.synth_version()
RETURNS jsonb
AS 'MODULE_PATHNAME', 'synth_version'
LANGUAGE C STABLE STRICT PARALLEL SAFE SECURITY INVOKER;

COMMENT ON FUNCTION @extschema@.synth_version() IS
'extension version and generator version; rows change only when generator_version changes';

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
    document_format text, report_progress boolean, slice_start bigint, slice_rows bigint,
    profile jsonb DEFAULT NULL)
RETURNS SETOF @extschema@._synth_row
AS 'MODULE_PATHNAME', '_synth_rows'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL RESTRICTED SECURITY INVOKER
ROWS 1000;

COMMENT ON FUNCTION @extschema@._synth_rows(bigint, bigint, jsonb, float8[], float8, text, boolean, bigint, bigint, jsonb) IS
'internal: rows [slice_start, slice_start + slice_rows) of a dataset with the pipeline document (document_format ''jsonb'', ''json'' or ''none''), from a profile when one is given';

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
-- node of a Citus cluster (README, "Loading at scale"). document_format 'jsonb'
-- fills enhancement_jsonb, 'json' enhancement_json, 'none' neither.
CREATE FUNCTION @extschema@.synth_rows(
    n bigint, seed bigint, domain_weights jsonb DEFAULT NULL,
    tier_shares float8[] DEFAULT '{0.25,0.5,0.25}', label_noise float8 DEFAULT 0.05,
    document_format text DEFAULT 'jsonb', report_progress boolean DEFAULT false,
    slice_start bigint DEFAULT 0, slice_rows bigint DEFAULT NULL, profile jsonb DEFAULT NULL)
RETURNS SETOF @extschema@._synth_row
AS 'MODULE_PATHNAME', '_synth_rows'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL RESTRICTED SECURITY INVOKER
ROWS 1000;

COMMENT ON FUNCTION @extschema@.synth_rows(bigint, bigint, jsonb, float8[], float8, text, boolean, bigint, bigint, jsonb) IS
'rows [slice_start, slice_start + slice_rows) of a dataset as synth_insert writes them, with the pipeline document '
'(document_format ''jsonb'', ''json'' or ''none''), drawn from profile (a synth_fit profile) when one is given; '
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
    document_format text DEFAULT 'jsonb', profile jsonb DEFAULT NULL)
RETURNS @extschema@._synth_row
AS 'MODULE_PATHNAME', '_synth_row'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE SECURITY INVOKER;

COMMENT ON FUNCTION @extschema@.synth_row(bigint, bigint, bigint, jsonb, float8[], float8, text, jsonb) IS
'row sample_id of a dataset as synth_rows and synth_insert make it (document_format ''jsonb'', ''json'' or ''none''), '
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
    source regclass,
    synthetic regclass DEFAULT NULL,
    holdout regclass DEFAULT NULL,
    bootstrap integer DEFAULT 200,
    seed bigint DEFAULT 0,
    real_sources text[] DEFAULT NULL,
    augment_ratio float8 DEFAULT 1.0)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'synth_compare'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL RESTRICTED SECURITY INVOKER
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@.synth_compare(regclass, regclass, regclass, integer, bigint, text[], float8) IS
'how close synthetic rows are to real ones, as jsonb: SDMetrics'' quality scores (column shapes, column pair trends), '
'a detection score, train-synthetic-test-real efficacy and privacy distances, each with a 95% bootstrap interval; '
'the real rows of source (and holdout) are those whose data_source is in real_sources, by default every data_source '
'but ''synthetic'' (every row of a table without data_source); without synthetic, compares them with the '
'data_source = ''synthetic'' rows of source; with a holdout, also the synthetic rows against it beside the ceiling '
'(the real rows against it) and augmentation (a model trained on the real rows alone and with synthetic ones at '
'the loader''s 0.3 and at augment_ratio per real row, scored on the holdout); reads with the caller''s rights';

CREATE FUNCTION @extschema@.synth_compare_report(
    source regclass,
    synthetic regclass DEFAULT NULL,
    holdout regclass DEFAULT NULL,
    bootstrap integer DEFAULT 200,
    seed bigint DEFAULT 0,
    real_sources text[] DEFAULT NULL,
    augment_ratio float8 DEFAULT 1.0)
RETURNS SETOF text
AS 'MODULE_PATHNAME', 'synth_compare_report'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL RESTRICTED SECURITY INVOKER
ROWS 40
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@.synth_compare_report(regclass, regclass, regclass, integer, bigint, text[], float8) IS
'the synth_compare report as a page of text for psql (80 columns): real and synthetic side by side per column, the worst pairs, detection, efficacy, privacy, with a holdout the ceiling and augmentation, and a verdict';
-- END synth_compare

-- BEGIN synth_fit
-- data_source => 'x' is the older spelling of real_sources => '{x}'.
CREATE FUNCTION @extschema@.synth_fit(
    source regclass DEFAULT 'training_prompts'::text::regclass,
    data_source text DEFAULT NULL,
    only_active boolean DEFAULT true,
    real_sources text[] DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'synth_fit'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL RESTRICTED SECURITY INVOKER
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@.synth_fit(regclass, text, boolean, text[]) IS
'a profile of the real rows of source (pipeline or flat layout), read with the caller''s rights: per domain, '
'marginals of every feature and of the score, score-band shares and a Gaussian copula; pass it to '
'synth_generate or synth_insert as profile; the same rows in any order give the same profile; the real rows are '
'those whose data_source is in real_sources (data_source => ''x'' is real_sources => ''{x}''), by default every '
'data_source but ''synthetic'' (every row of a table without data_source)';

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

-- Stores a profile synth_insert used, under the hash it computes (which also
-- validates the profile), so no row can claim a hash its profile does not
-- have. Nobody but the owner may call it by SQL: synth_insert calls it
-- through the function manager from its own C code, and only for a target
-- that outlives the session (not a temporary table). A kept profile holds
-- at most 64 MB as text; the largest synth_fit makes is about 44 MB.
CREATE FUNCTION @extschema@._synth_keep_profile(profile jsonb)
RETURNS text
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  bytes bigint := pg_catalog.octet_length($1::text);
  kept_hash text;
BEGIN
  IF bytes > 67108864 THEN
    RAISE EXCEPTION 'profile is too large to keep: % bytes as text, synth_profiles keeps at most 67108864 (64 MB)', bytes
      USING ERRCODE = '54000',
            DETAIL = 'The largest profile synth_fit makes (64 features, 256 domains) is about 44 MB.',
            HINT = 'Pass a profile synth_fit made.';
  END IF;
  kept_hash := @extschema@.synth_profile_hash($1);
  INSERT INTO @extschema@.synth_profiles AS p (profile_hash, profile)
  VALUES (kept_hash, $1)
  ON CONFLICT (profile_hash) DO NOTHING;
  RETURN kept_hash;
END
$$;
REVOKE ALL ON FUNCTION @extschema@._synth_keep_profile(jsonb) FROM PUBLIC;

COMMENT ON FUNCTION @extschema@._synth_keep_profile(jsonb) IS
'internal (synth_insert only, not executable by PUBLIC): stores a validated profile of at most 64 MB in synth_profiles under the hash it computes; returns the hash';
-- END synth_fit

-- BEGIN synth_refresh
-- The last refresh of each table: what it saw, what it wrote and the
-- settings it wrote with. A caller sees and writes only the rows of tables
-- it may UPDATE, at least in some column (row-level security: synth_refresh
-- runs with the caller's rights and needs UPDATE on is_active).
CREATE TABLE @extschema@.synth_refreshes (
    target regclass PRIMARY KEY,
    real_rows bigint NOT NULL,
    real_rows_hash text NOT NULL,
    synthetic_rows bigint NOT NULL,
    profile_hash text,
    seed bigint NOT NULL,
    refreshed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    fit_min_rows bigint,
    priority integer,
    generator_version integer);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.synth_refreshes', '');
ALTER TABLE @extschema@.synth_refreshes ENABLE ROW LEVEL SECURITY;
CREATE POLICY synth_refreshes_of_writable_tables ON @extschema@.synth_refreshes
    USING (pg_catalog.has_any_column_privilege(target, 'UPDATE'))
    WITH CHECK (pg_catalog.has_any_column_privilege(target, 'UPDATE'));
GRANT SELECT, INSERT, UPDATE ON @extschema@.synth_refreshes TO PUBLIC;

COMMENT ON TABLE @extschema@.synth_refreshes IS
'the last synth_refresh of each table: real rows seen (count and hash), synthetic rows written, profile, seed and the settings the batch depends on';

-- Every refresh that changed something, numbered per table: what it
-- counted and wrote, and the quality of its batch, for the trend
-- (synth_refresh_history) and for telling retired batches apart (by their
-- seed and size, metadata.seed and metadata.n of their rows). synth_refreshes
-- keeps the last of them, which the no-op test reads. Rows of a table are
-- seen and written by whoever may UPDATE it, at least in some column, as in
-- synth_refreshes.
CREATE TABLE @extschema@.synth_refresh_log (
    target regclass NOT NULL,
    refresh_number bigint NOT NULL,
    refreshed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    real_rows bigint NOT NULL,
    real_sources text NOT NULL,
    synthetic_rows bigint NOT NULL,
    inserted bigint NOT NULL,
    deactivated bigint NOT NULL,
    deleted_retired bigint NOT NULL,
    source text NOT NULL,
    profile_hash text,
    seed bigint NOT NULL,
    quality_score float8,
    reason text NOT NULL,
    PRIMARY KEY (target, refresh_number));
SELECT pg_catalog.pg_extension_config_dump('@extschema@.synth_refresh_log', '');
ALTER TABLE @extschema@.synth_refresh_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY synth_refresh_log_of_writable_tables ON @extschema@.synth_refresh_log
    USING (pg_catalog.has_any_column_privilege(target, 'UPDATE'))
    WITH CHECK (pg_catalog.has_any_column_privilege(target, 'UPDATE'));
GRANT SELECT, INSERT ON @extschema@.synth_refresh_log TO PUBLIC;

COMMENT ON TABLE @extschema@.synth_refresh_log IS
'every synth_refresh that changed something, numbered per table: real rows and the sources counted, synthetic rows, '
'rows inserted, retired and deleted, profile, seed, quality score of the batch, time and reason';

CREATE FUNCTION @extschema@.synth_refresh_history(target regclass DEFAULT 'training_prompts'::text::regclass)
RETURNS TABLE (refresh_number bigint, refreshed_at timestamptz, real_rows bigint, real_sources text,
               synthetic_rows bigint, inserted bigint, deactivated bigint, deleted_retired bigint,
               source text, profile_hash text, quality_score float8, quality_change float8, reason text)
LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT h.refresh_number, h.refreshed_at, h.real_rows, h.real_sources, h.synthetic_rows, h.inserted,
         h.deactivated, h.deleted_retired, h.source, h.profile_hash, h.quality_score,
         h.quality_score OPERATOR(pg_catalog.-)
           pg_catalog.lag(h.quality_score) OVER (ORDER BY h.refresh_number),
         h.reason
  FROM @extschema@.synth_refresh_log h
  WHERE h.target OPERATOR(pg_catalog.=) $1
  ORDER BY h.refresh_number
$$;

COMMENT ON FUNCTION @extschema@.synth_refresh_history(regclass) IS
'every refresh of target that changed something, oldest first: real rows and the sources counted, synthetic rows, '
'rows inserted, retired and deleted, profile, the batch''s quality score and its change from the refresh before, time and reason';

-- Deletes the retired synthetic rows of target (data_source = 'synthetic',
-- is_active false) but those of the keep most recent retired batches in
-- synth_refresh_log (a batch is its seed and size: metadata.seed and
-- metadata.n of its rows), never the batch active_seed/active_n (the active
-- one) among them. keep = 0 deletes every retired synthetic row; with keep >
-- 0, rows whose batch cannot be told (no json document with metadata.seed)
-- are kept. Returns the rows deleted. Real and active rows are never touched.
CREATE FUNCTION @extschema@._synth_delete_retired(target regclass, keep integer, active_seed bigint, active_n bigint)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  seeds bigint[];
  sizes bigint[];
  has_document boolean;
  batch_test text := '';
  deleted bigint;
BEGIN
  IF keep > 0 THEN
    SELECT coalesce(pg_catalog.array_agg(k.seed ORDER BY k.latest DESC), '{}'),
           coalesce(pg_catalog.array_agg(k.n ORDER BY k.latest DESC), '{}')
    INTO seeds, sizes
    FROM (SELECT h.seed, h.synthetic_rows AS n, pg_catalog.max(h.refresh_number) AS latest
          FROM @extschema@.synth_refresh_log h
          WHERE h.target OPERATOR(pg_catalog.=) $1 AND h.inserted OPERATOR(pg_catalog.>) 0
            AND (h.seed, h.synthetic_rows) IS DISTINCT FROM (active_seed, active_n)
          GROUP BY h.seed, h.synthetic_rows
          ORDER BY latest DESC
          LIMIT keep) k;
    SELECT EXISTS (
      SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid
      WHERE a.attrelid OPERATOR(pg_catalog.=) $1 AND a.attname OPERATOR(pg_catalog.=) 'enhancement_result'
        AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
        AND (CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'd' THEN t.typbasetype ELSE t.oid END)
            IN ('pg_catalog.json'::pg_catalog.regtype, 'pg_catalog.jsonb'::pg_catalog.regtype))
    INTO has_document;
    IF NOT has_document THEN
      RETURN 0;
    END IF;
    batch_test := ' AND (enhancement_result OPERATOR(pg_catalog.->) ''metadata'' OPERATOR(pg_catalog.->>) ''seed'') IS NOT NULL'
      || ' AND NOT EXISTS (SELECT 1 FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) AS k (seed, n)'
      || ' WHERE k.seed::pg_catalog.text OPERATOR(pg_catalog.=) (enhancement_result OPERATOR(pg_catalog.->) ''metadata'' OPERATOR(pg_catalog.->>) ''seed'')'
      || ' AND k.n::pg_catalog.text OPERATOR(pg_catalog.=) (enhancement_result OPERATOR(pg_catalog.->) ''metadata'' OPERATOR(pg_catalog.->>) ''n''))';
  END IF;
  EXECUTE pg_catalog.format(
    'DELETE FROM %s WHERE data_source::text OPERATOR(pg_catalog.=) ''synthetic'' AND is_active IS FALSE%s',
    $1::text, batch_test)
    USING seeds, sizes;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  RETURN deleted;
END
$$;

COMMENT ON FUNCTION @extschema@._synth_delete_retired(regclass, integer, bigint, bigint) IS
'internal (synth_refresh, synth_purge_retired): deletes the retired synthetic rows of target but those of the keep most '
'recent retired batches of synth_refresh_log; returns the rows deleted';

CREATE FUNCTION @extschema@.synth_purge_retired(
    target regclass DEFAULT 'training_prompts'::text::regclass,
    keep integer DEFAULT 0)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  latest_seed bigint;
  latest_size bigint;
  latest_inserted bigint;
BEGIN
  IF target IS NULL THEN
    RAISE EXCEPTION 'target must not be NULL' USING ERRCODE = '22004',
      HINT = 'Name the training table, e.g. target => ''training_prompts''.';
  END IF;
  IF keep IS NULL OR keep < 0 THEN
    RAISE EXCEPTION 'keep must be a non-negative number of retired batches, got %', keep USING ERRCODE = '22023',
      HINT = 'keep => 0 deletes every retired synthetic row.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) target) THEN
    RAISE EXCEPTION 'target of synth_purge_retired does not exist: no relation with OID %', target::oid USING ERRCODE = '42P01';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid OPERATOR(pg_catalog.=) target AND a.attname OPERATOR(pg_catalog.=) 'data_source' AND NOT a.attisdropped)
     OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid OPERATOR(pg_catalog.=) target AND a.attname OPERATOR(pg_catalog.=) 'is_active' AND NOT a.attisdropped) THEN
    RAISE EXCEPTION 'synth_purge_retired needs data_source and is_active columns in "%"', target USING ERRCODE = '42703',
      DETAIL = 'It deletes the rows synth_refresh retired: data_source = ''synthetic'' and is_active = false.';
  END IF;
  -- One refresh or purge per table at a time (synth_refresh's lock).
  PERFORM pg_catalog.pg_advisory_xact_lock(1398361685, target::oid::integer);
  -- The batch of the last refresh, if it wrote one, is the active one.
  SELECT h.seed, h.synthetic_rows, h.inserted INTO latest_seed, latest_size, latest_inserted
  FROM @extschema@.synth_refresh_log h WHERE h.target OPERATOR(pg_catalog.=) synth_purge_retired.target
  ORDER BY h.refresh_number DESC LIMIT 1;
  RETURN @extschema@._synth_delete_retired(target, keep,
    CASE WHEN latest_inserted > 0 THEN latest_seed END, CASE WHEN latest_inserted > 0 THEN latest_size END);
END
$$;

COMMENT ON FUNCTION @extschema@.synth_purge_retired(regclass, integer) IS
'deletes the retired synthetic rows of target (data_source = ''synthetic'', is_active false) but those of the keep most '
'recent retired batches synth_refresh recorded; keep => 0 (the default) deletes them all; never real or active rows; '
'returns the rows deleted';

-- synth_refresh's one read of the real rows (internal).
CREATE FUNCTION @extschema@._synth_fit_real_rows(
    target regclass, fit_min_rows bigint, real_sources text[],
    OUT real_rows bigint, OUT real_rows_hash text, OUT profile jsonb,
    OUT dimension integer, OUT unusable_rows bigint, OUT other_dimension_rows bigint, OUT fit_failure text,
    OUT counted text)
AS 'MODULE_PATHNAME', '_synth_fit_real_rows'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL RESTRICTED SECURITY INVOKER
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@._synth_fit_real_rows(regclass, bigint, text[]) IS
'internal (synth_refresh): one read of the active real rows of target (data_source in real_sources, by default '
'every data_source but ''synthetic'') with the caller''s rights, and which rows counted (counted): the usable rows '
'of the dominant feature dimension (most rows, the smaller on a tie) and that dimension, the rows the ML gate drops, '
'the usable rows of other dimensions, an order-free digest of everything read (domain, features, score, prompt, feature '
'names), and the profile synth_fit would return when there are at least fit_min_rows usable rows (else NULL; '
'fit_failure says why when the rows cannot make a profile)';

CREATE FUNCTION @extschema@.synth_refresh(
    target regclass DEFAULT 'training_prompts'::text::regclass,
    min_rows bigint DEFAULT 1000,
    synthetic_ratio float8 DEFAULT 0.3,
    seed bigint DEFAULT NULL,
    fit_min_rows bigint DEFAULT 10,
    priority integer DEFAULT 10,
    real_sources text[] DEFAULT NULL,
    keep_retired integer DEFAULT 2)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  design_dimension constant integer := 6;       -- the design table's feature dimension
  max_batch constant bigint := 1000000000000;   -- synth_insert's n at most (10^12)
  target_name text;
  real_count bigint;
  real_hash text;
  real_dimension integer;
  unusable bigint;
  other_dimension bigint;
  fit_failure text;
  wanted bigint;
  last record;
  fitted jsonb;
  fitted_hash text;
  batch_seed bigint;
  generator integer;
  active bigint;
  deactivated bigint := 0;
  inserted bigint := 0;
  stamp text;
  quality jsonb;
  quality_note text;
  insert_error text;
  changed boolean;
  had_last boolean;
  source text;
  reason text;
  skipped text := '';
  counted text;
  deleted_retired bigint := 0;
  retired_note text;
  refresh_number bigint;
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
  IF keep_retired < 0 THEN
    RAISE EXCEPTION 'keep_retired must be a non-negative number of retired batches, got %', keep_retired USING ERRCODE = '22023',
      HINT = 'keep_retired => NULL keeps every retired batch; synth_purge_retired deletes them later.';
  END IF;
  IF fit_min_rows IS NULL OR fit_min_rows < 10 THEN
    RAISE EXCEPTION 'fit_min_rows must be at least 10, got %', fit_min_rows USING ERRCODE = '22023',
      DETAIL = 'synth_fit needs at least 10 real rows.';
  END IF;
  -- A regclass may hold any OID (0, a dropped table's): its name is its
  -- number then, which no statement below could take.
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = target) THEN
    RAISE EXCEPTION 'target of synth_refresh does not exist: no relation with OID %', target::oid USING ERRCODE = '42P01',
      HINT = 'Name the training table, e.g. target => ''training_prompts''.';
  END IF;
  target_name := target::text;
  -- The lock the UPDATE and INSERT below take anyway, taken before the
  -- catalog is read: a concurrent ALTER TABLE either committed before these
  -- looks at its columns or waits until this transaction ends.
  EXECUTE pg_catalog.format('LOCK TABLE %s IN ROW EXCLUSIVE MODE', target_name);
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = target) THEN
    RAISE EXCEPTION 'target of synth_refresh (%) was dropped while synth_refresh waited for it', target_name
      USING ERRCODE = '42P01';
  END IF;
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

  -- One read of the real rows gives R (the usable rows of the dominant
  -- dimension), a digest of everything read, and (with at least
  -- fit_min_rows of them) the profile: all from one snapshot, so the rows
  -- counted are the rows fitted. What the rows hold never fails it.
  -- The real rows: data_source in real_sources, by default every
  -- data_source but 'synthetic' (synth_fit and synth_compare count alike).
  SELECT f.real_rows, f.real_rows_hash, f.profile, f.dimension, f.unusable_rows, f.other_dimension_rows, f.fit_failure,
         f.counted
  INTO real_count, real_hash, fitted, real_dimension, unusable, other_dimension, fit_failure, counted
  FROM @extschema@._synth_fit_real_rows(target, fit_min_rows, real_sources) f;
  IF unusable > 0 OR other_dimension > 0 THEN
    skipped := pg_catalog.format('; skipped %s of the real rows (%s the ML gate drops, %s of dimensions other than %s)',
                                 unusable + other_dimension, unusable, other_dimension, coalesce(real_dimension::text, 'none'));
  END IF;

  wanted := greatest(min_rows - real_count, ceil(synthetic_ratio * real_count)::bigint, 0);
  IF fitted IS NOT NULL THEN
    fitted_hash := @extschema@.synth_profile_hash(fitted);
    source := 'fitted';
    reason := pg_catalog.format('fitted the %s usable real rows of dimension %s', real_count, real_dimension);
  ELSIF real_count > 0 AND real_dimension <> design_dimension THEN
    -- The design table has 6 features: its rows would not match the real ones.
    source := 'none';
    wanted := 0;
    reason := pg_catalog.format(
      CASE WHEN fit_failure IS NOT NULL THEN 'the real rows cannot be fitted (%4$s), and '
           ELSE 'fewer usable real rows (%1$s) than fit_min_rows (%2$s), and ' END
      || 'their dimension %3$s is not the design table''s 6: no synthetic rows',
      real_count, fit_min_rows, real_dimension, fit_failure);
  ELSE
    source := 'design table';
    reason := CASE WHEN fit_failure IS NOT NULL
                   THEN pg_catalog.format('the real rows cannot be fitted (%s): the design table', fit_failure)
                   WHEN real_count = 0 THEN pg_catalog.format('no usable real rows (real rows: %s): the design table', counted)
                   ELSE pg_catalog.format('fewer usable real rows (%s) than fit_min_rows (%s): the design table',
                                          real_count, fit_min_rows) END;
  END IF;
  reason := reason || skipped;
  IF wanted > max_batch THEN
    RAISE EXCEPTION 'synth_refresh would insert % synthetic rows, more than the 10^12 one batch can hold', wanted
      USING ERRCODE = '54000',
            DETAIL = pg_catalog.format('S = max(min_rows - R, ceil(synthetic_ratio * R)) with min_rows = %s, synthetic_ratio = %s and R = %s usable real rows.',
                                       min_rows, synthetic_ratio, real_count),
            HINT = 'Lower min_rows or synthetic_ratio.';
  END IF;
  generator := (@extschema@.synth_version()->>'generator_version')::integer;

  -- A no-op when everything the batch depends on is as it was and the batch
  -- is still there: R, the digest of the real rows, S, the seed, the
  -- profile, fit_min_rows, priority and the generator.
  SELECT * INTO last FROM @extschema@.synth_refreshes r WHERE r.target = synth_refresh.target FOR UPDATE;
  had_last := FOUND;
  IF had_last AND last.real_rows = real_count AND last.real_rows_hash = real_hash AND last.synthetic_rows = wanted
     AND (synth_refresh.seed IS NULL OR last.seed = synth_refresh.seed)
     AND last.profile_hash IS NOT DISTINCT FROM fitted_hash
     AND last.fit_min_rows IS NOT DISTINCT FROM synth_refresh.fit_min_rows
     AND last.priority IS NOT DISTINCT FROM synth_refresh.priority
     AND last.generator_version IS NOT DISTINCT FROM generator THEN
    EXECUTE pg_catalog.format(
      'SELECT count(*) FROM %s WHERE data_source::text OPERATOR(pg_catalog.=) ''synthetic'' AND is_active IS NOT FALSE', target_name)
      INTO active;
    IF active = wanted THEN
      RETURN pg_catalog.jsonb_build_object(
        'refreshed', false,
        'reason', 'unchanged: the real rows, the synthetic size and the settings are those of the last refresh, whose batch is still active',
        'real_rows', real_count, 'unusable_rows', unusable, 'other_dimension_rows', other_dimension,
        'dimension', real_dimension, 'source', source, 'real_sources', counted,
        'synthetic_rows', wanted, 'deactivated', 0, 'inserted', 0, 'deleted_retired', 0,
        'fitted', last.profile_hash IS NOT NULL, 'profile_hash', last.profile_hash, 'seed', last.seed,
        'quality_score', NULL, 'quality_note', 'no new batch');
    END IF;
    reason := reason || pg_catalog.format('; the last batch is no longer all there (%s active synthetic rows, %s wanted)',
                                          active, wanted);
  END IF;

  -- The same real rows give the same batch unless a seed is named.
  batch_seed := coalesce(synth_refresh.seed, pg_catalog.hashtextextended(real_hash, 0) & 9223372036854775807);

  -- Retiring stamps updated_at and deleted_at where they hold a time the
  -- caller may set; other columns of those names are left alone.
  SELECT coalesce(pg_catalog.string_agg(pg_catalog.format(', %I = pg_catalog.now()', a.attname), '' ORDER BY a.attname DESC), '')
  INTO stamp
  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  WHERE a.attrelid = target AND a.attname IN ('updated_at', 'deleted_at') AND a.attnum > 0 AND NOT a.attisdropped
    AND a.attgenerated = ''
    AND (CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END)
        IN ('pg_catalog.timestamp'::pg_catalog.regtype, 'pg_catalog.timestamptz'::pg_catalog.regtype, 'pg_catalog.date'::pg_catalog.regtype)
    AND pg_catalog.has_column_privilege(target, a.attnum, 'UPDATE');
  EXECUTE pg_catalog.format(
    'UPDATE %s SET is_active = false%s WHERE data_source::text OPERATOR(pg_catalog.=) ''synthetic'' AND is_active IS NOT FALSE',
    target_name, stamp);
  GET DIAGNOSTICS deactivated = ROW_COUNT;

  IF wanted > 0 THEN
    BEGIN
      inserted := @extschema@.synth_insert(target, wanted, batch_seed, priority, profile => fitted);
    EXCEPTION WHEN invalid_parameter_value THEN
      -- synth_insert keeps a fitted batch out of a table whose other active
      -- rows (another data_source, or real rows the ML gate drops) are
      -- mostly of another dimension. That is what the table holds, not
      -- misuse: no synthetic rows, and the reason.
      GET STACKED DIAGNOSTICS insert_error = MESSAGE_TEXT;
      IF fitted IS NULL OR insert_error NOT LIKE 'the profile has % features but table % holds rows of %' THEN
        RAISE;
      END IF;
      source := 'none';
      wanted := 0;
      reason := pg_catalog.format(
        'the real rows have dimension %s, but most active rows of %s (other than synthetic ones) are of another: '
        'no synthetic rows (synth_insert: %s)', real_dimension, target_name, insert_error) || skipped;
    END;
  END IF;
  -- Exactly the new batch is active now, or a rule, trigger or policy on
  -- the table got in the way: one count tells, whichever way it went.
  EXECUTE pg_catalog.format(
    'SELECT count(*) FROM %s WHERE data_source::text OPERATOR(pg_catalog.=) ''synthetic'' AND is_active IS NOT FALSE', target_name)
    INTO active;
  IF active > wanted THEN
    RAISE EXCEPTION 'synth_refresh could not retire the earlier synthetic rows of %: % active synthetic rows where its batch has %',
                    target_name, active, wanted
      USING ERRCODE = '55000',
            DETAIL = 'Its UPDATE ... SET is_active = false reported ' || deactivated || ' rows; a rule, trigger or row-level security policy on the table kept others active.',
            HINT = 'Let the refresh''s UPDATE of is_active on data_source = ''synthetic'' rows take effect (no DO INSTEAD rule on UPDATE).';
  ELSIF active < wanted THEN
    RAISE EXCEPTION 'synth_refresh inserted a batch of % synthetic rows into %, but % active synthetic rows are there afterwards',
                    wanted, target_name, active
      USING ERRCODE = '55000',
            DETAIL = 'A trigger or rule on the table dropped, relabelled or deactivated rows of the batch (data_source ''synthetic'', is_active true).',
            HINT = 'Let the rows synth_insert writes keep data_source = ''synthetic'' and is_active = true.';
  END IF;

  -- The new batch (the only active synthetic rows now) against the active
  -- real rows, by synth_compare's quality score; without bootstrap
  -- intervals, which a refresh does not need. Needs the fit's minimum of
  -- real rows to mean anything. Rows it cannot compare (feature names the
  -- fit could not take, say) leave the score out, with the reason.
  IF inserted > 0 AND real_count >= 10 THEN
    BEGIN
      quality := @extschema@.synth_compare(target, bootstrap => 0, real_sources => synth_refresh.real_sources);
      quality_note := 'synth_compare quality score of the new batch against the real rows';
    EXCEPTION WHEN data_exception OR program_limit_exceeded OR undefined_column THEN
      quality_note := 'synth_compare could not score the batch: ' || SQLERRM;
    END;
  ELSE
    quality_note := CASE WHEN inserted = 0 THEN 'no new batch' ELSE 'fewer than 10 real rows to compare against' END;
  END IF;

  -- Nothing retired, nothing inserted and the record as it was (a batch
  -- withheld again for the same reason): nothing was refreshed.
  changed := deactivated > 0 OR inserted > 0 OR NOT had_last
             OR (last.real_rows, last.real_rows_hash, last.synthetic_rows, last.profile_hash, last.seed,
                 last.fit_min_rows, last.priority, last.generator_version)
                IS DISTINCT FROM (real_count, real_hash, wanted, fitted_hash, batch_seed,
                                  synth_refresh.fit_min_rows, synth_refresh.priority, generator);
  -- The retired rows beyond the last keep_retired retired batches go: a
  -- bounded table by default (NULL keeps them all). Without DELETE on the
  -- table they stay, and the result says so.
  IF changed AND keep_retired IS NOT NULL THEN
    IF pg_catalog.has_table_privilege(target, 'DELETE') THEN
      deleted_retired := @extschema@._synth_delete_retired(target, keep_retired,
        CASE WHEN inserted > 0 THEN batch_seed END, CASE WHEN inserted > 0 THEN wanted END);
    ELSE
      retired_note := 'retired rows kept: no DELETE privilege on ' || target_name;
    END IF;
  END IF;
  -- The last refresh first: under REPEATABLE READ or SERIALIZABLE a caller
  -- that waited for another refresh of the table fails here with 40001, as
  -- the retry rule expects, before it numbers its entry in the log.
  INSERT INTO @extschema@.synth_refreshes AS r
    (target, real_rows, real_rows_hash, synthetic_rows, profile_hash, seed, fit_min_rows, priority, generator_version)
  VALUES (synth_refresh.target, real_count, real_hash, wanted, fitted_hash, batch_seed,
          synth_refresh.fit_min_rows, synth_refresh.priority, generator)
  ON CONFLICT ON CONSTRAINT synth_refreshes_pkey DO UPDATE
    SET real_rows = excluded.real_rows, real_rows_hash = excluded.real_rows_hash,
        synthetic_rows = excluded.synthetic_rows, profile_hash = excluded.profile_hash,
        seed = excluded.seed, fit_min_rows = excluded.fit_min_rows, priority = excluded.priority,
        generator_version = excluded.generator_version, refreshed_at = pg_catalog.now();
  IF changed THEN
    SELECT coalesce(pg_catalog.max(h.refresh_number), 0) + 1 INTO refresh_number
    FROM @extschema@.synth_refresh_log h WHERE h.target = synth_refresh.target;
    INSERT INTO @extschema@.synth_refresh_log
      (target, refresh_number, real_rows, real_sources, synthetic_rows, inserted, deactivated, deleted_retired,
       source, profile_hash, seed, quality_score, reason)
    VALUES (synth_refresh.target, refresh_number, real_count, counted, wanted, inserted, deactivated, deleted_retired,
            source, fitted_hash, batch_seed, (quality->'quality'->>'score')::float8, reason);
  END IF;

  -- Anything but a plain fit or the design table for want of real rows is
  -- said as it happens, for whoever reads the server's log.
  IF source = 'none' OR fit_failure IS NOT NULL OR skipped <> '' OR (source = 'design table' AND real_count > 0) THEN
    RAISE NOTICE 'synth_refresh of %: %', target_name, reason;
  END IF;

  RETURN pg_catalog.jsonb_build_object(
    'refreshed', changed, 'reason', reason,
    'real_rows', real_count, 'unusable_rows', unusable, 'other_dimension_rows', other_dimension,
    'dimension', real_dimension, 'source', source, 'real_sources', counted,
    'synthetic_rows', wanted, 'deactivated', deactivated, 'inserted', inserted,
    'deleted_retired', deleted_retired, 'retired_note', retired_note, 'refresh_number', refresh_number,
    'fitted', fitted IS NOT NULL, 'profile_hash', fitted_hash, 'seed', batch_seed,
    'quality_score', (quality->'quality'->>'score')::float8,
    'quality_note', quality_note);
END
$$;

COMMENT ON FUNCTION @extschema@.synth_refresh(regclass, bigint, float8, bigint, bigint, integer, text[], integer) IS
'keeps the synthetic rows of target matched to its real rows (data_source in real_sources, by default every data_source '
'but ''synthetic''), in one transaction: fits the usable active real rows '
'of the dominant dimension (the design table below fit_min_rows where the dimensions agree, else no synthetic rows), '
'retires the earlier synthetic rows and inserts max(min_rows - R, ceil(synthetic_ratio * R)) new ones, deleting the retired '
'rows beyond the last keep_retired retired batches (NULL keeps all); one refresh at a time per table, a no-op when '
'nothing the batch depends on changed; the result says why; every refresh is kept in synth_refresh_log';
-- END synth_refresh

-- BEGIN synth_compare_detail
CREATE FUNCTION @extschema@.synth_compare_detail(
    source regclass,
    synthetic regclass DEFAULT NULL,
    holdout regclass DEFAULT NULL,
    real_sources text[] DEFAULT NULL,
    bins integer DEFAULT 20)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'synth_compare_detail'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL RESTRICTED SECURITY INVOKER
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@.synth_compare_detail(regclass, regclass, regclass, text[], integer) IS
'what a picture of synth_compare draws, as jsonb: per column (each feature, effectiveness_score, domain) the real and '
'synthetic (and holdout) rows counted on one common binning of bins equal-width bins (one bin per value for whole '
'numbers that fit), quantiles 0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1 and the column''s shape score; and each side''s '
'Pearson correlation matrix over the features and the score; the sides are picked as synth_compare picks them; '
'examples/plot_compare.py draws it; reads with the caller''s rights';
-- END synth_compare_detail

-- BEGIN synth_profile_summary
CREATE FUNCTION @extschema@.synth_profile_summary(profile jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'synth_profile_summary'
LANGUAGE C STABLE STRICT PARALLEL SAFE SECURITY INVOKER;

COMMENT ON FUNCTION @extschema@.synth_profile_summary(jsonb) IS
'what a synth_fit profile holds, small enough to read: domains with rows and shares, per feature its range, median and '
'integer or decimal grid, the score bands, the strongest pooled correlations, and what it gives away (its first and last '
'knots are observed minima and maxima)';

CREATE FUNCTION @extschema@.synth_profile_report(profile jsonb)
RETURNS SETOF text
AS 'MODULE_PATHNAME', 'synth_profile_report'
LANGUAGE C STABLE STRICT PARALLEL SAFE SECURITY INVOKER
ROWS 40;

COMMENT ON FUNCTION @extschema@.synth_profile_report(jsonb) IS
'synth_profile_summary as a page of text for psql (80 columns)';
-- END synth_profile_summary

-- BEGIN profile source
-- Where and when each kept profile was fitted, where the backend that
-- inserted its rows fitted it (synth_refresh always; synth_fit in the same
-- session as the synth_insert that uses it); NULL for a profile fitted
-- elsewhere. The profile and its hash stay content only.
ALTER TABLE @extschema@.synth_profiles ADD COLUMN source_table text, ADD COLUMN fitted_at timestamptz;
COMMENT ON COLUMN @extschema@.synth_profiles.source_table IS
'the table the profile was fitted from (schema-qualified, as named at the fit), when the inserting backend fitted it; else NULL';
COMMENT ON COLUMN @extschema@.synth_profiles.fitted_at IS
'when that fit ran; NULL with source_table';

-- _synth_keep_profile with the profile's source: synth_insert's C code calls
-- it, through the function manager, for a profile its own backend fitted, so
-- no caller can name a source for a profile. A profile kept without a source
-- takes the first one known.
CREATE FUNCTION @extschema@._synth_keep_profile(profile jsonb, source_table text, fitted_at timestamptz)
RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  kept_hash text := @extschema@._synth_keep_profile($1);
BEGIN
  IF $2 IS NOT NULL THEN
    UPDATE @extschema@.synth_profiles p SET source_table = $2, fitted_at = $3
    WHERE p.profile_hash = kept_hash AND p.source_table IS NULL;
  END IF;
  RETURN kept_hash;
END
$$;
REVOKE ALL ON FUNCTION @extschema@._synth_keep_profile(jsonb, text, timestamptz) FROM PUBLIC;

COMMENT ON FUNCTION @extschema@._synth_keep_profile(jsonb, text, timestamptz) IS
'internal (synth_insert only, not executable by PUBLIC): _synth_keep_profile(profile), recording where and when the profile was fitted when synth_profiles does not know yet';
-- END profile source

-- BEGIN synth_citus_load
-- A load of the pipeline's table on a Citus cluster in which every worker
-- generates and inserts the rows of its own shards (docs/scaling.md, "A Citus
-- cluster"). A block of n ids of the target's id sequence is reserved on the
-- coordinator (setval(nextval() + n - 1)), written into a table of ids
-- colocated with the target, and one INSERT ... SELECT calls synth_row(n,
-- seed, id - base, ...) per id: the target's distribution column is id and
-- synth_row is STABLE, so Citus pushes the statement down to the shards, one
-- task per shard, all or nothing. The table of ids, synth_load_ids in the
-- target's schema, is made by the first load (CREATE TABLE ... AS SELECT id
-- ... WITH NO DATA, then create_distributed_table colocated with the target)
-- and is owned by its caller, not by the extension; loads take it in
-- EXCLUSIVE mode, so they run one after another, and empty it before they
-- commit. Everything is schema-qualified and the target reaches dynamic SQL
-- only as a regclass, so the caller's search_path decides nothing but the
-- default target's name. Citus's own objects (pg_dist_partition,
-- create_distributed_table) live in pg_catalog; they are named only once
-- citus is known to be there.
CREATE PROCEDURE @extschema@.synth_citus_load(
    n bigint,
    seed bigint,
    priority integer DEFAULT 10,
    domain_weights jsonb DEFAULT NULL,
    tier_shares float8[] DEFAULT '{0.25,0.5,0.25}',
    label_noise float8 DEFAULT 0.05,
    profile jsonb DEFAULT NULL,
    target regclass DEFAULT 'training_prompts'::text::regclass)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  target_schema name;
  target_owner oid;
  target_colocation integer;
  distribution_column text;
  id_seq regclass;
  ids regclass;
  ids_owner oid;
  ids_colocation integer;
  base bigint;
  loaded bigint;
BEGIN
  IF target IS NULL THEN
    RAISE EXCEPTION 'synth_citus_load needs a target table, got target = NULL'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension e WHERE e.extname = 'citus') THEN
    RAISE EXCEPTION 'synth_citus_load needs the citus extension, which is not installed in database %',
        pg_catalog.current_database()
      USING ERRCODE = 'feature_not_supported',
            DETAIL = 'It makes every Citus worker generate the rows of its own shards of a distributed table.',
            HINT = 'On a server without Citus, load with synth_insert(target, n, seed, ...), which writes the same rows.';
  END IF;
  SELECT c.relnamespace::pg_catalog.regnamespace::pg_catalog.name, c.relowner
    INTO target_schema, target_owner
    FROM pg_catalog.pg_class c WHERE c.oid = target;
  SELECT p.colocationid, pg_catalog.column_to_column_name(p.logicalrelid, p.partkey)
    INTO target_colocation, distribution_column
    FROM pg_catalog.pg_dist_partition p
   WHERE p.logicalrelid = target AND p.partmethod = 'h';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'synth_citus_load needs a distributed table, and % is not one', target
      USING ERRCODE = 'feature_not_supported',
            DETAIL = 'Only a hash-distributed table has shards on the workers for them to load (a local or reference table does not).',
            HINT = pg_catalog.format('Distribute it by id first: SELECT create_distributed_table(%L, ''id'');', target::text);
  END IF;
  IF distribution_column IS DISTINCT FROM 'id' THEN
    RAISE EXCEPTION 'synth_citus_load needs % distributed by id, it is distributed by %', target, distribution_column
      USING ERRCODE = 'feature_not_supported',
            DETAIL = 'Each worker generates the rows whose ids its shards hold.',
            HINT = pg_catalog.format('Distribute it by id: SELECT undistribute_table(%L); SELECT create_distributed_table(%L, ''id'');',
                                     target::text, target::text);
  END IF;
  id_seq := pg_catalog.pg_get_serial_sequence(target::text, 'id')::regclass;
  IF id_seq IS NULL THEN
    RAISE EXCEPTION 'synth_citus_load needs an id column with a sequence (serial or identity) in %', target
      USING ERRCODE = 'feature_not_supported',
            DETAIL = 'It reserves the ids of the load from that sequence on the coordinator.';
  END IF;
  IF n IS NULL OR n < 1 OR seed IS NULL THEN
    RAISE EXCEPTION 'synth_citus_load needs n >= 1 and a seed, got n = %, seed = %', n, seed
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF priority IS NULL OR priority NOT BETWEEN 1 AND 1000 THEN
    RAISE EXCEPTION 'priority must be between 1 and 1000, got %', priority
      USING ERRCODE = 'invalid_parameter_value', HINT = 'The pipeline reads training_priority in 1..1000.';
  END IF;
  -- The arguments are checked once here, on the coordinator, before any id
  -- is reserved: a bad option fails with synth_row's own message.
  PERFORM @extschema@.synth_row(n, seed, 0, domain_weights, tier_shares, label_noise, 'jsonb', profile);
  IF profile IS NOT NULL THEN
    PERFORM @extschema@._synth_keep_profile(profile);
  END IF;

  -- The table of ids: made on first use, and refused when it is not the one
  -- a load made (another owner, or not colocated with the target).
  ids := pg_catalog.to_regclass(pg_catalog.format('%I.synth_load_ids', target_schema));
  IF ids IS NULL THEN
    EXECUTE pg_catalog.format('CREATE TABLE %I.synth_load_ids AS SELECT id FROM %s WITH NO DATA', target_schema, target);
    ids := pg_catalog.format('%I.synth_load_ids', target_schema)::regclass;
    PERFORM pg_catalog.create_distributed_table(ids, 'id', colocate_with => target::text);
  END IF;
  SELECT c.relowner INTO ids_owner FROM pg_catalog.pg_class c WHERE c.oid = ids;
  SELECT p.colocationid INTO ids_colocation
    FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = ids AND p.partmethod = 'h';
  IF ids_owner IS DISTINCT FROM target_owner OR ids_colocation IS DISTINCT FROM target_colocation THEN
    RAISE EXCEPTION 'synth_citus_load cannot use % as the table of ids of %', ids, target
      USING ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = CASE WHEN ids_owner IS DISTINCT FROM target_owner
                          THEN 'It belongs to another role than the target.'
                          ELSE 'It is not distributed by id colocated with the target.' END,
            HINT = pg_catalog.format('Drop it (DROP TABLE %s) and the next load makes it anew.', ids);
  END IF;

  EXECUTE pg_catalog.format('LOCK TABLE %s IN EXCLUSIVE MODE', ids);
  base := pg_catalog.setval(id_seq, pg_catalog.nextval(id_seq) + n - 1) - n + 1;

  EXECUTE pg_catalog.format('INSERT INTO %s (id) SELECT g FROM pg_catalog.generate_series($1, $2) g', ids)
    USING base, base + n - 1;

  EXECUTE pg_catalog.format(
    'INSERT INTO %s (id, prompt_text, enhancement_result, data_source, training_priority, created_at, is_active)
     SELECT i.id, (i.r).original_prompt, (i.r).enhancement_jsonb, ''synthetic'', $4, pg_catalog.now(), true
     FROM (SELECT l.id, @extschema@.synth_row($1, $2, l.id - $3, $5, $6, $7, ''jsonb'', $8) AS r FROM %s l) i',
    target, ids)
    USING n, seed, base, priority, domain_weights, tier_shares, label_noise, profile;
  GET DIAGNOSTICS loaded = ROW_COUNT;

  EXECUTE pg_catalog.format('TRUNCATE %s', ids);
  RAISE NOTICE 'synth_citus_load: % rows into %, ids % to %', loaded, target, base, base + n - 1;
END
$$;

COMMENT ON PROCEDURE @extschema@.synth_citus_load(bigint, bigint, integer, jsonb, float8[], float8, jsonb, regclass) IS
'on a Citus cluster, loads n rows into target (distributed by id) with every worker generating the rows of its own shards; '
'the rows of synth_insert(target, n, seed, ...), ids from a block of the target''s sequence; needs the citus extension';
-- END synth_citus_load

-- BEGIN privacy
-- Differential privacy (docs/privacy.md): synth_fit and synth_refresh take
-- epsilon, delta, bounds and domains (synth_fit also a seed for its noise);
-- every private fit records what it spent in synth_privacy_ledger, and
-- synthdata.privacy_budget caps what the fits of one source table spend.

-- What each source table has spent on private fits. zCDP composes by adding
-- rho, so the sum of rho per table is its spend; epsilon and delta are the
-- guarantee of the one fit. pg_dump keeps the rows (a restored database
-- must not forget what was spent). Only the owner writes it, through
-- _synth_spend_privacy, which the fits call; a caller sees the entries of
-- the tables it may read, at least in some column (row-level security), and
-- synth_privacy_budget sums them.
CREATE TABLE @extschema@.synth_privacy_ledger (
    source_table regclass NOT NULL,
    entry bigint NOT NULL,
    fitted_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    fitted_by name NOT NULL,
    rho float8 NOT NULL CHECK (rho >= 0),
    epsilon float8 NOT NULL,
    delta float8 NOT NULL,
    mechanism text NOT NULL,
    profile_hash text NOT NULL,
    rows_digest text,
    PRIMARY KEY (source_table, entry));
SELECT pg_catalog.pg_extension_config_dump('@extschema@.synth_privacy_ledger', '');
REVOKE ALL ON @extschema@.synth_privacy_ledger FROM PUBLIC;
ALTER TABLE @extschema@.synth_privacy_ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY synth_privacy_ledger_of_readable_tables ON @extschema@.synth_privacy_ledger FOR SELECT
    USING (pg_catalog.has_any_column_privilege(source_table, 'SELECT'));
GRANT SELECT ON @extschema@.synth_privacy_ledger TO PUBLIC;

COMMENT ON TABLE @extschema@.synth_privacy_ledger IS
'every differentially private fit, numbered per source table, recorded before the fit draws its noise (a fit that '
'fails afterwards still counts; a fit whose transaction rolls back does not): rho (zCDP; a table''s spend is the '
'sum), the fit''s epsilon at delta (delta / 2 of it for thresholds, which add up apart from rho), the mechanism, '
'the profile''s hash ('''' for a fit that released none), for synth_refresh the digest of the rows it fitted, time '
'and the role that fitted; synthdata.privacy_budget caps the sum of rho for the pipeline''s releases';

CREATE FUNCTION @extschema@.synth_privacy_rho(epsilon float8, delta float8 DEFAULT 1e-9)
RETURNS float8
AS 'MODULE_PATHNAME', 'synth_privacy_rho'
LANGUAGE C STABLE STRICT PARALLEL SAFE SECURITY INVOKER;

COMMENT ON FUNCTION @extschema@.synth_privacy_rho(float8, float8) IS
'the rho of zero-concentrated DP that gives (epsilon, delta)-differential privacy (the largest, by the conversion of '
'Canonne, Kamath and Steinke 2020): what the privacy ledger counts';

CREATE FUNCTION @extschema@.synth_privacy_epsilon(rho float8, delta float8 DEFAULT 1e-9)
RETURNS float8
AS 'MODULE_PATHNAME', 'synth_privacy_epsilon'
LANGUAGE C STABLE STRICT PARALLEL SAFE SECURITY INVOKER;

COMMENT ON FUNCTION @extschema@.synth_privacy_epsilon(float8, float8) IS
'the epsilon at delta that rho-zCDP guarantees (Canonne, Kamath and Steinke 2020): e.g. the guarantee of a table''s '
'summed rho in synth_privacy_ledger';

-- The one writer of the ledger (internal). The fits call it from C through
-- the function manager, which runs it with its owner's rights; nobody but
-- the owner may call it by SQL, so no caller can spend (or exhaust) another
-- table's budget by hand. A fit calls it before it draws any noise: under a
-- lock per source table held to the end of the transaction, it grants and
-- records rho (profile_hash as given, '' until the fit records its profile
-- with _synth_record_private_profile) or refuses it: two fits at once never
-- both pass the cap, and a fit that fails after its noise still counts. Under REPEATABLE READ or SERIALIZABLE a fit that
-- waited for another cannot see its entry and fails with 40001 (the entry
-- number it takes is already the other's), as the retry rule expects.
-- Returns {granted 1 or 0, rho spent before, the cap as rho, the cap's
-- epsilon, the cap's delta, the entry recorded (0 when refused)}.
-- fitted_by: the role the fit ran as.
CREATE FUNCTION @extschema@._synth_spend_privacy(
    source regclass, rho float8, epsilon float8, delta float8, profile_hash text, mechanism text,
    fitted_by name)
RETURNS float8[]
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  budget float8 := pg_catalog.current_setting('synthdata.privacy_budget')::float8;
  budget_delta float8 := pg_catalog.current_setting('synthdata.privacy_budget_delta')::float8;
  budget_rho float8;
  spent float8;
  last_entry bigint;
BEGIN
  budget_rho := CASE WHEN budget > 0 THEN @extschema@.synth_privacy_rho(budget, budget_delta) ELSE 0 END;
  PERFORM pg_catalog.pg_advisory_xact_lock(1398361680, source::oid::integer);  -- 'SYNP'
  SELECT coalesce(pg_catalog.sum(l.rho), 0), coalesce(pg_catalog.max(l.entry), 0) INTO spent, last_entry
  FROM @extschema@.synth_privacy_ledger l WHERE l.source_table OPERATOR(pg_catalog.=) source;
  -- A relative slack of 1e-9 so that fits which split the budget exactly
  -- (e.g. ten fits of a tenth of it) are not refused for rounding.
  IF spent + rho > budget_rho * (1 + 1e-9) THEN
    RETURN ARRAY[0, spent, budget_rho, budget, budget_delta, 0]::float8[];
  END IF;
  INSERT INTO @extschema@.synth_privacy_ledger AS l
    (source_table, entry, fitted_by, rho, epsilon, delta, mechanism, profile_hash)
  VALUES (source, last_entry + 1, fitted_by, rho, epsilon, delta, mechanism, profile_hash)
  ON CONFLICT ON CONSTRAINT synth_privacy_ledger_pkey DO NOTHING;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'could not serialize access to the privacy ledger of % due to a concurrent private fit', source
      USING ERRCODE = '40001';
  END IF;
  RETURN ARRAY[1, spent, budget_rho, budget, budget_delta, last_entry + 1]::float8[];
END
$$;
REVOKE ALL ON FUNCTION @extschema@._synth_spend_privacy(regclass, float8, float8, float8, text, text, name) FROM PUBLIC;

COMMENT ON FUNCTION @extschema@._synth_spend_privacy(regclass, float8, float8, float8, text, text, name) IS
'internal (the private fits only, not executable by PUBLIC): grants and records rho for a private fit of source in '
'synth_privacy_ledger under synthdata.privacy_budget, before the fit draws noise, or refuses it';

-- The second half of a granted spend (internal): the profile the fit
-- released and, for synth_refresh, the digest of the rows it fitted (its
-- test for unchanged rows; the ledger shows it only to roles that may read
-- the source, who may read the rows themselves).
CREATE FUNCTION @extschema@._synth_record_private_profile(
    source regclass, entry bigint, profile_hash text, rows_digest text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  UPDATE @extschema@.synth_privacy_ledger l
  SET profile_hash = $3, rows_digest = NULLIF($4, '')
  WHERE l.source_table OPERATOR(pg_catalog.=) $1 AND l.entry OPERATOR(pg_catalog.=) $2
    AND l.profile_hash OPERATOR(pg_catalog.=) '';
  RETURN FOUND;
END
$$;
REVOKE ALL ON FUNCTION @extschema@._synth_record_private_profile(regclass, bigint, text, text) FROM PUBLIC;

COMMENT ON FUNCTION @extschema@._synth_record_private_profile(regclass, bigint, text, text) IS
'internal (the private fits only, not executable by PUBLIC): the profile hash (and synth_refresh''s digest of the '
'rows) of a ledger entry _synth_spend_privacy recorded';

-- The private profile of target with profile_hash, when the ledger
-- recorded it and synth_profiles kept it (internal: synth_refresh reuses it
-- when the rows are unchanged or the budget is spent; it finds the hash in
-- the ledger entries it may see). A private profile may go to whoever knows
-- its hash: it is differentially private, and its hash is in the metadata
-- of every row drawn from it.
CREATE FUNCTION @extschema@._synth_private_profile(target regclass, profile_hash text)
RETURNS jsonb
LANGUAGE sql STABLE STRICT PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT p.profile
  FROM @extschema@.synth_profiles p
  WHERE p.profile_hash OPERATOR(pg_catalog.=) $2
    AND EXISTS (SELECT 1 FROM @extschema@.synth_privacy_ledger l
                WHERE l.source_table OPERATOR(pg_catalog.=) $1 AND l.profile_hash OPERATOR(pg_catalog.=) $2)
$$;

COMMENT ON FUNCTION @extschema@._synth_private_profile(regclass, text) IS
'internal (synth_refresh): the private profile of target with profile_hash that synth_privacy_ledger recorded and '
'synth_profiles kept, else NULL';

CREATE FUNCTION @extschema@.synth_privacy_budget(source regclass DEFAULT 'training_prompts'::text::regclass)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  budget float8;
  budget_delta float8;
  budget_rho float8;
  spent float8;
  threshold_delta float8;
  fits bigint;
  last_fit timestamptz;
BEGIN
  IF source IS NULL THEN
    RAISE EXCEPTION 'source must not be NULL' USING ERRCODE = '22004',
      HINT = 'Name the table whose private fits to sum, e.g. source => ''training_prompts''.';
  END IF;
  IF NOT pg_catalog.has_any_column_privilege(source, 'SELECT') THEN
    RAISE EXCEPTION 'permission denied to read the privacy budget of %', source USING ERRCODE = '42501',
      DETAIL = 'synth_privacy_budget shows the spend of tables the caller may read.';
  END IF;
  -- Loads the module, which defines the settings read next.
  PERFORM @extschema@.synth_privacy_epsilon(0, 0.5);
  budget := pg_catalog.current_setting('synthdata.privacy_budget')::float8;
  budget_delta := pg_catalog.current_setting('synthdata.privacy_budget_delta')::float8;
  budget_rho := CASE WHEN budget > 0 THEN @extschema@.synth_privacy_rho(budget, budget_delta) ELSE 0 END;
  -- Each fit keeps delta / 2 for its thresholds (domains, frequent values),
  -- which compose by adding apart from rho: the table's guarantee is
  -- epsilon(sum rho, budget delta) at budget delta + sum(delta / 2).
  SELECT coalesce(pg_catalog.sum(l.rho), 0), coalesce(pg_catalog.sum(l.delta / 2), 0), pg_catalog.count(*),
         pg_catalog.max(l.fitted_at)
  INTO spent, threshold_delta, fits, last_fit
  FROM @extschema@.synth_privacy_ledger l WHERE l.source_table OPERATOR(pg_catalog.=) source;
  RETURN pg_catalog.jsonb_build_object(
    'source', source::text, 'private_fits', fits, 'last_fit', last_fit,
    'rho_spent', spent, 'epsilon_spent', @extschema@.synth_privacy_epsilon(spent, budget_delta),
    'delta_spent', budget_delta + threshold_delta,
    'budget_epsilon', budget, 'budget_delta', budget_delta, 'budget_rho', budget_rho,
    'rho_left', greatest(budget_rho - spent, 0),
    'epsilon_left', @extschema@.synth_privacy_epsilon(greatest(budget_rho - spent, 0), budget_delta));
END
$$;

COMMENT ON FUNCTION @extschema@.synth_privacy_budget(regclass) IS
'what the private fits of source spent (rho summed, as epsilon_spent at delta_spent: synthdata.privacy_budget_delta '
'plus half the delta of every fit, which its thresholds spend) and what is left of synthdata.privacy_budget, for a '
'caller who may read source';

-- synth_fit gains the privacy arguments (and is VOLATILE: a private fit
-- draws fresh noise and writes the ledger).
DROP FUNCTION @extschema@.synth_fit(regclass, text, boolean, text[]);
CREATE FUNCTION @extschema@.synth_fit(
    source regclass DEFAULT 'training_prompts'::text::regclass,
    data_source text DEFAULT NULL,
    only_active boolean DEFAULT true,
    real_sources text[] DEFAULT NULL,
    epsilon float8 DEFAULT NULL,
    delta float8 DEFAULT 1e-9,
    bounds jsonb DEFAULT NULL,
    domains text[] DEFAULT NULL,
    seed bigint DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'synth_fit'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@.synth_fit(regclass, text, boolean, text[], float8, float8, jsonb, text[], bigint) IS
'a profile of the real rows of source (pipeline or flat layout), read with the caller''s rights: per domain, '
'marginals of every feature and of the score, score-band shares and a Gaussian copula; pass it to '
'synth_generate or synth_insert as profile; the same rows in any order give the same profile; the real rows are '
'those whose data_source is in real_sources (data_source => ''x'' is real_sources => ''{x}''), by default every '
'data_source but ''synthetic'' (every row of a table without data_source); with epsilon the profile is '
'(epsilon, delta)-differentially private for one real row added or removed, bounds ({"feature": [lo, hi]}) and '
'domains are public inputs, seed makes the noise reproducible (and the guarantee void for whoever knows it), and '
'the fit''s spend is recorded in synth_privacy_ledger under synthdata.privacy_budget';

DROP FUNCTION @extschema@._synth_fit_real_rows(regclass, bigint, text[]);
CREATE FUNCTION @extschema@._synth_fit_real_rows(
    target regclass, fit_min_rows bigint, real_sources text[],
    epsilon float8, delta float8, bounds jsonb, domains text[], unchanged_hash text,
    OUT real_rows bigint, OUT real_rows_hash text, OUT profile jsonb,
    OUT dimension integer, OUT unusable_rows bigint, OUT other_dimension_rows bigint, OUT fit_failure text,
    OUT counted text, OUT privacy text, OUT privacy_reason text)
AS 'MODULE_PATHNAME', '_synth_fit_real_rows'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@._synth_fit_real_rows(regclass, bigint, text[], float8, float8, jsonb, text[], text) IS
'internal (synth_refresh): one read of the active real rows of target (data_source in real_sources, by default '
'every data_source but ''synthetic'') with the caller''s rights, and which rows counted (counted): the usable rows '
'of the dominant feature dimension (most rows, the smaller on a tie) and that dimension, the rows the ML gate drops, '
'the usable rows of other dimensions, an order-free digest of everything read (domain, features, score, prompt, feature '
'names), and the profile synth_fit would return when there are at least fit_min_rows usable rows (else NULL; '
'fit_failure says why when the rows cannot make a profile); with epsilon a private profile and no true count or '
'digest (real_rows, real_rows_hash, unusable_rows and other_dimension_rows NULL; dimension the rows'' most common, '
'for the fallback alone): privacy fitted, failed (no profile; the spend recorded before the noise stays), '
'unchanged when the digest is unchanged_hash and nothing is fitted or spent, or refused when the budget is spent, '
'privacy_reason saying how far';

-- synth_refresh gains the privacy arguments; the last refresh records them.
ALTER TABLE @extschema@.synth_refreshes ADD COLUMN privacy jsonb;
-- A private refresh records only released figures: the profile's noisy row
-- count (none without a profile) and no digest of the real rows.
ALTER TABLE @extschema@.synth_refreshes ALTER COLUMN real_rows DROP NOT NULL,
                                         ALTER COLUMN real_rows_hash DROP NOT NULL;
ALTER TABLE @extschema@.synth_refresh_log ALTER COLUMN real_rows DROP NOT NULL;
DROP FUNCTION @extschema@.synth_refresh(regclass, bigint, float8, bigint, bigint, integer, text[], integer);
CREATE FUNCTION @extschema@.synth_refresh(
    target regclass DEFAULT 'training_prompts'::text::regclass,
    min_rows bigint DEFAULT 1000,
    synthetic_ratio float8 DEFAULT 0.3,
    seed bigint DEFAULT NULL,
    fit_min_rows bigint DEFAULT 10,
    priority integer DEFAULT 10,
    real_sources text[] DEFAULT NULL,
    keep_retired integer DEFAULT 2,
    epsilon float8 DEFAULT NULL,
    delta float8 DEFAULT 1e-9,
    bounds jsonb DEFAULT NULL,
    domains text[] DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  design_dimension constant integer := 6;       -- the design table's feature dimension
  max_batch constant bigint := 1000000000000;   -- synth_insert's n at most (10^12)
  target_name text;
  real_count bigint;
  real_hash text;
  real_dimension integer;
  unusable bigint;
  other_dimension bigint;
  fit_failure text;
  wanted bigint;
  last record;
  fitted jsonb;
  fitted_hash text;
  batch_seed bigint;
  generator integer;
  active bigint;
  deactivated bigint := 0;
  inserted bigint := 0;
  stamp text;
  quality jsonb;
  quality_note text;
  insert_error text;
  changed boolean;
  had_last boolean;
  source text;
  reason text;
  skipped text := '';
  counted text;
  deleted_retired bigint := 0;
  retired_note text;
  refresh_number bigint;
  privacy_request jsonb;
  unchanged_hash text;
  unchanged_profile text;
  privacy_outcome text;
  privacy_reason text;
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
  IF keep_retired < 0 THEN
    RAISE EXCEPTION 'keep_retired must be a non-negative number of retired batches, got %', keep_retired USING ERRCODE = '22023',
      HINT = 'keep_retired => NULL keeps every retired batch; synth_purge_retired deletes them later.';
  END IF;
  IF fit_min_rows IS NULL OR fit_min_rows < 10 THEN
    RAISE EXCEPTION 'fit_min_rows must be at least 10, got %', fit_min_rows USING ERRCODE = '22023',
      DETAIL = 'synth_fit needs at least 10 real rows.';
  END IF;
  -- A regclass may hold any OID (0, a dropped table's): its name is its
  -- number then, which no statement below could take.
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = target) THEN
    RAISE EXCEPTION 'target of synth_refresh does not exist: no relation with OID %', target::oid USING ERRCODE = '42P01',
      HINT = 'Name the training table, e.g. target => ''training_prompts''.';
  END IF;
  target_name := target::text;
  -- The lock the UPDATE and INSERT below take anyway, taken before the
  -- catalog is read: a concurrent ALTER TABLE either committed before these
  -- looks at its columns or waits until this transaction ends.
  EXECUTE pg_catalog.format('LOCK TABLE %s IN ROW EXCLUSIVE MODE', target_name);
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = target) THEN
    RAISE EXCEPTION 'target of synth_refresh (%) was dropped while synth_refresh waited for it', target_name
      USING ERRCODE = '42P01';
  END IF;
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

  -- One read of the real rows gives R (the usable rows of the dominant
  -- dimension), a digest of everything read, and (with at least
  -- fit_min_rows of them) the profile: all from one snapshot, so the rows
  -- counted are the rows fitted. What the rows hold never fails it.
  -- The real rows: data_source in real_sources, by default every
  -- data_source but 'synthetic' (synth_fit and synth_compare count alike).
  -- With epsilon the profile is differentially private and every fit
  -- spends from the table's privacy budget (synth_privacy_ledger): the same
  -- real rows and privacy settings as the last refresh reuse its private
  -- profile and spend nothing; a spent budget reuses the last private
  -- profile (sampling from it costs no privacy), with a NOTICE.
  IF epsilon IS NOT NULL THEN
    privacy_request := pg_catalog.jsonb_build_object('epsilon', epsilon, 'delta', delta, 'bounds', bounds,
                                                     'domains', pg_catalog.to_jsonb(domains));
    -- The digest of the rows the last refresh's private profile fitted: in
    -- the ledger, which only roles that may read the rows see (a private
    -- refresh keeps no digest in synth_refreshes).
    SELECT l.rows_digest, r.profile_hash INTO unchanged_hash, unchanged_profile
    FROM @extschema@.synth_refreshes r
    JOIN @extschema@.synth_privacy_ledger l
      ON l.source_table = r.target AND l.profile_hash = r.profile_hash AND l.rows_digest IS NOT NULL
    WHERE r.target = synth_refresh.target AND r.privacy = privacy_request AND r.profile_hash IS NOT NULL
    ORDER BY l.entry DESC LIMIT 1;
  END IF;
  SELECT f.real_rows, f.real_rows_hash, f.profile, f.dimension, f.unusable_rows, f.other_dimension_rows, f.fit_failure,
         f.counted, f.privacy, f.privacy_reason
  INTO real_count, real_hash, fitted, real_dimension, unusable, other_dimension, fit_failure, counted,
       privacy_outcome, privacy_reason
  FROM @extschema@._synth_fit_real_rows(target, fit_min_rows, real_sources, epsilon, delta, bounds, domains,
                                        unchanged_hash) f;
  IF privacy_outcome = 'unchanged' THEN
    fitted := @extschema@._synth_private_profile(target, unchanged_profile);
    IF fitted IS NULL THEN
      -- Not kept (the profiles of a temporary table are not): fit again.
      SELECT f.real_rows, f.real_rows_hash, f.profile, f.dimension, f.unusable_rows, f.other_dimension_rows,
             f.fit_failure, f.counted, f.privacy, f.privacy_reason
      INTO real_count, real_hash, fitted, real_dimension, unusable, other_dimension, fit_failure, counted,
           privacy_outcome, privacy_reason
      FROM @extschema@._synth_fit_real_rows(target, fit_min_rows, real_sources, epsilon, delta, bounds, domains,
                                            NULL) f;
    END IF;
  ELSIF privacy_outcome = 'refused' THEN
    -- The latest private profile of the table that synth_profiles kept.
    SELECT p INTO fitted
    FROM @extschema@.synth_privacy_ledger l, @extschema@._synth_private_profile(target, l.profile_hash) p
    WHERE l.source_table = synth_refresh.target AND p IS NOT NULL
    ORDER BY l.entry DESC LIMIT 1;
    IF fitted IS NULL THEN
      fit_failure := privacy_reason || ', and no earlier private profile of it is kept';
    END IF;
  END IF;
  IF privacy_request IS NOT NULL THEN
    -- A private refresh shows only released figures: the profile's noisy
    -- row count and its dimension (no true count, no digest). The rows'
    -- dominant dimension decides the fallback below, nothing else.
    real_count := (fitted->>'rows')::bigint;
    IF fitted IS NOT NULL THEN
      real_dimension := pg_catalog.jsonb_array_length(fitted->'feature_names');
    END IF;
  END IF;
  IF unusable > 0 OR other_dimension > 0 THEN
    skipped := pg_catalog.format('; skipped %s of the real rows (%s the ML gate drops, %s of dimensions other than %s)',
                                 unusable + other_dimension, unusable, other_dimension, coalesce(real_dimension::text, 'none'));
  END IF;

  wanted := greatest(min_rows - coalesce(real_count, 0), ceil(synthetic_ratio * coalesce(real_count, 0))::bigint, 0);
  IF fitted IS NOT NULL THEN
    fitted_hash := @extschema@.synth_profile_hash(fitted);
    source := 'fitted';
    reason := pg_catalog.format('fitted the %s usable real rows of dimension %s', real_count, real_dimension);
    IF privacy_outcome = 'fitted' THEN
      reason := pg_catalog.format('fitted %s features with differential privacy (epsilon %s, delta %s): about %s '
                                  'real rows (the released, noisy count)', real_dimension, epsilon, delta, real_count);
    ELSIF privacy_outcome = 'unchanged' THEN
      reason := pg_catalog.format('the real rows are those of the last refresh: its private profile (epsilon %s, '
                                  'delta %s) is used again, spending nothing', epsilon, delta);
    ELSIF privacy_outcome = 'refused' THEN
      source := 'last private profile';
      reason := privacy_reason || ': the last private profile of the table is used again, spending nothing';
    END IF;
  ELSIF (real_count > 0 OR (privacy_request IS NOT NULL AND real_dimension IS NOT NULL))
        AND real_dimension <> design_dimension THEN
    -- The design table has 6 features: its rows would not match the real ones.
    source := 'none';
    wanted := 0;
    reason := pg_catalog.format(
      CASE WHEN fit_failure IS NOT NULL THEN 'the real rows cannot be fitted (%4$s), and '
           ELSE 'fewer usable real rows (%1$s) than fit_min_rows (%2$s), and ' END
      || CASE WHEN privacy_request IS NOT NULL THEN 'their most common dimension is not the design table''s 6: no synthetic rows'
              ELSE 'their dimension %3$s is not the design table''s 6: no synthetic rows' END,
      real_count, fit_min_rows, real_dimension, fit_failure);
  ELSE
    source := 'design table';
    reason := CASE WHEN fit_failure IS NOT NULL
                   THEN pg_catalog.format('the real rows cannot be fitted (%s): the design table', fit_failure)
                   WHEN real_count = 0 THEN pg_catalog.format('no usable real rows (real rows: %s): the design table', counted)
                   ELSE pg_catalog.format('fewer usable real rows (%s) than fit_min_rows (%s): the design table',
                                          real_count, fit_min_rows) END;
  END IF;
  reason := reason || skipped;
  IF wanted > max_batch THEN
    RAISE EXCEPTION 'synth_refresh would insert % synthetic rows, more than the 10^12 one batch can hold', wanted
      USING ERRCODE = '54000',
            DETAIL = pg_catalog.format('S = max(min_rows - R, ceil(synthetic_ratio * R)) with min_rows = %s, synthetic_ratio = %s and R = %s usable real rows.',
                                       min_rows, synthetic_ratio, real_count),
            HINT = 'Lower min_rows or synthetic_ratio.';
  END IF;
  generator := (@extschema@.synth_version()->>'generator_version')::integer;

  -- A no-op when everything the batch depends on is as it was and the batch
  -- is still there: R, the digest of the real rows, S, the seed, the
  -- profile, fit_min_rows, priority and the generator.
  SELECT * INTO last FROM @extschema@.synth_refreshes r WHERE r.target = synth_refresh.target FOR UPDATE;
  had_last := FOUND;
  IF had_last AND last.real_rows IS NOT DISTINCT FROM real_count AND last.real_rows_hash IS NOT DISTINCT FROM real_hash
     AND last.synthetic_rows = wanted
     AND (synth_refresh.seed IS NULL OR last.seed = synth_refresh.seed)
     AND last.profile_hash IS NOT DISTINCT FROM fitted_hash
     AND last.fit_min_rows IS NOT DISTINCT FROM synth_refresh.fit_min_rows
     AND last.priority IS NOT DISTINCT FROM synth_refresh.priority
     AND last.generator_version IS NOT DISTINCT FROM generator
     AND last.privacy IS NOT DISTINCT FROM privacy_request THEN
    EXECUTE pg_catalog.format(
      'SELECT count(*) FROM %s WHERE data_source::text OPERATOR(pg_catalog.=) ''synthetic'' AND is_active IS NOT FALSE', target_name)
      INTO active;
    IF active = wanted THEN
      IF privacy_outcome = 'refused' THEN
        RAISE NOTICE 'synth_refresh of %: %', target_name, reason;
      END IF;
      RETURN pg_catalog.jsonb_build_object(
        'refreshed', false,
        'reason', CASE WHEN privacy_request IS NULL
                       THEN 'unchanged: the real rows, the synthetic size and the settings are those of the last refresh, whose batch is still active'
                       ELSE 'unchanged: the private profile, the synthetic size and the settings are those of the last refresh, whose batch is still active' END,
        'real_rows', real_count, 'unusable_rows', unusable, 'other_dimension_rows', other_dimension,
        'dimension', real_dimension, 'source', source, 'real_sources', counted,
        'synthetic_rows', wanted, 'deactivated', 0, 'inserted', 0, 'deleted_retired', 0,
        'fitted', last.profile_hash IS NOT NULL, 'profile_hash', last.profile_hash, 'seed', last.seed,
        'quality_score', NULL, 'quality_note', 'no new batch')
        || CASE WHEN privacy_request IS NOT NULL THEN pg_catalog.jsonb_build_object('privacy',
             privacy_request || pg_catalog.jsonb_build_object('outcome', privacy_outcome, 'reason', privacy_reason))
           ELSE '{}' END;
    END IF;
    reason := reason || pg_catalog.format('; the last batch is no longer all there (%s active synthetic rows, %s wanted)',
                                          active, wanted);
  END IF;

  -- The same real rows give the same batch unless a seed is named. A
  -- private refresh takes it from what it releases (the profile's hash),
  -- never from the real rows: every synthetic row carries it.
  batch_seed := coalesce(synth_refresh.seed,
                         pg_catalog.hashtextextended(CASE WHEN privacy_request IS NULL THEN real_hash
                                                          ELSE coalesce(fitted_hash, 'no private profile') END, 0)
                         & 9223372036854775807);

  -- Retiring stamps updated_at and deleted_at where they hold a time the
  -- caller may set; other columns of those names are left alone.
  SELECT coalesce(pg_catalog.string_agg(pg_catalog.format(', %I = pg_catalog.now()', a.attname), '' ORDER BY a.attname DESC), '')
  INTO stamp
  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  WHERE a.attrelid = target AND a.attname IN ('updated_at', 'deleted_at') AND a.attnum > 0 AND NOT a.attisdropped
    AND a.attgenerated = ''
    AND (CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END)
        IN ('pg_catalog.timestamp'::pg_catalog.regtype, 'pg_catalog.timestamptz'::pg_catalog.regtype, 'pg_catalog.date'::pg_catalog.regtype)
    AND pg_catalog.has_column_privilege(target, a.attnum, 'UPDATE');
  EXECUTE pg_catalog.format(
    'UPDATE %s SET is_active = false%s WHERE data_source::text OPERATOR(pg_catalog.=) ''synthetic'' AND is_active IS NOT FALSE',
    target_name, stamp);
  GET DIAGNOSTICS deactivated = ROW_COUNT;

  IF wanted > 0 THEN
    BEGIN
      inserted := @extschema@.synth_insert(target, wanted, batch_seed, priority, profile => fitted);
    EXCEPTION WHEN invalid_parameter_value THEN
      -- synth_insert keeps a fitted batch out of a table whose other active
      -- rows (another data_source, or real rows the ML gate drops) are
      -- mostly of another dimension. That is what the table holds, not
      -- misuse: no synthetic rows, and the reason.
      GET STACKED DIAGNOSTICS insert_error = MESSAGE_TEXT;
      IF fitted IS NULL OR insert_error NOT LIKE 'the profile has % features but table % holds rows of %' THEN
        RAISE;
      END IF;
      source := 'none';
      wanted := 0;
      reason := pg_catalog.format(
        'the real rows have dimension %s, but most active rows of %s (other than synthetic ones) are of another: '
        'no synthetic rows (synth_insert: %s)', real_dimension, target_name, insert_error) || skipped;
    END;
  END IF;
  -- Exactly the new batch is active now, or a rule, trigger or policy on
  -- the table got in the way: one count tells, whichever way it went.
  EXECUTE pg_catalog.format(
    'SELECT count(*) FROM %s WHERE data_source::text OPERATOR(pg_catalog.=) ''synthetic'' AND is_active IS NOT FALSE', target_name)
    INTO active;
  IF active > wanted THEN
    RAISE EXCEPTION 'synth_refresh could not retire the earlier synthetic rows of %: % active synthetic rows where its batch has %',
                    target_name, active, wanted
      USING ERRCODE = '55000',
            DETAIL = 'Its UPDATE ... SET is_active = false reported ' || deactivated || ' rows; a rule, trigger or row-level security policy on the table kept others active.',
            HINT = 'Let the refresh''s UPDATE of is_active on data_source = ''synthetic'' rows take effect (no DO INSTEAD rule on UPDATE).';
  ELSIF active < wanted THEN
    RAISE EXCEPTION 'synth_refresh inserted a batch of % synthetic rows into %, but % active synthetic rows are there afterwards',
                    wanted, target_name, active
      USING ERRCODE = '55000',
            DETAIL = 'A trigger or rule on the table dropped, relabelled or deactivated rows of the batch (data_source ''synthetic'', is_active true).',
            HINT = 'Let the rows synth_insert writes keep data_source = ''synthetic'' and is_active = true.';
  END IF;

  -- The new batch (the only active synthetic rows now) against the active
  -- real rows, by synth_compare's quality score; without bootstrap
  -- intervals, which a refresh does not need. Needs the fit's minimum of
  -- real rows to mean anything. Rows it cannot compare (feature names the
  -- fit could not take, say) leave the score out, with the reason.
  IF inserted > 0 AND privacy_request IS NOT NULL THEN
    quality_note := 'not scored: synth_compare against the real rows is not differentially private';
  ELSIF inserted > 0 AND real_count >= 10 THEN
    BEGIN
      quality := @extschema@.synth_compare(target, bootstrap => 0, real_sources => synth_refresh.real_sources);
      quality_note := 'synth_compare quality score of the new batch against the real rows';
    EXCEPTION WHEN data_exception OR program_limit_exceeded OR undefined_column THEN
      quality_note := 'synth_compare could not score the batch: ' || SQLERRM;
    END;
  ELSE
    quality_note := CASE WHEN inserted = 0 THEN 'no new batch' ELSE 'fewer than 10 real rows to compare against' END;
  END IF;

  -- Nothing retired, nothing inserted and the record as it was (a batch
  -- withheld again for the same reason): nothing was refreshed.
  changed := deactivated > 0 OR inserted > 0 OR NOT had_last
             OR (last.real_rows, last.real_rows_hash, last.synthetic_rows, last.profile_hash, last.seed,
                 last.fit_min_rows, last.priority, last.generator_version, last.privacy)
                IS DISTINCT FROM (real_count, real_hash, wanted, fitted_hash, batch_seed,
                                  synth_refresh.fit_min_rows, synth_refresh.priority, generator, privacy_request);
  -- The retired rows beyond the last keep_retired retired batches go: a
  -- bounded table by default (NULL keeps them all). Without DELETE on the
  -- table they stay, and the result says so.
  IF changed AND keep_retired IS NOT NULL THEN
    IF pg_catalog.has_table_privilege(target, 'DELETE') THEN
      deleted_retired := @extschema@._synth_delete_retired(target, keep_retired,
        CASE WHEN inserted > 0 THEN batch_seed END, CASE WHEN inserted > 0 THEN wanted END);
    ELSE
      retired_note := 'retired rows kept: no DELETE privilege on ' || target_name;
    END IF;
  END IF;
  -- The last refresh first: under REPEATABLE READ or SERIALIZABLE a caller
  -- that waited for another refresh of the table fails here with 40001, as
  -- the retry rule expects, before it numbers its entry in the log.
  INSERT INTO @extschema@.synth_refreshes AS r
    (target, real_rows, real_rows_hash, synthetic_rows, profile_hash, seed, fit_min_rows, priority, generator_version,
     privacy)
  VALUES (synth_refresh.target, real_count, real_hash, wanted, fitted_hash, batch_seed,
          synth_refresh.fit_min_rows, synth_refresh.priority, generator,
          privacy_request)
  ON CONFLICT ON CONSTRAINT synth_refreshes_pkey DO UPDATE
    SET real_rows = excluded.real_rows, real_rows_hash = excluded.real_rows_hash,
        synthetic_rows = excluded.synthetic_rows, profile_hash = excluded.profile_hash,
        seed = excluded.seed, fit_min_rows = excluded.fit_min_rows, priority = excluded.priority,
        generator_version = excluded.generator_version, privacy = excluded.privacy,
        refreshed_at = pg_catalog.now();
  IF changed THEN
    SELECT coalesce(pg_catalog.max(h.refresh_number), 0) + 1 INTO refresh_number
    FROM @extschema@.synth_refresh_log h WHERE h.target = synth_refresh.target;
    INSERT INTO @extschema@.synth_refresh_log
      (target, refresh_number, real_rows, real_sources, synthetic_rows, inserted, deactivated, deleted_retired,
       source, profile_hash, seed, quality_score, reason)
    VALUES (synth_refresh.target, refresh_number, real_count, counted, wanted, inserted, deactivated, deleted_retired,
            source, fitted_hash, batch_seed, (quality->'quality'->>'score')::float8, reason);
  END IF;

  -- Anything but a plain fit or the design table for want of real rows is
  -- said as it happens, for whoever reads the server's log.
  IF source = 'none' OR fit_failure IS NOT NULL OR skipped <> '' OR (source = 'design table' AND real_count > 0)
     OR privacy_outcome = 'refused' THEN
    RAISE NOTICE 'synth_refresh of %: %', target_name, reason;
  END IF;

  RETURN pg_catalog.jsonb_build_object(
    'refreshed', changed, 'reason', reason,
    'real_rows', real_count, 'unusable_rows', unusable, 'other_dimension_rows', other_dimension,
    'dimension', real_dimension, 'source', source, 'real_sources', counted,
    'synthetic_rows', wanted, 'deactivated', deactivated, 'inserted', inserted,
    'deleted_retired', deleted_retired, 'retired_note', retired_note, 'refresh_number', refresh_number,
    'fitted', fitted IS NOT NULL, 'profile_hash', fitted_hash, 'seed', batch_seed,
    'quality_score', (quality->'quality'->>'score')::float8,
    'quality_note', quality_note)
    -- Only a private refresh says how its privacy went.
    || CASE WHEN privacy_request IS NOT NULL THEN pg_catalog.jsonb_build_object('privacy',
         privacy_request || pg_catalog.jsonb_build_object('outcome', privacy_outcome, 'reason', privacy_reason))
       ELSE '{}' END;
END
$$;

COMMENT ON FUNCTION @extschema@.synth_refresh(regclass, bigint, float8, bigint, bigint, integer, text[], integer,
                                              float8, float8, jsonb, text[]) IS
'keeps the synthetic rows of target matched to its real rows (data_source in real_sources, by default every data_source '
'but ''synthetic''), in one transaction: fits the usable active real rows '
'of the dominant dimension (the design table below fit_min_rows where the dimensions agree, else no synthetic rows), '
'retires the earlier synthetic rows and inserts max(min_rows - R, ceil(synthetic_ratio * R)) new ones, deleting the retired '
'rows beyond the last keep_retired retired batches (NULL keeps all); one refresh at a time per table, a no-op when '
'nothing the batch depends on changed; the result says why; every refresh is kept in synth_refresh_log; with epsilon '
'(and delta, bounds, domains as synth_fit takes them) the profile is differentially private and a refit spends from '
'the table''s privacy budget; once it is spent the last private profile is used again, with a NOTICE; a private '
'refresh shows and records released figures only: R is the profile''s noisy row count and the batch''s seed comes '
'from the profile''s hash';
-- END privacy

-- BEGIN privacy_compare
-- synth_compare's "profile_privacy" (internal): the private profiles the
-- synthetic rows of rows (those with data_source 'synthetic' when
-- synthetic_only; active ones where the table says) name in
-- metadata.profile_hash, as the privacy ledger the caller may see records
-- them. NULL when the caller sees no ledger entry at all (no second read of
-- the rows then) or the rows name no private profile.
CREATE FUNCTION @extschema@._synth_rows_privacy(rows regclass, synthetic_only boolean)
RETURNS jsonb
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  filter text := '';
  hashes text[];
  private jsonb;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM @extschema@.synth_privacy_ledger)
     OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid OPERATOR(pg_catalog.=) rows AND a.attname OPERATOR(pg_catalog.=) 'enhancement_result'
                      AND NOT a.attisdropped) THEN
    RETURN NULL;
  END IF;
  IF synthetic_only THEN
    filter := ' WHERE data_source::pg_catalog.text OPERATOR(pg_catalog.=) ''synthetic''';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
             WHERE a.attrelid OPERATOR(pg_catalog.=) rows AND a.attname OPERATOR(pg_catalog.=) 'is_active' AND NOT a.attisdropped) THEN
    filter := filter || CASE WHEN filter = '' THEN ' WHERE' ELSE ' AND' END || ' is_active IS NOT FALSE';
  END IF;
  BEGIN
    EXECUTE pg_catalog.format(
      'SELECT pg_catalog.array_agg(DISTINCT (enhancement_result::pg_catalog.jsonb) OPERATOR(pg_catalog.->) ''metadata'' '
      'OPERATOR(pg_catalog.->>) ''profile_hash'') FROM %s%s', rows, filter)
    INTO hashes;
  EXCEPTION WHEN data_exception OR undefined_column OR cannot_coerce THEN
    RETURN NULL;  -- documents that are not JSON name no profile
  END;
  SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
           'profile_hash', l.profile_hash, 'source_table', l.source_table::text, 'epsilon', l.epsilon,
           'delta', l.delta, 'rho', l.rho, 'mechanism', l.mechanism) ORDER BY l.entry)
  INTO private
  FROM @extschema@.synth_privacy_ledger l
  WHERE l.profile_hash OPERATOR(pg_catalog.=) ANY (hashes);
  IF private IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN pg_catalog.jsonb_build_object(
    'private_profiles', private,
    'other_profiles', (SELECT pg_catalog.count(*) FROM pg_catalog.unnest(hashes) h
                       WHERE h IS NOT NULL
                         AND NOT EXISTS (SELECT 1 FROM @extschema@.synth_privacy_ledger l
                                         WHERE l.profile_hash OPERATOR(pg_catalog.=) h)),
    'note', 'the synthetic rows name differentially private profiles (synth_privacy_ledger); other_profiles counts '
            'the profiles they name that are not private, which hold real extremes');
END
$$;

COMMENT ON FUNCTION @extschema@._synth_rows_privacy(regclass, boolean) IS
'internal (synth_compare): the private profiles the synthetic rows of rows name in metadata.profile_hash, from '
'synth_privacy_ledger, or NULL';
-- END privacy_compare
