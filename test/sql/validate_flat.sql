-- synth_validate / synth_report on the flat layout: feature_vector as a SQL
-- array (float8[], real[], numeric[], through a domain too), effectiveness_score
-- a number column, optional domain and original_prompt; and over views,
-- materialized views and partitioned tables.
\set VERBOSITY default
CREATE SCHEMA synth_validate_flat;
SET search_path = synth_validate_flat;

CREATE TABLE flat8 (label text, feature_vector float8[], effectiveness_score float8,
                    domain text, original_prompt text);
INSERT INTO flat8 VALUES
  ('valid',          '{0.5,120,0.7,4,0.6,0.8}', 0.2,  'technical', 'a'),
  ('valid twin',     '{0.5,120,0.7,4,0.6,0.8}', 0.9,  'creative',  'a'),
  ('valid, no name', '{0.9,80,0.4,2,0.9,0.5}',  0.5,  NULL,        NULL),
  ('null vector',    NULL,                      0.5,  'technical', 'b'),
  ('empty vector',   '{}',                      0.5,  'technical', 'c'),
  ('five',           '{0.5,120,0.7,4,0.6}',     0.5,  'technical', 'd'),
  ('two-by-three',   '{{0.5,120,0.7},{4,0.6,0.8}}', 0.5, 'technical', 'e'),
  ('null element',   '{0.5,120,NULL,4,0.6,0.8}', 0.5, 'technical', 'f'),
  ('NaN element',    '{0.5,120,NaN,4,0.6,0.8}',  0.5, 'technical', 'g'),
  ('inf element',    '{0.5,-Infinity,0.7,4,0.6,0.8}', 0.5, 'technical', 'h'),
  ('NaN score',      '{0.5,120,0.7,4,0.6,0.8}', 'NaN', 'technical', 'i'),
  ('null score',     '{0.5,120,0.7,4,0.6,0.8}', NULL, 'technical', 'j'),
  ('score 2',        '{0.5,120,0.7,4,0.6,0.8}', 2,    'technical', 'k'),
  ('order',          '{0.5,120,NULL,4,0.6,NaN}', NULL, 'technical', 'l');
SELECT r->'layout' AS layout, r->'sample_count' AS samples, r->'valid_count' AS valid,
       jsonb_pretty(r->'invalid') AS invalid, r->'domain_distribution' AS domains,
       r->'distinct_prompts' AS prompts, r->'effectiveness'->'mean' AS mean_score
FROM public.synth_validate('flat8') r;
SELECT * FROM public.synth_report('flat8') WHERE synth_report ~ '^(synthdata|source|rows)';

-- real[] and a real score, no domain and no prompt column.
CREATE TABLE flat4 (feature_vector real[], effectiveness_score real);
INSERT INTO flat4 VALUES ('{0.5,120,0.75,4,0.5,0.25}', 0.25), ('{1,100,0.5,3,0.5,0.5}', 0.75),
                         ('{NaN,100,0.5,3,0.5,0.5}', 0.5), ('{1,100,0.5,3,0.5,0.5}', 'Infinity');
SELECT r->'valid_count' AS valid, r->'invalid'->'non_finite' AS non_finite,
       r->'effectiveness' AS score, r->'features'->0 AS clarity,
       r->'distinct_prompts' AS prompts, r->'domain_distribution'->'unknown' AS unknown
FROM public.synth_validate('flat4') r;
SELECT * FROM public.synth_report('flat4') WHERE synth_report ~ '^(source|Distinct)';

-- numeric[] and a numeric score: NaN, Infinity and values beyond double range
-- are non_finite; tiny ones round to zero; integer scores are numbers too.
CREATE TABLE flatn (feature_vector numeric[], effectiveness_score numeric, domain varchar(20));
INSERT INTO flatn VALUES
  ('{0.5,120,0.7,4,0.6,0.8}', 0.5, 'analytical'),
  ('{0.5,1e400,0.7,4,0.6,0.8}', 0.5, 'analytical'),
  ('{0.5,120,NaN,4,0.6,0.8}', 0.5, 'analytical'),
  ('{0.5,120,0.7,4,Infinity,0.8}', 0.5, 'analytical'),
  ('{0.5,120,0.7,4,0.6,0.8}', '-Infinity', 'analytical'),
  ('{1e-400,120,0.7,4,0.6,0.8}', 1, 'analytical');
SELECT r->'valid_count' AS valid, r->'invalid'->'non_finite' AS non_finite,
       r->'features'->0->'min' AS clarity_min, r->'domain_distribution'->'analytical' AS analytical
FROM public.synth_validate('flatn') r;
CREATE TABLE flati (feature_vector int[], effectiveness_score int);
INSERT INTO flati VALUES ('{1,100,1,3,1,1}', 1), ('{0,100,0,3,0,0}', 0), ('{0,100,0,3,0,0}', 3);
SELECT r->'valid_count' AS valid, r->'invalid'->'score_out_of_range' AS out_of_range,
       r->'effectiveness'->'std' AS std
FROM public.synth_validate('flati') r;

-- Domains over the column types are seen through.
CREATE DOMAIN feature_array AS float8[] CHECK (cardinality(VALUE) > 0);
CREATE DOMAIN unit_score AS float8;
CREATE TABLE flatd (feature_vector feature_array, effectiveness_score unit_score);
INSERT INTO flatd VALUES ('{0.5,120,0.7,4,0.6,0.8}', 0.5);
SELECT public.synth_validate('flatd')->'valid_count' AS valid;

-- Views, materialized views and partitioned tables read the same way.
CREATE VIEW flat8_view AS SELECT * FROM flat8 WHERE label LIKE 'valid%';
CREATE MATERIALIZED VIEW flat8_mat AS SELECT * FROM flat8;
CREATE TABLE flat_parts (feature_vector float8[], effectiveness_score float8, part int)
  PARTITION BY LIST (part);
CREATE TABLE flat_parts_1 PARTITION OF flat_parts FOR VALUES IN (1);
CREATE TABLE flat_parts_2 PARTITION OF flat_parts FOR VALUES IN (2);
INSERT INTO flat_parts SELECT feature_vector, effectiveness_score, 1 + (row_number() OVER () % 2)::int
FROM flat8;
SELECT rel, public.synth_validate(rel)->'sample_count' AS samples,
       public.synth_validate(rel)->'valid_count' AS valid
FROM (VALUES ('flat8_view'::regclass), ('flat8_mat'), ('flat_parts'), ('flat_parts_1')) v(rel);

-- When both layouts fit, the pipeline's columns win.
CREATE TABLE both_layouts (prompt_text text, enhancement_result jsonb,
                           feature_vector float8[], effectiveness_score float8);
INSERT INTO both_layouts VALUES ('p', '{"effectiveness_score": 0.5}', '{0.5,120,0.7,4,0.6,0.8}', 0.5);
SELECT r->'layout' AS layout, r->'invalid'->'missing_features' AS missing
FROM public.synth_validate('both_layouts') r;

RESET search_path;
DROP SCHEMA synth_validate_flat CASCADE;
