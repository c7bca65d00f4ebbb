"""The statements bench/run times: each synthdata call beside its plain-SQL counterpart.

Every function returns SQL text for n rows. The plain-SQL rows are what a careful engineer would
write without synthdata: words picked from arrays with random() and concatenated, six features and
a score from random(), the same columns and a document of the same keys.
"""

FEATURE_NAMES = """'["clarity", "length", "specificity", "complexity", "context_richness", "actionability"]'::jsonb"""

# Word lists sized so the plain-SQL prompts average about the lengths of synthdata's
# (bench.py prints both; original ~35, enhanced ~176 characters).
_PREFIXES = ["please", "can you", "i need you to", "help me", "quickly", "now"]
_TASKS = ["explain", "debug", "optimize", "write", "compare", "teach", "review", "summarize",
          "design", "draft", "analyze", "discuss"]
_SUBJECTS = ["a REST API for user accounts", "a poem on city rain", "quarterly churn data",
             "baking sourdough bread", "weekend plans", "a rate limiter", "a fable about a fox",
             "two pricing strategies", "changing a bike tire", "a career change",
             "a schema migration", "a letter from the future", "an A/B test result",
             "planting tomatoes", "music for focus", "a caching layer"]
_AUDIENCES = ["a backend platform team", "young readers at home", "an executive board",
              "a complete beginner", "a close friend", "a product manager", "a first-year student",
              "a senior code reviewer"]
_CLAUSES = ["cite the error codes", "show sample code", "list edge cases", "state complexity",
            "use vivid imagery", "keep a hopeful tone", "end with a twist", "state assumptions",
            "quantify uncertainty", "rank the options", "number each step", "list the tools",
            "warn of mistakes", "keep it short", "ask a question back", "use plain words"]


def _array(words):
    return "ARRAY[" + ",".join("'" + w.replace("'", "''") + "'" for w in words) + "]"


def _pick(words):
    """One element of a constant array, chosen per row (the array is folded at plan time)."""
    return f"({_array(words)})[1 + floor(random() * {len(words)})::int]"


def _enhanced():
    clauses = " || '; ' || ".join(_pick(_CLAUSES) for _ in range(6))
    return (f"initcap({_pick(_TASKS)}) || ' ' || {_pick(_SUBJECTS)} || ' for ' || {_pick(_AUDIENCES)}"
            f" || '. Requirements: ' || {clauses} || '.'")


def _original():
    return f"{_pick(_PREFIXES)} || ' ' || {_pick(_TASKS)} || ' ' || {_pick(_SUBJECTS)}"


def plain_rows(n):
    """Comparable rows with varied text, in synth_generate's columns, numbers rounded as synthdata
    rounds them (3 decimals, the score 4). OFFSET 0 keeps the subquery, so each random() runs
    once per row even when a column is used twice."""
    return f"""SELECT g::bigint AS sample_id,
       {_pick(['technical', 'creative', 'analytical', 'instructional', 'conversational'])} AS domain,
       {_pick(['low', 'medium', 'high'])} AS tier,
       {_original()} AS original_prompt,
       {_enhanced()} AS enhanced_prompt,
       ARRAY[round((0.4 + random() * 0.6) * 1000) / 1000, 60 + floor(random() * 241),
             round((0.3 + random() * 0.7) * 1000) / 1000, 1 + floor(random() * 8),
             round((0.5 + random() * 0.5) * 1000) / 1000, round((0.4 + random() * 0.6) * 1000) / 1000]
         AS feature_vector,
       round(random() * 10000) / 10000 AS effectiveness_score
FROM generate_series(1, {n}) AS g
OFFSET 0"""


# --- generate -------------------------------------------------------------------------------

def synth_generate_from(n):
    return f"SELECT count(*) FROM synth_generate({n}, 1)"


def synth_generate_select_list(n):
    # The SELECT-list call streams (value-per-call): no tuplestore.
    return f"SELECT count(*) FROM (SELECT synth_generate({n}, 1) AS r) AS s"


def bare_generate_series(n):
    return f"SELECT count(*) FROM generate_series(1, {n})"


def plain_varied_materialized(n):
    return f"WITH x AS MATERIALIZED ({plain_rows(n)}) SELECT count(*) FROM x"


def floor_constant_materialized(n, l1, l2):
    # docs/design.md §4: constant rows of synth_generate's shape, materialized.
    return f"""WITH x AS MATERIALIZED (SELECT g::bigint, 'technical'::text, 'medium'::text, repeat('x', {l1}),
       repeat('y', {l2}), '{{0.5,200,0.8,5,0.7,0.9}}'::float8[], 0.5::float8
       FROM generate_series(1, {n}) g) SELECT count(*) FROM x"""


PROMPT_LENGTHS = """SELECT round(avg(length(original_prompt)))::int, round(avg(length(enhanced_prompt)))::int
FROM synth_generate({n}, 1)"""

PLAIN_PROMPT_LENGTHS = """SELECT round(avg(length(original_prompt)))::int, round(avg(length(enhanced_prompt)))::int
FROM ({rows}) AS r"""


# --- insert ---------------------------------------------------------------------------------

TABLE = "training_prompts"
RESET_TABLE = f"TRUNCATE {TABLE} RESTART IDENTITY"


def synth_insert(n):
    return f"SELECT synth_insert('{TABLE}', {n}, seed => 1)"


def plain_insert(n):
    """INSERT ... SELECT of comparable rows: the same columns and a document with the same keys,
    built with jsonb_build_object per row; the constant parts are jsonb literals."""
    return f"""INSERT INTO {TABLE} (prompt_text, enhancement_result, data_source, training_priority, created_at)
SELECT r.original_prompt,
       jsonb_build_object(
         'enhanced_prompt', r.enhanced_prompt,
         'effectiveness_score', r.effectiveness_score,
         'feature_vector', to_jsonb(r.feature_vector),
         'metadata', jsonb_build_object(
           'source', 'plain_sql', 'domain', r.domain, 'tier', r.tier, 'seed', 1, 'n', {n},
           'sample_id', r.sample_id, 'label_noise', 0.05, 'tier_shares', '[0.25, 0.5, 0.25]'::jsonb,
           'feature_names', {FEATURE_NAMES}, 'domain_weights', NULL, 'generator_version', 1,
           'quality_validated', true, 'generation_timestamp', now())),
       'synthetic', 10, now()
FROM ({plain_rows(n)}) AS r"""


# --- validate -------------------------------------------------------------------------------

VALIDATE = f"SELECT synth_validate('{TABLE}') IS NOT NULL"

_FEATURES = ["clarity", "length", "specificity", "complexity", "context_richness", "actionability"]


def plain_validate():
    """The statistics synth_validate reports, as plain SQL: row count, score moments, per-feature
    moments, tier counts and pairwise (and label) correlations in one scan; domain counts in a
    second. The features are pulled out of the jsonb once per row (OFFSET 0 keeps the subquery;
    without it every aggregate would re-extract them)."""
    extract = ",\n       ".join(
        f"(e->'feature_vector'->>{i})::float8 AS {name}" for i, name in enumerate(_FEATURES))
    aggs = ["count(*) AS rows",
            "count(*) FILTER (WHERE s BETWEEN 0.0 AND 0.3) AS tier_low",
            "count(*) FILTER (WHERE s BETWEEN 0.4 AND 0.6) AS tier_medium",
            "count(*) FILTER (WHERE s BETWEEN 0.7 AND 1.0) AS tier_high",
            "min(s)", "max(s)", "avg(s)", "stddev_pop(s)"]
    for name in _FEATURES:
        aggs += [f"min({name})", f"max({name})", f"avg({name})", f"stddev_pop({name})"]
    for i, a in enumerate(_FEATURES):
        for b in _FEATURES[i + 1:]:
            aggs.append(f"corr({a}, {b})")
        aggs.append(f"corr({a}, s)")
    moments = f"""SELECT {(',' + chr(10) + '       ').join(aggs)}
FROM (SELECT (e->>'effectiveness_score')::float8 AS s,
       {extract}
      FROM (SELECT enhancement_result AS e FROM {TABLE}
            WHERE is_active) AS t
      OFFSET 0) AS v"""
    domains = f"""SELECT enhancement_result->'metadata'->>'domain' AS domain, count(*)
FROM {TABLE} WHERE is_active GROUP BY 1"""
    return [moments, domains]


# --- memory ---------------------------------------------------------------------------------

# The pipeline's table less its foreign key (LIKE copies columns, defaults, CHECKs and indexes, not
# FKs): PostgreSQL queues one after-trigger event per row inserted into a table with an FK, and
# that queue, not synthdata, grows with n.
TABLE_NO_FK = "training_prompts_no_fk"
CREATE_TABLE_NO_FK = f"CREATE TABLE IF NOT EXISTS {TABLE_NO_FK} (LIKE {TABLE} INCLUDING ALL)"


def synth_insert_no_fk(n):
    return f"SELECT synth_insert('{TABLE_NO_FK}', {n}, seed => 1)"


MEMORY_CASES = [
    # (name, statement for n rows, what to empty first, counts for the goal, largest n)
    ("synth_generate (FROM)", synth_generate_from, None, True, None),
    ("synth_generate (SELECT list)", synth_generate_select_list, None, True, None),
    ("synth_insert", synth_insert, RESET_TABLE, True, None),
    ("synth_insert, table without the FK", synth_insert_no_fk, f"TRUNCATE {TABLE_NO_FK}", False, None),
    # For reference only; 10M rows of it take about a quarter of an hour.
    ("plain SQL INSERT ... SELECT (reference)", plain_insert, RESET_TABLE, False, 1_000_000),
]
