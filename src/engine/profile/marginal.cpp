// Marginal's inverse: the probabilities at which its quantile function
// reaches a value (profile.hpp), used to cut the score marginal into bands.
#include <algorithm>

#include "engine/profile/profile.hpp"

namespace synth {

double Marginal::probability(std::size_t i) const noexcept {
  const std::size_t segs = knots.size() - 1;
  if (tails == 0) return static_cast<double>(i) / static_cast<double>(segs);
  const std::size_t body = segs - 2 * tails;
  const double per = 1.0 / static_cast<double>(body);
  if (i == 0) return 0.0;
  if (i >= segs) return 1.0;
  if (i <= tails) return std::ldexp(per, static_cast<int>(i) - static_cast<int>(tails) - 1);
  if (i + tails < segs) return static_cast<double>(i - tails) * per;
  return 1.0 - std::ldexp(per, -static_cast<int>(i + tails + 1 - segs));
}

double Marginal::lower_probability(double x) const noexcept {
  if (x <= knots.front()) return 0.0;
  if (x > knots.back()) return 1.0;
  const std::size_t i =
      static_cast<std::size_t>(std::lower_bound(knots.begin(), knots.end(), x) - knots.begin());
  const double width = knots[i] - knots[i - 1];
  const double frac = width > 0 ? (x - knots[i - 1]) / width : 1.0;
  const double from = probability(i - 1);
  return from + frac * (probability(i) - from);
}

double Marginal::upper_probability(double x) const noexcept {
  if (x >= knots.back()) return 1.0;
  if (x < knots.front()) return 0.0;
  const std::size_t i =
      static_cast<std::size_t>(std::upper_bound(knots.begin(), knots.end(), x) - knots.begin()) - 1;
  const double width = knots[i + 1] - knots[i];
  const double frac = width > 0 ? (x - knots[i]) / width : 0.0;
  const double from = probability(i);
  return from + frac * (probability(i + 1) - from);
}

}  // namespace synth
