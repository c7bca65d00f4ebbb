// One training row as the pipeline's ML gate sees it, before any judgement:
// what its feature vector, score, domain and prompt look like. The PostgreSQL
// layer (jsonb, arrays) and the JSON text scanner fill it in; classify() then
// gives the gate's verdict. Plain data, so it can be filled inside pg_guard.
// A row carries at most kMaxProfileFeatures features read element by element
// (fitted profiles keep the real rows' dimension, which need not be six) and
// a domain of at most kMaxNameBytes bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

#include "engine/model/domain_table.hpp"
#include "engine/model/limits.hpp"

namespace synth {

// Why the gate drops a row; a row is counted under the first reason that
// applies, in this order.
enum class InvalidReason : std::uint8_t {
  kMissingFeatures = 0,  // feature_vector absent, JSON null, or empty
  kWrongDimension,       // not the expected number of elements (or a multi-dimensional array)
  kNonNumeric,           // a feature or the score is a string, boolean, null, array or object
  kNonFinite,            // a feature or the score is NaN, +-Infinity or beyond double range
  kMissingScore,         // effectiveness_score absent or JSON null
  kScoreOutOfRange,      // score outside [0, 1]
};
inline constexpr std::size_t kInvalidReasonCount = 6;
inline constexpr std::array<std::string_view, kInvalidReasonCount> kInvalidReasonNames = {
    "missing_features", "wrong_dimension", "non_numeric",
    "non_finite",       "missing_score",   "score_out_of_range"};

// What a single JSON value (or SQL value) turned out to be.
enum class ValueState : std::uint8_t {
  kAbsent,      // key not there, or SQL NULL
  kNull,        // JSON null
  kNumber,      // a finite number
  kNonNumeric,  // string, boolean, array, object (or text that is not a number)
  kNonFinite,   // NaN, +-Infinity, or a number no double holds
};

enum class FeatureShape : std::uint8_t {
  kAbsent,    // key not there, JSON null, SQL NULL
  kArray,     // a one-dimensional array (possibly empty)
  kNested,    // a multi-dimensional SQL array
  kNotArray,  // a string, number, boolean or object where the array should be
};

struct RowObservation {
  FeatureShape feature_shape = FeatureShape::kAbsent;
  std::uint32_t feature_count = 0;  // elements of the array (all of them, for kNested)
  // Element checks: filled only when the array has at most kMaxProfileFeatures
  // elements; a longer one is of a dimension no reader accepts.
  std::uint8_t non_numeric_features = 0;
  std::uint8_t non_finite_features = 0;
  // Elements [0, feature_count) when numeric and finite; left unset beyond
  // feature_count (reset() does not clear them: 512 bytes a row).
  std::array<double, kMaxProfileFeatures> features;

  ValueState score_state = ValueState::kAbsent;
  double score = 0.0;  // when score_state is kNumber

  bool has_prompt = false;
  std::uint64_t prompt_hash = 0;

  std::uint8_t domain_length = 0;  // 0: no domain (absent, null, not a string, or "")
  char domain[kMaxNameBytes] = {};

  // Clears every field but the feature values.
  void reset() noexcept;
  // Records element `index` (< kMaxProfileFeatures) of the feature vector.
  void set_feature(std::size_t index, ValueState state, double value) noexcept;
  // Whether the element checks were made (the dimension is readable).
  bool elements_read() const noexcept { return feature_count <= kMaxProfileFeatures; }
  // Keeps at most kMaxNameBytes bytes, cut at a character boundary of the
  // server encoding (text_encoding()).
  void set_domain(std::string_view name) noexcept;
  std::string_view domain_name() const noexcept { return {domain, domain_length}; }
};
static_assert(std::is_trivially_copyable_v<RowObservation>,
              "observations are filled inside pg_guard, where only plain data may live");

// The gate's verdict: the first reason that applies, or nothing for a valid
// row, for rows that should carry `dimension` features (1..kMaxProfileFeatures).
std::optional<InvalidReason> classify(const RowObservation& row,
                                      std::size_t dimension = kFeatureCount) noexcept;

// Whether the pipeline's ML gate keeps the row, whatever dimension it carries
// (1..kMaxProfileFeatures): classify() against the row's own dimension. The rule
// behind what synth_fit fits and what synth_insert weighs a table's
// dimension by.
inline bool gate_keeps(const RowObservation& row) noexcept {
  return !classify(row, row.feature_count).has_value();
}

}  // namespace synth
