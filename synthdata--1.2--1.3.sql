-- synthdata 1.2 -> 1.3. Every object changed in 1.3 is changed here and in
-- synthdata--1.3.sql alike; test/scripts/upgrade_and_dump.sh checks that every
-- path (1.0 -> 1.1 -> 1.2 -> 1.3, 1.1 -> 1.2 -> 1.3 and 1.2 -> 1.3) ends with the
-- same catalog as a fresh install.
\echo Use "ALTER EXTENSION synthdata UPDATE TO '1.3'" to load this file. \quit

-- BEGIN synth_compare augment_ratio
-- 1.3 adds augment_ratio (a new signature: the 1.2 functions are dropped).
DROP FUNCTION @extschema@.synth_compare(regclass, regclass, regclass, integer, bigint, text[]);
DROP FUNCTION @extschema@.synth_compare_report(regclass, regclass, regclass, integer, bigint, text[]);

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
-- END synth_compare augment_ratio
