// synth_fit(): a profile of a table's real rows, read with the caller's rights
// (privileges and row-level security apply), in either layout: the pipeline's
// enhancement_result document (json or jsonb), or flat columns (domain,
// feature_vector, effectiveness_score). Rows stream through a cursor into the
// engine's ProfileFitter; the rows the pipeline's ML gate would drop (empty,
// non-numeric or non-finite features, a score outside [0, 1]) are skipped.
#include <map>
#include <string>
#include <vector>

#include "engine/model/error.hpp"
#include "engine/profile/profile_fit.hpp"
#include "pg/bridge.hpp"
#include "pg/fit_source.hpp"
#include "pg/jsonb_text.hpp"

extern "C" {
#include "utils/fmgrprotos.h"
}

namespace synth::pg {
namespace {

constexpr long kFetchRows = 10000;
constexpr std::size_t kMaxNameBytes = 63;

bool has_column(Oid relid, const char* name) { return get_attnum(relid, name) != InvalidAttrNumber; }

// One row, as plain data (filled inside pg_guard).
struct FitRow {
  bool usable;
  std::uint32_t dimension;
  double features[kMaxProfileFeatures];
  double score;
  int domain_length;
  char domain[kMaxNameBytes + 1];
  bool names_changed;  // this row's feature_names differ from the previous row's
  int name_count;
  char names[kMaxProfileFeatures][kMaxNameBytes + 1];
};

bool numeric_value(const JsonbValue& v, double& out) {
  if (v.type != jbvNumeric) return false;
  out = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(v.val.numeric)));
  return std::isfinite(out);
}

// Backend calls only: runs inside pg_guard.
void read_row(HeapTuple tuple, TupleDesc desc, FitRow& row, Jsonb*& last_names) {
  row.usable = false;
  row.names_changed = false;
  bool null = false;
  Datum d = SPI_getbinval(tuple, desc, 1, &null);
  row.domain_length = 0;
  if (!null) {
    text* t = DatumGetTextPP(d);
    row.domain_length = Min(static_cast<int>(VARSIZE_ANY_EXHDR(t)), static_cast<int>(kMaxNameBytes));
    std::memcpy(row.domain, VARDATA_ANY(t), row.domain_length);
  }
  if (row.domain_length == 0) {
    std::memcpy(row.domain, "unknown", 7);
    row.domain_length = 7;
  }
  Datum names = SPI_getbinval(tuple, desc, 4, &null);
  if (!null) {
    Jsonb* jb = DatumGetJsonbP(names);
    if (last_names == nullptr || VARSIZE(last_names) != VARSIZE(jb) || std::memcmp(last_names, jb, VARSIZE(jb)) != 0) {
      if (last_names != nullptr) pfree(last_names);
      last_names = static_cast<Jsonb*>(palloc(VARSIZE(jb)));
      std::memcpy(last_names, jb, VARSIZE(jb));
      row.names_changed = true;
      row.name_count = -1;
      if (JB_ROOT_IS_ARRAY(jb) && !JB_ROOT_IS_SCALAR(jb) && JB_ROOT_COUNT(jb) <= static_cast<int>(kMaxProfileFeatures)) {
        row.name_count = 0;
        JsonbIterator* it = JsonbIteratorInit(&jb->root);
        JsonbValue v;
        JsonbIteratorToken token;
        while ((token = JsonbIteratorNext(&it, &v, true)) != WJB_DONE) {
          if (token != WJB_ELEM) continue;
          if (v.type != jbvString || v.val.string.len == 0) {
            row.name_count = -1;
            break;
          }
          const int len = Min(v.val.string.len, static_cast<int>(kMaxNameBytes));
          std::memcpy(row.names[row.name_count], v.val.string.val, len);
          row.names[row.name_count][len] = '\0';
          ++row.name_count;
        }
      }
    }
  }
  Datum features = SPI_getbinval(tuple, desc, 2, &null);
  if (null) return;
  Jsonb* fv = DatumGetJsonbP(features);
  if (!JB_ROOT_IS_ARRAY(fv) || JB_ROOT_IS_SCALAR(fv)) return;
  const int count = static_cast<int>(JB_ROOT_COUNT(fv));
  if (count == 0) return;
  row.dimension = static_cast<std::uint32_t>(count);
  if (count > static_cast<int>(kMaxProfileFeatures)) {
    row.usable = true;  // the fitter reports the dimension it cannot hold
    return;
  }
  JsonbIterator* it = JsonbIteratorInit(&fv->root);
  JsonbValue v;
  JsonbIteratorToken token;
  int i = 0;
  while ((token = JsonbIteratorNext(&it, &v, true)) != WJB_DONE) {
    if (token != WJB_ELEM) continue;
    if (!numeric_value(v, row.features[i++])) return;
  }
  Datum score = SPI_getbinval(tuple, desc, 3, &null);
  if (null) return;
  Jsonb* sc = DatumGetJsonbP(score);
  JsonbValue sv;
  if (!JsonbExtractScalar(&sc->root, &sv) || !numeric_value(sv, row.score)) return;
  row.usable = row.score >= 0 && row.score <= 1;
}

}  // namespace

FitSource fit_source_rows(Oid relid, const char* data_source, bool only_active, const char* function_name,
                          ProfileFitter& fitter) {
  struct Plan {
    char* sql;
    char* table;
    bool found;
  };
  const Plan plan = pg_guard([&] {
    Plan p{};
    char* name = get_rel_name(relid);
    if (name == nullptr)
      ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE), errmsg("relation with OID %u does not exist", relid)));
    p.table = name;
    const char* qualified = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), name);
    StringInfoData where;
    initStringInfo(&where);
    if (data_source != nullptr && has_column(relid, "data_source"))
      appendStringInfoString(&where, " WHERE data_source::pg_catalog.text OPERATOR(pg_catalog.=) $1");
    else if (data_source != nullptr)
      appendStringInfoString(&where, " WHERE $1 IS NOT NULL");
    if (only_active && has_column(relid, "is_active"))
      appendStringInfo(&where, "%s is_active", where.len ? " AND" : " WHERE");
    StringInfoData sql;
    initStringInfo(&sql);
    const AttrNumber result = get_attnum(relid, "enhancement_result");
    if (result != InvalidAttrNumber) {
      appendStringInfo(&sql,
                       "SELECT e->'metadata'->>'domain', e->'feature_vector', e->'effectiveness_score', "
                       "e->'metadata'->'feature_names' FROM (SELECT enhancement_result::pg_catalog.jsonb AS e "
                       "FROM %s%s) AS s",
                       qualified, where.data);
      p.found = true;
    } else if (has_column(relid, "feature_vector") && has_column(relid, "effectiveness_score")) {
      appendStringInfo(&sql,
                       "SELECT %s, pg_catalog.to_jsonb(feature_vector), pg_catalog.to_jsonb(effectiveness_score), "
                       "NULL::pg_catalog.jsonb FROM %s%s",
                       has_column(relid, "domain") ? "domain::pg_catalog.text" : "NULL::pg_catalog.text", qualified,
                       where.data);
      p.found = true;
    }
    p.sql = sql.data;
    return p;
  });
  if (!plan.found)
    throw Error(sqlstate::kUndefinedColumn, std::string(function_name) + ": \"" + plan.table + "\" has no rows to fit",
                "The pipeline layout needs enhancement_result (json or jsonb); the flat layout needs "
                "feature_vector and effectiveness_score (and optionally domain).",
                "Point it at a view that names the columns so.");

  FitSource source;
  FitRow* row = static_cast<FitRow*>(pg_guard([] { return palloc(sizeof(FitRow)); }));
  Jsonb* last_names = nullptr;
  std::map<std::vector<std::string>, std::uint64_t> name_lists;
  std::vector<std::string>* current_names = nullptr;
  pg_guard([&] {
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  });
  Portal portal = pg_guard([&] {
    Oid types[1] = {TEXTOID};
    Datum values[1] = {data_source ? CStringGetTextDatum(data_source) : (Datum)0};
    const char nulls[1] = {data_source ? ' ' : 'n'};
    Portal p = SPI_cursor_open_with_args(nullptr, plan.sql, data_source ? 1 : 0, types, values, nulls, true, 0);
    if (p == nullptr) elog(ERROR, "SPI_cursor_open failed");
    return p;
  });
  std::vector<std::string> names_of_row;
  while (true) {
    const std::uint64_t fetched = pg_guard([&] {
      CHECK_FOR_INTERRUPTS();
      SPI_cursor_fetch(portal, true, kFetchRows);
      return static_cast<std::uint64_t>(SPI_processed);
    });
    if (fetched == 0) break;
    for (std::uint64_t r = 0; r < fetched; ++r) {
      pg_guard([&] { read_row(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, *row, last_names); });
      ++source.rows_read;
      if (row->names_changed) {
        names_of_row.clear();
        for (int i = 0; i < row->name_count; ++i) names_of_row.emplace_back(row->names[i]);
        current_names = row->name_count > 0 ? &names_of_row : nullptr;
      }
      if (!row->usable) continue;
      fitter.add(std::string_view(row->domain, static_cast<std::size_t>(row->domain_length)), row->features,
                 row->dimension, row->score);
      if (current_names != nullptr && current_names->size() == row->dimension) ++name_lists[*current_names];
    }
    pg_guard([] { SPI_freetuptable(SPI_tuptable); });
  }
  pg_guard([&] {
    SPI_cursor_close(portal);
    SPI_finish();
  });
  // The most common list of names wins (ties: the smallest), so row order never matters.
  std::uint64_t best = 0;
  for (const auto& [names, count] : name_lists)
    if (count > best) {
      best = count;
      source.feature_names = names;
    }
  source.table = plan.table;
  return source;
}

}  // namespace synth::pg

SYNTH_FUNCTION(synth_fit) {
  if (PG_ARGISNULL(0))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "source must not be NULL", {},
                       "Name the table or view of real rows, e.g. source => 'training_prompts'.");
  if (PG_ARGISNULL(2)) throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "only_active must not be NULL");
  const char* data_source =
      PG_ARGISNULL(1) ? nullptr
                      : synth::pg::pg_guard([&] { return static_cast<const char*>(text_to_cstring(PG_GETARG_TEXT_PP(1))); });
  synth::ProfileFitter fitter;
  synth::pg::FitSource source =
      synth::pg::fit_source_rows(PG_GETARG_OID(0), data_source, PG_GETARG_BOOL(2), "synth_fit", fitter);
  synth::Profile profile = fitter.fit(source.feature_names);
  PG_RETURN_DATUM(synth::pg::jsonb_from_json_text(synth::profile_json(profile)));
}

SYNTH_FUNCTION(synth_profile_hash) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  synth::Profile profile = synth::pg::read_profile(PG_GETARG_JSONB_P(0));
  PG_RETURN_DATUM(synth::pg::text_datum(synth::profile_hash(profile)));
}
