#!/usr/bin/python3
"""The benchmark driver behind bench/run: times each synthdata call against its plain-SQL
counterpart in one server, prints a plain table and writes a CSV.

It expects a running server reachable through the libpq environment (PGHOST, PGPORT, PGUSER,
PGDATABASE) with the extension created and the pipeline's table present; bench/run sets that up.
Needs Debian's python3-psycopg2: run it with /usr/bin/python3.
"""
import argparse
import csv
import datetime
import json
import os
import statistics
import subprocess
import sys
import threading
import time

import psycopg2

import queries as q

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (warm-up runs, timed repetitions) by row count.
# 1M gets 9: on a shared 2-core box a single slow run moves the median of 5 noticeably.
REPS = {1_000: (3, 21), 100_000: (1, 9), 1_000_000: (1, 9), 10_000_000: (1, 3)}
# The insert at 1M runs right after the 100k rounds, which warm the same table and plans: no
# separate warm-up there (each 1M round costs about 1.5 minutes).
INSERT_REPS = {1_000: (3, 21), 100_000: (1, 5), 1_000_000: (0, 3), 10_000_000: (0, 2)}
QUICK_REPS = (1, 3)
# Large enough that 1M rows of either side stay in memory (about 330 MB of tuples).
IN_MEMORY_WORK_MEM = "2GB"

SETTINGS_SHOWN = ["shared_buffers", "work_mem", "maintenance_work_mem", "max_wal_size", "checkpoint_timeout",
                  "synchronous_commit", "fsync", "autovacuum", "jit", "max_parallel_workers_per_gather"]


def log(msg):
    print(f"==> {msg}", file=sys.stderr, flush=True)


def connect():
    conn = psycopg2.connect("")
    conn.autocommit = True
    return conn


def execute(cur, sql):
    """Runs one statement (or a list, in order); returns the first result row of the last."""
    row = None
    for stmt in sql if isinstance(sql, list) else [sql]:
        cur.execute(stmt)
        row = cur.fetchone() if cur.description else None
    return row


def timed(cur, sql):
    start = time.perf_counter()
    execute(cur, sql)
    return (time.perf_counter() - start) * 1000.0


class Contender:
    def __init__(self, name, sql, setup=None):
        self.name, self.sql, self.setup = name, sql, setup


class Results:
    """Every measurement of the run, printed as it comes and kept for the CSV and the goals."""

    def __init__(self):
        self.rows = []     # CSV rows (dicts)
        self.timings = {}  # (section, n, contender) -> list of ms
        self.ratios = {}   # (section, n, label) -> ratio of medians
        self.memory = {}   # (case, n) -> dict
        self.lines = []    # the stdout table

    def out(self, line=""):
        print(line, flush=True)
        self.lines.append(line)

    def add(self, **fields):
        self.rows.append(fields)


def fmt_ms(ms):
    return f"{ms:,.1f}" if ms < 100 else f"{ms:,.0f}"


def fmt_n(n):
    return f"{n:,}"


def compare(res, cur, section, n, contenders, reps, ratios):
    """Runs the contenders alternated: warm-up rounds, then timed rounds, rotating the order each
    round so no contender always runs first (A B C, B C A, C A B, ...)."""
    warmup, timed_reps = reps
    samples = {c.name: [] for c in contenders}
    for rnd in range(warmup + timed_reps):
        order = contenders[rnd % len(contenders):] + contenders[:rnd % len(contenders)]
        for c in order:
            if c.setup:
                execute(cur, c.setup)
            ms = timed(cur, c.sql)
            if rnd >= warmup:
                samples[c.name].append(ms)
    for c in contenders:
        s = samples[c.name]
        med = statistics.median(s)
        res.timings[(section, n, c.name)] = s
        res.out(f"  {fmt_n(n):>12}  {c.name:<44} {fmt_ms(med):>9} ms  [{fmt_ms(min(s))} – {fmt_ms(max(s))}]")
        res.add(kind="timing", section=section, rows=n, name=c.name, value=round(med, 2), unit="ms",
                min=round(min(s), 2), max=round(max(s), 2), reps=len(s), warmup=warmup,
                detail=" ".join(f"{x:.2f}" for x in s))
    for label, a, b in ratios:
        sa, sb = samples[a], samples[b]
        ratio = statistics.median(sa) / statistics.median(sb)
        paired = [x / y for x, y in zip(sa, sb)]  # same round, so the same machine noise
        res.ratios[(section, n, label)] = ratio
        res.out(f"  {fmt_n(n):>12}  ratio {label:<38} {ratio:>8.2f}×     "
                f"(per round {min(paired):.2f} – {max(paired):.2f}, median {statistics.median(paired):.2f})")
        res.add(kind="ratio", section=section, rows=n, name=label, value=round(ratio, 3), unit="x",
                min=round(min(paired), 3), max=round(max(paired), 3), reps=len(paired), warmup=warmup,
                detail=f"median({a}) / median({b}); median of per-round ratios {statistics.median(paired):.3f}")


def reps_for(n, table, quick):
    return QUICK_REPS if quick else table.get(n, (1, 3))


# --- sections -------------------------------------------------------------------------------

def section_generate(res, cur, sizes, quick):
    l1, l2 = execute(cur, q.PROMPT_LENGTHS.format(n=100_000))
    p1, p2 = execute(cur, q.PLAIN_PROMPT_LENGTHS.format(rows=q.plain_rows(100_000)))
    res.out("generate: SELECT count(*) over n rows (median of the timed runs, [min – max])")
    res.out(f"  floor rows: repeat('x', {l1}), repeat('y', {l2}) = synthdata's average prompt lengths "
            f"(plain-SQL varied rows average {p1} and {p2})")
    res.add(kind="setup", section="generate", name="prompt_lengths", value=f"{l1}/{l2}",
            detail=f"average original/enhanced length of synth_generate(100000, 1); plain-SQL rows {p1}/{p2}")
    res.out(f"  (in memory: the same two statements with work_mem = {IN_MEMORY_WORK_MEM}, so neither tuplestore "
            f"spills to disk; for reference, not a goal)")
    default = "RESET work_mem"
    in_memory = f"SET work_mem = '{IN_MEMORY_WORK_MEM}'"
    for n in sizes:
        contenders = [
            Contender("synth_generate (FROM)", q.synth_generate_from(n), default),
            Contender("synth_generate (SELECT list, streaming)", q.synth_generate_select_list(n), default),
            Contender("plain SQL varied rows, MATERIALIZED", q.plain_varied_materialized(n), default),
            Contender("floor: constant rows, MATERIALIZED", q.floor_constant_materialized(n, l1, l2), default),
            Contender("bare generate_series", q.bare_generate_series(n), default),
        ]
        ratios = [
            ("FROM / floor", "synth_generate (FROM)", "floor: constant rows, MATERIALIZED"),
            ("FROM / plain SQL", "synth_generate (FROM)", "plain SQL varied rows, MATERIALIZED"),
            ("FROM / generate_series", "synth_generate (FROM)", "bare generate_series"),
            ("SELECT list / floor", "synth_generate (SELECT list, streaming)",
             "floor: constant rows, MATERIALIZED"),
        ]
        if 10_000 < n <= 1_000_000:
            contenders += [
                Contender("in memory: synth_generate (FROM)", q.synth_generate_from(n), in_memory),
                Contender("in memory: floor", q.floor_constant_materialized(n, l1, l2), in_memory),
            ]
            ratios.append(("in memory: FROM / floor", "in memory: synth_generate (FROM)", "in memory: floor"))
        compare(res, cur, "generate", n, contenders, reps_for(n, REPS, quick), ratios)
        execute(cur, default)
    res.out()


def checkpoint_then(reset):
    # The same start for every run: an empty table and no checkpoint owed from the last one.
    return [reset, "CHECKPOINT"]


def section_insert(res, cur, sizes, quick):
    res.out(f"insert: into {q.TABLE} with its 5 indexes, TRUNCATEd (and CHECKPOINTed) before each run")
    setup = checkpoint_then(q.RESET_TABLE)
    for n in sizes:
        contenders = [
            Contender("synth_insert", q.synth_insert(n), setup),
            Contender("plain SQL INSERT ... SELECT", q.plain_insert(n), setup),
        ]
        compare(res, cur, "insert", n, contenders, reps_for(n, INSERT_REPS, quick), [
            ("synth_insert / plain SQL", "synth_insert", "plain SQL INSERT ... SELECT"),
        ])
    res.out()


def validate_available(cur):
    return execute(cur, "SELECT count(*) FROM pg_proc WHERE proname = 'synth_validate'")[0] > 0


def section_validate(res, cur, n, quick):
    if not validate_available(cur):
        grep = subprocess.run(["grep", "-c", "synth_validate", os.path.join(ROOT, "synthdata--1.0.sql")],
                              capture_output=True, text=True).stdout.strip()
        line = (f"validate: SKIPPED: synth_validate does not exist in this build "
                f"(grep -c synth_validate synthdata--1.0.sql = {grep or 0})")
        res.out(line)
        res.out()
        res.add(kind="skipped", section="validate", rows=n, name="synth_validate", detail=line)
        return
    res.out(f"validate: the same statistics over {fmt_n(n)} rows of {q.TABLE} (made by synth_insert, "
            f"VACUUM ANALYZEd)")
    log(f"validate: filling {q.TABLE} with {fmt_n(n)} rows")
    execute(cur, [q.RESET_TABLE, q.synth_insert(n), f"VACUUM ANALYZE {q.TABLE}", "CHECKPOINT"])
    contenders = [
        Contender("synth_validate", q.VALIDATE),
        Contender("plain SQL statistics (2 queries)", q.plain_validate()),
    ]
    compare(res, cur, "validate", n, contenders, reps_for(n, REPS, quick), [
        ("synth_validate / plain SQL", "synth_validate", "plain SQL statistics (2 queries)"),
    ])
    res.out()


def proc_status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem"):
                fields[key] = int(value.split()[0]) / 1024.0  # kB -> MB
    return fields


def measure_memory(admin, sql, reset):
    """Peak memory of a fresh backend running sql. VmHWM counts the shared buffers the backend
    touched, which grows with the table an INSERT writes; the private peak leaves them out
    (VmHWM minus RssShmem at the end; shared pages once touched stay mapped). A sampler also
    records the highest RssAnon seen every 10 ms, as a cross-check."""
    if reset:
        execute(admin, reset)
    conn = connect()
    cur = conn.cursor()
    pid = execute(cur, "SELECT pg_backend_pid()")[0]
    before = proc_status(pid)
    peak_anon = [before["RssAnon"]]
    done = threading.Event()

    def sample():
        while not done.wait(0.01):
            try:
                peak_anon[0] = max(peak_anon[0], proc_status(pid)["RssAnon"])
            except (OSError, KeyError):
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    execute(cur, sql)
    elapsed = time.perf_counter() - start
    after = proc_status(pid)
    done.set()
    sampler.join()
    conn.close()
    peak_anon[0] = max(peak_anon[0], after["RssAnon"])
    return {"vmhwm": after["VmHWM"], "shmem": after["RssShmem"], "private": after["VmHWM"] - after["RssShmem"],
            "anon_peak": peak_anon[0], "start_vmhwm": before["VmHWM"], "seconds": elapsed}


def section_memory(res, admin, sizes):
    res.out("memory: peak of a fresh backend per statement, MB (private = VmHWM - RssShmem, i.e. without the "
            "shared buffers it touched; anon = highest RssAnon sampled every 10 ms)")
    res.out(f"  {'rows':>12}  {'statement':<44} {'private':>8} {'VmHWM':>8} {'RssShmem':>9} {'anon':>7}")
    execute(admin, q.CREATE_TABLE_NO_FK)
    for name, make_sql, reset, _, largest in q.MEMORY_CASES:
        if largest and sizes[-1] > largest:
            res.out(f"  {'':>12}  {name:<44} skipped above {fmt_n(largest)} rows")
            continue
        for n in sizes:
            log(f"memory: {name} at {fmt_n(n)} rows")
            m = measure_memory(admin, make_sql(n), [reset, "CHECKPOINT"] if reset else None)
            res.memory[(name, n)] = m
            res.out(f"  {fmt_n(n):>12}  {name:<44} {m['private']:>8.1f} {m['vmhwm']:>8.1f} "
                    f"{m['shmem']:>9.1f} {m['anon_peak']:>7.1f}")
            res.add(kind="memory", section="memory", rows=n, name=name, value=round(m["private"], 1), unit="MB",
                    detail=(f"vmhwm={m['vmhwm']:.1f} rss_shmem={m['shmem']:.1f} anon_peak={m['anon_peak']:.1f} "
                            f"vmhwm_at_connect={m['start_vmhwm']:.1f} seconds={m['seconds']:.2f}"))
    execute(admin, [q.RESET_TABLE, f"DROP TABLE {q.TABLE_NO_FK}"])
    res.out()


# --- goals ----------------------------------------------------------------------------------

def evaluate_goals(res, big, mem_sizes, sections):
    """docs/design.md §4, as ratios measured in this run."""
    if not sections & {"generate", "insert", "validate", "memory"}:
        return
    res.out("goals (docs/design.md §4; a benchmark reports, it does not fail the build)")
    goals = [
        ("generate", f"synth_generate({fmt_n(big)}) FROM <= 1.25x floor",
         res.ratios.get(("generate", big, "FROM / floor")), 1.25),
        ("generate", f"synth_generate({fmt_n(big)}) FROM <= 0.6x plain SQL varied rows",
         res.ratios.get(("generate", big, "FROM / plain SQL")), 0.6),
        ("insert", f"synth_insert({fmt_n(big)}) <= 1.0x plain SQL INSERT",
         res.ratios.get(("insert", big, "synth_insert / plain SQL")), 1.0),
        ("validate", f"synth_validate({fmt_n(big)} rows) <= 0.5x plain SQL",
         res.ratios.get(("validate", big, "synth_validate / plain SQL")), 0.5),
    ]
    for section, label, value, target in goals:
        if section not in sections:
            continue
        if value is None:
            status, shown = "SKIP", "not measured"
        else:
            status, shown = ("PASS" if value <= target else "MISS"), f"{value:.2f}×"
        res.out(f"  {status:<5} {label:<66} {shown}")
        res.add(kind="goal", section="goal", rows=big, name=label, value="" if value is None else round(value, 3),
                unit="x", target=target, status=status)
    ref = res.ratios.get(("generate", big, "FROM / generate_series"))
    if ref is not None:
        res.out(f"  info  synth_generate({fmt_n(big)}) FROM vs bare generate_series (reference){'':<9}{ref:.2f}×")
    if len(mem_sizes) >= 2:
        small, large = mem_sizes[0], mem_sizes[-1]
        for name, _, _, is_goal, _ in q.MEMORY_CASES:
            a, b = res.memory.get((name, small)), res.memory.get((name, large))
            if not a or not b:
                continue
            growth = b["private"] - a["private"]
            status = ("PASS" if growth <= 64 else "MISS") if is_goal else "info"
            label = f"{name}: peak at {fmt_n(large)} within 64 MB of {fmt_n(small)}"
            projected = ""
            if large < 10_000_000 and "insert" in name.lower():  # linear in n; a tuplestore is not
                per_row = growth / (large - small)
                projected = f"; at this slope 1M -> 10M: {round(per_row * 9_000_000) + 0.0:+.0f} MB"
            res.out(f"  {status:<5} {label:<66} {round(growth, 1) + 0.0:+.1f} MB (VmHWM {b['vmhwm'] - a['vmhwm']:+.1f}{projected})")
            res.add(kind="goal", section="goal", rows=large, name=label, value=round(growth, 1), unit="MB",
                    target=64, status=status,
                    detail=f"private {a['private']:.1f} -> {b['private']:.1f}; VmHWM {a['vmhwm']:.1f} -> {b['vmhwm']:.1f}")
    if mem_sizes and mem_sizes[-1] < 10_000_000:
        res.out("  (docs/design.md §4 sets the memory goal at 10M vs 1M rows: bench/run --large measures it; this run "
                "compares its two memory sizes)")
    res.out()


# --- the machine ----------------------------------------------------------------------------

def machine(cur):
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), model)
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip() or "unknown"
    except OSError:
        commit = "unknown"
    mhz = ""
    try:
        with open("/proc/cpuinfo") as f:
            mhz = next((line.split(":", 1)[1].strip() for line in f if line.startswith("cpu MHz")), "")
    except OSError:
        pass
    info = {
        "nproc": str(len(os.sched_getaffinity(0))),
        "cpu_model": model,
        "cpu_mhz": mhz,
        "memory_gb": f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f}",
        "postgresql": execute(cur, "SELECT version()")[0],
        "synthdata": json.dumps(execute(cur, "SELECT synth_version()")[0]),
        "git_commit": commit + " (the working tree may differ)",
        "load_average_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    for s in SETTINGS_SHOWN:
        info["setting." + s] = execute(cur, f"SHOW {s}")[0]
    return info


def write_outputs(res, info, csv_path, txt_path):
    os.makedirs(os.path.dirname(csv_path), exist_ok=True)
    fields = ["kind", "section", "rows", "name", "value", "unit", "min", "max", "reps", "warmup", "target",
              "status", "detail"]
    tmp = csv_path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for key, value in info.items():
            w.writerow({"kind": "machine", "name": key, "value": value})
        for row in res.rows:
            w.writerow(row)
    os.replace(tmp, csv_path)
    with open(txt_path + ".tmp", "w") as f:
        f.write("\n".join(res.lines) + "\n")
    os.replace(txt_path + ".tmp", txt_path)


# --- main -----------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--large", action="store_true", help="add 10,000,000 rows (and memory at 1M vs 10M)")
    ap.add_argument("--quick", action="store_true", help="small sizes and 3 repetitions, for trying the script")
    ap.add_argument("--sections", default="generate,insert,validate,memory,compare",
                    help="comma-separated subset of generate,insert,validate,memory,compare")
    ap.add_argument("--profile", action="store_true",
                    help="only profile the generate path (perf on the backend, callgrind on the engine)")
    ap.add_argument("--results", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--name", default="latest", help="results file stem (default: latest)")
    args = ap.parse_args()

    res = Results()
    admin = connect()
    cur = admin.cursor()
    if args.profile:
        import hotpath  # bench/hotpath.py
        res.results_dir = args.results
        hotpath.main(res, execute, timed, connect)
        return 0

    if args.quick:
        sizes, mem_sizes, validate_n = [1_000, 10_000], [10_000, 100_000], 10_000
    else:
        sizes, mem_sizes, validate_n = [1_000, 100_000, 1_000_000], [100_000, 1_000_000], 1_000_000
        if args.large:
            sizes.append(10_000_000)
            mem_sizes = [1_000_000, 10_000_000]
    sections = set(args.sections.split(","))

    info = machine(cur)
    started = datetime.datetime.now(datetime.timezone.utc)
    info["started_utc"] = started.strftime("%Y-%m-%d %H:%M:%S")
    info["mode"] = "quick" if args.quick else ("large" if args.large else "default")
    res.out(f"synthdata benchmark, {info['started_utc']} UTC, {info['mode']} run")
    res.out(f"machine: {info['nproc']} × {info['cpu_model']} ({info['cpu_mhz']} MHz), {info['memory_gb']} GB; "
            f"load average at start {info['load_average_at_start']}")
    res.out(f"server: {info['postgresql'].split(' on ')[0]}; synthdata {info['synthdata']}; "
            f"commit {info['git_commit']}")
    res.out("settings: " + ", ".join(f"{s}={info['setting.' + s]}" for s in SETTINGS_SHOWN))
    res.out("each comparison alternates its contenders within a round (order rotated per round); "
            "ratios are of medians, with the range of the same-round ratios")
    res.out()

    if "generate" in sections:
        section_generate(res, cur, sizes, args.quick)
    if "insert" in sections:
        section_insert(res, cur, sizes, args.quick)
    if "validate" in sections:
        section_validate(res, cur, validate_n, args.quick)
    if "memory" in sections:
        section_memory(res, cur, mem_sizes)
    if "compare" in sections:
        import compare as compare_bench  # bench/compare.py
        compare_bench.section_compare(res, cur, args.quick)
    evaluate_goals(res, sizes[-1] if args.quick else 1_000_000, mem_sizes if "memory" in sections else [], sections)
    if "compare" in sections:
        compare_bench.evaluate_goals(res, args.quick)
        res.out()

    elapsed = datetime.datetime.now(datetime.timezone.utc) - started
    info["duration_s"] = f"{elapsed.total_seconds():.0f}"
    res.out(f"done in {elapsed.total_seconds() / 60:.1f} min")
    csv_path = os.path.join(args.results, args.name + ".csv")
    txt_path = os.path.join(args.results, args.name + ".txt")
    write_outputs(res, info, csv_path, txt_path)
    log(f"wrote {csv_path} and {txt_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
