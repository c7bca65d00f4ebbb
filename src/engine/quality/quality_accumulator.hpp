// Streaming statistics of a training table in one pass and bounded memory:
// the gate's verdict per row, and over the valid rows Welford means with a
// co-moment matrix of the features and the score, extremes, histograms,
// tiers, domains and distinct prompts, per feature dimension. Nothing here
// grows with the row count.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/quality/distinct_counter.hpp"
#include "engine/model/domain_table.hpp"
#include "engine/rows/observation_sink.hpp"
#include "engine/rows/row_observation.hpp"

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

// Ranges that do not depend on the domain (docs/design.md §2 spans all of them):
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

// Means and co-moments (sums of products of deviations) of n variables,
// updated per observation: C += (x - mean_before) (y - mean_after).
//
// Each variable is kept in units of a power of two at least as large as every
// |value| seen (rescaled exactly when a larger one arrives), so deviations and
// their products stay near 1 whatever the magnitude: 1e200 * k no longer
// overflows to infinity and 1e-200 * k no longer underflows to 0. Any finite
// input gives the std and the correlations to about 1e-12 relative.
class CoMoments {
 public:
  explicit CoMoments(std::size_t variables = 0)
      : n_(variables),
        mean_(variables, 0.0),
        before_(variables, 0.0),
        scaled_(variables, 0.0),
        exponent_(variables, 0),
        limit_(variables, 0.0),
        inverse_scale_(variables, 1.0),
        comoment_(variables * variables, 0.0) {}

  void add(const double* x) {
    ++count_;
    const double inverse = 1.0 / static_cast<double>(count_);
    for (std::size_t i = 0; i < n_; ++i) {
      if (std::fabs(x[i]) > limit_[i]) rescale(i, std::fabs(x[i]));
      scaled_[i] = x[i] * inverse_scale_[i];  // exact: a power of two
      before_[i] = scaled_[i] - mean_[i];
      mean_[i] += before_[i] * inverse;
    }
    for (std::size_t i = 0; i < n_; ++i) {
      const double after = scaled_[i] - mean_[i];
      double* row = &comoment_[i * n_];
      for (std::size_t j = 0; j <= i; ++j) row[j] += before_[j] * after;
    }
  }

  std::size_t variables() const { return n_; }
  std::uint64_t count() const { return count_; }
  double mean(std::size_t i) const { return std::ldexp(mean_[i], exponent_[i]); }
  // Population standard deviation; 0 before the first observation.
  double std_dev(std::size_t i) const {
    if (count_ == 0) return 0.0;
    return std::ldexp(std::sqrt(std::max(0.0, scaled_comoment(i, i) / static_cast<double>(count_))),
                      exponent_[i]);
  }
  // Pearson's r; none when either variable is constant.
  std::optional<double> correlation(std::size_t a, std::size_t b) const {
    const double saa = scaled_comoment(a, a);
    const double sbb = scaled_comoment(b, b);
    if (!(saa > 0.0) || !(sbb > 0.0)) return std::nullopt;
    const double r = scaled_comoment(a, b) / (std::sqrt(saa) * std::sqrt(sbb));
    if (!std::isfinite(r)) return std::nullopt;
    return std::clamp(r, -1.0, 1.0);
  }
  // The co-moment in each variable's own units: for ratios of co-moments
  // (correlations, fits), which do not depend on the units.
  double scaled_comoment(std::size_t i, std::size_t j) const {
    return i >= j ? comoment_[i * n_ + j] : comoment_[j * n_ + i];
  }
  // The co-moment itself; overflows to infinity (or underflows to 0) where
  // the data's own squares would.
  double comoment(std::size_t i, std::size_t j) const {
    return std::ldexp(scaled_comoment(i, j), exponent_[i] + exponent_[j]);
  }

 private:
  // Moves variable i to units of 2^e with magnitude < 2^e, e never below -960
  // so that 2^-e stays a finite double (tiny values are still far from underflow).
  void rescale(std::size_t i, double magnitude) {
    int e = 0;
    std::frexp(magnitude, &e);
    e = std::max(e, -960);
    if (limit_[i] > 0.0 && e > exponent_[i]) {
      const int shift = exponent_[i] - e;
      mean_[i] = std::ldexp(mean_[i], shift);
      for (std::size_t j = 0; j < n_; ++j) {
        double& c = j <= i ? comoment_[i * n_ + j] : comoment_[j * n_ + i];
        c = std::ldexp(c, shift);
        if (j == i) c = std::ldexp(c, shift);
      }
    }
    exponent_[i] = e;
    limit_[i] = std::ldexp(1.0, e);
    inverse_scale_[i] = std::ldexp(1.0, -e);
  }

  std::size_t n_;
  std::uint64_t count_ = 0;
  std::vector<double> mean_;    // in units of 2^exponent_
  std::vector<double> before_;  // scratch of add(), kept to avoid an allocation per row
  std::vector<double> scaled_;  // scratch of add()
  std::vector<int> exponent_;   // variable i is counted in units of 2^exponent_[i]
  std::vector<double> limit_;   // 2^exponent_, 0 until a value other than 0
  std::vector<double> inverse_scale_;
  std::vector<double> comoment_;  // lower triangle, in units of 2^(exponent_i + exponent_j)
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

// Everything the report says about the rows of one feature dimension: the
// gate's reasons that come after the dimension check, and the statistics of
// the valid rows. Histograms are kept for six features only, since their
// ranges are those of the pipeline's six (domain_table).
class DimensionStats {
 public:
  explicit DimensionStats(std::size_t dimension);

  void add(const RowObservation& row);  // a row of this dimension

  std::size_t dimension() const { return dimension_; }
  std::size_t score_index() const { return dimension_; }  // variables: features, then the score
  std::uint64_t rows() const { return rows_; }
  std::uint64_t valid_count() const { return moments_.count(); }
  std::uint64_t invalid_count(InvalidReason reason) const {
    return invalid_[static_cast<std::size_t>(reason)];
  }

  const CoMoments& moments() const { return moments_; }
  double min(std::size_t variable) const { return min_[variable]; }
  double max(std::size_t variable) const { return max_[variable]; }
  bool has_feature_histograms() const { return !feature_histograms_.empty(); }
  const Histogram& feature_histogram(std::size_t feature) const { return feature_histograms_[feature]; }
  const Histogram& score_histogram() const { return score_histogram_; }
  std::uint64_t tier_count(std::size_t tier) const { return tiers_[tier]; }
  std::uint64_t between_tiers() const { return between_tiers_; }
  const DomainCounter& domains() const { return domains_; }
  // Distinct valid scores: exact up to DistinctCounter::kExactLimit, a
  // HyperLogLog estimate beyond (never below that limit).
  const DistinctCounter& scores() const { return scores_; }
  const DistinctCounter& prompts() const { return prompts_; }

 private:
  std::size_t dimension_;
  std::uint64_t rows_ = 0;
  std::array<std::uint64_t, kInvalidReasonCount> invalid_{};
  CoMoments moments_;
  std::vector<double> x_;  // one row's variables, reused
  std::vector<double> min_;
  std::vector<double> max_;
  std::vector<Histogram> feature_histograms_;
  Histogram score_histogram_{};
  std::array<std::uint64_t, kTierCount> tiers_{};
  std::uint64_t between_tiers_ = 0;
  DomainCounter domains_;
  DistinctCounter scores_;
  DistinctCounter prompts_;
};

// The whole table: rows the gate drops before their dimension is known, and
// the statistics of every dimension seen (1..kMaxProfileFeatures). The report is
// made for one dimension, the caller's or the most common, and counts the
// rows of every other as wrong_dimension.
class QualityAccumulator final : public ObservationSink {
 public:
  void add(const RowObservation& row) override;

  std::uint64_t sample_count() const { return sample_count_; }
  // Rows dropped before a dimension applies: no feature array, a nested or
  // over-long one, or a value where the array should be.
  std::uint64_t undimensioned_invalid(InvalidReason reason) const {
    return undimensioned_[static_cast<std::size_t>(reason)];
  }
  // The dimension with the most rows; ties go to six, then to the smallest.
  // Six when no row has a readable feature array.
  std::size_t most_common_dimension() const;
  // Statistics of one dimension; nullptr when no row had it.
  const DimensionStats* dimension_stats(std::size_t dimension) const;
  // Rows whose (readable) dimension is not `dimension`.
  std::uint64_t rows_of_other_dimensions(std::size_t dimension) const;

 private:
  std::uint64_t sample_count_ = 0;
  std::array<std::uint64_t, kInvalidReasonCount> undimensioned_{};
  std::vector<std::unique_ptr<DimensionStats>> by_dimension_ =
      std::vector<std::unique_ptr<DimensionStats>>(kMaxProfileFeatures + 1);
};

}  // namespace synth
