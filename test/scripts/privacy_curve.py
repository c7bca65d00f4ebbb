"""The quality-epsilon curve of private profiles (docs/privacy.md): for each
public data set of test/scripts/fidelity.py, fit a private profile at each
epsilon (delta 1e-9, the set's domain list and its dimension passed as
public) twice: with bounds given, as MST is given its domain (each
feature's observed range rounded outward to one significant digit, what a
schema would state), and with every bound estimated privately; generate as many rows as the set has, and score them
against the real rows with synth_compare (bootstrap => 0): SDMetrics' quality
score and LogisticDetection's score (1: a classifier cannot tell the rows
apart). Each private point is the median of REPEATS fits
with fresh noise from the server's strong random source; "inf" is the fit
that is not private. A private fit may be refused: when the noisy count of
the released domains' rows falls below the 10 rows a fit needs (at small
epsilon on a small set, the noise can be as large as the count), synth_fit
says so with SQLSTATE 22000. Such a fit releases nothing; it is counted as
refused and the point is the median of the others ("refused" when none
was fitted). Prints one JSON line per (set, epsilon) and a table."""
import json
import math
import statistics
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from fidelity import fill, load  # noqa: E402

EPSILONS = [0.5, 1, 2, 5, 10, None]
SETS = ["iris", "wine", "breast_cancer", "diabetes", "fair", "randhie"]
REPEATS = 3


def rounded_out(v, up):
    """v rounded away from the data to one significant digit."""
    if v == 0:
        return 0.0
    unit = 10.0 ** math.floor(math.log10(abs(v)))
    return (math.ceil(v / unit) if up else math.floor(v / unit)) * unit


def given_bounds(x):
    return {f"f{j + 1}": [rounded_out(float(x[:, j].min()), False), rounded_out(float(x[:, j].max()), True)]
            for j in range(x.shape[1])}


def score(cur, n, epsilon, domains, bounds):
    """-> (quality, detection), or None for a private fit refused for too few noisy rows."""
    import psycopg2.errors
    if epsilon is None:
        cur.execute("SELECT synth_fit('real_rows', NULL)")
    else:
        try:
            cur.execute("SELECT synth_fit('real_rows', NULL, epsilon => %s, domains => %s, bounds => %s)",
                        (epsilon, domains, json.dumps(bounds)))
        except psycopg2.errors.DataException as e:
            if "the noisy count is" not in str(e):
                raise
            return None
    profile = cur.fetchone()[0]
    privacy = profile.get("privacy")
    if (privacy is None) != (epsilon is None) or (privacy and abs(privacy["epsilon"] - epsilon) > 1e-12):
        raise SystemExit(f"profile privacy block {privacy} does not match epsilon {epsilon}")
    cur.execute("DROP TABLE IF EXISTS fitted_rows")
    cur.execute("CREATE TABLE fitted_rows AS SELECT domain, feature_vector, effectiveness_score "
                "FROM synth_generate(%s, 1, profile => %s::jsonb)", (n, json.dumps(profile)))
    return scores_against_real(cur, "fitted_rows")


def scores_against_real(cur, table):
    """(quality, detection) of `table`'s rows against real_rows (synth_compare, bootstrap => 0)."""
    cur.execute(f"SELECT synth_compare('real_rows', '{table}', bootstrap => 0)")
    c = cur.fetchone()[0]
    return c["quality"]["score"], c["detection"]["score"]


def connect(dsn):
    """A cursor on an autocommit connection whose privacy budget does not stop repeated fits."""
    import psycopg2
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SET synthdata.privacy_budget = 1000000")
    return cur


def main():
    cur = connect(sys.argv[1])
    table = {}
    for name in SETS:
        domains, x, y = load(name)
        n = len(y)
        fill(cur, "real_rows", domains, x, y)
        public = sorted(set(domains))
        # The dimension is public either way (estimated: the last feature named, no bound given).
        for mode, bounds in (("given", given_bounds(x)), ("estimated", {f"f{x.shape[1]}": None})):
            for epsilon in EPSILONS:
                if epsilon is None and mode == "estimated":
                    table[(name, mode, None)] = table[(name, "given", None)]
                    continue
                started = time.monotonic()
                tries = 1 if epsilon is None else REPEATS
                runs = [score(cur, n, epsilon, public, bounds) for _ in range(tries)]
                runs = [r for r in runs if r is not None]
                quality = statistics.median(r[0] for r in runs) if runs else None
                detection = statistics.median(r[1] for r in runs) if runs else None
                table[(name, mode, epsilon)] = (quality, detection)
                print(json.dumps({"data_set": name, "rows": n, "dimension": int(x.shape[1]),
                                  "domains": len(public), "bounds": mode,
                                  "epsilon": epsilon if epsilon is not None else "inf",
                                  "quality": round(quality, 3) if runs else None,
                                  "detection": round(detection, 3) if runs else None,
                                  "fits": len(runs), "refused": tries - len(runs),
                                  "seconds": round(time.monotonic() - started, 2)}), flush=True)
    for mode in ("given", "estimated"):
        print(f"bounds {mode}:")
        print("| data set (rows) | " + " | ".join("ε = " + (str(e) if e is not None else "∞ (not private)")
                                                   for e in EPSILONS) + " |")
        print("|---" * (len(EPSILONS) + 1) + "|")
        for name in SETS:
            n = len(load(name)[2])
            cells = [f"{table[(name, mode, e)][0]:.3f} / {table[(name, mode, e)][1]:.2f}"
                     if table[(name, mode, e)][0] is not None else "refused" for e in EPSILONS]
            print(f"| {name} ({n}) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
