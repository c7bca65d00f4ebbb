#include "engine/profile/marginal_grid.hpp"

#include <algorithm>
#include <cmath>

#include "engine/model/interrupt.hpp"

namespace synth {
namespace {

// Where the smoothed CDF is evaluated (ascending, in the smoothing space):
// kGridPoints evenly over the body, from the centre at 0.5% of the kernels'
// weight less kGridReach bandwidths to the one at 99.5% plus as many (within
// the bounds), and beyond the body only where there is mass: at each centre
// outside it and kGridReach bandwidths to either side, and at the bounds. A
// grid even over the whole range let one extreme row (1e6 among 2000 values
// near 0) put the whole body inside one cell, whose linear interpolation
// then gave a median of 1950.
constexpr double kGridReach = 4.0;
constexpr double kGridBody = 0.005;

// Whether the smoothed marginal's body (probabilities 1/16 .. 15/16) lies
// where the rows are: each knot's share of rows below it within
// kBodySlack + 1.5 / sqrt(n) of the knot's probability (the sampling spread
// of a quantile, and room for the kernel: a catastrophe, not a blur, fails
// it; 18 zeros of 45 rows, too few to be a point mass and smeared by the
// kernels to below 6% of the draws, do). A smoothing space that cannot
// resolve the column fails it: y = exp(6 z) spans 19 orders of magnitude, the
// log's least offset (a millionth of the span) still squashes the body below
// one bandwidth, and the kernels put the median at 698 (version 9's grid) or
// 1.4e7 (version 8's) where the rows' is 0.92. Such a column falls back to
// the rows' own quantiles.
constexpr double kBodySlack = 1.0 / 4;

}  // namespace

std::vector<double> grid_points(const std::vector<std::pair<double, double>>& points, double bandwidth,
                                double y_low, double y_high) {
  double body_low = y_low, body_high = y_high;
  if (!points.empty()) {
    double total = 0;
    for (const auto& point : points) total += point.second;
    double seen = 0;
    std::size_t first = 0, last = points.size() - 1;
    for (std::size_t i = 0; i < points.size(); ++i) {
      if (seen <= kGridBody * total) first = i;
      seen += points[i].second;
      if (seen < (1.0 - kGridBody) * total) last = i + 1;
    }
    last = std::min(last, points.size() - 1);
    body_low = std::max(y_low, points[first].first - kGridReach * bandwidth);
    body_high = std::min(y_high, points[last].first + kGridReach * bandwidth);
    if (!(body_high > body_low)) body_low = y_low, body_high = y_high;
  }
  std::vector<double> ys;
  ys.reserve(kGridPoints + 3 * points.size() / 8 + 2);
  ys.push_back(y_low);
  for (std::size_t g = 0; g < kGridPoints; ++g)
    ys.push_back(body_low + (body_high - body_low) * static_cast<double>(g) / (kGridPoints - 1));
  for (const auto& [centre, count] : points) {
    poll_interrupt();
    if (centre >= body_low && centre <= body_high) continue;
    for (const double y : {centre - kGridReach * bandwidth, centre, centre + kGridReach * bandwidth})
      if (y > y_low && y < y_high) ys.push_back(y);
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
