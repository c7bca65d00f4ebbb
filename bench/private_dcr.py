#!/usr/bin/env python3
"""The holdout DCR share of private profiles, with its standard error.

For each set: split the rows in halves (HALVINGS random halvings), fit the
first half privately (epsilon 1, delta 1e-9, bounds given as in
test/scripts/privacy_curve.py, the domain list public) and without privacy,
generate as many rows as the half has, and ask synth_compare (with the other
half as its holdout) for the share of synthetic rows nearer the fitted half
than the holdout ("closer_to_real"; 0.5 is what fresh rows score, higher
means the rows sit near the ones fitted on). Prints the mean over the
halvings and its standard error (standard deviation / sqrt(halvings)): one
halving of a few hundred rows moves the share by about 0.05, so a mean of
three cannot separate 0.53 from 0.58.

Not a test: it prints figures (docs/privacy.md, "Holdout DCR share").

    /usr/bin/python3 bench/private_dcr.py "host=/tmp port=5499 dbname=dev" [set,set] [halvings]
"""
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "scripts"))
from fidelity import fill, load  # noqa: E402
from privacy_curve import connect, given_bounds  # noqa: E402

EPSILON = 1.0


def share(cur, domains, x, y, part, rest, epsilon, public, bounds):
    fill(cur, "part_rows", [domains[i] for i in part], x[part], y[part])
    fill(cur, "holdout_rows", [domains[i] for i in rest], x[rest], y[rest])
    if epsilon is None:
        cur.execute("SELECT synth_fit('part_rows', NULL)")
    else:
        cur.execute("SELECT synth_fit('part_rows', NULL, epsilon => %s, domains => %s, bounds => %s)",
                    (epsilon, public, json.dumps(bounds)))
    profile = cur.fetchone()[0]
    cur.execute("DROP TABLE IF EXISTS part_fitted")
    cur.execute("CREATE TABLE part_fitted AS SELECT domain, feature_vector, effectiveness_score "
                "FROM synth_generate(%s, 1, profile => %s::jsonb)", (len(part), json.dumps(profile)))
    cur.execute("SELECT synth_compare('part_rows', 'part_fitted', 'holdout_rows', bootstrap => 0)")
    return cur.fetchone()[0]["privacy"]["holdout"]["closer_to_real"]


def main():
    cur = connect(sys.argv[1])
    sets = sys.argv[2].split(",") if len(sys.argv) > 2 else ["breast_cancer", "diabetes", "boston", "fair", "randhie"]
    halvings = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    print(f"| data set (rows a half) | ε = {EPSILON:g} | not private |")
    print("|---|---|---|")
    for name in sets:
        domains, x, y = load(name)
        n = len(y)
        public, bounds = sorted(set(domains)), given_bounds(x)
        cells = []
        for epsilon in (EPSILON, None):
            shares = []
            for split in range(halvings):
                order = np.random.default_rng(split).permutation(n)
                shares.append(share(cur, domains, x, y, order[: n // 2], order[n // 2:], epsilon, public, bounds))
            mean = float(np.mean(shares))
            error = float(np.std(shares, ddof=1)) / math.sqrt(halvings)
            cells.append(f"{mean:.3f} ± {error:.3f}")
        print(f"| {name} ({n // 2}) | {cells[0]} | {cells[1]} |", flush=True)


if __name__ == "__main__":
    main()
