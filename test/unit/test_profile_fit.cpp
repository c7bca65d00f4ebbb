// Fitting profiles: determinism under row order, the JSON round trip, small
// data, and the errors a source or a handed-back profile can raise.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <boost/math/distributions/normal.hpp>

#include "engine/generate/row_sampler.hpp"
#include "engine/model/error.hpp"
#include "engine/profile/marginal_fit.hpp"
#include "engine/profile/profile.hpp"
#include "engine/profile/profile_fit.hpp"

namespace synth {
namespace {

struct RealRow {
  std::string domain;
  std::vector<double> features;
  double score;
};

// Rows of the design-table generator stand in for real pipeline rows.
std::vector<RealRow> design_rows(std::int64_t n, std::uint64_t seed) {
  GeneratorOptions options;
  options.n = n;
  options.seed = seed;
  RowSampler sampler(options);
  std::vector<RealRow> rows;
  GeneratedRow row;
  for (std::int64_t i = 0; i < n; ++i) {
    sampler.sample(i, row);
    rows.push_back(
        {std::string(kDomains[row.domain].name), {row.features.begin(), row.features.end()}, row.score});
  }
  return rows;
}

// Skewed, integer and correlated columns under domain names the design table does not know.
std::vector<RealRow> foreign_rows(std::size_t n) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<RealRow> rows;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = normal(rng);
    const double b = 0.8 * a + 0.6 * normal(rng);
    const double score = 1.0 / (1.0 + std::exp(-(a + 0.3 * normal(rng))));
    rows.push_back({i % 3 == 0 ? "setosa" : (i % 3 == 1 ? "versicolor" : "virginica"),
                    {std::exp(a), std::round(5 + 2 * b), a * 100},
                    std::round(score * 1e4) / 1e4});
  }
  return rows;
}

Profile fit(const std::vector<RealRow>& rows, std::vector<std::string> names = {}) {
  ProfileFitter fitter;
  for (const auto& r : rows) fitter.add(r.domain, r.features.data(), r.features.size(), r.score);
  return fitter.fit(std::move(names));
}

std::vector<std::string> design_names() { return {kFeatureNames.begin(), kFeatureNames.end()}; }

TEST(ProfileFit, SameRowsInAnyOrderGiveTheSameBytes) {
  std::vector<RealRow> rows = design_rows(800, 3);
  const std::string first = profile_json(fit(rows, design_names()));
  std::mt19937 rng(11);
  for (int round = 0; round < 3; ++round) {
    std::shuffle(rows.begin(), rows.end(), rng);
    EXPECT_EQ(profile_json(fit(rows, design_names())), first);
  }
  EXPECT_EQ(profile_hash(fit(rows, design_names())).size(), 32u);
}

TEST(ProfileFit, DescribesTheRows) {
  const Profile p = fit(foreign_rows(600));
  EXPECT_EQ(p.rows, 600u);
  ASSERT_EQ(p.dimension(), 3u);
  EXPECT_EQ(p.feature_names, (std::vector<std::string>{"f1", "f2", "f3"}));
  EXPECT_EQ(p.integer_features, (std::vector<bool>{false, true, false}));
  ASSERT_EQ(p.domains.size(), 3u);
  EXPECT_EQ(p.domains[0].name, "setosa");
  EXPECT_EQ(p.domains[0].rows, 200u);
  double share = 0;
  for (const auto& d : p.domains) {
    share += d.share;
    EXPECT_FALSE(d.borrowed);
    EXPECT_NEAR(d.copula_weight, 200.0 / 230.0, 1e-12);
    EXPECT_EQ(d.features[0].knots.size(), kMaxQuantileKnots + 2 * kTailLevels);
    EXPECT_EQ(d.features[0].tails, kTailLevels);
    EXPECT_TRUE(std::is_sorted(d.features[0].knots.begin(), d.features[0].knots.end()));
  }
  EXPECT_NEAR(share, 1.0, 1e-12);
  // f1 = exp(a) and f3 = 100 a move together perfectly in rank.
  const std::size_t w = 4;
  EXPECT_GT(p.pooled.correlation[0 * w + 2], 0.99);
  EXPECT_GT(p.pooled.correlation[0 * w + 1], 0.6);
  EXPECT_GT(p.pooled.correlation[0 * w + 3], 0.5);
}

TEST(ProfileFit, JsonRoundTripKeepsEveryByte) {
  const Profile p = fit(foreign_rows(300));
  const std::string text = profile_json(p);
  EXPECT_EQ(profile_json(parse_profile(text)), text);
  EXPECT_EQ(text.rfind("{\"format_version\":1,\"rows\":300,\"dimension\":3,", 0), 0u);
}

TEST(ProfileFit, SmallDomainsBorrowThePool) {
  std::vector<RealRow> rows = foreign_rows(30);
  rows.push_back({"rare", {1.5, 6, 12}, 0.9});
  rows.push_back({"rare", {1.7, 7, 15}, 0.8});
  const Profile p = fit(rows);
  const DomainProfile& rare = p.domains[0];
  ASSERT_EQ(rare.name, "rare");
  EXPECT_TRUE(rare.borrowed);
  EXPECT_EQ(rare.rows, 2u);
  EXPECT_EQ(rare.features[0].knots, p.pooled.features[0].knots);
  EXPECT_EQ(rare.correlation, p.pooled.correlation);
  EXPECT_EQ(rare.band_shares[2], 1.0);  // its own band mix stays
}

TEST(ProfileFit, TenRowsAreEnoughAndNineAreNot) {
  const std::vector<RealRow> rows = foreign_rows(10);
  EXPECT_NO_THROW(fit(rows));
  try {
    fit(std::vector<RealRow>(rows.begin(), rows.begin() + 9));
    FAIL() << "nine rows fitted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), "22000");
    EXPECT_STREQ(e.what(), "synth_fit needs at least 10 usable rows, found 9");
  }
}

TEST(ProfileFit, MixedDimensionsFitTheDominantOne) {
  std::vector<RealRow> rows = foreign_rows(20);
  rows[3].features.push_back(1);
  rows[4].features.push_back(1);
  const Profile p = fit(rows);
  EXPECT_EQ(p.dimension(), 3u);
  EXPECT_EQ(p.rows, 18u);
}

TEST(ProfileFit, DimensionTiesGoToTheSmallerAndCountEveryRow) {
  ProfileFitter fitter;
  const double four[4] = {1, 2, 3, 4}, two[2] = {1, 2};
  for (int i = 0; i < 12; ++i) fitter.add("a", four, 4, 0.5);
  for (int i = 0; i < 12; ++i) fitter.add("b", two, 2, 0.5);
  fitter.add("c", nullptr, 100, 0.0);  // too wide to keep: counted only
  EXPECT_EQ(fitter.dimension(), 2u);
  EXPECT_EQ(fitter.dimension_rows(), 12u);
  EXPECT_EQ(fitter.rows(), 25u);
  EXPECT_EQ(fitter.rows_by_dimension().at(100), 1u);
  EXPECT_EQ(fitter.fit({}).dimension(), 2u);
}

TEST(ProfileFit, TooWideRowsFailAtTheFitNotOnTheWay) {
  ProfileFitter wide;
  for (int i = 0; i < 20; ++i) wide.add("a", nullptr, 65, 0.0);
  EXPECT_EQ(wide.dimension(), 65u);
  try {
    wide.fit({});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), "54000");
  }
}

// 300 domains: d0..d49 hold three rows each, the other 250 one each. The
// fit keeps the 50 large ones and the 206 small ones whose names sort first,
// whatever order the rows come in, and counts the 44 rows it leaves out.
TEST(ProfileFit, TooManyDomainsFitTheMostCommonInAnyOrder) {
  std::vector<std::pair<std::string, double>> rows;
  for (int i = 0; i < 300; ++i)
    for (int k = 0; k < (i < 50 ? 3 : 1); ++k) rows.emplace_back("d" + std::to_string(i), i * 0.5 + k);
  std::string first;
  std::mt19937 shuffle(7);
  for (int round = 0; round < 3; ++round) {
    ProfileFitter many;
    for (const auto& [domain, value] : rows) {
      const double x[1] = {value};
      many.add(domain, x, 1, 0.5);
    }
    EXPECT_EQ(many.rare_domain_rows(), 44u);
    const Profile p = many.fit({});
    ASSERT_EQ(p.domains.size(), 256u);
    std::set<std::string> names;
    for (const auto& d : p.domains) names.insert(d.name);
    for (int i = 0; i < 50; ++i) EXPECT_EQ(names.count("d" + std::to_string(i)), 1u) << i;
    // Of the one-row domains d50..d299, the 206 first by name are kept.
    std::vector<std::string> small;
    for (int i = 50; i < 300; ++i) small.push_back("d" + std::to_string(i));
    std::sort(small.begin(), small.end());
    for (std::size_t i = 0; i < small.size(); ++i)
      EXPECT_EQ(names.count(small[i]), i < 206 ? 1u : 0u) << small[i];
    const std::string text = profile_json(p);
    if (round == 0) first = text;
    EXPECT_EQ(text, first);
    std::shuffle(rows.begin(), rows.end(), shuffle);
  }
}

TEST(ProfileFit, ConstantColumnsStayPositiveDefinite) {
  std::vector<RealRow> rows = foreign_rows(40);
  for (auto& r : rows) r.features[1] = 4;
  const Profile p = fit(rows);
  EXPECT_EQ(p.pooled.features[1].min(), 4);
  EXPECT_EQ(p.pooled.features[1].max(), 4);
  EXPECT_EQ(p.pooled.correlation[1 * 4 + 0], 0.0);
}

// ---- the fit against a direct computation ---------------------------------

// Mid-ranks (1-based, ties averaged) of one column, computed by brute force.
std::vector<double> mid_ranks(const std::vector<double>& x) {
  std::vector<double> r(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    double less = 0, equal = 0;
    for (double v : x) {
      less += v < x[i];
      equal += v == x[i];
    }
    r[i] = less + (equal + 1) / 2;
  }
  return r;
}

// numpy.quantile(x, q) (linear interpolation, type 7) of sorted values.
double quantile7(const std::vector<double>& x, double q) {
  const double h = (static_cast<double>(x.size()) - 1) * q;
  const std::size_t lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, x.size() - 1);
  return x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
}

// The probability of knot k of a fitted marginal of 71 knots: 65 at i / 64
// with three more at each end, 2^-j / 64 from it (j = 1..3).
double fitted_probability(std::size_t k) {
  if (k == 0) return 0.0;
  if (k >= 70) return 1.0;
  if (k <= 3) return std::ldexp(1.0 / 64, static_cast<int>(k) - 4);
  if (k <= 66) return static_cast<double>(k - 3) / 64;
  return 1.0 - std::ldexp(1.0 / 64, -static_cast<int>(k - 66));
}

// The knots of a smoothed marginal computed directly. Values repeated at
// least max(20, n / 64) times are point masses; the rest (three distinct
// values or more) get a Gaussian kernel estimate in the space the fit chooses
// (choose_transform, tested on its own below), with Silverman's bandwidth
// there, Boost's normal CDF, over every value (over 513 type-7 quantiles at
// the middles of 513 equal cells beyond 513 values), truncated to
// [min, max]; the mixture's CDF is inverted by bisection at each knot's
// probability and mapped back; within 1/32 of either end no knot lies
// beyond the type-7 quantile of the rows at its probability.
// The body-mean shift of marginal_fit.cpp, computed another way: the
// integrals over [1/32, 31/32] by a 20,000-point midpoint rule (numpy's
// linear quantiles of the rows; the knots' piecewise-linear function), the
// moved knots shifted in the smoothing space and kept between the fixed
// ones, the shift at most 0.1 standard deviations of the kernel centres
// within Tukey's far fences.
void reference_mean_match(const std::vector<double>& x, const std::vector<std::pair<double, double>>& atoms,
                          const SmoothingTransform& t, const std::vector<double>& centres,
                          std::vector<double>& knots) {
  constexpr int kSteps = 20000;
  const double from = 1.0 / 32, to = 31.0 / 32;
  auto integral = [&](auto quantile) {
    double sum = 0;
    for (int i = 0; i < kSteps; ++i) sum += quantile(from + (to - from) * (i + 0.5) / kSteps);
    return sum * (to - from) / kSteps;
  };
  const double target = integral([&](double u) { return quantile7(x, u); });
  const std::size_t count = knots.size();
  std::vector<double> p(count);
  for (std::size_t k = 0; k < count; ++k) p[k] = k == 0 ? 0.0 : k + 1 == count ? 1.0 : fitted_probability(k);
  std::vector<bool> fixed(count);
  for (std::size_t k = 0; k < count; ++k) {
    bool on_atom = false;
    // The reference finds a knot on a point mass by bisection: within 1e-7 of the range.
    for (const auto& a : atoms)
      on_atom = on_atom || std::fabs(a.first - knots[k]) <= 1e-7 * (knots.back() - knots.front());
    fixed[k] = k == 0 || k + 1 == count || on_atom || p[k] <= from || p[k] >= to;
  }
  // The cap: 0.1 standard deviations of the centres within Tukey's far
  // fences (the quartiles: the first centres whose count reaches a quarter
  // and three quarters of all).
  std::vector<double> sorted_centres = centres;
  std::sort(sorted_centres.begin(), sorted_centres.end());
  const double m = static_cast<double>(sorted_centres.size());
  const double q1 = sorted_centres[static_cast<std::size_t>(std::ceil(0.25 * m)) - 1];
  const double q3 = sorted_centres[static_cast<std::size_t>(std::ceil(0.75 * m)) - 1];
  std::vector<double> inside;
  for (double v : sorted_centres)
    if (v >= q1 - 3 * (q3 - q1) && v <= q3 + 3 * (q3 - q1)) inside.push_back(v);
  double in_mean = 0, in_ss = 0;
  for (double v : inside) in_mean += v / static_cast<double>(inside.size());
  for (double v : inside) in_ss += (v - in_mean) * (v - in_mean);
  const double limit = 0.1 * std::sqrt(in_ss / static_cast<double>(inside.size()));
  const std::vector<double> original = knots;
  auto moved = [&](double delta) {
    std::vector<double> out = original;
    for (std::size_t k = 0; k < count; ++k) {
      if (fixed[k]) continue;
      std::size_t a = k, b = k;
      while (!fixed[a]) --a;
      while (!fixed[b]) ++b;
      const double y = std::clamp(t.apply(original[k]) + delta, t.apply(original[a]), t.apply(original[b]));
      out[k] = std::clamp(t.invert(y), original.front(), original.back());
    }
    for (std::size_t k = 1; k < count; ++k) out[k] = std::max(out[k], out[k - 1]);
    return out;
  };
  auto body = [&](const std::vector<double>& q) {
    return integral([&](double u) {
      std::size_t k = 0;
      while (k + 2 < count && p[k + 1] < u) ++k;
      return q[k] + (q[k + 1] - q[k]) * (u - p[k]) / (p[k + 1] - p[k]);
    });
  };
  double a = -limit, b = limit;
  for (int i = 0; i < 50; ++i) (body(moved((a + b) / 2)) < target ? a : b) = (a + b) / 2;
  knots = moved((a + b) / 2);
}

std::vector<double> reference_knots(std::vector<double> x, bool match_body_mean = true) {
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  const double atom_rows = std::max(20.0, std::ceil(n / 64));
  std::vector<std::pair<double, double>> atoms;
  std::vector<double> rest;
  for (double v : x) {
    const double count = static_cast<double>(std::count(x.begin(), x.end(), v));
    if (count < atom_rows)
      rest.push_back(v);
    else if (atoms.empty() || atoms.back().first != v)
      atoms.emplace_back(v, count);
  }
  const double lo = x.front(), hi = x.back();
  std::vector<Ranked> ranked;
  for (double v : rest) ranked.emplace_back(v, 0);
  const SmoothingTransform t = choose_transform(ranked.data(), ranked.size(), lo, hi);
  EXPECT_GT(std::set<double>(rest.begin(), rest.end()).size(), 2u) << "the reference smooths the rest";
  std::vector<double> points;
  if (rest.size() > 513) {
    for (int i = 0; i < 513; ++i) points.push_back(t.apply(quantile7(rest, (i + 0.5) / 513.0)));
  } else {
    for (double v : rest) points.push_back(t.apply(v));
  }
  std::vector<double> y_rest;
  for (double v : rest) y_rest.push_back(t.apply(v));
  const double r = static_cast<double>(points.size());
  double mean = 0, ss = 0;
  for (double v : points) mean += v / r;
  for (double v : points) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / (r - 1));
  const double iqr = (quantile7(y_rest, 0.75) - quantile7(y_rest, 0.25)) / 1.349;
  const double h =
      0.9 * (iqr > 0 ? std::min(sd, iqr) : sd) * std::pow(static_cast<double>(rest.size()), -0.2);
  const boost::math::normal normal;
  const double y_lo = t.apply(lo), y_hi = t.apply(hi);
  auto kernels = [&](double at) {
    double s = 0;
    for (double v : points) s += boost::math::cdf(normal, (at - v) / h);
    return s;
  };
  const double base = kernels(y_lo), mass = kernels(y_hi) - base;
  auto cdf = [&](double at) {
    double c = static_cast<double>(rest.size()) / n * (kernels(at) - base) / mass;
    for (const auto& [value, count] : atoms)
      if (t.apply(value) <= at) c += count / n;
    return c;
  };
  std::vector<double> knots{lo};
  for (std::size_t k = 1; k < 70; ++k) {
    const double target = fitted_probability(k);
    double a = y_lo, b = y_hi;
    for (int i = 0; i < 60; ++i) (cdf((a + b) / 2) < target ? a : b) = (a + b) / 2;
    double knot = std::clamp(t.invert(b), lo, hi);
    if (target <= 1.0 / 32) knot = std::max(knot, quantile7(x, target));
    if (target >= 31.0 / 32) knot = std::min(knot, quantile7(x, target));
    knots.push_back(std::max(knot, knots.back()));
  }
  knots.push_back(hi);
  if (match_body_mean) reference_mean_match(x, atoms, t, points, knots);
  return knots;
}

// Boost's normal quantiles of the mid-ranks of each column, in long double.
std::vector<std::vector<long double>> reference_normal_scores(
    const std::vector<std::vector<double>>& columns) {
  const boost::math::normal normal;
  const std::size_t n = columns[0].size();
  std::vector<std::vector<long double>> z(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c)
    for (double v : mid_ranks(columns[c]))
      z[c].push_back(boost::math::quantile(normal, (v - 0.5) / static_cast<double>(n)));
  return z;
}

// Pearson correlation of normal scores, summed in long double in row order.
std::vector<double> reference_correlation(std::vector<std::vector<long double>> z) {
  const std::size_t w = z.size();
  const std::size_t n = z[0].size();
  for (auto& column : z) {
    long double mean = 0;
    for (long double v : column) mean += v;
    mean /= static_cast<long double>(n);
    for (auto& v : column) v -= mean;
  }
  std::vector<double> out(w * w);
  for (std::size_t a = 0; a < w; ++a)
    for (std::size_t b = 0; b < w; ++b) {
      long double s = 0, sa = 0, sb = 0;
      for (std::size_t i = 0; i < n; ++i) {
        s += z[a][i] * z[b][i];
        sa += z[a][i] * z[a][i];
        sb += z[b][i] * z[b][i];
      }
      out[a * w + b] = static_cast<double>(s / std::sqrt(sa * sb));
    }
  return out;
}

// The copula of rows.
std::vector<double> reference_copula(const std::vector<std::vector<double>>& columns) {
  return reference_correlation(reference_normal_scores(columns));
}

// Normal scores of values by their mid-ranks (ties share one), in
// O(n log n): Phi^-1((rank - 1/2) / n).
std::vector<double> normal_scores_by_rank(const std::vector<double>& x) {
  const boost::math::normal normal;
  std::vector<std::size_t> order(x.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return x[i] < x[j]; });
  std::vector<double> z(x.size());
  const double n = static_cast<double>(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    const double mid = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (std::size_t k = i; k <= j; ++k) z[order[k]] = boost::math::quantile(normal, (mid - 0.5) / n);
    i = j + 1;
  }
  return z;
}

// The normal-score correlation of rows a Gaussian copula of latent rho draws
// through two marginals (rounded to `grid` decimals, as the sampler rounds
// a column on a grid; -1: not rounded), by simulation over 200,000 rows.
double simulated_normal_score_correlation(const Marginal& a, int grid_a, const Marginal& b, int grid_b,
                                          double rho) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> standard;
  const boost::math::normal normal;
  auto rounded = [](double v, int grid) {
    return grid < 0 ? v : std::round(v * std::pow(10.0, grid)) / std::pow(10.0, grid);
  };
  constexpr int kDraws = 200000;
  std::vector<double> xa, xb;
  for (int i = 0; i < kDraws; ++i) {
    const double z1 = standard(rng), z2 = rho * z1 + std::sqrt(1 - rho * rho) * standard(rng);
    xa.push_back(rounded(a.quantile(boost::math::cdf(normal, z1)), grid_a));
    xb.push_back(rounded(b.quantile(boost::math::cdf(normal, z2)), grid_b));
  }
  const std::vector<double> za = normal_scores_by_rank(xa), zb = normal_scores_by_rank(xb);
  double sab = 0, saa = 0, sbb = 0;
  for (int i = 0; i < kDraws; ++i) sab += za[i] * zb[i], saa += za[i] * za[i], sbb += zb[i] * zb[i];
  return sab / std::sqrt(saa * sbb);
}

TEST(ProfileFit, MatchesADirectComputationPerDomainAndPooled) {
  // Ties (the rounded and integer columns) and three domains of unequal size.
  std::vector<RealRow> rows = foreign_rows(600);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i % 7 == 0) rows[i].domain = "setosa";
    rows[i].features[2] += static_cast<double>((i * 37) % 11) * 20;  // f1 and f3 no longer agree in rank
  }
  const Profile p = fit(rows);
  const std::size_t w = p.dimension() + 1;
  auto columns_of = [&](const std::string& name) {
    std::vector<std::vector<double>> columns(w);
    for (const auto& r : rows) {
      if (name != "*" && r.domain != name) continue;
      for (std::size_t f = 0; f + 1 < w; ++f) columns[f].push_back(r.features[f]);
      columns[w - 1].push_back(r.score);
    }
    return columns;
  };
  // The shrinkage target: the correlation of every row's normal score within
  // its own domain, centred on its domain's mean, all domains together.
  std::vector<std::vector<long double>> within(w);
  for (const auto& d : p.domains) {
    std::vector<std::vector<long double>> z = reference_normal_scores(columns_of(d.name));
    for (std::size_t c = 0; c < w; ++c) {
      long double mean = 0;
      for (long double v : z[c]) mean += v;
      mean /= static_cast<long double>(z[c].size());
      for (long double v : z[c]) within[c].push_back(v - mean);
    }
  }
  const std::vector<double> target = reference_correlation(within);
  auto check = [&](const DomainProfile& dp, const std::string& name) {
    const std::vector<std::vector<double>> columns = columns_of(name);
    ASSERT_EQ(dp.rows, columns[0].size()) << name;
    for (std::size_t c = 0; c < w; ++c) {
      const Marginal& m = c + 1 < w ? dp.features[c] : dp.score;
      // The score keeps its smoothed body (its band shares are drawn by).
      const std::vector<double> expected = reference_knots(columns[c], c + 1 < columns.size());
      ASSERT_EQ(m.knots.size(), expected.size());
      const double range = expected.back() - expected.front();
      EXPECT_EQ(m.knots.front(), expected.front());
      EXPECT_EQ(m.knots.back(), expected.back());
      // The fit inverts the estimate on a grid of 257 points: within a
      // thousandth of the range (a type-7 quantile of the same rows differs
      // by about 1%).
      for (std::size_t k = 0; k < m.knots.size(); ++k)
        EXPECT_NEAR(m.knots[k], expected[k], 1e-3 * range) << name << " column " << c << " knot " << k;
    }
    const std::vector<double> ref = reference_copula(columns);
    const double weight = name == "*" ? 1.0 : dp.copula_weight;
    if (name == "*" || dp.rows < 200) {
      for (std::size_t i = 0; i < w * w; ++i) {
        const double expected = weight * ref[i] + (1 - weight) * target[i];
        EXPECT_NEAR(dp.correlation[i], expected, 1e-9) << name << " entry " << i;
      }
      return;
    }
    // A domain of 200 rows or more: its own latent correlations (before the
    // shrinkage) draw rows whose normal-score correlation lies within the
    // rank band, 2 (1 - r^2) / sqrt(n), of the rows' own. Here the Pearson
    // match moves no pair, so each draws the rows' own normal-score
    // correlation, the ties of the integer column undone (simulated to within
    // 0.005; 200,000 draws give a spread of about 0.001). A latent equal to
    // the normal scores' correlation drew 0.012 less for the integer
    // column's pairs.
    for (std::size_t a = 0; a < w; ++a)
      for (std::size_t b = a + 1; b < w; ++b) {
        const std::size_t i = a * w + b;
        const double own = (dp.correlation[i] - (1 - weight) * target[i]) / weight;
        const Marginal& ma = a + 1 < w ? dp.features[a] : dp.score;
        const Marginal& mb = b + 1 < w ? dp.features[b] : dp.score;
        auto grid = [&](std::size_t c) {
          return c + 1 == w ? 4 : p.integer_features[c] ? 0 : p.decimal_grids[c];
        };
        const double drawn = simulated_normal_score_correlation(ma, grid(a), mb, grid(b), own);
        const double band = 2 * (1 - ref[i] * ref[i]) / std::sqrt(static_cast<double>(dp.rows));
        EXPECT_NEAR(drawn, ref[i], band) << name << " pair " << a << "-" << b;
        EXPECT_NEAR(drawn, ref[i], 0.005) << name << " pair " << a << "-" << b;
      }
  };
  check(p.pooled, "*");
  for (const auto& d : p.domains) check(d, d.name);
}

TEST(ProfileFit, PointMassesKeepTheirMass) {
  // 70% of a feature is exactly 0 (a count of visits), the rest continuous:
  // the smoothing must not spread that mass over (0, 1).
  std::vector<RealRow> rows = foreign_rows(1000);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].domain = "d";
    rows[i].features[0] = i % 10 < 7 ? 0.0 : 1.0 + rows[i].features[0];
  }
  const Profile p = fit(rows);
  const Marginal& m = p.domains[0].features[0];
  const auto zeros = std::count(m.knots.begin(), m.knots.end(), 0.0);
  // Knots at k / 64 for k <= 44 lie within the 70% at 0, and so do the 3 tail knots below 1 / 64.
  EXPECT_GE(zeros, 47);
  EXPECT_LE(zeros, 49);
  EXPECT_GT(m.knots[49], 1.0);  // and the rest starts at the continuous part
}

TEST(ProfileFit, NegativeZeroIsZero) {
  // -0.0 == 0.0: which of the two a row holds, and where it comes, must not change a byte.
  std::vector<RealRow> rows = foreign_rows(40);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i].features[2] = (i % 2 ? -0.0 : 0.0) + (i % 5 ? 0 : 1);
  const std::string first = profile_json(fit(rows));
  std::reverse(rows.begin(), rows.end());
  EXPECT_EQ(profile_json(fit(rows)), first);
  for (auto& r : rows)
    if (r.features[2] == 0) r.features[2] = 0.0;
  EXPECT_EQ(profile_json(fit(rows)), first);
  EXPECT_EQ(first.find("-0,"), std::string::npos);
}

// ---- parser errors --------------------------------------------------------

std::string error_of(const std::string& text) {
  try {
    parse_profile(text);
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), "22023");
    return e.what();
  }
  return "no error";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ProfileParse, RejectsWhatIsNotAProfile) {
  const std::string good = profile_json(fit(foreign_rows(60)));
  EXPECT_EQ(error_of(replaced(good, "\"format_version\":1", "\"format_version\":7")),
            "unsupported profile format_version 7");
  EXPECT_EQ(error_of(replaced(good, "\"rows\":60,", "")),
            "invalid profile: the profile lacks the key \"rows\"");
  EXPECT_EQ(error_of(replaced(good, "\"dimension\":3", "\"dimension\":4")),
            "invalid profile: feature_names must hold 4 names (the dimension), holds 3");
  EXPECT_EQ(error_of(replaced(good, "\"share\":0.3333333333333333", "\"share\":0.5")),
            "invalid profile: domains shares must sum to 1, sum to 1.166666667");
  EXPECT_EQ(error_of("[1,2]"), "invalid profile: the document must be a JSON object");
  EXPECT_EQ(error_of("{\"format_version\":1"), "invalid profile: expected '}' at byte 19");
  EXPECT_EQ(error_of(replaced(good, "\"knots\":[", "\"knots\":[NaN,")),
            "invalid profile: pooled.features[0].knots[0] must be finite");
  EXPECT_EQ(error_of(replaced(good, "\"knots\":[", "\"knots\":[-1e999,")),
            "invalid profile: pooled.features[0].knots[0] must be finite");
  EXPECT_EQ(error_of(replaced(good, "\"band_shares\":{\"low\":", "\"band_shares\":{\"low\":0.5,\"x\":")),
            "invalid profile: band_shares has an unknown key \"x\"");
}

TEST(ProfileParse, RejectsACorrelationThatIsNotPositiveDefinite) {
  Profile p = fit(foreign_rows(60));
  const std::size_t w = 4;
  p.pooled.correlation[0 * w + 1] = p.pooled.correlation[1 * w + 0] = 1.0;
  p.pooled.correlation[0 * w + 2] = p.pooled.correlation[2 * w + 0] = -1.0;
  p.pooled.correlation[1 * w + 2] = p.pooled.correlation[2 * w + 1] = 1.0;
  EXPECT_EQ(error_of(profile_json(p)), "invalid profile: pooled.correlation must be positive definite");
}

TEST(ProfileParse, RejectsADomainOutsideThePooledBounds) {
  // A domain's rows are among the pooled rows: its bounds lie within the pool's.
  Profile p = fit(foreign_rows(60));
  p.domains[0].features[1].knots.front() = p.pooled.features[1].min() - 1;
  EXPECT_NE(error_of(profile_json(p))
                .find("domains[0].features[1].knots must lie within the pooled marginal's bounds"),
            std::string::npos)
      << error_of(profile_json(p));
  p = fit(foreign_rows(60));
  ASSERT_LT(p.pooled.score.max(), 0.99);
  p.domains[1].score.knots.back() = p.pooled.score.max() + 0.01;
  EXPECT_NE(error_of(profile_json(p)).find("domains[1].score.knots must lie within"), std::string::npos)
      << error_of(profile_json(p));
  // Every fitted profile passes.
  EXPECT_EQ(error_of(profile_json(fit(foreign_rows(60)))), "no error");
}

}  // namespace
}  // namespace synth
