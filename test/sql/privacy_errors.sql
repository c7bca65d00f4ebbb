-- Differentially private fits (issue 24): every bad privacy argument of
-- synth_fit and synth_refresh is a clear error naming it, before any spend.
\set SHOW_CONTEXT never
CREATE TABLE dpe_rows (domain text, feature_vector float8[], effectiveness_score float8, data_source text);
INSERT INTO dpe_rows
SELECT CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END, ARRAY[g % 17, (g * 7) % 10 / 10.0]::float8[], (g * 37 % 100) / 100.0, 'real'
FROM generate_series(1, 300) g;
-- epsilon: not above 0, not finite.
SELECT synth_fit('dpe_rows', epsilon => 0);
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => -1);
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => 'Infinity');
\echo :LAST_ERROR_SQLSTATE
-- delta: outside (0, 1), or NULL.
SELECT synth_fit('dpe_rows', epsilon => 1, delta => 0);
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => 1, delta => 1);
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => 1, delta => 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => 1, delta => NULL);
\echo :LAST_ERROR_SQLSTATE
-- bounds: not an object, not [lo, hi], lo >= hi, not finite, bounds that
-- exclude every row (an error for the caller only: it depends on the rows).
SELECT synth_fit('dpe_rows', epsilon => 1, bounds => '[0, 1]');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => 1, bounds => '{"f1": [0, 1, 2]}');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => 1, bounds => '{"f1": 5}');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => 1, bounds => '{"f1": ["0", 1]}');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => 1, bounds => '{"f1": [5, 5]}');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => 1, bounds => '{"f1": [9, 1]}');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => 1, bounds => '{"f1": [0, 1e400]}');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => 1, bounds => '{"f1": [100, 200], "f2": [0, 50]}');
\echo :LAST_ERROR_SQLSTATE
-- Bounds name the features and so the dimension (public): one named
-- feature fits rows of one feature, which these rows are not. Only the
-- released (noisy) count says so, never the rows' own dimension.
SELECT synth_fit('dpe_rows', epsilon => 1, bounds => '{"length": [0, 1]}');
\echo :LAST_ERROR_SQLSTATE
-- domains: empty, NULL or empty names, none of the rows' domains.
SELECT synth_fit('dpe_rows', epsilon => 1, domains => '{}');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => 1, domains => '{a,NULL}');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => 1, domains => '{a,""}');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', epsilon => 1, domains => '{x,y}');
\echo :LAST_ERROR_SQLSTATE
-- bounds, domains or seed without epsilon.
SELECT synth_fit('dpe_rows', seed => 1);
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', bounds => '{"f1": [0, 20]}');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_fit('dpe_rows', domains => '{a}');
\echo :LAST_ERROR_SQLSTATE
-- The accountant's own arguments.
SELECT synth_privacy_rho(0, 1e-9);
\echo :LAST_ERROR_SQLSTATE
SELECT synth_privacy_rho(1, 2);
\echo :LAST_ERROR_SQLSTATE
SELECT synth_privacy_epsilon(-1, 1e-9);
\echo :LAST_ERROR_SQLSTATE
SELECT synth_privacy_budget(NULL);
\echo :LAST_ERROR_SQLSTATE
-- synth_refresh names its own arguments.
CREATE TABLE dpe_pipeline (
    id serial PRIMARY KEY, prompt_text text NOT NULL, enhancement_result jsonb NOT NULL,
    data_source text NOT NULL, training_priority integer NOT NULL DEFAULT 10, created_at timestamp NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true);
SELECT synth_refresh('dpe_pipeline', epsilon => 0);
\echo :LAST_ERROR_SQLSTATE
SELECT synth_refresh('dpe_pipeline', epsilon => 1, delta => 2);
\echo :LAST_ERROR_SQLSTATE
SELECT synth_refresh('dpe_pipeline', epsilon => 1, bounds => '{"f1": [1, 0]}');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_refresh('dpe_pipeline', domains => '{a}');
\echo :LAST_ERROR_SQLSTATE
-- Nothing was spent.
SELECT count(*) AS ledger_entries FROM synth_privacy_ledger;
DROP TABLE dpe_rows, dpe_pipeline;
