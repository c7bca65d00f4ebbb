#include "engine/quality/quality_accumulator.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

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

DimensionStats::DimensionStats(std::size_t dimension)
    : dimension_(dimension),
      moments_(dimension + 1),
      x_(dimension + 1, 0.0),
      min_(dimension + 1, 0.0),
      max_(dimension + 1, 0.0) {
  if (dimension == kFeatureCount) feature_histograms_.resize(kFeatureCount);
}

void DimensionStats::add(const RowObservation& row) {
  ++rows_;
  if (std::optional<InvalidReason> reason = classify(row, dimension_)) {
    ++invalid_[static_cast<std::size_t>(*reason)];
    return;
  }
  const std::size_t variables = dimension_ + 1;
  for (std::size_t i = 0; i < dimension_; ++i) x_[i] = row.features[i];
  x_[dimension_] = row.score;
  if (moments_.count() == 0) {
    min_ = x_;
    max_ = x_;
  } else {
    for (std::size_t i = 0; i < variables; ++i) {
      min_[i] = std::min(min_[i], x_[i]);
      max_[i] = std::max(max_[i], x_[i]);
    }
  }
  moments_.add(x_.data());

  for (std::size_t i = 0; i < feature_histograms_.size(); ++i)
    feature_histograms_[i].add(kFeatureHistograms[i], x_[i]);
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

  // A score's bits, with -0 as 0: equal scores are one value.
  const double score = row.score == 0.0 ? 0.0 : row.score;
  char bits[sizeof score];
  std::memcpy(bits, &score, sizeof score);
  scores_.add(hash_bytes(std::string_view(bits, sizeof bits)));

  domains_.add(row.domain_name());
  if (row.has_prompt) prompts_.add(row.prompt_hash);
}

void QualityAccumulator::add(const RowObservation& row) {
  ++sample_count_;
  // A row whose dimension cannot be read is judged before any dimension
  // applies; the others by the statistics of their own dimension.
  const bool readable =
      row.feature_shape == FeatureShape::kArray && row.feature_count > 0 && row.elements_read();
  if (!readable) {
    if (std::optional<InvalidReason> reason = classify(row, kFeatureCount))
      ++undimensioned_[static_cast<std::size_t>(*reason)];
    return;
  }
  std::unique_ptr<DimensionStats>& stats = by_dimension_[row.feature_count];
  if (!stats) stats = std::make_unique<DimensionStats>(row.feature_count);
  stats->add(row);
}

std::size_t QualityAccumulator::most_common_dimension() const {
  std::size_t best = kFeatureCount;
  std::uint64_t best_rows = by_dimension_[kFeatureCount] ? by_dimension_[kFeatureCount]->rows() : 0;
  for (std::size_t d = 1; d <= kMaxProfileFeatures; ++d) {
    const std::uint64_t rows = by_dimension_[d] ? by_dimension_[d]->rows() : 0;
    if (rows > best_rows) {
      best = d;
      best_rows = rows;
    }
  }
  return best;
}

const DimensionStats* QualityAccumulator::dimension_stats(std::size_t dimension) const {
  return dimension >= 1 && dimension <= kMaxProfileFeatures ? by_dimension_[dimension].get() : nullptr;
}

std::uint64_t QualityAccumulator::rows_of_other_dimensions(std::size_t dimension) const {
  std::uint64_t rows = 0;
  for (std::size_t d = 1; d <= kMaxProfileFeatures; ++d)
    if (d != dimension && by_dimension_[d]) rows += by_dimension_[d]->rows();
  return rows;
}

}  // namespace synth
