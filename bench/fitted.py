#!/usr/bin/python3
"""The fitted-profile figures of the README (synth_fit, synth_generate with a profile,
synth_refresh): each call beside the baseline its goal names, alternated in one server.

    bench/run --fitted                 1M real rows, memory at 1M and 10M (about 15 minutes on 2 cores)
    bench/run --fitted --no-large      memory at 1M only
    bench/run --fitted --quick         10k rows, to try the script

Alone, it runs against any server reachable through the libpq environment (PGHOST, PGPORT, ...)
with the extension created and the pipeline's table present and empty: /usr/bin/python3
bench/fitted.py. bench/run --fitted sets that up in a throwaway cluster. It reuses bench.py's
method: contenders alternate within a round, the order rotates, ratios are of medians, and the
per-round ratios show the spread. Writes bench/results/fitted.txt and fitted.csv.

Goals (issue 12): synth_fit over N real rows <= 2x synth_validate over the same rows;
SELECT count(*) FROM synth_generate(N, 1, profile => p) <= 1.3x the tuplestore floor of its own
row shape (docs/design.md §4); synth_refresh writing N rows <= 1.2x synth_insert of N rows plus the fit;
peak private memory of synth_generate with a profile flat from 1M to 10M rows.
"""
import argparse
import datetime
import os
import sys
import time

import bench as b  # bench/bench.py: the same rounds, output and CSV

TABLE = "training_prompts"
PROFILE = "(SELECT p FROM bench_fitted_profile)"  # one row, so an initplan: read once per statement
# The goal's round count: each 1M-row insert or refresh takes a minute on a busy 2-core box.
ROUNDS = (1, 3)       # warm-up, timed: fit/validate and generate/floor
WRITE_ROUNDS = (0, 3)  # refresh vs insert + fit; the fit and generate rounds warm the table
QUICK = (1, 3)


def load_real_rows(cur, n):
    """N rows of the default generator stored as the pipeline's real rows (data_source 'real'):
    what synth_fit learns from. synth_rows is synth_insert's row source."""
    b.execute(cur, f"""INSERT INTO {TABLE} (prompt_text, enhancement_result, data_source, training_priority, created_at)
SELECT original_prompt, enhancement_jsonb, 'real', 10, now() FROM synth_rows({n}, 7)""")
    b.execute(cur, f"VACUUM ANALYZE {TABLE}")


def floor_sql(n, l1, l2, dim):
    # docs/design.md §4: constant rows of the same shape, materialized in a tuplestore.
    vector = "{" + ",".join(["0.5"] * dim) + "}"
    return f"""WITH x AS MATERIALIZED (SELECT g::bigint, 'technical'::text, 'medium'::text, repeat('x', {l1}),
       repeat('y', {l2}), '{vector}'::float8[], 0.5::float8
       FROM generate_series(1, {n}) g) SELECT count(*) FROM x"""


def generate_from(n, profile=True):
    return f"SELECT count(*) FROM synth_generate({n}, 1{', profile => ' + PROFILE if profile else ''})"


def generate_select_list(n):
    return f"SELECT count(*) FROM (SELECT synth_generate({n}, 1, profile => {PROFILE}) AS r) AS s"


def section_fit(res, cur, n, reps):
    res.out(f"fit: over the {b.fmt_n(n)} real rows of {TABLE} (median of the timed runs, [min – max])")
    b.compare(res, cur, "fit", n, [
        b.Contender("synth_fit", f"SELECT synth_fit('{TABLE}') IS NOT NULL"),
        b.Contender("synth_validate (same rows)", f"SELECT synth_validate('{TABLE}', 'real') IS NOT NULL"),
    ], reps, [("synth_fit / synth_validate", "synth_fit", "synth_validate (same rows)")])
    res.out()


FLAT = "bench_fitted_flat"


def section_fit_flat(res, cur, n, reps):
    """The same rows in the flat layout (domain, feature_vector, effectiveness_score columns)."""
    b.execute(cur, [f"DROP TABLE IF EXISTS {FLAT}",
                    f"""CREATE TABLE {FLAT} AS SELECT enhancement_result->'metadata'->>'domain' AS domain,
       ARRAY(SELECT jsonb_array_elements_text(enhancement_result->'feature_vector'))::float8[] AS feature_vector,
       (enhancement_result->>'effectiveness_score')::float8 AS effectiveness_score
FROM {TABLE} WHERE data_source = 'real'""", f"VACUUM ANALYZE {FLAT}", "CHECKPOINT"])
    res.out(f"fit, flat layout: the same {b.fmt_n(n)} rows in {FLAT} (domain, feature_vector, effectiveness_score)")
    b.compare(res, cur, "fit flat", n, [
        b.Contender("synth_fit (flat)", f"SELECT synth_fit('{FLAT}') IS NOT NULL"),
        b.Contender("synth_validate (flat, same rows)", f"SELECT synth_validate('{FLAT}') IS NOT NULL"),
    ], reps, [("synth_fit / synth_validate (flat)", "synth_fit (flat)", "synth_validate (flat, same rows)")])
    b.execute(cur, f"DROP TABLE {FLAT}")
    res.out()


def section_generate(res, cur, n, reps):
    l1, l2, dim = b.execute(cur, f"""SELECT round(avg(length(original_prompt)))::int,
       round(avg(length(enhanced_prompt)))::int, max(cardinality(feature_vector))
FROM synth_generate(100000, 1, profile => {PROFILE})""")
    res.out(f"generate with a profile: SELECT count(*) over {b.fmt_n(n)} rows")
    res.out(f"  floor rows: repeat('x', {l1}), repeat('y', {l2}), {dim} features = the profiled rows' average "
            f"prompt lengths and dimension (from synth_generate(100000, 1, profile => p))")
    res.add(kind="setup", section="generate", name="row_shape", value=f"{l1}/{l2}/{dim}",
            detail="average original/enhanced length and feature dimension of the profiled rows")
    b.compare(res, cur, "generate", n, [
        b.Contender("synth_generate, profile (FROM)", generate_from(n)),
        b.Contender("floor: constant rows, MATERIALIZED", floor_sql(n, l1, l2, dim)),
        b.Contender("synth_generate, design table (FROM)", generate_from(n, profile=False)),
    ], reps, [
        ("profile FROM / floor", "synth_generate, profile (FROM)", "floor: constant rows, MATERIALIZED"),
        ("profile / design table", "synth_generate, profile (FROM)", "synth_generate, design table (FROM)"),
    ])
    res.out()


def section_refresh(res, cur, n, reps):
    # Both sides start from the same table: the real rows, no synthetic rows, no refresh on record,
    # vacuumed and checkpointed. The refresh then reads the real rows once (count, digest and fit),
    # retires (none), inserts N rows and scores them with synth_compare; the other side fits and
    # inserts N rows in one statement.
    reset = [f"DELETE FROM {TABLE} WHERE data_source = 'synthetic'", "DELETE FROM synth_refreshes",
             f"VACUUM {TABLE}", "CHECKPOINT"]
    res.out(f"refresh: {b.fmt_n(n)} synthetic rows fitted on {b.fmt_n(n)} real rows; before each run the synthetic "
            f"rows and the refresh record are deleted, then VACUUM and CHECKPOINT")
    b.compare(res, cur, "refresh", n, [
        b.Contender("synth_refresh", f"SELECT synth_refresh('{TABLE}', min_rows => 0, synthetic_ratio => 1.0, "
                    f"seed => 1)->>'inserted'", reset),
        b.Contender("synth_insert + synth_fit",
                    f"SELECT synth_insert('{TABLE}', {n}, 1, profile => synth_fit('{TABLE}'))", reset),
    ], reps, [("synth_refresh / (insert + fit)", "synth_refresh", "synth_insert + synth_fit")])
    # The part of the refresh the other side does not do, timed once on the table the last run
    # left (N real and N synthetic rows): the quality score of the new batch.
    ms = b.timed(cur, f"SELECT synth_compare('{TABLE}', bootstrap => 0)->'quality'->>'score'")
    res.out(f"  {b.fmt_n(n):>12}  phase: the refresh's synth_compare of the new batch  {b.fmt_ms(ms):>9} ms  (once)")
    res.add(kind="timing", section="refresh", rows=n, name="phase: synth_compare of the new batch",
            value=round(ms, 2), unit="ms", reps=1)
    b.execute(cur, reset)
    res.out()


MEMORY_CASES = [("synth_generate, profile (FROM)", generate_from),
                ("synth_generate, profile (SELECT list)", generate_select_list)]


def section_memory(res, admin, sizes):
    res.out("memory: peak of a fresh backend per statement, MB (private = VmHWM - RssShmem; "
            "anon = highest RssAnon sampled every 10 ms)")
    res.out(f"  {'rows':>12}  {'statement':<44} {'private':>8} {'VmHWM':>8} {'RssShmem':>9} {'anon':>7} {'time':>8}")
    for name, make_sql in MEMORY_CASES:
        for n in sizes:
            m = b.measure_memory(admin, make_sql(n), None)
            res.memory[(name, n)] = m
            res.out(f"  {b.fmt_n(n):>12}  {name:<44} {m['private']:>8.1f} {m['vmhwm']:>8.1f} {m['shmem']:>9.1f} "
                    f"{m['anon_peak']:>7.1f} {m['seconds']:>7.1f}s")
            res.add(kind="memory", section="memory", rows=n, name=name, value=round(m["private"], 1), unit="MB",
                    detail=f"VmHWM {m['vmhwm']:.1f}; RssShmem {m['shmem']:.1f}; anon peak {m['anon_peak']:.1f}; "
                           f"{m['seconds']:.1f} s")
    res.out()


def goals(res, n, mem_sizes):
    res.out("goals (issues 12 and 23, \"Speed\"; a benchmark reports, it does not fail the build)")
    rows = [
        (f"synth_fit({b.fmt_n(n)}) <= 2x synth_validate, same rows", ("fit", n, "synth_fit / synth_validate"), 2.0),
        (f"synth_fit({b.fmt_n(n)}) flat layout <= 2x synth_validate, same rows",
         ("fit flat", n, "synth_fit / synth_validate (flat)"), 2.0),
        (f"synth_generate({b.fmt_n(n)}, profile) FROM <= 1.3x floor", ("generate", n, "profile FROM / floor"), 1.3),
        (f"synth_refresh({b.fmt_n(n)}) <= 1.2x synth_insert + synth_fit",
         ("refresh", n, "synth_refresh / (insert + fit)"), 1.2),
    ]
    for label, key, target in rows:
        value = res.ratios.get(key)
        status = "SKIP" if value is None else ("PASS" if value <= target else "MISS")
        shown = "not measured" if value is None else f"{value:.2f}×"
        res.out(f"  {status:<5} {label:<66} {shown}")
        res.add(kind="goal", section="goal", rows=n, name=label, value="" if value is None else round(value, 3),
                unit="x", target=target, status=status)
    if len(mem_sizes) >= 2:
        small, large = mem_sizes[0], mem_sizes[-1]
        for name, _ in MEMORY_CASES:
            a, c = res.memory[(name, small)], res.memory[(name, large)]
            growth = c["private"] - a["private"]
            status = "PASS" if growth <= 64 else "MISS"
            label = f"{name}: peak at {b.fmt_n(large)} within 64 MB of {b.fmt_n(small)}"
            res.out(f"  {status:<5} {label:<66} {growth + 0.0:+.1f} MB")
            res.add(kind="goal", section="goal", rows=large, name=label, value=round(growth, 1), unit="MB",
                    target=64, status=status, detail=f"private {a['private']:.1f} -> {c['private']:.1f}")
    res.out()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="10,000 rows, memory at 10k and 100k")
    ap.add_argument("--no-large", action="store_true", help="skip the 10M-row memory run")
    ap.add_argument("--sections", default="fit,fitflat,generate,refresh,memory",
                    help="comma-separated subset of fit,fitflat,generate,refresh,memory")
    ap.add_argument("--results", default=os.path.join(b.ROOT, "bench", "results"))
    ap.add_argument("--name", default="fitted", help="results file stem (default: fitted)")
    args = ap.parse_args()
    sections = set(args.sections.split(","))

    res = b.Results()
    admin = b.connect()
    cur = admin.cursor()
    if args.quick:
        n, mem_sizes, reps, write_reps = 10_000, [10_000, 100_000], QUICK, QUICK
    else:
        n, reps, write_reps = 1_000_000, ROUNDS, WRITE_ROUNDS
        mem_sizes = [1_000_000] if args.no_large else [1_000_000, 10_000_000]

    info = b.machine(cur)
    started = datetime.datetime.now(datetime.timezone.utc)
    info["started_utc"] = started.strftime("%Y-%m-%d %H:%M:%S")
    info["mode"] = "fitted" + (" quick" if args.quick else "")
    res.out(f"synthdata benchmark, {info['started_utc']} UTC, {info['mode']} run")
    res.out(f"machine: {info['nproc']} × {info['cpu_model']} ({info['cpu_mhz']} MHz), {info['memory_gb']} GB; "
            f"load average at start {info['load_average_at_start']}")
    res.out(f"server: {info['postgresql'].split(' on ')[0]}; synthdata {info['synthdata']}; "
            f"commit {info['git_commit']}")
    res.out("settings: " + ", ".join(f"{s}={info['setting.' + s]}" for s in b.SETTINGS_SHOWN))
    res.out("each comparison alternates its contenders within a round (order rotated per round); "
            "ratios are of medians, with the range of the same-round ratios")
    res.out()

    if b.execute(cur, f"SELECT count(*) FROM {TABLE}")[0] != 0:
        sys.exit(f"fitted.py: {TABLE} must start empty (it loads its own real rows)")
    t0 = time.perf_counter()
    load_real_rows(cur, n)
    res.out(f"setup: {b.fmt_n(n)} real rows (synth_rows(n, 7), data_source 'real') loaded into {TABLE} in "
            f"{time.perf_counter() - t0:.1f} s, VACUUM ANALYZEd")
    b.execute(cur, ["CREATE TABLE bench_fitted_profile (p jsonb NOT NULL)",
                    f"INSERT INTO bench_fitted_profile SELECT synth_fit('{TABLE}')"])
    res.out()

    if "fit" in sections:
        section_fit(res, cur, n, reps)
    if "fitflat" in sections:
        section_fit_flat(res, cur, n, reps)
    if "generate" in sections:
        section_generate(res, cur, n, reps)
    if "refresh" in sections:
        section_refresh(res, cur, n, write_reps)
    if "memory" in sections:
        section_memory(res, admin, mem_sizes)
    goals(res, n, mem_sizes if "memory" in sections else [])
    b.execute(cur, ["DROP TABLE bench_fitted_profile", f"TRUNCATE {TABLE}"])

    elapsed = datetime.datetime.now(datetime.timezone.utc) - started
    info["duration_s"] = f"{elapsed.total_seconds():.0f}"
    res.out(f"done in {elapsed.total_seconds() / 60:.1f} min")
    csv_path = os.path.join(args.results, args.name + ".csv")
    txt_path = os.path.join(args.results, args.name + ".txt")
    b.write_outputs(res, info, csv_path, txt_path)
    b.log(f"wrote {csv_path} and {txt_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
