#!/usr/bin/env python3
"""Loading at scale: wall time and CPU time of the ways to load one dataset.

  bench/loading.py sessions --host DIR --port P [-n 1000000] [--rounds 2]
      one server: examples/parallel_load.py with K = 1 and K = 2 sessions, and the plain-SQL
      INSERT ... SELECT of rows of the same shape into the same table with K = 1 and K = 2
  bench/loading.py rowfn --host DIR --port P [-n 200000] [--rounds 2]
      synth_row over a series of ids (1, 2 and 4 columns taken) beside synth_rows in FROM
  bench/loading.py citus --host DIR --port P [-n 2000000] [--rounds 2]
      a Citus cluster (test/citus/run.sh with CITUS_KEEP=1 leaves one running):
      coordinator-only synth_insert against CALL synth_citus_load

The runs alternate (A B A B ...) so a change in the machine's load hits both.
Besides the wall time it reads each server's CPU time from its postmaster's
reaped children (utime + stime of finished backends, /proc/PID/stat), so
the work done is visible even when other jobs share the cores: on an idle
machine the coordinator-only load cannot finish before the coordinator's own
CPU time, the parallel one needs about the busiest worker's.
Prints one line per run and the ratios of the medians. Not a test.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICK = os.sysconf("SC_CLK_TCK")


def postmaster_pid(host, port):
    out = psql(host, port, "postgres", "SHOW data_directory").strip()
    with open(os.path.join(out, "postmaster.pid")) as f:
        return int(f.readline())


def reaped_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / TICK  # cutime + cstime


def psql(host, port, db, sql, quiet=False):
    r = subprocess.run(["psql", "-X", "-qAt", "-v", "ON_ERROR_STOP=1", "-U", os.environ.get("PGUSER", "postgres"), "-h", host, "-p", str(port), "-d", db,
                        "-c", sql], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"psql failed: {r.stderr.strip()}\n{sql}")
    return r.stdout


def measure(label, run, pids):
    before = [reaped_cpu(p) for p in pids]
    began = time.monotonic()
    run()
    wall = time.monotonic() - began
    time.sleep(1.0)  # let the postmasters reap the backends (and Citus' worker connections)
    cpu = [reaped_cpu(p) - b for p, b in zip(pids, before)]
    print(f"{label:<24} wall {wall:7.2f} s   cpu " + " ".join(f"{c:6.2f}" for c in cpu) + " s", flush=True)
    return wall, cpu


# The plain-SQL way of loading rows of the same shape into the same table:
# a prompt of about the same length and the document of one synthetic row,
# its sample_id set per row. K sessions run it on disjoint ranges.
def plain_sql(start, rows):
    return ("WITH d AS (SELECT enhancement_jsonb AS doc FROM synth_rows(1, 1)) "
            "INSERT INTO training_prompts (prompt_text, enhancement_result, data_source, training_priority, "
            "created_at, is_active) SELECT 'interpret a survey ' || md5(g::text), "
            "jsonb_set(d.doc, '{metadata,sample_id}', to_jsonb(g)), 'synthetic', 10, now(), true "
            f"FROM d, generate_series({start}, {start + rows - 1}) g")


def generate_only(n, start, rows):
    return f"SELECT count(*) FROM synth_rows({n}, 42, slice_start => {start}, slice_rows => {rows})"


def run_sessions(host, port, db, statements):
    procs = [subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-U", os.environ.get("PGUSER", "postgres"),
                               "-h", host, "-p", str(port), "-d", db, "-c", sql], stdout=subprocess.DEVNULL)
             for sql in statements]
    if any(p.wait() != 0 for p in procs):
        raise RuntimeError("a session failed")


def sessions(args):
    db = "synth_bench_sessions"
    psql(args.host, args.port, "postgres", f"DROP DATABASE IF EXISTS {db}")
    psql(args.host, args.port, "postgres", f"CREATE DATABASE {db}")
    psql(args.host, args.port, db, "CREATE EXTENSION synthdata")
    subprocess.run(["psql", "-X", "-q", "-U", os.environ.get("PGUSER", "postgres"), "-h", args.host, "-p", str(args.port), "-d", db, "-f",
                    os.path.join(ROOT, "examples", "training_prompts.sql")], check=True)
    pid = postmaster_pid(args.host, args.port)
    dsn = f"host={args.host} port={args.port} dbname={db} user={os.environ.get('PGUSER', 'postgres')}"
    half = args.n // 2
    forms = {
        ("synthdata", 1): lambda: subprocess.run(
            ["/usr/bin/python3", os.path.join(ROOT, "examples", "parallel_load.py"), "--dsn", dsn,
             "-n", str(args.n), "--seed", "42", "-k", "1"], check=True, capture_output=True),
        ("synthdata", 2): lambda: subprocess.run(
            ["/usr/bin/python3", os.path.join(ROOT, "examples", "parallel_load.py"), "--dsn", dsn,
             "-n", str(args.n), "--seed", "42", "-k", "2"], check=True, capture_output=True),
        ("plain SQL", 1): lambda: run_sessions(args.host, args.port, db, [plain_sql(0, args.n)]),
        ("plain SQL", 2): lambda: run_sessions(args.host, args.port, db,
                                               [plain_sql(0, half), plain_sql(half, args.n - half)]),
        # Generating alone, without inserting: what two sessions gain when no page is shared.
        ("generate only", 1): lambda: run_sessions(args.host, args.port, db, [generate_only(args.n, 0, args.n)]),
        ("generate only", 2): lambda: run_sessions(args.host, args.port, db, [
            generate_only(args.n, 0, half), generate_only(args.n, half, args.n - half)]),
    }
    results = {k: [] for k in forms}
    digests = {}
    for _ in range(args.rounds):
        for (what, k), run in forms.items():
            psql(args.host, args.port, db, "TRUNCATE training_prompts")
            psql(args.host, args.port, db, "CHECKPOINT")
            w, c = measure(f"{what} K={k}, n={args.n}", run, [pid])
            results[(what, k)].append((w, c[0]))
            if what == "synthdata" and k in (1, 2):
                digests[k] = psql(args.host, args.port, db, DIGEST).strip()
    psql(args.host, args.port, "postgres", f"DROP DATABASE {db}")
    print(f"rows equal for K=1 and K=2: {digests[1] == digests[2]}")
    for what in ("synthdata", "plain SQL", "generate only"):
        w1 = statistics.median(w for w, _ in results[(what, 1)])
        w2 = statistics.median(w for w, _ in results[(what, 2)])
        c1 = statistics.median(c for _, c in results[(what, 1)])
        c2 = statistics.median(c for _, c in results[(what, 2)])
        print(f"one server, {what}: K=2 is {w1 / w2:.2f}x the speed of K=1 (median wall {w1:.2f} s vs {w2:.2f} s, "
              f"{args.n / w2:.0f} rows/s); CPU {c1:.1f} s vs {c2:.1f} s")


# md5 of the rows' md5s, so millions of rows stay under the 1 GB limit of a string.
DIGEST = ("SELECT count(*) || ' ' || md5(string_agg(md5(prompt_text || (enhancement_result #- "
          "'{metadata,generation_timestamp}')::text), '' ORDER BY (enhancement_result #>> "
          "'{metadata,sample_id}')::bigint)) FROM training_prompts")


def citus(args):
    db = args.dbname
    h, p = args.host, args.port
    pids = [postmaster_pid(h, p + i) for i in range(3)]
    psql(h, p, db, "DROP TABLE IF EXISTS training_prompts, user_sessions, synth_load_slices, synth_load_ids CASCADE")
    psql(h, p, db, f"SET citus.shard_count = {args.shards}; " +
         open(os.path.join(ROOT, "examples", "training_prompts.sql")).read() +
         "; SELECT create_reference_table('user_sessions');"
         " SELECT create_distributed_table('training_prompts', 'id');")
    # The first load makes its table of ids; made here, it is not part of a timed run.
    psql(h, p, db, "CALL synth_citus_load(1, 1)")
    forms = {
        "coordinator synth_insert": f"SELECT synth_insert('training_prompts', {args.n}, 42)",
        "workers synth_citus_load": f"CALL synth_citus_load({args.n}, 42)",
    }
    results = {k: [] for k in forms}
    digests = {}
    for _ in range(args.rounds):
        for label, sql in forms.items():
            psql(h, p, db, "TRUNCATE training_prompts")
            results[label].append(measure(label, lambda: psql(h, p, db, sql), pids))
            digests[label] = psql(h, p, db, DIGEST).strip()
    a, b = forms
    wa = statistics.median(w for w, _ in results[a])
    wb = statistics.median(w for w, _ in results[b])
    ca = [statistics.median(c[i] for _, c in results[a]) for i in range(3)]
    cb = [statistics.median(c[i] for _, c in results[b]) for i in range(3)]
    print(f"rows equal for both forms: {digests[a] == digests[b]}")
    print(f"citus, n={args.n}, 2 workers, {args.shards} shards: the parallel form is {wa / wb:.2f}x the speed of "
          f"coordinator-only synth_insert (median wall {wa:.2f} s vs {wb:.2f} s)")
    print(f"  CPU s (coordinator, worker1, worker2): synth_insert {ca[0]:.1f}, {ca[1]:.1f}, {ca[2]:.1f} "
          f"(total {sum(ca):.1f}); parallel {cb[0]:.1f}, {cb[1]:.1f}, {cb[2]:.1f} (total {sum(cb):.1f})")


def row_function(args):
    """synth_row over a series of ids, taking one, two or four columns of its row
    (each column a call site of its own once the subquery is flattened), beside
    synth_rows in FROM, the same rows; medians of the rounds, in one session."""
    db = "synth_bench_rowfn"
    psql(args.host, args.port, "postgres", f"DROP DATABASE IF EXISTS {db}")
    psql(args.host, args.port, "postgres", f"CREATE DATABASE {db}")
    psql(args.host, args.port, db, "CREATE EXTENSION synthdata")
    n = args.n
    inner = f"(SELECT g, synth_row({n}, 42, g) AS r FROM generate_series(0, {n - 1}) g) x"
    forms = {
        "synth_rows in FROM": f"SELECT count(*) FROM (SELECT * FROM synth_rows({n}, 42) OFFSET 0) s",
        "synth_row, 1 column": f"SELECT count((x.r).enhancement_jsonb) FROM {inner}",
        "synth_row, 2 columns": f"SELECT count((x.r).enhancement_jsonb), count((x.r).original_prompt) FROM {inner}",
        "synth_row, 4 columns": f"SELECT count((x.r).enhancement_jsonb), count((x.r).original_prompt), "
                                f"count((x.r).feature_vector), count((x.r).effectiveness_score) FROM {inner}",
    }
    times = {k: [] for k in forms}
    for _ in range(args.rounds):
        for label, sql in forms.items():
            began = time.monotonic()
            psql(args.host, args.port, db, sql)
            times[label].append(time.monotonic() - began)
    psql(args.host, args.port, "postgres", f"DROP DATABASE {db}")
    for label in forms:
        print(f"{label:<22} n={n}: median {statistics.median(times[label]):.3f} s over {args.rounds} rounds")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("sessions", "citus", "rowfn"))
    ap.add_argument("--host", required=True, help="socket folder")
    ap.add_argument("--port", type=int, required=True, help="the server's (the coordinator's; workers follow)")
    ap.add_argument("--dbname", default="citus_suite")
    ap.add_argument("-n", type=int, default=None)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--shards", type=int, default=4)
    args = ap.parse_args()
    if args.what == "sessions":
        args.n = args.n or 1000000
        sessions(args)
    elif args.what == "rowfn":
        args.n = args.n or 200000
        row_function(args)
    else:
        args.n = args.n or 2000000
        citus(args)


if __name__ == "__main__":
    main()
