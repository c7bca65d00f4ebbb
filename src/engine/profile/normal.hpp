// The standard normal distribution by fixed arithmetic: its CDF and its
// inverse (Wichura's AS 241, accurate to about 1e-16). Written out here rather
// than taken from Boost.Math so a profile's rows stay the same across Boost
// versions; only std::erfc comes from the C library.
#pragma once

namespace synth {

// P(Z <= z).
double normal_cdf(double z) noexcept;
// z with P(Z <= z) = p, for p in (0, 1); p is clamped to [1e-300, 1 - 1e-16].
double normal_quantile(double p) noexcept;

}  // namespace synth
