"""bench/run --profile: where the time of synth_generate goes.

1. perf record on the backend (perf record -p <pg_backend_pid()>) while it runs
   SELECT count(*) FROM synth_generate(1e6, 1), the floor query of docs/design.md §4 and the
   SELECT-list form; prints each one's self time by library and its top functions.
2. The engine alone: a small driver (below) compiled with PGXS's optimisation flags against
   src/engine, timed over 1e6 rows (ns/row), then run under valgrind --tool=callgrind over the
   same 1e6 rows for an instruction count per function (inclusive). The row count matters: the
   keyed permutation's cycle walking costs more when n sits just above a power of 4.

Flat (self) times only: synthdata.so is built without frame pointers, so perf's call chains
through it are incomplete.
"""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import queries as q

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CALLGRIND_ROWS = 1_000_000

DRIVER = r"""
// Engine-only timing: RowSampler::sample over n rows, as generate.cpp calls it.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include "engine/generate/row_sampler.hpp"
int main(int argc, char** argv) {
  synth::GeneratorOptions options;
  options.n = argc > 1 ? std::atoll(argv[1]) : 1000000;
  options.seed = 1;
  synth::RowSampler sampler(options);
  synth::GeneratedRow row;
  unsigned long long sink = 0;
  auto start = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < options.n; ++i) {
    sampler.sample(i, row);
    sink += row.prompts.enhanced_length;
  }
  double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  std::printf("%.1f ns/row (checksum %llu)\n", ns / static_cast<double>(options.n), sink);
}
"""
# As PGXS compiles the module (pg_config's CXXFLAGS plus the Makefile's).
DRIVER_FLAGS = ["-std=c++17", "-O2", "-g", "-fno-strict-aliasing", "-fwrapv", "-fstack-protector-strong",
                "-fPIC", "-Isrc", "-DSYNTHDATA_PURE_ENGINE"]


def _perf_report(data, *args):
    return subprocess.run(["perf", "report", "-i", data, "--stdio", "-g", "none", *args],
                          capture_output=True, text=True).stdout


def _rows(report):
    return [line.rstrip() for line in report.splitlines() if line.strip() and not line.startswith("#")]


def _short(line, width=110):
    """Boost's engine types make template names run to hundreds of characters: <taus88>."""
    start = line.find("<boost::random::")
    if start >= 0:
        depth, end = 0, start
        for end in range(start, len(line)):
            depth += {"<": 1, ">": -1}.get(line[end], 0)
            if depth == 0:
                break
        line = line[:start] + "<taus88>" + line[end + 1:]
    return line[:width]


def perf_backend(execute, timed, connect, label, sql, out):
    conn = connect()
    cur = conn.cursor()
    pid = execute(cur, "SELECT pg_backend_pid()")[0]
    execute(cur, q.synth_generate_from(1000))  # loads synthdata.so before the recording starts
    tmp = tempfile.mkdtemp(prefix="synth-perf.")
    data = os.path.join(tmp, "perf.data")
    perf = subprocess.Popen(["perf", "record", "-F", "4999", "-g", "-p", str(pid), "-o", data],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    ms = timed(cur, sql)
    perf.send_signal(signal.SIGINT)
    perf.wait()
    conn.close()
    by_dso = _rows(_perf_report(data, "--no-children", "--sort", "dso"))
    top = _rows(_perf_report(data, "--no-children", "--percent-limit", "1", "--fields", "overhead,dso,sym"))
    shutil.rmtree(tmp, ignore_errors=True)
    out(f"{label}: {ms:.0f} ms")
    out(f"  {sql.splitlines()[0][:100]}{' ...' if len(sql.splitlines()) > 1 else ''}")
    out("  self time by library: " + ", ".join(
        f"{parts[1]} {parts[0]}" for parts in (r.split() for r in by_dso[:6]) if len(parts) >= 2))
    out("  functions with >= 1% self time:")
    for r in top[:25]:
        out("    " + _short(r.strip()))
    out()


def engine_alone(out):
    tmp = tempfile.mkdtemp(prefix="synth-engine.")
    src = os.path.join(tmp, "driver.cpp")
    exe = os.path.join(tmp, "driver")
    with open(src, "w") as f:
        f.write(DRIVER)
    engine = sorted(os.path.relpath(os.path.join(d, f), ROOT)
                    for d, _, files in os.walk(os.path.join(ROOT, "src/engine")) for f in files
                    if f.endswith(".cpp"))
    build = subprocess.run(["g++", *DRIVER_FLAGS, src, *engine, "-o", exe], cwd=ROOT, capture_output=True,
                           text=True)
    if build.returncode != 0:
        out("engine alone: the driver did not build:\n" + build.stderr[-2000:])
        return
    runs = [subprocess.run([exe, "1000000"], capture_output=True, text=True).stdout.strip() for _ in range(5)]
    out("engine alone (RowSampler::sample, 1e6 rows, 5 runs; PGXS flags -O2): " + "; ".join(
        r.split(" (")[0] for r in runs))
    if shutil.which("valgrind"):
        cg = os.path.join(tmp, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={cg}", exe, str(CALLGRIND_ROWS)],
                       capture_output=True, text=True)
        ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--auto=no", cg], capture_output=True,
                             text=True).stdout
        total = re.search(r"([\d,]+) \(100.0%\)\s+PROGRAM TOTALS", ann)
        if total:
            instr = int(total.group(1).replace(",", "")) / CALLGRIND_ROWS
            out(f"callgrind over {CALLGRIND_ROWS:,} rows: {instr:,.0f} instructions per row; inclusive shares:")
        seen = 0
        for line in ann.splitlines():
            m = re.match(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)", line)
            if (not m or "PROGRAM TOTALS" in m.group(3) or "main" in m.group(3) or "???" in m.group(3)
                    or float(m.group(2)) < 2.0):
                continue
            name = re.sub(r"\s*\[[^\]]*\]$", "", m.group(3))
            name = name.replace(ROOT + "/", "").replace("/usr/include/", "")
            out(f"    {float(m.group(2)):5.1f}%  {_short(name, 100)}")
            seen += 1
            if seen >= 16:
                break
    shutil.rmtree(tmp, ignore_errors=True)
    out()


def main(res, execute, timed, connect, n=1_000_000):
    cur = connect().cursor()
    l1, l2 = execute(cur, q.PROMPT_LENGTHS.format(n=100_000))
    path = os.path.join(res.results_dir, "profile.txt")
    res.out(f"profile of the generate path, {n:,} rows (perf record -p <backend pid>, self time)")
    res.out()
    for label, sql in [("synth_generate in FROM", q.synth_generate_from(n)),
                       ("floor: constant rows, MATERIALIZED", q.floor_constant_materialized(n, l1, l2)),
                       ("synth_generate in the SELECT list", q.synth_generate_select_list(n))]:
        perf_backend(execute, timed, connect, label, sql, res.out)
    engine_alone(res.out)
    with open(path, "w") as f:
        f.write("\n".join(res.lines) + "\n")
    res.out(f"written to {path}")
