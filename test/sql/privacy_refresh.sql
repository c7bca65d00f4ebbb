-- synth_refresh with epsilon (issue 24): a private refit spends from the
-- table's budget only when it really refits; once the budget is spent the
-- last private profile is used again, with a NOTICE, never an error.
\set SHOW_CONTEXT never
CREATE TABLE dpr_prompts (
    id serial PRIMARY KEY, prompt_text varchar(10000) NOT NULL, enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL, training_priority integer NOT NULL, created_at timestamp NOT NULL,
    updated_at timestamp, deleted_at timestamp, is_active boolean NOT NULL DEFAULT true);
CREATE FUNCTION pg_temp.add_real(first int, last int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO dpr_prompts (prompt_text, enhancement_result, data_source, training_priority, created_at)
  SELECT 'real prompt ' || g,
         jsonb_build_object(
           'feature_vector', jsonb_build_array((g * 7) % 13, round(((g * 37) % 100) / 100.0, 2), g % 5),
           'effectiveness_score', round(((g * 53) % 100) / 100.0, 2),
           'metadata', jsonb_build_object('domain', CASE WHEN g % 3 = 0 THEN 'billing' ELSE 'support' END,
                                          'feature_names', jsonb_build_array('steps', 'quality', 'retries'))),
         'real', 100, '2024-01-01'
  FROM generate_series(first, last) g
$$;
SELECT pg_temp.add_real(1, 400);
-- The features' public bounds name them as the rows do (a private fit takes
-- no name from the rows), so synth_compare pairs the batch with them.
\set b '{"steps": [0, 13], "quality": [0, 1], "retries": [0, 5]}'
-- Room for two private fits of epsilon 1 (the domains are not public, so a
-- fit spends the rho of epsilon 1 at delta / 2).
SELECT set_config('synthdata.privacy_budget', synth_privacy_epsilon(2.5 * synth_privacy_rho(1, 0.5e-9), 1e-9)::text,
                  false) IS NOT NULL AS budget_set;

-- A private refresh: fitted privately, one ledger entry.
SELECT synth_refresh('dpr_prompts', min_rows => 50, epsilon => 1, bounds => :'b') AS r1 \gset
SELECT r->'refreshed' AS refreshed, r->>'source' AS source, r->>'reason' LIKE 'fitted 3 features with differential privacy (epsilon 1, delta 1e-09): about % real rows (the released, noisy count)' AS reason,
       r->'inserted' = r->'synthetic_rows' AS inserted_batch, (r->'privacy') - 'bounds'::text AS privacy
FROM (SELECT :'r1'::jsonb AS r) r;
-- It shows and records released figures only: the batch's size comes from
-- the profile's noisy row count and its seed from the profile's hash, never
-- from the real rows (the 400 rows, their digest); no count of rows the
-- fit skipped, no quality score against the real rows, no digest kept.
SELECT (r->>'real_rows')::bigint = (p.profile->>'rows')::bigint AS real_rows_is_released_count,
       (r->>'synthetic_rows')::bigint = ceil(0.3 * (p.profile->>'rows')::bigint) AS size_from_released_count,
       (r->>'seed')::bigint = hashtextextended(r->>'profile_hash', 0) & 9223372036854775807 AS seed_from_profile,
       (r->>'seed')::bigint <> hashtextextended(f.real_rows_hash, 0) & 9223372036854775807 AS seed_not_from_rows,
       r->'unusable_rows' AS unusable_rows, r->'other_dimension_rows' AS other_dimension_rows,
       r->'quality_score' AS quality_score, r->>'quality_note' AS quality_note
FROM (SELECT :'r1'::jsonb AS r) r
JOIN synth_profiles p ON p.profile_hash = r->>'profile_hash',
     _synth_fit_real_rows('dpr_prompts', 10, NULL, NULL, 1e-9, NULL, NULL, NULL) f;
SELECT real_rows_hash IS NULL AS no_digest_kept FROM synth_refreshes WHERE target = 'dpr_prompts'::regclass;
SELECT quality_score IS NULL AS no_quality_logged, real_rows = (:'r1'::jsonb->>'real_rows')::bigint AS released_count_logged
FROM synth_refresh_log WHERE target = 'dpr_prompts'::regclass;
SELECT count(*) = count(*) FILTER (WHERE (enhancement_result->'metadata'->>'seed')::bigint = (:'r1'::jsonb->>'seed')::bigint)
       AS rows_carry_that_seed
FROM dpr_prompts WHERE data_source = 'synthetic' AND is_active;
SELECT count(*) AS spends, bool_and(l.profile_hash = r.profile_hash) AS batch_profile
FROM synth_privacy_ledger l JOIN synth_refreshes r ON r.target = l.source_table
WHERE l.source_table = 'dpr_prompts'::regclass;
SELECT (synth_profile_summary(p.profile)->'privacy'->>'private')::boolean AS batch_from_private_profile
FROM synth_profiles p JOIN synth_refreshes r USING (profile_hash) WHERE r.target = 'dpr_prompts'::regclass;
-- Unchanged rows: a no-op that fits nothing and spends nothing.
SELECT r->'refreshed' AS refreshed, r->>'reason' AS reason, r->'privacy'->>'outcome' AS outcome
FROM synth_refresh('dpr_prompts', min_rows => 50, epsilon => 1, bounds => :'b') r;
SELECT count(*) AS spends FROM synth_privacy_ledger WHERE source_table = 'dpr_prompts'::regclass;
-- Unchanged rows, a larger batch wanted: the last private profile again, no spend.
SELECT r->'refreshed' AS refreshed, r->>'reason' AS reason,
       (r->>'inserted')::bigint = 700 - (r->>'real_rows')::bigint AS inserted_min_rows_less_released,
       r->'privacy'->>'outcome' AS outcome
FROM synth_refresh('dpr_prompts', min_rows => 700, epsilon => 1, bounds => :'b') r;
SELECT count(*) AS spends FROM synth_privacy_ledger WHERE source_table = 'dpr_prompts'::regclass;
-- New real rows: a real refit, the second spend.
SELECT pg_temp.add_real(401, 450);
SELECT r->'refreshed' AS refreshed, r->>'source' AS source, r->'privacy'->>'outcome' AS outcome
FROM synth_refresh('dpr_prompts', min_rows => 50, epsilon => 1, bounds => :'b') r;
SELECT count(*) AS spends FROM synth_privacy_ledger WHERE source_table = 'dpr_prompts'::regclass;
-- More rows, the budget spent: no error; the last private profile again,
-- with a NOTICE and the reason. Its released count is the last refresh's,
-- so the batch is that refresh's: nothing to redo.
SELECT pg_temp.add_real(451, 500);
SELECT r->'refreshed' AS refreshed, r->>'source' AS source, r->>'reason' AS reason, r->'inserted' AS inserted,
       r->'privacy'->>'outcome' AS outcome,
       r->>'profile_hash' = (SELECT profile_hash FROM synth_privacy_ledger
                             WHERE source_table = 'dpr_prompts'::regclass AND entry = 2) AS last_private_profile
FROM synth_refresh('dpr_prompts', min_rows => 50, epsilon => 1, bounds => :'b') r;
SELECT count(*) AS spends FROM synth_privacy_ledger WHERE source_table = 'dpr_prompts'::regclass;
SELECT count(*) = (SELECT synthetic_rows FROM synth_refreshes WHERE target = 'dpr_prompts'::regclass) AS whole_batch,
       count(*) = count(*) FILTER (WHERE enhancement_result->'metadata'->>'profile_hash' =
                              (SELECT profile_hash FROM synth_privacy_ledger
                               WHERE source_table = 'dpr_prompts'::regclass AND entry = 2)) AS all_from_last_private
FROM dpr_prompts WHERE data_source = 'synthetic' AND is_active;
-- synth_compare names the private profile the batch came from.
SELECT jsonb_array_length(c->'profile_privacy'->'private_profiles') AS private_profiles,
       c->'profile_privacy'->'private_profiles'->0->'epsilon' AS epsilon,
       c->'profile_privacy'->'private_profiles'->0->>'source_table' AS source_table,
       c->'profile_privacy'->'other_profiles' AS other_profiles
FROM synth_compare('dpr_prompts', bootstrap => 0) c;
-- synth_compare_report's page shows the same block.
SELECT line FROM synth_compare_report('dpr_prompts', bootstrap => 0) line
WHERE line LIKE 'Privacy:%' OR line LIKE '  public.dpr_prompts: epsilon%';
-- And again with the same rows: a no-op.
SELECT r->'refreshed' AS refreshed, r->>'reason' AS reason
FROM synth_refresh('dpr_prompts', min_rows => 50, epsilon => 1, bounds => :'b') r;
SELECT refresh_number, source, regexp_replace(reason, 'about \d+ real rows', 'about N real rows') AS reason
FROM synth_refresh_history('dpr_prompts') ORDER BY refresh_number;

-- A table whose budget is spent before any private fit: no private profile
-- to fall back on, so no synthetic rows (its dimension is not the design
-- table's), with a NOTICE; still no error.
CREATE TABLE dpr_fresh (LIKE dpr_prompts INCLUDING ALL);
INSERT INTO dpr_fresh SELECT * FROM dpr_prompts WHERE data_source = 'real';
SET synthdata.privacy_budget = 0;
SELECT r->'refreshed' AS refreshed, r->>'source' AS source, r->>'reason' AS reason, r->'inserted' AS inserted,
       r->'privacy'->>'outcome' AS outcome
FROM synth_refresh('dpr_fresh', min_rows => 50, epsilon => 1, bounds => :'b') r;
RESET synthdata.privacy_budget;
-- Without epsilon the refresh fits as before (not private), spending nothing.
SELECT r->'refreshed' AS refreshed, r->>'source' AS source, r->'privacy' AS privacy
FROM synth_refresh('dpr_fresh', min_rows => 50) r;
SELECT count(*) AS spends FROM synth_privacy_ledger WHERE source_table = 'dpr_fresh'::regclass;
-- Its batch is not private: synth_compare says nothing of privacy.
SELECT synth_compare('dpr_fresh', bootstrap => 0) ? 'profile_privacy' AS has_profile_privacy;

-- A refit whose fit fails after drawing noise (fewer than 10 released
-- rows) still spends: the ledger records the spend before the first draw.
-- The engine's noisy count decides, not the true count (3) against
-- fit_min_rows, and the reason holds no true count.
CREATE TABLE dpr_tiny (LIKE dpr_prompts INCLUDING ALL);
INSERT INTO dpr_tiny SELECT * FROM dpr_prompts WHERE data_source = 'real' ORDER BY id LIMIT 3;
SELECT r->>'source' AS source, r->>'reason' AS reason, r->'real_rows' AS real_rows, r->'privacy'->>'outcome' AS outcome
FROM synth_refresh('dpr_tiny', min_rows => 50, epsilon => 1) r;
SELECT count(*) AS spends, bool_and(profile_hash = '') AS released_no_profile
FROM synth_privacy_ledger WHERE source_table = 'dpr_tiny'::regclass;

-- What these tables left in the extension's tables goes with them.
DELETE FROM synth_refresh_log WHERE target IN ('dpr_prompts'::regclass, 'dpr_fresh'::regclass, 'dpr_tiny'::regclass);
DELETE FROM synth_refreshes WHERE target IN ('dpr_prompts'::regclass, 'dpr_fresh'::regclass, 'dpr_tiny'::regclass);
DELETE FROM synth_profiles WHERE profile_hash IN (SELECT profile_hash FROM synth_privacy_ledger) OR source_table LIKE '%dpr\_%';
DELETE FROM synth_privacy_ledger WHERE source_table IN ('dpr_prompts'::regclass, 'dpr_fresh'::regclass, 'dpr_tiny'::regclass);
DROP TABLE dpr_tiny, dpr_prompts, dpr_fresh;
