-- Every refresh kept (issue 25, item 12) and retired rows bounded (item 13):
-- synth_refresh_log numbers each refresh that changed something and
-- synth_refresh_history shows the trend; synth_refresh keeps the last
-- keep_retired retired batches (2 by default) and deletes older retired
-- synthetic rows; synth_purge_retired deletes them on demand. Real rows and
-- active rows are never deleted.
\set SHOW_CONTEXT never
CREATE TABLE history_prompts (
    id serial PRIMARY KEY, prompt_text varchar(10000) NOT NULL, enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL, training_priority integer NOT NULL, created_at timestamp NOT NULL,
    is_active boolean NOT NULL DEFAULT true);
-- 150 real rows ('user' and 'real') and 150 synthetic rows of a batch synth_insert wrote.
SELECT synth_insert('history_prompts', 300, seed => 2);
UPDATE history_prompts SET data_source = CASE WHEN id % 4 = 0 THEN 'user' ELSE 'real' END WHERE id % 2 = 0;
CREATE FUNCTION pg_temp.batches() RETURNS TABLE (data_source text, batch text, is_active boolean, rows bigint)
LANGUAGE sql AS $$
  SELECT data_source, CASE WHEN data_source = 'synthetic'
                           THEN (enhancement_result->'metadata'->>'seed') || '/' || (enhancement_result->'metadata'->>'n') END,
         is_active, count(*)
  FROM history_prompts GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 $$;

-- Four refreshes with four seeds: each retires the batch before it.
SELECT r->'refresh_number' AS refresh_number, r->'deactivated' AS deactivated, r->'inserted' AS inserted,
       r->'deleted_retired' AS deleted_retired
FROM generate_series(5, 8) s, LATERAL synth_refresh('history_prompts', min_rows => 100, seed => s) r;
-- Kept: the active batch 8/45 and the two retired batches before it (7/45,
-- 6/45). Deleted: 5/45, by the fourth refresh, and the batch no refresh
-- wrote (2/300), by the first: a batch the log does not know is older than
-- every batch it does. The real rows are all there.
SELECT * FROM pg_temp.batches();
-- Unchanged: a no-op, and no new entry.
SELECT r->'refreshed' AS refreshed, r->'refresh_number' AS refresh_number
FROM synth_refresh('history_prompts', min_rows => 100, seed => 8) r;
SELECT refresh_number, real_rows, real_sources, synthetic_rows, inserted, deactivated, deleted_retired, source,
       quality_score BETWEEN 0.5 AND 1 AS scored, (quality_change IS NULL) = (refresh_number = 1) AS change_after_first,
       reason
FROM synth_refresh_history('history_prompts');
SELECT count(*) AS log_rows FROM synth_refresh_log WHERE target = 'history_prompts'::regclass;

-- keep_retired => NULL keeps every retired batch; keep_retired => 0 keeps none.
SELECT r->'deleted_retired' AS deleted_retired FROM synth_refresh('history_prompts', min_rows => 100, seed => 9, keep_retired => NULL) r;
SELECT * FROM pg_temp.batches();
SELECT r->'deleted_retired' AS deleted_retired FROM synth_refresh('history_prompts', min_rows => 100, seed => 10, keep_retired => 0) r;
SELECT * FROM pg_temp.batches();
SELECT synth_refresh('history_prompts', keep_retired => -1);

-- synth_purge_retired: keep => 1 keeps the last retired batch, the default
-- keep => 0 deletes every retired synthetic row; active and real rows stay.
SELECT r->'inserted' AS inserted FROM synth_refresh('history_prompts', min_rows => 100, seed => 11) r;
SELECT r->'inserted' AS inserted FROM synth_refresh('history_prompts', min_rows => 100, seed => 12) r;
SELECT * FROM pg_temp.batches();
SELECT synth_purge_retired('history_prompts', keep => 1) AS deleted;
SELECT * FROM pg_temp.batches();
SELECT synth_purge_retired('history_prompts') AS deleted;
SELECT * FROM pg_temp.batches();
SELECT synth_purge_retired('history_prompts', keep => -1);
CREATE TABLE no_flags (domain text, feature_vector float8[], effectiveness_score float8);
SELECT synth_purge_retired('no_flags');

-- The log follows synth_refreshes' rule: a role sees the entries of tables it may UPDATE.
CREATE ROLE regress_history_reader;
GRANT SELECT ON history_prompts TO regress_history_reader;
SET ROLE regress_history_reader;
SELECT count(*) AS visible FROM synth_refresh_history('history_prompts');
RESET ROLE;
GRANT UPDATE (is_active) ON history_prompts TO regress_history_reader;
SET ROLE regress_history_reader;
SELECT count(*) AS visible FROM synth_refresh_history('history_prompts');
RESET ROLE;
DROP TABLE history_prompts, no_flags;
DROP ROLE regress_history_reader;
