// zCDP accounting: the conversions and the budget split of accountant.hpp.
#include "engine/privacy/accountant.hpp"

#include <algorithm>
#include <cmath>

namespace synth {

namespace {

// The bound of CKS 2020 Proposition 12 at one order alpha > 1.
double epsilon_at_order(double rho, double delta, double alpha) {
  return alpha * rho +
         (std::log(1.0 / delta) + (alpha - 1.0) * std::log1p(-1.0 / alpha) - std::log(alpha)) / (alpha - 1.0);
}

}  // namespace

double epsilon_for(double rho, double delta) {
  if (!(rho > 0)) return 0.0;
  const double classic = rho + 2.0 * std::sqrt(rho * std::log(1.0 / delta));
  // The bound is convex in alpha: a golden-section search on log(alpha - 1)
  // over [-12, 12] (the optimum alpha ~ 1 + sqrt(log(1/delta) / rho) lies
  // inside for every rho and delta the fit uses).
  double lo = -12.0, hi = 12.0;
  const double g = (std::sqrt(5.0) - 1.0) / 2.0;
  auto f = [&](double t) { return epsilon_at_order(rho, delta, 1.0 + std::exp(t)); };
  double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
  double fa = f(a), fb = f(b);
  for (int i = 0; i < 200; ++i) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = f(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = f(b);
    }
  }
  const double best = std::min(fa, fb);
  return std::max(0.0, std::isfinite(best) ? std::min(best, classic) : classic);
}

double rho_for(double epsilon, double delta) {
  // epsilon_for grows with rho; the classic bound's inverse is an upper end
  // the tighter bound can only exceed.
  const double l = std::log(1.0 / delta);
  double hi = std::pow(std::sqrt(l + epsilon) + std::sqrt(l), 2.0);  // epsilon_for(hi) >= epsilon
  double lo = 0.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2.0;
    if (epsilon_for(mid, delta) <= epsilon)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

const char* privacy_part_name(PrivacyPart part) {
  static const char* const kNames[kPrivacyPartCount] = {"counts", "integers", "bounds",   "marginals",
                                                        "copula", "atoms",    "dimension"};
  return kNames[static_cast<std::size_t>(part)];
}

BudgetSplit split_budget(double rho_total, bool bounds_estimated, bool dimension_chosen) {
  constexpr std::array<double, kPrivacyPartCount> kWeights = {1.0, 0.2, 1.0, 4.0, 3.0, 1.0, 1.0};
  auto used = [&](std::size_t i) {
    return (bounds_estimated || i != static_cast<std::size_t>(PrivacyPart::kBounds)) &&
           (dimension_chosen || i != static_cast<std::size_t>(PrivacyPart::kDimension));
  };
  BudgetSplit split;
  double weight = 0;
  for (std::size_t i = 0; i < kPrivacyPartCount; ++i)
    if (used(i)) weight += kWeights[i];
  for (std::size_t i = 0; i < kPrivacyPartCount; ++i)
    if (used(i)) split.rho[i] = rho_total * kWeights[i] / weight;
  for (double r : split.rho) split.total += r;
  return split;
}

DeltaSplit split_delta(double delta, bool public_domains) {
  DeltaSplit split;
  split.conversion = delta / 2;
  split.domains = public_domains ? 0.0 : delta / 4;
  split.atoms = public_domains ? delta / 2 : delta / 4;
  return split;
}

double gaussian_variance(double sensitivity_squared, double rho) {
  return sensitivity_squared / (2.0 * rho) * (1.0 + 1e-12);
}

double domain_threshold(double sigma, double delta_threshold, double least) {
  return least + sigma * std::sqrt(2.0 * std::log(1.0 / delta_threshold));
}

}  // namespace synth
