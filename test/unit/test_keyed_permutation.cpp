// The keyed permutation behind the exact quotas (docs/design.md §3.2): a bijection
// of [0, n) for every n, random access, and a different order for every key.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <random>
#include <vector>

#include "engine/generate/generator_options.hpp"
#include "engine/generate/keyed_permutation.hpp"
#include "engine/model/mixing.hpp"

namespace synth {
namespace {

// True when perm maps [0, n) onto [0, n) one to one.
::testing::AssertionResult is_bijection(const KeyedPermutation& perm) {
  const std::uint64_t n = perm.size();
  std::vector<bool> hit(n, false);
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t image = perm(i);
    if (image >= n)
      return ::testing::AssertionFailure() << "n=" << n << ": perm(" << i << ")=" << image << " out of range";
    if (hit[image])
      return ::testing::AssertionFailure()
             << "n=" << n << ": image " << image << " hit twice (at " << i << ")";
    hit[image] = true;
  }
  return ::testing::AssertionSuccess();
}

constexpr std::uint64_t kKeys[] = {0, 1, 42, 0xdeadbeefULL, 0xffffffffffffffffULL, 0x8000000000000000ULL};

TEST(KeyedPermutation, BijectiveForEverySmallN) {
  for (std::uint64_t key : kKeys)
    for (std::uint64_t n = 0; n <= 300; ++n) {
      KeyedPermutation perm(n, key);
      ASSERT_EQ(perm.size(), n);
      ASSERT_TRUE(is_bijection(perm)) << "key=" << key;
    }
}

TEST(KeyedPermutation, BijectiveAroundPowersOfTwoAndFour) {
  // The Feistel domain grows in powers of four: check both sides of each step.
  for (std::uint64_t n : {1023ULL, 1024ULL, 1025ULL, 4095ULL, 4096ULL, 4097ULL, 16383ULL, 16384ULL, 16385ULL})
    ASSERT_TRUE(is_bijection(KeyedPermutation(n, 42)));
  ASSERT_TRUE(is_bijection(KeyedPermutation(65537, 7)));  // a Feistel domain four times n: the longest walks
}

TEST(KeyedPermutation, InjectiveOnASampleOfHugeDomains) {
  // Too large to check whole: a sample of indices must land in range on distinct images.
  const std::uint64_t max_rows = static_cast<std::uint64_t>(kMaxRows);
  for (std::uint64_t n : {std::uint64_t{1000003}, (std::uint64_t{1} << 40) + 7, max_rows, max_rows - 1}) {
    KeyedPermutation perm(n, 0x5eedULL);
    std::mt19937_64 rng(n);
    std::vector<std::uint64_t> indices;
    for (std::uint64_t i = 0; i < 2000; ++i) indices.push_back(i);      // the first rows
    for (std::uint64_t i = n - 2000; i < n; ++i) indices.push_back(i);  // the last rows
    for (int i = 0; i < 16000; ++i) indices.push_back(rng() % n);       // anywhere
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    std::vector<std::uint64_t> images;
    for (std::uint64_t i : indices) {
      const std::uint64_t image = perm(i);
      ASSERT_LT(image, n) << "index " << i;
      images.push_back(image);
    }
    std::sort(images.begin(), images.end());
    EXPECT_EQ(std::adjacent_find(images.begin(), images.end()), images.end())
        << "two sampled indices share an image for n=" << n;
    // The images spread over the whole range, not a corner of it.
    EXPECT_LT(images.front(), n / 100);
    EXPECT_GT(images.back(), n - n / 100);
  }
}

TEST(KeyedPermutation, SameKeySameOrder) {
  KeyedPermutation a(100000, 99);
  KeyedPermutation b(100000, 99);
  for (std::uint64_t i = 0; i < 100000; i += 7) ASSERT_EQ(a(i), b(i));
}

TEST(KeyedPermutation, DifferentKeysGiveDifferentOrders) {
  constexpr std::uint64_t n = 1000;
  std::vector<std::vector<std::uint64_t>> orders;
  for (std::uint64_t key = 0; key < 20; ++key) {
    KeyedPermutation perm(n, derive_key(key, 1));
    std::vector<std::uint64_t> order;
    for (std::uint64_t i = 0; i < n; ++i) order.push_back(perm(i));
    orders.push_back(order);
  }
  for (std::size_t a = 0; a < orders.size(); ++a)
    for (std::size_t b = a + 1; b < orders.size(); ++b) {
      std::size_t same = 0;
      for (std::uint64_t i = 0; i < n; ++i) same += orders[a][i] == orders[b][i];
      // Two independent random permutations agree at about 1 place in n.
      EXPECT_LT(same, 20u) << "keys " << a << " and " << b;
    }
  // Consecutive raw keys too (no derive_key in between).
  KeyedPermutation p1(n, 1), p2(n, 2);
  std::size_t same = 0;
  for (std::uint64_t i = 0; i < n; ++i) same += p1(i) == p2(i);
  EXPECT_LT(same, 20u);
}

TEST(KeyedPermutation, ScramblesTheOrder) {
  // Not the identity, and not a shift: few fixed points, images far from their index.
  constexpr std::uint64_t n = 10000;
  KeyedPermutation perm(n, 12345);
  std::size_t fixed = 0, ascending = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    fixed += perm(i) == i;
    if (i + 1 < n) ascending += perm(i + 1) > perm(i);
  }
  EXPECT_LT(fixed, 20u);
  // About half the neighbours ascend in a random order.
  EXPECT_GT(ascending, n * 45 / 100);
  EXPECT_LT(ascending, n * 55 / 100);
}

TEST(KeyedPermutation, TrivialSizes) {
  EXPECT_EQ(KeyedPermutation(0, 5).size(), 0u);
  EXPECT_EQ(KeyedPermutation(1, 5)(0), 0u);
  for (std::uint64_t key : kKeys) {
    KeyedPermutation two(2, key);
    EXPECT_EQ(two(0) + two(1), 1u);
  }
}

// The chi-square statistic of (index, image) counts over `keys` keys, and the
// statistic a uniform image exceeds with probability 0.001 (Wilson-Hilferty).
std::pair<double, double> image_chi_square(
    std::uint64_t n, int rounds, int keys,
    KeyedPermutation::Domain domain = KeyedPermutation::Domain::kEvenBits) {
  std::vector<double> count(n * n, 0.0);
  for (int key = 0; key < keys; ++key) {
    const KeyedPermutation perm(n, derive_key(static_cast<std::uint64_t>(key), 77), rounds, domain);
    for (std::uint64_t i = 0; i < n; ++i) count[i * n + perm(i)] += 1;
  }
  const double expected = static_cast<double>(keys) / static_cast<double>(n);
  double chi = 0;
  for (const double c : count) chi += (c - expected) * (c - expected) / expected;
  const double df = static_cast<double>((n - 1) * (n - 1));
  const double a = 2.0 / (9.0 * df);
  return {chi, df * std::pow(1.0 - a + 3.0902 * std::sqrt(a), 3.0)};
}

TEST(KeyedPermutation, UniformRoundsSendEveryIndexAnywhereAlike) {
  // The fitted sampler's strata need each row's stratum uniform over keys.
  for (const std::uint64_t n : {5, 25, 89}) {
    const auto [chi, line] = image_chi_square(n, KeyedPermutation::kUniformRounds, 40000);
    EXPECT_LT(chi, line) << "n " << n;
  }
  // Over 256, kWideRounds over a tight domain.
  for (const std::uint64_t n : {257, 1025}) {
    const auto [chi, line] = image_chi_square(n, KeyedPermutation::kWideRounds, static_cast<int>(20 * n),
                                              KeyedPermutation::Domain::kTight);
    EXPECT_LT(chi, line) << "n " << n;
  }
  // Four rounds do not: small halves leave the image of an index biased.
  const auto [chi, line] = image_chi_square(5, KeyedPermutation::kDefaultRounds, 40000);
  EXPECT_GT(chi, 10 * line);
}

TEST(KeyedPermutation, UniformRoundsAndTightDomainsStayBijective) {
  for (const std::uint64_t n : {0ULL, 1ULL, 2ULL, 5ULL, 25ULL, 89ULL, 1000ULL, 4097ULL, 65536ULL})
    ASSERT_TRUE(is_bijection(KeyedPermutation(n, 42, KeyedPermutation::kUniformRounds))) << n;
  for (std::uint64_t n = 0; n <= 300; ++n)
    ASSERT_TRUE(
        is_bijection(KeyedPermutation(n, n, KeyedPermutation::kWideRounds, KeyedPermutation::Domain::kTight)))
        << n;
  for (const std::uint64_t n : {511ULL, 512ULL, 513ULL, 4097ULL, 65535ULL, 65536ULL, 65537ULL})
    ASSERT_TRUE(
        is_bijection(KeyedPermutation(n, 7, KeyedPermutation::kWideRounds, KeyedPermutation::Domain::kTight)))
        << n;
}

// The chi-square of perm(i ^ d) - perm(i) (mod n) over every pair i < i ^ d
// < n and `keys` keys, against uniform over 1..n-1, and the statistic a
// uniform difference exceeds with probability 0.001.
std::pair<double, double> difference_chi_square(std::uint64_t n, std::uint64_t d, int rounds, int keys) {
  std::vector<double> count(n, 0.0);
  for (int key = 0; key < keys; ++key) {
    const KeyedPermutation perm(n, derive_key(static_cast<std::uint64_t>(key), 78), rounds,
                                KeyedPermutation::Domain::kTight);
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::uint64_t j = i ^ d;
      if (j < n && j > i) count[(perm(j) + n - perm(i)) % n] += 1;
    }
  }
  double total = 0;
  for (std::uint64_t k = 1; k < n; ++k) total += count[k];
  const double expected = total / static_cast<double>(n - 1);
  double chi = 0;
  for (std::uint64_t k = 1; k < n; ++k) chi += (count[k] - expected) * (count[k] - expected) / expected;
  const double df = static_cast<double>(n - 2);
  const double a = 2.0 / (9.0 * df);
  return {chi, df * std::pow(1.0 - a + 3.0902 * std::sqrt(a), 3.0)};
}

TEST(KeyedPermutation, WideRoundsLeaveNoTraceOfTheTopBitOverAnOddTightDomain) {
  // n = 511: 9 bits, a high part of 5 over a low part of 4. Six rounds leave
  // the difference of the images of i and i ^ 256 uneven (z about 40 over
  // these keys); kWideRounds do not.
  const auto [chi, line] = difference_chi_square(511, 256, KeyedPermutation::kWideRounds, 20000);
  EXPECT_LT(chi, line);
  const auto [six, six_line] = difference_chi_square(511, 256, 6, 20000);
  EXPECT_GT(six, 2 * six_line);
}

}  // namespace
}  // namespace synth
