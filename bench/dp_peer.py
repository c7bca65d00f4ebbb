#!/usr/bin/env python3
"""A private peer on the same rows, at the same epsilon: MST's design.

MST (McKenna, Miklau and Sheldon, "Winning the NIST Contest: A scalable and
general approach to differentially private synthetic data", 2021) is the
marginal-based generator the private fit is measured against. Its library
(private-pgm) cannot be installed here, so this script builds the same
design in numpy and says where it differs:

- every column discretised: the domain (its list public, as the private fit
  is told), each feature on even bins over the same public bounds the
  private fit is given (privacy_curve.py's, the observed range rounded outward
  to one significant digit), the score on as many bins over [0, 1]; the peer
  is run with 8, 16 and 32 bins and its best median quality is printed (the
  bin count is a choice its user would tune);
- rho from (epsilon, delta) by the same conversion (synth_privacy_rho at the
  whole delta, so the peer has at least the private fit's budget), a third
  each to the three steps;
- step 1: every one-way marginal with Gaussian noise (sensitivity 1 each, the
  third of rho shared evenly); values whose noisy count is below 3 sigma
  merged into one bin (MST's domain compression);
- step 2: the tree of two-way marginals chosen by the exponential mechanism
  (each of the k - 1 edges with epsilon sqrt(8 rho_select / (k - 1)), the
  score the L1 gap between the pair's counts and the product of the noisy
  one-way marginals scaled to their noisy total, sensitivity 1), Kruskal's
  order;
- step 3: each chosen two-way marginal with Gaussian noise (the last third
  shared evenly);
- sampling: MST fits a graphical model to all the noisy marginals with
  private-pgm and samples it; here the tree is sampled directly, the root
  (the domain) from its noisy counts and each column given its parent from
  the noisy two-way table's row, negatives cut to 0 (a row with no mass falls
  back to the column's one-way counts); a value inside a bin is uniform over
  the bin, and a merged bin gives one of its bins at random.

The sampling is the simpler part; private-pgm's inference reconciles the
noisy marginals and may score higher than this peer. Not a test: it prints,
per set and epsilon, the median of `repeats` runs of the peer's (at its best
bin count) and the private fit's quality and detection (synth_compare against all the real rows, as in
test/scripts/privacy_curve.py).

    /usr/bin/python3 bench/dp_peer.py "host=/tmp port=5499 dbname=dev" [set,set] [eps,eps] [repeats]
"""
import json
import os
import statistics
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "scripts"))
from fidelity import fill, load  # noqa: E402
from privacy_curve import connect, given_bounds, score, scores_against_real  # noqa: E402

BIN_COUNTS = (8, 16, 32)
DELTA = 1e-9


def discretise(domains, x, y, names, bounds, bins):
    """-> (codes n x k, sizes per column, decoders): column 0 the domain."""
    codes = [np.array([names.index(d) for d in domains])]
    sizes = [len(names)]
    edges = []
    for j in range(x.shape[1]):
        lo, hi = bounds[f"f{j + 1}"]
        e = np.linspace(lo, hi, bins + 1)
        codes.append(np.clip(np.searchsorted(e, x[:, j], side="right") - 1, 0, bins - 1))
        sizes.append(bins)
        edges.append(e)
    e = np.linspace(0.0, 1.0, bins + 1)
    codes.append(np.clip(np.searchsorted(e, y, side="right") - 1, 0, bins - 1))
    sizes.append(bins)
    edges.append(e)
    return np.stack(codes, axis=1), sizes, edges


def exponential_choice(scores, epsilon, rng):
    """An index drawn with probability proportional to exp(epsilon * score / 2) (sensitivity 1)."""
    logits = epsilon * (np.asarray(scores) - np.max(scores)) / 2.0
    p = np.exp(logits)
    return int(rng.choice(len(p), p=p / p.sum()))


def peer_rows(domains, x, y, names, bounds, bins, rho, n_out, rng):
    codes, sizes, edges = discretise(domains, x, y, names, bounds, bins)
    k = codes.shape[1]
    # Step 1: one-way marginals, then the domain compression.
    sigma1 = np.sqrt(3.0 / (2.0 * rho)) * np.sqrt(k)
    one_way, merge = [], []
    for c in range(k):
        counts = np.bincount(codes[:, c], minlength=sizes[c]).astype(float)
        noisy = counts + rng.normal(0.0, sigma1, sizes[c])
        kept = noisy >= 3 * sigma1
        if kept.all() or c == 0:  # the domain list is public and short: never merged
            mapping = np.arange(sizes[c])
            one_way.append(noisy)
            merge.append((mapping, [[v] for v in range(sizes[c])]))
            continue
        mapping = np.empty(sizes[c], dtype=int)
        groups = []
        for v in range(sizes[c]):
            if kept[v]:
                mapping[v] = len(groups)
                groups.append([v])
        other = [v for v in range(sizes[c]) if not kept[v]]
        mapping[other] = len(groups)
        groups.append(other)
        one_way.append(np.array([noisy[g].sum() for g in groups]))
        merge.append((mapping, groups))
    compressed = np.stack([merge[c][0][codes[:, c]] for c in range(k)], axis=1)
    csize = [len(merge[c][1]) for c in range(k)]
    def distribution(w):
        """Non-negative weights as probabilities; no mass at all: uniform."""
        w = np.clip(np.asarray(w, dtype=float), 0, None)
        return w / w.sum() if w.sum() > 0 else np.full(len(w), 1.0 / len(w))

    p1 = [distribution(o) for o in one_way]
    # Step 2: the tree, by the exponential mechanism in Kruskal's order.
    pairs = [(a, b) for a in range(k) for b in range(a + 1, k)]
    gap = {}
    # The total comes from the noisy counts, as MST takes it from its model:
    # with the true row count, one row would move a score by up to 2.
    n = max(float(one_way[0].sum()), 1.0)
    for a, b in pairs:
        joint = np.zeros((csize[a], csize[b]))
        np.add.at(joint, (compressed[:, a], compressed[:, b]), 1.0)
        gap[(a, b)] = np.abs(joint - n * np.outer(p1[a], p1[b])).sum()
    component = list(range(k))

    def find(v):
        while component[v] != v:
            v = component[v]
        return v

    edges_chosen = []
    eps_edge = np.sqrt(8.0 * (rho / 3.0) / max(k - 1, 1))
    for _ in range(k - 1):
        candidates = [p for p in pairs if find(p[0]) != find(p[1])]
        pick = candidates[exponential_choice([gap[p] for p in candidates], eps_edge, rng)]
        edges_chosen.append(pick)
        component[find(pick[0])] = find(pick[1])
    # Step 3: the chosen two-way marginals.
    sigma2 = np.sqrt(3.0 / (2.0 * rho)) * np.sqrt(max(k - 1, 1))
    two_way = {}
    for a, b in edges_chosen:
        joint = np.zeros((csize[a], csize[b]))
        np.add.at(joint, (compressed[:, a], compressed[:, b]), 1.0)
        two_way[(a, b)] = np.clip(joint + rng.normal(0.0, sigma2, joint.shape), 0, None)
    # Sampling the tree from the domain column.
    neighbours = {c: [] for c in range(k)}
    for a, b in edges_chosen:
        neighbours[a].append(b)
        neighbours[b].append(a)
    out = np.zeros((n_out, k), dtype=int)
    out[:, 0] = rng.choice(csize[0], size=n_out, p=p1[0])
    seen, order = {0}, [0]
    while order:
        parent = order.pop(0)
        for child in neighbours[parent]:
            if child in seen:
                continue
            seen.add(child)
            order.append(child)
            table = two_way[(parent, child)] if (parent, child) in two_way else two_way[(child, parent)].T
            for v in range(csize[parent]):
                rows = np.where(out[:, parent] == v)[0]
                if len(rows) == 0:
                    continue
                p = distribution(table[v]) if table[v].sum() > 0 else p1[child]
                out[rows, child] = rng.choice(csize[child], size=len(rows), p=p)
    # Decoding: a merged bin to one of its bins, a bin to a uniform value inside it.
    result_domains = [names[v] for v in out[:, 0]]
    values = np.zeros((n_out, k - 1))
    for c in range(1, k):
        groups = merge[c][1]
        bins = np.array([groups[g][rng.integers(len(groups[g]))] for g in out[:, c]])
        e = edges[c - 1]
        values[:, c - 1] = e[bins] + rng.random(n_out) * (e[bins + 1] - e[bins])
    return result_domains, values[:, :-1], np.clip(values[:, -1], 0.0, 1.0)


def peer_score(cur, domains, x, y, names, bounds, bins, rho, rng):
    d2, x2, y2 = peer_rows(domains, x, y, names, bounds, bins, rho, len(y), rng)
    fill(cur, "peer_rows", d2, x2, y2)
    return scores_against_real(cur, "peer_rows")


def main():
    cur = connect(sys.argv[1])
    sets = sys.argv[2].split(",") if len(sys.argv) > 2 else ["iris", "wine", "breast_cancer", "diabetes", "fair",
                                                              "randhie"]
    epsilons = [float(e) for e in sys.argv[3].split(",")] if len(sys.argv) > 3 else [1.0, 10.0]
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    rng = np.random.default_rng(2026)
    print("| data set (rows) | ε | peer quality / detection | private fit quality / detection |")
    print("|---|---|---|---|")
    for name in sets:
        domains, x, y = load(name)
        fill(cur, "real_rows", domains, x, y)
        names = sorted(set(domains))
        bounds = given_bounds(x)
        for epsilon in epsilons:
            cur.execute("SELECT synth_privacy_rho(%s, %s)", (epsilon, DELTA))
            rho = cur.fetchone()[0]
            peers = {bins: [peer_score(cur, domains, x, y, names, bounds, bins, rho, rng) for _ in range(repeats)]
                     for bins in BIN_COUNTS}
            best = max(BIN_COUNTS, key=lambda b: statistics.median(r[0] for r in peers[b]))
            ours = [r for r in (score(cur, len(y), epsilon, names, bounds) for _ in range(repeats)) if r]
            if not ours:  # every private fit refused: too few noisy rows
                print(f"| {name} ({len(y)}) | {epsilon:g} | refused |", flush=True)
                continue
            med = [statistics.median(r[i] for r in runs) for runs in (peers[best], ours) for i in (0, 1)]
            refused = f" ({repeats - len(ours)} refused)" if len(ours) < repeats else ""
            print(f"| {name} ({len(y)}) | {epsilon:g} | {med[0]:.3f} / {med[1]:.2f} ({best} bins) "
                  f"| {med[2]:.3f} / {med[3]:.2f}{refused} |", flush=True)
            print(json.dumps({"data_set": name, "epsilon": epsilon, "peer": peers, "private_fit": ours}),
                  file=sys.stderr)


if __name__ == "__main__":
    main()
