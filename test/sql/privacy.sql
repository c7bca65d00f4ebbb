-- Differentially private fits (issue 24): the SQL surface, the privacy block
-- of a profile and of its summary, the ledger every private fit writes and
-- the cap synthdata.privacy_budget puts on a table's spend.
\set SHOW_CONTEXT never
CREATE TABLE dp_rows (
    id serial PRIMARY KEY, prompt_text text NOT NULL, enhancement_result jsonb NOT NULL,
    data_source text NOT NULL, is_active boolean NOT NULL DEFAULT true);
INSERT INTO dp_rows (prompt_text, enhancement_result, data_source)
SELECT 'real prompt ' || g,
       jsonb_build_object(
         'feature_vector', jsonb_build_array(3 + (g * 7) % 50, round(((g * 37) % 100) / 100.0, 2), g % 5),
         'effectiveness_score', round(((g * 53) % 100) / 100.0, 2),
         'metadata', jsonb_build_object('domain', CASE WHEN g % 3 = 0 THEN 'billing' ELSE 'support' END,
                                        'feature_names', jsonb_build_array('steps', 'quality', 'retries'))),
       'real'
FROM generate_series(1, 600) g;

-- Not private: the profile says so, and that it holds real extremes.
SELECT synth_fit('dp_rows') AS plain \gset
SELECT :'plain'::jsonb ? 'privacy' AS plain_has_privacy,
       synth_profile_summary(:'plain')->'privacy'->'private' AS private,
       synth_profile_summary(:'plain')->'privacy'->'holds_real_extremes' AS holds_real_extremes,
       synth_profile_summary(:'plain')->'features'->0->'min' AS plain_min,
       synth_profile_summary(:'plain')->'features'->0->'max' AS plain_max;
SELECT count(*) AS ledger_after_plain_fit FROM synth_privacy_ledger;

-- Private, with seeded noise: the same seed gives the same profile; its
-- privacy block says what it guarantees.
SELECT synth_fit('dp_rows', epsilon => 1, seed => 7) AS dp1 \gset
SELECT synth_fit('dp_rows', epsilon => 1, seed => 7) AS dp2 \gset
SELECT synth_profile_hash(:'dp1') = synth_profile_hash(:'dp2') AS same_seed_same_profile,
       synth_profile_hash(:'dp1') <> synth_profile_hash(:'plain') AS differs_from_plain;
SELECT p->'privacy'->'epsilon' AS epsilon, p->'privacy'->'delta' AS delta,
       (p->'privacy'->>'rho')::float8 BETWEEN 0.001 AND 0.02 AS rho_in_range,
       p->'privacy'->>'mechanism' AS mechanism, p->'privacy'->>'bounds_source' AS bounds_source
FROM (SELECT :'dp1'::jsonb AS p) s;
SELECT s->'privacy'->'private' AS private, s->'privacy'->'holds_real_extremes' AS holds_real_extremes,
       s->'privacy'->'epsilon' AS epsilon, s->'privacy'->>'note' LIKE 'not private: fitted with seeded noise%' AS note
FROM synth_profile_summary(:'dp1') s;
SELECT line FROM synth_profile_report(:'dp1') line WHERE line LIKE '  not private: fitted with seeded noise%';
-- Public bounds: the first and last knots of the feature lie on the grid
-- inside them, not on the observed 3 and 52.
-- Bounds named f1, f3 fit three features (the largest index), f2's bounds
-- estimated.
SELECT synth_fit('dp_rows', epsilon => 2, bounds => '{"f1": [0, 64], "f3": [0, 4]}', seed => 1) AS bounded \gset
SELECT :'bounded'::jsonb->'privacy'->>'bounds_source' AS bounds_source,
       synth_profile_summary(:'bounded')->'features'->0->'min' AS dp_min,
       synth_profile_summary(:'bounded')->'features'->0->'max' AS dp_max,
       :'bounded'::jsonb->'feature_names' AS feature_names;
-- A private fit never takes feature names from the rows (one row's
-- metadata): f1..fd, or the keys of bounds that name every feature (in
-- jsonb's key order: shorter names first); null bounds name a feature whose
-- bounds are estimated.
SELECT synth_fit('dp_rows', epsilon => 1, seed => 2)->'feature_names' AS without_bounds,
       synth_fit('dp_rows', epsilon => 1, seed => 2,
                 bounds => '{"steps": [0, 64], "quality": [0, 1], "retries": [0, 4]}')->'feature_names' AS from_bounds,
       synth_fit('dp_rows', epsilon => 1, seed => 2,
                 bounds => '{"steps": null, "quality": null, "retries": null}')->'feature_names' AS named_only;
-- A seeded fit is not private, and its summary says so.
SELECT s->'privacy'->'private' AS private, s->'privacy'->>'mechanism' AS mechanism, s->'privacy'->>'note' AS note
FROM synth_profile_summary(:'dp1') s;
-- A public domain list.
SELECT jsonb_agg(d->>'name' ORDER BY d->>'name') AS domains
FROM jsonb_array_elements(synth_fit('dp_rows', epsilon => 1, domains => '{billing,support}', seed => 3)->'domains') d;
-- The server's strong random source without a seed: two fits differ.
SELECT synth_profile_hash(synth_fit('dp_rows', epsilon => 1)) <> synth_profile_hash(synth_fit('dp_rows', epsilon => 1))
       AS fresh_noise;

-- The ledger: one entry per private fit (eight so far), numbered per table,
-- with the profile it made; plain fits spend nothing.
SELECT source_table, count(*) AS fits, min(entry) AS first, max(entry) AS last,
       count(*) FILTER (WHERE mechanism LIKE '%seeded noise%') AS seeded,
       bool_and(fitted_by = current_user) AS by_me
FROM synth_privacy_ledger GROUP BY 1;
SELECT l.profile_hash = synth_profile_hash(:'dp1') AS records_profile, l.epsilon, l.delta
FROM synth_privacy_ledger l WHERE l.entry = 1;
SELECT b->'private_fits' AS fits, b->'budget_epsilon' AS budget, b->'budget_delta' AS budget_delta,
       (b->>'rho_spent')::float8 = (SELECT sum(rho) FROM synth_privacy_ledger) AS rho_spent_is_sum,
       (b->>'epsilon_spent')::float8 < 8 AS composes_below_sum_of_epsilons
FROM synth_privacy_budget('dp_rows') b;
-- The thresholds' delta (half of each fit's) adds up apart from rho: the
-- table's guarantee is epsilon_spent at budget delta + sum(delta / 2).
SELECT (b->>'delta_spent')::float8 = 1e-9 + (SELECT sum(delta / 2) FROM synth_privacy_ledger) AS delta_spent_sums,
       round((b->>'delta_spent')::numeric, 12) AS delta_spent
FROM synth_privacy_budget('dp_rows') b;
-- The accountant's conversions invert each other.
SELECT round(synth_privacy_epsilon(synth_privacy_rho(1, 1e-9), 1e-9)::numeric, 6) AS round_trip,
       synth_privacy_rho(1, 1e-9) < synth_privacy_rho(1, 1e-6) AS smaller_delta_less_rho;

-- The cap: room for exactly two more fits of epsilon 1.
SELECT set_config('synthdata.privacy_budget',
                  synth_privacy_epsilon((SELECT sum(rho) FROM synth_privacy_ledger)
                                        + 2.5 * (SELECT rho FROM synth_privacy_ledger WHERE entry = 1), 1e-9)::text,
                  false) IS NOT NULL AS budget_set;
SELECT synth_fit('dp_rows', epsilon => 1) IS NOT NULL AS fit_7;
SELECT synth_fit('dp_rows', epsilon => 1) IS NOT NULL AS fit_8;
SELECT synth_fit('dp_rows', epsilon => 1) IS NOT NULL AS fit_9;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS fits_recorded FROM synth_privacy_ledger;
-- A smaller epsilon still fits in what is left (with the domains public:
-- at epsilon 0.1 neither domain, of 200 and 400 rows, passes the noisy threshold).
-- Seeded: at epsilon 0.1 the noisy count of these 600 rows falls below the
-- 10 a fit needs in about 4% of fresh draws (a clear error, privacy_errors).
SELECT synth_fit('dp_rows', epsilon => 0.1, domains => '{billing,support}', seed => 4) IS NOT NULL AS small_fit;
SELECT (b->>'rho_left')::float8 < (SELECT rho FROM synth_privacy_ledger WHERE entry = 1) AS little_left
FROM synth_privacy_budget('dp_rows') b;
-- A refused fit leaves the ledger as it was; so does a fit rolled back (the
-- ledger counts committed fits: docs/privacy.md says what that means).
BEGIN;
SET LOCAL synthdata.privacy_budget = 1000;
SELECT synth_fit('dp_rows', epsilon => 1) IS NOT NULL AS fit_in_transaction;
ROLLBACK;
SELECT count(*) AS fits_recorded FROM synth_privacy_ledger;
-- Another table has its own budget.
CREATE TABLE dp_other AS SELECT * FROM dp_rows;
SELECT synth_fit('dp_other', epsilon => 1) IS NOT NULL AS other_table_fits;
-- The budget 0 allows no private fit.
SET synthdata.privacy_budget = 0;
SELECT synth_fit('dp_other', epsilon => 1);
\echo :LAST_ERROR_SQLSTATE
RESET synthdata.privacy_budget;

-- Who may do what: only the owner writes the ledger; a role that may read
-- the table fits privately (the ledger records it as the role's), sees the
-- table's entries and budget and no other table's, and can neither write
-- the ledger nor spend by hand.
CREATE ROLE regress_synth_dp_reader;
GRANT SELECT ON dp_rows TO regress_synth_dp_reader;
SET ROLE regress_synth_dp_reader;
SELECT synth_fit('dp_rows', epsilon => 0.5) IS NOT NULL AS reader_fits;
SELECT (b->'private_fits')::int > 0 AS reader_sees_budget FROM synth_privacy_budget('dp_rows') b;
SELECT source_table, count(*) AS entries_seen FROM synth_privacy_ledger GROUP BY 1;
DELETE FROM synth_privacy_ledger;
\echo :LAST_ERROR_SQLSTATE
SELECT _synth_spend_privacy('dp_rows', 1, 1, 1e-9, 'x', 'by hand', 'regress_synth_dp_reader');
\echo :LAST_ERROR_SQLSTATE
SELECT synth_privacy_budget('dp_other');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
SELECT fitted_by, epsilon FROM synth_privacy_ledger WHERE fitted_by = 'regress_synth_dp_reader';
-- Only a superuser sets the cap.
SET ROLE regress_synth_dp_reader;
SET synthdata.privacy_budget = 100;
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
REVOKE ALL ON dp_rows FROM regress_synth_dp_reader;
DROP ROLE regress_synth_dp_reader;

DELETE FROM synth_privacy_ledger WHERE source_table IN ('dp_rows'::regclass, 'dp_other'::regclass);
DROP TABLE dp_other, dp_rows;
