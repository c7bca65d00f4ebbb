// The privacy wing's mechanisms: the exact discrete Gaussian against its
// pmf, the zCDP accountant's conversions, and for every statistic a private
// fit releases, that adding or removing a row changes it (before noise) by
// no more than the sensitivity its noise is calibrated to.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <boost/math/distributions/chi_squared.hpp>

#include "engine/model/error.hpp"
#include "engine/privacy/accountant.hpp"
#include "engine/privacy/discrete_gaussian.hpp"
#include "engine/privacy/private_fit.hpp"
#include "engine/privacy/private_parts.hpp"
#include "engine/privacy/private_statistics.hpp"
#include "engine/privacy/random_source.hpp"

namespace synth {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Chi-square goodness of fit of `draws` samples against the exact pmf; bins
// with an expected count below 5 are pooled into the two tails.
double discrete_gaussian_p_value(Rational variance, std::size_t draws, std::uint64_t seed) {
  const DiscreteGaussian gaussian(variance);
  SeededRandomSource random(seed);
  std::map<std::int64_t, std::size_t> seen;
  for (std::size_t i = 0; i < draws; ++i) ++seen[gaussian.sample(random)];
  std::int64_t edge = 0;  // bins -edge..edge have expected counts of at least 5
  while (gaussian.pmf(edge + 1) * static_cast<double>(draws) >= 5) ++edge;
  double tail = 0;
  for (std::int64_t x = edge + 1; gaussian.pmf(x) > 1e-300; ++x) tail += gaussian.pmf(x);
  double chi2 = 0;
  std::size_t below = 0, above = 0;
  for (const auto& [x, count] : seen) {
    if (x < -edge) below += count;
    if (x > edge) above += count;
  }
  for (std::int64_t x = -edge; x <= edge; ++x) {
    const double expected = gaussian.pmf(x) * static_cast<double>(draws);
    const double observed = seen.count(x) ? static_cast<double>(seen[x]) : 0.0;
    chi2 += (observed - expected) * (observed - expected) / expected;
  }
  for (std::size_t observed : {below, above}) {
    const double expected = tail * static_cast<double>(draws);
    chi2 +=
        (static_cast<double>(observed) - expected) * (static_cast<double>(observed) - expected) / expected;
  }
  const boost::math::chi_squared distribution(static_cast<double>(2 * edge + 2));  // bins - 1
  return boost::math::cdf(boost::math::complement(distribution, chi2));
}

TEST(DiscreteGaussian, MatchesItsExactDistribution) {
  EXPECT_GT(discrete_gaussian_p_value(Rational{1, 2}, 100000, 1), 1e-3);     // sigma^2 = 0.5
  EXPECT_GT(discrete_gaussian_p_value(Rational{37, 3}, 100000, 2), 1e-3);    // sigma^2 = 12.33
  EXPECT_GT(discrete_gaussian_p_value(Rational{4000, 1}, 100000, 3), 1e-3);  // sigma ~ 63
}

TEST(DiscreteGaussian, TheTestCanFail) {
  // The same test rejects a Gaussian of another variance: draws at
  // sigma^2 = 12.33 do not pass as draws at sigma^2 = 13.
  const DiscreteGaussian drawn(Rational{37, 3});
  const DiscreteGaussian claimed(Rational{13, 1});
  SeededRandomSource random(4);
  std::map<std::int64_t, double> seen;
  const std::size_t draws = 100000;
  for (std::size_t i = 0; i < draws; ++i) seen[drawn.sample(random)] += 1;
  double chi2 = 0;
  for (std::int64_t x = -12; x <= 12; ++x) {
    const double expected = claimed.pmf(x) * draws;
    chi2 += (seen[x] - expected) * (seen[x] - expected) / expected;
  }
  EXPECT_LT(boost::math::cdf(boost::math::complement(boost::math::chi_squared(24), chi2)), 1e-3);
}

TEST(DiscreteGaussian, SeededSourceIsReproducible) {
  const DiscreteGaussian gaussian(variance_at_least(100.5));
  SeededRandomSource a(9), b(9), c(10);
  std::vector<std::int64_t> x, y, z;
  for (int i = 0; i < 50; ++i) {
    x.push_back(gaussian.sample(a));
    y.push_back(gaussian.sample(b));
    z.push_back(gaussian.sample(c));
  }
  EXPECT_EQ(x, y);
  EXPECT_NE(x, z);
}

TEST(DiscreteGaussian, VarianceIsRoundedUp) {
  for (double v : {1e-3, 0.5, 1.0 / 3.0, 12345.678, 1e12}) {
    const Rational r = variance_at_least(v);
    EXPECT_GE(static_cast<double>(r.numerator) / static_cast<double>(r.denominator), v);
    EXPECT_LE(static_cast<double>(r.numerator) / static_cast<double>(r.denominator), v * (1 + 1e-6) + 1e-4);
  }
  EXPECT_THROW(variance_at_least(0), Error);
  EXPECT_THROW(variance_at_least(1e20), Error);
}

TEST(Accountant, RoundTripsAndBeatsTheClassicBound) {
  for (double delta : {1e-5, 1e-9, 1e-12})
    for (double epsilon : {0.1, 0.3, 1.0, 3.0, 10.0}) {
      const double rho = rho_for(epsilon, delta);
      EXPECT_GT(rho, 0);
      EXPECT_LE(epsilon_for(rho, delta), epsilon);
      EXPECT_NEAR(epsilon_for(rho, delta), epsilon, 1e-9 * epsilon);
      // Never worse than rho + 2 sqrt(rho log(1/delta)), and strictly better here.
      const double classic = rho + 2 * std::sqrt(rho * std::log(1 / delta));
      EXPECT_LT(epsilon_for(rho, delta), classic);
      // The classic inverse gives less rho for the same epsilon.
      const double l = std::log(1 / delta);
      const double classic_rho = std::pow(std::sqrt(l + epsilon) - std::sqrt(l), 2);
      EXPECT_GT(rho, classic_rho);
    }
  // epsilon grows with rho.
  EXPECT_LT(epsilon_for(0.01, 1e-9), epsilon_for(0.02, 1e-9));
}

TEST(Accountant, SplitSpendsTheWholeBudget) {
  for (bool estimated : {false, true}) {
    const BudgetSplit split = split_budget(0.25, estimated);
    EXPECT_NEAR(split.total, 0.25, 1e-15);
    EXPECT_EQ(split[PrivacyPart::kBounds] > 0, estimated);
    for (double r : split.rho) EXPECT_GE(r, 0);
  }
}

TEST(PrivacyRequest, BadArgumentsNameTheirArgument) {
  SeededRandomSource random(1);
  auto message_of = [](const PrivacyRequest& r, std::size_t d) {
    try {
      check_privacy_request(r, d);
    } catch (const Error& e) {
      EXPECT_STREQ(e.sqlstate(), "22023");
      return std::string(e.what());
    }
    return std::string();
  };
  PrivacyRequest ok;
  ok.epsilon = 1;
  ok.noise = &random;
  EXPECT_EQ(message_of(ok, 2), "");
  for (double eps : {0.0, -1.0, kNan, kInf}) {
    PrivacyRequest r = ok;
    r.epsilon = eps;
    EXPECT_NE(message_of(r, 2).find("epsilon"), std::string::npos);
  }
  for (double delta : {0.0, 1.0, -1e-9, 2.0, kNan}) {
    PrivacyRequest r = ok;
    r.delta = delta;
    EXPECT_NE(message_of(r, 2).find("delta"), std::string::npos);
  }
  for (auto bounds : {std::make_pair(1.0, 1.0), std::make_pair(2.0, 1.0), std::make_pair(0.0, kInf),
                      std::make_pair(kNan, 1.0)}) {
    PrivacyRequest r = ok;
    r.feature_bounds = {std::nullopt, std::optional<std::pair<double, double>>(bounds)};
    EXPECT_NE(message_of(r, 2).find("bounds"), std::string::npos);
  }
  PrivacyRequest wrong_size = ok;
  wrong_size.feature_bounds = {std::nullopt};
  EXPECT_NE(message_of(wrong_size, 2).find("bounds"), std::string::npos);
  PrivacyRequest repeated = ok;
  repeated.public_domains = {"a", "b", "a"};
  EXPECT_NE(message_of(repeated, 2).find("domains"), std::string::npos);
  PrivacyRequest empty_name = ok;
  empty_name.public_domains = {""};
  EXPECT_NE(message_of(empty_name, 2).find("domains"), std::string::npos);
}

// --- Sensitivities -----------------------------------------------------------

struct DataSet {
  std::size_t d = 0;
  std::vector<double> values;
  std::vector<std::uint32_t> domain;
  PrivateRows rows() const { return PrivateRows{values.data(), domain.data(), domain.size(), d}; }
};

DataSet random_data(std::mt19937_64& rng, std::size_t d, std::size_t n, std::uint32_t domains) {
  DataSet data;
  data.d = d;
  std::normal_distribution<double> normal(0, 1);
  std::uniform_int_distribution<std::uint32_t> pick(0, domains - 1);
  std::uniform_real_distribution<double> unit(0, 1);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t f = 0; f < d; ++f) {
      const double kind = unit(rng);  // integers, wide reals, outliers
      data.values.push_back(kind < 0.3   ? std::round(5 * normal(rng))
                            : kind < 0.9 ? std::ldexp(normal(rng), static_cast<int>(pick(rng) * 7) - 5)
                                         : normal(rng) * 1e30);
    }
    data.values.push_back(std::round(unit(rng) * 1e4) / 1e4);
    data.domain.push_back(pick(rng));
  }
  return data;
}

double l2_change(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const double x = i < a.size() ? static_cast<double>(a[i]) : 0.0;
    const double y = i < b.size() ? static_cast<double>(b[i]) : 0.0;
    sum += (x - y) * (x - y);
  }
  return std::sqrt(sum);
}

// The L2 change of per-column value counts, value by value.
double value_change(const std::vector<std::vector<std::pair<double, std::int64_t>>>& a,
                    const std::vector<std::vector<std::pair<double, std::int64_t>>>& b) {
  std::map<std::pair<std::size_t, double>, double> diff;
  for (std::size_t c = 0; c < a.size(); ++c)
    for (const auto& [value, count] : a[c]) diff[{c, value}] += static_cast<double>(count);
  for (std::size_t c = 0; c < b.size(); ++c)
    for (const auto& [value, count] : b[c]) diff[{c, value}] -= static_cast<double>(count);
  double sum = 0;
  for (const auto& [key, x] : diff) sum += x * x;
  return std::sqrt(sum);
}

TEST(PrivateStatistics, NoChangeExceedsItsSensitivity) {
  std::mt19937_64 rng(2024);
  std::size_t checked = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t d = 1 + rng() % 6;
    const std::uint32_t domains = 1 + static_cast<std::uint32_t>(rng() % 4);
    DataSet small = random_data(rng, d, 10 + rng() % 60, domains);
    // D' = D plus one row (a random row, or an extreme one), at a random place.
    DataSet extra = random_data(rng, d, 1, domains + 1);  // may bring a new domain
    if (trial % 3 == 0)
      for (std::size_t f = 0; f < d; ++f) extra.values[f] = (trial % 2 ? 1 : -1) * 1.7e308;
    DataSet big = small;
    const std::size_t at = rng() % (small.domain.size() + 1);
    big.values.insert(big.values.begin() + static_cast<std::ptrdiff_t>(at * (d + 1)), extra.values.begin(),
                      extra.values.end());
    big.domain.insert(big.domain.begin() + static_cast<std::ptrdiff_t>(at), extra.domain[0]);
    const PrivateRows a = small.rows(), b = big.rows();

    EXPECT_LE(l2_change(count_domains(a, domains + 1), count_domains(b, domains + 1)), 1.0);
    // Slots as a release would give them: some domains left out.
    std::vector<int> slot(domains + 1);
    for (std::size_t g = 0; g < slot.size(); ++g) slot[g] = (rng() % 4 == 0) ? -1 : static_cast<int>(g);
    const std::size_t slots = slot.size();
    EXPECT_LE(l2_change(count_non_integers(a, slot), count_non_integers(b, slot)),
              non_integer_sensitivity(d) + 1e-12);
    std::vector<std::size_t> features;
    for (std::size_t f = 0; f < d; ++f)
      if (rng() % 2) features.push_back(f);
    EXPECT_LE(l2_change(log_histograms(a, slot, features), log_histograms(b, slot, features)),
              std::sqrt(static_cast<double>(features.size())) + 1e-12);
    // Grids as a release would give them: bounds, and atoms at some values of the rows.
    std::vector<ColumnGrid> columns(d + 1);
    for (std::size_t c = 0; c <= d; ++c) {
      columns[c].lo = c < d ? -3.0 : 0.0;
      columns[c].hi = c < d ? 4.0 : 1.0;
      columns[c].score = c == d;
      for (int k = 0; k < 3; ++k) columns[c].atoms.push_back(columns[c].clamp(a.at(rng() % a.n, c)));
      std::sort(columns[c].atoms.begin(), columns[c].atoms.end());
      columns[c].atoms.erase(std::unique(columns[c].atoms.begin(), columns[c].atoms.end()),
                             columns[c].atoms.end());
    }
    EXPECT_LE(value_change(value_counts(a, slot, columns), value_counts(b, slot, columns)),
              grid_sensitivity(d) + 1e-12);
    const Grids grids = make_grids(columns);
    EXPECT_LE(l2_change(grid_histograms(a, slot, slots, grids), grid_histograms(b, slot, slots, grids)),
              grid_sensitivity(d) + 1e-12);
    // Marginals as released ones look: knots of a noisy histogram.
    std::vector<std::vector<Marginal>> marginals(slots);
    std::vector<double> mass(grids.width());
    for (auto& m : marginals)
      for (std::size_t c = 0; c <= d; ++c) {
        for (double& x : mass) x = static_cast<double>(rng() % 5);
        m.push_back(marginal_from_histogram(mass.data() + grids.offset[c], grids.columns[c], false));
      }
    EXPECT_LE(l2_change(copula_grams(a, slot, slots, marginals), copula_grams(b, slot, slots, marginals)),
              gram_sensitivity(d));
    ++checked;
  }
  EXPECT_EQ(checked, 300u);
}

TEST(PrivateStatistics, GridsKeepBandsApart) {
  for (int i = 0; i <= 10000; ++i) {
    const double s = i / 1e4;
    for (std::size_t bins : {kPrivateScoreBins, std::size_t{10}}) {
      const std::size_t bin = score_bin(s, bins);
      const double centre = (static_cast<double>(bin) + 0.5) / static_cast<double>(bins);
      EXPECT_EQ(score_band(centre), score_band(s)) << s << " " << bins;
    }
  }
  ColumnGrid score;
  score.score = true;
  score.atoms = {0.0, 0.3, 1.0};
  for (std::size_t b = 0; b < score.bins(); ++b) {  // every bin in one band
    if (b >= score.even()) continue;
    EXPECT_EQ(score_band(score.low(b) + 1e-9), score_band(score.high(b) - 1e-9)) << b;
  }
  EXPECT_EQ(score.bin(0.0), score.even());
  EXPECT_EQ(score.bin(0.3), score.even() + 1);
  EXPECT_EQ(score.bin(1.0), score.even() + 2);
  EXPECT_EQ(score.bin(0.35), 35u);
  EXPECT_EQ(feature_bin(-1e308, {-1e308, 1e308}), 0u);
  EXPECT_EQ(feature_bin(1e308, {-1e308, 1e308}), kPrivateFeatureBins - 1);
  for (double x : {-1e300, -3.0, -1e-5, 0.0, 1e-20, 0.75, 5.0, 1e19, 1e300}) {
    const auto [lo, hi] = log_bin_edges(log_bin(x));
    EXPECT_LE(lo, std::max(x, -std::ldexp(1.0, kLogTop + 1))) << x;
    EXPECT_GE(hi, std::min(x, std::ldexp(1.0, kLogTop + 1))) << x;
  }
}

}  // namespace
}  // namespace synth
