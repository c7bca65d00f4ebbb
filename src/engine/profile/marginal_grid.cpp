#include "engine/profile/marginal_grid.hpp"

#include <algorithm>
#include <cmath>

#include "engine/model/interrupt.hpp"

namespace synth {
namespace {

// Where the smoothed CDF is evaluated (ascending, in the smoothing space):
// kGridPoints evenly over the body, the kernel centres within Tukey's far
// fences (kFence interquartile ranges beyond the quartiles of the centres'
// weight), widened by kGridReach bandwidths (within the bounds); beyond the
// body only where there is mass: every half bandwidth within kGridReach
// bandwidths of a centre outside it, and at the bounds. A grid even over the whole
// range let one extreme row (1e6 among 2000 values near 0) put the whole
// body inside one cell, whose linear interpolation then gave a median of
// 1950. Fences rather than quantiles of the weight, so that one row among
// 30 is outside the body too; for a normal column they lie 4.7 standard
// deviations out.
constexpr double kGridReach = 4.0;
constexpr double kFence = 3.0;

// Whether the smoothed marginal's body (probabilities 1/16 .. 15/16) lies
// where the rows are: each knot's share of rows below it within
// kBodySlack + 1.5 / sqrt(n) of the knot's probability (the sampling spread
// of a quantile, and room for the kernel: over 300 ordinary columns of each
// of 17 kinds and 4 sizes from 30 to 20,000 rows, none fails it; two equal
// clusters at 0 and 100, whose kernels fill the gap, do). A smoothing space that cannot
// resolve the column fails it: y = exp(6 z) spans 19 orders of magnitude, the
// log's least offset (a millionth of the span) still squashes the body below
// one bandwidth, and the kernels put the median at 698 (version 9's grid) or
// 1.4e7 (version 8's) where the rows' is 0.92. Such a column falls back to
// the rows' own quantiles.
constexpr double kBodySlack = 0.15;

}  // namespace

CentreFences centre_fences(const std::vector<std::pair<double, double>>& points) {
  long double total = 0;
  for (const auto& point : points) total += point.second;
  const double quarter = static_cast<double>(total) * 0.25,
               three_quarters = static_cast<double>(total) * 0.75;
  double seen = 0, q1 = points.front().first, q3 = points.back().first;
  bool have_q1 = false;
  for (const auto& [centre, weight] : points) {
    seen += weight;
    if (!have_q1 && seen >= quarter) q1 = centre, have_q1 = true;
    if (seen >= three_quarters) {
      q3 = centre;
      break;
    }
  }
  const double iqr = q3 - q1;
  return {q1, q3, q1 - kFence * iqr, q3 + kFence * iqr};
}

std::vector<double> grid_points(const std::vector<std::pair<double, double>>& points, double bandwidth,
                                double y_low, double y_high) {
  double body_low = y_low, body_high = y_high;
  if (!points.empty()) {
    const auto [q1, q3, fence_low, fence_high] = centre_fences(points);
    double lowest = q1, highest = q3;  // the extreme centres within the fences
    for (const auto& point : points) {
      poll_interrupt();
      if (point.first >= fence_low && point.first <= fence_high) {
        lowest = std::min(lowest, point.first);
        highest = std::max(highest, point.first);
      }
    }
    body_low = std::max(y_low, lowest - kGridReach * bandwidth);
    body_high = std::min(y_high, highest + kGridReach * bandwidth);
    if (!(body_high > body_low)) body_low = y_low, body_high = y_high;
  }
  std::vector<double> ys;
  ys.reserve(kGridPoints + 3 * points.size() / 8 + 2);
  ys.push_back(y_low);
  for (std::size_t g = 0; g < kGridPoints; ++g)
    ys.push_back(body_low + (body_high - body_low) * static_cast<double>(g) / (kGridPoints - 1));
  // Beyond the body, every half bandwidth within kGridReach bandwidths of a
  // centre (the kernels' resolution; a centre near the last adds only what
  // the last did not cover).
  double covered = -HUGE_VAL;  // the last point placed beyond the body (centres ascend)
  constexpr int kSteps = static_cast<int>(4 * kGridReach);  // half bandwidths across 2 kGridReach
  for (const auto& [centre, count] : points) {
    poll_interrupt();
    if (centre >= body_low && centre <= body_high) continue;
    if (centre > body_high) covered = std::max(covered, body_high);
    const double first = centre - kGridReach * bandwidth;
    for (int i = 0; i <= kSteps; ++i) {  // a count, not a sum: y + step may equal y at 1e300
      const double y = first + bandwidth * (static_cast<double>(i) / 2);
      if (y <= covered || y <= y_low || y >= y_high || (centre < body_low && y >= body_low)) continue;
      ys.push_back(y);
      covered = y;
    }
  }
  ys.push_back(y_high);
  std::sort(ys.begin(), ys.end());
  ys.erase(std::unique(ys.begin(), ys.end()), ys.end());
  return ys;
}

bool body_follows_rows(const Ranked* values, std::size_t n, const Marginal& m) {
  const double allowed = kBodySlack + 1.5 / std::sqrt(static_cast<double>(n));
  auto below = [&](double x, bool inclusive) {
    const Ranked* at =
        inclusive
            ? std::upper_bound(values, values + n, x, [](double v, const Ranked& r) { return v < r.first; })
            : std::lower_bound(values, values + n, x, [](const Ranked& r, double v) { return r.first < v; });
    return static_cast<double>(at - values) / static_cast<double>(n);
  };
  for (std::size_t k = 1; k + 1 < m.knots.size(); ++k) {
    const double p = m.probability(k);
    if (p < 1.0 / 16 || p > 15.0 / 16) continue;
    if (p < below(m.knots[k], false) - allowed || p > below(m.knots[k], true) + allowed) return false;
  }
  return true;
}

}  // namespace synth
