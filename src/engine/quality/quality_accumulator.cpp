#include "engine/quality/quality_accumulator.hpp"

#include <algorithm>
#include <cmath>

namespace synth {

void Histogram::add(const HistogramSpec& spec, double value) {
  if (value < spec.low) {
    ++below;
    return;
  }
  if (value > spec.high) {
    ++above;
    return;
  }
  // The same arithmetic as PostgreSQL's width_bucket(), so plain SQL agrees.
  double position = static_cast<double>(spec.bins) * ((value - spec.low) / (spec.high - spec.low));
  std::size_t bin =
      position >= static_cast<double>(spec.bins) ? spec.bins - 1 : static_cast<std::size_t>(position);
  ++bins[std::min(bin, spec.bins - 1)];
}

void DomainCounter::add(std::string_view name) {
  // The report's own bucket names take rows that use them literally, so a
  // name never appears twice.
  if (name.empty() || name == "unknown") {
    ++unknown_;
    return;
  }
  if (name == "other") {
    ++other_;
    return;
  }
  if (std::optional<std::size_t> index = find_domain(name)) {
    ++known_[*index];
    return;
  }
  for (auto& [other_name, count] : others_) {
    if (other_name == name) {
      ++count;
      return;
    }
  }
  if (others_.size() < kMaxOtherNames) {
    others_.emplace_back(std::string(name), 1);
  } else {
    ++other_;
  }
}

void QualityAccumulator::add(const RowObservation& row) {
  ++sample_count_;
  if (std::optional<InvalidReason> reason = classify(row)) {
    ++invalid_[static_cast<std::size_t>(*reason)];
    return;
  }
  std::array<double, kVariables> x{};
  for (std::size_t i = 0; i < kFeatureCount; ++i) x[i] = row.features[i];
  x[kScoreIndex] = row.score;
  if (moments_.count() == 0) {
    min_ = x;
    max_ = x;
  } else {
    for (std::size_t i = 0; i < kVariables; ++i) {
      min_[i] = std::min(min_[i], x[i]);
      max_[i] = std::max(max_[i], x[i]);
    }
  }
  moments_.add(x);

  for (std::size_t i = 0; i < kFeatureCount; ++i) feature_histograms_[i].add(kFeatureHistograms[i], x[i]);
  score_histogram_.add(kScoreHistogram, row.score);

  bool in_tier = false;
  for (std::size_t t = 0; t < kTierCount; ++t) {
    if (kTierBands[t].contains(row.score)) {
      ++tiers_[t];
      in_tier = true;
      break;
    }
  }
  if (!in_tier) ++between_tiers_;

  if (distinct_scores_ == 0) {
    distinct_scores_ = 1;
    first_score_ = row.score;
  } else if (distinct_scores_ == 1 && row.score != first_score_) {
    distinct_scores_ = 2;
  }

  domains_.add(row.domain_name());
  if (row.has_prompt) prompts_.add(row.prompt_hash);
}

}  // namespace synth
