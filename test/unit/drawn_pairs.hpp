// What the tests of drawn correlations share: the Pearson correlation of two
// columns, and the first two features of rows drawn from a profile.
#pragma once

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/profile/profile.hpp"
#include "engine/profile/profile_sampler.hpp"

namespace synth::test_support {

inline double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
  mx /= n, my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

// The first two features of rows 0..n-1 drawn from p with `seed`.
inline std::pair<std::vector<double>, std::vector<double>> draw_two_features(const Profile& p, std::int64_t n,
                                                                             std::uint64_t seed) {
  ProfileOptions o;
  o.n = n;
  o.seed = seed;
  ProfileSampler s(p, o);
  FittedRow row;
  std::vector<double> first, second;
  for (std::int64_t i = 0; i < n; ++i) {
    s.sample(i, row);
    first.push_back(row.features[0]);
    second.push_back(row.features[1]);
  }
  return {first, second};
}

}  // namespace synth::test_support
