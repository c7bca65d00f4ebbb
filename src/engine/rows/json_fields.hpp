// Reads the three fields the pipeline uses from the JSON text of an
// enhancement_result (a `json` column): feature_vector, effectiveness_score and
// metadata.domain. It will be fuzzed: it is total (any bytes in, an answer
// out), never throws, never allocates, never reads outside the view, and keeps
// no recursion, so nesting depth cannot exhaust the stack.
#pragma once

#include <string_view>

#include "engine/rows/row_observation.hpp"

namespace synth {

enum class JsonScan {
  kObject,     // a JSON object: the fields it holds were recorded
  kNotObject,  // valid JSON whose top level is not an object: nothing recorded
  kMalformed,  // not JSON: nothing recorded
};

// Records the fields into row (leaving its prompt fields alone). As in
// Python's json.loads and in jsonb, the last of duplicate keys wins.
// Python's NaN, Infinity and -Infinity tokens are accepted as non-finite numbers.
JsonScan scan_enhancement_result(std::string_view json, RowObservation& row) noexcept;

}  // namespace synth
