// Privacy accounting in zero-concentrated differential privacy (zCDP, Bun and
// Steinke 2016), as MST and AIM account. The unit of privacy is one real row,
// added or removed.
//
// Conversions. A rho-zCDP mechanism is (epsilon, delta)-DP for
//   epsilon(rho, delta) = inf over alpha > 1 of
//       alpha rho + (log(1/delta) + (alpha - 1) log(1 - 1/alpha) - log(alpha)) / (alpha - 1)
// (Canonne, Kamath and Steinke 2020, Proposition 12 / Corollary 13 applied to
// the Renyi divergences alpha rho of zCDP), never worse than the classic
// rho + 2 sqrt(rho log(1/delta)); the smaller of the two is used.
// rho_for(epsilon, delta) inverts it by bisection: the largest rho whose
// epsilon is at most the one asked for (it errs on the side of less rho).
//
// The budget split of a private fit (weights, renormalised over the parts a
// fit uses; rho_total = rho_for(epsilon, delta_cdp)):
//   counts     1   the rows of each domain (L2 sensitivity 1)
//   integers   0.2 per feature, the rows with a non-integer value (sqrt(d))
//   bounds     1   only when some bound is estimated: a log-grid histogram
//                  per estimated feature (sqrt(features estimated))
//   marginals  4   per domain a histogram per column, the score included
//                  (sqrt(d + 1); domains are disjoint: parallel composition)
//   copula     3   per domain the Gram matrix of clipped normal scores
//                  (its Frobenius bound; parallel composition again)
//   atoms      1   per column the noisy rows of each frequent value
//                  (sqrt(d + 1); values below a count set by the noisy
//                  total are never candidates, see private_fit.hpp)
//   dimension  1   only when the dimension is chosen from the rows (no
//                  names, no bounds): the rows of each dimension 1 ..
//                  kMaxProfileFeatures (a row has one dimension: L2
//                  sensitivity 1), the largest noisy count taken
// delta (at most kMaxPrivacyDelta, where epsilon_for grows with rho and is
// never negative) is split by split_delta: delta_cdp = delta / 2 for the
// conversion above; of the
// other half, delta / 4 for the threshold that hides a domain only one row
// could have brought (its noisy count must pass 1 + sigma sqrt(2 log(4 /
// delta)): the discrete Gaussian is sigma^2-subgaussian, CKS 2020) and delta
// / 4 for the same kind of threshold on frequent values (a row can tip one
// value per column, hence a union bound over the d + 1 columns). With public
// domains every listed domain's count is released and the frequent values
// take the whole delta / 2.
#pragma once

#include <array>
#include <cstddef>
#include <string>

namespace synth {

// The largest delta a private fit accepts.
inline constexpr double kMaxPrivacyDelta = 1e-3;

// epsilon(rho, delta) as above, never below 0; rho >= 0, delta in (0, 1).
double epsilon_for(double rho, double delta);
// The largest rho with epsilon_for(rho, delta) <= epsilon (epsilon > 0).
double rho_for(double epsilon, double delta);

// The parts of a private fit (spent in the order dimension, counts,
// integers, bounds, atoms, marginals, copula).
enum class PrivacyPart { kCounts, kIntegers, kBounds, kMarginals, kCopula, kAtoms, kDimension };
inline constexpr std::size_t kPrivacyPartCount = 7;
const char* privacy_part_name(PrivacyPart part);

// How a fit's rho is divided: part weights renormalised over the parts used.
struct BudgetSplit {
  std::array<double, kPrivacyPartCount> rho{};  // per part, summing to the total
  double total = 0;
  double operator[](PrivacyPart part) const { return rho[static_cast<std::size_t>(part)]; }
};
BudgetSplit split_budget(double rho_total, bool bounds_estimated, bool dimension_chosen = false);

// How a fit's delta is divided: the conversion of rho, the domain threshold
// (0 with public domains: every listed domain is released) and the frequent
// values' threshold. The parts sum to at most delta.
struct DeltaSplit {
  double conversion = 0, domains = 0, atoms = 0;
};
DeltaSplit split_delta(double delta, bool public_domains);

// The variance of Gaussian noise that gives rho-zCDP to a statistic of
// squared L2 sensitivity `sensitivity_squared`: sensitivity^2 / (2 rho),
// inflated by 1e-12 against the rounding of the division (the sampler then
// rounds it up again, to a rational).
double gaussian_variance(double sensitivity_squared, double rho);

// The threshold a noisy count must reach to be released when only keys of
// at least `least` rows are candidates (domains: 1): least + sigma *
// sqrt(2 log(1 / delta_threshold)), so a key one row tipped into the
// candidates is released with probability at most delta_threshold.
double domain_threshold(double sigma, double delta_threshold, double least = 1.0);

}  // namespace synth
