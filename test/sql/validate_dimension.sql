-- synth_validate and synth_report on tables whose feature vectors are not
-- six wide: fitted profiles keep the real rows' dimension. Rows are judged by
-- the table's most common dimension, or by the one the caller names; rows of
-- any other dimension count as wrong_dimension.
SET client_min_messages = warning;

-- The flat layout, nine features: f1..f9, f4 exactly linear in the score.
CREATE TABLE wide_rows (feature_vector float8[], effectiveness_score float8, domain text);
INSERT INTO wide_rows
SELECT ARRAY[g % 7, g % 5, g % 3, 3 + g / 200.0, g % 11, g % 13, g % 2, g % 17, g % 19],
       g / 100.0, 'ops'
FROM generate_series(0, 99) g;
INSERT INTO wide_rows VALUES ('{0.5,100,0.5,3,0.5,0.5}', 0.5, 'technical');   -- six wide
INSERT INTO wide_rows VALUES ('{{1,2},{3,4}}', 0.5, 'technical');               -- nested
SELECT v->'feature_dimension' AS dimension, v->'sample_count' AS samples, v->'valid_count' AS valid,
       v->'invalid'->'wrong_dimension' AS wrong_dimension,
       (SELECT array_agg(f->>'name' ORDER BY o) FROM jsonb_array_elements(v->'features') WITH ORDINALITY AS a (f, o)) AS names,
       round((v->'label_signal'->'correlations'->>'f4')::numeric, 9) AS r_f4,
       round((v->'features'->3->>'mean')::numeric, 9) AS mean_f4
FROM (SELECT synth_validate('wide_rows') AS v OFFSET 0) AS s;
-- The same means from SQL.
SELECT round(avg(feature_vector[4])::numeric, 9) AS mean_f4 FROM wide_rows WHERE array_length(feature_vector, 1) = 9;

-- The caller names the dimension: now the nine-wide rows are the wrong ones.
SELECT v->'feature_dimension' AS dimension, v->'valid_count' AS valid, v->'invalid'->'wrong_dimension' AS wrong_dimension,
       v->'features'->1->>'name' AS second_name
FROM (SELECT synth_validate('wide_rows', dimension => 6) AS v OFFSET 0) AS s;

-- The pipeline layout names its features in metadata.feature_names.
CREATE TABLE named_rows (id serial, prompt_text text, enhancement_result jsonb, data_source text, is_active boolean DEFAULT true);
INSERT INTO named_rows (prompt_text, enhancement_result, data_source)
SELECT 'p' || g,
       jsonb_build_object('feature_vector', jsonb_build_array(g / 40.0, 1 - g / 40.0, g % 3, g % 4),
                          'effectiveness_score', g / 40.0,
                          'metadata', jsonb_build_object('domain', 'support',
                                      'feature_names', jsonb_build_array('improvement', 'confidence', 'exec_s', 'priority'))),
       'real'
FROM generate_series(0, 39) g;
SELECT v->'feature_dimension' AS dimension, v->'valid_count' AS valid,
       (SELECT array_agg(f->>'name' ORDER BY o) FROM jsonb_array_elements(v->'features') WITH ORDINALITY AS a (f, o)) AS names,
       v->'feature_correlations'->'max_pair' AS max_pair
FROM (SELECT synth_validate('named_rows', data_source => 'real') AS v OFFSET 0) AS s;
-- The page names them too, and says why it draws no histograms.
SELECT line FROM synth_report('named_rows') AS line
WHERE line ~ '^  (improvement|confidence|exec_s|priority) ' OR line ~ 'histograms are drawn' OR line ~ 'Label signal';

-- A dimension outside 1..64 is refused.
DO $$ BEGIN PERFORM synth_validate('wide_rows', dimension => 0);
EXCEPTION WHEN OTHERS THEN RAISE WARNING '%: %', SQLSTATE, SQLERRM; END $$;
DO $$ BEGIN PERFORM synth_validate('wide_rows', dimension => 65);
EXCEPTION WHEN OTHERS THEN RAISE WARNING '%: %', SQLSTATE, SQLERRM; END $$;

DROP TABLE wide_rows, named_rows;
