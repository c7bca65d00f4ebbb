-- Where a kept profile came from, and a profile whose domains miss the
-- target's real ones (issue 25, item 3).
CREATE TABLE source_rows (
    id serial PRIMARY KEY, prompt_text varchar(10000) NOT NULL, enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL, training_priority integer NOT NULL, created_at timestamp NOT NULL,
    updated_at timestamp, deleted_at timestamp, is_active boolean NOT NULL DEFAULT true);
CREATE TABLE target_rows (LIKE source_rows INCLUDING ALL);
-- Real rows of technical and creative prompts to fit.
SELECT synth_insert('source_rows', 60, 7, domain_weights => '{"technical": 1, "creative": 1}') AS inserted;
UPDATE source_rows SET data_source = 'real';
-- The target's real rows are of billing and support.
SELECT synth_insert('target_rows', 30, 8, domain_weights => '{"technical": 1}') AS inserted;
UPDATE target_rows SET data_source = 'user',
  enhancement_result = jsonb_set(enhancement_result, '{metadata,domain}', to_jsonb(CASE WHEN id % 2 = 0 THEN 'billing' ELSE 'support' END));

SELECT synth_fit('source_rows') AS p \gset
SELECT jsonb_agg(d->>'name') AS profile_domains FROM jsonb_array_elements(:'p'::jsonb->'domains') d;
-- One WARNING naming both sets; the rows go in all the same.
SELECT synth_insert('target_rows', 10, 1, profile => :'p') AS inserted;
-- The profile is kept with the table it was fitted from and when.
SELECT source_table, fitted_at BETWEEN now() - interval '1 hour' AND clock_timestamp() AS fitted_now,
       stored_at IS NOT NULL AS stored
FROM synth_profiles WHERE profile_hash = synth_profile_hash(:'p');

-- A target whose real rows share a domain with the profile, or that has no
-- real rows: no warning.
UPDATE target_rows SET enhancement_result = jsonb_set(enhancement_result, '{metadata,domain}', '"technical"')
WHERE id = (SELECT min(id) FROM target_rows);
SELECT synth_insert('target_rows', 10, 2, profile => :'p') AS inserted;
CREATE TABLE empty_target (LIKE source_rows INCLUDING ALL);
SELECT synth_insert('empty_target', 10, 3, profile => :'p') AS inserted;

-- synth_refresh records the table it fitted and when (its own real rows:
-- their domains are the profile's, no warning).
SELECT r->>'source' AS source, r->>'inserted' AS inserted FROM synth_refresh('target_rows', min_rows => 80) r;
SELECT source_table, fitted_at IS NOT NULL AS has_time, profile_hash <> synth_profile_hash(:'p') AS another_profile
FROM synth_profiles WHERE profile_hash = (SELECT profile_hash FROM synth_refreshes WHERE target = 'target_rows'::regclass);

-- A profile this session did not fit (another session's, or one edited by
-- hand) is kept without a source: the hash names content only.
UPDATE source_rows SET is_active = false WHERE id % 3 = 0 AND data_source = 'real';
SELECT synth_fit('source_rows') AS q \gset
\c
SELECT synth_insert('empty_target', 10, 4, profile => :'q') AS inserted;
SELECT source_table IS NULL AS no_source, fitted_at IS NULL AS no_time
FROM synth_profiles WHERE profile_hash = synth_profile_hash(:'q');
