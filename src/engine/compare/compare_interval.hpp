// The comparison's 95% intervals: from bootstrap replicates (percentiles,
// rescaled from a bounded sample to the full data), and Wilson's for a share.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace synth {

struct Interval {
  double low = std::numeric_limits<double>::quiet_NaN();
  double high = std::numeric_limits<double>::quiet_NaN();
};

namespace compare {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The mean of the finite values (of those `keep` marks); NaN when none.
double finite_mean(const std::vector<double>& values, const std::vector<char>* keep = nullptr);

// The 95% interval from replicates of a statistic computed on a subsample:
// percentiles, shifted to centre on the full-data estimate and scaled by the
// ratio of standard errors (1 when the subsample is the whole data).
Interval interval_of(std::vector<double> replicates, double estimate, double subsample_estimate, double scale,
                     double low_bound, double high_bound);

inline Interval plain_interval(const std::vector<double>& replicates, double estimate, double low_bound,
                               double high_bound) {
  return interval_of(replicates, estimate, estimate, 1.0, low_bound, high_bound);
}

// Wilson's 95% interval for a share: the bootstrap of a proportion converges
// to it, and it needs no pass over the rows.
Interval wilson(std::uint64_t hits, std::uint64_t n);

}  // namespace compare
}  // namespace synth
