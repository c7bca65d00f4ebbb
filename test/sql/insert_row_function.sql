-- synth_row: one row of a dataset per call, the row synth_rows (and so
-- synth_insert) makes for that sample_id, for INSERT ... SELECT loads over a
-- table of ids (the Citus load pushes such a statement down to the shards).
-- It keeps its sampler between calls; when an argument changes from one call
-- to the next it makes a new one, so rows never mix datasets.
CREATE SCHEMA rowfn;
SET search_path = rowfn, public;
CREATE PROCEDURE try(statement text)
LANGUAGE plpgsql AS $$
DECLARE
  v_result text;
  v_state text;
  v_message text;
BEGIN
  EXECUTE statement INTO v_result;
  RAISE NOTICE 'ok: %', coalesce(left(v_result, 60), 'no result');
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
  RAISE NOTICE '%: %', v_state, v_message;
END $$;
-- The same, with the error's hint.
CREATE PROCEDURE try_hint(statement text)
LANGUAGE plpgsql AS $$
DECLARE
  v_state text;
  v_message text;
  v_hint text;
BEGIN
  EXECUTE statement;
  RAISE NOTICE 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT, v_hint = PG_EXCEPTION_HINT;
  RAISE NOTICE '%: % (hint: %)', v_state, v_message, v_hint;
END $$;
\set SHOW_CONTEXT never

-- Each comparison runs in one transaction: the documents carry its start time.
BEGIN;
-- The default dataset, every row.
SELECT (SELECT md5(string_agg(r::text, E'\n' ORDER BY g))
        FROM (SELECT g, synth_row(3000, 42, g) AS r FROM generate_series(0, 2999) g) x)
     = (SELECT md5(string_agg(r::text, E'\n' ORDER BY r.sample_id)) FROM synth_rows(3000, 42) r) AS same_as_synth_rows;
-- Options, the json document, and ids in a shuffled order.
SELECT (SELECT md5(string_agg(r::text, E'\n' ORDER BY (r).sample_id))
        FROM (SELECT synth_row(2000, 7, g, '{"creative": 2, "technical": 1}', '{0.2,0.3,0.5}', 0.1, 'json') AS r
              FROM generate_series(0, 1999) g ORDER BY md5(g::text)) x)
     = (SELECT md5(string_agg(r::text, E'\n' ORDER BY r.sample_id))
        FROM synth_rows(2000, 7, '{"creative": 2, "technical": 1}', '{0.2,0.3,0.5}', 0.1, 'json') r) AS same_with_options;
-- No document (document_format 'none').
SELECT (SELECT md5(string_agg(r::text, E'\n' ORDER BY g))
        FROM (SELECT g, synth_row(300, 9, g, document_format => 'none') AS r FROM generate_series(0, 299) g) x)
     = (SELECT md5(string_agg(r::text, E'\n' ORDER BY r.sample_id)) FROM synth_rows(300, 9, document_format => 'none') r)
       AS same_without_document;
-- Columns taken one by one from a flattened subquery (one call per column,
-- each with its own call site; the later ones find the row the first made):
-- still the same values.
SELECT count(*) FILTER (WHERE p = r.original_prompt AND d = r.enhancement_jsonb AND s = r.effectiveness_score) AS agree,
       count(*) AS n_rows
FROM (SELECT g, (x.r).original_prompt AS p, (x.r).enhancement_jsonb AS d, (x.r).effectiveness_score AS s
      FROM (SELECT g, synth_row(500, 3, g) AS r FROM generate_series(0, 499) g) x) y
JOIN synth_rows(500, 3) r ON r.sample_id = y.g;
-- Call sites of different datasets in one row never take each other's row:
-- another seed, another document format, another tier mix.
SELECT count(*) FILTER (WHERE x.s1::text = a::text AND x.s2::text = b::text AND x.s1::text <> x.s2::text) AS seeds_kept,
       count(*) FILTER (WHERE (x.j).enhancement_jsonb IS NOT NULL AND (x.j).enhancement_json IS NULL
                          AND (x.t).enhancement_json IS NOT NULL AND (x.t).enhancement_jsonb IS NULL) AS formats_kept,
       count(*) FILTER (WHERE (x.low).tier = 'low' AND (x.high).tier = 'high') AS tiers_kept
FROM (SELECT g, synth_row(50, 1, g) AS s1, synth_row(50, 2, g) AS s2,
             synth_row(50, 1, g, document_format => 'jsonb') AS j, synth_row(50, 1, g, document_format => 'json') AS t,
             synth_row(50, 1, g, tier_shares => '{1,0,0}') AS low, synth_row(50, 1, g, tier_shares => '{0,0,1}') AS high
      FROM generate_series(0, 49) g) x
JOIN synth_rows(50, 1) a ON a.sample_id = x.g
JOIN synth_rows(50, 2) b ON b.sample_id = x.g;
-- Arguments that change from row to row: two datasets interleaved, and n
-- changing each row; every row is its own dataset's.
SELECT (SELECT md5(string_agg(r::text, E'\n' ORDER BY g))
        FROM (SELECT g, synth_row(100, 1 + g % 2, g / 2) AS r FROM generate_series(0, 199) g) x)
     = (SELECT md5(string_agg(r::text, E'\n' ORDER BY g))
        FROM generate_series(0, 199) g, LATERAL synth_rows(100, 1 + g % 2, slice_start => g / 2, slice_rows => 1) r)
       AS same_interleaved;
SELECT (SELECT md5(string_agg(r::text, E'\n' ORDER BY g))
        FROM (SELECT g, synth_row(50 + g, 5, g) AS r FROM generate_series(0, 99) g) x)
     = (SELECT md5(string_agg(r::text, E'\n' ORDER BY g))
        FROM generate_series(0, 99) g, LATERAL synth_rows(50 + g, 5, slice_start => g, slice_rows => 1) r)
       AS same_with_n_per_row;
-- Domain weights that differ per row, as non-constant jsonb.
SELECT (SELECT md5(string_agg(r::text, E'\n' ORDER BY g))
        FROM (SELECT g, synth_row(60, 5, g / 2, jsonb_build_object('creative', 1 + g % 2, 'analytical', 1)) AS r
              FROM generate_series(0, 119) g) x)
     = (SELECT md5(string_agg(r::text, E'\n' ORDER BY g))
        FROM generate_series(0, 119) g,
             LATERAL synth_rows(60, 5, jsonb_build_object('creative', 1 + g % 2, 'analytical', 1),
                                slice_start => g / 2, slice_rows => 1) r) AS same_with_weights_per_row;
COMMIT;

-- Rows drawn from a fitted profile.
\set ECHO none
\i examples/training_prompts.sql
\set ECHO all
SELECT synth_insert('training_prompts', 400, 11, label_noise => 0.3);
UPDATE training_prompts SET data_source = 'real';
SELECT synth_fit('training_prompts') AS p \gset
BEGIN;
SELECT (SELECT md5(string_agg(r::text, E'\n' ORDER BY g))
        FROM (SELECT g, synth_row(900, 4, g, profile => :'p') AS r FROM generate_series(0, 899) g) x)
     = (SELECT md5(string_agg(r::text, E'\n' ORDER BY r.sample_id)) FROM synth_rows(900, 4, profile => :'p') r)
       AS same_fitted_rows;
-- A design-table row and a fitted row of the same (n, seed, sample_id) differ.
SELECT synth_row(900, 4, 5) = synth_row(900, 4, 5, profile => :'p') AS design_equals_fitted;
COMMIT;

-- Arguments that are PL/pgSQL variables: one call site whose cache lives for
-- the transaction while the values change. Each call follows its own values.
CREATE FUNCTION domain_of(w jsonb) RETURNS text LANGUAGE plpgsql AS
$$ BEGIN RETURN (synth_row(10, 1, 0, w)).domain; END $$;
CREATE FUNCTION tier_of(t float8[]) RETURNS text LANGUAGE plpgsql AS
$$ BEGIN RETURN (synth_row(10, 1, 0, NULL, t)).tier; END $$;
CREATE FUNCTION profile_of(q jsonb) RETURNS text LANGUAGE plpgsql AS
$$ BEGIN RETURN (synth_row(10, 1, 0, profile => q)).enhancement_jsonb #>> '{metadata,profile_hash}'; END $$;
BEGIN;
SELECT domain_of('{"creative": 1}') AS creative, domain_of('{"technical": 1}') AS technical,
       domain_of('{"analytical": 1}') AS analytical;
SELECT tier_of('{1,0,0}') AS low, tier_of('{0,0,1}') AS high;
CALL try($$SELECT tier_of('{0.5,0.5,0.5}')$$);
SELECT synth_insert('training_prompts', 300, 12, label_noise => 0.5);
UPDATE training_prompts SET data_source = 'real';
SELECT synth_fit('training_prompts') AS p2 \gset
SELECT profile_of(:'p') = synth_profile_hash(:'p') AS first_profile,
       profile_of(:'p2') = synth_profile_hash(:'p2') AS second_profile,
       profile_of(:'p') = synth_profile_hash(:'p') AS first_again;
-- Profiles read from a table (stored compressed, out of line): rows follow
-- the profile of their own row as it alternates.
CREATE TABLE profiles (k int, p jsonb);
INSERT INTO profiles VALUES (0, :'p'), (1, :'p2');
SELECT (SELECT md5(string_agg(r::text, E'\n' ORDER BY g))
        FROM (SELECT g, synth_row(40, 2, g / 2, profile => pr.p) AS r
              FROM generate_series(0, 79) g JOIN profiles pr ON pr.k = g % 2) x)
     = (SELECT md5(string_agg(r::text, E'\n' ORDER BY g))
        FROM generate_series(0, 79) g JOIN profiles pr ON pr.k = g % 2,
             LATERAL synth_rows(40, 2, profile => pr.p, slice_start => g / 2, slice_rows => 1) r) AS same_alternating_profiles;
COMMIT;

-- A hand-edited profile whose domain reaches past the pooled bounds is
-- refused (the sampler counts requirement clauses from complexity within
-- the pooled 0..12).
SELECT jsonb_set(:'p', '{domains,0,features,3,knots,0}', '-1') AS bad_p \gset
CALL try(format($$SELECT synth_row(50, 1, 3, profile => %L)$$, :'bad_p'));
CALL try(format($$SELECT count(*) FROM synth_rows(50, 1, profile => %L)$$, :'bad_p'));
-- A domain whose name escapes to 6 bytes a character, written twice with
-- domain_weights: the document is whole.
SELECT jsonb_set(:'p', '{domains,0,name}', to_jsonb(repeat(chr(1), 2000))) AS long_p \gset
SELECT (synth_row(10, 1, 0, jsonb_build_object(repeat(chr(1), 2000), 1), document_format => 'json', profile => :'long_p'))
         .enhancement_json::jsonb #>> '{metadata,domain}' = repeat(chr(1), 2000) AS whole_json_document,
       (synth_row(10, 1, 0, jsonb_build_object(repeat(chr(1), 2000), 1), profile => :'long_p'))
         .enhancement_jsonb #> '{metadata,domain_weights}' = jsonb_build_object(repeat(chr(1), 2000), 1) AS whole_jsonb_document;

-- The jsonb document of a fitted row is built directly; it is the json
-- document read back by jsonb_in, number for number (same text, same
-- storage), also for magnitudes written with an exponent and for weights.
CREATE TABLE wide_range (domain text, feature_vector float8[], effectiveness_score float8);
INSERT INTO wide_range
SELECT CASE WHEN g % 3 = 0 THEN 'tiny' ELSE 'huge' END,
       ARRAY[(g % 97) * 1.234567e-9, (g % 89) * 3.3e15 + 1, -(g % 13) - 0.5, g % 7],
       ((g * 37) % 100) / 100.0
FROM generate_series(1, 300) g;
SELECT synth_fit('wide_range', NULL) AS wp \gset
BEGIN;
SELECT count(*) AS documents,
       count(*) FILTER (WHERE b.enhancement_jsonb::text = t.enhancement_json::jsonb::text) AS same_text,
       count(*) FILTER (WHERE pg_column_size(b.enhancement_jsonb) = pg_column_size(t.enhancement_json::jsonb)) AS same_size,
       count(*) FILTER (WHERE t.enhancement_json::text ~ '[0-9]e[-+]') AS written_with_exponents
FROM synth_rows(2000, 8, '{"tiny": 0.30000000000000004, "huge": 1e-7}', profile => :'wp', document_format => 'jsonb') b
JOIN synth_rows(2000, 8, '{"tiny": 0.30000000000000004, "huge": 1e-7}', profile => :'wp', document_format => 'json') t USING (sample_id);
COMMIT;

-- An INSERT ... SELECT over a table of ids writes the rows synth_insert writes.
CREATE TABLE ids (id integer PRIMARY KEY);
INSERT INTO ids SELECT g FROM generate_series(1001, 2000) g;
CREATE TABLE by_id (LIKE training_prompts INCLUDING ALL);
CREATE TABLE by_insert (LIKE training_prompts INCLUDING ALL);
INSERT INTO by_id (id, prompt_text, enhancement_result, data_source, training_priority, created_at, is_active)
SELECT i.id, (i.r).original_prompt, (i.r).enhancement_jsonb, 'synthetic', 10, now(), true
FROM (SELECT id, synth_row(1000, 42, id - 1001) AS r FROM ids) i;
SELECT synth_insert('by_insert', 1000, 42);
SELECT (SELECT md5(string_agg(prompt_text || (enhancement_result #- '{metadata,generation_timestamp}')::text,
                    E'\n' ORDER BY (enhancement_result #>> '{metadata,sample_id}')::bigint)) FROM by_id)
     = (SELECT md5(string_agg(prompt_text || (enhancement_result #- '{metadata,generation_timestamp}')::text,
                    E'\n' ORDER BY (enhancement_result #>> '{metadata,sample_id}')::bigint)) FROM by_insert)
       AS same_rows_as_synth_insert;

-- Bad arguments: each a clear error with its SQLSTATE.
CALL try($$SELECT synth_row(10, 1, 10)$$);
CALL try($$SELECT synth_row(10, 1, -1)$$);
CALL try($$SELECT synth_row(10, 1, NULL)$$);
CALL try($$SELECT synth_row(10, NULL, 1)$$);
CALL try($$SELECT synth_row(NULL, 1, 1)$$);
CALL try($$SELECT synth_row(0, 1, 0)$$);
CALL try($$SELECT synth_row(10, 1, 1, label_noise => 1.5)$$);
CALL try($$SELECT synth_row(10, 1, 1, tier_shares => '{0.5,0.5,0.5}')$$);
CALL try($$SELECT synth_row(10, 1, 1, domain_weights => '{"poetry": 1}')$$);
-- document_format is a name: 'jsonb', 'json' or 'none', nothing else.
CALL try_hint($$SELECT synth_row(10, 1, 1, document_format => 'xml')$$);
CALL try_hint($$SELECT synth_row(10, 1, 1, document_format => NULL)$$);
CALL try_hint($$SELECT count(*) FROM synth_rows(10, 1, document_format => 'JSONB')$$);
CALL try_hint($$SELECT count(*) FROM synth_rows(10, 1, document_format => repeat('x', 50))$$);
-- 1.1 numbered the formats: a number now is refused, saying its name.
CALL try_hint($$SELECT count(*) FROM synth_rows(10, 1, document_format => '2')$$);
CALL try_hint($$SELECT synth_row(10, 1, 1, document_format => 1)$$);
CALL try(format($$SELECT synth_row(10, 1, 1, tier_shares => '{0.5,0.25,0.25}', profile => %L)$$, :'p'));
CALL try($$SELECT synth_row(10, 1, 1, profile => '{"format_version": 99}')$$);
-- After an error the next call starts afresh.
SELECT (synth_row(10, 1, 3)).sample_id;
-- A bad argument in the middle of a scan stops it at that row.
CALL try($$SELECT sum((synth_row(100, 1, g)).sample_id) FROM generate_series(0, 100) g$$);

DROP SCHEMA rowfn CASCADE;
