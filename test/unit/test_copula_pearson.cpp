// The copula's latent correlations matched to the rows' Pearson correlations:
// the drawn correlation as a polynomial in rho against Monte Carlo draws, its
// inverse, and end to end, a fitted profile whose sampled rows keep the
// correlation of two columns that share a large point mass.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "engine/profile/copula_pearson.hpp"
#include "engine/profile/profile.hpp"
#include "engine/profile/profile_fit.hpp"
#include "engine/profile/profile_sampler.hpp"

namespace synth {
namespace {

// A marginal with equally spaced knot probabilities whose quantile is f(u).
template <class F>
Marginal marginal_of(F f, std::size_t segments = 64) {
  Marginal m;
  for (std::size_t i = 0; i <= segments; ++i)
    m.knots.push_back(f(static_cast<double>(i) / static_cast<double>(segments)));
  return m;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
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

// The Pearson correlation of the two marginals drawn through a Gaussian
// copula at rho, by 400,000 draws, rounded as the sampler rounds.
double monte_carlo(const Marginal& a, int grid_a, const Marginal& b, int grid_b, double rho) {
  std::mt19937_64 rng(99);
  std::normal_distribution<double> normal;
  auto draw = [](const Marginal& m, int grid, double z) {
    double x = m.quantile(0.5 * std::erfc(-z / std::sqrt(2.0)));
    if (grid >= 0) x = std::nearbyint(x * std::pow(10.0, grid)) / std::pow(10.0, grid);
    return x;
  };
  std::vector<double> x, y;
  for (int i = 0; i < 400000; ++i) {
    const double z1 = normal(rng), z2 = rho * z1 + std::sqrt(1 - rho * rho) * normal(rng);
    x.push_back(draw(a, grid_a, z1));
    y.push_back(draw(b, grid_b, z2));
  }
  return pearson(x, y);
}

// Three shapes a copula meets: 70% at one value and a spread above it (an
// atom), a log-normal (skewed), two values (a flag), a 1-to-5 rating.
Marginal atom() {
  return marginal_of([](double u) { return u <= 0.7 ? 0.0 : (u - 0.7) * 100; });
}
Marginal skewed() {
  return marginal_of([](double u) {
    const double z = std::sqrt(2.0) * std::erf(2 * std::clamp(u, 0.001, 0.999) - 1) * 1.3;
    return std::exp(z);
  });
}
Marginal flag() {
  return marginal_of([](double u) { return u < 0.4 ? 0.0 : 1.0; });
}
Marginal rating() {
  return marginal_of([](double u) { return 1 + 4 * u; });
}

TEST(CopulaPearson, DrawnCorrelationMatchesMonteCarlo) {
  struct Case {
    Marginal a;
    int grid_a;
    Marginal b;
    int grid_b;
  };
  const std::vector<Case> cases = {{atom(), -1, atom(), -1},  {atom(), -1, skewed(), -1},
                                   {flag(), 0, skewed(), -1}, {flag(), 0, flag(), 0},
                                   {rating(), 0, atom(), -1}, {skewed(), -1, skewed(), -1}};
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const PearsonShape a = pearson_shape(cases[c].a, cases[c].grid_a);
    const PearsonShape b = pearson_shape(cases[c].b, cases[c].grid_b);
    ASSERT_TRUE(a.usable && b.usable);
    for (double rho : {-0.9, -0.5, -0.2, 0.0, 0.3, 0.6, 0.85, 0.97, 0.99, 0.997}) {
      const double expected = monte_carlo(cases[c].a, cases[c].grid_a, cases[c].b, cases[c].grid_b, rho);
      // 400,000 draws: a standard error below 0.0016 (a fixed seed); the
      // curve's own error (the series cut after 100 terms, the grid of 2048)
      // is smaller. Up to rho 0.997, where a pair of steps' series converges
      // slowly.
      EXPECT_NEAR(drawn_pearson(a, b, rho), expected, 0.004) << "case " << c << " rho " << rho;
    }
  }
}

TEST(CopulaPearson, LatentCorrelationInvertsTheDrawnOne) {
  const PearsonShape a = pearson_shape(atom(), -1), b = pearson_shape(skewed(), -1);
  const double top = drawn_pearson(a, b, 1.0), bottom = drawn_pearson(a, b, -1.0);
  EXPECT_LT(top, 0.95);  // a point mass keeps the two from moving together perfectly
  EXPECT_GT(bottom, -0.95);
  for (double target : {-0.45, -0.1, 0.2, 0.5, 0.8}) {
    ASSERT_GT(target, bottom);
    ASSERT_LT(target, top);
    const double rho = latent_for_pearson(a, b, target);
    EXPECT_NEAR(drawn_pearson(a, b, rho), target, 1e-9);
    EXPECT_GT(std::fabs(rho), std::fabs(target));  // the atom's correlation is weaker than its copula's
  }
  EXPECT_EQ(latent_for_pearson(a, b, 0.99), 1.0);  // beyond reach: the nearer end
  EXPECT_EQ(latent_for_pearson(a, b, -0.99), -1.0);
  EXPECT_EQ(latent_for_pearson(a, b, std::nan("")), 0.0);
}

TEST(CopulaPearson, OneValueIsNoShape) {
  EXPECT_FALSE(pearson_shape(marginal_of([](double) { return 3.5; }), -1).usable);
  EXPECT_FALSE(pearson_shape(marginal_of([](double) { return 0.0; }), -1).usable);
  // Extreme magnitudes fit without overflow.
  const PearsonShape huge = pearson_shape(marginal_of([](double u) { return u < 0.5 ? -1e308 : 1e308; }), -1);
  EXPECT_TRUE(huge.usable);
  EXPECT_NEAR(drawn_pearson(huge, huge, 1.0), 1.0, 1e-9);
}

// Two columns that share a large point mass, as a district's highway access
// and its tax rate do (both at one value in a quarter of the rows), and
// otherwise move together loosely: the normal scores' correlation of the
// tied rows is weaker than the copula needs, and rows drawn from it fell
// short of the real correlation by more than 0.1.
TEST(CopulaPearson, FittedRowsKeepTheCorrelationOfSharedPointMasses) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  ProfileFitter fitter;
  std::vector<double> x, y;
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    const bool mass = i % 4 == 0;
    const double a = normal(rng);
    const double rad = mass ? 24.0 : std::round(std::clamp(4 + 1.5 * a, 1.0, 8.0));
    const double tax = mass ? 666.0 : std::round(300 + 60 * (0.5 * a + 0.87 * normal(rng)));
    const double score = std::clamp(0.5 + 0.1 * normal(rng), 0.0, 1.0);
    const double features[2] = {rad, tax};
    fitter.add("all", features, 2, std::round(score * 1e4) / 1e4);
    x.push_back(rad);
    y.push_back(tax);
  }
  const Profile p = fitter.fit({"rad", "tax"});
  const double real = pearson(x, y);
  ASSERT_GT(real, 0.85);
  ProfileOptions o;
  o.n = 40000;
  o.seed = 3;
  ProfileSampler s(p, o);
  FittedRow row;
  std::vector<double> dx, dy;
  for (std::int64_t i = 0; i < o.n; ++i) {
    s.sample(i, row);
    dx.push_back(row.features[0]);
    dy.push_back(row.features[1]);
  }
  // 4000 rows: two standard errors of the rows' correlation are
  // 2 (1 - r^2) / sqrt(4000) < 0.01; 40,000 drawn rows add less than 0.002.
  EXPECT_NEAR(pearson(dx, dy), real, 0.02) << "latent " << p.domains[0].correlation[1];
}

}  // namespace
}  // namespace synth
