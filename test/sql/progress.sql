-- Long runs say when they start, how far they got and when they end, one
-- NOTICE line each, every synthdata.progress_interval rows; short runs say
-- nothing (issue 25, item 11). The end line's DETAIL (how long it took) is
-- left out here: VERBOSITY terse.
CREATE TABLE progress_rows (
    id serial PRIMARY KEY, prompt_text varchar(10000) NOT NULL, enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL, training_priority integer NOT NULL, created_at timestamp NOT NULL,
    updated_at timestamp, deleted_at timestamp, is_active boolean NOT NULL DEFAULT true);
SELECT synth_insert('progress_rows', 500, 11) AS inserted;
UPDATE progress_rows SET data_source = 'real' WHERE id <= 450;

\set VERBOSITY terse
SET synthdata.progress_interval = 200;
-- The start line comes with the first progress line; before ANALYZE the table's size is unknown.
SELECT jsonb_array_length(synth_fit('progress_rows')->'domains') AS domains;
ANALYZE progress_rows;
-- After ANALYZE the start line says how large the table is; the synthetic side of synth_compare (50 rows) is quiet.
SELECT jsonb_array_length(synth_fit('progress_rows')->'domains') AS domains;
SELECT (synth_compare('progress_rows', bootstrap => 0)->'quality'->>'score') IS NOT NULL AS scored;
SELECT r->>'source' AS source, r->>'inserted' AS inserted FROM synth_refresh('progress_rows', min_rows => 0) r;

-- Runs shorter than the interval, and progress turned off: quiet.
SET synthdata.progress_interval = 1000;
SELECT jsonb_array_length(synth_fit('progress_rows')->'domains') AS domains;
SELECT synth_insert('progress_rows', 1000, 12) AS inserted;
SET synthdata.progress_interval = 0;
SELECT jsonb_array_length(synth_fit('progress_rows')->'domains') AS domains;
RESET synthdata.progress_interval;
\set VERBOSITY default
