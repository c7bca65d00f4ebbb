#include "pg/table_plan.hpp"

#include <optional>
#include <string_view>

#include "engine/model/error.hpp"
#include "pg/bridge.hpp"

extern "C" {
#include "storage/lmgr.h"
}

namespace synth::pg {
namespace {

// Backend calls only: run inside pg_guard.
ColumnFacts column_facts(Oid relid, const char* name) {
  ColumnFacts c{};
  c.attnum = get_attnum(relid, name);
  if (c.attnum == InvalidAttrNumber || c.attnum < 0) {
    c.attnum = InvalidAttrNumber;
    return c;
  }
  c.type = getBaseType(get_atttype(relid, c.attnum));
  Oid element = get_element_type(c.type);
  if (OidIsValid(element)) {
    c.element_type = getBaseType(element);
    get_typlenbyvalalign(element, &c.element_length, &c.element_byval, &c.element_align);
  }
  c.selectable = DatumGetBool(DirectFunctionCall3(has_column_privilege_id_attnum, ObjectIdGetDatum(relid),
                                                  Int16GetDatum(c.attnum), CStringGetTextDatum("SELECT")));
  return c;
}

std::string type_name(Oid type) {
  const char* name = pg_guard([type] { return static_cast<const char*>(format_type_be(type)); });
  return name;
}

std::string quoted(std::string_view column) { return "\"" + std::string(column) + "\""; }
std::string sql_literal(const std::string& value) {
  const char* text = value.c_str();
  const char* literal = pg_guard([text] { return static_cast<const char*>(quote_literal_cstr(text)); });
  return literal;
}
std::string as_text(std::string_view column) { return "CAST(" + quoted(column) + " AS pg_catalog.text)"; }

[[noreturn]] void no_usable_columns(const std::string& table, const char* function_name) {
  throw Error(sqlstate::kUndefinedColumn, "table " + table + " has no columns " + function_name + " can read",
              "The pipeline layout needs enhancement_result (json or jsonb), and prompt_text "
              "to count distinct prompts; the flat layout needs feature_vector (float8[], "
              "real[] or numeric[]) and effectiveness_score (a number), optionally domain "
              "and original_prompt.");
}

[[noreturn]] void wrong_type(const std::string& table, const char* column, Oid type, const char* wanted) {
  throw Error(sqlstate::kDatatypeMismatch, std::string("column \"") + column + "\" of table " + table +
                                               " is of type " + type_name(type) + ", not " + wanted);
}

// What a plan is being built from, and what it has gathered so far.
struct PlanDraft {
  const TableFacts& facts;
  const TableReadRequest& request;
  std::string table;
  Plan plan;
  std::vector<const ColumnFacts*> read;  // every column the query touches
  std::vector<std::string> select;
  std::vector<std::string> where;

  // Selects `sql` (a column of `column`), read as `type`; its 1-based position.
  int add_column(const ColumnFacts& column, std::string sql, Oid type) {
    select.push_back(std::move(sql));
    plan.column_types.push_back(type);
    read.push_back(&column);
    return static_cast<int>(select.size());
  }
};

// The pipeline layout: enhancement_result (json or jsonb), and prompt_text
// to count distinct prompts.
void plan_pipeline_columns(PlanDraft& draft) {
  const TableFacts& facts = draft.facts;
  RowLayout& layout = draft.plan.layout;
  const ColumnFacts& result = facts.enhancement_result;
  layout.pipeline = true;
  layout.json_text = result.type == JSONOID;
  layout.result_column = draft.add_column(result, quoted("enhancement_result"), result.type);
  if (facts.prompt_text.present())
    layout.prompt_column = draft.add_column(facts.prompt_text, as_text("prompt_text"), TEXTOID);
  draft.plan.source.layout = "pipeline";
  draft.plan.source.column_type = layout.json_text ? "json" : "jsonb";
}

// The flat layout: feature_vector (an array of numbers) and
// effectiveness_score (a number), optionally domain and original_prompt.
void plan_flat_columns(PlanDraft& draft) {
  const TableFacts& facts = draft.facts;
  RowLayout& layout = draft.plan.layout;
  const ColumnFacts& result = facts.enhancement_result;
  const ColumnFacts& features = facts.feature_vector;
  const ColumnFacts& score = facts.effectiveness_score;
  if (!features.present() || !score.present()) {
    if (result.present()) wrong_type(draft.table, "enhancement_result", result.type, "json or jsonb");
    no_usable_columns(draft.table, draft.request.function_name);
  }
  layout.element_type = number_type(features.element_type);
  if (!OidIsValid(features.element_type) || layout.element_type == NumberType::kNone)
    wrong_type(draft.table, "feature_vector", features.type, "an array of numbers");
  layout.score_type = number_type(score.type);
  if (layout.score_type == NumberType::kNone)
    wrong_type(draft.table, "effectiveness_score", score.type, "a number");
  layout.element_length = features.element_length;
  layout.element_byval = features.element_byval;
  layout.element_align = features.element_align;
  layout.features_column = draft.add_column(features, quoted("feature_vector"), features.type);
  layout.score_column = draft.add_column(score, quoted("effectiveness_score"), score.type);
  if (facts.domain.present())
    layout.domain_column = draft.add_column(facts.domain, as_text("domain"), TEXTOID);
  if (facts.original_prompt.present())
    layout.prompt_column = draft.add_column(facts.original_prompt, as_text("original_prompt"), TEXTOID);
  draft.plan.source.layout = "flat";
  draft.plan.source.column_type = type_name(features.type);
}

void plan_columns(PlanDraft& draft) {
  const TableFacts& facts = draft.facts;
  const ColumnFacts& result = facts.enhancement_result;
  if (result.present() && (result.type == JSONBOID || result.type == JSONOID))
    plan_pipeline_columns(draft);
  else if (facts.feature_vector.present() || facts.effectiveness_score.present())
    plan_flat_columns(draft);
  else if (result.present())
    wrong_type(draft.table, "enhancement_result", result.type, "json or jsonb");
  else
    no_usable_columns(draft.table, draft.request.function_name);
}

// The real rows (synth_fit, synth_compare, synth_refresh): by real_sources,
// or every data_source but 'synthetic'.
void plan_real_rows(PlanDraft& draft) {
  const TableReadRequest& request = draft.request;
  const ColumnFacts& data_source = draft.facts.data_source;
  if (request.real_sources) {
    if (!data_source.present())
      throw Error(
          sqlstate::kUndefinedColumn, "column \"data_source\" does not exist in table " + draft.table,
          std::string("real_sources names data_source values, but the table has no data_source column."),
          "Leave real_sources out (NULL): every row of a table without data_source counts as real.");
    std::string list;
    for (const std::string& name : *request.real_sources)
      list += (list.empty() ? "" : ", ") + sql_literal(name);
    draft.where.push_back(as_text("data_source") + " OPERATOR(pg_catalog.=) ANY (ARRAY[" + list +
                          "]::pg_catalog.text[])");
    draft.read.push_back(&data_source);
    draft.plan.source.sources = real_sources_phrase(request.real_sources);
  } else if (data_source.present()) {
    draft.where.push_back(as_text("data_source") + " IS DISTINCT FROM 'synthetic'");
    draft.read.push_back(&data_source);
    draft.plan.source.sources = real_sources_phrase(std::nullopt);
  } else {
    draft.plan.source.sources = kAllRows;
  }
}

// The WHERE conditions; whether is_active filters the rows.
bool plan_filters(PlanDraft& draft) {
  const TableReadRequest& request = draft.request;
  const TableFacts& facts = draft.facts;
  if (!request.data_source && request.real_rows) plan_real_rows(draft);
  if (request.data_source && !(request.data_source_optional && !facts.data_source.present())) {
    if (!facts.data_source.present())
      throw Error(sqlstate::kUndefinedColumn, "column \"data_source\" does not exist in table " + draft.table,
                  request.missing_data_source_advice
                      ? request.missing_data_source_advice->first
                      : "A data_source filter was given, but the table has no data_source column.",
                  request.missing_data_source_advice ? request.missing_data_source_advice->second
                                                     : "Pass data_source => NULL to read every row.");
    draft.where.push_back(as_text("data_source") + " OPERATOR(pg_catalog.=) $1");
    draft.read.push_back(&facts.data_source);
  }
  if (!request.only_active || !facts.is_active.present()) return false;
  if (facts.is_active.type != BOOLOID) wrong_type(draft.table, "is_active", facts.is_active.type, "boolean");
  draft.where.push_back(quoted("is_active") + " IS NOT FALSE");
  draft.read.push_back(&facts.is_active);
  return true;
}

// Column privileges are enough when the table privilege is missing.
void check_privileges(const PlanDraft& draft) {
  if (draft.facts.table_selectable) return;
  for (const ColumnFacts* column : draft.read) {
    if (!column->selectable)
      throw Error("42501", "permission denied for table " + draft.table,
                  std::string(draft.request.function_name) +
                      " reads the table with the caller's rights and needs SELECT on it.");
  }
}

std::string where_clause(const std::vector<std::string>& where) {
  std::string out;
  for (std::size_t i = 0; i < where.size(); ++i) out += (i ? " AND " : " WHERE ") + where[i];
  return out;
}

// The pipeline's own operators pick the names out (-> returns NULL for a
// document of another shape, so bad documents are passed over, never an
// error), stopping at the first row that has an array of them.
std::string feature_names_query(const PlanDraft& draft) {
  const bool json_text = draft.plan.layout.json_text;
  const std::string kind = json_text ? "json" : "jsonb";
  const std::string names = quoted("enhancement_result") +
                            " OPERATOR(pg_catalog.->) 'metadata' OPERATOR(pg_catalog.->) 'feature_names'";
  std::string q = "SELECT ARRAY(SELECT CASE WHEN pg_catalog." + kind +
                  "_typeof(e) OPERATOR(pg_catalog.=) 'string' THEN e OPERATOR(pg_catalog.#>>) '{}' ELSE '' "
                  "END FROM pg_catalog." +
                  kind + "_array_elements(n) WITH ORDINALITY AS a (e, i) ORDER BY i) FROM (SELECT " + names +
                  " AS n FROM " + draft.table + where_clause(draft.where);
  // A json document whose escapes json's operators cannot decode (U+0000,
  // a lone surrogate, or a character the server encoding lacks) makes them
  // fail (22P05), even for another key, and newer servers decode every
  // escape of the document: the names of a json document with any escape
  // beyond ASCII are passed over, as a row without names is. (A json
  // value's text is its literal; the row's other fields are read by the
  // engine's scanner, which counts what it cannot decode.)
  if (json_text) {
    q += std::string(draft.where.empty() ? " WHERE " : " AND ") + "NOT " + quoted("enhancement_result") +
         "::pg_catalog.text OPERATOR(pg_catalog.~) E'\\\\\\\\u(0000|(?!00[0-7][0-9a-fA-F]))'";
  }
  q += ") AS d WHERE pg_catalog." + kind + "_typeof(n) OPERATOR(pg_catalog.=) 'array' LIMIT 1";
  return q;
}

}  // namespace

TableFacts table_facts(Oid relid) {
  return pg_guard([relid] {
    TableFacts facts{};
    if (get_rel_name(relid) == nullptr) return facts;
    if (!ConditionalLockRelationOid(relid, AccessShareLock)) {
      facts.waited = true;
      LockRelationOid(relid, AccessShareLock);
    }
    // The relation may have been dropped while we waited for the lock.
    char* name = get_rel_name(relid);
    if (name == nullptr) {
      facts.dropped_while_waiting = true;
      return facts;
    }
    facts.exists = true;
    facts.relkind = get_rel_relkind(relid);
    facts.qualified_name = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), name);
    facts.table_selectable = DatumGetBool(
        DirectFunctionCall2(has_table_privilege_id, ObjectIdGetDatum(relid), CStringGetTextDatum("SELECT")));
    facts.enhancement_result = column_facts(relid, "enhancement_result");
    facts.prompt_text = column_facts(relid, "prompt_text");
    facts.feature_vector = column_facts(relid, "feature_vector");
    facts.effectiveness_score = column_facts(relid, "effectiveness_score");
    facts.domain = column_facts(relid, "domain");
    facts.original_prompt = column_facts(relid, "original_prompt");
    facts.data_source = column_facts(relid, "data_source");
    facts.is_active = column_facts(relid, "is_active");
    return facts;
  });
}

Plan plan_read(const TableFacts& facts, const TableReadRequest& request) {
  PlanDraft draft{facts, request, facts.qualified_name, {}, {}, {}, {}};
  plan_columns(draft);
  const bool active_filter = plan_filters(draft);
  check_privileges(draft);

  std::string query = "SELECT ";
  for (std::size_t i = 0; i < draft.select.size(); ++i) query += (i ? ", " : "") + draft.select[i];
  Plan& plan = draft.plan;
  plan.query = query + " FROM " + draft.table + where_clause(draft.where);
  if (request.want_feature_names && plan.layout.pipeline) plan.names_query = feature_names_query(draft);
  plan.source.table = draft.table;
  plan.source.data_source = request.data_source;
  plan.source.only_active = active_filter;
  plan.source.has_prompt_column = plan.layout.prompt_column != 0;
  return std::move(draft.plan);
}

}  // namespace synth::pg
