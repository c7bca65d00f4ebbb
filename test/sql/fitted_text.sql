-- Fitted text (issue 21): real rows with long enhanced prompts (the `length`
-- feature up to 5,000), `complexity` 0 to 12, a known and an unknown domain.
-- Every text synthdata returns or stores passes the server's own encoding
-- verifier (convert_to checks the text against the database encoding,
-- convert_from the bytes as UTF-8; either raises 22021 on a NUL byte), is
-- stored and read back unchanged, has `length` equal to its char_length
-- (clamped to 2,000) and `complexity` equal to its clause count, with no
-- "Requirements: ." left when there are no clauses.
CREATE TABLE text_prompts (
    id serial PRIMARY KEY, prompt_text varchar(10000) NOT NULL, enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL, training_priority integer NOT NULL, created_at timestamp NOT NULL,
    updated_at timestamp, deleted_at timestamp, is_active boolean NOT NULL DEFAULT true);
INSERT INTO text_prompts (prompt_text, enhancement_result, data_source, training_priority, created_at)
SELECT 'real prompt ' || g,
       jsonb_build_object(
         'enhanced_prompt', repeat('A long real prompt. ', (300 + (g * 37) % 4700) / 20),
         'feature_vector', jsonb_build_array(round(((g * 37) % 100) / 100.0, 2),
                                             CASE WHEN g % 4 = 0 THEN 60 + (g * 13) % 300 ELSE 300 + (g * 37) % 4700 END,
                                             round(((g * 11) % 17) / 17.0, 3),
                                             CASE WHEN g % 3 = 0 THEN 0 ELSE (g * 7) % 13 END,
                                             round(((g * 5) % 10) / 10.0, 1), 0.5),
         'effectiveness_score', round(((g * 37) % 100) / 100.0, 2),
         'metadata', jsonb_build_object('domain', CASE WHEN g % 2 = 0 THEN 'technical' ELSE 'field notes' END,
                                        'feature_names', jsonb_build_array('clarity', 'length', 'specificity',
                                                                           'complexity', 'context_richness',
                                                                           'actionability'))),
       'real', 100, '2024-01-01'
FROM generate_series(1, 300) g;
SELECT synth_fit('text_prompts') AS p \gset

-- Rows synth_generate returns.
CREATE TEMP VIEW checked AS
SELECT g.*, char_length(enhanced_prompt) AS chars,
       CASE WHEN position('Requirements: ' IN enhanced_prompt) = 0 THEN 0
            ELSE array_length(string_to_array(substr(enhanced_prompt, position('Requirements: ' IN enhanced_prompt)),
                                              '; '), 1) END AS clauses
FROM synth_generate(3000, 1, profile => :'p') g;
SELECT count(*) AS rows,
       count(*) FILTER (WHERE convert_from(convert_to(enhanced_prompt, 'UTF8'), 'UTF8') = enhanced_prompt
                          AND convert_from(convert_to(original_prompt, 'UTF8'), 'UTF8') = original_prompt) AS verified,
       count(*) FILTER (WHERE octet_length(enhanced_prompt) = chars) AS ascii,
       count(*) FILTER (WHERE feature_vector[2] = chars) AS length_agrees,
       count(*) FILTER (WHERE feature_vector[4] = clauses) AS complexity_agrees,
       count(*) FILTER (WHERE enhanced_prompt LIKE '%Requirements: .%') AS empty_requirements,
       count(*) FILTER (WHERE enhanced_prompt LIKE '%Be thorough.%') AS filler,
       count(*) FILTER (WHERE clauses = 0) > 500 AS many_without_clauses,
       count(*) FILTER (WHERE chars > 384) > 1000 AS many_long,
       max(chars) <= 2000 AS within_2000,
       count(*) FILTER (WHERE chars = 2000) > 0 AS some_clamped
FROM checked;

-- Rows synth_refresh stores, in the text column and in the jsonb document:
-- the document's text survives a dump (text out, jsonb in) unchanged.
SELECT r->'inserted' AS inserted FROM synth_refresh('text_prompts', min_rows => 1000) r;
SELECT count(*) AS rows,
       count(*) FILTER (WHERE convert_from(convert_to(prompt_text, 'UTF8'), 'UTF8') = prompt_text
                          AND convert_from(convert_to(enhancement_result::text, 'UTF8'), 'UTF8')
                              = enhancement_result::text) AS verified,
       count(*) FILTER (WHERE enhancement_result::text::jsonb = enhancement_result) AS restores,
       count(*) FILTER (WHERE (enhancement_result->'feature_vector'->>1)::int
                              = char_length(enhancement_result->>'enhanced_prompt')) AS length_agrees,
       count(*) FILTER (WHERE (enhancement_result->'feature_vector'->>3)::int
                              = CASE WHEN enhancement_result->>'enhanced_prompt' NOT LIKE '%Requirements: %' THEN 0
                                     ELSE array_length(string_to_array(
                                            substr(enhancement_result->>'enhanced_prompt',
                                                   position('Requirements: ' IN enhancement_result->>'enhanced_prompt')),
                                            '; '), 1) END) AS complexity_agrees,
       max(char_length(enhancement_result->>'enhanced_prompt')) <= 2000 AS within_2000
FROM text_prompts WHERE data_source = 'synthetic' AND is_active;
