// The fitted sampler's Latin hypercube draws: within a domain every noise term
// of the copula takes each of the domain's equal-probability strata once, so a
// feature the copula leaves independent of the score follows its marginal to
// within a row at every knot, where independent draws miss by about
// sqrt(m p (1 - p)) rows; the copula itself is kept.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "drawn_pairs.hpp"
#include "engine/profile/profile_fit.hpp"
#include "engine/profile/profile_sampler.hpp"

namespace synth {
namespace {

// `domains` domains, two features: f0 independent of the score (its copula
// entries set to 0), f1 tied to it.
Profile independent_profile(int domains = 1) {
  std::mt19937_64 rng(21);
  std::normal_distribution<double> normal(0.0, 1.0);
  ProfileFitter fitter;
  for (int i = 0; i < 3000 * domains; ++i) {
    const double a = normal(rng);
    const double f[2] = {std::round(1e3 * normal(rng)) / 1e3 + 10, std::round(1e3 * (a + normal(rng))) / 1e3};
    fitter.add(i % domains == 0 ? "solo" : "other", f, 2, std::round(1e4 / (1.0 + std::exp(-a))) / 1e4);
  }
  Profile p = fitter.fit({});
  std::vector<DomainProfile*> all = {&p.pooled};
  for (DomainProfile& dp : p.domains) all.push_back(&dp);
  for (DomainProfile* dp : all) {
    const std::size_t w = 3;
    for (std::size_t j = 1; j < w; ++j) dp->correlation[0 * w + j] = dp->correlation[j * w + 0] = 0.0;
  }
  return p;
}

// The drawn f0, f1 and score of each domain.
std::vector<std::vector<std::vector<double>>> draw_domains(const Profile& p, std::int64_t n,
                                                           std::uint64_t seed,
                                                           std::vector<double> weights = {}) {
  ProfileOptions o;
  o.n = n;
  o.seed = seed;
  o.domain_weights = std::move(weights);
  ProfileSampler s(p, o);
  std::vector<std::vector<std::vector<double>>> columns(p.domains.size(),
                                                        std::vector<std::vector<double>>(3));
  FittedRow row;
  for (std::int64_t i = 0; i < n; ++i) {
    s.sample(i, row);
    columns[row.domain][0].push_back(row.features[0]);
    columns[row.domain][1].push_back(row.features[1]);
    columns[row.domain][2].push_back(row.score);
  }
  return columns;
}

std::vector<std::vector<double>> draw(const Profile& p, std::int64_t n, std::uint64_t seed) {
  return draw_domains(p, n, seed)[0];
}

// The most rows by which drawn values miss m's share below any inner knot.
double worst_knot_miss(const Marginal& m, std::vector<double> v) {
  std::sort(v.begin(), v.end());
  double worst = 0;
  for (std::size_t k = 1; k + 1 < m.knots.size(); ++k) {
    // Values keep six significant digits, so a value within a rounding
    // step of the knot may land on either side.
    const double step = 1e-4;
    const auto below =
        static_cast<double>(std::lower_bound(v.begin(), v.end(), m.knots[k] - step) - v.begin());
    const auto upto =
        static_cast<double>(std::upper_bound(v.begin(), v.end(), m.knots[k] + step) - v.begin());
    const double want = m.probability(k) * static_cast<double>(v.size());
    worst = std::max({worst, below - want, want - upto});
  }
  return worst;
}

TEST(ProfileStrata, AnIndependentFeatureFollowsItsMarginalToWithinARowAtEveryKnot) {
  const Profile p = independent_profile();
  const Marginal& m = p.domains[0].features[0];
  for (const std::int64_t n : {7, 100, 1000, 4099}) {
    for (const std::uint64_t seed : {1u, 2u, 3u}) {
      // Each stratum of 1/n holds one row: the count below a knot is off by
      // less than one row (independent draws: about 16 rows at n = 1000).
      EXPECT_LT(worst_knot_miss(m, draw(p, n, seed)[0]), 1.0) << "n " << n << " seed " << seed;
    }
  }
}

TEST(ProfileStrata, EachDomainUpToTheThresholdHasItsOwnStrataAndALargerOneDrawsIndependently) {
  // The second domain starts where the first ends: its strata count from its
  // own first row. A domain one row over kStratifiedDomainRows is drawn
  // independently (its knots miss by about sqrt(m p (1 - p)), 128 rows at
  // the median); one at the threshold is stratified.
  const Profile p = independent_profile(2);
  ASSERT_EQ(p.domains.size(), 2u);
  for (const std::uint64_t big : {kStratifiedDomainRows, kStratifiedDomainRows + 1}) {
    const std::int64_t n = static_cast<std::int64_t>(big) + 1000;
    const auto columns = draw_domains(p, n, 5, {static_cast<double>(big), 1000.0});
    ASSERT_EQ(columns[0][0].size(), big);
    ASSERT_EQ(columns[1][0].size(), 1000u);
    EXPECT_LT(worst_knot_miss(p.domains[1].features[0], columns[1][0]), 1.0) << big;
    const double miss = worst_knot_miss(p.domains[0].features[0], columns[0][0]);
    if (big == kStratifiedDomainRows)
      EXPECT_LT(miss, 1.0);
    else
      EXPECT_GT(miss, 20.0);
  }
}

TEST(ProfileStrata, TheCopulaIsKept) {
  // f1 and the score keep their normal-score correlation, and f0 stays
  // uncorrelated with both, over 20,000 rows.
  const Profile p = independent_profile();
  const std::vector<std::vector<double>> c = draw(p, 20000, 4);
  auto normal_scores = [](std::vector<double> v) {
    std::vector<std::size_t> order(v.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<double> z(v.size());
    for (std::size_t i = 0; i < order.size();) {  // mid-ranks of ties
      std::size_t j = i;
      while (j < order.size() && v[order[j]] == v[order[i]]) ++j;
      const double rank = (static_cast<double>(i + j) / 2 + 0.5) / static_cast<double>(v.size());
      for (std::size_t t = i; t < j; ++t) z[order[t]] = normal_quantile(rank);
      i = j;
    }
    return z;
  };
  const std::vector<double> z0 = normal_scores(c[0]), z1 = normal_scores(c[1]), zs = normal_scores(c[2]);
  const double fitted = p.domains[0].correlation[1 * 3 + 2];
  EXPECT_NEAR(test_support::pearson(z1, zs), fitted, 0.03) << "fitted " << fitted;
  EXPECT_NEAR(test_support::pearson(z0, zs), 0.0, 0.03);
  EXPECT_NEAR(test_support::pearson(z0, z1), 0.0, 0.03);
}

}  // namespace
}  // namespace synth
