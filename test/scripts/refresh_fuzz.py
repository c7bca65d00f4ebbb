"""The refresh fuzzer: synth_refresh on thousands of random real-row tables.

synth_refresh runs unattended on every start of the pipeline, so whatever the
real rows hold it must reach a defined outcome. Each case makes one table in
the pipeline layout of docs/design.md section 1 (sometimes the flat layout, or an
older or broken one), fills it with random rows and calls synth_refresh on it
twice, each call in its own transaction as the pipeline's initializer makes
it, under a statement_timeout. The cases vary the columns (enhancement_result
json or jsonb, data_source varchar or text, updated_at/deleted_at present or
not and of other types, is_active missing), the feature dimension (1..64, with
rows of other dimensions mixed in), the domains (1..300, odd names), the values
(NaN, +-Infinity, +-1e308, subnormals, ties, constants, decimal grids, long
and empty prompts), the feature names (missing, empty, duplicated, too long),
the scores (outside [0, 1], missing, not numbers), the data sources ('real',
'user', 'api', 'batch', 'synthetic') and R, the real rows (0 to a few hundred).

Asserted, per property (each a line "ok NAME" / "not ok NAME"):
  refresh_fuzz_errors  no error but documented misuse (MISUSE below), and a
                       misuse case does get its error;
  refresh_fuzz_hangs   every call returns within the statement_timeout, and
                       one that does not is cancelled by it;
  refresh_fuzz_text    every text stored in the table's text columns and in
                       the document is valid UTF-8 without NUL (the server's
                       own verifier: convert_to), a json document casts to
                       jsonb, `length` equals the enhanced prompt's
                       char_length where the batch ties them, no prompt ends
                       its requirements empty; the returned result is clean;
  refresh_fuzz_rows    exactly S active synthetic rows (S = the result's
                       synthetic_rows, as max(min_rows - R, ceil(ratio * R))
                       gives it from the result's real_rows), all of the
                       dominant dimension of the usable real rows (a fitted
                       batch when there are fit_min_rows of them, the design
                       table's six features where the dimensions agree, else
                       none); the other rows untouched;
  refresh_fuzz_noop    the second call is a no-op (refreshed = false) and
                       leaves the rows as they were; a batch retired by hand,
                       or another priority, is not a no-op.

A real row is one whose data_source is anything but 'synthetic' (synth_refresh's
default real_sources); a usable real row (the pipeline's ML gate) is a real row
with is_active not false, a non-empty feature_vector of finite numbers and a finite score in
[0, 1]. Extra keys in the result are ignored.

Usage: refresh_fuzz.py [--cases N] [--seed S] [--jobs J] [--case I] [--sql I]
Environment: FUZZ_REFRESH_CASES (2000), FUZZ_REFRESH_SEED (20261207),
FUZZ_REFRESH_JOBS (2), FUZZ_REFRESH_TIMEOUT (seconds, 20), FUZZ_REFRESH_TAME=1
(values beyond 1e150 drawn as +-1e100: the same cases otherwise, to look past
an overflow hang), FUZZ_REFRESH_MAX_HANGS (3: a worker that met this many calls
overrunning the timeout skips the rest), FUZZ_REFRESH_BUDGET (seconds a worker
may run, 900), libpq's PG* variables for the database.
--case I runs case I alone (in the database libpq names, which must have
synthdata; the table fz.cI stays for a look) and prints what it did; --sql I
prints case I as a psql script (the table, its rows, the two calls).
"""
import argparse
import json
import math
import os
import random
import re
import select
import subprocess
import sys
import threading
import time

import psycopg2
import psycopg2.errors
import psycopg2.extensions
import psycopg2.extras

SCHEMA = "fz"
DESIGN_NAMES = ["clarity", "length", "specificity", "complexity", "context_richness", "actionability"]
DESIGN_DIMENSION = 6

# Documented misuse: what the case does wrong -> the SQLSTATEs its error may carry.
MISUSE = {
    "no_is_active": ("older layout: no is_active column", {"42703"}),
    "no_data_source": ("no data_source column", {"42703"}),
    "is_active_integer": ("is_active is an integer", {"42804"}),
    "result_text": ("enhancement_result is text", {"42804", "42703"}),
    "fit_min_rows_low": ("fit_min_rows below 10", {"22023"}),
    "ratio_negative": ("synthetic_ratio below 0", {"22023"}),
    "min_rows_negative": ("min_rows below 0", {"22023"}),
}


# ---------------------------------------------------------------- JSON text


class Num:
    """A JSON number written exactly as given (1e400, -0.0, 5e-324 ...)."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text

    def value(self):
        return float(self.text)


class Raw:
    """JSON text written as is."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text


def to_json(v, ascii_only):
    if isinstance(v, Num):
        return v.text
    if isinstance(v, Raw):
        return v.text
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=ascii_only)
    if isinstance(v, list):
        return "[" + ", ".join(to_json(x, ascii_only) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(json.dumps(k) + ": " + to_json(x, ascii_only) for k, x in v.items()) + "}"
    raise TypeError(type(v))


def num(x):
    """A finite double as the shortest text that reads back the same."""
    return Num(repr(float(x)).replace("inf", "1e400"))


def is_finite_number(v):
    return isinstance(v, Num) and math.isfinite(v.value())


# ---------------------------------------------------------------- cases

WORDS = ("write explain compare the a model data table prompt summary list step detail clear short "
         "review code test user result value plan risk report design query index budget").split()
UNICODE_BITS = ["é", "ü", "ß", "日本", "中文", "Ω", "🚀", "ñ", "ç", "∑", "ﬁ", "\u200b"]
CONTROL_BITS = ["\n", "\t", "\r", "\u0001", "\u001f", '"', "\\", "'"]


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def text_of(rng, kind):
    if kind == "empty":
        return ""
    if kind == "long":
        s = words(rng, rng.randint(300, 1400))
        return s[: rng.randint(2000, 9000)]
    if kind == "unicode":
        return " ".join(rng.choice(WORDS + UNICODE_BITS) for _ in range(rng.randint(1, 40)))
    if kind == "control":
        return " ".join(rng.choice(WORDS + CONTROL_BITS) for _ in range(rng.randint(1, 30)))
    return words(rng, rng.randint(1, 60))


def domain_name(rng, i, style):
    if style == "design":
        return ["technical", "creative", "analytical", "instructional", "conversational"][i % 5]
    if style == "plain":
        return "domain_%d" % i
    pick = rng.random()
    if pick < 0.25:
        return "d%d_%s" % (i, rng.choice(UNICODE_BITS))
    if pick < 0.4:  # longer than the 63 bytes a domain keeps, cut inside a character
        return "%d_" % i + "é" * rng.randint(30, 60)
    if pick < 0.5:
        return "d%d%s" % (i, rng.choice(CONTROL_BITS))
    if pick < 0.55:
        return "  d%d  " % i
    return "%s_%d" % (rng.choice(WORDS), i)


def feature_kind(rng, tame):
    kinds = ["normal", "unit", "int", "const", "ties", "grid", "huge", "mix0huge", "subnormal",
             "offset", "length", "complexity", "wide"]
    weights = [14, 10, 8, 6, 8, 8, 5, 3, 4, 3, 6, 5, 4]
    k = rng.choices(kinds, weights)[0]
    p = {"kind": k}
    if k == "normal":
        p["mu"] = rng.uniform(-1, 1) * 10 ** rng.randint(-3, 6)
        p["sigma"] = 10 ** rng.uniform(-6, 4)
    elif k == "int":
        lo = rng.randint(-1000, 1000)
        p["lo"], p["hi"] = lo, lo + rng.choice([0, 1, 2, 10, 1000, 10 ** 6])
    elif k == "const":
        p["v"] = rng.choice([0.0, 1.0, -1.0, 0.5, 1e-300, 123456.789, 1e308, -1e308, 5e-324])
    elif k == "ties":
        p["vals"] = [rng.choice([0.0, 1.0, 0.25, 0.5, -3.0, 1e6, 1e-7]) for _ in range(rng.randint(2, 4))]
    elif k == "grid":
        p["step"] = rng.choice([0.1, 0.01, 0.25, 0.5, 1e-4, 0.001])
        p["n"] = rng.randint(1, 40)
    elif k == "wide":
        p["exp"] = rng.randint(10, 300)
    if tame:  # the same draws, without magnitudes whose squares overflow
        for key in ("mu", "v"):
            if key in p and abs(p[key]) > 1e150:
                p[key] = math.copysign(1e100, p[key])
        if k in ("huge", "mix0huge"):
            p["tame"] = True
        if k == "wide":
            p["exp"] = min(p["exp"], 100)
    return p


def feature_value(rng, p):
    k = p["kind"]
    if k == "normal":
        return num(rng.gauss(p["mu"], p["sigma"]))
    if k == "unit":
        return num(round(rng.random(), rng.choice([2, 4, 17])))
    if k == "int":
        return Num(str(rng.randint(p["lo"], p["hi"])))
    if k == "const":
        return num(p["v"])
    if k == "ties":
        return num(rng.choice(p["vals"]))
    if k == "grid":
        return num(round(rng.randint(0, p["n"]) * p["step"], 6))
    if k == "huge":
        v = rng.choice([1e308, -1e308, 1.7976931348623157e308, 0.0, 1.0, rng.uniform(-1e308, 1e308)])
        if p.get("tame") and abs(v) > 1e150:
            v = math.copysign(1e100, v)
        return num(v)
    if k == "mix0huge":
        return num(rng.choice([0.0, 1e100 if p.get("tame") else 1e308]))
    if k == "subnormal":
        return num(rng.choice([5e-324, 1e-310, 2.2250738585072014e-308, 4.9e-322]) * rng.randint(0, 3))
    if k == "offset":
        return num(1000000.125 + 0.0005 * rng.randint(0, 39))
    if k == "length":
        return Num(str(rng.choice([rng.randint(1, 300), rng.randint(300, 3000), rng.randint(0, 20000)])))
    if k == "complexity":
        return Num(str(rng.randint(0, rng.choice([12, 15]))))
    if k == "wide":
        return num(rng.uniform(-1, 1) * 10 ** rng.randint(-p["exp"], p["exp"]))
    raise ValueError(k)


def poison_value(rng, flat):
    """An element the ML gate drops: not a number, or not finite."""
    if flat:
        return rng.choice(["NaN", "Infinity", "-Infinity", "NULL"])
    return rng.choice(["NaN", "Infinity", "1.5", None, Num("1e400"), Num("-1e400"), True, [Num("1")], {}])


def score_value(rng, kind, flat):
    if kind == "out" and rng.random() < 0.5:
        return num(rng.choice([1.5, -0.2, 2.0, 100.0, -1e-9, 1.0000001, 1e308]))
    if kind == "const":
        return num(0.5)
    if kind == "ties":
        return num(rng.choice([0.0, 0.25, 1.0]))
    if kind == "bands":
        return num(rng.choice([0.1, 0.3, 0.35, 0.5, 0.65, 0.7, 0.9, 1.0, 0.0]))
    return num(round(rng.betavariate(2, 2), rng.choice([2, 4, 12])))


def make_case(seed, index, tame=False):
    rng = random.Random("%d:%d" % (seed, index))
    c = {"index": index, "seed": seed}
    # ---- the table's columns
    misuse = None
    r = rng.random()
    if r < 0.03:
        misuse = "no_is_active"
    elif r < 0.04:
        misuse = "no_data_source"
    elif r < 0.045:
        misuse = "is_active_integer"
    elif r < 0.05:
        misuse = "result_text"
    elif r < 0.055:
        misuse = "fit_min_rows_low"
    elif r < 0.06:
        misuse = "ratio_negative"
    elif r < 0.065:
        misuse = "min_rows_negative"
    c["misuse"] = misuse
    flat = rng.random() < 0.1 and misuse != "result_text"
    c["flat"] = flat
    json_column = rng.random() < 0.4
    c["json"] = json_column and not flat
    name = "c%05d" % index
    if rng.random() < 0.1:
        name = rng.choice(['C%05d Tr"x', "c%05d ünï", "c%05d;drop", "C%05d"]) % index
    c["name"] = name
    c["qualified"] = '%s."%s"' % (SCHEMA, name.replace('"', '""'))
    cols = []
    cols.append(rng.choice(["id serial PRIMARY KEY", "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
                            "id bigserial PRIMARY KEY"]))
    if flat:
        cols.append("domain " + rng.choice(["text", "varchar(100)", "text NOT NULL DEFAULT ''"]))
        c["flat_numeric"] = rng.random() < 0.25
        cols.append("feature_vector " + ("numeric[]" if c["flat_numeric"] else "float8[]"))
        cols.append("effectiveness_score " + ("numeric" if c["flat_numeric"] else "float8"))
        c["flat_prompts"] = rng.random() < 0.7
        if c["flat_prompts"]:
            cols.append("original_prompt text")
            cols.append("enhanced_prompt text")
        if rng.random() < 0.5:
            cols.append("sample_id bigint")
        if rng.random() < 0.3:
            cols.append("tier text")
    else:
        cols.append("prompt_text " + rng.choice(["varchar(10000) NOT NULL", "text NOT NULL", "text"]))
        if misuse == "result_text":
            cols.append("enhancement_result text NOT NULL")
        else:
            cols.append("enhancement_result %s%s" % ("json" if json_column else "jsonb",
                                                      rng.choice([" NOT NULL", " NOT NULL", ""])))
    c["check_constraint"] = rng.random() < 0.3
    if misuse != "no_data_source":
        ds_type = rng.choice(["varchar(50) NOT NULL", "varchar(50) NOT NULL DEFAULT 'batch'", "text NOT NULL",
                              "varchar NOT NULL", "varchar(50)"])
        cols.append("data_source " + ds_type)
        if c["check_constraint"]:
            cols.append("CONSTRAINT ck_ds CHECK (data_source IN ('synthetic', 'real', 'user', 'api', 'batch'))")
    cols.append("training_priority " + rng.choice(["integer NOT NULL", "integer NOT NULL DEFAULT 50", "smallint",
                                                   "bigint NOT NULL"]))
    cols.append("created_at " + rng.choice(["timestamp NOT NULL", "timestamptz NOT NULL",
                                            "timestamp NOT NULL DEFAULT now()"]))
    stamp_types = ["timestamp", "timestamptz", None, None]
    odd_stamp = rng.random() < 0.05
    for col in ("updated_at", "deleted_at"):
        t = rng.choice(stamp_types)
        if odd_stamp and rng.random() < 0.7:
            t = "bigint" if col == "updated_at" else "boolean"
        if t:
            cols.append("%s %s NULL" % (col, t))
    if misuse == "is_active_integer":
        cols.append("is_active integer NOT NULL DEFAULT 1")
    elif misuse != "no_is_active":
        cols.append("is_active boolean" + rng.choice([" NOT NULL DEFAULT true", " NOT NULL DEFAULT true", ""]))
    c["nullable_active"] = cols[-1] == "is_active boolean"
    if rng.random() < 0.5:
        cols.append("session_id varchar(255) NULL")
    c["columns"] = cols
    c["indexes"] = rng.random() < 0.15
    c["active_type"] = "integer" if misuse == "is_active_integer" else ("none" if misuse == "no_is_active" else "bool")

    # ---- the rows
    bucket = rng.random()
    if bucket < 0.06:
        real = 0
    elif bucket < 0.3:
        real = rng.randint(1, 9)
    elif bucket < 0.75:
        real = rng.randint(10, 40)
    elif bucket < 0.96:
        real = rng.randint(41, 120)
    else:
        real = rng.randint(121, 350)
    dim = rng.choices([6, rng.randint(1, 8), rng.randint(9, 64), 64, 1], [30, 30, 30, 5, 5])[0]
    n_domains = rng.choices([1, 2, 3, 5, 8, 20, 60, 300], [20, 10, 10, 20, 10, 10, 5, 2])[0]
    if n_domains == 300 and real:  # more domains than a profile held (256)
        real = max(real, 300 + rng.randint(0, 40))
    # A profile holds a correlation matrix per domain: many domains of many
    # features make megabytes, which is a measure of speed, not of outcomes.
    while dim > 1 and n_domains * (dim + 1) ** 2 > 30000:
        dim -= 1
    c["main_dimension"] = dim
    kinds = [feature_kind(rng, tame) for _ in range(dim)]
    names_style = rng.choices(["design", "missing", "empty", "generic", "dup", "wrong_count", "nonstring", "blank",
                               "long", "mixed", "length_named"], [6, 2, 1, 2, 1, 1, 1, 1, 1, 1, 2])[0]
    if names_style == "design" and dim != DESIGN_DIMENSION:
        names_style = "generic"
    if names_style == "design":
        kinds[1] = feature_kind(rng, tame) if rng.random() < 0.2 else {"kind": "length"}
        kinds[3] = feature_kind(rng, tame) if rng.random() < 0.2 else {"kind": "complexity"}
    names = None
    if names_style == "design":
        names = list(DESIGN_NAMES)
    elif names_style == "generic":
        names = ["x%d" % i for i in range(dim)]
    elif names_style == "dup":
        names = ["x%d" % i for i in range(dim)]
        if dim > 1:
            names[rng.randrange(1, dim)] = names[0]
        else:
            names = ["x0", "x0"]
    elif names_style == "wrong_count":
        names = ["x%d" % i for i in range(dim + rng.choice([-1, 1, 3]))]
    elif names_style == "nonstring":
        names = [rng.choice([Num("1"), None, "n%d" % i, True]) for i in range(dim)]
    elif names_style == "blank":
        names = ["" for _ in range(dim)]
    elif names_style == "long":
        names = ["%d_" % i + "日本語" * rng.randint(8, 30) for i in range(dim)]
    elif names_style == "mixed":
        names = ["n%d%s" % (i, rng.choice(UNICODE_BITS + CONTROL_BITS)) for i in range(dim)]
    elif names_style == "length_named":
        names = ["x%d" % i for i in range(dim)]
        names[rng.randrange(dim)] = "length"
        li = names.index("length")
        kinds[li] = {"kind": "length"} if rng.random() < 0.8 else kinds[li]
        if dim > 1 and rng.random() < 0.5:
            ci = (li + 1) % dim
            names[ci] = "complexity"
            kinds[ci] = {"kind": "complexity"}
    elif names_style == "empty":
        names = []
    c["names_style"] = names_style
    n_domains = max(1, min(real if real else 1, n_domains))
    c["n_domains"] = n_domains
    dstyle = rng.choice(["design", "plain", "odd"] if n_domains <= 5 else ["plain", "odd"])
    domains = [domain_name(rng, i, dstyle) for i in range(n_domains)]
    poison = rng.choice([0.0, 0.0, 0.0, 0.02, 0.1, 0.5])
    other_dim_share = rng.choice([0.0, 0.0, 0.0, 0.1, 0.3, 0.5])
    score_kind = rng.choice(["beta", "beta", "beta", "const", "ties", "bands", "out"])
    prompt_kind = rng.choice(["plain", "plain", "plain", "long", "empty", "unicode", "control"])
    if rng.random() < 0.05 and names_style not in ("design",):
        # a \u0000 escape in a name or domain: json columns keep it
        if c["json"]:
            if names:
                names[0] = Raw('"a\\u0000b"')
            else:
                domains[0] = "nul\u0000domain"
    rows = []

    def row_doc(d_dim, kinds_here, source):
        fv = []
        for f in range(d_dim):
            if poison and rng.random() < poison / max(1, d_dim):
                fv.append(poison_value(rng, flat))
            else:
                p = kinds_here[f] if f < len(kinds_here) else {"kind": "unit"}
                fv.append(feature_value(rng, p))
        s = score_value(rng, score_kind, flat)
        if poison and rng.random() < poison / 2:
            s = rng.choice([None, "0.5", Num("1e400"), "missing", Num("-0.0")]) if not flat else \
                rng.choice(["NaN", "Infinity", "NULL", num(1.5)])
        # every domain appears once before any repeats
        dom = domains[len(rows)] if len(rows) < len(domains) else rng.choice(domains)
        return fv, s, dom

    def add_row(ds, active, d_dim, kinds_here, clean=False):
        fv, s, dom = row_doc(d_dim, kinds_here, ds)
        if clean:
            dom = "earlier batch"
        row = {"ds": ds, "active": active, "fv": fv, "score": s, "domain": dom, "ascii": rng.random() < 0.5,
               "prompt": text_of(rng, prompt_kind if rng.random() < 0.8 else "plain"),
               "enhanced": text_of(rng, prompt_kind if rng.random() < 0.8 else "plain"),
               "priority": rng.choice([100, 100, 50, 1, 1000])}
        if not flat:
            row["names"] = names if not clean else None
            if rng.random() < 0.1 and not clean:
                row["names"] = rng.choice([None, "missing", [], ["z%d" % i for i in range(d_dim)]])
            shape = rng.random()
            row["shape"] = "ok"
            if poison and shape < poison / 4:
                row["shape"] = rng.choice(["fv_missing", "fv_string", "fv_null", "fv_empty", "doc_array",
                                           "doc_string", "metadata_string", "domain_number", "doc_null"])
        rows.append(row)

    for _ in range(real):
        d_here, k_here = dim, kinds
        if other_dim_share and rng.random() < other_dim_share:
            d_here = rng.choice([rng.randint(1, 64), DESIGN_DIMENSION, max(1, dim - 1), dim + 1])
            if d_here > 64:
                d_here = 64
            k_here = [feature_kind(rng, tame) for _ in range(d_here)]
        active = True
        if c["nullable_active"] and rng.random() < 0.1:
            active = None
        add_row("real", active, d_here, k_here)
    # a stray row longer than any profile holds
    if real >= 5 and rng.random() < 0.03:
        add_row("real", True, rng.randint(65, 70), kinds)
    # inactive real rows, other sources, an older synthetic batch
    for _ in range(rng.choice([0, 0, 0, 2, 10])):
        add_row("real", False, rng.randint(1, 64), [])
    others = rng.choice([0, 0, 0, 3, 20, 60])
    other_dim = rng.choice([dim, DESIGN_DIMENSION, rng.randint(1, 64)])
    for _ in range(others):
        add_row(rng.choice(["user", "api", "batch"] + ([] if c["check_constraint"] else ["Real", "real ", "REAL"])),
                rng.random() < 0.8, other_dim, [feature_kind(rng, tame) for _ in range(other_dim)])
    old = rng.choice([0, 0, 0, 5, 30])
    old_dim = rng.choice([dim, DESIGN_DIMENSION, rng.randint(1, 64)])
    for _ in range(old):
        add_row("synthetic", rng.random() < 0.9, old_dim, [{"kind": "unit"}] * old_dim, clean=True)
    rng.shuffle(rows)
    c["rows"] = rows

    # ---- the call's arguments: small batches, so a case stays fast
    args = {"min_rows": rng.choice([0, 0, 5, 20, 40, 60])}
    ratio = rng.choice([None, None, 0.3, 0.0, 0.1, 0.5, 1.0])
    if ratio is not None:
        args["synthetic_ratio"] = ratio
    fmr = rng.choice([None, None, None, 15, 30])
    if fmr is not None:
        args["fit_min_rows"] = fmr
    if rng.random() < 0.3:
        args["priority"] = rng.randint(1, 1000)
    if rng.random() < 0.2:
        args["seed"] = rng.randint(0, 2 ** 62)
    if misuse == "fit_min_rows_low":
        args["fit_min_rows"] = rng.choice([0, 9, -1])
    elif misuse == "ratio_negative":
        args["synthetic_ratio"] = -0.5
    elif misuse == "min_rows_negative":
        args["min_rows"] = -1
    c["args"] = args
    c["tamper"] = rng.choice([None] * 17 + ["deactivate", "delete", "priority"])
    return c


# ---------------------------------------------------------------- SQL of a case


def row_sql_values(c, row, cur):
    """(column list, VALUES tuple text) of one row."""
    ascii_only = row["ascii"]
    active = row["active"]
    cols, vals = [], []
    if c["flat"]:
        def elem(v):
            if isinstance(v, str):
                return v
            if not isinstance(v, Num):
                return "NULL"
            return {"1e400": "Infinity", "-1e400": "-Infinity"}.get(v.text, v.text)
        cols += ["domain", "feature_vector", "effectiveness_score"]
        arr = "{" + ",".join(elem(v) for v in row["fv"]) + "}"
        s = row["score"]
        s_text = "NULL" if s == "NULL" else ("'%s'" % (s if isinstance(s, str) else s.text))
        typ = "numeric" if c.get("flat_numeric") else "float8"
        vals += [cur.mogrify("%s", (row["domain"].replace("\x00", ""),)).decode(),
                 "'%s'::%s[]" % (arr, typ), "%s::%s" % (s_text, typ)]
        if c.get("flat_prompts"):
            cols += ["original_prompt", "enhanced_prompt"]
            vals += [cur.mogrify("%s", (row["prompt"],)).decode(), cur.mogrify("%s", (row["enhanced"],)).decode()]
    else:
        meta = {"source": "fuzz", "domain": row["domain"], "generation_timestamp": "2026-01-01T00:00:00Z"}
        if row["names"] == "missing":
            pass
        elif row["names"] is not None:
            meta["feature_names"] = row["names"]
        shape = row.get("shape", "ok")
        if shape == "domain_number":
            meta["domain"] = Num("7")
        doc = {"enhanced_prompt": row["enhanced"], "original_prompt": row["prompt"]}
        if row["score"] != "missing":
            doc["effectiveness_score"] = row["score"]
        doc["feature_vector"] = row["fv"]
        doc["metadata"] = meta
        if shape == "fv_missing":
            del doc["feature_vector"]
        elif shape == "fv_string":
            doc["feature_vector"] = "[1, 2]"
        elif shape == "fv_null":
            doc["feature_vector"] = None
        elif shape == "fv_empty":
            doc["feature_vector"] = []
        elif shape == "metadata_string":
            doc["metadata"] = "technical"
        text = to_json(doc, ascii_only)
        if shape == "doc_array":
            text = "[" + text + "]"
        elif shape == "doc_string":
            text = json.dumps(text)
        elif shape == "doc_null":
            text = "null"
        cols += ["prompt_text", "enhancement_result"]
        vals += [cur.mogrify("%s", (row["prompt"],)).decode(), cur.mogrify("%s", (text,)).decode()]
    if c["misuse"] != "no_data_source":
        cols.append("data_source")
        vals.append("'%s'" % row["ds"])
    cols += ["training_priority", "created_at"]
    vals += [str(row["priority"]), "'2026-01-01 00:00:00'"]
    if c["active_type"] == "bool":
        cols.append("is_active")
        vals.append("NULL" if active is None else ("true" if active else "false"))
    elif c["active_type"] == "integer":
        cols.append("is_active")
        vals.append("1" if active is not False else "0")
    return cols, "(" + ", ".join(vals) + ")"


def setup_sql(c, cur):
    q = c["qualified"]
    out = ["CREATE TABLE %s (\n  %s)" % (q, ",\n  ".join(c["columns"]))]
    if c["indexes"] and not c["flat"]:
        for col in ("prompt_text", "data_source", "is_active", "created_at", "training_priority"):
            if any(x.startswith(col + " ") for x in c["columns"]):
                out.append("CREATE INDEX ON %s (%s)" % (q, col))
    groups = {}
    for row in c["rows"]:
        cols, vals = row_sql_values(c, row, cur)
        groups.setdefault(tuple(cols), []).append(vals)
    for cols, vals in groups.items():
        out.append("INSERT INTO %s (%s) VALUES\n%s" % (q, ", ".join(cols), ",\n".join(vals)))
    return ";\n".join(out) + ";\n"


def call_sql(c, cur, extra=None):
    args = dict(c["args"])
    if extra:
        args.update(extra)
    parts = [cur.mogrify("%s::regclass", (c["qualified"],)).decode()]
    for k, v in args.items():
        parts.append("%s => %s" % (k, repr(v) if not isinstance(v, float) else repr(v) + "::float8"))
    return "SELECT synth_refresh(%s)::text" % ", ".join(parts)


# ---------------------------------------------------------------- the model


def usable(c, row):
    if row["ds"] == "synthetic" or row["active"] is False:
        return False
    if c["flat"]:
        s = row["score"]
        if not isinstance(s, Num) or not (0 <= s.value() <= 1):
            return False
        return len(row["fv"]) > 0 and all(is_finite_number(v) for v in row["fv"])
    if row.get("shape", "ok") not in ("ok", "domain_number", "metadata_string"):
        return False
    s = row["score"]
    if not isinstance(s, Num) or not math.isfinite(s.value()) or not (0 <= s.value() <= 1):
        return False
    return len(row["fv"]) > 0 and all(is_finite_number(v) for v in row["fv"])


def expectations(c):
    """What the data allows: R (every active real row, the usable ones, those
    of the dominant dimension), and the outcomes: (kind, dimension)."""
    real = [r for r in c["rows"] if r["ds"] != "synthetic" and r["active"] is not False]
    good = [r for r in real if usable(c, r)]
    counts = {}
    for r in good:
        if len(r["fv"]) <= 64:
            counts[len(r["fv"])] = counts.get(len(r["fv"]), 0) + 1
    fit_min = c["args"].get("fit_min_rows", 10)
    outcomes = set()
    top = max(counts.values()) if counts else 0
    for d, n in counts.items():
        if n != top:
            continue
        if n >= fit_min:
            outcomes.add(("fitted", d))
            continue
        # Below fit_min_rows: the design table where the dimensions agree,
        # else no batch; a fit of the dominant dimension is tolerated where
        # synth_fit's own minimum of 10 usable rows is met (R may count
        # every active real row).
        if n >= 10:
            outcomes.add(("fitted", d))
        if d == DESIGN_DIMENSION:
            outcomes.add(("design", DESIGN_DIMENSION))
        else:
            outcomes.add(("none", 0))
    if not real:
        outcomes.add(("design", DESIGN_DIMENSION))
    elif not counts:  # real rows, none usable: the design table, or nothing
        outcomes.add(("design", DESIGN_DIMENSION))
        outcomes.add(("none", 0))
    r_values = {len(real), len(good), top, sum(counts.values())}
    return {"real": len(real), "usable": len(good), "dominant": top, "outcomes": outcomes, "r_values": r_values,
            "counts": counts}


def wanted(args, r):
    min_rows = args.get("min_rows", 1000)
    ratio = args.get("synthetic_ratio", 0.3)
    return max(min_rows - r, int(math.ceil(ratio * r)), 0)


def length_tied(c, design_batch, index, dimension):
    """Whether the batch must report the enhanced prompt's length at index
    (docs/profile.md: an integer feature named length, observed >= 1)."""
    if design_batch:
        return True
    if c["flat"]:  # fitted flat rows are named f1..fd
        return False
    good = [r for r in c["rows"] if usable(c, r) and len(r["fv"]) == dimension]
    if not good or index >= dimension:
        return False
    vals = [r["fv"][index].value() for r in good]
    return all(v == math.floor(v) for v in vals) and max(vals) >= 1


# ---------------------------------------------------------------- running


class Harness:
    def __init__(self, timeout, verbose=False):
        self.timeout = timeout
        self.verbose = verbose
        self.sync = psycopg2.connect("")
        self.sync.autocommit = True
        cur = self.sync.cursor()
        cur.execute("SET lock_timeout = '10s'; SET statement_timeout = '120s'")
        cur.execute("SELECT pg_catalog.current_setting('server_encoding')")
        self.encoding = cur.fetchone()[0]
        self.aconn = None
        self.connect_async()
        self.pending_drop = []
        self.stuck = []  # backends that no cancel or terminate ended

    def connect_async(self):
        self.aconn = psycopg2.connect("", async_=1,
                                      options="-c statement_timeout=%d" % int(self.timeout * 1000))
        self.wait(self.aconn, time.monotonic() + 30)
        self.apid = self.aconn.get_backend_pid()

    @staticmethod
    def wait(conn, deadline):
        while True:
            state = conn.poll()
            if state == psycopg2.extensions.POLL_OK:
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if state == psycopg2.extensions.POLL_READ:
                select.select([conn.fileno()], [], [], min(left, 1.0))
            elif state == psycopg2.extensions.POLL_WRITE:
                select.select([], [conn.fileno()], [], min(left, 1.0))

    def refresh(self, sql):
        """-> dict(kind='ok'|'error'|'badtext'|'hang'|'terminated'|'stuck', text, sqlstate, message, seconds)."""
        cur = self.aconn.cursor()
        del self.aconn.notices[:]
        t0 = time.monotonic()
        cur.execute(sql)
        try:
            done = self.wait(self.aconn, t0 + self.timeout + 10)
        except psycopg2.Error as e:
            primary = e.diag.message_primary or (e.pgerror or str(e)).strip()
            return {"kind": "error", "sqlstate": e.pgcode, "message": primary,
                    "full": (e.pgerror or str(e)).strip(), "seconds": time.monotonic() - t0}
        except (UnicodeDecodeError, ValueError) as e:
            return {"kind": "error", "sqlstate": "client", "message": "undecodable reply: %s" % e,
                    "seconds": time.monotonic() - t0}
        if done:
            try:
                text = cur.fetchone()[0]
            except (UnicodeDecodeError, ValueError) as e:
                return {"kind": "badtext", "message": str(e), "seconds": time.monotonic() - t0}
            return {"kind": "ok", "text": text, "seconds": time.monotonic() - t0,
                    "notices": list(self.aconn.notices)}
        # The statement_timeout did not end it: cancel, then terminate.
        how = "hang"
        self.aconn.cancel()
        try:
            ended = self.wait(self.aconn, time.monotonic() + 5)
        except psycopg2.Error:
            ended = True
        if not ended:
            how = "terminated"
            scur = self.sync.cursor()
            scur.execute("SELECT pg_catalog.pg_terminate_backend(%s)", (self.apid,))
            gone = False
            for _ in range(50):
                scur.execute("SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE pid = %s", (self.apid,))
                if scur.fetchone()[0] == 0:
                    gone = True
                    break
                time.sleep(0.1)
            if not gone:
                how = "stuck"
                self.stuck.append(self.apid)
        try:
            self.aconn.close()
        except psycopg2.Error:
            pass
        self.connect_async()
        return {"kind": how, "seconds": time.monotonic() - t0}

    def execute(self, sql, params=None, fetch=True):
        cur = self.sync.cursor()
        cur.execute(sql, params)
        return cur.fetchall() if fetch else None

    def drop_pending(self, force=False):
        if not self.pending_drop or (len(self.pending_drop) < 25 and not force):
            return
        names, self.pending_drop = self.pending_drop, []
        try:
            self.execute("DELETE FROM synth_refreshes WHERE target IN "
                         "(SELECT pg_catalog.to_regclass(x) FROM pg_catalog.unnest(%s::text[]) x)", (names,),
                         fetch=False)
        except psycopg2.Error:
            pass
        for name in names:
            try:
                self.execute("DROP TABLE IF EXISTS %s" % name, fetch=False)
            except psycopg2.Error:
                pass


def state_of(h, c):
    """The active synthetic rows and the other rows, as checked in SQL."""
    q = c["qualified"]
    syn = "data_source::text = 'synthetic'" if c["misuse"] != "no_data_source" else "false"
    act = "is_active IS NOT FALSE" if c["active_type"] == "bool" else "true"
    if c["flat"]:
        texts = ["domain"] + (["original_prompt", "enhanced_prompt"] if c.get("flat_prompts") else [])
        if any(col.startswith("tier ") for col in c["columns"]):
            texts.append("tier")
        nul = " OR ".join("pg_catalog.position(pg_catalog.textsend(%s), '\\x00'::bytea) > 0" % t for t in texts)
        length_expr = ("CASE WHEN feature_vector[2] <> pg_catalog.char_length(enhanced_prompt) THEN 1 END"
                       if c.get("flat_prompts") else "NULL::int")
        sql = f"""
          SELECT count(*) FILTER (WHERE syn AND act),
                 coalesce(pg_catalog.array_agg(DISTINCT coalesce(pg_catalog.array_length(feature_vector, 1), -1))
                          FILTER (WHERE syn AND act), '{{}}'),
                 count(*) FILTER (WHERE syn AND act AND ({nul})),
                 0, 0,
                 coalesce(pg_catalog.array_agg(DISTINCT lm) FILTER (WHERE syn AND act AND lm IS NOT NULL
                          AND pg_catalog.array_length(feature_vector, 1) = 6), '{{}}'),
                 count(*) FILTER (WHERE NOT syn AND act),
                 0
          FROM (SELECT *, {syn} AS syn, {act} AS act, {length_expr} AS lm FROM {q}) s"""
        validity = "SELECT count(*) FROM %s WHERE %s" % (q, " OR ".join(
            "pg_catalog.octet_length(pg_catalog.convert_to(%s, 'UTF8')) < 0" % t for t in texts))
    else:
        ecol = "enhancement_result::pg_catalog.jsonb" if c["json"] else "enhancement_result"
        design = json.dumps(DESIGN_NAMES)
        # Only the active synthetic rows are cast and looked into: a real
        # row's json may hold what jsonb refuses.
        sql = f"""
          SELECT count(*),
                 coalesce(pg_catalog.array_agg(DISTINCT CASE WHEN pg_catalog.jsonb_typeof(e->'feature_vector') = 'array'
                          THEN pg_catalog.jsonb_array_length(e->'feature_vector') ELSE -1 END), '{{}}'),
                 count(*) FILTER (WHERE pg_catalog.position(pg_catalog.textsend(prompt_text), '\\x00'::bytea) > 0),
                 count(*) FILTER (WHERE EXISTS (
                     SELECT 1 FROM pg_catalog.jsonb_path_query(e, 'strict $.**') v
                     WHERE pg_catalog.jsonb_typeof(v) = 'string'
                       AND pg_catalog.position(pg_catalog.textsend(v #>> '{{}}'), '\\x00'::bytea) > 0)),
                 count(*) FILTER (WHERE e->>'enhanced_prompt' LIKE '%Requirements: .%'),
                 coalesce(pg_catalog.array_agg(DISTINCT li) FILTER (WHERE li IS NOT NULL
                          AND (e->'feature_vector'->>li)::numeric <> pg_catalog.char_length(e->>'enhanced_prompt')), '{{}}'),
                 (SELECT count(*) FROM {q} WHERE NOT {syn} AND {act}),
                 count(*) FILTER (WHERE e->'metadata'->'feature_names' = '{design}'::pg_catalog.jsonb)
          FROM (SELECT prompt_text, {ecol} AS e FROM {q} WHERE {syn} AND {act}) s
               LEFT JOIN LATERAL (SELECT (x.o - 1)::int AS li FROM pg_catalog.jsonb_array_elements(
                            CASE WHEN pg_catalog.jsonb_typeof(e->'metadata'->'feature_names') = 'array'
                                 THEN e->'metadata'->'feature_names' ELSE '[]' END) WITH ORDINALITY x (n, o)
                        WHERE x.n = '"length"' LIMIT 1) l ON true
          """
        validity = (f"SELECT count(*) FROM {q} WHERE {syn} AND (pg_catalog.octet_length(pg_catalog.convert_to("
                    f"prompt_text, 'UTF8')) < 0 OR pg_catalog.octet_length(pg_catalog.convert_to("
                    f"enhancement_result::text, 'UTF8')) < 0)")
    out = {}
    try:
        (active, dims, nul_prompt, nul_doc, empty_req, length_bad, others, design_named), = h.execute(sql)
        out.update(active=active, dims=sorted(dims), nul_prompt=nul_prompt, nul_doc=nul_doc, empty_req=empty_req,
                   length_bad=sorted(length_bad), others=others, design_named=design_named)
    except psycopg2.Error as e:
        out["check_error"] = "%s %s" % (e.pgcode, normalise(e.diag.message_primary or ""))
        try:
            (active,), = h.execute("SELECT count(*) FROM %s WHERE %s AND %s" % (q, syn, act))
            out["active"] = active
        except psycopg2.Error:
            pass
        return out
    try:
        h.execute(validity)
    except psycopg2.Error as e:
        out["invalid_text"] = "%s %s" % (e.pgcode, normalise(e.diag.message_primary or ""))
    return out


def normalise(message):
    m = message.splitlines()[0] if message else ""
    m = re.sub(r'"[^"]*"', '"X"', m)
    m = re.sub(r"\d+(\.\d+)?(e[+-]?\d+)?", "N", m)
    return m[:140]


def parse_result(res):
    try:
        doc = json.loads(res["text"])
    except (ValueError, TypeError):
        return None
    return doc if isinstance(doc, dict) else None


def check_result_text(res, fail):
    text = res.get("text") or ""
    if "\x00" in text or "\\u0000" in text:
        fail("text", "the returned result holds a NUL")


def run_case(h, c, log=None):
    """-> list of (property, signature, detail)."""
    failures = []

    def fail(prop, sig, detail=""):
        failures.append((prop, sig, detail))

    say = log or (lambda *a: None)
    cur = h.sync.cursor()
    setup = setup_sql(c, cur)
    try:
        h.execute(setup, fetch=False)
    except psycopg2.Error as e:
        fail("harness", "the case's own table or rows were refused: %s %s" % (e.pgcode, normalise(e.pgerror)),
             (e.pgerror or "").strip())
        h.pending_drop.append(c["qualified"])
        return failures
    exp = expectations(c)
    say("case", {k: c[k] for k in ("misuse", "flat", "json", "names_style", "main_dimension", "tamper", "columns")})
    say("expect", {k: (sorted(v) if isinstance(v, set) else v) for k, v in exp.items()})

    def call(extra=None, tag="call"):
        sql = call_sql(c, cur, extra)
        res = h.refresh(sql)
        say(tag, sql, {k: v for k, v in res.items() if k != "notices"})
        if res["kind"] in ("hang", "terminated", "stuck"):
            fail("hangs", "synth_refresh ran past its statement_timeout and " + {
                "hang": "a cancel ended it",
                "terminated": "ignored a cancel; pg_terminate_backend ended it",
                "stuck": "ignored a cancel and pg_terminate_backend (5 s each)"}[res["kind"]])
            return None
        if res["kind"] == "badtext":
            fail("text", "the returned result is not valid text", res["message"])
            return None
        if res["kind"] == "error":
            if res["sqlstate"] == "57014":
                fail("hangs", "synth_refresh hit the statement_timeout (%d s)" % h.timeout)
                return None
            if c["misuse"]:
                allowed = MISUSE[c["misuse"]][1]
                if res["sqlstate"] not in allowed:
                    fail("errors", "misuse (%s) gave %s %s, not %s" % (
                        MISUSE[c["misuse"]][0], res["sqlstate"], normalise(res["message"]), "/".join(sorted(allowed))),
                        res["message"])
                return "misuse"
            fail("errors", "error %s %s" % (res["sqlstate"], normalise(res["message"])), res.get("full"))
            return None
        check_result_text(res, fail)
        doc = parse_result(res)
        if doc is None:
            fail("errors", "the result is not a JSON object", res.get("text"))
            return None
        if c["misuse"]:
            fail("errors", "misuse (%s) did not fail" % MISUSE[c["misuse"]][0])
            return None
        return doc

    first = call(tag="call1")
    if first is None:
        h.pending_drop.append(c["qualified"])
        return failures
    if first == "misuse":  # the second call must fail the same way
        call(tag="call2")
        h.pending_drop.append(c["qualified"])
        return failures
    state1 = state_of(h, c)
    say("state1", state1)
    check_state(c, exp, first, state1, fail, "first call")
    if first.get("refreshed") is not True:
        fail("noop", "the first refresh of a table answered refreshed = %s" % first.get("refreshed"))

    extra = None
    tampered = c["tamper"]
    if tampered == "deactivate":
        h.execute("UPDATE %s SET is_active = false WHERE data_source::text = 'synthetic'" % c["qualified"],
                  fetch=False)
    elif tampered == "delete":
        h.execute("DELETE FROM %s WHERE data_source::text = 'synthetic'" % c["qualified"], fetch=False)
    elif tampered == "priority":
        extra = {"priority": 1 + (c["args"].get("priority", 10) % 999)}
    second = call(extra, tag="call2")
    if second is None:
        h.pending_drop.append(c["qualified"])
        return failures
    had_batch = state1.get("active", 0) > 0
    if tampered:
        # The batch the last call wrote is gone (or asked for with another
        # priority): not a no-op while there was one; the next call is.
        if had_batch and second.get("refreshed") is not True:
            fail("noop", "after the batch was %s the refresh was a no-op" % {
                "deactivate": "deactivated by hand", "delete": "deleted by hand",
                "priority": "asked for with another priority"}[tampered])
        state2 = state_of(h, c)
        check_state(c, exp, second, state2, fail, "call after tampering")
        third = call(extra, tag="call3")
        if third is None:
            h.pending_drop.append(c["qualified"])
            return failures
        first, second, state1 = second, third, state2
    if second.get("refreshed") is not False:
        fail("noop", "the second call refreshed again (refreshed = %s)" % second.get("refreshed"))
    else:
        for key in ("synthetic_rows",):
            if key in second and key in first and second[key] != first[key]:
                fail("noop", "a no-op reports another %s than the call before" % key)
    try:
        (active, others), = h.execute(
            "SELECT count(*) FILTER (WHERE data_source::text = 'synthetic' AND %s), "
            "count(*) FILTER (WHERE data_source::text <> 'synthetic' AND %s) FROM %s" % (
                "is_active IS NOT FALSE", "is_active IS NOT FALSE", c["qualified"]))
        if second.get("refreshed") is False and "others" in state1 and (
                active != state1.get("active") or others != state1.get("others")):
            fail("noop", "a no-op changed the active rows")
    except psycopg2.Error:
        pass
    h.pending_drop.append(c["qualified"])
    return failures


def check_state(c, exp, res, st, fail, when):
    if "check_error" in st:
        if st["check_error"].startswith("22P05") or st["check_error"].startswith("22021"):
            fail("text", "a stored document does not read back: %s" % st["check_error"])
        else:
            fail("harness", "the check query failed: %s" % st["check_error"])
        return
    if st.get("nul_prompt"):
        fail("text", "NUL bytes in a stored prompt")
    if st.get("nul_doc"):
        fail("text", "NUL bytes in a string of the stored document")
    if "invalid_text" in st:
        fail("text", "stored text the server's verifier refuses: %s" % st["invalid_text"])
    if st.get("empty_req"):
        fail("text", "an enhanced prompt with an empty requirement list ('Requirements: .')")
    active = st["active"]
    dims = st["dims"]
    for li in st.get("length_bad", []):
        if active and len(dims) == 1:
            d = dims[0]
            if "fitted" in res:
                design_batch = res["fitted"] is False
            else:
                design_batch = st.get("design_named") == active and d == DESIGN_DIMENSION
            if length_tied(c, design_batch, li, d):
                fail("text", "the length feature differs from the enhanced prompt's char_length")
                break
    expected_others = sum(1 for r in c["rows"] if r["ds"] != "synthetic" and r["active"] is not False)
    if st["others"] != expected_others:
        fail("rows", "the refresh changed rows that are not synthetic (%s active, was %s)" % (
            st["others"], expected_others))
    s = res.get("synthetic_rows")
    r = res.get("real_rows")
    outcomes = exp["outcomes"]
    if len(dims) > 1:
        fail("rows", "active synthetic rows of several dimensions")
        return
    if not isinstance(s, int):
        fail("rows", "the result has no synthetic_rows count")
        return
    if active > 0:
        d = dims[0]
        if active != s:
            fail("rows", "%s active synthetic rows after the %s, S = %s" % (
                "fewer" if active < s else "more", when, "0" if s == 0 else "S"))
        if not any(k != "none" and dd == d for k, dd in outcomes):
            if d == DESIGN_DIMENSION and any(k == "none" for k, _ in outcomes):
                fail("rows", "a design-table batch (6 features) beside real rows of another dimension")
            elif any(k == "fitted" for k, _ in outcomes):
                fail("rows", "a batch of another dimension than the usable real rows'")
            else:
                fail("rows", "a batch of dimension %s where none is documented" % ("6" if d == 6 else "d"))
        if isinstance(r, int) and r not in exp["r_values"]:
            fail("rows", "real_rows is none of the active, usable or dominant-dimension real row counts")
        if isinstance(r, int) and s != wanted(c["args"], r):
            fail("rows", "S is not max(min_rows - R, ceil(ratio * R)) of the result's R")
    else:
        needs = isinstance(r, int) and wanted(c["args"], r) > 0
        if s > 0 and not any(k == "none" for k, _ in outcomes):
            fail("rows", "no active synthetic rows after the %s although S > 0" % when)
        elif needs and not any(k == "none" for k, _ in outcomes):
            kinds = sorted({k for k, _ in outcomes})
            fail("rows", "no synthetic rows where %s batch is documented" % "/".join(kinds))
    if isinstance(res.get("inserted"), int) and res.get("refreshed") is True and res["inserted"] != active:
        fail("rows", "inserted differs from the active synthetic rows after the %s" % when)


# ---------------------------------------------------------------- driver


def ensure_schema(h):
    """CREATE SCHEMA IF NOT EXISTS is not safe against a concurrent twin (both pass the check, one fails
    on the catalog's unique index), so the driver makes the schema before it starts the workers and a
    worker that still meets the race takes the other's schema as made."""
    try:
        h.execute("CREATE SCHEMA IF NOT EXISTS %s" % SCHEMA, fetch=False)
    except psycopg2.errors.UniqueViolation:
        pass


def worker(args, index_list, out):
    h = Harness(args.timeout)
    ensure_schema(h)
    t_start = time.monotonic()
    hangs = 0
    for i in index_list:
        if h.stuck or hangs >= args.max_hangs or time.monotonic() - t_start > args.budget:
            out.write(json.dumps({"case": i, "skipped": True}) + "\n")
            continue
        c = make_case(args.seed, i, args.tame)
        t0 = time.monotonic()
        try:
            fails = run_case(h, c)
        except Exception as e:  # the harness's own fault: reported, never hidden
            fails = [("harness", "exception in the fuzzer: %s" % type(e).__name__, repr(e)[:300])]
            try:
                h.sync.rollback()
            except psycopg2.Error:
                pass
        hangs += any(f[0] == "hangs" for f in fails)
        out.write(json.dumps({"case": i, "seconds": round(time.monotonic() - t0, 4), "failures": fails,
                              "misuse": c["misuse"], "real": sum(1 for r in c["rows"] if r["ds"] != "synthetic"),
                              "dimension": c["main_dimension"], "domains": c["n_domains"], "flat": c["flat"],
                              "json": c["json"], "names": c["names_style"]})
                  + "\n")
        out.flush()
        h.drop_pending()
    h.drop_pending(force=True)
    if h.stuck:
        out.write(json.dumps({"stuck": h.stuck}) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=int(os.environ.get("FUZZ_REFRESH_CASES", 2000)))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_REFRESH_SEED", 20261207)))
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("FUZZ_REFRESH_JOBS", 2)))
    ap.add_argument("--timeout", type=float, default=float(os.environ.get("FUZZ_REFRESH_TIMEOUT", 20)))
    ap.add_argument("--max-hangs", type=int, default=int(os.environ.get("FUZZ_REFRESH_MAX_HANGS", 3)))
    ap.add_argument("--budget", type=float, default=float(os.environ.get("FUZZ_REFRESH_BUDGET", 900)))
    ap.add_argument("--tame", action="store_true", default=os.environ.get("FUZZ_REFRESH_TAME", "") == "1")
    ap.add_argument("--worker", type=int, default=None)
    ap.add_argument("--case", type=int, default=None)
    ap.add_argument("--sql", type=int, default=None)
    args = ap.parse_args()

    if args.sql is not None:
        c = make_case(args.seed, args.sql, args.tame)
        conn = psycopg2.connect("")
        cur = conn.cursor()
        print("-- refresh fuzz case %d of seed %d%s (misuse: %s)" % (args.sql, args.seed,
              " tame" if args.tame else "", c["misuse"]))
        print("CREATE SCHEMA IF NOT EXISTS %s;" % SCHEMA)
        print(setup_sql(c, cur))
        print(call_sql(c, cur) + ";")
        print(call_sql(c, cur) + ";")
        return 0
    if args.case is not None:
        h = Harness(args.timeout, verbose=True)
        ensure_schema(h)
        c = make_case(args.seed, args.case, args.tame)
        h.execute("DROP TABLE IF EXISTS %s" % c["qualified"], fetch=False)
        fails = run_case(h, c, log=lambda *a: print(*a))
        for f in fails:
            print("FAIL", f)
        return 0
    if args.worker is not None:
        worker(args, range(args.worker, args.cases, args.jobs), sys.stdout)
        return 0

    t0 = time.monotonic()
    print("refresh fuzz: %d cases, master seed %d, %d jobs, statement_timeout %g s%s" % (
        args.cases, args.seed, args.jobs, args.timeout, ", tame values" if args.tame else ""))
    sys.stdout.flush()
    conn = psycopg2.connect("")
    conn.autocommit = True
    conn.cursor().execute("CREATE SCHEMA IF NOT EXISTS %s" % SCHEMA)
    conn.close()
    procs = []
    for k in range(args.jobs):
        cmd = [sys.executable, os.path.abspath(__file__), "--worker", str(k), "--jobs", str(args.jobs),
               "--cases", str(args.cases), "--seed", str(args.seed), "--timeout", str(args.timeout),
               "--max-hangs", str(args.max_hangs), "--budget", str(args.budget)]
        if args.tame:
            cmd.append("--tame")
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True))
    records, stuck, crashed = [], [], 0

    def read(p):
        for line in p.stdout:
            if line.startswith("{"):
                records.append(json.loads(line))

    readers = [threading.Thread(target=read, args=(p,)) for p in procs]
    for t in readers:
        t.start()
    for t in readers:
        t.join()
    for p in procs:
        if p.wait() != 0:
            crashed += 1
    for rec in [r for r in records if "stuck" in r]:
        stuck += rec["stuck"]
        records.remove(rec)
    seconds = time.monotonic() - t0
    ran = [r for r in records if not r.get("skipped")]
    if os.environ.get("FUZZ_REFRESH_RECORDS"):  # one JSON line per case, for a closer look
        with open(os.environ["FUZZ_REFRESH_RECORDS"], "w") as f:
            for r in sorted(ran, key=lambda r: r["case"]):
                f.write(json.dumps(r) + "\n")
    groups = {}
    for r in ran:
        for prop, sig, detail in r["failures"]:
            g = groups.setdefault((prop, sig), {"count": 0, "case": r["case"], "detail": detail})
            g["count"] += 1
            if r["case"] < g["case"]:
                g["case"], g["detail"] = r["case"], detail
    failed_cases = sum(1 for r in ran if r["failures"])
    slow = sorted(ran, key=lambda r: -r["seconds"])[:3]
    clean = [r["seconds"] for r in ran if not r["failures"]]
    print("cases run: %d of %d (%d misuse, %d with no real rows), %d failed; %.1f s (a passing case %.3f s on "
          "average; slowest cases %s)" % (
              len(ran), args.cases, sum(1 for r in ran if r["misuse"]), sum(1 for r in ran if r["real"] == 0),
              failed_cases, seconds, sum(clean) / max(1, len(clean)),
              ", ".join("%d: %.2f s" % (r["case"], r["seconds"]) for r in slow)))
    props = ["errors", "hangs", "text", "rows", "noop", "harness"]
    for prop in props:
        for (p, sig), g in sorted(groups.items(), key=lambda kv: (-kv[1]["count"], kv[0])):
            if p != prop:
                continue
            print("  %-7s %5d cases: %s" % (p, g["count"], sig))
            tame = " FUZZ_REFRESH_TAME=1" if args.tame else ""
            print("          reproduce: FUZZ_REFRESH_SEED=%d%s /usr/bin/python3 test/scripts/refresh_fuzz.py --case %d "
                  "(or --sql %d)" % (args.seed, tame, g["case"], g["case"]))
            if g["detail"]:
                print("          " + str(g["detail"]).replace("\n", " | ")[:300])
    if stuck:
        print("  backends no cancel or terminate ended: %s; the remaining cases were skipped" % stuck)
    skipped = sum(1 for r in records if r.get("skipped"))
    if crashed:
        print("  %d of %d workers exited with an error (the traceback is above): %d cases never ran"
              % (crashed, args.jobs, args.cases - len(records)))
    if skipped:
        print("  %d cases skipped: a worker stops at a backend nothing ends, after %d calls that overran the "
              "statement_timeout (FUZZ_REFRESH_MAX_HANGS) or after %g s (FUZZ_REFRESH_BUDGET)" % (
                  skipped, args.max_hangs, args.budget))
    complete = len(ran) == args.cases and not crashed
    summary = "%d cases, seed %d, %.0f s" % (len(ran), args.seed, seconds)
    names = {"errors": "refresh_fuzz_errors", "hangs": "refresh_fuzz_hangs", "text": "refresh_fuzz_text",
             "rows": "refresh_fuzz_rows", "noop": "refresh_fuzz_noop"}
    harness_bad = sum(g["count"] for (p, _), g in groups.items() if p == "harness")
    for prop, name in names.items():
        n = sum(1 for r in ran if any(f[0] == prop for f in r["failures"]))
        if n == 0 and complete and not harness_bad:
            print("ok %s - %s" % (name, summary))
        else:
            why = []
            if n:
                why.append("%d cases failed" % n)
            if not complete:
                why.append("only %d of %d cases ran" % (len(ran), args.cases))
            if harness_bad:
                why.append("%d harness failures" % harness_bad)
            print("not ok %s - %s (%s)" % (name, "; ".join(why), summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
