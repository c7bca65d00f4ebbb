// The standard normal distribution by fixed arithmetic: its CDF and its
// inverse (Wichura's AS 241, accurate to about 1e-16). Written out here rather
// than taken from Boost.Math so a profile's rows stay the same across Boost
// versions; only std::erfc comes from the C library.
// Inline: the fit calls them per value; the sampler calls normal_quantile
// once a row and NormalCdfSpline (below) once a feature.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace synth {

// P(Z <= z).
inline double normal_cdf(double z) noexcept { return 0.5 * std::erfc(-z * 0.70710678118654752440); }

// z with P(Z <= z) = p, for p in (0, 1); p is clamped to [1e-300, 1 - 1e-16].
inline double normal_quantile(double p) noexcept {
  p = std::clamp(p, 1e-300, 1.0 - 1e-16);
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q *
           (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
                45921.953931549871457) *
                   r +
               13731.693765509461125) *
                  r +
              1971.5909503065514427) *
                 r +
             133.14166789178437745) *
                r +
            3.387132872796366608) /
           (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
                21213.794301586595867) *
                   r +
               5394.1960214247511077) *
                  r +
              687.1870074920579083) *
                 r +
             42.313330701600911252) *
                r +
            1.0);
  }
  double r = q < 0 ? p : 1.0 - p;
  r = std::sqrt(-std::log(r));
  double value;
  if (r <= 5.0) {
    r -= 1.6;
    value =
        (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
             1.27045825245236838258) *
                r +
            3.64784832476320460504) *
               r +
           5.7694972214606914055) *
              r +
          4.6303378461565452959) *
             r +
         1.42343711074968357734) /
        (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
             0.14810397642748007459) *
                r +
            0.68976733498510000455) *
               r +
           1.6763848301838038494) *
              r +
          2.05319162663775882187) *
             r +
         1.0);
  } else {
    r -= 5.0;
    value =
        (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) *
                 r +
             0.026532189526576123093) *
                r +
            0.29656057182850489123) *
               r +
           1.7848265399172913358) *
              r +
          5.4637849111641143699) *
             r +
         6.6579046435011037772) /
        (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) *
                 r +
             7.868691311456132591e-4) *
                r +
            0.0148753612908506148525) *
               r +
           0.13692988092273580531) *
              r +
          0.59983220655588793769) *
             r +
         1.0);
  }
  return q < 0 ? -value : value;
}

// Phi(z) by cubic Hermite interpolation of normal_cdf and its density on a
// grid of step 1/32 over [-8.5, 8.5]: within 1.4e-9 of normal_cdf (the
// interpolation bound h^4/384 * max|Phi''''|; the unit tests check it), at
// the cost of one table lookup and three multiply-adds instead of erfc.
// Beyond the grid Phi is 0 or 1 (it is within 1e-17 of them). Monotone and
// within [0, 1]. The table is built once, from normal_cdf and std::exp.
class NormalCdfSpline {
 public:
  static const NormalCdfSpline& instance();

  double operator()(double z) const noexcept {
    if (!(z > -kReach)) return 0.0;
    if (!(z < kReach)) return 1.0;
    const double at = (z + kReach) * kPerUnit;
    // at is in (0, 2 * reach * per_unit): the signed conversion is one instruction, the unsigned one a
    // branch.
    const std::size_t i = std::min(static_cast<std::size_t>(static_cast<std::int64_t>(at)), kIntervals - 1);
    const double t = at - static_cast<double>(i);
    const Cubic& c = cubics_[i];
    return std::clamp(c.a + t * (c.b + t * (c.c + t * c.d)), 0.0, 1.0);
  }

 private:
  NormalCdfSpline();
  struct Cubic {
    double a, b, c, d;
  };
  static constexpr double kReach = 8.5;
  static constexpr double kPerUnit = 32.0;
  static constexpr std::size_t kIntervals = 2 * 8 * 32 + 32;  // 2 * 8.5 * 32
  std::array<Cubic, kIntervals> cubics_{};
};

}  // namespace synth
