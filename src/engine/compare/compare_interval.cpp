// The comparison's 95% intervals (see compare_interval.hpp).
#include "engine/compare/compare_interval.hpp"

#include <algorithm>
#include <cmath>

#include "engine/compare/compare_stats.hpp"

namespace synth::compare {

double finite_mean(const std::vector<double>& values, const std::vector<char>* keep) {
  double sum = 0.0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (keep && !(*keep)[i]) continue;
    if (std::isfinite(values[i])) sum += values[i], ++n;
  }
  return n ? sum / static_cast<double>(n) : kNaN;
}

Interval interval_of(std::vector<double> replicates, double estimate, double subsample_estimate, double scale,
                     double low_bound, double high_bound) {
  Interval out;
  if (replicates.empty() || !std::isfinite(estimate)) return out;
  const double lo = quantile(replicates, 0.025), hi = quantile(replicates, 0.975);
  if (!std::isfinite(lo) || !std::isfinite(hi)) return out;
  const double centre = std::isfinite(subsample_estimate) ? subsample_estimate : estimate;
  out.low = std::clamp(estimate + scale * (lo - centre), low_bound, high_bound);
  out.high = std::clamp(estimate + scale * (hi - centre), low_bound, high_bound);
  out.low = std::min(out.low, estimate);
  out.high = std::max(out.high, estimate);
  return out;
}

Interval subsample_interval(const std::vector<double>& replicates, double estimate, double sample_estimate,
                            double scale, double low_bound, double high_bound) {
  Interval out;
  const double mean = finite_mean(replicates);
  if (!std::isfinite(estimate) || !std::isfinite(mean)) return out;
  const double lo = quantile(replicates, 0.025), hi = quantile(replicates, 0.975);
  const double from = std::isfinite(sample_estimate) ? sample_estimate : estimate;
  const double bias = (mean - from) * scale;
  const double centre = estimate - bias;
  const double spread = scale / std::sqrt(3.0);
  out.low = std::clamp(std::min(centre, estimate) - spread * (hi - mean), low_bound, high_bound);
  out.high = std::clamp(std::max(centre, estimate) + spread * (mean - lo), low_bound, high_bound);
  return out;
}

Interval wilson(std::uint64_t hits, std::uint64_t n) {
  Interval out;
  if (n == 0) return out;
  const double z = 1.959963984540054, nn = static_cast<double>(n);
  const double p = static_cast<double>(hits) / nn;
  const double centre = (p + z * z / (2 * nn)) / (1 + z * z / nn);
  const double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / (1 + z * z / nn);
  out.low = std::max(0.0, centre - half);
  out.high = std::min(1.0, centre + half);
  return out;
}

}  // namespace synth::compare
