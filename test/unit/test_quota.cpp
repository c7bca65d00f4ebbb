// Exact quotas (docs/design.md §3.2): largest-remainder counts checked against an
// integer reference that has no rounding at all.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>

#include "engine/model/domain_table.hpp"
#include "engine/generate/generator_options.hpp"
#include "engine/generate/quota.hpp"

namespace synth {
namespace {

// Largest remainder with integer weights: category k gets floor(n * w_k / W)
// plus one leftover row if its remainder n * w_k mod W is among the largest,
// ties to the lower index. All arithmetic is exact (n * w fits in 64 bits).
template <std::size_t K>
std::array<std::uint64_t, K> reference_counts(std::uint64_t n, const std::array<std::uint64_t, K>& w) {
  std::uint64_t total = 0;
  for (auto x : w) total += x;
  std::array<std::uint64_t, K> counts{};
  std::array<std::uint64_t, K> remainders{};
  std::array<bool, K> took{};
  std::uint64_t assigned = 0;
  for (std::size_t k = 0; k < K; ++k) {
    counts[k] = n * w[k] / total;
    remainders[k] = n * w[k] % total;
    assigned += counts[k];
  }
  for (; assigned < n; ++assigned) {
    std::size_t best = K;
    for (std::size_t k = 0; k < K; ++k)
      if (!took[k] && w[k] > 0 && (best == K || remainders[k] > remainders[best])) best = k;
    ++counts[best];
    took[best] = true;
  }
  return counts;
}

template <std::size_t K>
std::array<double, K> as_doubles(const std::array<std::uint64_t, K>& w, double scale) {
  std::array<double, K> out{};
  for (std::size_t k = 0; k < K; ++k) out[k] = static_cast<double>(w[k]) / scale;
  return out;
}

template <std::size_t K>
::testing::AssertionResult matches_reference(std::uint64_t n, const std::array<double, K>& weights,
                                             const std::array<std::uint64_t, K>& integer_weights) {
  LargestRemainderQuota<K> quota(n, weights);
  const auto expected = reference_counts(n, integer_weights);
  std::uint64_t sum = 0;
  for (std::size_t k = 0; k < K; ++k) {
    sum += quota.count(k);
    if (quota.count(k) != expected[k])
      return ::testing::AssertionFailure()
             << "n=" << n << " category " << k << ": got " << quota.count(k) << ", expected " << expected[k];
  }
  if (sum != n) return ::testing::AssertionFailure() << "n=" << n << ": counts sum to " << sum;
  return ::testing::AssertionSuccess();
}

// The domain shares of docs/design.md §2 in percent, and the tiers' 25/50/25.
constexpr std::array<std::uint64_t, kDomainCount> kDomainPercent = {25, 20, 20, 20, 15};
constexpr std::array<std::uint64_t, kTierCount> kTierPercent = {25, 50, 25};

TEST(Quota, TheTablesSharesAreThePercentagesUsedHere) {
  for (std::size_t d = 0; d < kDomainCount; ++d)
    EXPECT_EQ(kDomains[d].default_share, static_cast<double>(kDomainPercent[d]) / 100) << kDomains[d].name;
  for (std::size_t t = 0; t < kTierCount; ++t)
    EXPECT_EQ(kDefaultTierShares[t], static_cast<double>(kTierPercent[t]) / 100) << kTierNames[t];
}

TEST(Quota, DefaultDomainSharesExactForEveryNUpTo2000) {
  const auto weights = GeneratorOptions::default_domain_weights();
  for (std::uint64_t n = 0; n <= 2000; ++n) ASSERT_TRUE(matches_reference(n, weights, kDomainPercent));
}

TEST(Quota, DefaultTierSharesExactForEveryNUpTo2000) {
  for (std::uint64_t n = 0; n <= 2000; ++n)
    ASSERT_TRUE(matches_reference(n, kDefaultTierShares, kTierPercent));
}

TEST(Quota, HandCountedExamples) {
  // n = 7: domains 1.75, 1.4, 1.4, 1.4, 1.05 -> floors 1 each, the 2 leftovers go to
  // technical (.75) and creative (.40, first of the tied three).
  LargestRemainderQuota<kDomainCount> domains(7, GeneratorOptions::default_domain_weights());
  EXPECT_EQ(domains.count(0), 2u);
  EXPECT_EQ(domains.count(1), 2u);
  EXPECT_EQ(domains.count(2), 1u);
  EXPECT_EQ(domains.count(3), 1u);
  EXPECT_EQ(domains.count(4), 1u);
  // Tiers 1.75, 3.5, 1.75 -> floors 1, 3, 1; leftovers to low and high (.75 beats .5).
  LargestRemainderQuota<kTierCount> tiers(7, kDefaultTierShares);
  EXPECT_EQ(tiers.count(0), 2u);
  EXPECT_EQ(tiers.count(1), 3u);
  EXPECT_EQ(tiers.count(2), 2u);
  // n = 10: technical 2.5 and conversational 1.5 tie at .5; the lower index wins.
  LargestRemainderQuota<kDomainCount> ten(10, GeneratorOptions::default_domain_weights());
  EXPECT_EQ(ten.count(0), 3u);
  EXPECT_EQ(ten.count(4), 1u);
  // n = 1000: the shares exactly.
  LargestRemainderQuota<kDomainCount> thousand(1000, GeneratorOptions::default_domain_weights());
  for (std::size_t d = 0; d < kDomainCount; ++d) EXPECT_EQ(thousand.count(d), kDomainPercent[d] * 10);
}

TEST(Quota, ExactForLargeRandomN) {
  const auto domain_weights = GeneratorOptions::default_domain_weights();
  std::mt19937_64 rng(20240601);
  std::uniform_int_distribution<std::uint64_t> any_n(0, static_cast<std::uint64_t>(kMaxRows));
  for (int i = 0; i < 3000; ++i) {
    // Mix magnitudes: uniform draws are almost all near 10^12.
    std::uint64_t n = any_n(rng) >> (rng() % 40);
    ASSERT_TRUE(matches_reference(n, domain_weights, kDomainPercent));
    ASSERT_TRUE(matches_reference(n, kDefaultTierShares, kTierPercent));
  }
  const std::uint64_t max_rows = static_cast<std::uint64_t>(kMaxRows);
  for (std::uint64_t n : {max_rows, max_rows - 1, max_rows - 7, (std::uint64_t{1} << 40) - 1,
                          std::uint64_t{999999999999}, std::uint64_t{1000000007}}) {
    ASSERT_TRUE(matches_reference(n, domain_weights, kDomainPercent));
    ASSERT_TRUE(matches_reference(n, kDefaultTierShares, kTierPercent));
  }
}

TEST(Quota, RelativeWeightsNeedNotSumToOne) {
  // {"technical": 3, "creative": 1}, and a spread of integer weights.
  const std::array<std::uint64_t, kDomainCount> three_one = {3, 1, 0, 0, 0};
  const std::array<std::uint64_t, kDomainCount> spread = {7, 0, 13, 1, 29};
  for (std::uint64_t n = 0; n <= 1000; ++n) {
    ASSERT_TRUE(matches_reference(n, as_doubles(three_one, 1.0), three_one));
    ASSERT_TRUE(matches_reference(n, as_doubles(spread, 1.0), spread));
  }
}

TEST(Quota, ZeroWeightCategoriesGetNothing) {
  const std::array<std::uint64_t, kDomainCount> some = {0, 1, 0, 2, 0};
  const std::array<std::uint64_t, kTierCount> middle = {0, 1, 0};
  const std::array<std::uint64_t, kTierCount> edges = {1, 0, 1};
  std::mt19937_64 rng(7);
  for (std::uint64_t i = 0; i <= 1500; ++i) {
    const std::uint64_t n = i <= 1000 ? i : rng() % static_cast<std::uint64_t>(kMaxRows);
    LargestRemainderQuota<kDomainCount> d(n, as_doubles(some, 4.0));
    EXPECT_EQ(d.count(0), 0u);
    EXPECT_EQ(d.count(2), 0u);
    EXPECT_EQ(d.count(4), 0u);
    ASSERT_TRUE(matches_reference(n, as_doubles(some, 4.0), some));
    LargestRemainderQuota<kTierCount> t(n, as_doubles(middle, 1.0));
    EXPECT_EQ(t.count(1), n);
    ASSERT_TRUE(matches_reference(n, as_doubles(edges, 2.0), edges));
    EXPECT_EQ(LargestRemainderQuota<kTierCount>(n, as_doubles(edges, 2.0)).count(1), 0u);
  }
  // A single weighted domain takes every row.
  for (std::size_t only = 0; only < kDomainCount; ++only) {
    std::array<double, kDomainCount> w{};
    w[only] = 0.5;
    LargestRemainderQuota<kDomainCount> q(12345, w);
    for (std::size_t k = 0; k < kDomainCount; ++k) EXPECT_EQ(q.count(k), k == only ? 12345u : 0u);
  }
}

// Shares are the decimals PostgreSQL prints for them, so decimal ties are exact
// ties: tier_shares {0.3, 0.1, 0.6} and n = 5: exact shares 1.5, 0.5, 3; the
// leftover row belongs to low (tie, lower index) -> 2, 0, 3, although 0.3 is
// stored below and 0.1 above their decimal values.
TEST(Quota, DecimalSharesBreakTiesToTheLowerIndex) {
  const std::array<std::uint64_t, kTierCount> tenths = {3, 1, 6};
  EXPECT_TRUE(matches_reference(5, as_doubles(tenths, 10.0), tenths));
  for (std::uint64_t a = 0; a <= 10; ++a)
    for (std::uint64_t b = 0; a + b <= 10; ++b) {
      const std::array<std::uint64_t, kTierCount> w = {a, b, 10 - a - b};
      for (std::uint64_t n = 0; n <= 200; ++n) ASSERT_TRUE(matches_reference(n, as_doubles(w, 10.0), w));
    }
}

// Near-ties are decided by the shares as given, not by a tolerance: the third
// share is larger in its last digit, so it takes the spare row.
TEST(Quota, NearTiesGoToTheLargerExactRemainder) {
  const std::array<double, kTierCount> thirds = {0.3333333333333333, 0.3333333333333333, 0.3333333333333334};
  LargestRemainderQuota<kTierCount> one(1, thirds);
  EXPECT_EQ(one.count(0), 0u);
  EXPECT_EQ(one.count(1), 0u);
  EXPECT_EQ(one.count(2), 1u);
  const std::array<std::uint64_t, kTierCount> digits = {3333333333333333, 3333333333333333, 3333333333333334};
  for (std::uint64_t n = 0; n <= 3000; ++n) ASSERT_TRUE(matches_reference(n, thirds, digits));
}

// Exact against a 128-bit integer reference for random decimal shares of up to
// 15 significant digits (each reads back from its double unchanged) at random n.
TEST(Quota, ExactForRandomDecimalShares) {
  std::mt19937_64 rng(15);
  for (int trial = 0; trial < 20000; ++trial) {
    std::array<std::uint64_t, kDomainCount> a{};
    std::array<double, kDomainCount> w{};
    const int scale = static_cast<int>(rng() % 16);  // every share a_k * 10^-scale
    std::uint64_t total = 0;
    for (std::size_t k = 0; k < kDomainCount; ++k) {
      a[k] = rng() % 3 == 0 ? 0 : rng() % 1000000000000000ULL;
      total += a[k];
      w[k] = std::strtod((std::to_string(a[k]) + "e-" + std::to_string(scale)).c_str(), nullptr);
    }
    if (total == 0) continue;
    const std::uint64_t n = (rng() % static_cast<std::uint64_t>(kMaxRows)) >> (rng() % 40);
    LargestRemainderQuota<kDomainCount> quota(n, w);
    std::array<unsigned __int128, kDomainCount> remainder{};
    std::array<std::uint64_t, kDomainCount> expected{};
    std::uint64_t assigned = 0;
    for (std::size_t k = 0; k < kDomainCount; ++k) {
      const unsigned __int128 product = static_cast<unsigned __int128>(n) * a[k];
      expected[k] = static_cast<std::uint64_t>(product / total);
      remainder[k] = product % total;
      assigned += expected[k];
    }
    std::array<bool, kDomainCount> took{};
    for (; assigned < n; ++assigned) {
      std::size_t best = kDomainCount;
      for (std::size_t k = 0; k < kDomainCount; ++k)
        if (!took[k] && a[k] > 0 && (best == kDomainCount || remainder[k] > remainder[best])) best = k;
      ++expected[best];
      took[best] = true;
    }
    for (std::size_t k = 0; k < kDomainCount; ++k)
      ASSERT_EQ(quota.count(k), expected[k]) << "trial " << trial << " n=" << n << " k=" << k;
  }
}

// Shares across the whole double range are still compared exactly.
TEST(Quota, ExtremeMagnitudes) {
  const std::uint64_t max_rows = static_cast<std::uint64_t>(kMaxRows);
  LargestRemainderQuota<kTierCount> span(max_rows, {1e-300, 1.0, 1e300});
  EXPECT_EQ(span.count(0), 0u);
  EXPECT_EQ(span.count(1), 0u);
  EXPECT_EQ(span.count(2), max_rows);
  LargestRemainderQuota<kTierCount> tiny(3, {5e-324, 5e-324, 0.0});
  EXPECT_EQ(tiny.count(0), 2u);
  EXPECT_EQ(tiny.count(1), 1u);
  EXPECT_EQ(tiny.count(2), 0u);
  const double huge = 1.7976931348623157e308;
  LargestRemainderQuota<kTierCount> big(3, {huge, huge, 5e-324});
  EXPECT_EQ(big.count(0), 2u);
  EXPECT_EQ(big.count(1), 1u);
  EXPECT_EQ(big.count(2), 0u);
  // Equal tiny shares: the spare rows go to the lower indexes.
  LargestRemainderQuota<kTierCount> mid(7, {1e-300, 1e-300, 1e-300});
  EXPECT_EQ(mid.count(0), 3u);
  EXPECT_EQ(mid.count(1), 2u);
  EXPECT_EQ(mid.count(2), 2u);
}

TEST(Quota, CategoryOfFillsPositionsInOrder) {
  for (std::uint64_t n = 0; n <= 300; ++n) {
    LargestRemainderQuota<kDomainCount> q(n, GeneratorOptions::default_domain_weights());
    std::array<std::uint64_t, kDomainCount> seen{};
    std::size_t previous = 0;
    for (std::uint64_t p = 0; p < n; ++p) {
      const std::size_t k = q.category_of(p);
      ASSERT_LT(k, kDomainCount);
      ASSERT_GE(k, previous) << "categories fill [0, n) in order";
      previous = k;
      ++seen[k];
    }
    for (std::size_t k = 0; k < kDomainCount; ++k) ASSERT_EQ(seen[k], q.count(k)) << "n=" << n;
  }
  // Zero-weight categories own no position, even between weighted ones.
  LargestRemainderQuota<kDomainCount> gaps(101, {0.0, 1.0, 0.0, 1.0, 0.0});
  for (std::uint64_t p = 0; p < 101; ++p) {
    const std::size_t k = gaps.category_of(p);
    EXPECT_TRUE(k == 1 || k == 3) << "position " << p << " in category " << k;
  }
  // Boundaries of a huge quota.
  const std::uint64_t n = static_cast<std::uint64_t>(kMaxRows) - 3;
  LargestRemainderQuota<kDomainCount> big(n, GeneratorOptions::default_domain_weights());
  std::uint64_t end = 0;
  for (std::size_t k = 0; k < kDomainCount; ++k) {
    EXPECT_EQ(big.category_of(end), k);
    end += big.count(k);
    EXPECT_EQ(big.category_of(end - 1), k);
  }
  EXPECT_EQ(end, n);
}

}  // namespace
}  // namespace synth
