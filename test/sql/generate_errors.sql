-- synth_generate (issue 3): every bad input is refused with its own SQLSTATE,
-- a message naming the argument, and the allowed values.
--
-- The SQLSTATE is pinned with psql's LAST_ERROR_SQLSTATE after each error
-- rather than with VERBOSITY verbose, whose LOCATION lines carry source line
-- numbers that change with every edit of the C++ (or a PostgreSQL update).

-- n
SELECT * FROM synth_generate(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(-1, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(1000000000001, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(9223372036854775807, 1);
\echo :LAST_ERROR_SQLSTATE
-- The streaming path (SELECT list) checks the same.
SELECT (synth_generate(-1, 1)).sample_id;
\echo :LAST_ERROR_SQLSTATE
SELECT (synth_generate(NULL)).sample_id;
\echo :LAST_ERROR_SQLSTATE

-- domain_weights
SELECT * FROM synth_generate(10, 1, '{"technical": 1, "legal": 1}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, '{"Technical": 1}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, '[1, 2, 3]');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, '5');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, 'null');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, '{"technical": -1}');
\echo :LAST_ERROR_SQLSTATE
-- jsonb holds no NaN or infinity; a number too large for float8 becomes one.
SELECT * FROM synth_generate(10, 1, '{"technical": 1e400}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, '{"technical": 0, "creative": 0}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, '{}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, '{"technical": "3"}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, '{"technical": true}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, '{"technical": null}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, '{"technical": {"weight": 1}}');
\echo :LAST_ERROR_SQLSTATE
-- jsonb keeps the last of duplicate keys, so this names technical once, with weight 0.
SELECT * FROM synth_generate(10, 1, '{"technical": 1, "technical": 0}');
\echo :LAST_ERROR_SQLSTATE
-- A NULL domain_weights is the default; an object naming one domain is fine.
SELECT count(*) FROM synth_generate(10, 1, NULL);
SELECT count(*) FROM synth_generate(10, 1, '{"conversational": 0.5}');

-- tier_shares
SELECT * FROM synth_generate(10, 1, tier_shares => '{0.5,0.5}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, tier_shares => '{0.25,0.25,0.25,0.25}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, tier_shares => '{}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, tier_shares => '{0.25,NULL,0.75}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, tier_shares => '{{0.25,0.5},{0.25,0}}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, tier_shares => NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, tier_shares => '{0.3,0.3,0.3}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, tier_shares => '{0.5,0.75,-0.25}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, tier_shares => '{NaN,0.5,0.5}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, tier_shares => '{0.5,Infinity,0.5}');
\echo :LAST_ERROR_SQLSTATE

-- label_noise
SELECT * FROM synth_generate(10, 1, label_noise => 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, label_noise => -0.1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, label_noise => 1.5);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, label_noise => 'Infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, label_noise => NULL);
\echo :LAST_ERROR_SQLSTATE
-- The bounds themselves are allowed.
SELECT count(*) FROM synth_generate(10, 1, label_noise => 0);
SELECT count(*) FROM synth_generate(10, 1, label_noise => 1);

-- slices
SELECT * FROM synth_generate(10, 1, slice_start => -1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, slice_start => 11);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, slice_start => NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, slice_start => 4, slice_rows => 7);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, slice_rows => 11);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM synth_generate(10, 1, slice_rows => -1);
\echo :LAST_ERROR_SQLSTATE
SELECT (synth_generate(10, 1, slice_start => 11)).sample_id;
\echo :LAST_ERROR_SQLSTATE
SELECT (synth_generate(10, 1, slice_rows => -5)).sample_id;
\echo :LAST_ERROR_SQLSTATE

-- Inside a transaction, an error rolls back cleanly and the session goes on.
BEGIN;
SAVEPOINT before_error;
SELECT * FROM synth_generate(-1, 1);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT before_error;
SELECT count(*) FROM synth_generate(10, 1);
COMMIT;

-- A long generation stays cancellable: a statement timeout stops it (57014).
SET statement_timeout = '1s';
SELECT count(*) FROM synth_generate(1000000000, 1);
\echo :LAST_ERROR_SQLSTATE
RESET statement_timeout;
SELECT count(*) FROM synth_generate(10, 1);
