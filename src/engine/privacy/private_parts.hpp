// What the steps of a private fit share (private_fit.cpp, private_shape.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/privacy/accountant.hpp"
#include "engine/privacy/discrete_gaussian.hpp"
#include "engine/privacy/private_statistics.hpp"
#include "engine/profile/profile.hpp"

namespace synth {

// Discrete Gaussian noise calibrated to rho-zCDP for a statistic of the given
// L2 sensitivity (variance sensitivity^2 / (2 rho), rounded up to a
// rational). Throws 22023 (epsilon) when that variance is beyond the sampler.
class NoiseGenerator {
 public:
  NoiseGenerator(double sensitivity, double rho, RandomSource& random);
  std::int64_t add(std::int64_t value);
  double variance() const { return variance_; }

 private:
  static double checked_variance(double variance);
  double variance_;
  DiscreteGaussian gaussian_;
  RandomSource* random_;
};

// The released domains in name order, their noisy rows, and each input
// domain's slot among them (-1: left out).
struct ReleasedDomains {
  std::vector<std::string> names;
  std::vector<std::uint64_t> rows;
  std::uint64_t total = 0;
  std::vector<int> slot;
};

// Steps 4 and 5: the marginals, band shares and copulas of every released
// domain and the pool, as a profile (without feature names and privacy).
Profile release_shape(const PrivateRows& rows, const ReleasedDomains& released,
                      const std::vector<std::pair<double, double>>& bounds, const std::vector<bool>& integer,
                      const BudgetSplit& split, double delta_atoms, RandomSource& random);

// The marginal of a (noisy, cut at 0) histogram on a column's grid: knots
// are its quantiles, linear inside each even bin (split at the atoms inside
// it), on the value itself inside an atom's.
Marginal marginal_from_histogram(const double* mass, const ColumnGrid& grid, bool integer);

// Frequent values: per column, the values held by at least max(2,
// noisy total / 128) rows whose noisy count passes domain_threshold with
// delta_atoms / (d + 1), at most kMaxAtoms of them (the largest counts).
inline constexpr std::size_t kMaxAtoms = 32;
void release_atoms(const PrivateRows& rows, const ReleasedDomains& released, std::vector<ColumnGrid>& grids,
                   double rho, double delta_atoms, RandomSource& random);

}  // namespace synth
