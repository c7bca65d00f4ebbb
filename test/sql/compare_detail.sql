-- synth_compare_detail (issue 25, item 15): what a picture of a comparison
-- draws, with no raw row: each column's real and synthetic rows on one
-- binning, quantiles, the shape score, and both correlation matrices.
CREATE TABLE detail_prompts (
    id serial PRIMARY KEY, prompt_text varchar(10000) NOT NULL, enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL, training_priority integer NOT NULL, created_at timestamp NOT NULL,
    updated_at timestamp, deleted_at timestamp, is_active boolean NOT NULL DEFAULT true);
-- 40 'user' rows and 20 'synthetic' ones: a fraction, a whole number 1..4
-- and the score; the synthetic side is shifted up a little.
INSERT INTO detail_prompts (prompt_text, enhancement_result, data_source, training_priority, created_at)
SELECT 'prompt ' || g,
       jsonb_build_object(
         'feature_vector', jsonb_build_array(round((g % 10) / 10.0 + CASE WHEN s THEN 0.05 ELSE 0 END, 2), 1 + g % 4),
         'effectiveness_score', round(((g * 7) % 20) / 20.0, 2),
         'metadata', jsonb_build_object('domain', CASE WHEN g % 4 = 0 THEN 'billing' ELSE 'support' END,
                                        'feature_names', jsonb_build_array('clarity', 'steps'))),
       CASE WHEN s THEN 'synthetic' ELSE 'user' END, 100, '2024-01-01'
FROM generate_series(1, 60) g, LATERAL (SELECT g > 40 AS s) x;
-- An unusable row is counted by the gate, not drawn.
INSERT INTO detail_prompts (prompt_text, enhancement_result, data_source, training_priority, created_at)
VALUES ('bad', '{"feature_vector": [1, "x"], "effectiveness_score": 0.5}', 'user', 100, '2024-01-01');

SELECT synth_compare_detail('detail_prompts', bins => 4) AS d \gset
SELECT :'d'::jsonb -> 'columns' AS columns, :'d'::jsonb -> 'bins' AS bins,
       :'d'::jsonb -> 'quantile_levels' AS quantile_levels;
SELECT :'d'::jsonb #> '{real,rows}' AS real_rows, :'d'::jsonb #> '{real,invalid_rows}' AS real_invalid,
       :'d'::jsonb #> '{real,real_sources}' AS real_sources, :'d'::jsonb #> '{synthetic,rows}' AS synthetic_rows,
       :'d'::jsonb -> 'holdout' AS holdout;
-- One row per column: its bins (one per whole number for steps), both
-- sides' counts, their quantiles and the shape score.
SELECT c->>'name' AS name, c->>'kind' AS kind, c->>'metric' AS metric, round((c->>'score')::numeric, 4) AS score,
       c->'integers' AS integers, coalesce(c->'edges', c->'categories') AS bins,
       c#>'{real,counts}' AS real_counts, c#>'{synthetic,counts}' AS synthetic_counts
FROM jsonb_array_elements(:'d'::jsonb -> 'distributions') c;
SELECT c->>'name' AS name, c#>'{real,quantiles}' AS real_quantiles, c#>'{synthetic,quantiles}' AS synthetic_quantiles
FROM jsonb_array_elements(:'d'::jsonb -> 'distributions') c WHERE c->>'kind' = 'numeric';
-- The shape scores are synth_compare's.
SELECT bool_and(round((c->>'score')::numeric, 12) = round((s->>'score')::numeric, 12)) AS same_scores
FROM jsonb_array_elements(:'d'::jsonb -> 'distributions') WITH ORDINALITY a(c, i)
JOIN jsonb_array_elements(synth_compare('detail_prompts', bootstrap => 0) #> '{quality,column_shapes,columns}')
     WITH ORDINALITY b(s, i) USING (i);
-- Both correlation matrices over the numeric columns, in one order.
SELECT :'d'::jsonb #> '{correlations,columns}' AS columns, :'d'::jsonb #> '{correlations,method}' AS method;
SELECT side, i - 1 AS row, (SELECT jsonb_agg(round(x::numeric, 4)) FROM jsonb_array_elements_text(r) x) AS r
FROM (VALUES ('real'), ('synthetic')) v(side),
     jsonb_array_elements(:'d'::jsonb #> ARRAY['correlations', side]) WITH ORDINALITY m(r, i)
ORDER BY 1, 2;

-- Two tables and a holdout: the holdout is counted on the same bins.
CREATE TABLE detail_synthetic AS SELECT * FROM detail_prompts WHERE data_source = 'synthetic';
CREATE TABLE detail_holdout AS SELECT * FROM detail_prompts WHERE data_source = 'user' AND id % 2 = 0;
SELECT c->>'name' AS name, c->'edges' AS edges, c#>'{holdout,counts}' AS holdout_counts, c#>'{holdout,rows}' AS holdout_rows
FROM jsonb_array_elements(synth_compare_detail('detail_prompts', 'detail_synthetic', 'detail_holdout',
                                               bins => 2) -> 'distributions') c;

-- Bad arguments name themselves.
SELECT synth_compare_detail('detail_prompts', bins => 0);
SELECT synth_compare_detail('detail_prompts', bins => NULL);
SELECT synth_compare_detail(NULL);
SELECT synth_compare_detail('detail_prompts', real_sources => '{synthetic}');
SELECT synth_compare_detail('detail_prompts', real_sources => '{api}');
DROP TABLE detail_prompts, detail_synthetic, detail_holdout;
