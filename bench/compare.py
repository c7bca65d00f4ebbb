#!/usr/bin/python3
"""The synth_compare benchmark (issue 11, "Speed"): on 1,000,000 synthetic rows against 100,000 real
ones, synth_compare with bootstrap => 0 against synth_validate over both sides (goal <= 3x), and
with the default bootstrap (goal <= 6x); with a holdout of 100,000 more real rows (the ceiling and the
augmentation, bootstrap => 0) against synth_compare without one (issue 23: goal <= 2x); alternated in
one server; then the peak memory of a fresh backend running each.

Run by bench/run (section "compare", in the default run, or alone: bench/run --sections compare --name compare),
or alone against a running server reachable through the libpq environment (PGHOST, PGPORT, ...)
with the extension created and the pipeline's table present:
    /usr/bin/python3 bench/compare.py [--rounds 3] [--warmup 1] [--quick] [--no-default] [--no-memory]
Alone, it writes bench/results/compare.csv and compare.txt. Needs Debian's python3-psycopg2.
"""
import argparse
import datetime
import os
import sys

import bench as b  # bench/bench.py: the alternated rounds, the memory probe, the outputs

REAL = "bench_compare_real"
SYNTHETIC = "bench_compare_synthetic"
HOLDOUT = "bench_compare_holdout"
# The real rows: another seed and a shifted domain mix, so the two sides differ a little.
REAL_WEIGHTS = """'{"technical": 3, "creative": 1, "analytical": 2, "instructional": 1, "conversational": 1}'"""
SIZES = (100_000, 1_000_000)   # real, synthetic
QUICK_SIZES = (1_000, 10_000)
# LIKE ... INCLUDING ALL copies columns, defaults, CHECKs and indexes, not the pipeline's FK.
CREATE = "CREATE TABLE IF NOT EXISTS {t} (LIKE training_prompts INCLUDING ALL)"

VALIDATE_BOTH = f"SELECT synth_validate('{REAL}') IS NOT NULL, synth_validate('{SYNTHETIC}') IS NOT NULL"
COMPARE_NO_BOOTSTRAP = f"SELECT synth_compare('{REAL}', '{SYNTHETIC}', bootstrap => 0) IS NOT NULL"
COMPARE_DEFAULT = f"SELECT synth_compare('{REAL}', '{SYNTHETIC}') IS NOT NULL"
COMPARE_HOLDOUT = f"SELECT synth_compare('{REAL}', '{SYNTHETIC}', '{HOLDOUT}', bootstrap => 0) IS NOT NULL"

NAMES = ("synth_validate, both sides", "synth_compare, bootstrap => 0", "synth_compare, default bootstrap",
         "synth_compare, holdout, bootstrap => 0")
STATEMENTS = (VALIDATE_BOTH, COMPARE_NO_BOOTSTRAP, COMPARE_DEFAULT, COMPARE_HOLDOUT)
# (label, numerator, denominator, target)
GOALS = (("synth_compare bootstrap => 0 / validate", NAMES[1], NAMES[0], 3.0),
         ("synth_compare default / validate", NAMES[2], NAMES[0], 6.0),
         ("synth_compare holdout / bootstrap => 0", NAMES[3], NAMES[1], 2.0))


def fill(cur, real_rows, synthetic_rows):
    """The tables with exactly the wanted rows (kept between runs when they already hold them). synth_insert
    writes data_source 'synthetic'; the real and holdout rows are relabelled 'real', since a table's
    real side is its rows of any other data_source."""
    for table, n, extra in ((REAL, real_rows, f", domain_weights => {REAL_WEIGHTS}"), (SYNTHETIC, synthetic_rows, ""),
                            (HOLDOUT, real_rows, f", domain_weights => {REAL_WEIGHTS}")):
        source = "synthetic" if table == SYNTHETIC else "real"
        b.execute(cur, CREATE.format(t=table))
        if b.execute(cur, f"SELECT count(*) FILTER (WHERE data_source = '{source}') FROM {table}")[0] == n:
            continue
        b.log(f"compare: filling {table} with {b.fmt_n(n)} rows")
        seed = {REAL: 2, SYNTHETIC: 1, HOLDOUT: 3}[table]
        b.execute(cur, [f"TRUNCATE {table}", f"SELECT synth_insert('{table}', {n}, seed => {seed}{extra})"]
                  + ([] if source == "synthetic" else [f"UPDATE {table} SET data_source = 'real'",
                                                        f"VACUUM FULL {table}"])
                  + [f"VACUUM ANALYZE {table}"])
    b.execute(cur, "CHECKPOINT")


def default_bootstrap(cur):
    """The replicates synth_compare uses when bootstrap is not given, read from its signature."""
    arguments = b.execute(cur, "SELECT pg_get_function_arguments(p.oid) FROM pg_proc p "
                               "WHERE p.proname = 'synth_compare' ORDER BY p.pronargs DESC LIMIT 1")[0]
    return next((a.split("DEFAULT")[1].strip() for a in arguments.split(",")
                 if a.strip().startswith("bootstrap") and "DEFAULT" in a), "?")


def section_compare(res, admin, quick=False, rounds=3, warmup=1, default=True, memory=True):
    """Times the statements alternated, prints the ratios and the goals, then the memory."""
    real_rows, synthetic_rows = QUICK_SIZES if quick else SIZES
    fill(admin, real_rows, synthetic_rows)
    boot = default_bootstrap(admin)
    res.out(f"compare: {b.fmt_n(synthetic_rows)} synthetic rows ({SYNTHETIC}, seed 1) vs {b.fmt_n(real_rows)} real "
            f"rows ({REAL}, seed 2, shifted domain weights), holdout {b.fmt_n(real_rows)} rows ({HOLDOUT}, seed 3, "
            "the same weights), made by synth_insert, VACUUM ANALYZEd")
    res.out(f"  default bootstrap = {boot} replicates; {warmup} warm-up round(s), {rounds} timed; "
            f"median [min – max]")
    chosen = [i for i in range(len(NAMES)) if default or i != 2]
    contenders = [b.Contender(NAMES[i], STATEMENTS[i]) for i in chosen]
    b.compare(res, admin, "compare", synthetic_rows, contenders, (warmup, rounds),
              [(label, top, bottom) for label, top, bottom, _ in GOALS if default or top != NAMES[2]])
    if not memory:
        res.out()
        return
    res.out("  memory: peak of a fresh backend per statement, MB (private = VmHWM - RssShmem; anon = highest "
            "RssAnon sampled every 10 ms)")
    for name, sql in ((NAMES[i], STATEMENTS[i]) for i in chosen):
        m = b.measure_memory(admin, sql, None)
        res.memory[("compare: " + name, synthetic_rows)] = m
        res.out(f"  {b.fmt_n(synthetic_rows):>12}  {name:<44} private {m['private']:>7.1f}  VmHWM {m['vmhwm']:>7.1f}  "
                f"anon {m['anon_peak']:>7.1f}")
        res.add(kind="memory", section="compare", rows=synthetic_rows, name=name, value=round(m["private"], 1),
                unit="MB", detail=(f"vmhwm={m['vmhwm']:.1f} rss_shmem={m['shmem']:.1f} "
                                   f"anon_peak={m['anon_peak']:.1f} seconds={m['seconds']:.2f}"))
    res.out()


def evaluate_goals(res, quick=False):
    synthetic_rows = (QUICK_SIZES if quick else SIZES)[1]
    res.out("goals (issues 11 and 23, synth_compare; a benchmark reports, it does not fail the build)")
    for label, _, _, target in GOALS:
        value = res.ratios.get(("compare", synthetic_rows, label))
        if value is None:
            status, shown = "SKIP", "not measured"
        else:
            status, shown = ("PASS" if value <= target else "MISS"), f"{value:.2f}×"
        text = f"{label} <= {target:g}x ({b.fmt_n(synthetic_rows)} vs {b.fmt_n(synthetic_rows // 10)} rows)"
        res.out(f"  {status:<5} {text:<66} {shown}")
        res.add(kind="goal", section="goal", rows=synthetic_rows, name=text,
                value="" if value is None else round(value, 3), unit="x", target=target, status=status)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="10,000 vs 1,000 rows, for trying the script")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds (default 3)")
    ap.add_argument("--warmup", type=int, default=1, help="warm-up rounds (default 1)")
    ap.add_argument("--no-default", action="store_true", help="leave out the default bootstrap (the slowest)")
    ap.add_argument("--no-memory", action="store_true", help="leave out the memory peaks")
    ap.add_argument("--results", default=os.path.join(b.ROOT, "bench", "results"))
    ap.add_argument("--name", default="compare", help="results file stem (default: compare)")
    args = ap.parse_args()

    res = b.Results()
    admin = b.connect()
    cur = admin.cursor()
    info = b.machine(cur)
    started = datetime.datetime.now(datetime.timezone.utc)
    info["started_utc"] = started.strftime("%Y-%m-%d %H:%M:%S")
    info["mode"] = "quick" if args.quick else "default"
    res.out(f"synthdata compare benchmark, {info['started_utc']} UTC, {info['mode']} run")
    res.out(f"machine: {info['nproc']} × {info['cpu_model']}, {info['memory_gb']} GB; "
            f"load average at start {info['load_average_at_start']}")
    res.out(f"server: {info['postgresql'].split(' on ')[0]}; synthdata {info['synthdata']}; "
            f"commit {info['git_commit']}")
    res.out("settings: " + ", ".join(f"{s}={info['setting.' + s]}" for s in b.SETTINGS_SHOWN))
    res.out()
    section_compare(res, cur, args.quick, args.rounds, args.warmup, not args.no_default, not args.no_memory)
    evaluate_goals(res, args.quick)
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
