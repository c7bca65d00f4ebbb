#include "engine/rows/row_observation.hpp"

#include <cstring>

#include "engine/model/text_encoding.hpp"

namespace synth {

void RowObservation::reset() noexcept {
  feature_shape = FeatureShape::kAbsent;
  feature_count = 0;
  non_numeric_features = 0;
  non_finite_features = 0;
  score_state = ValueState::kAbsent;
  score = 0.0;
  has_prompt = false;
  prompt_hash = 0;
  domain_length = 0;
}

void RowObservation::set_feature(std::size_t index, ValueState state, double value) noexcept {
  if (index >= kMaxProfileFeatures) return;
  switch (state) {
    case ValueState::kNumber:
      features[index] = value;
      break;
    case ValueState::kNonFinite:
      ++non_finite_features;
      break;
    case ValueState::kAbsent:  // an element cannot be absent; treat it as JSON null
    case ValueState::kNull:
    case ValueState::kNonNumeric:
      ++non_numeric_features;
      break;
  }
}

void RowObservation::set_domain(std::string_view name) noexcept {
  // The cut never splits a character of the server's encoding.
  const std::size_t length = clip_text(name.data(), name.size(), kMaxNameBytes);
  if (length > 0) std::memcpy(domain, name.data(), length);
  domain_length = static_cast<std::uint8_t>(length);
}

std::optional<InvalidReason> classify(const RowObservation& row, std::size_t dimension) noexcept {
  switch (row.feature_shape) {
    case FeatureShape::kAbsent:
      return InvalidReason::kMissingFeatures;
    case FeatureShape::kArray:
      if (row.feature_count == 0) return InvalidReason::kMissingFeatures;
      if (row.feature_count != dimension || !row.elements_read()) return InvalidReason::kWrongDimension;
      break;
    case FeatureShape::kNested:
      return row.feature_count == 0 ? InvalidReason::kMissingFeatures : InvalidReason::kWrongDimension;
    case FeatureShape::kNotArray:
      return InvalidReason::kNonNumeric;
  }
  if (row.non_numeric_features > 0 || row.score_state == ValueState::kNonNumeric)
    return InvalidReason::kNonNumeric;
  if (row.non_finite_features > 0 || row.score_state == ValueState::kNonFinite)
    return InvalidReason::kNonFinite;
  if (row.score_state == ValueState::kAbsent || row.score_state == ValueState::kNull)
    return InvalidReason::kMissingScore;
  if (!(row.score >= 0.0 && row.score <= 1.0)) return InvalidReason::kScoreOutOfRange;
  return std::nullopt;
}

}  // namespace synth
