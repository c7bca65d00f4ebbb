// Privacy: synthetic rows that copy a real one (over every row), the
// distance to the closest real record (DCR) on bounded samples, and with a
// holdout the share of synthetic rows nearer the real rows than fresh ones.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "engine/compare/compare_measures.hpp"
#include "engine/compare/compare_stats.hpp"
#include "engine/model/interrupt.hpp"
#include "engine/model/mixing.hpp"

namespace synth::compare {
namespace {

// A row's distance to another: the mean over the columns of the gap as a
// share of the column's range on the real rows (capped at 1); the domain adds
// 0 when equal, 1 when not.
struct DistanceSpace {
  std::vector<double> range;       // per numeric column, over the real rows
  std::vector<double> half_range;  // the same from halved ends, finite where range overflows
  bool domain = false;

  void add_column(double low, double high) {
    range.push_back(high - low);
    half_range.push_back(high / 2 - low / 2);
  }
  double distance(const SideColumns& a, std::size_t i, const SideColumns& b, std::size_t j) const {
    double sum = 0.0;
    for (std::size_t c = 0; c < range.size(); ++c) {
      const double x = a.numeric[c][i], y = b.numeric[c][j];
      const double gap = std::fabs(x - y);
      if (!(range[c] > 0)) {
        sum += gap > 0 ? 1.0 : 0.0;
      } else if (std::isfinite(range[c])) {
        sum += std::min(1.0, gap / range[c]);
      } else {
        sum += std::min(1.0, std::fabs(x / 2 - y / 2) / half_range[c]);
      }
    }
    if (domain) sum += a.domain[i] == b.domain[j] ? 0.0 : 1.0;
    return sum / static_cast<double>(range.size() + (domain ? 1 : 0));
  }
  std::vector<double> closest(const SideColumns& queries, const SideColumns& reference) const {
    std::vector<double> out(queries.rows(), std::numeric_limits<double>::infinity());
    for (std::size_t i = 0; i < queries.rows(); ++i)
      for (std::size_t j = 0; j < reference.rows() && out[i] > 0.0; ++j) {
        poll_interrupt(static_cast<std::uint32_t>(range.size() + 1));
        out[i] = std::min(out[i], distance(queries, i, reference, j));
      }
    return out;
  }
};

std::uint64_t row_hash(const SideColumns& side, std::size_t row) {
  std::uint64_t h = 0x243f6a8885a308d3ULL;
  for (std::size_t j = 0; j < side.dimension; ++j) {
    double x = side.numeric[j][row];
    if (x == 0.0) x = 0.0;  // -0 equals 0
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    h = mix64(h ^ bits);
  }
  return h;
}

}  // namespace

std::uint64_t count_exact_copies(const SideColumns& real, const SideColumns& synthetic) {
  std::vector<std::pair<std::uint64_t, std::size_t>> index;
  index.reserve(real.rows());
  for (std::size_t i = 0; i < real.rows(); ++i) {
    poll_interrupt(static_cast<std::uint32_t>(real.dimension + 1));
    index.emplace_back(row_hash(real, i), i);
  }
  std::sort(index.begin(), index.end());
  std::uint64_t copies = 0;
  for (std::size_t i = 0; i < synthetic.rows(); ++i) {
    poll_interrupt(static_cast<std::uint32_t>(synthetic.dimension + 1));
    const std::uint64_t h = row_hash(synthetic, i);
    auto it = std::lower_bound(index.begin(), index.end(), std::make_pair(h, std::size_t{0}));
    for (; it != index.end() && it->first == h; ++it) {
      bool same = true;
      for (std::size_t j = 0; same && j < real.dimension; ++j)
        same = real.numeric[j][it->second] == synthetic.numeric[j][i];
      if (same) {
        ++copies;
        break;
      }
    }
  }
  return copies;
}

void measure_privacy(const QualityLayout& layout, const SideColumns& real, const Samples& samples,
                     bool holdout, const CompareOptions& options, CompareReport& report) {
  DistanceSpace space;
  space.domain = layout.domain;
  for (std::size_t j = 0; j < layout.numeric; ++j)
    space.add_column(real.numeric[j].front(), real.numeric[j].back());
  auto& privacy = report.privacy;
  privacy.exact_copy_share =
      static_cast<double>(privacy.exact_copies) / static_cast<double>(privacy.rows_checked);
  if (options.bootstrap > 0) privacy.exact_copy_interval = wilson(privacy.exact_copies, privacy.rows_checked);
  const std::vector<double> dcr = space.closest(samples.dcr_queries, samples.dcr_reference);
  privacy.dcr_median = quantile(dcr, 0.5);
  privacy.dcr_rows_synthetic = samples.dcr_queries.rows();
  privacy.dcr_rows_real = samples.dcr_reference.rows();
  Random privacy_random(options.seed, kComparePrivacyStream);
  const auto resampled = [&](const std::vector<double>& values) {
    std::vector<double> out(values.size());
    check_interrupt();
    for (double& v : out) v = values[privacy_random.below(values.size())];
    return out;
  };
  std::vector<double> reps;
  for (int b = 0; b < options.bootstrap; ++b) reps.push_back(quantile(resampled(dcr), 0.5));
  if (options.bootstrap > 0) privacy.dcr_interval = plain_interval(reps, privacy.dcr_median, 0.0, 1.0);
  if (!holdout) return;
  privacy.has_holdout = true;
  privacy.holdout_rows = samples.holdout_rows;
  const std::vector<double> to_real = space.closest(samples.dcr_queries, samples.holdout_real);
  const std::vector<double> to_holdout = space.closest(samples.dcr_queries, samples.holdout_reference);
  std::vector<double> closer(to_real.size());
  for (std::size_t i = 0; i < closer.size(); ++i)
    closer[i] = to_real[i] < to_holdout[i] ? 1.0 : to_real[i] == to_holdout[i] ? 0.5 : 0.0;
  privacy.closer_to_real = finite_mean(closer);
  std::vector<double> closer_reps;
  for (int b = 0; b < options.bootstrap; ++b) closer_reps.push_back(finite_mean(resampled(closer)));
  if (options.bootstrap > 0)
    privacy.closer_interval = plain_interval(closer_reps, privacy.closer_to_real, 0.0, 1.0);
}

}  // namespace synth::compare
