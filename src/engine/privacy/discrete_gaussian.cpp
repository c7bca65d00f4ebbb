// The exact discrete Gaussian sampler (discrete_gaussian.hpp): Canonne,
// Kamath and Steinke 2020, Algorithms 1 (Bernoulli(exp(-gamma))), 2 (discrete
// Laplace) and 3 (discrete Gaussian), on integers only.
#include "engine/privacy/discrete_gaussian.hpp"

#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>

#include "engine/model/error.hpp"
#include "engine/model/interrupt.hpp"

namespace synth {

namespace {

using Int = boost::multiprecision::cpp_int;

// A uniform integer in [0, bound), bound >= 1, by rejection on whole bytes
// masked to the bound's bit length (each try succeeds with probability > 1/2).
Int uniform_below(RandomSource& random, const Int& bound) {
  const std::size_t bits = boost::multiprecision::msb(bound) + 1;
  const std::size_t bytes = (bits + 7) / 8;
  unsigned char buffer[64];
  for (;;) {
    poll_interrupt();
    Int value = 0;
    for (std::size_t done = 0; done < bytes;) {
      const std::size_t chunk = std::min(bytes - done, sizeof buffer);
      random.fill(buffer, chunk);
      for (std::size_t i = 0; i < chunk; ++i) value = (value << 8) | buffer[i];
      done += chunk;
    }
    value &= (Int(1) << bits) - 1;
    if (value < bound) return value;
  }
}

bool bernoulli(RandomSource& random, const Int& numerator, const Int& denominator) {
  return uniform_below(random, denominator) < numerator;
}

// Bernoulli(exp(-n / d)) for 0 <= n / d <= 1 (Algorithm 1's first part): the
// first K with A_K = 0, A_k ~ Bernoulli(gamma / k); the result is K odd.
bool bernoulli_exp_unit(RandomSource& random, const Int& n, const Int& d) {
  std::uint64_t k = 1;
  for (;;) {
    poll_interrupt();
    if (!bernoulli(random, n, d * k)) break;
    ++k;
  }
  return k % 2 == 1;
}

// Bernoulli(exp(-n / d)) for any n / d >= 0: exp(-1) floor(gamma) times, then
// exp(-(gamma - floor(gamma))).
bool bernoulli_exp(RandomSource& random, const Int& n, const Int& d) {
  const Int whole = n / d;
  for (Int k = 0; k < whole; ++k) {
    poll_interrupt();
    if (!bernoulli_exp_unit(random, Int(1), Int(1))) return false;
  }
  return bernoulli_exp_unit(random, n - whole * d, d);
}

// The discrete Laplace with scale t (Algorithm 2, s = 1): P(x) ~ exp(-|x| / t).
Int discrete_laplace(RandomSource& random, std::uint64_t t) {
  const Int scale = t;
  for (;;) {
    poll_interrupt();
    const Int u = uniform_below(random, scale);
    if (!bernoulli_exp(random, u, scale)) continue;
    Int v = 0;
    while (bernoulli_exp_unit(random, Int(1), Int(1))) {
      poll_interrupt();
      ++v;
    }
    const Int x = u + scale * v;
    const bool negative = bernoulli(random, Int(1), Int(2));
    if (negative && x == 0) continue;
    return negative ? Int(-x) : x;
  }
}

}  // namespace

Rational variance_at_least(double v) {
  if (!(v > 0) || !(v <= kMaxNoiseVariance))
    throw_invalid_parameter("the noise variance must be a positive number at most 2^46");
  const double scaled = std::ceil(std::ldexp(v, 16));
  return Rational{static_cast<std::uint64_t>(scaled), std::uint64_t{1} << 16};
}

bool bernoulli_rational(RandomSource& random, std::uint64_t numerator, std::uint64_t denominator) {
  return bernoulli(random, Int(numerator), Int(denominator));
}

DiscreteGaussian::DiscreteGaussian(Rational sigma2) : sigma2_(sigma2) {
  if (sigma2.numerator == 0 || sigma2.denominator == 0)
    throw_invalid_parameter("the noise variance must be positive");
  // t = floor(sigma) + 1 = floor(sqrt(p / q)) + 1: the integer square root of
  // floor(p / q), found exactly.
  const Int floor_ratio = Int(sigma2.numerator) / Int(sigma2.denominator);
  Int root = boost::multiprecision::sqrt(floor_ratio);
  t_ = static_cast<std::uint64_t>(root) + 1;
}

std::int64_t DiscreteGaussian::sample(RandomSource& random) const {
  const Int p = sigma2_.numerator, q = sigma2_.denominator, t = t_;
  for (;;) {
    poll_interrupt();
    const Int y = discrete_laplace(random, t_);
    // Accept with probability exp(-(|y| - sigma^2 / t)^2 / (2 sigma^2))
    //   = exp(-(|y| t q - p)^2 / (2 p q t^2)).
    const Int a = boost::multiprecision::abs(y) * t * q - p;
    if (bernoulli_exp(random, a * a, 2 * p * q * t * t)) return static_cast<std::int64_t>(y);
  }
}

double DiscreteGaussian::pmf(std::int64_t x) const {
  const double s2 = static_cast<double>(sigma2_.numerator) / static_cast<double>(sigma2_.denominator);
  const auto reach = static_cast<std::int64_t>(std::ceil(40.0 * std::sqrt(s2))) + 1;
  double total = 0;
  for (std::int64_t k = -reach; k <= reach; ++k) total += std::exp(-static_cast<double>(k * k) / (2.0 * s2));
  return std::exp(-static_cast<double>(x) * static_cast<double>(x) / (2.0 * s2)) / total;
}

}  // namespace synth
