// The private fit: what its profiles hold and do not hold, and an empirical
// privacy audit (Jagielski, Ullman and Oprea 2020): neighbouring data sets D
// and D + {one row}, each fitted many times with fresh noise, a membership
// test on released statistics of the profiles, and the lower bound on
// epsilon its true and false positive rates prove (Clopper-Pearson). It must
// stay below the declared epsilon for private fits, and THE SAME test must
// prove more than that epsilon on a canary (the non-private fit, the private
// fit with its noise divided by 10), with trials enough that every bound
// asserted could fail. The data-dependent releases (domains by threshold,
// bounds estimated) are audited too.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <boost/math/special_functions/beta.hpp>

#include "engine/model/error.hpp"
#include "engine/model/interrupt.hpp"
#include "engine/privacy/accountant.hpp"
#include "engine/privacy/private_fit.hpp"
#include "engine/privacy/random_source.hpp"
#include "engine/profile/profile.hpp"
#include "engine/profile/profile_fit.hpp"
#include "engine/profile/profile_sampler.hpp"
#include "drawn_pairs.hpp"
#include "engine/profile/profile_summary.hpp"

namespace synth {
namespace {

struct Row {
  std::string domain;
  std::vector<double> features;
  double score;
};

std::vector<Row> correlated_rows(std::size_t n, std::uint64_t seed, std::vector<std::string> domains) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<Row> rows;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = normal(rng);
    const double b = 0.8 * a + 0.6 * normal(rng);
    const double score = 1.0 / (1.0 + std::exp(-(a + 0.3 * normal(rng))));
    rows.push_back({domains[i % domains.size()],
                    {std::round(10 + 2 * b), 3 + a + 0.1 * static_cast<double>(i % domains.size())},
                    std::round(score * 1e4) / 1e4});
  }
  return rows;
}

ProfileFitter fitter_of(const std::vector<Row>& rows) {
  ProfileFitter fitter;
  for (const auto& r : rows) fitter.add(r.domain, r.features.data(), r.features.size(), r.score);
  return fitter;
}

PrivacyRequest request(double epsilon, RandomSource& noise) {
  PrivacyRequest r;
  r.epsilon = epsilon;
  r.noise = &noise;
  return r;
}

TEST(PrivateFit, ReleasesAValidProfileThatSaysItIsPrivate) {
  const std::vector<Row> rows = correlated_rows(3000, 1, {"a", "b", "c"});
  SeededRandomSource noise(5);
  const Profile p = fitter_of(rows).fit_private({"x", "y"}, request(1.0, noise));
  ASSERT_TRUE(p.privacy.has_value());
  EXPECT_EQ(p.privacy->epsilon, 1.0);
  EXPECT_EQ(p.privacy->delta, 1e-9);
  EXPECT_EQ(p.privacy->bounds_source, "estimated");
  EXPECT_EQ(p.privacy->mechanism, "discrete_gaussian");
  EXPECT_GT(p.privacy->rho, 0.005);
  ASSERT_EQ(p.domains.size(), 3u);
  EXPECT_NEAR(static_cast<double>(p.rows), 3000, 300);
  EXPECT_TRUE(p.integer_features[0]);
  EXPECT_FALSE(p.integer_features[1]);
  // The JSON round trip keeps the privacy key, and the canonical bytes.
  const std::string json = profile_json(p);
  EXPECT_NE(json.find("\"privacy\":{\"epsilon\":1,\"delta\":1e-09"), std::string::npos);
  EXPECT_EQ(profile_json(parse_profile(json)), json);
  // The copula keeps the strong dependence of x and y (0.8 in the rows).
  EXPECT_GT(p.pooled.correlation[1], 0.5);
  // A non-private profile has no privacy key.
  EXPECT_EQ(profile_json(fitter_of(rows).fit({"x", "y"})).find("privacy"), std::string::npos);
  // The summary says which it is.
  const std::string summary = profile_summary_json(p);
  EXPECT_NE(summary.find("\"private\": true, \"epsilon\": 1, \"delta\": 1e-09"), std::string::npos)
      << summary;
  EXPECT_NE(summary.find("differentially private: (epsilon 1, delta"), std::string::npos) << summary;
  EXPECT_NE(profile_summary_json(fitter_of(rows).fit({"x", "y"})).find(kProfilePrivacyNote),
            std::string::npos);
}

TEST(PrivateFit, ExtremesAreGridPointsOfPublicBounds) {
  std::vector<Row> rows = correlated_rows(2000, 2, {"a"});
  SeededRandomSource noise(6);
  PrivacyRequest r = request(10.0, noise);
  r.feature_bounds = {std::make_pair(0.0, 32.0), std::make_pair(-10.0, 10.0)};
  const Profile p = fitter_of(rows).fit_private({"x", "y"}, r);
  EXPECT_EQ(p.privacy->bounds_source, "given");
  double observed_min = 1e9, observed_max = -1e9;
  for (const Row& row : rows) {
    observed_min = std::min(observed_min, row.features[1]);
    observed_max = std::max(observed_max, row.features[1]);
  }
  for (const DomainProfile* d : {&p.pooled, &p.domains[0]}) {
    const Marginal& y = d->features[1];
    EXPECT_NE(y.min(), observed_min);
    EXPECT_NE(y.max(), observed_max);
    // Grid edges: -10 + 20 k / 32.
    EXPECT_EQ(std::fmod((y.min() + 10) * 32 / 20, 1.0), 0.0);
    EXPECT_EQ(std::fmod((y.max() + 10) * 32 / 20, 1.0), 0.0);
    EXPECT_GE(y.min(), -10);
    EXPECT_LE(y.max(), 10);
  }
  // Same seed, same rows in another order: the same profile.
  std::shuffle(rows.begin(), rows.end(), std::mt19937(3));
  SeededRandomSource again(6);
  r.noise = &again;
  EXPECT_EQ(profile_json(fitter_of(rows).fit_private({"x", "y"}, r)), profile_json(p));
}

// Rows that fill a sliver of wide public bounds: the noise in the many bins
// no row holds must not come back as mass spread over the bounds (the
// histogram is brought to its noisy total by subtracting one level, not
// merely cut at 0).
TEST(PrivateFit, EmptyBinsOfWideBoundsGetNoMass) {
  std::mt19937_64 rng(41);
  std::uniform_real_distribution<double> sliver(40.0, 45.0);
  ProfileFitter fitter;
  for (int i = 0; i < 600; ++i) {
    const double x[1] = {sliver(rng)};
    fitter.add("a", x, 1, 0.5);
  }
  double outside = 0;
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    SeededRandomSource noise(seed);
    PrivacyRequest r = request(1.0, noise);
    r.feature_bounds = {std::make_pair(0.0, 100.0)};
    r.public_domains = {"a"};
    const Profile p = fitter.fit_private({"x"}, r);
    const Marginal& m = p.domains[0].features[0];
    for (int k = 1; k < 100; ++k) {
      const double q = m.quantile(k / 100.0);
      outside += (q < 34.0 || q > 51.0) / 990.0;
    }
  }
  EXPECT_LT(outside, 0.05) << "share of the released marginal outside the rows' sliver";
}

// The copula's noise is shrunk away where it swamps the rows, and kept out
// of the way where the rows are many.
TEST(PrivateFit, CopulaNoiseIsShrunkAndSignalKept) {
  std::mt19937_64 rng(43);
  std::normal_distribution<double> normal(0.0, 1.0);
  ProfileFitter independent;
  for (int i = 0; i < 300; ++i) {
    const double x[3] = {normal(rng), normal(rng), normal(rng)};
    independent.add(i % 2 ? "a" : "b", x, 3, 0.5 + 0.1 * normal(rng));
  }
  const ProfileFitter many = fitter_of(correlated_rows(20000, 9, {"a", "b"}));
  // What the clipped normal scores give with next to no noise (clipping
  // pulls this 0.8 toward 0 a little: about 0.7).
  SeededRandomSource quiet(99);
  PrivacyRequest r0 = request(1e4, quiet);
  r0.feature_bounds = {std::make_pair(0.0, 20.0), std::make_pair(-2.0, 8.0)};
  r0.public_domains = {"a", "b"};
  const double clipped = many.fit_private({"x", "y"}, r0).pooled.correlation[1];
  EXPECT_GT(clipped, 0.6);
  double spurious = 0, missed = 0;
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    SeededRandomSource noise(seed), noise2(seed + 100);
    PrivacyRequest r = request(1.0, noise);
    r.feature_bounds = {std::make_pair(-5.0, 5.0), std::make_pair(-5.0, 5.0), std::make_pair(-5.0, 5.0)};
    r.public_domains = {"a", "b"};
    const Profile p = independent.fit_private({"x", "y", "z"}, r);
    for (std::size_t a = 0; a < 4; ++a)
      for (std::size_t b = a + 1; b < 4; ++b) spurious += std::fabs(p.pooled.correlation[a * 4 + b]) / 60.0;
    PrivacyRequest r2 = request(4.0, noise2);
    r2.feature_bounds = {std::make_pair(0.0, 20.0), std::make_pair(-2.0, 8.0)};
    r2.public_domains = {"a", "b"};
    // x and y are both monotone in a normal pair of correlation 0.8.
    missed += std::fabs(many.fit_private({"x", "y"}, r2).pooled.correlation[1] - clipped) / 10.0;
  }
  EXPECT_LT(spurious, 0.1) << "mean |correlation| released for independent columns";
  EXPECT_LT(missed, 0.03) << "mean error against the noise-free clipped correlation, 20,000 rows";
}

using test_support::pearson;

TEST(PrivateFit, TiedColumnsKeepTheirCorrelation) {
  // A flag (a > 0.8: 21% ones) and a column that follows a: both are
  // monotone in one normal pair, so a Gaussian copula can draw them exactly,
  // but the flag's tied rows share one normal score, and a latent equal to
  // the released normal-score correlation drew a Pearson correlation of
  // 0.41 where the rows have 0.64. With the ties undone it draws 0.58; the
  // rest is the clipping of each row's normal scores to norm sqrt(width)
  // (kCopulaClipNorm), which pulls every released correlation toward 0 a
  // little (CopulaNoiseIsShrunkAndSignalKept: 0.8 to about 0.7).
  std::mt19937_64 rng(47);
  std::normal_distribution<double> normal(0.0, 1.0);
  ProfileFitter fitter;
  std::vector<double> flag, follow;
  for (int i = 0; i < 20000; ++i) {
    const double a = normal(rng);
    const double x[2] = {a > 0.8 ? 1.0 : 0.0, std::round(1e3 * (a + 0.45 * normal(rng))) / 1e3};
    flag.push_back(x[0]);
    follow.push_back(x[1]);
    fitter.add(i % 2 ? "a" : "b", x, 2, std::round(1e4 * (0.5 + 0.1 * normal(rng))) / 1e4);
  }
  const double real = pearson(flag, follow);
  SeededRandomSource quiet(5);
  PrivacyRequest r = request(1e4, quiet);
  r.feature_bounds = {std::make_pair(0.0, 1.0), std::make_pair(-6.0, 6.0)};
  r.public_domains = {"a", "b"};
  const auto [drawn_flag, drawn_follow] =
      test_support::draw_two_features(fitter.fit_private({"flag", "follow"}, r), 20000, 3);
  EXPECT_NEAR(pearson(drawn_flag, drawn_follow), real, 0.08) << "the rows' Pearson correlation: " << real;
}

TEST(PrivateFit, UndoingTiesDoesNotAmplifyNoise) {
  // Independent columns: flags of 1%, 1%, 5% and 21% and a continuous one,
  // 5,000 rows over 20 domains. Every released correlation is noise. Solved
  // without limits, two rare flags' noise came back as a latent of +-0.995,
  // and a small domain that holds the pool's matrix, untied by its own noisy
  // marginals, as -0.94.
  std::mt19937_64 rng(53);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  ProfileFitter fitter;
  std::vector<std::string> names;
  for (int k = 0; k < 20; ++k) names.push_back("d" + std::to_string(k));
  for (int i = 0; i < 5000; ++i) {
    const double x[5] = {uniform(rng) < 0.01 ? 1.0 : 0.0, uniform(rng) < 0.01 ? 1.0 : 0.0,
                         uniform(rng) < 0.05 ? 1.0 : 0.0, uniform(rng) < 0.21 ? 1.0 : 0.0,
                         std::round(1e3 * normal(rng)) / 1e3};
    fitter.add(names[static_cast<std::size_t>(i % 20)], x, 5, std::round(1e4 * uniform(rng)) / 1e4);
  }
  double largest = 0;
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    SeededRandomSource noise(seed);
    PrivacyRequest r = request(1.0, noise);
    r.feature_bounds = {std::make_pair(0.0, 1.0), std::make_pair(0.0, 1.0), std::make_pair(0.0, 1.0),
                        std::make_pair(0.0, 1.0), std::make_pair(-5.0, 5.0)};
    r.public_domains = names;
    const Profile p = fitter.fit_private({"a", "b", "c", "d", "e"}, r);
    auto scan = [&](const DomainProfile& dp) {
      for (std::size_t a = 0; a < 6; ++a)
        for (std::size_t b = a + 1; b < 6; ++b)
          largest = std::max(largest, std::fabs(dp.correlation[a * 6 + b]));
    };
    scan(p.pooled);
    for (const auto& dp : p.domains) scan(dp);
  }
  EXPECT_LT(largest, 0.5) << "the largest |correlation| of independent columns";
}

TEST(PrivateFit, ErrorsDependOnArgumentsAndNoisyCountsOnly) {
  SeededRandomSource noise(7);
  const std::vector<Row> rows = correlated_rows(500, 3, {"a", "b"});
  const ProfileFitter fitter = fitter_of(rows);
  // A listed domain no row has: no error of its own (that would tell whether
  // some row has it); only domains whose noisy count is positive are released,
  // and a fit left with (noisily) too few rows fails with 22000.
  PrivacyRequest r = request(1.0, noise);
  r.public_domains = {"nowhere"};
  try {
    (void)fitter.fit_private({"x", "y"}, r);
    ADD_FAILURE() << "a fit on no released rows must fail";
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), "22000");
    EXPECT_NE(std::string(e.what()).find("noisy count"), std::string::npos);
  }
  r.public_domains = {"a", "zz"};
  const Profile listed = fitter.fit_private({"x", "y"}, r);
  for (const DomainProfile& d : listed.domains) EXPECT_TRUE(d.name == "a" || d.name == "zz");
  EXPECT_NEAR(static_cast<double>(listed.domains[0].rows), 250, 80);
  // Bounds that hold no row: values are clamped, no error.
  r.public_domains.clear();
  r.feature_bounds = {std::make_pair(100.0, 200.0), std::nullopt};
  const Profile clamped = fitter.fit_private({"x", "y"}, r);
  EXPECT_EQ(clamped.privacy->bounds_source, "mixed");
  EXPECT_GE(clamped.pooled.features[0].min(), 100);
  r.epsilon = 0;
  EXPECT_THROW((void)fitter.fit_private({"x", "y"}, r), Error);
}

int interrupt_checks = 0;
int interrupt_after = 1 << 30;
bool counting_check() { return ++interrupt_checks >= interrupt_after; }

TEST(PrivateFit, PollsTheInterruptHookAndStops) {
  const ProfileFitter fitter = fitter_of(correlated_rows(20000, 4, {"a", "b", "c"}));
  set_interrupt_check(counting_check);
  interrupt_checks = 0;
  interrupt_after = 1 << 30;
  SeededRandomSource noise(8);
  (void)fitter.fit_private({"x", "y"}, request(1.0, noise));
  const int checks = interrupt_checks;
  EXPECT_GT(checks, 20) << "the private fit never asked whether to stop";
  // Stopping at any of its checks unwinds with Interrupted.
  for (int at : {1, checks / 3, checks / 2, checks - 1}) {
    interrupt_checks = 0;
    interrupt_after = at;
    SeededRandomSource again(8);
    EXPECT_THROW((void)fitter.fit_private({"x", "y"}, request(1.0, again)), Interrupted) << at;
  }
  set_interrupt_check(nullptr);
}

// --- The audit -----------------------------------------------------------

// The one-sided Clopper-Pearson bounds at confidence 1 - alpha.
double lower_bound(std::size_t k, std::size_t n, double alpha) {
  return k == 0 ? 0.0 : boost::math::ibeta_inv(static_cast<double>(k), static_cast<double>(n - k + 1), alpha);
}
double upper_bound(std::size_t k, std::size_t n, double alpha) {
  return k == n ? 1.0
                : boost::math::ibeta_inv(static_cast<double>(k + 1), static_cast<double>(n - k), 1.0 - alpha);
}

// The epsilon a distinguisher's counts prove at 95% confidence: from
// TPR <= e^eps FPR + delta and (1 - FPR) <= e^eps (1 - TPR) + delta.
double epsilon_lower_bound(std::size_t true_positives, std::size_t false_positives, std::size_t trials,
                           double delta, std::size_t tests = 1) {
  const double alpha = 0.025 / static_cast<double>(tests);
  const double tpr_low = lower_bound(true_positives, trials, alpha);
  const double fpr_high = upper_bound(false_positives, trials, alpha);
  const double tnr_low = lower_bound(trials - false_positives, trials, alpha);
  const double fnr_high = upper_bound(trials - true_positives, trials, alpha);
  double eps = 0;
  if (tpr_low - delta > 0) eps = std::max(eps, std::log((tpr_low - delta) / fpr_high));
  if (tnr_low - delta > 0) eps = std::max(eps, std::log((tnr_low - delta) / fnr_high));
  return eps;
}

// The largest epsilon `trials` trials can prove at all (every positive right,
// no false one): about log(trials / log(1 / alpha)). A bound asserted above it
// could never fail.
double provable_epsilon(std::size_t trials, std::size_t tests) {
  return epsilon_lower_bound(trials, 0, trials, 1e-9, tests);
}

// Neighbouring data sets: D, and D plus one row (rows_with).
struct Neighbours {
  ProfileFitter without, with;
};

// A membership test on a profile: statistics of it, compared with thresholds.
// The epsilon proved is the best over the thresholds, each at confidence
// 1 - 0.05 / thresholds (Bonferroni), so the best is still a 95% bound.
struct Distinguisher {
  double (*statistic)(const Profile&);
  std::vector<double> thresholds;
};

struct AuditResult {
  double epsilon_proved = 0;
  std::size_t failed_fits = 0;
};

// Each side fitted `trials` times; a fit that fails (22000) counts as "out".
template <class Fit>
AuditResult audit(const Neighbours& data, std::size_t trials, Fit fit, const Distinguisher& test) {
  std::vector<double> in, out;
  AuditResult result;
  const double missing = -std::numeric_limits<double>::infinity();
  for (std::size_t t = 0; t < trials; ++t)
    for (int side = 0; side < 2; ++side) {
      double x = missing;
      try {
        x = test.statistic(fit(side ? data.with : data.without, 2 * t + static_cast<std::size_t>(side)));
      } catch (const Error&) {
        ++result.failed_fits;
      }
      (side ? in : out).push_back(x);
    }
  for (double threshold : test.thresholds) {
    const auto above = [&](const std::vector<double>& v) {
      return static_cast<std::size_t>(
          std::count_if(v.begin(), v.end(), [&](double x) { return x >= threshold; }));
    };
    result.epsilon_proved =
        std::max(result.epsilon_proved,
                 epsilon_lower_bound(above(in), above(out), trials, 1e-9, test.thresholds.size()));
  }
  return result;
}

// D: 200 rows near the middle of public bounds [0, 100] x [-99, 99], one
// domain; D + a row at the corner (100, 99) with score 1.
Neighbours corner_neighbours() {
  std::vector<Row> rows = correlated_rows(200, 11, {"a"});
  for (Row& r : rows) r.features[0] = std::clamp(r.features[0], 0.0, 20.0);
  Neighbours n{fitter_of(rows), {}};
  rows.push_back({"a", {100.0, 99.0}, 1.0});
  n.with = fitter_of(rows);
  return n;
}

// The likelihood-ratio statistic of the corner row on released numbers: the
// rows the profile puts in the top quarter of either feature (noisy
// histogram mass times noisy rows; no row of D is there) plus the noisy row
// count above D's, weighted by the inverse of its noise variance against the
// histograms' (accountant.hpp's weights 4 and 1, sensitivities 3 and 1).
double corner_statistic(const Profile& p) {
  const double rows = static_cast<double>(p.rows);
  const double top = (1.0 - p.pooled.features[0].lower_probability(75.0)) * rows +
                     (1.0 - p.pooled.features[1].lower_probability(49.5)) * rows;
  return top + 0.75 * (rows - 200.0);
}
const Distinguisher kCorner{corner_statistic, {0.5, 1.5, 2.5}};

// The private fit at a declared epsilon, with its noise divided by
// noise_divisor (rho times its square) for the canary.
auto private_fit(double epsilon, double noise_divisor, bool bounds_given, bool domains_listed) {
  return [=](const ProfileFitter& f, std::size_t seed) {
    SeededRandomSource noise(seed * 7919 + static_cast<std::uint64_t>(epsilon * 16 + noise_divisor));
    const double rho = rho_for(epsilon, 5e-10) * noise_divisor * noise_divisor;
    PrivacyRequest req = request(noise_divisor == 1 ? epsilon : epsilon_for(rho, 5e-10), noise);
    if (bounds_given) req.feature_bounds = {std::make_pair(0.0, 100.0), std::make_pair(-99.0, 99.0)};
    if (domains_listed) req.public_domains = {"a"};
    return f.fit_private({"x", "y"}, req);
  };
}
auto non_private_fit() {
  return [](const ProfileFitter& f, std::size_t) { return f.fit({"x", "y"}); };
}

TEST(PrivacyAudit, TheStatisticsAuditProvesNoMoreThanEpsilonAndCatchesACanary) {
  const Neighbours data = corner_neighbours();
  const std::size_t trials = 1000;
  // About 5.2: the bounds asserted below (4 at most) can fail.
  ASSERT_GT(provable_epsilon(trials, kCorner.thresholds.size()), 5.0);
  // The canaries: the same distinguisher proves more than 4 on the
  // non-private fit and on the private fit at epsilon 4 with its noise
  // divided by 10.
  const AuditResult open = audit(data, trials / 2, non_private_fit(), kCorner);
  EXPECT_GT(open.epsilon_proved, 4.0);
  const AuditResult canary = audit(data, trials, private_fit(4.0, 10.0, true, true), kCorner);
  EXPECT_GT(canary.epsilon_proved, 4.0);
  RecordProperty("canary_epsilon_proved", std::to_string(canary.epsilon_proved));
  // The private fits prove less than they declare.
  // (At epsilon 1, 400 trials: they can prove about 4.4.)
  for (double epsilon : {1.0, 4.0}) {
    const AuditResult r =
        audit(data, epsilon < 2 ? 400 : trials, private_fit(epsilon, 1.0, true, true), kCorner);
    EXPECT_LT(r.epsilon_proved, epsilon);
    RecordProperty("epsilon_proved_at_" + std::to_string(static_cast<int>(epsilon)),
                   std::to_string(r.epsilon_proved));
  }
}

// The data-dependent paths: a row of a domain no other row has (domains
// released by threshold), and an outlier under estimated bounds.
bool has_domain_zz(const Profile& p) {
  return std::any_of(p.domains.begin(), p.domains.end(),
                     [](const DomainProfile& d) { return d.name == "zz"; });
}
double domain_zz(const Profile& p) { return has_domain_zz(p) ? 1.0 : 0.0; }
double top_of_x(const Profile& p) { return p.pooled.features[0].max(); }

TEST(PrivacyAudit, DataDependentReleasesProveNoMoreThanEpsilon) {
  const std::size_t trials = 300;
  const double epsilon = 4.0;
  ASSERT_GT(provable_epsilon(trials, 1), epsilon);  // about 4.4
  std::vector<Row> rows = correlated_rows(200, 12, {"a"});
  for (Row& r : rows) r.features[0] = std::clamp(r.features[0], 0.0, 20.0);
  std::vector<Row> new_domain = rows, outlier = rows;
  new_domain.push_back({"zz", {10.0, 3.0}, 0.5});
  outlier.push_back({"a", {1e6, 3.0}, 0.5});
  const Neighbours domains{fitter_of(rows), fitter_of(new_domain)};
  const Neighbours bounds{fitter_of(rows), fitter_of(outlier)};
  const Distinguisher zz{domain_zz, {0.5}}, far{top_of_x, {1000.0}};
  // Canaries: the non-private fit shows both rows every time.
  EXPECT_GT(audit(domains, trials, non_private_fit(), zz).epsilon_proved, epsilon);
  EXPECT_GT(audit(bounds, trials, non_private_fit(), far).epsilon_proved, epsilon);
  // Domains by threshold, bounds estimated.
  EXPECT_LT(audit(domains, trials, private_fit(epsilon, 1.0, true, false), zz).epsilon_proved, epsilon);
  EXPECT_LT(audit(bounds, trials, private_fit(epsilon, 1.0, false, true), far).epsilon_proved, epsilon);
}

}  // namespace
}  // namespace synth
