// The fit's order-free sums: blocks of 64-bit integers give the bytes of
// adding every term to a 128-bit total, in any order, and do not overflow
// at the largest terms they are given.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "engine/model/exact_sum.hpp"

namespace synth {
namespace {

TEST(BlockedSums, MatchTermByTermSumsInAnyOrder) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> term(-ExactSum::kMaxTerm, ExactSum::kMaxTerm);
  constexpr std::size_t kGroups = 3, kWidth = 4, kRows = 10000;
  std::vector<std::size_t> group(kRows);
  std::vector<double> terms(kRows * kWidth);
  for (std::size_t i = 0; i < kRows; ++i) {
    group[i] = rng() % kGroups;
    for (std::size_t k = 0; k < kWidth; ++k) terms[i * kWidth + k] = term(rng);
  }
  std::vector<ExactSum> direct(kGroups * kWidth);
  for (std::size_t i = 0; i < kRows; ++i)
    for (std::size_t k = 0; k < kWidth; ++k) direct[group[i] * kWidth + k].add(terms[i * kWidth + k]);
  std::vector<std::size_t> order(kRows);
  for (std::size_t i = 0; i < kRows; ++i) order[i] = i;
  for (int shuffle = 0; shuffle < 3; ++shuffle) {
    std::shuffle(order.begin(), order.end(), rng);
    BlockedSums blocked(kGroups, kWidth);
    for (std::size_t i : order) {
      std::int64_t* out = blocked.block(group[i]);
      for (std::size_t k = 0; k < kWidth; ++k) out[k] += ExactSum::units(terms[i * kWidth + k]);
      blocked.added(group[i]);
    }
    const std::vector<ExactSum> totals = std::move(blocked).totals();
    for (std::size_t k = 0; k < kGroups * kWidth; ++k) EXPECT_EQ(totals[k].value(), direct[k].value()) << k;
  }
}

// 100,000 terms just below the largest allowed: their total (about 4.1e8)
// is 2^68.5 units, far past a 64-bit integer, so a block that were not
// flushed in time would wrap.
TEST(BlockedSums, TheLargestTermsDoNotWrap) {
  const double largest = ExactSum::kMaxTerm * (1 - 1e-12);
  for (double sign : {1.0, -1.0}) {
    BlockedSums blocked(1, 1);
    ExactSum direct;
    for (int i = 0; i < 100000; ++i) {
      *blocked.block(0) += ExactSum::units(sign * largest);
      blocked.added(0);
      direct.add(sign * largest);
    }
    const double total = std::move(blocked).totals()[0].value();
    EXPECT_EQ(total, direct.value());
    EXPECT_NEAR(total, sign * largest * 100000, 1e-3);
  }
}

// The fit scales each factor once and multiplies the scaled factors: the
// same integer as scaling each product, down to products far below one unit.
TEST(ExactSum, ScaledFactorsGiveTheProductsUnits) {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> factor(-64.0, 64.0), magnitude(-40.0, 0.0);
  for (int i = 0; i < 200000; ++i) {
    const double a = factor(rng) * std::pow(2.0, magnitude(rng)), b = factor(rng);
    EXPECT_EQ(ExactSum::product_units(ExactSum::root_scaled(a), ExactSum::root_scaled(b)),
              ExactSum::units(a * b))
        << a << " " << b;
  }
}

}  // namespace
}  // namespace synth
