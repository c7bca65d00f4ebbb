// The fitted marginals' shape (issue 23): skewed columns bunched against a
// bound, tails with an outlying extreme, decimal grids kept, and the tail
// knots' layout.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <vector>

#include "engine/profile/marginal_fit.hpp"
#include "engine/profile/profile.hpp"
#include "engine/profile/profile_fit.hpp"
#include "engine/profile/profile_sampler.hpp"

namespace synth {
namespace {

Marginal fit_column(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  std::vector<Ranked> ranked;
  for (std::size_t i = 0; i < x.size(); ++i) ranked.emplace_back(x[i], i);
  return marginal_of_sorted(ranked.data(), ranked.size());
}

double quantile7(const std::vector<double>& sorted, double q) {
  const double h = (static_cast<double>(sorted.size()) - 1) * q;
  const std::size_t lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

// The share of the marginal's draws below x (above, with above), over a fine grid of u.
double drawn_share(const Marginal& m, double x, bool above) {
  constexpr int kDraws = 200000;
  int count = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double v = m.quantile((i + 0.5) / kDraws);
    count += above ? v > x : v < x;
  }
  return static_cast<double>(count) / kDraws;
}

// Most values 0.01..0.5 with a long tail to about 80, like a crime rate.
std::vector<double> crime_like(std::size_t n) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> x;
  for (std::size_t i = 0; i < n; ++i)
    x.push_back(std::round(std::exp(-1.5 + 1.8 * normal(rng)) * 1e5) / 1e5 + 0.006);
  std::sort(x.begin(), x.end());
  return x;
}

TEST(MarginalFit, KnotPositionsAndProbabilitiesAgree) {
  // Every knot is the quantile at its own probability, with tails and without.
  for (std::uint32_t tails : {0u, 1u, 3u, 6u}) {
    Marginal m;
    m.tails = tails;
    for (std::size_t k = 0; k < 65 + 2 * tails; ++k) m.knots.push_back(static_cast<double>(k * k));
    for (std::size_t k = 0; k < m.knots.size(); ++k) {
      EXPECT_DOUBLE_EQ(m.quantile(m.probability(k)), m.knots[k]) << tails << " knot " << k;
      if (k > 0) {
        EXPECT_LT(m.probability(k - 1), m.probability(k));
      }
    }
    EXPECT_EQ(m.probability(m.knots.size() - 1), 1.0);
    // The inverses agree with the knots' probabilities.
    for (std::size_t k = 1; k + 1 < m.knots.size(); ++k) {
      EXPECT_DOUBLE_EQ(m.lower_probability(m.knots[k]), m.probability(k)) << tails << " knot " << k;
      EXPECT_DOUBLE_EQ(m.upper_probability(m.knots[k]), m.probability(k)) << tails << " knot " << k;
    }
  }
  Marginal m;
  m.tails = kTailLevels;
  m.knots.assign(kMaxQuantileKnots + 2 * kTailLevels, 0.0);
  EXPECT_DOUBLE_EQ(m.probability(1), 1.0 / 512);  // the outermost segment holds 2^-3 / 64
  EXPECT_DOUBLE_EQ(m.probability(m.knots.size() - 2), 1.0 - 1.0 / 512);
}

TEST(MarginalFit, SkewedColumnBunchedAtItsBoundKeepsItsQuantiles) {
  const std::vector<double> x = crime_like(500);
  std::vector<Ranked> ranked;
  for (std::size_t i = 0; i < x.size(); ++i) ranked.emplace_back(x[i], i);
  EXPECT_NE(choose_transform(ranked.data(), x.size(), x.front(), x.back()).kind,
            SmoothingTransform::kIdentity);
  const Marginal m = fit_column(x);
  // At 1/8 .. 7/8 the fitted quantiles are within 25% of the real ones (a
  // kernel over raw values put the 1/8 quantile at 5x the real one).
  for (int k = 1; k <= 7; ++k) {
    const double real = quantile7(x, k / 8.0);
    EXPECT_NEAR(m.quantile(k / 8.0), real, 0.25 * real) << k << "/8";
  }
  // A symmetric column stays in the identity.
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal(10.0, 2.0);
  std::vector<Ranked> symmetric;
  for (std::size_t i = 0; i < 500; ++i) symmetric.emplace_back(normal(rng), i);
  std::sort(symmetric.begin(), symmetric.end());
  EXPECT_EQ(choose_transform(symmetric.data(), 500, symmetric.front().first, symmetric.back().first).kind,
            SmoothingTransform::kIdentity);
}

// The body's mean (probabilities 1/32 to 31/32) of a smoothed feature is
// the rows' own, by a midpoint rule over the marginal's quantile function
// and numpy's linear quantiles of the rows; the score keeps its smoothing.
// Smoothing alone drifts by a few hundredths of a standard deviation here.
TEST(MarginalFit, TheBodyKeepsTheRowsMean) {
  std::mt19937_64 rng(31);
  std::lognormal_distribution<double> skewed(0.0, 0.8);
  std::normal_distribution<double> normal(5.0, 1.0);
  for (int shape = 0; shape < 2; ++shape) {
    std::vector<double> x;
    for (int i = 0; i < 400; ++i) x.push_back(std::round((shape ? normal(rng) : skewed(rng)) * 1e4) / 1e4);
    std::sort(x.begin(), x.end());
    std::vector<Ranked> ranked;
    for (std::size_t i = 0; i < x.size(); ++i) ranked.emplace_back(x[i], i);
    constexpr int kSteps = 100000;
    auto body = [&](auto quantile) {
      double sum = 0;
      for (int i = 0; i < kSteps; ++i) sum += quantile(1.0 / 32 + (30.0 / 32) * (i + 0.5) / kSteps);
      return sum / kSteps;
    };
    double mean = 0, ss = 0;
    for (double v : x) mean += v / 400;
    for (double v : x) ss += (v - mean) * (v - mean);
    const double sd = std::sqrt(ss / 400);
    const double rows = body([&](double u) { return quantile7(x, u); });
    const Marginal matched = marginal_of_sorted(ranked.data(), ranked.size());
    const Marginal smoothed = marginal_of_sorted(ranked.data(), ranked.size(), false);
    EXPECT_NEAR(body([&](double u) { return matched.quantile(u); }), rows, 1e-4 * sd) << shape;
    EXPECT_GT(std::fabs(body([&](double u) { return smoothed.quantile(u); }) - rows), 1e-3 * sd)
        << shape << ": the smoothing alone should drift, or this test shows nothing";
    // Only the body moved: the ends and the tail knots are the smoothed ones.
    for (std::size_t k = 0; k < matched.knots.size(); ++k) {
      if (matched.probability(k) <= 1.0 / 32 || matched.probability(k) >= 31.0 / 32) {
        EXPECT_EQ(matched.knots[k], smoothed.knots[k]) << shape << " knot " << k;
      }
    }
    for (std::size_t k = 1; k < matched.knots.size(); ++k) EXPECT_GE(matched.knots[k], matched.knots[k - 1]);
  }
}

TEST(MarginalFit, TailsFollowTheDataNotTheGap) {
  // 1000 values whose bulk is 3.7..10, with zeros (data errors) below and one 58.9 above.
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal(6.0, 1.0);
  std::vector<double> x;
  for (int i = 0; i < 1000; ++i) x.push_back(std::clamp(normal(rng), 3.7, 10.0));
  x[0] = x[1] = x[2] = 0.0;
  x[3] = 58.9;
  std::sort(x.begin(), x.end());
  for (const std::vector<double>& column : {x, crime_like(400)}) {
    const Marginal m = fit_column(column);
    const double lo = quantile7(column, 0.005), hi = quantile7(column, 0.995);
    const double real_below =
        static_cast<double>(std::lower_bound(column.begin(), column.end(), lo) - column.begin()) /
        static_cast<double>(column.size());
    const double real_above =
        static_cast<double>(column.end() - std::upper_bound(column.begin(), column.end(), hi)) /
        static_cast<double>(column.size());
    EXPECT_LE(drawn_share(m, lo, false), 2 * real_below);
    EXPECT_LE(drawn_share(m, hi, true), 2 * real_above);
    // The observed extremes are still the bounds, and reachable.
    EXPECT_EQ(m.quantile(0.0), column.front());
    EXPECT_EQ(m.quantile(1.0), column.back());
    EXPECT_LT(m.quantile(1e-6), m.knots[1]);
    EXPECT_TRUE(std::is_sorted(m.knots.begin(), m.knots.end()));
  }
}

// One data-error row far from the rest (a typo of 1e6 among 2000 values near
// 0) stays a reachable bound and leaves the body where the rows are: the
// grid the smoothed CDF is inverted on once spread evenly from the minimum
// to that row, so the whole body fell inside one cell (median 1950).
TEST(MarginalFit, OneExtremeRowLeavesTheBodyAlone) {
  for (int rows : {30, 100, 199, 2000})
    for (double extreme : {1e3, 1e4, 1e6, 1e300, -1e6}) {
      std::mt19937_64 rng(17 + static_cast<std::uint64_t>(rows));
      std::normal_distribution<double> normal;
      std::vector<double> x;
      for (int i = 0; i < rows; ++i) x.push_back(normal(rng));
      x.push_back(extreme);
      std::sort(x.begin(), x.end());
      const Marginal m = fit_column(x);
      // The kernels' own spread, 0.9 n^(-1/5) standard deviations, plus the
      // quantiles' sampling spread: 0.1 at 2000 rows, 0.35 at 30.
      const double slack = 0.9 * std::pow(rows, -0.2) + 1.0 / std::sqrt(static_cast<double>(rows));
      for (double q : {0.05, 0.25, 0.5, 0.75, 0.95})
        EXPECT_NEAR(m.quantile(q), quantile7(x, q), slack)
            << rows << " rows, extreme " << extreme << " q " << q;
      // Smoothed, not the rows' own quantiles (which a small table's draws
      // would copy). Beside 1e300 the rest underflows in the scaled copy and
      // no kernel is usable: the rows' quantiles then, as in version 8.
      if (std::fabs(extreme) < 1e100) {
        EXPECT_EQ(m.tails, kTailLevels) << rows << " rows, extreme " << extreme;
      }
      EXPECT_EQ(extreme > 0 ? m.quantile(1.0) : m.quantile(0.0), extreme);
      EXPECT_TRUE(std::is_sorted(m.knots.begin(), m.knots.end()));
    }
}

// A column spanning 19 orders of magnitude (exp(6 z)): no smoothing space
// the fit has resolves its body, and the kernels put the median at 1.4e7
// where the rows' is about 1. The fit notices and keeps the rows' own
// quantiles.
TEST(MarginalFit, AColumnOfManyMagnitudesKeepsItsBody) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal;
  std::vector<double> x;
  for (int i = 0; i < 5000; ++i) x.push_back(std::exp(6 * normal(rng)));
  std::sort(x.begin(), x.end());
  const Marginal m = fit_column(x);
  for (double q : {0.1, 0.25, 0.5, 0.75, 0.9}) {
    const double share =
        static_cast<double>(std::lower_bound(x.begin(), x.end(), m.quantile(q)) - x.begin()) /
        static_cast<double>(x.size());
    EXPECT_NEAR(share, q, 0.02) << "q " << q << " drawn quantile " << m.quantile(q);
  }
  EXPECT_EQ(m.quantile(0.0), x.front());
  EXPECT_EQ(m.quantile(1.0), x.back());
}

// The first feature of rows drawn from a fit of (column, a second feature).
std::vector<double> drawn_first_feature(const std::vector<double>& column, Profile* fitted = nullptr) {
  ProfileFitter fitter;
  for (std::size_t i = 0; i < column.size(); ++i) {
    const double f[2] = {column[i], static_cast<double>(i % 7)};
    fitter.add(i % 3 ? "a" : "b", f, 2, static_cast<double>(i % 10) / 10.0);
  }
  const Profile p = parse_profile(profile_json(fitter.fit({})));
  if (fitted) *fitted = p;
  ProfileOptions o;
  o.n = 5000;
  o.seed = 2;
  ProfileSampler s(p, o);
  FittedRow row;
  std::vector<double> out;
  for (std::int64_t i = 0; i < o.n; ++i) {
    s.sample(i, row);
    out.push_back(row.features[0]);
  }
  return out;
}

TEST(MarginalFit, DecimalGridsAreKept) {
  for (int decimals : {1, 2, 3}) {
    const double scale = std::pow(10.0, decimals);  // k / 10^d: how a decimal of d places reads
    std::vector<double> column;
    for (int i = 0; i < 300; ++i)
      column.push_back(std::nearbyint((5 + std::sin(i * 1.7) * 2) * scale) / scale);
    Profile p;
    const std::vector<double> drawn = drawn_first_feature(column, &p);
    EXPECT_EQ(p.decimal_grids[0], decimals);
    EXPECT_EQ(p.decimal_grids[1], 0);  // integers are the grid of 0 decimals
    std::set<double> distinct;
    for (double v : drawn) {
      EXPECT_EQ(std::nearbyint(v * scale) / scale, v) << decimals << " decimals: " << v;
      distinct.insert(v);
    }
    EXPECT_GT(distinct.size(), 20u);
  }
  // Off any grid of up to 6 decimals: no grid, and the column is not collapsed.
  std::vector<double> column;
  for (int i = 0; i < 300; ++i) column.push_back(1.0 / (i + 3));
  Profile p;
  const std::vector<double> drawn = drawn_first_feature(column, &p);
  EXPECT_EQ(p.decimal_grids[0], -1);
  EXPECT_GT(std::set<double>(drawn.begin(), drawn.end()).size(), 1000u);
}

TEST(MarginalFit, GridsNeverMakeAConstantAndExtremesStayFinite) {
  // Two values 0.001 apart beside a magnitude of 1e6 keep both.
  std::vector<double> column;
  for (int i = 0; i < 40; ++i) column.push_back(i % 2 ? 1000000.125 : 1000000.126);
  std::vector<double> drawn = drawn_first_feature(column);
  EXPECT_EQ(std::set<double>(drawn.begin(), drawn.end()).size(), 2u);
  // Values over the whole double range, and subnormals, fit and draw finite, distinct values.
  for (double scale : {1e308, 1e-310}) {
    column.clear();
    for (int i = 0; i < 60; ++i) column.push_back(scale * std::sin(i * 0.37));
    drawn = drawn_first_feature(column);
    for (double v : drawn) {
      ASSERT_TRUE(std::isfinite(v)) << scale;
      EXPECT_LE(std::fabs(v), scale) << scale;
    }
    EXPECT_GT(std::set<double>(drawn.begin(), drawn.end()).size(), 100u) << scale;
  }
}

TEST(MarginalFit, ProfilesWithoutGridsOrTailsStillReadAndSample) {
  // A profile as generator_version 6 wrote it: plain quantile functions of 65
  // knots and no decimal_grids key. (A private fit may write the same.)
  std::vector<double> column;
  for (int i = 0; i < 300; ++i) column.push_back(std::nearbyint((5 + std::sin(i * 1.7) * 2) * 10) / 10);
  Profile p;
  drawn_first_feature(column, &p);
  auto plain = [](Marginal& m) {
    Marginal q;
    for (int i = 0; i <= 64; ++i) q.knots.push_back(m.quantile(i / 64.0));
    m = q;
  };
  for (DomainProfile* d : {&p.pooled, &p.domains[0], &p.domains[1]}) {
    for (Marginal& m : d->features) plain(m);
    plain(d->score);
  }
  std::string json = profile_json(p);
  const std::size_t at = json.find("\"decimal_grids\"");
  ASSERT_NE(at, std::string::npos);
  json.erase(at, json.find(']', at) + 2 - at);  // the key, its array and the comma after it
  EXPECT_EQ(json.find("tails"), std::string::npos);
  const Profile old = parse_profile(json);
  EXPECT_EQ(old.decimal_grids, (std::vector<int>{-1, -1}));
  EXPECT_EQ(old.pooled.features[0].tails, 0u);
  ProfileOptions o;
  o.n = 2000;
  ProfileSampler s(old, o);
  FittedRow row;
  std::set<double> distinct;
  for (std::int64_t i = 0; i < o.n; ++i) {
    s.sample(i, row);
    EXPECT_GE(row.features[0], old.pooled.features[0].min());
    EXPECT_LE(row.features[0], old.pooled.features[0].max());
    distinct.insert(row.features[0]);
  }
  EXPECT_GT(distinct.size(), 100u);  // six significant digits, no grid
}

}  // namespace
}  // namespace synth
