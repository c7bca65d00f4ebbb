// synth_compare() and synth_compare_report(): how close synthetic rows are to
// real ones, as jsonb and as a page of text for psql; synth_compare_detail():
// the distributions and correlations a picture of the comparison draws. Each side is read once,
// with the caller's rights, through table_reader; the engine does the rest.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/compare/compare_detail.hpp"
#include "engine/compare/compare_report.hpp"
#include "engine/compare/compare_side.hpp"
#include "engine/model/error.hpp"
#include "engine/model/number_text.hpp"
#include "pg/bridge.hpp"
#include "pg/progress.hpp"
#include "pg/jsonb_text.hpp"
#include "pg/table_reader.hpp"

extern "C" {
#include "mb/pg_wchar.h"
}

namespace {

// How a side picks its rows: one data_source, the real rows (real_sources,
// or every data_source but 'synthetic'), or every row.
struct SidePick {
  std::optional<std::string> data_source;
  bool real_rows = false;
  std::optional<std::vector<std::string>> real_sources;
};

synth::CompareSideInput read_side(Oid relid, SidePick pick, const char* function_name) {
  synth::pg::TableReadRequest request;
  request.relid = relid;
  request.data_source = std::move(pick.data_source);
  request.real_rows = pick.real_rows;
  request.real_sources = std::move(pick.real_sources);
  request.only_active = true;
  request.function_name = function_name;
  request.want_feature_names = true;
  // One table split by data_source needs the column; say how else to call.
  request.missing_data_source_advice = std::make_pair(
      std::string(
          "Without synthetic =>, the real and synthetic rows come from one table's data_source column."),
      std::string("Name the synthetic table: synthetic => 'synthetic_rows'."));
  synth::CompareSide collector;
  synth::CompareSideInput side;
  synth::pg::ReadProgress progress(collector, function_name, relid);
  side.source = synth::pg::read_training_table(request, progress);
  progress.finish();
  side.rows_read = collector.rows_seen();
  side.columns = collector.finish();
  side.invalid = collector.invalid();
  return side;
}

struct Sides {
  synth::CompareSideInput real, synthetic;
  std::optional<synth::CompareSideInput> holdout;
};

// The sides named by arguments 0 (source), 1 (synthetic) and 2 (holdout);
// real_sources_arg: the text[] argument naming the real rows' sources, or -1
// for 1.1's functions, which took data_source = 'real' of one table.
Sides read_sides(FunctionCallInfo fcinfo, int real_sources_arg, const char* function_name) {
  const Oid real_table = PG_GETARG_OID(0);
  // The real rows (of source, and of holdout): those real_sources names, by
  // default every data_source but 'synthetic', every row of a table without
  // the column. 1.1 counted data_source = 'real' in one table, every row of
  // two.
  SidePick real_pick;
  if (real_sources_arg >= 0) {
    real_pick.real_rows = true;
    real_pick.real_sources = synth::pg::real_sources_argument(fcinfo, real_sources_arg, function_name, false);
  }
  SidePick synthetic_pick;
  Sides sides;
  if (PG_ARGISNULL(1)) {
    // One table: its real rows against its synthetic ones.
    if (real_sources_arg < 0) real_pick.data_source = std::string("real");
    synthetic_pick.data_source = std::string("synthetic");
    sides.real = read_side(real_table, real_pick, function_name);
    sides.synthetic = read_side(real_table, synthetic_pick, function_name);
  } else {
    sides.real = read_side(real_table, real_pick, function_name);
    sides.synthetic = read_side(PG_GETARG_OID(1), synthetic_pick, function_name);
  }
  if (!PG_ARGISNULL(2)) sides.holdout = read_side(PG_GETARG_OID(2), real_pick, function_name);
  return sides;
}

// Arguments: (source regclass, synthetic regclass, holdout regclass,
// bootstrap integer, seed bigint, real_sources text[], augment_ratio
// float8); 1.2 declares the first six, 1.1 the first five (the first named
// "real").
synth::CompareReport build_report(FunctionCallInfo fcinfo, const char* function_name) {
  const bool named_source = PG_NARGS() >= 6;
  if (PG_ARGISNULL(0))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed,
                       named_source ? "source must not be NULL" : "real must not be NULL", "",
                       named_source ? "Name the table of real rows, e.g. source => 'training_prompts'."
                                    : "Name the table of real rows, e.g. \"real\" => 'training_prompts'.");
  if (PG_ARGISNULL(3))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "bootstrap must not be NULL", "",
                       "Pass bootstrap => 0 to leave the intervals out.");
  if (PG_ARGISNULL(4)) throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "seed must not be NULL");
  synth::CompareOptions options;
  options.bootstrap = PG_GETARG_INT32(3);
  options.seed = static_cast<std::uint64_t>(PG_GETARG_INT64(4));
  synth::check_bootstrap(options.bootstrap);
  if (PG_NARGS() >= 7) {  // 1.3: augment_ratio
    if (PG_ARGISNULL(6))
      throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "augment_ratio must not be NULL", "",
                         "Leave augment_ratio out for " +
                             synth::format_readable(synth::kDefaultAugmentRatio) +
                             " synthetic row per real row.");
    options.augment_ratio = PG_GETARG_FLOAT8(6);
    synth::check_augment_ratio(options.augment_ratio);
  }

  Sides sides = read_sides(fcinfo, named_source ? 5 : -1, function_name);
  synth::pg::pg_guard([] { CHECK_FOR_INTERRUPTS(); });
  return synth::compare_sides(std::move(sides.real), std::move(sides.synthetic), std::move(sides.holdout),
                              options);
}

}  // namespace

SYNTH_FUNCTION(synth_compare) {
  synth::CompareReport report = build_report(fcinfo, "synth_compare");
  PG_RETURN_DATUM(synth::pg::jsonb_from_json_text(synth::compare_report_json(report)));
}

SYNTH_FUNCTION(synth_compare_report) {
  return synth::pg::return_page(fcinfo, "synth_compare_report", [fcinfo](const synth::PageStyle& style) {
    return synth::compare_report_page(build_report(fcinfo, "synth_compare_report"), style);
  });
}

// Arguments: (source regclass, synthetic regclass, holdout regclass,
// real_sources text[], bins integer).
SYNTH_FUNCTION(synth_compare_detail) {
  const char* function_name = "synth_compare_detail";
  if (PG_ARGISNULL(0))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "source must not be NULL", "",
                       "Name the table of real rows, e.g. source => 'training_prompts'.");
  if (PG_ARGISNULL(4))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "bins must not be NULL", "",
                       "Leave bins out for " + std::to_string(synth::kDefaultDetailBins) + " bins.");
  const int bins = PG_GETARG_INT32(4);
  if (bins < 1 || bins > synth::kMaxDetailBins)
    synth::throw_invalid_parameter(
        "bins must be between 1 and " + std::to_string(synth::kMaxDetailBins) + ", not " +
            std::to_string(bins),
        "bins is the number of equal-width bins each numeric column is counted in.",
        "Leave bins out for " + std::to_string(synth::kDefaultDetailBins) + ".");
  Sides sides = read_sides(fcinfo, 3, function_name);
  synth::pg::pg_guard([] { CHECK_FOR_INTERRUPTS(); });
  const synth::CompareDetail detail = synth::compare_detail(std::move(sides.real), std::move(sides.synthetic),
                                                            std::move(sides.holdout), bins);
  PG_RETURN_DATUM(synth::pg::jsonb_from_json_text(synth::compare_detail_json(detail)));
}
