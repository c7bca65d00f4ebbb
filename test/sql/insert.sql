-- synth_insert into every layout it accepts: the pipeline's table (docs/design.md §1)
-- and its older variant, json and jsonb documents, flat tables, partitioned,
-- temporary and oddly named tables; transactions, savepoints, skip_if_present
-- and progress NOTICEs. Row contents are compared with synth_generate, never
-- pinned here (sql/generate pins rows), and no timestamp, OID or random seed
-- reaches the output.
CREATE SCHEMA synth_insert_test;
SET search_path = synth_insert_test, public;

-- The pipeline's tables, as examples/training_prompts.sql creates them.
CREATE TABLE user_sessions (
    id varchar(255) PRIMARY KEY
);
CREATE TABLE training_prompts (
    id serial PRIMARY KEY,
    prompt_text varchar(10000) NOT NULL,
    enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL,
    training_priority integer NOT NULL,
    created_at timestamp NOT NULL,
    updated_at timestamp NULL,
    deleted_at timestamp NULL,
    is_active boolean NOT NULL DEFAULT true,
    session_id varchar(255) NULL REFERENCES user_sessions (id),
    CONSTRAINT training_prompts_data_source_check
        CHECK (data_source IN ('synthetic', 'real', 'user', 'api', 'batch')),
    CONSTRAINT training_prompts_priority_check
        CHECK (training_priority BETWEEN 1 AND 1000)
);
CREATE INDEX ix_training_prompts_prompt_text ON training_prompts (prompt_text);
CREATE INDEX ix_training_prompts_data_source ON training_prompts (data_source);
CREATE INDEX ix_training_prompts_is_active ON training_prompts (is_active);
CREATE INDEX ix_training_prompts_created_at ON training_prompts (created_at);
CREATE INDEX ix_training_prompts_training_priority ON training_prompts (training_priority);

-- A real row already there stays untouched.
INSERT INTO user_sessions VALUES ('s-1');
INSERT INTO training_prompts (prompt_text, enhancement_result, data_source, training_priority,
                              created_at, session_id)
VALUES ('a real prompt', '{"effectiveness_score": 0.5}', 'real', 100, '2024-01-01', 's-1');

-- The default target is resolved in the caller's search_path at each call.
SELECT synth_insert(n => 100, seed => 42);

SELECT data_source, training_priority, is_active, count(*),
       count(DISTINCT created_at) AS created_at_values,
       count(updated_at) AS updated, count(deleted_at) AS deleted, count(session_id) AS sessions
FROM training_prompts GROUP BY 1, 2, 3 ORDER BY 1;

-- created_at is the statement's now(); ids continue the serial.
SELECT min(id), max(id), bool_and(created_at <= localtimestamp) AS created_in_past
FROM training_prompts WHERE data_source = 'synthetic';

-- Every row is the row synth_generate(100, 42) makes for its sample_id, and
-- each sample_id appears once.
SELECT count(*) AS rows,
       count(DISTINCT (t.enhancement_result->'metadata'->>'sample_id')::bigint) AS sample_ids,
       count(g.sample_id) AS regenerated,
       count(*) FILTER (WHERE t.prompt_text = g.original_prompt
                          AND t.enhancement_result->>'enhanced_prompt' = g.enhanced_prompt
                          AND t.enhancement_result->'metadata'->>'domain' = g.domain
                          AND t.enhancement_result->'metadata'->>'tier' = g.tier
                          AND (t.enhancement_result->>'effectiveness_score')::float8 = g.effectiveness_score
                          AND ARRAY(SELECT jsonb_array_elements_text(t.enhancement_result->'feature_vector')::float8)
                              = g.feature_vector) AS identical
FROM training_prompts t
LEFT JOIN synth_generate(100, 42) g ON g.sample_id = (t.enhancement_result->'metadata'->>'sample_id')::bigint
WHERE t.data_source = 'synthetic';

-- The document keeps the pipeline's keys and adds the ones that regenerate it.
SELECT DISTINCT jsonb_object_keys(enhancement_result) AS document_keys
FROM training_prompts WHERE data_source = 'synthetic' ORDER BY 1;
SELECT DISTINCT jsonb_object_keys(enhancement_result->'metadata') AS metadata_keys
FROM training_prompts WHERE data_source = 'synthetic' ORDER BY 1;
SELECT DISTINCT enhancement_result->'metadata'->'feature_names' AS feature_names,
       enhancement_result->'metadata'->'source' AS source,
       enhancement_result->'metadata'->'quality_validated' AS quality_validated,
       enhancement_result->'metadata'->'seed' AS seed,
       enhancement_result->'metadata'->'n' AS n,
       enhancement_result->'metadata'->'label_noise' AS label_noise,
       enhancement_result->'metadata'->'tier_shares' AS tier_shares,
       enhancement_result->'metadata'->'domain_weights' AS domain_weights,
       enhancement_result->'metadata'->'generator_version' = (synth_version()->'generator_version') AS current_generator
FROM training_prompts WHERE data_source = 'synthetic';

-- Exact quotas (docs/design.md §2): 25/20/20/20/15 domains, 25/50/25 tiers.
SELECT enhancement_result->'metadata'->>'domain' AS domain, count(*)
FROM training_prompts WHERE data_source = 'synthetic' GROUP BY 1 ORDER BY 1;
SELECT enhancement_result->'metadata'->>'tier' AS tier, count(*)
FROM training_prompts WHERE data_source = 'synthetic' GROUP BY 1 ORDER BY 1;

-- Priority boundaries; the priority lands in training_priority.
SELECT synth_insert('training_prompts', 3, 1, priority => 1),
       synth_insert('training_prompts', 3, 1, priority => 1000);
SELECT training_priority, count(*) FROM training_prompts
WHERE data_source = 'synthetic' GROUP BY 1 ORDER BY 1;

-- n => 0 inserts nothing and says so.
SELECT synth_insert('training_prompts', 0, 1);

-- The generator options reach the rows and their metadata.
CREATE TABLE options_check (LIKE training_prompts INCLUDING DEFAULTS);
SELECT synth_insert('options_check', 40, 5, domain_weights => '{"creative": 1, "technical": 3}',
                    tier_shares => '{0, 1, 0}', label_noise => 0);
SELECT enhancement_result->'metadata'->>'domain' AS domain, enhancement_result->'metadata'->>'tier' AS tier,
       count(*) FROM options_check GROUP BY 1, 2 ORDER BY 1, 2;
SELECT DISTINCT enhancement_result->'metadata'->'domain_weights' AS domain_weights,
       enhancement_result->'metadata'->'tier_shares' AS tier_shares,
       enhancement_result->'metadata'->'label_noise' AS label_noise
FROM options_check;
SELECT count(*) FILTER (WHERE o.prompt_text = g.original_prompt
                          AND (o.enhancement_result->>'effectiveness_score')::float8 = g.effectiveness_score) AS identical
FROM options_check o
JOIN synth_generate(40, 5, '{"creative": 1, "technical": 3}', '{0, 1, 0}', 0) g
  ON g.sample_id = (o.enhancement_result->'metadata'->>'sample_id')::bigint;

-- The older variant: no is_active/updated_at/deleted_at, defaults on
-- data_source ('batch'), training_priority (50) and created_at (now()).
-- synthdata still writes 'synthetic', the priority it was given and now().
CREATE TABLE training_prompts_v1 (
    id serial PRIMARY KEY,
    prompt_text varchar(10000) NOT NULL,
    enhancement_result json NOT NULL,
    data_source varchar(50) NOT NULL DEFAULT 'batch',
    training_priority integer NOT NULL DEFAULT 50,
    created_at timestamp NOT NULL DEFAULT now(),
    session_id varchar(255) NULL REFERENCES user_sessions (id)
);
INSERT INTO training_prompts_v1 (prompt_text, enhancement_result) VALUES ('an old batch row', '{}');
SELECT synth_insert('training_prompts_v1', 30, 42);
SELECT synth_insert('training_prompts_v1', 10, 43, priority => 77);
SELECT data_source, training_priority, count(*), count(session_id) AS sessions
FROM training_prompts_v1 GROUP BY 1, 2 ORDER BY 1, 2;

-- json and jsonb columns carry the same document: inserted in one
-- transaction (same generation_timestamp), they compare equal as jsonb.
CREATE TABLE doc_json (prompt_text text NOT NULL, enhancement_result json NOT NULL);
CREATE TABLE doc_jsonb (prompt_text text NOT NULL, enhancement_result jsonb NOT NULL);
BEGIN;
SELECT synth_insert('doc_json', 25, 9), synth_insert('doc_jsonb', 25, 9);
-- generation_timestamp is the transaction's start, in UTC.
SELECT count(*) FILTER (WHERE (enhancement_result->'metadata'->>'generation_timestamp')::timestamptz
                              = transaction_timestamp()) AS at_transaction_start,
       count(*) FILTER (WHERE enhancement_result->'metadata'->>'generation_timestamp' LIKE '%Z') AS utc
FROM doc_jsonb;
COMMIT;
SELECT DISTINCT json_typeof(enhancement_result) FROM doc_json;
-- (The echoed options label_noise and tier_shares are compared as numbers,
-- not as JSON text.)
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE j.prompt_text = b.prompt_text
                          AND j.enhancement_result::jsonb #- '{metadata,label_noise}' #- '{metadata,tier_shares}'
                              = b.enhancement_result #- '{metadata,label_noise}' #- '{metadata,tier_shares}'
                          AND (j.enhancement_result->'metadata'->>'label_noise')::float8
                              = (b.enhancement_result->'metadata'->>'label_noise')::float8
                          AND ARRAY(SELECT json_array_elements_text(j.enhancement_result->'metadata'->'tier_shares')::float8)
                              = ARRAY(SELECT jsonb_array_elements_text(b.enhancement_result->'metadata'->'tier_shares')::float8)
                       ) AS equal
FROM doc_json j JOIN doc_jsonb b
  ON (j.enhancement_result->'metadata'->>'sample_id') = (b.enhancement_result->'metadata'->>'sample_id');
-- The json text keeps the pipeline's key order.
SELECT DISTINCT ARRAY(SELECT json_object_keys(enhancement_result)) AS json_key_order FROM doc_json;

-- Older tables call the priority column "priority".
CREATE TABLE legacy_priority (prompt_text text NOT NULL, enhancement_result jsonb NOT NULL,
                              priority integer NOT NULL);
SELECT synth_insert('legacy_priority', 5, 1, priority => 33);
SELECT priority, count(*) FROM legacy_priority GROUP BY 1;

-- Flat layout: columns named like synth_generate's output; the rows are exactly
-- synth_generate's.
CREATE TABLE flat_rows (
    sample_id bigint PRIMARY KEY,
    domain text NOT NULL,
    tier text NOT NULL,
    original_prompt text NOT NULL,
    enhanced_prompt text NOT NULL,
    feature_vector float8[] NOT NULL,
    effectiveness_score float8 NOT NULL
);
SELECT synth_insert('flat_rows', 50, 3);
SELECT count(*) AS missing FROM (
    SELECT * FROM synth_generate(50, 3)
    EXCEPT ALL SELECT * FROM flat_rows) x;
SELECT count(*) AS extra FROM (
    SELECT * FROM flat_rows
    EXCEPT ALL SELECT * FROM synth_generate(50, 3)) x;

-- Flat with real[] and real, plus the bookkeeping columns and a column synthdata
-- does not know (left to its default).
CREATE TABLE flat_real (
    id bigint GENERATED ALWAYS AS IDENTITY,
    feature_vector real[] NOT NULL,
    effectiveness_score real NOT NULL,
    domain varchar(20),
    data_source text NOT NULL,
    training_priority int NOT NULL,
    created_at timestamptz NOT NULL,
    is_active boolean NOT NULL,
    note text NOT NULL DEFAULT 'kept'
);
SELECT synth_insert('flat_real', 20, 3, priority => 20);
SELECT data_source, training_priority, is_active, note, count(*), min(id), max(id),
       bool_and(array_length(feature_vector, 1) = 6) AS six_features
FROM flat_real GROUP BY 1, 2, 3, 4;
SELECT count(*) FILTER (WHERE f.feature_vector = g.feature_vector::real[]
                          AND f.effectiveness_score = g.effectiveness_score::real
                          AND f.domain = g.domain) AS identical
FROM (SELECT row_number() OVER (ORDER BY id) - 1 AS sample_id, * FROM flat_real) f
JOIN synth_generate(20, 3) g USING (sample_id);

-- The smallest flat table.
CREATE TABLE flat_min (feature_vector float8[], effectiveness_score float8);
SELECT synth_insert('flat_min', 7, 3);
SELECT count(*) FROM flat_min;

-- Partitioned by list on data_source: every synthetic row lands in its partition.
CREATE TABLE by_source (LIKE training_prompts INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY LIST (data_source);
CREATE TABLE by_source_synthetic PARTITION OF by_source FOR VALUES IN ('synthetic');
CREATE TABLE by_source_other PARTITION OF by_source DEFAULT;
INSERT INTO by_source (id, prompt_text, enhancement_result, data_source, training_priority, created_at)
VALUES (0, 'real', '{}', 'real', 100, '2024-01-01');
SELECT synth_insert('by_source', 30, 1);
SELECT tableoid::regclass AS partition, data_source, count(*) FROM by_source GROUP BY 1, 2 ORDER BY 1;
-- skip_if_present looks through the partitions.
SELECT synth_insert('by_source', 30, 1, skip_if_present => true);

-- Partitioned by range on training_priority: the priority routes the batch.
CREATE TABLE by_priority (LIKE training_prompts INCLUDING DEFAULTS)
    PARTITION BY RANGE (training_priority);
CREATE TABLE by_priority_low PARTITION OF by_priority FOR VALUES FROM (1) TO (50);
CREATE TABLE by_priority_high PARTITION OF by_priority FOR VALUES FROM (50) TO (1001);
SELECT synth_insert('by_priority', 12, 1), synth_insert('by_priority', 8, 2, priority => 500);
SELECT tableoid::regclass AS partition, training_priority, count(*) FROM by_priority GROUP BY 1, 2 ORDER BY 1;
-- Inserting into a partition directly works too.
SELECT synth_insert('by_priority_low', 4, 3);
SELECT count(*) FROM by_priority_low;

-- A schema-qualified, mixed-case, quoted name (and one with a quote in it).
CREATE SCHEMA "My Schema";
CREATE TABLE "My Schema"."Training Prompts" (LIKE training_prompts INCLUDING ALL);
SELECT synth_insert('"My Schema"."Training Prompts"', 10, 1);
SELECT count(*), min(data_source) FROM "My Schema"."Training Prompts";
CREATE TABLE "My Schema"."odd""name" ("prompt_text" text NOT NULL, "enhancement_result" jsonb NOT NULL,
                                      "Data_Source" text);
SELECT synth_insert('"My Schema"."odd""name"', 3, 1);
SELECT count(*), count("Data_Source") AS "Data_Source is not data_source" FROM "My Schema"."odd""name";
SET client_min_messages = warning;
DROP SCHEMA "My Schema" CASCADE;
RESET client_min_messages;

-- A temporary table.
CREATE TEMP TABLE temp_prompts (prompt_text text NOT NULL, enhancement_result jsonb NOT NULL);
SELECT synth_insert('pg_temp.temp_prompts', 6, 1);
SELECT count(*) FROM temp_prompts;

-- Atomic: a rolled-back transaction leaves no row.
CREATE TABLE tx (LIKE training_prompts INCLUDING DEFAULTS);
BEGIN;
SELECT synth_insert('tx', 50, 1);
SELECT count(*) FROM tx;
ROLLBACK;
SELECT count(*) FROM tx;

-- Savepoints: ROLLBACK TO undoes just the batch after it, also after an error.
BEGIN;
SELECT synth_insert('tx', 10, 1);
SAVEPOINT a;
SELECT synth_insert('tx', 20, 2);
ROLLBACK TO a;
SELECT synth_insert('tx', 5, 3);
SAVEPOINT b;
SELECT synth_insert('tx', 5, 4, priority => 0);
ROLLBACK TO b;
SELECT count(*) FROM tx;
COMMIT;
SELECT enhancement_result->'metadata'->>'seed' AS seed, count(*) FROM tx GROUP BY 1 ORDER BY 1;

-- skip_if_present: 0 and a NOTICE when synthetic rows are there, a batch when
-- only other rows are.
TRUNCATE tx;
INSERT INTO tx (prompt_text, enhancement_result, data_source, training_priority, created_at)
VALUES ('real', '{}', 'real', 100, '2024-01-01');
SELECT synth_insert('tx', 10, 1, skip_if_present => true);
SELECT synth_insert('tx', 10, 1, skip_if_present => true);
SELECT data_source, count(*) FROM tx GROUP BY 1 ORDER BY 1;
-- A table without data_source: any row counts as present.
SELECT synth_insert('flat_min', 7, 3, skip_if_present => true);
-- A BEFORE trigger that relabels data_source does not hide the batch: the
-- document's metadata.source still says the row is synthdata's.
CREATE TABLE relabelled (LIKE training_prompts INCLUDING DEFAULTS);
CREATE FUNCTION relabel() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.data_source := 'batch'; RETURN NEW; END $$;
CREATE TRIGGER relabel BEFORE INSERT ON relabelled FOR EACH ROW EXECUTE FUNCTION relabel();
SELECT synth_insert('relabelled', 10, 1, skip_if_present => true);
SELECT synth_insert('relabelled', 10, 2, skip_if_present => true);
-- and a row from elsewhere is not taken for synthdata's, whatever its document says
TRUNCATE relabelled;
INSERT INTO relabelled (prompt_text, enhancement_result, data_source, training_priority, created_at)
VALUES ('real', '{"metadata": {"source": "pipeline"}}', 'real', 100, '2024-01-01');
SELECT synth_insert('relabelled', 10, 3, skip_if_present => true);
SELECT data_source, enhancement_result #>> '{metadata,source}' AS source, count(*)
FROM relabelled GROUP BY 1, 2 ORDER BY 1, 2;

-- Progress NOTICEs every synthdata.progress_interval rows, only for larger batches.
CREATE TABLE progress (prompt_text text NOT NULL, enhancement_result jsonb NOT NULL);
-- A long run says when it starts, how far it got and when it ends, one line
-- each (the end line's DETAIL, how long it took, is left out here).
SET synthdata.progress_interval = 400;
\set VERBOSITY terse
SELECT synth_insert('progress', 1000, 1);
\set VERBOSITY default
SELECT synth_insert('progress', 400, 1);
SET synthdata.progress_interval = 0;
SELECT synth_insert('progress', 1000, 1);
RESET synthdata.progress_interval;
SHOW synthdata.progress_interval;
SELECT count(*) FROM progress;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA synth_insert_test CASCADE;
RESET client_min_messages;
