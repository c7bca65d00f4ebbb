// RowsDigest: order-free, and moved by anything a fit or a report reads.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/rows/rows_digest.hpp"

namespace synth {
namespace {

RowObservation row(const std::string& domain, std::vector<double> features, double score,
                   std::uint64_t prompt) {
  RowObservation r;
  r.reset();
  r.feature_shape = FeatureShape::kArray;
  r.feature_count = static_cast<std::uint32_t>(features.size());
  for (std::size_t i = 0; i < features.size(); ++i) r.set_feature(i, ValueState::kNumber, features[i]);
  r.score_state = ValueState::kNumber;
  r.score = score;
  r.has_prompt = true;
  r.prompt_hash = prompt;
  r.set_domain(domain);
  return r;
}

std::string digest(const std::vector<RowObservation>& rows) {
  RowsDigest d;
  for (const auto& r : rows) d.add(r);
  return d.text();
}

std::vector<RowObservation> sample_rows() {
  std::vector<RowObservation> rows;
  for (int i = 0; i < 200; ++i)
    rows.push_back(
        row(i % 3 ? "billing" : "support", {i * 0.5, double(i % 7), -1.0 * i}, (i % 10) / 10.0, 1000 + i));
  return rows;
}

TEST(RowsDigest, TheSameRowsInAnyOrderDigestAlike) {
  std::vector<RowObservation> rows = sample_rows();
  const std::string first = digest(rows);
  EXPECT_EQ(first.rfind("200:", 0), 0u);
  EXPECT_EQ(first.size(), 4u + 32u);
  std::mt19937 rng(3);
  std::shuffle(rows.begin(), rows.end(), rng);
  EXPECT_EQ(digest(rows), first);
}

TEST(RowsDigest, AnyReadValueMovesIt) {
  const std::vector<RowObservation> rows = sample_rows();
  const std::string base = digest(rows);
  auto changed = [&](auto edit) {
    std::vector<RowObservation> copy = rows;
    edit(copy[17]);
    return digest(copy);
  };
  EXPECT_NE(changed([](RowObservation& r) { r.features[1] += 1; }), base);
  EXPECT_NE(changed([](RowObservation& r) { r.score = 0.55; }), base);
  EXPECT_NE(changed([](RowObservation& r) { r.set_domain("billinG"); }), base);
  EXPECT_NE(changed([](RowObservation& r) { r.prompt_hash ^= 1; }), base);
  EXPECT_NE(changed([](RowObservation& r) { r.feature_count = 2; }), base);
  EXPECT_NE(changed([](RowObservation& r) { r.score_state = ValueState::kNull; }), base);
  // Swapping two rows' scores changes the rows, not just their order.
  std::vector<RowObservation> swapped = rows;
  std::swap(swapped[1].score, swapped[2].score);
  EXPECT_NE(digest(swapped), base);
  // -0 and 0 read alike.
  std::vector<RowObservation> zero = rows, negative_zero = rows;
  zero[0].features[0] = 0.0;
  negative_zero[0].features[0] = -0.0;
  EXPECT_EQ(digest(zero), digest(negative_zero));
}

TEST(RowsDigest, UnsetSlotsOfABadVectorDoNotCount) {
  // A vector with a non-numeric element leaves the slots as the previous row had them.
  RowObservation a = row("x", {1, 2, 3}, 0.5, 7);
  RowObservation b = a;
  a.non_numeric_features = b.non_numeric_features = 1;
  a.features[1] = 42;
  b.features[1] = -42;
  EXPECT_EQ(digest({a}), digest({b}));
}

}  // namespace
}  // namespace synth
