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
-- Room for two private fits of epsilon 1 (the domains are not public, so a
-- fit spends the rho of epsilon 1 at delta / 2).
SELECT set_config('synthdata.privacy_budget', synth_privacy_epsilon(2.5 * synth_privacy_rho(1, 0.5e-9), 1e-9)::text,
                  false) IS NOT NULL AS budget_set;

-- A private refresh: fitted privately, one ledger entry.
SELECT r->'refreshed' AS refreshed, r->>'source' AS source, r->>'reason' AS reason, r->'inserted' AS inserted,
       r->'privacy' AS privacy
FROM synth_refresh('dpr_prompts', min_rows => 50, epsilon => 1) r;
SELECT count(*) AS spends, bool_and(l.profile_hash = r.profile_hash) AS batch_profile
FROM synth_privacy_ledger l JOIN synth_refreshes r ON r.target = l.source_table
WHERE l.source_table = 'dpr_prompts'::regclass;
SELECT (synth_profile_summary(p.profile)->'privacy'->>'private')::boolean AS batch_from_private_profile
FROM synth_profiles p JOIN synth_refreshes r USING (profile_hash) WHERE r.target = 'dpr_prompts'::regclass;
-- Unchanged rows: a no-op that fits nothing and spends nothing.
SELECT r->'refreshed' AS refreshed, r->>'reason' AS reason, r->'privacy'->>'outcome' AS outcome
FROM synth_refresh('dpr_prompts', min_rows => 50, epsilon => 1) r;
SELECT count(*) AS spends FROM synth_privacy_ledger WHERE source_table = 'dpr_prompts'::regclass;
-- Unchanged rows, a larger batch wanted: the last private profile again, no spend.
SELECT r->'refreshed' AS refreshed, r->>'reason' AS reason, r->'inserted' AS inserted,
       r->'privacy'->>'outcome' AS outcome
FROM synth_refresh('dpr_prompts', min_rows => 700, epsilon => 1) r;
SELECT count(*) AS spends FROM synth_privacy_ledger WHERE source_table = 'dpr_prompts'::regclass;
-- New real rows: a real refit, the second spend.
SELECT pg_temp.add_real(401, 450);
SELECT r->'refreshed' AS refreshed, r->>'source' AS source, r->'privacy'->>'outcome' AS outcome
FROM synth_refresh('dpr_prompts', min_rows => 50, epsilon => 1) r;
SELECT count(*) AS spends FROM synth_privacy_ledger WHERE source_table = 'dpr_prompts'::regclass;
-- More rows, the budget spent: no error; the last private profile makes the
-- new batch, with a NOTICE and the reason.
SELECT pg_temp.add_real(451, 500);
SELECT r->'refreshed' AS refreshed, r->>'source' AS source, r->>'reason' AS reason, r->'inserted' AS inserted,
       r->'privacy'->>'outcome' AS outcome,
       r->>'profile_hash' = (SELECT profile_hash FROM synth_privacy_ledger
                             WHERE source_table = 'dpr_prompts'::regclass AND entry = 2) AS last_private_profile
FROM synth_refresh('dpr_prompts', min_rows => 50, epsilon => 1) r;
SELECT count(*) AS spends FROM synth_privacy_ledger WHERE source_table = 'dpr_prompts'::regclass;
SELECT count(*) AS active_synthetic,
       count(*) FILTER (WHERE enhancement_result->'metadata'->>'profile_hash' =
                              (SELECT profile_hash FROM synth_privacy_ledger
                               WHERE source_table = 'dpr_prompts'::regclass AND entry = 2)) AS from_last_private
FROM dpr_prompts WHERE data_source = 'synthetic' AND is_active;
-- synth_compare names the private profile the batch came from.
SELECT jsonb_array_length(c->'profile_privacy'->'private_profiles') AS private_profiles,
       c->'profile_privacy'->'private_profiles'->0->'epsilon' AS epsilon,
       c->'profile_privacy'->'private_profiles'->0->>'source_table' AS source_table,
       c->'profile_privacy'->'other_profiles' AS other_profiles
FROM synth_compare('dpr_prompts', bootstrap => 0) c;
-- And again with the same rows: a no-op.
SELECT r->'refreshed' AS refreshed, r->>'reason' AS reason
FROM synth_refresh('dpr_prompts', min_rows => 50, epsilon => 1) r;
SELECT refresh_number, source, reason FROM synth_refresh_history('dpr_prompts') ORDER BY refresh_number;

-- A table whose budget is spent before any private fit: no private profile
-- to fall back on, so no synthetic rows (its dimension is not the design
-- table's), with a NOTICE; still no error.
CREATE TABLE dpr_fresh (LIKE dpr_prompts INCLUDING ALL);
INSERT INTO dpr_fresh SELECT * FROM dpr_prompts WHERE data_source = 'real';
SET synthdata.privacy_budget = 0;
SELECT r->'refreshed' AS refreshed, r->>'source' AS source, r->>'reason' AS reason, r->'inserted' AS inserted,
       r->'privacy'->>'outcome' AS outcome
FROM synth_refresh('dpr_fresh', min_rows => 50, epsilon => 1) r;
RESET synthdata.privacy_budget;
-- Without epsilon the refresh fits as before (not private), spending nothing.
SELECT r->'refreshed' AS refreshed, r->>'source' AS source, r->'privacy' AS privacy
FROM synth_refresh('dpr_fresh', min_rows => 50) r;
SELECT count(*) AS spends FROM synth_privacy_ledger WHERE source_table = 'dpr_fresh'::regclass;
-- Its batch is not private: synth_compare says nothing of privacy.
SELECT synth_compare('dpr_fresh', bootstrap => 0) ? 'profile_privacy' AS has_profile_privacy;

-- What these tables left in the extension's tables goes with them.
DELETE FROM synth_refresh_log WHERE target IN ('dpr_prompts'::regclass, 'dpr_fresh'::regclass);
DELETE FROM synth_refreshes WHERE target IN ('dpr_prompts'::regclass, 'dpr_fresh'::regclass);
DELETE FROM synth_profiles WHERE profile_hash IN (SELECT profile_hash FROM synth_privacy_ledger) OR source_table LIKE '%dpr\_%';
DELETE FROM synth_privacy_ledger WHERE source_table IN ('dpr_prompts'::regclass, 'dpr_fresh'::regclass);
DROP TABLE dpr_prompts, dpr_fresh;
