// The exact discrete Gaussian sampler of Canonne, Kamath and Steinke (2020,
// "The Discrete Gaussian for Differential Privacy", Algorithms 1-3): integers
// x drawn with probability proportional to exp(-x^2 / (2 sigma^2)), sigma^2 a
// rational number. Every step is integer arithmetic on uniform random bytes
// (boost::multiprecision::cpp_int): Bernoulli(exp(-gamma)) by the series
// trick, discrete Laplace by rejection, the Gaussian by rejection from the
// Laplace. No floating point is involved, so the low bits of a released value
// cannot leak the value noised (Mironov 2012). Added to an integer statistic
// of L2 sensitivity D, it gives D^2 / (2 sigma^2)-zCDP (CKS 2020, Theorem 14).
#pragma once

#include <cstdint>

#include "engine/privacy/random_source.hpp"

namespace synth {

// sigma^2 = numerator / denominator, both positive.
struct Rational {
  std::uint64_t numerator = 0;
  std::uint64_t denominator = 1;
};

// The largest variance variance_at_least takes (sigma about 8.4 million).
inline constexpr double kMaxNoiseVariance = 70368744177664.0;  // 2^46
// The smallest rational numerator / 2^16 at or above v (0 < v <=
// kMaxNoiseVariance): rounding a variance up only adds noise, so the privacy
// the accountant computed from v still holds.
Rational variance_at_least(double v);

class DiscreteGaussian {
 public:
  // Throws synth::Error (22023) for a variance that is not positive.
  explicit DiscreteGaussian(Rational sigma2);
  // One draw; polls the interrupt hook while rejection sampling.
  std::int64_t sample(RandomSource& random) const;
  // The exact probability mass at x, for tests (normalised by a sum over
  // |x| <= 40 sigma, where the rest is below 1e-300).
  double pmf(std::int64_t x) const;
  Rational variance() const { return sigma2_; }

 private:
  Rational sigma2_;
  std::uint64_t t_;  // floor(sigma) + 1: the Laplace scale of the proposal
};

// Exact Bernoulli draws on rationals, exposed for the tests.
bool bernoulli_rational(RandomSource& random, std::uint64_t numerator, std::uint64_t denominator);

}  // namespace synth
