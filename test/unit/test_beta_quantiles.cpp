// The committed score quantile tables (tools/make_beta_tables.cpp) against
// Boost.Math's inverse incomplete beta function, and their interpolation.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>

#include <boost/math/special_functions/beta.hpp>

#include "engine/generate/beta_quantiles.hpp"
#include "engine/model/domain_table.hpp"

namespace synth {
namespace {

constexpr std::size_t kPoints = BetaQuantiles::kIntervals + 1;

TEST(BetaQuantiles, TablesMatchBoostIbetaInv) {
  for (std::size_t d = 0; d < kDomainCount; ++d) {
    const auto& table = kDomainScoreQuantiles[d];
    const double a = kDomains[d].score_alpha, b = kDomains[d].score_beta;
    EXPECT_EQ(table[0], 0.0) << kDomains[d].name;
    EXPECT_EQ(table[kPoints - 1], 1.0) << kDomains[d].name;
    // A sample: every 13th point, both ends, and the middle.
    for (std::size_t i = 1; i + 1 < kPoints; ++i) {
      if (i % 13 != 0 && i > 3 && i + 4 < kPoints) continue;
      const double u = static_cast<double>(i) / BetaQuantiles::kIntervals;
      const double expected = boost::math::ibeta_inv(a, b, u);
      ASSERT_NEAR(table[i], expected, 1e-12) << kDomains[d].name << " at u=" << u;
    }
    EXPECT_NEAR(table[512], boost::math::ibeta_inv(a, b, 0.5), 1e-12) << "median of " << kDomains[d].name;
  }
  // Symmetric Beta(2, 2) (creative) has its median at exactly 1/2.
  EXPECT_NEAR(kDomainScoreQuantiles[1][512], 0.5, 1e-15);
}

TEST(BetaQuantiles, TablesAreStrictlyIncreasingInsideTheUnitInterval) {
  for (std::size_t d = 0; d < kDomainCount; ++d) {
    const auto& table = kDomainScoreQuantiles[d];
    for (std::size_t i = 1; i < kPoints; ++i) {
      ASSERT_GT(table[i], table[i - 1]) << kDomains[d].name << " at " << i;
      ASSERT_TRUE(std::isfinite(table[i]));
      ASSERT_LE(table[i], 1.0);
    }
  }
}

TEST(BetaQuantiles, InterpolationHitsTheTableAndStaysMonotone) {
  for (std::size_t d = 0; d < kDomainCount; ++d) {
    const BetaQuantiles q = domain_score_quantiles(d);
    const auto& table = kDomainScoreQuantiles[d];
    for (std::size_t i = 0; i < BetaQuantiles::kIntervals; ++i)
      ASSERT_EQ(q.at(static_cast<double>(i) / BetaQuantiles::kIntervals), table[i]);
    double previous = -1;
    for (int k = 0; k < 100000; ++k) {
      const double u = k / 100000.0;
      const double x = q.at(u);
      ASSERT_GE(x, previous) << "u=" << u;
      ASSERT_GE(x, 0.0);
      ASSERT_LE(x, 1.0);
      previous = x;
    }
    // The largest uniform below 1 stays inside the last interval.
    const double top = q.at(std::nextafter(1.0, 0.0));
    EXPECT_LE(top, 1.0);
    EXPECT_GE(top, table[kPoints - 2]);
    // Halfway between two points is the mean of the two.
    EXPECT_DOUBLE_EQ(q.at(100.5 / BetaQuantiles::kIntervals), (table[100] + table[101]) / 2);
  }
}

TEST(BetaQuantiles, InterpolationIsCloseToTheExactQuantile) {
  // Away from the ends, where the density is smooth, linear interpolation between
  // 1025 points is within 1e-4 of the exact quantile.
  for (std::size_t d = 0; d < kDomainCount; ++d) {
    const BetaQuantiles q = domain_score_quantiles(d);
    for (double u = 0.01; u < 0.99; u += 0.0137)
      EXPECT_NEAR(q.at(u), boost::math::ibeta_inv(kDomains[d].score_alpha, kDomains[d].score_beta, u), 1e-4)
          << kDomains[d].name << " u=" << u;
  }
}

}  // namespace
}  // namespace synth
