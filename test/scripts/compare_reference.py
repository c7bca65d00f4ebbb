"""synth_compare against a reference computed here with scipy / numpy / pandas.

Builds real and synthetic tables of several shapes, calls synth_compare on
them, recomputes every column score, pair score and the overall quality score
the way SDMetrics 0.29's QualityReport does (ks_2samp statistic, TVComplement
with get_frequencies' 1e-6 regularisation, pearsonr, histogram_bin_edges and
digitize on each side's own range, a pandas crosstab, Cramer's V from
scipy.stats.contingency.association) and checks agreement to 1e-9. A second
set of checks shows detection and efficacy move the right way.
Prints "ok NAME" / "not ok NAME - reason" per check.
"""
import json
import sys

import numpy as np
import pandas as pd
import psycopg2
from scipy.stats import ks_2samp, pearsonr
from scipy.stats.contingency import association

TOLERANCE = 1e-9


def tv_complement(real, synthetic):
    real_counts = pd.Series(real).value_counts().to_dict()
    synthetic_counts = pd.Series(synthetic).value_counts().to_dict()
    for value in synthetic_counts:
        if value not in real_counts:
            real_counts[value] = 1e-6
    real_total, synthetic_total = sum(real_counts.values()), sum(synthetic_counts.values())
    variation = sum(abs(synthetic_counts.get(v, 0) / synthetic_total - c / real_total)
                    for v, c in real_counts.items())
    return 1 - 0.5 * variation


def binned(values):
    return np.digitize(values, np.histogram_bin_edges(values))


def contingency(real_x, real_c, synthetic_x, synthetic_c):
    r = pd.DataFrame({"x": binned(real_x), "c": real_c})
    s = pd.DataFrame({"x": binned(synthetic_x), "c": synthetic_c})
    table = pd.crosstab(r["x"], r["c"])
    v = association(table.values, method="cramer") if min(table.shape) >= 2 else np.nan
    pr = r.groupby(["x", "c"]).size() / len(r)
    ps = s.groupby(["x", "c"]).size() / len(s)
    index = pr.index.union(ps.index)
    score = 1 - (pr.reindex(index, fill_value=0) - ps.reindex(index, fill_value=0)).abs().sum() / 2
    return score, v


def reference(real, synthetic, with_domain):
    d = real["f"].shape[1]
    columns = [real["f"][:, j] for j in range(d)] + [real["score"]]
    s_columns = [synthetic["f"][:, j] for j in range(d)] + [synthetic["score"]]
    shapes = [1 - ks_2samp(a, b).statistic for a, b in zip(columns, s_columns)]
    if with_domain:
        shapes.append(tv_complement(real["domain"], synthetic["domain"]))
    pairs, counted = [], []
    for i in range(len(columns)):
        for j in range(i + 1, len(columns)):
            r = pearsonr(columns[i], columns[j])[0]
            s = pearsonr(s_columns[i], s_columns[j])[0]
            pairs.append(1 - abs(r - s) / 2)
            counted.append(abs(r) > 0.5)
        if with_domain:
            score, v = contingency(columns[i], real["domain"], s_columns[i], synthetic["domain"])
            pairs.append(score)
            counted.append(bool(v > 0.3) if np.isfinite(v) else False)
    shape_score = float(np.mean(shapes))
    kept = [p for p, c in zip(pairs, counted) if c]
    trend_score = float(np.mean(kept)) if kept else np.nan
    overall = float(np.nanmean([shape_score, trend_score]))
    return shapes, pairs, counted, shape_score, trend_score, overall


def make(rng, n, d, shift=0.0, ties=False, integers=False, domains=("technical", "creative", "analytical"),
         domain_skew=0.0):
    x = rng.random(n)
    f = np.column_stack([x + shift] + [x * (j + 1) + rng.normal(0, 0.3, n) for j in range(1, d)])
    if ties:
        f = np.round(f, 1)
    if integers:
        f[:, -1] = rng.integers(0, 5, n)
    score = np.clip(x + rng.normal(0, 0.1, n), 0, 1)
    if ties:
        score = np.round(score, 2)
    p = np.ones(len(domains)) / len(domains)
    p[0] += domain_skew
    p /= p.sum()
    domain = rng.choice(domains, n, p=p)
    # A trend between the first feature and the domain.
    f[:, 0] += (domain == domains[0]) * 0.5
    return {"f": f, "score": score, "domain": domain}


def store(cur, name, side, with_domain):
    cur.execute(f"DROP TABLE IF EXISTS {name}")
    cur.execute(f"CREATE TABLE {name} (feature_vector float8[], effectiveness_score float8"
                + (", domain text)" if with_domain else ")"))
    rows = []
    for i in range(len(side["score"])):
        rows.append([list(map(float, side["f"][i])), float(side["score"][i])]
                    + ([str(side["domain"][i])] if with_domain else []))
    args = ",".join(cur.mogrify("(%s,%s" + (",%s)" if with_domain else ")"), r).decode() for r in rows)
    cur.execute(f"INSERT INTO {name} VALUES " + args)


def check_quality(cur, name, real, synthetic, with_domain):
    store(cur, "ref_real", real, with_domain)
    store(cur, "ref_synthetic", synthetic, with_domain)
    cur.execute("SELECT synth_compare('ref_real', 'ref_synthetic', bootstrap => 0)")
    got = cur.fetchone()[0]
    if isinstance(got, str):
        got = json.loads(got)
    shapes, pairs, counted, shape_score, trend_score, overall = reference(real, synthetic, with_domain)
    q = got["quality"]
    problems = []
    for want, column in zip(shapes, q["column_shapes"]["columns"]):
        if abs(want - column["score"]) > TOLERANCE:
            problems.append(f"{column['name']} {column['score']} != {want}")
    for want, c, pair in zip(pairs, counted, q["column_pair_trends"]["pairs"]):
        if abs(want - pair["score"]) > TOLERANCE or c != pair["counted"]:
            problems.append(f"{pair['columns']} {pair['score']}/{pair['counted']} != {want}/{c}")
    if len(pairs) != len(q["column_pair_trends"]["pairs"]) or len(shapes) != len(q["column_shapes"]["columns"]):
        problems.append("column or pair count differs")
    if abs(shape_score - q["column_shapes"]["score"]) > TOLERANCE:
        problems.append(f"shapes {q['column_shapes']['score']} != {shape_score}")
    got_trend = q["column_pair_trends"]["score"]
    if (got_trend is None) != (not np.isfinite(trend_score)) or (
            got_trend is not None and abs(got_trend - trend_score) > TOLERANCE):
        problems.append(f"trends {got_trend} != {trend_score}")
    if abs(overall - q["score"]) > TOLERANCE:
        problems.append(f"overall {q['score']} != {overall}")
    print(f"ok {name}" if not problems else f"not ok {name} - {'; '.join(problems[:3])}")
    return got


def main():
    conn = psycopg2.connect("")
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("CREATE EXTENSION IF NOT EXISTS synthdata")
    rng = np.random.default_rng(11)
    real = make(rng, 3000, 6)
    check_quality(cur, "reference_same_distribution", real, make(rng, 2500, 6), True)
    check_quality(cur, "reference_shifted", real, make(rng, 2000, 6, shift=0.4), True)
    check_quality(cur, "reference_no_domain", real, make(rng, 2000, 6, shift=0.1), False)
    check_quality(cur, "reference_ties", make(rng, 3000, 4, ties=True), make(rng, 1500, 4, ties=True, shift=0.1), True)
    check_quality(cur, "reference_integer_column", make(rng, 2000, 3, integers=True),
                  make(rng, 2000, 3, integers=True), True)
    check_quality(cur, "reference_unseen_domain", make(rng, 2000, 3),
                  make(rng, 2000, 3, domains=("technical", "creative", "legal"), domain_skew=0.5), True)
    # No pair with a trend: the overall score is the shapes' score alone.
    flat = {"f": rng.random((500, 3)), "score": rng.random(500), "domain": np.array(["a", "b"] * 250)}
    flat2 = {"f": rng.random((500, 3)), "score": rng.random(500), "domain": np.array(["a", "b"] * 250)}
    check_quality(cur, "reference_no_trend", flat, flat2, True)

    # Detection and efficacy move the right way.
    same = make(np.random.default_rng(5), 3000, 6)
    store(cur, "ref_real", same, True)
    cur.execute("SELECT synth_compare('ref_real', 'ref_real', bootstrap => 0)")
    identical = cur.fetchone()[0]
    store(cur, "ref_synthetic", make(np.random.default_rng(6), 3000, 6, shift=0.5), True)
    cur.execute("SELECT synth_compare('ref_real', 'ref_synthetic', bootstrap => 0)")
    shifted = cur.fetchone()[0]
    shuffled = dict(same)
    shuffled["score"] = np.random.default_rng(7).permutation(same["score"])
    store(cur, "ref_synthetic", shuffled, True)
    cur.execute("SELECT synth_compare('ref_real', 'ref_synthetic', bootstrap => 0)")
    decoupled = cur.fetchone()[0]
    checks = {
        "detection_identical_near_one": identical["detection"]["score"] > 0.9,
        "efficacy_identical_near_one": abs(identical["efficacy"]["ratio"] - 1) < 0.1,
        "detection_shifted_lower": shifted["detection"]["score"] < identical["detection"]["score"] - 0.5,
        "efficacy_shuffled_lower": decoupled["efficacy"]["ratio"] < identical["efficacy"]["ratio"] - 0.2,
    }
    for name, passed in checks.items():
        print(f"ok {name}" if passed else f"not ok {name} - identical {identical['detection']} "
              f"{identical['efficacy']} shifted {shifted['detection']} shuffled {decoupled['efficacy']}")
    cur.execute("DROP TABLE IF EXISTS ref_real, ref_synthetic")


if __name__ == "__main__":
    sys.exit(main())
