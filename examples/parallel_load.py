#!/usr/bin/env python3
"""Load one synthdata dataset from K sessions at once, one slice each.

    parallel_load.py [--dsn DSN] [--table training_prompts] -n 1000000 --seed 42 -k 2 [--mode commit|twophase]

Slice i is rows [i*n/K, (i+1)*n/K) of the dataset (n, seed, options); the K
slices together are exactly the rows of one synth_insert(n, seed), in as many
backends as there are sessions, so the load runs on K cores.

Modes:
  commit    each session commits its own slice. A failed slice leaves the
            others in place; run the same command again with --skip-if-present
            and only the missing slices are loaded (the seed must be given).
  twophase  all or nothing: each session PREPAREs its slice, and they are all
            committed only when every one prepared; otherwise every prepared
            one is rolled back. Needs max_prepared_transactions >= K.

Prints one line per slice and a summary: rows, seconds, rows per second.
"""
import argparse
import sys
import threading
import time
import uuid

import psycopg2


def slices(n, k):
    return [(i * n // k, (i + 1) * n // k - i * n // k) for i in range(k)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dsn", default="", help="libpq connection string (default: the PG* environment)")
    ap.add_argument("--table", default="training_prompts")
    ap.add_argument("-n", type=int, required=True, help="rows in the dataset")
    ap.add_argument("--seed", type=int, required=True, help="the dataset's seed (the same for every slice)")
    ap.add_argument("-k", type=int, default=2, help="sessions, one slice each")
    ap.add_argument("--mode", choices=("commit", "twophase"), default="commit")
    ap.add_argument("--skip-if-present", action="store_true",
                    help="skip a slice whose rows are already there (restart a load)")
    ap.add_argument("--domain-weights", default=None, help="jsonb, as synth_insert takes it")
    ap.add_argument("--label-noise", type=float, default=0.05)
    args = ap.parse_args()
    if args.k < 1:
        ap.error("-k must be at least 1")

    conns = [psycopg2.connect(args.dsn) for _ in range(args.k)]
    if args.mode == "twophase":
        with conns[0].cursor() as cur:
            cur.execute("SHOW max_prepared_transactions")
            allowed = int(cur.fetchone()[0])
        conns[0].rollback()
        if allowed < args.k:
            sys.exit(f"twophase needs max_prepared_transactions >= {args.k} on the server, it is {allowed}")
    load_id = uuid.uuid4().hex[:12]
    results = [None] * args.k

    def load(i, start, rows):
        conn = conns[i]
        try:
            if args.mode == "twophase":
                conn.tpc_begin(f"synthdata-{load_id}-{i}")
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT synth_insert(%s::regclass, %s, %s, skip_if_present => %s, domain_weights => %s::jsonb,"
                    " label_noise => %s, slice_start => %s, slice_rows => %s)",
                    (args.table, args.n, args.seed, args.skip_if_present, args.domain_weights,
                     args.label_noise, start, rows))
                inserted = cur.fetchone()[0]
            if args.mode == "twophase":
                conn.tpc_prepare()
            else:
                conn.commit()
            results[i] = ("ok", inserted)
        except psycopg2.Error as e:
            results[i] = ("failed", f"{e.pgcode}: {e.pgerror.strip() if e.pgerror else e}")
            try:
                conn.tpc_rollback() if args.mode == "twophase" else conn.rollback()
            except psycopg2.Error:
                pass

    began = time.monotonic()
    threads = [threading.Thread(target=load, args=(i, s, r)) for i, (s, r) in enumerate(slices(args.n, args.k))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    all_ok = all(r[0] == "ok" for r in results)
    if args.mode == "twophase":
        for conn, r in zip(conns, results):
            if r[0] == "ok":
                conn.tpc_commit() if all_ok else conn.tpc_rollback()
    seconds = time.monotonic() - began
    for conn in conns:
        conn.close()

    inserted = 0
    for (start, rows), r in zip(slices(args.n, args.k), results):
        state = r[0] if all_ok or args.mode == "commit" or r[0] == "failed" else "rolled back"
        print(f"slice [{start}, {start + rows}): {state} {r[1]}")
        if r[0] == "ok" and (all_ok or args.mode == "commit"):
            inserted += r[1]
    print(f"{inserted} rows in {seconds:.2f} s ({inserted / seconds:.0f} rows/s) from {args.k} sessions, "
          f"mode {args.mode}{'' if all_ok else ', with failures'}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
