-- Loading one dataset into the pipeline's table on a Citus cluster, with every
-- worker generating and inserting its own rows instead of pulling them all
-- through the coordinator (README, "Loading at scale"). Needs synthdata 1.1 on
-- every node and training_prompts distributed by id:
--
--   SELECT create_reference_table('user_sessions');
--   SELECT create_distributed_table('training_prompts', 'id');
--   \i examples/citus_load.sql
--   CALL synth_citus_load(2000000, 42);
--
-- How it works. A distributed table of ids, synth_load_ids, colocated with
-- training_prompts, gets the n ids of the load (an INSERT of n integers
-- through the coordinator: under a CPU-second for 2M). One INSERT ... SELECT
-- then reads it and calls
-- synth_row(n, seed, id - base, ...) for each id: since the target's id is
-- the source's distribution column, and synth_row is STABLE, Citus pushes the
-- whole statement down to the shards (EXPLAIN shows one "Insert on
-- training_prompts_<shard>" task per shard and no INSERT/SELECT method): each
-- worker generates exactly the rows whose ids it holds and writes them into
-- its own shard; no generated row crosses the network. (Each column taken from
-- the flattened subquery is a call of synth_row of its own; the later calls
-- copy the row the first made.) It is one distributed
-- statement: a failure on any shard rolls back every shard (two-phase commit).
--
-- Ids: a block of n values of the table's id sequence is reserved on the
-- coordinator first, and a row's id is base + sample_id, so ids are unique
-- and no worker calls nextval (Citus refuses nextval on workers for an
-- integer column like the pipeline's serial id). The block is taken with
-- setval(nextval() + n - 1): an insert elsewhere that draws an id in that same
-- instant collides on the primary key with a row of the block, and whichever
-- of the two statements comes second fails (this load, all or nothing, or the
-- other insert); neither duplicates a row, and either can be run again. Loads
-- take synth_load_ids in EXCLUSIVE mode, so they run one after another; it is
-- emptied before each commits. The procedure keeps the search_path it was
-- created with, so it finds this synthdata and this training_prompts.
--
-- The rows are those of synth_insert('training_prompts', n, seed, ...) on one
-- server, apart from created_at and the document's generation_timestamp (each
-- worker's transaction has its own start time). With a profile, it is kept in
-- synth_profiles on the coordinator, as synth_insert keeps it.

CREATE TABLE IF NOT EXISTS synth_load_ids AS SELECT id FROM training_prompts WITH NO DATA;
SELECT create_distributed_table('synth_load_ids', 'id', colocate_with => 'training_prompts')
WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'synth_load_ids'::regclass);

CREATE OR REPLACE PROCEDURE synth_citus_load(
    n bigint,
    seed bigint,
    priority integer DEFAULT 10,
    domain_weights jsonb DEFAULT NULL,
    tier_shares float8[] DEFAULT '{0.25,0.5,0.25}',
    label_noise float8 DEFAULT 0.05,
    profile jsonb DEFAULT NULL)
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  id_seq regclass := pg_get_serial_sequence('training_prompts', 'id')::regclass;
  base bigint;
  loaded bigint;
BEGIN
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
  PERFORM synth_row(n, seed, 0, domain_weights, tier_shares, label_noise, 'jsonb', profile);
  IF profile IS NOT NULL THEN
    PERFORM _synth_keep_profile(profile);
  END IF;
  LOCK TABLE synth_load_ids IN EXCLUSIVE MODE;
  base := setval(id_seq, nextval(id_seq) + n - 1) - n + 1;

  INSERT INTO synth_load_ids (id) SELECT g FROM generate_series(base, base + n - 1) g;

  INSERT INTO training_prompts (id, prompt_text, enhancement_result, data_source, training_priority,
                                created_at, is_active)
  SELECT i.id, (i.r).original_prompt, (i.r).enhancement_jsonb, 'synthetic', priority, now(), true
  FROM (SELECT id, synth_row(n, seed, id - base, domain_weights, tier_shares, label_noise, 'jsonb', profile) AS r
        FROM synth_load_ids) i;
  GET DIAGNOSTICS loaded = ROW_COUNT;

  TRUNCATE synth_load_ids;
  RAISE NOTICE 'synth_citus_load: % rows, ids % to %', loaded, base, base + n - 1;
END $$;
