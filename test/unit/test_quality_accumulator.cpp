// The streaming accumulators against a naive two-pass computation.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <vector>

#include "engine/quality/linear_fit.hpp"
#include "engine/quality/quality_accumulator.hpp"
#include "engine/quality/quality_report.hpp"

namespace synth {
namespace {

using Sample = std::array<double, kFeatureCount + 1>;  // features, then score

RowObservation observe(const Sample& s, std::string_view domain = "technical") {
  RowObservation row;
  row.feature_shape = FeatureShape::kArray;
  row.feature_count = kFeatureCount;
  for (std::size_t i = 0; i < kFeatureCount; ++i) row.set_feature(i, ValueState::kNumber, s[i]);
  row.score_state = ValueState::kNumber;
  row.score = s[kFeatureCount];
  row.set_domain(domain);
  return row;
}

std::vector<Sample> random_samples(std::size_t n, std::uint64_t seed, double offset = 0.0) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> noise(0.0, 0.1);
  std::vector<Sample> out(n);
  for (Sample& s : out) {
    s[0] = offset + unit(rng);
    s[1] = offset + 60 + 240 * unit(rng);
    s[2] = offset + 0.5 * s[0] + 0.5 * unit(rng);  // correlated with clarity
    s[3] = offset + std::floor(11 * unit(rng));
    s[4] = offset + unit(rng);
    s[5] = offset + unit(rng);
    double score = 0.3 * (s[0] - offset) + 0.4 * (s[4] - offset) + noise(rng);
    s[kFeatureCount] = std::clamp(score, 0.0, 1.0);
  }
  return out;
}

struct Naive {
  std::array<double, 7> mean{};
  std::array<std::array<double, 7>, 7> cov{};  // sums of products of deviations
};

Naive two_pass(const std::vector<Sample>& samples) {
  Naive out;
  const double n = static_cast<double>(samples.size());
  for (const Sample& s : samples)
    for (std::size_t i = 0; i < 7; ++i) out.mean[i] += s[i];
  for (double& m : out.mean) m /= n;
  for (const Sample& s : samples)
    for (std::size_t i = 0; i < 7; ++i)
      for (std::size_t j = 0; j < 7; ++j) out.cov[i][j] += (s[i] - out.mean[i]) * (s[j] - out.mean[j]);
  return out;
}

// R^2 of OLS with intercept by Gaussian elimination on the normal equations.
double naive_r2(const std::vector<Sample>& samples) {
  Naive m = two_pass(samples);
  double a[6][7];
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 6; ++j) a[i][j] = m.cov[i][j];
    a[i][6] = m.cov[i][6];
  }
  for (int c = 0; c < 6; ++c) {
    int pivot = c;
    for (int r = c + 1; r < 6; ++r)
      if (std::fabs(a[r][c]) > std::fabs(a[pivot][c])) pivot = r;
    for (int k = 0; k < 7; ++k) std::swap(a[c][k], a[pivot][k]);
    for (int r = 0; r < 6; ++r) {
      if (r == c) continue;
      double f = a[r][c] / a[c][c];
      for (int k = 0; k < 7; ++k) a[r][k] -= f * a[c][k];
    }
  }
  double explained = 0;
  for (int i = 0; i < 6; ++i) explained += (a[i][6] / a[i][i]) * m.cov[i][6];
  return explained / m.cov[6][6];
}

TEST(QualityAccumulator, AgreesWithTwoPass) {
  // A large offset makes naive one-pass sums lose digits; Welford must not.
  for (double offset : {0.0, 1e6}) {
    std::vector<Sample> samples = random_samples(5000, 7, offset);
    QualityAccumulator acc;
    for (const Sample& s : samples) acc.add(observe(s));
    Naive naive = two_pass(samples);
    ASSERT_NE(acc.dimension_stats(kFeatureCount), nullptr);
    const DimensionStats& six = *acc.dimension_stats(kFeatureCount);
    ASSERT_EQ(six.valid_count(), samples.size());
    for (std::size_t i = 0; i < 7; ++i) {
      EXPECT_NEAR(six.moments().mean(i), naive.mean[i], 1e-9 * (1 + std::fabs(naive.mean[i])));
      for (std::size_t j = 0; j < 7; ++j) {
        // Relative to the scale of the two variables: a near-zero co-moment of
        // independent variables cannot be known to more digits than that.
        const double scale = std::sqrt(naive.cov[i][i] * naive.cov[j][j]);
        EXPECT_NEAR(six.moments().comoment(i, j), naive.cov[i][j], 1e-9 * (1 + scale))
            << i << "," << j << " offset " << offset;
      }
    }
  }
}

TEST(QualityAccumulator, ExtremesHistogramsTiersDomains) {
  QualityAccumulator acc;
  acc.add(observe({0.1, 310, 0.5, 3, 0.5, 0.5, 0.0}, "technical"));
  acc.add(observe({0.2, 150, 0.5, 10, 0.5, 0.5, 0.35}, "creative"));
  acc.add(observe({-0.5, 0, 1.0, 0, 0.5, 0.5, 1.0}, "poetry"));
  acc.add(observe({0.3, 300, 0.5, 4, 0.5, 0.5, 0.5}, ""));
  RowObservation broken;  // no features
  broken.reset();
  acc.add(broken);
  EXPECT_EQ(acc.sample_count(), 5u);
  EXPECT_EQ(acc.undimensioned_invalid(InvalidReason::kMissingFeatures), 1u);
  ASSERT_NE(acc.dimension_stats(kFeatureCount), nullptr);
  const DimensionStats& six = *acc.dimension_stats(kFeatureCount);
  EXPECT_EQ(six.valid_count(), 4u);
  EXPECT_EQ(six.min(0), -0.5);
  EXPECT_EQ(six.max(1), 310);
  EXPECT_EQ(six.min(six.score_index()), 0.0);
  const Histogram& clarity = six.feature_histogram(0);
  EXPECT_EQ(clarity.below, 1u);
  EXPECT_EQ(clarity.bins[1] + clarity.bins[2] + clarity.bins[3], 3u);
  const Histogram& length = six.feature_histogram(1);
  EXPECT_EQ(length.above, 1u);
  EXPECT_EQ(length.bins[9], 1u);  // 300 sits in the last bin
  EXPECT_EQ(length.bins[0], 1u);
  const Histogram& complexity = six.feature_histogram(3);
  EXPECT_EQ(complexity.bins[0], 1u);
  EXPECT_EQ(complexity.bins[3], 1u);
  EXPECT_EQ(complexity.bins[10], 1u);
  const Histogram& score = six.score_histogram();
  EXPECT_EQ(score.bins[0], 1u);
  EXPECT_EQ(score.bins[3], 1u);
  EXPECT_EQ(score.bins[5], 1u);
  EXPECT_EQ(score.bins[9], 1u);  // 1.0 in the last bin
  EXPECT_EQ(six.tier_count(0), 1u);
  EXPECT_EQ(six.tier_count(1), 1u);
  EXPECT_EQ(six.tier_count(2), 1u);
  EXPECT_EQ(six.between_tiers(), 1u);  // 0.35
  EXPECT_EQ(six.domains().known(0), 1u);
  EXPECT_EQ(six.domains().known(1), 1u);
  EXPECT_EQ(six.domains().unknown(), 1u);
  ASSERT_EQ(six.domains().named_others().size(), 1u);
  EXPECT_EQ(six.domains().named_others()[0].first, "poetry");
  EXPECT_EQ(six.scores().count(), 4u);  // 0, 0.35, 1.0, 0.5: the real count, not "two or more"
}

TEST(QualityAccumulator, OtherDomainsAreBounded) {
  QualityAccumulator acc;
  for (int i = 0; i < 100; ++i)
    acc.add(observe({0.5, 100, 0.5, 3, 0.5, 0.5, 0.5}, "name" + std::to_string(i)));
  acc.add(observe({0.5, 100, 0.5, 3, 0.5, 0.5, 0.5}, "unknown"));
  acc.add(observe({0.5, 100, 0.5, 3, 0.5, 0.5, 0.5}, "other"));
  const DimensionStats& six = *acc.dimension_stats(kFeatureCount);
  EXPECT_EQ(six.domains().named_others().size(), DomainCounter::kMaxOtherNames);
  EXPECT_EQ(six.domains().other(), 100 - DomainCounter::kMaxOtherNames + 1);
  EXPECT_EQ(six.domains().unknown(), 1u);
  EXPECT_EQ(six.scores().count(), 1u);
}

TEST(LinearFit, AgreesWithNormalEquations) {
  std::vector<Sample> samples = random_samples(3000, 11);
  QualityAccumulator acc;
  for (const Sample& s : samples) acc.add(observe(s));
  QualityReport report = build_quality_report(acc, {});
  ASSERT_TRUE(report.linear_r2.has_value());
  EXPECT_NEAR(*report.linear_r2, naive_r2(samples), 1e-9);
  EXPECT_GT(*report.linear_r2, 0.3);
}

TEST(LinearFit, SingularAndDegenerate) {
  // Two identical features and one constant: still a finite answer.
  std::vector<Sample> samples = random_samples(500, 3);
  for (Sample& s : samples) {
    s[2] = s[0];
    s[3] = 4;
    s[kFeatureCount] = 0.2 + 0.6 * s[0];  // exactly linear in clarity
  }
  QualityAccumulator acc;
  for (const Sample& s : samples) acc.add(observe(s));
  QualityReport report = build_quality_report(acc, {});
  ASSERT_TRUE(report.linear_r2.has_value());
  EXPECT_NEAR(*report.linear_r2, 1.0, 1e-9);
  EXPECT_FALSE(report.label_correlations[3].has_value());  // constant complexity
  EXPECT_NEAR(report.max_correlation.value(), 1.0, 1e-12);

  // A constant target: no R^2.
  std::array<double, 9> comoments{1, 0.5, 0, 0.5, 1, 0, 0, 0, 0};
  EXPECT_FALSE(explained_variance(comoments.data(), 3).has_value());
  // No predictor varies: nothing explained.
  std::array<double, 4> flat{0, 0, 0, 2};
  EXPECT_EQ(explained_variance(flat.data(), 2), 0.0);
  EXPECT_FALSE(explained_variance(flat.data(), 0).has_value());
}

TEST(LinearFit, IndependentScoresExplainLittle) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  QualityAccumulator acc;
  for (int i = 0; i < 1000; ++i) {
    Sample s{};
    for (double& v : s) v = unit(rng);
    acc.add(observe(s));
  }
  QualityReport report = build_quality_report(acc, {});
  EXPECT_LT(report.linear_r2.value(), 0.05);
  bool label_check_failed = false;
  for (const QualityCheck& c : report.checks)
    if (c.name == "label_signal") label_check_failed = !c.passed;
  EXPECT_TRUE(label_check_failed);
}

// Moments at the ends of the double range, against exact rational arithmetic
// on the same doubles (Python's fractions; numpy's std overflows on the
// first set and must be fed scaled columns). Relative error at most 1e-12.
std::vector<std::array<double, 7>> extreme_rows(bool huge) {
  std::vector<std::array<double, 7>> out;
  for (int k = 1; k <= 50; ++k) {
    const double K = k;
    if (huge)
      out.push_back(
          {1e200 * K, 2e200 * K, -1e300 * K / 50, 1e200 * ((k * 7) % 11), 5e-324 * K, 0.5, 1e200 * K});
    else
      out.push_back({1e-200 * K, 2e-200 * K, 1e-300 * ((k * 7) % 11), 1e-200 * ((k * k) % 13), 5e-324 * K,
                     1e-310 * K, 0.01 * K});
  }
  return out;
}

void expect_relative(double got, double want, const char* what, std::size_t i) {
  if (want == 0) {
    EXPECT_EQ(got, 0.0) << what << " " << i;
  } else {
    EXPECT_LE(std::fabs(got - want), 1e-12 * std::fabs(want))
        << what << " " << i << ": " << got << " vs " << want;
  }
}

TEST(CoMoments, HugeValuesKeepStdAndCorrelation) {
  CoMoments m(7);
  for (const auto& r : extreme_rows(true)) m.add(r.data());
  const double mean[7] = {2.5500000000000001e+201, 5.1000000000000002e+201, -5.1000000000000001e+299,
                          5.1399999999999996e+200, 1.284570679187241e-322,  0.5,
                          2.5500000000000001e+201};
  const double sd[7] = {1.4430869689661811e+201, 2.8861739379323623e+201, 2.8861739379323627e+299,
                        3.1560101394006954e+200, 6.9169190417774516e-323, 0,
                        1.4430869689661811e+201};
  for (std::size_t i = 0; i < 7; ++i) {
    if (i != 4) expect_relative(m.mean(i), mean[i], "mean", i);  // 4: denormals, a few ulps of 5e-324
    if (i != 4) expect_relative(m.std_dev(i), sd[i], "std", i);
  }
  EXPECT_NEAR(m.mean(4), mean[4], 1e-323);
  EXPECT_NEAR(m.std_dev(4), sd[4], 1e-323);
  EXPECT_NEAR(m.correlation(0, 1).value(), 1.0, 1e-12);
  EXPECT_NEAR(m.correlation(0, 2).value(), -1.0, 1e-12);
  EXPECT_NEAR(m.correlation(0, 6).value(), 1.0, 1e-12);
  EXPECT_NEAR(m.correlation(0, 3).value(), -0.0090022892261936334, 1e-12);
  EXPECT_NEAR(m.correlation(2, 3).value(), 0.0090022892261935519, 1e-12);
  EXPECT_FALSE(m.correlation(0, 5).has_value());  // a constant column
}

TEST(CoMoments, TinyValuesKeepStdAndCorrelation) {
  CoMoments m(7);
  for (const auto& r : extreme_rows(false)) m.add(r.data());
  const double mean[7] = {2.5499999999999999e-199,
                          5.0999999999999999e-199,
                          5.1400000000000003e-300,
                          6.2200000000000001e-200,
                          1.284570679187241e-322,
                          2.5499999999999897e-309,
                          0.255};
  const double sd[7] = {1.4430869689661813e-199, 2.8861739379323625e-199, 3.1560101394006962e-300,
                        4.177511220810783e-200,  6.9169190417774516e-323, 1.4430869689661757e-309,
                        0.14430869689661813};
  for (std::size_t i = 0; i < 7; ++i) {
    if (i == 4 || i == 5) {  // denormal inputs: absolute error of a few ulps of 5e-324
      EXPECT_NEAR(m.mean(i), mean[i], 1e-322) << i;
      EXPECT_NEAR(m.std_dev(i), sd[i], 1e-322) << i;
      continue;
    }
    expect_relative(m.mean(i), mean[i], "mean", i);
    expect_relative(m.std_dev(i), sd[i], "std", i);
  }
  EXPECT_NEAR(m.correlation(0, 1).value(), 1.0, 1e-12);
  EXPECT_NEAR(m.correlation(0, 6).value(), 1.0, 1e-12);
  EXPECT_NEAR(m.correlation(2, 3).value(), -0.07666713219174924, 1e-12);
  EXPECT_NEAR(m.correlation(0, 3).value(), 0.043294265610406828, 1e-12);
}

// Units do not matter: data times 2^k gives the statistics times 2^k, bit for bit.
TEST(CoMoments, ScalingByPowersOfTwoIsExact) {
  const std::vector<Sample> samples = random_samples(2000, 11);
  CoMoments plain(7);
  for (const Sample& s : samples) plain.add(s.data());
  for (int k : {-900, -600, -1, 1, 600, 900}) {
    CoMoments scaled(7);
    for (Sample s : samples) {
      for (double& x : s) x = std::ldexp(x, k);
      scaled.add(s.data());
    }
    for (std::size_t i = 0; i < 7; ++i) {
      EXPECT_EQ(scaled.mean(i), std::ldexp(plain.mean(i), k)) << k << " " << i;
      EXPECT_EQ(scaled.std_dev(i), std::ldexp(plain.std_dev(i), k)) << k << " " << i;
      for (std::size_t j = 0; j < i; ++j) EXPECT_EQ(scaled.correlation(i, j), plain.correlation(i, j)) << k;
    }
  }
}

// The report on perfectly correlated features of 1e200 * k: a std, r = 1, and
// the correlation check failing, as it must.
TEST(QualityAccumulator, HugeCorrelatedFeaturesFailTheCorrelationCheck) {
  QualityAccumulator acc;
  for (int k = 1; k <= 100; ++k) {
    const double K = k;
    acc.add(observe({1e200 * K, 2e200 * K, 3e200 * K, 4e200 * K, 5e200 * K, 6e200 * K, 0.01 * (k % 100)}));
  }
  QualityReport report = build_quality_report(acc, {});
  ASSERT_TRUE(report.features[0].std.has_value());
  EXPECT_NEAR(*report.features[0].std / 2.8866070047722117e201, 1.0, 1e-12);
  ASSERT_TRUE(report.max_correlation.has_value());
  EXPECT_NEAR(*report.max_correlation, 1.0, 1e-12);
  EXPECT_FALSE(report.correlation_threshold_met);
  QualityAccumulator tiny;
  for (int k = 1; k <= 100; ++k) {
    const double K = k;
    tiny.add(
        observe({1e-200 * K, 2e-200 * K, 3e-200 * K, 4e-200 * K, 5e-200 * K, 6e-200 * K, 0.01 * (k % 100)}));
  }
  QualityReport small = build_quality_report(tiny, {});
  ASSERT_TRUE(small.features[0].std.has_value());
  EXPECT_NEAR(*small.features[0].std / 2.8866070047722117e-199, 1.0, 1e-12);
  EXPECT_FALSE(small.correlation_threshold_met);
}

}  // namespace
}  // namespace synth
