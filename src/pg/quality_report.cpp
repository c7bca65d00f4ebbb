// synth_validate() and synth_report(): the quality report of a training table
// (engine/quality/quality_report), as jsonb and as a page of text for psql.
// Both read the table once, with the caller's rights, through table_reader;
// the engine does the statistics.
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/error.hpp"
#include "engine/quality/quality_accumulator.hpp"
#include "engine/quality/quality_report.hpp"
#include "pg/bridge.hpp"
#include "pg/jsonb_text.hpp"
#include "pg/table_reader.hpp"

namespace {

// Arguments: (target regclass, data_source text, only_active boolean).
synth::QualityReport read_quality_report(FunctionCallInfo fcinfo, const char* function_name) {
  if (PG_ARGISNULL(0))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "target must not be NULL", "",
                       "Name the training table, e.g. target => 'training_prompts'.");
  if (PG_ARGISNULL(2))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "only_active must not be NULL");
  synth::pg::TableReadRequest request;
  request.relid = PG_GETARG_OID(0);
  request.only_active = PG_GETARG_BOOL(2);
  request.function_name = function_name;
  if (!PG_ARGISNULL(1)) {
    const char* source = synth::pg::pg_guard(
        [fcinfo] { return static_cast<const char*>(text_to_cstring(PG_GETARG_TEXT_PP(1))); });
    request.data_source = std::string(source);
  }
  // 1.1 adds the dimension argument; a 1.0 install calls with three.
  std::optional<std::size_t> dimension;
  if (PG_NARGS() > 3 && !PG_ARGISNULL(3)) {
    const int32 wanted = PG_GETARG_INT32(3);
    if (wanted < 1 || wanted > static_cast<int32>(synth::kMaxProfileFeatures))
      throw synth::Error(synth::sqlstate::kInvalidParameterValue,
                         "dimension must be between 1 and " + std::to_string(synth::kMaxProfileFeatures) +
                             ", not " + std::to_string(wanted),
                         "", "Pass NULL to judge rows by the table's most common dimension.");
    dimension = static_cast<std::size_t>(wanted);
  }
  request.want_feature_names = true;
  synth::QualityAccumulator stats;
  synth::TableSource source = synth::pg::read_training_table(request, stats);
  return synth::build_quality_report(stats, std::move(source), {}, dimension);
}

}  // namespace

SYNTH_FUNCTION(synth_validate) {
  synth::QualityReport report = read_quality_report(fcinfo, "synth_validate");
  PG_RETURN_DATUM(synth::pg::jsonb_from_json_text(synth::quality_report_json(report)));
}

SYNTH_FUNCTION(synth_report) {
  return synth::pg::return_page(fcinfo, "synth_report", [fcinfo](const synth::PageStyle& style) {
    return synth::quality_report_page(read_quality_report(fcinfo, "synth_report"), style);
  });
}
