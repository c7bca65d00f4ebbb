// Streaming statistics of a training table in one pass and bounded memory:
// the gate's verdict per row, and over the valid rows Welford means with a
// co-moment matrix of the six features and the score, extremes, histograms,
// tiers, domains and distinct prompts. Nothing here grows with the row count.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/quality/distinct_counter.hpp"
#include "engine/model/domain_table.hpp"
#include "engine/quality/observation_sink.hpp"
#include "engine/quality/quality_observation.hpp"

namespace synth {

// A fixed-range histogram: bins of equal width over [low, high], a value equal
// to high in the last bin, and separate counts below and above the range.
struct HistogramSpec {
  double low;
  double high;
  std::size_t bins;
  std::string_view range_label;  // how the report page names the range
};
inline constexpr std::size_t kMaxHistogramBins = 11;

// Ranges that do not depend on the domain (DESIGN.md §2 spans all of them):
// ratios over [0, 1]; length over [0, 300] with values beyond counted above it;
// complexity one bin per integer 0..10.
inline constexpr std::array<HistogramSpec, kFeatureCount> kFeatureHistograms = {{
    {0.0, 1.0, 10, "0-1"},
    {0.0, 300.0, 10, "0-300"},
    {0.0, 1.0, 10, "0-1"},
    {-0.5, 10.5, 11, "0-10"},
    {0.0, 1.0, 10, "0-1"},
    {0.0, 1.0, 10, "0-1"},
}};
inline constexpr HistogramSpec kScoreHistogram = {0.0, 1.0, 10, "0-1"};

struct Histogram {
  std::array<std::uint64_t, kMaxHistogramBins> bins{};
  std::uint64_t below = 0;
  std::uint64_t above = 0;

  void add(const HistogramSpec& spec, double value);
};

// Means and co-moments (sums of products of deviations) of N variables,
// updated per observation: C += (x - mean_before) (y - mean_after).
template <std::size_t N>
class CoMoments {
 public:
  void add(const std::array<double, N>& x) {
    ++count_;
    const double inverse = 1.0 / static_cast<double>(count_);
    std::array<double, N> before{};
    for (std::size_t i = 0; i < N; ++i) {
      before[i] = x[i] - mean_[i];
      mean_[i] += before[i] * inverse;
    }
    for (std::size_t i = 0; i < N; ++i) {
      const double after = x[i] - mean_[i];
      for (std::size_t j = 0; j <= i; ++j) comoment_[i * N + j] += before[j] * after;
    }
  }

  std::uint64_t count() const { return count_; }
  double mean(std::size_t i) const { return mean_[i]; }
  // Symmetric: only the lower triangle is stored.
  double comoment(std::size_t i, std::size_t j) const {
    return i >= j ? comoment_[i * N + j] : comoment_[j * N + i];
  }

 private:
  std::uint64_t count_ = 0;
  std::array<double, N> mean_{};
  std::array<double, N * N> comoment_{};
};

// Valid rows per domain: the five known ones, `unknown` for rows without a
// domain (or named "unknown"), other names under their own name up to
// kMaxOtherNames, then `other`.
class DomainCounter {
 public:
  static constexpr std::size_t kMaxOtherNames = 32;

  void add(std::string_view name);
  std::uint64_t known(std::size_t domain_index) const { return known_[domain_index]; }
  std::uint64_t unknown() const { return unknown_; }
  const std::vector<std::pair<std::string, std::uint64_t>>& named_others() const { return others_; }
  std::uint64_t other() const { return other_; }

 private:
  std::array<std::uint64_t, kDomainCount> known_{};
  std::uint64_t unknown_ = 0;
  std::vector<std::pair<std::string, std::uint64_t>> others_;
  std::uint64_t other_ = 0;
};

class QualityAccumulator final : public ObservationSink {
 public:
  static constexpr std::size_t kVariables = kFeatureCount + 1;  // features, then the score
  static constexpr std::size_t kScoreIndex = kFeatureCount;

  void add(const RowObservation& row) override;

  std::uint64_t sample_count() const { return sample_count_; }
  std::uint64_t valid_count() const { return moments_.count(); }
  std::uint64_t invalid_count(InvalidReason reason) const {
    return invalid_[static_cast<std::size_t>(reason)];
  }
  std::uint64_t invalid_total() const { return sample_count_ - valid_count(); }

  // Over valid rows; variable i is feature i, kScoreIndex the score.
  const CoMoments<kVariables>& moments() const { return moments_; }
  double min(std::size_t variable) const { return min_[variable]; }
  double max(std::size_t variable) const { return max_[variable]; }
  const Histogram& feature_histogram(std::size_t feature) const { return feature_histograms_[feature]; }
  const Histogram& score_histogram() const { return score_histogram_; }
  std::uint64_t tier_count(std::size_t tier) const { return tiers_[tier]; }
  std::uint64_t between_tiers() const { return between_tiers_; }
  const DomainCounter& domains() const { return domains_; }
  // 0, 1, or 2 meaning "two or more" distinct valid scores.
  int distinct_scores() const { return distinct_scores_; }
  const DistinctCounter& prompts() const { return prompts_; }

 private:
  std::uint64_t sample_count_ = 0;
  std::array<std::uint64_t, kInvalidReasonCount> invalid_{};
  CoMoments<kVariables> moments_;
  std::array<double, kVariables> min_{};
  std::array<double, kVariables> max_{};
  std::array<Histogram, kFeatureCount> feature_histograms_{};
  Histogram score_histogram_{};
  std::array<std::uint64_t, kTierCount> tiers_{};
  std::uint64_t between_tiers_ = 0;
  DomainCounter domains_;
  int distinct_scores_ = 0;
  double first_score_ = 0.0;
  DistinctCounter prompts_;
};

}  // namespace synth
