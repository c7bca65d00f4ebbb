#!/usr/bin/env python3
"""How low can the holdout DCR share go on small real sets? Plain numpy models
fitted on the same 8 halvings test/scripts/fidelity.py uses (fit on one half,
as many synthetic rows, the share of them nearer the fitted half than the other
half, by synth_compare's distance), each printed with its mean column-shape
score (1 - KS statistic against the fitted half, averaged over the columns):

- a per-domain multivariate normal (fidelity.py's reference model), its spread
  widened by a factor k;
- the same with its covariance shrunk toward the diagonal (1.0: independent
  columns within each domain);
- the same with each domain's mean shrunk toward the pooled mean (1.0: every
  domain has the pooled mean);
- every domain with its own mean and the pooled within-domain covariance (the
  model of linear discriminant analysis): the fewest parameters per domain.

Not a test: it prints figures (README, "synth_fit": the holdout DCR share).
    /usr/bin/python3 bench/dcr_baselines.py [iris wine ...]
"""
import os
import sys

import numpy as np
from scipy import stats

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "scripts"))
import fidelity  # noqa: E402  (load, closer_share, HALVINGS)


def normal_rows(train, labels, rng, spread=1.0, to_diagonal=0.0, to_pooled_mean=0.0, pooled_within=False):
    out, doms = [], []
    pooled_mean = train.mean(axis=0)
    domains = sorted(set(labels.tolist()))
    centred = np.vstack([train[labels == d] - train[labels == d].mean(axis=0) for d in domains])
    within = centred.T @ centred / (len(centred) - len(domains))
    for dom in domains:
        rows = train[labels == dom]
        cov = within if pooled_within else np.cov(rows.T)
        cov = (1 - to_diagonal) * cov + to_diagonal * np.diag(np.diag(cov))
        mean = (1 - to_pooled_mean) * rows.mean(axis=0) + to_pooled_mean * pooled_mean
        out.append(rng.multivariate_normal(mean, cov * spread * spread, len(rows)))
        doms += [dom] * len(rows)
    return np.clip(np.vstack(out), train.min(axis=0), train.max(axis=0)), np.array(doms)


def measure(name, **model):
    domains, x, score = fidelity.load(name)
    table, labels, n = np.column_stack([x, score]), np.array(domains), len(score)
    shares, shapes = [], []
    for split in range(fidelity.HALVINGS):
        rng = np.random.default_rng(split)
        order = rng.permutation(n)
        part, rest = order[: n // 2], order[n // 2:]
        syn, dsyn = normal_rows(table[part], labels[part], rng, **model)
        shares.append(fidelity.closer_share(table[part], labels[part], table[rest], labels[rest], syn, dsyn))
        shapes.append(np.mean([1 - stats.ks_2samp(table[part][:, j], syn[:, j]).statistic
                               for j in range(table.shape[1])]))
    return float(np.mean(shares)), float(np.mean(shapes))


def main():
    sets = sys.argv[1:] or ["iris", "wine", "diabetes"]
    variants = [("per-domain normal", {})]
    variants += [(f"spread x{k}", {"spread": k}) for k in (1.5, 2.0)]
    variants += [(f"covariance {w:.0%} to diagonal", {"to_diagonal": w}) for w in (0.5, 1.0)]
    variants += [(f"domain means {w:.0%} to pooled", {"to_pooled_mean": w}) for w in (0.5, 1.0)]
    variants += [("pooled within-domain covariance", {"pooled_within": True})]
    print(f"{'set':10} {'model':32} {'closer_to_real':>14} {'column shapes':>14}")
    for name in sets:
        for label, model in variants:
            share, shape = measure(name, **model)
            print(f"{name:10} {label:32} {share:14.3f} {shape:14.3f}")


if __name__ == "__main__":
    main()
