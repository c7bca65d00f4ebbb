-- synth_profile_summary and synth_profile_report (issue 25, item 10): a
-- profile a person can read instead of its thousands of knots.
CREATE TABLE summary_flat (domain text, feature_vector float8[], effectiveness_score float8);
-- An integer column, a column of five one-decimal values, a continuous one that moves with the score.
INSERT INTO summary_flat
SELECT CASE WHEN g % 4 = 0 THEN 'billing' WHEN g % 4 = 1 THEN 'support' ELSE 'technical' END,
       ARRAY[((g * 13) % 9)::float8,
             ((g * 7) % 5) / 10.0 + 0.1,
             round((((g * 37) % 100) / 100.0 * 5 + ((g * 11) % 10) / 1000.0)::numeric, 6)::float8],
       round((((g * 37) % 100) / 100.0)::numeric, 4)::float8
FROM generate_series(1, 400) g;
INSERT INTO summary_flat VALUES ('rare', ARRAY[1, 0.5, 2.5], 0.5);

SELECT synth_fit('summary_flat', NULL) AS p \gset
SELECT jsonb_pretty(synth_profile_summary(:'p'));
SELECT * FROM synth_profile_report(:'p');

-- The extremes the summary names are the real ones.
SELECT (s->'features'->0->>'min')::float8 = min(feature_vector[1]) AS min_is_real,
       (s->'features'->2->>'max')::float8 = max(feature_vector[3]) AS max_is_real,
       s->'privacy'->'private' AS private
FROM summary_flat, (SELECT synth_profile_summary(:'p') AS s) x GROUP BY s;

-- Small enough to read: a fraction of the profile.
SELECT length(synth_profile_summary(:'p')::text) < length(:'p') / 5 AS much_smaller;

-- NULL in, nothing out; a bad profile is refused naming the argument.
SELECT synth_profile_summary(NULL) IS NULL AS null_summary;
SELECT count(*) FROM synth_profile_report(NULL);
SELECT synth_profile_summary('{"rows": 3}');
SELECT * FROM synth_profile_report('[1, 2]');
