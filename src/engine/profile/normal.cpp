#include "engine/profile/normal.hpp"

namespace synth {

NormalCdfSpline::NormalCdfSpline() {
  constexpr double kInvSqrt2Pi = 0.39894228040143267794;
  const double h = 1.0 / kPerUnit;
  auto value = [&](std::size_t i) { return normal_cdf(-kReach + static_cast<double>(i) * h); };
  auto slope = [&](std::size_t i) {  // dPhi/dt with t = (z + reach) * per_unit
    const double z = -kReach + static_cast<double>(i) * h;
    return h * kInvSqrt2Pi * std::exp(-0.5 * z * z);
  };
  for (std::size_t i = 0; i < kIntervals; ++i) {
    const double p0 = value(i), p1 = value(i + 1), m0 = slope(i), m1 = slope(i + 1);
    cubics_[i] = {p0, m0, 3 * (p1 - p0) - 2 * m0 - m1, 2 * (p0 - p1) + m0 + m1};
  }
}

const NormalCdfSpline& NormalCdfSpline::instance() {
  static const NormalCdfSpline table;
  return table;
}

}  // namespace synth
