// The statistics a private fit releases, before noise, each with the L2
// sensitivity the accountant assumes (adding or removing one row changes the
// statistic's vector by at most that much; test_private_fit checks it on
// random data). private_fit.cpp adds the noise and turns them into a profile.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <utility>
#include <vector>

#include "engine/privacy/private_fit.hpp"
#include "engine/profile/profile.hpp"

namespace synth {

// The rows a private fit reads: row-major values (d + 1 per row, the score
// last) and each row's domain index.
struct PrivateRows {
  const double* values = nullptr;
  const std::uint32_t* domain = nullptr;
  std::size_t n = 0;
  std::size_t d = 0;
  double at(std::size_t row, std::size_t column) const { return values[row * (d + 1) + column]; }
};

// Rows per domain index (domains of them). Sensitivity 1.
std::vector<std::int64_t> count_domains(const PrivateRows& rows, std::size_t domains);

// slot[domain index]: the released domain's slot, or -1 for a domain whose
// rows are left out. Every statistic below reads only rows with a slot.

// Per feature, the rows with a non-integer value. Sensitivity sqrt(d).
std::vector<std::int64_t> count_non_integers(const PrivateRows& rows, const std::vector<int>& slot);
inline double non_integer_sensitivity(std::size_t d) { return std::sqrt(static_cast<double>(d)); }
// The squared sensitivities the noise is calibrated to (exact integers where
// the sensitivity is a root).
inline double non_integer_sensitivity_squared(std::size_t d) { return static_cast<double>(d); }

// The signed log2 grid of bound estimation: the middle bin holds 0; on
// each side, (0, 2^kLogBottom), then [2^e, 2^(e+1)) for e = kLogBottom ..
// kLogTop - 1, then [2^kLogTop, inf) (whose edge is taken as 2^(kLogTop+1)),
// mirrored for negative values.
inline constexpr int kLogBottom = -10;
inline constexpr int kLogTop = 62;
inline constexpr std::size_t kLogSide = static_cast<std::size_t>(kLogTop - kLogBottom) + 2;  // 74
inline constexpr std::size_t kLogBins = 2 * kLogSide + 1;
std::size_t log_bin(double x);
// The interval [lower, upper] of a log bin.
std::pair<double, double> log_bin_edges(std::size_t bin);
// Per listed feature, its kLogBins counts. Sensitivity sqrt(features).
inline double log_histogram_sensitivity_squared(std::size_t features) {
  return static_cast<double>(features);
}
std::vector<std::int64_t> log_histograms(const PrivateRows& rows, const std::vector<int>& slot,
                                         const std::vector<std::size_t>& features);

// Column c's grid: kPrivateFeatureBins even bins over the bounds (values
// clamped in) for a feature, kPrivateScoreBins of width 0.01 for the score,
// cut so that every bin lies in one score band; then one bin per atom (a
// released frequent value), which takes the rows holding exactly it.
struct ColumnGrid {
  double lo = 0, hi = 1;
  bool score = false;
  std::vector<double> atoms;  // sorted, inside [lo, hi]
  // Even bins; 0: kPrivateScoreBins or kPrivateFeatureBins. A score takes a
  // multiple of 10 (its band edges are bin edges).
  std::size_t even_bins = 0;
  std::size_t even() const { return even_bins ? even_bins : score ? kPrivateScoreBins : kPrivateFeatureBins; }
  std::size_t bins() const { return even() + atoms.size(); }
  double clamp(double x) const { return std::min(std::max(x, lo), hi); }
  std::size_t bin(double x) const;
  // The interval [low, high] of a bin (an atom's is the value itself).
  double low(std::size_t bin) const;
  double high(std::size_t bin) const;
};
std::size_t score_bin(double score, std::size_t bins = kPrivateScoreBins);
std::size_t feature_bin(double x, std::pair<double, double> bounds, std::size_t bins = kPrivateFeatureBins);
// The grids of every column, and where each column's bins start in a slot's.
struct Grids {
  std::vector<ColumnGrid> columns;
  std::vector<std::size_t> offset;  // columns.size() + 1 entries
  std::size_t width() const { return offset.back(); }
};
Grids make_grids(std::vector<ColumnGrid> columns);
// A row adds 1 to one bin of each column of its slot: slots x width counts.
// Sensitivity sqrt(d + 1) (domains are disjoint).
std::vector<std::int64_t> grid_histograms(const PrivateRows& rows, const std::vector<int>& slot,
                                          std::size_t slots, const Grids& grids);
inline double grid_sensitivity(std::size_t d) { return std::sqrt(static_cast<double>(d + 1)); }
inline double grid_sensitivity_squared(std::size_t d) { return static_cast<double>(d + 1); }

// Frequent values: per column, each distinct value (clamped into the
// column's bounds) of the rows with a slot and its rows, in value order.
// A row adds 1 to one value of each column. Sensitivity sqrt(d + 1).
std::vector<std::vector<std::pair<double, std::int64_t>>> value_counts(const PrivateRows& rows,
                                                                       const std::vector<int>& slot,
                                                                       const std::vector<ColumnGrid>& grids);

// The copula's Gram matrices: per slot the upper triangle (diagonal
// included, row-major) of sum q q^T, q = round(kGramScale z), z the row's
// normal scores under its slot's released marginals (marginals[slot]: d
// features then the score), clipped to an L2 norm of kCopulaClipNorm
// sqrt(d + 1). Sensitivity ||q||^2 <= (kCopulaClipNorm sqrt(d + 1)
// kGramScale + sqrt(d + 1) / 2)^2.
inline constexpr double kGramScale = 16.0;
std::size_t gram_pairs(std::size_t d);
std::vector<std::int64_t> copula_grams(const PrivateRows& rows, const std::vector<int>& slot,
                                       std::size_t slots,
                                       const std::vector<std::vector<Marginal>>& marginals);
double gram_sensitivity(std::size_t d);
inline double gram_sensitivity_squared(std::size_t d) { return gram_sensitivity(d) * gram_sensitivity(d); }
// A value's normal score under a released marginal: Phi^-1 of the middle of
// the probabilities at which the marginal reaches it, kept in [0.005, 0.995].
double normal_score(const Marginal& m, double x);
// A row's clipped, scaled normal-score vector (what copula_grams adds).
std::vector<std::int64_t> gram_vector(const PrivateRows& rows, std::size_t row,
                                      const std::vector<Marginal>& marginals);

}  // namespace synth
