// Where the rows a reader observed came from, as the PostgreSQL layer found
// the table: its name, layout and filters. The quality report, the profile
// fit, synth_refresh and the comparison all say where their rows came from
// with it.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace synth {

struct TableSource {
  std::string table;                       // schema-qualified, quoted as needed
  std::string layout;                      // "pipeline" or "flat"
  std::string column_type;                 // type of the column holding the features
  std::optional<std::string> data_source;  // the filter, if any
  // Which rows counted as real, as a phrase ("data_source other than
  // 'synthetic'"), where the reader picked the real rows (synth_fit,
  // synth_compare, synth_refresh); unset otherwise.
  std::optional<std::string> sources;
  bool only_active = false;  // whether an is_active filter was applied
  bool has_prompt_column = false;
  // metadata.feature_names of the first row that has them (pipeline layout,
  // when the reader was asked for them); empty otherwise. An element that is
  // not a string is kept as "".
  std::vector<std::string> feature_names;
};

}  // namespace synth
