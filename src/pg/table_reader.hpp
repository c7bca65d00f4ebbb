// Reads a training table for the quality report, the fit, synth_refresh and
// the comparison: finds its layout, checks the caller may read it, and runs
// one schema-qualified query through SPI (with the caller's rights, so
// privileges and RLS apply) whose rows stream into an ObservationSink in
// batches: one pass, memory independent of the row count.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/rows/observation_sink.hpp"
#include "engine/rows/table_source.hpp"
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
  // Read every row when the table has no data_source column, rather than
  // raising 42703: 1.1's synth_fit only (its default data_source 'real'
  // applied to tables of either layout).
  bool data_source_optional = false;
  // What the 42703 for a missing data_source column (data_source set) says
  // instead of the generic detail and hint, when the caller knows better.
  std::optional<std::pair<std::string, std::string>> missing_data_source_advice;  // detail, hint
  // The real rows, as synth_fit, synth_compare and synth_refresh count them
  // (ignored when data_source is set): with real_sources, the rows whose
  // data_source is one of them (the table needs the column: 42703 without);
  // without, every row whose data_source is not 'synthetic', and every row
  // of a table with no data_source column.
  bool real_rows = false;
  std::optional<std::vector<std::string>> real_sources;
};

// real_sources as a SQL argument of function_name: NULL gives none (every
// source but 'synthetic'); else a non-empty array of non-NULL, non-empty
// names, without 'synthetic' unless allow_synthetic (22004, 22023).
std::optional<std::vector<std::string>> real_sources_argument(FunctionCallInfo fcinfo, int arg,
                                                              const char* function_name,
                                                              bool allow_synthetic);

// How the real rows were picked, as results and messages say it:
// "data_source other than 'synthetic'", "data_source in ('real', 'user')".
std::string real_sources_phrase(const std::optional<std::vector<std::string>>& real_sources);

// A TableSource's sources as the rows they pick: "rows with data_source
// other than 'synthetic'", "all rows (the table has no data_source column)".
std::string rows_with(const std::string& sources);

// Tells the engine the server encoding (names are kept as stored, cut at its
// character boundaries); read_training_table does it itself.
void use_server_encoding();

// Streams every matching row into sink; says where the rows came from.
// Raises 42P01 (no such table), 42501 (no SELECT privilege), 42703/42804
// (no usable columns), 42809 (not a table or view).
TableSource read_training_table(const TableReadRequest& request, ObservationSink& sink);

}  // namespace synth::pg
