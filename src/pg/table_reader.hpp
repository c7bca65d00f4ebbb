// Reads a training table for the quality report: finds its layout, checks the
// caller may read it, and runs one schema-qualified query through SPI (with
// the caller's rights, so privileges and RLS apply) whose rows stream into a
// QualityAccumulator in batches: one pass, memory independent of the row count.
#pragma once

#include <optional>
#include <string>

#include "engine/quality/observation_sink.hpp"
#include "engine/quality/quality_report.hpp"
#include "pg/postgres.hpp"

namespace synth::pg {

struct TableReadRequest {
  Oid relid = InvalidOid;
  std::optional<std::string> data_source;        // only rows with this data_source
  bool only_active = true;                       // skip is_active = false, where the column exists
  const char* function_name = "synth_validate";  // for messages
  // Also look up metadata.feature_names (one extra query, LIMIT 1, that
  // stops at the first matching row that has them).
  bool want_feature_names = false;
};

// Tells the engine the server encoding (names are kept as stored, cut at its
// character boundaries); read_training_table does it itself.
void use_server_encoding();

// Streams every matching row into sink; says where the rows came from.
// Raises 42P01 (no such table), 42501 (no SELECT privilege), 42703/42804
// (no usable columns), 42809 (not a table or view).
ReportSource read_training_table(const TableReadRequest& request, ObservationSink& sink);

}  // namespace synth::pg
