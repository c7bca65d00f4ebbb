"""Fitted generation against real public data sets that ship with Debian's
python3-sklearn (iris, wine, breast cancer, diabetes): load each into the flat
layout, fit, generate as many rows, and score the synthetic rows.

Quality is SDMetrics' quality report, computed here with scipy until
synth_compare is on main: the mean of column shapes (KSComplement, 1 - the
Kolmogorov-Smirnov statistic, per feature and the score) and column pair trends
(CorrelationSimilarity, 1 - |r_real - r_synthetic| / 2 over every pair).
Detection is SDMetrics' LogisticDetection (1 - (2 max(AUC, 0.5) - 1)), efficacy
TSTR/TRTR with a random forest on the median split of the score, privacy the
count of real feature vectors copied exactly. Prints one JSON line per set."""
import csv
import gzip
import json
import sys

import numpy as np
import psycopg2
from scipy import stats
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.preprocessing import StandardScaler

DATA = "/usr/lib/python3/dist-packages/sklearn/datasets/data/"


def scaled(v):
    v = np.asarray(v, dtype=float)
    return np.round((v - v.min()) / (v.max() - v.min()), 4)


def load(name):
    """-> (domains, features (n x d), scores in [0, 1])"""
    if name == "iris":  # domain: species; score: petal length
        rows = list(csv.reader(open(DATA + "iris.csv")))[1:]
        x = np.array([[float(c) for c in r[:4]] for r in rows])
        return [f"species_{r[4]}" for r in rows], x[:, [0, 1, 3]], scaled(x[:, 2])
    if name == "wine":  # domain: cultivar; score: alcohol
        rows = list(csv.reader(open(DATA + "wine_data.csv")))[1:]
        x = np.array([[float(c) for c in r[:13]] for r in rows])
        return [f"cultivar_{r[13]}" for r in rows], x[:, 1:], scaled(x[:, 0])
    if name == "breast_cancer":  # domain: diagnosis; score: mean radius; first 10 features
        rows = list(csv.reader(open(DATA + "breast_cancer.csv")))[1:]
        x = np.array([[float(c) for c in r[:30]] for r in rows])
        return ["malignant" if r[30] == "0" else "benign" for r in rows], x[:, 1:10], scaled(x[:, 0])
    if name == "diabetes":  # domain: sex; score: disease progression (skewed); integer age and bp
        x = np.loadtxt(gzip.open(DATA + "diabetes_data_raw.csv.gz"))
        y = np.loadtxt(gzip.open(DATA + "diabetes_target.csv.gz"))
        return [f"sex_{int(s)}" for s in x[:, 1]], np.delete(x, 1, axis=1), scaled(y)
    raise ValueError(name)


def quality(real, fake):
    shapes = [1 - stats.ks_2samp(real[:, j], fake[:, j]).statistic for j in range(real.shape[1])]
    pairs = []
    for a in range(real.shape[1]):
        for b in range(a + 1, real.shape[1]):
            ra = np.corrcoef(real[:, a], real[:, b])[0, 1]
            fa = np.corrcoef(fake[:, a], fake[:, b])[0, 1]
            if np.isfinite(ra) and np.isfinite(fa):
                pairs.append(1 - abs(ra - fa) / 2)
    return float(np.mean(shapes)), float(np.mean(pairs)) if pairs else 1.0


def detection(real, fake):
    x = np.vstack([real, fake])
    y = np.r_[np.zeros(len(real)), np.ones(len(fake))]
    x = StandardScaler().fit_transform(x)
    p = cross_val_predict(LogisticRegression(max_iter=2000), x, y, cv=StratifiedKFold(3, shuffle=True, random_state=0),
                          method="predict_proba")[:, 1]
    return float(1 - (2 * max(roc_auc_score(y, p), 0.5) - 1))


def efficacy(real, fake):
    """TSTR / TRTR: a forest on the median split of the score, tested on a real holdout."""
    rng = np.random.default_rng(0)
    idx = rng.permutation(len(real))
    test, train = idx[: len(real) // 3], idx[len(real) // 3:]
    med = np.median(real[:, -1])
    label = lambda m: (m[:, -1] > med).astype(int)
    def acc(tr):
        clf = RandomForestClassifier(n_estimators=100, random_state=0).fit(tr[:, :-1], label(tr))
        return (clf.predict(real[test][:, :-1]) == label(real[test])).mean()
    trtr = acc(real[train])
    tstr = acc(fake[: len(train)])
    return float(tstr / trtr) if trtr > 0 else 0.0


def main():
    conn = psycopg2.connect(sys.argv[1])
    conn.autocommit = True
    cur = conn.cursor()
    for name in ["iris", "wine", "breast_cancer", "diabetes"]:
        domains, x, score = load(name)
        cur.execute("DROP TABLE IF EXISTS real_rows")
        cur.execute("CREATE TABLE real_rows (domain text, feature_vector float8[], effectiveness_score float8)")
        cur.executemany("INSERT INTO real_rows VALUES (%s, %s, %s)",
                        [(d, [float(v) for v in row], float(s)) for d, row, s in zip(domains, x, score)])
        cur.execute("SELECT synth_fit('real_rows', NULL)")
        profile = json.dumps(cur.fetchone()[0])
        n = len(score)
        cur.execute("SELECT feature_vector, effectiveness_score FROM synth_generate(%s, 1, profile => %s::jsonb)",
                    (n, profile))
        fake_rows = cur.fetchall()
        fake = np.array([list(f) + [s] for f, s in fake_rows])
        real = np.column_stack([x, score])
        shapes, trends = quality(real, fake)
        real_set = {tuple(r) for r in x.tolist()}
        copies = sum(tuple(f) in real_set for f, _ in fake_rows)
        within = bool(np.all(fake[:, :-1] >= x.min(axis=0)) and np.all(fake[:, :-1] <= x.max(axis=0)))
        # The default generator against the same real rows: only the score is comparable
        # (its six design features are not the real columns).
        cur.execute("SELECT effectiveness_score FROM synth_generate(%s, 1)", (n,))
        default_scores = np.array([r[0] for r in cur.fetchall()])
        default_shape = 1 - stats.ks_2samp(score, default_scores).statistic
        print(json.dumps({
            "data_set": name, "rows": n, "dimension": x.shape[1], "domains": len(set(domains)),
            "quality": round((shapes + trends) / 2, 4), "column_shapes": round(shapes, 4),
            "column_pair_trends": round(trends, 4), "detection": round(detection(real, fake), 4),
            "tstr_over_trtr": round(efficacy(real, fake), 4), "exact_copies": copies,
            "within_bounds": within, "default_score_shape": round(float(default_shape), 4)}))


if __name__ == "__main__":
    main()
