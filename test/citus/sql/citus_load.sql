-- synthdata on a Citus cluster (a coordinator and two workers, started by
-- test/citus/run.sh with synthdata on every node): the pipeline's table
-- distributed by id, loaded through the coordinator with synth_insert and by
-- the workers with the extension's synth_citus_load; all or nothing either way; the
-- same rows and the same synth_validate and synth_compare reports as on one
-- server.
SET citus.shard_count = 4;
SET client_min_messages = warning;
\set ECHO none
\i examples/training_prompts.sql
\set ECHO all
SELECT create_reference_table('user_sessions');
SELECT create_distributed_table('training_prompts', 'id');
-- One server holding the same rows: a plain table on the coordinator.
CREATE TABLE single (LIKE training_prompts INCLUDING ALL);
RESET client_min_messages;

-- synthdata is there on every node, in the version of the coordinator.
SELECT success, result = (SELECT extversion FROM pg_extension WHERE extname = 'synthdata') AS same_version
FROM run_command_on_workers($$SELECT extversion FROM pg_extension WHERE extname = 'synthdata'$$);

CREATE FUNCTION fingerprint(t regclass) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
  EXECUTE format($q$SELECT count(*) || ' ' || md5(string_agg(prompt_text || (enhancement_result #- '{metadata,generation_timestamp}')::text,
                   E'\n' ORDER BY (enhancement_result #>> '{metadata,sample_id}')::bigint)) FROM %s$q$, t) INTO d;
  RETURN d;
END $$;
-- Rows on each shard and each worker, without the shard ids and socket paths that change per run.
CREATE FUNCTION spread() RETURNS TABLE (shards bigint, shards_with_rows bigint, workers_with_rows bigint, total bigint)
LANGUAGE sql AS $$
  SELECT count(*), count(*) FILTER (WHERE r.result::int > 0),
         count(DISTINCT s.nodeport) FILTER (WHERE r.result::int > 0), sum(r.result::bigint)
  FROM run_command_on_shards('training_prompts', 'SELECT count(*) FROM %s') r
  JOIN citus_shards s ON s.shardid = r.shardid
$$;
-- What a plan of an INSERT ... SELECT into training_prompts does, as
-- properties rather than text (the text moves between Citus releases): the
-- Citus steps in it (1: one distributed statement, no step on the coordinator
-- below it), its tasks, whether there is one task per shard of the target
-- (every task shown, each inserting into a different shard, all of them
-- covered), whether each task reads only the shard of synth_load_ids colocated
-- with the one it inserts into (the same hash range), and whether any row goes
-- through the coordinator or between the workers (an INSERT/SELECT method,
-- a subplan or an intermediate result).
CREATE FUNCTION pushdown(q text)
RETURNS TABLE (citus_steps int, tasks int, one_task_per_shard boolean, each_reads_its_colocated_shard boolean,
               rows_through_coordinator boolean)
LANGUAGE plpgsql AS $$
DECLARE l text; ins bigint[] := '{}'; ids bigint[] := '{}'; m text[];
BEGIN
  citus_steps := 0; rows_through_coordinator := false;
  SET LOCAL citus.explain_all_tasks = on;
  FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
    IF l ~ 'Custom Scan \(Citus' THEN citus_steps := citus_steps + 1; END IF;
    m := regexp_match(l, 'Task Count: ([0-9]+)');
    IF m IS NOT NULL THEN tasks := m[1]::int; END IF;
    m := regexp_match(l, 'Insert on training_prompts_([0-9]+)');
    IF m IS NOT NULL THEN ins := ins || m[1]::bigint; END IF;
    m := regexp_match(l, ' on synth_load_ids_([0-9]+)');
    IF m IS NOT NULL THEN ids := ids || m[1]::bigint; END IF;
    IF l ~ 'INSERT/SELECT method|pull to coordinator|repartition|Distributed Subplan|Intermediate Data|Merge Task|Map Task' THEN
      rows_through_coordinator := true;
    END IF;
  END LOOP;
  one_task_per_shard := tasks = cardinality(ins) AND cardinality(ins) = cardinality(ids)
    AND (SELECT array_agg(x ORDER BY x) FROM unnest(ins) x)
      = (SELECT array_agg(shardid ORDER BY shardid) FROM pg_dist_shard WHERE logicalrelid = 'training_prompts'::regclass);
  each_reads_its_colocated_shard := cardinality(ins) > 0 AND cardinality(ins) = cardinality(ids) AND NOT EXISTS (
    SELECT FROM unnest(ins, ids) AS t(target, source)
    JOIN pg_dist_shard st ON st.shardid = t.target
    LEFT JOIN pg_dist_shard ss ON ss.shardid = t.source AND ss.logicalrelid = 'synth_load_ids'::regclass
    WHERE ss.shardid IS NULL OR (ss.shardminvalue, ss.shardmaxvalue) IS DISTINCT FROM (st.shardminvalue, st.shardmaxvalue));
  RETURN NEXT;
END $$;

-- A failure as a NOTICE: its SQLSTATE and message, shard ids masked.
CREATE PROCEDURE try(statement text) LANGUAGE plpgsql AS $$
DECLARE v_state text; v_message text;
BEGIN
  EXECUTE statement;
  RAISE NOTICE 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
  RAISE NOTICE '%: %', v_state, regexp_replace(v_message, '_[0-9]{6,}', '_<shard>', 'g');
END $$;
\set SHOW_CONTEXT never
-- A report with its numbers to 12 significant digits and without the table's
-- name: the last digits of a mean or a correlation depend on the order the
-- rows are read in, on one server as on many (see below).
CREATE FUNCTION rounded(j jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE x numeric;
BEGIN
  CASE jsonb_typeof(j)
    WHEN 'object' THEN
      RETURN (SELECT coalesce(jsonb_object_agg(key, rounded(value)), '{}') FROM jsonb_each(j) WHERE key <> 'table');
    WHEN 'array' THEN
      RETURN (SELECT coalesce(jsonb_agg(rounded(value) ORDER BY n), '[]') FROM jsonb_array_elements(j) WITH ORDINALITY e(value, n));
    WHEN 'number' THEN
      x := j::text::numeric;
      RETURN CASE WHEN x = 0 THEN j ELSE to_jsonb(round(x, 11 - floor(log(abs(x)))::int)) END;
    ELSE RETURN j;
  END CASE;
END $$;

SELECT synth_insert('single', 4000, 42);

-- 1. synth_insert through the coordinator: every shard gets its rows, and they
--    are the rows of one server.
SELECT synth_insert('training_prompts', 4000, 42);
SELECT * FROM spread();
SELECT fingerprint('training_prompts') = fingerprint('single') AS same_rows_as_one_server;
-- skip_if_present sees the rows on the workers (its lock is the coordinator's).
SELECT synth_insert('training_prompts', 10, 7, skip_if_present => true);
SELECT synth_insert('training_prompts', 4000, 42, slice_start => 100, slice_rows => 10, skip_if_present => true);

-- 2. All or nothing: a constraint that only the row of sample_id 777 breaks,
--    so it fails on one shard; no row is left on any shard, and no prepared
--    transaction on any node.
TRUNCATE training_prompts;
ALTER TABLE training_prompts ADD CONSTRAINT not_777
  CHECK ((enhancement_result #>> '{metadata,sample_id}')::int <> 777);
-- (Citus reports a constraint broken under its COPY as XX000, with the shard's message.)
CALL try($$SELECT synth_insert('training_prompts', 4000, 42)$$);
SELECT * FROM spread();
SELECT (SELECT count(*) FROM pg_prepared_xacts) AS prepared_on_coordinator,
       (SELECT sum(result::int) FROM run_command_on_workers('SELECT count(*) FROM pg_prepared_xacts')) AS prepared_on_workers;

-- 3. The workers generate their own rows: synth_citus_load (part of the
--    extension) fills a table of ids colocated with training_prompts and runs
--    one INSERT ... SELECT calling synth_row per id, which Citus pushes down
--    to the shards: one task per shard inserts into its own shard (no
--    INSERT/SELECT method: no row goes through the coordinator or between the
--    workers).

-- Only into a table distributed by id: a local table, a reference table and
-- a table distributed by another column are refused, naming the table.
CREATE TABLE other_key (id serial, k integer);
SELECT create_distributed_table('other_key', 'k');
CALL synth_citus_load(4000, 42, target => 'single');
CALL synth_citus_load(4000, 42, target => 'user_sessions');
CALL synth_citus_load(4000, 42, target => 'other_key');

-- synth_row gives the rows of synth_rows, one sample_id at a time (in one
-- transaction, so the documents' generation_timestamp agree too).
BEGIN;
SELECT (SELECT md5(string_agg(r::text, '' ORDER BY g)) FROM (SELECT g, synth_row(4000, 42, g) r FROM generate_series(0, 3999) g) x)
     = (SELECT md5(string_agg(r::text, '' ORDER BY r.sample_id)) FROM synth_rows(4000, 42) r) AS synth_row_is_synth_rows;
COMMIT;

-- Bad arguments are refused on the coordinator before an id is reserved.
SELECT last_value AS seq_before FROM training_prompts_id_seq \gset
CALL try($$CALL synth_citus_load(4000, 42, label_noise => 2)$$);
CALL try($$CALL synth_citus_load(4000, NULL)$$);
CALL try($$CALL synth_citus_load(4000, 42, priority => 0)$$);
SELECT last_value = :seq_before AS no_id_reserved FROM training_prompts_id_seq;

-- Atomic: the same constraint fails the whole statement, on every shard; the
-- table of ids the first load makes goes with it.
CALL try($$CALL synth_citus_load(4000, 42)$$);
SELECT * FROM spread();
SELECT to_regclass('synth_load_ids') AS ids_table_after_the_failed_first_load;
SELECT (SELECT count(*) FROM pg_prepared_xacts) AS prepared_on_coordinator,
       (SELECT sum(result::int) FROM run_command_on_workers('SELECT count(*) FROM pg_prepared_xacts')) AS prepared_on_workers;
ALTER TABLE training_prompts DROP CONSTRAINT not_777;

-- And with the constraint gone, the rows of one server, spread over every
-- shard, with ids base + sample_id that no other load can take.
SET client_min_messages = warning;
CALL synth_citus_load(4000, 42);
RESET client_min_messages;
SELECT * FROM spread();
SELECT fingerprint('training_prompts') = fingerprint('single') AS same_rows_as_one_server;
SELECT count(DISTINCT id - (enhancement_result #>> '{metadata,sample_id}')::int) AS bases,
       max(id) - min(id) + 1 AS id_span
FROM training_prompts;
SELECT nextval('training_prompts_id_seq') > (SELECT max(id) FROM training_prompts) AS sequence_past_the_block;
-- The table of ids: made by the load beside its target, distributed by id,
-- colocated with the target, owned by the caller (not by the extension), empty.
SELECT p.logicalrelid AS ids_table, column_to_column_name(p.logicalrelid, p.partkey) AS distributed_by,
       p.colocationid = (SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = 'training_prompts'::regclass) AS colocated,
       NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = p.logicalrelid AND d.deptype = 'e') AS not_an_extension_member
FROM pg_dist_partition p WHERE p.logicalrelid = 'synth_load_ids'::regclass;
SELECT count(*) AS ids_left FROM synth_load_ids;

-- The statement as the procedure runs it, its arguments as parameters.
PREPARE load_rows(bigint, bigint, bigint, integer, jsonb, float8[], float8, jsonb) AS
  INSERT INTO public.training_prompts (id, prompt_text, enhancement_result, data_source, training_priority, created_at, is_active)
  SELECT i.id, (i.r).original_prompt, (i.r).enhancement_jsonb, 'synthetic', $4, pg_catalog.now(), true
  FROM (SELECT l.id, public.synth_row($1, $2, l.id - $3, $5, $6, $7, 'jsonb', $8) AS r FROM public.synth_load_ids l) i;
SELECT * FROM pushdown($$EXECUTE load_rows(4000, 42, 1000, 10, NULL, '{0.25,0.5,0.25}', 0.05, NULL)$$);
-- The same statement with a LIMIT, which Citus cannot push down: the check
-- above sees the rows go through the coordinator.
SELECT * FROM pushdown($$
  INSERT INTO public.training_prompts (id, prompt_text, enhancement_result, data_source, training_priority, created_at, is_active)
  SELECT i.id, (i.r).original_prompt, (i.r).enhancement_jsonb, 'synthetic', 10, pg_catalog.now(), true
  FROM (SELECT l.id, public.synth_row(4000, 42, l.id - 1000) AS r FROM public.synth_load_ids l ORDER BY l.id LIMIT 10) i$$);
DEALLOCATE load_rows;

-- 4. synth_validate through the coordinator reads the distributed table and
--    gives the report of one server holding the same rows.
SELECT rounded(synth_validate('training_prompts')) = rounded(synth_validate('single')) AS same_report;
SELECT synth_validate('training_prompts') -> 'checks' -> 0 AS first_check;
-- Exactly equal are the counts and the checks' verdicts ...
SELECT (SELECT jsonb_agg(c - 'value') FROM jsonb_array_elements(synth_validate('training_prompts') -> 'checks') c)
     = (SELECT jsonb_agg(c - 'value') FROM jsonb_array_elements(synth_validate('single') -> 'checks') c) AS same_verdicts;
-- ... while one server's own report moves in the last digits when its rows are
-- stored in another order, just as the distributed table's does.
CREATE TABLE single_shuffled (LIKE single INCLUDING ALL);
INSERT INTO single_shuffled SELECT * FROM single ORDER BY md5(prompt_text || id);
SELECT rounded(synth_validate('single_shuffled')) = rounded(synth_validate('single')) AS same_report_shuffled;
SELECT synth_validate('single_shuffled') #- '{table}' = synth_validate('single') #- '{table}' AS same_digits_shuffled;

-- 5. synth_compare through the coordinator: the distributed table against a
--    plain table of "real" rows gives the report one server gives for the
--    same rows. The metrics are order-free (sorts, counts, co-moments, samples
--    chosen by row content), so the whole report agrees, intervals included.
--    (The stand-in "real" rows are generated ones, marked real.)
CREATE TABLE real_rows (LIKE single INCLUDING ALL);
SELECT synth_insert('real_rows', 600, seed => 7, domain_weights => '{"technical": 3, "creative": 1}', label_noise => 0.3) AS real_rows;
UPDATE real_rows SET data_source = 'real';
SELECT d.key, rounded(d.value) = rounded(s.value) AS same
FROM jsonb_each(synth_compare(source => 'real_rows', synthetic => 'training_prompts', bootstrap => 20)) AS d
JOIN jsonb_each(synth_compare(source => 'real_rows', synthetic => 'single', bootstrap => 20)) AS s USING (key)
ORDER BY d.key;
SELECT (synth_compare(source => 'real_rows', synthetic => 'training_prompts', bootstrap => 0) -> 'synthetic' ->> 'rows')::int
       = (SELECT count(*) FROM single) AS every_row_compared;

-- A second load of another dataset goes beside the first, with its own ids;
-- the caller's search_path plays no part once the target is named.
SET client_min_messages = warning;
SET search_path = pg_catalog;
CALL public.synth_citus_load(1000, 43, target => 'public.training_prompts');
RESET search_path;
RESET client_min_messages;
SELECT count(*), count(DISTINCT id) FROM training_prompts;

-- A load drawn from a fitted profile: the rows synth_insert makes from it on
-- one server, and the profile kept on the coordinator as synth_insert keeps it.
SELECT synth_fit('real_rows') AS p \gset
CREATE TABLE single_fitted (LIKE single INCLUDING ALL);
SELECT synth_insert('single_fitted', 700, 9, profile => :'p');
TRUNCATE training_prompts, synth_profiles;
SET client_min_messages = warning;
CALL synth_citus_load(700, 9, profile => :'p');
RESET client_min_messages;
SELECT fingerprint('training_prompts') = fingerprint('single_fitted') AS same_fitted_rows_as_one_server;
SELECT count(*) AS kept_profiles, bool_and(profile_hash = synth_profile_hash(:'p')) AS the_profile FROM synth_profiles;
-- A profile and tier_shares that contradict it: refused before anything is written.
CALL try(format($$CALL synth_citus_load(700, 9, tier_shares => '{0.5,0.25,0.25}', profile => %L)$$, :'p'));
SELECT count(*) AS still_the_700_rows_above FROM training_prompts;

DROP TABLE training_prompts, user_sessions, single, single_shuffled, single_fitted, real_rows, synth_load_ids, other_key CASCADE;
DROP PROCEDURE try;
DROP FUNCTION fingerprint, spread, pushdown, rounded;
