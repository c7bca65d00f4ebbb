// synth_compare_detail's engine: common bins over both sides, numpy's
// histogram and quantile rules, and totality on values at the ends of the
// double range.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "engine/compare/compare_detail.hpp"
#include "engine/model/error.hpp"
#include "engine/model/mixing.hpp"

namespace synth {
namespace {

TEST(CompareDetail, EqualWidthEdgesAreTheDoublesClosestToThem) {
  const std::vector<double> edges = detail_edges(0.0, 1.0, 20, false);
  ASSERT_EQ(edges.size(), 21u);
  EXPECT_EQ(edges[3], 0.15);
  EXPECT_EQ(edges[7], 0.35);
  EXPECT_EQ(edges.front(), 0.0);
  EXPECT_EQ(edges.back(), 1.0);
}

TEST(CompareDetail, SmallWholeNumbersGetABinEach) {
  EXPECT_EQ(detail_edges(1, 5, 20, true), (std::vector<double>{0.5, 1.5, 2.5, 3.5, 4.5, 5.5}));
  EXPECT_TRUE(integer_grid(1, 5, 20, true));
  // More values than bins, or not whole numbers: equal widths.
  EXPECT_FALSE(integer_grid(1, 30, 20, true));
  EXPECT_EQ(detail_edges(1, 30, 20, true).size(), 21u);
  EXPECT_EQ(detail_edges(1, 5, 20, false).size(), 21u);
  // Beyond 2^53 a double holds no every whole number.
  EXPECT_FALSE(integer_grid(1e17, 1e17 + 2, 20, true));
}

TEST(CompareDetail, CountsFollowNumpyHistogram) {
  // numpy.histogram([0, 0.25, 0.5, 0.5, 1], bins=[0, 0.5, 1]) == [2, 3]: the last bin is closed.
  const std::vector<double> values = {0, 0.25, 0.5, 0.5, 1};
  EXPECT_EQ(detail_counts(values, {0, 0.5, 1}), (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(detail_counts(values, {0, 1}), (std::vector<std::uint64_t>{5}));
}

TEST(CompareDetail, ConstantAndExtremeSpansGiveOrderedFiniteEdges) {
  for (const auto& [low, high] :
       std::vector<std::pair<double, double>>{{3.0, 3.0},
                                              {1e300, 1e300},
                                              {-1.5e308, 1.7e308},
                                              {-1.7976931348623157e308, 1.7976931348623157e308}}) {
    const std::vector<double> edges = detail_edges(low, high, 10, false);
    ASSERT_EQ(edges.size(), 11u);
    for (double e : edges) EXPECT_TRUE(std::isfinite(e)) << low;
    for (std::size_t k = 1; k < edges.size(); ++k) EXPECT_LE(edges[k - 1], edges[k]) << low;
    EXPECT_LT(edges.front(), edges.back()) << low;
    EXPECT_LE(edges.front(), low);
    EXPECT_GE(edges.back(), high);
  }
  EXPECT_EQ(detail_edges(3.0, 3.0, 2, false), (std::vector<double>{2.5, 3.0, 3.5}));
}

// A side of `rows` rows of three features and a score, the first `big`
// rows' first feature set to `value` (a non-finite value is dropped).
CompareSideInput side(std::size_t rows, std::uint64_t key, std::size_t big, double value,
                      bool domains = true) {
  CompareSideInput in;
  SideColumns& c = in.columns;
  c.dimension = 3;
  c.numeric.resize(4);
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < 4; ++j)
      c.numeric[j].push_back(static_cast<double>(mix64((key + i) * 7 + j) >> 11) * 0x1.0p-53);
    c.numeric[2].back() = static_cast<double>(1 + (key + i) % 4);  // a whole-number feature
    if (i < big) c.numeric[0].back() = value;
    c.domain.push_back(domains ? static_cast<std::int32_t>(i % 2) : -1);
  }
  if (domains) c.domains = {"coding", "writing"};
  c.has_domain = domains;
  in.rows_read = rows;
  in.source.table = "t";
  return in;
}

void expect_total(const CompareDetail& d, std::uint64_t real_rows, std::uint64_t synthetic_rows) {
  ASSERT_EQ(d.distributions.size(), d.columns.size());
  for (const DetailColumn& c : d.distributions) {
    const auto sum = [](const DetailSide& s) {
      return std::accumulate(s.counts.begin(), s.counts.end(), std::uint64_t{0});
    };
    EXPECT_EQ(sum(c.real), real_rows) << c.name;
    EXPECT_EQ(sum(c.synthetic), synthetic_rows) << c.name;
    EXPECT_EQ(c.real.rows, real_rows);
    EXPECT_TRUE(std::isfinite(c.score)) << c.name;
    if (c.categorical) {
      EXPECT_EQ(c.categories.size(), c.real.counts.size());
      continue;
    }
    EXPECT_EQ(c.edges.size(), c.real.counts.size() + 1) << c.name;
    for (double e : c.edges) EXPECT_TRUE(std::isfinite(e)) << c.name;
    for (const DetailSide* s : {&c.real, &c.synthetic})
      for (std::size_t k = 0; k < s->quantiles.size(); ++k) {
        EXPECT_TRUE(std::isfinite(s->quantiles[k])) << c.name;
        if (k > 0) {
          EXPECT_LE(s->quantiles[k - 1], s->quantiles[k]) << c.name;
        }
      }
    EXPECT_GE(c.real.quantiles.front(), c.edges.front());
    EXPECT_LE(c.real.quantiles.back(), c.edges.back());
  }
  for (const auto* m : {&d.real_correlation, &d.synthetic_correlation}) {
    ASSERT_EQ(m->size(), d.correlation_columns.size());
    for (std::size_t i = 0; i < m->size(); ++i)
      for (std::size_t j = 0; j < m->size(); ++j) {
        const double r = (*m)[i][j];
        EXPECT_TRUE(std::isnan(r) || (r >= -1 && r <= 1));
        EXPECT_TRUE(std::isnan(r) ? std::isnan((*m)[j][i]) : r == (*m)[j][i]);
      }
  }
}

TEST(CompareDetail, OneBinningForBothSidesWithQuantilesAndCorrelations) {
  const CompareDetail d = compare_detail(side(500, 1, 0, 0), side(300, 9000, 0, 0), std::nullopt, 10);
  EXPECT_EQ(d.columns, (std::vector<std::string>{"f1", "f2", "f3", "effectiveness_score", "domain"}));
  EXPECT_EQ(d.correlation_columns, (std::vector<std::string>{"f1", "f2", "f3", "effectiveness_score"}));
  expect_total(d, 500, 300);
  const DetailColumn& steps = d.distributions[2];
  EXPECT_TRUE(steps.integers);
  EXPECT_EQ(steps.edges, (std::vector<double>{0.5, 1.5, 2.5, 3.5, 4.5}));
  EXPECT_EQ(steps.real.counts, (std::vector<std::uint64_t>{125, 125, 125, 125}));
  EXPECT_EQ(steps.real.quantiles.front(), 1.0);
  EXPECT_EQ(steps.real.quantiles.back(), 4.0);
  EXPECT_EQ(d.distributions[0].edges.size(), 11u);
  EXPECT_EQ(d.real_correlation[0][0], 1.0);
  const DetailColumn& domain = d.distributions.back();
  EXPECT_TRUE(domain.categorical);
  EXPECT_EQ(domain.categories,
            (std::vector<std::string>{"coding", "writing"}));  // no "(none)": every row has one
  EXPECT_EQ(domain.real.counts, (std::vector<std::uint64_t>{250, 250}));
  EXPECT_DOUBLE_EQ(domain.score, 1.0);
  EXPECT_FALSE(d.holdout);
}

TEST(CompareDetail, AHoldoutIsCountedOnTheSameBins) {
  const CompareDetail d = compare_detail(side(200, 1, 0, 0), side(200, 500, 0, 0), side(100, 9000, 0, 0), 8);
  ASSERT_TRUE(d.holdout);
  for (const DetailColumn& c : d.distributions) {
    ASSERT_TRUE(c.holdout) << c.name;
    EXPECT_EQ(std::accumulate(c.holdout->counts.begin(), c.holdout->counts.end(), std::uint64_t{0}), 100u);
    EXPECT_EQ(c.holdout->counts.size(), c.real.counts.size());
  }
  EXPECT_EQ(d.holdout_correlation.size(), 4u);
}

TEST(CompareDetail, TotalOnExtremeAndNonFiniteValues) {
  // Rows with NaN or an infinity are dropped before any sort; 1e308 of both
  // signs stays and still gives finite edges and quantiles.
  expect_total(compare_detail(side(50, 1, 5, std::numeric_limits<double>::quiet_NaN()),
                              side(40, 900, 3, std::numeric_limits<double>::infinity()), std::nullopt, 20),
               45, 37);
  expect_total(compare_detail(side(50, 1, 2, 1e308), side(40, 900, 3, -1e308), std::nullopt, 20), 50, 40);
  expect_total(compare_detail(side(50, 1, 50, 1e308), side(40, 900, 40, 1e308), std::nullopt, 20), 50, 40);
}

TEST(CompareDetail, RowsWithoutADomainAreNamed) {
  const CompareDetail d = compare_detail(side(20, 1, 0, 0), side(20, 900, 0, 0, false), std::nullopt, 5);
  // One side without domains: no domain column, as in synth_compare.
  EXPECT_EQ(d.distributions.size(), 4u);
  CompareSideInput mixed = side(20, 900, 0, 0);
  mixed.columns.domain[0] = -1;
  const CompareDetail e = compare_detail(side(20, 1, 0, 0), mixed, std::nullopt, 5);
  EXPECT_EQ(e.distributions.back().categories, (std::vector<std::string>{"coding", "writing", "(none)"}));
  EXPECT_EQ(e.distributions.back().synthetic.counts.back(), 1u);
  EXPECT_EQ(e.distributions.back().real.counts.back(), 0u);
}

TEST(CompareDetail, BinsOutOfRangeAreAnError) {
  for (int bins : {0, -1, kMaxDetailBins + 1}) {
    try {
      compare_detail(side(20, 1, 0, 0), side(20, 900, 0, 0), std::nullopt, bins);
      ADD_FAILURE() << bins;
    } catch (const Error& e) {
      EXPECT_STREQ(e.sqlstate(), sqlstate::kInvalidParameterValue);
      EXPECT_NE(std::string(e.what()).find("bins must be between 1 and"), std::string::npos);
    }
  }
}

TEST(CompareDetail, JsonNamesEverySide) {
  const std::string json =
      compare_detail_json(compare_detail(side(20, 1, 0, 0), side(20, 900, 0, 0), std::nullopt, 4));
  for (const char* key : {"\"distributions\"", "\"edges\"", "\"quantiles\"", "\"quantile_levels\"",
                          "\"correlations\"", "\"categories\"", "\"holdout\"", "\"bins\"", "\"pearson\""})
    EXPECT_NE(json.find(key), std::string::npos) << key;
}

}  // namespace
}  // namespace synth
