#!/usr/bin/python3
"""Train the prompt-improvement pipeline's random forest on synthdata's rows.

Reads training_prompts the way the pipeline does (docs/design.md section 1), applies
its ML gate, splits the effectiveness scores at the median into two classes and
reports a random forest's 5-fold cross-validated accuracy.

Needs Debian's python3-psycopg2, python3-numpy and python3-sklearn; run it with
/usr/bin/python3. The connection comes from the libpq environment (PGHOST,
PGPORT, PGUSER, PGDATABASE, ...).

Exit status: 0 when the model was trained, 3 when the gate refuses the row set,
1 on a database error, 2 on a usage error.
"""

import argparse
import json
import math
import numbers
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import psycopg2
from psycopg2 import sql
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score

TABLE = "training_prompts"
TABLE_DDL = Path(__file__).resolve().parent / "training_prompts.sql"

# The pipeline's gate (docs/design.md section 1).
MIN_ROWS = 10
MIN_DISTINCT_SCORES = 2
MIN_SCORE_STD = 0.05
CV_FOLDS = 5

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_REFUSED = 3

# The pipeline's query. SQL leaves the order of equal priorities to the plan (a backward index
# scan reverses it), and unshuffled folds follow the row order, so id breaks the ties: the same
# rows give the same accuracy whatever plan the statistics choose.
READ_QUERY = sql.SQL(
    "SELECT enhancement_result FROM {} "
    "WHERE data_source = 'synthetic' AND is_active "
    "ORDER BY training_priority DESC, id"
).format(sql.Identifier(TABLE))


class GateRefused(Exception):
    """The gate refused the whole row set; the message says why."""


class MissingTable(Exception):
    """training_prompts is not there to read."""


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=(
            "Read synthetic rows from training_prompts as the prompt-improvement "
            "pipeline does, apply its ML gate and report a random forest's 5-fold "
            "cross-validated accuracy on the median split of effectiveness_score. "
            "Connects with the libpq environment (PGHOST, PGPORT, PGUSER, PGDATABASE)."
        ),
        epilog=(
            "exit status: 0 trained, 3 refused by the gate, 1 database error, "
            "2 usage error.  example: train_forest.py --bootstrap 1000 --seed 42 --reset"
        ),
    )
    parser.add_argument(
        "--bootstrap", type=int, metavar="N",
        help="first insert N rows with synth_insert() (creates the table from "
             "examples/training_prompts.sql when it is missing)")
    parser.add_argument(
        "--seed", type=int, metavar="S",
        help="seed for --bootstrap (default: a fresh one per call)")
    parser.add_argument(
        "--label-noise", type=float, metavar="X",
        help="label_noise for --bootstrap, in [0, 1] (default: synth_insert's own)")
    parser.add_argument(
        "--reset", action="store_true",
        help="truncate training_prompts first (before --bootstrap, if given)")
    parser.add_argument(
        "--json", action="store_true",
        help="print one JSON object (rows_read, rows_kept, dropped, accuracy, "
             "score_std, domains, ...) instead of the human summary")
    args = parser.parse_args(argv)
    check_args(parser, args)
    return args


def check_args(parser, args):
    if args.bootstrap is None and (args.seed is not None or args.label_noise is not None):
        parser.error("--seed and --label-noise only apply with --bootstrap")
    if args.bootstrap is not None and args.bootstrap < 1:
        parser.error("--bootstrap N needs N >= 1")
    if args.label_noise is not None and not 0.0 <= args.label_noise <= 1.0:
        parser.error("--label-noise must be in [0, 1]")


def table_exists(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass(%s) IS NOT NULL", (TABLE,))
        return cur.fetchone()[0]


def prepare_table(conn, reset):
    """Create the pipeline's table when missing; truncate it on --reset."""
    with conn, conn.cursor() as cur:
        if not table_exists(conn):
            cur.execute(TABLE_DDL.read_text())
        if reset:
            cur.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(TABLE)))


def bootstrap(conn, n, seed, label_noise):
    """Insert n rows with synth_insert(); returns the count it reports."""
    named = [sql.SQL("seed => {}::bigint").format(sql.Literal(seed))] if seed is not None else []
    if label_noise is not None:
        named.append(sql.SQL("label_noise => {}::float8").format(sql.Literal(label_noise)))
    call = sql.SQL("SELECT synth_insert({}::regclass, {}::bigint{})").format(
        sql.Literal(TABLE), sql.Literal(n),
        sql.SQL("").join(sql.SQL(", ") + arg for arg in named))
    with conn, conn.cursor() as cur:
        cur.execute(call)
        return cur.fetchone()[0]


def read_results(conn):
    """The enhancement_result documents, in the pipeline's order."""
    if not table_exists(conn):
        raise MissingTable(f"table {TABLE} does not exist (--bootstrap N creates and fills it)")
    with conn, conn.cursor() as cur:
        cur.execute(READ_QUERY)
        return [row[0] for row in cur.fetchall()]


def is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def is_finite(value):
    """A finite float; a JSON integer too large for a float (1e400 in jsonb) is not."""
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def row_problem(result):
    """Why the gate drops this row, or None when it keeps it."""
    if not isinstance(result, dict):
        return "enhancement_result not an object"
    features = result.get("feature_vector")
    if not isinstance(features, list) or not features:
        return "empty features"
    if not all(is_number(f) for f in features):
        return "non-numeric features"
    if not all(is_finite(f) for f in features):
        return "NaN or infinite features"
    score = result.get("effectiveness_score")
    if not is_number(score) or not is_finite(score) or not 0.0 <= score <= 1.0:
        return "score missing or outside [0,1]"
    return None


def domain_of(result):
    metadata = result.get("metadata")
    domain = metadata.get("domain") if isinstance(metadata, dict) else None
    return domain if isinstance(domain, str) else "(none)"


def apply_row_gate(results):
    """Split the rows into kept ones and a count of drop reasons."""
    kept, reasons = [], Counter()
    for result in results:
        problem = row_problem(result)
        if problem is None:
            kept.append(result)
        else:
            reasons[problem] += 1
    return kept, reasons


def feature_matrix(kept):
    """Features as a matrix; rows of another width than the first are a gate refusal."""
    width = len(kept[0]["feature_vector"])
    if any(len(r["feature_vector"]) != width for r in kept):
        raise GateRefused("feature vectors have different lengths")
    return np.array([r["feature_vector"] for r in kept], dtype=float)


def check_set(scores):
    """The gate's whole-set checks; raises GateRefused with the reason."""
    if len(scores) < MIN_ROWS:
        raise GateRefused(f"only {len(scores)} rows passed the row checks, "
                          f"fewer than {MIN_ROWS}")
    distinct = len(np.unique(scores))
    if distinct < MIN_DISTINCT_SCORES:
        raise GateRefused(f"scores have {distinct} distinct value(s), "
                          f"fewer than {MIN_DISTINCT_SCORES}")
    std = float(np.std(scores))
    if std < MIN_SCORE_STD:
        raise GateRefused(f"score standard deviation {std:.4f} is below {MIN_SCORE_STD}")


def median_classes(scores):
    """Class 1 for a score above the median, else 0; refuses a split too thin to cross-validate."""
    labels = (scores > np.median(scores)).astype(int)
    smallest = min(np.count_nonzero(labels), np.count_nonzero(labels == 0))
    if smallest < CV_FOLDS:
        raise GateRefused(f"the median split leaves a class of {smallest} rows, "
                          f"too few for {CV_FOLDS}-fold cross-validation")
    return labels


def cv_accuracy(features, labels):
    model = RandomForestClassifier(n_estimators=100, random_state=0)
    folds = cross_val_score(model, features, labels, cv=CV_FOLDS, scoring="accuracy")
    return float(folds.mean()), float(folds.std())


def evaluate(results):
    """The gate and the model on the rows read; returns the report dict."""
    kept, reasons = apply_row_gate(results)
    report = {
        "rows_read": len(results),
        "rows_kept": len(kept),
        "dropped": len(results) - len(kept),
        "drop_reasons": dict(reasons),
        "domains": dict(sorted(Counter(domain_of(r) for r in kept).items())),
        "score_std": None,
        "accuracy": None,
        "refused": None,
    }
    scores = np.array([r["effectiveness_score"] for r in kept], dtype=float)
    if len(scores):
        report.update(score_std=float(np.std(scores)), score_median=float(np.median(scores)),
                      distinct_scores=int(len(np.unique(scores))))
    try:
        check_set(scores)
        features = feature_matrix(kept)
        labels = median_classes(scores)
    except GateRefused as refusal:
        report["refused"] = str(refusal)
        return report
    accuracy, spread = cv_accuracy(features, labels)
    report.update(accuracy=accuracy, accuracy_fold_std=spread,
                  n_features=int(features.shape[1]),
                  class_sizes=[int(np.count_nonzero(labels == 0)),
                               int(np.count_nonzero(labels == 1))])
    return report


def print_summary(report, out):
    print(f"rows read {report['rows_read']}, kept {report['rows_kept']}, "
          f"dropped {report['dropped']}", file=out)
    for reason, count in report["drop_reasons"].items():
        print(f"  dropped {count}: {reason}", file=out)
    if report["domains"]:
        print("domains: " + ", ".join(f"{d} {c}" for d, c in report["domains"].items()),
              file=out)
    if report["score_std"] is not None:
        print(f"scores: {report['distinct_scores']} distinct, std {report['score_std']:.4f}, "
              f"median {report['score_median']:.4f}", file=out)
    if report["accuracy"] is not None:
        print(f"random forest, {CV_FOLDS}-fold CV accuracy on the median split: "
              f"{report['accuracy']:.4f} (fold std {report['accuracy_fold_std']:.4f})", file=out)


def run(args):
    conn = psycopg2.connect("")
    try:
        report = {}
        if args.bootstrap is not None:
            prepare_table(conn, args.reset)
            report["inserted"] = bootstrap(conn, args.bootstrap, args.seed, args.label_noise)
        elif args.reset and table_exists(conn):
            prepare_table(conn, reset=True)
        report.update(evaluate(read_results(conn)))
    finally:
        conn.close()
    return report


def main(argv=None):
    args = parse_args(argv)
    try:
        report = run(args)
    except psycopg2.Error as err:
        print(f"train_forest: database error: {str(err).strip()}", file=sys.stderr)
        return EXIT_ERROR
    except MissingTable as err:
        print(f"train_forest: {err}", file=sys.stderr)
        return EXIT_ERROR
    if args.json:
        print(json.dumps(report, sort_keys=True))
    else:
        print_summary(report, sys.stdout)
    if report["refused"]:
        print(f"train_forest: the pipeline's gate refuses this set: {report['refused']}",
              file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
