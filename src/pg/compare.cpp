// synth_compare() and synth_compare_report(): how close synthetic rows are to
// real ones, as jsonb and as a page of text for psql. Each side is read once,
// with the caller's rights, through table_reader; the engine does the rest.
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "engine/compare/compare_report.hpp"
#include "engine/compare/compare_side.hpp"
#include "engine/model/error.hpp"
#include "pg/bridge.hpp"
#include "pg/jsonb_text.hpp"
#include "pg/table_reader.hpp"

extern "C" {
#include "mb/pg_wchar.h"
}

namespace {

synth::CompareSideInput read_side(Oid relid, std::optional<std::string> data_source, const char* function_name) {
  synth::pg::TableReadRequest request;
  request.relid = relid;
  request.data_source = std::move(data_source);
  request.only_active = true;
  request.function_name = function_name;
  request.want_feature_names = true;
  synth::CompareSide collector;
  synth::CompareSideInput side;
  try {
    side.source = synth::pg::read_training_table(request, collector);
  } catch (const synth::Error& e) {
    // One table split by data_source needs the column; say how else to call.
    if (request.data_source && std::strcmp(e.sqlstate(), synth::sqlstate::kUndefinedColumn) == 0 &&
        std::string(e.what()).find("\"data_source\"") != std::string::npos)
      throw synth::Error(e.sqlstate(), e.what(),
                         "Without synthetic =>, the real and synthetic rows come from one table's data_source column.",
                         "Name the synthetic table: synthetic => 'synthetic_rows'.");
    throw;
  }
  side.rows_read = collector.rows_seen();
  side.columns = collector.finish();
  side.invalid = collector.invalid();
  return side;
}

// Arguments: (real regclass, synthetic regclass, holdout regclass,
// bootstrap integer, seed bigint).
synth::CompareReport build_report(FunctionCallInfo fcinfo, const char* function_name) {
  if (PG_ARGISNULL(0))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "real must not be NULL", "",
                       "Name the table of real rows, e.g. real => 'training_prompts'.");
  if (PG_ARGISNULL(3))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "bootstrap must not be NULL", "",
                       "Pass bootstrap => 0 to leave the intervals out.");
  if (PG_ARGISNULL(4)) throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "seed must not be NULL");
  synth::CompareOptions options;
  options.bootstrap = PG_GETARG_INT32(3);
  options.seed = static_cast<std::uint64_t>(PG_GETARG_INT64(4));
  if (options.bootstrap < 0 || options.bootstrap > synth::kMaxBootstrap)
    synth::throw_invalid_parameter(
        "bootstrap must be between 0 and " + std::to_string(synth::kMaxBootstrap) + ", not " +
            std::to_string(options.bootstrap),
        "bootstrap is the number of replicates behind each 95% interval.", "Use 0 to turn the intervals off.");

  const Oid real_table = PG_GETARG_OID(0);
  synth::CompareSideInput real, synthetic;
  if (PG_ARGISNULL(1)) {
    // One table: its real rows against its synthetic ones.
    real = read_side(real_table, std::string("real"), function_name);
    synthetic = read_side(real_table, std::string("synthetic"), function_name);
  } else {
    real = read_side(real_table, std::nullopt, function_name);
    synthetic = read_side(PG_GETARG_OID(1), std::nullopt, function_name);
  }
  std::optional<synth::CompareSideInput> holdout;
  if (!PG_ARGISNULL(2)) holdout = read_side(PG_GETARG_OID(2), std::nullopt, function_name);
  synth::pg::pg_guard([] { CHECK_FOR_INTERRUPTS(); });
  return synth::compare_sides(std::move(real), std::move(synthetic), std::move(holdout), options);
}

// Block characters only where the database encoding is UTF8: SQL_ASCII
// promises nothing about the client's, so it gets the ASCII page.
bool database_is_utf8() {
  return synth::pg::pg_guard([] { return static_cast<bool>(GetDatabaseEncoding() == PG_UTF8); });
}

}  // namespace

SYNTH_FUNCTION(synth_compare) {
  synth::CompareReport report = build_report(fcinfo, "synth_compare");
  PG_RETURN_DATUM(synth::pg::jsonb_from_json_text(synth::compare_report_json(report)));
}

SYNTH_FUNCTION(synth_compare_report) {
  ReturnSetInfo* result_info = synth::pg::page_result_context(fcinfo, "synth_compare_report");

  synth::CompareReport report = build_report(fcinfo, "synth_compare_report");
  synth::PageStyle style;
  style.unicode = database_is_utf8();
  const std::vector<std::string> lines = synth::compare_report_page(report, style);

  synth::pg::return_page_lines(result_info, lines, "synth_compare_report");
  return Datum(0);
}
