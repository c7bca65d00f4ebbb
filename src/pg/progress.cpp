// Start, progress and end NOTICEs of long runs: see progress.hpp.
#include "pg/progress.hpp"

#include <cmath>

#include "engine/model/number_text.hpp"
#include "pg/bridge.hpp"
#include "pg/settings.hpp"

extern "C" {
#include "catalog/pg_class.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
}

namespace synth::pg {
namespace {

// Seconds since `began`, to a tenth, as a person reads them.
std::string seconds_since(TimestampTz began) {
  const TimestampTz now = pg_guard([] { return GetCurrentTimestamp(); });
  const double seconds = static_cast<double>(now - began) / 1e6;
  return format_readable(std::round(seconds * 10.0) / 10.0) + " s";
}

void notice(const std::string& line) {
  const char* text = line.c_str();
  pg_guard([text] { ereport(NOTICE, (errmsg("%s", text))); });
}

// An end line; how long the run took goes in its DETAIL, so the line itself
// is the same on every run.
void end_notice(const std::string& line, TimestampTz began) {
  const std::string took = "It took " + seconds_since(began) + ".";
  const char* text = line.c_str();
  const char* detail = took.c_str();
  pg_guard([text, detail] { ereport(NOTICE, (errmsg("%s", text), errdetail("%s", detail))); });
}

}  // namespace

std::int64_t progress_interval() { return progress_interval_rows > 0 ? progress_interval_rows : 0; }

ReadProgress::ReadProgress(ObservationSink& next, const char* function, Oid relid)
    : next_(next), function_(function), interval_(progress_interval()) {
  if (interval_ == 0) return;
  struct Facts {
    const char* name;
    float4 reltuples;
  };
  const Facts facts = pg_guard([relid] {
    Facts f{nullptr, -1};
    const char* relname = get_rel_name(relid);
    if (relname != nullptr)
      f.name = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), relname);
    HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (HeapTupleIsValid(tuple)) {
      f.reltuples = reinterpret_cast<Form_pg_class>(GETSTRUCT(tuple))->reltuples;
      ReleaseSysCache(tuple);
    }
    return f;
  });
  table_ = facts.name != nullptr ? facts.name : "the table";
  if (facts.reltuples >= 0)
    estimate_ = " (about " + std::to_string(static_cast<long long>(facts.reltuples)) + " rows in the table)";
  began_ = pg_guard([] { return GetCurrentTimestamp(); });
}

void ReadProgress::add(const RowObservation& row) {
  next_.add(row);
  if (interval_ == 0 || ++rows_ % static_cast<std::uint64_t>(interval_) != 0) return;
  if (!started_) {
    started_ = true;
    notice(std::string(function_) + ": reading " + table_ + estimate_);
  }
  notice(std::string(function_) + ": " + std::to_string(rows_) + " rows read from " + table_);
}

void ReadProgress::finish() {
  if (!started_) return;
  end_notice(std::string(function_) + ": read " + std::to_string(rows_) + " rows of " + table_, began_);
}

void insert_finished(const char* table, std::int64_t inserted, std::int64_t n, TimestampTz began) {
  const std::int64_t interval = progress_interval();
  if (interval == 0 || n <= interval) return;
  end_notice("synth_insert: " + std::to_string(inserted) + " rows inserted into " + table, began);
}

}  // namespace synth::pg
