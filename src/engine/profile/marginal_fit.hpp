// Fitting one marginal (profile.hpp's Marginal) from a sorted column: point
// masses kept exactly, the rest smoothed by a Gaussian kernel estimate in a
// space chosen from the data (identity, or a log toward one bound or both),
// and the quantile knots placed with finer steps toward both ends.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "engine/profile/profile.hpp"

namespace synth {

// A value and the row it came from, for sorting a column.
using Ranked = std::pair<double, std::size_t>;

// Sorts values by value (ties in any order), as std::sort by .first would:
// an LSD radix sort on the IEEE bit pattern, whose order is the numeric one
// for every value but NaN (which never reaches a fit) and -0.0 (which the
// fitter turns into 0.0). scratch: working space, resized as needed.
void sort_by_value(std::vector<Ranked>& values, std::vector<Ranked>& scratch);

// Large samples are smoothed over this many of their own quantiles.
inline constexpr std::size_t kSketchPoints = 513;

// numpy's default ("linear", Hyndman-Fan type 7) quantile of sorted values.
double sorted_quantile(const Ranked* values, std::size_t n, double probability);

// The space a marginal is smoothed in: y = apply(x), strictly increasing on
// [low, high]; invert(apply(x)) is x up to rounding.
struct SmoothingTransform {
  enum Kind { kIdentity, kLogLow, kLogHigh, kLogBoth };
  Kind kind = kIdentity;
  double low = 0, high = 0, offset = 0;  // offset > 0 for the logs: log(x - low + offset)

  double apply(double x) const noexcept;
  double invert(double y) const noexcept;
};

// Values that repeat this often are point masses (a count of zero visits, a
// binary flag, one of a few coinsurance rates): smoothing them would spread
// their mass between the values the column can take, so they keep it.
// Fewer repeats (iris' one-decimal grid: at most 9 rows of one value in a
// domain for the features that are smoothed) are ties of a continuous value.
// The sampler draws a point mass of at least this many rows as its exact
// value (profile_sampler.cpp).
inline constexpr std::size_t kAtomMinRows = 20;

// The least rows a value at a column's least or greatest value needs to be
// a point mass below kAtomMinRows (marginal_fit.cpp, split_bound_masses),
// and to be drawn as its exact value (profile_sampler.cpp).
inline constexpr std::size_t kBoundMassMinRows = 5;

// The transform under which the middle of sorted values (their octiles) is
// most nearly symmetric: the identity unless a log toward the lower bound,
// the upper bound or both (offsets span * 10^-1 .. 10^-6) brings the octile
// skewness, |(q7/8 - q1/2) - (q1/2 - q1/8)| / (q7/8 - q1/8), below the
// identity's by more than kTransformMargin. low and high: the column's bounds.
inline constexpr double kTransformMargin = 0.05;
SmoothingTransform choose_transform(const Ranked* values, std::size_t n, double low, double high);

// The fitted marginal of a sorted column (docs/profile.md, "Marginals"):
// 2 knots for one row, else kMaxQuantileKnots + 2 kTailLevels knots with
// kTailLevels tail levels (or, where no kernel is usable, numpy's quantiles).
// The same values give the same knots whatever rows they came from.
// match_body_mean: move the smoothed stretches so that the body's mean is
// the rows' (marginal_fit.cpp, match_mean); never for the score, whose
// probabilities at the band edges are the band shares the sampler draws by.
Marginal marginal_of_sorted(const Ranked* values, std::size_t n, bool match_body_mean = true);

}  // namespace synth
