// The comparison's 95% intervals: the quality scores' from subsamples
// without replacement (bias-corrected), the models' and distances' from
// bootstrap percentiles, and Wilson's for a share.
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

// The 95% interval of a quality score from subsample replicates (see
// quarter_sample). A percentile bootstrap does not cover here: KS-type
// scores are biased low (the largest gap between two noisy CDFs exceeds the
// true one), and resampling with replacement repeats that bias only in part,
// so the true score lay above most intervals. A subsample without replacement
// is a genuine sample of a quarter of the size, so (with a bias of order
// n^(-1/2), as the KS statistic's) its mean lies below the estimate by the
// estimate's own bias, and, by the finite-population correction, its spread
// around that mean is sqrt(3) times the estimate's standard error. The bias
// correction is itself an estimate, so the interval spans the estimate and
// the corrected estimate, each widened by the spread: from
// min(estimate, corrected) - s (hi - mean) to max(estimate, corrected) +
// s (mean - lo), with s = scale / sqrt(3) and hi, lo the replicates' 97.5%
// and 2.5% quantiles. From a bounded sample `scale` carries the spread and the
// bias to the full data. Clamped to [low_bound, high_bound].
Interval subsample_interval(const std::vector<double>& replicates, double estimate, double sample_estimate,
                            double scale, double low_bound, double high_bound);

// Wilson's 95% interval for a share: the bootstrap of a proportion converges
// to it, and it needs no pass over the rows.
Interval wilson(std::uint64_t hits, std::uint64_t n);

}  // namespace compare
}  // namespace synth
