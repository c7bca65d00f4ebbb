-- What counts as real (issue 25, items 1 and 2): synth_fit, synth_compare and
-- synth_refresh count the same rows, every data_source but 'synthetic' unless
-- real_sources names others, and say which in results and errors. A table
-- without data_source: every row is real, and naming sources is an error.
\set SHOW_CONTEXT never
CREATE TABLE sourced_prompts (
    id serial PRIMARY KEY, prompt_text varchar(10000) NOT NULL, enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL, training_priority integer NOT NULL, created_at timestamp NOT NULL,
    is_active boolean NOT NULL DEFAULT true);

-- Only synthetic rows: no real ones, and the error says which rows it counted.
SELECT synth_insert('sourced_prompts', 60, seed => 3);
SELECT synth_fit('sourced_prompts') IS NOT NULL;
SELECT synth_fit('sourced_prompts', real_sources => '{user,api}') IS NOT NULL;

-- The pipeline's own sources: 'user', 'api' and 'batch' rows are real.
UPDATE sourced_prompts SET data_source = CASE id % 3 WHEN 0 THEN 'user' WHEN 1 THEN 'api' ELSE 'batch' END
WHERE id <= 45;
SELECT data_source, count(*) FROM sourced_prompts GROUP BY 1 ORDER BY 1;
SELECT (p->>'rows')::int AS fitted_rows FROM synth_fit('sourced_prompts') p;
SELECT (p->>'rows')::int AS fitted_rows FROM synth_fit('sourced_prompts', real_sources => '{user,api}') p;
-- The older spelling still works, for one source.
SELECT (p->>'rows')::int AS fitted_rows FROM synth_fit('sourced_prompts', data_source => 'user') p;
SELECT (p->>'rows')::int AS fitted_rows FROM synth_fit('sourced_prompts', 'batch') p;
SELECT synth_fit('sourced_prompts', data_source => 'user', real_sources => '{api}');
SELECT synth_fit('sourced_prompts', real_sources => '{}');
SELECT synth_fit('sourced_prompts', real_sources => '{user,NULL}');

-- synth_compare counts the same rows, named source => (unquoted), and says so.
SELECT c->'real'->>'rows' AS real_rows, c->'real'->>'real_sources' AS real_sources,
       c->'synthetic'->>'rows' AS synthetic_rows, c->'synthetic'->>'data_source' AS synthetic_source
FROM synth_compare(source => 'sourced_prompts', bootstrap => 0) c;
SELECT c->'real'->>'rows' AS real_rows, c->'real'->>'real_sources' AS real_sources
FROM synth_compare(source => 'sourced_prompts', bootstrap => 0, real_sources => '{user}') c;
SELECT synth_compare(source => 'sourced_prompts', bootstrap => 0, real_sources => '{synthetic}');
SELECT line FROM synth_compare_report(source => 'sourced_prompts', bootstrap => 0) AS line LIMIT 4;

-- synth_refresh too.
SELECT r->'real_rows' AS real_rows, r->'real_sources' AS real_sources, r->'source' AS source,
       r->'synthetic_rows' AS synthetic_rows
FROM synth_refresh('sourced_prompts', min_rows => 50) r;
SELECT r->'real_rows' AS real_rows, r->'real_sources' AS real_sources, r->'reason' AS reason
FROM synth_refresh('sourced_prompts', min_rows => 50, real_sources => '{nobody}') r;
SELECT synth_refresh('sourced_prompts', real_sources => '{real,synthetic}');

-- A table without data_source: every row is real for every function; naming
-- sources is an error, the same for synth_fit and synth_validate.
CREATE TABLE unsourced_rows (domain text, feature_vector float8[], effectiveness_score float8);
INSERT INTO unsourced_rows SELECT domain, feature_vector, effectiveness_score FROM synth_generate(40, 9);
CREATE TABLE unsourced_synthetic AS SELECT * FROM unsourced_rows;
SELECT (p->>'rows')::int AS fitted_rows FROM synth_fit('unsourced_rows') p;
SELECT synth_fit('unsourced_rows', data_source => 'real');
SELECT synth_fit('unsourced_rows', real_sources => '{real}');
SELECT synth_validate('unsourced_rows', data_source => 'real');
SELECT c->'real'->>'rows' AS real_rows, c->'real'->>'real_sources' AS real_sources
FROM synth_compare(source => 'unsourced_rows', synthetic => 'unsourced_synthetic', bootstrap => 0) c;
DELETE FROM unsourced_rows;
SELECT synth_fit('unsourced_rows');
DROP TABLE sourced_prompts, unsourced_rows, unsourced_synthetic;
