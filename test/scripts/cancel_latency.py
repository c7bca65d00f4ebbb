"""How fast each long-running synthdata function stops when cancelled.

For every SQL function that can run long, a call sized to run well past the
cancel is started on one connection; after about a second a second
connection cancels it with pg_cancel_backend, and the time from the cancel
to the call's return is measured (twice, at different moments). A call must
still be running when cancelled, fail with 57014, and return within LIMIT
seconds. statement_timeout is checked the same way. Prints the worst case per
function and "ok NAME" / "not ok NAME" lines. Connects with libpq's
environment (PGHOST, PGPORT, PGUSER) to the database named in argv[1].
"""
import sys
import threading
import time

import psycopg2

LIMIT = 0.25
DB = sys.argv[1]

SETUP = r"""
CREATE EXTENSION IF NOT EXISTS synthdata;
-- Rows made on the fly: the readers accept views.
CREATE VIEW gen_huge AS SELECT * FROM synth_generate(1000000000, 1);
CREATE VIEW side_a AS SELECT * FROM synth_generate(20000, 1);
CREATE VIEW side_b AS SELECT * FROM synth_generate(20000, 2);
-- 64 features, 256 domains: a table, so the fit, not the read, takes the time.
CREATE TABLE wide AS
SELECT 'domain ' || (g % 256) AS domain,
       ARRAY(SELECT ((g * 7919 + k * 104729) % 1000) / 1000.0 + k + (g % 256)
             FROM generate_series(1, 64) k)::float8[] AS feature_vector,
       ((g * 37) % 100) / 100.0 AS effectiveness_score
FROM generate_series(1, 20000) g;
CREATE TABLE wide_small AS SELECT * FROM wide LIMIT 256 * 20;
-- A 44 MB profile, kept uncompressed: decompressing it is the server's own
-- work before any function sees the value (about 0.3 s on a busy machine),
-- which no function can interrupt.
CREATE TABLE big_profile (profile jsonb);
ALTER TABLE big_profile ALTER profile SET STORAGE EXTERNAL;
INSERT INTO big_profile SELECT synth_fit('wide_small', NULL, false);
CREATE TABLE training_prompts (
    id serial PRIMARY KEY, prompt_text varchar(10000) NOT NULL, enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL, training_priority integer NOT NULL, created_at timestamp NOT NULL,
    is_active boolean NOT NULL DEFAULT true);
SELECT synth_insert('training_prompts', 2000, 1);
UPDATE training_prompts SET data_source = 'real';
"""

CASES = [
    ("synth_generate", "SELECT count(*) FROM synth_generate(1000000000, 1)"),
    ("synth_insert", "SELECT synth_insert('training_prompts', 100000000, 7)"),
    ("synth_rows", "SELECT count(*) FROM synth_rows(1000000000, 1)"),
    ("synth_row", "SELECT count(synth_row(1000000000, 1, g, profile => p.profile)) "
                  "FROM big_profile p, generate_series(1, 1000000000) g"),
    ("synth_validate", "SELECT synth_validate('gen_huge', only_active => false)"),
    ("synth_report", "SELECT count(*) FROM synth_report('gen_huge', only_active => false)"),
    ("synth_compare", "SELECT synth_compare('side_a', 'side_b', bootstrap => 1000)"),
    ("synth_compare_report", "SELECT count(*) FROM synth_compare_report('side_a', 'side_b', bootstrap => 1000)"),
    ("synth_fit", "SELECT synth_fit('wide', NULL, false)"),
    # Read once into a variable: each call then parses the same 44 MB of text.
    ("synth_profile_hash", "DO $$ DECLARE p jsonb; BEGIN SELECT profile INTO p FROM big_profile; "
                           "FOR i IN 1..1000000 LOOP PERFORM synth_profile_hash(p); END LOOP; END $$"),
    ("synth_refresh", "SELECT synth_refresh('training_prompts', min_rows => 100000000, seed => 1)"),
    # A side of a billion rows: the read, then the sorts, stop on a cancel.
    ("synth_compare_detail", "SELECT synth_compare_detail('gen_huge', 'side_b', bins => 1000)"),
]


def connect():
    conn = psycopg2.connect(dbname=DB)
    conn.autocommit = True
    return conn


def run_once(sql, cancel_after, timeout=None):
    """Runs sql; cancels it after cancel_after seconds (or lets statement_timeout
    do it). Returns (latency or None, what happened)."""
    worker = connect()
    cur = worker.cursor()
    if timeout is not None:
        cur.execute("SET statement_timeout = %s", (str(int(timeout * 1000)) + "ms",))
    cur.execute("SELECT pg_backend_pid()")
    pid = cur.fetchone()[0]
    outcome = {}

    def work():
        started = time.monotonic()
        outcome["started"] = started
        try:
            cur.execute(sql)
            if cur.description:
                cur.fetchall()
            outcome["error"] = None
        except psycopg2.Error as e:
            outcome["error"] = e.pgcode
            outcome["message"] = (e.pgerror or "").strip().splitlines()[0] if e.pgerror else str(e)
        outcome["ended"] = time.monotonic()

    thread = threading.Thread(target=work)
    thread.start()
    time.sleep(0.05)
    fire_at = time.monotonic() + (cancel_after if timeout is None else timeout) - 0.05
    canceller = connect()
    ccur = canceller.cursor()
    if timeout is None:
        while time.monotonic() < fire_at and thread.is_alive():
            time.sleep(0.01)
        if not thread.is_alive():
            thread.join()
            worker.close(); canceller.close()
            return None, "finished before the cancel (%.2f s)" % (outcome["ended"] - outcome["started"])
        fired = time.monotonic()  # the cancel may land before pg_cancel_backend returns
        ccur.execute("SELECT pg_cancel_backend(%s)", (pid,))
    else:
        fired = outcome["started"] + timeout
    thread.join(60)
    if thread.is_alive():
        # Not returned a minute after the cancel: end it so the run goes on.
        ccur.execute("SELECT pg_terminate_backend(%s)", (pid,))
        thread.join(30)
        canceller.close()
        return 60.0, "still running 60 s after the cancel"
    canceller.close()
    worker.close()
    if outcome["error"] is None:
        return None, "finished without an error"
    if outcome["error"] != "57014":
        return None, "failed with %s: %s" % (outcome["error"], outcome.get("message"))
    if outcome["ended"] < fired:
        return None, "returned before the cancel (%s)" % outcome.get("message")
    return outcome["ended"] - fired, outcome.get("message")


def main():
    only = set(sys.argv[2:])
    setup = connect()
    t = time.monotonic()
    setup.cursor().execute(SETUP)
    setup.close()
    print("# set-up %.1f s" % (time.monotonic() - t))
    failures = 0
    checks = [(name, sql, None) for name, sql in CASES]
    checks.append(("statement_timeout_synth_compare", CASES[6][1], 1.0))
    checks.append(("statement_timeout_synth_fit", "SELECT synth_fit('wide', NULL, false)", 1.5))
    for name, sql, timeout in checks:
        if only and name not in only:
            continue
        worst, problem = 0.0, None
        trials = (1.0, 1.6) if timeout is None else (timeout,)
        for delay in trials:
            latency, what = run_once(sql, delay, timeout)
            if latency is None:
                problem = what
                break
            worst = max(worst, latency)
            if latency > LIMIT:
                problem = "returned %.3f s after the cancel (limit %.2f s)" % (latency, LIMIT)
        print("# %-34s worst %.3f s" % (name, worst))
        if problem is None:
            print("ok cancel_%s - worst %.3f s" % (name, worst))
        else:
            failures += 1
            print("not ok cancel_%s - %s" % (name, problem))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
