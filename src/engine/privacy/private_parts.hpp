// What the steps of a private fit share (private_fit.cpp, private_shape.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/privacy/accountant.hpp"
#include "engine/privacy/discrete_gaussian.hpp"
#include "engine/privacy/private_statistics.hpp"
#include "engine/profile/profile.hpp"

namespace synth {

// What a fit spent, for tests: each noise generator built (its part, squared
// sensitivity, rho, the variance sampled, its draws) and each threshold's
// delta (the conversion's too). Recorded only while set_privacy_trace holds
// one (never in the extension).
struct PrivacyTrace {
  struct Noise {
    PrivacyPart part;
    double sensitivity_squared, rho, variance;
    std::size_t draws;
  };
  std::vector<Noise> noise;
  std::vector<std::pair<std::string, double>> deltas;  // "conversion", "domains", "atoms"
};
void set_privacy_trace(PrivacyTrace* trace);
void trace_delta(const char* what, double delta);

// Discrete Gaussian noise calibrated to rho-zCDP for a statistic of the given
// squared L2 sensitivity (variance sensitivity^2 / (2 rho), rounded up to a
// rational). Throws 22023 (epsilon) when that variance is beyond the sampler.
class NoiseGenerator {
 public:
  NoiseGenerator(PrivacyPart part, double sensitivity_squared, double rho, RandomSource& random);
  std::int64_t add(std::int64_t value);
  // The variance sampled (the rational, at or above sensitivity^2 / (2 rho)).
  double variance() const;
  // sigma, rounded up: thresholds that must pass the noise use it.
  double sigma() const;

 private:
  static double checked_variance(double variance);
  DiscreteGaussian gaussian_;
  RandomSource* random_;
  std::size_t trace_index_;  // in the trace, or SIZE_MAX
};

// The dimension of a fit given neither names nor bounds (private_fit.hpp):
// the largest noisy count of rows_by_dimension over 1 .. kMaxProfileFeatures.
std::size_t choose_dimension(const std::map<std::size_t, std::uint64_t>& rows_by_dimension, double rho,
                             RandomSource& random);

// The released domains in name order, their noisy rows, and each input
// domain's slot among them (-1: left out).
struct ReleasedDomains {
  std::vector<std::string> names;
  std::vector<std::uint64_t> rows;
  std::uint64_t total = 0;
  std::vector<int> slot;
};

// The split the shape steps spend, chosen from the request and the released
// counts alone (post-processing: the choice costs nothing). The atoms' rho
// goes to the marginals when no value could pass the atoms' threshold
// unless more than half the released rows hold it; the copula's goes to
// the marginals when the noise of the pooled correlation it would release
// (its standard deviation, for rows whose clipped normal scores hold half
// the clip's square) would exceed kMaxCopulaNoise: the released matrix would
// then be shrunk to the identity anyway (private_shape.cpp).
inline constexpr double kMaxCopulaNoise = 0.5;
BudgetSplit shape_split(const BudgetSplit& split, std::size_t d, std::uint64_t released_total,
                        std::size_t slots, double delta_atoms);

// Step 5: the copulas of a profile whose marginals are released (identity
// matrices when rho is 0).
void release_copulas(const PrivateRows& rows, const ReleasedDomains& released, double rho, Profile& p,
                     RandomSource& random);

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
// The fewest rows a frequent value needs to be a candidate: max(2, noisy
// total / 128), and the candidates of one column's value counts. Adding or
// removing a row adds or drops at most one candidate a column, and only one
// that holds exactly `least` rows (the threshold assumes it).
double atom_least(std::uint64_t released_total);
std::vector<std::pair<double, std::int64_t>> atom_candidates(
    const std::vector<std::pair<double, std::int64_t>>& counts, double least);
void release_atoms(const PrivateRows& rows, const ReleasedDomains& released, std::vector<ColumnGrid>& grids,
                   double rho, double delta_atoms, RandomSource& random);

}  // namespace synth
