// Marginal's inverse: the probabilities at which its quantile function
// reaches a value (profile.hpp), used to cut the score marginal into bands.
#include <algorithm>

#include "engine/profile/profile.hpp"

namespace synth {

double Marginal::lower_probability(double x) const noexcept {
  const std::size_t m = knots.size();
  if (x <= knots.front()) return 0.0;
  if (x > knots.back()) return 1.0;
  const std::size_t i =
      static_cast<std::size_t>(std::lower_bound(knots.begin(), knots.end(), x) - knots.begin());
  const double width = knots[i] - knots[i - 1];
  const double frac = width > 0 ? (x - knots[i - 1]) / width : 1.0;
  return (static_cast<double>(i - 1) + frac) / static_cast<double>(m - 1);
}

double Marginal::upper_probability(double x) const noexcept {
  const std::size_t m = knots.size();
  if (x >= knots.back()) return 1.0;
  if (x < knots.front()) return 0.0;
  const std::size_t i =
      static_cast<std::size_t>(std::upper_bound(knots.begin(), knots.end(), x) - knots.begin()) - 1;
  const double width = knots[i + 1] - knots[i];
  const double frac = width > 0 ? (x - knots[i]) / width : 0.0;
  return (static_cast<double>(i) + frac) / static_cast<double>(m - 1);
}

}  // namespace synth
