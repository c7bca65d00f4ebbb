-- Statistics are total on floats (issue 21, finding 1): a feature whose sums
-- overflow (two real rows of 1e308 among 20; 1e305 in 2,000 rows) once made
-- synth_compare, and so synth_refresh, loop forever in the AUC's tie loop on
-- NaN scores, deaf to cancels. Both now return, with scores in range. The
-- statement_timeout turns a hang into a failure instead of a stuck run.
\set SHOW_CONTEXT never
SET statement_timeout = '60s';
CREATE TABLE overflow_prompts (
    id serial PRIMARY KEY, prompt_text varchar(10000) NOT NULL, enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL, training_priority integer NOT NULL, created_at timestamp NOT NULL,
    is_active boolean NOT NULL DEFAULT true);
-- rows(first, count, source, big, big_rows): four features; the third is `big` in the first big_rows rows.
CREATE FUNCTION pg_temp.add_rows(first int, count int, source text, big float8, big_rows int) RETURNS void
LANGUAGE sql AS $$
INSERT INTO overflow_prompts (prompt_text, enhancement_result, data_source, training_priority, created_at)
SELECT 'prompt ' || g,
       jsonb_build_object(
         'feature_vector', jsonb_build_array((g * 7) % 13, ((g * 37) % 100) / 100.0,
                                             CASE WHEN g - first < big_rows THEN big ELSE g % 5 END,
                                             ((g * 11) % 17) / 17.0),
         'effectiveness_score', ((g * 37) % 100) / 100.0,
         'metadata', jsonb_build_object('domain', CASE WHEN g % 3 = 0 THEN 'billing' ELSE 'support' END)),
       source, 100, '2024-01-01'
FROM generate_series(first, first + count - 1) g
$$;
CREATE FUNCTION pg_temp.in_unit(x jsonb) RETURNS text LANGUAGE sql AS $$
SELECT CASE WHEN x IS NULL OR x = 'null' THEN 'null'
            WHEN (x #>> '{}')::float8 BETWEEN 0 AND 1 THEN 'in [0, 1]' ELSE 'OUT OF RANGE: ' || x::text END
$$;

-- Two real rows with a feature of 1e308 among 20; 20 ordinary synthetic rows.
SELECT pg_temp.add_rows(1, 20, 'real', 1e308, 2);
SELECT pg_temp.add_rows(1001, 20, 'synthetic', 0, 0);
SELECT pg_temp.in_unit(c->'quality'->'score') AS quality, pg_temp.in_unit(c->'detection'->'score') AS detection,
       pg_temp.in_unit(c->'detection'->'auc') AS auc, pg_temp.in_unit(c->'privacy'->'dcr_median') AS dcr,
       c->'real'->'rows' AS real_rows, c->'synthetic'->'rows' AS synthetic_rows
FROM synth_compare('overflow_prompts', bootstrap => 20) c;
SELECT count(*) > 0 AS has_page FROM synth_compare_report('overflow_prompts', bootstrap => 0);
-- The same from both sides, with opposite signs.
SELECT pg_temp.add_rows(2001, 3, 'synthetic', -1e308, 3);
SELECT pg_temp.in_unit(c->'quality'->'score') AS quality, pg_temp.in_unit(c->'detection'->'auc') AS auc
FROM synth_compare('overflow_prompts', bootstrap => 20) c;

-- synth_refresh on those real rows: fits, inserts, compares, returns.
DELETE FROM overflow_prompts WHERE data_source = 'synthetic';
SELECT r->'refreshed' AS refreshed, r->'real_rows' AS real_rows, r->'inserted' AS inserted,
       pg_temp.in_unit(r->'quality_score') AS quality
FROM synth_refresh('overflow_prompts', min_rows => 0) r;

-- 1e305 in 2,000 rows: the column's sum overflows though no value does.
TRUNCATE overflow_prompts;
SELECT pg_temp.add_rows(1, 2000, 'real', 1e305, 2000);
SELECT pg_temp.add_rows(5001, 2000, 'synthetic', 0, 0);
SELECT pg_temp.in_unit(c->'quality'->'score') AS quality, pg_temp.in_unit(c->'detection'->'auc') AS auc,
       pg_temp.in_unit(c->'efficacy'->'tstr_auc') AS tstr_auc
FROM synth_compare('overflow_prompts', bootstrap => 5) c;
DELETE FROM overflow_prompts WHERE data_source = 'synthetic';
SELECT r->'refreshed' AS refreshed, r->'real_rows' AS real_rows, r->'inserted' AS inserted,
       pg_temp.in_unit(r->'quality_score') AS quality
FROM synth_refresh('overflow_prompts', min_rows => 0) r;

RESET statement_timeout;
-- The refreshes kept their profiles: leave the extension's tables as they were.
DELETE FROM synth_profiles p USING synth_refreshes r
WHERE r.target = 'overflow_prompts'::regclass AND p.profile_hash = r.profile_hash;
DELETE FROM synth_profiles p WHERE NOT EXISTS (SELECT 1 FROM synth_refreshes r WHERE r.profile_hash = p.profile_hash);
DELETE FROM synth_refreshes WHERE target = 'overflow_prompts'::regclass;
DROP TABLE overflow_prompts;
