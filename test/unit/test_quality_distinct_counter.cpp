// Distinct prompts: exact up to the limit, then HyperLogLog within a few percent.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "engine/quality/distinct_counter.hpp"

namespace synth {
namespace {

std::uint64_t prompt_hash(std::uint64_t i) {
  std::string prompt = "Explain how to configure item " + std::to_string(i) + " for production";
  return hash_bytes(prompt);
}

TEST(DistinctCounter, ExactBelowTheLimit) {
  DistinctCounter counter;
  EXPECT_EQ(counter.count(), 0u);
  for (int round = 0; round < 3; ++round)  // duplicates do not count
    for (std::uint64_t i = 0; i < 1000; ++i) counter.add(prompt_hash(i));
  EXPECT_TRUE(counter.is_exact());
  EXPECT_EQ(counter.count(), 1000u);
  counter.add(0);  // the hash 0 is a value like any other
  counter.add(0);
  EXPECT_EQ(counter.count(), 1001u);
}

TEST(DistinctCounter, ExactAtTheLimitThenSketch) {
  DistinctCounter counter;
  for (std::uint64_t i = 0; i < DistinctCounter::kExactLimit; ++i) counter.add(prompt_hash(i));
  for (std::uint64_t i = 0; i < 100; ++i) counter.add(prompt_hash(i));
  EXPECT_TRUE(counter.is_exact());
  EXPECT_EQ(counter.count(), DistinctCounter::kExactLimit);
  counter.add(prompt_hash(DistinctCounter::kExactLimit));
  EXPECT_FALSE(counter.is_exact());
  double estimate = static_cast<double>(counter.count());
  EXPECT_NEAR(estimate, DistinctCounter::kExactLimit + 1.0, 0.03 * DistinctCounter::kExactLimit);
}

TEST(DistinctCounter, SketchErrorWithinAFewPercent) {
  for (std::uint64_t n : {100000ULL, 300000ULL, 2000000ULL}) {
    DistinctCounter counter;
    for (std::uint64_t i = 0; i < n; ++i) counter.add(prompt_hash(i * 7919 + n));
    for (std::uint64_t i = 0; i < n / 2; ++i) counter.add(prompt_hash(i * 7919 + n));  // repeats
    const double estimate = static_cast<double>(counter.count());
    EXPECT_NEAR(estimate / static_cast<double>(n), 1.0, 0.03) << n;
  }
}

TEST(DistinctCounter, HashSpreadsSimilarStrings) {
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 100000; ++i) seen.insert(hash_bytes(std::to_string(i)));
  EXPECT_EQ(seen.size(), 100000u);
  EXPECT_NE(hash_bytes(""), hash_bytes(std::string(1, '\0')));
  EXPECT_NE(hash_bytes("abcdefgh"), hash_bytes(std::string_view("abcdefgh\0", 9)));
  // Top 14 bits (the sketch's register index) are spread evenly.
  std::array<int, 16> top{};
  for (int i = 0; i < 160000; ++i) ++top[hash_bytes("p" + std::to_string(i)) >> 60];
  for (int count : top) EXPECT_NEAR(count, 10000, 600);
}

}  // namespace
}  // namespace synth
