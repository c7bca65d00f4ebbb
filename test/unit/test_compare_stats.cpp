// The comparison's statistics against values scipy / numpy / sklearn give
// for the same inputs (computed once with scipy 1.x, numpy 1.x, sklearn 1.x).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engine/compare/compare_model.hpp"
#include "engine/compare/compare_stats.hpp"

namespace synth::compare {
namespace {

TEST(CompareStats, KsStatisticConsumesTiesTogether) {
  const std::vector<double> a = {1, 2, 2, 3, 5}, b = {2, 2, 4, 6};
  // scipy.stats.ks_2samp(a, b).statistic
  EXPECT_NEAR(ks_statistic(a.data(), nullptr, a.size(), b.data(), nullptr, b.size()), 0.3, 1e-15);
  EXPECT_EQ(ks_statistic(a.data(), nullptr, a.size(), a.data(), nullptr, a.size()), 0.0);
}

TEST(CompareStats, WeightedKsEqualsRepeatedRows) {
  const std::vector<double> a = {1, 2, 3, 5}, wa = {1, 2, 1, 1};  // = {1, 2, 2, 3, 5}
  const std::vector<double> b = {2, 4, 6, 9}, wb = {2, 1, 1, 0};  // = {2, 2, 4, 6}
  EXPECT_NEAR(ks_statistic(a.data(), wa.data(), a.size(), b.data(), wb.data(), b.size()), 0.3, 1e-15);
}

TEST(CompareStats, TvComplementRegularisesUnseenCategories) {
  EXPECT_DOUBLE_EQ(tv_complement({2, 2}, {2, 2}), 1.0);
  EXPECT_DOUBLE_EQ(tv_complement({3, 1}, {1, 3}), 0.5);
  // A synthetic-only category: SDMetrics adds 1e-6 to the real count and
  // sums over the real categories, the unseen one included.
  const double r_total = 4 + 1e-6;
  const double expected = 1 - 0.5 * (std::fabs(2.0 / 4 - 2 / r_total) + std::fabs(1.0 / 4 - 2 / r_total) +
                                     std::fabs(1.0 / 4 - 1e-6 / r_total));
  EXPECT_NEAR(tv_complement({2, 2, 0}, {2, 1, 1}), expected, 1e-15);
}

TEST(CompareStats, PearsonMatchesScipyAndRefusesConstants) {
  const std::vector<double> x = {1, 2, 3, 4, 5}, y = {2, 1, 4, 3, 7}, c = {3, 3, 3, 3, 3};
  EXPECT_NEAR(pearson(x.data(), y.data(), nullptr, x.size()), 0.824163383692134, 1e-14);
  EXPECT_TRUE(std::isnan(pearson(x.data(), c.data(), nullptr, x.size())));
  const std::vector<double> w = {2, 0, 1, 1, 1}, x2 = {1, 1, 3, 4, 5}, y2 = {2, 2, 4, 3, 7};
  EXPECT_NEAR(pearson(x.data(), y.data(), w.data(), x.size()), pearson(x2.data(), y2.data(), nullptr, 5),
              1e-14);
}

TEST(CompareStats, HistogramEdgesAndDigitizeAsNumpy) {
  const auto edges = histogram_edges(0.1, 0.9);
  EXPECT_EQ(edges[0], 0.1);
  EXPECT_EQ(edges[3], 0.33999999999999997);
  EXPECT_EQ(edges[4], 0.42000000000000004);
  EXPECT_EQ(edges[10], 0.9);
  EXPECT_EQ(digitize(edges, 0.1), 1);
  EXPECT_EQ(digitize(edges, 0.35), 4);
  EXPECT_EQ(digitize(edges, 0.9), 11);  // the maximum lands past the last edge
  const auto flat = histogram_edges(2, 2);
  EXPECT_EQ(flat[0], 1.5);
  EXPECT_EQ(flat[10], 2.5);
}

TEST(CompareStats, CramersVMatchesScipyAssociation) {
  Contingency t(2);
  // rows = bins 1, 2, 3; [[3, 1], [1, 3], [0, 2]]
  t.add(1, 0, 3), t.add(1, 1, 1), t.add(2, 0, 1), t.add(2, 1, 3), t.add(3, 1, 2);
  EXPECT_NEAR(cramers_v(t), 0.6123724356957945, 1e-15);
  Contingency one(2);
  one.add(1, 0, 3), one.add(1, 1, 1);
  EXPECT_TRUE(std::isnan(cramers_v(one)));  // one observed row: no association
}

TEST(CompareStats, ContingencySimilarityOverTheUnionOfCells) {
  Contingency a(2), b(2);
  a.add(1, 0, 1), a.add(2, 1, 1);
  b.add(1, 0, 1), b.add(3, 1, 1);
  EXPECT_DOUBLE_EQ(contingency_similarity(a, b), 0.5);
  EXPECT_DOUBLE_EQ(contingency_similarity(a, a), 1.0);
}

TEST(CompareStats, QuantileIsNumpyLinear) {
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile({1, 2, 3, 4, 5}, 0.025), 1.1);
  EXPECT_TRUE(std::isnan(quantile({}, 0.5)));
}

TEST(CompareModel, AucCountsTiesHalf) {
  const std::vector<double> labels = {0, 0, 1, 1, 0, 1}, scores = {0.1, 0.4, 0.35, 0.8, 0.4, 0.4};
  // sklearn.metrics.roc_auc_score(labels, scores)
  EXPECT_NEAR(roc_auc(scores, labels, sort_order(scores)), 0.6666666666666667, 1e-15);
}

TEST(CompareModel, LogisticSeparatesAndIsDeterministic) {
  Design d;
  d.width = 1;
  for (int i = 0; i < 200; ++i) {
    const double x = (i % 100) / 50.0 - 1.0;
    d.values.push_back(x + (i < 100 ? -0.5 : 0.5));
    d.labels.push_back(i < 100 ? 0 : 1);
  }
  const LogisticModel m = fit_logistic(d);
  EXPECT_GT(m.weights[0], 0.5);
  const LogisticModel again = fit_logistic(d);
  EXPECT_EQ(m.weights[0], again.weights[0]);
  // The fit's gradient vanishes: sum (p - y) x + w = 0.
  double g = m.weights[0], g0 = 0;
  for (std::size_t i = 0; i < d.rows(); ++i) {
    const double p = 1 / (1 + std::exp(-m.predict(d.row(i))));
    g += (p - d.labels[i]) * d.row(i)[0];
    g0 += p - d.labels[i];
  }
  EXPECT_NEAR(g, 0.0, 1e-8);
  EXPECT_NEAR(g0, 0.0, 1e-8);
}

}  // namespace
}  // namespace synth::compare
