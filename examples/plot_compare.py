#!/usr/bin/python3
"""Draw real against synthetic rows, one picture: every column and both correlation matrices.

Asks synth_compare_detail() for each column's real and synthetic distributions on one
common binning, their quantiles and the two Pearson correlation matrices (no raw row is
read), and draws into ONE PNG:

  * per column (each feature, effectiveness_score, domain): the real and synthetic shares
    overlaid on the common bins (bars for the domain), the two medians as lines, and the
    column's shape score (KSComplement or TVComplement, as synth_compare reports it);
  * the real and the synthetic correlation matrices as heatmaps, same column order.

    plot_compare.py OUTPUT.png [SOURCE [SYNTHETIC]] [--holdout T] [--real-sources a,b] [--bins N]

SOURCE holds the real rows (default training_prompts); without SYNTHETIC its
data_source = 'synthetic' rows are the synthetic side, as in synth_compare. Needs Debian's
python3-matplotlib and python3-psycopg2; run it with /usr/bin/python3. The connection comes
from the libpq environment (PGHOST, PGPORT, PGUSER, PGDATABASE, ...).

Prints one line: the output path, the number of panels drawn and the number of columns.
Exit status: 0 when the picture was written, 1 on a database error, 2 on a usage error.
"""

import argparse
import math
import sys

import matplotlib

matplotlib.use("Agg")  # no display: straight to a file

import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
import numpy as np  # noqa: E402
import psycopg2  # noqa: E402

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

REAL_COLOUR = "#1f77b4"
SYNTHETIC_COLOUR = "#ff7f0e"
PANELS_PER_ROW = 4


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Draw real against synthetic rows (synth_compare_detail) into one PNG.")
    parser.add_argument("output", help="the PNG file to write")
    parser.add_argument("source", nargs="?", default="training_prompts",
                        help="the table of real rows (default: training_prompts)")
    parser.add_argument("synthetic", nargs="?", default=None,
                        help="the table of synthetic rows (default: the data_source = 'synthetic' rows of SOURCE)")
    parser.add_argument("--holdout", default=None, help="a table of real rows kept out of the fit")
    parser.add_argument("--real-sources", default=None,
                        help="comma-separated data_source values that count as real "
                             "(default: every one but 'synthetic')")
    parser.add_argument("--bins", type=int, default=20, help="bins per numeric column (default: 20)")
    parser.add_argument("--dpi", type=int, default=80, help="resolution of the PNG (default: 80)")
    return parser.parse_args(argv)


def fetch_detail(args):
    real_sources = None
    if args.real_sources is not None:
        real_sources = [s.strip() for s in args.real_sources.split(",") if s.strip()]
    with psycopg2.connect("") as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT synth_compare_detail(%s::regclass, %s::regclass, %s::regclass, %s::text[], %s)",
            (args.source, args.synthetic, args.holdout, real_sources, args.bins))
        return cur.fetchone()[0]


def shares(side):
    rows = side["rows"]
    return np.array(side["counts"], dtype=float) / rows if rows else np.zeros(len(side["counts"]))


def label_of(column):
    metric = "KS" if column["metric"] == "KSComplement" else "TV"
    score = column["score"]
    return "%s  (%s %s)" % (column["name"], metric, "n/a" if score is None else "%.3f" % score)


def draw_numeric(ax, column, levels):
    edges = np.array(column["edges"], dtype=float)
    for side, colour, name in ((column["real"], REAL_COLOUR, "real"),
                               (column["synthetic"], SYNTHETIC_COLOUR, "synthetic")):
        ax.stairs(shares(side), edges, fill=True, alpha=0.45, color=colour, label=name)
        ax.stairs(shares(side), edges, color=colour, linewidth=1.2, label="_outline")
        median = side["quantiles"][levels.index(0.5)]
        if median is not None:
            ax.axvline(median, color=colour, linestyle="--", linewidth=1)
    if column["integers"]:
        ax.set_xticks([(a + b) / 2 for a, b in zip(edges[:-1], edges[1:])])
    ax.set_ylabel("share of rows")


def draw_categorical(ax, column):
    names = column["categories"]
    at = np.arange(len(names))
    ax.bar(at - 0.2, shares(column["real"]), width=0.4, color=REAL_COLOUR, alpha=0.8, label="real")
    ax.bar(at + 0.2, shares(column["synthetic"]), width=0.4, color=SYNTHETIC_COLOUR, alpha=0.8,
           label="synthetic")
    ax.set_xticks(at)
    ax.set_xticklabels(names, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("share of rows")


def draw_heatmap(fig, ax, matrix, names, title):
    values = np.array([[np.nan if x is None else x for x in row] for row in matrix], dtype=float)
    image = ax.imshow(np.ma.masked_invalid(values), cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_xticks(range(len(names)))
    ax.set_yticks(range(len(names)))
    ax.set_xticklabels(names, rotation=45, ha="right", fontsize=8)
    ax.set_yticklabels(names, fontsize=8)
    if len(names) <= 8:
        for i in range(len(names)):
            for j in range(len(names)):
                if not math.isnan(values[i, j]):
                    # "%.2f" would print -0.00 for a small negative value.
                    cell = "%.2f" % values[i, j]
                    ax.text(j, i, "0.00" if cell == "-0.00" else cell, ha="center", va="center", fontsize=7,
                            color="white" if abs(values[i, j]) > 0.6 else "black")
    ax.set_title(title, fontsize=10)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)


def draw(detail, output, dpi):
    columns = detail["distributions"]
    levels = detail["quantile_levels"]
    # The columns four to a row, then one row of the two heatmaps, each two cells wide.
    rows = math.ceil(len(columns) / PANELS_PER_ROW)
    fig = plt.figure(figsize=(4.2 * PANELS_PER_ROW, 3.0 * rows + 5.0))
    grid = fig.add_gridspec(rows + 1, PANELS_PER_ROW, height_ratios=[3.0] * rows + [4.6])
    drawn = []
    for k, column in enumerate(columns):
        ax = fig.add_subplot(grid[k // PANELS_PER_ROW, k % PANELS_PER_ROW])
        if column["kind"] == "categorical":
            draw_categorical(ax, column)
        else:
            draw_numeric(ax, column, levels)
        ax.set_title(label_of(column), fontsize=10)
        drawn.append(ax)
    correlations = detail["correlations"]
    names = correlations["columns"]
    half = PANELS_PER_ROW // 2
    for k, side in enumerate(("real", "synthetic")):
        ax = fig.add_subplot(grid[rows, k * half:(k + 1) * half])
        draw_heatmap(fig, ax, correlations[side], names, "%s rows: Pearson correlations" % side)
        drawn.append(ax)
    real, synthetic = detail["real"], detail["synthetic"]
    counted = real["real_sources"] or "every row"
    fig.suptitle("%s, %d real rows (%s) against %d synthetic rows of %s"
                 % (real["table"], real["rows"], counted, synthetic["rows"], synthetic["table"]), fontsize=12)
    handles, labels = drawn[0].get_legend_handles_labels()
    keep = [(h, l) for h, l in zip(handles, labels) if not l.startswith("_")][:2]
    keep.append((plt.Line2D([], [], color="grey", linestyle="--"), "median"))
    # The legend under the title, so neither covers the other.
    fig.legend([h for h, _ in keep], [l for _, l in keep], loc="upper center", bbox_to_anchor=(0.5, 0.965),
               ncol=3, fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    fig.savefig(output, dpi=dpi)
    plt.close(fig)
    return len(drawn)


def main(argv):
    args = parse_args(argv)
    if not 1 <= args.bins <= 1000:
        print("plot_compare: --bins must be between 1 and 1000", file=sys.stderr)
        return EXIT_USAGE
    try:
        detail = fetch_detail(args)
    except psycopg2.Error as e:
        print("plot_compare: %s" % (e.pgerror or e).strip(), file=sys.stderr)
        return EXIT_ERROR
    panels = draw(detail, args.output, args.dpi)
    print("%s: %d panels for %d columns" % (args.output, panels, len(detail["distributions"])))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
