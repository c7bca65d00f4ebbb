-- Loading one dataset into the pipeline's table on a Citus cluster, with every
-- worker generating its own rows instead of pulling them all through the
-- coordinator (README, "Loading at scale"). Needs synthdata on every node and
-- training_prompts distributed by id:
--
--   SELECT create_reference_table('user_sessions');
--   SELECT create_distributed_table('training_prompts', 'id');
--   \i examples/citus_load.sql
--   CALL synth_citus_load(2000000, 42);
--
-- How it works. A small distributed table, synth_load_slices, colocated with
-- training_prompts, gets one row per shard (slices_per_shard rows with more),
-- each naming a slice of the dataset. One INSERT ... SELECT then reads that
-- table and calls synth_rows for each slice: Citus runs the SELECT on the
-- workers, one task per shard, all at once, and sends each generated row
-- straight to the worker owning its id (EXPLAIN shows "INSERT/SELECT method:
-- repartition"; the coordinator only plans and commits). It is one distributed
-- statement: a failure on any shard rolls back every shard (two-phase commit).
--
-- Ids: a block of n values of the table's id sequence is reserved on the
-- coordinator first, and a row's id is base + sample_id, so ids are unique
-- and no worker calls nextval (Citus refuses nextval on workers for an
-- integer column like the pipeline's serial id). The block is taken with
-- setval(nextval() + n - 1): an insert elsewhere that draws an id in that same
-- instant collides on the primary key, and the whole load fails and can be
-- run again; it never duplicates a row.
--
-- The rows are those of synth_insert('training_prompts', n, seed, ...) on one
-- server, apart from created_at and the document's generation_timestamp.

CREATE TABLE IF NOT EXISTS synth_load_slices (
    slot integer NOT NULL,
    load_id bigint NOT NULL,
    slice_start bigint NOT NULL,
    slice_rows bigint NOT NULL,
    PRIMARY KEY (slot, load_id)
);
SELECT create_distributed_table('synth_load_slices', 'slot', colocate_with => 'training_prompts')
WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'synth_load_slices'::regclass);

CREATE OR REPLACE PROCEDURE synth_citus_load(
    n bigint,
    seed bigint,
    priority integer DEFAULT 10,
    domain_weights jsonb DEFAULT NULL,
    tier_shares float8[] DEFAULT '{0.25,0.5,0.25}',
    label_noise float8 DEFAULT 0.05,
    slices_per_shard integer DEFAULT 1)
LANGUAGE plpgsql AS $$
DECLARE
  id_seq regclass := pg_get_serial_sequence('training_prompts', 'id')::regclass;
  base bigint;
  slices bigint;
BEGIN
  IF n IS NULL OR n < 1 OR seed IS NULL THEN
    RAISE EXCEPTION 'synth_citus_load needs n >= 1 and a seed, got n = %, seed = %', n, seed
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  base := setval(id_seq, nextval(id_seq) + n - 1) - n + 1;

  -- slices_per_shard slot values that hash into each shard, numbered 0.. in shard order.
  WITH slots AS (
    SELECT v AS slot, get_shard_id_for_distribution_column('synth_load_slices', v) AS shard
    FROM generate_series(0, 1000 * slices_per_shard) v),
  picked AS (
    SELECT slot, row_number() OVER (ORDER BY shard, slot) - 1 AS k
    FROM (SELECT slot, shard, row_number() OVER (PARTITION BY shard ORDER BY slot) AS nth FROM slots) s
    WHERE nth <= slices_per_shard)
  INSERT INTO synth_load_slices (slot, load_id, slice_start, slice_rows)
  SELECT slot, base, k * n / c, (k + 1) * n / c - k * n / c
  FROM picked, (SELECT count(*) AS c FROM picked) total;
  GET DIAGNOSTICS slices = ROW_COUNT;

  INSERT INTO training_prompts (id, prompt_text, enhancement_result, data_source, training_priority,
                                created_at, is_active)
  SELECT base + r.sample_id, r.original_prompt, r.enhancement_jsonb, 'synthetic', priority, now(), true
  FROM synth_load_slices s,
       LATERAL synth_rows(n, seed, domain_weights, tier_shares, label_noise, 1, false,
                          s.slice_start, s.slice_rows) r
  WHERE s.load_id = base;

  DELETE FROM synth_load_slices WHERE load_id = base;
  RAISE NOTICE 'synth_citus_load: % rows in % slices, ids % to %', n, slices, base, base + n - 1;
END $$;
