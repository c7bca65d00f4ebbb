// The comparison's statistics are total on floats: NaN and +-Inf never stop
// a loop from advancing, and values whose sums overflow still give finite
// statistics.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "engine/compare/compare_model.hpp"
#include "engine/compare/compare_report.hpp"
#include "engine/compare/compare_stats.hpp"
#include "engine/model/mixing.hpp"

namespace synth {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(CompareTotal, RocAucEndsOnNaNScores) {
  const std::vector<double> scores = {0.1, kNaN, 0.4, kNaN, 0.35, 0.8};
  const std::vector<double> labels = {0, 0, 1, 1, 0, 1};
  const std::vector<std::size_t> order = compare::sort_order(scores);
  // NaN sorts last, after every number; the NaNs form one tie group.
  EXPECT_TRUE(std::isnan(scores[order[4]]));
  EXPECT_TRUE(std::isnan(scores[order[5]]));
  // Ranks: 0.1 (neg), 0.35 (neg), 0.4 (pos), 0.8 (pos), NaN x2 (one pos, one neg, tied):
  // pairs (pos above neg) = 2 + 2 + (2 + 0.5) = 6.5 of 9.
  EXPECT_DOUBLE_EQ(compare::roc_auc(scores, labels, order), 6.5 / 9.0);
  const std::vector<double> all_nan(6, kNaN);
  EXPECT_DOUBLE_EQ(compare::roc_auc(all_nan, labels, compare::sort_order(all_nan)), 0.5);
}

TEST(CompareTotal, RocAucOrdersInfinities) {
  const std::vector<double> scores = {-kInf, kInf, 0.0, kInf, -kInf};
  const std::vector<double> labels = {0, 1, 0, 1, 1};
  // negatives: -Inf, 0; positives: Inf, Inf, -Inf (tied with the negative -Inf).
  // pairs = 2 + 2 + 0.5 = 4.5 of 6.
  EXPECT_DOUBLE_EQ(compare::roc_auc(scores, labels, compare::sort_order(scores)), 4.5 / 6.0);
}

TEST(CompareTotal, KsEndsOnNaN) {
  const std::vector<double> a = {1, 2, kNaN}, b = {1, 3, kNaN, kNaN};
  const double ks = compare::ks_statistic(a.data(), nullptr, a.size(), b.data(), nullptr, b.size());
  EXPECT_TRUE(std::isfinite(ks));
  EXPECT_GE(ks, 0.0);
  EXPECT_LE(ks, 1.0);
}

TEST(CompareTotal, PearsonOfValuesWhoseSumsOverflow) {
  const std::vector<double> x = {1e308, 1.0, 2.0, 1e308, 3.0, -1e308};
  const std::vector<double> y = {1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
  std::vector<double> scaled;
  for (double v : x) scaled.push_back(v / 1e308);
  const double r = compare::pearson(x.data(), y.data(), nullptr, x.size());
  ASSERT_TRUE(std::isfinite(r));
  EXPECT_NEAR(r, compare::pearson(scaled.data(), y.data(), nullptr, x.size()), 1e-12);
  // Ordinary values keep scipy's numbers exactly (the scaled pass is a fallback).
  const std::vector<double> p = {1, 2, 3, 4, 5}, q = {2, 1, 4, 3, 7};
  EXPECT_NEAR(compare::pearson(p.data(), q.data(), nullptr, p.size()), 0.824163383692134, 1e-14);
}

TEST(CompareTotal, HistogramEdgesOverAnOverflowingSpan) {
  const auto edges = compare::histogram_edges(-1.5e308, 1.7e308);
  for (int i = 0; i < 11; ++i) EXPECT_TRUE(std::isfinite(edges[i])) << i;
  for (int i = 1; i < 11; ++i) EXPECT_LT(edges[i - 1], edges[i]) << i;
  EXPECT_EQ(edges[0], -1.5e308);
  EXPECT_EQ(edges[10], 1.7e308);
}

RowObservation row(std::uint64_t key, double big) {
  RowObservation r;
  r.reset();
  r.feature_shape = FeatureShape::kArray;
  r.feature_count = 6;
  for (std::size_t j = 0; j < 6; ++j)
    r.set_feature(j, ValueState::kNumber,
                  j == 2 && big != 0 ? big : static_cast<double>(mix64(key * 31 + j) >> 11) * 0x1.0p-53);
  r.score_state = ValueState::kNumber;
  r.score = static_cast<double>(mix64(key) >> 11) * 0x1.0p-53;
  r.set_domain(key % 2 ? "coding" : "writing");
  return r;
}

CompareSideInput side(std::size_t rows, std::uint64_t first_key, std::size_t big_rows, double big) {
  CompareSide collector;
  for (std::size_t i = 0; i < rows; ++i) collector.add(row(first_key + i, i < big_rows ? big : 0.0));
  CompareSideInput in;
  in.rows_read = collector.rows_seen();
  in.invalid = collector.invalid();
  in.columns = collector.finish();
  in.source.table = "t";
  return in;
}

void expect_total(const CompareReport& r) {
  EXPECT_TRUE(std::isfinite(r.detection.auc));
  EXPECT_TRUE(std::isfinite(r.detection.score));
  EXPECT_TRUE(std::isfinite(r.quality));
  EXPECT_TRUE(std::isfinite(r.privacy.dcr_median));
  for (const ColumnShape& c : r.shape_columns) {
    EXPECT_TRUE(std::isfinite(c.score)) << c.name;
    double real = 0, synthetic = 0;
    for (double s : c.real_shares) real += s;
    for (double s : c.synthetic_shares) synthetic += s;
    EXPECT_NEAR(real, 1.0, 1e-9) << c.name;
    EXPECT_NEAR(synthetic, 1.0, 1e-9) << c.name;
  }
}

// The cases of the hang: two real rows with a feature of 1e308 among 20, and
// 1e305 in 2,000 rows; the synthetic side is ordinary.
TEST(CompareTotal, TwoRowsOf1e308AmongTwenty) {
  CompareOptions options;
  options.bootstrap = 20;
  expect_total(compare_sides(side(20, 1, 2, 1e308), side(20, 1000, 0, 0), std::nullopt, options));
  // On both sides, and of both signs.
  expect_total(compare_sides(side(20, 1, 2, 1e308), side(20, 1000, 3, -1e308), std::nullopt, options));
}

TEST(CompareTotal, ManyRowsOf1e305) {
  CompareOptions options;
  options.bootstrap = 5;
  expect_total(compare_sides(side(2000, 1, 2000, 1e305), side(2000, 5000, 0, 0), std::nullopt, options));
  expect_total(
      compare_sides(side(2000, 1, 1000, 1e305), side(2000, 5000, 1000, -1e305), std::nullopt, options));
}

}  // namespace
}  // namespace synth
